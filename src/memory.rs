//! Linear memories.

use crate::error::{Error, Result};
use crate::handle::Stored;
use crate::store::{AsContext, AsContextMut};
use weft_dispatch::store::{MemoryEntity, StoreInner, PAGE_SIZE};
use weft_ir::MemoryType;

/// A linear memory in a store. It records its store: used with another store, every
/// method returns an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) Stored);

impl Memory {
    /// Creates a zeroed memory of type `ty`.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let m = MemoryEntity::new(ty).ok_or_else(|| {
            Error::Resource(format!("memory of {} pages is too large", ty.limits.min))
        })?;
        let inner = store.inner_mut();
        inner.memories.push(m);
        Ok(Memory(Stored::last(inner, inner.memories.len())))
    }

    /// Its entity in `store`, or an error if it is another store's.
    fn entity<'a>(&self, store: &'a StoreInner) -> Result<&'a MemoryEntity> {
        Ok(&store.memories[self.0.index_in(store, "memory")?])
    }

    /// As `entity`, mutably.
    fn entity_mut<'a>(&self, store: &'a mut StoreInner) -> Result<&'a mut MemoryEntity> {
        let index = self.0.index_in(store, "memory")?;
        Ok(&mut store.memories[index])
    }

    /// Its type, with the current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> Result<MemoryType> {
        let m = self.entity(store.inner())?;
        Ok(MemoryType {
            limits: weft_ir::Limits {
                min: m.pages(),
                max: m.ty.limits.max,
            },
        })
    }

    /// Size in 64 KiB pages.
    pub fn size(&self, store: impl AsContext) -> Result<u64> {
        Ok(self.entity(store.inner())?.pages())
    }

    /// The bytes.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> Result<&'a [u8]> {
        Ok(&self.entity(store.inner())?.data)
    }

    /// The bytes, mutably.
    pub fn data_mut<'a, S: AsContextMut + 'a>(&self, store: &'a mut S) -> Result<&'a mut [u8]> {
        Ok(&mut self.entity_mut(store.inner_mut())?.data)
    }

    /// The bytes and the store's data together, both mutably (what a host function
    /// needs to hand guest memory to state kept in the store, such as a WASI context).
    pub fn data_and_store_mut<'a, S: AsContextMut + 'a>(
        &self,
        store: &'a mut S,
    ) -> Result<(&'a mut [u8], &'a mut S::Data)> {
        let (inner, data) = store.parts();
        let data = data
            .downcast_mut::<S::Data>()
            .expect("a store's data has the store's data type");
        Ok((&mut self.entity_mut(inner)?.data, data))
    }

    /// Grows by `delta` pages, as `memory.grow` would (its type's maximum, the store's
    /// limiter and the allocator may refuse); returns the old size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64> {
        let (inner, data) = store.parts();
        let index = self.0.index_in(inner, "memory")?;
        inner
            .grow_memory(data, index, delta)
            .map_err(Error::Host)?
            .ok_or_else(|| Error::Resource(format!("cannot grow memory by {delta} pages")))
    }

    /// Copies `buf.len()` bytes from `offset` into `buf`.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<()> {
        let data = &self.entity(store.inner())?.data;
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end));
        buf.copy_from_slice(src.ok_or_else(|| Error::usage("memory read out of bounds"))?);
        Ok(())
    }

    /// Copies `buf` into memory at `offset`.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, buf: &[u8]) -> Result<()> {
        let data = &mut self.entity_mut(store.inner_mut())?.data;
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| data.get_mut(offset..end));
        dst.ok_or_else(|| Error::usage("memory write out of bounds"))?
            .copy_from_slice(buf);
        Ok(())
    }

    /// Page size in bytes.
    pub const PAGE_SIZE: usize = PAGE_SIZE;
}
