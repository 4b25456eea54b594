#!/bin/bash
# Description: both runners on full file systems (64 KiB tmpfs, filled): every
# failed write is loud and counted, the exit code is non-zero, no finding is
# lost (it goes to the fallback folder the summary names), and nothing
# half-written or half-merged is left. Needs mount(2): exit 77 without it.
# usage: full_disk.sh CANCELFUZZ SOURCE_DIR
set -u
CF=$(readlink -f "$1") SRC=$(readlink -f "$2")
. "$SRC/tests/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-robust-full.XXXXXX") || exit 1
trap cleanup EXIT
cd "$T" || exit 1
unset CF_FAULT
"$CF" probe >/dev/null 2>&1 || { [ $? -eq 77 ] && { echo "io_uring not usable: skipped"; exit 77; }; }
mount_tmpfs full size=64k || { echo "cannot mount a tmpfs here: skipped"; exit 77; }
fill full
mkdir tmp

# cancelfuzz fuzz: findings and corpus on the full disk.
TMPDIR=$T/tmp run "$CF" fuzz --seconds 2 --fault more-on-final --spec kernel \
	--seeds "$SRC/corpora" --out full/f --corpus-dir full/c
want_rc "fuzz, full disk, findings" 1
want_in "fuzz, full disk" "$T/err" "fuzz: FINDING WRITE FAILED: full/f/finding-"
want_in "fuzz, full disk" "$T/err" "No space left on device; saved in $T/tmp/cancelfuzz-findings-"
want_in "fuzz, full disk" "$T/err" "fuzz: CORPUS WRITE FAILED: full/c/"
want_in "fuzz, full disk" "$T/err" "findings could not be saved in full/f and are in $T/tmp/cancelfuzz-findings-"
want_in "fuzz, full disk" "$T/err" "WRITE FAILURES of corpus entries in full/c"
want_in "fuzz, full disk" "$T/err" "WRITE FAILURES of findings in full/f"
n=$(grep -o "^fuzz: [0-9]* findings could not be saved" "$T/err" | grep -o "[0-9]*")
[ "${n:-0}" -gt 0 ] && [ "$(ls tmp/cancelfuzz-findings-*/*.verdict | wc -l)" -eq "$n" ] ||
	fail "fuzz, full disk: $n findings in the fallback folder announced, $(ls tmp/cancelfuzz-findings-*/*.verdict 2>/dev/null | wc -l) there"
for v in tmp/cancelfuzz-findings-*/*.verdict; do
	"$CF" replay -q --spec kernel --fault more-on-final "${v%.verdict}.bin" >/dev/null 2>&1
	[ $? -eq 1 ] || fail "fallback finding ${v%.verdict}.bin does not replay as a violation"
	break
done

# No finding: corpus writes alone fail the run (3). Only the seeds run (no
# mutation), three that pass, so no model gap of the moment can add a
# finding and change the exit code.
mkdir seeds3
cp "$SRC"/corpora/seeds/00[1-3]-*.cfp seeds3/
run "$CF" fuzz --execs 3 --seeds seeds3 --out f2 --corpus-dir full/c2
want_rc "fuzz, full corpus folder" 3
want_in "fuzz, full corpus folder" "$T/err" "fuzz: CORPUS WRITE FAILED: full/c2/"
want_in "fuzz, full corpus folder" "$T/err" "WRITE FAILURES of corpus entries in full/c2"
[ -z "$(find full -name '*.tmp.*')" ] || fail "half-written files left: $(find full -name '*.tmp.*')"

# scripts/fuzz: findings folder and corpus on full disks, the rest elsewhere.
mkdir -p o/findings disk2
mount_tmpfs o/findings size=64k && mount_tmpfs disk2 size=64k || fail "second mount"
fill o/findings
mkdir disk2/corpus
fill disk2
CF_FAULT=more-on-final CF_BUILD_DIR=$(dirname "$CF") TMPDIR=$T/tmp \
	run "$SRC/scripts/fuzz" --engine builtin --time 3 --jobs 1 --seed 5 --no-build --out o \
	--corpus disk2/corpus
want_rc "scripts/fuzz, full disks" 1
want_in "scripts/fuzz, full disks" "$T/err" "WRITE FAILURES (listed in the report); anything --out refused is in $T/tmp/cancelfuzz-fuzz-"
want_in "scripts/fuzz, full disks" "$T/err" "CORPUS WRITE FAILED"
python3 - "$T" <<'PY' || fail "scripts/fuzz, full disks: report.json"
import json, os, sys
t = sys.argv[1]
r = json.load(open(os.path.join(t, "o", "report.json")))
assert r["exit_code"] == 1, r["exit_code"]
assert r["new_findings"], "no new finding"
for f in r["new_findings"]:
    assert f["finding"].startswith(os.path.join(t, "tmp", "cancelfuzz-fuzz-")), f["finding"]
    assert os.path.isfile(f["finding"]), f["finding"]
    assert " --fault more-on-final " in f["replay"], f["replay"]
whats = " ".join(w["what"] for w in r["write_failures"])
assert "finding of" in whats and "corpus merge" in whats, whats
assert os.listdir(os.path.join(t, "disk2", "corpus")) == [], "the corpus changed"
assert not [n for n in os.listdir(os.path.join(t, "disk2")) if ".new." in n or ".old." in n]
PY
finish
