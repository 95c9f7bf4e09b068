//! Running one workload case on one engine and checking its results.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::engine::Engine;
use crate::host::Host;
use crate::manifest::{Size, Workload};

/// What a checked run took, split the way the runner reports it.
#[derive(Clone, Copy, Debug)]
pub struct Timings {
    pub load: Duration,
    pub instantiate: Duration,
    pub call: Duration,
}

/// Load, instantiate and call `workload` at `size` on `engine`, and compare the results
/// with the manifest. An error says which step failed, or what was returned instead.
pub fn run_checked(engine: &dyn Engine, workload: &Workload, size: Size) -> Result<Timings> {
    let wasm = workload.wasm()?;
    let case = workload.case(size);
    let started = Instant::now();
    let loaded = engine.load(&wasm)?;
    let loaded_at = Instant::now();
    let mut instance = loaded.instantiate(Host::default())?;
    let instantiated_at = Instant::now();
    let results = instance.call(&workload.export, &case.args)?;
    let done_at = Instant::now();
    if results != case.results {
        bail!(
            "{} on {}: returned [{}], expected [{}]",
            workload.id(),
            engine.name(),
            join(&results),
            join(&case.results)
        );
    }
    Ok(Timings {
        load: loaded_at - started,
        instantiate: instantiated_at - loaded_at,
        call: done_at - instantiated_at,
    })
}

fn join(values: &[crate::value::Value]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
