//! The runtime entities a store owns: functions, memories, tables, globals, segments and
//! instances, all addressed by index so that growing one vector never invalidates another.

use crate::cell::Cell;
use crate::code::{CompiledModule, Ip};
pub use crate::limits::ResourceLimiter;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use weft_ir::{FuncType, GlobalType, MemoryType, TableType};

/// Wasm page size in bytes.
pub const PAGE_SIZE: usize = 65536;
/// Most pages a 32-bit memory may have.
pub const MAX_PAGES: u64 = 65536;
/// Most elements a table may have (a sanity bound well above any real module's needs).
pub const MAX_TABLE_ELEMS: u64 = 10_000_000;

/// Error a host function reports; it becomes a trap carrying this error.
pub type HostError = Box<dyn std::error::Error + Send + Sync>;

/// What a host function sees of the store while it runs.
pub struct HostCaller<'a> {
    /// The store's entities.
    pub store: &'a mut StoreInner,
    /// The embedder's data (`Store<T>`'s `T`), type-erased.
    pub data: &'a mut dyn Any,
    /// The instance whose code called the host function, if any.
    pub instance: Option<u32>,
}

/// A host function: reads its arguments from `params` cells, writes `results` cells.
pub type HostFunc =
    dyn Fn(&mut HostCaller<'_>, &[Cell], &mut [Cell]) -> Result<(), HostError> + Send + Sync;

/// Everything a call needs to enter a function, resolved when the calling instance is
/// created, so that a direct call is one indexed load rather than a walk from the instance
/// through the store to the module.
#[derive(Debug, Clone, Copy)]
pub struct Callee {
    /// The first op of the function's code; null for a host function.
    pub entry: Ip,
    /// Parameter count.
    pub num_params: u32,
    /// The end of the locals a call zeroes (from `num_params`; `CompiledFunc::zero_end`),
    /// where it also points `sp`. For the stack IR that is every local, and its operand
    /// stack starts there; the register IR zeroes only the locals that may be read before
    /// they are written, and its ops set `sp` themselves where they use it.
    pub zero_end: u32,
    /// Cells the frame needs at most.
    pub frame_size: u32,
    /// The instance the code belongs to.
    pub instance: u32,
    /// Store function index.
    pub func: u32,
    /// Bytes of value stack the frame needs from its start (`frame_size` cells),
    /// saturated at `u32::MAX`, which is also the value for a host function and for one
    /// not compiled yet: the call handlers' one compare against the stack's end then
    /// sends all three to the slow path, which checks each exactly (the field is four
    /// bytes of what was the record's padding). Validation bounds a frame far below the
    /// saturation (locals and operand stack are limited by the body's size).
    pub frame_bytes: u32,
}

// SAFETY: `entry` points into the code buffer of an `Arc<CompiledModule>` (or of one of its
// lazily compiled functions), which is never written after compilation and which the store keeps alive as long as the function
// exists (its `FuncEntity::Wasm` holds the `Arc`); reading it from any thread is as safe
// as sharing that `Arc`.
unsafe impl Send for Callee {}
// SAFETY: as for `Send`: the pointee is immutable.
unsafe impl Sync for Callee {}

impl Callee {
    /// A host function: calls to it take the host path by store index.
    pub fn host(func: u32) -> Callee {
        Callee {
            entry: core::ptr::null(),
            num_params: 0,
            zero_end: 0,
            frame_size: 0,
            instance: u32::MAX,
            func,
            frame_bytes: u32::MAX,
        }
    }

    /// Compiled Wasm code of `instance` (store function `func`) entered at `entry`.
    pub fn wasm(entry: Ip, cf: &crate::code::CompiledFunc, instance: u32, func: u32) -> Callee {
        Callee {
            entry,
            num_params: cf.num_params,
            zero_end: cf.zero_end,
            frame_size: cf.frame_size,
            instance,
            func,
            frame_bytes: u32::try_from(
                u64::from(cf.frame_size) * core::mem::size_of::<Cell>() as u64,
            )
            .unwrap_or(u32::MAX),
        }
    }

    /// The record as an entry of `instance`'s callee table: unchanged for a function of
    /// that instance; for one of another instance, with no stack room ever enough
    /// (`frame_bytes`), so that direct calls to it take the slow path, which switches
    /// instances, and the fast path needs no instance test.
    pub fn seen_from(self, instance: u32) -> Callee {
        if self.instance == instance {
            self
        } else {
            Callee {
                frame_bytes: u32::MAX,
                ..self
            }
        }
    }

    /// Whether this is a host function.
    #[inline(always)]
    pub fn is_host(&self) -> bool {
        self.entry.is_null()
    }

    /// The `frame_size` of a function not compiled yet (lazy compilation modes): no stack
    /// has room for it, so entering one takes the stack-overflow check's cold path,
    /// which compiles it (`enter` in `exec/semantics.rs`) at no cost to other calls.
    pub const NOT_COMPILED: u32 = u32::MAX;

    /// Store function `func`, defined by `instance` with `num_params` parameters, whose
    /// code is not compiled yet.
    pub fn not_compiled(num_params: u32, instance: u32, func: u32) -> Callee {
        Callee {
            // Never run: non-null only so that it is not taken for a host function.
            entry: core::ptr::NonNull::<u8>::dangling().as_ptr(),
            num_params,
            zero_end: num_params,
            frame_size: Callee::NOT_COMPILED,
            instance,
            func,
            frame_bytes: u32::MAX,
        }
    }
}

/// A function in the store.
pub enum FuncEntity {
    /// Wasm code of some instance.
    Wasm {
        /// Canonical signature id.
        ty: u32,
        /// Owning instance.
        instance: u32,
        /// The compiled module holding the code.
        module: Arc<CompiledModule>,
        /// Defined-function index within that module.
        index: u32,
    },
    /// A host function.
    Host {
        /// Canonical signature id.
        ty: u32,
        /// The closure.
        func: Arc<HostFunc>,
    },
}

impl FuncEntity {
    /// Canonical signature id.
    pub fn ty(&self) -> u32 {
        match self {
            FuncEntity::Wasm { ty, .. } | FuncEntity::Host { ty, .. } => *ty,
        }
    }
}

/// A linear memory.
#[derive(Debug)]
pub struct MemoryEntity {
    /// The bytes; its length is always a whole number of pages.
    pub data: Vec<u8>,
    /// Its type (the maximum bounds growth).
    pub ty: MemoryType,
}

impl MemoryEntity {
    /// A zeroed memory of `ty`'s minimum size, or `None` if that is too large or cannot
    /// be allocated.
    pub fn new(ty: MemoryType) -> Option<Self> {
        if ty.limits.min > MAX_PAGES {
            return None;
        }
        let bytes = usize::try_from(ty.limits.min)
            .ok()?
            .checked_mul(PAGE_SIZE)?;
        Some(MemoryEntity {
            data: zeroed(bytes)?,
            ty,
        })
    }

    /// Size in pages.
    pub fn pages(&self) -> u64 {
        (self.data.len() / PAGE_SIZE) as u64
    }

    /// Grows by `delta` pages; returns the old size, or `None` if the limits forbid it.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.ty.limits.max.unwrap_or(MAX_PAGES).min(MAX_PAGES) {
            return None;
        }
        let bytes = usize::try_from(new).ok()?.checked_mul(PAGE_SIZE)?;
        if self
            .data
            .try_reserve_exact(bytes - self.data.len())
            .is_err()
        {
            return None;
        }
        self.data.resize(bytes, 0);
        Some(old)
    }
}

