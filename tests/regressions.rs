//! Minimal regression modules (mostly reduced from differential-testing divergences), run
//! on every weft configuration compiled in.
//!
//! Each `tests/regressions/*.wat` file is one plain module (loadable by any tool). Its
//! expected behaviour is written in comment lines starting with `;;>`, in the spec-test
//! (`.wast`) syntax; a directive may span several `;;>` lines:
//!
//! ```text
//! ;;> (assert_return (invoke "f" (i32.const 1)) (i32.const 2))
//! ;;> (assert_trap (invoke "g") "integer divide by zero")
//! ;;> (invoke "h" (f64.const nan))
//! ;;> (assert_return (get "counter") (i32.const 3))
//! ;;> (assert_instantiate_trap "out of bounds memory access")
//! ```
//!
//! The directives run in order against one instance of the module (`assert_instantiate_trap`,
//! not a wast directive, says that instantiation itself must trap; nothing else may
//! follow it). Trap messages match by prefix, as in the spec suite.
//!
//! Expected results come from the specification (and agree with wasmi), never from weft:
//! every file is also run on wasmi, and an expectation wasmi disagrees with fails the test
//! as a broken regression file rather than a weft bug. A file that pins down a known wasmi
//! bug (found when wasmi and weft diverged and weft was right) says so in a line
//! `;; wasmi-known-bug: <what>`; its expectations are then checked on weft only (and must
//! still fail on wasmi, so that the note is removed when the pinned wasmi gets fixed).

use std::path::{Path, PathBuf};

use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};
use weft::{Config, Engine, Linker, Module, Store, Val};

/// Every weft configuration compiled in: executors x IRs, with default limits.
fn weft_configs() -> Vec<Config> {
    Config::every_compiled()
}

fn regression_files() -> Vec<PathBuf> {
    // `WEFT_REGRESSIONS_DIR` runs another folder of files in this format (for probing).
    let dir = match std::env::var_os("WEFT_REGRESSIONS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions"),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wat"))
        .collect();
    files.sort();
    files
}

/// The `;;>` directives of a file: the text of all `;;>` lines, split into its top-level
/// parenthesised forms (so one directive may span lines).
fn directives(text: &str) -> Vec<String> {
    let mut all = String::new();
    for line in text.lines() {
        if let Some(d) = line.trim_start().strip_prefix(";;>") {
            all.push_str(d.trim());
            all.push(' ');
        }
    }
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, c) in all.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(all[start..=i].to_string());
                }
            }
            _ => {}
        }
    }
    assert!(depth == 0 && !in_str, "unbalanced `;;>` directives");
    out
}

/// Values as both engines see them.
#[derive(Debug, Clone, Copy)]
enum V {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    FuncRef(bool),
    ExternRef(bool),
}

impl std::fmt::Display for V {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            V::I32(v) => write!(f, "(i32.const {v})"),
            V::I64(v) => write!(f, "(i64.const {v})"),
            V::F32(b) => write!(f, "(f32.const {:?} (;{b:#x};))", f32::from_bits(b)),
            V::F64(b) => write!(f, "(f64.const {:?} (;{b:#x};))", f64::from_bits(b)),
            V::FuncRef(null) => f.write_str(if null {
                "(ref.null func)"
            } else {
                "(ref.func)"
            }),
            V::ExternRef(null) => f.write_str(if null {
                "(ref.null extern)"
            } else {
                "(ref.extern)"
            }),
        }
    }
}

fn arg(a: &WastArg) -> V {
    match a {
        WastArg::Core(WastArgCore::I32(v)) => V::I32(*v),
        WastArg::Core(WastArgCore::I64(v)) => V::I64(*v),
        WastArg::Core(WastArgCore::F32(v)) => V::F32(v.bits),
        WastArg::Core(WastArgCore::F64(v)) => V::F64(v.bits),
        WastArg::Core(WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Func,
            ..
        })) => V::FuncRef(true),
        WastArg::Core(WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Extern,
            ..
        })) => V::ExternRef(true),
        other => panic!("unsupported argument {other:?} in a regression file"),
    }
}

