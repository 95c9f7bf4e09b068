//! Spec-style `.wast` scripts: modules, `register`, `invoke` and the `assert_*`
//! directives of the WebAssembly spec test suite, run on one configuration against the
//! `spectest` host module. `tests/spec.rs` runs the official suite through this, and
//! `weft wast FILE` runs one script (cargo feature `wast`).
//!
//! ```
//! let config = weft::Config::new();
//! let report = weft::wast::run(&config, r#"
//!     (module
//!       (func (export "add") (param i32 i32) (result i32)
//!         (i32.add (local.get 0) (local.get 1)))
//!       (func (export "boom") unreachable))
//!     (assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))
//!     (assert_trap (invoke "boom") "unreachable")
//!     (assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5))"#, &mut |_| {});
//! assert_eq!(report.passed, 2);
//! assert_eq!(report.failures.len(), 1);
//! assert_eq!((report.failures[0].line, report.failures[0].got.as_str()), (8, "[i32:4]"));
//! ```

use crate::{
    Config, Engine, Error, Extern, ExternRef, Func, Global, GlobalType, Instance, Limits, Linker,
    Memory, MemoryType, Module, Store, Table, TableType, Val, ValType,
};
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// One failed assertion (or directive that could not be carried out).
#[derive(Debug, Clone)]
pub struct Failure {
    /// 1-based line of the directive (0 if the script did not parse).
    pub line: usize,
    /// The directive, e.g. `assert_return`.
    pub what: String,
    /// What the script expected.
    pub expected: String,
    /// What happened.
    pub got: String,
}

/// The outcome of a script: assertions passed and failures.
#[derive(Debug, Default)]
pub struct Report {
    /// Assertions (and `invoke`s) that passed.
    pub passed: usize,
    /// Everything that failed, in script order.
    pub failures: Vec<Failure>,
}

/// Runs the script `text` on `config`; `on_directive` hears each directive's line before
/// it runs (the spec suite uses it to report where a crash happened). A panic inside weft
/// (a bug) fails the directive that caused it, and the script goes on.
pub fn run(config: &Config, text: &str, on_directive: &mut dyn FnMut(usize)) -> Report {
    let mut report = Report::default();
    let mut fail_whole = |what: &str, expected: &str, got: String| {
        report.failures.push(Failure {
            line: 0,
            what: what.into(),
            expected: expected.into(),
            got,
        });
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            fail_whole("lex", "a lexable .wast file", e.to_string());
            return report;
        }
    };
    let wast = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => {
            fail_whole("parse", "a parsable .wast file", e.to_string());
            return report;
        }
    };
    let mut ctx = match Runner::new(config) {
        Ok(r) => r,
        Err(e) => {
            fail_whole("setting up the spectest module", "no error", e.to_string());
            return report;
        }
    };
    // `Span::linecol_in` rescans the text on every call; index the line starts once.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for directive in wast.directives {
        let line = line_of(&line_starts, directive.span().offset());
        on_directive(line);
        let what = directive_name(&directive);
        let outcome = catch_unwind(AssertUnwindSafe(|| ctx.run(directive)))
            .unwrap_or_else(|payload| fail("no panic", panic_message(payload.as_ref())));
        match outcome {
            Ok(true) => report.passed += 1,
            Ok(false) => {}
            Err(f) => report.failures.push(Failure {
                line,
                what: what.to_string(),
                expected: f.expected,
                got: f.got,
            }),
        }
    }
    report
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>");
    format!("panic: {msg}")
}

/// Outcome of one directive: `Ok(true)` is a passed assertion, `Ok(false)` a directive
/// that succeeded but is not an assertion (module definitions, `register`), `Err` a failure.
type Outcome = Result<bool, Fail>;

/// Why a directive failed.
struct Fail {
    expected: String,
    got: String,
}

fn fail<T>(expected: impl Into<String>, got: impl Into<String>) -> Result<T, Fail> {
    Err(Fail {
        expected: expected.into(),
        got: got.into(),
    })
}

/// The 1-based line holding byte `offset`, given the byte offsets where lines start.
fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&start| start <= offset)
}

fn directive_name(d: &WastDirective) -> &'static str {
    match d {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
    }
}

