#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsv-bench place` places a probe slice among 2 and then 4 pdevs (adding
# sim pdevs), prints its table and the same run as JSON, puts the probe
# where the policy says, and leaves no pdev or slice behind.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "zsv-bench place runs on the stock kernels (placement runs here in place_test)"
bench=$ZSV_TOP/userspace/bench/zsv-bench
prefix=zsv-bench-place
[[ -x $bench ]] || die "$bench is not built"

pdevs() { ls /sys/class/zsv | wc -l; }
before=$(pdevs)
(( before >= 1 )) || die "no pdev"
first=$(ls /sys/class/zsv | sort -V | head -n1)

out=$("$bench" place --prefix $prefix --counts "$before,$((before + 2))" \
	--iterations 5) || die "place failed: $out"
echo "$out"
num='[0-9]+\.[0-9]us'
grep -Eq '^pdevs +placed on +place median +place p99 +named median +named p99$' \
	<<<"$out" || die "no table header"
grep -Eq "^ +$before +zsv[0-9]+( +$num){4}\$" <<<"$out" || die "no row for $before pdevs"
grep -Eq "^ +$((before + 2)) +zsv[0-9]+( +$num){4}\$" <<<"$out" ||
	die "no row for $((before + 2)) pdevs"
grep -Eq '^  place median +[0-9.]+x +(flat|grows)$' <<<"$out" || die "no growth verdict"
grep -q "named median .* (slice-new on $first)" <<<"$out" || die "baseline is not on $first"
[[ $(pdevs) == "$before" ]] || die "pdevs left behind: $(pdevs), had $before"
[[ ! -e /dev/zsv/$prefix-probe ]] || die "probe left behind"

# binpack: every added pdev is empty and 64M, smaller than the sim pdevs of
# the VM, so the fullest that fits is one of ours, not the first pdev;
# spread picks the roomiest, which is not one of ours.
out=$("$bench" -j place --prefix $prefix --counts "$((before + 1))" -n 3 \
	--placement binpack --dev-mem 64M) || die "place -j failed: $out"
echo "$out"
[[ $(json "(j['bench'], j['params']['placement'], j['params']['counts'])" <<<"$out") == \
	"('place', 'binpack', [$((before + 1))])" ]] || die "params"
[[ $(json "[(r['pdevs'], r['create_ns']['count'], r['named_ns']['count'])
	for r in j['results']]" <<<"$out") == "[($((before + 1)), 3, 3)]" ]] || die "results"
ours=$(json "j['results'][0]['first_dev']" <<<"$out")
[[ ! -e /sys/class/zsv/$ours ]] || die "binpack placed on $ours, which is not one we added"
[[ $(json "j['summary']['pdevs_after']" <<<"$out") == "$before" ]] || die "summary"
[[ $(pdevs) == "$before" ]] || die "pdevs left behind after -j: $(pdevs)"

# Usage errors name the option.
out=$("$bench" place --counts 2000 2>&1) && die "--counts 2000 was accepted"
grep -q -- "--counts" <<<"$out" || die "no usage error: $out"
out=$("$bench" place --placement tight 2>&1) && die "--placement tight was accepted"
grep -q "is not spread or binpack" <<<"$out" || die "no usage error: $out"
exit 0
