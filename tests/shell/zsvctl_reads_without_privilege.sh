#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Listing devices needs no privilege: nobody, with no capabilities, can.
. "$(dirname "$0")/../lib.sh"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "$(command -v zsvctl)" -j dev) || die "zsvctl as nobody failed"
[[ $(json 'len(j)' <<<"$out") == 2 ]] || die "nobody sees: $out"