/// The state of one .wast file's run: a store, the spectest module, registered and
/// named instances.
struct Runner {
    engine: Engine,
    store: Store<()>,
    /// Importable entities by (module, name): spectest and registered instances. A later
    /// `register` shadows an earlier one.
    imports: HashMap<(String, String), Extern>,
    /// Instances by `$id`.
    named: HashMap<String, Instance>,
    /// Modules defined but not instantiated, by `$id`.
    definitions: HashMap<String, Module>,
    /// The most recent instance.
    current: Option<Instance>,
    /// `ref.extern N` values by N.
    externs: HashMap<u32, ExternRef>,
}

impl Runner {
    fn new(config: &Config) -> crate::Result<Runner> {
        let engine = Engine::new(config);
        let mut store = Store::new(&engine, ());
        // With fuel or epoch interruption on, scripts run as if unlimited: what is tested
        // is that the checks change no result.
        if config.fuel_enabled() {
            store.set_fuel(u64::MAX)?;
        }
        if config.epoch_interruption_enabled() {
            store.set_epoch_deadline(u64::MAX);
        }
        let mut imports = HashMap::new();
        let mut def = |name: &str, e: Extern| {
            imports.insert(("spectest".to_string(), name.to_string()), e);
        };
        def("print", Func::wrap(&mut store, || {}).into());
        def("print_i32", Func::wrap(&mut store, |_: i32| {}).into());
        def("print_i64", Func::wrap(&mut store, |_: i64| {}).into());
        def("print_f32", Func::wrap(&mut store, |_: f32| {}).into());
        def("print_f64", Func::wrap(&mut store, |_: f64| {}).into());
        def(
            "print_i32_f32",
            Func::wrap(&mut store, |_: i32, _: f32| {}).into(),
        );
        def(
            "print_f64_f64",
            Func::wrap(&mut store, |_: f64, _: f64| {}).into(),
        );
        let global = |store: &mut Store<()>, content, v| {
            let ty = GlobalType {
                content,
                mutable: false,
            };
            Global::new(store, ty, v)
        };
        def(
            "global_i32",
            global(&mut store, ValType::I32, Val::I32(666))?.into(),
        );
        def(
            "global_i64",
            global(&mut store, ValType::I64, Val::I64(666))?.into(),
        );
        def(
            "global_f32",
            global(&mut store, ValType::F32, Val::f32(666.6))?.into(),
        );
        def(
            "global_f64",
            global(&mut store, ValType::F64, Val::f64(666.6))?.into(),
        );
        let table_ty = TableType {
            elem: ValType::FuncRef,
            limits: Limits {
                min: 10,
                max: Some(20),
            },
        };
        def(
            "table",
            Table::new(&mut store, table_ty, Val::FuncRef(None))?.into(),
        );
        let memory_ty = MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
        };
        def("memory", Memory::new(&mut store, memory_ty)?.into());
        Ok(Runner {
            engine,
            store,
            imports,
            named: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            externs: HashMap::new(),
        })
    }

    fn run(&mut self, directive: WastDirective) -> Outcome {
        match directive {
            WastDirective::Module(mut m) => {
                let name = m.name().map(|id| id.name().to_string());
                let module = self.compile(&mut m)?;
                let inst = self
                    .instantiate(&module)
                    .or_else(|e| fail("module instantiates", e.to_string()))?;
                self.current = Some(inst);
                if let Some(name) = name {
                    self.named.insert(name, inst);
                }
                Ok(false)
            }
            WastDirective::ModuleDefinition(mut m) => {
                let name = m.name().map(|id| id.name().to_string());
                let module = self.compile(&mut m)?;
                if let Some(name) = name {
                    self.definitions.insert(name, module);
                }
                Ok(false)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let Some(module) = module
                    .and_then(|id| self.definitions.get(id.name()))
                    .cloned()
                else {
                    return fail("a defined module", "no module of that name");
                };
                let inst = self
                    .instantiate(&module)
                    .or_else(|e| fail("module instantiates", e.to_string()))?;
                self.current = Some(inst);
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), inst);
                }
                Ok(false)
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module.map(|id| id.name()))?;
                let exports = match inst.exports(&self.store) {
                    Ok(exports) => exports,
                    Err(e) => return fail("an instance of this store", e.to_string()),
                };
                for (field, ext) in exports {
                    self.imports.insert((name.to_string(), field), ext);
                }
                Ok(false)
            }
            WastDirective::Invoke(invoke) => {
                self.invoke(&invoke)
                    .or_else(|e| fail("invoke returns", e.to_string()))?;
                Ok(true)
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let got = match self.execute(exec)? {
                    Ok(vals) => vals,
                    Err(e) => return fail(describe_rets(&results), e.to_string()),
                };
                self.check_results(&results, &got)?;
                Ok(true)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec)? {
                Ok(vals) => fail(format!("trap `{message}`"), describe_vals(&vals)),
                Err(e) => check_trap(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(vals) => fail(format!("trap `{message}`"), describe_vals(&vals)),
                Err(e) => check_trap(&e, message),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => {
                let bytes = match module.encode() {
                    Ok(b) => b,
                    Err(e) => {
                        return fail(
                            format!("invalid `{message}`"),
                            format!("wast cannot encode the module: {e}"),
                        )
                    }
                };
                match self.compile_expecting_error(&bytes) {
                    Ok(_) => fail(format!("invalid `{message}`"), "module compiled"),
                    Err(Error::Compile(_)) => Ok(true),
                    Err(e) => fail(format!("invalid `{message}`"), e.to_string()),
                }
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => {
                let bytes = match module.encode() {
                    Ok(b) => b,
                    // Quoted text that does not parse: what the assertion wants.
                    Err(_) => return Ok(true),
                };
                match self.compile_expecting_error(&bytes) {
                    Ok(_) => fail(format!("malformed `{message}`"), "module compiled"),
                    Err(Error::Compile(_)) => Ok(true),
                    Err(e) => fail(format!("malformed `{message}`"), e.to_string()),
                }
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let mut m = QuoteWat::Wat(module);
                let module = self.compile(&mut m)?;
                match self.instantiate(&module) {
                    Ok(_) => fail(format!("unlinkable `{message}`"), "module instantiated"),
                    Err(Error::Link(_)) => Ok(true),
                    Err(e) => fail(format!("unlinkable `{message}`"), e.to_string()),
                }
            }
            other @ (WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertException { .. }
            | WastDirective::AssertSuspension { .. }
            | WastDirective::Thread(_)
            | WastDirective::Wait { .. }
            | WastDirective::AssertMalformedCustom { .. }) => fail(
                "a directive the harness handles",
                format!("unhandled `{}`", directive_name(&other)),
            ),
        }
    }

    /// Compiles a module an assertion expects to be invalid or malformed. In `lazy` mode a
    /// fault inside a function body shows when the function is compiled, not at load:
    /// compile them all, as calls would.
    fn compile_expecting_error(&self, bytes: &[u8]) -> crate::Result<Module> {
        let module = Module::from_binary(&self.engine, bytes)?;
        if self.engine.config().get_compilation_mode() == crate::CompilationMode::Lazy {
            module.compile_all()?;
        }
        Ok(module)
    }

    /// Encodes and compiles a module that must be valid.
    fn compile(&self, m: &mut QuoteWat) -> Result<Module, Fail> {
        let bytes = match m.encode() {
            Ok(b) => b,
            Err(e) => return fail("a module wast can encode", e.to_string()),
        };
        Module::from_binary(&self.engine, &bytes)
            .or_else(|e| fail("module compiles", e.to_string()))
    }

    /// Resolves `module`'s imports from spectest and registered instances and
    /// instantiates it.
    fn instantiate(&mut self, module: &Module) -> crate::Result<Instance> {
        let mut linker: Linker<()> = Linker::new(&self.engine);
        let mut defined = HashSet::new();
        for import in module.imports() {
            let key = (import.module.clone(), import.name.clone());
            if let Some(ext) = self.imports.get(&key) {
                if defined.insert(key) {
                    linker.define(&import.module, &import.name, *ext)?;
                }
            }
        }
        linker.instantiate(&mut self.store, module)
    }

    /// The instance `$name`, or the most recent one.
    fn instance(&self, name: Option<&str>) -> Result<Instance, Fail> {
        match name {
            Some(n) => match self.named.get(n) {
                Some(i) => Ok(*i),
                None => fail(format!("an instance named ${n}"), "none"),
            },
            None => match self.current {
                Some(i) => Ok(i),
                None => fail("a current instance", "none"),
            },
        }
    }

    /// Runs an action; the outer `Result` is a harness-level failure, the inner one
    /// weft's outcome.
    fn execute(&mut self, exec: WastExecute) -> Result<crate::Result<Vec<Val>>, Fail> {
        match exec {
            WastExecute::Invoke(invoke) => Ok(self.invoke(&invoke)),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module.map(|id| id.name()))?;
                match inst.get_global(&self.store, global) {
                    Some(g) => Ok(g.get(&self.store).map(|v| vec![v])),
                    None => fail(format!("an exported global `{global}`"), "none"),
                }
            }
            WastExecute::Wat(wat) => {
                let mut m = QuoteWat::Wat(wat);
                let module = self.compile(&mut m)?;
                Ok(self.instantiate(&module).map(|_| Vec::new()))
            }
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke) -> crate::Result<Vec<Val>> {
        let inst = self
            .instance(invoke.module.map(|id| id.name()))
            .map_err(|f| Error::usage(f.got))?;
        let func = inst
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| Error::usage(format!("no exported function `{}`", invoke.name)))?;
        let args = invoke
            .args
            .iter()
            .map(|a| self.arg(a))
            .collect::<crate::Result<Vec<_>>>()?;
        let ty = func.ty(&self.store)?;
        let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn extern_ref(&mut self, n: u32) -> ExternRef {
        if let Some(e) = self.externs.get(&n) {
            return *e;
        }
        let e = ExternRef::new(&mut self.store, n);
        self.externs.insert(n, e);
        e
    }

    fn arg(&mut self, a: &WastArg) -> crate::Result<Val> {
        let WastArg::Core(a) = a else {
            return Err(Error::usage("component-model argument"));
        };
        Ok(match a {
            WastArgCore::I32(v) => Val::I32(*v),
            WastArgCore::I64(v) => Val::I64(*v),
            WastArgCore::F32(v) => Val::F32(v.bits),
            WastArgCore::F64(v) => Val::F64(v.bits),
            WastArgCore::RefNull(HeapType::Abstract {
                ty: AbstractHeapType::Func,
                ..
            }) => Val::FuncRef(None),
            WastArgCore::RefNull(HeapType::Abstract {
                ty: AbstractHeapType::Extern,
                ..
            }) => Val::ExternRef(None),
            WastArgCore::RefExtern(n) | WastArgCore::RefHost(n) => {
                Val::ExternRef(Some(self.extern_ref(*n)))
            }
            other => return Err(Error::usage(format!("unsupported argument {other:?}"))),
        })
    }

    fn check_results(&self, want: &[WastRet], got: &[Val]) -> Result<(), Fail> {
        let ok = want.len() == got.len()
            && want.iter().zip(got).all(|(w, g)| match w {
                WastRet::Core(w) => self.matches(w, g),
                #[allow(unreachable_patterns)]
                _ => false,
            });
        if ok {
            Ok(())
        } else {
            fail(describe_rets(want), describe_vals(got))
        }
    }

    fn matches(&self, want: &WastRetCore, got: &Val) -> bool {
        match (want, got) {
            (WastRetCore::I32(w), Val::I32(g)) => w == g,
            (WastRetCore::I64(w), Val::I64(g)) => w == g,
            (WastRetCore::F32(w), Val::F32(g)) => match w {
                NanPattern::CanonicalNan => g & 0x7fff_ffff == 0x7fc0_0000,
                NanPattern::ArithmeticNan => f32::from_bits(*g).is_nan() && g & 0x0040_0000 != 0,
                NanPattern::Value(v) => v.bits == *g,
            },
            (WastRetCore::F64(w), Val::F64(g)) => match w {
                NanPattern::CanonicalNan => g & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
                NanPattern::ArithmeticNan => {
                    f64::from_bits(*g).is_nan() && g & 0x0008_0000_0000_0000 != 0
                }
                NanPattern::Value(v) => v.bits == *g,
            },
            (WastRetCore::RefNull(ty), Val::FuncRef(None)) => matches!(
                ty,
                None | Some(HeapType::Abstract {
                    ty: AbstractHeapType::Func,
                    ..
                })
            ),
            (WastRetCore::RefNull(ty), Val::ExternRef(None)) => matches!(
                ty,
                None | Some(HeapType::Abstract {
                    ty: AbstractHeapType::Extern,
                    ..
                })
            ),
            (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
            (
                WastRetCore::RefExtern(Some(n)) | WastRetCore::RefHost(n),
                Val::ExternRef(Some(e)),
            ) => e
                .data(&self.store)
                .is_ok_and(|d| d.downcast_ref::<u32>() == Some(n)),
            (WastRetCore::RefFunc(None), Val::FuncRef(Some(_))) => true,
            (WastRetCore::Either(alts), g) => alts.iter().any(|w| self.matches(w, g)),
            _ => false,
        }
    }
}

