#!/bin/bash
# Description: cancelfuzz export-c writes C reproducers that stand alone and
# agree with replay.
#
#   export_c.sh CANCELFUZZ SOURCE_DIR registry   every registry entry's reproducer
#                                                (oracles/divergences.def, column 5)
#                                                and every corpora/findings/*.cfp
#   export_c.sh CANCELFUZZ SOURCE_DIR seeds      every corpora/seeds/*.cfp (every
#                                                op kind, mode and cancel API)
#   export_c.sh CANCELFUZZ SOURCE_DIR random     52 random binary programs (fixed
#                                                seeds: 40 io_uring and aio, 12 posix)
#                                                and the empty one: every combination
#                                                must compile warning-free
#   export_c.sh CANCELFUZZ SOURCE_DIR usage      bad input, usage, atomic output, task
#                                                and second-ring actors refused
#   export_c.sh CANCELFUZZ SOURCE_DIR kinds      the cov3 kinds: msg_ring (seeds
#                                                610-615), O_DIRECT readv/writev
#                                                (622-623) and thread1 actors that
#                                                close the second ring (624-627) must
#                                                be exported, not refused; the AIO
#                                                families' actors: in program order
#                                                (the harness's record) and in race
#                                                groups (seeds 441 and 443: plain gcc,
#                                                exact exit codes)
#   export_c.sh CANCELFUZZ SOURCE_DIR checks     the automatic checks: an injected
#                                                fault per check (export exit, INJECTED
#                                                FAULT, the reproducer's exact "held"
#                                                line and exit), D19 (POSIX AIO) at
#                                                --spec doc (exit 1) and kernel (exit 0),
#                                                thread actors in program order (the
#                                                harness's record), D32's race (seed 175)
#
# For each program: `replay -q --spec doc FILE` gives the expected outcome;
# export-c must write a program (exit 0), or say unsupported (exit 77, when
# replay does). The program is built with plain gcc (-Wall -Wextra -Werror,
# so warning-free) against the system liburing (POSIX AIO, mode posix: -lrt
# -lpthread, the C library only), and run with a timeout. It must exit 1 exactly when replay
# lists a finding (KNOWN-DIVERGENCE or VIOLATION: at --spec doc a registered
# divergence counts, it is the kernel breaking the page), 0 when replay says
# PASS, 77 when replay says UNSUPPORTED. A registry reproducer's program must
# also print "BROKEN <id>" for its own entry. A racy program (its header says
# so) gets one more run; a racy registry reproducer must reproduce its entry
# (exit 1) whatever replay's one run saw. A program with thread actors is
# built with -lpthread too; one with race groups runs 20 times and prints
# "reproduced in K of 20 runs". For a program that is not racy, the export must be
# the same bytes twice, and the reproducer must have seen what the harness
# recorded: every op's result and every CQE (user_data, res, flags) or, in
# native AIO, every io_event (ring or copied; user_data, res, res2) in the
# same order after the same op; in POSIX AIO every request's end (aio_return,
# aio_error) and notification after the same op. Exit 0 pass, 1 fail, 77
# io_uring unusable.
set -u
CLI=$1 SRC=$2 WHAT=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CC=${CC:-gcc}
fails=0 checked=0 posix=0 actors=0 refused=0 exported=0 compiled=0 agreed=0 manual=0 racy_miss=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The program's part of a history (replay's output) and of a reproducer's
# trace, in one form: "op N res R" and "op N cqe UD RES FLAGS" lines.
history_ops() {
	awk '/^act [0-9]+ [a-z]+ op=/ { for (i = 4; i <= NF; i++) if ($i ~ /^res=/) res = substr($i, 5);
		print "op " $2 " res " res; ops[$2] = 1 }
	     /^req [0-9]+ act=/ { split($3, a, "="); req_act[$2] = a[2] }
	     /^done act=/ { split($2, a, "="); if (a[2] in ops) { split($3, q, "=");
		split($4, v, "="); split($5, f, "="); print "op " a[2] " done " req_act[q[2]] " " v[2] " " f[2] } }
	     /^notify act=/ { split($2, a, "="); if (a[2] in ops) { split($3, q, "=");
		split($4, v, "="); print "op " a[2] " notify " req_act[q[2]] " " v[2] } }
	     /^cqe act=/ { split($2, a, "="); if (a[2] in ops) {
		split($3, u, "="); split($4, v, "="); split($5, f, "=");
		print "op " a[2] " cqe " u[2] " " v[2] " " f[2] } }
	     /^(event|copied) act=/ { split($2, a, "="); if (a[2] in ops) {
		split($4, u, "="); split($5, v, "="); split($6, f, "=");
		print "op " a[2] " " $1 " " u[2] " " v[2] " " f[2] } }' "$1"
}
trace_ops() {
	awk '/^  op +[0-9]+ / { n = $2; res = $NF; sub("res=", "", res); print "op " n " res " res; inop = 1; next }
	     /^  teardown/ { inop = 0 }
	     /^ +(cqe|event|copied) user_data=/ && inop { split($2, u, "="); split($3, v, "=");
		split($4, f, "="); print "op " n " " $1 " " u[2] " " v[2] " " f[2] }
	     /^ +done op=/ && inop { split($2, u, "="); split($3, v, "="); split($4, f, "=");
		print "op " n " done " u[2] " " v[2] " " f[2] }
	     /^ +notify op=/ && inop { split($2, u, "="); split($3, v, "="); print "op " n " notify " u[2] " " v[2] }' "$1"
}

