//! The manifests' expected results, checked on engines weft's authors did not write.
//!
//! `cargo test --features peers` runs every workload's quick case on every peer compiled
//! in; `cargo test --release --features peers -- --ignored --nocapture` runs the full cases
//! too and prints the timings used to size them. `WEFT_PEERS` and `WEFT_WORKLOADS`
//! (comma-separated substrings of engine names and workload ids) narrow a run.

use weft_experiments::known::{known_failure, KNOWN_FAILURES};
use weft_experiments::verify::run_checked;
use weft_experiments::{manifest, peers, Size};

fn check_every_workload_on_every_peer(size: Size) {
    let engines = peers::compiled_in();
    if engines.is_empty() {
        eprintln!("no peer compiled in (build with --features peers): nothing to check");
        return;
    }
    let engines: Vec<_> = engines
        .into_iter()
        .filter(|e| selected("WEFT_PEERS", &e.name()))
        .collect();
    let workloads: Vec<_> = manifest::load_all()
        .expect("manifests load")
        .into_iter()
        .filter(|w| selected("WEFT_WORKLOADS", &w.id()))
        .collect();
    let mut failures = Vec::new();
    for engine in &engines {
        for workload in &workloads {
            if known_failure(&engine.name(), &workload.id()).is_some() {
                eprintln!(
                    "{:14} {:20} skipped: known failure",
                    engine.name(),
                    workload.id()
                );
                continue;
            }
            match run_checked(engine.as_ref(), workload, size) {
                Ok(t) => eprintln!(
                    "{:14} {:20} load {:>10.3?}  instantiate {:>10.3?}  call {:>10.3?}",
                    engine.name(),
                    workload.id(),
                    t.load,
                    t.instantiate,
                    t.call
                ),
                Err(e) => failures.push(format!("{} {}: {e:#}", engine.name(), workload.id())),
            }
        }
    }
    for (engine, workload, why) in KNOWN_FAILURES {
        eprintln!("known failure, {engine} on {workload}*: {why}");
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn selected(variable: &str, name: &str) -> bool {
    std::env::var(variable).map_or(true, |filter| {
        filter.split(',').any(|part| name.contains(part.trim()))
    })
}

#[test]
fn quick_cases_give_the_expected_results_on_every_peer() {
    check_every_workload_on_every_peer(Size::Quick);
}

#[test]
#[ignore = "seconds in a release build, minutes in a debug one; run with --release"]
fn full_cases_give_the_expected_results_on_every_peer() {
    check_every_workload_on_every_peer(Size::Full);
}
