#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# zsv.service as 'make install' installs it passes 'systemd-analyze verify'
# with nothing at all on its output: a warning is a failure.  It is
# installed under a scratch PREFIX, next to the zsvctl its ExecStart runs
# and the man page its Documentation= names, so that verify checks both.
# Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
echo "1..2"
if ! command -v systemd-analyze >/dev/null; then
	echo "ok 1 # SKIP systemd-analyze is not installed"
	echo "ok 2 # SKIP systemd-analyze is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/usr
install -D -m 0755 "$top/userspace/zsvctl/zsvctl" "$prefix/sbin/zsvctl" &&
	install -D -m 0644 "$top/Documentation/zsvctl.8" "$prefix/share/man/man8/zsvctl.8" &&
	make -s -C "$top" install-systemd PREFIX="$prefix" \
		SYSTEMDUNITDIR="$prefix/lib/systemd/system" >"$tmp/log" 2>&1 ||
	{ echo "not ok 1 - install zsv.service"; sed 's/^/# /' "$tmp/log"; exit 1; }
unit=$prefix/lib/systemd/system/zsv.service
status=0
if grep -qx "ExecStart=$prefix/sbin/zsvctl apply /etc/zsv/zsv.json" "$unit"; then
	echo "ok 1 - make install puts zsvctl's installed path in ExecStart"
else
	echo "not ok 1 - ExecStart: $(grep ^ExecStart= "$unit")"
	status=1
fi
out=$(MANPATH=$prefix/share/man systemd-analyze verify "$unit" 2>&1)
rc=$?
if [[ $rc -eq 0 && -z $out ]]; then
	echo "ok 2 - systemd-analyze verify zsv.service is silent"
else
	echo "not ok 2 - systemd-analyze verify zsv.service (exit $rc)"
	sed 's/^/# /' <<<"$out"
	status=1
fi
exit $status
