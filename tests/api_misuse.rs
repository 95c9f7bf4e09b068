//! Safe code cannot crash the host through the API: handles used with another store,
//! modules and imports of another engine, references smuggled between stores. Each misuse
//! is an `Error` (or `None` for a lookup), and the store keeps working afterwards. Every
//! compiled-in configuration.

use weft::{
    Config, Engine, Executor, Extern, ExternRef, Func, FuncType, Global, GlobalType, Linker,
    Memory, MemoryType, Module, Store, Table, TableType, Val, ValType,
};

const PROVIDER: &str = r#"(module
  (memory (export "mem") 1)
  (global (export "g") (mut i32) (i32.const 5))
  (table (export "t") 2 funcref)
  (func $seven (export "seven") (result i32) (i32.const 7))
  (elem (i32.const 0) $seven))"#;

const IMPORTER: &str = r#"(module
  (import "p" "seven" (func $seven (result i32)))
  (func (export "run") (result i32) (i32.add (call $seven) (i32.const 1))))"#;

fn instance(store: &mut Store<()>, engine: &Engine, wat: &str) -> weft::Instance {
    let module = Module::new(engine, wat).unwrap();
    Linker::new(engine).instantiate(store, &module).unwrap()
}

fn is_wrong_store(e: weft::Error) -> bool {
    e.to_string().contains("belongs to another store")
}

/// After a misuse, the store still runs its own code.
fn still_works(store: &mut Store<()>, inst: weft::Instance, what: &str) {
    let seven = inst.get_typed_func::<(), i32>(&*store, "seven").unwrap();
    assert_eq!(seven.call(&mut *store, ()).unwrap(), 7, "after {what}");
}

#[test]
fn handles_of_another_store_are_errors() {
    for config in Config::every_compiled() {
        let name = config.name();
        let engine = Engine::new(&config);
        let mut a = Store::new(&engine, ());
        let mut b = Store::new(&engine, ());
        let ia = instance(&mut a, &engine, PROVIDER);
        let ib = instance(&mut b, &engine, PROVIDER);

        let seven = ia.get_func(&a, "seven").unwrap();
        let mem = ia.get_memory(&a, "mem").unwrap();
        let g = ia.get_global(&a, "g").unwrap();
        let t = ia.get_table(&a, "t").unwrap();

        // Functions, untyped and typed.
        let mut out = [Val::I32(0)];
        assert!(
            is_wrong_store(seven.call(&mut b, &[], &mut out).unwrap_err()),
            "{name}"
        );
        assert!(is_wrong_store(seven.ty(&b).unwrap_err()), "{name}");
        assert!(seven.typed::<(), i32>(&b).is_err(), "{name}");
        let typed = seven.typed::<(), i32>(&a).unwrap();
        assert!(
            is_wrong_store(typed.call(&mut b, ()).unwrap_err()),
            "{name}"
        );
        // Memories.
        assert!(is_wrong_store(mem.size(&b).unwrap_err()), "{name}");
        assert!(
            mem.data(&b).is_err() && mem.data_mut(&mut b).is_err(),
            "{name}"
        );
        assert!(is_wrong_store(mem.grow(&mut b, 1).unwrap_err()), "{name}");
        assert!(mem.read(&b, 0, &mut [0; 4]).is_err(), "{name}");
        assert!(mem.write(&mut b, 0, &[1; 4]).is_err(), "{name}");
        assert!(mem.ty(&b).is_err(), "{name}");
        // Globals.
        assert!(is_wrong_store(g.get(&b).unwrap_err()), "{name}");
        assert!(g.set(&mut b, Val::I32(1)).is_err(), "{name}");
        assert!(g.ty(&b).is_err(), "{name}");
        // Tables.
        assert!(t.size(&b).is_err() && t.ty(&b).is_err(), "{name}");
        assert_eq!(t.get(&b, 0), None, "{name}");
        assert!(t.set(&mut b, 0, Val::FuncRef(None)).is_err(), "{name}");
        assert!(t.grow(&mut b, 1, Val::FuncRef(None)).is_err(), "{name}");
        // Instances.
        assert_eq!(ia.get_export(&b, "seven"), None, "{name}");
        assert!(ia.exports(&b).is_err(), "{name}");
        assert!(
            is_wrong_store(ia.get_typed_func::<(), i32>(&b, "seven").unwrap_err()),
            "{name}"
        );
        // Host references.
        let r = ExternRef::new(&mut a, 42u32);
        assert!(is_wrong_store(r.data(&b).unwrap_err()), "{name}");
        assert_eq!(r.data(&a).unwrap().downcast_ref::<u32>(), Some(&42));

        // The other store's own entities were not touched, and both stores still work.
        assert_eq!(
            ib.get_global(&b, "g").unwrap().get(&b).unwrap(),
            Val::I32(5)
        );
        assert_eq!(ib.get_memory(&b, "mem").unwrap().size(&b).unwrap(), 1);
        still_works(&mut a, ia, "misuse");
        still_works(&mut b, ib, "misuse");
    }
}

