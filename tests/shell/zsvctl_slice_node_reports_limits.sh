#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# libzsv's zsv_slice_open() and zsv_slice_get_info() (ZSV_IOCTL_INFO)
# report a slice's limits as zsvctl set them; run by the unit test binary.
. "$(dirname "$0")/../lib.sh"
t=$ZSV_TOP/tests/unit/units_test
[[ -x $t ]] || die "$t is not built (make tests)"
trap 'zsvctl slice destroy info force 2>/dev/null' EXIT
zsvctl slice create zsv1 name info mem 3G mode shared weight 42 cap 7 \
	timeslice 3ms >/dev/null || die "create"
ZSV_TEST_SLICE=info "$t" -t slice_info_reports_the_limits || die "units_test"
