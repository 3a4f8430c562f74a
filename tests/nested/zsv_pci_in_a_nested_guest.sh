#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The nested test of zsv_pci: inside the test VM (the "host" here), make an
# mdev of a slice capped at 25 %, boot the same kernel under QEMU (TCG) with
# it as a vfio-pci device and a small initramfs (busybox, zsv.ko,
# zsv_pci.ko, zsv_sim.ko, zsvctl, zsv-guest), and check:
#
#  in the guest  one pdev of backend pci whose memory is the slice's
#                partition exactly; a BO past it fails EDQUOT, one of all
#                of it does not; FILL/COPY/CHECKSUM jobs on a slice carved
#                there give zlib's CRC; the share of engine time the guest
#                gets over 40 host periods (at most 25 % + 1 pp, and at
#                least 15 % but on a debug host kernel); a reset
#                of the device beneath the driver under load (debugfs
#                zsv_pci/<device>/reset_device) fails the jobs on the ring
#                EIO and the next ones run right
#  on the host   the mdev slice's busy time grew by at least the guest's
#                COMPUTE time
#  removal       under load in the guest, the host removes the mdev: QEMU
#                unplugs the device, the guest's job fails ENODEV, its
#                mapping still reads, zsv_pci unloads, the guest's zsv still
#                runs jobs (on a sim pdev) and no kernel warning was logged;
#                the host's remove returns and its slice is gone
#
# Prints each phase's time. Usage, from the repository root on the host:
#   tests/vm/run --mdev --mem 2G --sim 'mem=1G' -- \
#       tests/nested/zsv_pci_in_a_nested_guest.sh
# The guest boots the host's kernel, or ZSV_NESTED_KERNEL (a release with
# /boot/vmlinuz-RELEASE and build/RELEASE/*.ko); on the debug kernel (the
# debug tier's host), the newest stock kernel whose modules are built.
set -u -o pipefail
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 77; }
[[ -x /bin/busybox ]] || { echo "no /bin/busybox (apt-get install busybox-static)"; exit 77; }
[[ -d /sys/class/mdev_bus/zsv0 ]] || { echo "zsv_mdev is not loaded"; exit 77; }

top=$(cd "$(dirname "$0")/../.." && pwd)
rel=${ZSV_NESTED_KERNEL:-$(uname -r)}
if [[ -z ${ZSV_NESTED_KERNEL:-} && $rel == *-zsv-debug ]]; then
	# (A pipe: the debug kernel's guest has no /dev/fd for "< <(...)".)
	rel=$(printf '%s\n' /boot/vmlinuz-* | sed 's|^/boot/vmlinuz-||' |
		grep -v -- -zsv-debug | sort -V | while read -r k; do
			[[ ! -e $top/build/$k/zsv_pci.ko ]] || echo "$k"
		done | tail -n 1)
	[[ -n $rel ]] || { echo "no stock kernel with zsv_pci built for the guest"; exit 77; }
fi
mods=$top/build/$rel
guest=$top/tests/nested/zsv-guest
zsvctl=$(command -v zsvctl)
for f in "/boot/vmlinuz-$rel" "$mods/zsv.ko" "$mods/zsv_pci.ko" "$mods/zsv_sim.ko" "$guest" "$zsvctl"; do
	[[ -e $f ]] || { echo "missing $f (make modules-all userspace tests)"; exit 77; }
done

t0=$(date +%s)
phase() {
	local now
	now=$(date +%s)
	echo "# phase: $1 ($((now - t0)) s)"
	t0=$now
}
fail=0
check() {	# check DESCRIPTION CONDITION...
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fail=1
	fi
}

