#!/usr/bin/env bash
# Replay every corpus program RUNS times (default 1000; at most 20 s each) and
# write the share of byte-identical histories for non-racy programs, and the
# histogram of outcomes for racy ones, into docs/benchmarks.md.
# Usage: scripts/bench/bench_determinism.sh [RUNS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
runs=${1:-1000}
cmake --build "$CF_BUILD" --target bench_determinism >/dev/null
out=$("$CF_BUILD/bench_determinism" "$runs" "$CF_ROOT/corpora/seeds" "$CF_ROOT/corpora/findings")
echo "$out"

section=$(mktemp)
trap 'rm -f "$section"' EXIT
summary=$(echo "$out" | grep '^summary')
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r) by \`scripts/bench/bench_determinism.sh $runs\`:"
	echo "every corpus program replayed $runs times on reused rings (at most 20 s per"
	echo "program), each history judged at \`--spec kernel\`."
	echo
	echo "$summary" | sed -E 's/summary programs=([0-9]+) racy=([0-9]+) deterministic_runs=([0-9]+) identical=([0-9]+) share=([0-9.]+)/**Non-racy programs: \4 of \3 runs byte-identical to their first run (share \5).** \1 programs, \2 of them racy./'
	echo
	echo "Racy programs (SQPOLL, io-wq, DRAIN, short timers): the histogram counts runs"
	echo "per distinct history, most frequent first."
	echo
	echo "| program | runs | distinct histories | histogram | pass / known / violation |"
	echo "|---|---:|---:|---|---|"
	echo "$out" | grep ' racy=1 ' | sed -E 's/^([^ ]+) racy=1 runs=([0-9]+) distinct=([0-9+]+) pass=([0-9]+) known=([0-9]+) violation=([0-9]+) histogram=(.*)$/| `\1` | \2 | \3 | \7 | \4 \/ \5 \/ \6 |/'
	skipped=$(echo "$out" | grep -c ' skipped: ' || true)
	echo
	echo "Non-racy programs with more than one history: $(echo "$out" | grep ' racy=0 ' | grep -vc ' distinct=1 ' || true). Skipped (mode unsupported here): $skipped."
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" determinism "$section"
