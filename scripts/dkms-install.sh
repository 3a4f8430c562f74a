#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install zsv's kernel modules through DKMS, so that they are rebuilt for
# every kernel the machine installs later.
#
# Usage: scripts/dkms-install.sh [KERNELRELEASE...]
#   Copies the module sources to /usr/src/zsv-VERSION, then runs
#   dkms add, build and install for each release (default: the running
#   kernel, as dkms decides). Needs root.
#        scripts/dkms-install.sh --remove
#   Removes zsv from DKMS for all kernels.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/zsv-$version

if [[ ${1:-} == --remove ]]; then
	dkms remove -m zsv -v "$version" --all >/dev/null 2>&1 || true
	rm -rf "$src"
	exit 0
fi

# Start from a clean slate, so a re-run installs the current sources.
if dkms status -m zsv -v "$version" | grep -q .; then
	dkms remove -m zsv -v "$version" --all >/dev/null
fi
rm -rf "$src"
mkdir -p "$src"
(cd "$top" && cp -r --parents dkms.conf Kbuild kmod uapi "$src")
# DKMS builds outside the git tree; record the version it would describe.
if describe=$(git -C "$top" describe --always --dirty 2>/dev/null); then
	printf '#define ZSV_VERSION "%s"\n' "$describe" >"$src/kmod/version.h"
fi

dkms add -m zsv -v "$version"
if [[ $# -eq 0 ]]; then
	dkms build -m zsv -v "$version"
	dkms install -m zsv -v "$version"
else
	for k in "$@"; do
		dkms build -m zsv -v "$version" -k "$k"
		dkms install -m zsv -v "$version" -k "$k"
	done
fi
