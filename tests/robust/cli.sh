#!/bin/bash
# Description: cancelfuzz fuzz and the fuzz target on bad folders, signals and
# a blocked io_uring (issue 12): exact exit codes and messages.
# usage: cli.sh CANCELFUZZ CANCEL_FUZZER SECCOMP_BLOCK SOURCE_DIR
# Exit 0 pass, 1 fail, 77 io_uring not usable here.
set -u
CF=$(readlink -f "$1") TGT=$(readlink -f "$2") SB=$(readlink -f "$3") SRC=$(readlink -f "$4")
. "$SRC/tests/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-robust-cli.XXXXXX") || exit 1
trap cleanup EXIT
cd "$T" || exit 1 # outside the repository: no corpora/ here
unset CF_FAULT
SEED=$SRC/corpora/seeds/001-basic-cancel-read.cfp
"$CF" probe >/dev/null 2>&1 || { [ $? -eq 77 ] && { echo "io_uring not usable: skipped"; exit 77; }; }

run "$CF" --version
want_rc "--version" 0
grep -qE '^cancelfuzz [0-9]+\.[0-9]+\.[0-9]+ \(commit [^)]+\)$' "$T/out" ||
	fail "--version: $(cat "$T/out")"

mkdir empty
run "$CF" replay empty
want_rc "replay of an empty folder" 2
want_in "replay of an empty folder" "$T/err" "replay: no programs in empty"

head -c 5000000 /dev/zero >big.bin
run "$CF" triage --out tri big.bin
want_rc "triage of 5 MB" 2
want_in "triage of 5 MB" "$T/out" '"result":"bad-input","why":"big.bin: oversized: 5000000 bytes, limit 4096"'
run "$CF" replay big.bin
want_in "replay of 5 MB" "$T/err" "big.bin: oversized: 5000000 bytes, limit 4096"

run "$CF" fuzz --seconds 1 --seeds /nonexistent --out f
want_rc "--seeds missing" 2
want_in "--seeds missing" "$T/err" "fuzz: --seeds /nonexistent: No such file or directory"

run "$CF" fuzz --execs 50 --out f
want_rc "fuzz outside the repository" 0
want_in "fuzz outside the repository" "$T/err" "fuzz: note: no seeds: there is no corpora/ here"
want_in "fuzz summary carries the version" "$T/err" "; cancelfuzz $("$CF" --version | cut -d' ' -f2) commit "

run "$CF" fuzz --execs 300 --out f --corpus-dir new/corpus
want_rc "--corpus-dir created" 0
[ -n "$(ls new/corpus 2>/dev/null)" ] || fail "--corpus-dir new/corpus: not created or empty"

touch afile
run "$CF" fuzz --execs 10 --out afile/x
want_rc "--out under a file" 2
want_in "--out under a file" "$T/err" "fuzz: --out afile/x: cannot create: Not a directory"

# Read-only: a read-only tmpfs for root (chmod does not stop root), else chmod.
if mount_tmpfs ro ro,size=64k; then
	why="Read-only file system"
elif [ "$(id -u)" -ne 0 ]; then
	mkdir -p ro && chmod 555 ro
	why="Permission denied"
else
	why=""
	echo "note: mount not permitted: read-only folder not tested"
fi
if [ -n "$why" ]; then
	run "$CF" fuzz --execs 10 --out ro/findings
	want_rc "--out read-only" 2
	want_in "--out read-only" "$T/err" "fuzz: --out ro/findings: cannot create: $why"
	run "$CF" fuzz --execs 10 --out f --corpus-dir ro
	want_rc "--corpus-dir read-only" 2
	want_in "--corpus-dir read-only" "$T/err" "fuzz: --corpus-dir ro: not writable: $why"
fi

# SIGINT mid-run: the summary says interrupted, the exit code is the findings'.
"$CF" fuzz --seconds 60 --fault more-on-final --seeds "$SRC/corpora" --out sig >sig.out 2>sig.err &
pid=$!
wait_for sig.err "NEW FINDING" 20 || fail "SIGINT: no finding within 20 s"
kill -INT $pid
wait $pid
RC=$?
cp sig.err "$T/err"
want_rc "fuzz after SIGINT" 1
want_in "fuzz after SIGINT" sig.err "fuzz: interrupted after"
ls sig/*.verdict >/dev/null 2>&1 || fail "fuzz after SIGINT: no finding in sig/"

"$CF" fuzz --seconds 60 --out term >/dev/null 2>term.err &
pid=$!
wait_for term.err "seed=" 20
sleep 0.5
kill -TERM $pid
wait $pid
RC=$?
cp term.err "$T/err"
want_rc "fuzz after SIGTERM" 0
want_in "fuzz after SIGTERM" term.err "fuzz: interrupted after"

# A second SIGINT stops at once (killed by it: 130 in the shell).
"$CF" fuzz --seconds 60 --out twice >/dev/null 2>twice.err &
pid=$!
wait_for twice.err "seed=" 20
sleep 0.5
kill -INT $pid
wait_for twice.err "interrupt again" 5
kill -INT $pid
wait $pid
RC=$?
cp twice.err "$T/err"
# The first may already have ended the run (0); the second must never hang it.
[ "$RC" -eq 130 ] || [ "$RC" -eq 0 ] || fail "fuzz after two SIGINTs: exit $RC, expected 130"

# The standalone driver takes libFuzzer's -runs=N and ignores other -flag=value.
run "$TGT" -runs=3 -max_len=450 "$SEED"
want_rc "cancel_fuzzer -runs=3" 0
if grep -q "cancel_fuzzer: ran" "$T/err"; then # not a libFuzzer build
	want_in "cancel_fuzzer -max_len" "$T/err" "cancel_fuzzer: note: ignoring -max_len=450"
	run "$TGT" -frob "$SEED"
	want_rc "cancel_fuzzer -frob" 2
fi

# io_uring blocked as Docker's seccomp profile does: 77, never a green run.
run "$SB" true
if [ "$RC" -eq 126 ]; then
	echo "note: seccomp filter not permitted: blocked io_uring not tested"
else
	for e in EPERM ENOSYS; do
		run "$SB" -e $e "$TGT" -runs=2 -max_total_time=3 "$SRC/corpora/seeds"
		want_rc "fuzz target, io_uring blocked ($e)" 77
		want_in "fuzz target, io_uring blocked ($e)" "$T/err" "cancel_fuzzer: io_uring is not usable here"
	done
	run "$SB" "$CF" fuzz --seconds 1 --out f
	want_rc "fuzz, io_uring blocked" 77
	want_in "fuzz, io_uring blocked" "$T/err" "fuzz: io_uring is not usable here"
fi
finish
