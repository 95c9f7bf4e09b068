//! Bytes of encoded code of one module under each weft configuration compiled in (or
//! those whose name contains one of the patterns), beside the module's Wasm code bytes: the
//! density of each code format, for reading next to instruction counts
//! (`papers/notes-speed.md`, section 10). Loads only; runs and times nothing.
//!
//! ```text
//! cargo build --release -p weft-experiments --features weft/loop-switch-wide --example code_size
//! target/release/examples/code_size ../shared/workloads/coremark-minimal.wasm /stack /register+acc+fuse
//! ```

use anyhow::{Context, Result};
use weft_experiments::runner::suites::startup::code_section_bytes;
use weft_experiments::Weft;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let file = args.next().context("usage: code_size FILE [PATTERN...]")?;
    let patterns: Vec<String> = args.collect();
    let wasm = std::fs::read(&file).with_context(|| format!("reading {file}"))?;
    let wasm_code = code_section_bytes(&wasm)?;
    println!("{file}: {wasm_code} bytes of Wasm code");
    let chosen = Weft::all().into_iter().filter(|w| {
        let name = w.config.name();
        patterns.is_empty() || patterns.iter().any(|p| name.contains(p.as_str()))
    });
    for weft in chosen {
        let bytes = weft.compile(&wasm)?.module.code_size();
        println!(
            "{:<36} {bytes:>9} bytes  {:>5.2} per Wasm code byte",
            weft.config.name(),
            bytes as f64 / wasm_code as f64
        );
    }
    Ok(())
}