/// A table of references.
#[derive(Debug)]
pub struct TableEntity {
    /// The elements (reference cells).
    pub elems: Vec<Cell>,
    /// Its type.
    pub ty: TableType,
}

/// `len` copies of `value`, or `None` if the allocation fails (instead of aborting).
pub fn zeroed<T: Copy + Default>(len: usize) -> Option<Vec<T>> {
    filled(len, T::default())
}

/// `len` copies of `value`, or `None` if the allocation fails (instead of aborting).
pub fn filled<T: Copy>(len: usize, value: T) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).ok()?;
    v.resize(len, value);
    Some(v)
}

impl TableEntity {
    /// A table of `ty`'s minimum size filled with `init`, or `None` if that is too large
    /// or cannot be allocated.
    pub fn new(ty: TableType, init: Cell) -> Option<Self> {
        if ty.limits.min > MAX_TABLE_ELEMS {
            return None;
        }
        Some(TableEntity {
            elems: filled(usize::try_from(ty.limits.min).ok()?, init)?,
            ty,
        })
    }

    /// Grows by `delta` elements set to `init`; returns the old size or `None`.
    pub fn grow(&mut self, delta: u64, init: Cell) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        if new > self.ty.limits.max.unwrap_or(u64::MAX).min(MAX_TABLE_ELEMS) {
            return None;
        }
        if self.elems.try_reserve_exact(delta as usize).is_err() {
            return None;
        }
        self.elems.resize(new as usize, init);
        Some(old)
    }
}

/// A global variable.
#[derive(Debug, Clone, Copy)]
pub struct GlobalEntity {
    /// Current value.
    pub value: Cell,
    /// Its type.
    pub ty: GlobalType,
}

