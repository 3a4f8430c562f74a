#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zsvctl save > f; change things (retune, resize, destroy, create, a device
# setting); assert f lists each difference and exits 1; apply --dry-run
# changes nothing; apply f restores the saved layout, assert f then exits
# 0 and a second apply says "no changes"; save | apply - changes nothing.
# Slices the file does not name stay, unless --prune.  Tenants: saved
# with their limits and weight, a slice's tenant with it; apply adds and
# sets them before the slices, never deletes one it did not add, and a
# failed apply deletes the tenant it added and puts the others' limits and
# weights back.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
cleanup() {
	for s in rt-a rt-b rt-c rt-extra; do zsvctl slice destroy "$s" force 2>/dev/null; done
	for t in rt-acme rt-free rt-new; do zsvctl tenant del "$t" 2>/dev/null; done
	# The devices as the suite found them (pdev.c's defaults), for the
	# tests after this one.
	for d in zsv0 zsv1; do zsvctl dev set "$d" policy weighted period 100ms 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

zsvctl tenant add rt-acme mem 4G slices 2 compute 400% weight 300 >/dev/null || die "add rt-acme"
zsvctl tenant add rt-free >/dev/null || die "add rt-free"
zsvctl slice create zsv0 name rt-a mem 2G weight 300 cap 50% timeslice 1ms \
	owner 1000 group 100 perm 0660 tenant rt-acme >/dev/null || die "create rt-a"
zsvctl slice create zsv1 name rt-b mem 1G mode shared >/dev/null || die "create rt-b"
zsvctl dev set zsv0 policy fixed period 50ms || die "dev set"
zsvctl save >"$tmp/f" || die "save"
cat "$tmp/f"
# Every setting, in the order and units of slice create and dev set.
grep -q '^  "version": 1,$' "$tmp/f" || die "no version"
grep -qzF '    {
      "name": "rt-a",
      "dev": "zsv0",
      "mem": "2G",
      "mode": "reserved",
      "weight": 300,
      "cap": "50%",
      "timeslice": "1ms",
      "owner": 1000,
      "group": 100,
      "perm": "0660",
      "tenant": "rt-acme"
    },' "$tmp/f" || die "rt-a not saved as created"
grep -qzF '  "tenants": [
    {
      "name": "rt-acme",
      "mem": "4G",
      "slices": 2,
      "compute": "400%",
      "weight": 300
    },
    {
      "name": "rt-free",
      "mem": "none",
      "slices": "none",
      "compute": "none",
      "weight": 100
    }
  ],' "$tmp/f" || die "tenants not saved as added"
grep -qzF '    {
      "name": "zsv0",
      "policy": "fixed",
      "timeslice": "2ms",
      "period": "50ms",
      "oversub": "1"
    },' "$tmp/f" || die "zsv0 not saved as set"
zsvctl assert "$tmp/f" || die "assert of a fresh save"
[[ $(zsvctl save | zsvctl apply -) == "no changes" ]] || die "save | apply - changed something"

# Drift: a retune, a resize, a destroy, an extra slice, a device setting.
zsvctl slice set rt-a weight 7 mem 3G || die "set rt-a"
zsvctl slice destroy rt-b || die "destroy rt-b"
zsvctl slice create zsv0 name rt-extra mem 1G >/dev/null || die "create rt-extra"
zsvctl dev set zsv1 timeslice 4ms || die "dev set zsv1"
zsvctl slice set rt-a tenant none || die "rt-a out of rt-acme"
zsvctl tenant set rt-acme mem 8G weight 50 || die "set rt-acme"
zsvctl tenant del rt-free || die "del rt-free"
zsvctl save >"$tmp/drift" || die "save drift"

out=$(zsvctl assert "$tmp/f")
rc=$?
echo "$out"
[[ $rc -eq 1 ]] || die "assert after drift exited $rc"
grep -qx "slice rt-a: mem is 3G, the file says 2G; weight is 7, the file says 300; tenant is none, the file says rt-acme" <<<"$out" ||
	die "assert misses rt-a"