# 1. An mdev of the largest type of at most 256 MiB, its slice capped.
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
qemu_pid=
cleanup() {
	[[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null
	[[ -e /sys/bus/mdev/devices/$uuid ]] && echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	rm -rf "$work"
}
trap cleanup EXIT
mem=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"mem_bytes":([0-9]+).*/\1/p')
[[ -n $mem ]] || { echo "no slice named $uuid"; exit 1; }
zsvctl slice set "$uuid" cap 25 || { echo "cannot cap $uuid"; exit 1; }
echo "# mdev $uuid of $(basename "$type"), partition $mem bytes, cap 25 %"
phase "mdev created"
# The same slice from the host's /dev/zsv, for the guest's data rate to
# be compared with.
r=$("$guest" data "$uuid" 4)
echo "# host: $r (the mdev's slice from the host's /dev/zsv)"

# 2. The initramfs. The guest prints "guest: ok ..." and "guest: FAIL ..."
# lines, and "guest: load running" when the host is to remove the device.
root=$work/root
mkdir -p "$root"/{bin,sbin,lib,lib64,proc,sys,dev,tmp,zsv}
cp /bin/busybox "$root/bin/busybox"
for app in sh mount mkdir cat echo sed grep insmod rmmod sleep poweroff \
	dmesg cut ls basename wc; do
	ln -s busybox "$root/bin/$app"
done
cp "$mods/zsv.ko" "$mods/zsv_pci.ko" "$mods/zsv_sim.ko" "$zsvctl" "$guest" "$root/zsv/"
ldd "$zsvctl" | grep -oE '/[^ ]+' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<EOF
#!/bin/sh
export PATH=/bin:/zsv
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
phase() { echo "guest: phase \$1 (uptime \$(cut -d' ' -f1 /proc/uptime) s)"; }
ok() { echo "guest: ok \$*"; }
bad() { echo "guest: FAIL \$*"; }
phase up
insmod /zsv/zsv.ko && insmod /zsv/zsv_pci.ko || bad insmod
dmesg | grep -E 'zsv' | sed 's/^/guest: dmesg: /'
out=\$(zsvctl -j dev)
n=\$(echo "\$out" | grep -o '"backend":"pci"' | wc -l)
total=\$(echo "\$out" | sed -nE 's/.*"mem_total":([0-9]+).*/\1/p')
[ "\$n" = 1 ] && ok one pci pdev || bad "\$n pci pdevs: \$out"
[ "\$total" = $mem ] && ok "memory \$total = the partition" ||
	bad "memory \$total, partition $mem"
zsvctl slice create zsv0 name whole mem $mem >/dev/null || bad slice of the partition
r=\$(zsv-guest bo whole $((mem + 4096)))
[ "\$r" = EDQUOT ] && ok "a BO past the partition: EDQUOT" || bad "a BO past the partition: \$r"
r=\$(zsv-guest bo whole $mem)
[ "\$r" = ok ] && ok a BO of the whole partition || bad "a BO of the whole partition: \$r"
zsvctl slice destroy whole || bad destroy
phase partition
zsvctl slice create zsv0 name s1 mem 64M timeslice 10ms >/dev/null || bad slice s1
r=\$(zsv-guest data s1 4)
case \$r in ok*) ok "data: \$r" ;; *) bad "data: \$r" ;; esac
phase data
r=\$(zsv-guest share s1 4)
echo "guest: \$r"
phase share
pci=\$(basename \$(ls -d /sys/bus/pci/drivers/zsv_pci/0000:*))
zsv-guest load s1 30 >/tmp/load 2>&1 &
sleep 1
echo 1 >/sys/kernel/debug/zsv_pci/\$pci/reset_device || bad reset
wait \$!
st=\$?
sed 's/^/guest: /' /tmp/load
[ \$st = 0 ] && grep -q 'job.*EIO' /tmp/load && ok "a reset under load fails a job EIO" ||
	bad "a reset under load: load exited \$st"
dmesg | grep -q 'reset beneath the driver' && ok the driver saw the reset ||
	bad the driver did not report the reset
