//! Stores, the contexts that reach into them, and the caller handle host functions get.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::instance::Extern;
use std::any::Any;
use weft_dispatch::store::{ResourceLimiter, StoreInner};

/// Owns every instance, function, memory, table and global created in it, plus the
/// embedder's data `T`. Entities are handles into a store and are only valid with it.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    data: T,
    engine: Engine,
}

impl<T: 'static> Store<T> {
    /// A new store with `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        let mut inner = StoreInner::default();
        inner.limits = engine.config().limits();
        inner.engine_tag = engine.tag();
        let (fuel, epoch) = engine.config().fuel_and_epoch();
        inner.consume_fuel = fuel;
        if epoch {
            inner.epoch = Some(engine.epoch().clone());
        }
        Store {
            inner,
            data,
            engine: engine.clone(),
        }
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Takes the data out, consuming the store.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Sets the fuel left; needs `Config::consume_fuel(true)`.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        if !self.inner.consume_fuel {
            return Err(Error::usage(
                "fuel is not enabled: use Config::consume_fuel(true)",
            ));
        }
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left; needs `Config::consume_fuel(true)`.
    pub fn get_fuel(&self) -> Result<u64> {
        if !self.inner.consume_fuel {
            return Err(Error::usage(
                "fuel is not enabled: use Config::consume_fuel(true)",
            ));
        }
        Ok(self.inner.fuel)
    }

    /// Running Wasm traps once the engine's epoch is `ticks` past its current value
    /// (`Config::epoch_interruption`).
    pub fn set_epoch_deadline(&mut self, ticks: u64) {
        let now = self
            .engine
            .epoch()
            .load(std::sync::atomic::Ordering::Relaxed);
        self.inner.epoch_deadline = now.saturating_add(ticks);
    }

    /// Installs a limiter for memory and table growth and entity counts, found in the
    /// store's data by `f` (wasmtime's shape).
    pub fn limiter(
        &mut self,
        mut f: impl FnMut(&mut T) -> &mut (dyn ResourceLimiter) + Send + Sync + 'static,
    ) {
        self.inner.limiter = Some(Box::new(move |data: &mut dyn Any| {
            // The data behind every store call is this store's `T`.
            let data = data.downcast_mut::<T>().unwrap_or_else(|| unreachable!());
            f(data)
        }));
    }
}

/// Something that gives read access to a store: a [`Store`], a [`Caller`], or a reference
/// to either.
pub trait AsContext {
    /// The store's data type.
    type Data: 'static;
    #[doc(hidden)]
    fn inner(&self) -> &StoreInner;
}

/// Something that gives write access to a store.
pub trait AsContextMut: AsContext {
    #[doc(hidden)]
    fn parts(&mut self) -> (&mut StoreInner, &mut (dyn Any + 'static));
    #[doc(hidden)]
    fn inner_mut(&mut self) -> &mut StoreInner {
        self.parts().0
    }
}

impl<T: 'static> AsContext for Store<T> {
    type Data = T;
    fn inner(&self) -> &StoreInner {
        &self.inner
    }
}

impl<T: 'static> AsContextMut for Store<T> {
    fn parts(&mut self) -> (&mut StoreInner, &mut (dyn Any + 'static)) {
        (&mut self.inner, &mut self.data)
    }
}

impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn inner(&self) -> &StoreInner {
        (**self).inner()
    }
}

impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn inner(&self) -> &StoreInner {
        (**self).inner()
    }
}

impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn parts(&mut self) -> (&mut StoreInner, &mut (dyn Any + 'static)) {
        (**self).parts()
    }
}

/// What a host function gets: the store's data and entities, and the calling instance's
/// exports.
pub struct Caller<'a, T> {
    pub(crate) inner: &'a mut StoreInner,
    pub(crate) data: &'a mut T,
    pub(crate) instance: Option<u32>,
}

impl<T: 'static> Caller<'_, T> {
    /// The store's data.
    pub fn data(&self) -> &T {
        self.data
    }

    /// The store's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.data
    }

    /// An export of the instance that called this host function.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let inst = &self.inner.instances[self.instance? as usize];
        inst.exports
            .get(name)
            .map(|&e| Extern::from_idx(e, self.inner.id))
    }
}

impl<T: 'static> AsContext for Caller<'_, T> {
    type Data = T;
    fn inner(&self) -> &StoreInner {
        self.inner
    }
}

impl<T: 'static> AsContextMut for Caller<'_, T> {
    fn parts(&mut self) -> (&mut StoreInner, &mut (dyn Any + 'static)) {
        (self.inner, self.data)
    }
}

impl<T: 'static> Store<T> {
    /// Executed IR ops by name, summed over every call into this store, most frequent
    /// first (ops never executed are left out). Needs the `stats` feature.
    #[cfg(feature = "stats")]
    pub fn op_counts(&self) -> Vec<(&'static str, u64)> {
        let mut v: Vec<(&'static str, u64)> = weft_ir::Op::NAMES
            .iter()
            .zip(self.inner.op_counts.iter())
            .filter(|(_, &n)| n > 0)
            .map(|(&name, &n)| (name, n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// Executed adjacent op pairs by name, most frequent first: `(first, second)` counts
    /// how often `second` ran right after `first` *and* is the op that follows `first` in
    /// the code (a fall-through or a branch not taken; a taken branch and its target are
    /// not a pair). These are the pairs a fused op could replace. Needs the `stats`
    /// feature.
    #[cfg(feature = "stats")]
    pub fn op_pair_counts(&self) -> Vec<((&'static str, &'static str), u64)> {
        let names = weft_ir::Op::NAMES;
        let n = names.len();
        let mut v: Vec<((&'static str, &'static str), u64)> = self
            .inner
            .op_pairs
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(i, &count)| ((names[i / n], names[i % n]), count))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Of [`Store::op_pair_counts`]'s pairs, those whose second op read an operand
    /// (`a`, `b`, `cond`, `addr`, `src` or `value`) from the slot the first op wrote as
    /// its `dst`, by pair and operand name, most frequent first: the pairs a chained
    /// concatenation (`threaded-pairs`) passes in a register. Needs the `stats` feature.
    #[cfg(feature = "stats")]
    pub fn op_chain_counts(&self) -> Vec<((&'static str, &'static str, &'static str), u64)> {
        let names = weft_ir::Op::NAMES;
        let n = names.len();
        let mut v: Vec<((&'static str, &'static str, &'static str), u64)> = self
            .inner
            .op_chains
            .iter()
            .flat_map(|(&pair, counts)| {
                weft_dispatch::exec::via::NAMES
                    .iter()
                    .zip(counts)
                    .filter(|(_, &count)| count > 0)
                    .map(move |(&field, &count)| ((names[pair / n], names[pair % n], field), count))
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Resets the op and op-pair counters. Needs the `stats` feature.
    #[cfg(feature = "stats")]
    pub fn reset_op_counts(&mut self) {
        self.inner.op_counts.fill(0);
        self.inner.op_pairs.fill(0);
        self.inner.op_chains.clear();
        self.inner.stats_last_dst = None;
        self.inner.stats_next_ip = 0;
    }
}
