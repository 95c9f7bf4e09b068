//! A guest cannot crash or hang its host: panicking host functions, fuel, epoch
//! interruption and resource limits, on every compiled-in configuration.

use std::panic::{catch_unwind, AssertUnwindSafe};
use weft::{Config, Engine, Linker, Module, Store, StoreLimitsBuilder, TrapCode};

const WAT: &str = r#"(module
  (import "host" "maybe_panic" (func $maybe_panic (param i32)))
  (memory (export "mem") 1)
  (func (export "call_host") (param i32) (call $maybe_panic (local.get 0)))
  (func (export "spin") (loop (br 0)))
  ;; Counts down from n; one call per iteration besides the loop itself.
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "count") (param i32) (result i32)
    (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (call $id (i32.const 1))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; Loops that the fused register IR rotates (a copy of the exit test at the back edge,
  ;; a charged jump on the way out): a one-op header, a two-op header (global.get, then
  ;; the compare), and a loop written as an `if` (its test exits to the else label).
  (global $c (mut i32) (i32.const 0))
  (func (export "rot1") (param i32) (result i32)
    (local i32)
    (block $exit (loop $head
      (br_if $exit (i32.ge_u (local.get 1) (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br $head)))
    (local.get 1))
  (func (export "rot2") (param i32) (result i32)
    (global.set $c (i32.const 0))
    (block $exit (loop $head
      (br_if $exit (i32.ge_u (global.get $c) (local.get 0)))
      (global.set $c (i32.add (global.get $c) (i32.const 1)))
      (br $head)))
    (global.get $c))
  (func (export "rot_if") (param i32) (result i32)
    (local i32)
    (loop $head
      (if (i32.lt_u (local.get 1) (local.get 0))
        (then (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br $head))))
    (local.get 1))
  ;; A linked list reversed in place, k times: on the fused register IR the reversal's loop
  ;; is one op that iterates in its handler (`i32.reverse_loop_s`).
  (func $rev (param $list i32) (result i32) (local $next i32) (local $tmp i32)
    (block $done
      (br_if $done (i32.eqz (local.get $list)))
      (loop $l
        (local.set $tmp (local.get $list))
        (local.set $list (i32.load (local.get $tmp)))
        (i32.store (local.get $tmp) (local.get $next))
        (local.set $next (local.get $tmp))
        (br_if $l (local.get $list))))
    (local.get $next))
  (func (export "reverse") (param $list i32) (param $k i32) (result i32)
    (loop $again
      (local.set $list (call $rev (local.get $list)))
      (br_if $again (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $list))
  ;; A list search, k times: the first node from $p whose record (through the pointer at
  ;; offset 4) holds $key in its u16 at offset 0; on the fused register IR its loop is one
  ;; op that iterates in its handler (`i32.find_load16_u_and_s`).
  (func $find (param $p i32) (param $key i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eq (i32.load16_u (i32.load offset=4 (local.get $p)))
                            (i32.and (local.get $key) (i32.const 0xffff))))
        (br_if $l (local.tee $p (i32.load (local.get $p))))))
    (local.get $p))
  (func (export "find") (param $p i32) (param $key i32) (param $k i32) (result i32)
    (local $r i32)
    (loop $again
      (local.set $r (call $find (local.get $p) (local.get $key)))
      (br_if $again (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $r))
  ;; Rotated with an empty body: the negated test branches to itself.
  (func (export "spin_until") (param i32)
    (block $exit (loop $head (br_if $exit (local.get 0)) (br $head)))))"#;

struct Host {
    limits: weft::StoreLimits,
}

fn setup(config: &Config) -> (Store<Host>, weft::Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, WAT).unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "maybe_panic", |x: i32| {
            if x != 0 {
                panic!("host panicked with {x}");
            }
        })
        .unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            limits: StoreLimitsBuilder::new().memory_size(4 * 65536).build(),
        },
    );
    if config.fuel_enabled() {
        store.set_fuel(u64::MAX / 2).unwrap();
    }
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn host_panics_propagate_and_the_store_stays_usable() {
    for config in Config::every_compiled() {
        let (mut store, instance) = setup(&config);
        let f = instance
            .get_typed_func::<i32, ()>(&store, "call_host")
            .unwrap();
        // More rounds than the re-entry limit (200), which a leaked counter would hit.
        for round in 0..300 {
            let caught = catch_unwind(AssertUnwindSafe(|| f.call(&mut store, 7)));
            let payload = caught.expect_err("the panic must reach the caller");
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                msg,
                "host panicked with 7",
                "{} round {round}",
                config.name()
            );
            f.call(&mut store, 0)
                .unwrap_or_else(|e| panic!("{} round {round}: {e}", config.name()));
        }
    }
}

