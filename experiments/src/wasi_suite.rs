//! The WASI suite (`workloads/wasi/suite.toml`): real programs built for wasm32-wasip1,
//! run as WASI commands, their stdout and exit status compared byte for byte with what the
//! native build of the same program produced (`workloads/wasi/build.sh`).

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use toml::{Table, Value as Toml};
use weft::wasi::{ambient_authority, pipe, Dir, WasiCtx, WasiCtxBuilder};

use crate::manifest::Size;

/// One case of a program: its argv (after argv[0]), stdin, and what it must produce.
#[derive(Clone, Debug)]
pub struct Case {
    pub args: Vec<String>,
    /// A file whose contents are the program's stdin (else stdin is empty).
    pub stdin: Option<PathBuf>,
    pub exit: i32,
    /// The expected stdout, `expected/<name>.<case>.stdout`.
    pub expected: PathBuf,
}

#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    pub wasm: PathBuf,
    /// Preopened as "." (and the native run's working directory).
    pub dir: PathBuf,
    pub quick: Case,
    pub full: Case,
}

impl Program {
    /// `wasi/<name>`: the stable identifier in output files.
    pub fn id(&self) -> String {
        format!("wasi/{}", self.name)
    }

    pub fn case(&self, size: Size) -> &Case {
        match size {
            Size::Quick => &self.quick,
            Size::Full => &self.full,
        }
    }

    /// The argv the program gets: its name, then the case's arguments.
    pub fn argv(&self, size: Size) -> Vec<String> {
        std::iter::once(self.name.clone())
            .chain(self.case(size).args.iter().cloned())
            .collect()
    }

    /// A WASI context for one run of `size`: argv, `dir` preopened as ".", stdin from
    /// the case's file, stdout and stderr into the returned pipes.
    pub fn context(&self, size: Size) -> Result<(WasiCtx, Captured)> {
        let case = self.case(size);
        let mut b = WasiCtxBuilder::new();
        for arg in self.argv(size) {
            b.arg(&arg)?;
        }
        let dir = Dir::open_ambient_dir(&self.dir, ambient_authority())
            .with_context(|| format!("opening {}", self.dir.display()))?;
        b.preopened_dir(dir, ".")
            .map_err(|e| anyhow!("preopening {}: {e}", self.dir.display()))?;
        if let Some(path) = &case.stdin {
            let input =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            b.stdin(Box::new(pipe::ReadPipe::from(input)));
        }
        let captured = Captured {
            stdout: pipe::WritePipe::new_in_memory(),
            stderr: pipe::WritePipe::new_in_memory(),
        };
        b.stdout(Box::new(captured.stdout.clone()));
        b.stderr(Box::new(captured.stderr.clone()));
        Ok((b.build(), captured))
    }
}

/// The output pipes of a run; read them once the context is dropped.
pub struct Captured {
    stdout: pipe::WritePipe<std::io::Cursor<Vec<u8>>>,
    stderr: pipe::WritePipe<std::io::Cursor<Vec<u8>>>,
}

impl Captured {
    /// (stdout, stderr); fails if the context still holds the pipes.
    pub fn take(self) -> Result<(Vec<u8>, Vec<u8>)> {
        let read = |p: pipe::WritePipe<std::io::Cursor<Vec<u8>>>| {
            p.try_into_inner()
                .map(|c| c.into_inner())
                .map_err(|_| anyhow!("the WASI context still holds its output pipe"))
        };
        Ok((read(self.stdout)?, read(self.stderr)?))
    }
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: i32,
}

impl Outcome {
    /// A run's output and exit status: 0 if `_start` returned, the `proc_exit` status
    /// (`exit_status` finds it in the engine's error), else the error with the stderr.
    fn new<E: std::fmt::Display>(
        stdout: Vec<u8>,
        stderr: Vec<u8>,
        result: Result<(), E>,
        exit_status: impl Fn(&E) -> Option<i32>,
    ) -> Result<Outcome> {
        let exit = match result {
            Ok(()) => 0,
            Err(e) => exit_status(&e).ok_or_else(|| {
                anyhow!(
                    "{e}; stderr: {}",
                    String::from_utf8_lossy(&stderr).trim_end()
                )
            })?,
        };
        Ok(Outcome {
            stdout,
            stderr,
            exit,
        })
    }
}

/// Compares a run with the case's expected stdout and exit status.
pub fn check(program: &Program, size: Size, got: &Outcome) -> Result<()> {
    let case = program.case(size);
    let want = std::fs::read(&case.expected)
        .with_context(|| format!("reading {}", case.expected.display()))?;
    if got.exit != case.exit {
        bail!(
            "exit status {} (expected {}); stderr: {}",
            got.exit,
            case.exit,
            String::from_utf8_lossy(&got.stderr).trim_end()
        );
    }
    if got.stdout != want {
        let at = got
            .stdout
            .iter()
            .zip(&want)
            .position(|(a, b)| a != b)
            .unwrap_or(got.stdout.len().min(want.len()));
        let line = want[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bail!(
            "stdout differs from {} at byte {at} (line {line}): got {} bytes, expected {}",
            case.expected.display(),
            got.stdout.len(),
            want.len()
        );
    }
    Ok(())
}

/// Runs `program` on one weft configuration and returns what it produced.
pub fn run_on_weft(config: &weft::Config, program: &Program, size: Size) -> Result<Outcome> {
    let engine = weft::Engine::new(config);
    let wasm = std::fs::read(&program.wasm)
        .with_context(|| format!("reading {}", program.wasm.display()))?;
    let module = weft::Module::from_binary(&engine, &wasm)?;
    let (ctx, captured) = program.context(size)?;
    let mut linker: weft::Linker<WasiCtx> = weft::Linker::new(&engine);
    weft::wasi::add_to_linker(&mut linker, |cx| cx)?;
    let mut store = weft::Store::new(&engine, ctx);
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
    let result = start.call(&mut store, ());
    drop(store);
    let (stdout, stderr) = captured.take()?;
    Outcome::new(stdout, stderr, result, weft::wasi::exit_code)
}

/// The suite's directory in this repository.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads/wasi")
}

