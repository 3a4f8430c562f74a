#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl -j dev show zsv1` reports what sysfs reports for that device.
. "$(dirname "$0")/../lib.sh"
out=$(zsvctl -j dev show zsv1) || die "zsvctl -j dev show zsv1 failed"
sys=/sys/class/zsv/zsv1
for pair in id:id mem_total:mem_total_bytes mem_reserved:mem_reserved_bytes \
	mem_used:mem_used_bytes engines:engines policy:policy \
	timeslice_ns:timeslice_ns period_ns:period_ns slice_count:slice_count; do
	key=${pair%%:*}
	want=$(cat "$sys/${pair#*:}")
	got=$(json "(j[0] if isinstance(j, list) else j)['$key']" <<<"$out")
	[[ $got == "$want" ]] || die "$key: zsvctl says $got, sysfs says $want"
done
zsvctl dev show zsv1 | grep -q zsv1 || die "plain dev show lacks the name"
