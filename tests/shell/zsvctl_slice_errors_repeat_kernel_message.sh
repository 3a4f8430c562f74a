#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's refusals reach the user word for word: an admission error
# says what was asked and what is left, exit status 1, nothing is made.
. "$(dirname "$0")/../lib.sh"
trap 'zsvctl slice destroy big force 2>/dev/null; zsvctl slice destroy fit force 2>/dev/null' EXIT
zsvctl slice create zsv0 name fit mem 12G >/dev/null || die "create fit"
err=$(zsvctl slice create zsv0 name big mem 8G 2>&1 >/dev/null)
status=$?
echo "$err"
[[ $status == 1 ]] || die "exit status $status, want 1"
[[ $err == "zsvctl: cannot create slice 'big': "* ]] || die "prefix: $err"
grep -q '8G' <<<"$err" || die "does not say what was asked: $err"
grep -q '4G' <<<"$err" || die "does not say what is left: $err"
zsvctl slice show big >/dev/null 2>&1 && die "the refused slice exists"
[[ $(zsvctl -j dev show zsv0 | json "(j['mem_reserved'], j['slice_count'])") == "(12884901888, 1)" ]] ||
	die "the refusal changed the device"

# A name in use and an unknown device, each with the kernel's words.
err=$(zsvctl slice create zsv1 name fit mem 1G 2>&1 >/dev/null)
[[ $? == 1 ]] || die "duplicate name: exit status"
grep -q "fit" <<<"$err" || die "duplicate name: $err"
err=$(zsvctl slice create zsv9 name other mem 1G 2>&1 >/dev/null)
[[ $? == 1 ]] || die "unknown device: exit status"
grep -q "zsv9" <<<"$err" || die "unknown device: $err"
