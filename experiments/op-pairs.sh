#!/bin/sh
# Executed IR ops and adjacent op pairs (papers/notes-speed.md, "Op pairs") of one weft
# configuration over CoreMark, the programs, the micro workloads and the kernels, e.g.
#   experiments/op-pairs.sh weft:threaded/register+acc+fuse [OUTDIR]
# Builds weft-experiments with `stats` and without the peers in its own profile, as the
# matrix suite does, so the two share the build (the counts do not depend on
# optimisation); runs `opstats` per workload into OUTDIR (default target/op-pairs) and
# prints the top pairs per group with their share of executed ops.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
E=${1:-weft:threaded/register+acc+fuse}
out=${2:-${CARGO_TARGET_DIR:-$root/target}/op-pairs}
coremark=${WEFT_COREMARK:-$root/../shared/workloads/coremark-minimal.wasm}
cd "$root"
cargo build -q -p weft-experiments --bin weft-experiments --no-default-features --features stats \
  --profile weft-stats \
  --config 'profile.weft-stats.inherits="release"' \
  --config 'profile.weft-stats.lto=false' \
  --config 'profile.weft-stats.codegen-units=256' \
  --config 'profile.weft-stats.opt-level=1' \
  --config 'profile.weft-stats.package."*".opt-level=0' \
  --config 'profile.weft-stats.package.weft-dispatch.opt-level=3' \
  --config 'profile.weft-stats.package.weft-dispatch.codegen-units=16' \
  --config 'profile.weft-stats.debug=false'
B=${CARGO_TARGET_DIR:-$root/target}/weft-stats/weft-experiments
mkdir -p "$out"
run() { # GROUP WORKLOAD SIZE REPS
  f="$out/$1--$(echo "$2" | tr '/:' '__' | sed 's/.*coremark.*/coremark/').txt"
  $B opstats "$E" "$2" "$3" "$4" 60 > "$f"
}
if [ -f "$coremark" ]; then run coremark "coremark:$coremark" full 1; fi
for w in sha2 miniz markdown json regex nbody; do run programs "programs/$w" full 1; done
for w in fac_iter fac_rec fib_iter fib_rec fill sum; do run micro "micro/$w" full 1; done
for w in global_counter block_param fac_rec_loop; do run kernels "kernels/$w" full 1; done
python3 - "$out" <<'PY'
import collections, glob, os, sys
out = sys.argv[1]
groups = collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(out, "*.txt"))):
    group = os.path.basename(f).split("--")[0]
    total, pairs, ops = 0, {}, {}
    for line in open(f):
        w = line.split()
        if w[0] == "total": total = int(w[1])
        elif w[0] == "pair": pairs[(w[2], w[3])] = int(w[1])
        elif w[0] == "op": ops[w[2]] = int(w[1])
    groups[group].append((os.path.basename(f)[:-4].split("--")[1], total, pairs, ops))
# A group's share of a pair: the mean over its workloads of the pair's share of that
# workload's executed ops (each workload weighs the same, however long it runs).
for group in ["coremark", "programs", "micro", "kernels"]:
    ws = groups.get(group)
    if not ws: continue
    share = collections.Counter()
    for _, total, pairs, _ in ws:
        for k, n in pairs.items(): share[k] += 100.0 * n / total / len(ws)
    print(f"\n{group} ({', '.join(w[0] for w in ws)}): top pairs, % of executed ops")
    for (a, b), s in share.most_common(20):
        print(f"  {s:5.2f}%  {a} -> {b}")
PY