# one program: FILE [REGISTRY_ID]
check_one() {
	local file=$1 id=${2:-} name out verdict rr er want cr xr libs tries
	name=$(basename "$file" .cfp)
	name=${name%.bin}
	out="$WORK/$name.c"
	"$CLI" replay -q --spec doc "$file" >"$WORK/$name.replay" 2>&1
	rr=$?
	verdict=$(grep -v '^note:' "$WORK/$name.replay" | awk 'NR==1 {print $1}')
	"$CLI" export-c "$file" -o "$out" 2>"$WORK/$name.err"
	er=$?
	# a racy registry entry whose export saw no finding in its runs (they
	# share one process, as a reproducer's do): export again, twice at most
	for again in 1 2; do
		[ -n "$id" ] && [ $er = 0 ] && grep -q "The program is racy" "$out" &&
			grep -q "no finding at --spec" "$WORK/$name.err" || break
		"$CLI" export-c "$file" -o "$out" 2>"$WORK/$name.err"
		er=$?
	done
	checked=$((checked + 1))
	libs=-luring
	if "$CLI" show "$file" 2>/dev/null | grep -Eq '^actors '; then
		libs="-luring -lpthread" # the actors are threads
		actors=$((actors + 1))
	fi
	if "$CLI" show "$file" 2>/dev/null | grep -Eq '^ring mode=posix'; then
		libs="-lrt -lpthread" # POSIX AIO: the C library only (its actors too)
		posix=$((posix + 1))
	fi
	if [ $rr = 77 ]; then
		[ $er = 77 ] || fail "$name: replay says UNSUPPORTED, export-c exited $er"
		return
	fi
	# task actors, thread1 actors in race groups or under ring1=a0, a close
	# or write of a ring slot, and 'wait exit' but a thread1's are refused
	# (exit 2, one line, nothing written): counted, not failed
	if [ $er = 2 ] && [ -z "${MUST_EXPORT:-}" ] && grep -Eq "export-c writes (thread actors only|thread1 actors only outside|neither a close or write of a ring slot, nor 'wait exit' but a thread1's)" "$WORK/$name.err"; then
		[ -e "$out" ] && fail "$name: refused, yet $out was written"
		refused=$((refused + 1))
		return
	fi
	# A random program may show a finding no exact rule can check (export-c
	# says so and exits 3); that is counted, not failed. Seeds without race
	# groups and the registry must have every check.
	# So may a seed's race group, in a rare run of its 20 (seed 418 once in
	# about 600 runs on a loaded machine: cancel-cqe-at-submit on SQPOLL).
	# A seed may say why its finding has none ("# Export: no automatic
	# check: ..." in its comment); that is counted, not failed.
	if { [ "$WHAT" = random ] || { [ "$WHAT" = seeds ] && { grep -q "its race groups let threads race" "$out" ||
		grep -q "^# Export: no automatic check" "$file"; }; }; } &&
		[ $er = 3 ] && grep -q "has no automatic check" "$WORK/$name.err"; then
		manual=$((manual + 1))
		return
	fi
	[ $er = 0 ] || { fail "$name: export-c exited $er: $(cat "$WORK/$name.err")"; return; }
	exported=$((exported + 1))
	if ! grep -q "The program is racy" "$out"; then
		"$CLI" export-c "$file" -o "$WORK/$name.again.c" 2>/dev/null
		cmp -s "$out" "$WORK/$name.again.c" || fail "$name: two exports differ"
	fi
	# shellcheck disable=SC2086 # two words for POSIX
	$CC -Wall -Wextra -Werror -O2 -o "$WORK/$name" "$out" $libs 2>"$WORK/$name.gcc"
	cr=$?
	[ $cr = 0 ] || { fail "$name: gcc: $(head -5 "$WORK/$name.gcc")"; return; }
	compiled=$((compiled + 1))
	case $verdict in
	PASS) want=0 ;;
	KNOWN-DIVERGENCE | VIOLATION) want=1 ;;
	*) fail "$name: replay said '$verdict' (exit $rr)"; return ;;
	esac
	# A racy registry reproducer must show its entry, whatever the one
	# replay above happened to see (D33: a race the cancel wins in some runs).
	# Which thread wins such a race follows where the scheduler put the
	# actor threads, which holds for a whole process: D33's reproducer shows
	# it in 14 of 20 processes on a loaded 2-core machine (docs/divergences.md),
	# so a registry reproducer gets up to 5 processes.
	tries=2
	[ -n "$id" ] && grep -q "The program is racy" "$out" && want=1 tries=5
	for try in $(seq $tries); do
		timeout 120 "$WORK/$name" >"$WORK/$name.out" 2>&1
		xr=$?
		[ $xr = $want ] && break
		grep -q "The program is racy" "$out" || break
	done
	# A racy program (not a registry reproducer) whose outcome varies: the
	# export's runs and the replay above may see different ones, and the
	# reproducer's own tries prove nothing either way: counted, not failed.
	if [ $xr != $want ] && [ "$WHAT" != registry ] && grep -q "The program is racy" "$out"; then
		racy_miss=$((racy_miss + 1))
		return
	fi
	[ $xr = $want ] || { fail "$name: the reproducer exited $xr, replay says $verdict (want $want)"; \
		sed 's/^/    /' "$WORK/$name.out" | tail -15; return; }
	agreed=$((agreed + 1))
	if ! grep -q "The program is racy" "$out"; then
		"$CLI" replay --spec doc "$file" >"$WORK/$name.history" 2>&1
		history_ops "$WORK/$name.history" >"$WORK/$name.h.ops"
		trace_ops "$WORK/$name.out" >"$WORK/$name.t.ops"
		grep -q '^#define NOPS 0$' "$out" || [ -s "$WORK/$name.h.ops" ] ||
			fail "$name: no ops in the replayed history"
		diff "$WORK/$name.h.ops" "$WORK/$name.t.ops" >"$WORK/$name.diff" ||
			{ fail "$name: the reproducer saw other results than the harness:"; \
			  head -10 "$WORK/$name.diff" | sed 's/^/    /'; }
	fi
	[ -n "$id" ] && grep -q "^reproduced in " "$WORK/$name.out" &&
		echo "$name ($id): $(grep "^reproduced in " "$WORK/$name.out")"
	if [ -n "$id" ] && ! grep -q "^BROKEN $id " "$WORK/$name.out"; then
		fail "$name: reproduced, but not registry entry $id:"
		grep -E '^(BROKEN|held)' "$WORK/$name.out" | sed 's/^/    /'
	fi
}

