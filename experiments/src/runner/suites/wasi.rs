//! The `wasi` suite: real programs built for wasm32-wasip1 (`workloads/wasi`, see
//! `crate::wasi_suite`), each run as a WASI command from a fresh engine, module and store:
//! so a sample includes loading and translating the program, as a command-line run does.
//! Every run's stdout and exit status are checked against the native build's; an engine
//! whose output differs is reported as failed, not timed.
//!
//! Engines: weft's configurations and wasmi (through `wasmi_wasi`); other peers have no
//! WASI adapter here and are listed as not run.

use std::time::Instant;

use anyhow::Result;

use crate::manifest::Size;
use crate::runner::figures::{self, Bars, Series};
use crate::runner::measure::{one_line, Summary};
use crate::runner::progress::Progress;
use crate::runner::suites::timing::peer_baseline;
use crate::runner::table::{duration, ratio, Table};
use crate::runner::Ctx;
use crate::wasi_suite;

pub fn run(ctx: &Ctx) -> Result<()> {
    let programs = wasi_suite::load()?;
    let names: Vec<String> = ctx.engines.iter().map(|e| e.name()).collect();
    let plan = ctx.plan("wasi");
    let size = plan.size;
    let runs = plan.runs;

    // samples[engine][program] in seconds; the first failure per pair is kept.
    let mut samples = vec![vec![Vec::new(); programs.len()]; names.len()];
    let mut failures: Vec<Vec<Option<String>>> = vec![vec![None; programs.len()]; names.len()];
    let progress = Progress::new("wasi", (runs * programs.len() * names.len()) as u64);
    for round in 0..runs {
        for (p, program) in programs.iter().enumerate() {
            progress.step(format!("{} (round {}/{runs})", program.id(), round + 1));
            for (e, name) in names.iter().enumerate() {
                progress.inc(1);
                if failures[e][p].is_some() {
                    continue;
                }
                progress.set_message(format!("{} on {name}", program.id()));
                let started = Instant::now();
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    wasi_suite::run_on(name, program, size)
                }));
                let elapsed = started.elapsed().as_secs_f64();
                let checked = match outcome {
                    Ok(Ok(o)) => wasi_suite::check(program, size, &o),
                    Ok(Err(e)) => Err(e),
                    Err(_) => Err(anyhow::anyhow!("panicked")),
                };
                match checked {
                    Ok(()) => samples[e][p].push(elapsed),
                    Err(err) => failures[e][p] = Some(one_line(&format!("{err:#}"))),
                }
            }
        }
    }
    progress.finish();

    let summaries: Vec<Vec<Option<Summary>>> = samples
        .iter()
        .map(|per| per.iter().map(|s| Summary::of(s)).collect())
        .collect();
    // Ratios are to an engine of this run that completed every program (wasmi eager when
    // it ran), else to the first engine, so the geomean column is never empty for want of
    // a baseline the engine selection left out.
    let baseline = peer_baseline(&names, |e| summaries[e].iter().all(Option::is_some))
        .unwrap_or_else(|| names.first().cloned().unwrap_or_default());
    let base = names.iter().position(|n| *n == baseline);
    let mut headers = vec!["engine".to_string()];
    headers.extend(programs.iter().map(|p| format!("`{}`", p.name)));
    headers.push(format!("geomean time vs `{baseline}`"));
    let mut table = Table::with_headers(headers);
    let mut notes = Vec::new();
    let mut csv = Vec::new();
    for (e, name) in names.iter().enumerate() {
        let mut row = vec![format!("`{name}`")];
        let mut log_ratios = Vec::new();
        for (p, program) in programs.iter().enumerate() {
            let s = summaries[e][p];
            match (&failures[e][p], s) {
                (Some(why), _) => {
                    row.push("failed".into());
                    notes.push(format!("`{name}` on `{}`: {why}", program.name));
                }
                (None, Some(s)) => {
                    row.push(duration(s.median));
                    if let Some(b) = base.and_then(|b| summaries[b][p]) {
                        log_ratios.push((s.median / b.median).ln());
                    }
                }
                (None, None) => row.push("–".into()),
            }
            let status = match (&failures[e][p], s) {
                (Some(_), _) => "failed",
                (None, Some(_)) => "ok",
                (None, None) => "not run",
            };
            csv.push(vec![
                program.id(),
                name.clone(),
                status.into(),
                s.map_or(String::new(), |s| s.median.to_string()),
                s.map_or(String::new(), |s| s.min.to_string()),
                s.map_or(String::new(), |s| s.max.to_string()),
                s.map_or("0".into(), |s| s.n.to_string()),
                failures[e][p].clone().unwrap_or_default(),
            ]);
        }
        row.push(if log_ratios.len() == programs.len() && base.is_some() {
            ratio((log_ratios.iter().sum::<f64>() / log_ratios.len() as f64).exp())
        } else {
            "–".into()
        });
        table.push(row);
    }

    let csv_path = ctx.output.write_csv(
        "wasi",
        &[
            "program", "engine", "status", "median_s", "min_s", "max_s", "runs", "failure",
        ],
        &csv,
        &ctx.platform,
    )?;
    let figure = ctx.output.figure_path("wasi")?;
    figures::write(
        &figure,
        &[Bars {
            title: "WASI programs: one command-line run (lower is faster; min-max whiskers)".into(),
            y_label: "seconds".into(),
            groups: programs.iter().map(|p| p.name.clone()).collect(),
            series: names
                .iter()
                .enumerate()
                .map(|(e, n)| Series {
                    name: n.clone(),
                    values: summaries[e]
                        .iter()
                        .map(|s| s.map(|s| (s.median, Some((s.min, s.max)))))
                        .collect(),
                })
                .collect(),
            log_y: true,
            reference: None,
        }],
    )?;
    let mut md = ctx.provenance("wasi");
    md.push_str(&format!(
        "Median time of one run of each program's {} case (`workloads/wasi/suite.toml`) as a \
         WASI command, from loading the module to exit, {runs} interleaved round{}; every \
         run's stdout and exit status match the native build's.\n\n{}",
        if size == Size::Full {
            "`full`"
        } else {
            "`quick`"
        },
        if runs == 1 { "" } else { "s" },
        table.to_markdown()
    ));
    for n in &notes {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str("\n![WASI programs](figures/wasi.svg)\n");
    let in_paper = ctx.output.write_block("wasi", &md)?;
    println!("\n## wasi\n\n{}", table.to_markdown());
    for n in &notes {
        println!("- {n}");
    }
    ctx.wrote("wasi", &csv_path, &figure, in_paper);
    Ok(())
}
