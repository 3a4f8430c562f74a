#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# devices=3 mem=1G engines=2 gives three 1 GiB devices with 2 engines;
# mem=80G works in a small VM because memory is never allocated up front.
. "$(dirname "$0")/../lib.sh"
zsv_unload
zsv_load devices=3 mem=1G engines=2 || die "load failed"
out=$(zsvctl -j dev)
zsv_unload || die "unload failed"
[[ $(json "[(d['name'], d['mem_total'], d['engines']) for d in j]" <<<"$out") == \
	"[('zsv0', 1073741824, 2), ('zsv1', 1073741824, 2), ('zsv2', 1073741824, 2)]" ]] ||
	die "$out"
zsv_load mem=80G devices=0 || die "devices=0 failed"
[[ $(zsvctl -j dev) == "[]" || $(zsvctl -j dev | json 'len(j)') == 0 ]] || die "devices=0 made devices"
rmmod zsv_sim
insmod "$ZSV_KO/zsv_sim.ko" mem=80G || die "mem=80G failed"
out=$(zsvctl -j dev)
zsv_unload
[[ $(json "j[0]['mem_total']" <<<"$out") == 85899345920 ]] || die "$out"
