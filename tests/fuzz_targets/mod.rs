//! The bodies of the `cargo fuzz` targets in `fuzz/`: plain functions of the input bytes,
//! returning whether the input reached the engine (so that a bounded run can tell it did
//! more than reject inputs).
//!
//! They live here, as a module of the differential test, so that the differential target
//! reuses that harness (generation, both engines, comparison, the V8 tie-breaker) instead
//! of a copy, and so that a plain `cargo test` (stable, no libFuzzer) runs every target
//! for a bounded time on seeded pseudo-random inputs (`fuzz_targets_bounded` in
//! tests/differential.rs). The fuzz crate includes tests/differential.rs with `#[path]`.
//!
//! - [`parse`]: arbitrary bytes to `Module::new` on every executor, IR and compilation
//!   mode (and `compile_all`, so that the lazy modes translate too): an `Err` is fine, a
//!   panic is a bug.
//! - [`exec`]: a wasm-smith module with imports (satisfied by dummy host functions and
//!   host-made memories, tables and globals), instantiated and every export called with
//!   fuel on every configuration: traps are fine; a panic, or configurations disagreeing
//!   with each other (fuel is charged the same on every configuration), is a bug.
//! - [`differential`]: a wasm-smith module against wasmi on every configuration; a
//!   divergence (see [`super::compare`]) is a panic, and the module is written out.

use super::{generate_from, run_generated, smith_config, wasmi_engine, weft_configs, Generated};
use arbitrary::Unstructured;
use weft::{
    CompilationMode, Config, Engine, Error, ExternType, Global, Linker, Memory, Module, Store,
    Table, TrapCode, Val, ValType,
};

/// Every executor x IR compiled in, in every compilation mode.
fn every_config_and_mode() -> Vec<Config> {
    let mut all = Vec::new();
    for &mode in CompilationMode::ALL {
        for mut config in weft_configs() {
            config.compilation_mode(mode);
            all.push(config);
        }
    }
    all
}

/// Target `parse`: any bytes through `Module::new` (binary or, with the `wat` feature, text)
/// on every configuration and compilation mode. Must never panic. Reached: some
/// configuration accepted the module.
pub fn parse(data: &[u8]) -> bool {
    let mut accepted = false;
    for config in every_config_and_mode() {
        let engine = Engine::new(&config);
        if let Ok(module) = Module::new(&engine, data) {
            accepted = true;
            // The lazy modes translate (and, in `lazy`, validate) bodies only now.
            let _ = module.compile_all();
        }
    }
    accepted
}

/// Fuel per call (and for instantiation, which may run a start function): calls plus
/// loop iterations, so that every call ends without `ensure_termination`.
const EXEC_FUEL: u64 = 2_000;
/// Imports wasm-smith may ask for.
const EXEC_MAX_IMPORTS: usize = 8;

/// What one call did, normalised so that configurations can be compared.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Returned(Vec<Val>),
    Trap(TrapCode),
    /// Not a trap: a link or usage error, compared by message.
    Error(String),
}

fn outcome_of(r: Result<Vec<Val>, Error>) -> Outcome {
    match r {
        Ok(v) => Outcome::Returned(v),
        Err(e) => match e.trap_code() {
            Some(t) => Outcome::Trap(t),
            None => Outcome::Error(e.to_string()),
        },
    }
}

/// Whether two outcomes agree: NaNs compare as "both NaN" (their payloads may differ
/// between configurations), references by nullness.
fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    let same_val = |x: &Val, y: &Val| match (x, y) {
        (Val::F32(p), Val::F32(q)) => {
            p == q || (f32::from_bits(*p).is_nan() && f32::from_bits(*q).is_nan())
        }
        (Val::F64(p), Val::F64(q)) => {
            p == q || (f64::from_bits(*p).is_nan() && f64::from_bits(*q).is_nan())
        }
        (Val::FuncRef(p), Val::FuncRef(q)) => p.is_none() == q.is_none(),
        (Val::ExternRef(p), Val::ExternRef(q)) => p.is_none() == q.is_none(),
        _ => x == y,
    };
    match (a, b) {
        (Outcome::Returned(x), Outcome::Returned(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_val(p, q))
        }
        _ => a == b,
    }
}

/// A linker satisfying every import of `module` in `store`: functions return zeros, and
/// memories, tables and globals are made by the host at their declared minimum.
fn dummy_imports(module: &Module, store: &mut Store<()>) -> Linker<()> {
    let mut linker = Linker::new(store.engine());
    for import in module.imports() {
        // A name imported twice keeps its first definition; if the types differ,
        // instantiation fails with a link error, which is an acceptable outcome.
        let (m, n) = (import.module.as_str(), import.name.as_str());
        let _ = match import.ty {
            ExternType::Func(ty) => {
                let results: Vec<ValType> = ty.results.to_vec();
                linker.func_new(m, n, ty, move |_, _, out| {
                    for (slot, &t) in out.iter_mut().zip(&results) {
                        *slot = Val::default_for(t);
                    }
                    Ok(())
                })
            }
            ExternType::Memory(ty) => match Memory::new(&mut *store, ty) {
                Ok(mem) => linker.define(m, n, mem),
                Err(_) => continue,
            },
            ExternType::Table(ty) => match Table::new(&mut *store, ty, Val::default_for(ty.elem)) {
                Ok(t) => linker.define(m, n, t),
                Err(_) => continue,
            },
            ExternType::Global(ty) => {
                match Global::new(&mut *store, ty, Val::default_for(ty.content)) {
                    Ok(g) => linker.define(m, n, g),
                    Err(_) => continue,
                }
            }
        };
    }
    linker
}

