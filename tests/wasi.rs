//! WASI preview1: the library (`weft::wasi`, every compiled-in configuration) and the CLI
//! (`weft run` of WASI commands). The guest is `tests/data/wasi/probe.wat`, a small WASI
//! command whose argv[1] picks what it does and which exits with the errno of any failed
//! WASI call (see the file).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use weft::wasi::{ambient_authority, pipe::WritePipe, Dir, WasiCtx, WasiCtxBuilder, WasiTrap};
use weft::{Config, Engine, Linker, Module, Store, TrapCode};

// WASI errnos the probe reports as its exit status.
const EBADF: i32 = 8;
const ELOOP: i32 = 32;
const ENOENT: i32 = 44;
const EPERM: i32 = 63;
const EPIPE: i32 = 64;
const ENOTCAPABLE: i32 = 76;

fn probe_path() -> String {
    format!("{}/tests/data/wasi/probe.wat", env!("CARGO_MANIFEST_DIR"))
}

/// What a run of the probe left behind.
struct Run {
    stdout: Vec<u8>,
    result: weft::Result<()>,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The `proc_exit` status, or 0 if `_start` returned; panics on any other error.
    fn exit(&self) -> i32 {
        match &self.result {
            Ok(()) => 0,
            Err(e) => weft::wasi::exit_code(e).unwrap_or_else(|| panic!("not an exit: {e}")),
        }
    }
}

/// Runs `_start` of `wat` on `config` with a context from `build` (argv, env, preopens)
/// and stdout captured.
fn run_with(config: &Config, wat: &str, build: impl FnOnce(&mut WasiCtxBuilder)) -> Run {
    let engine = Engine::new(config);
    let module = Module::new(&engine, wat).expect("module compiles");
    let out = WritePipe::new_in_memory();
    let mut builder = WasiCtxBuilder::new();
    builder.stdout(Box::new(out.clone()));
    build(&mut builder);
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    weft::wasi::add_to_linker(&mut linker, |cx| cx).unwrap();
    let mut store = Store::new(&engine, builder.build());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let start = instance
        .get_typed_func::<(), ()>(&store, "_start")
        .expect("_start");
    let result = start.call(&mut store, ());
    drop(store);
    let stdout = out
        .try_into_inner()
        .expect("the store, and so every clone of the pipe, is gone")
        .into_inner();
    Run { stdout, result }
}

fn probe(config: &Config, args: &[&str], build: impl FnOnce(&mut WasiCtxBuilder)) -> Run {
    let wat = std::fs::read_to_string(probe_path()).unwrap();
    run_with(config, &wat, |b| {
        b.arg("probe").unwrap();
        for a in args {
            b.arg(a).unwrap();
        }
        build(b);
    })
}

/// A fresh directory under the target dir: `sandbox/` holds `f.txt`, and the directory
/// around it holds `secret.txt`, which no guest may read.
fn sandbox(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("wasi-{name}"));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("sandbox")).unwrap();
    std::fs::write(root.join("sandbox/f.txt"), "file contents\nsecond line\n").unwrap();
    std::fs::write(root.join("secret.txt"), "SECRET").unwrap();
    root
}

fn preopen(b: &mut WasiCtxBuilder, host: &Path, guest: &str) {
    let dir = Dir::open_ambient_dir(host, ambient_authority()).unwrap();
    b.preopened_dir(dir, guest).unwrap();
}

fn configs() -> Vec<Config> {
    Config::every_compiled()
}

#[test]
fn hello_world() {
    for config in configs() {
        let run = probe(&config, &["hello"], |_| {});
        assert_eq!(run.stdout(), "hello, world\n", "{}", config.name());
        assert!(run.result.is_ok(), "{}", config.name());
    }
}

#[test]
fn args_and_env() {
    for config in configs() {
        let run = probe(&config, &["args", "two words", "-x", ""], |b| {
            b.env("A", "1").unwrap().env("EMPTY", "").unwrap();
        });
        assert_eq!(
            run.stdout(),
            "probe\nargs\ntwo words\n-x\n\nA=1\nEMPTY=\n",
            "{}",
            config.name()
        );
        assert_eq!(run.exit(), 0);
    }
}

