#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsv-bench share` runs short cases on a pdev of its own and on zsv1,
# prints its table and sane JSON (promised shares from the weights, the
# delivered ones adding up to at most the pdev), and leaves the pdevs as
# it found them, also when stopped by SIGINT.
. "$(dirname "$0")/../lib.sh"
bench=$ZSV_TOP/userspace/bench/zsv-bench
prefix=zsv-bench-share-smoke
[[ -x $bench ]] || die "$bench is not built"

cleanup() {
	local node
	for node in /dev/zsv/"$prefix"-*; do
		[[ -e $node ]] && zsvctl slice destroy "${node##*/}" force >/dev/null 2>&1
	done
	zsvctl dev set zsv1 policy weighted >/dev/null 2>&1
	return 0
}
trap cleanup EXIT

devs=$(zsvctl -j dev | json 'len(j)')

# A pdev of its own: made, then removed.
out=$("$bench" share --prefix $prefix --cases w2 --duration 500ms --interval 500ms) ||
	die "share failed: $out"
echo "$out"
grep -Eq '^case +policy +busy/all +windows +err max +err mean +busy err +cap over +\+-read +k-over +k-prom +k-dlv +util +settle$' \
	<<<"$out" || die "no table header"
grep -Eq '^w2 +weighted +2/2 +[0-9]+ ' <<<"$out" || die "no w2 row"
grep -Eq '^  w2 +75\.0/[0-9.]+ 25\.0/[0-9.]+$' <<<"$out" || die "no per-slice line"
[[ $(zsvctl -j dev | json 'len(j)') == "$devs" ]] || die "pdevs left behind"

# zsv1 as it is: its policy changes for the fixed case and comes back.
zsvctl dev set zsv1 policy best-effort || die "dev set"
out=$("$bench" -j share -d zsv1 --prefix $prefix -c w2,fixed -t 1s -i 500ms) ||
	die "share -j on zsv1 failed: $out"
echo "$out"
# Every check at once (one python start); prints the names of those that fail.
bad=$(json "[name for name, ok in [
	('params', (j['bench'], j['params']['dev'], j['params']['cases'], j['params']['engines'])
		== ('share', 'zsv1', ['w2', 'fixed'], 4)),
	('cases', [(r['case'], r['policy'], r['slices'], r['busy_slices']) for r in j['results']]
		== [('w2', 'weighted', 2, 2), ('fixed', 'fixed', 4, 2)]),
	('promised shares', [[round(s['promised_pct'], 1) for s in r['slices_detail']] for r in j['results']]
		== [[75.0, 25.0], [25.0, 25.0, 0.0, 0.0]]),
	# Windows happened, and what they measured is physically possible.
	('plausible figures', all(r['windows'] >= 1 and 0 < r['util_pct'] <= 105
		and r['max_err_pp'] >= r['mean_err_pp'] >= 0
		and 0 <= sum(s['delivered_pct'] for s in r['slices_detail']) <= 105
		and all(0 <= s['delivered_pct'] <= 100 and s['jobs_failed'] == 0
			for s in r['slices_detail'])
		for r in j['results'])),
	# Idle slices of the fixed case used nothing.
	('idle slices idle', [s['delivered_pct'] for s in j['results'][1]['slices_detail'][2:]]
		== [0.0, 0.0]),
	# The kernel reports its own view of the shares.
	('kernel shares', j['summary']['kernel_shares']
		and round(j['results'][0]['slices_detail'][0]['kernel_promised_pct'], 1) == 75.0),
] if not ok]" <<<"$out")
[[ $bad == '[]' ]] || die "share -j on zsv1: $bad"
[[ $(zsvctl -j dev show zsv1 | json "(j['policy'], j['slice_count'])") == "('best-effort', 0)" ]] ||
	die "zsv1 not as found: $(zsvctl -j dev show zsv1)"

# Tenants: the two-level cases promise by tenant first, the kernel agrees,
# and the bench's tenants go with its slices.
out=$("$bench" -j share -d zsv1 --prefix $prefix -c t1v8,tcap -t 1s -i 500ms) ||
	die "share -j t1v8,tcap failed: $out"
bad=$(json "[name for name, ok in [
	('promised shares', [[round(s['promised_pct'], 2) for s in r['slices_detail']] for r in j['results']]
		== [[50.0] + [6.25] * 8, [10.0, 40.0, 50.0]]),
	('kernel promised', [[round(s['kernel_promised_pct'], 2) for s in r['slices_detail']] for r in j['results']]
		== [[50.0] + [6.25] * 8, [10.0, 40.0, 50.0]]),
] if not ok]" <<<"$out")
[[ $bad == '[]' ]] || die "share -j t1v8,tcap: $bad: $out"
# zsv-bench compare (make bench BASE=) reads the report: the capped case
# has its overshoot, the other none.
cmp=$(bench_compare_self "$out") || die "compare failed: $cmp"
echo "$cmp"
grep -Eq '^share tcap: over the cap in a period \(pp\) +[0-9.]+ +[0-9.]+ ' <<<"$cmp" &&
	grep -Eq '^share t1v8: worst error \(pp\) +[0-9.]+ +[0-9.]+ ' <<<"$cmp" &&
	! grep -q '^share t1v8: over the cap' <<<"$cmp" || die "compare: share rows"
[[ $(zsvctl -j tenant show | json "[t['name'] for t in j if t['name'].startswith('$prefix')]") == '[]' ]] ||
	die "tenants left behind: $(zsvctl -j tenant show)"

# A case it does not know is a usage error, and changes nothing.
"$bench" share -c nope >/dev/null 2>&1
[[ $? == 2 ]] || die "unknown case not a usage error"
[[ $(zsvctl -j dev | json 'len(j)') == "$devs" ]] || die "pdevs changed"

# Stopped halfway: 128 + SIGINT, and nothing of its own left.
"$bench" share -d zsv1 --prefix $prefix -c w8 -t 10s >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
status=$?
[[ $status == 130 ]] || die "stopped share: exit status $status"
[[ $(zsvctl -j dev show zsv1 | json "(j['policy'], j['slice_count'])") == "('best-effort', 0)" ]] ||
	die "zsv1 after SIGINT: $(zsvctl -j dev show zsv1)"
[[ $(zsvctl -j dev | json 'len(j)') == "$devs" ]] || die "pdevs after SIGINT"
