//! The `weft` command-line tool, run as a separate process on the fixtures in
//! `tests/data/`. Every failure must be a non-zero exit with exactly one line on stderr
//! (`error: ...`) and never a panic.

// The fixtures are text modules, and the binary ones are made from them.
#![cfg(feature = "wat")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("cannot start the weft binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `weft args`, expects success and no stderr, returns stdout.
fn ok(args: &[&str]) -> String {
    let out = weft(args);
    assert!(
        out.status.success(),
        "weft {args:?} failed ({}): {}",
        out.status,
        text(&out.stderr)
    );
    assert_eq!(text(&out.stderr), "", "weft {args:?} wrote to stderr");
    text(&out.stdout)
}

/// Runs `weft args`, expects a non-zero exit with one `error: ` line on stderr and nothing
/// on stdout; returns that line.
fn fails(args: &[&str]) -> String {
    let out = weft(args);
    assert!(
        !out.status.success(),
        "weft {args:?} succeeded: {}",
        text(&out.stdout)
    );
    assert_clean_failure(args, &out)
}

/// Checks that a failed run exited normally with one `error: ` line on stderr and nothing
/// on stdout; returns that line.
fn assert_clean_failure(args: &[&str], out: &Output) -> String {
    let stderr = text(&out.stderr);
    assert!(
        out.status.code().is_some(),
        "weft {args:?} died of a signal: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "weft {args:?} panicked: {stderr}"
    );
    assert!(
        !stderr.contains("internal error"),
        "weft {args:?}: {stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "weft {args:?}: stderr is not one line: {stderr:?}"
    );
    assert!(stderr.starts_with("error: "), "weft {args:?}: {stderr:?}");
    assert!(stderr.ends_with('\n'));
    assert_eq!(text(&out.stdout), "", "weft {args:?} wrote to stdout");
    stderr.trim_end().to_string()
}

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(suffix: &str, contents: &[u8]) -> TempFile {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "weft-cli-{}-{}{suffix}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn fib_wasm() -> Vec<u8> {
    wat::parse_file(data("fib.wat")).unwrap()
}

/// Deterministic noise (xorshift64*).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

// ---- running ----

#[test]
fn recursive_fib() {
    assert_eq!(
        ok(&["run", &data("fib.wat"), "--invoke", "fib", "20"]),
        "6765\n"
    );
}

#[test]
fn options_may_follow_the_arguments() {
    assert_eq!(
        ok(&["run", &data("fib.wat"), "20", "--invoke", "fib"]),
        "6765\n"
    );
    assert_eq!(
        ok(&["run", "--invoke=divmod", &data("fib.wat"), "-7", "2"]),
        "-3\n-1\n"
    );
}

#[test]
fn binary_module() {
    let wasm = TempFile::new(".wasm", &fib_wasm());
    assert_eq!(ok(&["run", wasm.path(), "--invoke", "fib", "10"]), "55\n");
    // Sniffed by its magic, whatever its name.
    let bin = TempFile::new(".bin", &fib_wasm());
    assert_eq!(ok(&["run", bin.path(), "--invoke", "fib", "10"]), "55\n");
}

#[test]
fn every_compiled_executor() {
    for e in weft::Executor::compiled() {
        assert_eq!(
            ok(&[
                "run",
                &data("fib.wat"),
                "--invoke",
                "fib",
                "15",
                "--dispatch",
                e.name()
            ]),
            "610\n",
            "{}",
            e.name()
        );
    }
    assert_eq!(
        ok(&[
            "run",
            &data("fib.wat"),
            "--invoke",
            "fib",
            "15",
            "--ir",
            "stack"
        ]),
        "610\n"
    );
}

#[test]
fn multiple_results_one_per_line() {
    let f = data("fib.wat");
    assert_eq!(ok(&["run", &f, "--invoke", "divmod", "17", "5"]), "3\n2\n");
    assert_eq!(
        ok(&["run", &f, "--invoke", "divmod", "-7", "2"]),
        "-3\n-1\n"
    );
    assert_eq!(
        ok(&["run", &f, "--invoke", "divmod", "0x10", "-0x3"]),
        "-5\n1\n"
    );
}

