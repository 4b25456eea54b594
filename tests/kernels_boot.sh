#!/usr/bin/env bash
# Description: scripts/kernels boots Debian's 6.1 cloud kernel under QEMU and
# replays a few seeds whose verdicts on 6.1 are known exactly: a sync cancel
# (its opcode byte is padding there), futex_wait and a sync cancel by opcode
# (missing: UNSUPPORTED), and two seeds that race io-wq on 6.1's pipes.
# Skips (77) when QEMU or the cached kernel image is missing; bash
# scripts/setup.sh installs QEMU and fetches the image.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: kernels_boot.sh BUILD_DIR}
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "SKIP: qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus/seeds"
for s in 001-basic-cancel-read 018-cancel-any-alone 033-sync-cancel 039-sync-invalid-fields \
	041-cancel-futex-wait 110-op-cancel-leaves-ud-match-to-later-cancel \
	113-linked-cancel-sees-later-read 201-aio-cancel-queued; do
	cp "$root/corpora/seeds/$s.cfp" "$tmp/corpus/seeds/"
done
rc=0
"$root/scripts/kernels" --offline --time 0 --runs 2 --spec both --corpus "$tmp/corpus" \
	--out "$tmp/out" --static-build "$build/kernels-static" debian:6.1 >"$tmp/log" 2>&1 || rc=$?
cat "$tmp/log"
if [ "$rc" -eq 77 ]; then
	echo "SKIP: $(grep -m1 '^kernels: ' "$tmp/log" | cut -c10-)"
	exit 77
fi
python3 - "$tmp/out/report.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
want = {
    ("seeds/001-basic-cancel-read.cfp", "doc"): "PASS",
    ("seeds/001-basic-cancel-read.cfp", "kernel"): "PASS",
    ("seeds/018-cancel-any-alone.cfp", "doc"): "KNOWN D01",
    ("seeds/018-cancel-any-alone.cfp", "kernel"): "PASS",
    ("seeds/033-sync-cancel.cfp", "kernel"): "PASS",
    ("seeds/039-sync-invalid-fields.cfp", "kernel"): "UNSUPPORTED",
    ("seeds/041-cancel-futex-wait.cfp", "kernel"): "UNSUPPORTED",
    ("seeds/110-op-cancel-leaves-ud-match-to-later-cancel.cfp", "kernel"): "PASS",
    ("seeds/113-linked-cancel-sees-later-read.cfp", "kernel"): "PASS",
    ("seeds/201-aio-cancel-queued.cfp", "kernel"): "PASS",
}
got = {(row["name"], row["spec"]): row["cells"]["6.1"]["verdict"] for row in r["rows"]}
bad = 0
for key, v in sorted(want.items()):
    if got.get(key) != v:
        print("FAIL %s --spec %s on 6.1: want %r, got %r" % (key[0], key[1], v, got.get(key)))
        bad += 1
k = r["kernels"][0]
checks = [("status", k["status"], "ok"), ("splats", k["splats"], []),
          ("release", k["release"].split(".")[:2], ["6", "1"]),
          ("probe sync_cancel_op", k["probe"].get("sync_cancel_op"), "no"),
          ("probe pipe reads in io-wq", k["probe"].get("pipe"), "yes"),
          ("rows", len(r["rows"]), 16)]
for name, g, w in checks:
    if g != w:
        print("FAIL %s: want %r, got %r" % (name, w, g))
        bad += 1
print("%d passed, %d failed" % (len(want) + len(checks) - bad, bad))
sys.exit(1 if bad else 0)
PY
