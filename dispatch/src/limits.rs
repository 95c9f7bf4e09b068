//! Resource limits: the store's say on memory and table growth and on how many instances,
//! memories and tables it holds (wasmtime's `ResourceLimiter`), and fallible allocation
//! so that running out of memory is a failed `memory.grow` or an instantiation error,
//! never an abort.

use crate::cell::Cell;
use crate::store::{HostError, MemoryEntity, StoreInner, TableEntity, PAGE_SIZE};
use std::any::Any;

/// Default for [`ResourceLimiter::instances`], `tables` and `memories` (wasmtime's).
pub const DEFAULT_COUNT_LIMIT: usize = 10_000;

/// Decides whether a store's memories and tables may grow, and how many instances,
/// memories and tables it may hold. Install one with `Store::limiter`.
pub trait ResourceLimiter {
    /// A memory wants to grow from `current` to `desired` bytes (`maximum` is its type's
    /// maximum, if any). `Ok(false)` makes the growth fail (`memory.grow` returns -1,
    /// instantiation fails for a new memory); `Err` traps the running Wasm with it.
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, HostError>;

    /// A table wants to grow from `current` to `desired` elements; as `memory_growing`.
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, HostError>;

    /// Most instances the store may hold.
    fn instances(&self) -> usize {
        DEFAULT_COUNT_LIMIT
    }

    /// Most tables the store may hold.
    fn tables(&self) -> usize {
        DEFAULT_COUNT_LIMIT
    }

    /// Most memories the store may hold.
    fn memories(&self) -> usize {
        DEFAULT_COUNT_LIMIT
    }
}

/// A ready-made limiter: caps on one memory's bytes, one table's elements, and the
/// entity counts. Build it with [`StoreLimitsBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    memory_size: Option<usize>,
    table_elements: Option<usize>,
    instances: usize,
    tables: usize,
    memories: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_size: None,
            table_elements: None,
            instances: DEFAULT_COUNT_LIMIT,
            tables: DEFAULT_COUNT_LIMIT,
            memories: DEFAULT_COUNT_LIMIT,
        }
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, HostError> {
        Ok(self.memory_size.is_none_or(|cap| desired <= cap))
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, HostError> {
        Ok(self.table_elements.is_none_or(|cap| desired <= cap))
    }

    fn instances(&self) -> usize {
        self.instances
    }

    fn tables(&self) -> usize {
        self.tables
    }

    fn memories(&self) -> usize {
        self.memories
    }
}

/// Builds [`StoreLimits`]; everything unset is unlimited (counts: 10,000).
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    /// A builder with no caps.
    pub fn new() -> Self {
        Self::default()
    }

    /// Most bytes any one memory may have.
    pub fn memory_size(mut self, bytes: usize) -> Self {
        self.0.memory_size = Some(bytes);
        self
    }

    /// Most elements any one table may have.
    pub fn table_elements(mut self, elements: usize) -> Self {
        self.0.table_elements = Some(elements);
        self
    }

    /// Most instances in the store.
    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }

    /// Most tables in the store.
    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }

    /// Most memories in the store.
    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }

    /// The limits.
    pub fn build(self) -> StoreLimits {
        self.0
    }
}

/// Converts a page or element count to `usize`, saturating (a 32-bit host cannot hold
/// more anyway, and the allocation then fails cleanly).
fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl StoreInner {
    fn limiter_of<'a>(
        limiter: &'a mut Option<Box<crate::store::LimiterFn>>,
        data: &'a mut dyn Any,
    ) -> Option<&'a mut dyn ResourceLimiter> {
        limiter.as_mut().map(|f| f(data))
    }

    /// Grows memory `m` by `delta` pages, if its type, the limiter and the allocator
    /// allow: `Ok(Some(old pages))`, `Ok(None)` if refused, `Err` if the limiter failed.
    pub fn grow_memory(
        &mut self,
        data: &mut dyn Any,
        m: usize,
        delta: u64,
    ) -> Result<Option<u64>, HostError> {
        let mem = &self.memories[m];
        let old = mem.pages();
        if delta == 0 {
            return Ok(Some(old));
        }
        let Some(new) = old.checked_add(delta).filter(|&n| n <= mem.max_pages()) else {
            return Ok(None);
        };
        if let Some(lim) = Self::limiter_of(&mut self.limiter, data) {
            let max = mem
                .ty
                .limits
                .max
                .map(|p| to_usize(p).saturating_mul(PAGE_SIZE));
            let (cur, want) = (mem.data.len(), to_usize(new).saturating_mul(PAGE_SIZE));
            if !lim.memory_growing(cur, want, max)? {
                return Ok(None);
            }
        }
        Ok(self.memories[m].grow(delta))
    }

    /// Grows table `t` by `delta` elements set to `init`; as [`grow_memory`](Self::grow_memory).
    pub fn grow_table(
        &mut self,
        data: &mut dyn Any,
        t: usize,
        delta: u64,
        init: Cell,
    ) -> Result<Option<u64>, HostError> {
        let table = &self.tables[t];
        let old = table.elems.len() as u64;
        if delta == 0 {
            return Ok(Some(old));
        }
        let Some(new) = old.checked_add(delta).filter(|&n| n <= table.max_elems()) else {
            return Ok(None);
        };
        if let Some(lim) = Self::limiter_of(&mut self.limiter, data) {
            let max = table.ty.limits.max.map(to_usize);
            if !lim.table_growing(to_usize(old), to_usize(new), max)? {
                return Ok(None);
            }
        }
        Ok(self.tables[t].grow(delta, init))
    }

    /// Whether the limiter lets a new memory of `min_pages` (maximum `max_pages`) exist.
    pub fn may_create_memory(
        &mut self,
        data: &mut dyn Any,
        min_pages: u64,
        max_pages: Option<u64>,
    ) -> Result<bool, HostError> {
        let count = self.memories.len();
        match Self::limiter_of(&mut self.limiter, data) {
            None => Ok(true),
            Some(lim) => {
                if count >= lim.memories() {
                    return Ok(false);
                }
                let bytes = |p: u64| to_usize(p).saturating_mul(PAGE_SIZE);
                lim.memory_growing(0, bytes(min_pages), max_pages.map(bytes))
            }
        }
    }

    /// Whether the limiter lets a new table of `min` elements (maximum `max`) exist.
    pub fn may_create_table(
        &mut self,
        data: &mut dyn Any,
        min: u64,
        max: Option<u64>,
    ) -> Result<bool, HostError> {
        let count = self.tables.len();
        match Self::limiter_of(&mut self.limiter, data) {
            None => Ok(true),
            Some(lim) => {
                if count >= lim.tables() {
                    return Ok(false);
                }
                lim.table_growing(0, to_usize(min), max.map(to_usize))
            }
        }
    }

    /// Whether the limiter lets one more instance exist.
    pub fn may_create_instance(&mut self, data: &mut dyn Any) -> bool {
        let count = self.instances.len();
        Self::limiter_of(&mut self.limiter, data).is_none_or(|lim| count < lim.instances())
    }
}

impl MemoryEntity {
    /// Most pages this memory may reach: its type's maximum, within Wasm's.
    pub fn max_pages(&self) -> u64 {
        self.ty
            .limits
            .max
            .unwrap_or(crate::store::MAX_PAGES)
            .min(crate::store::MAX_PAGES)
    }
}

impl TableEntity {
    /// Most elements this table may reach: its type's maximum, within weft's bound.
    pub fn max_elems(&self) -> u64 {
        self.ty
            .limits
            .max
            .unwrap_or(u64::MAX)
            .min(crate::store::MAX_TABLE_ELEMS)
    }
}
