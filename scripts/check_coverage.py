#!/usr/bin/env python3
"""Keep docs/coverage-liburing.md honest.

The page has one table row per cancel scenario in liburing's test/ directory.
This script reads that table and checks the seed column: every seed a row
names must exist in corpora/seeds/, and `cancelfuzz replay -q --spec kernel
SEED` must exit 0 (pass) or 77 (unsupported here). It also checks that each row
says yes, partly or no in the expressible column, that a "no" row names no
seed, that a "partly" or "no" row has a needs cell that is not empty and
names at least one gap (1-7 or A), each with its reason in parentheses
after it ("6 (30,000 polls: a program has at most 64 ops)": what cannot be
said and why, in that one line), and that one which needs IOPOLL says why
not here ("Not on these machines (IOPOLL): ...": no host here has a block
device that polls).

Exit 0 when all of that holds; 1 when a row is broken (each one is named, as
FILE:LINE: liburing-file case: problem); 2 on bad usage, or when the page or
its table cannot be read.

  scripts/check_coverage.py [--cancelfuzz PATH] [--doc PATH] [--seeds DIR]
                            [--no-replay] [--summary]
  scripts/check_coverage.py --self-test

Standard library only.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DOC = os.path.join(ROOT, "docs", "coverage-liburing.md")
DEFAULT_SEEDS = os.path.join(ROOT, "corpora", "seeds")
DEFAULT_CLI = os.path.join("build", "cancelfuzz")

EXPRESSIBLE = ("yes", "partly", "no")
GAPS = ("1", "2", "3", "4", "5", "6", "7", "A")
SEED_RE = re.compile(r"\d{3}-[A-Za-z0-9._-]+\.cfp")
# A row that is not `yes` for want of IOPOLL must say why not here, in
# these words, in its own line (no host here has a block device that polls).
IOPOLL_WHY = "Not on these machines (IOPOLL):"
REPLAY_TIMEOUT = 120  # seconds per seed; the corpus ctest allows 60 per program


class Row:
    def __init__(self, line, cells, cols):
        self.line = line
        self.file = cells[cols["file"]]
        self.case = cells[cols["case"]].replace("`", "")
        self.expressible = cells[cols["expressible"]].strip().lower()
        self.seed_cell = cells[cols["seed"]]
        self.needs_cell = cells[cols["needs"]]
        self.seeds = []
        self.gaps = []

    def name(self):
        return "%s %s" % (self.file, self.case)


def split_cells(line):
    """Cells of one markdown table line; '\\|' inside a cell is a literal bar."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def find_columns(header):
    """Map column roles to indices, or None if this is not the coverage table."""
    names = [h.lower() for h in header]
    if len(names) < 5 or names[0] != "file" or names[1] != "case":
        return None
    cols = {"file": 0, "case": 1}
    for role, word in (("expressible", "expressible"), ("seed", "seed"), ("needs", "needs")):
        idx = [i for i, n in enumerate(names) if n.startswith(word)]
        if len(idx) != 1:
            return None
        cols[role] = idx[0]
    return cols


def parse_gaps(cell):
    """Gap names in a needs cell; text in parentheses is commentary."""
    bare = re.sub(r"\([^)]*\)", "", cell)
    return [t.strip() for t in bare.split(",") if t.strip()]


def gaps_without_reason(cell):
    """Gap names in a needs cell that no parenthesised reason follows."""
    tokens, depth, cur = [], 0, ""
    for ch in cell:  # split at the commas outside parentheses
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            tokens.append(cur)
            cur = ""
        else:
            cur += ch
    tokens.append(cur)
    missing = []
    for t in tokens:
        m = re.fullmatch(r"\s*([^()]*?)\s*(?:\((.*)\))?\s*", t)
        if m is None:
            missing.append(t.strip())
        elif m.group(1) and not (m.group(2) or "").strip():
            missing.append(m.group(1))
    return missing


