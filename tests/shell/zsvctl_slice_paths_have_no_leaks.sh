#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Under valgrind, zsvctl's slice, tenant, CDI, stats, save and monitor
# paths make no memory errors and leak nothing, on success and on the
# kernel's refusal.
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || skip "valgrind is not installed"
# valgrind checks zsvctl's memory, which no kernel changes: it runs once,
# on the newest stock kernel (on the debug kernel it costs minutes, and on
# each other kernel another 100 s of make check).
newest=$(printf '%s\n' /boot/vmlinuz-* | sed 's|^/boot/vmlinuz-||' |
	grep -v -- -zsv-debug | sort -V | tail -n 1)
[[ $(uname -r) == "$newest" ]] ||
	skip "zsvctl under valgrind runs on the newest stock kernel, $newest"
zsvctl=$(command -v zsvctl)
dir=$(mktemp -d)
spec=/var/run/cdi/zsv.json
made_spec=
cleanup() {
	[[ -n $mon ]] && kill "$mon" 2>/dev/null
	zsvctl slice destroy leak-a force 2>/dev/null
	zsvctl tenant del leak-t 2>/dev/null
	[[ -n $made_spec ]] && rm -f "$spec"
	rm -rf "$dir"
}
trap cleanup EXIT

# vg WANT ARGS...: zsvctl ARGS under valgrind exits WANT, with no error.
vg() {
	local want=$1 status log err
	shift
	log=$(mktemp -p "$dir") err=$(mktemp -p "$dir")
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--log-file="$log" "$zsvctl" "$@" >/dev/null 2>"$err"
	status=$?
	echo "zsvctl $* -> $status"
	[[ ! -s $log ]] || die "valgrind on zsvctl $*: $(cat "$log")"
	[[ $status == "$want" ]] || die "zsvctl $*: exit status $status, want $want: $(cat "$err")"
}

# With a CDI spec present, create, set and destroy rewrite it too.
if [[ ! -e $spec ]]; then
	mkdir -p /var/run/cdi && zsvctl cdi generate -o "$spec" && made_spec=1
fi

valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=99 --log-file="$dir/vg-monitor" "$zsvctl" -j monitor \
	>"$dir/mon" 2>"$dir/mon-err" &
mon=$!
for _ in $(seq 300); do
	grep -q listening "$dir/mon-err" && break
	sleep 0.1
done
grep -q listening "$dir/mon-err" || die "monitor under valgrind never listened"

vg 0 -j tenant add leak-t mem 2G slices 2
vg 0 -j slice create zsv0 name leak-a mem 1G weight 7 owner nobody tenant leak-t
vg 1 slice create zsv0 name leak-b mem 64G
vg 1 slice create zsv1 name leak-b mem 2G tenant leak-t
vg 0 slice set leak-a cap 10
vg 0 tenant set leak-t compute none
# What changes nothing runs in two streams at once (a valgrind start is
# seconds under TCG, and the guest has two CPUs).
{ vg 0 slice list && vg 0 tenant show && vg 0 -j tenant show leak-t &&
	vg 1 tenant del leak-t; } &
reader=$!
vg 0 stats
vg 0 save
vg 0 cdi generate vendor example.com
wait "$reader" || die "a read under valgrind failed (above)"
vg 0 slice destroy leak-a
vg 0 tenant del leak-t

for _ in $(seq 300); do
	[[ $(wc -l <"$dir/mon") -ge 6 ]] && break
	sleep 0.1
done
kill -TERM "$mon"
wait "$mon"
status=$?
mon=
[[ ! -s $dir/vg-monitor ]] || die "valgrind on zsvctl monitor: $(cat "$dir/vg-monitor")"
[[ $status == 0 ]] || die "monitor exit status $status"
[[ $(wc -l <"$dir/mon") == 6 ]] || die "monitor saw: $(cat "$dir/mon")"
