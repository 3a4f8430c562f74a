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
	$PY -c "import json, sys; j = json.load(sys.stdin); print($1)"
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