usage_checks() {
	local out=$WORK/keep.c rc
	# a missing file: one line naming it, exit 2, nothing written
	"$CLI" export-c "$WORK/missing.cfp" -o "$out" 2>"$WORK/err"; rc=$?
	[ $rc = 2 ] || fail "missing file: exit $rc"
	[ "$(wc -l <"$WORK/err")" = 1 ] && grep -q "$WORK/missing.cfp" "$WORK/err" ||
		fail "missing file: message '$(cat "$WORK/err")'"
	[ -e "$out" ] && fail "missing file: $out written"
	# a program text with an error: exit 2, the old output untouched
	printf 'cancelfuzz program 1\nqueue bogus slot=pipe0.r\n' >"$WORK/bad.cfp"
	echo "old" >"$out"
	"$CLI" export-c "$WORK/bad.cfp" -o "$out" 2>"$WORK/err"; rc=$?
	[ $rc = 2 ] || fail "bad text: exit $rc"
	grep -q "bad.cfp:2:" "$WORK/err" || fail "bad text: message '$(cat "$WORK/err")'"
	[ "$(cat "$out")" = old ] || fail "bad text: $out was changed"
	# usage errors
	"$CLI" export-c 2>/dev/null; rc=$?
	[ $rc = 2 ] || fail "no FILE: exit $rc"
	"$CLI" export-c --spec nonsense "$SRC/corpora/seeds/018-cancel-any-alone.cfp" 2>/dev/null; rc=$?
	[ $rc = 2 ] || fail "--spec nonsense: exit $rc"
	"$CLI" export-c -o 2>/dev/null; rc=$?
	[ $rc = 2 ] || fail "-o without OUT: exit $rc"
	# an output that cannot be written: exit 3, no temporary left behind
	"$CLI" export-c "$SRC/corpora/seeds/018-cancel-any-alone.cfp" -o "$WORK/no/such/dir.c" 2>"$WORK/err"; rc=$?
	[ $rc = 3 ] || fail "unwritable output: exit $rc"
	ls "$WORK/no" >/dev/null 2>&1 && fail "unwritable output: a directory appeared"
	# --spec kernel drops D01 (the kernel means it): a program that checks nothing, exit 0
	"$CLI" export-c --spec kernel "$SRC/corpora/seeds/018-cancel-any-alone.cfp" -o "$WORK/k.c" 2>"$WORK/err"; rc=$?
	[ $rc = 0 ] || fail "--spec kernel: exit $rc"
	grep -q "no finding at --spec kernel" "$WORK/err" || fail "--spec kernel: message '$(cat "$WORK/err")'"
	$CC -Wall -Wextra -Werror -O2 -o "$WORK/k" "$WORK/k.c" -luring && "$WORK/k" >/dev/null
	[ $? = 0 ] || fail "--spec kernel: the reproducer did not exit 0"
	# stdout without -o: the same bytes as the file
	"$CLI" export-c "$SRC/corpora/seeds/018-cancel-any-alone.cfp" >"$WORK/stdout.c" 2>/dev/null
	"$CLI" export-c "$SRC/corpora/seeds/018-cancel-any-alone.cfp" -o "$WORK/file.c" 2>/dev/null
	cmp -s "$WORK/stdout.c" "$WORK/file.c" || fail "stdout and -o differ"
	# an injected fault breaks a promise only in cancelfuzz's record: the
	# reproducer checks it on the kernel and must not reproduce it (exit 0);
	# a fault on an invariant without a check gives a by-hand program (3 / 4)
	CF_FAULT=plain-returns-one "$CLI" export-c "$SRC/corpora/seeds/001-basic-cancel-read.cfp" \
		-o "$WORK/fault.c" 2>"$WORK/err"; rc=$?
	[ $rc = 0 ] || fail "fault plain-returns-one: export-c exit $rc: $(cat "$WORK/err")"
	grep -q "INJECTED FAULT plain-returns-one" "$WORK/fault.c" || fail "fault: not said in the header"
	$CC -Wall -Wextra -Werror -O2 -o "$WORK/fault" "$WORK/fault.c" -luring && "$WORK/fault" >"$WORK/fault.out"
	rc=$?
	[ $rc = 0 ] || fail "fault plain-returns-one: the reproducer exited $rc, not 0"
	grep -q "^held result-codes: cancel at op 2 (no ALL/ANY) returned 0;" "$WORK/fault.out" ||
		fail "fault plain-returns-one: no held check: $(grep -E '^(held|BROKEN)' "$WORK/fault.out")"
	# cqe-before-sqe also leaves findings only the faulted record shows
	# (target-cqe-at-submit: the oracle cannot attribute the moved CQE),
	# which have no check: the by-hand path, export-c 3, reproducer 4
	CF_FAULT=cqe-before-sqe "$CLI" export-c "$SRC/corpora/seeds/001-basic-cancel-read.cfp" \
		-o "$WORK/manual.c" 2>"$WORK/err"; rc=$?
	[ $rc = 3 ] || fail "fault cqe-before-sqe: export-c exit $rc, not 3"
	grep -q "target-cqe-at-submit has no automatic check: the reproducer prints its trace and exits 4" "$WORK/err" ||
		fail "cqe-before-sqe: message '$(cat "$WORK/err")'"
	$CC -Wall -Wextra -Werror -O2 -o "$WORK/manual" "$WORK/manual.c" -luring && "$WORK/manual" >"$WORK/manual.out"
	rc=$?
	[ $rc = 4 ] || fail "fault cqe-before-sqe: the reproducer exited $rc, not 4"
	grep -q "^CHECK BY HAND target-cqe-at-submit: " "$WORK/manual.out" || fail "cqe-before-sqe: no CHECK BY HAND line"
	grep -qx "held exactly-once: no CQE with user_data 0x1 breaks the rule" "$WORK/manual.out" ||
		fail "cqe-before-sqe: no held exactly-once line: $(grep -E '^(held|BROKEN)' "$WORK/manual.out")"
	# task and second-ring actors: refused (exit 2), one line naming the
	# actor and its kind, nothing written; thread actors are written
	for kind in task task1; do
		printf 'cancelfuzz program 3\nring mode=default entries=8\nactors a1=thread a2=%s a3=thread\nqueue read slot=pipe0.r ud=1 flags=0\nwait submit n=0 @a2\nend\n' \
			$kind >"$WORK/$kind.cfp"
		"$CLI" export-c "$WORK/$kind.cfp" -o "$WORK/$kind.c" 2>"$WORK/err"; rc=$?
		[ $rc = 2 ] || fail "a2=$kind: exit $rc, not 2"
		grep -q "^$WORK/$kind.cfp: export-c writes thread actors only: a2 is a $kind " "$WORK/err" &&
			[ "$(wc -l <"$WORK/err")" = 1 ] || fail "a2=$kind: message '$(cat "$WORK/err")'"
		[ -e "$WORK/$kind.c" ] && fail "a2=$kind: refused, yet $WORK/$kind.c was written"
	done
	# ring1=a0 (a0 makes the thread1 ops) and a thread1 op in a race group:
	# refused, one line, nothing written
	printf 'cancelfuzz program 3\nring mode=default entries=8\nactors a1=thread1 a2=thread a3=thread ring1=a0\nwait submit n=0 @a1\nend\n' \
		>"$WORK/ring1-a0.cfp"
	printf 'cancelfuzz program 3\nring mode=default entries=8\nactors a1=thread1 a2=thread a3=thread\nwait submit n=0 group=1 at=0 @a1\nwait go n=1\nend\n' \
		>"$WORK/ring1-group.cfp"
	for t in ring1-a0 ring1-group; do
		"$CLI" export-c "$WORK/$t.cfp" -o "$WORK/$t.c" 2>"$WORK/err"; rc=$?
		[ $rc = 2 ] || fail "$t: exit $rc, not 2"
		grep -q "^$WORK/$t.cfp: export-c writes thread1 actors only outside race groups and without ring1=a0" "$WORK/err" &&
			[ "$(wc -l <"$WORK/err")" = 1 ] || fail "$t: message '$(cat "$WORK/err")'"
		[ -e "$WORK/$t.c" ] && fail "$t: refused, yet $WORK/$t.c was written"
	done
	checked=$((checked + 18))
}

