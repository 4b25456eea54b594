#!/usr/bin/env bash
# Description: scripts/kernels refuses bad input with one line and the right
# exit code, and kills a guest that never ends: a stand-in for QEMU that sleeps
# forever is gone after the watchdog, and the run exits 3 (a guest hung).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: kernels_cli.sh BUILD_DIR}
kernels=$root/scripts/kernels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

expect() { # expect CODE MESSAGE-SUBSTRING COMMAND...
	local code=$1 msg=$2 rc=0
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne "$code" ] || ! grep -qF -- "$msg" "$tmp/err"; then
		echo "FAIL: $* -> exit $rc (want $code), stderr: $(head -c 300 "$tmp/err")"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

printf 'not a kernel' >"$tmp/junk"
expect 2 "no KERNEL given" "$kernels"
expect 2 "no Debian package for debian:5.10" "$kernels" debian:5.10
expect 2 "unknown kernel 'debian:six'" "$kernels" debian:six
expect 2 "unknown kernel 'nosuch'" "$kernels" nosuch
expect 2 "is not an x86 bzImage/vmlinuz (no HdrS boot header)" "$kernels" "$tmp/junk"
expect 2 "cannot read kernel image" "$kernels" "$tmp/missing/bzImage"
expect 2 "a kernel is listed twice" "$kernels" host host
expect 2 "cannot read corpus" "$kernels" --corpus "$tmp/none" host

# A file with the x86 boot header, and a "QEMU" that never ends.
python3 -c "import sys; b = bytearray(1024); b[0x202:0x206] = b'HdrS'; open(sys.argv[1], 'wb').write(b)" "$tmp/bzImage"
expect 77 "is not installed (apt-get install qemu-system-x86)" env CF_QEMU=no-such-qemu "$kernels" "$tmp/bzImage"
cat >"$tmp/qemu" <<EOS
#!/bin/sh
echo \$\$ > "$tmp/qemu.pid"
exec sleep 1000
EOS
chmod +x "$tmp/qemu"
mkdir -p "$tmp/corpus"
cp "$root/corpora/seeds/001-basic-cancel-read.cfp" "$tmp/corpus/"
expect 3 "no power-off within 3 s" env CF_QEMU="$tmp/qemu" "$kernels" --time 0 --runs 1 --watchdog 3 \
	--corpus "$tmp/corpus" --out "$tmp/out-hung" --static-build "$build/kernels-static" "$tmp/bzImage"
if [ ! -s "$tmp/qemu.pid" ]; then
	echo "FAIL: the stand-in QEMU never ran"
	fail=$((fail + 1))
elif kill -0 "$(cat "$tmp/qemu.pid")" 2>/dev/null; then
	echo "FAIL: the stand-in QEMU (pid $(cat "$tmp/qemu.pid")) outlived the watchdog"
	kill "$(cat "$tmp/qemu.pid")"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
grep -q '"status": "hung"' "$tmp/out-hung/report.json" && pass=$((pass + 1)) ||
	{ echo "FAIL: report.json does not say hung"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
