#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The control plane is the host admin's: a process in another network
# namespace cannot reach it, and zsvctl says why instead of "not loaded".
. "$(dirname "$0")/../lib.sh"
err=$(unshare --net zsvctl dev 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "exit status $status, want 1"
grep -q "initial network namespace" <<<"$err" || die "message: $err"