# A fault breaks one promise in the record only: export-c must find a check
# that the faulted record breaks (it keeps a check only then: exit 0, no
# by-hand), say INJECTED FAULT, and the reproducer, judging the kernel, must
# print the exact "held" line and exit 0. FAULT SEED EXPORT_EXIT REPRO_EXIT LINE
fault_case() {
	local fault=$1 seed=$2 want_e=$3 want_x=$4 line=$5 out=$WORK/$1.c rc
	checked=$((checked + 1))
	CF_FAULT=$fault "$CLI" export-c "$SRC/corpora/seeds/$seed" -o "$out" 2>"$WORK/$fault.err"; rc=$?
	[ $rc = "$want_e" ] || { fail "fault $fault: export-c exited $rc, not $want_e: $(cat "$WORK/$fault.err")"; return; }
	grep -q "^ \* INJECTED FAULT $fault: " "$out" || fail "fault $fault: the header does not say INJECTED FAULT"
	grep -q "injected fault $fault: its findings are not the kernel's" "$WORK/$fault.err" ||
		fail "fault $fault: stderr does not note the fault"
	$CC -Wall -Wextra -Werror -O2 -o "$WORK/$fault" "$out" -luring 2>"$WORK/$fault.gcc" ||
		{ fail "fault $fault: gcc: $(head -3 "$WORK/$fault.gcc")"; return; }
	"$WORK/$fault" >"$WORK/$fault.out"; rc=$?
	[ $rc = "$want_x" ] || fail "fault $fault: the reproducer exited $rc, not $want_x"
	grep -qxF "$line" "$WORK/$fault.out" ||
		{ fail "fault $fault: no line '$line'"; grep -E '^(held|BROKEN|CHECK)' "$WORK/$fault.out" | sed 's/^/    /'; }
}

