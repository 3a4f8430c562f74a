#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A pdev added at run time gets an mdev parent whose types halve its
# memory down to 256M (1536M: zsv-1536M, zsv-768M, zsv-384M); while an
# mdev's slice lives on it, `zsvctl dev del` is refused and both the
# parent and the mdev stay; once the mdev is removed, dev del succeeds and
# the parent is gone from /sys/class/mdev_bus. (vfio_test checks the
# EBUSY of netlink's dev-del.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
[[ -d /sys/class/mdev_bus/zsv0 ]] || skip "zsv_mdev is not loaded"
name=
new_uuid; uuid=$REPLY
cleanup() {
	echo 1 2>/dev/null >"/sys/bus/mdev/devices/$uuid/remove"
	[[ -n $name ]] && zsvctl dev del "$name" 2>/dev/null
}
trap cleanup EXIT

jfield "$(zsvctl -j dev add mem 1536M)" name
name=$REPLY
[[ $name == zsv* ]] || die "dev add: $name"
parent=/sys/class/mdev_bus/$name
[[ -d $parent ]] || die "no mdev parent for the new pdev $name"
got=("$parent"/mdev_supported_types/*)
got=("${got[@]##*/}")
[[ ${got[*]} == "zsv-1536M zsv-384M zsv-768M" ]] || die "types: ${got[*]}"
t=$parent/mdev_supported_types/zsv-384M
read -r v <"$t/description"
[[ $v == "mem=384M, engines=4, weight=100, cap=100%, max_instance=4" ]] || die "description: $v"
read -r v <"$t/device_api"
[[ $v == vfio-pci ]] || die "device_api: $v"

echo "$uuid" >"$t/create" || die "create"
jfield "$(zsvctl -j slice show "$uuid")" dev mem_bytes mediated
[[ $REPLY == "$name 402653184 true" ]] || die "slice (dev mem mediated): $REPLY"
read -r v <"$parent/mdev_supported_types/zsv-1536M/available_instances"
[[ $v == 0 ]] || die "zsv-1536M: $v available"
read -r v <"$parent/mdev_supported_types/zsv-768M/available_instances"
[[ $v == 1 ]] || die "zsv-768M: $v available"

err=$(zsvctl dev del "$name" 2>&1)
status=$?
echo "$err"
((status == 1)) || die "dev del with an mdev: status $status"
[[ -d $parent && -e /sys/bus/mdev/devices/$uuid ]] || die "a refused dev del took the parent or the mdev"
zsvctl slice show "$uuid" >/dev/null || die "a refused dev del took the slice"

echo 1 >"/sys/bus/mdev/devices/$uuid/remove" || die "remove"
zsvctl dev del "$name" || die "dev del after the mdev went"
[[ ! -e $parent ]] || die "the mdev parent outlived its pdev"
[[ ! -e /sys/class/zsv/$name ]] || die "the pdev is still in sysfs"
name=
exit 0
