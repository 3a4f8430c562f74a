#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tenant add, set, show (text and -j) and del round trip with exact
# values; the weight: 100 by default, set, shown, refused outside
# 1..10000 by zsvctl and by the kernel (with its message), kept by save
# and apply; slices join, move between and leave tenants; each limit (mem,
# slices, compute) refuses growth past it with the kernel's message,
# changes nothing and counts a quota hit; lowering a limit below the
# usage is allowed; del is refused while the tenant has slices; "none"
# names no tenant.
. "$(dirname "$0")/../lib.sh"
cleanup() {
	local s t
	for s in tr-a tr-b; do
		zsvctl slice destroy $s force >/dev/null 2>&1
	done
	for t in tr-acme tr-other; do
		zsvctl tenant del $t >/dev/null 2>&1
	done
	rm -f "${layout:-}"
	return 0
}
trap cleanup EXIT

# tenant show -j NAME, an expression over it.
tj() { zsvctl -j tenant show "$1" | json "$2"; }
# usage_error EXPECTED_MESSAGE CMD...: exit status 2 and that first on stderr.
usage_error() {
	local want=$1 err status
	shift
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[[ $status == 2 ]] || die "$*: exit status $status ($err)"
	[[ $(head -n1 <<<"$err") == "$want" ]] || die "$*: said '$err', not '$want'"
}
# refused EXPECTED_MESSAGE CMD...: exit status 1 and exactly that on stderr.
refused() {
	local want=$1 err status
	shift
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[[ $status == 1 ]] || die "$*: exit status $status ($err)"
	[[ $err == "$want" ]] || die "$*: said '$err', not '$want'"
}
usage() {
	tj tr-acme "(j['mem'], j['slices'], j['compute'], j['quota_hits'])"
}

engines=$(zsvctl -j dev show zsv0 | json "j['engines']")
engines1=$(zsvctl -j dev show zsv1 | json "j['engines']")

# add: limits as asked, no usage; show says the same.
out=$(zsvctl -j tenant add tr-acme mem 1G slices 2 compute 400%) || die "add failed"
echo "$out"
[[ $(json "(j['name'], j['mem_max'], j['slices_max'], j['compute_max'], j['weight'], j['mem'], j['slices'], j['compute'], j['mem_used'], j['busy_ns'], j['quota_hits'])" <<<"$out") == \
	"('tr-acme', 1073741824, 2, 400, 100, 0, 0, 0, 0, 0, 0)" ]] || die "add printed $out"
[[ $(zsvctl -j tenant show tr-acme) == "$out" ]] || die "show differs from add"
# No limit is null in JSON and "none" in text; a weight as asked.
zsvctl tenant add tr-other weight 250 >/dev/null || die "add tr-other"
[[ $(tj tr-other "(j['mem_max'], j['slices_max'], j['compute_max'], j['weight'])") == "(None, None, None, 250)" ]] ||
	die "tr-other: $(zsvctl -j tenant show tr-other)"
list=$(zsvctl tenant show) || die "show failed"
echo "$list"
head -n1 <<<"$list" | grep -qE '^NAME +ID +MEM +MEM_MAX +SLICES +SLICES_MAX +COMPUTE +COMPUTE_MAX +WEIGHT +USED +BUSY +QUOTA_HITS$' ||
	die "table header"
grep -qE '^tr-acme +[0-9]+ +0B +1G +0 +2 +0% +400% +100 +0B +0ns +0$' <<<"$list" || die "tr-acme row"
grep -qE '^tr-other +[0-9]+ +0B +none +0 +none +0% +none +250 +0B +0ns +0$' <<<"$list" || die "tr-other row"
[[ $(zsvctl -j tenant show | json "[t['name'] for t in j]") == "['tr-acme', 'tr-other']" ]] ||
	die "show -j: $(zsvctl -j tenant show)"

# set: one limit, then back to none; the others stay.
zsvctl tenant set tr-other mem 512M slices 3 || die "set tr-other"
[[ $(tj tr-other "(j['mem_max'], j['slices_max'], j['compute_max'])") == "(536870912, 3, None)" ]] ||
	die "after set: $(zsvctl -j tenant show tr-other)"
zsvctl tenant set tr-other mem none || die "set mem none"
[[ $(tj tr-other "(j['mem_max'], j['slices_max'])") == "(None, 3)" ]] || die "after set none"

