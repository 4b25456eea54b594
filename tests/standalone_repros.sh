#!/usr/bin/env bash
# standalone_repros SRC: every program in scripts/repro/ (the reproducers of
# registry entries that export-c cannot write, such as task actors) builds
# with plain gcc and the libraries its "Build:" line names, warning-free,
# and reproduces its entry: exit 1 in at least one of 5 runs, never an exit
# other than 0 or 1. 77 when every one says io_uring is unusable here.
set -u
SRC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/lib.sh"
unsupported=0 total=0
for c in "$SRC"/scripts/repro/*.c; do
	name=$(basename "$c" .c)
	libs=$(sed -n 's/^ \* Build: gcc .*\.c \([^*]*\)\( \*\/\)\{0,1\}$/\1/p' "$c")
	[ -n "$libs" ] || { fail "$name: no ' * Build: gcc ... $name.c LIBS' line"; continue; }
	total=$((total + 1))
	if ! gcc -O2 -Wall -Werror -o "$T/$name" "$c" $libs 2>"$T/$name.cc"; then
		fail "$name: does not build: $(head -c 600 "$T/$name.cc")"
		continue
	fi
	hits=0 other=""
	for i in 1 2 3 4 5; do
		timeout -k 5 60 "$T/$name" >"$T/$name.out" 2>&1
		rc=$?
		case $rc in
		1) hits=$((hits + 1)) ;;
		0) ;;
		77) unsupported=$((unsupported + 1)); other=skip; break ;;
		*) other="$other $rc" ;;
		esac
	done
	[ "$other" = skip ] && { echo "$name: 77 (unsupported here)"; continue; }
	[ -z "$other" ] || fail "$name: exits other than 0/1:$other; last output: $(cat "$T/$name.out")"
	[ $hits -ge 1 ] || fail "$name: reproduced in none of 5 runs; last output: $(cat "$T/$name.out")"
	echo "$name: reproduced in $hits of 5 runs"
done
[ $total -ge 2 ] || fail "only $total programs in scripts/repro"
[ $failures -eq 0 ] || exit 1
[ $unsupported -lt $total ] || exit 77
exit 0
