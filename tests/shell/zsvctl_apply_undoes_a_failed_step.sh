#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An apply whose step fails part-way, because a concurrent admin took the
# memory after apply checked the file, says which step failed and why (the
# kernel's message), undoes the steps it did, exits 1, and leaves 'zsvctl
# save' byte-identical.  Invalid files change nothing, with an error naming
# the place.  --prune destroys a busy slice only with --force.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "apply's undoing runs on the stock kernels (its netlink calls run here in zsvctl_apply_round_trip)"
tmp=$(mktemp -d)
cleanup() {
	exec 3>&- 2>/dev/null
	for s in uf-a uf-b uf-c uf-thief; do zsvctl slice destroy "$s" force 2>/dev/null; done
	# The devices as the suite found them (pdev.c's defaults), for the
	# tests after this one.
	for d in zsv0 zsv1; do zsvctl dev set "$d" policy weighted period 100ms 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# zsv_sim's devices have 16G.
zsvctl slice create zsv0 name uf-a mem 2G >/dev/null || die "create uf-a"
zsvctl slice create zsv1 name uf-b mem 1G weight 50 >/dev/null || die "create uf-b"
zsvctl save >"$tmp/before" || die "save"

# The plan: destroy uf-b (--prune), retune zsv0 and uf-a, create uf-c 12G.
cat >"$tmp/want" <<'JSON'
{ "version": 1,
  "devices": [ { "name": "zsv0", "policy": "best-effort" } ],
  "slices": [ { "name": "uf-a", "dev": "zsv0", "mem": "2G", "weight": 900 },
              { "name": "uf-c", "dev": "zsv0", "mem": "12G" } ] }
JSON
zsvctl apply --dry-run --prune "$tmp/want" || die "dry run"
# Stop after the third step; meanwhile another admin takes zsv0's memory.
ZSVCTL_APPLY_STOP_AFTER_STEP=3 zsvctl apply --prune "$tmp/want" \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
	[[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == T ]] && break
	sleep 0.1
done
[[ $(awk '{print $3}' "/proc/$pid/stat") == T ]] || die "apply did not stop: $(cat "$tmp/err")"
zsvctl slice create zsv0 name uf-thief mem 10G >/dev/null || die "the thief"
kill -CONT "$pid"
wait "$pid"
rc=$?
cat "$tmp/out" "$tmp/err"
[[ $rc -eq 1 ]] || die "apply exited $rc"
grep -q "^zsvctl: apply: step 4 of 4 failed: create slice uf-c on zsv0 mem 12G .*: asked 12G reserved, 4G left" "$tmp/err" ||
	die "no failed step with the kernel's message"
grep -q "^zsvctl: apply: undid step 1: destroy slice uf-b" "$tmp/err" || die "step 1 not undone"
grep -q "the 3 steps before it were undone; nothing was changed" "$tmp/err" || die "no summary"
zsvctl slice destroy uf-thief || die "destroy the thief"
zsvctl save | cmp - "$tmp/before" || die "save after the failed apply differs"

# Invalid files: the message names the place, and nothing changes (as
# no change can be undone by the next file, one save at the end shows it).
check_invalid() { # WANT_RC MESSAGE FILE-TEXT
	local out rc
	out=$(zsvctl apply --prune - <<<"$3" 2>&1)
	rc=$?
	[[ $rc -eq $1 ]] || die "exit $rc, not $1, for $3: $out"
	grep -qF -- "$2" <<<"$out" || die "'$2' not in: $out"
}
s='"name": "uf-a", "dev": "zsv0"'
check_invalid 2 'zsvctl: -: slices[0] (uf-a): unknown key "color"' \
	"{\"version\": 1, \"slices\": [{$s, \"mem\": \"1G\", \"color\": 1}]}"
check_invalid 2 "zsvctl: -: slices[0] (uf-a): mem '2GB': not a size" \
	"{\"version\": 1, \"slices\": [{$s, \"mem\": \"2GB\"}]}"
check_invalid 2 'zsvctl: -: slices[0] (uf-a): "weight" must be an integer' \
	"{\"version\": 1, \"slices\": [{$s, \"mem\": \"1G\", \"weight\": \"9\"}]}"
check_invalid 2 'zsvctl: -: not valid JSON at line 2, column 1: unexpected end of data' '{"version": 1, "slices": ['
check_invalid 1 "zsvctl: -: slices[1] (uf-x): no device named 'zsv7'; nothing was changed" \
	"{\"version\": 1, \"slices\": [{$s, \"mem\": \"1G\"}, {\"name\": \"uf-x\", \"dev\": \"zsv7\", \"mem\": \"1G\"}]}"
check_invalid 1 "zsvctl: -: device zsv0: its reserved slices would hold 17G, more than its 16G; nothing was changed" \
	"{\"version\": 1, \"slices\": [{$s, \"mem\": \"1G\"}, {\"name\": \"uf-c\", \"dev\": \"zsv0\", \"mem\": \"16G\"}]}"

zsvctl save | cmp - "$tmp/before" || die "an invalid file changed things"

# --prune destroys a busy slice only with --force.
exec 3<>/dev/zsv/uf-b || die "open uf-b"
one="{\"version\": 1, \"slices\": [{$s, \"mem\": \"2G\"}]}"
check_invalid 1 "slice 'uf-b' is not in the file but busy (1 open contexts): --prune destroys it only with --force" "$one"
zsvctl save | cmp - "$tmp/before" || die "a refused --prune changed things"
out=$(zsvctl apply --prune --force - <<<"$one") || die "apply --prune --force"
[[ $out == "destroy slice uf-b (force: revokes 1 open contexts)" ]] || die "force: $out"
zsvctl slice show uf-b >/dev/null 2>&1 && die "uf-b survived"
exit 0
