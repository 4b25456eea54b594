#!/bin/bash
# The CLI side of fault injection: --fault and CF_FAULT on replay and fuzz,
# unknown names (exit 2, valid names listed), the fault list, the fault line
# and the INJECTED FAULT verdict in replay, saved histories and check, and the
# first-detection line of fuzz --stop-on-first.
#
# usage: cli_faults.sh PATH/TO/cancelfuzz SOURCE_DIR
# Exit 0 pass, 1 fail, 2 usage, 77 io_uring not usable here.
set -u

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -f "$2/oracles/faults/faults.def" ]; then
	echo "usage: $0 PATH/TO/cancelfuzz SOURCE_DIR" >&2
	exit 2
fi
CF=$(readlink -f "$1")
SRC=$(readlink -f "$2")
SEED=$SRC/corpora/seeds/001-basic-cancel-read.cfp
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-cli-faults.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
unset CF_FAULT

TMO=60
. "$SRC/tests/lib.sh"

mapfile -t NAMES < <(sed -nE 's/^X\([A-Z_0-9]+, "([a-z0-9-]+)", (INV_[A-Z_]+),.*/\1/p' "$SRC/oracles/faults/faults.def")
[ "${#NAMES[@]}" -ge 8 ] || fail "faults.def: fewer than 8 faults parsed (${#NAMES[@]})"

# The list: cancelfuzz faults and --fault list, every fault with its invariant.
run "$CF" faults
want_rc "faults" 0
for n in "${NAMES[@]}"; do
	want_in "faults lists $n" "$T/out" "$n "
done
run "$CF" replay --fault list
want_rc "replay --fault list" 0
cmp -s "$T/out" <("$CF" faults) || fail "replay --fault list differs from cancelfuzz faults"
run "$CF" faults extra
want_rc "faults with an argument" 2

# Unknown names: exit 2 before anything runs, every valid name listed.
unknown() { # NAME CMD...
	local name=$1
	shift
	run "$@"
	want_rc "$name" 2
	want_in "$name" "$T/err" "unknown fault 'bogus'"
	for n in "${NAMES[@]}"; do
		want_in "$name lists $n" "$T/err" " $n"
	done
	[ ! -s "$T/out" ] || fail "$name: printed on stdout: $(head -c 200 "$T/out")"
}
unknown "replay --fault bogus" "$CF" replay --fault bogus "$SEED"
unknown "CF_FAULT=bogus replay" env CF_FAULT=bogus "$CF" replay "$SEED"
unknown "fuzz --fault bogus" "$CF" fuzz --fault bogus --seconds 1
unknown "CF_FAULT=bogus fuzz" env CF_FAULT=bogus "$CF" fuzz --seconds 1 --out "$T/f0"
run "$CF" replay "$SEED" --fault
want_rc "--fault without a name" 2
want_in "--fault without a name" "$T/err" "--fault needs a fault name"

if ! "$CF" probe >/dev/null 2>&1; then
	echo "skip: io_uring is not usable here; checked only the offline parts"
	[ "$failures" -eq 0 ] || exit 1
	exit 77
fi

# Off: no fault line, no INJECTED; "none" and an empty CF_FAULT are off too.
for how in "plain" "none" "empty"; do
	case $how in
	plain) run "$CF" replay "$SEED" ;;
	none) run "$CF" replay --fault none "$SEED" ;;
	empty) run env CF_FAULT= "$CF" replay "$SEED" ;;
	esac
	want_rc "fault off ($how)" 0
	! grep -q '^fault ' "$T/out" || fail "fault off ($how): a fault line in the history"
	want_not_in "fault off ($how)" "$T/out" "INJECTED"
done

# On: the history's sixth line, the verdict, the saved history, check.
run "$CF" replay --fault dup-cqe --history "$T/h" "$SEED"
want_rc "replay --fault dup-cqe" 1
[ "$(sed -n 6p "$T/out")" = "$(sed -n 6p "$T/h")" ] || fail "printed and saved fault lines differ"
sed -n 6p "$T/h" | grep -qE '^fault dup-cqe fired=1 act=[0-9]+$' ||
	fail "saved history: line 6 is '$(sed -n 6p "$T/h")'"
want_in "replay verdict" "$T/out" "INJECTED FAULT dup-cqe: not a kernel finding"
want_in "replay finding" "$T/out" "NEW exactly-once:"
run "$CF" check "$T/h"
want_rc "check of a faulted history" 1
want_in "check verdict" "$T/out" "INJECTED FAULT dup-cqe: not a kernel finding"
run env CF_FAULT=dup-cqe "$CF" replay -q "$SEED"
want_rc "CF_FAULT=dup-cqe replay" 1
want_in "CF_FAULT=dup-cqe replay" "$T/out" "INJECTED FAULT dup-cqe"
run env CF_FAULT=bogus "$CF" replay -q --fault none "$SEED"
want_rc "--fault wins over CF_FAULT" 0
run "$CF" replay -q --fault link-timeout-early "$SEED"
want_rc "a fault with no opportunity" 0
want_in "a fault with no opportunity" "$T/out" "INJECTED FAULT link-timeout-early"

# replay --tries of a race: each try a cold child; the run it ends on is
# printed once (history, verdict), --history is written by that child, and
# the count line follows. race-two-terminal shows in most tries of seed 401.
RACE=$SRC/corpora/seeds/401-race-sync-cancel-vs-pipe-write.cfp
run "$CF" replay --tries 3 --history "$T/rh" "$RACE"
want_rc "replay --tries 3 of a race seed" 0
want_in "replay --tries 3" "$T/out" "race: reproduced 0 of 3 runs"
[ "$(grep -c '^PASS ' "$T/out")" -eq 1 ] || fail "replay --tries 3: not one verdict: $(grep -c '^PASS ' "$T/out")"
[ -s "$T/rh" ] || fail "replay --tries: --history not written"
run "$CF" replay -q --tries 200 --fault race-two-terminal "$RACE"
want_rc "replay --tries 200 --fault race-two-terminal" 1
grep -qE '^race: reproduced 1 of [0-9]+ runs \(replay stops at the first\)$' "$T/out" ||
	fail "replay --tries: no reproduced line: $(tail -c 300 "$T/out")"

# fuzz: the machine-readable first detection, and --stop-on-first stops there.
run "$CF" fuzz --fault ghost-cqe --seconds 30 --seed 1 --stop-on-first --seeds "$SRC/corpora/seeds" \
	--out "$T/found"
want_rc "fuzz --fault ghost-cqe --stop-on-first" 1
grep -qE '^first-detection fault=ghost-cqe invariant=exactly-once execs=[0-9]+ seconds=[0-9.]+$' "$T/out" ||
	fail "fuzz: no first-detection line: $(head -c 300 "$T/out")"
execs=$(sed -nE 's/.* execs=([0-9]+) .*/\1/p' "$T/out")
[ "${execs:-99}" -le 5 ] || fail "fuzz: ghost-cqe fires on every execution, detected only after ${execs:-?}"
ls "$T/found"/*.verdict >/dev/null 2>&1 || fail "fuzz: no finding saved in --out"
want_in "fuzz finding" "$(ls "$T/found"/*.verdict | head -1)" "replay: cancelfuzz replay --fault ghost-cqe"
grep -qE 'seconds=[0-9.]+$' "$T/out" && [ "$(grep -c . "$T/out")" -eq 1 ] ||
	fail "fuzz: stdout should hold the one detection line: $(head -c 300 "$T/out")"

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "cli_faults: all checks passed (${#NAMES[@]} faults)"
