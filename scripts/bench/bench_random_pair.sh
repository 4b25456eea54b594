#!/usr/bin/env bash
# The stability workload (test_exec_random: the stability_100k test's random
# programs, one process) of this tree against another build of it, in pairs:
# base then this tree, PAIRS times, wall time of each run and the ratio
# this/base of each pair, then the median ratio. Both run the same random
# bytes, so a ratio holds while the shared machine's speed drifts. Rewrites
# the "random-pair" section of docs/benchmarks.md.
# Usage: scripts/bench/bench_random_pair.sh BASE_BUILD [EXECS] [PAIRS]
#   BASE_BUILD  build folder of the other tree (e.g. main's), test_exec_random built
#   EXECS       random executions per run (default 3000; the test runs 100000)
#   PAIRS       pairs of runs (default 3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
base=${1:?usage: bench_random_pair.sh BASE_BUILD [EXECS] [PAIRS]}
execs=${2:-3000}
pairs=${3:-3}
cmake --build "$CF_BUILD" --target test_exec_random --target bench_random_split >/dev/null
[ -x "$base/test_exec_random" ] || { echo "no $base/test_exec_random" >&2; exit 2; }

last=$(mktemp)
wall() { # seconds of one run; its last output line in $last
	local t0 t1
	t0=$(date +%s.%N)
	CF_RANDOM_EXECS=$execs CF_SOURCE_DIR=$CF_ROOT "$1/test_exec_random" | tail -1 >"$last"
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'
}
rows=""
ratios=""
for p in $(seq 1 "$pairs"); do
	b=$(wall "$base")
	n=$(wall "$CF_BUILD")
	r=$(echo "$n $b" | awk '{ printf "%.3f", $1 / $2 }')
	echo "pair $p: base ${b} s, this ${n} s, ratio $r ($(cat "$last"))"
	rows+="| $p | $r |"$'\n'
	ratios+="$r"$'\n'
done
median=$(printf '%s' "$ratios" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median ratio this/base: $median"
# where the time goes, one run each (the base's only if it has the tool)
split_new=$("$CF_BUILD/bench_random_split" "$execs")
echo "$split_new"
split_old=""
if [ -x "$base/bench_random_split" ]; then
	split_old=$((cd "$CF_ROOT" && "$base/bench_random_split" "$execs"))
	echo "$split_old" | sed 's/^/base: /'
fi
section=$(mktemp)
trap 'rm -f "$section" "$last"' EXIT
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r), $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg) when it ended), by"
	echo "\`scripts/bench/bench_random_pair.sh BASE $execs $pairs\`: $execs random executions of"
	echo "\`test_exec_random\` (the \`stability_100k\` workload) per run, base then this tree, $pairs pairs."
	echo "Wall time this/base per pair (below 1: this tree is faster):"
	echo
	echo "| pair | this/base |"
	echo "|---:|---:|"
	printf '%s' "$rows"
	echo
	echo "Median: **$median**."
	echo
	echo "Where this tree's time goes (\`bench_random_split $execs\`, one run after the pairs;"
	echo "shares of the executions' wall time, by the acts' own start and end times):"
	echo
	echo '```'
	echo "$split_new"
	echo '```'
	if [ -n "$split_old" ]; then
		echo
		echo "The base's:"
		echo
		echo '```'
		echo "$split_old"
		echo '```'
	fi
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" random-pair "$section"