# The weight: set alone, both ends of the range; the limits stay.
zsvctl tenant set tr-other weight 10000 || die "set weight 10000"
[[ $(tj tr-other "(j['weight'], j['mem_max'], j['slices_max'])") == "(10000, None, 3)" ]] ||
	die "after set weight: $(zsvctl -j tenant show tr-other)"
zsvctl tenant set tr-other weight 1 slices 4 || die "set weight 1"
[[ $(tj tr-other "(j['weight'], j['slices_max'])") == "(1, 4)" ]] || die "after set weight 1"
# Out of range or not a number: zsvctl refuses it before asking.
usage_error "zsvctl: weight '0': out of range (1 to 10000)" zsvctl tenant set tr-other weight 0
usage_error "zsvctl: weight '10001': out of range (1 to 10000)" zsvctl tenant set tr-other weight 10001
usage_error "zsvctl: weight 'abc': not a number" zsvctl tenant set tr-other weight abc
usage_error "zsvctl: weight '0': out of range (1 to 10000)" zsvctl tenant add tr-zero weight 0
zsvctl tenant show tr-zero >/dev/null 2>&1 && die "tr-zero exists"
# The kernel refuses them too, with its message (sent by the YNL CLI,
# which checks no range), and changes nothing.
if [[ -z ${ZSV_DEBUG_TIER:-} ]]; then
	ynl=(--spec "$ZSV_TOP/Documentation/netlink/specs/zsv.yaml" --schema "")
	for w in 0 10001; do
		err=$($PY "$ZSV_TOP/build/linux-source-6.12/tools/net/ynl/cli.py" "${ynl[@]}" \
			--do tenant-set --json "{\"name\": \"tr-other\", \"weight\": $w}" 2>&1) &&
			die "the kernel took weight $w"
		grep -qF "tenant weight $w is not in 1..10000" <<<"$err" ||
			die "weight $w: the kernel said $err"
	done
fi
[[ $(tj tr-other "(j['weight'], j['slices_max'])") == "(1, 4)" ]] || die "a refused weight changed tr-other"

# save keeps the weights and apply puts them back.
layout=$(mktemp)
zsvctl save >"$layout" || die "save"
grep -qzF '"name": "tr-other",
      "mem": "none",
      "slices": 4,
      "compute": "none",
      "weight": 1' "$layout" || die "tr-other not saved with its weight: $(cat "$layout")"
zsvctl tenant set tr-other weight 42 || die "set weight 42"
zsvctl tenant set tr-acme weight 9000 || die "set weight 9000"
out=$(zsvctl apply "$layout") || die "apply"
echo "$out"
grep -qx "set tenant tr-other weight 1 (was weight 42)" <<<"$out" || die "apply of tr-other"
[[ $(tj tr-other "j['weight']") == 1 && $(tj tr-acme "j['weight']") == 100 ]] ||
	die "weights after apply: $(zsvctl -j tenant show)"
zsvctl tenant set tr-other weight 1 slices 3 || die "set slices 3"

# A slice in a tenant: its tenant in JSON, text and the table; the
# tenant counts it.
out=$(zsvctl -j slice create zsv0 name tr-a mem 256M tenant tr-acme) || die "create tr-a"
[[ $(json "j['tenant']" <<<"$out") == tr-acme ]] || die "create printed $out"
zsvctl slice show tr-a | grep -qx 'tenant:       tr-acme' || die "slice show tenant"
zsvctl slice list | grep -qE '^tr-a +.* +/dev/zsv/tr-a +tr-acme$' || die "slice list tenant"
[[ $(usage) == "(268435456, 1, $((100 * engines)), 0)" ]] || die "usage: $(usage)"

# Each limit refuses growth past it with the kernel's message, creates
# or changes nothing, and counts a quota hit.
refused "zsvctl: cannot create slice 'tr-b': tenant memory limit 1G: 256M in use, 1G more asked ('tr-acme')" \
	zsvctl slice create zsv1 name tr-b mem 1G tenant tr-acme
zsvctl slice show tr-b >/dev/null 2>&1 && die "tr-b exists after the mem refusal"
[[ $(usage) == "(268435456, 1, $((100 * engines)), 1)" ]] || die "usage after mem refusal: $(usage)"
refused "zsvctl: cannot change slice 'tr-a': tenant memory limit 1G: 256M in use, 1G more asked ('tr-acme')" \
	zsvctl slice set tr-a mem 1280M