#[test]
fn reads_a_file_in_a_preopened_dir() {
    let root = sandbox("read");
    for config in configs() {
        let run = probe(&config, &["cat", "f.txt"], |b| {
            preopen(b, &root.join("sandbox"), "/data")
        });
        assert_eq!(
            run.stdout(),
            "file contents\nsecond line\n",
            "{}",
            config.name()
        );
        assert_eq!(run.exit(), 0);
        let run = probe(&config, &["cat", "missing.txt"], |b| {
            preopen(b, &root.join("sandbox"), "/data")
        });
        assert_eq!(run.exit(), ENOENT, "{}", config.name());
    }
}

#[test]
fn paths_cannot_escape_the_sandbox() {
    let root = sandbox("escape");
    let secret = root.join("secret.txt");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, root.join("sandbox/link")).unwrap();
    let absolute = secret.display().to_string();
    let mut paths = vec!["../secret.txt", "./../secret.txt", absolute.as_str()];
    if cfg!(unix) {
        paths.push("link");
    }
    for config in configs() {
        for path in &paths {
            let run = probe(&config, &["cat", path], |b| {
                preopen(b, &root.join("sandbox"), ".")
            });
            assert_eq!(run.stdout(), "", "{path} on {}", config.name());
            // A symlink is not followed (the probe opens without `symlink_follow`): ELOOP.
            let code = run.exit();
            assert!(
                [EPERM, ENOTCAPABLE, ELOOP].contains(&code),
                "{path} on {}: errno {code}",
                config.name()
            );
        }
    }
}

#[test]
fn no_preopened_dir() {
    for config in configs() {
        let run = probe(&config, &["cat", "f.txt"], |_| {});
        assert_eq!(run.exit(), EBADF, "{}", config.name());
    }
}

#[test]
fn exit_codes() {
    for config in configs() {
        for code in [0, 3, 125] {
            let run = probe(&config, &["exit", &code.to_string()], |_| {});
            let err = run.result.as_ref().expect_err("proc_exit ends the call");
            assert_eq!(weft::wasi::exit_code(err), Some(code), "{}", config.name());
        }
        // WASI statuses stop at 125 (wasi-common's rule): 126 and up are an error that
        // is not an exit, with a message saying why.
        for code in [126, 256, 1000] {
            let run = probe(&config, &["exit", &code.to_string()], |_| {});
            let err = run.result.expect_err("proc_exit ends the call");
            assert_eq!(weft::wasi::exit_code(&err), None);
            assert!(err.to_string().contains("exit status"), "{err}");
        }
    }
}

#[test]
fn trap_is_an_error_after_earlier_output() {
    for config in configs() {
        let run = probe(&config, &["trap"], |_| {});
        assert_eq!(run.stdout(), "hello, world\n");
        let err = run.result.expect_err("traps");
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::Unreachable),
            "{}",
            config.name()
        );
    }
}

/// A stdout whose reader has gone: every write fails as a closed pipe does, with the OS
/// error EPIPE (wasi-common turns OS errors into errnos; an error without an OS code
/// would be a trap).
struct ClosedPipe;

/// EPIPE on Linux and the BSDs.
const OS_EPIPE: i32 = 32;

impl std::io::Write for ClosedPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::from_raw_os_error(OS_EPIPE))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::from_raw_os_error(OS_EPIPE))
    }
}

#[cfg(unix)]
#[test]
fn closed_stdout_is_an_errno() {
    for config in configs() {
        let run = probe(&config, &["hello"], |b| {
            b.stdout(Box::new(WritePipe::new(ClosedPipe)));
        });
        assert_eq!(run.exit(), EPIPE, "{}", config.name());
    }
}

#[test]
fn module_without_memory_gets_an_error() {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (func (export "_start") (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0)))))"#;
    for config in configs() {
        let run = run_with(&config, wat, |_| {});
        let err = run.result.expect_err("no memory");
        let weft::Error::Host(e) = &err else {
            panic!("not a host error: {err}")
        };
        let trap = e.downcast_ref::<WasiTrap>().expect("a WasiTrap");
        assert_eq!(trap.function, "fd_write");
        assert!(err.to_string().contains("memory"), "{err}");
    }
}

