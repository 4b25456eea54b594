#!/usr/bin/env python3
"""Detection benchmark: how fast does each fuzz engine catch each injected fault?

For every fault of `cancelfuzz faults`: replay the seed corpus with the fault on
to find the seeds that show it directly, start each engine from the other seeds,
and time TRIALS runs (seeds SEED_BASE, SEED_BASE+1, ...) to the first new finding
on the fault's invariant; a run that has not found it after TIMEOUT seconds
counts as not found. The table goes into docs/benchmarks.md between this
script's markers (the rest of that file is left alone), written atomically.

Engines:
  builtin    build/cancelfuzz fuzz --fault F --stop-on-first (its first-detection line)
  libfuzzer  build-lf/cancel_fuzzer with CF_FAULT=F, binary seeds; a crash input
             counts when `cancelfuzz replay --fault F` shows the fault's invariant
  afl        afl-fuzz on build-afl/cancel_fuzzer, AFL_BENCH_UNTIL_CRASH=1, same check
An engine whose binary is missing is skipped with a note in the output and the doc.

Exit: 0 done (whatever was found), 2 usage or a missing cancelfuzz binary.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replace_section import replace_section  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERDICT = re.compile(r"^(PASS|KNOWN-DIVERGENCE|VIOLATION|UNSUPPORTED|ERROR) (\S+)")
NEW = re.compile(r"^  NEW ([a-z-]+):")
DETECTION = re.compile(r"^first-detection fault=(\S+) invariant=(\S+) execs=(\d+) seconds=([0-9.]+)$")
REPLAYS_PER_SEED = 3  # racy seeds may show a fault only sometimes


def run(cmd, timeout, env=None, cwd=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def list_faults(cf):
    out = run([cf, "faults"], 30).stdout.splitlines()[1:]
    return [(line.split()[0], line.split()[1]) for line in out if line.strip()]


def new_invariants(replay_stdout):
    """{program path: set of invariants with a NEW finding} from replay output."""
    found, current = {}, None
    for line in replay_stdout.splitlines():
        m = VERDICT.match(line)
        if m:
            current = m.group(2)
            found.setdefault(current, set())
            continue
        m = NEW.match(line)
        if m and current:
            found[current].add(m.group(1))
    return found


def direct_seeds(cf, fault, invariant, seeds):
    """Seeds whose replay with the fault on shows a new finding on its invariant."""
    shown = set()
    for spec in ("doc", "kernel"):
        for _ in range(REPLAYS_PER_SEED):
            out = run([cf, "replay", "-q", "--fault", fault, "--spec", spec] + seeds, 600).stdout
            for path, invs in new_invariants(out).items():
                if invariant in invs:
                    shown.add(path)
    return sorted(shown)


def shows_fault(cf, fault, invariant, path):
    out = run([cf, "replay", "-q", "--fault", fault, "--spec", "kernel", path], 60).stdout
    return any(invariant in invs for invs in new_invariants(out).values())


def trial_builtin(cf, fault, invariant, seed_dir, seed, limit, work, spec):
    cmd = [cf, "fuzz", "--fault", fault, "--seed", str(seed), "--seconds", str(limit),
           "--stop-on-first", "--spec", spec, "--seeds", seed_dir, "--out", os.path.join(work, "out")]
    try:
        out = run(cmd, limit + 120).stdout
    except subprocess.TimeoutExpired:
        return None
    for line in out.splitlines():
        m = DETECTION.match(line)
        if m and m.group(2) == invariant and float(m.group(4)) <= limit:
            return float(m.group(4)), int(m.group(3))
    return None


def first_confirmed(cf, fault, invariant, paths):
    return any(shows_fault(cf, fault, invariant, p) for p in sorted(paths))


def trial_libfuzzer(binary, cf, fault, invariant, bin_seeds, seed, limit, work):
    """-fork=1 -ignore_crashes=1: a first crash on another invariant (a fault
    can trip several) must not end the trial. Crash files are checked as they
    appear; the first that shows the fault's invariant ends the trial, timed
    by its mtime. libFuzzer does not report executions in this mode (-1)."""
    corpus = os.path.join(work, "corpus")
    shutil.copytree(bin_seeds, corpus)
    env = dict(os.environ, CF_FAULT=fault)
    cmd = [binary, f"-seed={seed}", f"-max_total_time={limit}", "-fork=1", "-ignore_crashes=1",
           "-ignore_timeouts=1", f"-artifact_prefix={work}/", corpus]
    started = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    seen, found = set(), None
    try:
        while found is None:
            done = proc.poll() is not None
            for f in sorted(os.listdir(work)):
                path = os.path.join(work, f)
                if f.startswith(("crash-", "oom-")) and path not in seen:
                    seen.add(path)
                    took = os.path.getmtime(path) - started
                    if took <= limit and shows_fault(cf, fault, invariant, path):
                        found = (max(took, 0.0), -1)
                        break
            if done or time.time() - started > limit + 60:
                break
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return found


def trial_afl(binary, cf, fault, invariant, bin_seeds, seed, limit, work):
    out_dir = os.path.join(work, "afl")
    env = dict(os.environ, CF_FAULT=fault, AFL_BENCH_UNTIL_CRASH="1", AFL_NO_UI="1",
               AFL_SKIP_CPUFREQ="1", AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1")
    start_dir = bin_seeds
    if not os.listdir(bin_seeds):  # every seed shows the fault: start from the empty program
        start_dir = os.path.join(work, "start")
        os.makedirs(start_dir)
        open(os.path.join(start_dir, "empty-program"), "wb").write(b"\x00\x01")
    cmd = ["afl-fuzz", "-i", start_dir, "-o", out_dir, "-s", str(seed), "-V", str(limit), "--", binary]
    started = time.monotonic()
    try:
        res = run(cmd, limit + 120, env=env)
    except subprocess.TimeoutExpired:
        return None
    took = time.monotonic() - started
    if res.returncode != 0 and "crash" in (res.stdout + res.stderr).lower():
        # AFL++ will not start when its inputs crash in the dry run: the target
        # already aborted on them, so that is the detection (1 execution each).
        starts = [os.path.join(start_dir, f) for f in sorted(os.listdir(start_dir))]
        if first_confirmed(cf, fault, invariant, starts):
            return took, 1
    crash_dir = os.path.join(out_dir, "default", "crashes")
    crashes = [os.path.join(crash_dir, f) for f in os.listdir(crash_dir)
               if f.startswith("id:")] if os.path.isdir(crash_dir) else []
    if not crashes or took > limit or not first_confirmed(cf, fault, invariant, crashes):
        return None
    execs = -1
    stats = os.path.join(out_dir, "default", "fuzzer_stats")
    if os.path.exists(stats):
        m = re.search(r"^execs_done\s*:\s*(\d+)", open(stats).read(), re.M)
        execs = int(m.group(1)) if m else -1
    return took, execs


def summarize(results, limit):
    """results: list of (seconds, execs) or None. Not found sorts as infinite."""
    found = [r for r in results if r]
    secs = sorted(r[0] if r else float("inf") for r in results)
    execs = sorted(r[1] if r else float("inf") for r in results)

    def fmt(v, unit):
        if v == float("inf"):
            return f"not found (> {limit} s)"
        return f"{v:.3f}" if unit == "s" else f"{int(v)}"
    return {
        "found": f"{len(found)}/{len(results)}",
        "median_s": fmt(statistics.median_low(secs), "s"),
        "worst_s": fmt(secs[-1], "s"),
        "median_execs": fmt(statistics.median_low(execs), "x"),
        "worst_execs": fmt(execs[-1], "x"),
        "all_found": len(found) == len(results),
        "median_value": statistics.median_low(secs),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="builtin", help="comma list of builtin,libfuzzer,afl (default builtin)")
    ap.add_argument("--faults", default="", help="comma list (default: every fault)")
    ap.add_argument("--trials", type=int, default=5, help="runs per fault and engine, seeds SEED_BASE+i (default 5)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds per trial before it counts as not found (default 60)")
    ap.add_argument("--seed-base", type=int, default=1)
    ap.add_argument("--spec", choices=("doc", "kernel"), default="kernel", help="oracle level for builtin (default kernel)")
    ap.add_argument("--cancelfuzz", default=os.path.join(ROOT, "build", "cancelfuzz"))
    ap.add_argument("--libfuzzer-bin", default=os.path.join(ROOT, "build-lf", "cancel_fuzzer"))
    ap.add_argument("--afl-bin", default=os.path.join(ROOT, "build-afl", "cancel_fuzzer"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    ap.add_argument("--no-write", action="store_true", help="print the table, leave the doc alone")
    a = ap.parse_args()

    if a.trials < 1 or a.timeout < 1:
        ap.error("--trials and --timeout must be at least 1")
    cf = os.path.abspath(a.cancelfuzz)
    if not os.access(cf, os.X_OK):
        print(f"bench_detection: {cf} is not built (cmake --build build)", file=sys.stderr)
        return 2
    engines = [e for e in a.engines.split(",") if e]
    for e in engines:
        if e not in ("builtin", "libfuzzer", "afl"):
            ap.error(f"unknown engine '{e}' (builtin, libfuzzer, afl)")
    faults = list_faults(cf)
    if a.faults:
        wanted = a.faults.split(",")
        unknown = [f for f in wanted if f not in dict(faults)]
        if unknown:
            ap.error(f"unknown fault(s) {', '.join(unknown)}; valid: {', '.join(f for f, _ in faults)}")
        faults = [(f, i) for f, i in faults if f in wanted]

    skipped, runnable = [], []
    for e in engines:
        if e == "libfuzzer" and not os.access(a.libfuzzer_bin, os.X_OK):
            skipped.append(f"libfuzzer: skipped, {os.path.relpath(a.libfuzzer_bin, ROOT)} is not built")
        elif e == "afl" and not (os.access(a.afl_bin, os.X_OK) and shutil.which("afl-fuzz")):
            skipped.append(f"afl: skipped, {os.path.relpath(a.afl_bin, ROOT)} or afl-fuzz is missing")
        else:
            runnable.append(e)
    for note in skipped:
        print(f"note: {note}", file=sys.stderr)

    seeds = sorted(os.path.join(ROOT, "corpora", "seeds", f)
                   for f in os.listdir(os.path.join(ROOT, "corpora", "seeds")) if f.endswith(".cfp"))
    rows = {e: [] for e in runnable}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cf-bench-detect.") as tmp:
        for fault, inv in faults:
            direct = direct_seeds(cf, fault, inv, seeds)
            rest = [s for s in seeds if s not in direct]
            seed_dir = os.path.join(tmp, fault, "seeds")
            bin_dir = os.path.join(tmp, fault, "seeds-bin")
            os.makedirs(seed_dir)
            os.makedirs(bin_dir)
            for s in rest:
                shutil.copy(s, seed_dir)
                if any(e != "builtin" for e in runnable):
                    run([cf, "compile", s, "-o", os.path.join(bin_dir, os.path.basename(s)[:-4])], 30)
            removed = ", ".join(os.path.basename(s)[:3] for s in direct) or "none"
            print(f"{fault} [{inv}]: {len(direct)} seeds show it directly ({removed}); "
                  f"starting from {len(rest)}", file=sys.stderr)
            for e in runnable:
                results = []
                for t in range(a.trials):
                    work = os.path.join(tmp, fault, f"{e}-{t}")
                    os.makedirs(work)
                    seed = a.seed_base + t
                    if e == "builtin":
                        r = trial_builtin(cf, fault, inv, seed_dir, seed, a.timeout, work, a.spec)
                    elif e == "libfuzzer":
                        r = trial_libfuzzer(a.libfuzzer_bin, cf, fault, inv, bin_dir, seed, a.timeout, work)
                    else:
                        r = trial_afl(a.afl_bin, cf, fault, inv, bin_dir, seed, a.timeout, work)
                    print(f"  {e} seed {seed}: " + (f"{r[0]:.3f} s, {r[1]} execs" if r else "not found"),
                          file=sys.stderr)
                    results.append(r)
                rows[e].append((fault, inv, len(direct), removed, summarize(results, a.timeout)))

    when = datetime.date.today().isoformat()
    lines = [
        "## Fault detection",
        "",
        f"Measured {when} on this machine (Linux {platform.release()}, "
        f"{os.cpu_count()} CPUs) by `python3 scripts/bench/bench_detection.py --engines {a.engines} "
        f"--trials {a.trials} --timeout {a.timeout} --seed-base {a.seed_base}` "
        f"({time.monotonic() - started:.0f} s in all). For each fault ([faults.md](faults.md)), each engine "
        f"ran {a.trials} times (seeds {a.seed_base}..{a.seed_base + a.trials - 1}) from `corpora/seeds/` "
        "minus the seeds whose replay with the fault on already shows it (\"removed\"), until the first new "
        f"finding on the fault's invariant; after {a.timeout} s a trial counts as not found. Times are wall "
        "clock to that finding (builtin: from the first execution, as its first-detection line says; "
        "libFuzzer/AFL++: from the engine's start); executions include any spent minimizing earlier "
        "findings. Median and worst are over all trials, a trial not found counting as worst.",
        "",
    ]
    for note in skipped:
        lines.append(f"- {note}.")
    if skipped:
        lines.append("")
    for e in runnable:
        lines += [f"### Engine: {e}" + (f" (oracle `--spec {a.spec}`)" if e == "builtin" else ""), "",
                  "| fault | invariant | seeds removed | found | median s | worst s | median execs | worst execs |",
                  "|---|---|---|---|---|---|---|---|"]
        for fault, inv, n, removed, s in rows[e]:
            lines.append(f"| `{fault}` | `{inv}` | {n} | {s['found']} | {s['median_s']} | {s['worst_s']} | "
                         f"{s['median_execs']} | {s['worst_execs']} |")
        every = all(s["all_found"] for *_, s in rows[e])
        worst_median = max((s["median_value"] for *_, s in rows[e]), default=0)
        largest = "not found" if worst_median == float("inf") else f"{worst_median:.3f} s"
        lines += ["", f"{e}: {'every fault found in every trial' if every else 'NOT every fault found in every trial'}; "
                  f"largest median {largest} (target: every fault found, median at most 10 s).", ""]
    section = "\n".join(lines)
    print(section)
    if not a.no_write:
        replace_section(a.doc, "fault-detection", section)
        print(f"wrote {os.path.relpath(a.doc, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
