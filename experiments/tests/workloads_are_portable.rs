//! Every workload must run on every engine we compare: valid under the Wasm 2.0 feature set
//! without SIMD, and importing nothing but the host functions in `weft_experiments::host`
//! (the program workloads import nothing at all).

use wasmparser::{Parser, Payload, TypeRef, Validator, WasmFeatures};
use weft_experiments::manifest;

fn allowed() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::SIMD)
}

/// The proposals beyond 1.0 that weft and its peers must implement to run the workloads.
const PROPOSALS: &[(&str, WasmFeatures)] = &[
    ("bulk-memory", WasmFeatures::BULK_MEMORY),
    ("reference-types", WasmFeatures::REFERENCE_TYPES),
    ("sign-extension", WasmFeatures::SIGN_EXTENSION),
    ("sat-float-to-int", WasmFeatures::SATURATING_FLOAT_TO_INT),
    ("multi-value", WasmFeatures::MULTI_VALUE),
];

fn validates(wasm: &[u8], features: WasmFeatures) -> bool {
    Validator::new_with_features(features)
        .validate_all(wasm)
        .is_ok()
}

/// The proposals `wasm` cannot do without: dropping one makes it invalid.
fn proposals_used(wasm: &[u8]) -> Vec<&'static str> {
    PROPOSALS
        .iter()
        .filter(|(_, f)| !validates(wasm, allowed().difference(*f)))
        .map(|(name, _)| *name)
        .collect()
}

fn imports(wasm: &[u8]) -> Vec<(String, String, TypeRef)> {
    let mut found = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ImportSection(section) = payload.expect("parses") {
            for import in section.into_imports() {
                let import = import.expect("import parses");
                found.push((import.module.to_owned(), import.name.to_owned(), import.ty));
            }
        }
    }
    found
}

#[test]
fn every_workload_validates_without_simd_and_imports_nothing() {
    let workloads = manifest::load_all().expect("manifests load");
    assert!(
        workloads.len() >= 12,
        "expected the micro and programs suites"
    );
    let mut problems = Vec::new();
    for workload in &workloads {
        let wasm = workload.wasm().expect("workload file readable");
        if let Err(e) = Validator::new_with_features(allowed()).validate_all(&wasm) {
            problems.push(format!(
                "{}: invalid under Wasm 2.0 without SIMD: {e}",
                workload.id()
            ));
        }
        let imports = imports(&wasm);
        if !imports.is_empty() {
            problems.push(format!("{}: imports {imports:?}", workload.id()));
        }
        eprintln!(
            "{:20} {:>8} bytes  proposals used: {}",
            workload.id(),
            wasm.len(),
            proposals_used(&wasm).join(", ")
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
