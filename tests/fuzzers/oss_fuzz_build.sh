#!/usr/bin/env bash
# Description: fuzzers/build.sh, called the way OSS-Fuzz calls build.sh for
# libFuzzer with ASan, produces the target, its dictionary, options and seed
# corpus; the target then runs the seed corpus once. Skips (77) without clang.
# usage: oss_fuzz_build.sh SOURCE_DIR
set -euo pipefail
src=$1
command -v clang >/dev/null || { echo "clang not installed: skipped"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
CC=clang CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=$t/out WORK=$t/work bash "$src/fuzzers/build.sh"
for f in cancel_fuzzer cancel_fuzzer.dict cancel_fuzzer.options cancel_fuzzer_seed_corpus.zip; do
	[ -s "$t/out/$f" ] || { echo "FAIL: build.sh did not produce $f" >&2; exit 1; }
done
[ -x "$t/out/cancel_fuzzer" ] || { echo "FAIL: cancel_fuzzer is not executable" >&2; exit 1; }
mkdir "$t/seeds"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
	"$t/out/cancel_fuzzer_seed_corpus.zip" "$t/seeds"
want=$(find "$src/corpora/seeds" "$src/corpora/findings" -type f \
	! -name '*.verdict' ! -name '*.history' ! -name '*.md' ! -name '*.txt' | wc -l)
got=$(find "$t/seeds" -type f | wc -l)
[ "$got" -eq "$want" ] || { echo "FAIL: seed corpus has $got inputs, corpora has $want" >&2; exit 1; }
(cd "$t" && ./out/cancel_fuzzer -runs=0 -dict=out/cancel_fuzzer.dict seeds) >"$t/log" 2>&1 || {
	tail -30 "$t/log" >&2
	echo "FAIL: the built target did not run its seed corpus" >&2
	exit 1
}
grep -q 'INITED' "$t/log" || { tail -20 "$t/log" >&2; echo "FAIL: libFuzzer did not start" >&2; exit 1; }
echo "build.sh produced all four files; the target ran $got seeds"
