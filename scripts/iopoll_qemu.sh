#!/bin/bash
# Description: IORING_SETUP_IOPOLL and cancel on a Debian kernel under QEMU
# (TCG), on an NVMe disk with a poll queue: the host of this project has no
# block device with poll queues (io_poll 0, no modules for null_blk).
#
#   scripts/iopoll_qemu.sh [KERNEL_IMAGE]   default: the cached 6.1 cloud kernel
#                                           of scripts/kernels (debian:6.1)
#
# Builds scripts/kernels.d/iopoll.c statically as the guest's /init, boots
# it with `-device nvme` and `nvme.poll_queues=1`, and prints the guest's
# cases (docs/coverage-liburing.md, the IOPOLL rows). Exit 0 when every
# exact value held and the guest finished, 1 on a MISMATCH or a kernel-log
# splat, 3 when the guest did not finish, 77 without QEMU or a kernel.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CF_KERNEL_CACHE:-$HOME/.cache/cancelfuzz/kernels}
cached=("$CACHE"/linux-image-6.1.*-cloud-amd64-unsigned/boot/vmlinuz-*)
KERNEL=${1:-${cached[0]}}
command -v qemu-system-x86_64 >/dev/null || { echo "iopoll: no qemu-system-x86_64"; exit 77; }
if [ ! -r "$KERNEL" ]; then
	echo "iopoll: no kernel image $KERNEL (scripts/kernels --fetch debian:6.1)"
	exit 77
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/root/dev" "$W/root/proc" "$W/root/sys"
gcc -static -O2 -Wall -Wextra -o "$W/root/init" "$ROOT/scripts/kernels.d/iopoll.c" -luring || exit 3
(cd "$W/root" && find . | cpio -o -H newc >"$W/initrd.cpio" 2>/dev/null) || exit 3
truncate -s 64M "$W/disk.img"
# TCG, never KVM (it hangs here); a watchdog for a hung guest
timeout 300 qemu-system-x86_64 -nodefaults -display none -no-reboot -accel tcg -m 512 -smp 2 \
	-kernel "$KERNEL" -initrd "$W/initrd.cpio" \
	-append "console=ttyS0 panic=-1 rdinit=/init nvme.poll_queues=1" \
	-drive "file=$W/disk.img,format=raw,if=none,id=n0" -device nvme,drive=n0,serial=cf0 \
	-serial "file:$W/raw.log" </dev/null
tr -d '\r' <"$W/raw.log" >"$W/console.log"
grep -v '^\[' "$W/console.log"
grep -qE 'WARNING:|BUG:|Oops|general protection|Kernel panic' "$W/console.log" && { echo "iopoll: kernel-log splat"; exit 1; }
grep -q '^iopoll: 0 mismatches$' "$W/console.log" && exit 0
grep -q '^iopoll: [0-9]* mismatches$' "$W/console.log" && exit 1
echo "iopoll: the guest did not finish"
exit 3
