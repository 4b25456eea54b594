#!/usr/bin/env bash
# OSS-Fuzz / ClusterFuzzLite build script: builds the fuzz target the way
# those services call build.sh, from this checkout.
#
# Honours: CC, CFLAGS (sanitizer and coverage flags), LIB_FUZZING_ENGINE (the
# engine's link flags or library), FUZZING_ENGINE (libfuzzer, afl, honggfuzz,
# ...; guessed from LIB_FUZZING_ENGINE when unset), OUT (where the results go),
# WORK (scratch; a temporary directory when unset).
# Produces in $OUT: cancel_fuzzer, cancel_fuzzer.dict, cancel_fuzzer.options,
# cancel_fuzzer_seed_corpus.zip (corpora/seeds and corpora/findings in binary form).
# Needs: liburing-dev, python3 (for the zip), the compiler in $CC.
# Example, as OSS-Fuzz sets it for libFuzzer with ASan:
#   CC=clang CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only \
#     -fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#     OUT=/tmp/out bash fuzzers/build.sh
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "build.sh: $*" >&2; exit 2; }

[ -n "${OUT:-}" ] || die "OUT is not set (the directory for the fuzz target)"
[ -n "${LIB_FUZZING_ENGINE:-}" ] || die "LIB_FUZZING_ENGINE is not set (e.g. -fsanitize=fuzzer)"
CC=${CC:-clang}
CFLAGS=${CFLAGS:-}
command -v "$CC" >/dev/null || die "compiler '$CC' not found"
command -v python3 >/dev/null || die "python3 not found (needed to write the seed corpus zip)"
if [ -z "${FUZZING_ENGINE:-}" ]; then
	case "$LIB_FUZZING_ENGINE" in
	*-fsanitize=fuzzer*) FUZZING_ENGINE=libfuzzer ;;
	*) FUZZING_ENGINE=other ;;
	esac
fi
mkdir -p "$OUT"
work=${WORK:-}
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
obj=$work/cancelfuzz-obj
rm -rf "$obj"
mkdir -p "$obj"

# liburing: the static archive when there is one, so the target runs on a
# machine without liburing (OSS-Fuzz's runner images have none).
uring_cflags=$(pkg-config --cflags liburing 2>/dev/null || true)
uring_lib=-luring
for d in $(pkg-config --variable=libdir liburing 2>/dev/null) /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
	if [ -f "$d/liburing.a" ]; then
		uring_lib=$d/liburing.a
		break
	fi
done

# The engine decides which extras cancel_fuzzer.c compiles in.
engine_defs=()
[ "$FUZZING_ENGINE" = libfuzzer ] && engine_defs=(-DCF_FUZZ_LIBFUZZER)

# Every library source: harness and oracle, fuzzers minus the two other mains.
sources=()
layers=(harness/program harness/history harness/exec oracles oracles/faults harness/run fuzzers)
for f in "${layers[@]/#/$src/}"; do
	f=${f%/}
	for c in "$f"/*.c; do
		case "$(basename "$c")" in
		cancel_fuzzer.c | afl_mutator.c) ;;
		*) sources+=("$c") ;;
		esac
	done
done
# Version and commit, as the CMake build makes them (cmake/version.cmake).
cmake -DSRC="$src" -DOUT="$obj/cf_version.c" \
	-DCF_VERSION="$(sed -n 's/^project(cancelfuzz VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" \
	-P "$src/cmake/version.cmake"
sources+=("$obj/cf_version.c")
flags=(-std=gnu11 -D_GNU_SOURCE "${layers[@]/#/-I$src/}")
objs=()
for f in "${sources[@]}"; do
	o=$obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o # names are unique per folder
	# shellcheck disable=SC2086 # CFLAGS and the liburing flags are word lists
	$CC $CFLAGS $uring_cflags "${flags[@]}" -c "$f" -o "$o"
	objs+=("$o")
done
# shellcheck disable=SC2086
$CC $CFLAGS $uring_cflags "${flags[@]}" "${engine_defs[@]}" -c "$src/fuzzers/cancel_fuzzer.c" \
	-o "$obj/cancel_fuzzer.o"
# shellcheck disable=SC2086
$CC $CFLAGS "$obj/cancel_fuzzer.o" "${objs[@]}" $LIB_FUZZING_ENGINE $uring_lib -ldl \
	-o "$OUT/cancel_fuzzer.tmp"
mv -f "$OUT/cancel_fuzzer.tmp" "$OUT/cancel_fuzzer"

# A host tool for the seed corpus, from the same objects (no engine main),
# plus the layer only the command line uses (harness/export, export-c) and
# the reproducer texts it embeds, as the CMake build makes them.
cmake -DDIR="$src/harness/export" -DOUT="$obj/repro_text.c" -P "$src/harness/export/embed.cmake"
cli_objs=()
for f in "$src"/harness/export/*.c "$obj/repro_text.c" "$src/harness/cli/cli.c"; do
	o=$obj/cli-$(basename "$f" .c).o
	# shellcheck disable=SC2086
	$CC $CFLAGS $uring_cflags "${flags[@]}" "-I$src/harness/export" -c "$f" -o "$o"
	cli_objs+=("$o")
done
# shellcheck disable=SC2086
$CC $CFLAGS "${cli_objs[@]}" "${objs[@]}" $uring_lib -ldl -o "$work/cancelfuzz"

seeds=$work/seed-corpus
rm -rf "$seeds"
mkdir -p "$seeds"
for f in "$src"/corpora/seeds/* "$src"/corpora/findings/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	case "$name" in
	.* | *.verdict | *.history | *.md | *.txt) ;;
	*.cfp) "$work/cancelfuzz" compile "$f" -o "$seeds/${name%.cfp}" ;;
	*) cp "$f" "$seeds/$name" ;;
	esac
done
python3 - "$seeds" "$OUT/cancel_fuzzer_seed_corpus.zip" <<'EOF'
import os, sys, zipfile
seeds, dest = sys.argv[1], sys.argv[2]
tmp = dest + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(seeds)):
        z.write(os.path.join(seeds, name), name)
os.replace(tmp, dest)
EOF
for f in cancel_fuzzer.dict cancel_fuzzer.options; do
	cp "$src/fuzzers/$f" "$OUT/$f.tmp"
	mv -f "$OUT/$f.tmp" "$OUT/$f"
done
echo "build.sh: $FUZZING_ENGINE target, $(find "$seeds" -type f | wc -l) seeds -> $OUT"
