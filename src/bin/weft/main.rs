//! The `weft` command-line tool: run a function of a Wasm module or a WASI command,
//! inspect a module, or run a `.wast` script.
//!
//! Every failure ends with one line on stderr, `error: ...`, and a non-zero exit code:
//! 2 for a bad command line (including arguments that do not fit the function), 1 for
//! everything else (unreadable or invalid modules, link errors, traps). A WASI command that
//! calls `proc_exit` exits with that status; `weft wast` exits 1 if an assertion failed.

mod args;
mod describe;
#[cfg(feature = "wasi")]
mod wasi;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use weft::{
    Config, Engine, Executor, ExternType, FuncType, IrKind, Linker, Module, Store, Val, ValType,
};

#[derive(Parser)]
#[command(
    name = "weft",
    version,
    about = "weft: a WebAssembly interpreter built as a testbed for dispatch strategies",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an exported function of a module and print its results, one per line
    Run(RunArgs),
    /// List a module's imports and exports, or print the IR of its functions
    Inspect(InspectArgs),
    /// Run a spec-style .wast script on one configuration and print `N passed, M failed`
    #[cfg(feature = "wast")]
    Wast(WastArgs),
}

#[derive(Args)]
#[cfg(feature = "wast")]
struct WastArgs {
    /// The script
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The executor that runs the code (help text filled in at run time)
    #[arg(long, value_name = "EXECUTOR")]
    dispatch: Option<String>,

    /// The IR the code is translated to (help text filled in at run time)
    #[arg(long, value_name = "IR")]
    ir: Option<String>,
}

#[derive(Args)]
#[command(after_help = "\
Arguments are parsed by the function's parameter types: i32 and i64 take decimal or 0x hex \
(e.g. -5, 0xff); f32 and f64 take decimal (e.g. 1.5, -2e10), inf, -inf, nan, nan:0x<payload>.

The module may import env.clock_ms: [] -> [i64] (milliseconds since an arbitrary start) and, \
in a build with the `wasi` feature (the default), WASI preview1 (wasi_snapshot_preview1); any \
other import is a link error.

A WASI program run without --invoke is a command: `_start` is called, ARGS become its argv \
(after the file name as argv[0]), and its proc_exit status becomes weft's exit code. Put \
`--` before guest arguments that look like weft's options.")]
struct RunArgs {
    /// The module: binary (.wasm) or text (.wat)
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Arguments of the function, one per parameter; for a WASI command, its argv
    #[arg(value_name = "ARGS", allow_hyphen_values = true)]
    args: Vec<String>,

    /// The exported function to call [default: _start]
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,

    /// WASI: grant access to a host directory, as GUEST inside (default: the same path)
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,

    /// WASI: set an environment variable (NAME alone passes on this process's value)
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    env: Vec<String>,

    /// The executor that runs the code (help text filled in at run time)
    #[arg(long, value_name = "EXECUTOR")]
    dispatch: Option<String>,

    /// The IR the code is translated to (help text filled in at run time)
    #[arg(long, value_name = "IR")]
    ir: Option<String>,

    /// When function bodies are validated and translated: `eager` (at load, the default),
    /// `lazy-translation` (validated at load, translated on first call) or `lazy` (both on
    /// first call)
    #[arg(long, value_name = "MODE")]
    compilation_mode: Option<String>,

    /// Count executed IR ops and print the total and the 20 most frequent to stderr
    /// (needs a build with the `stats` feature)
    #[arg(long)]
    stats: bool,

    /// Stop with an error after N units of fuel (one per call and per loop iteration)
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,

    /// Stop with an error after SECONDS of running (epoch interruption)
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,

    /// Most bytes any linear memory may grow to (`memory.grow` beyond it returns -1)
    #[arg(long, value_name = "BYTES")]
    max_memory: Option<usize>,
}

#[derive(Args)]
struct InspectArgs {
    /// The module: binary (.wasm) or text (.wat)
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Also print the IR of every defined function; `--ir=KIND` picks the IR
    #[arg(
        long,
        value_name = "KIND",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    ir: Option<String>,

    /// Print only the IR of this function: an export name or a function index
    #[arg(long, value_name = "NAME_OR_INDEX")]
    func: Option<String>,
}

