#!/usr/bin/env python3
"""Counts register saves and restores (`push`/`pop`) in the threaded-style handlers of a
built binary, per executor module (`threaded`, `threaded_pairs`, `become_`, `preserve_none`).

Reads `objdump -d BINARY` (x86-64) and walks every function whose symbol is a handler,
recognised as scripts/asm-check recognises them (its `HANDLER` pattern). Prints one line
per module: handlers found, handlers with at least one push, pushes, pops, and the
handlers with the most pushes.

Usage: python3 experiments/scripts/handler-saves.py [BINARY]
  BINARY defaults to target/release/weft-experiments.
"""
import collections, importlib.machinery, importlib.util, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_loader = importlib.machinery.SourceFileLoader("asm_check", os.path.join(ROOT, "scripts", "asm-check"))
_spec = importlib.util.spec_from_loader("asm_check", _loader)
asm_check = importlib.util.module_from_spec(_spec)
_loader.exec_module(asm_check)

MODULE = re.compile(r"(8threaded|14threaded_pairs|7become_|13preserve_none)\d+h_")


def handlers(binary):
    """Yields (module, symbol, instructions) for every handler in `objdump -d` output."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], check=True,
                         capture_output=True, text=True).stdout
    sym, body = None, []
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            if sym:
                yield sym, body
            sym, body = m.group(1), []
            continue
        parts = line.split("\t")
        if sym and len(parts) >= 2 and parts[0].strip().endswith(":"):
            body.append(parts[-1].strip())
    if sym:
        yield sym, body


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "weft-experiments")
    stats = collections.defaultdict(lambda: {"handlers": 0, "saving": 0, "push": 0, "pop": 0, "top": []})
    for sym, body in handlers(binary):
        if not asm_check.is_handler(sym):
            continue
        module = MODULE.search(sym).group(1).lstrip("0123456789")
        pushes = sum(1 for i in body if re.match(r"push\w*\s", i))
        pops = sum(1 for i in body if re.match(r"pop\w*\s", i))
        s = stats[module]
        s["handlers"] += 1
        s["saving"] += pushes > 0
        s["push"] += pushes
        s["pop"] += pops
        name = re.search(r"\d+(h_\w+?)(17h[0-9a-f]{16}E)?$", sym).group(1)
        s["top"].append((pushes, name))
    print(f"{'module':<14} {'handlers':>8} {'with push':>9} {'push':>6} {'pop':>6}  most pushes")
    for module in ("threaded", "threaded_pairs", "become_", "preserve_none"):
        if module not in stats:
            continue
        s = stats[module]
        top = ", ".join(f"{n} {p}" for p, n in sorted(s["top"], reverse=True)[:4] if p)
        print(f"{module:<14} {s['handlers']:>8} {s['saving']:>9} {s['push']:>6} {s['pop']:>6}  {top}")
    return 0 if stats else 1


if __name__ == "__main__":
    sys.exit(main())
