//! Differential testing: random valid modules from `wasm-smith`, run on every weft
//! configuration compiled in and on wasmi (the reference), must behave the same.
//!
//! Each module is generated from a seed (deterministic: a seed always gives the same
//! module), restricted to the proposals weft claims, with no imports, every item
//! exported, and `ensure_termination` fuel so that every call ends. For every exported
//! function, a fresh instance is created and the function is called with three argument
//! sets (zeros, patterned edge values, seed-derived values). After every call the results
//! (or the trap) and the state of every exported global, memory and table are compared.
//! Instantiation itself (start function, segments) must trap or not alike.
//!
//! Half of the modules (seeds 2 and 3 mod 4) are generated with wasm-smith's
//! `disallow_traps`, so that their calls run long instead of stopping at the first trap.
//!
//! NaNs: half of the modules are generated with `canonicalize_nans` (every float result is
//! canonicalised, so everything is compared bitwise); in the other half NaN payloads are
//! legitimately nondeterministic, so float values compare as "both NaN", and memory
//! bytes are not compared (a NaN payload may have been stored).
//!
//! - `cargo test --test differential`: a bounded run over fixed seeds (with a wall-clock
//!   cap) for CI.
//! - `cargo test --test differential -- --ignored differential_long`: many more;
//!   `WEFT_DIFF_SEEDS` picks seeds (`17`, `100..200`, `1,5,9`; a single number `n` alone
//!   means `n..n+WEFT_DIFF_COUNT`), `WEFT_DIFF_COUNT` how many (default 5000),
//!   `WEFT_DIFF_SECS` an optional wall-clock cap, `WEFT_DIFF_CANON` forces `0`/`1`.
//!
//! On divergence the seed, the configuration, the call, both outcomes and the module's
//! text are printed, and the binary is written to the temp directory as
//! `weft-diff-<seed>.wasm` for reduction. Divergences fail the test; stack exhaustion on
//! one side only is reported but does not. Every other disagreement is put to V8 if
//! `node` is installed (see `mod v8`; `WEFT_DIFF_NODE=` turns that off): if it agrees with
//! weft on the disputed step, that is a wasmi anomaly, reported but not failed. Without
//! V8's word, wasmi raising an arithmetic trap where a `disallow_traps` module cannot,
//! while weft does not, is still reported as a wasmi anomaly, marked unconfirmed (a wasmi
//! 2.0.0 bug, tests/regressions/wasmi_select_*.wat; `scripts/classify-wasmi-anomalies`
//! checks a campaign's anomalies against it).
//!
//! Reducing a divergence: `differential_dump` (ignored) writes the modules of
//! `WEFT_DIFF_SEEDS` as `.wasm` and `.wat` to the temp directory; `differential_check`
//! (ignored) passes iff the module in `WEFT_DIFF_FILE` diverges (optionally only on
//! configurations matching `WEFT_DIFF_CONFIG`, with a message containing
//! `WEFT_DIFF_MATCH`), which makes it a predicate for `wasm-tools shrink`:
//!
//! ```text
//! cat > pred.sh <<'X'
//! #!/bin/sh
//! WEFT_DIFF_FILE="$1" WEFT_DIFF_MATCH="..." timeout 10 \
//!   target/debug/deps/differential-<hash> --ignored --exact differential_check -q
//! X
//! wasm-tools shrink ./pred.sh /tmp/weft-diff-<seed>.wasm -o small.wasm
//! ```
//!
//! then finish by hand, and add the result to tests/regressions/ with the spec's answer.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use weft::{Config, Engine, Extern, Linker, Module, Store, Val, ValType};

/// The bodies of the cargo-fuzz targets (fuzz/), run for a bounded time by
/// `fuzz_targets_bounded` below.
pub(crate) mod fuzz_targets;

/// Seeds of the bounded run.
const CI_SEEDS: std::ops::Range<u64> = 0..300;
/// Wall-clock cap of the bounded run; seeds not reached are reported as skipped.
const CI_WALL_CLOCK: Duration = Duration::from_secs(60);
/// `ensure_termination` fuel per instance (shared by the calls on that instance): loop
/// iterations plus calls, so it also bounds recursion depth far below both engines' limits.
const FUEL: u32 = 1000;
/// Argument sets per exported function.
const ARG_SETS: usize = 3;

// ---------------------------------------------------------------------------------------
// Configurations

/// Every weft configuration compiled in: executors x IRs, with default limits.
fn weft_configs() -> Vec<Config> {
    Config::every_compiled()
}

// ---------------------------------------------------------------------------------------
// Module generation

/// splitmix64: a tiny deterministic generator for the bytes wasm-smith consumes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// wasm-smith configuration: exactly the proposals weft claims, no imports.
fn smith_config(canonicalize_nans: bool, disallow_traps: bool) -> wasm_smith::Config {
    wasm_smith::Config {
        // Proposals weft implements (MVP floats and mutable globals are always on).
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        tail_call_enabled: true,
        extended_const_enabled: true,
        // Proposals it does not.
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        custom_descriptors_enabled: false,
        compact_imports_enabled: false,
        max_memories: 1, // no multi-memory
        max_tables: 4,
        max_tags: 0,
        // Self-contained: no imports, everything exported so that all of it is compared.
        max_imports: 0,
        export_everything: true,
        // Uniformly random input bytes make wasm-smith stop most sections early: ask for
        // a few types and functions.
        min_types: 3,
        min_funcs: 4,
        max_funcs: 24,
        max_instructions: 300,
        // Memories and tables always have a small maximum, so that growth never depends
        // on host resources.
        max_memory32_bytes: 4 * 65536,
        memory_max_size_required: true,
        max_table_elements: 200,
        table_max_size_required: true,
        canonicalize_nans,
        disallow_traps,
        ..wasm_smith::Config::default()
    }
}

/// A generated module and how it was generated.
struct Generated {
    wasm: Vec<u8>,
    /// Every float result is canonicalised: NaN bits compare exactly.
    canonical: bool,
    /// wasm-smith guards every trapping instruction: the only traps left are fuel
    /// (`unreachable`) and stack exhaustion.
    no_traps: bool,
}

/// `len` bytes from `rng` (wasm-smith's input, or a fuzz target's in the bounded runs).
fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// The module of `seed`; `None` if wasm-smith ran out of bytes in a way it reports.
fn generate(seed: u64, canon: Option<bool>) -> Option<Generated> {
    let mut rng = Rng(seed ^ 0x5eed_0000_0000_0000);
    let canonicalize_nans = canon.unwrap_or(seed % 2 == 1);
    // Half of the modules avoid traps (wasm-smith guards loads, divisions, ...), so
    // their calls run longer instead of stopping at the first trap.
    let disallow_traps = seed % 4 >= 2;
    let len = 512 + (rng.next() % (24 * 1024)) as usize;
    // Whole 8-byte words, as the seeds of earlier campaigns were generated.
    let bytes = random_bytes(&mut rng, len.next_multiple_of(8));
    generate_from(
        &mut Unstructured::new(&bytes),
        canonicalize_nans,
        disallow_traps,
    )
}

/// A module from wasm-smith's input `u` (a seed's bytes, or a fuzzer's).
fn generate_from(
    u: &mut Unstructured<'_>,
    canonicalize_nans: bool,
    disallow_traps: bool,
) -> Option<Generated> {
    let mut m = wasm_smith::Module::new(smith_config(canonicalize_nans, disallow_traps), u).ok()?;
    m.ensure_termination(FUEL).ok()?;
    Some(Generated {
        wasm: m.to_bytes(),
        canonical: canonicalize_nans,
        no_traps: disallow_traps,
    })
}

// ---------------------------------------------------------------------------------------
// Engine-neutral values and traces

/// Argument values: numbers and null references (no engine-specific handles).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Arg {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    NullFunc,
    NullExtern,
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Arg::I32(v) => write!(f, "i32:{v}"),
            Arg::I64(v) => write!(f, "i64:{v}"),
            Arg::F32(b) => write!(f, "f32:{:?}({b:#x})", f32::from_bits(b)),
            Arg::F64(b) => write!(f, "f64:{:?}({b:#x})", f64::from_bits(b)),
            Arg::NullFunc => f.write_str("funcref:null"),
            Arg::NullExtern => f.write_str("externref:null"),
        }
    }
}

/// Simple type names shared by both engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    I32,
    I64,
    F32,
    F64,
    FuncRef,
    ExternRef,
    Other,
}

