#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Slices pin their backend: rmmod zsv_sim is refused while one exists (as
# Documentation/admin-guide.rst says) and changes nothing; once the slices
# are gone, both modules unload cleanly, even after a forced deletion under
# a live mapping of the status page (the runner fails on any splat, such
# as "Busy inodes after unmount" from a leaked inode).
. "$(dirname "$0")/../lib.sh"
ZSV_TMP=$(mktemp -d)
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
# Keep a process with the status page mapped across the forced deletion.
$PY -c '
import mmap, os, time
m = mmap.mmap(3, mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ)
print(int.from_bytes(m[:4], "little"), flush=True)
for _ in range(600):
    if not os.path.exists("/dev/zsv/pinned"):
        break
    time.sleep(0.1)
print(int.from_bytes(m[:4], "little"), flush=True)
' >"$ZSV_TMP/seq" &
mapper=$!
while [[ ! -s $ZSV_TMP/seq ]]; do sleep 0.1; done
if rmmod zsv_sim 2>/dev/null; then
	die "rmmod zsv_sim succeeded with a slice present"
fi
[[ -c /dev/zsv/pinned && -e /sys/class/zsv/zsv1 ]] || die "the slice or its device went away"
ynl --do slice-get --json '{"name": "pinned"}' | grep -q "'contexts': 1" || die "slice state changed"
ynl --do slice-del --json '{"name": "pinned", "force": true}' >/dev/null || die "slice-del failed"
wait $mapper || die "the process with the mapping died"
[[ $(sed -n 1p "$ZSV_TMP/seq") -ge 2 && $(sed -n 2p "$ZSV_TMP/seq") == 0 ]] ||
	die "status page seq before/after: $(tr '\n' ' ' <"$ZSV_TMP/seq")"
exec 3<&-
zsv_unload || die "modules did not unload after the slice was destroyed"
[[ ! -e /dev/zsv/pinned && ! -e /sys/class/zsv_slice ]] || die "leftovers after unload"