#[test]
fn fuel_stops_runaway_loops_and_is_the_same_on_every_configuration() {
    let mut used = Vec::new();
    for mut config in Config::every_compiled() {
        config.consume_fuel(true);
        let (mut store, instance) = setup(&config);
        store.set_fuel(1_000_000).unwrap();
        let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
        let err = spin.call(&mut store, ()).unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::OutOfFuel),
            "{}",
            config.name()
        );
        assert_eq!(store.get_fuel().unwrap(), 0);

        // The store works after running dry, and charges the same on every configuration.
        store.set_fuel(10_000).unwrap();
        let count = instance
            .get_typed_func::<i32, i32>(&store, "count")
            .unwrap();
        assert_eq!(
            count.call(&mut store, 100).unwrap(),
            100,
            "{}",
            config.name()
        );
        used.push((config.name(), 10_000 - store.get_fuel().unwrap()));

        // Too little fuel for the same work traps.
        let need = used.last().unwrap().1;
        store.set_fuel(need - 1).unwrap();
        let err = count.call(&mut store, 100).unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::OutOfFuel),
            "{}",
            config.name()
        );
    }
    // The entry call, 100 calls of $id and 100 loop iterations.
    for (name, n) in &used {
        assert_eq!(*n, 201, "{name}: fuel used");
    }
}

#[test]
fn rotated_loops_charge_the_same_fuel_on_every_configuration() {
    // One unit for the entry call and one per iteration (a taken back edge), the last
    // included: a rotated loop charges it on its way out (`br_charged`).
    for mut config in Config::every_compiled() {
        config.consume_fuel(true);
        let (mut store, instance) = setup(&config);
        for name in ["rot1", "rot2", "rot_if"] {
            let f = instance.get_typed_func::<i32, i32>(&store, name).unwrap();
            for n in [0, 1, 2, 1000] {
                let need = 1 + n as u64;
                let what = format!("{} {name}({n})", config.name());
                store.set_fuel(need).unwrap();
                assert_eq!(f.call(&mut store, n).unwrap(), n, "{what}");
                assert_eq!(store.get_fuel().unwrap(), 0, "{what}: fuel left");
                // One unit less runs out on the last one, the loop's exit for n > 0.
                store.set_fuel(need - 1).unwrap();
                let err = f.call(&mut store, n).unwrap_err();
                assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{what}");
            }
        }
        // The test branching to itself: each turn is charged, the exit (none here) too.
        let spin = instance
            .get_typed_func::<i32, ()>(&store, "spin_until")
            .unwrap();
        store.set_fuel(1).unwrap();
        spin.call(&mut store, 1).unwrap();
        store.set_fuel(1000).unwrap();
        let err = spin.call(&mut store, 0).unwrap_err();
        let what = config.name();
        assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{what}");
        assert_eq!(store.get_fuel().unwrap(), 0, "{what}");
    }
}

#[test]
fn a_loop_run_inside_its_handler_charges_every_iteration() {
    // `reverse(4, k)` reverses a list of n nodes at 4, 8, ..., 4n, k times. One unit for
    // the entry call; per reversal one for its call and one per node but the last (the
    // taken back edges); k - 1 for the outer loop: k * (n + 1) in all. Above a grant of
    // fuel (`CHECK_INTERVAL`, 16384 units), the loop leaves its handler mid-list to
    // refill and re-enters it.
    let n = 10_000u32;
    let nodes: Vec<u8> = (1..=n)
        .flat_map(|i| if i < n { 4 * (i + 1) } else { 0 }.to_le_bytes())
        .collect();
    for mut config in Config::every_compiled() {
        config.consume_fuel(true);
        let (mut store, instance) = setup(&config);
        let memory = instance.get_memory(&store, "mem").unwrap();
        let reverse = instance
            .get_typed_func::<(i32, i32), i32>(&store, "reverse")
            .unwrap();
        for k in [1, 2, 3] {
            let what = format!("{} reverse k={k}", config.name());
            let need = k as u64 * (n as u64 + 1);
            memory.write(&mut store, 4, &nodes).unwrap();
            store.set_fuel(need).unwrap();
            let head = reverse.call(&mut store, (4, k)).unwrap();
            let expected = if k % 2 == 1 { 4 * n } else { 4 };
            assert_eq!(head as u32, expected, "{what}");
            assert_eq!(store.get_fuel().unwrap(), 0, "{what}: fuel left");
            // One unit less runs out on the last reversal's last back edge.
            memory.write(&mut store, 4, &nodes).unwrap();
            store.set_fuel(need - 1).unwrap();
            let err = reverse.call(&mut store, (4, k)).unwrap_err();
            assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{what}");
        }
    }
}