/// The `i`-th argument of type `ty` in argument set `set`.
fn arg(ty: Ty, set: usize, i: usize, seed: u64) -> Arg {
    const I32S: [i32; 8] = [1, -1, i32::MAX, i32::MIN, 0x1_0000, 7, 65535, -65536];
    const I64S: [i64; 8] = [1, -1, i64::MAX, i64::MIN, 1 << 32, 7, 0xffff_ffff, -65536];
    const F32S: [f32; 8] = [
        1.0,
        -0.5,
        f32::NAN,
        f32::INFINITY,
        -0.0,
        1e30,
        2147483648.0,
        -1e-40,
    ];
    const F64S: [f64; 8] = [
        1.0,
        -0.5,
        f64::NAN,
        f64::NEG_INFINITY,
        -0.0,
        1e300,
        9.3e18,
        5e-324,
    ];
    let r = {
        let mut g = Rng(seed
            .wrapping_mul(31)
            .wrapping_add(i as u64 * 977 + set as u64));
        g.next()
    };
    let k = (i + set) % 8;
    match (ty, set) {
        (Ty::FuncRef, _) => Arg::NullFunc,
        (Ty::ExternRef, _) | (Ty::Other, _) => Arg::NullExtern,
        (Ty::I32, 0) => Arg::I32(0),
        (Ty::I64, 0) => Arg::I64(0),
        (Ty::F32, 0) => Arg::F32(0),
        (Ty::F64, 0) => Arg::F64(0),
        (Ty::I32, 1) => Arg::I32(I32S[k]),
        (Ty::I64, 1) => Arg::I64(I64S[k]),
        (Ty::F32, 1) => Arg::F32(F32S[k].to_bits()),
        (Ty::F64, 1) => Arg::F64(F64S[k].to_bits()),
        // Seed-derived: small values half the time (plausible addresses, counts).
        (Ty::I32, _) => Arg::I32(if r & 1 == 0 {
            (r >> 40) as i32 & 0xffff
        } else {
            (r >> 8) as i32
        }),
        (Ty::I64, _) => Arg::I64(if r & 1 == 0 {
            (r >> 40) as i64 & 0xffff
        } else {
            r as i64
        }),
        (Ty::F32, _) => Arg::F32(if r & 1 == 0 {
            ((r >> 40) as u16 as f32).to_bits()
        } else {
            (r >> 8) as u32
        }),
        (Ty::F64, _) => Arg::F64(if r & 1 == 0 {
            ((r >> 40) as u16 as f64).to_bits()
        } else {
            r
        }),
    }
}

/// A value observed from an engine. References compare by nullness only.
#[derive(Debug, Clone, Copy)]
enum Obs {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    FuncRef { null: bool },
    ExternRef { null: bool },
    Other,
}

impl Obs {
    fn same(&self, other: &Obs, nan_loose: bool) -> bool {
        match (*self, *other) {
            (Obs::I32(a), Obs::I32(b)) => a == b,
            (Obs::I64(a), Obs::I64(b)) => a == b,
            (Obs::F32(a), Obs::F32(b)) => {
                a == b || (nan_loose && f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
            }
            (Obs::F64(a), Obs::F64(b)) => {
                a == b || (nan_loose && f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
            }
            (Obs::FuncRef { null: a }, Obs::FuncRef { null: b }) => a == b,
            (Obs::ExternRef { null: a }, Obs::ExternRef { null: b }) => a == b,
            (Obs::Other, Obs::Other) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Obs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Obs::I32(v) => write!(f, "i32:{v}"),
            Obs::I64(v) => write!(f, "i64:{v}"),
            Obs::F32(b) => write!(f, "f32:{:?}({b:#x})", f32::from_bits(b)),
            Obs::F64(b) => write!(f, "f64:{:?}({b:#x})", f64::from_bits(b)),
            Obs::FuncRef { null } => {
                f.write_str(if null { "funcref:null" } else { "funcref:<fn>" })
            }
            Obs::ExternRef { null } => f.write_str(if null {
                "externref:null"
            } else {
                "externref:<ref>"
            }),
            Obs::Other => f.write_str("<other>"),
        }
    }
}

/// Why something failed, normalised across engines.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fail {
    /// A trap, by its spec message (with wasmi's and weft's synonyms merged).
    Trap(&'static str),
    /// Value-stack or call-stack exhaustion: a resource limit, not a semantic result.
    Exhaustion,
    /// Anything else (a host or usage error: a harness or engine bug).
    Other(String),
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Trap(m) => write!(f, "trap `{m}`"),
            Fail::Exhaustion => f.write_str("stack exhausted"),
            Fail::Other(m) => write!(f, "error: {m}"),
        }
    }
}

/// State visible through exports after a step.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    globals: Vec<(String, Obs)>,
    /// Name, bytes.
    memories: Vec<(String, Vec<u8>)>,
    /// Name, elements (nullness).
    tables: Vec<(String, Vec<Obs>)>,
}

#[derive(Debug, Clone)]
struct Call {
    args: Vec<Arg>,
    result: Result<Vec<Obs>, Fail>,
    after: Snapshot,
}

#[derive(Debug, Clone)]
struct FuncTrace {
    name: String,
    ty: String,
    calls: Vec<Call>,
}

/// Everything one engine did with one module.
#[derive(Debug, Clone)]
enum Trace {
    /// The module did not compile (or validate).
    Rejected(String),
    /// Instantiation failed.
    InstantiateFailed(Fail),
    Ran {
        init: Snapshot,
        funcs: Vec<FuncTrace>,
    },
    /// The engine panicked (a bug whatever the module does).
    Panicked(String),
}

/// Runs `f`, turning a panic into [`Trace::Panicked`].
fn catch(f: impl FnOnce() -> Trace) -> Trace {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "<non-string panic>".to_string());
        Trace::Panicked(msg)
    })
}

// ---------------------------------------------------------------------------------------
// weft

fn weft_ty(t: ValType) -> Ty {
    match t {
        ValType::I32 => Ty::I32,
        ValType::I64 => Ty::I64,
        ValType::F32 => Ty::F32,
        ValType::F64 => Ty::F64,
        ValType::FuncRef => Ty::FuncRef,
        ValType::ExternRef => Ty::ExternRef,
        #[allow(unreachable_patterns)]
        _ => Ty::Other,
    }
}

fn weft_obs(v: &Val) -> Obs {
    match *v {
        Val::I32(x) => Obs::I32(x),
        Val::I64(x) => Obs::I64(x),
        Val::F32(b) => Obs::F32(b),
        Val::F64(b) => Obs::F64(b),
        Val::FuncRef(f) => Obs::FuncRef { null: f.is_none() },
        Val::ExternRef(e) => Obs::ExternRef { null: e.is_none() },
        #[allow(unreachable_patterns)]
        _ => Obs::Other,
    }
}

fn weft_arg(a: Arg) -> Val {
    match a {
        Arg::I32(v) => Val::I32(v),
        Arg::I64(v) => Val::I64(v),
        Arg::F32(b) => Val::F32(b),
        Arg::F64(b) => Val::F64(b),
        Arg::NullFunc => Val::FuncRef(None),
        Arg::NullExtern => Val::ExternRef(None),
    }
}

fn weft_fail(e: weft::Error) -> Fail {
    use weft::TrapCode as T;
    match e.trap_code() {
        Some(T::StackOverflow) => Fail::Exhaustion,
        Some(T::Unreachable) => Fail::Trap("unreachable"),
        Some(T::MemoryOutOfBounds) => Fail::Trap("out of bounds memory access"),
        // wasmi reports `call_indirect` past the table's end as a table access.
        Some(T::TableOutOfBounds) | Some(T::UndefinedElement) => {
            Fail::Trap("out of bounds table access")
        }
        Some(T::UninitializedElement) => Fail::Trap("uninitialized element"),
        Some(T::IndirectCallTypeMismatch) => Fail::Trap("indirect call type mismatch"),
        Some(T::IntegerOverflow) => Fail::Trap("integer overflow"),
        Some(T::IntegerDivisionByZero) => Fail::Trap("integer divide by zero"),
        Some(T::BadConversionToInteger) => Fail::Trap("invalid conversion to integer"),
        Some(other) => Fail::Other(format!("trap {other:?}")),
        None => Fail::Other(e.to_string()),
    }
}

fn weft_snapshot(store: &Store<()>, exports: &[(String, Extern)]) -> Snapshot {
    let mut s = Snapshot::default();
    // By name: the engines list exports in different orders.
    let mut exports: Vec<_> = exports.iter().collect();
    exports.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, ext) in exports {
        match *ext {
            Extern::Global(g) => s
                .globals
                .push((name.clone(), weft_obs(&g.get(store).expect("own store")))),
            Extern::Memory(m) => s
                .memories
                .push((name.clone(), m.data(store).expect("own store").to_vec())),
            Extern::Table(t) => {
                let elems = (0..t.size(store).expect("own store"))
                    .map(|i| t.get(store, i).map_or(Obs::Other, |v| weft_obs(&v)))
                    .collect();
                s.tables.push((name.clone(), elems));
            }
            Extern::Func(_) => {}
        }
    }
    s
}

