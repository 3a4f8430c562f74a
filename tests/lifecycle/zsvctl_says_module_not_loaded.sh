#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Without the module, zsvctl says so and how to load it; no bare errno.
. "$(dirname "$0")/../lib.sh"
zsv_unload || die "modules still loaded"
err=$(zsvctl dev 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "exit status $status, want 1"
grep -qi 'not loaded' <<<"$err" || die "does not say the module is not loaded"
grep -q 'modprobe zsv' <<<"$err" || die "does not say how to load it"
