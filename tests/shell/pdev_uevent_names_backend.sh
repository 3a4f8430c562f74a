#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# udev can match pdevs by type and backend.
. "$(dirname "$0")/../lib.sh"
ev=$(cat /sys/class/zsv/zsv0/uevent)
grep -qx 'DEVTYPE=zsv_pdev' <<<"$ev" || die "no DEVTYPE: $ev"
grep -qx 'ZSV_BACKEND=sim' <<<"$ev" || die "no ZSV_BACKEND: $ev"