#[test]
fn references_to_another_store_are_errors() {
    for config in Config::every_compiled() {
        let name = config.name();
        let engine = Engine::new(&config);
        let mut a = Store::new(&engine, ());
        let mut b = Store::new(&engine, ());
        let ia = instance(&mut a, &engine, PROVIDER);
        let ib = instance(&mut b, &engine, PROVIDER);
        let seven_a = ia.get_func(&a, "seven").unwrap();
        let t_b = ib.get_table(&b, "t").unwrap();

        // Into a table, a global, a call's arguments, a new table.
        assert!(is_wrong_store(
            t_b.set(&mut b, 1, Val::FuncRef(Some(seven_a))).unwrap_err()
        ));
        let fty = GlobalType {
            content: ValType::FuncRef,
            mutable: true,
        };
        assert!(Global::new(&mut b, fty, Val::FuncRef(Some(seven_a))).is_err());
        let table_ty = TableType {
            elem: ValType::FuncRef,
            limits: weft::Limits { min: 1, max: None },
        };
        assert!(Table::new(&mut b, table_ty, Val::FuncRef(Some(seven_a))).is_err());
        let take = Func::wrap(&mut b, |f: Option<Func>| f.is_some() as i32);
        let mut out = [Val::I32(0)];
        assert!(
            is_wrong_store(
                take.call(&mut b, &[Val::FuncRef(Some(seven_a))], &mut out)
                    .unwrap_err()
            ),
            "{name}"
        );
        let typed = take.typed::<Option<Func>, i32>(&b).unwrap();
        assert!(is_wrong_store(
            typed.call(&mut b, Some(seven_a)).unwrap_err()
        ));

        // A host function that returns another store's reference fails its call.
        let leak = Func::wrap(&mut b, move || Some(seven_a));
        let err = leak.typed::<(), Option<Func>>(&b).unwrap().call(&mut b, ());
        assert!(
            err.unwrap_err().to_string().contains("another store"),
            "{name}"
        );
        let dynamic = Func::new(
            &mut b,
            FuncType::new([], [ValType::FuncRef]),
            move |_, _, results| {
                results[0] = Val::FuncRef(Some(seven_a));
                Ok(())
            },
        );
        let mut out = [Val::FuncRef(None)];
        assert!(dynamic.call(&mut b, &[], &mut out).is_err(), "{name}");

        // The table slot kept its element; the store works.
        assert_eq!(t_b.get(&b, 1), Some(Val::FuncRef(None)), "{name}");
        still_works(&mut b, ib, "reference misuse");
    }
}

#[test]
fn imports_from_another_store_are_link_errors() {
    for config in Config::every_compiled() {
        let name = config.name();
        let engine = Engine::new(&config);
        let mut a = Store::new(&engine, ());
        let mut b = Store::new(&engine, ());
        let ia = instance(&mut a, &engine, PROVIDER);
        let ib = instance(&mut b, &engine, PROVIDER);
        let mut linker = Linker::new(&engine);
        linker.instance(&a, "p", ia).unwrap();
        let importer = Module::new(&engine, IMPORTER).unwrap();
        let err = linker.instantiate(&mut b, &importer).unwrap_err();
        assert!(
            err.to_string().contains("belongs to another store"),
            "{name}: {err}"
        );
        // Memories and globals defined one by one, too.
        let mut linker = Linker::new(&engine);
        let mem = Memory::new(
            &mut a,
            MemoryType {
                limits: weft::Limits { min: 1, max: None },
            },
        )
        .unwrap();
        linker.define("p", "mem", mem).unwrap();
        let uses_mem = Module::new(&engine, r#"(module (import "p" "mem" (memory 1)))"#).unwrap();
        assert!(linker.instantiate(&mut b, &uses_mem).is_err(), "{name}");

        // The same linker works with the right store.
        let mut linker = Linker::new(&engine);
        linker.instance(&b, "p", ib).unwrap();
        let run = linker.instantiate(&mut b, &importer).unwrap();
        let run = run.get_typed_func::<(), i32>(&b, "run").unwrap();
        assert_eq!(run.call(&mut b, ()).unwrap(), 8, "{name}");
    }
}

/// The issue's reproduction: a store of one engine, an instance of a module of another
/// engine (another executor, so another code encoding) linked into it. Before store
/// identity this jumped to opcode bytes.
#[test]
fn modules_of_another_engine_are_rejected() {
    let executors = Executor::compiled();
    for &first in &executors {
        for &second in &executors {
            let e1 = Engine::new(Config::new().executor(first));
            let e2 = Engine::new(Config::new().executor(second));
            let mut store = Store::new(&e1, ());
            let provider = Module::new(&e1, PROVIDER).unwrap();
            let p = Linker::new(&e1).instantiate(&mut store, &provider).unwrap();
            let mut linker = Linker::new(&e2);
            linker.instance(&store, "p", p).unwrap();
            let importer = Module::new(&e2, IMPORTER).unwrap();
            let err = linker.instantiate(&mut store, &importer).unwrap_err();
            assert!(
                err.to_string().contains("another engine"),
                "{first:?} store, {second:?} module: {err}"
            );
            // A module of the store's own engine still links and runs.
            let importer = Module::new(&e1, IMPORTER).unwrap();
            let mut linker = Linker::new(&e1);
            linker.instance(&store, "p", p).unwrap();
            let inst = linker.instantiate(&mut store, &importer).unwrap();
            let run = inst.get_typed_func::<(), i32>(&store, "run").unwrap();
            assert_eq!(run.call(&mut store, ()).unwrap(), 8);
        }
    }
}

/// Handles outlive nothing they should not: a store's handles keep working with it, and a
/// handle of a dropped store is an error with a new store (ids are never reused).
#[test]
fn handles_of_a_dropped_store_are_errors() {
    let engine = Engine::default();
    let seven = {
        let mut old = Store::new(&engine, ());
        let inst = instance(&mut old, &engine, PROVIDER);
        inst.get_func(&old, "seven").unwrap()
    };
    let mut store = Store::new(&engine, ());
    let inst = instance(&mut store, &engine, PROVIDER);
    let mut out = [Val::I32(0)];
    assert!(is_wrong_store(
        seven.call(&mut store, &[], &mut out).unwrap_err()
    ));
    assert!(matches!(
        inst.get_export(&store, "seven"),
        Some(Extern::Func(_))
    ));
    still_works(&mut store, inst, "a dropped store's handle");
}
