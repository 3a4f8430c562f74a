#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# QEMU 7.2 takes an mdev of zsv as a vfio-pci device: started with -S (no
# guest boots, seconds under TCG), its monitor's "info pci" shows zsv's
# IDs and class, a 32-bit BAR0 of ZSV_BAR0_SIZE and a 64-bit prefetchable
# BAR2 as large as the partition rounded up to a power of two. QEMU reads
# the whole config space, sizes the BARs and sets up the IRQs while it
# realizes the device, so a refusal of any of those fails here.
set -u -o pipefail
command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64"; exit 77; }
[[ -d /sys/class/mdev_bus/zsv0 ]] || { echo "zsv_mdev is not loaded"; exit 77; }

types=/sys/class/zsv/zsv0/mdev_supported_types
# The smallest type: the last of the halvings.
type=$(for t in "$types"/*; do echo "$(cat "$t/available_instances") $t"; done |
	awk '$1 > 0 { print $2 }' | tail -n 1)
[[ -n $type ]] || { echo "no type of zsv0 has room"; exit 1; }
uuid=$(cat /proc/sys/kernel/random/uuid)
echo "$uuid" >"$type/create" || { echo "cannot create an mdev of $type"; exit 1; }
trap 'echo 1 > /sys/bus/mdev/devices/$uuid/remove 2>/dev/null' EXIT

mem=$(zsvctl -j slice show "$uuid" | sed -nE 's/.*"mem_bytes":([0-9]+).*/\1/p')
[[ -n $mem ]] || { echo "no slice named $uuid"; exit 1; }
bar2=4096
while ((bar2 < mem)); do bar2=$((bar2 * 2)); done

out=$(printf 'info pci\nquit\n' |
	timeout 120 qemu-system-x86_64 -accel tcg -S -nodefaults -display none \
		-m 64 -monitor stdio \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid" 2>&1 | tr -d '\r')
rc=$?
echo "$out" | grep -vE '^\s*$|\[K' | grep -A6 -E '5a53:' || true
((rc == 0)) || { echo "qemu failed ($rc):"; echo "$out" | tail -n 5; exit 1; }

fail=0
expect() {
	grep -qE "$1" <<<"$out" || { echo "not in info pci: $1 ($2)"; fail=1; }
}
# An unassigned BAR shows base ~0, so its end reads size - 2.
expect 'Class 4608: PCI device 5a53:0001' "class 0x1200, zsv's vendor and device"
expect 'PCI subsystem 5a53:0001' "subsystem IDs"
expect 'pin A' "INTx pin"
expect "BAR0: 32 bit memory at 0x[f]+ \\[0x0*$(printf '%x' $((8192 - 2)))\\]" "BAR0 of 8 KiB"
expect "BAR2: 64 bit prefetchable memory at 0x[f]+ \\[0x0*$(printf '%x' $((bar2 - 2)))\\]" \
	"BAR2 of $bar2 bytes for a $mem-byte partition"
exit $fail
