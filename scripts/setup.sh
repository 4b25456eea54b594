#!/usr/bin/env bash
# Install what cancelfuzz needs from Debian's archive (only what is missing),
# then configure and build into build/. Sourced by run.sh and test.sh.
set -euo pipefail

CF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CF_BUILD=${CF_BUILD:-$CF_ROOT/build}
# clang, libclang-rt-14-dev (libFuzzer), afl++ and python3: scripts/fuzz and the
# engine smoke in test.sh. qemu-system-x86: scripts/kernels and its ctest.
CF_PACKAGES=(gcc make cmake pkg-config liburing-dev clang libclang-rt-14-dev afl++ python3
	qemu-system-x86)

cf_install_missing() {
	local missing=()
	for p in "${CF_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "setup: installing ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

cf_build() {
	cmake -S "$CF_ROOT" -B "$CF_BUILD" -DCF_WERROR=ON "$@" >/dev/null
	cmake --build "$CF_BUILD" -j"$(nproc)"
}

# The kernel the kernels_boot ctest boots: Debian's 6.1 cloud image, unpacked
# into ~/.cache/cancelfuzz/kernels (apt-get download; nothing lands in /boot).
cf_fetch_test_kernel() {
	"$CF_ROOT/scripts/kernels" --fetch debian:6.1 >/dev/null ||
		echo "setup: could not fetch debian:6.1; the kernels_boot test will skip" >&2
}

cf_install_missing
cf_fetch_test_kernel
cf_build
