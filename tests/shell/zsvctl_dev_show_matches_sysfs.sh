#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl -j dev show zsv1` reports what sysfs reports for that device.
# (One python start and no other fork per key: a start costs seconds on
# the debug kernel.)
. "$(dirname "$0")/../lib.sh"
out=$(zsvctl -j dev show zsv1) || die "zsvctl -j dev show zsv1 failed"
sys=/sys/class/zsv/zsv1
pairs=(id:id mem_total:mem_total_bytes mem_reserved:mem_reserved_bytes
	mem_used:mem_used_bytes engines:engines policy:policy
	timeslice_ns:timeslice_ns period_ns:period_ns slice_count:slice_count)
keys=("${pairs[@]%%:*}")
vals=$(json "'\\n'.join(str((j[0] if isinstance(j, list) else j)[k])
	for k in '${keys[*]}'.split())" <<<"$out")
mapfile -t got <<<"$vals"
[[ ${#got[@]} -eq ${#pairs[@]} ]] || die "zsvctl -j dev show zsv1: $out"
for i in "${!pairs[@]}"; do
	read -r want <"$sys/${pairs[i]#*:}" || die "cannot read $sys/${pairs[i]#*:}"
	[[ ${got[i]} == "$want" ]] ||
		die "${keys[i]}: zsvctl says ${got[i]}, sysfs says $want"
done
zsvctl dev show zsv1 | grep -q zsv1 || die "plain dev show lacks the name"