fn run_weft(config: &Config, wasm: &[u8], seed: u64) -> Trace {
    let engine = Engine::new(config);
    let module = match Module::from_binary(&engine, wasm) {
        Ok(m) => m,
        Err(e) => return Trace::Rejected(e.to_string()),
    };
    let linker = Linker::new(&engine);
    let instantiate = |store: &mut Store<()>| linker.instantiate(&mut *store, &module);

    let mut store = Store::new(&engine, ());
    let instance = match instantiate(&mut store) {
        Ok(i) => i,
        Err(e) => return Trace::InstantiateFailed(weft_fail(e)),
    };
    let exports = instance.exports(&store).expect("own store");
    let init = weft_snapshot(&store, &exports);

    let mut funcs = Vec::new();
    for (name, ext) in &exports {
        let Extern::Func(_) = ext else { continue };
        // A fresh instance per function, so each starts with full fuel and initial state.
        let mut store = Store::new(&engine, ());
        let instance = match instantiate(&mut store) {
            Ok(i) => i,
            Err(e) => return Trace::InstantiateFailed(weft_fail(e)),
        };
        let exports = instance.exports(&store).expect("own store");
        let func = instance.get_func(&store, name).expect("exported function");
        let ty = func.ty(&store).expect("own store");
        let params: Vec<Ty> = ty.params.iter().map(|&t| weft_ty(t)).collect();
        let mut calls = Vec::new();
        for set in 0..ARG_SETS {
            let args: Vec<Arg> = params
                .iter()
                .enumerate()
                .map(|(i, &t)| arg(t, set, i, seed))
                .collect();
            let vals: Vec<Val> = args.iter().map(|&a| weft_arg(a)).collect();
            let mut out: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
            let result = match func.call(&mut store, &vals, &mut out) {
                Ok(()) => Ok(out.iter().map(weft_obs).collect()),
                Err(e) => Err(weft_fail(e)),
            };
            let after = weft_snapshot(&store, &exports);
            calls.push(Call {
                args,
                result,
                after,
            });
        }
        funcs.push(FuncTrace {
            name: name.clone(),
            ty: format!(
                "{:?} -> {:?}",
                params,
                ty.results.iter().map(|&t| weft_ty(t)).collect::<Vec<_>>()
            ),
            calls,
        });
    }
    funcs.sort_by(|a, b| a.name.cmp(&b.name));
    Trace::Ran { init, funcs }
}

// ---------------------------------------------------------------------------------------
// wasmi (reference)

fn wasmi_ty(t: wasmi::ValType) -> Ty {
    match t {
        wasmi::ValType::I32 => Ty::I32,
        wasmi::ValType::I64 => Ty::I64,
        wasmi::ValType::F32 => Ty::F32,
        wasmi::ValType::F64 => Ty::F64,
        wasmi::ValType::FuncRef => Ty::FuncRef,
        wasmi::ValType::ExternRef => Ty::ExternRef,
        _ => Ty::Other,
    }
}

fn wasmi_obs(v: &wasmi::Val) -> Obs {
    match v {
        wasmi::Val::I32(x) => Obs::I32(*x),
        wasmi::Val::I64(x) => Obs::I64(*x),
        wasmi::Val::F32(x) => Obs::F32(x.to_bits()),
        wasmi::Val::F64(x) => Obs::F64(x.to_bits()),
        wasmi::Val::FuncRef(f) => Obs::FuncRef { null: f.is_null() },
        wasmi::Val::ExternRef(e) => Obs::ExternRef { null: e.is_null() },
        _ => Obs::Other,
    }
}

fn wasmi_ref_obs(r: &wasmi::Ref) -> Obs {
    match r {
        wasmi::Ref::Func(f) => Obs::FuncRef { null: f.is_null() },
        wasmi::Ref::Extern(e) => Obs::ExternRef { null: e.is_null() },
    }
}

fn wasmi_arg(a: Arg) -> wasmi::Val {
    match a {
        Arg::I32(v) => wasmi::Val::I32(v),
        Arg::I64(v) => wasmi::Val::I64(v),
        Arg::F32(b) => wasmi::Val::F32(wasmi::F32::from_bits(b)),
        Arg::F64(b) => wasmi::Val::F64(wasmi::F64::from_bits(b)),
        Arg::NullFunc => wasmi::Val::FuncRef(wasmi::Nullable::Null),
        Arg::NullExtern => wasmi::Val::ExternRef(wasmi::Nullable::Null),
    }
}

fn wasmi_fail(e: wasmi::Error) -> Fail {
    use wasmi::TrapCode as T;
    match e.as_trap_code() {
        Some(T::StackOverflow) => Fail::Exhaustion,
        Some(T::UnreachableCodeReached) => Fail::Trap("unreachable"),
        Some(T::MemoryOutOfBounds) => Fail::Trap("out of bounds memory access"),
        Some(T::TableOutOfBounds) => Fail::Trap("out of bounds table access"),
        Some(T::IndirectCallToNull) => Fail::Trap("uninitialized element"),
        Some(T::BadSignature) => Fail::Trap("indirect call type mismatch"),
        Some(T::IntegerOverflow) => Fail::Trap("integer overflow"),
        Some(T::IntegerDivisionByZero) => Fail::Trap("integer divide by zero"),
        Some(T::BadConversionToInteger) => Fail::Trap("invalid conversion to integer"),
        Some(other) => Fail::Other(format!("trap {other:?}")),
        // Out-of-bounds segments at instantiation are table/memory errors in wasmi, not
        // trap codes; the spec calls them traps.
        None => {
            let m = e.to_string();
            if m.starts_with("out of bounds table access") {
                Fail::Trap("out of bounds table access")
            } else if m.starts_with("out of bounds memory access") {
                Fail::Trap("out of bounds memory access")
            } else {
                Fail::Other(m)
            }
        }
    }
}

fn wasmi_snapshot(store: &wasmi::Store<()>, exports: &[(String, wasmi::Extern)]) -> Snapshot {
    let mut s = Snapshot::default();
    // By name: the engines list exports in different orders.
    let mut exports: Vec<_> = exports.iter().collect();
    exports.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, ext) in exports {
        match ext {
            wasmi::Extern::Global(g) => s.globals.push((name.clone(), wasmi_obs(&g.get(store)))),
            wasmi::Extern::Memory(m) => s.memories.push((name.clone(), m.data(store).to_vec())),
            wasmi::Extern::Table(t) => {
                let elems = (0..t.size(store))
                    .map(|i| t.get(store, i).map_or(Obs::Other, |r| wasmi_ref_obs(&r)))
                    .collect();
                s.tables.push((name.clone(), elems));
            }
            wasmi::Extern::Func(_) => {}
        }
    }
    s
}

fn wasmi_engine() -> wasmi::Engine {
    let mut c = wasmi::Config::default();
    // Far above what FUEL allows, so that only weft's limits could ever be hit.
    c.set_max_recursion_depth(100_000);
    c.set_max_stack_height(64 << 20);
    wasmi::Engine::new(&c)
}

fn run_wasmi(engine: &wasmi::Engine, wasm: &[u8], seed: u64) -> Trace {
    let module = match wasmi::Module::new(engine, wasm) {
        Ok(m) => m,
        Err(e) => return Trace::Rejected(e.to_string()),
    };
    let linker = wasmi::Linker::<()>::new(engine);
    let exports_of = |store: &wasmi::Store<()>, inst: &wasmi::Instance| {
        inst.exports(store)
            .map(|e| (e.name().to_string(), e.into_extern()))
            .collect::<Vec<_>>()
    };

    let mut store = wasmi::Store::new(engine, ());
    let instance = match linker.instantiate_and_start(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Trace::InstantiateFailed(wasmi_fail(e)),
    };
    let exports = exports_of(&store, &instance);
    let init = wasmi_snapshot(&store, &exports);

    let mut funcs = Vec::new();
    for (name, ext) in &exports {
        let wasmi::Extern::Func(_) = ext else {
            continue;
        };
        let mut store = wasmi::Store::new(engine, ());
        let instance = match linker.instantiate_and_start(&mut store, &module) {
            Ok(i) => i,
            Err(e) => return Trace::InstantiateFailed(wasmi_fail(e)),
        };
        let exports = exports_of(&store, &instance);
        let func = instance.get_func(&store, name).expect("exported function");
        let ty = func.ty(&store);
        let params: Vec<Ty> = ty.params().iter().map(|&t| wasmi_ty(t)).collect();
        let mut calls = Vec::new();
        for set in 0..ARG_SETS {
            let args: Vec<Arg> = params
                .iter()
                .enumerate()
                .map(|(i, &t)| arg(t, set, i, seed))
                .collect();
            let vals: Vec<wasmi::Val> = args.iter().map(|&a| wasmi_arg(a)).collect();
            let mut out: Vec<wasmi::Val> = ty
                .results()
                .iter()
                .map(|&t| wasmi::Val::default_for_ty(t))
                .collect();
            let result = match func.call(&mut store, &vals, &mut out) {
                Ok(()) => Ok(out.iter().map(wasmi_obs).collect()),
                Err(e) => Err(wasmi_fail(e)),
            };
            let after = wasmi_snapshot(&store, &exports);
            calls.push(Call {
                args,
                result,
                after,
            });
        }
        funcs.push(FuncTrace {
            name: name.clone(),
            ty: format!(
                "{:?} -> {:?}",
                params,
                ty.results()
                    .iter()
                    .map(|&t| wasmi_ty(t))
                    .collect::<Vec<_>>()
            ),
            calls,
        });
    }
    funcs.sort_by(|a, b| a.name.cmp(&b.name));
    Trace::Ran { init, funcs }
}

