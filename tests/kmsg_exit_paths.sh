#!/bin/bash
# Description: "no new kernel log lines" automated (issue 15 item 4): the
# exit-path seeds (a task or a ring that goes away with requests in flight,
# rings polling ring fds, msg_ring between rings) replayed with --kmsg, each
# several times, must leave no WARNING/BUG/KASAN/lockdep/hung-task line in
# /dev/kmsg. First a canary: CF_KMSG_SELFTEST=1 writes a marker record that
# the scan must report as a failure (exit 1), so the check itself can fail.
#
# usage: kmsg_exit_paths.sh PATH/TO/cancelfuzz SOURCE_DIR [RUNS]
# Exit 0 pass, 1 fail, 2 usage, 77 skip: /dev/kmsg not readable here (not
# root with kernel.dmesg_restrict=1, or a container without it), or io_uring
# not usable. The kernel log is machine-wide: a line another process caused
# while a seed ran fails the test too; the message names the seed and says so.
set -u

if [ $# -lt 2 ] || [ ! -x "$1" ] || [ ! -d "$2/corpora/seeds" ]; then
	echo "usage: $0 PATH/TO/cancelfuzz SOURCE_DIR [RUNS]" >&2
	exit 2
fi
CF=$(readlink -f "$1")
SRC=$(readlink -f "$2")
RUNS=${3:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-kmsg.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
unset CF_FAULT CF_KMSG_SELFTEST
TMO=120
. "$SRC/tests/lib.sh"

if ! head -c 0 /dev/kmsg 2>/dev/null || ! timeout 5 dd if=/dev/kmsg of=/dev/null bs=8k count=1 iflag=nonblock 2>/dev/null; then
	echo "SKIP: /dev/kmsg is not readable here"
	exit 77
fi

# The seeds whose programs end a task or a ring with requests in flight,
# poll ring fds, or send messages between rings.
SEEDS=()
for f in "$SRC"/corpora/seeds/*.cfp; do
	if grep -qE '^wait exit|slot=ring[01]|^queue msg_ring' "$f"; then
		SEEDS+=("$f")
	fi
done
[ "${#SEEDS[@]}" -ge 8 ] || fail "fewer than 8 exit-path seeds found (${#SEEDS[@]})"

# The canary: the marker is written after the log is opened, so the scan
# must see it, print it and turn a pass into a violation.
CF_KMSG_SELFTEST=1 run "$CF" replay -q --kmsg --spec kernel "${SEEDS[0]}"
if [ "$RC" -eq 77 ]; then
	echo "SKIP: io_uring not usable here"
	exit 77
fi
if grep -q "the kernel log is not checked" "$T/err"; then
	echo "SKIP: $(grep 'the kernel log is not checked' "$T/err" | head -1)"
	exit 77
fi
want_rc "canary (CF_KMSG_SELFTEST=1)" 1
want_in "canary" "$T/out" "KERNEL-LOG ${SEEDS[0]}: cancelfuzz: kmsg self-test marker"

# The seeds, RUNS times each: no new failure line in the kernel log.
checked=0 unsupported=0
for r in $(seq 1 "$RUNS"); do
	for f in "${SEEDS[@]}"; do
		run "$CF" replay -q --kmsg --spec kernel "$f"
		checked=$((checked + 1))
		if [ "$RC" -eq 77 ]; then
			unsupported=$((unsupported + 1))
			continue
		fi
		if grep -q '^KERNEL-LOG' "$T/out"; then
			fail "run $r: $(basename "$f"): new kernel log lines: $(grep '^KERNEL-LOG' "$T/out" | head -5)"
		elif [ "$RC" -ne 0 ]; then
			fail "run $r: $(basename "$f"): exit $RC: $(tail -c 400 "$T/out")"
		fi
	done
done
echo "kmsg_exit_paths: ${#SEEDS[@]} seeds x $RUNS runs: $checked replays ($unsupported unsupported), $failures failing"
[ "$failures" -eq 0 ]
