#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# An mdev's tenant file bills its slice to a tenant, admitted like a new
# slice (with --sim 'devices=2 mem=2G'): mdevctl starts an mdev defined
# with --addattr tenant while the tenant's limits allow it, and a start
# past its slice limit fails with the kernel's reason in the log and
# leaves nothing behind; an empty write takes the slice out; tenant-del
# is refused while the mdev's slice is the tenant's. The tenant is made
# and read by the kernel's YNL CLI, from our spec alone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
command -v mdevctl >/dev/null || skip "no mdevctl"
[[ -d /sys/class/mdev_bus/zsv0 ]] || skip "zsv_mdev is not loaded"
ynl=$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py
[[ -f $ynl ]] || skip "no YNL CLI in build/linux-source-6.12"
args=(--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml"
	--schema "$ZSV_TOP/build/linux-source-6.12/Documentation/netlink/genetlink.yaml")
tenant=mdev-acme

new_uuid; uuid=$REPLY
new_uuid; over=$REPLY
mdevctl_dirs
cleanup() {
	for u in "$uuid" "$over"; do
		mdevctl stop -u "$u" >/dev/null 2>&1
		mdevctl undefine -u "$u" >/dev/null 2>&1
	done
	$PY "$ynl" "${args[@]}" --do tenant-del --json "{\"name\": \"$tenant\"}" \
		>/dev/null 2>&1
	mdevctl_dirs_cleanup
}
trap cleanup EXIT

# usage: REPLY is "slices mem" of the tenant, as tenant-get says.
usage() {
	local out
	out=$($PY "$ynl" "${args[@]}" --do tenant-get --output-json \
		--json "{\"name\": \"$tenant\"}") || die "tenant-get failed"
	REPLY=$(json "'%d %d' % (j['slices'], j['mem'])" <<<"$out")
}

$PY "$ynl" "${args[@]}" --do tenant-new \
	--json "{\"name\": \"$tenant\", \"slices-max\": 1}" >/dev/null ||
	die "tenant-new failed"

mdevctl define -u "$uuid" -p zsv0 -t zsv-512M || die "define"
mdevctl modify -u "$uuid" --addattr=tenant --value=$tenant || die "modify --addattr tenant"
mdevctl start -u "$uuid" || die "start within the tenant's limits"
dir=/sys/bus/mdev/devices/$uuid
read -r v <"$dir/tenant"
[[ $v == "$tenant" ]] || die "tenant file: '$v'"
usage
[[ $REPLY == "1 536870912" ]] || die "usage with the mdev (slices mem): $REPLY"

# Past the slice limit: the start fails, and neither mdev nor slice stays.
mdevctl define -u "$over" -p zsv0 -t zsv-256M || die "define the second"
mdevctl modify -u "$over" --addattr=tenant --value=$tenant || die "modify the second"
mdevctl start -u "$over" 2>/dev/null && die "a second slice past slices-max 1 started"
[[ ! -e /sys/bus/mdev/devices/$over ]] || die "the refused mdev is still there"
[[ ! -e /dev/zsv/$over ]] || die "the refused mdev's slice is still there"
dmesg | grep -q "tenant '$tenant' has 1 slice(s), its limit is 1" ||
	die "no reason for the refusal in the log"
usage
[[ $REPLY == "1 536870912" ]] || die "usage after the refusal: $REPLY"

# Bad names are refused and change nothing; an empty write takes it out.
echo no-such-tenant 2>/dev/null >"$dir/tenant" && die "an unknown tenant was accepted"
echo 'Bad Name' 2>/dev/null >"$dir/tenant" && die "a bad name was accepted"
read -r v <"$dir/tenant"
[[ $v == "$tenant" ]] || die "tenant file after refusals: '$v'"
$PY "$ynl" "${args[@]}" --do tenant-del --json "{\"name\": \"$tenant\"}" \
	>/dev/null 2>&1 && die "tenant-del while the mdev's slice is the tenant's"
echo >"$dir/tenant" || die "an empty write"
read -r v <"$dir/tenant"
[[ -z $v ]] || die "tenant file after leaving: '$v'"
usage
[[ $REPLY == "0 0" ]] || die "usage after leaving: $REPLY"
echo $tenant >"$dir/tenant" || die "moving back in"
usage
[[ $REPLY == "1 536870912" ]] || die "usage after moving back: $REPLY"

mdevctl stop -u "$uuid" || die "stop"
usage
[[ $REPLY == "0 0" ]] || die "usage after stop: $REPLY"
$PY "$ynl" "${args[@]}" --do tenant-del --json "{\"name\": \"$tenant\"}" >/dev/null ||
	die "tenant-del once it has no slices"
exit 0
