# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the mdev shell tests (sourced, on top of tests/lib.sh). Under
# TCG every program started costs a fifth of a second, so these use bash
# alone: no python, no command substitution where a variable will do.

# jfield JSON KEY...: REPLY is the values of the top-level KEYs of a flat
# JSON object (as zsvctl -j prints one), separated by spaces; strings come
# without quotes. A missing key gives "?".
jfield() {
	local json=$1 key out=()
	shift
	for key in "$@"; do
		if [[ $json =~ \"$key\":(\"([^\"]*)\"|[a-z0-9.-]+) ]]; then
			out+=("${BASH_REMATCH[2]:-${BASH_REMATCH[1]}}")
		else
			out+=("?")
		fi
	done
	REPLY=${out[*]}
}

# new_uuid: REPLY is a random UUID.
new_uuid() {
	read -r REPLY </proc/sys/kernel/random/uuid
}

# types_of PARENT: REPLY is "TYPE AVAILABLE DEVICE_API" of each type that
# `mdevctl types -p PARENT` lists, one per line, in its order.
types_of() {
	local line type='' avail='' api='' out=()
	while IFS= read -r line; do
		case $line in
		"  "zsv-*) type=${line#  } ;;
		*"Available instances: "*) avail=${line##*: } ;;
		*"Device API: "*)
			api=${line##*: }
			out+=("$type $avail $api")
			;;
		esac
	done <<<"$(mdevctl types -p "$1")"
	REPLY=$(printf '%s\n' "${out[@]}")
}

# mdevctl refuses every command while scripts.d/callouts or notifiers is
# missing (Debian's package does not make them; `make install` does):
# make them, and remove what we made on exit via mdevctl_dirs_cleanup.
mdevctl_made_dirs=()
mdevctl_dirs() {
	local d
	for d in /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers; do
		[[ -d $d ]] || { mkdir -p "$d" && mdevctl_made_dirs+=("$d"); }
	done
}
mdevctl_dirs_cleanup() {
	[[ ${#mdevctl_made_dirs[@]} -eq 0 ]] || rmdir "${mdevctl_made_dirs[@]}" 2>/dev/null
}