#[test]
fn no_results_print_nothing() {
    assert_eq!(ok(&["run", &data("clock.wat")]), "");
}

#[test]
fn floats() {
    let f = data("fib.wat");
    assert_eq!(ok(&["run", &f, "--invoke", "half", "3"]), "1.5\n");
    assert_eq!(ok(&["run", &f, "--invoke", "half", "-5"]), "-2.5\n");
    assert_eq!(ok(&["run", &f, "--invoke", "half", "1e3"]), "500.0\n");
    assert_eq!(ok(&["run", &f, "--invoke", "half", "inf"]), "inf\n");
    assert_eq!(ok(&["run", &f, "--invoke", "half", "-inf"]), "-inf\n");
    assert_eq!(ok(&["run", &f, "--invoke", "scale", "1.5", "-4"]), "-6.0\n");
    assert_eq!(
        ok(&["run", &f, "--invoke", "scale", "nan", "2"]),
        "nan:0x400000\n"
    );
}

#[test]
fn clock_import_is_provided() {
    assert_eq!(
        ok(&["run", &data("clock.wat"), "--invoke", "elapsed"]),
        "1\n"
    );
}

// ---- bad modules ----

#[test]
fn missing_file() {
    let line = fails(&["run", "/nonexistent/weft/nope.wasm"]);
    assert!(
        line.contains("cannot read `/nonexistent/weft/nope.wasm`"),
        "{line}"
    );
}

#[test]
fn directory_instead_of_file() {
    fails(&["run", env!("CARGO_MANIFEST_DIR")]);
}

#[test]
fn random_bytes() {
    for seed in 1..=8 {
        let bytes = noise(seed, 64 * seed as usize);
        for suffix in [".wasm", ".bin", ""] {
            let f = TempFile::new(suffix, &bytes);
            let line = fails(&["run", f.path()]);
            assert!(line.contains("invalid module"), "{line}");
        }
        // Noise behind a valid header gets further into the parser.
        let mut framed = b"\0asm\x01\0\0\0".to_vec();
        framed.extend(&bytes);
        let f = TempFile::new(".wasm", &framed);
        assert!(fails(&["run", f.path()]).contains("invalid module"));
    }
}

#[test]
fn empty_file() {
    let f = TempFile::new(".wasm", b"");
    assert!(fails(&["run", f.path()]).contains("invalid module"));
}

#[test]
fn truncated_module() {
    let wasm = fib_wasm();
    let f = TempFile::new(".wasm", &wasm[..wasm.len() - 1]);
    let line = fails(&["run", f.path(), "--invoke", "fib", "5"]);
    assert!(line.contains("invalid module"), "{line}");
    // Every other prefix fails cleanly too, except one that ends exactly between two
    // sections, which is a valid module (say, without the trailing `name` section).
    for len in 0..wasm.len() - 1 {
        let f = TempFile::new(".wasm", &wasm[..len]);
        let args = ["run", f.path(), "--invoke", "fib", "5"];
        let out = weft(&args);
        if out.status.success() {
            assert_eq!(text(&out.stdout), "5\n", "prefix of {len} bytes");
        } else {
            assert_clean_failure(&args, &out);
        }
    }
}

#[test]
fn text_syntax_error_names_the_place() {
    let line = fails(&["run", &data("bad_syntax.wat")]);
    assert!(line.contains("cannot parse text module"), "{line}");
    assert!(line.contains("bad_syntax.wat:4:5"), "{line}");
}

#[test]
fn invalid_module() {
    let line = fails(&["run", &data("invalid.wat"), "--invoke", "f"]);
    assert!(
        line.starts_with("error: invalid module: type mismatch"),
        "{line}"
    );
}

#[test]
fn missing_import() {
    let line = fails(&["run", &data("needs_import.wat")]);
    assert!(line.contains("link error"), "{line}");
    assert!(line.contains("`env::print`"), "{line}");
}

// ---- bad invocations ----

