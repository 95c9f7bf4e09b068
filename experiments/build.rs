//! Records what the runner reports about its own build: the target triple, the compiler,
//! and the profile (tables from a debug build are labelled as such).

use std::process::Command;

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into());
    let opt_level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "?".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown rustc".into());
    println!("cargo:rustc-env=WEFT_EXP_TARGET={target}");
    println!("cargo:rustc-env=WEFT_EXP_PROFILE={profile}");
    println!("cargo:rustc-env=WEFT_EXP_OPT_LEVEL={opt_level}");
    println!("cargo:rustc-env=WEFT_EXP_RUSTC={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rerun-if-changed=build.rs");
}