/// Why the command failed: one line of text and an exit code.
#[derive(Debug)]
struct Failure {
    message: String,
    code: u8,
}

const EXIT_ERROR: u8 = 1;
const EXIT_USAGE: u8 = 2;

impl Failure {
    fn error(message: impl Into<String>) -> Self {
        Failure {
            message: one_line(&message.into()),
            code: EXIT_ERROR,
        }
    }

    fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: one_line(&message.into()),
            code: EXIT_USAGE,
        }
    }
}

impl From<weft::Error> for Failure {
    fn from(e: weft::Error) -> Self {
        Failure::error(e.to_string())
    }
}

/// Squeezes a message onto one line. A text-format parse error arrives rendered with a
/// source snippet (`msg`, `--> file:line:col`, the line, a caret): it keeps the message and
/// the location. Other multi-line messages (say, a pretty-printed list) are joined.
fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.first() else {
        return "unknown error".to_string();
    };
    if let Some(loc) = lines.iter().find_map(|l| l.strip_prefix("--> ")) {
        return format!("{first} (at {loc})");
    }
    lines
        .join(" ")
        .replace("[ ", "[")
        .replace(", ]", "]")
        .replace("{ ", "{")
        .replace(", }", "}")
}

fn main() -> ExitCode {
    install_panic_hook();
    let cmd = command();
    let argv = hoist_run_options(&cmd, std::env::args_os().collect());
    let matches = cmd.get_matches_from(argv);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Run(a) => run(&a),
        Command::Inspect(a) => inspect(&a).map(|out| (out, 0)),
        #[cfg(feature = "wast")]
        Command::Wast(a) => wast(&a),
    };
    match result.and_then(|(out, code)| print(&out).map(|()| code)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            // Nothing sensible is left to do if stderr is gone.
            let _ = writeln!(std::io::stderr(), "error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// The last line of defence: a panic prints one line, not a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown cause");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error in weft{at}: {} (this is a bug; please report it)",
            one_line(msg)
        );
    }));
}

/// The clap command, with help texts that list what this build compiled in.
fn command() -> clap::Command {
    let compiled: Vec<&str> = Executor::compiled().iter().map(|e| e.name()).collect();
    let missing: Vec<&str> = Executor::ALL
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !compiled.contains(name))
        .collect();
    let mut dispatch_help = format!(
        "The executor that runs the code: {} [default: {}]",
        compiled.join(", "),
        Executor::default_kind().name()
    );
    if !missing.is_empty() {
        let _ = write!(dispatch_help, " (not compiled in: {})", missing.join(", "));
    }
    let ir_help = format!(
        "The IR the code is translated to: {} [default: {}]",
        known_irs().join(", "),
        IrKind::default().name()
    );
    let cmd = Cli::command().mut_subcommand("run", |c| {
        c.mut_arg("dispatch", |a| a.help(dispatch_help.clone()))
            .mut_arg("ir", |a| a.help(ir_help.clone()))
    });
    #[cfg(feature = "wast")]
    let cmd = cmd.mut_subcommand("wast", |c| {
        c.mut_arg("dispatch", |a| a.help(dispatch_help))
            .mut_arg("ir", |a| a.help(ir_help))
    });
    cmd
}

