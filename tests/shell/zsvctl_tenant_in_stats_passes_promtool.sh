#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# With two tenants, one limited and holding a slice under load, one with
# no limits, "zsvctl stats" passes "promtool check metrics" and says what
# "tenant show -j" says: limits (none for no limit), weight, memory,
# slices and compute in base units, busy seconds, quota hits, the _info
# series.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "promtool runs on the stock kernels (zsvctl stats under load runs here)"
tmp=$(mktemp -d)
cleanup() {
	[[ -n ${load:-} ]] && kill "$load" 2>/dev/null && wait "$load" 2>/dev/null
	zsvctl slice destroy ts-a force >/dev/null 2>&1
	zsvctl tenant del ts-acme >/dev/null 2>&1
	zsvctl tenant del 'ts-free' >/dev/null 2>&1
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT

engines=$(zsvctl -j dev show zsv0 | json "j['engines']")
zsvctl tenant add ts-acme mem 1G slices 4 compute 150% weight 300 >/dev/null || die "add ts-acme"
zsvctl tenant add ts-free >/dev/null || die "add ts-free"
zsvctl slice create zsv0 name ts-a mem 64M cap 25% tenant ts-acme >/dev/null || die "create ts-a"
# One refusal: a quota hit.
zsvctl slice create zsv0 name ts-b mem 1G tenant ts-acme >/dev/null 2>&1 && die "ts-b was admitted"

"$ZSV_TOP/tests/slice-load" ts-a 4194304 4 10000000000 >"$tmp/load.out" 2>&1 &
load=$!
while [[ $(cat "$tmp/load.out") != ready ]]; do
	kill -0 "$load" 2>/dev/null || die "load died: $(cat "$tmp/load.out")"
	sleep 0.1
done
# Wait for engine time to be charged to the tenant.
for _ in $(seq 200); do
	zsvctl stats >"$tmp/out" || die "stats failed"
	grep -q '^zsv_tenant_busy_seconds{tenant="ts-acme"} 0$' "$tmp/out" || break
	sleep 0.1
done
cat "$tmp/out"
promtool check metrics <"$tmp/out" >"$tmp/lint" 2>&1 || die "promtool check metrics: $(cat "$tmp/lint")"
[[ ! -s $tmp/lint ]] || die "promtool says: $(cat "$tmp/lint")"

# Every tenant family has HELP and TYPE.
for fam in zsv_tenant_info zsv_tenant_memory_limit_bytes zsv_tenant_slices_limit \
	zsv_tenant_compute_limit_engines zsv_tenant_weight zsv_tenant_memory_bytes zsv_tenant_slices \
	zsv_tenant_compute_engines zsv_tenant_memory_used_bytes zsv_tenant_busy_seconds \
	zsv_tenant_quota_hits_total; do
	grep -q "^# HELP $fam " "$tmp/out" || die "no HELP for $fam"
	grep -q "^# TYPE $fam \(gauge\|counter\)$" "$tmp/out" || die "no TYPE for $fam"
done

id=$(zsvctl -j tenant show ts-acme | json "j['id']")
want_compute=$(json "$engines * 25 / 100" <<<'0')
sample() { grep -E "^$1\{tenant=\"$2\"\} " "$tmp/out" | cut -d' ' -f2; }
[[ $(grep -c "^zsv_tenant_info{tenant=\"ts-acme\",id=\"$id\"} 1$" "$tmp/out") == 1 ]] || die "info"
[[ $(sample zsv_tenant_memory_limit_bytes ts-acme) == 1073741824 ]] || die "mem limit"
[[ $(sample zsv_tenant_slices_limit ts-acme) == 4 ]] || die "slices limit"
[[ $(sample zsv_tenant_compute_limit_engines ts-acme) == 1.5 ]] || die "compute limit"
[[ $(sample zsv_tenant_weight ts-acme) == 300 ]] || die "weight"
[[ $(sample zsv_tenant_memory_bytes ts-acme) == 67108864 ]] || die "mem"
[[ $(sample zsv_tenant_slices ts-acme) == 1 ]] || die "slices"
$PY -S -c "import sys; sys.exit(float('$(sample zsv_tenant_compute_engines ts-acme)') != $want_compute)" ||
	die "compute: $(sample zsv_tenant_compute_engines ts-acme), not $want_compute"
[[ $(sample zsv_tenant_memory_used_bytes ts-acme) == 4194304 ]] || die "mem used"
[[ $(sample zsv_tenant_quota_hits_total ts-acme) == 1 ]] || die "quota hits"
$PY -S -c "import sys; sys.exit(not float('$(sample zsv_tenant_busy_seconds ts-acme)') > 0)" ||
	die "busy: $(sample zsv_tenant_busy_seconds ts-acme)"
# No limit, no sample; usage still has one.
[[ -z $(sample zsv_tenant_memory_limit_bytes ts-free) ]] || die "ts-free has a mem limit sample"
[[ -z $(sample zsv_tenant_slices_limit ts-free) ]] || die "ts-free has a slices limit sample"
[[ -z $(sample zsv_tenant_compute_limit_engines ts-free) ]] || die "ts-free has a compute limit sample"
[[ $(sample zsv_tenant_slices ts-free) == 0 ]] || die "ts-free slices"
[[ $(sample zsv_tenant_weight ts-free) == 100 ]] || die "ts-free weight"
echo ok
