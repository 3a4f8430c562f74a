#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# With two slices under load, one held back by its cap, "zsvctl stats"
# passes "promtool check metrics" and says what the kernel says: memory
# used and limit in bytes, busy and throttled seconds, jobs, the weight,
# the cap and the promised shares as 0-1 ratios, the _info series; nobody
# may read it.  "stats --textfile DIR --interval" keeps DIR/zsv.prom
# current and ends with status 0 on SIGTERM, leaving nothing else in DIR.
# Bad words and a missing DIR are refused and write nothing.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
loads=()
cleanup() {
	local p
	[[ -n ${loop:-} ]] && kill "$loop" 2>/dev/null
	for p in "${loads[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for s in stats-a stats-b stats-c; do
		zsvctl slice destroy $s force >/dev/null 2>&1
	done
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT

# load NAME BYTES: a BO of BYTES and 16 jobs of 10 s each (more than the
# test lasts), held until killed.
load() {
	"$ZSV_TOP/tests/slice-load" "$1" "$2" 16 10000000000 >"$tmp/$1.out" 2>&1 &
	loads+=($!)
	while [[ $(cat "$tmp/$1.out") != ready ]]; do
		kill -0 "${loads[-1]}" 2>/dev/null || die "load of $1 died: $(cat "$tmp/$1.out")"
		sleep 0.1
	done
}

zsvctl slice create zsv0 name stats-a mem 64M weight 300 >/dev/null || die "create a"
zsvctl slice create zsv0 name stats-b mem 32M cap 10% >/dev/null || die "create b"
load stats-a 4194304
load stats-b 12582912

# prom FILE EXPR: Python over the samples of FILE, as s[(name, labels)].
prom() {
	$PY - "$1" "$2" <<'PYEOF'
import re, sys
s = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    m = re.fullmatch(r'([a-z_]+)(?:\{(.*)\})? (\S+)\n', line)
    labels = tuple(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
    s[(m.group(1), labels)] = float(m.group(3))
def v(name, **labels):
    for (n, l), val in s.items():
        if n == name and dict(l) == labels:
            return val
    return None
print(eval(sys.argv[2]))
PYEOF
}

# Shares are the last period's: wait for one with both slices busy, and
# for the capped slice to have waited on its cap (grep: a Python start
# per poll is slow under TCG).
busy() {
	grep -qx 'zsv_slice_share_promised_ratio{slice="stats-a",device="zsv0"} 0.9' "$tmp/out" &&
		grep -qx 'zsv_slice_share_promised_ratio{slice="stats-b",device="zsv0"} 0.1' "$tmp/out" &&
		! grep -qx 'zsv_slice_throttled_seconds_total{slice="stats-b",device="zsv0"} 0' "$tmp/out"
}
for _ in $(seq 200); do
	zsvctl stats >"$tmp/out" || die "stats failed"
	busy && break
	sleep 0.1
done
cat "$tmp/out"
promtool check metrics <"$tmp/out" >"$tmp/lint" 2>&1 || die "promtool check metrics: $(cat "$tmp/lint")"
[[ ! -s $tmp/lint ]] || die "promtool says: $(cat "$tmp/lint")"

a="slice='stats-a', device='zsv0'"
b="slice='stats-b', device='zsv0'"
id_b=$(zsvctl slice show stats-b | awk '$1 == "id:" { print $2 }')
bad=$(prom "$tmp/out" "[name for name, ok in [
	('mem used', (v('zsv_slice_memory_used_bytes', $a), v('zsv_slice_memory_used_bytes', $b)) == (4194304, 12582912)),
	('mem limit', (v('zsv_slice_memory_limit_bytes', $a), v('zsv_slice_memory_limit_bytes', $b)) == (67108864, 33554432)),
	('dev mem used', v('zsv_device_memory_used_bytes', device='zsv0') == 16777216),
	('dev slices', v('zsv_device_slices', device='zsv0') == 2),
	('dev info', v('zsv_device_info', device='zsv1', id='1', backend='sim', policy='weighted') == 1),
	('slice info', v('zsv_slice_info', $b, id='$id_b', mem_mode='reserved', mediated='false') == 1),
	('weight, cap', (v('zsv_slice_weight', $a), v('zsv_slice_cap_ratio', $a), v('zsv_slice_cap_ratio', $b)) == (300, 1, 0.1)),
	('promised', (v('zsv_slice_share_promised_ratio', $a), v('zsv_slice_share_promised_ratio', $b)) == (0.9, 0.1)),
	('delivered', all(0 <= v('zsv_slice_share_delivered_ratio', **l) <= 1 for l in (dict($a), dict($b)))),
	('busy', v('zsv_slice_busy_seconds_total', $a) > 0 and v('zsv_slice_busy_seconds_total', $b) > 0
		and v('zsv_device_busy_seconds_total', device='zsv0') >= v('zsv_slice_busy_seconds_total', $a)),
	('throttled', v('zsv_slice_throttled_seconds_total', $b) > 0),
	('jobs', (v('zsv_slice_jobs_submitted_total', $a), v('zsv_slice_jobs_failed_total', $a)) == (16, 0)),
	('contexts', v('zsv_slice_contexts', $b) == 1),
] if not ok]")
[[ $bad == '[]' ]] || die "stats disagrees with the kernel: $bad"

# What nobody reads is the same metrics.
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$(command -v zsvctl)" stats >"$tmp/nobody" || die "stats as nobody failed"
grep -q '^zsv_slice_memory_used_bytes{slice="stats-b",device="zsv0"} 12582912$' "$tmp/nobody" ||
	die "nobody sees: $(cat "$tmp/nobody")"

# Refused: bad words, -j, a DIR that is not one; nothing is written.
zsvctl stats --interval 1s >/dev/null 2>&1
[[ $? == 2 ]] || die "--interval without --textfile is not a usage error"
zsvctl -j stats >/dev/null 2>&1
[[ $? == 2 ]] || die "-j stats is not a usage error"
err=$(zsvctl stats --textfile "$tmp/none" 2>&1)
[[ $? == 1 && $err == "zsvctl: cannot write metrics to '$tmp/none': No such file or directory" ]] ||
	die "missing DIR: $err"
[[ ! -e $tmp/none ]] || die "missing DIR was made"

# The textfile, rewritten every 200ms: a new slice shows up in it.
mkdir "$tmp/tf"
zsvctl stats --textfile "$tmp/tf" --interval 200ms 2>"$tmp/loop.err" &
loop=$!
for _ in $(seq 100); do
	[[ -e $tmp/tf/zsv.prom ]] && break
	sleep 0.1
done
[[ $(stat -c %a "$tmp/tf/zsv.prom") == 644 ]] || die "zsv.prom is not 0644"
zsvctl slice create zsv1 name stats-c mem 16M >/dev/null || die "create c"
for _ in $(seq 100); do
	grep -q '^zsv_slice_memory_limit_bytes{slice="stats-c",device="zsv1"} 16777216$' "$tmp/tf/zsv.prom" && break
	sleep 0.1
done
grep -q 'slice="stats-c"' "$tmp/tf/zsv.prom" || die "stats-c never reached zsv.prom"
promtool check metrics <"$tmp/tf/zsv.prom" || die "promtool check metrics on zsv.prom"
kill -TERM $loop
wait $loop
status=$?
loop=
[[ $status == 0 ]] || die "stats --interval ended with $status on SIGTERM: $(cat "$tmp/loop.err")"
[[ ! -s $tmp/loop.err ]] || die "stats --interval said: $(cat "$tmp/loop.err")"
[[ $(ls -A "$tmp/tf") == zsv.prom ]] || die "left in DIR: $(ls -A "$tmp/tf")"
exit 0