checks() {
	local out rc
	# thread actors without a race group: deterministic, so the reproducer
	# must see what the harness recorded (check_one compares them), each
	# call made on its actor: io_uring_enter, the sync cancel, a write, a close
	cat >"$WORK/actors-in-order.cfp" <<'CFP'
cancelfuzz program 3
ring mode=default entries=8
actors a1=thread a2=thread a3=thread
queue read slot=pipe0.r ud=1 flags=0
wait submit n=0 @a1
cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 @a1
complete write slot=pipe0.w len=2 @a2
close slot=pipe0.w @a3
wait getevents n=0 @a2
wait reap n=0
end
CFP
	check_one "$WORK/actors-in-order.cfp"
	grep -q "The program is racy" "$WORK/actors-in-order.c" && fail "actors-in-order: called racy"
	# D32 (seed 175): a race group, so racy: 20 runs, counted; the check is
	# the registry condition's, read where the enter that submitted the
	# cancel returned
	checked=$((checked + 1))
	out=$WORK/d32.c
	"$CLI" export-c "$SRC/corpora/seeds/175-d32-sqe-cancel-of-other-threads-read.cfp" -o "$out" 2>"$WORK/d32.err"; rc=$?
	[ $rc = 0 ] || fail "D32: export-c exited $rc: $(cat "$WORK/d32.err")"
	grep -q "^ \* Build: gcc -O2 -o repro repro.c -luring -lpthread$" "$out" || fail "D32: no build line with -lpthread"
	if gcc -O2 -Wall -Wextra -Werror "$out" -o "$WORK/d32" -luring -lpthread 2>"$WORK/d32.gcc"; then
		timeout 120 "$WORK/d32" >"$WORK/d32.out"; rc=$?
		[ $rc = 1 ] || fail "D32: the reproducer exited $rc, not 1"
		grep -q "^BROKEN D32 target-cqe-at-submit: cancel at op 3 returned 0, but when the call of op 4 returned the request with user_data 0x2 had no -ECANCELED CQE in the CQ; it came later" \
			"$WORK/d32.out" || fail "D32: no BROKEN line: $(grep -E '^(held|BROKEN)' "$WORK/d32.out")"
		grep -qE "^reproduced in [1-9][0-9]* of 20 runs$" "$WORK/d32.out" ||
			fail "D32: no count of runs: $(grep reproduced "$WORK/d32.out")"
	else
		fail "D32: gcc: $(head -3 "$WORK/d32.gcc")"
	fi
	fault_case canceled-as-success 001-basic-cancel-read.cfp 0 0 \
		"held canceled-res: cancel at op 2 returned 0, but by the end of op 4 1 requests it matches ended -ECANCELED and 0 ended with another result"
	fault_case cancel-non-matching 013-cancel-all-shared-ud.cfp 0 0 \
		"held non-matching-untouched: the request with user_data 0x3 had not ended -ECANCELED by the end of op 6, though no cancel matched it"
	fault_case close-cancels 028-close-does-not-cancel.cfp 0 0 \
		"held close-does-not-cancel: the request with user_data 0x1 had not ended -ECANCELED by the end of op 2, though no cancel matched it"
	fault_case dup-cqe 001-basic-cancel-read.cfp 0 0 \
		"held exactly-once: no CQE with user_data 0xcf00000000000002 breaks the rule"
	fault_case ghost-cqe 001-basic-cancel-read.cfp 0 0 \
		"held exactly-once: every CQE has the user_data of an SQE of the program"
	fault_case link-timeout-early 022-link-timeout-cancel-read.cfp 0 0 \
		"held link-timeout: no CQE with user_data 0x2 breaks the rule"
	fault_case drop-cqe 001-basic-cancel-read.cfp 3 4 \
		"held any-all-cancels-everything: 0 requests still had no final CQE after repeated IORING_ASYNC_CANCEL_ANY|ALL sync cancels"
	# more-on-final: the multishot-final check is automatic; the teardown's
	# count the faulted record contradicts (all-count) stays by hand
	fault_case more-on-final 025-multishot-accept-cancel.cfp 3 4 \
		"held multishot-final: no CQE with user_data 0x1 breaks the rule"
	grep -q "all-count has no automatic check" "$WORK/more-on-final.err" ||
		fail "more-on-final: stderr '$(cat "$WORK/more-on-final.err")'"
	# D19 (POSIX AIO): plain gcc with the C library only; 1 at --spec doc, 0 at --spec kernel
	for spec in doc kernel; do
		out=$WORK/d19-$spec.c
		checked=$((checked + 1))
		"$CLI" export-c --spec $spec "$SRC/corpora/seeds/205-aio-cancel-errors.cfp" -o "$out" 2>"$WORK/d19.err"; rc=$?
		[ $rc = 0 ] || { fail "D19 --spec $spec: export-c exited $rc: $(cat "$WORK/d19.err")"; continue; }
		gcc -O2 -Wall -Werror "$out" -o "$WORK/d19-$spec" -lrt -lpthread 2>"$WORK/d19.gcc" ||
			{ fail "D19 --spec $spec: gcc: $(head -3 "$WORK/d19.gcc")"; continue; }
		grep -q "#include <liburing.h>\|-luring" "$out" && fail "D19 --spec $spec: the POSIX reproducer needs liburing"
		"$WORK/d19-$spec" >"$WORK/d19-$spec.out"; rc=$?
		if [ $spec = doc ]; then
			[ $rc = 1 ] || fail "D19 --spec doc: the reproducer exited $rc, not 1"
			grep -qxF "BROKEN D19 aio-cancel-errors: aio_cancel at op 2 returned -1 with errno 22; the page: AIO_CANCELED (0), AIO_NOTCANCELED (1), AIO_ALLDONE (2), or -1 with EBADF" \
				"$WORK/d19-doc.out" || fail "D19 --spec doc: no BROKEN line: $(grep -E '^(held|BROKEN)' "$WORK/d19-doc.out")"
			grep -qx "REPRODUCED" "$WORK/d19-doc.out" || fail "D19 --spec doc: no REPRODUCED"
		else
			[ $rc = 0 ] || fail "D19 --spec kernel: the reproducer exited $rc, not 0"
			grep -q "no finding at --spec kernel" "$WORK/d19.err" || fail "D19 --spec kernel: stderr '$(cat "$WORK/d19.err")'"
			grep -qx "NOT REPRODUCED" "$WORK/d19-kernel.out" || fail "D19 --spec kernel: no NOT REPRODUCED"
		fi
		grep -qE "^  op  2 aio_cancel fd cb=0 slot=pipe1.r +res=-22$" "$WORK/d19-$spec.out" ||
			fail "D19 --spec $spec: op 2 not traced as -22"
	done
}