/// Instantiates `wasm` on `config` with fuel and calls every exported function once with
/// zero arguments; returns the outcomes (instantiation first), stopping at stack
/// exhaustion (a resource limit that differs between IRs by design).
fn exec_on(config: &Config, wasm: &[u8]) -> Vec<Outcome> {
    let engine = Engine::new(config);
    let module = Module::new(&engine, wasm).unwrap_or_else(|e| {
        panic!(
            "{}: weft rejected a valid wasm-smith module: {e}",
            config.name()
        )
    });
    let mut store = Store::new(&engine, ());
    let linker = dummy_imports(&module, &mut store);
    store.set_fuel(EXEC_FUEL).expect("fuel is on");
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return vec![outcome_of(Err(e))],
    };
    let mut outcomes = vec![Outcome::Returned(Vec::new())];
    let mut names: Vec<String> = module
        .exports()
        .filter(|e| matches!(e.ty, ExternType::Func(_)))
        .map(|e| e.name)
        .collect();
    names.sort();
    for name in names {
        let Some(func) = instance.get_func(&store, &name) else {
            continue;
        };
        let ty = func.ty(&store).expect("the instance's own store");
        let args: Vec<Val> = ty.params.iter().map(|&t| Val::default_for(t)).collect();
        let mut out: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
        store.set_fuel(EXEC_FUEL).expect("fuel is on");
        let r = func.call(&mut store, &args, &mut out).map(|()| out);
        let o = outcome_of(r);
        let exhausted = o == Outcome::Trap(TrapCode::StackOverflow);
        outcomes.push(o);
        if exhausted {
            break;
        }
    }
    outcomes
}

/// The wasm-smith configuration of [`exec`]: the differential one with imports allowed.
fn exec_smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        max_imports: EXEC_MAX_IMPORTS,
        ..smith_config(false, false)
    }
}

/// Target `exec`: a wasm-smith module (with imports) run with fuel on every configuration
/// in one compilation mode picked by the input. Must never panic, and every
/// configuration must agree with the first (trap codes exactly, OutOfFuel included).
/// Reached: wasm-smith made a module.
pub fn exec(data: &[u8]) -> bool {
    let mut u = Unstructured::new(data);
    let mode = u
        .choose(CompilationMode::ALL)
        .copied()
        .unwrap_or(CompilationMode::Eager);
    let Ok(module) = wasm_smith::Module::new(exec_smith_config(), &mut u) else {
        return false;
    };
    let wasm = module.to_bytes();
    let mut first: Option<(String, Vec<Outcome>)> = None;
    for mut config in weft_configs() {
        config.consume_fuel(true).compilation_mode(mode);
        let got = exec_on(&config, &wasm);
        let Some((name, want)) = &first else {
            first = Some((config.name(), got));
            continue;
        };
        for (i, (a, b)) in want.iter().zip(&got).enumerate() {
            let exhausted = |o: &Outcome| *o == Outcome::Trap(TrapCode::StackOverflow);
            if exhausted(a) || exhausted(b) {
                break;
            }
            if !same_outcome(a, b) {
                let path = std::env::temp_dir().join("weft-fuzz-exec.wasm");
                let _ = std::fs::write(&path, &wasm);
                panic!(
                    "exec ({mode:?}): step {i} (0 = instantiation, then exports by name): \
                     {name} gave {a:?}, {} gave {b:?}; module: {}",
                    config.name(),
                    path.display()
                );
            }
        }
    }
    true
}

/// Target `differential`: a wasm-smith module against wasmi on every configuration; the
/// input picks NaN canonicalisation, `disallow_traps` and the argument seed. A divergence
/// panics (the module is in the temp directory as `weft-diff-<seed>.wasm`). Reached: the
/// module was compared (wasm-smith made it and wasmi accepted it).
pub fn differential(data: &[u8]) -> bool {
    let mut u = Unstructured::new(data);
    let canonical: bool = u.arbitrary().unwrap_or(false);
    let no_traps: bool = u.arbitrary().unwrap_or(false);
    let seed: u64 = u.arbitrary().unwrap_or(0);
    let Some(generated) = generate_from(&mut u, canonical, no_traps) else {
        return false;
    };
    thread_local! {
        static REFERENCE: (wasmi::Engine, Vec<Config>) = (wasmi_engine(), weft_configs());
    }
    let res = REFERENCE.with(|(reference, configs)| {
        run_generated(seed, &generated as &Generated, configs, reference)
    });
    assert!(
        res.hard.is_empty(),
        "divergence between weft and wasmi:\n{}",
        res.hard.join("\n")
    );
    res.skipped.is_none()
}
