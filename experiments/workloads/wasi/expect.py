#!/usr/bin/env python3
"""Writes expected/<program>.<case>.stdout for every case in suite.toml by running the
NATIVE build of each program (build.sh makes them) on the committed inputs, and checks
each exits with the manifest's status. Usage: expect.py SUITE_DIR NATIVE_BIN_DIR"""
import os
import subprocess
import sys
import tomllib

suite, native = sys.argv[1], sys.argv[2]
with open(os.path.join(suite, "suite.toml"), "rb") as f:
    manifest = tomllib.load(f)
os.makedirs(os.path.join(suite, "expected"), exist_ok=True)
for program in manifest["program"]:
    name = program["name"]
    cwd = os.path.join(suite, program["dir"])
    for case in ("quick", "full"):
        spec = program[case]
        stdin = spec.get("stdin")
        with open(os.path.join(cwd, stdin), "rb") if stdin else open(os.devnull, "rb") as inp:
            run = subprocess.run([os.path.join(native, name), *spec["args"]], cwd=cwd,
                                 stdin=inp, capture_output=True, env={"PATH": "/usr/bin:/bin"})
        want = spec.get("exit", 0)
        if run.returncode != want:
            sys.exit(f"{name} {case}: exit {run.returncode}, manifest says {want}; "
                     f"stderr: {run.stderr.decode(errors='replace')}")
        out = os.path.join(suite, "expected", f"{name}.{case}.stdout")
        with open(out, "wb") as f:
            f.write(run.stdout)
        print(f"{out}: {len(run.stdout)} bytes")
