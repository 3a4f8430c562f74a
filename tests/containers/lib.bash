# SPDX-License-Identifier: GPL-2.0-only
#
# Rootful podman inside the test VM, for the container tests (sourced after
# tests/lib.sh). Documentation/containers.rst ("podman") explains each piece.
#
#   podman_setup     skip (exit 77) on a kernel podman cannot run on;
#                    configure podman in a tmpfs of its own and export
#                    CONTAINERS_CONF, CONTAINERS_STORAGE_CONF and
#                    CONTAINERS_REGISTRIES_CONF, so that a plain `podman`
#                    uses it; call podman_teardown on exit
#   podman_image     import the image $PODMAN_IMAGE (busybox and zsv-probe)
#   podman_teardown  remove every container, the storage and what
#                    podman_setup mounted
#
# The VM boots on the host's root with only proc, sys, dev (with /dev/shm),
# /run and /tmp mounted. What podman needs beyond that is made here, never
# on the host:
#   - cgroup2 on /sys/fs/cgroup (crun puts every container in a cgroup;
#     the VM's init mounts none);
#   - storage: driver vfs (no overlay on top of the overlay root), graphroot
#     and runroot on a tmpfs of our own, image copies in it too;
#   - engine: cgroup manager cgroupfs (no systemd in the VM), events to a
#     file (no journald), runtime crun, no network (netns "none": there is
#     no network in the VM and no netavark or CNI setup to do);
#   - registries: none (the image is imported; nothing is ever pulled).
# policy.json (/etc/containers, from golang-github-containers-common) is used
# as installed: podman import reads it.

PODMAN_DIR=/run/zsv-podman
PODMAN_IMAGE=localhost/zsv-probe:test
PODMAN_PROBE=$ZSV_TOP/tests/containers/zsv-probe
podman_mounted_cgroup=0

# podman_kernel_missing: what of the kernel podman and crun need is not
# there (one CONFIG_ name a line). The stock Debian kernels have it all;
# the debug kernel of make check-debug, made from tinyconfig, may not.
podman_kernel_missing() {
	[[ -e /proc/sys/kernel/unprivileged_bpf_disabled ]] ||
		echo "CONFIG_BPF_SYSCALL (crun's device filter)"
	grep -q '^Seccomp:' /proc/self/status || echo CONFIG_SECCOMP
	[[ -d /proc/sys/fs/mqueue ]] || echo "CONFIG_POSIX_MQUEUE (/dev/mqueue)"
	grep -qw cgroup2 /proc/filesystems || echo CONFIG_CGROUPS
}

podman_setup() {
	local tool missing

	for tool in podman crun conmon; do
		command -v "$tool" >/dev/null || die "$tool is not installed (scripts/deps.sh)"
	done
	[[ -x $PODMAN_PROBE ]] || die "$PODMAN_PROBE is not built (make -C tests/containers)"
	[[ -e /etc/containers/policy.json ]] ||
		die "/etc/containers/policy.json is missing (golang-github-containers-common)"
	missing=$(podman_kernel_missing)
	[[ -z $missing ]] ||
		skip "kernel $(uname -r) lacks what podman needs: $(paste -sd ' ' <<<"$missing")"

	if ! grep -q '^cgroup2 /sys/fs/cgroup ' /proc/mounts; then
		mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup ||
			die "cannot mount cgroup2 on /sys/fs/cgroup"
		podman_mounted_cgroup=1
	fi

	mkdir -p "$PODMAN_DIR" && mount -t tmpfs -o mode=0700 zsv-podman "$PODMAN_DIR" ||
		die "cannot mount a tmpfs on $PODMAN_DIR"
	mkdir -p "$PODMAN_DIR"/{etc,storage,run,tmp,libpod} || die "mkdir in $PODMAN_DIR"

	cat >"$PODMAN_DIR/etc/containers.conf" <<-EOF || die "containers.conf"
		[containers]
		netns = "none"

		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$PODMAN_DIR/run/events.log"
		runtime = "crun"
		tmp_dir = "$PODMAN_DIR/libpod"
		image_copy_tmp_dir = "$PODMAN_DIR/tmp"
	EOF
	cat >"$PODMAN_DIR/etc/storage.conf" <<-EOF || die "storage.conf"
		[storage]
		driver = "vfs"
		graphroot = "$PODMAN_DIR/storage"
		runroot = "$PODMAN_DIR/run"
	EOF
	cat >"$PODMAN_DIR/etc/registries.conf" <<-EOF || die "registries.conf"
		unqualified-search-registries = []
		short-name-mode = "enforcing"
	EOF
	export CONTAINERS_CONF=$PODMAN_DIR/etc/containers.conf
	export CONTAINERS_STORAGE_CONF=$PODMAN_DIR/etc/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$PODMAN_DIR/etc/registries.conf
	export TMPDIR=$PODMAN_DIR/tmp
}

# podman_image: a rootfs of busybox (static, from the host) and zsv-probe,
# imported as $PODMAN_IMAGE; no registry, no network.
podman_image() {
	local rootfs=$PODMAN_DIR/rootfs applet

	mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp} || die "mkdir $rootfs"
	cp /bin/busybox "$rootfs/bin/busybox" || die "cannot copy busybox"
	for applet in sh ls cat env grep sort sleep test; do
		ln -s busybox "$rootfs/bin/$applet" || die "ln $applet"
	done
	cp "$PODMAN_PROBE" "$rootfs/bin/zsv-probe" || die "cannot copy zsv-probe"
	tar -C "$rootfs" -c . | podman import -q --change 'ENV PATH=/bin' \
		- "$PODMAN_IMAGE" >/dev/null || die "podman import failed"
	rm -rf "$rootfs"
}

podman_teardown() {
	local dir

	# podman costs seconds under TCG: call it only if a container is left.
	if pgrep -x conmon >/dev/null; then
		podman rm -a -f -t 0 >/dev/null 2>&1
	fi
	umount "$PODMAN_DIR" 2>/dev/null && rmdir "$PODMAN_DIR"
	((podman_mounted_cgroup)) || return 0
	# Children before parents: podman's cgroups, then ours goes.
	for dir in $(find /sys/fs/cgroup -mindepth 1 -type d | sort -r); do
		rmdir "$dir" 2>/dev/null
	done
	umount /sys/fs/cgroup 2>/dev/null
	return 0
}
