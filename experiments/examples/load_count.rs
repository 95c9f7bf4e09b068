//! Eager load of one module, repeated, by weft (default configuration) or wasmi 2.0 eager:
//! a fixed workload to count instructions with callgrind, which wall-clock timing on a
//! shared machine cannot give (issue 10, part 4: eager translation ≤ wasmi eager).
//!
//! ```text
//! cargo build --release -p weft-experiments --example load_count
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*load_once*' \
//!     target/release/examples/load_count weft experiments/workloads/programs/regex.wasm 1
//! ```
//! Divide the reported Ir by the code-section bytes this binary prints (the startup
//! suite's "per code byte"). `weft` or `wasmi`, then files, then the repeat count.

use std::hint::black_box;

#[inline(never)]
fn load_once_weft(engine: &weft::Engine, wasm: &[u8]) {
    let module = weft::Module::from_binary(engine, wasm).expect("weft load");
    black_box(module.code_size());
}

#[inline(never)]
fn load_once_wasmi(engine: &wasmi::Engine, wasm: &[u8]) {
    let module = wasmi::Module::new(engine, wasm).expect("wasmi load");
    black_box(&module);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (engine, rest) = args
        .split_first()
        .expect("usage: load_count weft|wasmi FILE... N");
    let (n, files) = rest
        .split_last()
        .expect("usage: load_count weft|wasmi FILE... N");
    let n: usize = n.parse().expect("repeat count");
    let weft_engine = weft::Engine::new(&weft::Config::new());
    let mut wasmi_config = wasmi::Config::default();
    wasmi_config.compilation_mode(wasmi::CompilationMode::Eager);
    let wasmi_engine = wasmi::Engine::new(&wasmi_config);
    let mut total = 0;
    for file in files {
        let wasm = std::fs::read(file).expect("read module");
        let code = weft_experiments::runner::suites::startup::code_section_bytes(&wasm)
            .expect("code section");
        total += code;
        for _ in 0..n {
            match engine.as_str() {
                "weft" => load_once_weft(&weft_engine, &wasm),
                "wasmi" => load_once_wasmi(&wasmi_engine, &wasm),
                other => panic!("unknown engine {other}"),
            }
        }
        println!("{file}: {code} code bytes");
    }
    println!("total {} code bytes x {n}", total);
}
