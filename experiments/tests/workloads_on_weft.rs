//! Every workload's quick case on every compiled-in weft configuration, through the same
//! engine adapter the runner uses, checked against the manifests.

use weft_experiments::verify::run_checked;
use weft_experiments::{manifest, Engine, Size, Weft};

#[test]
fn quick_cases_give_the_expected_results_on_every_configuration() {
    let workloads = manifest::load_all().expect("manifests load");
    let mut failures = Vec::new();
    for weft in Weft::all() {
        for workload in &workloads {
            if let Err(e) = run_checked(&weft, workload, Size::Quick) {
                failures.push(format!("{} {}: {e:#}", weft.name(), workload.id()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
