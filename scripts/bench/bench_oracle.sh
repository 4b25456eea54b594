#!/usr/bin/env bash
# Oracle cost against history length (1,000 / 10,000 / 100,000 events), and
# the result written into docs/benchmarks.md between its markers.
# Usage: scripts/bench/bench_oracle.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
cmake --build "$CF_BUILD" --target bench_oracle_linear >/dev/null
result=$("$CF_BUILD/bench_oracle_linear")
echo "$result"

section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r), $(nproc) cores, by \`scripts/bench/bench_oracle.sh\`."
	echo "One multishot poll stream inflated to N CQEs, read with the strict reader and"
	echo "judged at \`--spec doc\`, mean of 5 rounds:"
	echo
	echo "| events | check (ms) | check ns/event | read (ms) |"
	echo "|-------:|-----------:|---------------:|----------:|"
	echo "$result" | sed -E 's/events=([0-9]+) cqes=[0-9]+ check_ms=([0-9.]+) check_ns_per_event=([0-9.]+) read_ms=([0-9.]+)/| \1 | \2 | \3 | \4 |/'
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" oracle-cost "$section"
