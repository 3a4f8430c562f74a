#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zsv_sim with no parameters: one device zsv0, 16 GiB, 4 engines.
. "$(dirname "$0")/../lib.sh"
zsv_unload
zsv_load || die "load failed"
out=$(zsvctl -j dev) || die "zsvctl failed"
zsv_unload || die "unload failed"
[[ $(json 'len(j)' <<<"$out") == 1 ]] || die "$out"
[[ $(json "(j[0]['name'], j[0]['mem_total'], j[0]['engines'])" <<<"$out") == \
	"('zsv0', 17179869184, 4)" ]] || die "$out"
