#!/usr/bin/env bash
# Install what cancelfuzz needs from Debian's archive (only what is missing),
# then configure and build into build/. Sourced by run.sh and test.sh.
set -euo pipefail

CF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CF_BUILD=${CF_BUILD:-$CF_ROOT/build}
# clang, libclang-rt-14-dev (libFuzzer), afl++ and python3: scripts/fuzz and the
# engine smoke in test.sh.
CF_PACKAGES=(gcc make cmake pkg-config liburing-dev clang libclang-rt-14-dev afl++ python3)

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

cf_install_missing
cf_build
