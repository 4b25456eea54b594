#!/usr/bin/env bash
# Distinct kernel behaviours reached with and without behaviour feedback, for
# each engine, same time and seed, one job, one run after the other, through
# scripts/fuzz (fresh corpus each time). Prints a Markdown table.
# usage: scripts/bench/bench_engines.sh [SECONDS] [SEED] [ENGINE...]   (default 60 7 libfuzzer afl)
# "behaviours": distinct 16-bit behaviour features over every execution of the
# run (the shared stats page), the number the built-in engine prints.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
seed=${2:-7}
shift $(($# < 2 ? $# : 2))
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(libfuzzer afl)
case $secs$seed in *[!0-9]*) echo "usage: $0 [SECONDS] [SEED] [ENGINE...]" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| engine | feedback | seconds | execs | exec/s | behaviours |"
echo "|---|---|---|---|---|---|"
for engine in "${engines[@]}"; do
	for fb in on off; do
		flag=()
		[ "$fb" = off ] && flag=(--no-feedback)
		out=$tmp/$engine-$fb
		rc=0
		"$root/scripts/fuzz" --engine "$engine" --time "$secs" --jobs 1 --seed "$seed" \
			--out "$out" "${flag[@]}" 2>"$tmp/log" || rc=$?
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
			echo "bench: $engine feedback=$fb failed (exit $rc):" >&2
			tail -20 "$tmp/log" >&2
			exit 3
		fi
		python3 - "$out/report.json" "$engine" "$fb" "$secs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {r['execs']} | {r['exec_per_sec']} | {r['behaviours']} |")
PY
	done
done
