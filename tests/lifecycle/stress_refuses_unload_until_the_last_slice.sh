#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# zsv-stress runs (slices, contexts, BOs, jobs, forced deletions, dev-del
# and dev-new of its own pdevs) while unloading zsv_sim and zsv is tried
# again and again, by a thread of the stress (delete_module() every 2 ms,
# which must fail EWOULDBLOCK) and by rmmod(8) here: every attempt is
# refused as "in use" and changes nothing, and nothing splats (the runner
# fails on any). A slice of our own
# with an open context pins zsv_sim throughout, so that a moment in which
# the stress holds no slice cannot let the backend go under it. Once the
# stress has stopped and that slice is gone, both modules unload cleanly
# and leave nothing behind: no pdev, slice, node, class or module
# reference leaked.
. "$(dirname "$0")/../lib.sh"
ZSV_TMP=$(mktemp -d)
stress=$ZSV_TOP/tests/stress/zsv-stress
[[ -x $stress ]] || die "$stress is not built"
zsv_unload
zsv_load devices=1 || die "load failed"
zsvctl slice create zsv0 name lc-anchor mem 16M >/dev/null || die "slice create failed"
exec 3<>/dev/zsv/lc-anchor || die "cannot open the anchor slice"

seed=${ZSV_STRESS_SEED:-$((10#$(date +%s%N | cut -c 10-18)))}
"$stress" --seconds "${ZSV_STRESS_SECONDS:-8}" --seed "$seed" --pdevs 3 --try-unload \
	>"$ZSV_TMP/out" 2>&1 &
pid=$!
refused=0
while kill -0 "$pid" 2>/dev/null; do
	for module in zsv_sim zsv; do
		if err=$(rmmod "$module" 2>&1); then
			kill "$pid"
			die "rmmod $module succeeded during the stress (seed $seed)"
		fi
		grep -q "in use" <<<"$err" || die "rmmod $module: $err"
		refused=$((refused + 1))
	done
	[[ $(lsmod | grep -c '^zsv') == 2 ]] || die "a module went away: $(lsmod | grep '^zsv')"
	sleep 0.2
done
wait "$pid"
status=$?
cat "$ZSV_TMP/out"
[[ $status == 0 ]] || die "zsv-stress failed with status $status (seed $seed)"
[[ $refused -ge 2 ]] || die "rmmod was tried only $refused times"
attempts=$(awk '/^rmmod zsv/ { n += $3 } END { print n + 0 }' "$ZSV_TMP/out")
[[ $attempts -ge 100 ]] || die "the stress tried to unload only $attempts times"
echo "unload attempts refused during the stress: $attempts by zsv-stress, $refused by rmmod"

[[ $(ls /sys/class/zsv) == zsv0 ]] || die "pdevs left: $(ls /sys/class/zsv)"
rmmod zsv_sim 2>/dev/null && die "rmmod zsv_sim succeeded with the anchor slice open"
exec 3<&-
zsvctl slice destroy lc-anchor >/dev/null || die "cannot destroy the anchor slice"
zsv_unload || die "modules did not unload after the stress: $(lsmod | grep '^zsv')"
[[ ! -e /sys/class/zsv && ! -e /sys/class/zsv_slice && -z $(ls /dev/zsv 2>/dev/null) ]] ||
	die "leftovers after unload"
