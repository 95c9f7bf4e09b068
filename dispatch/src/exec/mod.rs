//! Running code: the machine state every executor shares, the op semantics written once,
//! and the entry point that sets up a call.
//!
//! Safety model: code reaching an executor was produced by the translator from a module
//! wasmparser validated, so every op finds the operands it pops on the operand stack,
//! every local index is inside the frame, and every index into the instance (functions,
//! globals, tables, segments, types) exists. A frame's full size (`frame_size`) is checked
//! against the end of the value stack when it is entered, so pushes stay in bounds. What
//! validation cannot promise (memory and table bounds, null references, signatures) is
//! checked at run time and traps.

#[macro_use]
pub(crate) mod ops;
pub mod budget;
pub(crate) mod invoke;
pub(crate) mod register;
pub(crate) mod semantics;

#[cfg(all(feature = "become", weft_nightly))]
#[path = "become_.rs"]
pub mod become_;
#[cfg(feature = "loop-switch")]
pub mod loop_switch;
#[cfg(all(feature = "preserve-none", weft_nightly))]
pub mod preserve_none;
// `become` and `preserve-none` reuse the threaded handlers' macros (and `become` its ABI),
// so the module is also built for them when `threaded` itself is left out (see build.rs);
// its own table is then unused.
#[cfg(any(
    weft_threaded,
    all(feature = "become", weft_nightly),
    all(feature = "preserve-none", weft_nightly)
))]
#[cfg_attr(not(weft_threaded), allow(dead_code))]
pub mod threaded;
#[cfg(feature = "trampoline")]
pub mod trampoline;

use crate::cell::Cell;
use crate::code::Ip;
use crate::store::{HostError, StoreInner};
use crate::trap::TrapCode;
use std::any::Any;

/// The registers of the virtual machine. Executors keep these in host registers (or
/// locals) and hand them to the op semantics by reference, which LLVM turns back into
/// registers once the semantics is inlined.
#[derive(Debug, Clone, Copy)]
pub struct Regs {
    /// Next op to run.
    pub ip: Ip,
    /// One past the top of the operand stack.
    pub sp: *mut Cell,
    /// The current frame: its locals start here.
    pub fp: *mut Cell,
    /// Base of the current instance's memory 0 (null if it has none).
    pub mem: *mut u8,
    /// Its length in bytes.
    pub mem_len: usize,
    /// [`fast_bound`] of `mem_len`: the one compare of a bounds check.
    pub mem_fast: usize,
    /// Register IR: the integer accumulator (i32 zero-extended, or i64).
    pub x: u64,
    /// Register IR: the f32 accumulator.
    pub sx: f32,
    /// Register IR: the f64 accumulator.
    pub dx: f64,
}

/// Accesses of at most this many bytes are checked against [`Regs::mem_fast`].
pub(crate) const MAX_FAST_ACCESS: usize = 8;

/// The bound below which every access of at most [`MAX_FAST_ACCESS`] bytes is in a memory
/// of `len` bytes: an address `ea < len - 7` has `ea + 8 <= len`. A bounds check is then
/// one compare of the address with it, not an add of the access size and a compare; only
/// an access starting in the memory's last 7 bytes (or past the end) takes the exact test.
pub(crate) fn fast_bound(len: usize) -> usize {
    len.saturating_sub(MAX_FAST_ACCESS - 1)
}

impl Regs {
    /// Registers that point nowhere (a placeholder).
    pub(crate) const EMPTY: Regs = Regs {
        ip: core::ptr::null(),
        sp: core::ptr::null_mut(),
        fp: core::ptr::null_mut(),
        mem: core::ptr::null_mut(),
        mem_len: 0,
        mem_fast: 0,
        x: 0,
        sx: 0.0,
        dx: 0.0,
    };
}

/// Why an executor stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The entry function returned; its results are at the base of the stack.
    Done,
    /// Execution trapped.
    Trap(TrapCode),
    /// Internal to the executors, never returned by [`ExecutorKind::run`]: the op left
    /// the rarely taken part of its work in [`Ctx::pending`]; the executor runs it with
    /// [`semantics::slow`] and continues at `Regs::ip`. This keeps every call out of the
    /// ops' fast paths: a threaded handler that may call a function (a refill of the
    /// budget, a host function, the compiler, an instance switch) saves the callee-saved
    /// registers it needs across that call on *every* execution (LLVM does not shrink-wrap
    /// them into the cold path), about a dozen instructions per op; leaving by a tail call
    /// into the slow handler instead needs no saved register.
    Slow,
}