/// `weft run`'s ARGS may start with `-` (`-5`, `-inf`), so once clap is in ARGS it reads
/// every later token as one, options included. This moves `run`'s options that appear
/// among the ARGS (before a `--`) to the front, so `weft run fib.wat 20 --invoke fib` works
/// like `weft run fib.wat --invoke fib 20`.
fn hoist_run_options(cmd: &clap::Command, mut argv: Vec<OsString>) -> Vec<OsString> {
    let Some(run) = cmd.find_subcommand("run") else {
        return argv;
    };
    // The subcommand is the first token that is not a top-level flag.
    let Some(at) = argv
        .iter()
        .skip(1)
        .position(|a| !a.to_string_lossy().starts_with('-'))
        .map(|p| p + 1)
        .filter(|&p| argv[p] == "run")
    else {
        return argv;
    };
    let options: Vec<(&str, bool)> = run
        .get_arguments()
        .filter_map(|a| Some((a.get_long()?, a.get_action().takes_values())))
        .chain([("help", false)])
        .collect();
    let tail = argv.split_off(at + 1);
    let (mut hoisted, mut rest) = (Vec::new(), Vec::new());
    let mut tokens = tail.into_iter();
    while let Some(token) = tokens.next() {
        if token == "--" {
            rest.push(token);
            rest.extend(tokens);
            break;
        }
        let text = token.to_string_lossy();
        let option = match text.strip_prefix("--") {
            Some(long) => {
                let name = long.split('=').next().unwrap_or(long);
                options
                    .iter()
                    .find(|(o, _)| *o == name)
                    .map(|&(_, takes)| takes && !long.contains('='))
            }
            None if text == "-h" => Some(false),
            None => None,
        };
        match option {
            Some(takes_value) => {
                hoisted.push(token);
                if takes_value {
                    hoisted.extend(tokens.next());
                }
            }
            None => rest.push(token),
        }
    }
    // Once clap collects ARGS it takes a later `--` as one of them (they may start with
    // `-`), so the `--` goes right after FILE, where it ends option parsing as intended.
    if let Some(dashes) = rest.iter().skip(1).position(|t| t == "--") {
        let dashes = rest.remove(dashes + 1);
        rest.insert(1, dashes);
    }
    argv.extend(hoisted);
    argv.extend(rest);
    argv
}

/// The IR names this build accepts.
fn known_irs() -> Vec<&'static str> {
    IrKind::ALL.iter().map(|k| k.name()).collect()
}

/// Writes the output; a closed pipe (`weft inspect x.wasm | head`) is not an error.
fn print(out: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::error(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Reads and compiles `path`. It is read as text if it is named `.wat` or `.wast`, or if it
/// is UTF-8 without the Wasm magic and not named `.wasm`; else as a binary module.
fn load(engine: &Engine, path: &Path) -> Result<Module, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::error(format!("cannot read `{}`: {e}", path.display())))?;
    let ext = |want: &str| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(want))
    };
    let text = ext("wat")
        || ext("wast")
        || (!ext("wasm") && !bytes.starts_with(b"\0asm") && std::str::from_utf8(&bytes).is_ok());
    if text && !cfg!(feature = "wat") {
        return Err(Failure::error(format!(
            "`{}` is a text module, and this build of weft reads only binary modules \
             (the cargo feature `wat` is off)",
            path.display()
        )));
    }
    let module = if text {
        Module::new(engine, &bytes)
    } else {
        Module::from_binary(engine, &bytes)
    };
    module.map_err(|e| match e {
        // The text parser does not know the file name.
        weft::Error::Wat(_) => {
            Failure::error(e.to_string().replace("<anon>", &path.display().to_string()))
        }
        e => e.into(),
    })
}

/// `a, b, c and 2 more`: a list for an error message, cut short.
fn short_list(items: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut list = items[..items.len().min(SHOWN)].join(", ");
    if items.len() > SHOWN {
        let _ = write!(list, " and {} more", items.len() - SHOWN);
    }
    list
}

/// The signature `env.clock_ms` is provided with.
fn clock_type() -> FuncType {
    FuncType::new([], [ValType::I64])
}

/// The configuration `--dispatch` and `--ir` ask for.
fn configure(dispatch: Option<&str>, ir: Option<&str>) -> Result<Config, Failure> {
    let mut config = Config::new();
    if let Some(name) = dispatch {
        config
            .executor_name(name)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    if let Some(ir) = ir {
        config.ir(ir
            .parse::<IrKind>()
            .map_err(|e| Failure::usage(e.to_string()))?);
    }
    Ok(config)
}

/// `weft wast`: each failure on its own lines, then `N passed, M failed`; exit code 1 if
/// anything failed.
#[cfg(feature = "wast")]
fn wast(a: &WastArgs) -> Result<(String, u8), Failure> {
    let config = configure(a.dispatch.as_deref(), a.ir.as_deref())?;
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| Failure::error(format!("cannot read `{}`: {e}", a.file.display())))?;
    let report = weft::wast::run(&config, &text, &mut |_| {});
    let mut out = String::new();
    for f in &report.failures {
        let _ = writeln!(
            out,
            "{}:{}: {}\n    expected: {}\n    got:      {}",
            a.file.display(),
            f.line,
            f.what,
            one_line(&f.expected),
            one_line(&f.got)
        );
    }
    let _ = writeln!(
        out,
        "{} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    let code = if report.failures.is_empty() {
        0
    } else {
        EXIT_ERROR
    };
    Ok((out, code))
}

