# Helpers for the shell tests (sourced). Each test sets CF, SRC and T; TMO is
# the seconds one command may take (default 120).
failures=0
RC=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# run CMD...: exit code in RC, output in $T/out and $T/err; a hang fails (124).
run() {
	timeout -k 5 "${TMO:-120}" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}
want_rc() { # NAME CODE
	[ "$RC" -eq "$2" ] || fail "$1: exit $RC, expected $2; stderr: $(tail -c 600 "$T/err")"
}
want_in() { # NAME FILE TEXT: FILE has a line containing TEXT
	grep -qF -- "$3" "$2" || fail "$1: '$3' not in $2: $(tail -c 600 "$2")"
}
want_not_in() { # NAME FILE TEXT: no line of FILE contains TEXT
	! grep -qF -- "$3" "$2" || fail "$1: '$3' should not be in $2"
}
# mount_tmpfs DIR OPTIONS: 0 if mounted (and unmounted at exit), 1 if not permitted
MOUNTS=()
mount_tmpfs() {
	mkdir -p "$1"
	[ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "$2" cftest "$1" 2>/dev/null || return 1
	MOUNTS+=("$1")
}
# fill DIR: write until the file system is full
fill() {
	dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null
	return 0
}
cleanup() {
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$T"
}
# wait_for FILE TEXT SECONDS: until FILE contains TEXT
wait_for() {
	for _ in $(seq $(($3 * 10))); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
finish() {
	echo "$failures failure(s)"
	[ "$failures" -eq 0 ]
}
