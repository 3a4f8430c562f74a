# SPDX-License-Identifier: GPL-2.0-only
#
# TAP helpers shared by the test drivers (sourced, not run).
#
# tap_run NAME CMD...     run CMD; if it prints TAP ("ok"/"not ok" lines)
#                         pass them through, otherwise report one line for
#                         NAME from its exit status (0 pass, 77 skip).
# tap_script NAME CMD...  run CMD as one test: exit 0 pass, 77 skip.
# Both then say how long CMD took, as a TAP comment ("# NAME: N s"), so
# that a slow run shows where its time went.

tap_n=0

tap_line() {
	tap_n=$((tap_n + 1))
	echo "$1 $tap_n - $2"
}

tap_script() {
	local name=$1 out status start=$SECONDS
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	status=$?
	case $status in
	0) tap_line ok "$name" ;;
	77) tap_line ok "$name # SKIP $(tail -n 1 "$out")" ;;
	*)
		tap_line "not ok" "$name (exit status $status)"
		sed 's/^/#   /' "$out"
		;;
	esac
	echo "# $name: $((SECONDS - start)) s"
	rm -f "$out"
}

tap_run() {
	local name=$1 out status start=$SECONDS
	shift
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	if [[ $status -ne 0 ]] && ! grep -q '^not ok' "$out"; then
		tap_line "not ok" "$name exited with status $status"
	fi
	echo "# $name: $((SECONDS - start)) s"
	rm -f "$out"
}