fn matches(want: &WastRetCore, got: V) -> bool {
    match (want, got) {
        (WastRetCore::I32(w), V::I32(g)) => *w == g,
        (WastRetCore::I64(w), V::I64(g)) => *w == g,
        (WastRetCore::F32(w), V::F32(g)) => match w {
            NanPattern::CanonicalNan => g & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => f32::from_bits(g).is_nan() && g & 0x0040_0000 != 0,
            NanPattern::Value(v) => v.bits == g,
        },
        (WastRetCore::F64(w), V::F64(g)) => match w {
            NanPattern::CanonicalNan => g & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => {
                f64::from_bits(g).is_nan() && g & 0x0008_0000_0000_0000 != 0
            }
            NanPattern::Value(v) => v.bits == g,
        },
        (WastRetCore::RefNull(ty), V::FuncRef(true)) => matches!(
            ty,
            None | Some(HeapType::Abstract {
                ty: AbstractHeapType::Func,
                ..
            })
        ),
        (WastRetCore::RefNull(ty), V::ExternRef(true)) => matches!(
            ty,
            None | Some(HeapType::Abstract {
                ty: AbstractHeapType::Extern,
                ..
            })
        ),
        (WastRetCore::RefFunc(None), V::FuncRef(false)) => true,
        (WastRetCore::RefExtern(None), V::ExternRef(false)) => true,
        (WastRetCore::Either(alts), g) => alts.iter().any(|w| matches(w, g)),
        _ => false,
    }
}

/// Trap messages that name the same condition (engines word some differently).
fn same_trap(want: &str, got: &str) -> bool {
    let canon = |m: &str| -> String {
        let m = m.trim();
        if m.starts_with("undefined element") || m.starts_with("out of bounds table access") {
            "out of bounds table access".into()
        } else if m.starts_with("uninitialized element") {
            "uninitialized element".into()
        } else {
            m.into()
        }
    };
    let (w, g) = (canon(want), canon(got));
    g.starts_with(&w) || w.starts_with(&g)
}

/// An engine under test: instantiate once, then invoke and read globals.
trait Subject {
    /// `Ok(Err(trap message))` when instantiation traps; `Err` for other failures.
    fn instantiate(&mut self, wasm: &[u8]) -> Result<Result<(), String>, String>;
    /// `Ok(Err(trap message))` when the call traps; `Err` for other failures.
    fn invoke(&mut self, name: &str, args: &[V]) -> Result<Result<Vec<V>, String>, String>;
    fn global(&mut self, name: &str) -> Result<V, String>;
}

struct Weft {
    engine: Engine,
    store: Store<()>,
    instance: Option<weft::Instance>,
}

fn weft_v(v: &Val) -> V {
    match *v {
        Val::I32(x) => V::I32(x),
        Val::I64(x) => V::I64(x),
        Val::F32(b) => V::F32(b),
        Val::F64(b) => V::F64(b),
        Val::FuncRef(f) => V::FuncRef(f.is_none()),
        Val::ExternRef(e) => V::ExternRef(e.is_none()),
        #[allow(unreachable_patterns)]
        _ => panic!("unexpected value {v:?}"),
    }
}

fn weft_trap(e: weft::Error) -> Result<String, String> {
    match e.trap_code() {
        Some(c) => Ok(c.message().to_string()),
        None => Err(e.to_string()),
    }
}

impl Subject for Weft {
    fn instantiate(&mut self, wasm: &[u8]) -> Result<Result<(), String>, String> {
        let module = Module::from_binary(&self.engine, wasm).map_err(|e| e.to_string())?;
        match Linker::new(&self.engine).instantiate(&mut self.store, &module) {
            Ok(i) => {
                self.instance = Some(i);
                Ok(Ok(()))
            }
            Err(e) => weft_trap(e).map(Err),
        }
    }

