#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The table for people names every device once, with human sizes.
. "$(dirname "$0")/../lib.sh"
out=$(zsvctl dev) || die "zsvctl dev failed"
echo "$out"
[[ $(grep -c '^zsv[0-9]' <<<"$out") == 2 ]] || die "expected two device rows"
grep -q '16G' <<<"$out" || die "no human-readable size"
