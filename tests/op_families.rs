//! One small module that reaches every family of ops (integer and float arithmetic,
//! conversions, every load and store width, bulk memory, tables, globals, direct, indirect,
//! host and tail calls, `br_table`, multi-value, traps, stack exhaustion), run on every
//! compiled-in executor x IR with results computed by hand.
//!
//! It is sized for Miri: CI runs it under `cargo +nightly miri test` for the trampoline and
//! loop-switch executors (threaded is not compiled under Miri), where the official suite is
//! too slow because Miri interprets the `.wast` parser as well (parsing this one module's
//! text takes Miri about 100 s, so the test loads its committed binary). Natively it takes
//! milliseconds and runs with the rest of `cargo test`.

use weft::{Config, Engine, IrKind, Linker, Module, Store, TrapCode, Val};

/// The module, assembled from `tests/data/op_families.wat` (see `binary_matches_text`).
const WASM: &[u8] = include_bytes!("data/op_families.wasm");

/// Deep enough for the tests, small enough that Miri allocates little.
const STACK_CELLS: usize = 1 << 12;
const CALL_DEPTH: usize = 64;

struct Run {
    name: String,
    store: Store<()>,
    instance: weft::Instance,
}

impl Run {
    fn new(mut config: Config) -> Run {
        config
            .max_stack_cells(STACK_CELLS)
            .max_call_depth(CALL_DEPTH);
        let name = config.name();
        let engine = Engine::new(&config);
        let module = Module::new(&engine, WASM).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("host", "mul", |a: i64, b: i64| a.wrapping_mul(b))
            .unwrap();
        let instance = linker
            .instantiate(&mut store, &module)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        Run {
            name,
            store,
            instance,
        }
    }

    fn call(&mut self, export: &str, args: &[Val]) -> Result<Vec<Val>, weft::Error> {
        let func = self
            .instance
            .get_func(&self.store, export)
            .unwrap_or_else(|| panic!("no export {export}"));
        let mut results = vec![Val::I32(0); func.ty(&self.store)?.results.len()];
        func.call(&mut self.store, args, &mut results)?;
        Ok(results)
    }

    fn expect(&mut self, export: &str, args: &[Val], want: &[Val]) {
        let got = self
            .call(export, args)
            .unwrap_or_else(|e| panic!("{}: {export}{args:?}: {e}", self.name));
        assert_eq!(got, want, "{}: {export}{args:?}", self.name);
    }

    fn expect_trap(&mut self, export: &str, args: &[Val], code: TrapCode) {
        match self.call(export, args) {
            Err(e) => assert_eq!(
                e.trap_code(),
                Some(code),
                "{}: {export}{args:?}: {e}",
                self.name
            ),
            Ok(v) => panic!("{}: {export}{args:?} returned {v:?}, not a trap", self.name),
        }
    }
}

fn f32v(x: f32) -> Val {
    Val::F32(x.to_bits())
}
fn f64v(x: f64) -> Val {
    Val::F64(x.to_bits())
}

