#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's own YNL CLI, knowing only our spec, dumps and gets devices.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "the YNL CLI runs on the stock kernels"
ynl=$ZSV_TOP/build/linux-source-6.12/tools/net/ynl
[[ -e $ynl/cli.py ]] || die "YNL CLI not extracted (make check extracts it)"
# No schema: tests/spec-check validates the spec against genetlink.yaml on
# the host; validating it again here costs seconds a call.
args=(--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" --schema "")
out=$($PY "$ynl/cli.py" "${args[@]}" --dump dev-get --output-json) || die "dump failed"
echo "$out"
[[ $(json 'len(j)' <<<"$out") == 2 ]] || die "expected 2 devices"
[[ $(json "sorted(d['name'] for d in j)" <<<"$out") == "['zsv0', 'zsv1']" ]] || die "names"
[[ $(json "j[0]['mem-total']" <<<"$out") == 17179869184 ]] || die "mem-total"
[[ $(json "j[0]['policy']" <<<"$out") == weighted ]] || die "policy enum"
out=$($PY "$ynl/cli.py" "${args[@]}" --do dev-get --json '{"name": "zsv1"}' --output-json) ||
	die "do failed"
[[ $(json "j['engines']" <<<"$out") == 4 ]] || die "do: $out"
