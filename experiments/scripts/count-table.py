#!/usr/bin/env python3
"""Machine instructions per call of every workload on weft and its peers, side by side.

Runs `weft-experiments count` (callgrind; only the measured calls are counted) over the
micro, programs and kernels suites and CoreMark, for the engines given, and prints a
Markdown table: instructions per call for each engine and each engine's ratio to the
first one (weft's default configuration unless told otherwise), with the geometric mean
of the ratios per suite. A peer that cannot run a workload shows its error's first words.
Instruction counts do not depend on the machine's load, so this can run while other
things build.

Usage: python3 experiments/scripts/count-table.py [--engines LIST] [--coremark PATH]
Needs valgrind and `cargo build --release -p weft-experiments`.
"""
import argparse, math, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.path.join(TARGET, "release", "weft-experiments")

# (workload, size, reps): the quick cases, repeated so that each count covers a few
# million instructions or more and the embedding's per-call cost stays small beside it.
WORKLOADS = [
    ("micro/fib_rec", "quick", 20),
    ("micro/fac_rec", "full", 2000),
    ("micro/fib_iter", "full", 1),
    ("micro/fac_iter", "full", 1),
    ("micro/fill", "quick", 20),
    ("micro/sum", "quick", 20),
    ("programs/sha2", "quick", 3),
    ("programs/miniz", "quick", 3),
    ("programs/markdown", "quick", 3),
    ("programs/json", "quick", 3),
    ("programs/regex", "quick", 3),
    ("programs/nbody", "quick", 3),
    ("kernels/fac_rec_loop", "full", 1),
    ("kernels/global_counter", "full", 1),
    ("kernels/block_param", "full", 1),
    ("kernels/list_reverse", "quick", 20),
    ("kernels/crc_select", "quick", 20),
]

LINE = re.compile(r"^(\S+)\s+\S+ \S+ x\d+:\s+(\d+) Ir,\s+(\d+) Ir/call")


def count(engines, workload, size, reps):
    """Ir per call per engine; an engine that failed maps to its error text."""
    p = subprocess.run(
        [BIN, "count", ",".join(engines), workload, size, str(reps)],
        capture_output=True, text=True)
    out = {}
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if m:
            out[m.group(1)] = int(m.group(3))
    for e in engines:
        if e not in out:
            # The child's own last `error:` line (the parent's wraps valgrind's banner).
            errs = [l for l in p.stderr.splitlines()
                    if l.startswith("error: ") and "==" not in l]
            text = errs[-1].split(": ", 1)[1] if errs else \
                ("panicked" if "panicked" in p.stderr else "failed")
            text = text.removeprefix(e + ": ").removeprefix("run: ")
            out[e] = text[:40]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines",
                    default="weft:threaded-pairs/register+acc+fuse,weft:threaded/register+acc+fuse,"
                            "wasmi/eager,stitch")
    ap.add_argument("--coremark",
                    default=os.path.join(ROOT, "..", "shared", "workloads",
                                         "coremark-minimal.wasm"))
    args = ap.parse_args()
    engines = args.engines.split(",")
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: cargo build --release -p weft-experiments")
    work = list(WORKLOADS)
    if os.path.exists(args.coremark):
        work.append((f"coremark:{os.path.abspath(args.coremark)}", "full", 1))
    else:
        print(f"(CoreMark not found at {args.coremark}: skipped)", file=sys.stderr)

    head = ["workload"] + [f"{e} Ir/call" for e in engines] + \
        [f"{e} / {engines[0]}" for e in engines[1:]]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    ratios = {}  # (suite, engine) -> [ratio]
    for w, size, reps in work:
        r = count(engines, w, size, reps)
        name = "coremark" if w.startswith("coremark:") else w
        suite = name.split("/")[0]
        base = r[engines[0]]
        cells = [f"{v:,}".replace(",", " ") if isinstance(v, int) else f"({v})"
                 for v in (r[e] for e in engines)]
        for e in engines[1:]:
            if isinstance(base, int) and isinstance(r[e], int):
                q = r[e] / base
                ratios.setdefault((suite, e), []).append(q)
                cells.append(f"{q:.2f}")
            else:
                cells.append("–")
        print(f"| {name} {size} | " + " | ".join(cells) + " |", flush=True)
    for (suite, e), qs in sorted(ratios.items()):
        g = math.exp(sum(map(math.log, qs)) / len(qs))
        print(f"\ngeometric mean, {suite}: {e} takes {g:.2f}x the instructions of "
              f"{engines[0]} ({len(qs)} workloads)")


if __name__ == "__main__":
    main()
