//! Which locals a call must zero: those that may be read before they are written.
//!
//! Wasm locals start at zero, so a call zeroes its callee's locals before the first op
//! runs, one store per local. Compiled code usually writes a local before it reads it, and
//! for such a local the zero is never seen. This finds, in one pass over the operators,
//! the locals written on every path before any read: a write in the function's
//! *straight-line entry*, the operators from the start up to the first one that may
//! transfer control (a branch, `if`, a return, `unreachable`). Such a write runs before
//! everything after it, so a read that comes later sees a written value. A local read
//! before any such write (on some path) needs its zero. `block`, `loop` and `end` do not
//! end the entry: control reaches them only by falling through while no branch has been
//! taken, and a loop's back edge comes from a branch, which does end it.
//!
//! The result is one number, the end of the range to zero (`FuncBody::zero_end`): the
//! call handler zeroes `num_params..zero_end`, a range rather than a set, so that the call
//! stays one loop. Locals above it are written before they are read.

use wasmparser::Operator;

/// The tracker, reused across functions. Work is linear in the operators: the marks are
/// generation stamps, so a new function costs nothing per declared local.
#[derive(Default)]
pub(crate) struct EntryWrites {
    /// `stamp[x] == generation`: local `x` is written in the current function's entry.
    stamp: Vec<u32>,
    generation: u32,
    num_params: u32,
    /// Still in the straight-line entry.
    entry: bool,
    /// One past the highest local that may be read before it is written.
    zero_end: u32,
}

impl EntryWrites {
    /// Starts a function with `num_params` parameters (which need no zero).
    pub(crate) fn begin(&mut self, num_params: u32) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Stamps from 2^32 functions ago would look current: start over.
            self.stamp.clear();
            self.generation = 1;
        }
        self.num_params = num_params;
        self.entry = true;
        self.zero_end = num_params;
    }

    fn written(&self, x: u32) -> bool {
        self.stamp.get(x as usize) == Some(&self.generation)
    }

    /// A reachable operator, in order.
    pub(crate) fn operator(&mut self, op: &Operator<'_>) {
        match *op {
            Operator::LocalGet { local_index: x } => {
                if x >= self.num_params && !self.written(x) {
                    self.zero_end = self.zero_end.max(x + 1);
                }
            }
            Operator::LocalSet { local_index: x } | Operator::LocalTee { local_index: x } => {
                if self.entry {
                    let x = x as usize;
                    // Grows to the highest local written in an entry: at most the
                    // validator's local limit, once per translation.
                    if self.stamp.len() <= x {
                        self.stamp.resize(x + 1, 0);
                    }
                    self.stamp[x] = self.generation;
                }
            }
            // Everything that may go anywhere but the next operator (for the proposals
            // weft accepts; `features.rs`).
            Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::If { .. }
            | Operator::Else
            | Operator::Return
            | Operator::Unreachable
            | Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. } => self.entry = false,
            _ => {}
        }
    }

    /// The end of the locals to zero: `num_params..zero_end` may be read before written.
    pub(crate) fn zero_end(&self) -> u32 {
        self.zero_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(num_params: u32, ops: &[Operator<'_>]) -> u32 {
        let mut w = EntryWrites::default();
        w.begin(num_params);
        for op in ops {
            w.operator(op);
        }
        w.zero_end()
    }

    const fn get(x: u32) -> Operator<'static> {
        Operator::LocalGet { local_index: x }
    }
    const fn set(x: u32) -> Operator<'static> {
        Operator::LocalSet { local_index: x }
    }

    #[test]
    fn written_first_needs_no_zero() {
        assert_eq!(run(1, &[set(1), set(2), get(2), get(1), get(0)]), 1);
        // A tee writes too; blocks and loops do not end the entry.
        let block = Operator::Block {
            blockty: wasmparser::BlockType::Empty,
        };
        let tee = Operator::LocalTee { local_index: 3 };
        assert_eq!(run(1, &[block, tee, Operator::End, get(3)]), 1);
    }

    #[test]
    fn read_first_needs_a_zero() {
        assert_eq!(run(1, &[get(2), set(2)]), 3);
        // The highest such local sets the range.
        assert_eq!(run(0, &[get(5), get(1), set(7), get(7)]), 6);
    }

    #[test]
    fn writes_after_a_branch_do_not_count() {
        for ctl in [
            Operator::BrIf { relative_depth: 0 },
            Operator::If {
                blockty: wasmparser::BlockType::Empty,
            },
            Operator::Return,
        ] {
            let name = format!("{ctl:?}");
            assert_eq!(run(0, &[ctl, set(4), get(4)]), 5, "{name}");
        }
        // A write before the branch still counts after it.
        let br_if = Operator::BrIf { relative_depth: 0 };
        assert_eq!(run(0, &[set(4), br_if, get(4)]), 0);
    }

    #[test]
    fn a_new_function_forgets_the_last_ones_writes() {
        let mut w = EntryWrites::default();
        w.begin(0);
        w.operator(&set(2));
        w.begin(0);
        w.operator(&get(2));
        assert_eq!(w.zero_end(), 3);
    }
}
