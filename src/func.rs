//! Functions: dynamic calls with [`Val`]s, typed calls, and host functions from closures.

use crate::error::{Error, Result};
use crate::handle::Stored;
use crate::store::{AsContext, AsContextMut, Caller};
use crate::values::{ExternRef, Val};
use core::marker::PhantomData;
use std::any::Any;
use std::sync::Arc;
use weft_dispatch::cell::Cell;
use weft_dispatch::store::{HostCaller, HostFunc, StoreId};
use weft_ir::{FuncType, ValType};

/// A function in a store: Wasm or host. It records its store: used with another store,
/// every method returns an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) Stored);

/// A type-erased host function not yet placed in a store (what a [`Linker`](crate::Linker)
/// holds).
#[derive(Clone)]
#[doc(hidden)]
pub struct HostDef {
    pub(crate) ty: FuncType,
    pub(crate) func: Arc<HostFunc>,
}

impl Func {
    /// Creates a host function with a dynamic signature.
    ///
    /// ```
    /// use weft::{Engine, Store, Func, FuncType, Val, ValType};
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, ());
    /// let ty = FuncType::new([ValType::I32], [ValType::I32]);
    /// let double = Func::new(&mut store, ty, |_caller, args, results| {
    ///     results[0] = Val::I32(args[0].i32().unwrap() * 2);
    ///     Ok(())
    /// });
    /// let mut out = [Val::I32(0)];
    /// double.call(&mut store, &[Val::I32(21)], &mut out)?;
    /// assert_eq!(out[0], Val::I32(42));
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        let def = host_dynamic(ty, f);
        Func::add(store.inner_mut(), def)
    }

    /// Creates a host function from a closure with Wasm-typed parameters and results; it
    /// may take a [`Caller`] first and may return a `Result`.
    ///
    /// ```
    /// use weft::{Engine, Store, Func};
    /// let engine = Engine::default();
    /// let mut store = Store::new(&engine, 10i32);
    /// let add = Func::wrap(&mut store, |caller: weft::Caller<'_, i32>, x: i32| x + *caller.data());
    /// assert_eq!(add.typed::<i32, i32>(&store)?.call(&mut store, 5)?, 15);
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        Func::add(store.inner_mut(), f.into_host())
    }

    /// Places a host function in `store`.
    pub(crate) fn add(store: &mut weft_dispatch::store::StoreInner, def: HostDef) -> Func {
        let index = store.add_host_func(&def.ty, def.func);
        Func(Stored::new(store.id, index))
    }

    /// Its index in `store`, or an error if it is another store's.
    pub(crate) fn index_in(&self, store: &weft_dispatch::store::StoreInner) -> Result<u32> {
        Ok(self.0.index_in(store, "function")? as u32)
    }

    /// Its signature.
    pub fn ty(&self, store: impl AsContext) -> Result<FuncType> {
        let inner = store.inner();
        Ok(inner.func_type(self.index_in(inner)?).clone())
    }

    /// Calls it with `params`, writing `results`; both must match its signature.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let (inner, data) = store.parts();
        let index = self.index_in(inner)?;
        // Borrowed, not cloned: the signature is looked up again for the results, so that
        // the call allocates nothing (the store's type list only grows).
        let ty_index = inner.funcs[index as usize].ty() as usize;
        let ty = &inner.types[ty_index];
        if params.len() != ty.params.len()
            || params
                .iter()
                .zip(ty.params.iter())
                .any(|(v, t)| v.ty() != *t)
        {
            return Err(Error::usage(format!(
                "wrong arguments: expected {}, got [{}]",
                ty,
                params
                    .iter()
                    .map(|v| v.ty().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
        if results.len() != ty.results.len() {
            return Err(Error::usage(format!(
                "wrong number of results: the function returns {}, room for {} given",
                ty.results.len(),
                results.len()
            )));
        }
        with_cells(params.len(), |args| {
            for (cell, v) in args.iter_mut().zip(params) {
                *cell = v.to_cell(inner.id)?;
            }
            with_cells(results.len(), |out| {
                weft_dispatch::invoke(inner, data, index, args, out)?;
                let ty = &inner.types[ty_index];
                for ((r, &c), &t) in results.iter_mut().zip(out.iter()).zip(ty.results.iter()) {
                    *r = Val::from_cell(c, t, inner.id);
                }
                Ok(())
            })
        })
    }

    /// A statically typed view, after checking the signature.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>> {
        let ty = self.ty(&store)?;
        let want = FuncType::new(Params::types(), Results::types());
        if ty != want {
            return Err(Error::usage(format!("function has type {ty}, not {want}")));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

/// A function with a signature checked once, called without [`Val`] boxing.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> core::fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypedFunc")
            .field("func", &self.func)
            .finish()
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function.
    pub fn call(&self, mut store: impl AsContextMut, params: Params) -> Result<Results> {
        let (inner, data) = store.parts();
        let index = self.func.index_in(inner)?;
        with_cells(Params::COUNT, |args| {
            params.store_cells(args, inner.id)?;
            with_cells(Results::COUNT, |out| {
                weft_dispatch::invoke(inner, data, index, args, out)?;
                Ok(Results::load_cells(out, inner.id))
            })
        })
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

/// A Rust type that stands for one Wasm value type.
pub trait WasmTy: Sized {
    /// The Wasm type.
    fn val_type() -> ValType;
    /// The value as a cell of `store`; an error for a reference to another store's entity.
    #[doc(hidden)]
    fn into_cell(self, store: StoreId) -> Result<Cell>;
    /// A cell of `store` as a value.
    #[doc(hidden)]
    fn from_cell(c: Cell, store: StoreId) -> Self;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, |$v:ident, $s:ident| $to:expr, |$c:ident, $s2:ident| $from:expr;)*) => {$(
        impl WasmTy for $t {
            fn val_type() -> ValType { ValType::$vt }
            #[allow(unused_variables)]
            fn into_cell(self, $s: StoreId) -> Result<Cell> { let $v = self; Ok($to) }
            #[allow(unused_variables)]
            fn from_cell($c: Cell, $s2: StoreId) -> Self { $from }
        }
    )*};
}

wasm_ty! {
    i32 => I32, |v, s| v as u32 as Cell, |c, s| c as u32 as i32;
    u32 => I32, |v, s| v as Cell, |c, s| c as u32;
    i64 => I64, |v, s| v as Cell, |c, s| c as i64;
    u64 => I64, |v, s| v, |c, s| c;
    f32 => F32, |v, s| v.to_bits() as Cell, |c, s| f32::from_bits(c as u32);
    f64 => F64, |v, s| v.to_bits(), |c, s| f64::from_bits(c);
    Option<Func> => FuncRef, |v, s| Val::FuncRef(v).to_cell(s)?, |c, s| Val::from_cell(c, ValType::FuncRef, s).func_ref().flatten();
    Option<ExternRef> => ExternRef, |v, s| Val::ExternRef(v).to_cell(s)?, |c, s| Val::from_cell(c, ValType::ExternRef, s).extern_ref().flatten();
}

/// Parameters of a typed call: a [`WasmTy`], `()`, or a tuple of them.
pub trait WasmParams {
    /// The Wasm types.
    fn types() -> Vec<ValType>;
    /// How many values: the length of [`types`](Self::types), known without allocating.
    #[doc(hidden)]
    const COUNT: usize;
    /// Writes the values into `out`, which holds exactly [`COUNT`](Self::COUNT) cells.
    #[doc(hidden)]
    fn store_cells(self, out: &mut [Cell], store: StoreId) -> Result<()>;
}

/// Results of a typed call: a [`WasmTy`], `()`, or a tuple of them.
pub trait WasmResults: Sized {
    /// The Wasm types.
    fn types() -> Vec<ValType>;
    /// How many values: the length of [`types`](Self::types), known without allocating.
    #[doc(hidden)]
    const COUNT: usize;
    #[doc(hidden)]
    fn load_cells(cells: &[Cell], store: StoreId) -> Self;
}

impl<T: WasmTy> WasmParams for T {
    fn types() -> Vec<ValType> {
        vec![T::val_type()]
    }
    const COUNT: usize = 1;
    fn store_cells(self, out: &mut [Cell], store: StoreId) -> Result<()> {
        out[0] = self.into_cell(store)?;
        Ok(())
    }
}

impl<T: WasmTy> WasmResults for T {
    fn types() -> Vec<ValType> {
        vec![T::val_type()]
    }
    const COUNT: usize = 1;
    fn load_cells(cells: &[Cell], store: StoreId) -> Self {
        T::from_cell(cells[0], store)
    }
}

macro_rules! tuples {
    ($( ($($n:ident $i:tt),*) )*) => {$(
        impl<$($n: WasmTy),*> WasmParams for ($($n,)*) {
            fn types() -> Vec<ValType> { vec![$($n::val_type()),*] }
            const COUNT: usize = <[&str]>::len(&[$(stringify!($n)),*]);
            #[allow(unused_variables)]
            fn store_cells(self, out: &mut [Cell], store: StoreId) -> Result<()> { $( out[$i] = self.$i.into_cell(store)?; )* Ok(()) }
        }
        impl<$($n: WasmTy),*> WasmResults for ($($n,)*) {
            fn types() -> Vec<ValType> { vec![$($n::val_type()),*] }
            const COUNT: usize = <[&str]>::len(&[$(stringify!($n)),*]);
            #[allow(unused_variables)]
            #[allow(clippy::unused_unit)]
            #[allow(unused_variables)]
            fn load_cells(cells: &[Cell], store: StoreId) -> Self { ($( $n::from_cell(cells[$i], store), )*) }
        }
    )*};
}

tuples! {
    ()
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}

/// What a host closure returns: results, or a `Result` of them.
pub trait HostReturn {
    /// The result types.
    type Results: WasmResults + WasmParams;
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Results>;
}

impl<R: WasmResults + WasmParams> HostReturn for R {
    type Results = R;
    fn into_result(self) -> Result<R> {
        Ok(self)
    }
}

impl<R: WasmResults + WasmParams> HostReturn for Result<R> {
    type Results = R;
    fn into_result(self) -> Result<R> {
        self
    }
}

/// A closure usable as a host function (see [`Func::wrap`]). `Params` is a marker that
/// keeps the closure shapes apart.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_host(self) -> HostDef;
}

fn downcast<T: 'static>(data: &mut dyn Any) -> &mut T {
    data.downcast_mut::<T>()
        .expect("host function called with another store's data type")
}

fn finish<R: HostReturn>(
    r: R,
    results: &mut [Cell],
    store: StoreId,
) -> core::result::Result<(), weft_dispatch::store::HostError> {
    // `results` has the host function's declared result count, which is `R::Results`'s.
    r.into_result()
        .and_then(|r| r.store_cells(results, store))
        .map_err(|e| Box::new(e) as weft_dispatch::store::HostError)
}

/// Runs `f` on `len` zeroed cells: on the stack for up to 16 (nearly every signature), so
/// that a call from the host allocates nothing; on the heap beyond.
fn with_cells<R>(len: usize, f: impl FnOnce(&mut [Cell]) -> R) -> R {
    const INLINE: usize = 16;
    if len <= INLINE {
        let mut buf = [0 as Cell; INLINE];
        f(&mut buf[..len])
    } else {
        f(&mut vec![0 as Cell; len])
    }
}

macro_rules! into_func {
    ($( ($($a:ident $i:tt),*) )*) => {$(
        impl<T: 'static, F, R, $($a: WasmTy,)*> IntoFunc<T, (Caller<'static, T>, $($a,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($a),*) -> R + Send + Sync + 'static,
            R: HostReturn,
        {
            fn into_host(self) -> HostDef {
                let ty = FuncType::new(vec![$($a::val_type()),*], <R::Results as WasmResults>::types());
                let func = move |hc: &mut HostCaller<'_>, _args: &[Cell], results: &mut [Cell]| {
                    let store = hc.store.id;
                    let caller = Caller { inner: &mut *hc.store, data: downcast::<T>(hc.data), instance: hc.instance };
                    finish(self(caller, $($a::from_cell(_args[$i], store)),*), results, store)
                };
                HostDef { ty, func: Arc::new(func) }
            }
        }

        impl<T: 'static, F, R, $($a: WasmTy,)*> IntoFunc<T, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: HostReturn,
        {
            fn into_host(self) -> HostDef {
                let ty = FuncType::new(vec![$($a::val_type()),*], <R::Results as WasmResults>::types());
                let func = move |hc: &mut HostCaller<'_>, _args: &[Cell], results: &mut [Cell]| {
                    let store = hc.store.id;
                    finish(self($($a::from_cell(_args[$i], store)),*), results, store)
                };
                HostDef { ty, func: Arc::new(func) }
            }
        }
    )*};
}

