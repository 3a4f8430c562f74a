#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# rmmod zsv fails while zsv_sim uses it, and changes nothing.
. "$(dirname "$0")/../lib.sh"
if rmmod zsv 2>/dev/null; then
	die "rmmod zsv succeeded with zsv_sim loaded"
fi
lsmod | grep -q '^zsv ' || die "zsv is gone"
[[ -e /sys/class/zsv/zsv0 ]] || die "zsv0 is gone"
zsvctl dev show zsv0 >/dev/null || die "zsv0 no longer answers"