r=\$(zsv-guest data s1 2)
case \$r in ok*) ok "data after the reset: \$r" ;; *) bad "data after the reset: \$r" ;; esac
phase reset
zsv-guest load s1 120 >/tmp/load 2>&1 &
sleep 1
echo "guest: load running"
wait \$!
sed 's/^/guest: /' /tmp/load
grep -q ENODEV /tmp/load && ok the job failed ENODEV || bad the job did not fail ENODEV
grep -q 'INFO: ENODEV after' /tmp/load && ok INFO answers ENODEV || bad INFO after removal
grep -q 'mapping reads' /tmp/load && ok the mapping still reads || bad the mapping
phase removal
n=\$(zsvctl -j dev | grep -o '"backend":"pci"' | wc -l)
[ "\$n" = 0 ] && ok the pci pdev is gone || bad "\$n pci pdevs after removal"
zsvctl slice show s1 >/dev/null 2>&1 && bad s1 is still there || ok s1 is gone
rmmod zsv_pci && ok zsv_pci unloads || bad rmmod zsv_pci
insmod /zsv/zsv_sim.ko devices=1 mem=256M || bad insmod zsv_sim
zsvctl slice create name s2 mem 64M >/dev/null || bad slice s2 on the sim pdev
r=\$(zsv-guest data s2 3)
case \$r in ok*) ok "zsv still runs jobs: \$r" ;; *) bad "after removal: \$r" ;; esac
dmesg | grep -E 'WARNING|BUG|Oops|zsv' | sed 's/^/guest: dmesg: /'
dmesg | grep -qE 'WARNING|BUG:|Oops' && dmesg | tail -n 60 | sed 's/^/guest: dmesg: /'
dmesg | grep -qE 'WARNING|BUG:|Oops' && bad a kernel warning || ok no kernel warning
phase after
echo "guest: done"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd.gz"
echo "# initramfs $(stat -c %s "$work/initrd.gz") bytes"
phase "initramfs built"

# 3. The nested boot; the host removes the mdev once the guest's load runs.
busy0=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"busy_ns":([0-9]+).*/\1/p')
log=$work/console
timeout 420 qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nodefaults \
	-nographic -no-reboot -serial stdio \
	-kernel "/boot/vmlinuz-$rel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" \
	</dev/null >"$log" 2>&1 &
qemu_pid=$!
tail -n +1 -f --pid=$qemu_pid "$log" | sed -u 's/\r$//' | grep --line-buffered '^guest:' &
removed=
while kill -0 "$qemu_pid" 2>/dev/null; do
	if [[ -z $removed ]] && grep -q '^guest: load running' "$log"; then
		phase "guest up to its load"
		busy1=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"busy_ns":([0-9]+).*/\1/p')
		start=$(date +%s%N)
		removed=1
		echo 1 >"/sys/bus/mdev/devices/$uuid/remove" && removed=0
		echo "# host: the mdev's remove returned $removed after $((($(date +%s%N) - start) / 1000000)) ms"
	fi
	sleep 1
done
wait "$qemu_pid"
rc=$?
qemu_pid=
wait
tr -d '\r' <"$log" >"$log.txt"
phase "nested guest ran (qemu rc $rc)"

# 4. What the guest said, and the host's side.
grep -q '^guest: done' "$log.txt" || { echo "FAIL: the guest never finished"; tail -n 30 "$log.txt"; fail=1; }
grep -q '^guest: FAIL' "$log.txt" && fail=1
check "the host removed the mdev under load" [ "${removed:-x}" = 0 ]
check "the host's slice is gone" [ ! -e "/sys/bus/mdev/devices/$uuid" ]
zsvctl slice show "$uuid" >/dev/null 2>&1 && { echo "FAIL: slice $uuid is still there"; fail=1; }
share=$(sed -nE 's/^guest: share ([0-9.]+) %.*/\1/p' "$log.txt")
jobs=$(sed -nE 's/^guest: share .*\(([0-9]+) jobs of ([0-9]+) us\).*/\1 \2/p' "$log.txt")
if [[ -n $share && -n $jobs ]]; then
	read -r n us <<<"$jobs"
	compute=$((n * us * 1000))
	echo "# the guest got $share % of its engines (host cap 25 %), $compute ns of COMPUTE"
	check "the host cap holds on the guest: $share % <= 26 %" \
		awk -v s="$share" 'BEGIN { exit !(s <= 26) }'
	# That the cap is what limits it: on a debug kernel the host's side
	# of the device is too slow for the guest to reach it (9 % seen).
	if [[ $(uname -r) != *-zsv-debug ]]; then
		check "and the guest is not starved: $share % >= 15 %" \
			awk -v s="$share" 'BEGIN { exit !(s >= 15) }'
	fi
	echo "# host: the mdev slice's busy time grew by $((busy1 - busy0)) ns"
	check "the host's busy time covers the guest's COMPUTE" [ $((busy1 - busy0)) -ge "$compute" ]
else
	echo "FAIL: no share line from the guest"
	fail=1
fi
exit $fail
