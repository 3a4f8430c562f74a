#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The issue's example: create a slice with weight and cap, then read it
# back as JSON with exactly the values asked for and the defaults.
. "$(dirname "$0")/../lib.sh"
trap 'zsvctl slice destroy a force 2>/dev/null' EXIT
zsvctl slice create zsv0 name a mem 4G weight 300 cap 50 >/dev/null &&
	out=$(zsvctl -j slice show a) || die "create or show failed"
echo "$out"
want='{"name": "a", "dev": "zsv0", "mem_bytes": 4294967296, "mem_mode": "reserved", "weight": 300, "cap_pct": 50, "timeslice_ns": 0, "uid": 0, "gid": 0, "node_mode": 384, "node": "/dev/zsv/a", "contexts": 0, "mem_used": 0, "mem_peak": 0, "quota_hits": 0, "busy_ns": 0, "jobs_submitted": 0, "jobs_completed": 0, "jobs_failed": 0, "throttled_ns": 0, "ctx_switches": 0, "share_promised_ppm": 0, "share_delivered_ppm": 0, "mediated": false, "vfio_open": false, "tenant": null, "group": null}'
got=$(json "json.dumps({k: v for k, v in j.items() if k not in ('id', 'dev_id')})" <<<"$out")
[[ $got == "$want" ]] || die "got $got"
[[ $(json "sorted(j)" <<<"$out") == "$(json "sorted(j)" <<<'{"id":0,"name":0,"dev_id":0,"dev":0,"mem_bytes":0,"mem_mode":0,"weight":0,"cap_pct":0,"timeslice_ns":0,"uid":0,"gid":0,"node_mode":0,"node":0,"contexts":0,"mem_used":0,"mem_peak":0,"quota_hits":0,"busy_ns":0,"jobs_submitted":0,"jobs_completed":0,"jobs_failed":0,"throttled_ns":0,"ctx_switches":0,"share_promised_ppm":0,"share_delivered_ppm":0,"mediated":0,"vfio_open":0,"tenant":0,"group":0}')" ]] ||
	die "keys: $out"
[[ $(json "j['dev_id']" <<<"$out") == $(cat /sys/class/zsv/zsv0/id) ]] || die "dev_id"
[[ -c /dev/zsv/a ]] || die "no node /dev/zsv/a"
