#!/usr/bin/env python3
"""Machine instructions that fuel metering and epoch interruption add, per executor.

For each executor and each variant, runs a micro workload under callgrind at two sizes
and reports the *marginal* instruction count (Ir at the large size minus Ir at the small
one), so process start, parsing and translation cancel out. Variants: a build without the
counter (`--features unmetered`), and the default build with checks off, with `--fuel`, and
with `--timeout` (epoch interruption). Ratios are to the build without the counter.
Instruction counts do not depend on the machine's load, so this can run while other
things build.

Usage: python3 experiments/scripts/checks-instructions.py [--ir IR]
Needs valgrind; builds the `weft` CLI twice in release (target/ and target/unmetered/).
"""
import argparse, os, re, subprocess, sys

# (workload file, export, small arg, large arg): loops (backward branches) and calls.
WORKLOADS = [
    ("fib_rec.wat", "run", "i64:15", "i64:22"),
    ("fib_iter.wat", "run", "i64:1000", "i64:100000"),
    ("fac_iter.wat", "run", "i64:1000", "i64:100000"),
]
# (label, build, flags): build "plain" or "unmetered".
VARIANTS = [
    ("no counter", "unmetered", []),
    ("checks off", "plain", []),
    ("+fuel", "plain", ["--fuel", "1000000000000000000"]),
    ("+epoch", "plain", ["--timeout", "86400"]),
]
EXECUTORS = ["threaded", "trampoline", "loop-switch"]


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def instructions(cmd):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr[-2000:]}")
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        sys.exit(f"no callgrind summary for {' '.join(cmd)}")
    return int(m.group(1))


def value(arg):
    # The CLI takes plain numbers; the manifest's "i64:25" form names the type.
    return arg.split(":", 1)[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ir", default="register+acc+fuse")
    args = ap.parse_args()
    root = repo_root()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    bins = {}
    for build, features, tdir in [("plain", [], target),
                                  ("unmetered", ["--features", "unmetered"],
                                   os.path.join(target, "unmetered"))]:
        subprocess.run(["cargo", "build", "--release", "--bin", "weft"] + features, cwd=root,
                       check=True, env=dict(os.environ, CARGO_TARGET_DIR=tdir))
        bins[build] = os.path.join(tdir, "release", "weft")
    rows = []
    for wat, export, small, large in WORKLOADS:
        path = os.path.join(root, "experiments/workloads/micro", wat)
        for executor in EXECUTORS:
            counts = []
            for _, build, flags in VARIANTS:
                base = [bins[build], "run", "--dispatch", executor, "--ir", args.ir] + flags + [
                    "--invoke", export, path]
                marginal = instructions(base + [value(large)]) - instructions(base + [value(small)])
                counts.append(marginal)
            rows.append((wat[:-4], executor, counts))
            print(f"{wat[:-4]:10} {executor:12} " + "  ".join(f"{c:>14,}" for c in counts),
                  file=sys.stderr)
    print(f"| workload | executor ({args.ir}) | no counter (Ir) | checks off | +fuel | +epoch |")
    print("|---|---|---:|---:|---:|---:|")
    for name, executor, (bare, off, fuel, epoch) in rows:
        print(f"| {name} | {executor} | {bare:,} | {off / bare:.3f}× | {fuel / bare:.3f}× "
              f"| {epoch / bare:.3f}× |")


if __name__ == "__main__":
    main()