grep -qx "slice rt-b: missing (the file puts it on zsv1)" <<<"$out" || die "assert misses rt-b"
grep -qx "device zsv1: timeslice is 4ms, the file says 2ms" <<<"$out" || die "assert misses zsv1"
grep -qx "tenant rt-acme: mem is 8G, the file says 4G; weight is 50, the file says 300" <<<"$out" ||
	die "assert misses rt-acme"
grep -qx "tenant rt-free: missing" <<<"$out" || die "assert misses rt-free"
grep -q rt-extra <<<"$out" && die "assert without --prune counts rt-extra"
zsvctl assert --prune "$tmp/f" | grep -qx "slice rt-extra: not in the file" ||
	die "assert --prune misses rt-extra"
[[ $(zsvctl -p assert "$tmp/f" | grep -c '"difference":') == 5 ]] || die "assert -j"

out=$(zsvctl apply --dry-run "$tmp/f") || die "dry run"
echo "$out"
[[ $out == "add tenant rt-free mem none slices none compute none weight 100
set tenant rt-acme mem 4G weight 300 (was mem 8G weight 50)
set device zsv1 timeslice 2ms (was timeslice 4ms)
set slice rt-a mem 2G weight 300 tenant rt-acme (was mem 3G weight 7 tenant none)
create slice rt-b on zsv1 mem 1G mode shared weight 100 cap 100% timeslice default owner 0 group 0 perm 0600" ]] ||
	die "dry-run plan"
zsvctl save | cmp -s - "$tmp/drift" || die "dry run changed something"

zsvctl apply "$tmp/f" || die "apply"
zsvctl assert "$tmp/f" || die "assert after apply"
[[ $(zsvctl apply "$tmp/f") == "no changes" ]] || die "second apply changed something"
zsvctl slice show rt-extra >/dev/null || die "apply without --prune destroyed rt-extra"
zsvctl save | cmp -s - "$tmp/f" && die "rt-extra is not in the save"

zsvctl apply --prune "$tmp/f" || die "apply --prune"
[[ $(zsvctl apply --prune "$tmp/f") == "no changes" ]] || die "second apply --prune"
zsvctl save | cmp - "$tmp/f" || die "save after apply --prune differs from the file"
[[ $(zsvctl -j tenant show rt-acme | json "(j['mem_max'], j['slices'], j['weight'])") == "(4294967296, 1, 300)" ]] ||
	die "rt-acme after apply: $(zsvctl -j tenant show rt-acme)"

# A failed apply: rt-new is added, rt-acme raised, then rt-c is refused
# by rt-new's limit.  The undo deletes rt-new, which it added, puts
# rt-acme's limit back, and deletes no other tenant.
$PY - "$tmp/f" >"$tmp/bad" <<'PYEOF'
import json, sys
f = json.load(open(sys.argv[1]))
f["tenants"][0]["mem"] = "6G"
f["tenants"][0]["weight"] = 900
f["tenants"].append({"name": "rt-new", "mem": "1G"})
f["slices"].append({"name": "rt-c", "dev": "zsv1", "mem": "2G", "tenant": "rt-new"})
print(json.dumps(f))
PYEOF
err=$(zsvctl apply "$tmp/bad" 2>&1 >/dev/null)
rc=$?
echo "$err"
[[ $rc == 1 ]] || die "failed apply exited $rc"
grep -qF "failed: create slice rt-c on zsv1 mem 2G mode reserved weight 100 cap 100% timeslice default owner 0 group 0 perm 0600 tenant rt-new: tenant memory limit 1G: 0B in use, 2G more asked ('rt-new')" <<<"$err" ||
	die "the kernel's reason is not shown"
grep -qx "zsvctl: apply: the 2 steps before it were undone; nothing was changed" <<<"$err" ||
	die "undo not reported"
zsvctl tenant show rt-new >/dev/null 2>&1 && die "rt-new survived the undo"
zsvctl assert --prune "$tmp/f" || die "a failed apply changed something"
exit 0
