#!/usr/bin/env python3
"""Description: `cancelfuzz limits` states the numbers scripts read from it.

The values are the program format's and the exit codes' (README, docs/), and
the statistics page's layout must add up to its size, so a reader that takes
the offsets from here reads every field. Exit 0 pass, 1 fail."""
import json
import subprocess
import sys

out = subprocess.run([sys.argv[1], "limits"], capture_output=True, text=True, check=True).stdout
d = json.loads(out)
want = {"max_ops": 64, "max_input": 4096, "max_encoded": 3 + 64 * 8, "max_text": 1 << 20,
        "exit": {"pass": 0, "violation": 1, "bad_input": 2, "harness": 3, "unsupported": 77}}
bad = [f"{k}: {d.get(k)!r} != {v!r}" for k, v in want.items() if d.get(k) != v]
s = d["stats"]
if s["magic"] != "cfstats1" or len(s["counters"]) != 5:
    bad.append(f"stats magic/counters: {s['magic']!r} {s['counters']!r}")
if s["divergences_offset"] != s["counters_offset"] + 8 * len(s["counters"]):
    bad.append("stats: divergence counts do not follow the counters")
if s["behaviours_offset"] != s["divergences_offset"] + 8 * s["divergences"]:
    bad.append("stats: the behaviour map does not follow the divergence counts")
if s["size"] != s["behaviours_offset"] + s["behaviours_bytes"]:
    bad.append(f"stats: size {s['size']} is not the end of the behaviour map")
if subprocess.run([sys.argv[1], "limits", "x"], capture_output=True).returncode != 2:
    bad.append("limits with an argument does not exit 2")
for b in bad:
    print(f"cli_limits: {b}")
sys.exit(1 if bad else 0)