    fn invoke(&mut self, name: &str, args: &[V]) -> Result<Result<Vec<V>, String>, String> {
        let inst = self.instance.ok_or("no instance")?;
        let func = inst
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))?;
        let args: Vec<Val> = args
            .iter()
            .map(|a| match *a {
                V::I32(v) => Val::I32(v),
                V::I64(v) => Val::I64(v),
                V::F32(b) => Val::F32(b),
                V::F64(b) => Val::F64(b),
                V::FuncRef(_) => Val::FuncRef(None),
                V::ExternRef(_) => Val::ExternRef(None),
            })
            .collect();
        let ty = func.ty(&self.store).map_err(|e| e.to_string())?;
        let mut out: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
        match func.call(&mut self.store, &args, &mut out) {
            Ok(()) => Ok(Ok(out.iter().map(weft_v).collect())),
            Err(e) => weft_trap(e).map(Err),
        }
    }

    fn global(&mut self, name: &str) -> Result<V, String> {
        let inst = self.instance.ok_or("no instance")?;
        let g = inst
            .get_global(&self.store, name)
            .ok_or_else(|| format!("no exported global `{name}`"))?;
        Ok(weft_v(&g.get(&self.store).map_err(|e| e.to_string())?))
    }
}

struct Wasmi {
    engine: wasmi::Engine,
    store: wasmi::Store<()>,
    instance: Option<wasmi::Instance>,
}

fn wasmi_v(v: &wasmi::Val) -> V {
    match v {
        wasmi::Val::I32(x) => V::I32(*x),
        wasmi::Val::I64(x) => V::I64(*x),
        wasmi::Val::F32(x) => V::F32(x.to_bits()),
        wasmi::Val::F64(x) => V::F64(x.to_bits()),
        wasmi::Val::FuncRef(f) => V::FuncRef(f.is_null()),
        wasmi::Val::ExternRef(e) => V::ExternRef(e.is_null()),
        other => panic!("unexpected value {other:?}"),
    }
}

fn wasmi_trap(e: wasmi::Error) -> Result<String, String> {
    use wasmi::TrapCode as T;
    let m = match e.as_trap_code() {
        Some(T::UnreachableCodeReached) => "unreachable",
        Some(T::MemoryOutOfBounds) => "out of bounds memory access",
        Some(T::TableOutOfBounds) => "out of bounds table access",
        Some(T::IndirectCallToNull) => "uninitialized element",
        Some(T::BadSignature) => "indirect call type mismatch",
        Some(T::IntegerOverflow) => "integer overflow",
        Some(T::IntegerDivisionByZero) => "integer divide by zero",
        Some(T::BadConversionToInteger) => "invalid conversion to integer",
        Some(T::StackOverflow) => "call stack exhausted",
        _ => {
            // Out-of-bounds segments at instantiation are table/memory errors in wasmi.
            let m = e.to_string();
            for t in ["out of bounds table access", "out of bounds memory access"] {
                if m.starts_with(t) {
                    return Ok(t.to_string());
                }
            }
            return Err(m);
        }
    };
    Ok(m.to_string())
}

impl Subject for Wasmi {
    fn instantiate(&mut self, wasm: &[u8]) -> Result<Result<(), String>, String> {
        let module = wasmi::Module::new(&self.engine, wasm).map_err(|e| e.to_string())?;
        match wasmi::Linker::<()>::new(&self.engine).instantiate_and_start(&mut self.store, &module)
        {
            Ok(i) => {
                self.instance = Some(i);
                Ok(Ok(()))
            }
            Err(e) => wasmi_trap(e).map(Err),
        }
    }

