#!/usr/bin/env bash
# Where the time goes, by program class, and each class against the kernel's
# own cost (scripts/bench/classes.c says how). Rewrites the "classes" section
# of docs/benchmarks.md.
# Usage: scripts/bench/bench_classes.sh [SECONDS] [BASE_BUILD]
#   SECONDS     length of the campaign (default 60; one job, seed 1)
#   BASE_BUILD  optional build folder of another tree (e.g. main's) with its own
#               bench_classes built: it runs in the same script run, campaign
#               and floor interleaved with ours, and shows as "before".
# Environment: CF_FLOOR_ROUNDS (default 15) rounds of 100 executions per class.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"
seconds=${1:-60}
base=${2:-}
old_campaign=""
old_floor=""
rounds=${CF_FLOOR_ROUNDS:-15}
cmake --build "$CF_BUILD" --target bench_classes >/dev/null
seeds=$CF_ROOT/corpora/seeds

run() { (cd "$CF_ROOT" && "$1/bench_classes" "${@:2}"); }
if [ -n "$base" ]; then
	old_campaign=$(run "$base" campaign "$seconds" "$seeds")
	echo "$old_campaign" | sed 's/^/before: /'
fi
new_campaign=$(run "$CF_BUILD" campaign "$seconds" "$seeds")
echo "$new_campaign"
if [ -n "$base" ]; then
	old_floor=$(run "$base" floor "$rounds" "$seeds")
	echo "$old_floor" | sed 's/^/before: /'
fi
new_floor=$(run "$CF_BUILD" floor "$rounds" "$seeds")
echo "$new_floor"

