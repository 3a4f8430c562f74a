#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `zsvctl cdi watch` keeps its spec current whoever changes a slice: the
# kernel's YNL CLI creates, changes and deletes one, another zsvctl does
# too (writing no spec of its own: the watcher's file is not the one
# zsvctl refreshes), and a pdev's timeslice shows in its slices' env.
# Every spec it writes resolves in Debian's CDI library; SIGTERM ends it
# with status 0 and the spec in place.
. "$(dirname "$0")/../lib.sh"
[[ -n ${ZSV_DEBUG_TIER:-} ]] && skip "the YNL CLI runs on the stock kernels (the events cdi watch follows run here in zsvctl_cdi_watch_spec_never_missing_or_partial)"
dir=$(mktemp -d)
spec=$dir/cdi/zsv.json
watcher=
cleanup() {
	[[ -n $watcher ]] && kill "$watcher" 2>/dev/null
	zsvctl slice destroy ynl-w force 2>/dev/null
	zsvctl slice destroy 7w force 2>/dev/null
	zsvctl dev set zsv0 timeslice 2ms 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# The directory is made for it; vendor as for generate.
zsvctl cdi watch -o "$spec" vendor zsv.io 2>"$dir/stderr" &
watcher=$!
for ((i = 0; i < 50; i++)); do grep -q watching "$dir/stderr" && break; sleep 0.1; done
grep -q "zsvctl: wrote $spec; watching for changes" "$dir/stderr" || die "not started: $(cat "$dir/stderr")"
[[ $(json "(j['cdiVersion'], j['kind'])" <"$spec") == "('0.5.0', 'zsv.io/slice')" ]] || die "spec: $(cat "$spec")"

# One Python process drives the kernel's YNL library (one process, not
# one cli.py per request: Python and the YAML spec take seconds to load
# under TCG) and, after each change, waits until the CDI library resolves
# the spec to what the change means.
$PY - "$ZSV_TOP" "$dir/cdi" <<'PY' || die "the spec did not follow"
import json, subprocess, sys, time
top, cdi_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, top + "/build/linux-source-6.12/tools/net/ynl")
from lib import YnlFamily
ynl = YnlFamily(top + "/Documentation/netlink/specs/zsv.yaml", "")
VARS = ("ZSV_SLICE_WEIGHT", "ZSV_SLICE_TIMESLICE_NS")

def resolved():
    """Every device as the CDI library resolves it: name -> (node, vars)."""
    out = subprocess.run([top + "/build/cdi-check", "-dir", cdi_dir],
                         capture_output=True, text=True)
    if out.returncode:
        # The spec lags the kernel by the watcher's coalescing: a slice
        # just destroyed is still listed for a moment, and the library
        # refuses its missing node. Only the last try counts.
        return "cdi-check: " + out.stderr
    return {k.split("=", 1)[1]: (v["deviceNodes"][0]["path"],
                                 sorted(e for e in v["env"] if e.split("=")[0] in VARS))
            for k, v in json.loads(out.stdout).items()}

def wait_for(what, want):
    want = {n: ("/dev/zsv/" + n, sorted("%s=%s" % kv for kv in zip(VARS, v)))
            for n, v in want.items()}
    for _ in range(50):
        got = resolved()
        if got == want:
            print("ok:", what, flush=True)
            return
        time.sleep(0.1)
    raise SystemExit("after %s: want %s, got %s" % (what, want, got))

def zsvctl(*args):
    subprocess.run(["zsvctl"] + list(args), check=True, stdout=subprocess.DEVNULL)

ynl.do("slice-new", {"name": "ynl-w", "dev-name": "zsv0", "mem-bytes": 1 << 30, "weight": 250})
wait_for("YNL slice-new", {"ynl-w": (250, 2000000)})
ynl.do("slice-set", {"name": "ynl-w", "weight": 77})
wait_for("YNL slice-set", {"ynl-w": (77, 2000000)})
# Another zsvctl; a name that starts with a digit needs CDI 0.5.0.
zsvctl("slice", "create", "zsv1", "name", "7w", "mem", "1G", "weight", "5", "timeslice", "1ms")
wait_for("zsvctl slice create", {"ynl-w": (77, 2000000), "7w": (5, 1000000)})
# The pdev's quantum is the slice's when it has none of its own.
zsvctl("dev", "set", "zsv0", "timeslice", "3ms")
wait_for("zsvctl dev set", {"ynl-w": (77, 3000000), "7w": (5, 1000000)})
ynl.do("slice-del", {"name": "ynl-w"})
wait_for("YNL slice-del", {"7w": (5, 1000000)})
zsvctl("slice", "destroy", "7w")
wait_for("zsvctl slice destroy", {})
PY

kill -TERM "$watcher"
wait "$watcher"
status=$?
watcher=
[[ $status == 0 ]] || die "SIGTERM: exit status $status; $(cat "$dir/stderr")"
[[ $(json "j['devices']" <"$spec") == "[]" ]] || die "spec after exit: $(cat "$spec")"
[[ $(ls -A "$dir/cdi") == zsv.json ]] || die "temporary files left: $(ls -A "$dir/cdi")"
! grep -v "watching for changes" "$dir/stderr" || die "said more than it should"