/// A store index of an entity that can be imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternIdx {
    /// Function.
    Func(u32),
    /// Table.
    Table(u32),
    /// Memory.
    Memory(u32),
    /// Global.
    Global(u32),
}

/// An instantiated module: its index spaces mapped to store indices.
#[derive(Default)]
pub struct InstanceEntity {
    /// Canonical signature id for each type index.
    pub types: Box<[u32]>,
    /// Store function index for each function index.
    pub funcs: Vec<u32>,
    /// The callee behind each function index (one entry per `funcs` entry). Boxed apart
    /// from the instance so that the executors may hold a pointer to it while new
    /// instances are added (moving `StoreInner::instances`, not this slice).
    pub callees: Box<[Callee]>,
    /// Store table index for each table index.
    pub tables: Vec<u32>,
    /// Store memory index for each memory index.
    pub memories: Vec<u32>,
    /// Store global index for each global index.
    pub globals: Vec<u32>,
    /// Data segments; `None` once dropped.
    pub datas: Vec<Option<Arc<[u8]>>>,
    /// Element segments as reference cells; empty once dropped.
    pub elems: Vec<Box<[Cell]>>,
    /// Exports by name.
    pub exports: HashMap<String, ExternIdx>,
    /// Export names in module order.
    pub export_order: Vec<String>,
}

/// Limits on how deep Wasm may recurse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackLimits {
    /// Value-stack size in cells (locals and operands of all frames).
    pub max_cells: usize,
    /// Most nested Wasm calls.
    pub max_frames: usize,
    /// Most nested host -> Wasm re-entries.
    pub max_reentry: usize,
}

impl StackLimits {
    /// Most cells a value stack may have: just under 4 GiB. A call's one fast-path compare
    /// sends host functions, functions not compiled yet and other instances' functions to
    /// the slow path by a frame of `u32::MAX` bytes (`Callee::frame_bytes`), which must
    /// never fit in a stack.
    pub const MAX_CELLS: usize = u32::MAX as usize / core::mem::size_of::<Cell>();
}

// The invariant `MAX_CELLS` is for, checked at compile time.
const _: () = assert!(StackLimits::MAX_CELLS * core::mem::size_of::<Cell>() < u32::MAX as usize);

impl Default for StackLimits {
    fn default() -> Self {
        StackLimits {
            max_cells: 1 << 20,
            max_frames: 64 * 1024,
            max_reentry: 200,
        }
    }
}

/// Everything a store holds except the embedder's data.
pub struct StoreInner {
    /// Functions.
    pub funcs: Vec<FuncEntity>,
    /// Memories.
    pub memories: Vec<MemoryEntity>,
    /// Tables.
    pub tables: Vec<TableEntity>,
    /// Globals.
    pub globals: Vec<GlobalEntity>,
    /// Instances.
    pub instances: Vec<InstanceEntity>,
    /// Host objects behind non-null `externref`s.
    pub externs: Vec<Box<dyn Any + Send + Sync>>,
    /// Canonical signatures, by id.
    pub types: Vec<FuncType>,
    type_ids: HashMap<FuncType, u32>,
    /// Stack limits for calls into this store.
    pub limits: StackLimits,
    /// Current host -> Wasm nesting depth.
    pub reentry: usize,
    /// A value stack kept for the next call, so calls do not allocate.
    pub spare_stack: Option<crate::value_stack::ValueStack>,
    /// The call stack's buffer, kept for the next call like `spare_stack`.
    pub spare_frames: Vec<crate::exec::Frame>,
    /// The instances to restore on returning to the marked frames above the bottom one
    /// of each run (`exec::Frame`), in the same order; a run nested in a host call stacks
    /// its own above the outer run's.
    pub return_insts: Vec<u32>,
    /// Executed ops by opcode, across all calls into this store.
    #[cfg(feature = "stats")]
    pub op_counts: Box<[u64]>,
    /// Executed adjacent op pairs, `op_pairs[first * OpCode::COUNT + second]`: `second`
    /// ran right after `first` and is the op that follows it in the code (see
    /// `exec::ops::count`).
    #[cfg(feature = "stats")]
    pub op_pairs: Box<[u64]>,
    /// The opcode of the last op counted (for `op_pairs`).
    #[cfg(feature = "stats")]
    pub stats_last_op: usize,
    /// The `dst` operand of the last op counted, if it has one (for `op_chains`).
    #[cfg(feature = "stats")]
    pub stats_last_dst: Option<u32>,
    /// Of the pairs of `op_pairs` (same index), how many were chained through each
    /// operand of `exec::ops::via::NAMES`: the second op read it from the first's `dst`.
    #[cfg(feature = "stats")]
    pub op_chains: HashMap<usize, [u64; crate::exec::ops::via::COUNT]>,
    /// The address of the op that follows the last op counted in the code (0: none).
    #[cfg(feature = "stats")]
    pub stats_next_ip: usize,
    /// This store's identity, recorded in every handle to its entities.
    pub id: StoreId,
    /// The executor whose encoding every module instantiated here uses (set by the first).
    pub code_kind: Option<crate::exec::ExecutorKind>,
    /// Identifies the embedder's engine (the embedding API keeps the engine alive as long as
    /// the store, so no other engine can have the same tag meanwhile).
    pub engine_tag: usize,
    /// Whether calls consume [`fuel`](Self::fuel) (see `exec::budget`).
    pub consume_fuel: bool,
    /// Fuel left, when `consume_fuel`.
    pub fuel: u64,
    /// The engine's epoch counter, when epoch interruption is on.
    pub epoch: Option<Arc<AtomicU64>>,
    /// The epoch at which running Wasm traps with `Interrupt`.
    pub epoch_deadline: u64,
    /// Decides on memory and table growth and entity counts; `None` allows everything
    /// within the Wasm limits.
    pub limiter: Option<Box<LimiterFn>>,
}

