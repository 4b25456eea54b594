#!/usr/bin/env bash
# Description: every corpus program, replayed RUNS times (default 3), gets
# exactly the verdict committed in corpora/verdicts.txt: the verdict word and
# the divergences (or invariants) it names. This is the teardown's contract
# with the oracle made testable: a change to how the executor waits or
# cancels that moves a CQE across the model's boundaries shows here as a
# changed verdict. Usage: corpus_verdicts.sh CANCELFUZZ ROOT [RUNS]
#   CF_VERDICTS_WRITE=1 rewrites corpora/verdicts.txt from one run instead.
# Programs with race groups (a 'group=' key) are litmus runs instead: one
# 'cancelfuzz race FILE --runs RACE_RUNS --spec kernel' each, whose
# expectation is 'RACE forbidden=N' (the forbidden outcomes it observed).
set -uo pipefail
cancelfuzz=$1
root=$2
runs=${3:-3}
expect=$root/corpora/verdicts.txt

race_runs=${CF_RACE_RUNS:-20}

verdict_of() { # program -> "VERDICT id id ..." on one line
	local out v ids
	if grep -q '^[^#]* group=' "$1"; then
		out=$("$cancelfuzz" race "$1" --runs "$race_runs" --spec kernel 2>&1)
		v=$(echo "$out" | sed -n 's/^forbidden outcomes observed: \([0-9]*\)$/\1/p')
		echo "RACE forbidden=${v:-none}"
		return
	fi
	out=$("$cancelfuzz" replay "$1" --spec kernel 2>&1)
	v=$(echo "$out" | grep -oE '^(PASS|KNOWN-DIVERGENCE|VIOLATION|UNSUPPORTED|SKIP|HARNESS-ERROR|ERROR)' | tail -1)
	ids=$(echo "$out" | grep -oE '^  ([A-Z][0-9]+|[a-z][a-z0-9-]+):? ' | tr -d ' :' | sort -u | tr '\n' ' ')
	echo "${v:-none} ${ids% }" | sed 's/ $//'
}

programs() {
	find "$root/corpora/seeds" "$root/corpora/findings" -type f ! -name '*.verdict' \
		! -name '*.history' ! -name '*.md' ! -name '*.txt' ! -name '.*' | sort
}

if [ "${CF_VERDICTS_WRITE:-0}" = 1 ]; then
	{
		echo "# program verdict [divergences or invariants], as 'cancelfuzz replay --spec kernel' gives"
		echo "# them; checked by tests/corpus_verdicts.sh (ctest corpus_verdicts)."
		for p in $(programs); do
			echo "${p#"$root"/} $(verdict_of "$p")"
		done
	} >"$expect"
	exit 0
fi

fail=0 checked=0
for p in $(programs); do
	rel=${p#"$root"/}
	want=$(grep -F "$rel " "$expect" | head -1 | cut -d' ' -f2-)
	if [ -z "$want" ]; then
		echo "FAIL $rel: no expectation in corpora/verdicts.txt"
		fail=1
		continue
	fi
	n=$runs
	case $want in RACE*) n=1 ;; esac # a litmus run is many runs already
	for ((i = 0; i < n; i++)); do
		got=$(verdict_of "$p")
		checked=$((checked + 1))
		if [ "$got" != "$want" ]; then
			echo "FAIL $rel run $i: got '$got', expected '$want'"
			fail=1
			break
		fi
	done
done
echo "corpus_verdicts: $checked replays checked, $( [ $fail = 0 ] && echo all as expected || echo MISMATCHES )"
exit $fail
