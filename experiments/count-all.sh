#!/bin/sh
# Instruction counts (callgrind) of the workloads papers/notes-speed.md quotes, on the
# engines given (comma-separated, as for `--engines`), e.g.
#   experiments/count-all.sh weft:threaded/register+acc+fuse,wasmi/eager,stitch
# Needs valgrind and a release build: cargo build --release -p weft-experiments
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
B=${CARGO_TARGET_DIR:-$root/target}/release/weft-experiments
E="$1"
coremark=${WEFT_COREMARK:-$root/../shared/workloads/coremark-minimal.wasm}
$B count "$E" micro/fib_rec quick 20
$B count "$E" micro/fac_rec full 2000
$B count "$E" kernels/fac_rec_loop full 1
$B count "$E" kernels/global_counter full 1
$B count "$E" kernels/block_param full 1
$B count "$E" micro/fib_iter full 1
$B count "$E" micro/fac_iter full 1
if [ -f "$coremark" ]; then
  $B count "$E" "coremark:$coremark" full 1
fi
