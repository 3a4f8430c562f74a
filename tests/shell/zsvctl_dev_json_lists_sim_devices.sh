#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl -j dev` lists both default sim devices with their sizes.
. "$(dirname "$0")/../lib.sh"
out=$(zsvctl -j dev) || die "zsvctl -j dev failed"
[[ $(json 'len(j)' <<<"$out") == 2 ]] || die "expected 2 devices: $out"
for i in 0 1; do
	[[ $(json "j[$i]['name']" <<<"$out") == zsv$i ]] || die "device $i: $out"
	[[ $(json "j[$i]['mem_total']" <<<"$out") == 17179869184 ]] || die "mem: $out"
	[[ $(json "j[$i]['engines']" <<<"$out") == 4 ]] || die "engines: $out"
	[[ $(json "j[$i]['backend']" <<<"$out") == sim ]] || die "backend: $out"
	[[ $(json "j[$i]['policy']" <<<"$out") == weighted ]] || die "policy: $out"
	[[ $(json "j[$i]['slice_count']" <<<"$out") == 0 ]] || die "slices: $out"
done
