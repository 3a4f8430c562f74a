#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Without CAP_NET_ADMIN every change is refused with a sentence that says
# so, exit status 1, and nothing changes; reading still works.
. "$(dirname "$0")/../lib.sh"
trap 'zsvctl slice destroy priv force 2>/dev/null' EXIT
zsvctl slice create zsv0 name priv mem 1G >/dev/null || die "create as root"
before=$(zsvctl -j slice show priv)

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$(command -v zsvctl)" "$@"
}

check() {
	local doing=$1 err status
	shift
	err=$(nobody "$@" 2>&1 >/dev/null)
	status=$?
	echo "$* -> $status: $err"
	[[ $status == 1 ]] || die "$*: exit status $status, want 1"
	[[ $err == "zsvctl: $doing needs CAP_NET_ADMIN (run as root)" ]] || die "$*: $err"
}

check "creating a slice" slice create zsv0 name q mem 1G
check "changing a slice" slice set priv weight 5
check "destroying a slice" slice destroy priv force
check "changing a device" dev set zsv0 policy fixed
check "adding a device" dev add mem 1G
check "removing a device" dev del zsv1

[[ $(zsvctl -j slice show priv) == "$before" ]] || die "the slice changed"
[[ $(zsvctl -j slice list | json 'len(j)') == 1 ]] || die "a slice appeared"
[[ $(zsvctl -j dev | json 'len(j)') == 2 ]] || die "devices changed"
[[ $(zsvctl -j dev show zsv0 | json "j['policy']") == weighted ]] || die "policy changed"
# Reading needs no privilege.
[[ $(nobody -j slice show priv) == "$before" ]] || die "nobody cannot read the slice"
