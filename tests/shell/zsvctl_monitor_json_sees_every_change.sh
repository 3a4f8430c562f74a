#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl -j monitor` prints exactly one JSON line per change, in order,
# each carrying the object's full state as show -j prints it (the last
# state, for a deletion), and exits 0 on SIGTERM.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
mon=
cleanup() {
	[[ -n $mon ]] && kill "$mon" 2>/dev/null
	zsvctl slice destroy mon-a force 2>/dev/null
	zsvctl dev set zsv1 policy weighted oversub 1 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

zsvctl -j monitor >"$dir/out" 2>"$dir/err" &
mon=$!
for _ in $(seq 100); do
	grep -q 'listening' "$dir/err" && break
	sleep 0.1
done
grep -qx 'zsvctl: listening for events' "$dir/err" || die "monitor never listened: $(cat "$dir/err")"

zsvctl -j slice create zsv1 name mon-a mem 2G weight 300 cap 50 >"$dir/1" || die "create"
zsvctl slice set mon-a weight 10 cap 20% || die "set"
zsvctl -j slice show mon-a >"$dir/2"
zsvctl dev set zsv1 policy fixed oversub 1.5 || die "dev set"
zsvctl -j dev show zsv1 >"$dir/3"
zsvctl -j slice show mon-a >"$dir/4"
zsvctl slice destroy mon-a || die "destroy"
zsvctl dev set zsv1 policy weighted oversub 1 || die "dev set back"
zsvctl -j dev show zsv1 >"$dir/5"

# Wait for the last event, then stop the monitor as a service manager would.
for _ in $(seq 100); do
	[[ $(wc -l <"$dir/out") -ge 5 ]] && break
	sleep 0.1
done
kill -TERM "$mon"
wait "$mon"
status=$?
mon=
cat "$dir/out"
[[ $status == 0 ]] || die "monitor exit status $status on SIGTERM"
[[ $(cat "$dir/err") == 'zsvctl: listening for events' ]] || die "stderr: $(cat "$dir/err")"

$PY - "$dir" <<'PY' || die "events differ"
import json, sys
d = sys.argv[1]
state = lambda n: json.load(open(f"{d}/{n}"))
want = [
    {"event": "slice-new", "slice": state(1)},
    {"event": "slice-set", "slice": state(2)},
    {"event": "dev-set", "dev": state(3)},
    {"event": "slice-del", "slice": state(4)},
    {"event": "dev-set", "dev": state(5)},
]
lines = open(f"{d}/out").read().splitlines()
got = [json.loads(line) for line in lines]
for i, (w, g) in enumerate(zip(want, got)):
    if w != g:
        print(f"event {i}: want {w}\n          got  {g}")
if len(got) != len(want):
    print(f"{len(got)} events, want {len(want)}")
sys.exit(want != got)
PY
