#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The nested test of zsv_pci (issue 13, item 4; first part): inside the
# test VM (tests/vm/run --mdev), create an mdev of a slice, build a small
# initramfs (busybox-static, zsv.ko, zsv_pci.ko, zsvctl and job_test with
# the shared libraries ldd finds, and an init script), boot the same
# kernel under QEMU (TCG) with the mdev as a vfio-pci device, and check
# inside: `zsvctl dev` shows one pdev of backend pci whose memory is the
# slice's partition exactly, and job_test's FILL/COPY/CHECKSUM tests pass
# on a slice carved in the guest from that pdev (zsv0; zsv_sim gives the
# zsv1 job_test also wants); a BO past the partition fails EDQUOT. Prints each phase's time.
#
# Usage (from the repository root, on the host):
#   tests/vm/run --mdev --mem 2G --timeout 1500 --sim 'mem=1G' -- \
#       tests/nested/zsv_pci_in_a_nested_guest.sh
# It lives outside tests/mdev, which the check's vm-mdev lane runs whole,
# until it joins `make check` with a target and a VM sized for it.
set -u -o pipefail
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 77; }
[[ -x /bin/busybox ]] || { echo "no /bin/busybox (apt-get install busybox-static)"; exit 77; }
[[ -d /sys/class/mdev_bus/zsv0 ]] || { echo "zsv_mdev is not loaded"; exit 77; }

top=$(cd "$(dirname "$0")/../.." && pwd)
rel=$(uname -r)
mods=$top/build/$rel
job_test=$top/tests/selftests/job_test
zsvctl=$(command -v zsvctl)
for f in "$mods/zsv.ko" "$mods/zsv_pci.ko" "$job_test" "$zsvctl"; do
	[[ -e $f ]] || { echo "missing $f (make modules-all userspace tests)"; exit 77; }
done

t0=$(date +%s)
phase() {
	local now
	now=$(date +%s)
	echo "# phase: $1 ($((now - t0)) s)"
	t0=$now
}

# 1. An mdev of the largest type of at most 256 MiB.
types=/sys/class/zsv/zsv0/mdev_supported_types
type=
for t in "$types"/*; do
	(($(cat "$t/available_instances") > 0)) || continue
	type=$t
	[[ $(cat "$t/name") == *256M* ]] && break
done
[[ -n $type ]] || { echo "no type of zsv0 has room"; exit 1; }
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" >"$type/create" || { echo "cannot create an mdev of $type"; exit 1; }
work=$(mktemp -d)
trap 'echo 1 > /sys/bus/mdev/devices/$uuid/remove 2>/dev/null; rm -rf "$work"' EXIT
mem=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"mem_bytes":([0-9]+).*/\1/p')
[[ -n $mem ]] || { echo "no slice named $uuid"; exit 1; }
echo "# mdev $uuid of $(basename "$type"), partition $mem bytes"
phase "mdev created"

# 2. The initramfs.
root=$work/root
mkdir -p "$root"/{bin,sbin,lib,lib64,proc,sys,dev,tmp,zsv}
cp /bin/busybox "$root/bin/busybox"
for app in sh mount mkdir cat echo sed grep insmod sleep poweroff dmesg; do
	ln -s busybox "$root/bin/$app"
done
cp "$mods/zsv.ko" "$mods/zsv_pci.ko" "$mods/zsv_sim.ko" "$zsvctl" "$job_test" "$root/zsv/"
# bo_create PATH SIZE: make a BO of SIZE bytes on the slice node PATH and
# print the errno's name, or "ok".
cat >"$work/bo_create.c" <<'EOC'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/zsv.h>

int main(int argc, char **argv)
{
	struct zsv_bo_create c = { 0 };
	int fd;

	if (argc != 3)
		return 2;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	c.size = strtoull(argv[2], NULL, 0);
	if (ioctl(fd, ZSV_IOCTL_BO_CREATE, &c))
		puts(errno == EDQUOT ? "EDQUOT" : strerror(errno));
	else
		puts("ok");
	return 0;
}
EOC
cc -static -O2 -Wall -Werror -isystem "$top/uapi" -o "$root/zsv/bo_create" \
	"$work/bo_create.c" || { echo "cannot build bo_create"; exit 1; }
for bin in "$zsvctl" "$job_test"; do
	ldd "$bin" | grep -oE '/[^ ]+' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
cat >"$root/init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
echo "guest: up"
insmod /zsv/zsv.ko && insmod /zsv/zsv_pci.ko || echo "guest: FAIL insmod"
dmesg | grep -E 'zsv|5a53' | sed 's/^/guest: dmesg: /'
out=\$(/zsv/zsvctl -j dev)
echo "guest: zsvctl dev: \$out"
n=\$(echo "\$out" | grep -o '"backend":"pci"' | grep -c pci)
total=\$(echo "\$out" | sed -nE 's/.*"mem_total":([0-9]+).*/\1/p')
[ "\$n" = 1 ] && echo "guest: ok one pci pdev" || echo "guest: FAIL \$n pci pdevs"
[ "\$total" = $mem ] && echo "guest: ok memory \$total = partition" ||
	echo "guest: FAIL memory \$total, partition $mem"
/zsv/zsvctl slice create zsv0 name whole mem $mem >/dev/null ||
	echo "guest: FAIL slice of the whole partition"
r=\$(/zsv/bo_create /dev/zsv/whole $((mem + 4096)))
[ "\$r" = EDQUOT ] && echo "guest: ok a BO past the partition: EDQUOT" ||
	echo "guest: FAIL a BO past the partition: \$r"
r=\$(/zsv/bo_create /dev/zsv/whole $mem)
[ "\$r" = ok ] && echo "guest: ok a BO of the whole partition" ||
	echo "guest: FAIL a BO of the whole partition: \$r"
/zsv/zsvctl slice destroy whole
# job_test wants a zsv1 beside zsv0 (the pci pdev): a sim one.
insmod /zsv/zsv_sim.ko devices=1 mem=1G
/zsv/job_test -f job 2>&1 | sed 's/^/guest: job_test: /'
echo "guest: done"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd.gz"
echo "# initramfs $(stat -c %s "$work/initrd.gz") bytes"
phase "initramfs built"

# 3. The nested boot.
log=$work/console
timeout 900 qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nodefaults \
	-nographic -no-reboot -serial stdio \
	-kernel "/boot/vmlinuz-$rel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
	</dev/null 2>&1 | tr -d '\r' | tee "$log" | grep --line-buffered '^guest:'
rc=$?
phase "nested guest ran (qemu rc $rc)"

fail=0
grep -q '^guest: done' "$log" || { echo "the guest never finished"; tail -n 20 "$log"; fail=1; }
grep -q '^guest: FAIL' "$log" && fail=1
grep -qE '^guest: job_test: # (FAIL|PASSED).*' "$log" && grep -E '^guest: job_test: # (FAILED|PASSED|Totals)' "$log"
grep -qE '^guest: job_test: not ok' "$log" && fail=1
busy=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"busy_ns":([0-9]+).*/\1/p')
echo "# host: the mdev slice's busy_ns is ${busy:-?} after the guest's work"
exit $fail
