#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zsvctl save > f; change things (retune, resize, destroy, create, a device
# setting); assert f lists each difference and exits 1; apply --dry-run
# changes nothing; apply f restores the saved layout, assert f then exits
# 0 and a second apply says "no changes"; save | apply - changes nothing.
# Slices the file does not name stay, unless --prune.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
cleanup() {
	for s in rt-a rt-b rt-extra; do zsvctl slice destroy "$s" force 2>/dev/null; done
	# The devices as the suite found them (pdev.c's defaults), for the
	# tests after this one.
	for d in zsv0 zsv1; do zsvctl dev set "$d" policy weighted period 100ms 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

zsvctl slice create zsv0 name rt-a mem 2G weight 300 cap 50% timeslice 1ms \
	owner 1000 group 100 perm 0660 >/dev/null || die "create rt-a"
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
      "perm": "0660"
    },' "$tmp/f" || die "rt-a not saved as created"
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
zsvctl save >"$tmp/drift" || die "save drift"

out=$(zsvctl assert "$tmp/f")
rc=$?
echo "$out"
[[ $rc -eq 1 ]] || die "assert after drift exited $rc"
grep -qx "slice rt-a: mem is 3G, the file says 2G; weight is 7, the file says 300" <<<"$out" ||
	die "assert misses rt-a"
grep -qx "slice rt-b: missing (the file puts it on zsv1)" <<<"$out" || die "assert misses rt-b"
grep -qx "device zsv1: timeslice is 4ms, the file says 2ms" <<<"$out" || die "assert misses zsv1"
grep -q rt-extra <<<"$out" && die "assert without --prune counts rt-extra"
zsvctl assert --prune "$tmp/f" | grep -qx "slice rt-extra: not in the file" ||
	die "assert --prune misses rt-extra"
[[ $(zsvctl -p assert "$tmp/f" | grep -c '"difference":') == 3 ]] || die "assert -j"

out=$(zsvctl apply --dry-run "$tmp/f") || die "dry run"
echo "$out"
[[ $out == "set slice rt-a mem 2G weight 300 (was mem 3G weight 7)
set device zsv1 timeslice 2ms (was timeslice 4ms)
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
exit 0
