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

/// The ops of the last function in `wat` with these options.
fn ir_with(wat: &str, options: IrOptions) -> Vec<Op> {
    let wasm = wat::parse_str(wat).expect("valid text");
    let mut m = translate_with(&wasm, options).expect("valid module");
    m.bodies.pop().expect("a function").ops
}

/// A hand-written counted loop: `header` is the exit test (and whatever comes before it
/// in the loop), the body counts local 0 down.
fn while_loop(header: &str) -> String {
    format!(
        "(module (memory 1) (global $g (mut i32) (i32.const 0)) \
           (func (param i32) (result i32) (local i32) \
             (block $exit (loop $head {header} \
               (local.set 1 (i32.add (local.get 1) (local.get 0))) \
               (local.set 0 (i32.sub (local.get 0) (i32.const 1))) \
               (br $head))) \
             (local.get 1)))"
    )
}

#[test]
fn rotate_loop() {
    let one_op = while_loop("(br_if $exit (i32.le_s (local.get 0) (i32.const 0)))");
    for acc in [false, true] {
        let ops = register_ir(&one_op, acc);
        // `0: br_i32_le_s_si 0 0 -> exit; body; br_i32_gt_s_si 0 0 -> 1; br_charged exit`.
        let n = ops.len();
        let Op::BrI32LeSSi { target: exit, .. } = ops[0] else {
            panic!("the header's test first: {ops:?}");
        };
        let rotated = Op::BrI32GtSSi {
            target: weft_ir::Target(1),
            a: 0,
            imm: 0,
        };
        let tail = [rotated, Op::BrCharged { target: exit }];
        let at = ops
            .iter()
            .position(|op| *op == tail[0])
            .unwrap_or_else(|| panic!("no rotated test: {ops:?}"));
        assert_eq!(ops[at..at + 2], tail, "{ops:?}");
        assert_eq!(exit.0 as usize, at + 2, "the exit follows: {ops:?}");
        assert!(at + 2 < n);
        assert!(!ops.iter().any(|op| matches!(op, Op::Br { .. })), "{ops:?}");
    }
    // A two-op header: `global.get` is copied with the test.
    let two_op = while_loop("(br_if $exit (i32.ge_u (global.get $g) (local.get 0)))");
    let ops = register_ir(&two_op, true);
    let copies = ops
        .iter()
        .filter(|op| matches!(op, Op::GlobalGetS { .. }))
        .count();
    assert_eq!(copies, 2, "{ops:?}");
    assert!(
        ops.iter().any(|op| matches!(op, Op::BrI32LtUSs { .. })),
        "{ops:?}"
    );
    // Without fusion, and in the stack IR, the loop keeps its `br`.
    for (register, accumulators) in [(false, false), (true, false), (true, true)] {
        let options = IrOptions {
            register,
            fuse: false,
            accumulators,
        };
        let ops = ir_with(&one_op, options);
        assert!(ops.iter().any(|op| matches!(op, Op::Br { .. })), "{ops:?}");
        assert!(
            !ops.iter().any(|op| matches!(op, Op::BrCharged { .. })),
            "{ops:?}"
        );
    }
}

#[test]
fn rotate_loop_preconditions() {
    let kept = |wat: &str| {
        for acc in [false, true] {
            let ops = register_ir(wat, acc);
            assert!(
                !ops.iter().any(|op| matches!(op, Op::BrCharged { .. })),
                "{ops:?}"
            );
        }
    };
    // A float comparison in the header.
    kept(
        "(module (func (param f64) (result f64) \
           (block $exit (loop $head \
             (br_if $exit (f64.gt (local.get 0) (f64.const 10))) \
             (local.set 0 (f64.add (local.get 0) (f64.const 1))) \
             (br $head))) \
           (local.get 0)))",
    );
    // A store, a call, a trapping load before the test.
    kept(&while_loop(
        "(i32.store (i32.const 0) (local.get 0)) (br_if $exit (i32.eqz (local.get 0)))",
    ));
    kept(&while_loop(
        "(br_if $exit (i32.eqz (i32.load (local.get 0))))",
    ));
    kept(
        "(module (func $f (result i32) (i32.const 0)) \
           (func (param i32) \
             (block $exit (loop $head \
               (br_if $exit (i32.ge_u (call $f) (local.get 0))) \
               (br $head)))))",
    );
    // A loop with a parameter.
    kept(
        "(module (func (param i32) (result i32) \
           (i32.const 0) \
           (loop $head (param i32) (result i32) \
             (if (param i32) (result i32) (i32.gt_s (local.get 0) (i32.const 0)) \
               (then (i32.add (local.get 0)) \
                     (local.set 0 (i32.sub (local.get 0) (i32.const 1))) \
                     (br $head))))))",
    );
    // A label bound inside the header (the end of an empty block).
    kept(&while_loop(
        "(local.set 1 (local.get 0)) (block $empty) (br_if $exit (i32.eqz (local.get 1)))",
    ));
    // The header's test is not an exit: its branch goes back to the loop.
    kept(
        "(module (func (param i32) \
           (block $exit (loop $head \
             (br_if $head (i32.eqz (local.get 0))) \
             (local.set 0 (i32.sub (local.get 0) (i32.const 1))) \
             (br_if $exit (i32.eqz (local.get 0))) \
             (br $head)))))",
    );
}