field() { sed -E "s/.*[ ^]$1=([^ ]+).*/\1/"; }
# teardown rounds that waited out the quiet bound, per execution (n/a from
# a bench_classes that does not count them)
quiet() { case "$1" in *quiet_per_exec=*) echo "$1" | field quiet_per_exec ;; *) echo n/a ;; esac; }
# a field a bench_classes of another tree may not print: n/a then
opt() { case "$1" in *" $2="*) echo "$1" | field "$2" ;; *) echo n/a ;; esac; }
get() { echo "$1" | grep "$2" | field "$3"; }
section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
	echo "Measured $(date -u +%Y-%m-%d) on kernel $(uname -r), $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg) when it ended), by \`scripts/bench/bench_classes.sh $seconds${base:+ BASE}\`."
	echo
	echo "**Campaign**: the built-in engine's default loop (\`scripts/bench/classes.c\`"
	echo "mirrors \`fuzzers/builtin.c\`: seed 1, one job, swarm, feedback, \`--spec kernel\`;"
	echo "without its cost-aware scheduling, so each class keeps the swarm's share;"
	echo "SQPOLL programs in batches of 8 where the tree's engine batches them),"
	echo "$seconds s, each execution timed and classed by static features. CPU is"
	echo "\`getrusage(RUSAGE_SELF)\`: every thread of the process, io_uring's iou-sqp and"
	echo "iou-wrk threads included. Quiet waits: io_uring teardown rounds that ended"
	echo "on the quiet bound with requests outstanding (docs/history-format.md), and"
	echo "the time those bounds took. Of the CPU, the main thread's own and the shared"
	echo "SQ thread's (its CPU clock; it polls on for 4-8 ms after an SQPOLL execution,"
	echo "so most of it falls in the executions after one): this run only."
	echo
	if [ -n "$base" ]; then
		echo "| | before | after |"
		echo "|---|---:|---:|"
		for k in execs_per_sec behaviours cpu_us_per_exec; do
			echo "| $k | $(get "$old_campaign" '^campaign' $k) | $(get "$new_campaign" '^campaign' $k) |"
		done
		echo
		echo "| class | share of execs before / after | share of wall before / after | mean µs before / after | CPU µs before / after | quiet waits per exec before / after | quiet µs before / after | main thread CPU µs | SQ thread CPU µs |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		echo "$new_campaign" | grep '^class ' | while read -r line; do
			c=$(echo "$line" | field name)
			o=$(echo "$old_campaign" | grep "^class name=$c ")
			echo "| $c | $(echo "$o" | field exec_share) / $(echo "$line" | field exec_share) | $(echo "$o" | field wall_share) / $(echo "$line" | field wall_share) | $(echo "$o" | field mean_us) / $(echo "$line" | field mean_us) | $(echo "$o" | field cpu_us) / $(echo "$line" | field cpu_us) | $(quiet "$o") / $(quiet "$line") | $(opt "$o" quiet_us) / $(opt "$line" quiet_us) | $(opt "$line" main_cpu_us) | $(opt "$line" sq_thread_cpu_us) |"
		done
	else
		echo "| executions/s | behaviours | CPU µs per execution |"
		echo "|---:|---:|---:|"
		echo "| $(get "$new_campaign" '^campaign' execs_per_sec) | $(get "$new_campaign" '^campaign' behaviours) | $(get "$new_campaign" '^campaign' cpu_us_per_exec) |"
		echo
		echo "| class | share of execs | share of wall | mean µs | CPU µs | quiet waits per exec | quiet µs | main thread CPU µs | SQ thread CPU µs |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		echo "$new_campaign" | grep '^class ' | while read -r line; do
			echo "| $(echo "$line" | field name) | $(echo "$line" | field exec_share) | $(echo "$line" | field wall_share) | $(echo "$line" | field mean_us) | $(echo "$line" | field cpu_us) | $(quiet "$line") | $(opt "$line" quiet_us) | $(opt "$line" main_cpu_us) | $(opt "$line" sq_thread_cpu_us) |"
		done
	fi
	echo
	echo "Across classes (a tree whose bench_classes does not print them: n/a): programs"
	echo "with a race group and with a task actor; *releases* is the time in their"
	echo "\`wait go\` and \`wait exit\` acts, *quiet* the teardown's quiet bounds that ran out."
	echo
	echo "| programs | share of execs before / after | share of wall before / after | mean µs before / after | releases µs after | quiet µs before / after |"
	echo "|---|---:|---:|---:|---:|---:|"
	echo "$new_campaign" | grep '^tag ' | while read -r line; do
		t=$(echo "$line" | field name)
		o=$(echo "$old_campaign" | grep "^tag name=$t " || true)
		if [ -z "$o" ]; then o="tag name=$t exec_share=n/a wall_share=n/a mean_us=n/a quiet_us=n/a"; fi
		echo "| $t | $(echo "$o" | field exec_share) / $(echo "$line" | field exec_share) | $(echo "$o" | field wall_share) / $(echo "$line" | field wall_share) | $(echo "$o" | field mean_us) / $(echo "$line" | field mean_us) | $(echo "$line" | field go_exit_us) | $(echo "$o" | field quiet_us) / $(echo "$line" | field quiet_us) |"
	done
	echo
	echo "**Against the event-driven floor**: per class one seed program, the harness"
	echo "(decode, execute, record, judge, features) against a hand-written loop of the"
	echo "same syscalls that only ever waits for the completions it expects (no fixed"
	echo "sleep). Medians of $rounds rounds of 100 executions, rounds alternating; µs"
	echo "per execution, wall and CPU (all threads). Target: harness/floor ≤ 1.5."
	echo
	if [ -n "$base" ]; then
		echo "| class | program | floor | harness before | ratio before | harness after | ratio after | CPU ratio after |"
		echo "|---|---|---:|---:|---:|---:|---:|---:|"
		echo "$new_floor" | grep '^floor ' | while read -r line; do
			c=$(echo "$line" | field class)
			o=$(echo "$old_floor" | grep "^floor class=$c ")
			echo "| $c | \`$(echo "$line" | field program)\` | $(echo "$line" | field floor_us) | $(echo "$o" | field harness_us) | $(echo "$o" | field ratio) | $(echo "$line" | field harness_us) | $(echo "$line" | field ratio) | $(echo "$line" | field cpu_ratio) |"
		done
	else
		echo "| class | program | floor | harness | ratio | floor CPU | harness CPU | CPU ratio |"
		echo "|---|---|---:|---:|---:|---:|---:|---:|"
		echo "$new_floor" | grep '^floor ' | while read -r line; do
			echo "| $(echo "$line" | field class) | \`$(echo "$line" | field program)\` | $(echo "$line" | field floor_us) | $(echo "$line" | field harness_us) | $(echo "$line" | field ratio) | $(echo "$line" | field floor_cpu_us) | $(echo "$line" | field harness_cpu_us) | $(echo "$line" | field cpu_ratio) |"
		done
	fi
} >"$section"
python3 "$CF_ROOT/scripts/bench/replace_section.py" "$CF_ROOT/docs/benchmarks.md" classes "$section"
