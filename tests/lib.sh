# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the shell tests that run in the test VM (sourced).

# Debian's python3, which has python3-yaml and python3-jsonschema.
PY=/usr/bin/python3
ZSV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZSV_KO=$ZSV_TOP/build/$(uname -r)

die() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# json EXPR: evaluate a Python expression over the JSON on stdin, as "j".
json() {
	# -S: no site-packages to scan; each start costs seconds on the debug kernel.
	$PY -S -c "import json, sys; j = json.load(sys.stdin); print($1)"
}

zsv_load() {
	insmod "$ZSV_KO/zsv.ko" || return
	insmod "$ZSV_KO/zsv_sim.ko" "$@"
}

zsv_unload() {
	rmmod zsv_sim 2>/dev/null
	rmmod zsv 2>/dev/null
	! lsmod | grep -q '^zsv'
}

# cdi_check [-dir DIR] [DEVICE...]: resolve CDI devices with Debian's CDI
# library, as podman does (tests/cdi/cdi-check.go; `make tests` builds it).
cdi_check() {
	[[ -x $ZSV_TOP/build/cdi-check ]] ||
		die "build/cdi-check is missing: run tests/cdi/build (make tests does)"
	"$ZSV_TOP/build/cdi-check" "$@"
}

# zsv-bench compare of the -j report $1 against itself, as make bench
# BASE= reads reports: prints its table, or its error and returns 1.
bench_compare_self() {
	local report out status
	report=$(mktemp)
	printf '%s\n' "$1" >"$report"
	out=$("$ZSV_TOP/userspace/bench/zsv-bench" compare -b "$report" -n "$report" 2>&1)
	status=$?
	rm -f "$report"
	printf '%s\n' "$out"
	return $status
}