// ---------------------------------------------------------------------------------------
// Comparison

/// How a weft trace differs from wasmi's.
#[derive(Debug)]
enum Diff {
    /// A semantic divergence: a bug in weft (or, rarely, in wasmi).
    Hard(String),
    /// Stack exhaustion on one side only: a resource difference, reported but not failed.
    Exhaustion(String),
    /// A wasmi bug, reported but not failed: V8 (see [`v8`]) agrees with weft, or, without
    /// V8's word, wasmi raised an arithmetic trap where the module cannot (wasm-smith's
    /// `disallow_traps` guards every division and conversion) and weft did not. wasmi
    /// 2.0.0 has such a bug (tests/regressions/wasmi_select_*.wat). The rest of that
    /// function's calls are not compared.
    Reference(String),
}

/// Whether a trap is an arithmetic one, which wasm-smith's `disallow_traps` always guards
/// against (it replaces a zero divisor, clamps conversions, ...).
fn arithmetic_trap(f: &Fail) -> bool {
    matches!(
        f,
        Fail::Trap("integer divide by zero" | "integer overflow" | "invalid conversion to integer")
    )
}

/// In a `disallow_traps` module, wasmi's outcome `r` is impossible (an arithmetic trap)
/// while weft's `w` is not: a reference anomaly rather than a weft bug.
fn reference_anomaly<T>(no_traps: bool, w: &Result<T, Fail>, r: &Result<T, Fail>) -> bool {
    no_traps
        && r.as_ref().err().is_some_and(arithmetic_trap)
        && !w.as_ref().err().is_some_and(arithmetic_trap)
}

fn cmp_snapshots(what: &str, w: &Snapshot, r: &Snapshot, nan_loose: bool) -> Option<String> {
    for ((name, a), (_, b)) in w.globals.iter().zip(&r.globals) {
        if !a.same(b, nan_loose) {
            return Some(format!("{what}: global {name:?} is {a}, wasmi has {b}"));
        }
    }
    if w.globals.len() != r.globals.len() {
        return Some(format!("{what}: global count differs"));
    }
    for ((name, a), (_, b)) in w.memories.iter().zip(&r.memories) {
        if a.len() != b.len() {
            return Some(format!(
                "{what}: memory {name:?} has {} bytes, wasmi has {}",
                a.len(),
                b.len()
            ));
        }
        // NaN payloads may legitimately differ in stored bytes without canonicalisation.
        if !nan_loose && a != b {
            if let Some(i) = a.iter().zip(b.iter()).position(|(x, y)| x != y) {
                return Some(format!(
                    "{what}: memory {name:?} differs at byte {i}: {:#04x}, wasmi has {:#04x}",
                    a[i], b[i]
                ));
            }
        }
    }
    for ((name, a), (_, b)) in w.tables.iter().zip(&r.tables) {
        if a.len() != b.len() {
            return Some(format!(
                "{what}: table {name:?} has {} elements, wasmi has {}",
                a.len(),
                b.len()
            ));
        }
        if let Some(i) = a.iter().zip(b.iter()).position(|(x, y)| !x.same(y, true)) {
            return Some(format!(
                "{what}: table {name:?} element {i} is {}, wasmi has {}",
                a[i], b[i]
            ));
        }
    }
    None
}

fn fmt_result(r: &Result<Vec<Obs>, Fail>) -> String {
    match r {
        Ok(v) => format!(
            "[{}]",
            v.iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(f) => f.to_string(),
    }
}

/// Where weft and wasmi first disagree, for asking a third engine.
#[derive(Debug, Clone, Copy)]
enum At {
    /// Instantiation's outcome or the state right after it.
    Instantiation,
    /// Call `call` of exported function `func` (an index into `Trace::Ran::funcs`).
    Call { func: usize, call: usize },
}

/// Appended to a wasmi anomaly that only the `disallow_traps` rule (wasmi raised an
/// arithmetic trap the module cannot raise) vouches for: V8 was asked first, as for every
/// disagreement, and could not confirm weft (not installed, or it disagreed).
const UNCONFIRMED: &str = " (disallow_traps rule; V8 did not confirm)";

/// The first difference between weft's trace `w` and wasmi's `r`; `no_traps` says the
/// module was generated with `disallow_traps`. `third` is asked whether a third engine
/// agrees with weft where the two differ (see [`v8`]); if it does, the difference is a
/// wasmi anomaly, and comparison goes on with the next function.
fn compare(
    w: &Trace,
    r: &Trace,
    nan_loose: bool,
    no_traps: bool,
    third: &mut dyn FnMut(At) -> bool,
) -> Option<Diff> {
    let hard = |s: String| Some(Diff::Hard(s));
    let v8_agrees = |s: String| Some(Diff::Reference(format!("{s} (V8 agrees with weft)")));
    match (w, r) {
        (Trace::Panicked(m), _) => hard(format!("weft panicked: {m}")),
        (_, Trace::Rejected(_) | Trace::Panicked(_)) => None, // caller skips these
        (Trace::Rejected(e), _) => hard(format!("weft rejected the module: {e}")),
        (Trace::InstantiateFailed(a), Trace::InstantiateFailed(b)) => {
            let msg = format!("instantiation: weft {a}, wasmi {b}");
            if a == b || *a == Fail::Exhaustion || *b == Fail::Exhaustion {
                None
            } else if third(At::Instantiation) {
                v8_agrees(msg)
            } else if reference_anomaly::<()>(no_traps, &Err(a.clone()), &Err(b.clone())) {
                Some(Diff::Reference(format!("{msg}{UNCONFIRMED}")))
            } else {
                hard(msg)
            }
        }
        (Trace::InstantiateFailed(a), Trace::Ran { .. }) => {
            let msg = format!("instantiation: weft {a}, wasmi succeeded");
            if third(At::Instantiation) {
                v8_agrees(msg)
            } else {
                hard(msg)
            }
        }
        (Trace::Ran { .. }, Trace::InstantiateFailed(b)) => {
            let msg = format!("instantiation: weft succeeded, wasmi {b}");
            if third(At::Instantiation) {
                v8_agrees(msg)
            } else if reference_anomaly::<()>(no_traps, &Ok(()), &Err(b.clone())) {
                Some(Diff::Reference(format!("{msg}{UNCONFIRMED}")))
            } else {
                hard(msg)
            }
        }
        (
            Trace::Ran {
                init: wi,
                funcs: wf,
            },
            Trace::Ran {
                init: ri,
                funcs: rf,
            },
        ) => {
            if let Some(d) = cmp_snapshots("after instantiation", wi, ri, nan_loose) {
                return if third(At::Instantiation) {
                    v8_agrees(d)
                } else {
                    hard(d)
                };
            }
            if wf.len() != rf.len() {
                return hard(format!(
                    "{} exported functions, wasmi {}",
                    wf.len(),
                    rf.len()
                ));
            }
            let mut reference = None;
            for (f, (a, b)) in wf.iter().zip(rf).enumerate() {
                if a.name != b.name || a.ty != b.ty {
                    return hard(format!(
                        "export `{}` {} vs wasmi `{}` {}",
                        a.name, a.ty, b.name, b.ty
                    ));
                }
                for (i, (ca, cb)) in a.calls.iter().zip(&b.calls).enumerate() {
                    let args = ca.args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
                    let what = format!("call #{i} {:?}({})", a.name, args.join(", "));
                    let same = match (&ca.result, &cb.result) {
                        (Ok(x), Ok(y)) => {
                            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.same(q, nan_loose))
                        }
                        (Err(x), Err(y)) => x == y,
                        _ => false,
                    };
                    if !same {
                        let msg = format!(
                            "{what}: weft {}, wasmi {}",
                            fmt_result(&ca.result),
                            fmt_result(&cb.result)
                        );
                        // Exhaustion on one side only is a resource difference; what
                        // follows on this instance is not comparable any more.
                        if matches!(ca.result, Err(Fail::Exhaustion))
                            || matches!(cb.result, Err(Fail::Exhaustion))
                        {
                            return Some(Diff::Exhaustion(msg));
                        }
                        if third(At::Call { func: f, call: i }) {
                            reference.get_or_insert(format!("{msg} (V8 agrees with weft)"));
                            break;
                        }
                        if reference_anomaly(no_traps, &ca.result, &cb.result) {
                            reference.get_or_insert(format!("{msg}{UNCONFIRMED}"));
                            break;
                        }
                        return hard(msg);
                    }
                    if let Some(d) = cmp_snapshots(&what, &ca.after, &cb.after, nan_loose) {
                        if third(At::Call { func: f, call: i }) {
                            reference.get_or_insert(format!("{d} (V8 agrees with weft)"));
                            break;
                        }
                        return hard(d);
                    }
                }
            }
            reference.map(Diff::Reference)
        }
    }
}