/// Finds the store's [`ResourceLimiter`] in the embedder's data.
pub type LimiterFn =
    dyn for<'a> FnMut(&'a mut dyn Any) -> &'a mut (dyn ResourceLimiter + 'a) + Send + Sync;

/// Identifies a store: unique for the life of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoreId(core::num::NonZeroU64);

impl StoreId {
    /// A new identity, never handed out before.
    pub fn fresh() -> StoreId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        // 2^64 stores cannot be created in the life of a process, so ids never repeat.
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        StoreId(core::num::NonZeroU64::MIN.saturating_add(n))
    }
}

// Written out because the `stats` feature adds a field whose default is not `Default`'s.
#[allow(clippy::derivable_impls)]
impl Default for StoreInner {
    fn default() -> Self {
        StoreInner {
            funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            externs: Vec::new(),
            types: Vec::new(),
            type_ids: HashMap::new(),
            limits: StackLimits::default(),
            reentry: 0,
            spare_stack: None,
            spare_frames: Vec::new(),
            return_insts: Vec::new(),
            #[cfg(feature = "stats")]
            op_counts: vec![0; crate::code::OpCode::COUNT].into_boxed_slice(),
            #[cfg(feature = "stats")]
            op_pairs: vec![0; crate::code::OpCode::COUNT * crate::code::OpCode::COUNT]
                .into_boxed_slice(),
            #[cfg(feature = "stats")]
            stats_last_op: 0,
            #[cfg(feature = "stats")]
            stats_last_dst: None,
            #[cfg(feature = "stats")]
            op_chains: HashMap::new(),
            #[cfg(feature = "stats")]
            stats_next_ip: 0,
            id: StoreId::fresh(),
            code_kind: None,
            engine_tag: 0,
            consume_fuel: false,
            fuel: 0,
            epoch: None,
            epoch_deadline: 0,
            limiter: None,
        }
    }
}

impl StoreInner {
    /// Whether the engine's epoch has reached this store's deadline.
    #[inline]
    pub fn epoch_deadline_reached(&self) -> bool {
        self.epoch
            .as_ref()
            .is_some_and(|e| e.load(Ordering::Relaxed) >= self.epoch_deadline)
    }

    /// How calls enter store function `f`. Always inlined: call handlers use it, and a
    /// call returning a `Callee` through memory would cost them their tail calls.
    #[inline(always)]
    pub fn callee(&self, f: u32) -> Callee {
        match &self.funcs[f as usize] {
            FuncEntity::Wasm {
                instance,
                module,
                index,
                ..
            } => match module.func(*index) {
                Some((cf, entry)) => Callee::wasm(entry, &cf, *instance, f),
                None => Callee::not_compiled(module.num_params(*index), *instance, f),
            },
            FuncEntity::Host { .. } => Callee::host(f),
        }
    }

    /// The canonical id of `ty`, registering it if new.
    pub fn intern_type(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.type_ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.type_ids.insert(ty.clone(), id);
        id
    }

    /// The signature of store function `f`.
    pub fn func_type(&self, f: u32) -> &FuncType {
        &self.types[self.funcs[f as usize].ty() as usize]
    }

    /// Adds a host function.
    pub fn add_host_func(&mut self, ty: &FuncType, func: Arc<HostFunc>) -> u32 {
        let ty = self.intern_type(ty);
        self.funcs.push(FuncEntity::Host { ty, func });
        (self.funcs.len() - 1) as u32
    }
}