def parse_doc(path):
    """Rows of the coverage table, and problems found while reading them."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    rows, problems, cols = [], [], None
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            cols = find_columns(split_cells(lines[i]))
            if cols is not None:
                break
        i += 1
    if cols is None:
        return None, ["no table whose header starts with 'file | case' and has "
                      "'expressible', 'seed' and 'needs' columns"]
    width = len(split_cells(lines[i]))
    i += 2  # header and the |---| line
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        cells = split_cells(lines[i])
        if len(cells) != width:
            problems.append((i + 1, None, "has %d cells, the header has %d" % (len(cells), width)))
            i += 1
            continue
        row = Row(i + 1, cells, cols)
        rows.append(row)
        seed_text = row.seed_cell.replace("`", " ").replace(",", " ").split()
        for word in seed_text:
            if SEED_RE.fullmatch(word):
                row.seeds.append(word)
            else:
                problems.append((row.line, row, "seed column: '%s' is not a seed file name "
                                 "(NNN-name.cfp)" % word))
        row.gaps = parse_gaps(row.needs_cell)
        for g in row.gaps:
            if g not in GAPS:
                problems.append((row.line, row, "needs column: '%s' is not a gap (1-7 or A)" % g))
        if row.expressible not in EXPRESSIBLE:
            problems.append((row.line, row, "expressible column: '%s' is not yes, partly or no"
                             % row.expressible))
        elif row.expressible == "no" and row.seeds:
            problems.append((row.line, row, "says 'no' but names a seed"))
        elif row.expressible != "yes" and not row.needs_cell.strip():
            problems.append((row.line, row, "says '%s' but its needs cell is empty: name the "
                             "gap and say why it cannot be said" % row.expressible))
        elif row.expressible != "yes" and not row.gaps:
            problems.append((row.line, row, "says '%s' but names no gap" % row.expressible))
        elif row.expressible != "yes" and gaps_without_reason(row.needs_cell):
            problems.append((row.line, row, "needs column: gap %s says no why: put what cannot "
                             "be said, and why, in parentheses after it"
                             % ", ".join(gaps_without_reason(row.needs_cell))))
        elif row.expressible != "yes" and "IOPOLL" in row.needs_cell and IOPOLL_WHY not in lines[i]:
            problems.append((row.line, row, "needs IOPOLL but says no why: no '%s' sentence"
                             % IOPOLL_WHY))
        i += 1
    if not rows:
        problems.append((i, None, "the coverage table has no rows"))
    return rows, problems


def replay(cli, seed_path):
    """None when the seed passes (0) or is unsupported here (77), else why not."""
    try:
        p = subprocess.run([cli, "replay", "-q", "--spec", "kernel", seed_path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=REPLAY_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "replay timed out after %d s" % REPLAY_TIMEOUT
    except OSError as e:
        return "cannot run %s: %s" % (cli, e.strerror)
    if p.returncode in (0, 77):
        return None
    out = p.stdout.decode("utf-8", "replace").strip().splitlines()
    first = out[-1] if out else "(no output)"
    return "replay --spec kernel exited %d: %s" % (p.returncode, first)


def check(doc, seeds_dir, cli, run, out):
    """The checker proper; returns the exit code."""
    try:
        rows, problems = parse_doc(doc)
    except OSError as e:
        print("check_coverage: cannot read %s: %s" % (doc, e.strerror), file=sys.stderr)
        return 2
    if rows is None:
        print("check_coverage: %s: %s" % (doc, problems[0]), file=sys.stderr)
        return 2
    verdicts = {}
    for row in rows:
        for seed in row.seeds:
            if seed in verdicts:
                continue
            path = os.path.join(seeds_dir, seed)
            if not os.path.isfile(path):
                verdicts[seed] = "not in %s" % seeds_dir
            elif run:
                verdicts[seed] = replay(cli, path)
            else:
                verdicts[seed] = None
            if verdicts[seed] is not None:
                for r in rows:
                    if seed in r.seeds:
                        problems.append((r.line, r, "seed %s: %s" % (seed, verdicts[seed])))
    for line, row, what in sorted(problems, key=lambda p: p[0]):
        where = "%s:%d" % (doc, line)
        print("%s: %s%s" % (where, row.name() + ": " if row else "", what), file=out)
    status = "BROKEN" if problems else "ok"
    print("coverage: %d rows, %d seeds%s: %s" % (
        len(rows), len(verdicts), " replayed at --spec kernel" if run else " (not replayed)",
        status), file=out)
    return 1 if problems else 0


def summary(doc, out):
    rows, _ = parse_doc(doc)
    if rows is None:
        return
    by = collections.Counter(r.expressible for r in rows)
    files = {r.file for r in rows}
    seeds = {s for r in rows for s in r.seeds}
    print("%d cases in %d files: yes %d, partly %d, no %d; %d rows name seeds, %d distinct seeds"
          % (len(rows), len(files), by["yes"], by["partly"], by["no"],
             sum(1 for r in rows if r.seeds), len(seeds)), file=out)
    gaps = collections.Counter(g for r in rows if r.expressible != "yes" for g in set(r.gaps))
    for g in GAPS:
        print("  gap %s: %d rows" % (g, gaps[g]), file=out)


def resolve_cli(path):
    if os.path.isabs(path) or os.path.exists(path):
        return path
    return os.path.join(ROOT, path)


def self_test():
    """The checker catches each kind of broken row, and passes a clean table."""
    with tempfile.TemporaryDirectory() as t:
        seeds = os.path.join(t, "seeds")
        os.mkdir(seeds)
        for name, body in (("001-ok.cfp", "pass"), ("002-skip.cfp", "skip"),
                           ("003-bad.cfp", "fail")):
            with open(os.path.join(seeds, name), "w") as f:
                f.write(body + "\n")
        cli = os.path.join(t, "fake-cancelfuzz")
        with open(cli, "w") as f:
            f.write("#!/bin/sh\n"
                    "f=\"$5\"\n"
                    "grep -q fail \"$f\" && { echo \"VIOLATION $f\"; exit 1; }\n"
                    "grep -q skip \"$f\" && exit 77\n"
                    "exit 0\n")
        os.chmod(cli, 0o755)
        head = ("# t\n\n| file | case | what | expressible today? | seed | needs | stricter |\n"
                "|---|---|---|---|---|---|---|\n")
        clean = head + ("| a.c | `t1` | FD\\|ALL | yes | `001-ok.cfp`, `002-skip.cfp` | | x |\n"
                        "| a.c | `t2` | y | partly | `001-ok.cfp` | 5 (1 ns: no such duration), "
                        "A (a thread) | x |\n"
                        "| b.c | `t3` | y | no | | 2 (no remove), 6 (128 requests: 64 ops) | x |\n"
                        "| c.c | `t7` | y | no | | 6 (IOPOLL) | " + IOPOLL_WHY + " none here. |\n")
        broken = head + ("| a.c | `t1` | y | yes | `003-bad.cfp` | | x |\n"          # replay fails
                         "| a.c | `t2` | y | yes | `009-gone.cfp` | | x |\n"         # missing
                         "| b.c | `t3` | y | no | `001-ok.cfp` | 2 | x |\n"          # no + seed
                         "| b.c | `t4` | y | partly | | | x |\n"                    # empty needs
                         "| b.c | `t5` | y | maybe | | 9 | x |\n"                  # bad values
                         "| b.c | `t6` | y | yes | seed-one | | x |\n"             # bad name
                         "| c.c | `t7` | y | no | | 6 (IOPOLL) | x |\n"            # IOPOLL, no why
                         "| d.c | `t8` | y | partly | `001-ok.cfp` | 5, A (a thread) | x |\n"  # bare 5
                         "| d.c | `t9` | y | no | | 4 () | x |\n"                  # empty reason
                         "| d.c | `t10` | y | no | | (a reason, no gap) | x |\n")  # no gap
        expect = {"t1": "exited 1", "t2": "not in", "t3": "names a seed",
                  "t4": "needs cell is empty", "t5": "not yes, partly or no",
                  "t6": "not a seed file", "t7": "says no why", "t8": "gap 5 says no why",
                  "t9": "gap 4 says no why", "t10": "names no gap"}
        failures = []
        for text, want_rc in ((clean, 0), (broken, 1)):
            doc = os.path.join(t, "doc.md")
            with open(doc, "w") as f:
                f.write(text)
            log = os.path.join(t, "out")
            with open(log, "w") as out:
                rc = check(doc, seeds, cli, True, out)
            with open(log) as f:
                got = f.read()
            if rc != want_rc:
                failures.append("exit %d, wanted %d:\n%s" % (rc, want_rc, got))
            if want_rc == 1:
                for case, words in expect.items():
                    if not any(case + ":" in l and words in l for l in got.splitlines()):
                        failures.append("row %s not reported as '%s':\n%s" % (case, words, got))
                if "gap (1-7 or A)" not in got:
                    failures.append("gap 9 not reported:\n%s" % got)
        if parse_gaps("1, 3 (ring-fd slot), A") != ["1", "3", "A"]:
            failures.append("parse_gaps: %r" % parse_gaps("1, 3 (ring-fd slot), A"))
        if gaps_without_reason("1, 3 (ring-fd slot, two), A ( )") != ["1", "A"]:
            failures.append("gaps_without_reason: %r"
                            % gaps_without_reason("1, 3 (ring-fd slot, two), A ( )"))
        if split_cells("| a \\| b | c |") != ["a | b", "c"]:
            failures.append("split_cells: %r" % split_cells("| a \\| b | c |"))
    for f in failures:
        print("self-test: " + f, file=sys.stderr)
    print("self-test: %s" % ("FAILED" if failures else "ok"))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description="Check the seed column of docs/coverage-liburing.md.")
    ap.add_argument("--cancelfuzz", default=DEFAULT_CLI,
                    help="the cancelfuzz binary (default: build/cancelfuzz)")
    ap.add_argument("--doc", default=DEFAULT_DOC, help="the coverage page")
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, help="the seed directory")
    ap.add_argument("--no-replay", action="store_true",
                    help="check that seeds exist, without replaying them")
    ap.add_argument("--summary", action="store_true",
                    help="also print the counts the page's 'In numbers' section gives")
    ap.add_argument("--self-test", action="store_true",
                    help="prove the checker catches broken rows, then exit")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    cli = resolve_cli(args.cancelfuzz)
    if not args.no_replay and not os.access(cli, os.X_OK):
        print("check_coverage: %s is not an executable (build first, or pass --cancelfuzz)"
              % cli, file=sys.stderr)
        return 2
    rc = check(args.doc, args.seeds, cli, not args.no_replay, sys.stdout)
    if args.summary and rc != 2:
        summary(args.doc, sys.stdout)
    return rc


if __name__ == "__main__":
    sys.exit(main())
