#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A process that has written to a mapped buffer object lives through a
# forced deletion of its slice: the memory goes back to the pdev at once,
# the mapping reads zeroes and takes writes without killing the process,
# later calls fail ENODEV; once the process is gone, both modules unload
# cleanly (the runner fails on any splat, such as a bad page state or
# "Busy inodes after unmount").
. "$(dirname "$0")/../lib.sh"
ZSV_TMP=$(mktemp -d)
zsv_unload
zsv_load devices=1 || die "load failed"
ynl() {
	$PY "$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py" \
		--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" \
		--schema "$ZSV_TOP/build/linux-source-6.12/Documentation/netlink/genetlink.yaml" "$@"
}
ynl --do slice-new --json '{"name": "bo-holder", "dev-name": "zsv0", "mem-bytes": 16777216}' \
	>/dev/null || die "slice-new failed"
exec 3<>/dev/zsv/bo-holder || die "cannot open the slice"
$PY -c '
import errno, fcntl, mmap, os, struct, time

def ioc(nr):
    return (3 << 30) | (16 << 16) | (ord("Z") << 8) | nr

size = 8 << 20
arg = bytearray(struct.pack("=QII", size, 0, 0))
fcntl.ioctl(3, ioc(0x41), arg)                  # BO_CREATE
handle = struct.unpack("=QII", arg)[2]
arg = bytearray(struct.pack("=IIQ", handle, 0, 0))
fcntl.ioctl(3, ioc(0x43), arg)                  # BO_MMAP_OFFSET
offset = struct.unpack("=IIQ", arg)[2]
m = mmap.mmap(3, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE,
              offset=offset)
m[:] = b"\xa5" * size
print(m[0], m[size - 1], flush=True)
for _ in range(600):
    if not os.path.exists("/dev/zsv/bo-holder"):
        break
    time.sleep(0.1)
print(m[0], m[size - 1], flush=True)
m[0] = 1
m[size - 1] = 2
try:
    fcntl.ioctl(3, ioc(0x41), bytearray(struct.pack("=QII", 4096, 0, 0)))
    print("created", flush=True)
except OSError as e:
    print(errno.errorcode[e.errno], flush=True)
m.close()
' >"$ZSV_TMP/out" &
mapper=$!
while [[ $(wc -l <"$ZSV_TMP/out") -lt 1 ]]; do
	kill -0 $mapper 2>/dev/null || die "the mapper died early: $(cat "$ZSV_TMP/out")"
	sleep 0.1
done
ynl --do slice-get --json '{"name": "bo-holder"}' | grep -q "'mem-used': 8388608" ||
	die "slice-get does not show the BO"
[[ $(cat /sys/class/zsv/zsv0/mem_used_bytes) == 8388608 ]] || die "pdev mem_used_bytes is wrong"
ynl --do slice-del --json '{"name": "bo-holder", "force": true}' >/dev/null || die "slice-del failed"
[[ $(cat /sys/class/zsv/zsv0/mem_used_bytes) == 0 ]] ||
	die "forced deletion left $(cat /sys/class/zsv/zsv0/mem_used_bytes) bytes in use"
wait $mapper || die "the process with the mapping died: $(cat "$ZSV_TMP/out")"
[[ $(tr '\n' ' ' <"$ZSV_TMP/out") == "165 165 0 0 ENODEV " ]] ||
	die "mapper saw: $(tr '\n' ' ' <"$ZSV_TMP/out")"
exec 3<&-
zsv_unload || die "modules did not unload after the slice was destroyed"
[[ ! -e /dev/zsv/bo-holder && ! -e /sys/class/zsv_slice ]] || die "leftovers after unload"
