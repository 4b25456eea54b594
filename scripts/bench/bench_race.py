#!/usr/bin/env python3
"""Race coverage: for the hand-written race programs (corpora/seeds/4xx), the
share of allowed outcomes each arm observes within N runs: `cancelfuzz race`
sweeping the offsets, against the same number of runs with the offsets fixed
as written (the liburing-style anchor: one loop, every try alike). Both arms
run in this one invocation, alternated round by round so the machine's load
falls on both alike. The allowed outcomes of a program are those its
sequential orders give plus every outcome either arm observed that the oracle
judged allowed. Rewrites the "race-coverage" section of docs/benchmarks.md.
Usage: scripts/bench/bench_race.py [RUNS] [ROUNDS]   (defaults 50 and 3)"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replace_section import replace_section  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("CF_BUILD", os.path.join(ROOT, "build"))
CF = os.path.join(BUILD, "cancelfuzz")
PROGRAMS = [
    ("401-race-sync-cancel-vs-pipe-write.cfp", "sync cancel vs pipe write"),
    ("402-race-sqe-cancel-submit-vs-pipe-write.cfp", "SQE cancel (other thread) vs pipe write"),
    ("403-race-sync-cancel-vs-eventfd.cfp", "sync cancel vs eventfd"),
    ("404-race-sync-cancel-vs-futex-wake.cfp", "sync cancel vs futex wake"),
    ("405-race-sync-cancel-vs-shutdown.cfp", "sync cancel vs shutdown"),
    ("406-race-close-fd-in-use.cfp", "close vs write vs cancel by fd"),
    ("407-race-cancel-all-vs-two-writes.cfp", "ALL vs two completions"),
    ("410-race-sync-cancel-vs-connect.cfp", "sync cancel vs connect"),
    ("411-race-two-sync-cancels.cfp", "two sync cancels vs write"),
    ("434-aio-race-io-cancel-vs-pipe-write.cfp", "aio: io_cancel vs poll wakeup (pipe write)"),
    ("438-aio-race-io-cancel-vs-io-destroy.cfp", "aio: io_cancel vs io_destroy"),
    ("439-aio-race-getevents-two-threads.cfp", "aio: two io_getevents vs write"),
    ("443-posix-race-aio-cancel-vs-pipe-write.cfp", "posix: aio_cancel vs helper (running read, pipe write)"),
    ("444-posix-race-aio-cancel-queued-vs-pipe-write.cfp", "posix: aio_cancel vs helper (queued read, pipe write)"),
]


def race(path, runs, fixed):
    cmd = ["nice", CF, "race", path, "--runs", str(runs), "--json"] + (["--fixed"] if fixed else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"bench_race: {' '.join(cmd)} exited {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rows, started = [], time.time()
    for name, what in PROGRAMS:
        path = os.path.join(ROOT, "corpora", "seeds", name)
        allowed, seen = set(), {"sweep": [], "fixed": []}
        forbidden = 0
        for r in range(rounds):
            for arm in (("sweep", "fixed") if r % 2 == 0 else ("fixed", "sweep")):
                res = race(path, runs, arm == "fixed")
                got = set()
                for c in res["classes"]:
                    if c["judged"] == "forbidden":
                        forbidden += c["runs"]
                        continue
                    if c["sequential"] or c["runs"]:
                        allowed.add(c["outcome"])
                    if c["runs"]:
                        got.add(c["outcome"])
                seen[arm].append(got)
        share = {arm: sum(len(g) for g in seen[arm]) / rounds / len(allowed) for arm in seen}
        union = {arm: len(set().union(*seen[arm])) for arm in seen}
        rows.append((name[:3], what, len(allowed), share["sweep"], share["fixed"], union["sweep"],
                     union["fixed"], forbidden))
        print(f"{name}: {len(allowed)} allowed; sweep {share['sweep']:.2f} fixed {share['fixed']:.2f}"
              f" (all rounds: {union['sweep']} / {union['fixed']}); forbidden runs {forbidden}",
              flush=True)
    mean = {k: sum(r[i] for r in rows) / len(rows) for k, i in (("sweep", 3), ("fixed", 4))}
    lines = [
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} on kernel {os.uname().release}, "
        f"{os.cpu_count()} cores shared with other work (load average {os.getloadavg()[0]:.1f} when it "
        f"ended), by `scripts/bench/bench_race.py {runs} {rounds}` in {time.time() - started:.0f} s.",
        "",
        f"Each program ran {rounds} rounds of {runs} runs per arm, the arms alternated. *Allowed* = the "
        "outcomes of the program's sequential orders plus every outcome an arm observed that the oracle "
        "judged allowed. *Share* = allowed outcomes observed within one round of N runs, averaged over "
        "the rounds, over all allowed; *all rounds* = distinct allowed outcomes over every round. "
        "*sweep* = `cancelfuzz race` (one op late by a ramp over its window, 0..255 x 1024 spins, the window measured below); "
        "*fixed* = `--fixed`, the offsets as written (all 0): the liburing-style loop.",
        "",
        "| seed | race | allowed | share, sweep | share, fixed | ratio | all rounds, sweep / fixed | forbidden runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for seed, what, n, s, f, us, uf, bad in rows:
        ratio = f"{s / f:.2f}" if f else "inf"
        lines.append(f"| {seed} | {what} | {n} | {s:.2f} | {f:.2f} | {ratio} | {us} / {uf} | {bad} |")
    lines += ["", f"Mean share: sweep {mean['sweep']:.2f}, fixed {mean['fixed']:.2f} "
              f"(ratio {mean['sweep'] / mean['fixed']:.2f})." if mean["fixed"] else ""]
    subprocess.run(["cmake", "--build", BUILD, "--target", "bench_actor_cost"], capture_output=True,
                   check=False)
    cost = subprocess.run([os.path.join(BUILD, "bench_actor_cost")], capture_output=True, text=True,
                          check=False)
    if cost.returncode == 0:
        v = dict(line.split("=") for line in cost.stdout.split())
        us = {k: int(x) / 1000 for k, x in v.items()}
        lines += ["", "**Actor threads** (`scripts/bench/actor_cost.c`, medians of 2,001): making the "
                  f"pool once {us['pool_start_ns']:.0f} µs; one call handed to an actor and waited "
                  f"for {us['handoff_ns']:.1f} µs; a race of three actors (barrier, calls, wait) "
                  f"{us['race3_ns']:.1f} µs; skew between a0's and a1's start at offset 0 "
                  f"{us['start_skew_a0_a1_ns']:.1f} µs; the offset window (255 x 1024 spins) "
                  f"{us['window_ns']:.0f} µs. Making and joining three threads for every execution "
                  f"instead would cost {us['create_join3_ns']:.0f} µs each time: the pool stays."]
    replace_section(os.path.join(ROOT, "docs", "benchmarks.md"), "race-coverage", "\n".join(lines))


if __name__ == "__main__":
    main()
