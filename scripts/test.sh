#!/usr/bin/env bash
# Every test: set up, build with warnings as errors, run ctest; then rebuild
# with ASan+UBSan and run the tests that need no kernel features; then a short
# smoke of every fuzz engine through scripts/fuzz.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$CF_BUILD"
ctest --output-on-failure -j2 --timeout 900

asan_build=$CF_ROOT/build-asan
cmake -S "$CF_ROOT" -B "$asan_build" -DCF_WERROR=ON -DCF_ASAN=ON -DCF_UBSAN=ON >/dev/null
cmake --build "$asan_build" -j"$(nproc)"
cd "$asan_build"
ctest --output-on-failure -j2 -R '^(test_text|test_decode_random|test_history_format|cli_bad_input)$'

# Engine smoke: each engine builds, fuzzes a few seconds on every core, and its
# crashes are triaged. Fails if an engine fails to build or run (exit 3), on a
# new finding outside fuzzers/known-gaps.txt or a replay that hangs the harness
# (exit 1). Reports stay in build/smoke/ENGINE/report.md.
smoke=$CF_BUILD/smoke
rm -rf "$smoke"
for engine in builtin libfuzzer afl; do
	rc=0
	"$CF_ROOT/scripts/fuzz" --engine "$engine" --time "${CF_SMOKE_SECONDS:-5}" --seed 1 \
		--out "$smoke/$engine" --known-gaps "$CF_ROOT/fuzzers/known-gaps.txt" || rc=$?
	case $rc in
	0) echo "smoke: $engine passed" ;;
	77) echo "smoke: $engine skipped: io_uring is not usable here" ;;
	*)
		echo "smoke: $engine FAILED (exit $rc); report: $smoke/$engine/report.md" >&2
		exit 1
		;;
	esac
done
