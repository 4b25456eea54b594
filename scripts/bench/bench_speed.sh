#!/usr/bin/env bash
# Speed: the harness against the syscall floor on one core, cost against
# program length, a fresh ring per execution against a reused one, and
# executions per second of every engine with 1 and 2 jobs. Written into
# docs/benchmarks.md. Usage: scripts/bench/bench_speed.sh [ENGINE_SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
seconds=${1:-15}
cmake --build "$CF_BUILD" --target bench_speed >/dev/null
seeds=$CF_ROOT/corpora/seeds
reused=$(taskset -c 0 "$CF_BUILD/bench_speed" "$seeds")
fresh=$(CF_FRESH_RING=1 taskset -c 0 "$CF_BUILD/bench_speed" "$seeds")
echo "$reused"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
engine_rate() { # engine jobs -> exec/s from the runner's report
	"$CF_ROOT/scripts/fuzz" --engine "$1" --jobs "$2" --time "$seconds" --seed 1 \
		--out "$work/$1-$2" >/dev/null 2>&1 || true
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exec_per_sec"])' \
		"$work/$1-$2/report.json" 2>/dev/null || echo "n/a"
}
rates=""
for engine in builtin libfuzzer afl; do
	one=$(engine_rate "$engine" 1)
	two=$(engine_rate "$engine" 2)
	rates+="| $engine | $one | $two |"$'\n'
	echo "engine $engine jobs1=$one jobs2=$two"
done

field() { sed -E "s/.* $1=([0-9.]+).*/\1/"; }
section=$work/section.md
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r), $(nproc) cores, by \`scripts/bench/bench_speed.sh $seconds\`."
	echo
	echo "**Against the syscall floor**, pinned to one core (\`taskset -c 0\`). The floor"
	echo "is a hand-written loop (\`scripts/bench/speed.c\`) issuing each program's"
	echo "syscalls directly: create the pipes/sockets, one fixed-file update, the"
	echo "submits, the teardown's sync ANY|ALL cancel, the closes; no decoding,"
	echo "recording or judging. The harness is \`cf_target_run\`: decode, execute,"
	echo "record, judge at \`--spec kernel\`, behaviour features. Medians of 10 rounds of"
	echo "200 executions each, rounds alternating; microseconds per execution."
	echo
	echo "| program | harness (wall) | execute only | floor (wall) | ratio | harness CPU | floor CPU | CPU ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	echo "$reused" | grep '^floor ' | while read -r line; do
		echo "| \`$(echo "$line" | sed -E 's/.*program=([^ ]+).*/\1/')\` | $(echo "$line" | field harness_us) | $(echo "$line" | field execute_only_us) | $(echo "$line" | field floor_us) | $(echo "$line" | field ratio) | $(echo "$line" | field harness_cpu_us) | $(echo "$line" | field floor_cpu_us) | $(echo "$line" | field cpu_ratio) |"
	done
	echo
	echo "**Against program length**: generated default-mode programs without real"
	echo "timers or io-wq, padded to N ops, 2,000 executions each (one core):"
	echo
	echo "| ops | µs per execution | µs per op |"
	echo "|---:|---:|---:|"
	echo "$reused" | grep '^length ' | while read -r line; do
		echo "| $(echo "$line" | field ops) | $(echo "$line" | field us_per_exec) | $(echo "$line" | field us_per_op) |"
	done
	echo
	echo "**Fresh ring per execution** (\`CF_FRESH_RING=1\`) against the cached ring,"
	echo "harness µs per execution of the same three programs:"
	echo
	echo "| program | reused ring | fresh ring |"
	echo "|---|---:|---:|"
	paste <(echo "$reused" | grep '^floor ') <(echo "$fresh" | grep '^floor ') | while IFS=$'\t' read -r a b; do
		echo "| \`$(echo "$a" | sed -E 's/.*program=([^ ]+).*/\1/')\` | $(echo "$a" | field harness_us) | $(echo "$b" | field harness_us) |"
	done
	echo
	echo "**Engines**: executions per second reported by \`scripts/fuzz --time $seconds\`"
	echo "(seed 1, feedback on), with 1 job and with 2 jobs on the 2 cores:"
	echo
	echo "| engine | 1 job | 2 jobs |"
	echo "|---|---:|---:|"
	printf '%s' "$rates"
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" speed "$section"