/// The data of the store `weft run` uses: the WASI context when WASI is compiled in.
#[cfg(feature = "wasi")]
type HostState = Limited<weft::wasi::WasiCtx>;
#[cfg(not(feature = "wasi"))]
type HostState = Limited<()>;

/// Runs the function; returns what to print and the exit code.
fn run(a: &RunArgs) -> Result<(String, u8), Failure> {
    if a.stats && !cfg!(feature = "stats") {
        return Err(Failure::usage(
            "--stats needs weft built with the `stats` feature (cargo build --release --features stats)",
        ));
    }
    let mut config = configure(a.dispatch.as_deref(), a.ir.as_deref())?;
    if let Some(mode) = &a.compilation_mode {
        config
            .compilation_mode_name(mode)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    config.consume_fuel(a.fuel.is_some());
    let timeout = match a.timeout {
        Some(t) if t.is_finite() && t >= 0.0 => Some(std::time::Duration::from_secs_f64(t)),
        Some(t) => {
            return Err(Failure::usage(format!(
                "--timeout {t}: not a duration in seconds"
            )))
        }
        None => None,
    };
    config.epoch_interruption(timeout.is_some());
    let engine = Engine::new(&config);
    let module = load(&engine, &a.file)?;

    // A WASI program run without --invoke is a command: `_start`, ARGS as its argv.
    let wasi_module = module.imports().any(|i| i.module == WASI_MODULE);
    let command = wasi_module && a.invoke.is_none();
    let name = a.invoke.as_deref().unwrap_or("_start");

    // The function and its arguments, checked before anything runs.
    let ty = match module.exports().find(|e| e.name == *name) {
        Some(e) => match e.ty {
            ExternType::Func(ty) => ty,
            other => {
                return Err(Failure::usage(format!(
                    "export `{name}` is a {}, not a function",
                    describe::kind(&other)
                )))
            }
        },
        None => {
            let funcs: Vec<String> = module
                .exports()
                .filter(|e| matches!(e.ty, ExternType::Func(_)))
                .map(|e| format!("`{}`", e.name))
                .collect();
            let hint = if funcs.is_empty() {
                "it exports no functions".to_string()
            } else {
                format!("exported functions: {}", short_list(&funcs))
            };
            let flag = if a.invoke.is_none() {
                "; pick one with --invoke NAME"
            } else {
                ""
            };
            return Err(Failure::usage(format!(
                "the module has no exported function `{name}` ({hint}){flag}"
            )));
        }
    };
    let params = if command {
        if ty != FuncType::new([], []) {
            return Err(Failure::error(format!(
                "the WASI program's `_start` has type {ty}; a WASI command's takes and returns nothing"
            )));
        }
        Vec::new()
    } else {
        parse_args(name, &ty, &a.args)?
    };

    // Imports: env.clock_ms and WASI (linked below, which checks names and types).
    let mut missing = Vec::new();
    for import in module.imports() {
        let desc = format!(
            "`{}::{}` ({})",
            import.module,
            import.name,
            describe::extern_type(&import.ty)
        );
        if (import.module.as_str(), import.name.as_str()) == ("env", "clock_ms") {
            if import.ty != ExternType::Func(clock_type()) {
                return Err(Failure::error(format!(
                    "link error: import {desc} has the wrong type; weft provides `env::clock_ms` as func {}",
                    clock_type()
                )));
            }
        } else if !(cfg!(feature = "wasi") && import.module == WASI_MODULE) {
            missing.push(desc);
        }
    }
    if !missing.is_empty() {
        let wasi = if cfg!(feature = "wasi") {
            " and WASI preview1 (`wasi_snapshot_preview1`)"
        } else {
            " (WASI needs a build with the `wasi` feature)"
        };
        return Err(Failure::error(format!(
            "link error: missing import{} {}; `weft run` provides only `env::clock_ms` (func {}){wasi}",
            if missing.len() == 1 { "" } else { "s" },
            short_list(&missing),
            clock_type()
        )));
    }
    let mut linker: Linker<HostState> = Linker::new(&engine);
    let start = Instant::now();
    linker.func_wrap("env", "clock_ms", move || {
        i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX)
    })?;
    #[cfg(feature = "wasi")]
    let state = {
        weft::wasi::add_to_linker(&mut linker, |cx: &mut HostState| &mut cx.state)?;
        // argv[0] is the program as named on the command line; an `--invoke`d function
        // gets no further arguments (its ARGS are Wasm values).
        let mut argv = vec![a.file.display().to_string()];
        if command {
            argv.extend(a.args.iter().cloned());
        }
        wasi::context(&wasi::Setup {
            argv,
            env: &a.env,
            dirs: &a.dirs,
        })?
    };
    #[cfg(not(feature = "wasi"))]
    let state = ();
    let mut store = Store::new(
        &engine,
        Limited {
            state,
            limits: match a.max_memory {
                Some(bytes) => weft::StoreLimitsBuilder::new().memory_size(bytes).build(),
                None => weft::StoreLimits::default(),
            },
        },
    );
    store.limiter(|l| &mut l.limits);
    if let Some(fuel) = a.fuel {
        store.set_fuel(fuel)?;
    }
    if let Some(t) = timeout {
        // The deadline is one tick away; a detached thread ticks once when time is up
        // (the process exits when the call returns, whichever comes first).
        store.set_epoch_deadline(1);
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(t);
            engine.increment_epoch();
        });
    }
    let instance = linker.instantiate(&mut store, &module)?;
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| Failure::error(format!("export `{name}` is not a function")))?;
    let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
    let outcome = func.call(&mut store, &params, &mut results);
    let outcome = match (outcome, a.timeout) {
        (Err(e), Some(t)) if e.trap_code() == Some(weft::TrapCode::Interrupt) => {
            return Err(Failure::error(format!("timed out after {t} s (--timeout)")))
        }
        (Err(e), _) if e.trap_code() == Some(weft::TrapCode::OutOfFuel) => {
            return Err(Failure::error(format!(
                "ran out of fuel after {} units (--fuel)",
                a.fuel.unwrap_or(0)
            )))
        }
        (outcome, _) => outcome,
    };
    // Results exist only if the function returned (not if it called `proc_exit`).
    let returned = outcome.is_ok();
    #[cfg(feature = "stats")]
    if a.stats {
        eprint!("{}", stats_report(&store, &config));
    }
    #[cfg(feature = "wasi")]
    let code = if wasi_module {
        wasi::exit_code(outcome)?
    } else {
        outcome.map(|()| 0)?
    };
    #[cfg(not(feature = "wasi"))]
    let code = outcome.map(|()| 0)?;

    let mut out = String::new();
    for r in results.iter().filter(|_| returned) {
        let _ = writeln!(out, "{r}");
    }
    Ok((out, code))
}