/// Loads `suite.toml`.
pub fn load() -> Result<Vec<Program>> {
    let dir = dir();
    let path = dir.join("suite.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let table: Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let Some(Toml::Array(programs)) = table.get("program") else {
        bail!("{}: no [[program]] entries", path.display());
    };
    programs
        .iter()
        .map(|p| parse_program(&dir, p).with_context(|| format!("in {}", path.display())))
        .collect()
}

fn parse_program(dir: &Path, p: &Toml) -> Result<Program> {
    let p = p
        .as_table()
        .ok_or_else(|| anyhow!("a program is not a table"))?;
    let text = |key: &str| -> Result<&str> {
        p.get(key)
            .and_then(Toml::as_str)
            .ok_or_else(|| anyhow!("program without a string `{key}`"))
    };
    let name = text("name")?.to_string();
    let home = dir.join(text("dir")?);
    let home = &home;
    let case = |key: &str| -> Result<Case> {
        let c = p
            .get(key)
            .and_then(Toml::as_table)
            .ok_or_else(|| anyhow!("{name}: no `{key}` case"))?;
        let args = c
            .get("args")
            .and_then(Toml::as_array)
            .ok_or_else(|| anyhow!("{name} {key}: no `args` array"))?
            .iter()
            .map(|a| {
                a.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| anyhow!("{name} {key}: an argument is not a string"))
            })
            .collect::<Result<_>>()?;
        let stdin = match c.get("stdin") {
            None => None,
            Some(s) => Some(
                home.join(
                    s.as_str()
                        .ok_or_else(|| anyhow!("{name} {key}: `stdin` is not a string"))?,
                ),
            ),
        };
        let exit = match c.get("exit") {
            None => 0,
            Some(e) => e
                .as_integer()
                .and_then(|e| i32::try_from(e).ok())
                .ok_or_else(|| anyhow!("{name} {key}: `exit` is not an exit status"))?,
        };
        Ok(Case {
            args,
            stdin,
            exit,
            expected: dir.join("expected").join(format!("{name}.{key}.stdout")),
        })
    };
    Ok(Program {
        wasm: dir.join(format!("{name}.wasm")),
        dir: home.clone(),
        quick: case("quick")?,
        full: case("full")?,
        name,
    })
}

/// Runs `program` on wasmi through `wasmi_wasi` (wasi-common 36; weft uses 46, so the
/// context is built again with that version's types).
#[cfg(feature = "peer-wasmi")]
pub fn run_on_wasmi(eager: bool, program: &Program, size: Size) -> Result<Outcome> {
    use wasmi_wasi::wasi_common::pipe as pipe36;
    let case = program.case(size);
    let mut config = wasmi::Config::default();
    if eager {
        config.compilation_mode(wasmi::CompilationMode::Eager);
    }
    let engine = wasmi::Engine::new(&config);
    let wasm = std::fs::read(&program.wasm)
        .with_context(|| format!("reading {}", program.wasm.display()))?;
    let module = wasmi::Module::new(&engine, &wasm[..])?;
    let mut linker = wasmi::Linker::<wasmi_wasi::WasiCtx>::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |cx| cx)?;
    let mut b = wasmi_wasi::WasiCtxBuilder::new();
    for arg in program.argv(size) {
        b.arg(&arg)?;
    }
    let dir = wasmi_wasi::Dir::open_ambient_dir(&program.dir, wasmi_wasi::ambient_authority())
        .with_context(|| format!("opening {}", program.dir.display()))?;
    b.preopened_dir(dir, ".")
        .map_err(|e| anyhow!("preopening {}: {e}", program.dir.display()))?;
    if let Some(path) = &case.stdin {
        let input = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        b.stdin(Box::new(pipe36::ReadPipe::from(input)));
    }
    let stdout = pipe36::WritePipe::new_in_memory();
    let stderr = pipe36::WritePipe::new_in_memory();
    b.stdout(Box::new(stdout.clone()));
    b.stderr(Box::new(stderr.clone()));
    let mut store = wasmi::Store::new(&engine, b.build());
    let instance = linker.instantiate_and_start(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
    let result = start.call(&mut store, ());
    drop(store);
    let read = |p: pipe36::WritePipe<std::io::Cursor<Vec<u8>>>| {
        p.try_into_inner()
            .map(|c| c.into_inner())
            .map_err(|_| anyhow!("the WASI context still holds its output pipe"))
    };
    Outcome::new(
        read(stdout)?,
        read(stderr)?,
        result,
        wasmi::Error::i32_exit_status,
    )
}

/// Runs `program` on the engine the runner calls `engine` (`weft:<config>`,
/// `wasmi/eager`, `wasmi/lazy`), or says why that engine has no WASI here.
pub fn run_on(engine: &str, program: &Program, size: Size) -> Result<Outcome> {
    if let Some(config) = engine.strip_prefix(crate::weft_adapter::PREFIX) {
        let config = weft::Config::every_compiled()
            .into_iter()
            .find(|c| c.name() == config)
            .ok_or_else(|| anyhow!("no weft configuration `{config}` in this build"))?;
        return run_on_weft(&config, program, size);
    }
    #[cfg(feature = "peer-wasmi")]
    if let Some(mode) = engine.strip_prefix("wasmi/") {
        return run_on_wasmi(mode == "eager", program, size);
    }
    bail!("no WASI adapter for `{engine}` (weft and wasmi have one)")
}