#[test]
fn missing_export() {
    let line = fails(&["run", &data("fib.wat"), "--invoke", "nope"]);
    assert!(line.contains("no exported function `nope`"), "{line}");
    assert!(line.contains("`fib`"), "lists the exports: {line}");
    let line = fails(&["run", &data("fib.wat")]);
    assert!(line.contains("no exported function `_start`"), "{line}");
    assert!(line.contains("--invoke"), "{line}");
}

#[test]
fn export_that_is_not_a_function() {
    let line = fails(&["run", &data("fib.wat"), "--invoke", "memory"]);
    assert!(line.contains("is a memory, not a function"), "{line}");
}

#[test]
fn wrong_argument_count() {
    let f = data("fib.wat");
    let line = fails(&["run", &f, "--invoke", "fib"]);
    assert!(line.contains("takes 1 argument"), "{line}");
    let line = fails(&["run", &f, "--invoke", "fib", "1", "2"]);
    assert!(line.contains("but 2 were given"), "{line}");
    fails(&["run", &f, "--invoke", "boom", "1"]);
}

#[test]
fn unparsable_arguments() {
    let f = data("fib.wat");
    for (func, args) in [
        ("fib", &["ten"][..]),
        ("fib", &["1.5"]),
        ("fib", &["18446744073709551616"]),
        ("divmod", &["4294967296", "1"]),
        ("divmod", &["1", ""]),
        ("half", &["one"]),
        ("half", &["1e999"]),
        ("scale", &["1", "0x10"]),
    ] {
        let mut argv = vec!["run", f.as_str(), "--invoke", func];
        argv.extend(args);
        let line = fails(&argv);
        assert!(line.contains(&format!("of `{func}`")), "{line}");
    }
}

#[test]
fn unknown_executor() {
    let line = fails(&[
        "run",
        &data("fib.wat"),
        "--invoke",
        "fib",
        "1",
        "--dispatch",
        "warp",
    ]);
    assert!(line.contains("unknown executor `warp`"), "{line}");
}

#[test]
fn known_executor_not_compiled_in_names_its_feature() {
    let compiled: Vec<&str> = weft::Executor::compiled()
        .iter()
        .map(|e| e.name())
        .collect();
    for (name, feature) in weft::Executor::ALL {
        if compiled.contains(name) {
            continue;
        }
        let line = fails(&[
            "run",
            &data("fib.wat"),
            "--invoke",
            "fib",
            "1",
            "--dispatch",
            name,
        ]);
        assert!(line.contains(feature), "{line}");
    }
}

#[test]
fn unknown_ir() {
    let line = fails(&[
        "run",
        &data("fib.wat"),
        "--invoke",
        "fib",
        "1",
        "--ir",
        "tree",
    ]);
    assert!(line.contains("unknown IR `tree`"), "{line}");
}

// ---- traps ----

#[test]
fn trap() {
    let f = data("fib.wat");
    assert_eq!(
        fails(&["run", &f, "--invoke", "divmod", "1", "0"]),
        "error: wasm trap: integer divide by zero"
    );
    assert_eq!(
        fails(&["run", &f, "--invoke", "boom"]),
        "error: wasm trap: unreachable"
    );
}

#[test]
fn deep_recursion_traps_on_every_executor() {
    for e in weft::Executor::compiled() {
        assert_eq!(
            fails(&[
                "run",
                &data("fib.wat"),
                "--invoke",
                "down",
                "0",
                "--dispatch",
                e.name()
            ]),
            "error: wasm trap: call stack exhausted",
            "{}",
            e.name()
        );
    }
}

// ---- inspect ----

#[test]
fn inspect_lists_imports_and_exports() {
    let out = ok(&["inspect", &data("clock.wat")]);
    assert!(
        out.contains("imports (1):\n  env::clock_ms: func [] -> [i64]\n"),
        "{out}"
    );
    assert!(out.contains("  elapsed: func [] -> [i32]\n"), "{out}");
    let out = ok(&["inspect", &data("fib.wat")]);
    assert!(out.contains("imports (0):\n"), "{out}");
    assert!(
        out.contains("  divmod: func [i32 i32] -> [i32 i32]\n"),
        "{out}"
    );
    assert!(out.contains("  memory: memory 1..2 pages\n"), "{out}");
    assert!(out.contains("  counter: global (mut i32)\n"), "{out}");
    assert!(!out.contains("func 0"), "no IR without --ir: {out}");
}

