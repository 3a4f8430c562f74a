#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# While slices churn (zsv-bench creates and destroys them through libzsv
# as fast as it can, zsvctl changes one), a reader that reads `zsvctl cdi
# watch`'s spec over and over always finds it there and whole; once the
# churn stops, the spec settles on the slices there are, resolves in
# Debian's CDI library, and no temporary file is left behind.
. "$(dirname "$0")/../lib.sh"
dir=$(mktemp -d)
spec=$dir/zsv.json
watcher=
reader=
cleanup() {
	[[ -n $watcher ]] && kill "$watcher" 2>/dev/null
	[[ -n $reader ]] && kill "$reader" 2>/dev/null
	local node
	for node in /dev/zsv/cdi-churn-* /dev/zsv/churn0 /dev/zsv/keep; do
		[[ -e $node ]] && zsvctl slice destroy "${node##*/}" force >/dev/null 2>&1
	done
	rm -rf "$dir"
}
trap cleanup EXIT

zsvctl slice create zsv0 name keep mem 1G >/dev/null || die "create keep"
zsvctl cdi watch -o "$spec" 2>"$dir/stderr" &
watcher=$!
for ((i = 0; i < 50; i++)); do [[ -e $spec ]] && break; sleep 0.1; done
[[ -e $spec ]] || die "no spec: $(cat "$dir/stderr")"

# The reader: until $dir/stop appears, open, read and parse the spec; any
# miss or partial file ends it with status 1.  It says how many reads.
$PY - "$spec" "$dir/stop" >"$dir/reads" <<'PY' &
import json, os, sys
path, stop = sys.argv[1], sys.argv[2]
reads = 0
while not os.path.exists(stop):
    try:
        with open(path) as f:
            text = f.read()
        spec = json.loads(text)
        assert spec["cdiVersion"] == "0.5.0" and spec["kind"] == "zsv.io/slice", text
        assert any(d["name"] == "keep" for d in spec["devices"]), text
    except Exception as e:
        print("read %d failed: %r" % (reads, e))
        sys.exit(1)
    reads += 1
print(reads)
PY
reader=$!

start=$SECONDS
zsvctl slice create zsv1 name churn0 mem 256M >/dev/null || die "create churn0"
"$ZSV_TOP/userspace/bench/zsv-bench" churn --prefix cdi-churn --counts 1,8 --iterations 5 >/dev/null ||
	die "zsv-bench churn"
zsvctl slice set churn0 weight 42 || die "set churn0"
echo "# churn: $((SECONDS - start)) s"

# It settles on the slices there are.
for ((i = 0; i < 50; i++)); do
	got=$(json "[(d['name'], d['containerEdits']['env'][4]) for d in j['devices']]" <"$spec")
	[[ $got == "[('churn0', 'ZSV_SLICE_WEIGHT=42'), ('keep', 'ZSV_SLICE_WEIGHT=100')]" ]] && break
	sleep 0.1
done
[[ $got == "[('churn0', 'ZSV_SLICE_WEIGHT=42'), ('keep', 'ZSV_SLICE_WEIGHT=100')]" ]] || die "settled on $got"
touch "$dir/stop"
wait "$reader" || die "the reader saw a missing or partial spec: $(cat "$dir/reads")"
reader=
echo "# reads: $(cat "$dir/reads")"
[[ $(cat "$dir/reads") -gt 10 ]] || die "too few reads to tell: $(cat "$dir/reads")"
[[ $(cdi_check -dir "$dir" | json "sorted(j)") == "['zsv.io/slice=churn0', 'zsv.io/slice=keep']" ]] ||
	die "the CDI library does not resolve both"
kill -INT "$watcher"
wait "$watcher" || die "SIGINT: exit status $?"
watcher=
[[ $(ls -A "$dir") == $'reads\nstderr\nstop\nzsv.json' ]] || die "left behind: $(ls -A "$dir")"
