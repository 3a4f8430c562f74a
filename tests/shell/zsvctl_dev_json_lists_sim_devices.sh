#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl -j dev` lists both default sim devices with their sizes.
. "$(dirname "$0")/../lib.sh"
out=$(zsvctl -j dev) || die "zsvctl -j dev failed"
# One python start for every check: a start costs seconds on the debug kernel.
want='[("zsv0", 17179869184, 4, "sim", "weighted", 0), ("zsv1", 17179869184, 4, "sim", "weighted", 0)]'
got=$(json "[(d['name'], d['mem_total'], d['engines'], d['backend'], d['policy'],
	d['slice_count']) for d in j] == $want" <<<"$out")
[[ $got == True ]] || die "expected two 16G sim devices with 4 engines, weighted, no slices: $out"