    fn invoke(&mut self, name: &str, args: &[V]) -> Result<Result<Vec<V>, String>, String> {
        let inst = self.instance.ok_or("no instance")?;
        let func = inst
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))?;
        let args: Vec<wasmi::Val> = args
            .iter()
            .map(|a| match *a {
                V::I32(v) => wasmi::Val::I32(v),
                V::I64(v) => wasmi::Val::I64(v),
                V::F32(b) => wasmi::Val::F32(wasmi::F32::from_bits(b)),
                V::F64(b) => wasmi::Val::F64(wasmi::F64::from_bits(b)),
                V::FuncRef(_) => wasmi::Val::FuncRef(wasmi::Nullable::Null),
                V::ExternRef(_) => wasmi::Val::ExternRef(wasmi::Nullable::Null),
            })
            .collect();
        let ty = func.ty(&self.store);
        let mut out: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|&t| wasmi::Val::default_for_ty(t))
            .collect();
        match func.call(&mut self.store, &args, &mut out) {
            Ok(()) => Ok(Ok(out.iter().map(wasmi_v).collect())),
            Err(e) => wasmi_trap(e).map(Err),
        }
    }

    fn global(&mut self, name: &str) -> Result<V, String> {
        let inst = self.instance.ok_or("no instance")?;
        let g = inst
            .get_global(&self.store, name)
            .ok_or_else(|| format!("no exported global `{name}`"))?;
        Ok(wasmi_v(&g.get(&self.store)))
    }
}

fn show(vs: &[V]) -> String {
    vs.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn show_rets(rs: &[WastRet]) -> String {
    rs.iter()
        .map(|r| match r {
            WastRet::Core(c) => format!("{c:?}"),
            #[allow(unreachable_patterns)]
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs one file's directives on `subject`; returns the failures, each one line.
fn run(subject: &mut dyn Subject, wasm: &[u8], dirs: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    let inst = subject.instantiate(wasm);
    let want_inst_trap = dirs.iter().find_map(|d| {
        d.strip_prefix("(assert_instantiate_trap").map(|rest| {
            rest.trim()
                .trim_end_matches(')')
                .trim()
                .trim_matches('"')
                .to_string()
        })
    });
    match (inst, &want_inst_trap) {
        (Err(e), _) => return vec![format!("module failed to compile/instantiate: {e}")],
        (Ok(Ok(())), None) => {}
        (Ok(Err(got)), Some(want)) => {
            if !same_trap(want, &got) {
                failures.push(format!(
                    "instantiation: expected trap `{want}`, got trap `{got}`"
                ));
            }
            return failures;
        }
        (Ok(Ok(())), Some(want)) => {
            return vec![format!(
                "instantiation: expected trap `{want}`, it succeeded"
            )]
        }
        (Ok(Err(got)), None) => return vec![format!("instantiation trapped: `{got}`")],
    }

    let invoke = |subject: &mut dyn Subject, i: &WastInvoke| {
        let args: Vec<V> = i.args.iter().map(arg).collect();
        subject.invoke(i.name, &args)
    };
    let exec = |subject: &mut dyn Subject, e: &WastExecute| match e {
        WastExecute::Invoke(i) => invoke(subject, i),
        WastExecute::Get { global, .. } => subject.global(global).map(|v| Ok(vec![v])),
        WastExecute::Wat(_) => Err("nested modules are not supported here".into()),
    };

    for d in dirs {
        if d.starts_with("(assert_instantiate_trap") {
            continue;
        }
        let buf = match ParseBuffer::new(d) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("cannot lex directive {d}: {e}"));
                continue;
            }
        };
        let wast = match parser::parse::<Wast>(&buf) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("cannot parse directive {d}: {e}"));
                continue;
            }
        };
        for directive in wast.directives {
            let outcome = match directive {
                WastDirective::Invoke(i) => invoke(subject, &i).err(),
                WastDirective::AssertReturn {
                    exec: e, results, ..
                } => match exec(subject, &e) {
                    Ok(Ok(got)) => {
                        let ok = got.len() == results.len()
                            && results.iter().zip(&got).all(|(w, &g)| match w {
                                WastRet::Core(w) => matches(w, g),
                                #[allow(unreachable_patterns)]
                                _ => false,
                            });
                        (!ok).then(|| {
                            format!("expected {}, got {}", show_rets(&results), show(&got))
                        })
                    }
                    Ok(Err(trap)) => Some(format!(
                        "expected {}, got trap `{trap}`",
                        show_rets(&results)
                    )),
                    Err(e) => Some(e),
                },
                WastDirective::AssertTrap {
                    exec: e, message, ..
                } => match exec(subject, &e) {
                    Ok(Ok(got)) => Some(format!("expected trap `{message}`, got {}", show(&got))),
                    Ok(Err(trap)) => (!same_trap(message, &trap))
                        .then(|| format!("expected trap `{message}`, got trap `{trap}`")),
                    Err(e) => Some(e),
                },
                WastDirective::AssertExhaustion { call, message, .. } => {
                    match invoke(subject, &call) {
                        Ok(Ok(got)) => Some(format!(
                            "expected exhaustion `{message}`, got {}",
                            show(&got)
                        )),
                        Ok(Err(trap)) => (!trap.contains("exhausted")
                            && !trap.contains("stack overflow"))
                        .then(|| format!("expected exhaustion, got trap `{trap}`")),
                        Err(e) => Some(e),
                    }
                }
                other => Some(format!("unsupported directive {other:?}")),
            };
            if let Some(msg) = outcome {
                failures.push(format!("{d}: {msg}"));
            }
        }
    }
    failures
}

