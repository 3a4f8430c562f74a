#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole path an operator sets up: "zsvctl stats --textfile DIR
# --interval" feeds Debian's prometheus-node-exporter (textfile collector
# only) on 127.0.0.1, which serves the zsv series; a Prometheus server
# scrapes it, and "promtool query instant" returns each slice's memory
# used, with the value the kernel reports.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "Prometheus runs on the stock kernels (zsvctl stats under load runs here)"
command -v prometheus-node-exporter >/dev/null || skip "prometheus-node-exporter is not installed"
command -v prometheus >/dev/null || skip "prometheus is not installed"
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	zsvctl slice destroy scrape-a force >/dev/null 2>&1
	zsvctl slice destroy scrape-b force >/dev/null 2>&1
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
ip link set lo up

zsvctl slice create zsv0 name scrape-a mem 64M >/dev/null || die "create a"
zsvctl slice create zsv1 name scrape-b mem 64M mode shared >/dev/null || die "create b"
for s in "scrape-a 4194304" "scrape-b 8388608"; do
	set -- $s
	"$ZSV_TOP/tests/slice-load" "$1" "$2" 0 0 >"$tmp/$1.out" 2>&1 &
	pids+=($!)
done

mkdir "$tmp/tf" "$tmp/data"
zsvctl stats --textfile "$tmp/tf" --interval 500ms 2>"$tmp/stats.err" &
pids+=($!)
prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$tmp/tf" \
	--web.listen-address=127.0.0.1:19100 >"$tmp/node.log" 2>&1 &
pids+=($!)
cat >"$tmp/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:19100']
CONF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
	--web.listen-address=127.0.0.1:19090 >"$tmp/prometheus.log" 2>&1 &
prom=$!
pids+=($prom)

# node_exporter serves the slices' series once the textfile has them:
# both loads' buffers, each made when its load got going.
for _ in $(seq 200); do
	curl -sf http://127.0.0.1:19100/metrics >"$tmp/node" 2>/dev/null &&
		grep -q '^zsv_slice_memory_used_bytes{device="zsv1",slice="scrape-b"} 8.388608e+06$' "$tmp/node" &&
		grep -q '^zsv_slice_memory_used_bytes{device="zsv0",slice="scrape-a"} 4.194304e+06$' "$tmp/node" &&
		break
	sleep 0.1
done
grep '^zsv_' "$tmp/node" | head -n 40
grep -q '^zsv_slice_memory_used_bytes{device="zsv0",slice="scrape-a"} 4.194304e+06$' "$tmp/node" ||
	die "node_exporter does not serve scrape-a: $(grep -E 'zsv_slice_memory_used|textfile' "$tmp/node"; cat "$tmp/node.log" "$tmp/scrape-a.out")"
grep -q '^node_textfile_scrape_error 0$' "$tmp/node" || die "node_exporter cannot read the textfile: $(cat "$tmp/node.log")"
grep -q '^# TYPE zsv_slice_busy_seconds_total counter$' "$tmp/node" || die "node_exporter lost the counter type"

# Prometheus has scraped both once its API returns them (polled with
# curl, which starts faster than promtool); then promtool asks.
query='zsv_slice_memory_used_bytes{job="node"}'
for _ in $(seq 300); do
	kill -0 $prom 2>/dev/null || die "prometheus died: $(tail -n 20 "$tmp/prometheus.log")"
	curl -sfG http://127.0.0.1:19090/api/v1/query --data-urlencode "query=count($query)" 2>/dev/null |
		grep -q '"value":\[[0-9.]*,"2"\]' && break
	sleep 0.1
done
promtool query instant -o json http://127.0.0.1:19090 "$query" >"$tmp/q" ||
	die "promtool query failed: $(tail -n 20 "$tmp/prometheus.log")"
cat "$tmp/q"
got=$(json "sorted((r['metric']['slice'], r['metric']['device'], int(r['value'][1])) for r in j)" <"$tmp/q") ||
	die "no answer from prometheus: $(tail -n 20 "$tmp/prometheus.log")"
want=$(zsvctl -j slice | json "sorted((s['name'], s['dev'], s['mem_used']) for s in j if s['name'].startswith('scrape-'))")
[[ $got == "$want" && $got == "[('scrape-a', 'zsv0', 4194304), ('scrape-b', 'zsv1', 8388608)]" ]] ||
	die "prometheus has $got, the kernel $want"
[[ ! -s $tmp/stats.err ]] || die "stats --interval said: $(cat "$tmp/stats.err")"
exit 0