#[test]
fn mask_into_compare() {
    let fused = |ops: &[Op]| {
        ops.iter().any(|op| {
            matches!(
                op,
                Op::I32AndSiBrEqSs {
                    a: 0,
                    imm: 0xff,
                    b: 1,
                    ..
                }
            )
        })
    };
    let body = "(block (br_if 0 (i32.eq (local.get 1) (i32.and (local.get 0) (i32.const 0xff)))))";
    for acc in [false, true] {
        let ops = register_ir(&func("(param i32 i32)", "", body), acc);
        assert!(fused(&ops), "{ops:?}");
    }
    // A label between the mask and the comparison: not merged.
    let body =
        "(block (br_if 0 (local.get 1)) (local.set 2 (i32.and (local.get 0) (i32.const 0xff))))
                (block (br_if 0 (i32.eq (local.get 1) (local.get 2))))";
    for acc in [false, true] {
        let ops = register_ir(&func("(param i32 i32)", "", body), acc);
        assert!(!fused(&ops), "{ops:?}");
        assert!(
            ops.contains(&Op::I32AndSi {
                dst: 2,
                a: 0,
                imm: 0xff
            }),
            "{ops:?}"
        );
    }
    // The comparison does not read the masked value: not merged.
    let body = "(local.set 2 (i32.and (local.get 0) (i32.const 0xff)))
                (block (br_if 0 (i32.eq (local.get 1) (local.get 0))))";
    let ops = register_ir(&func("(param i32 i32)", "", body), true);
    assert!(
        !ops.iter().any(|op| matches!(op, Op::I32AndSiBrEqSs { .. })),
        "{ops:?}"
    );
}

#[test]
fn load_into_store() {
    let module =
        |body: &str| format!("(module (memory 1) (func (param i32 i32) (local i32) {body}))");
    for acc in [false, true] {
        let ops = register_ir(
            &module(
                "(local.set 2 (i32.load offset=4 (local.get 0)))
                 (i32.store offset=4 (local.get 0) (local.get 1))",
            ),
            acc,
        );
        assert_eq!(
            ops[0],
            Op::I32LoadStoreS {
                dst: 2,
                addr: 0,
                offset: 4,
                value: 1
            },
            "{ops:?}"
        );
    }
    // The load overwrites the address slot; another offset; a label between.
    for body in [
        "(local.set 0 (i32.load (local.get 0))) (i32.store (local.get 0) (local.get 1))",
        "(local.set 2 (i32.load offset=4 (local.get 0))) (i32.store (local.get 0) (local.get 1))",
        "(block (br_if 0 (local.get 1)) (local.set 2 (i32.load (local.get 0))))
         (i32.store (local.get 0) (local.get 1))",
    ] {
        let ops = register_ir(&module(body), true);
        assert!(
            !ops.iter().any(|op| matches!(op, Op::I32LoadStoreS { .. })),
            "{ops:?}"
        );
    }
}