/// A third opinion where weft and wasmi disagree: V8, through `node` if it is installed
/// (`WEFT_DIFF_NODE` names another binary; `WEFT_DIFF_NODE=` disables it). wasmi 2.0.0
/// has miscompilations that wasm-smith modules hit now and then; when V8 agrees with weft
/// on the disputed step, the divergence is reported as a wasmi anomaly instead of failing.
/// V8 never turns a divergence into a pass when it is unavailable, cannot load the module,
/// or disagrees with weft.
mod v8 {
    use super::{Arg, At, Call, Fail, Obs, Snapshot, Trace};
    use std::process::Command;
    use std::sync::OnceLock;

    /// The node binary and whether it takes the extended-const flag, if usable.
    fn node() -> Option<&'static (String, bool)> {
        static NODE: OnceLock<Option<(String, bool)>> = OnceLock::new();
        NODE.get_or_init(|| {
            let bin = std::env::var("WEFT_DIFF_NODE").unwrap_or_else(|_| "node".into());
            if bin.is_empty() {
                return None;
            }
            let works = |flag: bool| {
                let mut c = Command::new(&bin);
                if flag {
                    c.arg("--experimental-wasm-extended-const");
                }
                c.args(["-e", "0"])
                    .output()
                    .is_ok_and(|o| o.status.success())
            };
            if works(true) {
                Some((bin, true))
            } else if works(false) {
                Some((bin, false))
            } else {
                None
            }
        })
        .as_ref()
    }

    /// The driver: instantiates the module, optionally calls one export with argument
    /// lists, and prints one line per step: `inst ok|trap <msg>|error <msg>`, then per call
    /// `call ok <v>...|call trap <msg>|call error <msg>`, then `global <i> <v>`,
    /// `memory <i> <bytes> <fnv1a>` and `table <i> <len> <0/1 per null/non-null element>`
    /// for the exports asked for. Values print as i32/i64 decimal, floats as their bits in
    /// decimal, references as `null`/`ref`.
    const DRIVER: &str = r#"
