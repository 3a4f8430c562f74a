#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's YNL CLI, knowing only our spec, makes a tenant, a group of
# two slices in it on the two pdevs, sees the group and the tenant in a
# slice dump and the tenant's usage, then destroys the group and the
# tenant. (Python under TCG costs seconds a call: the kernel paths run on
# the debug tier in the selftests; this checks the spec's interop.)
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "the YNL CLI runs on the stock kernels"
ynl=$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py
# No schema: tests/spec-check validates the spec against genetlink.yaml on
# the host; validating it again here costs seconds a call.
args=(--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" --schema "")
cleanup() {
	$PY "$ynl" "${args[@]}" --do group-del --json '{"group": "ynl-g", "force": true}' \
		>/dev/null 2>&1
	$PY "$ynl" "${args[@]}" --do tenant-del --json '{"name": "ynl-t"}' >/dev/null 2>&1
	return 0
}
trap cleanup EXIT

# One process per batch: each costs seconds under TCG.
$PY "$ynl" "${args[@]}" --output-json \
	--multi tenant-new '{"name": "ynl-t", "slices-max": 2, "weight": 700}' \
	--multi group-new '{"group": "ynl-g", "count": 2, "mem-bytes": 1048576, "tenant": "ynl-t"}' ||
	die "tenant-new and group-new failed"
[[ -e /dev/zsv/ynl-g-0 && -e /dev/zsv/ynl-g-1 ]] || die "no nodes for the group"
dump=$($PY "$ynl" "${args[@]}" --output-json --dump slice-get) || die "dump failed"
echo "$dump"
# The tenant's usage, then group-del and tenant-del.
out=$($PY "$ynl" "${args[@]}" --output-json --multi tenant-get '{"name": "ynl-t"}' \
	--multi group-del '{"group": "ynl-g"}' --multi tenant-del '{"name": "ynl-t"}') ||
	die "tenant-get, group-del and tenant-del failed: $out"
echo "$out"
[[ $(json "(j[0]['slices'], j[0]['mem'], j[0]['slices-max'], j[0]['weight'])" <<<"$out") == "(2, 2097152, 2, 700)" ]] ||
	die "tenant usage: $out"
[[ $(json "sorted((s['name'], s['group'], s['tenant'], s['dev-name'])
	for s in j if s.get('group') == 'ynl-g')" <<<"$dump") == \
	"[('ynl-g-0', 'ynl-g', 'ynl-t', 'zsv0'), ('ynl-g-1', 'ynl-g', 'ynl-t', 'zsv1')]" ]] ||
	die "the group in the dump"
[[ ! -e /dev/zsv/ynl-g-0 && ! -e /dev/zsv/ynl-g-1 ]] || die "group-del left nodes"
