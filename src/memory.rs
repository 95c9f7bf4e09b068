//! Linear memories.

use crate::error::{Error, Result};
use crate::store::{AsContext, AsContextMut};
use weft_dispatch::store::{MemoryEntity, PAGE_SIZE};
use weft_ir::MemoryType;

/// A linear memory in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

impl Memory {
    /// Creates a zeroed memory of type `ty`.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let m = MemoryEntity::new(ty).ok_or_else(|| {
            Error::Resource(format!("memory of {} pages is too large", ty.limits.min))
        })?;
        let inner = store.inner_mut();
        inner.memories.push(m);
        Ok(Memory((inner.memories.len() - 1) as u32))
    }

    /// Its type, with the current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let m = &store.inner().memories[self.0 as usize];
        MemoryType {
            limits: weft_ir::Limits {
                min: m.pages(),
                max: m.ty.limits.max,
            },
        }
    }

    /// Size in 64 KiB pages.
    pub fn size(&self, store: impl AsContext) -> u64 {
        store.inner().memories[self.0 as usize].pages()
    }

    /// The bytes.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> &'a [u8] {
        &store.inner().memories[self.0 as usize].data
    }

    /// The bytes, mutably.
    pub fn data_mut<'a, S: AsContextMut + 'a>(&self, store: &'a mut S) -> &'a mut [u8] {
        &mut store.inner_mut().memories[self.0 as usize].data
    }

    /// The bytes and the store's data together, both mutably (what a host function
    /// needs to hand guest memory to state kept in the store, such as a WASI context).
    pub fn data_and_store_mut<'a, S: AsContextMut + 'a>(
        &self,
        store: &'a mut S,
    ) -> (&'a mut [u8], &'a mut S::Data) {
        let (inner, data) = store.parts();
        let data = data
            .downcast_mut::<S::Data>()
            .expect("a store's data has the store's data type");
        (&mut inner.memories[self.0 as usize].data, data)
    }

    /// Grows by `delta` pages; returns the old size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64> {
        store.inner_mut().memories[self.0 as usize]
            .grow(delta)
            .ok_or_else(|| Error::Resource(format!("cannot grow memory by {delta} pages")))
    }

    /// Copies `buf.len()` bytes from `offset` into `buf`.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<()> {
        let data = &store.inner().memories[self.0 as usize].data;
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end));
        buf.copy_from_slice(src.ok_or_else(|| Error::usage("memory read out of bounds"))?);
        Ok(())
    }

    /// Copies `buf` into memory at `offset`.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, buf: &[u8]) -> Result<()> {
        let data = &mut store.inner_mut().memories[self.0 as usize].data;
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