/// Accepts a trap whose message and the expected text agree up to the shorter one
/// ("uninitialized element 2" vs "uninitialized element").
fn check_trap(e: &Error, message: &str) -> Outcome {
    match e.trap_code() {
        Some(code) => {
            let got = code.message();
            if got.starts_with(message) || message.starts_with(got) {
                Ok(true)
            } else {
                fail(format!("trap `{message}`"), format!("trap `{got}`"))
            }
        }
        None => fail(format!("trap `{message}`"), e.to_string()),
    }
}

fn describe_vals(vals: &[Val]) -> String {
    let parts: Vec<String> = vals
        .iter()
        .map(|v| match v {
            Val::I32(x) => format!("i32:{x}"),
            Val::I64(x) => format!("i64:{x}"),
            Val::F32(b) => format!("f32:{v} ({b:#010x})"),
            Val::F64(b) => format!("f64:{v} ({b:#018x})"),
            Val::FuncRef(None) => "ref.null func".into(),
            Val::ExternRef(None) => "ref.null extern".into(),
            Val::FuncRef(Some(_)) => format!("ref.func ({v})"),
            Val::ExternRef(Some(_)) => format!("ref.extern ({v})"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn describe_rets(rets: &[WastRet]) -> String {
    fn one(r: &WastRetCore) -> String {
        match r {
            WastRetCore::I32(x) => format!("i32:{x}"),
            WastRetCore::I64(x) => format!("i64:{x}"),
            WastRetCore::F32(NanPattern::Value(v)) => {
                format!("f32:{:?} ({:#010x})", f32::from_bits(v.bits), v.bits)
            }
            WastRetCore::F64(NanPattern::Value(v)) => {
                format!("f64:{:?} ({:#018x})", f64::from_bits(v.bits), v.bits)
            }
            WastRetCore::F32(NanPattern::CanonicalNan) => "f32:nan:canonical".into(),
            WastRetCore::F32(NanPattern::ArithmeticNan) => "f32:nan:arithmetic".into(),
            WastRetCore::F64(NanPattern::CanonicalNan) => "f64:nan:canonical".into(),
            WastRetCore::F64(NanPattern::ArithmeticNan) => "f64:nan:arithmetic".into(),
            WastRetCore::Either(alts) => alts.iter().map(one).collect::<Vec<_>>().join(" | "),
            WastRetCore::RefNull(None) => "ref.null".into(),
            WastRetCore::RefNull(Some(HeapType::Abstract { ty, .. })) => {
                format!("ref.null {}", format!("{ty:?}").to_lowercase())
            }
            WastRetCore::RefExtern(None) => "ref.extern (any non-null)".into(),
            WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
            WastRetCore::RefHost(n) => format!("ref.host {n}"),
            WastRetCore::RefFunc(None) => "ref.func (any non-null)".into(),
            other => format!("{other:?}"),
        }
    }
    let parts: Vec<String> = rets
        .iter()
        .map(|r| match r {
            WastRet::Core(r) => one(r),
            #[allow(unreachable_patterns)]
            _ => "<component value>".into(),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}
