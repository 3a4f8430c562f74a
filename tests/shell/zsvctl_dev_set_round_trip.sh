#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl dev set` changes policy, timeslice, period and oversubscription
# live, as dev show and sysfs then report; the kernel's refusals come
# back word for word and change nothing.
. "$(dirname "$0")/../lib.sh"
cleanup() {
	zsvctl slice destroy ds-a 2>/dev/null
	zsvctl slice destroy ds-b 2>/dev/null
	zsvctl dev set zsv1 policy weighted timeslice 2ms period 100ms oversub 1
}
trap cleanup EXIT
sys=/sys/class/zsv/zsv1

zsvctl dev set zsv1 policy best-effort timeslice 500us period 20ms oversub 150% || die "set failed"
out=$(zsvctl -j dev show zsv1)
echo "$out"
[[ $(json "(j['policy'], j['timeslice_ns'], j['period_ns'], j['oversub_pct'], j['mem_shared'])" <<<"$out") == \
	"('best-effort', 500000, 20000000, 150, 0)" ]] || die "after set: $out"
[[ $(cat $sys/policy) == best-effort ]] || die "sysfs policy"
[[ $(cat $sys/timeslice_ns) == 500000 ]] || die "sysfs timeslice"
[[ $(cat $sys/period_ns) == 20000000 ]] || die "sysfs period"
zsvctl dev show zsv1 | grep -qx 'oversub:      1.5 (150%)' || die "text oversub"
zsvctl dev | grep -qE '^zsv1 .* 1\.5 .* best-effort +500us ' || die "table: $(zsvctl dev)"

# One knob at a time; the others stay.
zsvctl dev set zsv1 oversub 2 || die "set oversub"
[[ $(zsvctl -j dev show zsv1 | json "(j['policy'], j['oversub_pct'])") == "('best-effort', 200)" ]] ||
	die "oversub alone"

# Shared quotas past the pool, as far as the ratio allows.
zsvctl slice create zsv1 name ds-a mem 12G mode shared >/dev/null || die "shared a"
zsvctl slice create zsv1 name ds-b mem 12G mode shared >/dev/null || die "shared b"
[[ $(zsvctl -j dev show zsv1 | json "j['mem_shared']") == 25769803776 ]] || die "mem_shared"
# Lowering the ratio below what the quotas need is refused.
err=$(zsvctl dev set zsv1 oversub 1 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "oversub 1 with 24G of quotas: exit status $status"
[[ $err == "zsvctl: cannot change device 'zsv1': "?* ]] || die "message: $err"
[[ $(zsvctl -j dev show zsv1 | json "j['oversub_pct']") == 200 ]] || die "refused change applied"

# A period shorter than the timeslice is the kernel's to refuse.
err=$(zsvctl dev set zsv1 timeslice 20ms period 10ms 2>&1 >/dev/null)
[[ $? == 1 ]] || die "period < timeslice accepted"
grep -q 'period' <<<"$err" || die "message: $err"
[[ $(zsvctl -j dev show zsv1 | json "(j['timeslice_ns'], j['period_ns'])") == "(500000, 20000000)" ]] ||
	die "refused change applied: $(zsvctl -j dev show zsv1)"

# Usage errors never reach the kernel.
zsvctl dev set zsv1 oversub 0.5 2>/dev/null
[[ $? == 2 ]] || die "oversub 0.5 accepted"
zsvctl dev set zsv1 2>/dev/null
[[ $? == 2 ]] || die "nothing to set accepted"
err=$(zsvctl dev set zsv9 policy fixed 2>&1)
[[ $? == 1 ]] || die "unknown device"
grep -q "zsv9" <<<"$err" || die "unknown device: $err"
