//! Each fusion rule of `ir/src/peephole.rs` seen through the translator: it fires on the
//! smallest Wasm that allows it, and each precondition, when broken, stops it.

use weft_ir::{translate_with, IrOptions, Op};

/// The register IR (with fusion) of the last function in `wat`.
fn register_ir(wat: &str, accumulators: bool) -> Vec<Op> {
    let wasm = wat::parse_str(wat).expect("valid text");
    let options = IrOptions {
        register: true,
        fuse: true,
        accumulators,
    };
    let mut m = translate_with(&wasm, options).expect("valid module");
    m.bodies.pop().expect("a function").ops
}

fn func(params: &str, results: &str, body: &str) -> String {
    format!("(module (func {params} {results} (local i32) {body}))")
}

#[test]
fn local_set_into_producer() {
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "",
            "(local.set 2 (i32.add (local.get 0) (local.get 1)))",
        ),
        false,
    );
    assert_eq!(ops[0], Op::I32AddSs { dst: 2, a: 0, b: 1 });
    // Another value on the stack refers to local 2: it must keep the old value.
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "(result i32)",
            "(local.get 2) (local.set 2 (i32.add (local.get 0) (local.get 1)))",
        ),
        false,
    );
    assert!(
        !ops.contains(&Op::I32AddSs { dst: 2, a: 0, b: 1 }),
        "{ops:?}"
    );
    // The add's result was dropped: the stored value is the constant below it.
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "",
            "(i32.const 9) (drop (i32.add (local.get 0) (local.get 1))) (local.set 2)",
        ),
        false,
    );
    assert!(ops.contains(&Op::Const { dst: 2, bits: 9 }), "{ops:?}");
}

#[test]
fn compare_into_br_if() {
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "",
            "(block (br_if 0 (i32.lt_s (local.get 0) (local.get 1))))",
        ),
        false,
    );
    assert!(
        matches!(ops[0], Op::BrI32LtSSs { a: 0, b: 1, .. }),
        "{ops:?}"
    );
    // The branch carries a value that must move to the block's result slot.
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "(result i32)",
            "(block (result i32) (i32.const 1) (i32.const 2) \
               (br_if 0 (i32.lt_s (local.get 0) (local.get 1))) (drop))",
        ),
        false,
    );
    assert!(
        !ops.iter().any(|op| matches!(op, Op::BrI32LtSSs { .. })),
        "{ops:?}"
    );
    // A branch to the function is a return, not a jump.
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "",
            "(br_if 0 (i32.lt_s (local.get 0) (local.get 1)))",
        ),
        false,
    );
    assert!(
        !ops.iter().any(|op| matches!(op, Op::BrI32LtSSs { .. })),
        "{ops:?}"
    );
}

#[test]
fn negated_compare_into_if() {
    let ops = register_ir(
        &func(
            "(param i32 i32)",
            "",
            "(if (i32.lt_s (local.get 0) (local.get 1)) (then (nop)))",
        ),
        false,
    );
    assert!(
        matches!(ops[0], Op::BrI32GeSSs { a: 0, b: 1, .. }),
        "{ops:?}"
    );
    // Float comparisons are not negated (NaN makes `!(a < b)` differ from `a >= b`).
    let ops = register_ir(
        "(module (func (param f64 f64) (if (f64.lt (local.get 0) (local.get 1)) (then (nop)))))",
        false,
    );
    assert!(matches!(ops[0], Op::F64LtSs { .. }), "{ops:?}");
}

#[test]
fn spill_into_producer() {
    // With accumulators the add writes the accumulator; the call needs its argument in a
    // slot, so the add is rewritten to write the slot instead of being spilled.
    let caller = register_ir(
        "(module (func $f (param i32)) \
           (func (param i32 i32) (call $f (i32.add (local.get 0) (local.get 1)))))",
        true,
    );
    assert!(
        matches!(caller[0], Op::I32AddSs { a: 0, b: 1, .. }),
        "{caller:?}"
    );
    assert!(
        !caller
            .iter()
            .any(|op| matches!(op, Op::SpillX { .. } | Op::I32AddAss { .. })),
        "{caller:?}"
    );
}

#[test]
fn jumps_to_returns() {
    let ops = register_ir(
        &func(
            "(param i32)",
            "(result i32)",
            "(if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))",
        ),
        false,
    );
    assert!(
        !ops.iter().any(|op| matches!(op, Op::Br { .. })),
        "the jump over the else arm is the return itself: {ops:?}"
    );
}