#[test]
fn a_search_run_inside_its_handler_charges_every_iteration() {
    // `find(8, key, k)` searches a list of n nodes at 8, 16, ..., 8n ([next, record]; each
    // node is its own record, whose u16 at 0 is the low half of its next pointer) k times.
    // The key 8n + 0x10000 (masked to 8n) matches node n - 1, so each search is a call and
    // n - 2 taken back edges; with the entry call and the outer loop's k - 1, k * n units.
    // Above a grant of fuel (16384 units) the loop leaves its handler to refill.
    let n = 5_000u32;
    let nodes: Vec<u8> = (1..=n)
        .flat_map(|i| {
            let next = if i < n { 8 * (i + 1) } else { 0 };
            [next.to_le_bytes(), (8 * i).to_le_bytes()]
        })
        .flatten()
        .collect();
    for mut config in Config::every_compiled() {
        config.consume_fuel(true);
        let (mut store, instance) = setup(&config);
        let memory = instance.get_memory(&store, "mem").unwrap();
        memory.write(&mut store, 8, &nodes).unwrap();
        let find = instance
            .get_typed_func::<(i32, i32, i32), i32>(&store, "find")
            .unwrap();
        // The u16 of node 8i is (8(i + 1)) & 0xffff: node n - 1 holds 8n, node n holds 0.
        let key = 8 * n as i32 + 0x10000;
        for k in [1, 3, 4] {
            let what = format!("{} find k={k}", config.name());
            let need = k as u64 * n as u64;
            store.set_fuel(need).unwrap();
            assert_eq!(
                find.call(&mut store, (8, key, k)).unwrap(),
                8 * (n as i32 - 1),
                "{what}"
            );
            assert_eq!(store.get_fuel().unwrap(), 0, "{what}: fuel left");
            store.set_fuel(need - 1).unwrap();
            let err = find.call(&mut store, (8, key, k)).unwrap_err();
            assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{what}");
        }
        // Not found: the list's end, 0.
        store.set_fuel(u64::MAX / 2).unwrap();
        assert_eq!(
            find.call(&mut store, (8, 3, 1)).unwrap(),
            0,
            "{}",
            config.name()
        );
    }
}

#[test]
fn epoch_interruption_stops_a_running_guest_from_another_thread() {
    for mut config in Config::every_compiled() {
        config.epoch_interruption(true);
        let (mut store, instance) = setup(&config);
        store.set_epoch_deadline(1);
        let engine = store.engine().clone();
        let ticker = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            engine.increment_epoch();
        });
        let spin = instance.get_typed_func::<(), ()>(&store, "spin").unwrap();
        let err = spin.call(&mut store, ()).unwrap_err();
        ticker.join().unwrap();
        assert_eq!(
            err.trap_code(),
            Some(TrapCode::Interrupt),
            "{}",
            config.name()
        );
        // A new deadline makes the store usable again.
        store.set_epoch_deadline(1);
        let count = instance
            .get_typed_func::<i32, i32>(&store, "count")
            .unwrap();
        assert_eq!(count.call(&mut store, 10).unwrap(), 10);
    }
}

#[test]
fn the_limiter_refuses_memory_growth() {
    for config in Config::every_compiled() {
        let (mut store, instance) = setup(&config);
        store.limiter(|h| &mut h.limits);
        let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
        assert_eq!(grow.call(&mut store, 3).unwrap(), 1, "{}", config.name());
        assert_eq!(grow.call(&mut store, 1).unwrap(), -1, "{}", config.name());
        assert_eq!(grow.call(&mut store, 0).unwrap(), 4, "{}", config.name());
    }
}

#[test]
fn cli_fuel_and_timeout_stop_a_runaway_loop_on_every_executor() {
    let dir = std::env::temp_dir().join(format!("weft-api-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("spin.wat");
    std::fs::write(&file, r#"(module (func (export "f") (loop (br 0))))"#).unwrap();
    for config in Config::every_compiled() {
        let executor = config.get_executor().name();
        for (flag, value, says) in [
            ("--fuel", "1000000", "fuel"),
            ("--timeout", "0.2", "timed out"),
        ] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
                .args([
                    "run",
                    file.to_str().unwrap(),
                    "--invoke",
                    "f",
                    "--dispatch",
                    executor,
                ])
                .args([flag, value])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{executor} {flag}");
            assert_eq!(stderr.lines().count(), 1, "{executor} {flag}: {stderr}");
            assert!(stderr.contains(says), "{executor} {flag}: {stderr}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
