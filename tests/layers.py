#!/usr/bin/env python3
"""Description: the include graph follows docs/architecture.md.

Every quoted #include of the project's C code must resolve to a file of its
own folder or of a layer below it, and no two files (a .c with its .h counted
as one) may include each other through any path. Exit 0 when the graph
holds, 1 with one line per broken rule."""
import os
import re
import sys

# Layers from the bottom up; each may include itself and the layers it lists.
LAYERS = {
    "harness/program": [],
    "harness/history": ["harness/program"],
    "harness/exec": ["harness/history", "harness/program"],
    "oracles": ["harness/history", "harness/program"],
    "oracles/faults": ["oracles", "harness/history", "harness/program"],
    "harness/run": ["oracles/faults", "oracles", "harness/exec", "harness/history",
                    "harness/program"],
    "fuzzers": ["harness/run", "oracles/faults", "oracles", "harness/exec",
                "harness/history", "harness/program"],
    "harness/export": ["harness/run", "oracles/faults", "oracles", "harness/exec",
                       "harness/history", "harness/program"],
    "harness/cli": ["harness/export", "fuzzers", "harness/run", "oracles/faults", "oracles", "harness/exec",
                    "harness/history", "harness/program"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(root):
    files = {}  # folder -> names
    for layer in LAYERS:
        folder = os.path.join(root, layer)
        if not os.path.isdir(folder):
            print(f"layers: {layer}/ is missing")
            return 1
        files[layer] = sorted(n for n in os.listdir(folder)
                              if os.path.isfile(os.path.join(folder, n)) and
                              n.endswith((".c", ".h", ".def")))
    problems, edges = [], {}
    for layer, names in files.items():
        for name in names:
            unit = f"{layer}/{os.path.splitext(name)[0]}"
            text = open(os.path.join(root, layer, name), encoding="utf-8").read()
            for inc in INCLUDE.findall(text):
                where = [l for l in [layer] + LAYERS[layer] if inc in files[l]]
                if not where:
                    above = [l for l in files if inc in files[l]]
                    why = f"from {above[0]}/, which is not below it" if above else "not found"
                    problems.append(f"{layer}/{name}: #include \"{inc}\": {why}")
                    continue
                target = f"{where[0]}/{os.path.splitext(inc)[0]}"
                if target != unit:
                    edges.setdefault(unit, set()).add(target)
    # Circles between units: a depth-first search for a back edge.
    state, stack = {}, []

    def visit(u):
        state[u] = 1
        stack.append(u)
        for v in sorted(edges.get(u, ())):
            if state.get(v) == 1:
                problems.append("circle: " + " -> ".join(stack[stack.index(v):] + [v]))
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for u in sorted(edges):
        if u not in state:
            visit(u)
    for p in problems:
        print(f"layers: {p}")
    if not problems:
        n = sum(len(v) for v in edges.values())
        print(f"layers: {sum(map(len, files.values()))} files, {n} include arrows, all pointing down")
    return 1 if problems else 0


def self_test():
    """The checker must catch an upward include and a circle in a small tree."""
    import contextlib
    import io
    import tempfile
    cases = {
        "up": {"harness/program/a.c": '#include "cli.h"\n', "harness/cli/cli.h": ""},
        "circle": {"harness/history/a.h": '#include "b.h"\n',
                   "harness/history/b.h": '#include "a.h"\n'},
        "clean": {"harness/exec/x.c": '#include "x.h"\n#include "history.h"\n',
                  "harness/exec/x.h": "", "harness/history/history.h": ""},
    }
    want = {"up": 1, "circle": 1, "clean": 0}
    bad = 0
    for name, files in cases.items():
        with tempfile.TemporaryDirectory() as root:
            for layer in LAYERS:
                os.makedirs(os.path.join(root, layer), exist_ok=True)
            for path, text in files.items():
                with open(os.path.join(root, path), "w") as f:
                    f.write(text)
            with contextlib.redirect_stdout(io.StringIO()):
                got = main(root)
        if got != want[name]:
            print(f"layers: self-test '{name}': exit {got}, want {want[name]}")
            bad = 1
    return bad


if __name__ == "__main__":
    if sys.argv[1:2] == ["--self-test"]:
        sys.exit(self_test())
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
