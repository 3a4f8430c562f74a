#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mdevctl drives zsv_mdev end to end (with --sim 'devices=2 mem=2G'):
# `mdevctl types` lists zsv0's and zsv1's types with as many available
# instances as the memory admits, fewer once one is created; a device
# defined with a cap attribute and started is a slice of the type's size,
# mediated, with that cap; the mdev's weight, cap and timeslice files
# change the slice live and bad values are refused; a cap out of range
# makes the start fail and leaves nothing behind; stop removes the slice;
# undefine forgets it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
command -v mdevctl >/dev/null || skip "no mdevctl"
[[ -d /sys/class/mdev_bus/zsv1 ]] || skip "zsv_mdev is not loaded, or fewer than 2 pdevs"
jfield "$(zsvctl -j dev show zsv0)" mem_total
[[ $REPLY == $((2 << 30)) ]] || skip "wants 2G pdevs (--sim 'devices=2 mem=2G')"

new_uuid; uuid=$REPLY
new_uuid; bad=$REPLY
mdevctl_dirs
cleanup() {
	for u in "$uuid" "$bad"; do
		mdevctl stop -u "$u" >/dev/null 2>&1
		mdevctl undefine -u "$u" >/dev/null 2>&1
	done
	mdevctl_dirs_cleanup
}
trap cleanup EXIT

full=$'zsv-1G 2 vfio-pci\nzsv-256M 8 vfio-pci\nzsv-2G 1 vfio-pci\nzsv-512M 4 vfio-pci'
for p in zsv0 zsv1; do
	types_of "$p"
	[[ $REPLY == "$full" ]] || die "types of $p: got"$'\n'"$REPLY"$'\n'"want"$'\n'"$full"
done

mdevctl define -u "$uuid" -p zsv0 -t zsv-512M || die "define"
mdevctl modify -u "$uuid" --addattr=cap --value=30 || die "modify --addattr cap"
[[ ! -e /sys/bus/mdev/devices/$uuid ]] || die "defining started it"
mdevctl start -u "$uuid" || die "start"
dir=/sys/bus/mdev/devices/$uuid
[[ -e $dir ]] || die "started, but no mdev in sysfs"

out=$(zsvctl -j slice show "$uuid") || die "no slice named $uuid"
echo "$out"
jfield "$out" dev mem_bytes mem_mode cap_pct weight mediated vfio_open
[[ $REPLY == "zsv0 536870912 reserved 30 100 true false" ]] ||
	die "slice of the started mdev (dev mem mode cap weight mediated vfio_open): $REPLY"
read -r v <"$dir/cap"
[[ $v == 30 ]] || die "cap file: $v"

# One 512M reserved: every type of zsv0 has less room, zsv1's as before.
types_of zsv0
want=$'zsv-1G 1 vfio-pci\nzsv-256M 6 vfio-pci\nzsv-2G 0 vfio-pci\nzsv-512M 3 vfio-pci'
[[ $REPLY == "$want" ]] || die "types of zsv0 after a creation:"$'\n'"$REPLY"
types_of zsv1
[[ $REPLY == "$full" ]] || die "types of zsv1 changed:"$'\n'"$REPLY"

# Live settings through the mdev's own files, and slice-set in them.
echo 250 >"$dir/weight" || die "writing weight 250"
echo 200000 >"$dir/timeslice" || die "writing timeslice 200000"
read -r v <"$dir/weight"
[[ $v == 250 ]] || die "weight file reads $v"
zsvctl slice set "$uuid" cap 45 || die "zsvctl slice set cap"
read -r v <"$dir/cap"
[[ $v == 45 ]] || die "cap file after slice set: $v"
jfield "$(zsvctl -j slice show "$uuid")" weight cap_pct timeslice_ns
[[ $REPLY == "250 45 200000" ]] || die "weight, cap, timeslice of the slice: $REPLY"

for bad_write in "cap 0" "cap 101" "cap -1" "weight abc" "weight 0" "weight 10001" \
	"timeslice 5" "timeslice 2000000000"; do
	read -r attr value <<<"$bad_write"
	if echo "$value" 2>/dev/null >"$dir/$attr"; then
		die "$attr $value was accepted"
	fi
done
jfield "$(zsvctl -j slice show "$uuid")" weight cap_pct timeslice_ns
[[ $REPLY == "250 45 200000" ]] || die "a refused write changed the slice: $REPLY"

# A cap the kernel refuses: start fails and leaves no mdev and no slice.
mdevctl define -u "$bad" -p zsv0 -t zsv-256M || die "define the bad one"
mdevctl modify -u "$bad" --addattr=cap --value=101 || die "modify the bad one"
if mdevctl start -u "$bad" 2>/dev/null; then
	die "start with cap 101 succeeded"
fi
[[ ! -e /sys/bus/mdev/devices/$bad ]] || die "a failed start left the mdev"
if zsvctl slice show "$bad" >/dev/null 2>&1; then
	die "a failed start left the slice"
fi

mdevctl stop -u "$uuid" || die "stop"
[[ ! -e $dir ]] || die "stopped, but the mdev is still in sysfs"
if zsvctl slice show "$uuid" >/dev/null 2>&1; then
	die "stopped, but the slice is still there"
fi
types_of zsv0
[[ $REPLY == "$full" ]] || die "room not given back:"$'\n'"$REPLY"
out=$(mdevctl list -d)
grep -q "^$uuid zsv0 zsv-512M" <<<"$out" || die "the definition went with the stop: $out"
mdevctl undefine -u "$uuid" || die "undefine"
mdevctl undefine -u "$bad" || die "undefine the bad one"
out=$(mdevctl list -d)
[[ $out != *"$uuid"* && $out != *"$bad"* ]] || die "still defined after undefine: $out"
exit 0
