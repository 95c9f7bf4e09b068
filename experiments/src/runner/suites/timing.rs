//! The `micro` and `programs` suites: every selected engine on every workload of a
//! manifest, interleaved, median time per call.

use anyhow::Result;

use crate::manifest::{self, Size, Workload};
use crate::runner::figures::{self, Bars, Series};
use crate::runner::measure::{time_workload, Outcome, Plan};
use crate::runner::progress::Progress;
use crate::runner::select::is_weft;
use crate::runner::table::{duration, ratio, Table};
use crate::runner::Ctx;

/// Everything measured by one timing suite.
pub struct Timing {
    pub suite: String,
    pub plan: Plan,
    pub engines: Vec<String>,
    pub workloads: Vec<Workload>,
    /// `[workload][engine]`.
    pub outcomes: Vec<Vec<Outcome>>,
}

impl Timing {
    pub fn outcome(&self, workload: &str, engine: &str) -> Option<&Outcome> {
        let w = self.workloads.iter().position(|w| w.name == workload)?;
        let e = self.engines.iter().position(|e| e == engine)?;
        Some(&self.outcomes[w][e])
    }
}

pub const WEFT_BASELINE: &str = "weft:loop-switch/stack";

/// Run the suite `suite` (`micro` or `programs`) on `engines` (indices into ctx.engines).
pub fn measure(ctx: &Ctx, suite: &str, engine_filter: impl Fn(&str) -> bool) -> Result<Timing> {
    let workloads = manifest::load(&manifest::workloads_dir().join(suite).join("manifest.toml"))?;
    let engines: Vec<&dyn crate::Engine> = ctx
        .engines
        .iter()
        .map(|e| e.as_ref())
        .filter(|e| engine_filter(&e.name()))
        .collect();
    let plan = ctx.plan(suite);
    let progress = Progress::new(suite, (workloads.len() * engines.len() * plan.runs) as u64);
    let mut outcomes = Vec::new();
    for workload in &workloads {
        progress.step(format!("{} on {} engines", workload.id(), engines.len()));
        let row = time_workload(&engines, workload, plan, &progress);
        for (engine, outcome) in engines.iter().zip(&row) {
            match outcome {
                Outcome::Failed(e) => progress.println(format!(
                    "  {} on {}: FAILED: {e}",
                    workload.id(),
                    engine.name()
                )),
                Outcome::CannotRun(why) => progress.println(format!(
                    "  {} on {}: cannot run: {why}",
                    workload.id(),
                    engine.name()
                )),
                Outcome::Timed { .. } => {}
            }
        }
        outcomes.push(row);
    }
    progress.finish();
    Ok(Timing {
        suite: suite.to_owned(),
        plan,
        engines: engines.iter().map(|e| e.name()).collect(),
        workloads,
        outcomes,
    })
}

/// Tables, CSV and figures: a weft-only view (block `<suite>`, baseline
/// `weft:loop-switch/stack`) and, when peers ran, a view with them (block `<suite>-peers`).
pub fn report(ctx: &Ctx, timing: &Timing) -> Result<()> {
    let weft: Vec<usize> = (0..timing.engines.len())
        .filter(|&e| is_weft(&timing.engines[e]))
        .collect();
    let all: Vec<usize> = (0..timing.engines.len()).collect();
    if !weft.is_empty() {
        let baseline = if timing.engines.iter().any(|e| e == WEFT_BASELINE) {
            WEFT_BASELINE.to_owned()
        } else {
            timing.engines[weft[0]].clone()
        };
        write_view(ctx, timing, &timing.suite, &weft, &baseline)?;
    }
    if weft.len() < all.len() {
        let baseline = peer_baseline(&timing.engines, |e| {
            timing
                .outcomes
                .iter()
                .all(|row| matches!(row[e], Outcome::Timed { .. }))
        })
        .unwrap_or_else(|| timing.engines[0].clone());
        write_view(
            ctx,
            timing,
            &format!("{}-peers", timing.suite),
            &all,
            &baseline,
        )?;
    }
    Ok(())
}

/// The baseline of a view with peers: the first of Stitch, wasmi (eager, then lazy) and
/// weft's baseline that is among `engines` and `complete` (ran every workload), so every
/// ratio in a table is to an engine measured in the same run.
pub fn peer_baseline(engines: &[String], complete: impl Fn(usize) -> bool) -> Option<String> {
    ["stitch", "wasmi/eager", "wasmi/lazy", WEFT_BASELINE]
        .into_iter()
        .find(|name| {
            engines
                .iter()
                .position(|e| e == name)
                .is_some_and(&complete)
        })
        .map(str::to_owned)
}

