//! `weft-experiments probe`: run one workload on one weft configuration and report what it
//! executed. The `matrix` suite starts it as a child process twice over:
//!
//! - from a build with the `stats` feature (its own cargo profile, `weft-stats`), to count
//!   the IR ops the calls execute;
//! - under `valgrind --tool=callgrind --toggle-collect=weft_exp_measured`, to count the
//!   machine instructions of exactly the measured calls (not loading, translating or
//!   instantiating).
//!
//! Both measure the same calls: one warm-up call (checked), then `reps` calls inside
//! [`weft_exp_measured`] (the last checked).

use anyhow::{anyhow, bail, Result};

use crate::bench::Prepared;
use crate::manifest::{self, Size};
use crate::weft_adapter::PREFIX;

/// The function callgrind collects in: unmangled, never inlined.
#[no_mangle]
#[inline(never)]
pub fn weft_exp_measured(prepared: &mut Prepared, reps: u64) {
    for _ in 0..reps {
        prepared.call();
    }
}

/// What the probe prints, one `key value` per line.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProbeReport {
    pub calls: u64,
    /// Executed IR ops over the measured calls (stats builds only).
    pub ops: Option<u64>,
}

/// `probe ENGINE WORKLOAD SIZE REPS`: e.g. `probe weft:threaded/stack micro/fib_rec quick 1`.
pub fn main(args: &[String]) -> Result<()> {
    let [engine, workload, size, reps] = args else {
        bail!("usage: weft-experiments probe weft:<config> <suite>/<workload> quick|full <reps>");
    };
    let config = engine
        .strip_prefix(PREFIX)
        .ok_or_else(|| anyhow!("the probe runs weft configurations only, not `{engine}`"))?;
    let (suite, name) = workload
        .split_once('/')
        .ok_or_else(|| anyhow!("workload `{workload}`: expected <suite>/<name>"))?;
    let workload = manifest::load(&manifest::workloads_dir().join(suite).join("manifest.toml"))?
        .into_iter()
        .find(|w| w.name == name)
        .ok_or_else(|| anyhow!("no workload `{name}` in suite `{suite}`"))?;
    let size = match size.as_str() {
        "quick" => Size::Quick,
        "full" => Size::Full,
        other => bail!("size `{other}`: expected quick or full"),
    };
    let reps: u64 = reps.parse()?;
    let mut prepared = Prepared::new(config, workload, size)?;
    prepared.call();
    prepared.check()?;
    #[cfg(feature = "stats")]
    prepared.instance.store.reset_op_counts();
    weft_exp_measured(&mut prepared, reps);
    prepared.check()?;
    println!("calls {reps}");
    #[cfg(feature = "stats")]
    println!("ops {}", prepared.instance.ops_executed());
    Ok(())
}

pub fn parse_report(stdout: &str) -> ProbeReport {
    let mut report = ProbeReport::default();
    for line in stdout.lines() {
        match line.split_once(' ') {
            Some(("calls", n)) => report.calls = n.trim().parse().unwrap_or(0),
            Some(("ops", n)) => report.ops = n.trim().parse().ok(),
            _ => {}
        }
    }
    report
}
