#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's podman and crun, reading the CDI spec of `zsvctl cdi generate`:
# a container run with --device zsv.io/slice=pod-a sees /dev/zsv/pod-a and
# no other slice's node, its limits in its environment and the same through
# INFO, runs jobs with right results and gets EDQUOT exactly past its
# partition, while a container on pod-b (same device, running at the same
# time) keeps its buffer and results. pod-a destroyed with force under its
# running container: every call there fails ENODEV, nothing crashes. A
# slice that is not in the spec fails `podman run` with podman's message.
# A container given the group pod-g (zsvctl group) sees both its nodes.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "podman runs on the stock kernels (its opens, ioctls, mmaps and forced deletion run here in the selftests)"
. "$ZSV_TOP/tests/containers/lib.bash"
spec=/var/run/cdi/zsv.json
cleanup() {
	podman_teardown
	for s in pod-a pod-b pod-c; do
		zsvctl slice destroy "$s" force >/dev/null 2>&1
	done
	zsvctl group destroy pod-g force >/dev/null 2>&1
	rm -f "$spec"
	rmdir /var/run/cdi 2>/dev/null
	return 0
}
[[ -e $spec ]] && skip "$spec exists already"
trap cleanup EXIT
podman_setup
podman_image
ctl=$PODMAN_DIR/ctl
mkdir "$ctl" || die "mkdir $ctl"

# pod-a and pod-b share zsv0; pod-c, on zsv1, is in no container.
zsvctl slice create zsv0 name pod-a mem 8M weight 200 cap 50 >/dev/null || die "create pod-a"
zsvctl slice create zsv0 name pod-b mem 8M >/dev/null || die "create pod-b"
zsvctl slice create zsv1 name pod-c mem 4M >/dev/null || die "create pod-c"
mkdir -p /var/run/cdi && zsvctl cdi generate -o "$spec" || die "cdi generate"

# run_probe SLICE OUT PROBE-ARGS...: a container on SLICE in the
# background: its nodes, its ZSV_ environment, then zsv-probe.
run_probe() {
	local slice=$1 out=$2
	shift 2
	podman run --rm --pull never --device "zsv.io/slice=$slice" \
		-v "$ctl:/ctl" "$PODMAN_IMAGE" sh -c \
		'echo "nodes: $(ls /dev/zsv)"; env | grep ^ZSV_ | sed "s/^/env /"; exec zsv-probe "$@"' \
		sh "$@" >"$out" 2>&1 &
}

# wait_file FILE PID OUT: until FILE exists, while PID (a container) runs.
wait_file() {
	local i
	for ((i = 0; i < 600; i++)); do
		[[ -e $1 ]] && return 0
		kill -0 "$2" 2>/dev/null || die "container exited early: $(cat "$3")"
		sleep 0.1
	done
	die "timed out waiting for $1: $(cat "$3")"
}

# has OUT LINE: OUT has LINE, whole.
has() {
	grep -qxF -- "$2" "$1" || die "no line '$2' in: $(cat "$1")"
}

# The container on pod-b fills a buffer and holds it until told; the one
# on pod-a (started at the same time, as podman is slow to start) runs
# once pod-b's buffer is there. pod-a's 8M: 1M + one page of results,
# then exactly the rest fits.
out_b=$ctl/b.out out_a=$ctl/a.out
run_probe pod-b "$out_b" fill 1M 0x0b0b0b0b ready /ctl/b.ready wait /ctl/b.go verify calls
pid_b=$!
run_probe pod-a "$out_a" wait /ctl/b.ready info fill 1M 0x0a0a0a0a \
	alloc 7340032 alloc 7335936 alloc 4096 ready /ctl/a.ready wait /ctl/a.go calls
pid_a=$!
wait_file "$ctl/b.ready" "$pid_b" "$out_b"
wait_file "$ctl/a.ready" "$pid_a" "$out_a"
cat "$out_a"
has "$out_a" "nodes: pod-a"
has "$out_a" "info ZSV_SLICE=pod-a"
has "$out_a" "info ZSV_SLICE_DEV=zsv0"
has "$out_a" "info ZSV_SLICE_MEM_BYTES=8388608"
has "$out_a" "info ZSV_SLICE_WEIGHT=200"
has "$out_a" "info ZSV_SLICE_CAP_PCT=50"
# What INFO says, the environment says too.
while read -r line; do
	has "$out_a" "env $line"
done <<<"$(sed -n 's/^info //p' "$out_a")"
has "$out_a" "fill 1048576 0x0a0a0a0a: ok crc32=$($PY -c "import zlib; print('%08x' % zlib.crc32(b'\x0a' * 1048576))")"
has "$out_a" "alloc 7340032: EDQUOT"
has "$out_a" "alloc 7335936: ok"
has "$out_a" "alloc 4096: EDQUOT"
[[ $(zsvctl -j slice show pod-a | json "j['mem_used']") == 8388608 ]] ||
	die "pod-a's memory use seen from the host: $(zsvctl -j slice show pod-a)"

# Destroyed under its running container: the container's calls fail
# ENODEV, the container ends normally.
zsvctl slice destroy pod-a force || die "destroy pod-a force"
touch "$ctl/a.go"
wait "$pid_a" || die "container on pod-a failed: $(cat "$out_a")"
has "$out_a" "calls: INFO=ENODEV BO_CREATE=ENODEV SUBMIT=ENODEV WAIT=ENODEV BO_MMAP_OFFSET=ENODEV"

# pod-b saw none of it.
touch "$ctl/b.go"
wait "$pid_b" || die "container on pod-b failed: $(cat "$out_b")"
cat "$out_b"
has "$out_b" "nodes: pod-b"
has "$out_b" "env ZSV_SLICE=pod-b"
grep -q '^fill 1048576 0x0b0b0b0b: ok crc32=' "$out_b" || die "pod-b's fill: $(cat "$out_b")"
has "$out_b" "verify: ok (1 buffers)"
has "$out_b" "calls: INFO=ok BO_CREATE=ok SUBMIT=ok WAIT=ok BO_MMAP_OFFSET=ok"

# pod-a left the spec with its slice (zsvctl refreshes it): podman refuses
# it, and says only that it cannot resolve it.
err=$(podman run --rm --pull never --device zsv.io/slice=pod-a "$PODMAN_IMAGE" true 2>&1)
status=$?
echo "$err"
[[ $status -ne 0 ]] || die "podman run on a destroyed slice succeeded"
[[ $err == "Error: setting up CDI devices: unresolvable CDI devices zsv.io/slice=pod-a" ]] ||
	die "podman's message: $err"

# A group's device (zsvctl refreshes the spec): every node of the group,
# one slice on each device, and the group's environment.
zsvctl group create pod-g count 2 mem 4M >/dev/null || die "create group pod-g"
devs=$(zsvctl -j group show pod-g | json "','.join(j['devs'])")
out=$(podman run --rm --pull never --device zsv.io/slice=pod-g "$PODMAN_IMAGE" sh -c \
	'echo nodes: $(ls /dev/zsv); env | grep ^ZSV_ | sort' 2>&1) ||
	die "container on group pod-g failed: $out"
echo "$out"
[[ $out == "nodes: pod-g-0 pod-g-1
ZSV_GROUP=pod-g
ZSV_GROUP_COUNT=2
ZSV_GROUP_DEVS=$devs
ZSV_GROUP_MEM_BYTES=4194304,4194304
ZSV_GROUP_SLICES=pod-g-0,pod-g-1" ]] || die "container on group pod-g saw: $out"
exit 0