#[test]
fn inspect_ir() {
    let out = ok(&["inspect", "--ir", &data("fib.wat")]);
    assert!(out.contains("func 0 \"fib\" [i64] -> [i64]"), "{out}");
    assert!(out.contains("func 5 \"boom\""), "{out}");
    // The default IR is register+acc+fuse: calls name the slot their arguments start at.
    assert!(out.contains("call_s func=0"), "{out}");
    let out = ok(&["inspect", "--ir=stack", &data("fib.wat")]);
    assert!(out.contains("call func=0"), "{out}");
    let out = ok(&["inspect", &data("clock.wat"), "--ir=stack"]);
    assert!(out.contains("func 2 \"elapsed\""), "{out}");
    assert!(
        !out.contains("func 0 "),
        "imported functions have no IR: {out}"
    );
}

#[test]
fn inspect_one_function() {
    let by_name = ok(&["inspect", &data("fib.wat"), "--func", "fib"]);
    let by_index = ok(&["inspect", &data("fib.wat"), "--func", "0", "--ir"]);
    assert_eq!(by_name, by_index);
    assert!(by_name.starts_with("func 0 \"fib\""), "{by_name}");
    assert!(!by_name.contains("func 1"), "{by_name}");
    assert!(!by_name.contains("exports"), "{by_name}");
}

#[test]
fn inspect_errors() {
    fails(&["inspect", "/nonexistent/weft/nope.wat"]);
    fails(&["inspect", &data("invalid.wat")]);
    assert!(fails(&["inspect", &data("fib.wat"), "--func", "99"]).contains("out of range"));
    assert!(fails(&["inspect", &data("fib.wat"), "--func", "nope"]).contains("`nope`"));
    assert!(fails(&["inspect", &data("clock.wat"), "--func", "0"]).contains("imported"));
    assert!(fails(&["inspect", &data("fib.wat"), "--ir=tree"]).contains("unknown IR"));
}

// ---- help ----

#[test]
fn help() {
    let out = ok(&["--help"]);
    assert!(out.contains("run") && out.contains("inspect"), "{out}");
    let out = ok(&["run", "--help"]);
    for e in weft::Executor::compiled() {
        assert!(out.contains(e.name()), "{out}");
    }
    assert!(out.contains("--invoke"), "{out}");
    // No subcommand: usage on stderr, non-zero.
    assert!(!weft(&[]).status.success());
}

// ---- wast ----

#[test]
fn wast_scripts_on_every_configuration() {
    for config in weft::Config::every_compiled() {
        let name = config.name();
        let (exec, ir) = name.split_once('/').unwrap();
        let (passing, failing) = (data("passing.wast"), data("failing.wast"));
        let args = |file| ["wast", "--dispatch", exec, "--ir", ir, file];
        assert_eq!(ok(&args(&passing)), "6 passed, 0 failed\n", "{name}");
        let out = weft(&args(&failing));
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stdout = text(&out.stdout);
        assert!(stdout.ends_with("\n1 passed, 2 failed\n"), "{stdout}");
        assert!(stdout.contains("failing.wast:4: assert_return"), "{stdout}");
        assert!(stdout.contains("failing.wast:5: assert_trap"), "{stdout}");
    }
}

#[test]
fn wast_errors() {
    fails(&["wast", "/nonexistent/weft/nope.wast"]);
    assert!(fails(&["wast", &data("passing.wast"), "--ir", "tree"]).contains("unknown IR"));
    let out = weft(&["wast", &data("fib.wat")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a module alone is a valid script"
    );
    // Not a script: one failure (the parse), exit 1.
    let f = TempFile::new(".wast", b"(assert_return");
    let out = weft(&["wast", f.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).ends_with("0 passed, 1 failed\n"));
}
