#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl monitor` prints tenant-new, tenant-set and tenant-del as
# "tenant ACTION NAME id N mem M slices S compute C weight W usage mem M
# slices S compute C", and a slice's tenant as its last pair; `zsvctl -j monitor`
# prints them as {"event": "tenant-...", "tenant": ...}, each the state
# "tenant show -j" printed then (its last state, for tenant-del).
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
mon=
jmon=
cleanup() {
	[[ -n $mon ]] && kill "$mon" 2>/dev/null
	[[ -n $jmon ]] && kill "$jmon" 2>/dev/null
	zsvctl slice destroy mon-ts force 2>/dev/null
	zsvctl tenant del mon-ten 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

zsvctl monitor >"$dir/out" 2>"$dir/err" &
mon=$!
zsvctl -j monitor >"$dir/jout" 2>"$dir/jerr" &
jmon=$!
for _ in $(seq 100); do
	grep -q 'listening' "$dir/err" && grep -q 'listening' "$dir/jerr" && break
	sleep 0.1
done
grep -q 'listening' "$dir/err" && grep -q 'listening' "$dir/jerr" || die "monitors never listened"

engines=$(zsvctl -j dev show zsv0 | json "j['engines']")
zsvctl -j tenant add mon-ten mem 1G slices 2 compute 400% weight 300 >"$dir/1" || die "tenant add"
tid=$(json "j['id']" <"$dir/1")
sid=$(zsvctl -j slice create zsv0 name mon-ts mem 256M tenant mon-ten | json "j['id']") ||
	die "slice create"
zsvctl tenant set mon-ten mem none weight 50 || die "tenant set"
zsvctl -j tenant show mon-ten >"$dir/2"
zsvctl slice destroy mon-ts || die "slice destroy"
zsvctl -j tenant show mon-ten >"$dir/3"
zsvctl tenant del mon-ten || die "tenant del"
for _ in $(seq 100); do
	[[ $(wc -l <"$dir/out") -ge 5 && $(wc -l <"$dir/jout") -ge 5 ]] && break
	sleep 0.1
done
kill -INT "$mon" "$jmon"
wait "$mon" || die "monitor exit status $?"
wait "$jmon" || die "-j monitor exit status $?"
mon=
jmon=
cat "$dir/out" "$dir/jout"

slice="mon-ts id $sid dev zsv0 mem 256M mode reserved weight 100 cap 100% timeslice default owner 0 group 0 perm 0600 node /dev/zsv/mon-ts tenant mon-ten"
want="tenant new mon-ten id $tid mem 1G slices 2 compute 400% weight 300 usage mem 0B slices 0 compute 0%
slice new $slice
tenant set mon-ten id $tid mem none slices 2 compute 400% weight 50 usage mem 256M slices 1 compute $((100 * engines))%
slice del $slice
tenant del mon-ten id $tid mem none slices 2 compute 400% weight 50 usage mem 0B slices 0 compute 0%"
[[ $(cat "$dir/out") == "$want" ]] || die "lines differ; want:
$want"

$PY - "$dir" <<'PY' || die "events differ"
import json, sys
d = sys.argv[1]
state = lambda n: json.load(open(f"{d}/{n}"))
got = [json.loads(line) for line in open(f"{d}/jout").read().splitlines()]
tenants = [(e["event"], e.get("tenant")) for e in got if e["event"].startswith("tenant-")]
want = [("tenant-new", state(1)), ("tenant-set", state(2)), ("tenant-del", state(3))]
slices = [(e["event"], e["slice"]["tenant"]) for e in got if e["event"].startswith("slice-")]
ok = tenants == want and slices == [("slice-new", "mon-ten"), ("slice-del", "mon-ten")]
if not ok:
    print(f"tenants: {tenants}\nwant     {want}\nslices: {slices}")
sys.exit(not ok)
PY
echo ok
