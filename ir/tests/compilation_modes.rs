//! The lazy compilation modes translate each body to exactly what eager translation gives,
//! and report invalid bodies at load (`lazy-translation`) or when translated (`lazy`).

use weft_ir::{shapes, translate_in_mode, CompilationMode, IrOptions};

fn every_ir() -> Vec<IrOptions> {
    let mut v = vec![IrOptions::default()];
    for fuse in [false, true] {
        for accumulators in [false, true] {
            v.push(IrOptions {
                register: true,
                fuse,
                accumulators,
            });
        }
    }
    v
}

fn sample_modules() -> Vec<(String, Vec<u8>)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut modules = vec![(
        "op_families".to_string(),
        std::fs::read(format!("{root}/tests/data/op_families.wasm")).unwrap(),
    )];
    for name in ["json", "regex", "sha2"] {
        let path = format!("{root}/experiments/workloads/programs/{name}.wasm");
        modules.push((name.to_string(), std::fs::read(path).unwrap()));
    }
    for shape in shapes::ALL {
        modules.push((shape.name.to_string(), (shape.build)(20)));
    }
    modules
}

#[test]
fn lazy_bodies_translate_as_eager_ones() {
    for (name, wasm) in sample_modules() {
        for options in every_ir() {
            let (eager, none) = translate_in_mode(&wasm, options, CompilationMode::Eager).unwrap();
            assert!(none.is_none());
            for mode in [CompilationMode::LazyTranslation, CompilationMode::Lazy] {
                let (m, lazy) = translate_in_mode(&wasm, options, mode).unwrap();
                let lazy = lazy.expect("lazy bodies");
                assert_eq!(lazy.len(), eager.bodies.len());
                for (i, want) in eager.bodies.iter().enumerate() {
                    let placeholder = &m.bodies[i];
                    assert!(placeholder.ops.is_empty());
                    assert_eq!(placeholder.ty, want.ty);
                    let got = lazy.translate(&m, i as u32).unwrap();
                    assert_eq!(&got, want, "{name} {options:?} {mode:?} body {i}");
                }
            }
        }
    }
}

const INVALID_BODY: &str = r#"(module
    (func (export "ok") (result i32) (i32.const 1))
    (func (export "bad") (result i32) (i32.add (i32.const 1) (i64.const 2))))"#;

#[test]
fn invalid_body_fails_at_load_unless_lazy() {
    let wasm = wat::parse_str(INVALID_BODY).unwrap();
    for options in every_ir() {
        for mode in [CompilationMode::Eager, CompilationMode::LazyTranslation] {
            let err = translate_in_mode(&wasm, options, mode).unwrap_err();
            assert!(err.message.contains("type mismatch"), "{mode:?}: {err}");
        }
        let (m, lazy) = translate_in_mode(&wasm, options, CompilationMode::Lazy).unwrap();
        let lazy = lazy.unwrap();
        assert!(lazy.translate(&m, 0).is_ok());
        let err = lazy.translate(&m, 1).unwrap_err();
        assert!(err.message.contains("type mismatch"), "{err}");
        assert!(err.offset.is_some());
    }
}

#[test]
fn malformed_structure_fails_at_load_in_every_mode() {
    let mut wasm = wat::parse_str(INVALID_BODY).unwrap();
    wasm.truncate(wasm.len() - 3);
    for &mode in CompilationMode::ALL {
        assert!(translate_in_mode(&wasm, IrOptions::default(), mode).is_err());
    }
}

#[test]
fn mode_names_round_trip() {
    for &mode in CompilationMode::ALL {
        assert_eq!(CompilationMode::from_name(mode.name()), Some(mode));
    }
    assert_eq!(CompilationMode::from_name("lazier"), None);
}
