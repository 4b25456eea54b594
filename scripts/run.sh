#!/usr/bin/env bash
# The main job: set up, build, then a short fuzz campaign with the built-in
# engine on the running kernel (60 s unless CF_SECONDS says otherwise).
# Findings land in fuzz-out/findings, the growing corpus in fuzz-out/corpus.
# Exit: 0 no new finding, 1 new findings (see their .verdict files), 77 io_uring unusable.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$CF_BUILD/cancelfuzz" probe | head -n 4 || true
mkdir -p "$CF_ROOT/fuzz-out/corpus"
exec "$CF_BUILD/cancelfuzz" fuzz --seconds "${CF_SECONDS:-60}" --spec "${CF_SPEC:-kernel}" \
	--seeds "$CF_ROOT/corpora" --out "$CF_ROOT/fuzz-out/findings" \
	--corpus-dir "$CF_ROOT/fuzz-out/corpus"
