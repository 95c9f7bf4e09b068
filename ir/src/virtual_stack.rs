//! The register emitter's virtual operand stack: where each operand-stack value is at
//! translation time, with the indexes that keep every question the emitter asks about it
//! O(1) (amortized), so translation stays linear in the height of the stack:
//!
//! - which value is in each accumulator (`acc_holder`), instead of searching the stack;
//! - which values merely refer to a local (`local_refs`), so that writing the local
//!   copies only those, instead of scanning the stack;
//! - how many values at the bottom are known to be in their home slots
//!   (`homes_below`), so that materializing everything at a block boundary only visits
//!   values pushed or moved since the last boundary.

/// Where a value on the virtual operand stack is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    /// In a frame slot (its home, or a local).
    Slot(u32),
    /// A constant not yet written anywhere (only with fusion).
    Imm(u64),
    /// In the accumulator of this class (only with accumulators): at most one value per
    /// class is there, and only between ops that leave accumulators alone.
    Acc(u8),
}

/// Number of accumulator classes (see `AccClass` in `register_emitter.rs`).
pub(crate) const ACC_CLASSES: usize = 3;

/// Per local: the stack indexes that may refer to it.
#[derive(Default)]
struct LocalRefs {
    /// Values on the stack that are `Loc::Slot(local)`, exactly.
    live: u32,
    /// Ascending stack indexes that were pushed as `Loc::Slot(local)`: a superset of the
    /// live ones. An index is stale once its value was moved to its home or popped; stale
    /// indexes are dropped when a push passes them or the local is written.
    candidates: Vec<u32>,
}

/// The virtual operand stack of one function (reused across functions).
#[derive(Default)]
pub(crate) struct VirtualStack {
    entries: Vec<Loc>,
    /// Slots below this are locals; the value at height `h` has home slot `num_locals + h`.
    num_locals: u32,
    /// The stack index of the value in each accumulator class, if any.
    acc_holder: [Option<u32>; ACC_CLASSES],
    /// Indexed by local; grown on demand and reset through `touched_locals`, so a function
    /// with many locals costs only for the locals its stack values refer to.
    local_refs: Vec<LocalRefs>,
    touched_locals: Vec<u32>,
    /// Every value below this index is in its home slot.
    homes_below: u32,
}

impl VirtualStack {
    /// Empties the stack for a function with `num_locals` locals (parameters included).
    pub(crate) fn reset(&mut self, num_locals: u32) {
        self.entries.clear();
        self.num_locals = num_locals;
        self.acc_holder = [None; ACC_CLASSES];
        for x in self.touched_locals.drain(..) {
            let refs = &mut self.local_refs[x as usize];
            refs.live = 0;
            refs.candidates.clear();
        }
        self.homes_below = 0;
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The home slot of the value at stack index `i`.
    pub(crate) fn home(&self, i: usize) -> u32 {
        self.num_locals + i as u32
    }

    pub(crate) fn get(&self, i: usize) -> Loc {
        self.entries[i]
    }

    pub(crate) fn top(&self) -> Option<Loc> {
        self.entries.last().copied()
    }

    fn local_of(&self, loc: Loc) -> Option<u32> {
        match loc {
            Loc::Slot(s) if s < self.num_locals => Some(s),
            _ => None,
        }
    }

    pub(crate) fn push(&mut self, loc: Loc) {
        let i = self.entries.len() as u32;
        match loc {
            Loc::Acc(class) => {
                debug_assert!(self.acc_holder[class as usize].is_none());
                self.acc_holder[class as usize] = Some(i);
            }
            Loc::Slot(s) if s < self.num_locals => {
                let x = s as usize;
                if x >= self.local_refs.len() {
                    self.local_refs.resize_with(x + 1, LocalRefs::default);
                }
                let refs = &mut self.local_refs[x];
                if refs.live == 0 && refs.candidates.is_empty() {
                    self.touched_locals.push(s);
                }
                // Indexes at or above this one belong to values popped since.
                while refs.candidates.last().is_some_and(|&c| c >= i) {
                    refs.candidates.pop();
                }
                refs.candidates.push(i);
                refs.live += 1;
            }
            _ => {}
        }
        if self.homes_below == i && loc == Loc::Slot(self.home(i as usize)) {
            self.homes_below += 1;
        }
        self.entries.push(loc);
    }

    pub(crate) fn pop(&mut self) -> Loc {
        let loc = self
            .entries
            .pop()
            .expect("validated code never pops an empty stack");
        self.forget(loc);
        self.homes_below = self.homes_below.min(self.entries.len() as u32);
        loc
    }

    /// Pops down to `len` values.
    pub(crate) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            self.pop();
        }
    }

    /// Stops tracking `loc` as an accumulator holder or a local reference.
    fn forget(&mut self, loc: Loc) {
        match loc {
            Loc::Acc(class) => self.acc_holder[class as usize] = None,
            loc => {
                if let Some(x) = self.local_of(loc) {
                    self.local_refs[x as usize].live -= 1;
                }
            }
        }
    }

    /// Records that the value at index `i` now is in its home slot (the caller emitted the
    /// move).
    pub(crate) fn set_home(&mut self, i: usize) {
        let old = self.entries[i];
        self.forget(old);
        self.entries[i] = Loc::Slot(self.home(i));
        let mut h = self.homes_below as usize;
        if h == i {
            while h < self.entries.len() && self.entries[h] == Loc::Slot(self.home(h)) {
                h += 1;
            }
            self.homes_below = h as u32;
        }
    }

    /// Index of the first value that may not be in its home slot.
    pub(crate) fn first_maybe_away(&self) -> usize {
        self.homes_below as usize
    }

    /// The stack index of the value in accumulator `class`, if any.
    pub(crate) fn acc_holder(&self, class: u8) -> Option<usize> {
        self.acc_holder[class as usize].map(|i| i as usize)
    }

    /// The stack indexes of values in accumulators, in ascending order.
    pub(crate) fn acc_holders(&self) -> impl Iterator<Item = usize> {
        let mut held = self.acc_holder;
        held.sort_unstable();
        held.into_iter().flatten().map(|i| i as usize)
    }

    /// Whether a value below the top refers to local `x`.
    pub(crate) fn local_referenced_below_top(&self, x: u32) -> bool {
        let live = self.local_refs.get(x as usize).map_or(0, |r| r.live);
        let top_refers = self.top() == Some(Loc::Slot(x));
        live > u32::from(top_refers)
    }

    /// Removes and returns, in ascending order, the stack indexes of the values that refer
    /// to local `x` (the caller moves each one to its home).
    pub(crate) fn take_local_refs(&mut self, x: u32) -> Vec<u32> {
        let Some(refs) = self.local_refs.get_mut(x as usize) else {
            return Vec::new();
        };
        if refs.live == 0 {
            refs.candidates.clear();
            return Vec::new();
        }
        let mut candidates = core::mem::take(&mut refs.candidates);
        let entries = &self.entries;
        candidates.retain(|&i| entries.get(i as usize) == Some(&Loc::Slot(x)));
        candidates
    }
}
