#!/usr/bin/env bash
# Executions per second of every engine with 1 and 2 jobs, and behaviours
# reached by the built-in engine in MINUTES, for this tree and (optionally)
# another one run right after it, pair by pair, on the same machine state.
# Rewrites the "speedup" section of docs/benchmarks.md.
# Usage: scripts/bench/bench_speedup.sh [SECONDS] [MINUTES] [BASE_ROOT]
#   SECONDS    per engine run (default 60), through scripts/fuzz --seed 1
#   MINUTES    the behaviours run (default 3; builtin, one job, seed 1)
#   BASE_ROOT  a checkout of the code to compare with (e.g. main), built by
#              its own scripts/fuzz; shown as "before"
# Each run gets a fresh corpus and output folder. CF_BASE_LABEL says in the
# section what BASE_ROOT is (default: the tree before issue 13).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
mins=${2:-3}
base=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # tree engine jobs seconds tag -> "execs exec_per_sec behaviours"
	local out=$tmp/$5
	"$1/scripts/fuzz" --engine "$2" --jobs "$3" --time "$4" --seed 1 --spec kernel \
		--corpus "$out/corpus" --out "$out" >"$tmp/$5.log" 2>&1 || true
	python3 -c 'import json,sys
try:
    r = json.load(open(sys.argv[1])); print(r["execs"], r["exec_per_sec"], r["behaviours"])
except Exception:
    print("n/a n/a n/a")' "$out/report.json"
}

trees=("$root")
[ -n "$base" ] && trees=("$base" "$root")
rates=""
for engine in builtin libfuzzer afl; do
	for jobs in 1 2; do
		line="| $engine | $jobs |"
		for t in "${trees[@]}"; do
			tag=$(basename "$t")-$engine-$jobs
			read -r execs rate beh < <(run "$t" "$engine" "$jobs" "$secs" "$tag")
			per_job=$([ "$rate" = n/a ] && echo n/a || echo $((rate / jobs)))
			line+=" $rate ($per_job per job) |"
			echo "engine=$engine jobs=$jobs tree=$t execs=$execs exec_per_sec=$rate per_job=$per_job behaviours=$beh"
		done
		rates+="$line"$'\n'
	done
done
behav="|"
for t in "${trees[@]}"; do
	read -r execs rate beh < <(run "$t" builtin 1 $((mins * 60)) "$(basename "$t")-behaviours")
	echo "behaviours tree=$t minutes=$mins execs=$execs exec_per_sec=$rate behaviours=$beh"
	behav+=" $beh ($execs executions) |"
done

section=$tmp/section.md
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r), $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg) when it ended), by \`scripts/bench/bench_speedup.sh $secs $mins${base:+ BASE}\`."
	echo "Every run through \`scripts/fuzz --seed 1 --spec kernel\` with a fresh corpus;"
	[ -n "$base" ] && echo "\"before\" is ${CF_BASE_LABEL:-the tree before issue 13}, each of its runs right before the same run of \"after\"."
	echo
	echo "**Executions per second** ($secs s per run):"
	echo
	if [ -n "$base" ]; then
		echo "| engine | jobs | before | after |"
		echo "|---|---:|---:|---:|"
	else
		echo "| engine | jobs | exec/s |"
		echo "|---|---:|---:|"
	fi
	printf '%s' "$rates"
	echo
	echo "**Behaviours reached** by the built-in engine in $mins minutes (one job):"
	echo
	if [ -n "$base" ]; then
		echo "| before | after |"
		echo "|---:|---:|"
	else
		echo "| behaviours |"
		echo "|---:|"
	fi
	echo "$behav"
} >"$section"
python3 "$root/scripts/bench/replace_section.py" "$root/docs/benchmarks.md" speedup "$section"
