#!/bin/bash
# Description: scripts/fuzz on an unusable --out (exit 2 before anything
# runs), interrupted by SIGINT (triage, corpus merge and report still happen;
# exit 1 for its findings), interrupted twice (130 at once), and killed with
# kill -9 (no worker survives).
# usage: runner.sh CANCELFUZZ SOURCE_DIR
# Exit 0 pass, 1 fail, 77 io_uring not usable here.
set -u
CF=$(readlink -f "$1") SRC=$(readlink -f "$2")
. "$SRC/tests/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-robust-runner.XXXXXX") || exit 1
trap cleanup EXIT
cd "$T" || exit 1
unset CF_FAULT
export CF_BUILD_DIR
CF_BUILD_DIR=$(dirname "$CF")
FZ=$SRC/scripts/fuzz
"$CF" probe >/dev/null 2>&1 || { [ $? -eq 77 ] && { echo "io_uring not usable: skipped"; exit 77; }; }

if mount_tmpfs ro ro,size=64k; then
	run "$FZ" --engine builtin --time 5 --no-build --out ro
	want_rc "scripts/fuzz, read-only --out" 2
	want_in "scripts/fuzz, read-only --out" "$T/err" "fuzz: --out $T/ro: not writable: Read-only file system"
	[ -z "$(ls ro)" ] || fail "scripts/fuzz wrote into a read-only --out"
else
	echo "note: mount not permitted: read-only --out not tested"
fi

# SIGINT after the first finding: the run ends as a finished one does.
CF_FAULT=more-on-final "$FZ" --engine builtin --time 120 --jobs 2 --seed 3 --no-build \
	--out "$T/int" >int.out 2>int.err &
pid=$!
for _ in $(seq 300); do # until a worker saved a finding
	ls int/runs/*/findings-*/*.verdict >/dev/null 2>&1 && break
	sleep 0.1
done
kill -INT $pid
wait $pid
RC=$?
cp int.err "$T/err"
want_rc "scripts/fuzz after SIGINT" 1
want_in "scripts/fuzz after SIGINT" int.err "fuzz: interrupted (SIGINT): stopping the engines"
want_in "scripts/fuzz after SIGINT" int.err "fuzz: interrupted after"
want_in "report.md after SIGINT" int/report.md "**Interrupted** (SIGINT)"
python3 - "$T/int" "$("$CF" --version)" <<'PY' || fail "report.json after SIGINT"
import json, os, sys
out, version = sys.argv[1], sys.argv[2]
r = json.load(open(os.path.join(out, "report.json")))
assert r["interrupted"] == "SIGINT", r["interrupted"]
assert 0 < r["elapsed_seconds"] < 100, r["elapsed_seconds"]
assert version == f"cancelfuzz {r['harness']['version']} (commit {r['harness']['commit']})", r["harness"]
assert r["exit_code"] == 1 and r["new_findings"], "no new finding"
assert all(" --fault more-on-final " in f["replay"] for f in r["new_findings"])
assert r["corpus"]["after"] > 0 and len(os.listdir(r["corpus"]["dir"])) == r["corpus"]["after"]
PY
[ -z "$(ls -d int/corpus.* 2>/dev/null)" ] || fail "corpus merge left $(ls -d int/corpus.*)"

# A second SIGINT, during triage, stops at once: 130, no process left.
CF_FAULT=more-on-final "$FZ" --engine builtin --time 120 --jobs 2 --seed 4 --no-build \
	--out "$T/twice" >twice.out 2>twice.err &
pid=$!
for _ in $(seq 300); do # until a worker saved a finding
	ls twice/runs/*/findings-*/*.verdict >/dev/null 2>&1 && break
	sleep 0.1
done
kill -INT $pid
wait_for twice.err "triage of" 30 || fail "second SIGINT: triage never started"
kill -INT $pid
wait $pid
RC=$?
cp twice.err "$T/err"
want_rc "scripts/fuzz after a second SIGINT" 130
want_in "scripts/fuzz after a second SIGINT" twice.err "fuzz: interrupted again: stopping at once"
sleep 0.5
[ -z "$(pgrep -af -- "$T/twice")" ] || fail "second SIGINT left: $(pgrep -af -- "$T/twice")"

# kill -9 of the runner: its workers, and theirs, go with it. Every one of
# them has the --out folder in its command line (the watchdog names it too).
"$FZ" --engine builtin --time 120 --jobs 2 --no-build --out "$T/k9" >k9.out 2>k9.err &
pid=$!
wait_for k9.err "execs" 30 || fail "kill -9: the run never started"
n=$(pgrep -f -- "$T/k9" | grep -vx $pid | wc -l)
[ "$n" -ge 2 ] || fail "kill -9: expected the workers running, found $n processes"
kill -9 $pid
wait $pid 2>/dev/null
for _ in $(seq 50); do
	[ -z "$(pgrep -f -- "$T/k9")" ] && break
	sleep 0.1
done
left=$(pgrep -af -- "$T/k9")
[ -z "$left" ] || fail "kill -9 of scripts/fuzz left: $left"
finish