#[test]
fn out_of_bounds_pointers_are_an_error() {
    // fd_write's iovec array lies past the end of the one-page memory.
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") (drop (call $w (i32.const 1) (i32.const 65532) (i32.const 4) (i32.const 0)))))"#;
    for config in configs() {
        let run = run_with(&config, wat, |_| {});
        let err = run.result.expect_err("out of bounds");
        assert!(err.to_string().contains("out of bounds"), "{err}");
        assert_eq!(run.stdout, b"");
    }
}

#[test]
fn unknown_and_mistyped_imports_do_not_link() {
    let engine = Engine::default();
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    weft::wasi::add_to_linker(&mut linker, |cx| cx).unwrap();
    for import in [
        r#"(import "wasi_snapshot_preview1" "no_such_call" (func))"#,
        r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))"#,
    ] {
        let module = Module::new(&engine, format!("(module {import})")).unwrap();
        let mut store = Store::new(&engine, WasiCtxBuilder::new().build());
        match linker.instantiate(&mut store, &module) {
            Err(weft::Error::Link(_)) => {}
            Err(e) => panic!("{import}: not a link error: {e}"),
            Ok(_) => panic!("{import}: linked"),
        }
    }
}

// ---- the command line ----

fn weft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("weft runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn cli_runs_a_command_with_argv() {
    let p = probe_path();
    let out = weft(&["run", &p, "args", "x", "--env", "A=1", "--", "--help", "-y"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{p}\nargs\nx\n--help\n-y\nA=1\n")
    );
}

#[test]
fn cli_exit_codes() {
    let p = probe_path();
    for code in ["0", "3", "125"] {
        let out = weft(&["run", &p, "exit", code]);
        assert_eq!(out.status.code(), Some(code.parse().unwrap()));
        assert_eq!(text(&out.stderr), "");
    }
    let out = weft(&["run", &p, "exit", "256"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("exit status"),
        "{err}"
    );
    // Without a command argv[1] the probe exits 2 itself.
    assert_eq!(weft(&["run", &p]).status.code(), Some(2));
}

#[test]
fn cli_trap_is_a_clear_error() {
    let out = weft(&["run", &probe_path(), "trap"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "hello, world\n");
    assert_eq!(text(&out.stderr), "error: wasm trap: unreachable\n");
}

#[test]
fn cli_dirs() {
    let root = sandbox("cli");
    let p = probe_path();
    let host = root.join("sandbox").display().to_string();
    for spec in [host.clone(), format!("{host}::/data"), format!("{host}::.")] {
        let out = weft(&["run", &p, "cat", "f.txt", "--dir", &spec]);
        assert_eq!(out.status.code(), Some(0), "{spec}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "file contents\nsecond line\n");
    }
    let out = weft(&["run", &p, "cat", "../secret.txt", "--dir", &host]);
    assert_eq!(text(&out.stdout), "");
    assert!(matches!(out.status.code(), Some(EPERM | ENOTCAPABLE)));
    assert_eq!(
        weft(&["run", &p, "cat", "f.txt"]).status.code(),
        Some(EBADF)
    );
    let missing = root.join("nope").display().to_string();
    let out = weft(&["run", &p, "cat", "f.txt", "--dir", &missing]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: --dir") && err.contains("cannot open"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn cli_closed_stdout_is_an_errno() {
    // A pipe whose reading end is closed before weft starts: the guest's write fails with
    // EPIPE (WASI errno 64), which the probe turns into its exit status.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_weft"))
        .args(["run", &probe_path(), "hello"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(EPIPE), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn cli_invoke_keeps_wasm_arguments() {
    let p = probe_path();
    // `--invoke` passes ARGS as Wasm values, so `_start` gets only argv[0] (exit 2)...
    assert_eq!(
        weft(&["run", &p, "--invoke", "_start"]).status.code(),
        Some(2)
    );
    // ...and an argument it does not take is a usage error.
    let out = weft(&["run", &p, "--invoke", "_start", "hello"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("takes 0 arguments"));
}

#[test]
fn cli_dispatch_and_ir_options() {
    for config in configs() {
        let (exec, ir) = config
            .name()
            .split_once('/')
            .map(|(e, i)| (e.to_string(), i.to_string()))
            .unwrap();
        let out = weft(&[
            "run",
            &probe_path(),
            "hello",
            "--dispatch",
            &exec,
            "--ir",
            &ir,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", config.name());
        assert_eq!(text(&out.stdout), "hello, world\n");
    }
}
