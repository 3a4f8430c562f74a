#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages zsv needs to build, test and demo, if any are
# missing. Runs `apt-get update` once, and only when something is missing.
#
# Usage: scripts/deps.sh [--check] [--demo]
#   --check  only list what is missing
#   --demo   only what `make demo` needs (one kernel, the VM, the
#            userspace's libraries, mdevctl and podman); `make check` and
#            the rest install everything
set -euo pipefail

check=0 demo=0
for arg in "$@"; do
	case $arg in
	--check) check=1 ;;
	--demo) demo=1 ;;
	*) echo "usage: scripts/deps.sh [--check] [--demo]" >&2; exit 2 ;;
	esac
done

demo_packages=(
	build-essential pkg-config kmod cpio xz-utils zstd
	# the newest supported kernel: its image boots in the VM, headers build
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# the test VM
	qemu-system-x86 busybox-static
	# userspace
	libnl-3-dev libnl-genl-3-dev libcap-dev libjson-c-dev
	# zsv-guest of the nested test is static, with zlib's CRC
	zlib1g-dev
	# the demo's load generator (tests/slice-load)
	python3
	# a slice for a VM, and one for a container (tests/containers/lib.bash
	# mounts cgroup2 and looks for containers left running)
	mdevctl podman crun catatonit mount procps
)

packages=(
	"${demo_packages[@]}"
	# the other supported kernel
	linux-image-amd64 linux-headers-amd64
	# kselftest harness, checkpatch.pl, YNL CLI and .clang-format
	linux-source-6.12
	# building the debug kernel of make check-debug from that source
	# (Kconfig's parsers, objtool, timeconst, the certificate tools)
	bc bison flex libelf-dev libssl-dev
	# lint and packaging
	sparse dkms
	# YNL CLI (Debian's python3, not another interpreter on PATH)
	python3-yaml python3-jsonschema
	# man page check
	groff-base
	# the CDI library podman reads specs with, built by the tests into a
	# checker of every spec zsvctl writes (Documentation/containers.rst)
	golang-go
	golang-github-container-orchestrated-devices-container-device-interface-dev
	# metrics: promtool, a Prometheus server and node_exporter's textfile
	# collector scrape `zsvctl stats` in the VM; zsvctl top runs in tmux
	prometheus prometheus-node-exporter tmux
	# leak checks of zsvctl in the unit and VM tests
	valgrind
	# libFuzzer targets of the userspace parsers (tests/fuzz): clang and
	# its runtime, which clang only recommends
	clang libclang-rt-dev
)

((demo)) && packages=("${demo_packages[@]}")
missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
	exit 0
fi
if ((check)); then
	printf '%s\n' "${missing[@]}"
	exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
	echo "zsv: missing Debian packages: ${missing[*]}" >&2
	echo "zsv: install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "zsv: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
