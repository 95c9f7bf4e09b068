//! `weft-experiments opstats`: the executed IR ops and adjacent op pairs of one workload
//! on one weft configuration, from a build with the `stats` feature. The data behind the
//! choice of fused ops (`papers/notes-speed.md`, "Op pairs"); `experiments/op-pairs.sh`
//! builds the stats binary and runs it over the workloads.
//!
//! ```text
//! weft-experiments opstats weft:<config> WORKLOAD SIZE REPS [TOP]
//! ```
//!
//! `WORKLOAD` and the calls are as for `count` (a checked warm-up call, then `REPS`
//! measured calls; only those are counted). Prints `total N`, then the `TOP` (default 30)
//! most executed ops as `op COUNT NAME` and pairs as `pair COUNT FIRST SECOND`: `SECOND`
//! ran right after `FIRST` and follows it in the code (see `weft::Store::op_pair_counts`),
//! then the chained pairs among every pair as `chain COUNT FIRST SECOND OPERAND`: `SECOND`
//! read its operand `OPERAND` from the slot `FIRST` wrote (`weft::Store::op_chain_counts`).

use anyhow::{anyhow, bail, Result};

use crate::runner::count::{size, workload};
use crate::weft_adapter::{to_weft, Weft, PREFIX};

pub fn main(args: &[String]) -> Result<()> {
    let (engine, spec, sz, reps, top) = match args {
        [e, w, s, r] => (e, w, s, r, 30),
        [e, w, s, r, t] => (e, w, s, r, t.parse()?),
        _ => bail!("usage: weft-experiments opstats weft:<config> WORKLOAD quick|full REPS [TOP]"),
    };
    if !cfg!(feature = "stats") {
        bail!("opstats needs a build with `--features stats` (see experiments/op-pairs.sh)");
    }
    let config = engine
        .strip_prefix(PREFIX)
        .ok_or_else(|| anyhow!("opstats runs weft configurations only, not `{engine}`"))?;
    let weft = Weft::by_config_name(config)
        .ok_or_else(|| anyhow!("no weft configuration `{config}` in this build"))?;
    let (w, host) = workload(spec)?;
    let case = w.case(size(sz)?);
    let reps: u64 = reps.parse()?;
    let module = weft.compile(&w.wasm()?)?;
    let mut instance = module.instantiate_weft(host)?;
    let func = instance.func(&w.export)?;
    let args: Vec<weft::Val> = case.args.iter().map(|&v| to_weft(v)).collect();
    let mut results: Vec<weft::Val> = func
        .ty(&instance.store)?
        .results
        .iter()
        .map(|&t| weft::Val::default_for(t))
        .collect();
    instance.call_func(func, &args, &mut results)?;
    #[cfg(feature = "stats")]
    instance.store.reset_op_counts();
    for _ in 0..reps {
        instance.call_func(func, &args, &mut results)?;
    }
    #[cfg(feature = "stats")]
    {
        let ops = instance.store.op_counts();
        let total: u64 = ops.iter().map(|(_, n)| n).sum();
        println!("total {total}");
        for (name, n) in ops.iter().take(top) {
            println!("op {n} {name}");
        }
        for ((first, second), n) in instance.store.op_pair_counts().iter().take(top) {
            println!("pair {n} {first} {second}");
        }
        for ((first, second, operand), n) in instance.store.op_chain_counts() {
            println!("chain {n} {first} {second} {operand}");
        }
    }
    let _ = top;
    Ok(())
}
