"""scripts/bench --callgrind: instructions per call of the request path's in-process stages (the whole decision
with the fitted router file and the PII policy, its PII scan, its selection), counted by valgrind's callgrind in
`frontier-router-bench --count`, against the checked-in baseline; a change over 5 % is flagged, --write-baseline
records the new figures. Repeatable where wall-clock figures are not.

The gateway process itself is not counted: Debian 12's valgrind (3.19) dies at start-up on any of Frontier's
executables past about 10 MB ("VALGRIND INTERNAL ERROR ... SIGSEGV" while reading lib_FoundationICU.so's symbols;
the 6 MB router bench is below it), PIE or not. Its CPU per request is in scripts/bench's wrk runs instead."""
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "scripts", "callgrind-baseline.json")
TOLERANCE = 0.05
MEASURES = ["decision, fitted router file", "features alone, fitted router file", "selection alone, fitted router file",
            "PII detection alone", "decision, deny list + 1 recognizer", "decision as canonical JSON"]


def count(binary, label, calls, work, env):
    out = os.path.join(work, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=*RouterBench*counted*", f"--callgrind-out-file={out}",
                    binary, "--count", str(calls), label], check=True, capture_output=True, env=env, timeout=1800)
    with open(out) as f:
        total = int(re.search(r"^(?:summary|totals):\s+(\d+)", f.read(), re.M).group(1))
    return total // calls


def run(args, work):
    # Valgrind cannot read the Swift toolchain's DWARF ("possibly corrupted debuginfo"); the symbol table is enough.
    binary = os.path.join(work, "frontier-router-bench")
    shutil.copy(os.path.join(ROOT, ".build/release/frontier-router-bench"), binary)
    subprocess.run(["strip", "-g", binary], check=True)
    env = dict(os.environ)
    if "FRONTIER_BENCH_ROUTER_FILE" not in env:
        sys.exit("FRONTIER_BENCH_ROUTER_FILE is not set: run scripts/bench --callgrind (it fits the router file)")
    measured = {}
    for label in MEASURES:
        measured[label] = count(binary, label, args.callgrind_calls, work, env)
        print(f"{label}: {measured[label]:,} instructions per call", flush=True)
    report(measured, args)


def report(measured, args):
    baseline = {}
    if os.path.exists(BASELINE):
        with open(BASELINE) as f:
            baseline = json.load(f)["instructions_per_call"]
    print(f"\n== instructions per call (callgrind, release build, {args.callgrind_calls} calls, "
          "1,074-character prompt with PII, 10 models) ==")
    print(f"{'measure':<40} {'now':>12} {'baseline':>12} {'change':>8}")
    flagged = []
    for name, now in measured.items():
        before = baseline.get(name)
        change = (now - before) / before if before else None
        mark = "  over 5 %" if change is not None and change > TOLERANCE else ""
        if mark:
            flagged.append(name)
        print(f"{name:<40} {now:>12,} {f'{before:,}' if before else '-':>12} {'' if change is None else f'{change:+.1%}':>8}{mark}")
    if args.write_baseline:
        with open(BASELINE, "w") as f:
            json.dump({"note": "scripts/bench --callgrind --write-baseline: instructions per call, release build",
                       "instructions_per_call": measured}, f, indent=2)
            f.write("\n")
        print(f"baseline written to {os.path.relpath(BASELINE, ROOT)}")
    elif flagged:
        print(f"more than 5 % over the baseline: {', '.join(flagged)} (say why in the commit, or fix it)")
