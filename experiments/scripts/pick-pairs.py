#!/usr/bin/env python3
"""Chooses the op pairs the `threaded-pairs` executor concatenates, from executed-pair
counts, and writes them as dispatch/src/exec/pair_table.rs.

Input: the directory `experiments/op-pairs.sh CONFIG DIR` wrote (one file per workload:
`total N`, `op N name` and `pair N first second` lines). Each workload counts alike: pairs
are ranked per workload by their share of its executed ops, so CoreMark's 6 million ops
and a micro benchmark's loop weigh the same. Workloads take turns: each adds its most
frequent pair (at least --min-share of its ops) not yet kept, until --max are kept.
Pairs whose two ops both access memory are skipped unless --allow-two-accesses. A kept
pair whose second op, in at least --min-chained percent of its executions (weighted as
above), read one operand from the slot its first op wrote as `dst` (the `chain` lines) is
listed `via OPERAND`: `threaded-pairs` then also builds its chained handler, which passes
that value in a register (--min-chained 101 lists none). Prints,
per workload, the share of its executed ops that start a kept pair (an upper
bound on the dispatches saved: in a chain a, b, c with both pairs kept, only one of them
runs).

Usage: python3 experiments/scripts/pick-pairs.py DIR [--max N] [--min-share PERCENT]
       [--allow-two-accesses] [--min-chained PERCENT] [--out FILE]
"""
import argparse, glob, os, re

ACCESS = re.compile(r"load|store")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def camel(snake):
    """An op's enum name from its snake name (`i32_load8_u_s` -> `I32Load8US`)."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def read(path):
    total, pairs, chains = 0, {}, {}
    for line in open(path):
        f = line.split()
        if f[0] == "total":
            total = int(f[1])
        elif f[0] == "pair":
            pairs[(f[2], f[3])] = int(f[1])
        elif f[0] == "chain":
            chains[(f[2], f[3], f[4])] = int(f[1])
    return total, pairs, chains


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--max", type=int, default=192)
    ap.add_argument("--min-share", type=float, default=0.5)
    ap.add_argument("--allow-two-accesses", action="store_true",
                    help="also keep pairs whose two ops both access memory (skipped by default)")
    ap.add_argument("--min-chained", type=float, default=50.0,
                    help="list a kept pair `via OPERAND` when at least this percent of it is chained")
    ap.add_argument("--out", default=os.path.join(ROOT, "dispatch", "src", "exec", "pair_table.rs"))
    args = ap.parse_args()
    workloads, chained = {}, {}
    for f in sorted(glob.glob(os.path.join(args.dir, "*.txt"))):
        total, pairs, chains = read(f)
        if total:
            name = os.path.basename(f)[:-4]
            workloads[name] = {p: n / total for p, n in pairs.items()}
            chained[name] = {c: n / total for c, n in chains.items()}
    # Round robin: each workload in turn adds its most frequent pair not yet kept, so a
    # two-op loop of a micro benchmark (pairs of 50%) cannot crowd out CoreMark's or a
    # program's spread-out pairs; workloads that run out of pairs above --min-share drop
    # out and leave their turns to the rest.
    # Pairs of two memory accesses are skipped: in one handler LLVM merges their two
    # bounds checks (one trap block) into branch-free code, and on CoreMark the load pairs
    # executed more instructions than the two handlers they replace (papers/notes-speed.md
    # section 22). Ops access memory when their name says load or store.
    def two_accesses(pair):
        return all(ACCESS.search(op) for op in pair)
    ranked = [[p for p, s in sorted(shares.items(), key=lambda x: -x[1])
               if s * 100 >= args.min_share and (args.allow_two_accesses or not two_accesses(p))]
              for shares in workloads.values()]
    kept, seen = [], set()
    while len(kept) < args.max and any(ranked):
        for queue in ranked:
            while queue and queue[0] in seen:
                queue.pop(0)
            if queue and len(kept) < args.max:
                seen.add(queue[0])
                kept.append(queue.pop(0))
    # A kept pair's most chained operand, if chained often enough (shares summed over the
    # workloads that list the pair, so each workload weighs as in the choice above).
    def via(pair):
        listed = [w for w, shares in workloads.items() if pair in shares]
        executed = sum(workloads[w][pair] for w in listed)
        best = max(((sum(chained[w].get((*pair, f), 0) for w in listed), f)
                    for f in {c[2] for w in listed for c in chained[w] if c[:2] == pair}),
                   default=(0, None))
        return best[1] if executed and best[0] * 100 >= args.min_chained * executed else None
    vias = {p: via(p) for p in kept}
    lines = "\n".join(f"            {camel(a)} {a}, {camel(b)} {b}{f' via {vias[(a, b)]}' if vias[(a, b)] else ''};"
                      for a, b in kept)
    source = f'''//! The op pairs `threaded-pairs` concatenates. Generated by
//! `experiments/scripts/pick-pairs.py` from `experiments/op-pairs.sh`'s counts over every
//! workload of the `register+acc+fuse` IR ({len(kept)} pairs, each at least
//! {args.min_share}% of some workload's executed ops, taken in turns: each workload adds
//! its most frequent pair not yet listed{'' if args.allow_two_accesses else '; pairs of two memory accesses are skipped'}).
//! A pair listed `via OPERAND` is chained in at least {args.min_chained}% of its executions:
//! its second op reads OPERAND from the slot its first op writes as `dst`.
//! Regenerate it rather than edit it.

/// `for_each_pair!(m)` calls `m! {{ First first, Second second [via operand]; ... }}` with
/// every pair.
macro_rules! for_each_pair {{
    ($m:ident) => {{
        $m! {{
{lines}
        }}
    }};
}}
pub(crate) use for_each_pair;
'''
    with open(args.out, "w") as out:
        out.write(source)
    print(f"wrote {len(kept)} pairs ({sum(1 for v in vias.values() if v)} chained) to {os.path.relpath(args.out, ROOT)}")
    kept_set = set(kept)
    for name, shares in workloads.items():
        covered = sum(s for p, s in shares.items() if p in kept_set)
        print(f"  {name:40} {covered * 100:5.1f}% of executed ops start a kept pair")


if __name__ == "__main__":
    main()
