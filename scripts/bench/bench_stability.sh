#!/usr/bin/env bash
# N random executions (default 1,000,000) in one process on reused rings:
# fd count and RSS after a warm-up and at the end, written into
# docs/benchmarks.md. Usage: scripts/bench/bench_stability.sh [N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
execs=${1:-1000000}
start=$(date +%s)
line=$(CF_RANDOM_EXECS=$execs CF_SOURCE_DIR=$CF_ROOT "$CF_BUILD/test_exec_random" | tail -1)
status=$?
elapsed=$(( $(date +%s) - start ))
echo "$line"
section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r) by \`scripts/bench/bench_stability.sh $execs\`"
	echo "($elapsed s wall clock, one process, random programs on reused rings; the"
	echo "same check as the \`stability_100k\` test, which fails on any growth):"
	echo
	echo '```'
	echo "$line"
	echo '```'
	echo
	echo "fds and RSS are read after a warm-up (the first tenth of the executions) and at the end;"
	echo "\`stuck_in_kernel\` counts rings discarded because a request outlived every"
	echo "teardown cancel (D13/D14), \`not_reset\` rings found unclean otherwise."
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" stability "$section"
exit $status