/// The slow part of an op, left for [`semantics::slow`] (see [`Stop::Slow`]).
#[derive(Debug, Clone, Copy)]
pub enum Pending {
    /// Nothing.
    None,
    /// The budget ran out on a backward branch (the unit is owed); `Regs::ip` is the
    /// branch target.
    Refill,
    /// A call the fast path could not make (the budget ran out, a host function, a
    /// function not compiled yet, or the stack or call-depth limit or the frame buffer's
    /// capacity reached). The unit was taken from the budget; the operands are on the
    /// stack as the call op left them.
    Call {
        /// The store function called.
        func: u32,
        /// The caller's callee-table index of a direct call (its entry is updated once
        /// the callee is compiled), or `u32::MAX` for a call through a table.
        site: u32,
        /// A tail call.
        tail: bool,
    },
    /// A return of `keep` (more than one) values: `Regs::sp` is just past them.
    Return {
        /// How many.
        keep: u32,
    },
    /// A call or return changed the instance: make this one current (memory, callees).
    Instance(u32),
}

/// What every op returns: `Ok` to continue at `Regs::ip`.
pub type Step = Result<(), Stop>;

/// A caller's state saved by a Wasm call.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Where to continue.
    pub ip: Ip,
    /// The caller's frame.
    pub fp: *mut Cell,
    /// The caller's instance.
    pub inst: u32,
}

// SAFETY: a frame is plain data (an address in code and one in a value stack); only the
// executor that pushed it dereferences them, on the thread running that call. The store
// keeps an empty `Vec<Frame>` between calls (`StoreInner::spare_frames`) and must stay
// `Send`.
unsafe impl Send for Frame {}
// SAFETY: as for `Send`.
unsafe impl Sync for Frame {}

/// State that lives outside the registers: the store, the call stack and limits.
pub struct Ctx {
    /// The store being run.
    pub store: *mut StoreInner,
    /// The embedder's data, for host calls.
    pub data: *mut (dyn Any + 'static),
    /// The current instance.
    pub inst: u32,
    /// The current instance's callee table (`InstanceEntity::callees`), so that a direct
    /// call reads its callee with one load. Set together with `inst`.
    pub callees: *const crate::store::Callee,
    /// The current instance's global index table (`InstanceEntity::globals`): store
    /// global indices by the module's global index. Set together with `inst`.
    pub globals: *const u32,
    /// The store's globals (`StoreInner::globals`), reloaded with the instance and after
    /// every host call (the only time new globals may be added and the vector move).
    pub global_cells: *mut crate::store::GlobalEntity,
    /// The call stack's buffer: saved callers live in its spare capacity, from
    /// `frame_base` to `frame_top` (its length stays 0), so that a call pushes with one
    /// compare and a return pops with one, no growth path in line.
    pub frames: Vec<Frame>,
    /// The first saved caller (the buffer's start).
    pub frame_base: *mut Frame,
    /// One past the last saved caller; `frame_base` in the entry function.
    pub frame_top: *mut Frame,
    /// How far `frame_top` may go without growing the buffer: `frame_base +
    /// min(max_frames, capacity)`.
    pub frame_limit: *mut Frame,
    /// Most callers that may be saved.
    pub max_frames: usize,
    /// What the op that returned [`Stop::Slow`] left to do.
    pub pending: Pending,
    /// The registers, while the slow path runs out of line.
    pub saved: Regs,
    /// One past the last cell of the value stack.
    pub stack_end: *mut Cell,
    /// The current memory's length, as `Regs::mem_len` (both are set by
    /// `semantics::reload_memory`, the only place it changes): the threaded handlers read
    /// it from here, so that it does not take one of their six argument registers (a free
    /// register spares many handlers a callee-saved register's `push`/`pop`).
    pub mem_len: usize,
    /// As `Regs::mem_fast`, for the same reason.
    pub mem_fast: usize,
    /// How a host function failed, carried out of the executor.
    pub host_error: Option<HostFailure>,
    /// Units (calls, loop iterations) left before the next fuel/epoch check; see
    /// [`budget`].
    pub budget: i64,
    /// Why the run stopped, for executors whose handlers return nothing.
    pub stop: Stop,
}

impl Ctx {
    /// Points the frame pointers at `frames`' buffer with `depth` saved callers in it.
    pub(crate) fn frames_at(&mut self, depth: usize) {
        self.frame_base = self.frames.as_mut_ptr();
        // SAFETY: `depth` and the limit are within the buffer's capacity.
        unsafe {
            self.frame_top = self.frame_base.add(depth);
            self.frame_limit = self
                .frame_base
                .add(self.frames.capacity().min(self.max_frames));
        }
    }

