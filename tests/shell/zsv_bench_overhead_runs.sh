#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsv-bench overhead` saturates a pdev of its own from 1 slice, from a
# few, and from 1 again; its table and JSON carry sane utilisation and
# throughput, and it removes what it made.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "zsv-bench overhead runs on the stock kernels (saturated pdevs run here in job_test)"
bench=$ZSV_TOP/userspace/bench/zsv-bench
prefix=zsv-bench-ovh-smoke
[[ -x $bench ]] || die "$bench is not built"

cleanup() {
	local node
	for node in /dev/zsv/"$prefix"-*; do
		[[ -e $node ]] && zsvctl slice destroy "${node##*/}" force >/dev/null 2>&1
	done
	return 0
}
trap cleanup EXIT

devs=$(zsvctl -j dev | json 'len(j)')
out=$("$bench" overhead --prefix $prefix --counts 3 --duration 500ms --warmup 200ms) ||
	die "overhead failed: $out"
echo "$out"
grep -Eq '^slices +in flight +util +useful +jobs/s +util vs 1 +jobs/s vs 1 +bench cpu +system cpu +setup$' \
	<<<"$out" || die "no table header"
grep -Eq '^ +3 +36 +[0-9.]+% ' <<<"$out" || die "no row for 3 slices"
[[ $(grep -Ec '^ +1 +12 +[0-9.]+% ' <<<"$out") == 2 ]] || die "the baseline did not run twice"

out=$("$bench" -j overhead --prefix $prefix -c 2 -t 500ms -w 200ms --inflight 3 --timeslice 500us) ||
	die "overhead -j failed: $out"
echo "$out"
# Every check at once (one python start); prints the names of those that fail.
bad=$(json "[name for name, ok in [
	('params', (j['bench'], j['params']['engines'], j['params']['inflight_per_slice'],
		j['params']['timeslice_ns']) == ('overhead', 4, 3, 500000)),
	('rows', [(r['slices'], r['inflight'], r['baseline']) for r in j['results']]
		== [(1, 3, True), (2, 6, False), (1, 3, True)]),
	('plausible figures', all(0 < r['util'] <= 1.05 and 0 < r['useful_pct'] <= r['util_pct'] + 5
		and r['jobs'] > 0 and r['jobs_per_s'] > 0 and r['jobs_failed'] == 0
		and 0 <= r['system_cpu_pct'] <= 100 and r['wall_ns'] >= 400000000
		for r in j['results'])),
	('drift', j['summary']['baseline_drift'] > 0),
] if not ok]" <<<"$out")
[[ $bad == '[]' ]] || die "overhead -j: $bad"
# zsv-bench compare (make bench BASE=) reads the report: rows of one count
# averaged and named after the timeslice; the same run on both sides.
cmp=$(bench_compare_self "$out") || die "compare failed: $cmp"
echo "$cmp"
grep -Eq '^overhead 500 us: useful, 1 slice +[0-9.]+% +[0-9.]+% +1\.00x$' <<<"$cmp" &&
	grep -Eq '^overhead 500 us: jobs/s, 2 slices +[0-9.]+ +[0-9.]+ +1\.00x$' <<<"$cmp" ||
	die "compare: overhead rows"

# On a pdev of --dev, --timeslice holds for the run and is put back after.
ts=$(zsvctl -j dev show zsv1 | json "j['timeslice_ns']")
out=$("$bench" -j overhead -d zsv1 --prefix $prefix -c 2 -t 300ms -w 100ms -T 1ms) ||
	die "overhead -d zsv1 -T 1ms failed: $out"
[[ $(json "j['params']['timeslice_ns']" <<<"$out") == 1000000 ]] || die "-T 1ms: $out"
[[ $(zsvctl -j dev show zsv1 | json "j['timeslice_ns']") == "$ts" ]] ||
	die "zsv1's timeslice not put back: $(zsvctl -j dev show zsv1)"
"$bench" overhead -T 0 >/dev/null 2>&1
[[ $? == 2 ]] || die "-T 0 not a usage error"
[[ $(zsvctl -j dev | json 'len(j)') == "$devs" ]] || die "pdevs left behind"
[[ -z $(zsvctl -j slice | json "[s['name'] for s in j if s['name'].startswith('$prefix')] or ''") ]] ||
	die "slices left behind"
