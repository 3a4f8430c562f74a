#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `zsv-bench vfio`, short: its JSON carries every figure (latency and
# throughput both ways with their ratios, both share cases, the job
# counts), the jobs it says ran did run (the mdev slice's and the
# netlink slice's jobs_completed, as the bench read them before removing
# them, and the pdev's own jobs_completed grew by their sum), and it left
# no mdev and no slice behind. Runs in the test VM with zsv_mdev loaded
# (tests/vm/run --mdev), in well under 20 s.
set -u -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bench=userspace/bench/zsv-bench
dev=zsv0
[[ -d /sys/class/mdev_bus/$dev ]] || { echo "zsv_mdev is not loaded"; exit 77; }
[[ -x $bench ]] || { echo "$bench is not built (make userspace)"; exit 1; }
py=/usr/bin/python3 # Debian's, as make deps installs it

mdevs() { find /sys/bus/mdev/devices/ -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort; }
dev_jobs() {
	zsvctl -j dev show "$dev" | sed -nE 's/.*"jobs_completed":([0-9]+).*/\1/p' | grep .
}
mdevs_before=$(mdevs)
slices_before=$(cat "/sys/class/zsv/$dev/slice_count")
jobs_before=$(dev_jobs) || { echo "no jobs_completed for $dev"; exit 1; }

iterations=100
start=$(date +%s)
out=$(timeout 60 "$bench" -j vfio -d "$dev" -n $iterations --block 25 -t 0.4s \
	--periods 3 --share-job 1ms --prefix zsv-bench-vfio-test)
rc=$?
echo "zsv-bench vfio: exit status $rc, $(($(date +%s) - start)) s"
((rc == 0)) || { echo "$out"; exit 1; }

fail=0
jobs_after=$(dev_jobs) || { echo "no jobs_completed for $dev"; fail=1; }
[[ $(mdevs) == "$mdevs_before" ]] ||
	{ echo "mdevs before: [$mdevs_before], after: [$(mdevs)]"; fail=1; }
slices_after=$(cat "/sys/class/zsv/$dev/slice_count")
((slices_after == slices_before)) ||
	{ echo "$dev had $slices_before slices, now $slices_after"; fail=1; }
zsvctl slice list | grep -q zsv-bench-vfio-test &&
	{ echo "the netlink slice is still there"; fail=1; }

JOBS_GREW=$((${jobs_after:-0} - jobs_before)) ITERATIONS=$iterations \
	"$py" -c '
import json, os, sys

r = json.loads(sys.stdin.read())
fails = []

def check(ok, what):
    if not ok:
        fails.append(what)

def num(obj, *keys):
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            fails.append("missing: " + ".".join(keys))
            return None
        obj = obj[k]
    if not isinstance(obj, (int, float)) or isinstance(obj, bool):
        fails.append("not a number: " + ".".join(keys))
        return None
    return obj

n = int(os.environ["ITERATIONS"])
check(r.get("bench") == "vfio", "bench is not vfio")
rows = {row.get("figure"): row for row in r.get("results", [])}
for fig in ("latency median", "latency p99", "throughput"):
    row = rows.get(fig)
    if row is None:
        fails.append("no row " + fig)
        continue
    for k in ("ring", "cdev", "ratio"):
        v = num(row, k)
        check(v is None or v > 0, fig + " " + k + " is not above 0")
    check(row.get("verdict") in ("met", "missed"), fig + " has no verdict")

s = r.get("summary", {})
for way in ("ring_ns", "cdev_ns"):
    check(num(s, "latency", way, "count") == n, "latency " + way + " count is not " + str(n))
    for k in ("min", "median", "p99", "max", "mean"):
        v = num(s, "latency", way, k)
        check(v is None or v > 0, "latency " + way + " " + k)
for k in ("ring_jobs_per_s", "cdev_jobs_per_s", "ring_jobs", "cdev_jobs", "ratio"):
    v = num(s, "throughput", k)
    check(v is None or v > 0, "throughput " + k + " is not above 0")

cases = s.get("share", {}).get("cases", [])
check(len(cases) == 2, "share: not 2 cases")
for c in cases:
    check(num(c, "periods") == 3, "share case " + str(c.get("case")) + ": not 3 periods")
    num(c, "err_pp")
    num(c, "period_err_pp")
    kinds = [sl.get("kind") for sl in c.get("slices", [])]
    check(kinds == ["mdev", "netlink"], "share case slices: " + str(kinds))
    for sl in c.get("slices", []):
        for k in ("weight", "cap_pct", "promised_pct", "delivered_pct", "err_pp"):
            num(sl, k)
        check((sl.get("delivered_pct") or 0) > 0, "share: a slice got nothing")
num(s, "share", "max_err_pp")
check(s.get("share", {}).get("verdict") in ("met", "missed"), "share has no verdict")

j = s.get("jobs", {})
counted = num(s, "jobs", "mdev_counted")
check(counted is not None and counted > 0, "mdev: no jobs counted")
check(num(s, "jobs", "mdev_ring") and num(s, "jobs", "mdev_cdev"), "mdev: a way ran no jobs")
check(j.get("mdev_ring", 0) + j.get("mdev_cdev", 0) == counted, "mdev: ring + cdev != counted")
check(j.get("mdev_kernel_completed") == counted,
      "mdev slice: jobs_completed %s, the bench counted %s" % (j.get("mdev_kernel_completed"), counted))
check(num(s, "jobs", "mdev_kernel_failed") == 0, "mdev slice: jobs failed")
check(num(s, "jobs", "ring_errors") == 0, "ring errors")
check(num(s, "jobs", "ring_failed_seen") == 0, "ring: failed statuses seen in the entries")
nl = num(s, "jobs", "netlink_counted")
check(nl is not None and nl > 0, "netlink slice: no jobs counted")
check(j.get("netlink_kernel_completed") == nl,
      "netlink slice: jobs_completed %s, the bench counted %s" % (j.get("netlink_kernel_completed"), nl))
grew = int(os.environ["JOBS_GREW"])
check(counted is not None and nl is not None and grew == counted + nl,
      "the pdev completed %d jobs, the bench counted %s + %s" % (grew, counted, nl))

cl = s.get("cleanup", {})
check(cl.get("mdev_removed") is True, "the bench says the mdev stayed")
check(cl.get("slices_before") == cl.get("slices_after"), "the bench says slices stayed")

for f in fails:
    print("FAIL:", f)
print("jobs: mdev %s (kernel %s), netlink %s (kernel %s), pdev grew %d" %
      (counted, j.get("mdev_kernel_completed"), nl, j.get("netlink_kernel_completed"), grew))
sys.exit(1 if fails else 0)
' <<<"$out" || fail=1
((fail == 0)) || echo "$out"
exit $fail
