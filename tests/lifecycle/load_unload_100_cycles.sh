#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# 100 load/unload cycles of both modules (with a netlink query in each):
# nothing is left behind, no warning (the runner fails on any splat), and
# unreclaimable slab memory does not grow with the number of cycles.
. "$(dirname "$0")/../lib.sh"
zsv_unload

sunreclaim_kb() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }
cycle() {
	zsv_load devices=4 || die "load failed in cycle $1"
	zsvctl -j dev >/dev/null || die "query failed in cycle $1"
	zsv_unload || die "unload failed in cycle $1"
}

# On the debug tier a cycle takes seconds (each of its five programs'
# start does) and 100 took 15 min: 20 cycles there, with kmemleak, not
# the slab total, judging leaks (tests/guest/kmemleak-suite).
cycles=100 warmup=10
[[ -n ${ZSV_DEBUG_TIER:-} ]] && cycles=20 warmup=0
for ((i = 1; i <= warmup; i++)); do cycle "warm-up $i"; done
sync; echo 3 >/proc/sys/vm/drop_caches
before=$(sunreclaim_kb)
for ((i = 1; i <= cycles; i++)); do cycle "$i"; done
sync; echo 3 >/proc/sys/vm/drop_caches
after=$(sunreclaim_kb)

[[ -z $(ls /sys/class/zsv 2>/dev/null) ]] || die "class not empty"
[[ ! -e /sys/class/zsv ]] || die "class zsv left behind"
zsvctl dev >/dev/null 2>&1 && die "netlink family left behind"
growth=$((after - before))
echo "SUnreclaim before $before kB, after $after kB, growth $growth kB"
# One leaked pdev per cycle (4 devices) would be at least 400 objects of
# 1 KiB; allow noise from the rest of the system well below that.
((cycles < 100)) && exit 0
[[ $growth -lt 256 ]] || die "unreclaimable slab grew by $growth kB over $cycles cycles"
