#!/usr/bin/env bash
# Distinct kernel behaviours reached with and without behaviour feedback,
# same seed, same time, same machine, one after the other. Prints a table.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CF_BIN:-$root/build/cancelfuzz}
secs=${1:-30}
seed=${2:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| feedback | seconds | execs | exec/s | behaviours |"
echo "|---|---|---|---|---|"
for mode in on off; do
	flag=()
	[ "$mode" = off ] && flag=(--no-feedback)
	"$bin" fuzz --seconds "$secs" --seed "$seed" --spec kernel --out "$tmp/f-$mode" \
		"${flag[@]}" 2>"$tmp/log-$mode" || true
	line=$(grep -E '^\[ *[0-9.]+s\] execs' "$tmp/log-$mode" | tail -1)
	execs=$(sed -E 's/.*execs ([0-9]+).*/\1/' <<<"$line")
	rate=$(sed -E 's/.*exec\/s ([0-9]+).*/\1/' <<<"$line")
	beh=$(sed -E 's/.*behaviours ([0-9]+).*/\1/' <<<"$line")
	echo "| $mode | $secs | $execs | $rate | $beh |"
done
