#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mdev creation and netlink slice-new draw on one ledger: racing each other
# for zsv1's 2G (--sim 'devices=2 mem=2G'), 10 creations of zsv-256M mdevs
# and 10 `zsvctl slice create ... mem 256M` together get exactly 8 slices;
# the pdev's reserved memory never exceeds its total, also while they race;
# every type then has no instance available, and all of it comes back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
[[ -d /sys/class/mdev_bus/zsv1 ]] || skip "zsv_mdev is not loaded, or fewer than 2 pdevs"
jfield "$(zsvctl -j dev show zsv1)" mem_total
total=$REPLY
[[ $total == $((2 << 30)) ]] || skip "wants 2G pdevs (--sim 'devices=2 mem=2G')"
types=/sys/class/mdev_bus/zsv1/mdev_supported_types
tmp=$(mktemp -d)
cleanup() {
	local f
	for f in "$tmp"/mdev.*; do
		[[ -e $f ]] && echo 1 >"/sys/bus/mdev/devices/${f#"$tmp"/mdev.}/remove"
	done
	for f in "$tmp"/slice.*; do
		[[ -e $f ]] && zsvctl slice destroy "mr-n${f#"$tmp"/slice.}"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

(
	for _ in $(seq 10); do
		new_uuid
		if echo "$REPLY" 2>/dev/null >"$types/zsv-256M/create"; then
			: >"$tmp/mdev.$REPLY"
		fi
	done
) &
mdevs=$!
(
	for i in $(seq 10); do
		if zsvctl slice create zsv1 name "mr-n$i" mem 256M >/dev/null 2>&1; then
			: >"$tmp/slice.$i"
		fi
	done
) &
slices=$!
# Watch the sums while they race.
(
	while kill -0 "$mdevs" 2>/dev/null || kill -0 "$slices" 2>/dev/null; do
		jfield "$(zsvctl -j dev show zsv1)" mem_reserved
		((REPLY <= total)) || echo "reserved $REPLY > total $total" >>"$tmp/overcommit"
	done
) &
watcher=$!
wait "$mdevs" "$slices" "$watcher"

[[ ! -e $tmp/overcommit ]] || die "$(cat "$tmp/overcommit")"
mdev_ok=("$tmp"/mdev.*)
slice_ok=("$tmp"/slice.*)
[[ -e ${mdev_ok[0]} ]] || mdev_ok=()
[[ -e ${slice_ok[0]} ]] || slice_ok=()
echo "mdevs created: ${#mdev_ok[@]}, slices created: ${#slice_ok[@]}"
((${#mdev_ok[@]} + ${#slice_ok[@]} == 8)) ||
	die "$((${#mdev_ok[@]} + ${#slice_ok[@]})) creations succeeded, want 8"
jfield "$(zsvctl -j dev show zsv1)" mem_reserved slice_count
[[ $REPLY == "$total 8" ]] || die "pdev after the race (reserved, slices): $REPLY"
for t in "$types"/*; do
	read -r v <"$t/available_instances"
	[[ $v == 0 ]] || die "${t##*/}: $v available on a full pdev"
done
# Each mdev is a mediated slice, each slice-new is not.
for f in "${mdev_ok[@]}"; do
	jfield "$(zsvctl -j slice show "${f#"$tmp"/mdev.}")" dev mediated
	[[ $REPLY == "zsv1 true" ]] || die "mdev ${f#"$tmp"/mdev.}: $REPLY"
done
if ((${#slice_ok[@]})); then
	jfield "$(zsvctl -j slice show "mr-n${slice_ok[0]#"$tmp"/slice.}")" mediated
	[[ $REPLY == false ]] || die "a netlink slice says mediated: $REPLY"
fi
# One more is refused.
new_uuid
if echo "$REPLY" 2>/dev/null >"$types/zsv-256M/create"; then
	: >"$tmp/mdev.$REPLY"
	die "a 9th mdev was created"
fi

cleanup
tmp=$(mktemp -d)
jfield "$(zsvctl -j dev show zsv1)" mem_reserved slice_count
[[ $REPLY == "0 0" ]] || die "not all given back (reserved, slices): $REPLY"
read -r v <"$types/zsv-256M/available_instances"
[[ $v == 8 ]] || die "zsv-256M: $v available after the clean-up"
exit 0
