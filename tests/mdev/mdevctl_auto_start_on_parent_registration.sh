#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A device defined with `mdevctl define --auto` comes back by itself when
# its parent appears, as at boot: with zsv's udev rule
# (scripts/udev/61-zsv-mdevctl.rules, which `make install` puts in place)
# and udevd running, loading zsv_mdev registers zsv0's mdev parent, udev
# runs mdevctl start-parent-mdevs, and the mdev and its slice exist, with
# the defined attribute applied. Debian's own mdevctl rule alone calls
# /usr/sbin/mdevctl, which Debian does not ship, and starts nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ko=$top/build/$(uname -r)/zsv_mdev.ko
command -v mdevctl >/dev/null || { echo "no mdevctl"; exit 77; }
udevd=/lib/systemd/systemd-udevd
[[ -x $udevd ]] || { echo "no systemd-udevd"; exit 77; }
[[ -d /proc/sys/fs/inotify ]] || { echo "kernel without inotify: udevd cannot run"; exit 77; }
[[ -d /sys/class/mdev_bus/zsv0 && -f $ko ]] || { echo "zsv_mdev is not loaded"; exit 77; }

uuid=$(cat /proc/sys/kernel/random/uuid)
rule=/etc/udev/rules.d/61-zsv-mdevctl.rules
made_dirs=()
for d in /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers; do
	[[ -d $d ]] || { mkdir -p "$d" && made_dirs+=("$d"); }
done
had_rule=0
[[ -e $rule ]] && had_rule=1
started_udevd=0

cleanup() {
	mdevctl stop -u "$uuid" >/dev/null 2>&1
	mdevctl undefine -u "$uuid" >/dev/null 2>&1
	((had_rule)) || rm -f "$rule"
	((started_udevd)) && udevadm control --exit >/dev/null 2>&1
	[[ ${#made_dirs[@]} -eq 0 ]] || rmdir "${made_dirs[@]}" 2>/dev/null
	[[ -d /sys/class/mdev_bus/zsv0 ]] || insmod "$ko"
}
trap cleanup EXIT

((had_rule)) || install -m 0644 "$top/scripts/udev/61-zsv-mdevctl.rules" "$rule" || exit 1
if ! udevadm control --ping -t 2 >/dev/null 2>&1; then
	"$udevd" --daemon 2>&1 || { echo "systemd-udevd did not start"; exit 1; }
	started_udevd=1
	udevadm control --ping -t 10 >/dev/null 2>&1 || { echo "udevd does not answer"; exit 1; }
fi
udevadm control --reload || exit 1

# Define while the parent is away, as a host does before rebooting.
rmmod zsv_mdev || { echo "cannot unload zsv_mdev"; exit 1; }
mdevctl define --auto -u "$uuid" -p zsv0 -t zsv-256M || exit 1
mdevctl modify -u "$uuid" --addattr=cap --value=40 || exit 1
insmod "$ko" || exit 1

for _ in $(seq 600); do
	[[ -e /sys/bus/mdev/devices/$uuid ]] && break
	sleep 0.1
done
[[ -e /sys/bus/mdev/devices/$uuid ]] ||
	{ echo "the defined mdev did not start within 60 s of the parent's registration"; exit 1; }
for _ in $(seq 100); do
	grep -q '^40$' "/sys/bus/mdev/devices/$uuid/cap" 2>/dev/null && break
	sleep 0.1
done
out=$(zsvctl -j slice show "$uuid") || { echo "no slice for the started mdev"; exit 1; }
echo "$out"
grep -q '"cap_pct":40' <<<"$out" || { echo "the defined cap 40 was not applied"; exit 1; }
grep -q '"mem_bytes":268435456' <<<"$out" || { echo "wrong partition size"; exit 1; }
mdevctl list | grep -q "$uuid" || { echo "mdevctl list does not show it running"; exit 1; }