fn write_view(
    ctx: &Ctx,
    timing: &Timing,
    name: &str,
    engines: &[usize],
    baseline: &str,
) -> Result<()> {
    let b = timing.engines.iter().position(|e| e == baseline);
    let base_median = |w: usize| b.and_then(|b| timing.outcomes[w][b].median());

    // Compact table: engines down, workloads across.
    let mut headers = vec!["engine".to_owned()];
    headers.extend(timing.workloads.iter().map(|w| w.name.clone()));
    headers.push("geomean".to_owned());
    let mut compact = Table::with_headers(headers);
    let mut notes: Vec<String> = Vec::new();
    for &e in engines {
        let engine = &timing.engines[e];
        let mut row = vec![format!("`{engine}`")];
        for (w, outcomes) in timing.outcomes.iter().enumerate() {
            row.push(match &outcomes[e] {
                Outcome::Timed { per_call, .. } => match base_median(w) {
                    Some(base) => format!(
                        "{} ({})",
                        duration(per_call.median),
                        ratio(per_call.median / base)
                    ),
                    None => duration(per_call.median),
                },
                Outcome::CannotRun(why) => {
                    let note = format!(
                        "`{engine}` cannot run: {}",
                        long_reason(engine, &timing.workloads[w].id(), why)
                    );
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    format!("cannot run: {why}")
                }
                Outcome::Failed(why) => {
                    notes.push(format!(
                        "`{engine}` failed on {}: {why}",
                        timing.workloads[w].name
                    ));
                    "failed (see notes)".to_owned()
                }
            });
        }
        // Geometric mean of the ratios, when the engine and the baseline ran every workload.
        let ratios: Option<Vec<f64>> = (0..timing.workloads.len())
            .map(|w| Some(timing.outcomes[w][e].median()? / base_median(w)?))
            .collect();
        row.push(ratios.map_or("–".into(), |r| ratio(geomean(&r))));
        compact.push(row);
    }

    // Detail table and CSV rows: one line per workload and engine.
    let mut detail = Table::new(&[
        "workload",
        "engine",
        "median",
        "min",
        "max",
        "ratio",
        "calls/sample",
    ]);
    let mut csv = Vec::new();
    for (w, workload) in timing.workloads.iter().enumerate() {
        for &e in engines {
            let engine = &timing.engines[e];
            let outcome = &timing.outcomes[w][e];
            let (status, note) = match outcome {
                Outcome::Timed { .. } => ("ok", String::new()),
                Outcome::CannotRun(why) => ("cannot run", why.clone()),
                Outcome::Failed(why) => ("failed", why.clone()),
            };
            let ratio_value = match (outcome.median(), base_median(w)) {
                (Some(m), Some(base)) => Some(m / base),
                _ => None,
            };
            match outcome {
                Outcome::Timed { per_call, reps } => {
                    detail.push(vec![
                        workload.name.clone(),
                        format!("`{engine}`"),
                        duration(per_call.median),
                        duration(per_call.min),
                        duration(per_call.max),
                        ratio_value.map_or("–".into(), ratio),
                        reps.to_string(),
                    ]);
                    csv.push(vec![
                        workload.id(),
                        size_name(timing.plan.size).into(),
                        engine.clone(),
                        status.into(),
                        per_call.median.to_string(),
                        per_call.min.to_string(),
                        per_call.max.to_string(),
                        per_call.n.to_string(),
                        reps.to_string(),
                        ratio_value.map_or(String::new(), |r| format!("{r:.4}")),
                        baseline.to_owned(),
                        note,
                    ]);
                }
                _ => {
                    detail.push(vec![
                        workload.name.clone(),
                        format!("`{engine}`"),
                        format!("{status}: {note}"),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                    csv.push(vec![
                        workload.id(),
                        size_name(timing.plan.size).into(),
                        engine.clone(),
                        status.into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        "0".into(),
                        String::new(),
                        String::new(),
                        baseline.to_owned(),
                        note,
                    ]);
                }
            }
        }
    }
    let csv_path = ctx.output.write_csv(
        name,
        &[
            "workload",
            "size",
            "engine",
            "status",
            "median_s",
            "min_s",
            "max_s",
            "runs",
            "calls_per_sample",
            "ratio",
            "baseline",
            "note",
        ],
        &csv,
        &ctx.platform,
    )?;

    // Figure: time relative to the baseline, min-max whiskers.
    let figure = ctx.output.figure_path(name)?;
    let series = engines
        .iter()
        .map(|&e| Series {
            name: timing.engines[e].clone(),
            values: (0..timing.workloads.len())
                .map(|w| {
                    let s = timing.outcomes[w][e].summary()?;
                    let base = base_median(w)?;
                    Some((s.median / base, Some((s.min / base, s.max / base))))
                })
                .collect(),
        })
        .collect();
    figures::write(
        &figure,
        &[Bars {
            title: format!(
                "{}: time per call relative to {baseline} (lower is faster)",
                timing.suite
            ),
            y_label: format!("median time / median of {baseline}"),
            groups: timing.workloads.iter().map(|w| w.name.clone()).collect(),
            series,
            log_y: true,
            reference: Some(1.0),
        }],
    )?;

    let mut md = String::new();
    md.push_str(&ctx.provenance(&timing.suite));
    md.push_str(&format!(
        "{} size, {} interleaved rounds; each cell is the median time per call and, in \
         parentheses, its ratio to `{baseline}`'s median on the same workload in the same run \
         (lower is faster); `geomean` is the geometric mean of an engine's ratios.\n\n",
        size_name(timing.plan.size),
        timing.plan.runs
    ));
    md.push_str(&compact.to_markdown());
    if !notes.is_empty() {
        md.push('\n');
        for note in &notes {
            md.push_str(&format!("- {note}\n"));
        }
    }
    md.push_str(&format!(
        "\n![{name}: time relative to {baseline}](figures/{name}.svg)\n\n<details><summary>Median, \
         minimum and maximum per call</summary>\n\n{}\n</details>\n",
        detail.to_markdown()
    ));
    let in_paper = ctx.output.write_block(name, &md)?;
    println!("\n## {name}\n\n{}", compact.to_markdown());
    for note in &notes {
        println!("- {note}");
    }
    ctx.wrote(name, &csv_path, &figure, in_paper);
    Ok(())
}

fn long_reason(engine: &str, workload: &str, short: &str) -> String {
    crate::known::known_failure(engine, workload).map_or_else(|| short.to_owned(), str::to_owned)
}

pub fn geomean(values: &[f64]) -> f64 {
    (values.iter().map(|v| v.ln()).sum::<f64>() / values.len().max(1) as f64).exp()
}

pub fn size_name(size: Size) -> &'static str {
    match size {
        Size::Quick => "quick",
        Size::Full => "full",
    }
}
