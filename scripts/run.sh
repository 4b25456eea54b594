#!/usr/bin/env bash
# The main job: set up, build, then replay the seed corpus on the running
# kernel and print a summary. Exit code is cancelfuzz's (docs/cli.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$CF_BUILD/cancelfuzz" probe | head -n 4
exec "$CF_BUILD/cancelfuzz" replay -q "$CF_ROOT/corpora"
