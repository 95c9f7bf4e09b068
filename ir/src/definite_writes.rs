//! Which locals a call must zero: those that may be read before they are written.
//!
//! Wasm locals start at zero, so a call zeroes its callee's locals before the first op
//! runs, one store per local. Compiled code usually writes a local before it reads it, and
//! then the zero is never seen. This finds, in one pass over the operators, the locals
//! *definitely written* at each read: written on every path from the function's entry.
//! A local read when it is not needs its zero.
//!
//! Structured control flow makes this a stack discipline. A write stays definite until
//! control reaches a point that a path without it can reach too: the end of a block
//! (or `if`) that a branch taken *before* the write jumps to, or the `else` and end of the
//! `if` it is in (the other arm, and the untaken condition, skip it). So a write is
//! recorded in the kill list of the innermost enclosing frame that has been branched to
//! so far (an `if` counts from its start), and undone when that frame ends (or reaches its
//! `else`). Loops never count: a branch to a loop goes back to its start, and the paths
//! that leave it pass its end only by falling through. A `return` (or a trap) ends its
//! path, which then reaches nothing.
//!
//! The result is one number, the end of the range to zero (`FuncBody::zero_end`): the
//! call handler zeroes `num_params..zero_end`, a range rather than a set, so that the call
//! stays one loop. Locals above it are written before they are read.
//!
//! Work is linear in the operators: marks are generation stamps (a new function costs
//! nothing per declared local), and the search for the frame to record a write in looks
//! at most [`MAX_WALK`] frames out; a write found no frame for within that is not
//! recorded, which only costs its local a zero.

/// Most frames a write's search looks through before giving up on recording it.
const MAX_WALK: usize = 32;

/// No node: the end of a kill list.
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Frame {
    /// A loop: branches to it go back, never to a point after a write.
    is_loop: bool,
    /// A branch taken so far may go to this frame's end (or `else`), skipping what follows.
    targeted: bool,
    /// First node of the writes undone at this frame's end.
    kills: u32,
}

/// The tracker, reused across functions.
#[derive(Default)]
pub(crate) struct DefiniteWrites {
    /// `stamp[x] == generation`: local `x` is definitely written here.
    stamp: Vec<u32>,
    generation: u32,
    num_params: u32,
    frames: Vec<Frame>,
    /// Kill lists: (local, next node).
    nodes: Vec<(u32, u32)>,
    /// One past the highest local that may be read before it is written.
    zero_end: u32,
}

