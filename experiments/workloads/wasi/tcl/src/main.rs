//! `molt-run SCRIPT [ARGS...]`: runs a Tcl script with molt; `ARGS` are in the list
//! variable `argv` (and their count in `argc`), as tclsh sets them. A script error is
//! printed to stderr, exit status 1.

use molt::{Interp, Value};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: molt-run SCRIPT [ARGS...]");
        std::process::exit(2);
    };
    let script = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("molt-run: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let rest: Vec<Value> = args.map(Value::from).collect();
    let mut interp = Interp::new();
    let argc = Value::from(rest.len() as i64);
    if interp.set_scalar("argc", argc).is_err()
        || interp.set_scalar("argv", Value::from(rest)).is_err()
    {
        eprintln!("molt-run: cannot set argv");
        std::process::exit(1);
    }
    if let Err(e) = interp.eval(&script) {
        eprintln!("molt-run: {}", e.value());
        std::process::exit(1);
    }
}
