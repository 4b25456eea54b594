#!/usr/bin/env bash
# Build a debug kernel from Debian's linux-source-6.1 or linux-source-6.12,
# with KASAN, lockdep and io_uring, for scripts/kernels: races that corrupt
# memory or take locks in the wrong order then show in the guest's log, which
# scripts/kernels scans (a splat fails that kernel).
#
# usage: scripts/build_debug_kernel.sh [--series 6.1|6.12] [--out DIR] [--jobs N] [--config-only]
#
# Writes DIR/bzImage-SERIES-debug (default DIR: ~/.cache/cancelfuzz/kernels/debug)
# and prints the scripts/kernels command that compares it with Debian's build.
# The tree is configured from x86_64_defconfig plus kvm_guest.config (serial
# console, virtio, initramfs built in: no modules needed in the guest), then:
#   IO_URING, AIO, FUTEX           what cancelfuzz exercises
#   KASAN (inline), KASAN_VMALLOC  use-after-free and out-of-bounds
#   PROVE_LOCKING, DEBUG_ATOMIC_SLEEP, DEBUG_LIST, DETECT_HUNG_TASK,
#   SOFTLOCKUP_DETECTOR, UBSAN (bounds)   lockdep and friends
#   no DEBUG_INFO, no modules       to keep the build short
# Time on this project's machines (2 cores, Debian 12) is in docs/kernels.md.
set -euo pipefail

series=6.1 out=${CF_KERNEL_CACHE:-$HOME/.cache/cancelfuzz/kernels}/debug jobs=$(nproc) config_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--series) series=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--config-only) config_only=1; shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "build_debug_kernel: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $series in
6.1 | 6.12) ;;
*) echo "build_debug_kernel: --series is 6.1 or 6.12, not $series" >&2; exit 2 ;;
esac

pkgs=(linux-source-"$series" build-essential bc bison flex libelf-dev libssl-dev xz-utils cpio kmod)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "build_debug_kernel: installing ${missing[*]}"
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

tarball=$(ls /usr/src/linux-source-"$series".tar.xz)
mkdir -p "$out"
src=$out/linux-source-$series
if [ ! -f "$src/Makefile" ]; then
	echo "build_debug_kernel: unpacking $tarball"
	tar -xf "$tarball" -C "$out"
fi
cd "$src"

start=$(date +%s)
make -s x86_64_defconfig
make -s kvm_guest.config
cfg=./scripts/config
$cfg --enable IO_URING --enable AIO --enable FUTEX --enable EVENTFD \
	--enable DEVTMPFS --enable BLK_DEV_INITRD --enable SERIAL_8250_CONSOLE \
	--enable FTRACE --enable TRACING --enable FTRACE_SYSCALLS \
	--enable KASAN --enable KASAN_INLINE --enable KASAN_VMALLOC \
	--enable PROVE_LOCKING --enable DEBUG_ATOMIC_SLEEP --enable DEBUG_LIST \
	--enable DETECT_HUNG_TASK --set-val DEFAULT_HUNG_TASK_TIMEOUT 20 \
	--enable SOFTLOCKUP_DETECTOR --enable UBSAN --enable UBSAN_BOUNDS \
	--disable DEBUG_INFO --disable DEBUG_INFO_DWARF5 --enable DEBUG_INFO_NONE \
	--disable DEBUG_INFO_BTF --disable MODULES \
	--disable SYSTEM_TRUSTED_KEYRING --set-str SYSTEM_TRUSTED_KEYS "" \
	--set-str SYSTEM_REVOCATION_KEYS "" --set-str LOCALVERSION "-cfdebug"
make -s olddefconfig
for opt in IO_URING KASAN PROVE_LOCKING; do
	grep -q "^CONFIG_$opt=y" .config || { echo "build_debug_kernel: CONFIG_$opt did not stick" >&2; exit 3; }
done
if [ "$config_only" -eq 1 ]; then
	echo "build_debug_kernel: configured $src ($(grep -c '=y' .config) options on); stopping (--config-only)"
	exit 0
fi
echo "build_debug_kernel: building bzImage with $jobs jobs (see docs/kernels.md for how long)"
make -j"$jobs" bzImage
cp arch/x86/boot/bzImage "$out/bzImage-$series-debug"
echo "build_debug_kernel: $out/bzImage-$series-debug in $(( $(date +%s) - start )) s"
echo "compare it with Debian's build:"
echo "  scripts/kernels --reference debian:$series debian:$series $out/bzImage-$series-debug"
