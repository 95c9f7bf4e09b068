//! Translation time of the stress shapes as they grow, for every IR: the fastest of a few
//! translations per size, in ms and in ns per byte of the module.
//!
//! ```sh
//! cargo run --release -p weft-ir --example scaling                 # every shape
//! cargo run --release -p weft-ir --example scaling tall-stack-adds 10000 40000 160000
//! ```

use std::time::{Duration, Instant};
use weft_ir::{shapes, translate_with, IrOptions};

const IRS: [(&str, bool, bool, bool); 5] = [
    ("stack", false, false, false),
    ("register", true, false, false),
    ("register+acc", true, false, true),
    ("register+fuse", true, true, false),
    ("register+acc+fuse", true, true, true),
];

fn fastest(wasm: &[u8], options: IrOptions) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            translate_with(wasm, options).expect("shapes are valid");
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.first().cloned();
    let sizes: Vec<u32> = if args.len() > 1 {
        args[1..]
            .iter()
            .map(|s| s.parse().expect("a size"))
            .collect()
    } else {
        vec![10_000, 40_000, 160_000]
    };
    println!("| shape | n | bytes | IR | ms | ns/byte |");
    println!("|---|---:|---:|---|---:|---:|");
    for shape in shapes::ALL {
        if only.as_deref().is_some_and(|o| o != shape.name) {
            continue;
        }
        for &n in &sizes {
            let wasm = (shape.build)(n);
            for (name, register, fuse, accumulators) in IRS {
                let options = IrOptions {
                    register,
                    fuse,
                    accumulators,
                };
                let t = fastest(&wasm, options);
                println!(
                    "| {} | {n} | {} | {name} | {:.2} | {:.1} |",
                    shape.name,
                    wasm.len(),
                    t.as_secs_f64() * 1e3,
                    t.as_nanos() as f64 / wasm.len() as f64
                );
            }
        }
    }
}
