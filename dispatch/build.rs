//! Detects what the executors need from the toolchain, the target and the profile:
//! - `weft_nightly`: rustc is a nightly, so the `become` and `preserve-none` executors can
//!   use `explicit_tail_calls` (and `rust_preserve_none_cc`);
//! - `weft_threaded`: the `threaded` feature is on and the executor is safe to run here.
//!   Its handlers rely on LLVM turning tail calls into jumps, which it does only at
//!   opt-level >= 2, without debug assertions (their panic paths pass stack-allocated
//!   arguments; `cargo fuzz build -a` or a profile may turn them on), and only where the
//!   handler's seven arguments (five integer, two float) fit in registers (64-bit
//!   targets: i686's C ABI passes them all on the stack, and there 1346 of 1347 handlers
//!   end in `calll *...` per scripts/asm-check). Elsewhere each dispatch would grow the
//!   native stack until it overflows, so the executor is left out with a build warning,
//!   the default executor falls back to the next one, and asking for `threaded` at run
//!   time is an error naming the reason (`WEFT_THREADED_UNAVAILABLE`). A dependent's
//!   default (unoptimised) debug build thus builds and runs.

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(weft_nightly)");
    println!("cargo::rustc-check-cfg=cfg(weft_unoptimized)");
    println!("cargo::rerun-if-env-changed=RUSTC");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if version.contains("nightly") || version.contains("-dev") {
        println!("cargo::rustc-cfg=weft_nightly");
    }
    println!("cargo::rustc-check-cfg=cfg(weft_threaded)");
    println!("cargo::rerun-if-env-changed=OPT_LEVEL");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let unoptimized = opt == "0" || opt == "1";
    if unoptimized {
        println!("cargo::rustc-cfg=weft_unoptimized");
    }
    if std::env::var_os("CARGO_FEATURE_THREADED").is_some() {
        let width = std::env::var("CARGO_CFG_TARGET_POINTER_WIDTH").unwrap_or_default();
        let why = if width != "64" {
            Some(format!(
                "it needs a 64-bit target ({width}-bit here: its handler arguments do not \
                 fit in registers, so each dispatch would be a call that grows the native stack)"
            ))
        } else if unoptimized {
            Some(format!(
                "it needs weft-dispatch built with opt-level >= 2 (here {opt}: below that LLVM \
                 keeps its handlers' tail calls as calls and the native stack overflows); add \
                 `[profile.dev.package.weft-dispatch] opt-level = 3` to your Cargo.toml"
            ))
        } else if std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some() {
            Some(
                "it needs weft-dispatch built without debug assertions (their panic paths \
                 pass stack-allocated arguments, and LLVM then keeps the handlers' tail calls \
                 as calls, so the native stack overflows); add `[profile.dev.package.weft-dispatch] \
                 debug-assertions = false` to your Cargo.toml"
                    .to_string(),
            )
        } else {
            None
        };
        match why {
            None => println!("cargo::rustc-cfg=weft_threaded"),
            Some(why) => {
                println!(
                    "cargo::warning=weft: the `threaded` executor is not built: {why}. The \
                     default executor falls back to `trampoline`."
                );
                println!("cargo::rustc-env=WEFT_THREADED_UNAVAILABLE={why}");
            }
        }
    }
}
