//! `weft-experiments count`: machine instructions of one workload on one or more engines
//! (weft configurations and peers alike), counted by callgrind, so that anyone can
//! reproduce a number while the machine is busy (instruction counts do not depend on load).
//!
//! ```text
//! weft-experiments count ENGINES WORKLOAD SIZE REPS
//!   ENGINES   comma-separated: weft:<executor>/<ir>, wasmi/eager, wasmi/lazy, stitch, ...
//!   WORKLOAD  <suite>/<name> (micro/fib_rec, kernels/global_counter, programs/sha2)
//!             or coremark:PATH (CoreMark with a clock that advances 10 s per reading, so
//!             every engine runs the same 30 iterations: 10 calibrating, 20 timed)
//!   SIZE      quick | full
//!   REPS      measured calls after one checked warm-up call
//! ```
//!
//! For each engine it starts itself under `valgrind --tool=callgrind
//! --toggle-collect=weft_exp_count` (only the `REPS` measured calls count, not loading,
//! translating, instantiating or the warm-up call) and prints one line per engine:
//! the engine, the total instructions, and instructions per call. Every engine is driven
//! through the same [`Instance::call`](crate::Instance) path, so the embedding overhead per
//! call (export lookup, value conversion) is alike, and small beside these workloads.
//! `count-one` (internal) is the child: it runs the calls without valgrind's help.

use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};

use crate::engine::Instance;
use crate::host::Host;
use crate::manifest::{self, Case, Size, Workload};
use crate::runner::select;
use crate::value::Value;

/// CoreMark's clock step: a 10 s reading difference ends the calibration after its first
/// batch of 10 iterations and makes the timed run 20 iterations, a valid run scoring 2.
const COREMARK_STEP_MS: i64 = 10_000;

/// The calls callgrind counts: unmangled, never inlined.
#[no_mangle]
#[inline(never)]
pub fn weft_exp_count(
    instance: &mut dyn Instance,
    export: &str,
    args: &[Value],
    reps: u64,
) -> Result<Vec<Value>> {
    let mut last = Vec::new();
    for _ in 0..reps {
        last = instance.call(export, std::hint::black_box(args))?;
    }
    Ok(last)
}

pub(crate) fn workload(spec: &str) -> Result<(Workload, Host)> {
    if let Some(path) = spec.strip_prefix("coremark:") {
        let case = Case {
            args: vec![],
            results: vec![Value::from_f32(2.0)],
        };
        let w = Workload {
            suite: "coremark".into(),
            name: "coremark".into(),
            file: path.into(),
            export: "run".into(),
            full: case.clone(),
            quick: case,
        };
        return Ok((w, Host::stepping(COREMARK_STEP_MS)));
    }
    let (suite, name) = spec
        .split_once('/')
        .ok_or_else(|| anyhow!("workload `{spec}`: expected <suite>/<name> or coremark:PATH"))?;
    let w = manifest::load(&manifest::workloads_dir().join(suite).join("manifest.toml"))?
        .into_iter()
        .find(|w| w.name == name)
        .ok_or_else(|| anyhow!("no workload `{name}` in suite `{suite}`"))?;
    Ok((w, Host::default()))
}

pub(crate) fn size(s: &str) -> Result<Size> {
    match s {
        "quick" => Ok(Size::Quick),
        "full" => Ok(Size::Full),
        other => bail!("size `{other}`: expected quick or full"),
    }
}

/// `count-one ENGINE WORKLOAD SIZE REPS`: the child process.
pub fn one(args: &[String]) -> Result<()> {
    let [engine, spec, sz, reps] = args else {
        bail!("usage: weft-experiments count-one ENGINE WORKLOAD quick|full REPS");
    };
    let engines = select::engines(Some(engine), None)?;
    let [engine] = engines.as_slice() else {
        bail!(
            "count-one takes exactly one engine, `{engine}` names {}",
            engines.len()
        );
    };
    let (w, host) = workload(spec)?;
    let case = w.case(size(sz)?);
    let reps: u64 = reps.parse()?;
    let mut instance = engine.prepare(&w.wasm()?, host)?;
    let check = |got: Vec<Value>| -> Result<()> {
        if got != case.results {
            bail!(
                "{} on {}: returned {got:?}, expected {:?}",
                w.id(),
                engine.name(),
                case.results
            );
        }
        Ok(())
    };
    check(instance.call(&w.export, &case.args)?)?;
    check(weft_exp_count(
        instance.as_mut(),
        &w.export,
        &case.args,
        reps,
    )?)?;
    println!("calls {reps}");
    Ok(())
}

/// `count ENGINES WORKLOAD SIZE REPS`.
pub fn main(args: &[String]) -> Result<()> {
    let [engines, spec, sz, reps] = args else {
        bail!("usage: weft-experiments count ENGINES WORKLOAD quick|full REPS (see `count` in experiments/README.md)");
    };
    let exe = std::env::current_exe()?;
    let reps_n: u64 = reps.parse()?;
    for engine in engines.split(',').filter(|e| !e.is_empty()) {
        let out = std::env::temp_dir().join(format!("weft-count-{}.out", std::process::id()));
        let output = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg("--toggle-collect=weft_exp_count")
            .arg(&exe)
            .args(["count-one", engine, spec, sz, reps])
            .output()
            .context("running valgrind (is it installed?)")?;
        if !output.status.success() {
            bail!(
                "{engine}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let text =
            std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
        let _ = std::fs::remove_file(&out);
        let total: u64 = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("totals:")
                    .or_else(|| l.strip_prefix("summary:"))
            })
            .and_then(|n| n.split_whitespace().next()?.parse().ok())
            .ok_or_else(|| anyhow!("no totals in the callgrind output"))?;
        println!(
            "{engine:<36} {spec} {sz} x{reps}: {total:>14} Ir, {:>12.0} Ir/call",
            total as f64 / reps_n.max(1) as f64
        );
    }
    Ok(())
}
