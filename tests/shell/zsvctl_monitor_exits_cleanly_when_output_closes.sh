#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl monitor | head -n 1` ends with exit status 0 once head has gone
# and the next event cannot be written (no SIGPIPE death, no error).
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
trap 'zsvctl slice destroy mon-p1 2>/dev/null; zsvctl slice destroy mon-p2 2>/dev/null; rm -rf "$dir"' EXIT
(
	zsvctl -j monitor 2>"$dir/err" | head -n 1 >"$dir/out"
	echo "${PIPESTATUS[0]}" >"$dir/status"
) &
sub=$!
for _ in $(seq 100); do
	grep -q 'listening' "$dir/err" 2>/dev/null && break
	sleep 0.1
done
zsvctl slice create zsv0 name mon-p1 mem 1G >/dev/null || die "create 1"
for _ in $(seq 100); do
	[[ -s $dir/out ]] && break
	sleep 0.1
done
# head has exited; this event finds the pipe closed.
zsvctl slice create zsv0 name mon-p2 mem 1G >/dev/null || die "create 2"
for _ in $(seq 100); do
	[[ -s $dir/status ]] && break
	sleep 0.1
done
[[ -s $dir/status ]] || { kill $sub; die "monitor did not end"; }
wait $sub
[[ $(json "(j['event'], j['slice']['name'])" <"$dir/out") == "('slice-new', 'mon-p1')" ]] ||
	die "first line: $(cat "$dir/out")"
[[ $(cat "$dir/status") == 0 ]] || die "exit status $(cat "$dir/status"): $(cat "$dir/err")"
[[ $(cat "$dir/err") == 'zsvctl: listening for events' ]] || die "stderr: $(cat "$dir/err")"