# The AIO families' actors and race groups. Without a group the program
# is not racy: each op is one call on its actor, and the reproducer must
# see what the harness recorded (check_one compares them). With one, the
# reproducer runs 20 times: seed 441 (native AIO: two io_cancels of one
# poll race; the winner's -EINPROGRESS is D16, the loser's -EINVAL D18)
# must exit exactly 1,
# seed 443 (POSIX AIO: aio_cancel against the pipe write that ends the
# read; every outcome allowed, no finding) exactly 0.
aio_actors() {
	local n f name out rc want libs
	cat >"$WORK/aio-in-order.cfp" <<'CFP'
cancelfuzz program 3
ring mode=aio entries=8
actors a1=thread a2=thread a3=thread
io_submit poll slot=pipe0.r ud=1 flags=0 @a1
io_submit poll slot=pipe1.r ud=2 flags=0
io_cancel iocb ud=2 flags=0 @a2
complete write slot=pipe0.w len=2 @a3
io_getevents zero n=0 @a1
io_destroy @a2
io_setup @a3
io_submit poll slot=pipe0.r ud=3 flags=0 @a1
end
CFP
	cat >"$WORK/posix-in-order.cfp" <<'CFP'
cancelfuzz program 3
ring mode=posix entries=8
actors a1=thread a2=thread a3=thread
aio_read slot=pipe0.r cb=0 notify=signal @a1
aio_read slot=pipe0.r cb=1 notify=thread
aio_cancel cb cb=1 slot=pipe0.r @a2
complete write slot=pipe0.w len=3 @a3
aio_error cb=0 @a1
aio_return cb=0 @a2
aio_read slot=pipe1.r cb=2 notify=none @a3
aio_cancel null cb=2 slot=pipe1.r @a1
end
CFP
	for name in aio-in-order posix-in-order; do
		check_one "$WORK/$name.cfp"
		grep -q "The program is racy" "$WORK/$name.c" && fail "$name: called racy"
	done
	for n in 441 443; do
		f=$(ls "$SRC"/corpora/seeds/$n-*.cfp)
		out=$WORK/race-$n.c
		checked=$((checked + 1))
		"$CLI" export-c "$f" -o "$out" 2>"$WORK/race-$n.err"; rc=$?
		[ $rc = 0 ] || { fail "$n: export-c exited $rc: $(cat "$WORK/race-$n.err")"; continue; }
		if [ $n = 441 ]; then
			libs="-luring -lpthread" want=1
		else
			libs="-lrt -lpthread" want=0
		fi
		grep -q "^ \* Build: gcc -O2 -o repro repro.c $libs\$" "$out" || fail "$n: no build line with $libs"
		grep -q "its race groups let threads race" "$out" || fail "$n: the header does not say racy"
		# shellcheck disable=SC2086 # two words
		gcc -O2 -Wall -Wextra -Werror "$out" -o "$WORK/race-$n" $libs 2>"$WORK/race-$n.gcc" ||
			{ fail "$n: gcc: $(head -3 "$WORK/race-$n.gcc")"; continue; }
		# which io_cancel wins is the race's: the checks name the ops the
		# export's run saw win and lose, so a run with the other winner
		# breaks none (as D32's, up to 3 processes)
		for try in 1 2 3; do
			timeout 120 "$WORK/race-$n" >"$WORK/race-$n.out"; rc=$?
			[ $rc = $want ] && break
		done
		[ $rc = $want ] || { fail "$n: the reproducer exited $rc, not $want"; tail -15 "$WORK/race-$n.out" | sed 's/^/    /'; }
		if [ $n = 441 ]; then
			grep -qE "^BROKEN D1[678] io-cancel-[a-z0-9-]+: io_cancel at op [12] returned -(22|115)" "$WORK/race-$n.out" ||
				fail "441: no BROKEN D16/D17/D18 line: $(grep -E '^(held|BROKEN)' "$WORK/race-$n.out")"
			grep -qE "^reproduced in [1-9][0-9]* of 20 runs$" "$WORK/race-$n.out" ||
				fail "441: $(grep reproduced "$WORK/race-$n.out")"
		else
			grep -qx "reproduced in 0 of 20 runs" "$WORK/race-$n.out" && grep -qx "NOT REPRODUCED" "$WORK/race-$n.out" ||
				fail "443: $(grep -E 'reproduced|REPRODUCED' "$WORK/race-$n.out")"
			grep -qE "^  op  3 wait go n=1 +res=2$" "$WORK/race-$n.out" || fail "443: the release is not traced with 2 calls"
		fi
	done
}