[[ $(zsvctl -j slice show tr-a | json "j['mem_bytes']") == 268435456 ]] || die "tr-a grew"
zsvctl tenant set tr-acme slices 1 || die "set slices 1"
refused "zsvctl: cannot create slice 'tr-b': tenant slice limit 1: 1 in use ('tr-acme')" \
	zsvctl slice create zsv1 name tr-b mem 16M tenant tr-acme
zsvctl slice show tr-b >/dev/null 2>&1 && die "tr-b exists after the slices refusal"
zsvctl tenant set tr-acme slices none compute $((100 * engines)) || die "set compute"
printf -v used '%d.00' "$engines"
refused "zsvctl: cannot create slice 'tr-b': tenant compute limit $used engines: $used in use, $(printf '%d.%02d' $((engines1 / 2)) $((engines1 * 50 % 100))) more asked ('tr-acme')" \
	zsvctl slice create zsv1 name tr-b mem 16M cap 50% tenant tr-acme
zsvctl slice show tr-b >/dev/null 2>&1 && die "tr-b exists after the compute refusal"
[[ $(usage) == "(268435456, 1, $((100 * engines)), 4)" ]] || die "usage after refusals: $(usage)"
[[ $(zsvctl -j slice list | json "[s['name'] for s in j]") == "['tr-a']" ]] || die "slices after refusals"

# Lowering a limit below the usage is allowed and takes nothing away.
zsvctl tenant set tr-acme mem 128M || die "lowering mem below the usage"
[[ $(zsvctl -j slice show tr-a | json "j['mem_bytes']") == 268435456 ]] || die "tr-a shrank"
tj tr-acme "j['mem_max']" | grep -qx 134217728 || die "mem_max after lowering"
# Shrinking is still allowed; growing is not.
zsvctl slice set tr-a mem 192M || die "shrinking under a lowered limit"
refused "zsvctl: cannot change slice 'tr-a': tenant memory limit 128M: 192M in use, 16M more asked ('tr-acme')" \
	zsvctl slice set tr-a mem 208M

# Move: to another tenant, which admits it like a new slice; then out.
zsvctl slice set tr-a tenant tr-other || die "move to tr-other"
[[ $(zsvctl -j slice show tr-a | json "j['tenant']") == tr-other ]] || die "tenant after move"
[[ $(usage) == "(0, 0, 0, 5)" ]] || die "tr-acme after move: $(usage)"
[[ $(tj tr-other "(j['mem'], j['slices'])") == "(201326592, 1)" ]] || die "tr-other after move"
zsvctl slice set tr-a tenant none || die "tenant none"
[[ $(zsvctl -j slice show tr-a | json "j['tenant']") == None ]] || die "tenant after none"
zsvctl slice show tr-a | grep -qx 'tenant:       -' || die "slice show without tenant"
[[ $(tj tr-other "(j['mem'], j['slices'])") == "(0, 0)" ]] || die "tr-other after none"

# del is refused while the tenant has slices, and changes nothing.
zsvctl slice set tr-a tenant tr-other || die "back to tr-other"
refused "zsvctl: cannot delete tenant 'tr-other': tenant 'tr-other' has 1 slice(s); destroy them or move them to another tenant" \
	zsvctl tenant del tr-other
[[ $(tj tr-other "(j['slices'], j['slices_max'])") == "(1, 3)" ]] || die "tr-other after refused del"

# Names: "none" is no tenant's; unknown tenants are the kernel's to refuse.
err=$(zsvctl tenant add none 2>&1)
[[ $? == 2 ]] || die "tenant add none: not a usage error"
grep -q "^zsvctl: 'none' cannot name a tenant" <<<"$err" || die "tenant add none: $err"
refused "zsvctl: cannot create slice 'tr-b': no tenant named 'nosuch'" \
	zsvctl slice create zsv1 name tr-b mem 16M tenant nosuch
refused "zsvctl: cannot show tenant 'nosuch': no tenant named 'nosuch'" zsvctl tenant show nosuch

# del: gone once its slices are.
zsvctl slice destroy tr-a || die "destroy tr-a"
zsvctl tenant del tr-other || die "del tr-other"
zsvctl tenant del tr-acme || die "del tr-acme"
[[ $(zsvctl -j tenant show) == '[]' ]] || die "tenants left: $(zsvctl -j tenant show)"
echo ok
