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
# crashes are triaged. Fails if an engine fails to build or run (exit 2 or 3),
# or on a replay that hangs the harness, a write failure or a triage problem
# (report.json). New findings do not fail it: since race groups and the new
# request kinds (issues 14, 15) the model has untriaged gaps that a 5 s run
# hits at random (docs/fuzzing.md, "The CI smoke"); they are printed, with
# their replay commands, for whoever reads the log. Reports stay in
# build/smoke/ENGINE/report.md.
smoke=$CF_BUILD/smoke
rm -rf "$smoke"
for engine in builtin libfuzzer afl; do
	rc=0
	"$CF_ROOT/scripts/fuzz" --engine "$engine" --time "${CF_SMOKE_SECONDS:-5}" --seed 1 \
		--out "$smoke/$engine" --known-gaps "$CF_ROOT/fuzzers/known-gaps.txt" || rc=$?
	case $rc in
	0) echo "smoke: $engine passed" ;;
	1)
		bad=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
n = lambda v: len(v) if isinstance(v, list) else int(v or 0)
print(n(r["hangs"]) + n(r["problems"]) + n(r["write_failures"]))' "$smoke/$engine/report.json")
		if [ "$bad" != 0 ]; then
			echo "smoke: $engine FAILED: hangs, triage problems or write failures; report: $smoke/$engine/report.md" >&2
			exit 1
		fi
		echo "smoke: $engine ran; its new findings are untriaged (model gaps or kernel behaviour):"
		python3 -c 'import json, sys
for f in json.load(open(sys.argv[1]))["new_findings"]:
    print("  " + f["signature"] + ": " + f["replay"])' "$smoke/$engine/report.json"
		;;
	77) echo "smoke: $engine skipped: io_uring is not usable here" ;;
	*)
		echo "smoke: $engine FAILED (exit $rc); report: $smoke/$engine/report.md" >&2
		exit 1
		;;
	esac
done
