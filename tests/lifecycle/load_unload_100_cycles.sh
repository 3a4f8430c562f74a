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

for i in $(seq 1 10); do cycle "warm-up $i"; done
sync; echo 3 >/proc/sys/vm/drop_caches
before=$(sunreclaim_kb)
for i in $(seq 1 100); do cycle "$i"; done
sync; echo 3 >/proc/sys/vm/drop_caches
after=$(sunreclaim_kb)

[[ -z $(ls /sys/class/zsv 2>/dev/null) ]] || die "class not empty"
[[ ! -e /sys/class/zsv ]] || die "class zsv left behind"
zsvctl dev >/dev/null 2>&1 && die "netlink family left behind"
growth=$((after - before))
echo "SUnreclaim before $before kB, after $after kB, growth $growth kB"
# One leaked pdev per cycle (4 devices) would be at least 400 objects of
# 1 KiB; allow noise from the rest of the system well below that.
[[ $growth -lt 256 ]] || die "unreclaimable slab grew by $growth kB over 100 cycles"
