#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl dev add` makes a sim device and prints it; it takes slices like
# any other; `zsvctl dev del` refuses it while it has slices, then
# removes it.
. "$(dirname "$0")/../lib.sh"
name=
cleanup() {
	zsvctl slice destroy da-a force 2>/dev/null
	[[ -n $name ]] && zsvctl dev del "$name" 2>/dev/null
}
trap cleanup EXIT

out=$(zsvctl -j dev add mem 8G engines 2) || die "dev add failed"
echo "$out"
name=$(json "j['name']" <<<"$out")
[[ $(json "(j['backend'], j['mem_total'], j['engines'], j['policy'], j['slice_count'], j['oversub_pct'], j['mem_shared'])" <<<"$out") == \
	"('sim', 8589934592, 2, 'weighted', 0, 100, 0)" ]] || die "new device: $out"
[[ $(zsvctl -j dev show "$name") == "$out" ]] || die "show differs from add"
[[ -e /sys/class/zsv/$name ]] || die "no sysfs device"
[[ $(zsvctl -j dev | json 'len(j)') == 3 ]] || die "not listed"

zsvctl slice create "$name" name da-a mem 8G >/dev/null || die "slice on the new device"
err=$(zsvctl dev del "$name" 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "dev del with a slice: exit status $status"
[[ $err == "zsvctl: cannot remove device '$name': "?* ]] || die "message: $err"
zsvctl slice destroy da-a || die "destroy"
zsvctl dev del "$name" || die "dev del failed"
[[ ! -e /sys/class/zsv/$name ]] || die "sysfs device left"
err=$(zsvctl dev show "$name" 2>&1)
[[ $? == 1 ]] || die "deleted device still shows"
deleted=$name
name=

# Text output, the backend by name, and the default engines.
out=$(zsvctl dev add backend sim mem 1G) || die "dev add (text) failed"
echo "$out"
name=$(awk '$1 == "name:" { print $2 }' <<<"$out")
[[ $name == "$deleted" ]] || die "the freed name was not reused: $name"
grep -qx 'mem total:    1G (1073741824 bytes)' <<<"$out" || die "text mem"
grep -qx 'engines:      4' <<<"$out" || die "default engines"
zsvctl dev del "$name" || die "dev del 2"
name=

# The kernel refuses what zsvctl cannot know: an unknown backend.
err=$(zsvctl dev add backend nosuch mem 1G 2>&1)
[[ $? == 1 ]] || die "unknown backend accepted"
grep -q nosuch <<<"$err" || die "message: $err"
[[ $(zsvctl -j dev | json 'len(j)') == 2 ]] || die "devices left behind"