/// With fusion and accumulators, a value lower on the stack keeps the accumulator: the
/// operands computed above it go to slots, and the running value of a chain stays put.
#[test]
fn lower_value_keeps_the_accumulator() {
    // SHA-2's sigma: rotl(x, 30) ^ rotl(x, 19) ^ rotl(x, 10).
    let body = "(i32.xor (i32.xor (i32.rotl (local.get 0) (i32.const 30))
                                  (i32.rotl (local.get 0) (i32.const 19)))
                         (i32.rotl (local.get 0) (i32.const 10)))";
    let ops = register_ir(&func("(param i32)", "(result i32)", body), true);
    // One local plus the parameter: the first operand's home is slot 2, the second's 3.
    // (`fuse_pairs` then merges the second rotation with the xor reading it.)
    assert_eq!(
        ops[..3],
        [
            Op::I32RotlAsi { a: 0, imm: 30 },
            Op::I32RotlSiXorAas { t: 3, a: 0, k: 19 },
            Op::I32RotlSi {
                dst: 3,
                a: 0,
                imm: 10
            },
        ],
        "{ops:?}"
    );
    // The last link reads the accumulator too (and writes the returned slot).
    assert_eq!(ops[3], Op::I32XorSas { dst: 2, b: 3 }, "{ops:?}");
}

/// A value kept in the accumulator that must move after all is written to its slot by
/// its producer, however far back: no spill op. Here the branch carries the sum computed
/// before the counter's update (the `block_param` kernel's loop).
#[test]
fn kept_value_moves_through_its_producer() {
    let spills = |ops: &[Op]| ops.iter().any(|op| matches!(op, Op::SpillX { .. }));
    let wat = "(module (func (param i32) (result i32)
                 (i32.const 0)
                 (loop $l (param i32) (result i32)
                   (i32.add (local.get 0))
                   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                   (br_if $l (local.get 0)))))";
    let ops = register_ir(wat, true);
    assert!(!spills(&ops), "{ops:?}");
    assert!(
        ops.contains(&Op::I32AddSs { dst: 1, a: 1, b: 0 }),
        "{ops:?}"
    );
    // A call moves it too (calls clobber the accumulators).
    let wat = "(module (func $f (result i32) (i32.const 1))
                 (func (param i32) (result i32)
                   (i32.add (i32.mul (local.get 0) (local.get 0))
                            (i32.add (call $f) (i32.const 2)))))";
    let ops = register_ir(wat, true);
    assert!(!spills(&ops), "{ops:?}");
    assert!(
        ops.contains(&Op::I32MulSs { dst: 1, a: 0, b: 0 }),
        "{ops:?}"
    );
    // A `br_if` whose block result it is: written there before the condition is tested.
    let wat = "(module (func (param i32) (result i32)
                 (block $b (result i32)
                   (i32.mul (local.get 0) (local.get 0))
                   (br_if $b (i32.add (local.get 0) (i32.const 1)))
                   (i32.add (call $g) (i32.const 2))
                   (i32.add)))
               (func $g (result i32) (i32.const 1)))";
    let wasm = wat::parse_str(wat).expect("valid text");
    let options = IrOptions {
        register: true,
        fuse: true,
        accumulators: true,
    };
    let m = translate_with(&wasm, options).expect("valid module");
    let ops = &m.bodies[0].ops;
    assert_eq!(ops[0], Op::I32MulSs { dst: 1, a: 0, b: 0 }, "{ops:?}");
    assert!(!spills(ops), "{ops:?}");
}

/// The mask rule and the mask-compare rule take the slot forms the kept accumulator
/// leaves: `shr_u_si; and` into `shr_u_and_ssii`, `and_si; br_eq_as` into
/// `and_si_br_eq_as`.
#[test]
fn mask_rules_with_a_kept_accumulator() {
    let body = "(i32.add (i32.mul (local.get 0) (local.get 0))
                         (i32.and (i32.shr_u (local.get 0) (i32.const 3)) (i32.const 7)))";
    let ops = register_ir(&func("(param i32)", "(result i32)", body), true);
    assert!(
        ops.contains(&Op::I32ShrUAndSsii {
            dst: 3,
            a: 0,
            shift: 3,
            mask: 7
        }),
        "{ops:?}"
    );
    let body = "(block (br_if 0 (i32.eq (i32.mul (local.get 1) (local.get 1))
                                        (i32.and (local.get 0) (i32.const 0xff)))))";
    let ops = register_ir(&func("(param i32 i32)", "", body), true);
    assert!(
        ops.iter().any(|op| matches!(
            op,
            Op::I32AndSiBrEqAs {
                a: 0,
                imm: 0xff,
                ..
            }
        )),
        "{ops:?}"
    );
}

