//! The `checks` suite: what fuel metering and epoch interruption cost. Every executor on
//! weft's default IR, each in three variants (checks off, `+fuel`, `+epoch`), on the micro
//! workloads, interleaved, time per call as a ratio to the same executor with checks off.
//!
//! What the variants change (dispatch/src/exec/budget.rs): every executor charges one unit
//! of a per-call budget on each call and backward branch in all three variants; the
//! variants differ only in what happens when a grant of 2^14 units runs out (nothing but a
//! new grant; fuel accounting; an epoch check). So this suite measures the checks' cost
//! beyond the counter that is always there. The counter itself is part of every number in
//! the paper.

use anyhow::Result;

use crate::manifest;
use crate::runner::measure::{time_workload, Outcome};
use crate::runner::progress::Progress;
use crate::runner::table::{duration, ratio, Table};
use crate::runner::Ctx;
use crate::weft_adapter::Weft;
use crate::Engine;

/// The variants, as (column label, fuel, epoch).
const VARIANTS: [(&str, bool, bool); 3] = [
    ("off", false, false),
    ("+fuel", true, false),
    ("+epoch", false, true),
];

/// One engine per executor x variant, on the default IR of `Config::new()`.
fn engines(ctx: &Ctx) -> Vec<Weft> {
    let ir = weft::Config::new().get_ir();
    let wanted = |name: &str| {
        ctx.options
            .configs
            .as_deref()
            .is_none_or(|p| crate::runner::select::matches_any(p, name))
    };
    let mut out = Vec::new();
    for executor in weft::Executor::compiled() {
        let mut base = weft::Config::new();
        base.executor(executor).ir(ir);
        if !wanted(&base.name()) {
            continue;
        }
        for (_, fuel, epoch) in VARIANTS {
            let mut config = base.clone();
            config.consume_fuel(fuel).epoch_interruption(epoch);
            out.push(Weft { config });
        }
    }
    out
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let weft = engines(ctx);
    let engines: Vec<&dyn Engine> = weft.iter().map(|w| w as &dyn Engine).collect();
    let names: Vec<String> = engines.iter().map(|e| e.name()).collect();
    let workloads = manifest::load(
        &manifest::workloads_dir()
            .join("micro")
            .join("manifest.toml"),
    )?;
    let plan = ctx.plan("checks");
    let progress = Progress::new(
        "checks",
        (workloads.len() * engines.len() * plan.runs) as u64,
    );
    let mut outcomes = Vec::new();
    for workload in &workloads {
        progress.step(format!("{} on {} engines", workload.id(), engines.len()));
        outcomes.push(time_workload(&engines, workload, plan, &progress));
    }
    progress.finish();

    let executors = names.len() / VARIANTS.len();
    let mut headers = vec!["workload".to_owned()];
    for e in 0..executors {
        let base = names[e * VARIANTS.len()].trim_start_matches(crate::weft_adapter::PREFIX);
        headers.push(format!("{base} off"));
        for (label, ..) in &VARIANTS[1..] {
            headers.push(label.to_string());
        }
    }
    let mut table = Table::with_headers(headers);
    let mut csv = Vec::new();
    // Per executor and variant: log-sum of ratios and how many, for the geometric mean.
    let mut logs = vec![(0.0f64, 0usize); names.len()];
    for (workload, row) in workloads.iter().zip(&outcomes) {
        let mut cells = vec![workload.id()];
        for e in 0..executors {
            let base = row[e * VARIANTS.len()].median();
            for v in 0..VARIANTS.len() {
                let i = e * VARIANTS.len() + v;
                let t = row[i].median();
                cells.push(match (v, t, base) {
                    (0, Some(t), _) => duration(t),
                    (_, Some(t), Some(b)) => {
                        logs[i].0 += (t / b).ln();
                        logs[i].1 += 1;
                        ratio(t / b)
                    }
                    _ => failed(&row[i]),
                });
                if let Outcome::Timed { per_call, .. } = &row[i] {
                    csv.push(vec![
                        workload.id(),
                        names[i].clone(),
                        format!("{:e}", per_call.median),
                        format!("{:e}", per_call.min),
                        format!("{:e}", per_call.max),
                        per_call.n.to_string(),
                    ]);
                }
            }
        }
        table.push(cells);
    }
    let mut geo = vec!["geometric mean".to_owned()];
    for e in 0..executors {
        geo.push(String::new());
        for v in 1..VARIANTS.len() {
            let (sum, n) = logs[e * VARIANTS.len() + v];
            geo.push(if n == 0 {
                "-".into()
            } else {
                ratio((sum / n as f64).exp())
            });
        }
    }
    table.push(geo);

    let csv_path = ctx.output.write_csv(
        "checks",
        &["workload", "engine", "median_s", "min_s", "max_s", "runs"],
        &csv,
        &ctx.platform,
    )?;
    let markdown = format!(
        "{}Median time per call with checks off, and with fuel metering (`+fuel`) or epoch \
         interruption checks (`+epoch`) on, as a ratio to the same executor with checks off \
         (interleaved rounds, {} per engine).\n\n{}",
        ctx.provenance("checks"),
        plan.runs,
        table.to_markdown()
    );
    println!("\n## checks\n\n{markdown}");
    let in_paper = ctx.output.write_block("checks", &markdown)?;
    eprintln!(
        "checks: wrote {}; {}",
        csv_path.display(),
        if in_paper {
            "regenerated block `checks` in the paper"
        } else {
            "the paper has no `checks` block"
        }
    );
    Ok(())
}

fn failed(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed(e) => format!("failed: {}", crate::runner::measure::one_line(e)),
        Outcome::CannotRun(why) => format!("cannot run: {why}"),
        Outcome::Timed { .. } => unreachable!("timed outcomes have a median"),
    }
}