#[test]
fn every_op_family_on_every_configuration() {
    let configs = Config::every_compiled();
    assert!(
        configs.len() >= IrKind::ALL.len(),
        "no executor compiled in"
    );
    for config in configs {
        let mut r = Run::new(config);
        r.expect(
            "fac",
            &[Val::I64(20)],
            &[Val::I64(2_432_902_008_176_640_000)],
        );
        r.expect("sum_to", &[Val::I32(100)], &[Val::I32(5050)]);

        // 100 / 7 = 14, rotl 3 = 112; 100 % 7 = 2, popcnt 1; 112 ^ 1 = 113.
        // (100 >> 1) | ctz(7) = 50 | 0 = 50. 113 + 50 = 163.
        r.expect("int_mix", &[Val::I32(100), Val::I32(7)], &[Val::I64(163)]);
        // The same with a negative dividend: div_u and rem_s now differ in sign.
        let q = (-100i32 as u32 / 7).rotate_left(3);
        let p = (-100i32 % 7).count_ones();
        let hi = ((-100i64) >> 1) | 7u64.trailing_zeros() as i64;
        r.expect(
            "int_mix",
            &[Val::I32(-100), Val::I32(7)],
            &[Val::I64(((q ^ p) as i64).wrapping_add(hi))],
        );
        r.expect_trap(
            "int_mix",
            &[Val::I32(1), Val::I32(0)],
            TrapCode::IntegerDivisionByZero,
        );
        r.expect_trap(
            "div_s",
            &[Val::I32(i32::MIN), Val::I32(-1)],
            TrapCode::IntegerOverflow,
        );

        // 2.5 * 4 = 10; max(-7.25, -3) = -3, copysign(-1) = -3. 10 + -3 = 7.
        r.expect("float_mix", &[f32v(2.5), f64v(-7.25)], &[f64v(7.0)]);
        // max(NaN, -3) is NaN: NaN propagates through copysign and add.
        let nan = r.call("float_mix", &[f32v(1.0), f64v(f64::NAN)]).unwrap();
        assert!(
            matches!(nan[..], [Val::F64(b)] if f64::from_bits(b).is_nan()),
            "{}: {nan:?}",
            r.name
        );
        r.expect("trunc", &[f64v(-3.9)], &[Val::I64(-3)]);
        r.expect_trap("trunc", &[f64v(f64::NAN)], TrapCode::BadConversionToInteger);
        r.expect_trap("trunc", &[f64v(1e300)], TrapCode::IntegerOverflow);
        r.expect("trunc_sat", &[f64v(1e300)], &[Val::I32(i32::MAX)]);

        // -2 + 0x01020304 + (i16)0xfffe + 0x80 + 7 + 1 + 2 + (i8)0x80
        let widths = -2 + 0x0102_0304 - 2 + 0x80 + 7 + 1 + 2 - 128;
        r.expect("mem_widths", &[Val::I32(64)], &[Val::I64(widths)]);
        r.expect_trap("load", &[Val::I32(65_534)], TrapCode::MemoryOutOfBounds);
        r.expect_trap(
            "mem_widths",
            &[Val::I32(65_536 - 16)],
            TrapCode::MemoryOutOfBounds,
        );

        // Bytes 1..8 at 100; 104..108 := 1 2 3 4; 108..110 := 9 9.
        // 0x04030201 + 0x0909 + (old size 1) + (new size 2).
        r.expect("bulk", &[], &[Val::I32(0x0403_0201 + 0x0909 + 1 + 2)]);
        // The data segment is dropped: initialising from it again traps.
        r.expect_trap("bulk", &[], TrapCode::MemoryOutOfBounds);

        r.expect("indirect", &[Val::I32(0), Val::I32(21)], &[Val::I32(42)]);
        r.expect("indirect", &[Val::I32(1), Val::I32(12)], &[Val::I32(144)]);
        r.expect_trap(
            "indirect",
            &[Val::I32(2), Val::I32(1)],
            TrapCode::UninitializedElement,
        );
        r.expect_trap(
            "indirect",
            &[Val::I32(9), Val::I32(1)],
            TrapCode::UndefinedElement,
        );
        // slot 2 := square, slot 3 := double: 25 + 10, then grow 4 -> 6 returns 4.
        r.expect("tables", &[], &[Val::I32(25 + 10 + 4 + 6)]);
        // The passive segment is dropped: table.init from it again traps.
        r.expect_trap("tables", &[], TrapCode::TableOutOfBounds);

        // g = 6, host 6 * 7 = 42; index 0 falls out of $b2: 42 + 100 + 1000 (selected).
        r.expect("misc", &[Val::I32(0)], &[Val::I64(42 + 100 + 1000)]);
        // Index 1 leaves $b1 and returns 100 + 2; 7 (the default) leaves $b0: 100 + 1.
        r.expect("misc", &[Val::I32(1)], &[Val::I64(102)]);
        r.expect("misc", &[Val::I32(7)], &[Val::I64(101)]);
        // The frame at 48, sp restored to 64 each time.
        r.expect("frame", &[Val::I32(5)], &[Val::I32(5 + 6400)]);
        r.expect("frame", &[Val::I32(7)], &[Val::I32(7 + 6400)]);
        // a = 8, b = 12: (32 + 12) * 12 + 8; a = 0, b = 7: 7 * 7.
        r.expect("pairs", &[Val::I32(5), Val::I32(7)], &[Val::I32(536)]);
        r.expect("pairs", &[Val::I32(-3), Val::I32(2)], &[Val::I32(49)]);
        // Computed outside weft (Python, from the definitions of rotl, shr_u and the data).
        r.expect(
            "shift_pairs",
            &[Val::I32(5), Val::I32(7)],
            &[Val::I32(1244443681)],
        );
        r.expect(
            "shift_pairs",
            &[Val::I32(2), Val::I32(3)],
            &[Val::I32(-2079168392)],
        );
        r.expect("shift_pairs", &[Val::I32(0), Val::I32(0)], &[Val::I32(3)]);
        // Reversed: the walk reads 5 + 2, then 3 + 1, in decimal (74), the counter 2 and
        // the stride's sum; the second call reverses back and reads 4 then 47.
        r.expect(
            "list_pairs",
            &[Val::I32(1536), Val::I32(7)],
            &[Val::I32(74_000 + 14 + 2)],
        );
        r.expect(
            "list_pairs",
            &[Val::I32(1544), Val::I32(-3)],
            &[Val::I32(47_000 - 6 + 2)],
        );
        // The list is back in order (1536, 1544); records: u16 3, u8 1; u16 5, u8 2.
        r.expect(
            "list_find",
            &[Val::I32(1536), Val::I32(5)],
            &[Val::I32(1544 << 16)],
        );
        r.expect(
            "list_find",
            &[Val::I32(1536), Val::I32(0x102)],
            &[Val::I32(1544)],
        );
        r.expect(
            "list_find",
            &[Val::I32(1536), Val::I32(0x10003)],
            &[Val::I32(1536 << 16)],
        );
        r.expect(
            "crc_steps",
            &[Val::I32(0x1234), Val::I32(8)],
            &[Val::I32(21645)],
        );
        r.expect(
            "crc_steps",
            &[Val::I32(0x1234), Val::I32(0)],
            &[Val::I32(42124)],
        );
        r.expect("crc_steps", &[Val::I32(7), Val::I32(0)], &[Val::I32(20481)]);
        // a 1, b 10, b 10 (state 5: the table's default), comma 100, a 1.
        r.expect("scan", &[Val::I32(1700)], &[Val::I32(122)]);
        // The global counts every call (5 + 4 = 9 now), and host_mul saw 9 * 10.
        r.expect("misc", &[Val::I32(0)], &[Val::I64(9 * 10 + 100 + 1000)]);
        // Tail calls run in constant frames: far deeper than CALL_DEPTH.
        r.expect("tail", &[Val::I32(10 * CALL_DEPTH as i32)], &[Val::I32(42)]);

        r.expect_trap("recurse", &[Val::I32(0)], TrapCode::StackOverflow);
        r.expect_trap("unreachable", &[], TrapCode::Unreachable);
        // After every trap the instance still works.
        r.expect("fac", &[Val::I64(5)], &[Val::I64(120)]);
    }
}

/// The committed binary is the text assembled: a stale binary fails here (natively; Miri
/// skips the text parser). `WEFT_BLESS=1` rewrites it instead.
#[test]
#[cfg_attr(miri, ignore)]
fn binary_matches_text() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let assembled = wat::parse_file(dir.join("op_families.wat")).expect("the text assembles");
    if std::env::var_os("WEFT_BLESS").is_some() {
        std::fs::write(dir.join("op_families.wasm"), &assembled).expect("writes the binary");
        return;
    }
    assert!(
        assembled == WASM,
        "tests/data/op_families.wasm is stale: run `WEFT_BLESS=1 cargo test --test op_families`"
    );
}
