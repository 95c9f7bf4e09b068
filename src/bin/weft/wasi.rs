//! `weft run` for WASI programs: the context built from `--dir`, `--env` and the guest's
//! argv, and the exit status of `proc_exit`.

use crate::Failure;
use weft::wasi::{ambient_authority, Dir, WasiCtx, WasiCtxBuilder};

/// What the guest gets: argv (argv[0] first), `--env` and `--dir` as given.
pub struct Setup<'a> {
    pub argv: Vec<String>,
    pub env: &'a [String],
    pub dirs: &'a [String],
}

/// Builds the context: the given argv and environment, the preopened directories, and
/// this process's stdin, stdout and stderr.
pub fn context(setup: &Setup<'_>) -> Result<WasiCtx, Failure> {
    let mut b = WasiCtxBuilder::new();
    b.inherit_stdio();
    // A NUL inside an argument or variable is the only way these fail.
    let nul = |what: &str, text: &str| {
        Failure::usage(format!(
            "{what} `{}` cannot be passed to a WASI program (it contains a NUL byte)",
            text.escape_debug()
        ))
    };
    for arg in &setup.argv {
        b.arg(arg).map_err(|_| nul("argument", arg))?;
    }
    for var in setup.env {
        let (name, value) = parse_env(var)?;
        b.env(&name, &value).map_err(|_| nul("variable", var))?;
    }
    for spec in setup.dirs {
        let (host, guest) = parse_dir(spec);
        let dir = Dir::open_ambient_dir(host, ambient_authority()).map_err(|e| {
            Failure::error(format!("--dir {spec}: cannot open directory `{host}`: {e}"))
        })?;
        b.preopened_dir(dir, guest)
            .map_err(|e| Failure::error(format!("--dir {spec}: {e}")))?;
    }
    Ok(b.build())
}

/// `HOST::GUEST`, or `HOST` for the same path inside (wasmtime's syntax).
fn parse_dir(spec: &str) -> (&str, &str) {
    spec.split_once("::").unwrap_or((spec, spec))
}

/// `NAME=VALUE`, or `NAME` to pass this process's value of NAME (as wasmtime does).
fn parse_env(var: &str) -> Result<(String, String), Failure> {
    match var.split_once('=') {
        Some(("", _)) => Err(Failure::usage(format!("--env {var}: expected NAME=VALUE"))),
        Some((name, value)) => Ok((name.to_string(), value.to_string())),
        None => match std::env::var(var) {
            Ok(value) => Ok((var.to_string(), value)),
            Err(_) => Err(Failure::usage(format!(
                "--env {var}: expected NAME=VALUE, and `{var}` is not set here to pass on"
            ))),
        },
    }
}

/// The process exit code for a WASI program's call of `_start`: 0 when it returns,
/// the `proc_exit` status when it exits (wasi-common allows 0..126; a larger status is an
/// error there, reported like a trap).
pub fn exit_code(result: weft::Result<()>) -> Result<u8, Failure> {
    match result {
        Ok(()) => Ok(0),
        Err(e) => match weft::wasi::exit_code(&e).map(u8::try_from) {
            Some(Ok(code)) => Ok(code),
            _ => Err(e.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_specs() {
        assert_eq!(parse_dir("data"), ("data", "data"));
        assert_eq!(parse_dir("/tmp/x::/sandbox"), ("/tmp/x", "/sandbox"));
    }

    #[test]
    fn env_specs() {
        assert_eq!(
            parse_env("A=b=c").unwrap(),
            ("A".to_string(), "b=c".to_string())
        );
        assert_eq!(parse_env("A=").unwrap(), ("A".to_string(), String::new()));
        assert!(parse_env("=x").is_err());
        assert!(parse_env("WEFT_SURELY_NOT_SET_ANYWHERE").is_err());
    }
}
