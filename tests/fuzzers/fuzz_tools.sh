#!/usr/bin/env bash
# Description: the fuzzing tools' command lines: scripts/fuzz rejects bad
# arguments with exit 2 and a message; cancelfuzz triage and cmin reject bad
# usage and judge a seed. usage: fuzz_tools.sh SOURCE_DIR PATH/TO/cancelfuzz
set -uo pipefail
src=$1 cf=$2
fail=0 n=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

expect() { # NAME CODE MESSAGE CMD...: exit CODE and MESSAGE on stderr
	local name=$1 code=$2 msg=$3 rc=0
	shift 3
	n=$((n + 1))
	"$@" >"$t/out" 2>"$t/err" || rc=$?
	if [ "$rc" -ne "$code" ] || ! grep -qF -- "$msg" "$t/err"; then
		echo "FAIL $name: exit $rc (want $code), stderr:" >&2
		sed 's/^/  /' "$t/err" >&2
		fail=$((fail + 1))
	fi
}

fz=$src/scripts/fuzz
expect "no engine" 2 "required: --engine" "$fz" --time 5
expect "bad engine" 2 "invalid choice: 'honggfuzz'" "$fz" --engine honggfuzz --time 5
expect "no time" 2 "required: --time" "$fz" --engine builtin
expect "time zero" 2 "--time: must be from 1" "$fz" --engine builtin --time 0
expect "time text" 2 "--time: not a whole number: 'ten'" "$fz" --engine builtin --time ten
expect "jobs zero" 2 "--jobs: must be from 1" "$fz" --engine builtin --time 5 --jobs 0
expect "bad spec" 2 "invalid choice: 'man'" "$fz" --engine builtin --time 5 --spec man
expect "out is a file" 2 "is not a directory" "$fz" --engine builtin --time 5 --out "$fz"
expect "missing gaps file" 2 "--known-gaps" "$fz" --engine builtin --time 5 --known-gaps "$t/none"
printf 'all-count\ntwo words\n' >"$t/gaps"
expect "bad gaps file" 2 "gaps:2: one invariant name a line" "$fz" --engine builtin --time 5 --known-gaps "$t/gaps"
expect "unknown option" 2 "unrecognized arguments: --frob" "$fz" --engine builtin --time 5 --frob

expect "triage without --out" 2 "triage: needs --out DIR" "$cf" triage "$src/corpora/seeds"
expect "triage bad tries" 2 "--tries needs a number from 1 to 100" "$cf" triage --tries 0 --out "$t/f" x
expect "triage bad option" 2 "triage: unknown option or value: --frob" "$cf" triage --frob 1 --out "$t/f" x
expect "cmin without --out" 2 "usage: cancelfuzz cmin" "$cf" cmin "$src/corpora/seeds"

# A seed through triage: one JSON line, verdict pass (or io_uring unusable).
n=$((n + 1))
rc=0
"$cf" triage --out "$t/f" "$src/corpora/seeds/001-basic-cancel-read.cfp" >"$t/out" 2>"$t/err" || rc=$?
if [ "$rc" -eq 77 ]; then
	echo "triage: io_uring unusable here, skipped the seed"
elif [ "$rc" -ne 0 ] || ! python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read()); sys.exit(r["result"] != "pass")' "$t/out"; then
	echo "FAIL triage of a seed: exit $rc, output:" >&2
	cat "$t/out" "$t/err" >&2
	fail=$((fail + 1))
fi
# A behaviour that only shows beside another (two pages disagreeing about
# one result) is still reported: the root-cause summary lists it as "also".
n=$((n + 1))
mkdir -p "$t/seeds"
cp "$src/corpora/seeds/128-cancel-fd-closed-slot-reused-by-accept.cfp" "$t/seeds/"
rc=0
CF_REGISTRY=empty "$cf" fuzz --seconds 1 --spec doc --seed 1 --seeds "$t/seeds" --out "$t/af" \
	--corpus-dir "$t/ac" >/dev/null 2>"$t/err" || rc=$?
if [ "$rc" -eq 77 ]; then
	echo "fuzz: io_uring unusable here, skipped the also-shows line"
elif [ "$rc" -ne 1 ] || ! grep -E '^fuzz: root cause uring\+result-codes:all-no-match-zero also shows: .*uring\+result-codes:pages-disagree-no-match' "$t/err" >/dev/null; then
	echo "FAIL fuzz root cause also-shows line: exit $rc (want 1), stderr:" >&2
	grep "root cause" "$t/err" >&2
	fail=$((fail + 1))
fi
echo "$n commands run, $fail failure(s)"
[ "$fail" -eq 0 ]
