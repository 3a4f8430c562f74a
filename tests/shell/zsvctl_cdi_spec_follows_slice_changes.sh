#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# When /var/run/cdi/zsv.json exists, slice create, set and destroy rewrite
# it, keeping its vendor; when it does not, they do not create it.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "the spec's rewriting runs on the stock kernels (its slice changes run here in zsvctl_slice_round_trip)"
spec=/var/run/cdi/zsv.json
cleanup() {
	zsvctl slice destroy cdi-a force 2>/dev/null
	zsvctl slice destroy cdi-b force 2>/dev/null
	rm -f "$spec"
	rmdir /var/run/cdi 2>/dev/null
}
trap cleanup EXIT
[[ -e $spec ]] && skip "$spec exists already"
mkdir -p /var/run/cdi

zsvctl slice create zsv0 name cdi-b mem 1G >/dev/null || die "create b"
[[ ! -e $spec ]] || die "create made $spec"
zsvctl cdi generate -o "$spec" vendor example.com || die "generate"

# names of the devices, their weight env.
devices() { json "[(d['name'], d['containerEdits']['env'][4]) for d in j['devices']]" <"$spec"; }

zsvctl slice create zsv1 name cdi-a mem 2G weight 7 >/dev/null || die "create a"
cat "$spec"
[[ $(json "j['kind']" <"$spec") == example.com/slice ]] || die "vendor not kept"
[[ $(devices) == "[('cdi-a', 'ZSV_SLICE_WEIGHT=7'), ('cdi-b', 'ZSV_SLICE_WEIGHT=100')]" ]] ||
	die "after create: $(devices)"
# What slice create wrote, Debian's CDI library (podman's) resolves.
cdi_check -dir /var/run/cdi example.com/slice=cdi-a >/dev/null || die "the CDI library refused the spec"
zsvctl slice set cdi-a weight 9 || die "set"
[[ $(devices) == "[('cdi-a', 'ZSV_SLICE_WEIGHT=9'), ('cdi-b', 'ZSV_SLICE_WEIGHT=100')]" ]] ||
	die "after set: $(devices)"
zsvctl slice destroy cdi-b || die "destroy"
[[ $(devices) == "[('cdi-a', 'ZSV_SLICE_WEIGHT=9')]" ]] || die "after destroy: $(devices)"
[[ $(json "j['kind']" <"$spec") == example.com/slice ]] || die "vendor not kept"
[[ $(ls -A /var/run/cdi) == zsv.json ]] || die "temporary files left: $(ls -A /var/run/cdi)"

# A spec zsvctl cannot read is left alone, with a warning, and the slice
# operation still succeeds.
echo '{"kind": "broken' >"$spec"
err=$(zsvctl slice destroy cdi-a 2>&1) || die "destroy failed because of the spec"
grep -q "warning: cannot update the CDI spec $spec" <<<"$err" || die "no warning: $err"
[[ $(cat "$spec") == '{"kind": "broken' ]] || die "broken spec was overwritten"
zsvctl slice show cdi-a >/dev/null 2>&1 && die "cdi-a survived"
exit 0
