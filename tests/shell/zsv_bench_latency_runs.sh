#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsv-bench latency` times tiny jobs next to a bare INFO ioctl, checks
# its FILL through a mapping, prints its table and sane JSON, and
# removes what it made.
. "$(dirname "$0")/../lib.sh"
bench=$ZSV_TOP/userspace/bench/zsv-bench
prefix=zsv-bench-lat-smoke
[[ -x $bench ]] || die "$bench is not built"

cleanup() {
	[[ -e /dev/zsv/$prefix-0 ]] && zsvctl slice destroy "$prefix-0" force >/dev/null 2>&1
	return 0
}
trap cleanup EXIT

devs=$(zsvctl -j dev | json 'len(j)')
out=$("$bench" latency --prefix $prefix -n 30) || die "latency failed: $out"
echo "$out"
num='[0-9]+\.[0-9]us'
grep -Eq '^op +count +min +median +p99 +max +vs info$' <<<"$out" || die "no table header"
for op in info compute-1ns fill-4k; do
	grep -Eq "^$op +30( +$num){4} +[0-9.]+x\$" <<<"$out" || die "no row for $op"
done

# On zsv0, as it is; 40 rounds after 20 untimed ones.
out=$("$bench" -j latency -d zsv0 --prefix $prefix -n 40) || die "latency -j failed: $out"
echo "$out"
[[ $(json "(j['bench'], j['params']['dev'], j['params']['iterations'], j['params']['fill_bytes'])" <<<"$out") == \
	"('latency', 'zsv0', 40, 4096)" ]] || die "params"
[[ $(json "[(r['op'], r['ns']['count']) for r in j['results']]" <<<"$out") == \
	"[('info', 40), ('compute-1ns', 40), ('fill-4k', 40)]" ]] || die "rows"
[[ $(json "all(0 < r['ns']['min'] <= r['ns']['median'] <= r['ns']['p99'] <= r['ns']['max']
	for r in j['results'])" <<<"$out") == True ]] || die "latencies"
# A job costs at least the ioctl it takes.
[[ $(json "j['results'][1]['ns']['median'] >= j['results'][0]['ns']['median']" <<<"$out") == True ]] ||
	die "a job took less than an ioctl"
# The last FILL (round 59, counting the untimed ones) is what the buffer holds.
[[ $(json "hex(j['summary']['fill_checked_pattern'])" <<<"$out") == 0xa500003b ]] ||
	die "fill pattern"
# zsv-bench compare (make bench BASE=) reads the report: the same run on
# both sides, so every ratio is 1.
cmp=$(bench_compare_self "$out") || die "compare failed: $cmp"
echo "$cmp"
for fig in 'info median' 'compute-1ns median' 'compute-1ns median vs info' 'fill-4k median vs info'; do
	grep -Eq "^latency: $fig +[0-9.]+(us|x) +[0-9.]+(us|x) +1\.00x\$" <<<"$cmp" ||
		die "compare: no row for $fig"
done
[[ $(zsvctl -j dev | json 'len(j)') == "$devs" ]] || die "pdevs left behind"
[[ $(zsvctl -j dev show zsv0 | json "j['slice_count']") == 0 ]] || die "slice left on zsv0"