/// The CLI's store data: the program's state and the `--max-memory` limits.
struct Limited<S> {
    // Read only by the WASI imports: a build without `wasi` keeps `()` here.
    #[cfg_attr(not(feature = "wasi"), allow(dead_code))]
    state: S,
    limits: weft::StoreLimits,
}

/// The import module of WASI preview1.
const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// The `--stats` report: total executed ops, the 20 most frequent ops and the 20 most
/// frequent adjacent pairs.
#[cfg(feature = "stats")]
fn stats_report<T: 'static>(store: &Store<T>, config: &Config) -> String {
    let counts = store.op_counts();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let mut out = format!("stats {}: {total} IR ops executed\n", config.name());
    for (name, n) in counts.iter().take(20) {
        let share = 100.0 * *n as f64 / total.max(1) as f64;
        let _ = writeln!(out, "  {n:>14} {share:5.1}%  {name}");
    }
    // Shares of all executed ops: a fused op for the pair would save that many dispatches.
    let _ = writeln!(out, "adjacent op pairs (% of executed ops):");
    for ((first, second), n) in store.op_pair_counts().iter().take(20) {
        let share = 100.0 * *n as f64 / total.max(1) as f64;
        let _ = writeln!(out, "  {n:>14} {share:5.1}%  {first} -> {second}");
    }
    out
}

