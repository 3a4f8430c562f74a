#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# zsv-fuzz with zsv_mdev loaded: a tenth of its root iterations go to the
# VFIO target (tests/fuzz/mdevfuzz.c): mdev creation and removal with good
# and bad input, VFIO ioctls, region accesses, BAR2 mappings, ring entries
# and DMA, per-instance attributes and forced deletion, with the model's
# invariants checked after every step. Seeded by the date, as in
# tests/shell/fuzz_netlink_and_ioctls.tap.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fuzz=$top/tests/fuzz/zsv-fuzz
[[ -x $fuzz ]] || { echo "tests/fuzz/zsv-fuzz is not built (make tests)"; exit 77; }
[[ -d /sys/class/mdev_bus/zsv0 ]] || { echo "zsv_mdev is not loaded"; exit 77; }
seed=$(date -u +%Y%m%d)
out=$("$fuzz" --seed "$seed" --iterations 5000 --max-seconds 60 2>&1)
status=$?
echo "$out" | tail -n 5
((status == 0)) || exit 1
# The VFIO target must have run, not been skipped.
grep -qE 'vfio [1-9][0-9]*/' <<<"$out" || { echo "the VFIO target did not run"; exit 1; }
