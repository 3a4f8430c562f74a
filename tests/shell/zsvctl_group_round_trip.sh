#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# group create makes N slices <group>-0 .. on N devices and prints them
# (-j: slice objects with "group"); a group of 3 on 2 devices is refused
# with the kernel's message and makes nothing; "any" lets 3 share 2
# devices; group show (text, -j, one, unknown); slice show says the
# group; destroy is refused while a slice is open and destroys nothing,
# force destroys them all; cdi generate has a group device with every
# node, which Debian's CDI library resolves. Runs with --sim 'devices=2'.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
cleanup() {
	exec 3>&-
	local g
	for g in gr-job gr-big gr-any; do
		zsvctl group destroy $g force >/dev/null 2>&1
	done
	rm -rf "$dir"
	return 0
}
trap cleanup EXIT

# refused EXPECTED_MESSAGE CMD...: exit status 1 and exactly that on stderr.
refused() {
	local want=$1 err status
	shift
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[[ $status == 1 ]] || die "$*: exit status $status ($err)"
	[[ $err == "$want" ]] || die "$*: said '$err', not '$want'"
}
slice_names() { zsvctl -j slice list | json "sorted(s['name'] for s in j)"; }

before=$(slice_names)

# Two slices, one on each device; -j prints them as slice objects.
out=$(zsvctl -j group create gr-job count 2 mem 1G weight 200) || die "create failed"
echo "$out"
[[ $(json "[(s['name'], s['group'], s['mem_bytes'], s['weight']) for s in j]" <<<"$out") == \
	"[('gr-job-0', 'gr-job', 1073741824, 200), ('gr-job-1', 'gr-job', 1073741824, 200)]" ]] ||
	die "create printed $out"
[[ $(json "sorted(s['dev'] for s in j)" <<<"$out") == "['zsv0', 'zsv1']" ]] ||
	die "not one slice per device: $out"
[[ $(zsvctl -j slice show gr-job-1 | json "j['group']") == gr-job ]] || die "slice show -j has no group"
zsvctl slice show gr-job-0 | grep -qE '^in group: +gr-job$' || die "slice show has no group line"

# A slice made by slice create is in no group.
zsvctl slice create zsv0 name gr-solo mem 1G >/dev/null || die "create gr-solo"
[[ $(zsvctl -j slice show gr-solo | json "j['group']") == None ]] || die "gr-solo has a group"
zsvctl slice show gr-solo | grep -q '^in group:' && die "gr-solo shows a group line"
zsvctl slice destroy gr-solo || die "destroy gr-solo"

# Three on distinct devices: refused, nothing made.
refused "zsvctl: cannot create group 'gr-big': a group of 3 on distinct devices needs 3 devices; there are 2" \
	zsvctl group create gr-big count 3 mem 1G
[[ $(zsvctl -j slice list | json "[s['name'] for s in j if s['name'].startswith('gr-big')]") == "[]" ]] ||
	die "a refused group left slices: $(slice_names)"
# The same name may not be used twice.
refused "zsvctl: cannot create group 'gr-job': a group named 'gr-job' exists" \
	zsvctl group create gr-job count 1 mem 1G

# any: three slices share the two devices; text output is the slice table.
out=$(zsvctl group create gr-any count 3 mem 512M any) || die "create any failed"
echo "$out"
head -n1 <<<"$out" | grep -q '^NAME ' || die "create any printed no table"
[[ $(grep -cE '^gr-any-[0-2] ' <<<"$out") == 3 ]] || die "create any did not list 3 slices"

# show: a row per group, oldest first; -j; one group; an unknown one.
list=$(zsvctl group show) || die "show failed"
echo "$list"
head -n1 <<<"$list" | grep -qE '^NAME +SLICES +DEVS +MEM +TENANT$' || die "table header"
grep -qE '^gr-job +2 +zsv[01],zsv[01] +2G +-$' <<<"$list" || die "gr-job row"
grep -qE '^gr-any +3 +zsv[01](,zsv[01])? +(1536M|1.5G) +-$' <<<"$list" || die "gr-any row"
[[ $(zsvctl -j group | json "[g['name'] for g in j]") == "['gr-job', 'gr-any']" ]] ||
	die "group -j: $(zsvctl -j group)"
[[ $(zsvctl -j group show gr-job | json "(j['slices'], sorted(j['devs']), j['mem_bytes'], j['tenant'])") == \
	"(['gr-job-0', 'gr-job-1'], ['zsv0', 'zsv1'], 2147483648, None)" ]] ||
	die "group show -j gr-job: $(zsvctl -j group show gr-job)"
refused "zsvctl: cannot show group 'gr-nope': no group named 'gr-nope'" zsvctl group show gr-nope

# The CDI spec: a device per group with every node, and the group's env.
spec=$(zsvctl cdi generate) || die "cdi generate failed"
[[ $(json "[d['containerEdits'] for d in j['devices'] if d['name'] == 'gr-job'][0]" <<<"$spec") == \
	"{'deviceNodes': [{'path': '/dev/zsv/gr-job-0'}, {'path': '/dev/zsv/gr-job-1'}], 'env': ['ZSV_GROUP=gr-job', 'ZSV_GROUP_COUNT=2', 'ZSV_GROUP_SLICES=gr-job-0,gr-job-1', 'ZSV_GROUP_DEVS=$(zsvctl -j slice show gr-job-0 | json "j['dev']"),$(zsvctl -j slice show gr-job-1 | json "j['dev']")', 'ZSV_GROUP_MEM_BYTES=1073741824,1073741824']}" ]] ||
	die "group device: $spec"
names=$(json "[d['name'] for d in j['devices']]" <<<"$spec")
[[ $names == *"'gr-job', 'gr-job-0', 'gr-job-1'"* ]] || die "devices not sorted by name: $names"
zsvctl cdi generate -o "$dir/zsv.json" || die "generate -o failed"
got=$(cdi_check -dir "$dir" zsv.io/slice=gr-job) || die "the CDI library refused the spec"
[[ $(json "[n['path'] for n in j['zsv.io/slice=gr-job']['deviceNodes']]" <<<"$got") == \
	"['/dev/zsv/gr-job-0', '/dev/zsv/gr-job-1']" ]] || die "resolved: $got"

# destroy: refused while one slice is open, and nothing is destroyed.
exec 3<>/dev/zsv/gr-job-1 || die "cannot open the node"
refused "zsvctl: cannot destroy group 'gr-job': slice 'gr-job-1' of the group has 1 open context(s); force revokes them" \
	zsvctl group destroy gr-job
zsvctl slice show gr-job-0 >/dev/null || die "a refused destroy destroyed gr-job-0"
zsvctl group destroy gr-job force || die "destroy force failed"
exec 3>&-
zsvctl -j slice list | json "[s['name'] for s in j if s.get('group') == 'gr-job']" | grep -qx '\[\]' ||
	die "gr-job's slices survived force"
refused "zsvctl: cannot destroy group 'gr-job': no slice is in a group named 'gr-job'" \
	zsvctl group destroy gr-job
zsvctl group destroy gr-any || die "destroy gr-any"
[[ $(slice_names) == "$before" ]] || die "slices left: $(slice_names)"
zsvctl group create gr-bad count 0 mem 1G >/dev/null 2>&1
[[ $? == 2 ]] || die "count 0 is not a usage error"
exit 0