impl DefiniteWrites {
    /// Starts a function with `num_params` parameters (which need no zero), in its
    /// function frame.
    pub(crate) fn begin(&mut self, num_params: u32) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Stamps from 2^32 functions ago would look current: start over.
            self.stamp.clear();
            self.generation = 1;
        }
        self.num_params = num_params;
        self.frames.clear();
        self.nodes.clear();
        self.zero_end = num_params;
        self.open(false, false);
    }

    fn written(&self, x: u32) -> bool {
        self.stamp.get(x as usize) == Some(&self.generation)
    }

    /// A frame opens (`block`, `loop` or `if`; also in unreachable code, so that depths
    /// stay the driver's).
    pub(crate) fn open(&mut self, is_loop: bool, is_if: bool) {
        self.frames.push(Frame {
            is_loop,
            // The untaken condition goes to the `else` or the end.
            targeted: is_if,
            kills: NONE,
        });
    }

    /// Undoes the writes recorded in the innermost frame's kill list.
    fn kill_top(&mut self) {
        let top = self.frames.last_mut().expect("a frame is open");
        let mut n = core::mem::replace(&mut top.kills, NONE);
        while n != NONE {
            let (x, next) = self.nodes[n as usize];
            self.stamp[x as usize] = 0;
            n = next;
        }
    }

    /// `else`: the other arm starts from the state before the `if`.
    pub(crate) fn else_(&mut self) {
        self.kill_top();
        // The then-arm's end goes to the `if`'s end.
        self.frames.last_mut().expect("a frame is open").targeted = true;
    }

    /// A frame's `end`.
    pub(crate) fn end(&mut self) {
        self.kill_top();
        self.frames.pop();
    }

    /// A branch to the frame `depth` out (`br`, `br_if`, a `br_table` target).
    pub(crate) fn branch(&mut self, depth: u32) {
        let len = self.frames.len();
        if let Some(f) = len
            .checked_sub(1 + depth as usize)
            .and_then(|i| self.frames.get_mut(i))
        {
            if !f.is_loop {
                f.targeted = true;
            }
        }
    }

    /// `local.get x`.
    pub(crate) fn read(&mut self, x: u32) {
        if x >= self.num_params && !self.written(x) {
            self.zero_end = self.zero_end.max(x + 1);
        }
    }

    /// `local.set x` or `local.tee x`.
    pub(crate) fn write(&mut self, x: u32) {
        if x < self.num_params || self.written(x) {
            // Already definite, for at least as long: the frames targeted now include
            // those targeted at the earlier write.
            return;
        }
        let len = self.frames.len();
        let Some(at) = (0..len)
            .rev()
            .take(MAX_WALK)
            .find(|&i| self.frames[i].targeted || i == 0)
        else {
            return;
        };
        let xi = x as usize;
        // Grows to the highest local written: at most the validator's local limit, once
        // per translation.
        if self.stamp.len() <= xi {
            self.stamp.resize(xi + 1, 0);
        }
        self.stamp[xi] = self.generation;
        let f = &mut self.frames[at];
        self.nodes.push((x, f.kills));
        f.kills = (self.nodes.len() - 1) as u32;
    }

    /// The end of the locals to zero: `num_params..zero_end` may be read before written.
    pub(crate) fn zero_end(&self) -> u32 {
        self.zero_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One step of a function body, in the tracker's terms.
    #[derive(Clone, Copy, Debug)]
    enum S {
        Get(u32),
        Set(u32),
        Block,
        Loop,
        If,
        Else,
        End,
        Br(u32),
    }
    use S::*;

    fn run(num_params: u32, steps: &[S]) -> u32 {
        let mut w = DefiniteWrites::default();
        w.begin(num_params);
        for &s in steps {
            match s {
                Get(x) => w.read(x),
                Set(x) => w.write(x),
                Block => w.open(false, false),
                Loop => w.open(true, false),
                If => w.open(false, true),
                Else => w.else_(),
                End => w.end(),
                Br(d) => w.branch(d),
            }
        }
        w.zero_end()
    }

    #[test]
    fn written_first_needs_no_zero() {
        assert_eq!(run(1, &[Set(1), Set(2), Get(2), Get(1), Get(0)]), 1);
        assert_eq!(run(1, &[Block, Set(3), End, Get(3)]), 1);
        // Blocks branched to before the write end before the read; the loop is no merge.
        assert_eq!(
            run(0, &[Block, Br(0), End, Loop, Set(2), Br(0), End, Get(2)]),
            0
        );
        // A branch after the write: every path to its target passed the write.
        assert_eq!(run(0, &[Block, Set(2), Br(0), End, Get(2)]), 0);
    }

    #[test]
    fn read_first_needs_a_zero() {
        assert_eq!(run(1, &[Get(2), Set(2)]), 3);
        // The highest such local sets the range.
        assert_eq!(run(0, &[Get(5), Get(1), Set(7), Get(7)]), 6);
        // In a loop, the first iteration reads before the write.
        assert_eq!(run(0, &[Loop, Get(4), Set(4), Br(0), End]), 5);
    }

    #[test]
    fn a_write_skipped_by_a_branch_is_not_definite_after_the_merge() {
        // `block; br_if 0; x = ..; end; read x`: the branch skips the write.
        assert_eq!(run(0, &[Block, Br(0), Set(4), Get(4), End, Get(4)]), 5);
        // The same from an inner block to the outer one.
        assert_eq!(
            run(0, &[Block, Block, Br(1), Set(4), End, Get(4), End, Get(4)]),
            5
        );
        // Inside the block, after the write, it is definite.
        assert_eq!(run(0, &[Block, Br(0), Set(4), Get(4), End]), 0);
    }

    #[test]
    fn if_arms_are_not_definite_after_the_if() {
        assert_eq!(run(0, &[If, Set(3), Get(3), End, Get(3)]), 4);
        // The else arm starts without the then arm's writes.
        assert_eq!(run(0, &[If, Set(3), Else, Get(3), End]), 4);
        assert_eq!(run(0, &[If, Else, Set(3), Get(3), End, Get(3)]), 4);
        // A write before the `if` stays.
        assert_eq!(run(0, &[Set(3), If, Else, End, Get(3)]), 0);
    }

    #[test]
    fn a_new_function_forgets_the_last_ones_writes() {
        let mut w = DefiniteWrites::default();
        w.begin(0);
        w.write(2);
        w.begin(0);
        w.read(2);
        assert_eq!(w.zero_end(), 3);
    }

    #[test]
    fn deep_nesting_gives_up_on_recording() {
        // Past the walk's reach, the write is not recorded: the read needs the zero.
        let mut steps = vec![Block, Br(0)];
        steps.extend(std::iter::repeat_n(Block, MAX_WALK + 1));
        steps.extend([Set(1), Get(1)]);
        assert_eq!(run(0, &steps), 2);
    }
}
