#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An unknown device is an error with the kernel's message, exit status 1.
. "$(dirname "$0")/../lib.sh"
err=$(zsvctl dev show zsv9 2>&1 >/dev/null)
status=$?
[[ $status == 1 ]] || die "exit status $status, want 1"
grep -q "no device named 'zsv9'" <<<"$err" || die "message: $err"
