#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl cdi generate` prints a CDI 0.5.0 spec with one device per slice:
# the slice's node and its limits in the environment; the vendor comes
# from the vendor argument, else $ZSV_CDI_VENDOR, else zsv.io; -o writes
# a file, which Debian's CDI library (tests/cdi/cdi-check) resolves.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "CDI spec generation runs on the stock kernels (the slice dumps it reads run here in the other zsvctl tests)"
dir=$(mktemp -d)
trap 'zsvctl slice destroy team-b 2>/dev/null; zsvctl slice destroy team-a 2>/dev/null; rm -rf "$dir"' EXIT
zsvctl slice create zsv1 name team-b mem 2G mode shared weight 50 cap 30 timeslice 500us >/dev/null ||
	die "create b"
zsvctl slice create zsv0 name team-a mem 4G weight 300 cap 50 >/dev/null || die "create a"

out=$(zsvctl cdi generate) || die "generate failed"
echo "$out"
$PY - "$out" <<'PY' || die "spec differs"
import json, sys
got = json.loads(sys.argv[1])
def dev(name, d, mem, mode, weight, cap, timeslice_ns):
    return {"name": name, "containerEdits": {
        "deviceNodes": [{"path": f"/dev/zsv/{name}"}],
        "env": [f"ZSV_SLICE={name}", f"ZSV_SLICE_DEV={d}",
                f"ZSV_SLICE_MEM_BYTES={mem}", f"ZSV_SLICE_MEM_MODE={mode}",
                f"ZSV_SLICE_WEIGHT={weight}", f"ZSV_SLICE_CAP_PCT={cap}",
                f"ZSV_SLICE_TIMESLICE_NS={timeslice_ns}",
                "ZSV_SLICE_ENGINES=4"]}}
# team-a has the pdev's 2 ms quantum, team-b its own; the sim has 4 engines.
want = {"cdiVersion": "0.5.0", "kind": "zsv.io/slice", "devices": [
    dev("team-a", "zsv0", 4 << 30, "reserved", 300, 50, 2000000),
    dev("team-b", "zsv1", 2 << 30, "shared", 50, 30, 500000)]}
if got != want:
    print("want", json.dumps(want), "\ngot ", json.dumps(got))
sys.exit(got != want)
PY
# Every device node named in the spec exists.
for p in $(json "' '.join(n['path'] for d in j['devices'] for n in d['containerEdits']['deviceNodes'])" <<<"$out"); do
	[[ -c $p ]] || die "$p is not a device node"
done

[[ $(ZSV_CDI_VENDOR=example.com zsvctl cdi generate | json "j['kind']") == example.com/slice ]] ||
	die "ZSV_CDI_VENDOR not used"
[[ $(ZSV_CDI_VENDOR=example.com zsvctl cdi generate vendor acme.org | json "j['kind']") == acme.org/slice ]] ||
	die "vendor argument does not win over the environment"
ZSV_CDI_VENDOR='not valid' zsvctl cdi generate >/dev/null 2>&1
[[ $? == 2 ]] || die "invalid ZSV_CDI_VENDOR accepted"

zsvctl cdi generate -o "$dir/zsv.json" vendor example.com || die "generate -o failed"
got=$(cdi_check -dir "$dir" example.com/slice=team-a) || die "the CDI library refused the spec"
[[ $(json "(j['example.com/slice=team-a']['deviceNodes'][0]['path'], j['example.com/slice=team-a']['env'][0])" <<<"$got") == \
	"('/dev/zsv/team-a', 'ZSV_SLICE=team-a')" ]] || die "resolved: $got"
[[ $(cat "$dir/zsv.json") == "$(zsvctl cdi generate vendor example.com)" ]] || die "-o wrote something else"
[[ $(ls -A "$dir") == zsv.json ]] || die "temporary files left: $(ls -A "$dir")"
[[ $(stat -c %a "$dir/zsv.json") == 644 ]] || die "mode $(stat -c %a "$dir/zsv.json")"
err=$(zsvctl cdi generate -o /nonexistent/zsv.json 2>&1)
[[ $? == 1 ]] || die "writing into a missing directory did not fail"
grep -q "cannot write '/nonexistent/zsv.json'" <<<"$err" || die "message: $err"
