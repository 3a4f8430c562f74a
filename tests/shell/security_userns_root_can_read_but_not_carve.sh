#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Root of a user namespace made by an unprivileged user (unshare -Ur) has
# CAP_NET_ADMIN there, not on the host: zsvctl lists devices and slices,
# but creating, changing or destroying a slice and changing or adding a
# device are refused (zsvctl says CAP_NET_ADMIN is needed) and change
# nothing. With a network namespace of its own too (unshare -Urn) it does
# not reach the control plane at all. Documentation/security.rst.
. "$(dirname "$0")/../lib.sh"
trap 'zsvctl slice destroy t-sec force >/dev/null 2>&1; zsvctl slice destroy t-sec2 force >/dev/null 2>&1' EXIT
userns_root() {
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare "$@"
}
userns_root -Ur true 2>/dev/null || skip "unprivileged user namespaces are disabled"
zsvctl slice create zsv0 name t-sec mem 16M >/dev/null || die "slice create failed"
before=$(zsvctl -j slice show t-sec; zsvctl -j dev)

out=$(userns_root -Ur zsvctl -j dev) || die "zsvctl dev failed in a user namespace"
[[ $(json 'len(j)' <<<"$out") -ge 2 ]] || die "root of a user namespace sees: $out"
userns_root -Ur zsvctl slice show t-sec >/dev/null || die "zsvctl slice show failed"
for cmd in "slice create zsv0 name t-sec2 mem 1M" "slice set t-sec weight 5" \
	"slice set t-sec perm 666" "slice destroy t-sec force" "dev set zsv0 policy fixed" \
	"dev add mem 1G" "dev del zsv1"; do
	# shellcheck disable=SC2086
	if err=$(userns_root -Ur zsvctl $cmd 2>&1 >/dev/null); then
		die "zsvctl $cmd succeeded as root of a user namespace"
	fi
	echo "zsvctl $cmd: $err"
	grep -q "CAP_NET_ADMIN" <<<"$err" || die "zsvctl $cmd: $err"
done
[[ $(zsvctl -j slice show t-sec; zsvctl -j dev) == "$before" ]] || die "something changed"
zsvctl slice show t-sec2 >/dev/null 2>&1 && die "t-sec2 was created"

err=$(userns_root -Urn zsvctl dev 2>&1 >/dev/null) && die "zsvctl dev worked from another network namespace"
echo "$err"
grep -q "initial network namespace" <<<"$err" || die "message: $err"
exit 0
