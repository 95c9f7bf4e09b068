//! The value stack's memory.
//!
//! A store's value stack is large (8 MiB by default: `StackLimits::max_cells`) and must
//! start zeroed, as Rust requires of initialised memory. Zeroing it with `memset` cost
//! every new store's first call megabytes of writes: glibc's `calloc` clears a block it
//! reuses, and after the first stack is freed it reuses blocks for later ones (its mmap
//! threshold grows past the stack's size). In the differential fuzzer, which makes a store
//! per function, that `memset` was 88% of all instructions. On Unix the stack is therefore
//! an anonymous private mapping: the kernel supplies zero pages on first touch, so a call
//! pays only for the pages it uses, and nothing of an earlier store is ever visible.
//! Elsewhere (and under Miri) it is an ordinary zeroed allocation.

use core::ops::{Deref, DerefMut};

use crate::cell::Cell;

/// Zero-initialised cells for one store's value stack.
pub struct ValueStack(imp::Cells);

impl ValueStack {
    /// `len` zeroed cells.
    pub fn zeroed(len: usize) -> ValueStack {
        ValueStack(imp::Cells::zeroed(len))
    }
}

impl Deref for ValueStack {
    type Target = [Cell];
    #[inline(always)]
    fn deref(&self) -> &[Cell] {
        &self.0
    }
}

impl DerefMut for ValueStack {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Cell] {
        &mut self.0
    }
}

#[cfg(all(unix, not(miri)))]
mod imp {
    use core::ptr::NonNull;

    use crate::cell::Cell;

    /// Cells in an anonymous private mapping of their own, or in a boxed slice if the
    /// mapping failed.
    pub enum Cells {
        Mapped { ptr: NonNull<Cell>, len: usize },
        Boxed(Box<[Cell]>),
    }

    // SAFETY: `Mapped` owns its mapping exclusively, like a `Box<[Cell]>`.
    unsafe impl Send for Cells {}
    // SAFETY: as for `Send`; shared access only reads.
    unsafe impl Sync for Cells {}

    impl Cells {
        pub fn zeroed(len: usize) -> Cells {
            let Some(bytes) = len.checked_mul(size_of::<Cell>()).filter(|&b| b > 0) else {
                return Cells::Boxed(vec![0; len].into_boxed_slice());
            };
            // SAFETY: a new anonymous private mapping (no file, no fixed address) touches
            // no existing memory; the result is checked before use.
            let p = unsafe {
                libc::mmap(
                    core::ptr::null_mut(),
                    bytes,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            match NonNull::new(p.cast::<Cell>()) {
                // Anonymous mappings are zero-filled and page-aligned (so aligned for `Cell`).
                Some(ptr) if p != libc::MAP_FAILED => Cells::Mapped { ptr, len },
                _ => Cells::Boxed(vec![0; len].into_boxed_slice()),
            }
        }
    }

    impl core::ops::Deref for Cells {
        type Target = [Cell];
        #[inline(always)]
        fn deref(&self) -> &[Cell] {
            match self {
                // SAFETY: the mapping holds `len` zero-initialised cells and lives as long
                // as `self`.
                Cells::Mapped { ptr, len } => unsafe {
                    core::slice::from_raw_parts(ptr.as_ptr(), *len)
                },
                Cells::Boxed(b) => b,
            }
        }
    }

    impl core::ops::DerefMut for Cells {
        #[inline(always)]
        fn deref_mut(&mut self) -> &mut [Cell] {
            match self {
                // SAFETY: as for `deref`; `&mut self` makes the access exclusive.
                Cells::Mapped { ptr, len } => unsafe {
                    core::slice::from_raw_parts_mut(ptr.as_ptr(), *len)
                },
                Cells::Boxed(b) => b,
            }
        }
    }

    impl Drop for Cells {
        fn drop(&mut self) {
            if let Cells::Mapped { ptr, len } = self {
                // SAFETY: the mapping was made by `zeroed` with this size and is unmapped
                // once; no slice of it outlives `self`.
                unsafe { libc::munmap(ptr.as_ptr().cast(), *len * size_of::<Cell>()) };
            }
        }
    }
}

#[cfg(not(all(unix, not(miri))))]
mod imp {
    use crate::cell::Cell;

    /// A zeroed boxed slice.
    pub struct Cells(Box<[Cell]>);

    impl Cells {
        pub fn zeroed(len: usize) -> Cells {
            Cells(vec![0; len].into_boxed_slice())
        }
    }

    impl core::ops::Deref for Cells {
        type Target = [Cell];
        fn deref(&self) -> &[Cell] {
            &self.0
        }
    }

    impl core::ops::DerefMut for Cells {
        fn deref_mut(&mut self) -> &mut [Cell] {
            &mut self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ValueStack;

    #[test]
    fn zeroed_writable_and_reusable() {
        for len in [0, 1, 4096, 1 << 20] {
            for _ in 0..3 {
                let mut s = ValueStack::zeroed(len);
                assert_eq!(s.len(), len);
                assert!(s.iter().all(|&c| c == 0));
                // Dirty it, so that a reused block would show through on the next round.
                s.iter_mut().for_each(|c| *c = !0);
            }
        }
    }
}
