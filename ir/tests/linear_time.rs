//! Translation time grows linearly with each stress shape's size, for every IR.
//!
//! A timing test, made robust rather than precise: each size is translated several times
//! and the fastest run counts, and the bound is generous. Quadrupling the size of a shape
//! multiplies a linear translator's time by about 4 and a quadratic one's by about 16;
//! the test fails above 9 (the bound is checked once more on a retry before failing, so
//! a burst of load on a shared machine does not fail it).

use std::time::{Duration, Instant};
use weft_ir::{shapes, translate_with, IrOptions};

const VARIANTS: [(&str, IrOptions); 5] = [
    (
        "stack",
        IrOptions {
            register: false,
            fuse: false,
            accumulators: false,
        },
    ),
    (
        "register",
        IrOptions {
            register: true,
            fuse: false,
            accumulators: false,
        },
    ),
    (
        "register+acc",
        IrOptions {
            register: true,
            fuse: false,
            accumulators: true,
        },
    ),
    (
        "register+fuse",
        IrOptions {
            register: true,
            fuse: true,
            accumulators: false,
        },
    ),
    (
        "register+acc+fuse",
        IrOptions {
            register: true,
            fuse: true,
            accumulators: true,
        },
    ),
];

fn fastest_translation(wasm: &[u8], options: IrOptions) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            let ir = translate_with(wasm, options).expect("shapes are valid");
            let elapsed = start.elapsed();
            assert_eq!(ir.bodies.len(), 1);
            elapsed
        })
        .min()
        .unwrap()
}

/// Time at 4n over time at n.
fn growth(shape: &shapes::Shape, n: u32, options: IrOptions) -> f64 {
    let small = (shape.build)(n);
    let large = (shape.build)(4 * n);
    let t_small = fastest_translation(&small, options);
    let t_large = fastest_translation(&large, options);
    t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9)
}

#[test]
fn translation_time_is_linear_in_every_shape_and_ir() {
    const BOUND: f64 = 9.0;
    let mut failures = Vec::new();
    for shape in shapes::ALL {
        // Large enough that one translation takes milliseconds, within the locals limit.
        let n = if shape.name == "many-locals" {
            shapes::MAX_LOCALS / 4 - 1
        } else {
            10_000
        };
        for (name, options) in VARIANTS {
            let mut ratio = growth(shape, n, options);
            if ratio > BOUND {
                ratio = ratio.min(growth(shape, n, options));
            }
            eprintln!("{:24} {name:18} x4 size: x{ratio:.1} time", shape.name);
            if ratio > BOUND {
                failures.push(format!("{} / {name}: x{ratio:.1}", shape.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "translation time grew more than {BOUND}x for 4x the size: {failures:?}"
    );
}

#[test]
fn shapes_are_valid_and_exported() {
    for shape in shapes::ALL {
        let ir = translate_with(&(shape.build)(3), IrOptions::default()).expect(shape.name);
        assert_eq!(ir.exports.len(), 1, "{}", shape.name);
    }
}
