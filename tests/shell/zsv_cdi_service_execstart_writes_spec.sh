#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/systemd/zsv-cdi.service's ExecStart, read out of the unit (with
# zsvctl where this tree has it, as `make install SBINDIR=...` writes
# it), run as systemd would run a Type=notify service: it writes
# /var/run/cdi/zsv.json (making the directory: /var/run is a tmpfs at
# boot) before it says READY=1 on $NOTIFY_SOCKET, keeps it current, and
# stops cleanly on SIGTERM (status 0).
. "$(dirname "$0")/../lib.sh"
unit=$ZSV_TOP/scripts/systemd/zsv-cdi.service
spec=/var/run/cdi/zsv.json
[[ -e $spec || -e /var/run/cdi ]] && skip "/var/run/cdi exists already"
dir=$(mktemp -d)
service=
cleanup() {
	[[ -n $service ]] && kill "$service" 2>/dev/null
	zsvctl slice destroy svc-a force 2>/dev/null
	zsvctl dev set zsv0 timeslice 2ms 2>/dev/null
	rm -rf "$dir" /var/run/cdi
}
trap cleanup EXIT

grep -qx "Type=notify" "$unit" || die "the unit is not Type=notify"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
read -ra cmd <<<"$exec_start"
[[ ${cmd[0]} == /usr/local/sbin/zsvctl ]] || die "ExecStart runs ${cmd[0]}, not what make install rewrites"
cmd[0]=$(command -v zsvctl)
echo "# ${cmd[*]}"
zsvctl slice create zsv0 name svc-a mem 1G weight 30 >/dev/null || die "create"

# systemd's side of sd_notify: a datagram socket; the first message must
# be READY=1, and the spec must be there when it comes.
$PY - "$dir/notify" "$spec" >"$dir/notify.out" <<'PY' &
import os, socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
sock.settimeout(10)
msg = sock.recv(4096).decode()
print(msg, os.path.exists(sys.argv[2]))
PY
listener=$!
for ((i = 0; i < 50; i++)); do [[ -S $dir/notify ]] && break; sleep 0.1; done
NOTIFY_SOCKET=$dir/notify "${cmd[@]}" 2>"$dir/stderr" &
service=$!
wait "$listener" || die "no notification: $(cat "$dir/stderr")"
[[ $(cat "$dir/notify.out") == "READY=1 True" ]] || die "notified '$(cat "$dir/notify.out")'"
[[ $(stat -c %a /var/run/cdi) == 755 ]] || die "/var/run/cdi mode $(stat -c %a /var/run/cdi)"
got=$(cdi_check zsv.io/slice=svc-a) || die "the CDI library refused the spec"
[[ $(json "'ZSV_SLICE_WEIGHT=30' in j['zsv.io/slice=svc-a']['env']" <<<"$got") == True ]] || die "resolved: $got"

# zsvctl's slice commands refresh this file themselves; dev set does not.
zsvctl dev set zsv0 timeslice 4ms || die "dev set"
for ((i = 0; i < 50; i++)); do
	grep -q '"ZSV_SLICE_TIMESLICE_NS=4000000"' "$spec" && break
	sleep 0.1
done
grep -q '"ZSV_SLICE_TIMESLICE_NS=4000000"' "$spec" || die "not kept current: $(cat "$spec")"

kill -TERM "$service"
wait "$service" || die "SIGTERM: exit status $?; $(cat "$dir/stderr")"
service=
[[ -e $spec ]] || die "the spec went with the service"
