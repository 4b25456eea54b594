#!/usr/bin/env bash
# Every test: set up, build with warnings as errors, run ctest; then rebuild
# with ASan+UBSan and run the tests that need no kernel features.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$CF_BUILD"
ctest --output-on-failure -j2 --timeout 900

asan_build=$CF_ROOT/build-asan
cmake -S "$CF_ROOT" -B "$asan_build" -DCF_WERROR=ON -DCF_ASAN=ON -DCF_UBSAN=ON >/dev/null
cmake --build "$asan_build" -j"$(nproc)"
cd "$asan_build"
ctest --output-on-failure -j2 -R '^(test_text|test_decode_random|test_history_format|cli_bad_input)$'
