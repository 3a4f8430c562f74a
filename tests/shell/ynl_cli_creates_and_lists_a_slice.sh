#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's YNL CLI, knowing only our spec, carves a slice, lists it,
# sees the monitor event for it and destroys it.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "the YNL CLI runs on the stock kernels"
ynl=$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py
# No schema: tests/spec-check validates the spec against genetlink.yaml on
# the host; validating it again here costs seconds a call.
args=(--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" --schema "")
out=$($PY "$ynl" "${args[@]}" --do slice-new --output-json \
	--json '{"name": "ynl-a", "dev-name": "zsv0", "mem-bytes": 2147483648, "mem-mode": "shared", "weight": 250}') ||
	die "slice-new failed"
echo "$out"
[[ $(json "(j['name'], j['mem-bytes'], j['mem-mode'], j['weight'], j['node'])" <<<"$out") == \
	"('ynl-a', 2147483648, 'shared', 250, '/dev/zsv/ynl-a')" ]] || die "reply: $out"
out=$($PY "$ynl" "${args[@]}" --dump slice-get --output-json) || die "dump failed"
[[ $(json "[s['name'] for s in j if s['name'] == 'ynl-a']" <<<"$out") == "['ynl-a']" ]] || die "dump: $out"
$PY "$ynl" "${args[@]}" --do slice-del --json '{"name": "ynl-a"}' >/dev/null || die "slice-del failed"
out=$($PY "$ynl" "${args[@]}" --dump slice-get --output-json)
[[ $(json "len([s for s in j if s['name'] == 'ynl-a'])" <<<"$out") == 0 ]] || die "still there"
