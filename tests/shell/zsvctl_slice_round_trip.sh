#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# slice create, show, list, set and destroy round trip with exact values,
# in text and JSON, and the device accounts for the slice's memory.
. "$(dirname "$0")/../lib.sh"
trap 'zsvctl slice destroy rt-a force 2>/dev/null; zsvctl slice destroy rt-b force 2>/dev/null' EXIT

# slice show -j, one key.
key() { zsvctl -j slice show "$1" | json "j['$2']"; }

out=$(zsvctl -j slice create zsv1 name rt-a mem 1.5G mode reserved weight 200 \
	cap 25% timeslice 500us owner nobody group 65534 perm 0640) || die "create failed"
echo "$out"
[[ $(json "(j['name'], j['dev'], j['mem_bytes'], j['mem_mode'], j['weight'], j['cap_pct'], j['timeslice_ns'], j['uid'], j['gid'], j['node_mode'], j['node'])" <<<"$out") == \
	"('rt-a', 'zsv1', 1610612736, 'reserved', 200, 25, 500000, 65534, 65534, 416, '/dev/zsv/rt-a')" ]] ||
	die "create printed $out"
# What create printed is what show says.
[[ $(zsvctl -j slice show rt-a) == "$out" ]] || die "show differs from create"
# The node has the owner, group and mode asked for.
[[ $(stat -c '%u %g %a %F' /dev/zsv/rt-a) == '65534 65534 640 character special file' ]] ||
	die "node: $(stat -c '%u %g %a %F' /dev/zsv/rt-a)"

# Text: show and list.
show=$(zsvctl slice show rt-a) || die "show failed"
echo "$show"
grep -qx 'mem:          1.5G (1610612736 bytes)' <<<"$show" || die "show mem"
grep -qx 'cap:          25%' <<<"$show" || die "show cap"
grep -qx 'timeslice:    500us' <<<"$show" || die "show timeslice"
grep -qx 'perm:         0640' <<<"$show" || die "show perm"
grep -qx 'owner:        65534 (nobody)' <<<"$show" || die "show owner"
list=$(zsvctl slice list) || die "list failed"
echo "$list"
head -n1 <<<"$list" | grep -qE '^NAME +ID +DEV +MEM +MODE +USED +WEIGHT +CAP +SHARE +TIMESLICE +CONTEXTS +MDEV +NODE +TENANT$' ||
	die "list header"
grep -qE '^rt-a +[0-9]+ +zsv1 +1\.5G +reserved +0B +200 +25% +0\.0/0\.0% +500us +0 +- +/dev/zsv/rt-a +-$' <<<"$list" ||
	die "list row"

# A second slice on the other device; list filters by device.
zsvctl slice create zsv0 name rt-b mem 1G mode shared >/dev/null || die "create rt-b"
[[ $(zsvctl -j slice list | json "[s['name'] for s in j]") == "['rt-a', 'rt-b']" ]] ||
	die "list: $(zsvctl -j slice list)"
[[ $(zsvctl -j slice list dev zsv0 | json "[s['name'] for s in j]") == "['rt-b']" ]] ||
	die "list dev zsv0"
[[ $(zsvctl -j slice list dev zsv1 | json "[s['name'] for s in j]") == "['rt-a']" ]] ||
	die "list dev zsv1"

# The devices account for both.
dev1=$(zsvctl -j dev show zsv1)
[[ $(json "(j['mem_reserved'], j['slice_count'])" <<<"$dev1") == "(1610612736, 1)" ]] || die "zsv1: $dev1"
dev0=$(zsvctl -j dev show zsv0)
[[ $(json "(j['mem_reserved'], j['mem_shared'], j['slice_count'])" <<<"$dev0") == "(0, 1073741824, 1)" ]] ||
	die "zsv0: $dev0"

# set: each limit, live; the rest stays.
zsvctl slice set rt-a mem 2G weight 50 cap 100 timeslice default perm 600 owner root group 0 ||
	die "set failed"
out=$(zsvctl -j slice show rt-a)
echo "$out"
[[ $(json "(j['mem_bytes'], j['mem_mode'], j['weight'], j['cap_pct'], j['timeslice_ns'], j['uid'], j['gid'], j['node_mode'])" <<<"$out") == \
	"(2147483648, 'reserved', 50, 100, 0, 0, 0, 384)" ]] || die "after set: $out"
zsvctl slice show rt-a | grep -qx 'timeslice:    default' || die "timeslice default in text"
[[ $(stat -c '%u %g %a' /dev/zsv/rt-a) == '0 0 600' ]] || die "node after set"
[[ $(zsvctl -j dev show zsv1 | json "j['mem_reserved']") == 2147483648 ]] || die "reserved after set"

# destroy: gone from show, list, the device and /dev.
zsvctl slice destroy rt-a || die "destroy rt-a"
zsvctl slice destroy rt-b || die "destroy rt-b"
err=$(zsvctl slice show rt-a 2>&1 >/dev/null)
status=$?
[[ $status == 1 ]] || die "show after destroy: exit status $status"
grep -q "rt-a" <<<"$err" || die "show after destroy: $err"
[[ $(zsvctl -j slice list) == '[]' ]] || die "list after destroy: $(zsvctl -j slice list)"
[[ $(zsvctl slice list) == 'NAME  ID  DEV  MEM  MODE  USED  WEIGHT  CAP  SHARE  TIMESLICE  CONTEXTS  MDEV  NODE  TENANT' ]] ||
	die "empty table: $(zsvctl slice list)"
[[ ! -e /dev/zsv/rt-a ]] || die "node left behind"
[[ $(zsvctl -j dev show zsv1 | json "(j['mem_reserved'], j['slice_count'])") == "(0, 0)" ]] ||
	die "zsv1 after destroy"