#[test]
fn regressions() {
    let files = regression_files();
    assert!(!files.is_empty(), "no tests/regressions/*.wat");
    let configs = weft_configs();
    let mut bad_files = Vec::new();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let wasm = match wat::parse_str(&text) {
            Ok(w) => w,
            Err(e) => {
                bad_files.push(format!("{name}: does not assemble: {e}"));
                continue;
            }
        };
        let dirs = directives(&text);
        if dirs.is_empty() {
            bad_files.push(format!("{name}: no `;;>` expectations"));
            continue;
        }
        // The expectations must hold on the reference engine first (or, for a known wasmi
        // bug, still fail there).
        let wasmi_bug = text
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(";; wasmi-known-bug:"))
            .map(str::trim);
        let mut reference = {
            let mut c = wasmi::Config::default();
            c.set_max_recursion_depth(10_000);
            let engine = wasmi::Engine::new(&c);
            Wasmi {
                store: wasmi::Store::new(&engine, ()),
                engine,
                instance: None,
            }
        };
        // A panic of the reference is one more way for it to fail the expectations (wasmi
        // 2.0.0's translator panics on a valid module: wasmi_store_offset_panic.wat).
        let reference_failures = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(&mut reference, &wasm, &dirs)
        }))
        .unwrap_or_else(|_| vec!["wasmi panicked".to_string()]);
        match wasmi_bug {
            None => {
                for f in reference_failures {
                    bad_files.push(format!("{name}: wasmi disagrees with the expectation: {f}"));
                }
            }
            Some(bug) if reference_failures.is_empty() => bad_files.push(format!(
                "{name}: marked `wasmi-known-bug: {bug}`, but wasmi now passes: remove the mark"
            )),
            Some(bug) => eprintln!("{:<30} {name}: fails as known ({bug})", "wasmi"),
        }
        for config in &configs {
            let engine = Engine::new(config);
            let mut subject = Weft {
                store: Store::new(&engine, ()),
                engine,
                instance: None,
            };
            let fs = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run(&mut subject, &wasm, &dirs)
            }))
            .unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                vec![format!("weft panicked: {msg}")]
            });
            eprintln!(
                "{:<30} {name}: {}",
                config.name(),
                if fs.is_empty() { "ok" } else { "FAILED" }
            );
            for f in fs {
                failures.push(format!("{} {name}: {f}", config.name()));
            }
        }
    }
    for b in &bad_files {
        eprintln!("BAD REGRESSION FILE {b}");
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(
        bad_files.is_empty() && failures.is_empty(),
        "{} regression failure(s) on weft, {} broken regression file(s) (see above)",
        failures.len(),
        bad_files.len()
    );
}
