#!/usr/bin/env python3
"""Where an engine's time goes against where its instructions go, per function (handler).

    python3 experiments/scripts/time-vs-ir.py ENGINE WORKLOAD [REPS] [TOP]
    e.g. python3 experiments/scripts/time-vs-ir.py weft:threaded/register+acc+fuse \\
             coremark:../shared/workloads/coremark-minimal.wasm 300

Two runs of `weft-experiments count-one` (the child of `count`, see
experiments/src/runner/count.rs): one under callgrind, counting the instructions (Ir) of one
measured call per function, and one under `perf record -e cpu-clock` (a timer, not a
hardware counter: this needs no PMU, which these shared machines do not expose) with REPS
calls, sampling where the time goes. For every function that executed an instruction in
the measured call it prints its share of those instructions, its share of the time
samples that fell in those functions, and the ratio of the two: above 1, the function's
instructions take longer than the average instruction (a dependency chain, a cache miss,
a mispredicted branch); below 1, they retire faster.

Read the ratio with two caveats. A timer sample lands on the instruction *after* a stall,
so the stall of a mispredicted dispatch is charged to the handler it lands in, not to the
one that jumped. And shares compare within one engine; across engines compare the totals
(`count` for instructions, the suites for time).

Needs valgrind and perf (Debian `linux-perf`); without perf it says so and exits 0.
Builds nothing: run `cargo build --release -p weft-experiments` first. Time only on a
quiet machine (nothing building, load average well under the core count).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                   "release", "weft-experiments")


def full(symbol):
    """The function's path, without hash, callgrind's `'2` suffix or binary name."""
    symbol = re.sub(r"\s*\[.*\]$", "", symbol.strip())
    symbol = re.sub(r"'\d+$", "", symbol)
    return re.sub(r"::h[0-9a-f]{16}$", "", symbol)


def aliases():
    """Path -> one name per address: the linker folds identical handlers (weft's
    `h_i64_load32_u_as` is `h_i32_load_as`), and perf and callgrind may each pick
    another of the names."""
    text = subprocess.run(["nm", "-C", BIN], check=True, capture_output=True,
                          text=True).stdout
    by_addr = {}
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tT":
            by_addr.setdefault(parts[0], set()).add(full(parts[2]))
    canon = {}
    for names in by_addr.values():
        first = min(names)
        for n in names:
            canon.setdefault(n, first)
    return canon


def short(symbol, canon):
    """The function's own name (last path segment), one per address."""
    name = full(symbol)
    return canon.get(name, name).split("::")[-1]


def instructions(engine, workload, tmp, canon):
    out = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    "--toggle-collect=weft_exp_count", BIN, "count-one", engine, workload,
                    "quick", "1"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    text = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", out],
                          check=True, capture_output=True, text=True).stdout
    per, total = {}, 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = n
            continue
        # `file:function [binary]`: the function follows the last ':' before a name.
        name = short(m.group(2).split(":", 1)[-1], canon)
        per[name] = per.get(name, 0) + n
    return per, total


def samples(engine, workload, reps, tmp, canon):
    data = os.path.join(tmp, "perf.data")
    subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "10000", "-o", data,
                    "--", BIN, "count-one", engine, workload, "quick", str(reps)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                           "--sort", "symbol", "-F", "sample,symbol"],
                          check=True, capture_output=True, text=True).stdout
    per = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\d+)\s+\[\.\]\s+(.*)$", line)
        if m:
            name = short(re.sub(r"(\s+-)+\s*$", "", m.group(2)), canon)
            per[name] = per.get(name, 0) + int(m.group(1))
    return per


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    engine, workload = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    if shutil.which("perf") is None:
        print("time-vs-ir: skipped: `perf` is not installed (Debian package linux-perf)")
        return
    if not os.path.exists(BIN):
        sys.exit(f"time-vs-ir: {BIN} is missing: cargo build --release -p weft-experiments")
    canon = aliases()
    with tempfile.TemporaryDirectory() as tmp:
        ir, total_ir = instructions(engine, workload, tmp, canon)
        time = samples(engine, workload, reps, tmp, canon)
    seen = {f for f, n in ir.items() if n > 0}
    timed = sum(n for f, n in time.items() if f in seen)
    if not timed or not total_ir:
        sys.exit("time-vs-ir: no samples in the measured functions")
    outside = sum(time.values()) - timed
    print(f"{engine} on {workload}: {total_ir:,} Ir per call; {timed:,} timer samples "
          f"in those functions ({outside:,} elsewhere: loading, translating, warm-up)")
    rows = sorted(((time.get(f, 0) / timed, ir[f] / total_ir, f) for f in seen),
                  reverse=True)
    print(f"| function | time share | Ir share | time/Ir |")
    print("|---|---:|---:|---:|")
    for t, i, f in rows[:top]:
        ratio = f"{t / i:.2f}" if i else "-"
        print(f"| `{f}` | {100 * t:.2f}% | {100 * i:.2f}% | {ratio} |")
    fast = sum(t for t, i, _ in rows if i and t / i < 0.8)
    fast_ir = sum(i for t, i, _ in rows if i and t / i < 0.8)
    print(f"\nfunctions faster than the average instruction (time/Ir < 0.8): "
          f"{100 * fast_ir:.1f}% of Ir, {100 * fast:.1f}% of time")


if __name__ == "__main__":
    main()