case $WHAT in
checks)
	checks
	;;
registry)
	while IFS=$'\t' read -r id tag inv like repro rest; do
		[ "$id" = id ] || [ "$repro" = - ] && continue
		check_one "$SRC/$repro" "$id"
	done < <("$CLI" divergences)
	for f in "$SRC"/corpora/findings/*.cfp; do check_one "$f"; done
	;;
seeds)
	for f in "$SRC"/corpora/seeds/*.cfp; do check_one "$f"; done
	;;
kinds)
	# every one of these must be exported and agree with replay (a refusal
	# fails): msg_ring, O_DIRECT, and a thread on the second ring (611, 615)
	# that closes it with requests pending (624-627)
	MUST_EXPORT=1
	for n in 610 611 612 613 614 615 622 623 624 625 626 627; do
		f=$(ls "$SRC"/corpora/seeds/$n-*.cfp)
		check_one "$f"
		[ -e "$WORK/$(basename "$f" .cfp).c" ] || fail "$n: no reproducer written"
	done
	# the second ring's CQEs are in the trace, under the act that read them
	# (611: the message a1 reaps at op 3)
	grep -qx "         cqe user_data=0xce00000000001100 res=5046272 flags=0x0 ring=1" \
		"$WORK/611-liburing-msg-ring-remote.out" ||
		fail "611: the ring-1 message is not in the trace: $(grep -c ring=1 "$WORK/611-liburing-msg-ring-remote.out")"
	aio_actors
	;;
random)
	python3 - "$WORK" <<'PY'
import random, sys
rng = random.Random(11)
NARGS = [4, 4, 4, 4, 6, 6, 6, 3, 3, 3, 2, 2, 2, 1, 1, 0]  # by the code's low nibble
for i in range(40):
    # format 3 without actors (export-c refuses those): actors byte 0, op
    # codes with the high nibble clear, no `wait go`; the rest random
    data = bytearray([rng.randrange(6), rng.randrange(256), 0])  # io_uring modes, native AIO
    size = rng.randrange(8, 220)
    while len(data) < size:
        code = rng.randrange(16)
        args = [rng.randrange(256) for _ in range(NARGS[code])]
        if 10 <= code <= 12 and args[0] % 6 >= 4:  # go, exit (wait % 6)
            args[0] += 6 - args[0] % 6
        data += bytes([code] + args)
    open(f"{sys.argv[1]}/random-{i:02d}.bin", "wb").write(data[:size])
rng = random.Random(12)
for i in range(12):  # POSIX AIO (mode 6)
    data = bytearray(rng.randrange(256) for _ in range(rng.randrange(8, 120)))
    data[0] = 6
    open(f"{sys.argv[1]}/random-px{i:02d}.bin", "wb").write(data)
open(f"{sys.argv[1]}/random-empty.bin", "wb").write(b"")
PY
	for f in "$WORK"/random-*.bin; do check_one "$f"; done
	;;
usage)
	usage_checks
	;;
*)
	echo "usage: $0 CANCELFUZZ SOURCE_DIR registry|seeds|random|usage|checks|kinds"; exit 2 ;;
esac
echo "export_c $WHAT: $checked checked ($posix POSIX AIO, $actors with actors, $refused refused: tasks, thread1 in groups or ring1=a0, ring-slot close), $exported exported, $compiled compiled," \
	"$agreed exit as replay says, $manual without an automatic check, $racy_miss racy and not shown," \
	"$fails failed"
[ $fails = 0 ]
