#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An open node keeps its slice: destroy fails (exit status 1, the
# kernel's message) and shows the context; destroy ... force succeeds.
. "$(dirname "$0")/../lib.sh"
trap 'exec 3>&-; zsvctl slice destroy busy force 2>/dev/null' EXIT
zsvctl slice create zsv0 name busy mem 1G >/dev/null || die "create"
exec 3<>/dev/zsv/busy || die "cannot open the node"
[[ $(zsvctl -j slice show busy | json "j['contexts']") == 1 ]] || die "contexts"
err=$(zsvctl slice destroy busy 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "exit status $status, want 1"
[[ $err == "zsvctl: cannot destroy slice 'busy': "?* ]] || die "message: $err"
zsvctl slice show busy >/dev/null || die "the slice is gone"
zsvctl slice destroy busy force || die "destroy force failed"
zsvctl slice show busy >/dev/null 2>&1 && die "the slice survived force"
exit 0
