//! Store identity: what every entity handle records, so that using a handle with another
//! store is an `Error`, never a panic or a silent reach into an unrelated entity.

use crate::error::{Error, Result};
use weft_dispatch::store::{StoreId, StoreInner};

/// An entity's index in the store that created it, with that store's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Stored {
    store: StoreId,
    index: u32,
}

impl Stored {
    /// Entity `index` of `store`.
    pub(crate) fn new(store: StoreId, index: u32) -> Stored {
        Stored { store, index }
    }

    /// The entity added last to a store vector of length `len`.
    pub(crate) fn last(store: &StoreInner, len: usize) -> Stored {
        Stored::new(store.id, (len - 1) as u32)
    }

    /// The index in `store`, or an error naming `what` if the handle is another store's.
    #[inline]
    pub(crate) fn index_in(self, store: &StoreInner, what: &str) -> Result<usize> {
        if self.store == store.id {
            Ok(self.index as usize)
        } else {
            Err(wrong_store(what))
        }
    }

    /// The index, if the handle is `store`'s.
    #[inline]
    pub(crate) fn get(self, store: StoreId) -> Option<u32> {
        (self.store == store).then_some(self.index)
    }

    /// The raw index, for display only.
    pub(crate) fn raw(self) -> u32 {
        self.index
    }
}

#[cold]
pub(crate) fn wrong_store(what: &str) -> Error {
    Error::usage(format!("{what} belongs to another store"))
}