fn parse_args(name: &str, ty: &FuncType, args: &[String]) -> Result<Vec<Val>, Failure> {
    if args.len() != ty.params.len() {
        let n = ty.params.len();
        return Err(Failure::usage(format!(
            "`{name}` takes {n} argument{} ({}), but {} {} given",
            if n == 1 { "" } else { "s" },
            ty,
            args.len(),
            if args.len() == 1 { "was" } else { "were" }
        )));
    }
    args.iter()
        .zip(ty.params.iter())
        .enumerate()
        .map(|(i, (text, t))| {
            args::parse_val(text, *t)
                .map_err(|e| Failure::usage(format!("argument {} of `{name}` ({t}): {e}", i + 1)))
        })
        .collect()
}

fn inspect(a: &InspectArgs) -> Result<String, Failure> {
    let mut config = Config::new();
    if let Some(ir) = a.ir.as_deref().filter(|k| !k.is_empty()) {
        config.ir(ir
            .parse::<IrKind>()
            .map_err(|e| Failure::usage(e.to_string()))?);
    }
    let engine = Engine::new(&config);
    let module = load(&engine, &a.file)?;
    let ir = module.ir();
    let num_imported = ir.num_imported_funcs;
    let num_funcs = num_imported + ir.bodies.len() as u32;
    let export_names = |index: u32| -> Vec<String> {
        module
            .exports()
            .filter(|e| module.exported_func_index(&e.name) == Some(index))
            .map(|e| format!("\"{}\"", e.name))
            .collect()
    };
    // The disassembly, with the function's export names after its index in the header.
    let disassemble = |index: u32, out: &mut String| {
        let text = module.disassemble(index).unwrap_or_default();
        let names = export_names(index);
        if names.is_empty() {
            out.push_str(&text);
            return;
        }
        let names = names.join(" ");
        let prefix = format!("func {index} ");
        match text.strip_prefix(&prefix) {
            Some(rest) => {
                let _ = write!(out, "{prefix}{names} {rest}");
            }
            None => {
                let _ = write!(out, "{names}: {text}");
            }
        }
    };

    let mut out = String::new();
    if let Some(which) = &a.func {
        let index = match module.exported_func_index(which) {
            Some(i) => i,
            None => which.parse::<u32>().map_err(|_| {
                Failure::usage(format!(
                    "the module has no exported function `{which}`, and it is not a function index"
                ))
            })?,
        };
        if index >= num_funcs {
            return Err(Failure::usage(format!(
                "function index {index} is out of range: the module has {num_funcs} functions"
            )));
        }
        if index < num_imported {
            let import = module
                .imports()
                .filter(|i| matches!(i.ty, ExternType::Func(_)))
                .nth(index as usize)
                .map(|i| format!(" (`{}::{}`)", i.module, i.name))
                .unwrap_or_default();
            return Err(Failure::usage(format!(
                "function {index} is imported{import}; it has no IR"
            )));
        }
        disassemble(index, &mut out);
        return Ok(out);
    }

    let imports: Vec<_> = module.imports().collect();
    let _ = writeln!(out, "imports ({}):", imports.len());
    for i in &imports {
        let _ = writeln!(
            out,
            "  {}::{}: {}",
            i.module,
            i.name,
            describe::extern_type(&i.ty)
        );
    }
    let exports: Vec<_> = module.exports().collect();
    let _ = writeln!(out, "exports ({}):", exports.len());
    for e in &exports {
        let _ = writeln!(out, "  {}: {}", e.name, describe::extern_type(&e.ty));
    }
    let _ = writeln!(
        out,
        "functions: {} defined, {num_imported} imported",
        ir.bodies.len()
    );
    if let Some(start) = ir.start {
        let _ = writeln!(out, "start: func {start}");
    }
    if a.ir.is_some() {
        for index in num_imported..num_funcs {
            out.push('\n');
            disassemble(index, &mut out);
        }
    }
    Ok(out)
}
