#!/usr/bin/env python3
"""Blind rediscovery: with the divergence registry emptied (CF_REGISTRY=empty),
start from the seed programs that then pass at --spec doc, fuzz doc-strict for
SECONDS on JOBS cores, and list every root cause the campaign reports, with
the time it was first found and the registry entry it is (or "not
registered"). A tool that reports each place where a kernel departs from the
pages exactly once rediscovers every registered divergence as one root cause
and reports nothing else but real, unregistered departures.

usage: scripts/bench/bench_rediscovery.py [--seconds 600] [--jobs 2] [--seed 1]
       [--cancelfuzz build/cancelfuzz] [--out DIR] [--no-doc] [--from-logs]
Writes its section of docs/benchmarks.md (unless --no-doc). Exit 0, or 2 on
bad arguments, 3 when the harness fails, 77 when io_uring is unusable."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replace_section import replace_section  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NEW = re.compile(r"^NEW FINDING (\S+) at ([0-9.]+) s")
CAUSE = re.compile(r"^fuzz: root cause (\S+): (\d+) executions, modes (.*)$")
ALSO = re.compile(r"^fuzz: root cause (\S+) also shows: (.*)$")


def registry(cli):
    """tag -> (id, reproducer) of every registered divergence."""
    out = subprocess.run([cli, "divergences"], stdout=subprocess.PIPE, text=True, check=True).stdout
    rows = [l.split("\t") for l in out.splitlines()[1:] if l.strip()]
    return {r[1]: (r[0], r[4] if r[4] != "-" else "") for r in rows}


def passing_seeds(cli, env, dest):
    """Copy the seeds that pass at --spec doc with nothing registered."""
    seeds = os.path.join(ROOT, "corpora", "seeds")
    kept = []
    for name in sorted(os.listdir(seeds)):
        if not name.endswith(".cfp"):
            continue
        path = os.path.join(seeds, name)
        rc = subprocess.run([cli, "replay", "-q", "--spec", "doc", path], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc == 77:
            sys.exit(77)
        if rc == 0:
            shutil.copy(path, dest)
            kept.append(name)
    return kept


def read_logs(out, jobs):
    """Root causes from the jobs' logs: first time found, executions, modes;
    and the root causes each other one was seen beside, in the same execution."""
    causes, beside = {}, {}
    for job in range(jobs):
        for line in open(os.path.join(out, f"job{job}.log")):
            m = NEW.match(line.strip())
            if m:
                c = causes.setdefault(m.group(1), {"first": None, "execs": 0, "modes": set()})
                t = float(m.group(2))
                c["first"] = t if c["first"] is None else min(c["first"], t)
            m = CAUSE.match(line.strip())
            if m:
                c = causes.setdefault(m.group(1), {"first": None, "execs": 0, "modes": set()})
                c["execs"] += int(m.group(2))
                c["modes"].update(m.group(3).split())
            m = ALSO.match(line.strip())
            if m:
                for other in m.group(2).split():
                    beside.setdefault(other, set()).add(m.group(1))
    return causes, beside


def campaign(cli, env, a, seeds, out):
    procs = []
    for job in range(a.jobs):
        log = open(os.path.join(out, f"job{job}.log"), "w")
        procs.append((subprocess.Popen(
            [cli, "fuzz", "--seconds", str(a.seconds), "--spec", "doc", "--seed", str(a.seed + job),
             "--seeds", seeds, "--out", os.path.join(out, "findings"),
             "--corpus-dir", os.path.join(out, f"corpus{job}")],
            env=env, stdout=subprocess.DEVNULL, stderr=log), log))
    for p, log in procs:
        p.wait()
        log.close()
        if p.returncode not in (0, 1):
            sys.exit(f"bench_rediscovery: a campaign exited {p.returncode}: see {log.name}")
    return read_logs(out, a.jobs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cancelfuzz", default=os.path.join(ROOT, "build", "cancelfuzz"))
    ap.add_argument("--out")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--from-logs", action="store_true",
                    help="tabulate the job logs already in --out instead of fuzzing again")
    a = ap.parse_args()
    if a.seconds < 1 or a.jobs < 1:
        ap.error("--seconds and --jobs must be at least 1")
    if not os.access(a.cancelfuzz, os.X_OK):
        ap.error(f"{a.cancelfuzz} is not built (bash scripts/setup.sh)")
    out = a.out or tempfile.mkdtemp(prefix="cf-rediscovery.")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, CF_REGISTRY="empty")
    seeds = os.path.join(out, "seeds")
    os.makedirs(seeds, exist_ok=True)
    if a.from_logs and not a.out:
        ap.error("--from-logs needs the --out of the earlier run")
    kept = sorted(os.listdir(seeds)) if a.from_logs else passing_seeds(a.cancelfuzz, env, seeds)
    known = registry(a.cancelfuzz)
    started = time.time()
    causes = read_logs(out, a.jobs) if a.from_logs else campaign(a.cancelfuzz, env, a, seeds, out)
    wall = a.seconds if a.from_logs else time.time() - started

    causes, beside = causes
    rows, found_ids = [], set()

    def tag_of(sig):
        return sig.split("+")[-1].split(":", 1)[1] if ":" in sig.split("+")[-1] else ""

    for sig, c in sorted(causes.items(), key=lambda kv: (kv[1]["first"] is None, kv[1]["first"] or 0)):
        tag = tag_of(sig)
        reg = known.get(tag, ("", ""))[0]
        if reg:
            found_ids.add(reg)
        first = f"{c['first']:.1f}" if c["first"] is not None else "?"
        rows.append(f"| `{sig}` | {first} | {c['execs']} | {', '.join(sorted(c['modes']))} | "
                    f"{reg or 'not registered: triage'} |")
    only_beside = 0
    for sig in sorted(beside):
        reg = known.get(tag_of(sig), ("", ""))[0]
        if sig in causes or not reg or reg in found_ids:
            continue
        found_ids.add(reg)
        only_beside += 1
        rows.append(f"| `{sig}` | only beside another | - | - | {reg} (seen with "
                    f"{', '.join('`' + b + '`' for b in sorted(beside[sig])[:2])}) |")
    with_repro = sorted(i for i, r in known.values() if r)
    missed = [i for i in with_repro if i not in found_ids]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d', time.gmtime())} on kernel {os.uname().release}, "
        f"{os.cpu_count()} cores, by `scripts/bench/bench_rediscovery.py --seconds {a.seconds} "
        f"--jobs {a.jobs} --seed {a.seed}` ({wall:.0f} s of wall time).",
        f"Registry emptied (`CF_REGISTRY=empty`); started from the {len(kept)} seeds that then pass "
        "at `--spec doc`; doc-strict built-in engine on each job. Each row is one root cause "
        "as the campaign reported it (first time over all jobs; executions that showed it; "
        "setup modes).", "",
        "| root cause | first found (s) | executions | modes | registry |",
        "|---|---:|---:|---|---|", *rows, "",
        f"Root causes: {len(causes)} reported as a finding's signature, {only_beside} more only "
        "beside another in the same execution (`fuzz: root cause X also shows:`); "
        "registry entries with a reproducer rediscovered: "
        f"{len([i for i in with_repro if i in found_ids])} of {len(with_repro)}"
        + (f" (missed: {', '.join(missed)})" if missed else "") + ".",
    ]
    section = "\n".join(lines)
    print(section)
    if not a.no_doc:
        replace_section(os.path.join(ROOT, "docs", "benchmarks.md"), "rediscovery", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