into_func! {
    ()
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F2 5)
}

/// Wraps a dynamic host closure.
pub(crate) fn host_dynamic<T: 'static>(
    ty: FuncType,
    f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
) -> HostDef {
    let sig = ty.clone();
    let func = move |hc: &mut HostCaller<'_>, args: &[Cell], results: &mut [Cell]| {
        let store = hc.store.id;
        let params: Vec<Val> = args
            .iter()
            .zip(sig.params.iter())
            .map(|(c, t)| Val::from_cell(*c, *t, store))
            .collect();
        let mut out: Vec<Val> = sig.results.iter().map(|t| Val::default_for(*t)).collect();
        let caller = Caller {
            inner: &mut *hc.store,
            data: downcast::<T>(hc.data),
            instance: hc.instance,
        };
        f(caller, &params, &mut out).map_err(|e| Box::new(e) as weft_dispatch::store::HostError)?;
        for ((slot, v), t) in results.iter_mut().zip(&out).zip(sig.results.iter()) {
            if v.ty() != *t {
                return Err(Box::new(Error::usage(format!(
                    "host function returned {} where {t} was declared",
                    v.ty()
                ))) as _);
            }
            *slot = v
                .to_cell(store)
                .map_err(|e| Box::new(e) as weft_dispatch::store::HostError)?;
        }
        Ok(())
    };
    HostDef {
        ty,
        func: Arc::new(func),
    }
}
