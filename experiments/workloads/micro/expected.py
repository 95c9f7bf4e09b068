#!/usr/bin/env python3
"""Expected results of the micro workloads, computed from their definitions, not by running Wasm.

Run it to check manifest.toml: it prints each workload's expected results and exits non-zero
if the manifest disagrees. Keeping this next to the .wat files means an expectation can always
be traced to an independent computation.
"""
import pathlib
import sys
import tomllib

MASK64 = (1 << 64) - 1
MEMORY_BYTES = 17 * 65536


def signed64(x):
    x &= MASK64
    return x - (1 << 64) if x >> 63 else x


def fac(n):
    acc = 1
    for k in range(2, n + 1):
        acc = (acc * k) & MASK64
    return signed64(acc)


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) & MASK64
    return signed64(a)


def scribbled_memory():
    """Memory after the start function of fill.wat and sum.wat: word k = k * 0x9E3779B1 mod 2^32, little-endian."""
    out = bytearray(MEMORY_BYTES)
    for k in range(MEMORY_BYTES // 4):
        out[4 * k:4 * k + 4] = ((k * 0x9E3779B1) & 0xFFFFFFFF).to_bytes(4, "little")
    return out


def fill(value, count):
    mem = scribbled_memory()
    mem[0:count] = bytes([value & 0xFF]) * count
    return sum(mem[a] for a in range(0, count + 4096, 64))


def sum_bytes(start, count):
    return sum(scribbled_memory()[start:start + count])


COMPUTE = {
    "fac_iter": fac,
    "fac_rec": fac,
    "fib_iter": fib,
    "fib_rec": fib,
    "fill": fill,
    "sum": sum_bytes,
}


def parse_value(text):
    ty, _, literal = text.partition(":")
    return ty, int(literal, 0)


def main():
    manifest = tomllib.loads((pathlib.Path(__file__).parent / "manifest.toml").read_text())
    bad = 0
    for w in manifest["workload"]:
        for size in ("quick", "full"):
            case = w[size]
            args = [parse_value(a)[1] for a in case["args"]]
            want = signed64(COMPUTE[w["name"]](*args))
            ty, got = parse_value(case["results"][0])
            ok = ty == "i64" and signed64(got) == want
            bad += not ok
            print(f'{w["name"]:9} {size:5} args={args} expected i64:{want} {"ok" if ok else "MISMATCH: manifest says " + case["results"][0]}')
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
