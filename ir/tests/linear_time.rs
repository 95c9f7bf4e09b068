//! Translation work grows linearly with each stress shape's size, for every IR.
//!
//! A complexity guard, not a performance claim (those live in the startup suite of
//! `experiments/` and in `ir/examples/scaling.rs`). It measures the translating thread's
//! CPU time, not the wall clock, so other processes on a loaded machine do not count; the
//! fastest of several runs counts; and the bound is far from both sides: multiplying a
//! shape's size by 16 multiplies a linear translator's time by about 16 (less at small
//! sizes, where fixed costs weigh) and a quadratic one's by about 256. The test fails above
//! 48, which also leaves room for cache effects of a busy machine.

use std::time::Duration;
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

/// CPU time consumed by the calling thread so far.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant libc defines.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Elsewhere, the wall clock (the generous bound still holds on an idle machine).
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

fn fastest_translation(wasm: &[u8], options: IrOptions) -> Duration {
    (0..5)
        .map(|_| {
            let start = thread_cpu_time();
            let ir = translate_with(wasm, options).expect("shapes are valid");
            let elapsed = thread_cpu_time() - start;
            assert_eq!(ir.bodies.len(), 1);
            elapsed
        })
        .min()
        .unwrap()
}

/// Size factor between the two sizes compared.
const FACTOR: u32 = 16;

/// Time at `FACTOR` n over time at n.
fn growth(shape: &shapes::Shape, n: u32, options: IrOptions) -> f64 {
    let small = (shape.build)(n);
    let large = (shape.build)(FACTOR * n);
    let t_small = fastest_translation(&small, options);
    let t_large = fastest_translation(&large, options);
    t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9)
}

#[test]
fn translation_time_is_linear_in_every_shape_and_ir() {
    const BOUND: f64 = 48.0;
    let mut failures = Vec::new();
    for shape in shapes::ALL {
        // The large size takes milliseconds to translate, within the locals limit.
        let n = if shape.name == "many-locals" {
            shapes::MAX_LOCALS / FACTOR - 1
        } else {
            2_500
        };
        for (name, options) in VARIANTS {
            let ratio = growth(shape, n, options);
            eprintln!(
                "{:24} {name:18} x{FACTOR} size: x{ratio:.1} CPU time",
                shape.name
            );
            if ratio > BOUND {
                failures.push(format!("{} / {name}: x{ratio:.1}", shape.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "translation time grew more than {BOUND}x for {FACTOR}x the size: {failures:?}"
    );
}

#[test]
fn shapes_are_valid_and_exported() {
    for shape in shapes::ALL {
        let ir = translate_with(&(shape.build)(3), IrOptions::default()).expect(shape.name);
        assert_eq!(ir.exports.len(), 1, "{}", shape.name);
    }
}