const fs = require('fs');
const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const dv = new DataView(new ArrayBuffer(8));
const name = (bytes) => Buffer.from(bytes).toString('utf8');
const kind = (e) => (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) ? 'trap' : 'error';
function arg([t, v]) {
  if (t === 'i32') return Number(v);
  if (t === 'i64') return BigInt(v);
  if (t === 'f32') { dv.setUint32(0, Number(v)); return dv.getFloat32(0); }
  if (t === 'f64') { dv.setBigUint64(0, BigInt(v)); return dv.getFloat64(0); }
  return null;
}
function show(t, v) {
  if (t === 'i32') return String(v | 0);
  if (t === 'i64') return BigInt.asIntN(64, v).toString();
  if (t === 'f32') { dv.setFloat32(0, v); return String(dv.getUint32(0)); }
  if (t === 'f64') { dv.setFloat64(0, v); return dv.getBigUint64(0).toString(); }
  return v === null ? 'null' : 'ref';
}
(async () => {
  let inst;
  try {
    inst = (await WebAssembly.instantiate(fs.readFileSync(spec.wasm), {})).instance;
  } catch (e) {
    console.log(`inst ${kind(e)} ${e.message}`);
    return;
  }
  console.log('inst ok');
  if (spec.func !== null) {
    const f = inst.exports[name(spec.func)];
    for (const c of spec.calls) {
      try {
        let v = f(...c.map(arg));
        if (spec.results.length === 1) v = [v];
        if (spec.results.length === 0) v = [];
        console.log(['call ok', ...v.map((x, i) => show(spec.results[i], x))].join(' '));
      } catch (e) {
        console.log(`call ${kind(e)} ${e.message}`);
      }
    }
  }
  spec.globals.forEach(([n, t], i) => console.log(`global ${i} ${show(t, inst.exports[name(n)].value)}`));
  spec.memories.forEach((n, i) => {
    const bytes = new Uint8Array(inst.exports[name(n)].buffer);
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    console.log(`memory ${i} ${bytes.length} ${h}`);
  });
  spec.tables.forEach((n, i) => {
    const t = inst.exports[name(n)];
    let s = '';
    for (let j = 0; j < t.length; j++) s += t.get(j) === null ? '0' : '1';
    console.log(`table ${i} ${t.length} ${s || '-'}`);
  });
})();
"#;

    fn ty(o: &Obs) -> &'static str {
        match o {
            Obs::I32(_) => "i32",
            Obs::I64(_) => "i64",
            Obs::F32(_) => "f32",
            Obs::F64(_) => "f64",
            Obs::FuncRef { .. } | Obs::ExternRef { .. } | Obs::Other => "ref",
        }
    }

    /// Whether V8's printed value `v` is weft's `o` (NaNs loosely if `nan_loose`).
    fn same(o: &Obs, v: &str, nan_loose: bool) -> bool {
        match *o {
            Obs::I32(x) => v.parse::<i32>() == Ok(x),
            Obs::I64(x) => v.parse::<i64>() == Ok(x),
            Obs::F32(b) => v.parse::<u32>().is_ok_and(|g| {
                g == b || (nan_loose && f32::from_bits(g).is_nan() && f32::from_bits(b).is_nan())
            }),
            Obs::F64(b) => v.parse::<u64>().is_ok_and(|g| {
                g == b || (nan_loose && f64::from_bits(g).is_nan() && f64::from_bits(b).is_nan())
            }),
            Obs::FuncRef { null } | Obs::ExternRef { null } => (v == "null") == null,
            Obs::Other => false,
        }
    }

    /// V8's trap message as the spec words it, where the meaning is unambiguous.
    fn trap_kind(msg: &str) -> Option<&'static str> {
        let m = msg.to_ascii_lowercase();
        if m.contains("unreachable") {
            Some("unreachable")
        } else if m.contains("divide by zero") || m.contains("remainder by zero") {
            Some("integer divide by zero")
        } else if m.contains("memory access out of bounds") {
            Some("out of bounds memory access")
        } else if m.contains("divide result unrepresentable") {
            Some("integer overflow")
        } else if m.contains("maximum call stack") {
            Some("exhaustion")
        } else {
            // Conversions ("float unrepresentable" is both NaN and overflow), tables, ...
            None
        }
    }

    /// Whether V8's outcome (`ok <v>...` / `trap <msg>`) is weft's.
    fn same_outcome(w: &Result<Vec<Obs>, Fail>, line: &str, nan_loose: bool) -> bool {
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        match (w, kind) {
            (Ok(vals), "ok") => {
                let got: Vec<&str> = rest.split_whitespace().collect();
                got.len() == vals.len() && vals.iter().zip(got).all(|(o, v)| same(o, v, nan_loose))
            }
            (Err(f), "trap") => match (f, trap_kind(rest)) {
                (Fail::Trap(m), Some(k)) => *m == k,
                (Fail::Exhaustion, Some(k)) => k == "exhaustion",
                _ => false,
            },
            _ => false,
        }
    }

    fn json_str(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// A name as a JSON array of its UTF-8 bytes (names may hold anything).
    fn json_name(n: &str) -> String {
        let bytes: Vec<String> = n.bytes().map(|b| b.to_string()).collect();
        format!("[{}]", bytes.join(","))
    }

    fn fnv1a(bytes: &[u8]) -> u32 {
        bytes.iter().fold(0x811c_9dc5, |h: u32, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }

    fn json_arg(a: &Arg) -> String {
        match *a {
            Arg::I32(v) => format!("[\"i32\",\"{v}\"]"),
            Arg::I64(v) => format!("[\"i64\",\"{v}\"]"),
            Arg::F32(b) => format!("[\"f32\",\"{b}\"]"),
            Arg::F64(b) => format!("[\"f64\",\"{b}\"]"),
            Arg::NullFunc | Arg::NullExtern => "[\"ref\",\"0\"]".into(),
        }
    }

    /// Whether V8 agrees with weft's trace `w` of `wasm` at `at`.
    pub(super) fn agrees_with(wasm: &[u8], w: &Trace, at: At, nan_loose: bool) -> bool {
        let Some((bin, flag)) = node() else {
            return false;
        };
        // What weft observed at `at`: the instantiation outcome or the call (with the calls
        // before it on the same instance), and the globals after it.
        type Observed<'a> = (
            Option<&'a str>,
            &'a [Call],
            Option<&'a Call>,
            Option<&'a Snapshot>,
        );
        let (func, calls, step, after): Observed<'_> = match (w, at) {
            (Trace::InstantiateFailed(_), At::Instantiation) => (None, &[], None, None),
            (Trace::Ran { init, .. }, At::Instantiation) => (None, &[], None, Some(init)),
            (Trace::Ran { funcs, .. }, At::Call { func, call }) => {
                let f = &funcs[func];
                let c = &f.calls[call];
                (
                    Some(f.name.as_str()),
                    &f.calls[..=call],
                    Some(c),
                    Some(&c.after),
                )
            }
            _ => return false,
        };
        let globals: Vec<&(String, Obs)> = after.map_or(Vec::new(), |s| s.globals.iter().collect());
        let results: Vec<String> = match step.map(|c| &c.result) {
            Some(Ok(v)) => v.iter().map(|o| json_str(ty(o))).collect(),
            // A trap: the result types do not matter.
            _ => Vec::new(),
        };
        let args: Vec<String> = calls
            .iter()
            .map(|c| {
                format!(
                    "[{}]",
                    c.args.iter().map(json_arg).collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        let id = format!("{}-{:?}", std::process::id(), std::thread::current().id())
            .replace(|c: char| !c.is_ascii_alphanumeric(), "");
        let dir = std::env::temp_dir();
        let wasm_path = dir.join(format!("weft-v8-{id}.wasm"));
        let spec_path = dir.join(format!("weft-v8-{id}.json"));
        let driver_path = dir.join(format!("weft-v8-{id}.js"));
        let names = |v: &mut dyn Iterator<Item = &String>| {
            v.map(|n| json_name(n)).collect::<Vec<_>>().join(",")
        };
        let (memories, tables) = after.map_or((String::new(), String::new()), |s| {
            (
                names(&mut s.memories.iter().map(|(n, _)| n)),
                names(&mut s.tables.iter().map(|(n, _)| n)),
            )
        });
        let spec = format!(
            "{{\"wasm\":{},\"func\":{},\"calls\":[{}],\"results\":[{}],\"globals\":[{}],\
             \"memories\":[{memories}],\"tables\":[{tables}]}}",
            json_str(&wasm_path.to_string_lossy()),
            func.map_or("null".to_string(), json_name),
            args.join(","),
            results.join(","),
            globals
                .iter()
                .map(|(n, o)| format!("[{},{}]", json_name(n), json_str(ty(o))))
                .collect::<Vec<_>>()
                .join(",")
        );
        if std::fs::write(&wasm_path, wasm).is_err()
            || std::fs::write(&spec_path, spec).is_err()
            || std::fs::write(&driver_path, DRIVER).is_err()
        {
            return false;
        }
        let mut cmd = Command::new(bin);
        if *flag {
            cmd.arg("--experimental-wasm-extended-const");
        }
        let out = cmd.arg(&driver_path).arg(&spec_path).output();
        for p in [&wasm_path, &spec_path, &driver_path] {
            let _ = std::fs::remove_file(p);
        }
        let Ok(out) = out else { return false };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let Some(inst) = lines.next().and_then(|l| l.strip_prefix("inst ")) else {
            return false;
        };
        // The instantiation's outcome.
        let (kind, msg) = inst.split_once(' ').unwrap_or((inst, ""));
        match (w, kind) {
            (Trace::InstantiateFailed(f), "trap") => {
                return match (f, trap_kind(msg)) {
                    (Fail::Trap(m), Some(k)) => *m == k,
                    // Segment traps: V8 words them its own way.
                    (Fail::Trap(m), None) => {
                        m.starts_with("out of bounds") && msg.contains("out of bounds")
                    }
                    (Fail::Exhaustion, Some(k)) => k == "exhaustion",
                    _ => false,
                };
            }
            (Trace::Ran { .. }, "ok") => {}
            _ => return false,
        }
        // The disputed call (the last one run), then the globals after it.
        if let Some(step) = step {
            let Some(last) = lines.by_ref().take(calls.len()).last() else {
                return false;
            };
            let Some(line) = last.strip_prefix("call ") else {
                return false;
            };
            if !same_outcome(&step.result, line, nan_loose) {
                return false;
            }
        }
        let rest: Vec<&str> = lines.collect();
        let with = |prefix: &str| -> Vec<Vec<&str>> {
            rest.iter()
                .filter_map(|l| l.strip_prefix(prefix))
                .map(|l| l.split(' ').collect())
                .collect()
        };
        let (got_globals, got_memories, got_tables) =
            (with("global "), with("memory "), with("table "));
        let globals_agree = got_globals.len() == globals.len()
            && globals
                .iter()
                .zip(&got_globals)
                .all(|((_, o), g)| g.len() == 2 && same(o, g[1], nan_loose));
        let Some(after) = after else {
            return globals_agree;
        };
        // Memory bytes may hold NaN payloads, which may differ without canonicalisation.
        let memories_agree = got_memories.len() == after.memories.len()
            && after
                .memories
                .iter()
                .zip(&got_memories)
                .all(|((_, bytes), g)| {
                    g.len() == 3
                        && g[1] == bytes.len().to_string()
                        && (nan_loose || g[2] == fnv1a(bytes).to_string())
                });
        let tables_agree = got_tables.len() == after.tables.len()
            && after.tables.iter().zip(&got_tables).all(|((_, elems), g)| {
                let nulls: String = elems
                    .iter()
                    .map(|e| match e {
                        Obs::FuncRef { null: true } | Obs::ExternRef { null: true } => '0',
                        _ => '1',
                    })
                    .collect();
                g.len() == 3
                    && g[1] == elems.len().to_string()
                    && g[2]
                        == if nulls.is_empty() {
                            "-"
                        } else {
                            nulls.as_str()
                        }
            });
        globals_agree && memories_agree && tables_agree
    }
}

// ---------------------------------------------------------------------------------------
// Driver

#[derive(Default)]
struct Tally {
    modules: usize,
    /// Seeds not compared, and why: wasm-smith made no module, or wasmi rejected it or
    /// panicked on it (each is printed, so a skip can be looked at).
    skipped: Vec<(u64, String)>,
    instantiate_traps: usize,
    functions: usize,
    calls: usize,
    traps: usize,
    /// wasmi's outcomes of calls: `returned` or the trap.
    outcomes: std::collections::BTreeMap<String, usize>,
    hard: Vec<(u64, String)>,
    exhaustion: Vec<(u64, String)>,
    reference: Vec<(u64, String)>,
}

/// Outcome of one seed.
struct SeedResult {
    seed: u64,
    /// Why the seed was not compared, if it was not.
    skipped: Option<String>,
    instantiate_trap: bool,
    functions: usize,
    calls: usize,
    traps: usize,
    outcomes: Vec<String>,
    hard: Vec<String>,
    exhaustion: Vec<String>,
    reference: Vec<String>,
}

fn run_seed(
    seed: u64,
    canon: Option<bool>,
    configs: &[Config],
    reference: &wasmi::Engine,
) -> SeedResult {
    match generate(seed, canon) {
        Some(generated) => run_generated(seed, &generated, configs, reference),
        None => SeedResult::skipped(seed, "wasm-smith made no module from its bytes".into()),
    }
}

impl SeedResult {
    fn skipped(seed: u64, why: String) -> Self {
        SeedResult {
            seed,
            skipped: Some(why),
            instantiate_trap: false,
            functions: 0,
            calls: 0,
            traps: 0,
            outcomes: Vec::new(),
            hard: Vec::new(),
            exhaustion: Vec::new(),
            reference: Vec::new(),
        }
    }
}

/// Compares a generated module on `configs` against wasmi; `seed` derives the arguments
/// and names the module file written on any difference.
fn run_generated(
    seed: u64,
    generated: &Generated,
    configs: &[Config],
    reference: &wasmi::Engine,
) -> SeedResult {
    let mut res = SeedResult::skipped(seed, String::new());
    let Generated {
        ref wasm,
        canonical,
        no_traps,
    } = *generated;
    let wasm = wasm.as_slice();
    let r = catch(|| run_wasmi(reference, wasm, seed));
    match &r {
        Trace::Rejected(e) => {
            res.skipped = Some(format!("wasmi rejected it: {e}"));
            return res;
        }
        Trace::Panicked(m) => {
            // Nothing to compare with, but weft must still not panic on the module.
            for config in configs {
                if let Trace::Panicked(w) = catch(|| run_weft(config, wasm, seed)) {
                    res.hard
                        .push(format!("{}: weft panicked: {w}", config.name()));
                }
            }
            res.skipped = Some(format!("wasmi panicked: {m}"));
            return res;
        }
        Trace::InstantiateFailed(_) => res.instantiate_trap = true,
        Trace::Ran { funcs, .. } => {
            res.functions = funcs.len();
            for f in funcs {
                res.calls += f.calls.len();
                res.traps += f.calls.iter().filter(|c| c.result.is_err()).count();
                for c in &f.calls {
                    res.outcomes.push(match &c.result {
                        Ok(_) => "returned".to_string(),
                        Err(e) => e.to_string(),
                    });
                }
            }
        }
    }
    res.skipped = None;
    let nan_loose = !canonical;
    // V8's verdicts on this module, by the disputed step and weft's trace: usually every
    // configuration has the same trace, and asking node again would cost a process each.
    let mut verdicts = std::collections::HashMap::new();
    for config in configs {
        let w = catch(|| run_weft(config, wasm, seed));
        let diff = compare(&w, &r, nan_loose, no_traps, &mut |at| {
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut h = DefaultHasher::new();
            format!("{w:?}").hash(&mut h);
            let key = (format!("{at:?}"), h.finish());
            *verdicts
                .entry(key)
                .or_insert_with(|| v8::agrees_with(wasm, &w, at, nan_loose))
        });
        let Some(diff) = diff else { continue };
        let (kind, msg) = match &diff {
            Diff::Hard(m) => ("DIVERGENCE", m),
            Diff::Exhaustion(m) => ("stack exhaustion differs", m),
            Diff::Reference(m) => ("wasmi anomaly", m),
        };
        let path = std::env::temp_dir().join(format!("weft-diff-{seed}.wasm"));
        let _ = std::fs::write(&path, wasm);
        let text = wasmprinter::print_bytes(wasm).unwrap_or_else(|e| format!("<unprintable: {e}>"));
        let report = format!(
            "{kind}: seed {seed} (canonicalize_nans={canonical}, disallow_traps={no_traps}) \
             on {}: {msg}\n  module: {}\n",
            config.name(),
            path.display()
        );
        match diff {
            Diff::Hard(_) => {
                // The whole module once per seed, to keep the log readable.
                if res.hard.is_empty() {
                    eprintln!("{report}--- module (seed {seed}) ---\n{text}\n--- end ---");
                } else {
                    eprintln!("{report}");
                }
                res.hard.push(report);
            }
            Diff::Exhaustion(_) => {
                eprintln!("{report}");
                res.exhaustion.push(report);
            }
            Diff::Reference(_) => {
                // The same wasmi bug on every configuration: print the first only.
                if res.reference.is_empty() {
                    eprintln!("{report}");
                }
                res.reference.push(report);
            }
        }
    }
    res
}

/// Runs `seeds` over all configurations, in parallel, stopping after `cap`.
fn run_seeds(
    seeds: &[u64],
    canon: Option<bool>,
    cap: Option<Duration>,
) -> (Tally, usize, Duration) {
    let start = Instant::now();
    let configs = weft_configs();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let reference = wasmi_engine();
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if cap.is_some_and(|c| start.elapsed() > c) {
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&seed) = seeds.get(i) else { break };
                    let r = run_seed(seed, canon, &configs, &reference);
                    results.lock().unwrap().push(r);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.seed);
    let mut t = Tally::default();
    let done = results.len();
    for r in results {
        if let Some(why) = r.skipped {
            t.skipped.push((r.seed, why));
            t.hard.extend(r.hard.into_iter().map(|m| (r.seed, m)));
            continue;
        }
        t.modules += 1;
        t.instantiate_traps += usize::from(r.instantiate_trap);
        t.functions += r.functions;
        t.calls += r.calls;
        t.traps += r.traps;
        for o in r.outcomes {
            *t.outcomes.entry(o).or_default() += 1;
        }
        t.hard.extend(r.hard.into_iter().map(|m| (r.seed, m)));
        t.exhaustion
            .extend(r.exhaustion.into_iter().map(|m| (r.seed, m)));
        t.reference
            .extend(r.reference.into_iter().map(|m| (r.seed, m)));
    }
    (t, done, start.elapsed())
}

fn report(label: &str, seeds: usize, t: &Tally, done: usize, elapsed: Duration) {
    let configs: Vec<String> = weft_configs().iter().map(|c| c.name()).collect();
    eprintln!(
        "differential {label}: {} modules compared on [{}] vs wasmi ({} skipped, {} not reached of {seeds}); \
         {} instantiation traps; {} exported functions, {} calls ({} trapped); \
         {} divergences, {} exhaustion-only differences, {} wasmi anomalies; {:.1}s",
        t.modules,
        configs.join(", "),
        t.skipped.len(),
        seeds - done,
        t.instantiate_traps,
        t.functions,
        t.calls,
        t.traps,
        t.hard.len(),
        t.exhaustion.len(),
        t.reference.len(),
        elapsed.as_secs_f64()
    );
    eprintln!("  wasmi call outcomes: {:?}", t.outcomes);
    for (seed, why) in &t.skipped {
        eprintln!(
            "  skipped seed {seed}: {}",
            why.lines().next().unwrap_or("")
        );
    }
    for (seed, m) in &t.hard {
        eprintln!("  seed {seed}: {}", m.lines().next().unwrap_or(""));
    }
}

#[test]
fn differential() {
    let seeds: Vec<u64> = CI_SEEDS.collect();
    let (t, done, elapsed) = run_seeds(&seeds, None, Some(CI_WALL_CLOCK));
    report("bounded", seeds.len(), &t, done, elapsed);
    assert!(t.modules > 0, "no module was compared");
    assert!(
        t.hard.is_empty(),
        "{} divergence(s) between weft and wasmi; seeds: {:?}",
        t.hard.len(),
        t.hard.iter().map(|(s, _)| *s).collect::<Vec<_>>()
    );
}

/// Wall-clock budget of each fuzz target in `fuzz_targets_bounded`.
const FUZZ_TARGET_BUDGET: Duration = Duration::from_secs(4);

/// A valid module with a few bytes overwritten, inserted or cut off: inputs for the
/// `parse` target that get past the header, unlike uniformly random bytes.
fn corrupted_module(rng: &mut Rng) -> Vec<u8> {
    let len = 64 + (rng.next() % 4096) as usize;
    let bytes = random_bytes(rng, len);
    let mut wasm =
        wasm_smith::Module::new(smith_config(false, false), &mut Unstructured::new(&bytes))
            .map(|m| m.to_bytes())
            .unwrap_or_default();
    for _ in 0..rng.next() % 4 {
        if wasm.is_empty() {
            break;
        }
        let at = (rng.next() % wasm.len() as u64) as usize;
        let byte = rng.next() as u8;
        match rng.next() % 4 {
            0 => wasm.truncate(at),
            1 => wasm.insert(at, byte),
            _ => wasm[at] = byte,
        }
    }
    wasm
}

/// Every fuzz target's body (tests/fuzz_targets/mod.rs) on seeded pseudo-random inputs
/// for [`FUZZ_TARGET_BUDGET`] each: how CI runs the targets without nightly and libFuzzer.
/// A panic fails the test after writing the input to the temp directory.
#[test]
fn fuzz_targets_bounded() {
    type Target = fn(&[u8]) -> bool;
    let targets: [(&str, Target); 3] = [
        ("parse", fuzz_targets::parse),
        ("exec", fuzz_targets::exec),
        ("differential", fuzz_targets::differential),
    ];
    for (k, (name, target)) in targets.into_iter().enumerate() {
        let mut rng = Rng(0xf0ce_5eed ^ k as u64);
        let start = Instant::now();
        let (mut inputs, mut reached) = (0usize, 0usize);
        while start.elapsed() < FUZZ_TARGET_BUDGET {
            let input = if name == "parse" {
                corrupted_module(&mut rng)
            } else {
                let len = 256 + (rng.next() % 8192) as usize;
                random_bytes(&mut rng, len)
            };
            inputs += 1;
            match std::panic::catch_unwind(|| target(&input)) {
                Ok(r) => reached += usize::from(r),
                Err(p) => {
                    let path = std::env::temp_dir().join(format!("weft-fuzz-{name}-input"));
                    let _ = std::fs::write(&path, &input);
                    std::panic::resume_unwind(Box::new(format!(
                        "fuzz target `{name}` panicked on input #{inputs} (written to {}; \
                         replay: cargo +nightly fuzz run {name} {0}): {:?}",
                        path.display(),
                        p.downcast_ref::<String>()
                            .map(String::as_str)
                            .or_else(|| p.downcast_ref::<&str>().copied())
                    )));
                }
            }
        }
        eprintln!(
            "fuzz target {name}: {inputs} inputs, {reached} reached the engine, {:.1}s",
            start.elapsed().as_secs_f64()
        );
        assert!(
            reached > 0,
            "fuzz target `{name}`: no input reached the engine"
        );
    }
}

/// Parses `WEFT_DIFF_SEEDS`: `a..b`, `a,b,c`, or `a` (then `a..a+count`).
fn env_seeds() -> Vec<u64> {
    let count: u64 = std::env::var("WEFT_DIFF_COUNT")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(5000);
    let spec = std::env::var("WEFT_DIFF_SEEDS").unwrap_or_else(|_| "1000000".to_string());
    let mut out = Vec::new();
    let parts: Vec<&str> = spec
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for part in &parts {
        if let Some((a, b)) = part.split_once("..") {
            let a: u64 = a.parse().expect("WEFT_DIFF_SEEDS: bad range start");
            let b: u64 = b.parse().expect("WEFT_DIFF_SEEDS: bad range end");
            out.extend(a..b);
        } else {
            let a: u64 = part.parse().expect("WEFT_DIFF_SEEDS: bad seed");
            if parts.len() == 1 {
                out.extend(a..a + count);
            } else {
                out.push(a);
            }
        }
    }
    out
}

#[test]
#[ignore = "long: many seeds; set WEFT_DIFF_SEEDS / WEFT_DIFF_COUNT"]
fn differential_long() {
    let seeds = env_seeds();
    let cap = std::env::var("WEFT_DIFF_SECS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .map(Duration::from_secs);
    let canon = std::env::var("WEFT_DIFF_CANON")
        .ok()
        .map(|s| s.trim() == "1");
    let (t, done, elapsed) = run_seeds(&seeds, canon, cap);
    report("long", seeds.len(), &t, done, elapsed);
    assert!(
        t.hard.is_empty(),
        "{} divergence(s) between weft and wasmi; seeds: {:?}",
        t.hard.len(),
        t.hard.iter().map(|(s, _)| *s).collect::<Vec<_>>()
    );
}

/// Writes the modules of `WEFT_DIFF_SEEDS` to the temp directory as `weft-diff-<seed>.wasm`
/// and `.wat`, for reducing a divergence by hand.
#[test]
#[ignore = "a tool: dumps the modules of WEFT_DIFF_SEEDS"]
fn differential_dump() {
    let canon = std::env::var("WEFT_DIFF_CANON")
        .ok()
        .map(|s| s.trim() == "1");
    for seed in env_seeds() {
        let Some(Generated {
            wasm,
            canonical,
            no_traps,
        }) = generate(seed, canon)
        else {
            eprintln!("seed {seed}: wasm-smith produced no module");
            continue;
        };
        let dir = std::env::temp_dir();
        let text = wasmprinter::print_bytes(&wasm).expect("printable");
        std::fs::write(dir.join(format!("weft-diff-{seed}.wasm")), &wasm).unwrap();
        std::fs::write(dir.join(format!("weft-diff-{seed}.wat")), &text).unwrap();
        eprintln!(
            "seed {seed} (canonicalize_nans={canonical}, disallow_traps={no_traps}): \
             {} bytes, {} lines -> {}",
            wasm.len(),
            text.lines().count(),
            dir.join(format!("weft-diff-{seed}.wat")).display()
        );
    }
}

/// A predicate for reducing a divergence (e.g. with `wasm-tools shrink`): runs the module
/// in `WEFT_DIFF_FILE` (binary or text) like a generated one (argument seed
/// `WEFT_DIFF_ARG_SEED`, default 0) and passes only if some configuration (whose name
/// contains `WEFT_DIFF_CONFIG`, if set) diverges from wasmi with a message containing
/// `WEFT_DIFF_MATCH` (if set). NaNs compare loosely unless `WEFT_DIFF_CANON=1`.
#[test]
#[ignore = "a tool: a reduction predicate over WEFT_DIFF_FILE"]
fn differential_check() {
    let path = std::env::var("WEFT_DIFF_FILE").expect("WEFT_DIFF_FILE");
    let bytes = std::fs::read(&path).expect("readable WEFT_DIFF_FILE");
    let wasm = wat::parse_bytes(&bytes).expect("a module").into_owned();
    let seed: u64 = std::env::var("WEFT_DIFF_ARG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let filter = std::env::var("WEFT_DIFF_CONFIG").ok();
    let pattern = std::env::var("WEFT_DIFF_MATCH").ok();
    // NaN-loose (and memory unchecked) unless WEFT_DIFF_CANON=1 says NaNs are canonical.
    let nan_loose = std::env::var("WEFT_DIFF_CANON").map_or(true, |s| s.trim() != "1");
    let reference = wasmi_engine();
    let r = catch(|| run_wasmi(&reference, &wasm, seed));
    assert!(
        !matches!(r, Trace::Rejected(_) | Trace::Panicked(_)),
        "wasmi cannot run it: {r:?}"
    );
    let mut found = Vec::new();
    for config in weft_configs() {
        if filter
            .as_deref()
            .is_some_and(|f| !config.name().contains(f))
        {
            continue;
        }
        let w = catch(|| run_weft(&config, &wasm, seed));
        if let Some(Diff::Hard(m) | Diff::Reference(m)) =
            compare(&w, &r, nan_loose, false, &mut |_| false)
        {
            if pattern.as_deref().is_none_or(|p| m.contains(p)) {
                found.push(format!("{}: {m}", config.name()));
            }
        }
    }
    for f in &found {
        eprintln!("{f}");
    }
    assert!(!found.is_empty(), "no matching divergence");
}

/// The V8 tie-breaker must confirm weft's real behaviour and refuse anything else, or it
/// could hide weft bugs. Skipped (passes) when no usable `node` is installed.
#[test]
fn v8_tiebreak_is_not_vacuous() {
    let wasm = wat::parse_str(
        r#"(module
             (memory (export "m") 1)
             (global (export "g") (mut i32) (i32.const 0))
             (func (export "f") (param i32) (result i32)
               (global.set 0 (i32.add (global.get 0) (local.get 0)))
               (i32.store (i32.const 8) (global.get 0))
               (i32.mul (local.get 0) (i32.const 3)))
             (func (export "t") (unreachable)))"#,
    )
    .unwrap();
    let w = run_weft(&weft_configs()[0], &wasm, 7);
    let Trace::Ran { funcs, .. } = &w else {
        panic!("{w:?}")
    };
    let f = funcs.iter().position(|f| f.name == "f").unwrap();
    let t = funcs.iter().position(|f| f.name == "t").unwrap();
    let at = |func, call| At::Call { func, call };
    if !v8::agrees_with(&wasm, &w, at(f, 2), false) {
        eprintln!("no usable node: V8 tie-breaking is off");
        return;
    }
    assert!(v8::agrees_with(&wasm, &w, At::Instantiation, false));
    assert!(v8::agrees_with(&wasm, &w, at(t, 0), false));
    // Any change to what weft observed must make V8 disagree.
    let mutate = |edit: &dyn Fn(&mut Call)| {
        let mut w = w.clone();
        if let Trace::Ran { funcs, .. } = &mut w {
            edit(&mut funcs[f].calls[2]);
        }
        v8::agrees_with(&wasm, &w, at(f, 2), false)
    };
    assert!(!mutate(&|c| c.result = Ok(vec![Obs::I32(1)])));
    assert!(!mutate(&|c| c.result = Err(Fail::Trap("unreachable"))));
    assert!(!mutate(&|c| c.after.globals[0].1 = Obs::I32(-1)));
    assert!(!mutate(&|c| c.after.memories[0].1[8] ^= 1));
    let mut w2 = w.clone();
    if let Trace::Ran { funcs, .. } = &mut w2 {
        funcs[t].calls[0].result = Ok(vec![]);
    }
    assert!(!v8::agrees_with(&wasm, &w2, at(t, 0), false));
}