/// `i32.and_si` computing a select's condition merges into the select; not when the
/// masked value is also kept (a `local.tee`), nor with a label between them.
#[test]
fn mask_into_select() {
    let fused = |ops: &[Op]| {
        ops.iter()
            .any(|op| matches!(op, Op::SelectAndS { mask: 1, .. }))
    };
    // CRC's step: `crc = (crc ^ x) & 1 ? (crc >> 1) ^ poly : crc >> 1`.
    let body = "(select (i32.xor (local.get 2) (i32.const 0xa001)) (local.get 2)
                        (i32.and (i32.xor (local.get 0) (local.get 1)) (i32.const 1)))";
    for acc in [false, true] {
        let ops = register_ir(&func("(param i32 i32)", "(result i32)", body), acc);
        assert!(fused(&ops), "{ops:?}");
        assert!(
            !ops.iter().any(|op| matches!(op, Op::SelectS { .. })),
            "{ops:?}"
        );
    }
    // The masked value also goes to a local: the `and` must write it.
    let body = "(select (local.get 0) (local.get 1)
                        (local.tee 2 (i32.and (local.get 0) (i32.const 1))))";
    let ops = register_ir(&func("(param i32 i32)", "(result i32)", body), true);
    assert!(!fused(&ops), "{ops:?}");
    // A label between the mask and the select.
    let body = "(select (local.get 0) (local.get 1)
                        (block (result i32) (i32.and (local.get 0) (i32.const 1))))";
    let ops = register_ir(&func("(param i32 i32)", "(result i32)", body), true);
    assert!(!fused(&ops), "{ops:?}");
}

/// With accumulators, a binary op whose second operand is in the accumulator runs as its
/// mirror with the operands swapped (the same op if it commutes, `gt` for `lt`...), and
/// `imm op slot` as `slot op' imm`; an op without a mirror spills the accumulator.
#[test]
fn operands_swap_into_the_accumulator() {
    // An address computation: a + (b << 2).
    let body = "(i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))";
    let ops = register_ir(&func("(param i32 i32)", "(result i32)", body), true);
    // (Its result, returned, goes to the return slot: the `Sas` form of `Aas`.)
    assert!(
        matches!(
            ops[..2],
            [Op::I32ShlAsi { a: 1, imm: 2 }, Op::I32AddSas { b: 0, .. }]
        ),
        "{ops:?}"
    );
    // A comparison is mirrored: a <u (b << 2) is (b << 2) >u a.
    let body = "(i64.lt_u (local.get 0) (i64.shl (local.get 1) (i64.const 2)))";
    let ops = register_ir(&func("(param i64 i64)", "(result i32)", body), true);
    assert!(matches!(ops[1], Op::I64GtUSas { b: 0, .. }), "{ops:?}");
    let body = "(f64.le (local.get 0) (f64.mul (local.get 1) (local.get 1)))";
    let ops = register_ir(&func("(param f64 f64)", "(result i32)", body), true);
    assert!(matches!(ops[1], Op::F64GeSas { b: 0, .. }), "{ops:?}");
    // An immediate first: 7 >s a is a <s 7, into the accumulator.
    let body = "(i32.gt_s (i32.const 7) (local.get 0))";
    let ops = register_ir(&func("(param i32)", "(result i32)", body), true);
    assert!(
        matches!(ops[0], Op::I32LtSSi { a: 0, imm: 7, .. }),
        "{ops:?}"
    );
    // No mirror: a - (b << 2) spills the shift (its producer writes the slot).
    let body = "(i32.sub (local.get 0) (i32.shl (local.get 1) (i32.const 2)))";
    let ops = register_ir(&func("(param i32 i32)", "(result i32)", body), true);
    assert!(
        matches!(
            ops[..2],
            [Op::I32ShlSi { a: 1, imm: 2, .. }, Op::I32SubSs { a: 0, .. }]
        ),
        "{ops:?}"
    );
    // Float arithmetic keeps its order (a NaN's payload may depend on it).
    let body = "(f32.add (local.get 0) (f32.mul (local.get 1) (local.get 1)))";
    let ops = register_ir(&func("(param f32 f32)", "(result f32)", body), true);
    assert!(
        !ops.iter()
            .any(|op| matches!(op, Op::F32AddAas { .. } | Op::F32AddSas { .. })),
        "{ops:?}"
    );
}
