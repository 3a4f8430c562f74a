#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl monitor` prints one line per change, "OBJECT ACTION NAME KEY
# VALUE...", flushed at once (it is read while the monitor still runs),
# and exits 0 on SIGINT.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
mon=
cleanup() {
	[[ -n $mon ]] && kill "$mon" 2>/dev/null
	zsvctl slice destroy mon-t force 2>/dev/null
	zsvctl dev set zsv0 timeslice 2ms period 100ms 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

zsvctl monitor >"$dir/out" 2>"$dir/err" &
mon=$!
for _ in $(seq 100); do
	grep -q 'listening' "$dir/err" && break
	sleep 0.1
done
grep -q 'listening' "$dir/err" || die "monitor never listened"

id=$(zsvctl -j slice create zsv0 name mon-t mem 1536M mode shared timeslice 1ms perm 0660 owner 65534 |
	json "j['id']") || die "create"
for _ in $(seq 100); do
	[[ -s $dir/out ]] && break
	sleep 0.1
done
# The line is there while the monitor still runs: it was flushed.
[[ $(cat "$dir/out") == "slice new mon-t id $id dev zsv0 mem 1536M mode shared weight 100 cap 100% timeslice 1ms owner 65534 group 0 perm 0660 node /dev/zsv/mon-t" ]] ||
	die "slice new: $(cat "$dir/out")"
zsvctl slice set mon-t cap 5 timeslice default || die "set"
zsvctl dev set zsv0 timeslice 1ms period 20ms || die "dev set"
zsvctl slice destroy mon-t || die "destroy"
zsvctl dev set zsv0 timeslice 2ms period 100ms || die "dev set back"
for _ in $(seq 100); do
	[[ $(wc -l <"$dir/out") -ge 5 ]] && break
	sleep 0.1
done
kill -INT "$mon"
wait "$mon"
status=$?
mon=
cat "$dir/out"
[[ $status == 0 ]] || die "monitor exit status $status on SIGINT"
# Strip what depends on the other tests' devices: engines, oversub, slices.
want="slice new mon-t id $id dev zsv0 mem 1536M mode shared weight 100 cap 100% timeslice 1ms owner 65534 group 0 perm 0660 node /dev/zsv/mon-t
slice set mon-t id $id dev zsv0 mem 1536M mode shared weight 100 cap 5% timeslice default owner 65534 group 0 perm 0660 node /dev/zsv/mon-t
dev set zsv0 id 0 backend sim mem 16G engines 4 policy weighted timeslice 1ms period 20ms oversub 1 slices 1
slice del mon-t id $id dev zsv0 mem 1536M mode shared weight 100 cap 5% timeslice default owner 65534 group 0 perm 0660 node /dev/zsv/mon-t
dev set zsv0 id 0 backend sim mem 16G engines 4 policy weighted timeslice 2ms period 100ms oversub 1 slices 0"
[[ $(cat "$dir/out") == "$want" ]] || die "lines differ; want:
$want"