    /// The store.
    ///
    /// The result is not tied to `self`, so that the context's other fields stay usable.
    ///
    /// # Safety
    /// No other reference into the store may be live while the result is used.
    #[inline(always)]
    pub unsafe fn store<'a>(&self) -> &'a mut StoreInner {
        // SAFETY: the pointer came from the `&mut StoreInner` the call started with, and
        // executors hold no other reference into the store (memory is reached through
        // `Regs::mem`, which is reloaded after anything that may move it).
        unsafe { &mut *self.store }
    }
}

/// How a host function called from Wasm failed.
pub enum HostFailure {
    /// It returned an error: the call fails with it.
    Error(HostError),
    /// It panicked: the panic resumes in the caller of `invoke`.
    Panic(Box<dyn Any + Send>),
}

/// Generates everything that lists the executors from the table above (see there).
macro_rules! executors {
    (@gen ($d:tt) $(
        #[doc = $doc:literal]
        #[cfg $cfg:tt]
        $Variant:ident = $name:literal in $module:ident :: $Enc:ident, feature $feature:literal
        $(, nightly $uses:literal)? $(, default if $default:tt)?;
    )*) => {
        /// Which executor runs a compiled module.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ExecutorKind {
            $( #[doc = $doc] #[cfg $cfg] $Variant, )*
        }

        /// Expands `$body` once per compiled-in executor, with `$module`
        /// its module and `$enc` its encoding.
        macro_rules! each_executor {
            ($d self_:expr, |$d m:ident, $d enc:ident| $d body:expr) => {
                match $d self_ {
                    $(
                        #[cfg $cfg]
                        ExecutorKind::$Variant => {
                            #[allow(unused_imports, dead_code)]
                            use $module as $d m;
                            #[allow(dead_code)]
                            type $d enc = $module::$Enc;
                            $d body
                        }
                    )*
                }
            };
        }

        $( $(
            #[cfg(all(feature = $feature, not(weft_nightly)))]
            compile_error!(concat!(
                "the `", $name, "` executor needs a nightly toolchain (it uses ", $uses,
                "): build with `cargo +nightly ... --features ", $feature,
                "`, or disable the `", $feature, "` feature"
            ));
        )? )*

        impl ExecutorKind {
            /// Stable name used in configuration names, tests and reports.
            pub fn name(self) -> &'static str {
                match self {
                    $( #[cfg $cfg] ExecutorKind::$Variant => $name, )*
                }
            }

            /// All executor names, compiled in or not, with the cargo feature that enables
            /// each.
            pub const ALL: &'static [(&'static str, &'static str)] = &[ $( ($name, $feature), )* ];

            /// The executors compiled into this build, in `ALL` order.
            pub fn compiled() -> Vec<ExecutorKind> {
                vec![ $( #[cfg $cfg] ExecutorKind::$Variant, )* ]
            }

            /// The executor used when none is asked for: the first compiled in, in `ALL`
            /// order (threaded on 64-bit targets, else trampoline, else loop-switch, else
            /// whatever is compiled in). Under Miri, threaded code is never the default (Miri
            /// does not turn tail calls into jumps).
            pub fn default_kind() -> ExecutorKind {
                cfg_if::cfg_if! {
                    $( if #[cfg(all(all $cfg $(, all $default)?))] {
                        ExecutorKind::$Variant
                    } else )* {
                        compile_error!(concat!(
                            "weft-dispatch needs at least one executor it can build here: features ",
                            executors!(@or $($feature),*),
                            " (threaded is left out on 32-bit targets and below opt-level 2: see \
                             the build warning)"
                        ))
                    }
                }
            }

            /// Whether the executor called `name` needs a nightly toolchain.
            fn nightly_only(name: &str) -> bool {
                match name {
                    $( $name => executors!(@present $($uses)?), )*
                    _ => false,
                }
            }
        }
    };
    // "a, b or c"
    (@or $last:literal) => { $last };
    (@or $a:literal, $last:literal) => { concat!($a, " or ", $last) };
    (@or $a:literal, $($rest:literal),+) => { concat!($a, ", ", executors!(@or $($rest),+)) };
    (@present) => { false };
    (@present $x:literal) => { true };
    // The entry: `$` for the macro it defines.
    ($($table:tt)*) => { executors!(@gen ($) $($table)*); };
}

// The executor table: one line per executor, in default priority order (the default
// executor is the first one compiled in). Everything that lists executors (the enum, the
// `each_executor!` match, `name`, `ALL`, `compiled`, `default_kind`, the refusals and
// `from_name`'s messages) is generated from it by `executors!` above. Each line is
//
//     /// doc line of the variant
//     #[cfg(predicate under which it is compiled in)]
//     Variant = "name" in module::Encoding, feature "cargo-feature"
//         [, nightly "what it uses"] [, default if (predicate)];
//
// `nightly`: refused on a stable compiler with an error naming what it uses (the crate's
// `#![feature]`s are in lib.rs). `default if`: only a default where that also holds.
executors! {
    /// Sibling-call threaded code: handlers jump to each other.
    #[cfg(weft_threaded)]
    Threaded = "threaded" in threaded::Threaded, feature "threaded",
        // Miri does not turn tail calls into jumps.
        default if (not(miri));
    /// Handlers return the next handler to a driver loop.
    #[cfg(feature = "trampoline")]
    Trampoline = "trampoline" in trampoline::Trampoline, feature "trampoline";
    /// `loop { match }` over compact opcodes.
    #[cfg(feature = "loop-switch")]
    LoopSwitch = "loop-switch" in loop_switch::LoopSwitch, feature "loop-switch";
    /// Threaded code with guaranteed tail calls (`become`, nightly).
    #[cfg(all(feature = "become", weft_nightly))]
    Become = "become" in become_::Become, feature "become",
        nightly "`explicit_tail_calls`";
    /// `become` with the `extern "rust-preserve-none"` calling convention (nightly).
    #[cfg(all(feature = "preserve-none", weft_nightly))]
    PreserveNone = "preserve-none" in preserve_none::PreserveNone, feature "preserve-none",
        nightly "`rust_preserve_none_cc` and `explicit_tail_calls`";
}

impl ExecutorKind {
    /// Encodes a translated module for this executor.
    pub fn compile(self, ir: weft_ir::ModuleIr) -> crate::code::CompiledModule {
        each_executor!(self, |m, Enc| crate::code::CompiledModule::new::<Enc>(
            ir, self
        ))
    }

    /// Validates and translates `wasm` eagerly and encodes it for this executor, each
    /// function body as soon as it is translated ([`CompiledModule::translate`]).
    ///
    /// [`CompiledModule::translate`]: crate::code::CompiledModule::translate
    pub fn translate(
        self,
        wasm: &[u8],
        options: weft_ir::IrOptions,
    ) -> Result<crate::code::CompiledModule, weft_ir::TranslateError> {
        each_executor!(
            self,
            |m, Enc| crate::code::CompiledModule::translate::<Enc>(wasm, options, self)
        )
    }

    /// A module whose functions are encoded for this executor on first call (the lazy
    /// compilation modes).
    pub fn compile_lazy(
        self,
        ir: weft_ir::ModuleIr,
        bodies: weft_ir::LazyBodies,
    ) -> crate::code::CompiledModule {
        each_executor!(self, |m, Enc| crate::code::CompiledModule::new_lazy::<Enc>(
            ir, bodies, self
        ))
    }

    /// Runs code compiled for this executor from `regs` until it returns or traps.
    ///
    /// # Safety
    /// `regs` must be an entry frame (see the module docs) of code compiled by
    /// [`ExecutorKind::compile`] for this same executor.
    pub unsafe fn run(self, regs: &mut Regs, ctx: &mut Ctx) -> Stop {
        // SAFETY: forwarded from the caller.
        each_executor!(self, |m, Enc| unsafe { m::run(regs, ctx) })
    }

    /// Looks an executor up by name: `Err` says whether it is unknown or not compiled in.
    pub fn from_name(name: &str) -> Result<ExecutorKind, String> {
        if let Some(k) = Self::compiled().into_iter().find(|k| k.name() == name) {
            return Ok(k);
        }
        if let (Some(why), "threaded") = (option_env!("WEFT_THREADED_UNAVAILABLE"), name) {
            return Err(format!(
                "executor `threaded` is not available in this build: {why}"
            ));
        }
        match Self::ALL.iter().find(|(n, _)| *n == name) {
            Some((n, feature)) => Err(format!(
                "executor `{n}` is not compiled into this build; enable the cargo feature `{feature}`{}",
                if Self::nightly_only(n) { " (needs a nightly toolchain)" } else { "" }
            )),
            None => Err(format!(
                "unknown executor `{name}`; known executors: {}",
                Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            )),
        }
    }
}
