#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zsv.service's ExecStart, read from the unit (make install keeps it as it
# is for the default PREFIX; tests/unit/zsv_service_verify.sh checks that),
# restores the layout in /etc/zsv/zsv.json (its ConditionPathExists): the
# slices saved come back, and running it again changes nothing.
. "$(dirname "$0")/../lib.sh"
cleanup() {
	for s in svc-a svc-b; do zsvctl slice destroy "$s" force 2>/dev/null; done
}
trap cleanup EXIT
[[ -e /etc/zsv/zsv.json ]] && skip "/etc/zsv/zsv.json exists already"

unit=$ZSV_TOP/scripts/systemd/zsv.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
condition=$(sed -n 's/^ConditionPathExists=//p' "$unit")
read -r -a cmd <<<"$exec_start"
[[ ${#cmd[@]} -ge 2 && $condition == /etc/zsv/zsv.json ]] ||
	die "unit: ExecStart=$exec_start ConditionPathExists=$condition"
# The guest's / is a throw-away overlay: install there as an admin would.
install -D -m 0755 "$ZSV_TOP/userspace/zsvctl/zsvctl" "${cmd[0]}" || die "install zsvctl"

zsvctl slice create zsv0 name svc-a mem 3G weight 250 >/dev/null || die "create svc-a"
zsvctl slice create zsv1 name svc-b mem 1G mode shared cap 40% >/dev/null || die "create svc-b"
zsvctl dev set zsv1 policy fixed || die "dev set"
mkdir -p /etc/zsv
zsvctl save >"$condition" || die "save"
# As after a reboot: no slices, default device settings.
zsvctl slice destroy svc-a && zsvctl slice destroy svc-b || die "destroy"
zsvctl dev set zsv1 policy weighted || die "dev reset"

"${cmd[@]}" || die "ExecStart failed: $exec_start"
zsvctl assert --prune "$condition" || die "layout not restored"
zsvctl save | cmp - "$condition" || die "save differs from $condition"
[[ $("${cmd[@]}") == "no changes" ]] || die "a second start changed things"
rm -f "$condition"
exit 0
