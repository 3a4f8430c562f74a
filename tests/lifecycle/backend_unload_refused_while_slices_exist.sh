#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Slices pin their backend: rmmod zsv_sim is refused while one exists (as
# Documentation/admin-guide.rst says) and changes nothing; once the slices
# are gone, both modules unload cleanly.
. "$(dirname "$0")/../lib.sh"
zsv_unload
zsv_load devices=2 || die "load failed"
ynl() {
	$PY "$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py" \
		--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" \
		--schema "$ZSV_TOP/build/linux-source-6.12/Documentation/netlink/genetlink.yaml" "$@"
}
ynl --do slice-new --json '{"name": "pinned", "dev-name": "zsv1", "mem-bytes": 1048576}' >/dev/null ||
	die "slice-new failed"
exec 3</dev/zsv/pinned || die "cannot open the slice"
if rmmod zsv_sim 2>/dev/null; then
	die "rmmod zsv_sim succeeded with a slice present"
fi
[[ -c /dev/zsv/pinned && -e /sys/class/zsv/zsv1 ]] || die "the slice or its device went away"
ynl --do slice-get --json '{"name": "pinned"}' | grep -q "'contexts': 1" || die "slice state changed"
ynl --do slice-del --json '{"name": "pinned", "force": true}' >/dev/null || die "slice-del failed"
exec 3<&-
zsv_unload || die "modules did not unload after the slice was destroyed"
[[ ! -e /dev/zsv/pinned && ! -e /sys/class/zsv_slice ]] || die "leftovers after unload"
