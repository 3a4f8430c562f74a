#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsv-bench churn` runs a small churn, prints its table and the same run
# as JSON, proves its peak slice count and leaves no slice behind.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "zsv-bench churn runs on the stock kernels (slice churn runs here in the stress and slice_test)"
bench=$ZSV_TOP/userspace/bench/zsv-bench
prefix=zsv-bench-smoke
[[ -x $bench ]] || die "$bench is not built"

slices() { cat "/sys/class/zsv/$1/slice_count"; }

# Only if the bench failed to: remove what it may have left.
cleanup() {
	local node
	for node in /dev/zsv/"$prefix"-*; do
		[[ -e $node ]] && zsvctl slice destroy "${node##*/}" force >/dev/null 2>&1
	done
	return 0
}
trap cleanup EXIT

before0=$(slices zsv0)
out=$("$bench" churn --prefix $prefix --counts 1,4 --iterations 5) ||
	die "churn on zsv0 failed: $out"
echo "$out"
num='[0-9]+\.[0-9]us'
grep -Eq '^existing +on pdev +create median +create p99 +destroy median +destroy p99$' \
	<<<"$out" || die "no table header"
grep -Eq "^ +1 +$((before0 + 2))( +$num){4}\$" <<<"$out" || die "no row for 1 slice"
grep -Eq "^ +4 +$((before0 + 5))( +$num){4}\$" <<<"$out" || die "no row for 4 slices"
grep -q "^peak: $((before0 + 5)) slices on zsv0 at once" <<<"$out" || die "no peak line"
grep -Eq '^  create +[0-9.]+x +(flat|grows)$' <<<"$out" || die "no growth verdict"
[[ $(slices zsv0) == "$before0" ]] || die "slices left on zsv0: $(slices zsv0)"

before1=$(slices zsv1)
out=$("$bench" -j churn -d zsv1 --prefix $prefix -c 2,0 -n 3) ||
	die "churn -j on zsv1 failed: $out"
echo "$out"
[[ $(json "(j['bench'], j['params']['dev'], j['params']['counts'])" <<<"$out") == \
	"('churn', 'zsv1', [0, 2])" ]] || die "params"
[[ $(json "[(r['existing'], r['pdev_slices'], r['create_ns']['count'],
	r['destroy_ns']['count']) for r in j['results']]" <<<"$out") == \
	"[(0, $((before1 + 1)), 3, 3), (2, $((before1 + 3)), 3, 3)]" ]] || die "results"
[[ $(json "all(0 < r[k]['median'] <= r[k]['p99'] <= r[k]['max']
	for r in j['results'] for k in ('create_ns', 'destroy_ns'))" <<<"$out") == True ]] ||
	die "latencies"
[[ $(json "(j['summary']['peak_slices'], j['summary']['slices_after'])" <<<"$out") == \
	"($((before1 + 3)), $before1)" ]] || die "summary"
[[ $(json "j['summary']['growth']['create'] in ('flat', 'grows')" <<<"$out") == True ]] ||
	die "growth verdict"
[[ $(slices zsv1) == "$before1" ]] || die "slices left on zsv1: $(slices zsv1)"
