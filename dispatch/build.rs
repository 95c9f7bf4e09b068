//! Detects what the executors need from the toolchain and the profile:
//! - `weft_nightly`: rustc is a nightly, so the `become` executor can use
//!   `explicit_tail_calls`;
//! - `weft_unoptimized`: this crate is built below opt-level 2, where LLVM does not turn
//!   the threaded executor's tail calls into jumps and it would overflow the native stack.

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
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    if opt == "0" || opt == "1" {
        println!("cargo::rustc-cfg=weft_unoptimized");
    }
}
