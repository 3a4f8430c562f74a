#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `zsv-bench compare` on reports written here (no kernel needed): the
# figures of overhead (rows of one slice count averaged, named after the
# timeslice), latency and share of two base and two new reports, each
# side's values in order and the ratio of their means, in the table and
# in -j; a figure one side lacks; and every refusal: no file of a side, a
# missing file, one that is not JSON, not a report, a report it cannot
# compare, a row lacking a figure, bad --labels. Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/userspace/bench/zsv-bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
status=0
ok() {
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[[ -n ${3:-} ]] && sed 's/^/# /' <<<"$3"
		status=1
	fi
}
echo "1..14"
[[ -x $bench ]] || { echo "Bail out! $bench is not built"; exit 1; }

# overhead: 1 slice first and last, 8 between; USEFUL1A USEFUL1B USEFUL8
overhead() {
	cat <<EOF
{ "bench": "overhead", "params": { "timeslice_ns": $1 },
  "results": [
    { "slices": 1, "useful_pct": $2, "jobs_per_s": 1000 },
    { "slices": 8, "useful_pct": $4, "jobs_per_s": 900.5 },
    { "slices": 1, "useful_pct": $3, "jobs_per_s": 1000 } ],
  "summary": {} }
EOF
}
latency() {
	cat <<EOF
{ "bench": "latency", "params": {},
  "results": [
    { "op": "info", "ns": { "median": $1 }, "median_vs_info": 1.0 },
    { "op": "compute-1ns", "ns": { "median": $2 }, "median_vs_info": $3 } ],
  "summary": {} }
EOF
}
share() {
	cat <<EOF
{ "bench": "share", "params": {},
  "results": [
    { "case": "w2", "max_err_pp": 0.5, "cap_over_pp": null,
      "kernel_cap_over_pp": null },
    { "case": "cap", "max_err_pp": 0.25, "cap_over_pp": $1,
      "kernel_cap_over_pp": $2 } ],
  "summary": {} }
EOF
}
overhead 2000000 86 88 80 >"$tmp/b-ovh-1"
overhead 2000000 84 86 82 >"$tmp/b-ovh-2"
overhead 500000 70 70 60 >"$tmp/b-ovh-500"
overhead 2000000 96 96 94 >"$tmp/n-ovh-1"
overhead 2000000 95 95 93 >"$tmp/n-ovh-2"
latency 20000 1000000 50 >"$tmp/b-lat"
latency 20000 200000 10 >"$tmp/n-lat"
share 2 1.5 >"$tmp/b-share"
share 1 0.5 >"$tmp/n-share"

out=$("$bench" compare --labels old,HEAD -b "$tmp/b-ovh-1" -b "$tmp/b-ovh-500" \
	-b "$tmp/b-ovh-2" -b "$tmp/b-lat" -b "$tmp/b-share" \
	-n "$tmp/n-ovh-1" -n "$tmp/n-lat" -n "$tmp/n-share" -n "$tmp/n-ovh-2" 2>&1)
ok $? "compare exits 0" "$out"
grep -q '^zsv-bench compare: old (5 reports) vs HEAD (4 reports)$' <<<"$out"
ok $? "the title names the labels and counts the reports" "$out"
# Base rounds 87 (86, 88) and 85; new 96 and 95: (95.5 / 86) = 1.11x.
grep -Eq '^overhead 2 ms: useful, 1 slice +87\.0% 85\.0% +96\.0% 95\.0% +1\.11x$' <<<"$out"
ok $? "overhead: rows of one count averaged, rounds in order, ratio of the means" "$out"
grep -Eq '^overhead 2 ms: useful, 8 slices +80\.0% 82\.0% +94\.0% 93\.0% +1\.15x$' <<<"$out"
ok $? "overhead: 8 slices named in the plural" "$out"
grep -Eq '^overhead 500 us: useful, 1 slice +70\.0% +- +-$' <<<"$out"
ok $? "a figure only one side has shows - and no ratio" "$out"
grep -Eq '^overhead 2 ms: jobs/s, 8 slices +900\.5 900\.5 +900\.5 900\.5 +1\.00x$' <<<"$out"
ok $? "overhead: jobs/s" "$out"
grep -Eq '^latency: compute-1ns median vs info +50\.00x +10\.00x +0\.20x$' <<<"$out" &&
	grep -Eq '^latency: compute-1ns median +1000\.0us +200\.0us +0\.20x$' <<<"$out" &&
	! grep -q 'info median vs info' <<<"$out"
ok $? "latency: medians and their ratio to INFO's" "$out"
grep -Eq '^share cap: over the cap in a period \(pp\) +2\.00 +1\.00 +0\.50x$' <<<"$out" &&
	grep -Eq "^share cap: over, kernel's periods \(pp\) +1\.50 +0\.50 +0\.33x$" <<<"$out" &&
	! grep -q 'share w2: over' <<<"$out"
ok $? "share: the cap's overshoot, the bench's and the kernel's, none for an uncapped case" "$out"

out=$("$bench" -j compare -b "$tmp/b-lat" -n "$tmp/n-lat" 2>&1)
python3 - "$out" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
r = {row['figure']: row for row in j['results']}
row = r['latency: compute-1ns median']
assert j['bench'] == 'compare' and j['params']['base'] == 'base', j['params']
assert row['base'] == [1000000] and row['new'] == [200000], row
assert abs(row['ratio'] - 0.2) < 1e-9, row
EOF
ok $? "-j: each side's values and the ratio as numbers" "$out"

refused() {
	local want=$1 out rc
	shift
	out=$("$bench" compare "$@" 2>&1)
	rc=$?
	[[ $rc != 0 ]] && grep -qF -- "$want" <<<"$out" && ! grep -q '^zsv-bench compare:' <<<"$out"
}
refused "give at least one file of each side" -b "$tmp/b-lat"
ok $? "no new file: a usage error"
refused "$tmp/none" -b "$tmp/none" -n "$tmp/n-lat" &&
	echo 'not json' >"$tmp/bad" && refused "$tmp/bad" -b "$tmp/bad" -n "$tmp/n-lat"
ok $? "a missing file and one that is not JSON are named"
echo '{"bench": "churn", "results": []}' >"$tmp/churn" &&
	refused "only overhead, latency and share reports compare" -b "$tmp/churn" -n "$tmp/n-lat" &&
	echo '{"x": 1}' >"$tmp/notrep" &&
	refused "not a zsv-bench -j report" -b "$tmp/notrep" -n "$tmp/n-lat"
ok $? "a report it cannot compare, and JSON that is no report, are refused"
echo '{"bench": "latency", "results": [{"op": "info"}]}' >"$tmp/short" &&
	refused "a row lacks a figure" -b "$tmp/short" -n "$tmp/n-lat"
ok $? "a row without its figures is refused"
refused "--labels: 'a' is not two names" --labels a -b "$tmp/b-lat" -n "$tmp/n-lat" &&
	refused "is not two names" --labels a,b,c -b "$tmp/b-lat" -n "$tmp/n-lat" &&
	refused "is not two names" --labels ,b -b "$tmp/b-lat" -n "$tmp/n-lat"
ok $? "bad --labels are refused"
exit $status
