//! The `coremark` suite: Stitch's `coremark-minimal.wasm` (see
//! ../shared/workloads/README.md): `run()` calibrates itself to a timed run of 10-20 s and
//! returns the CoreMark score in iterations per second as an f32 (0 means an invalid run).
//! One call takes 12-33 s on any engine, so the suite runs only when asked for.

use std::path::PathBuf;

use anyhow::Result;

use crate::host::Host;
use crate::runner::figures::{self, Bars, Series};
use crate::runner::measure::{one_line, Summary};
use crate::runner::progress::Progress;
use crate::runner::suites::timing::peer_baseline;
use crate::runner::table::{ratio, Table};
use crate::runner::Ctx;
use crate::value::Value;

pub const ENV: &str = "WEFT_COREMARK";

/// CoreMark's rule: a timed run shorter than this is invalid (`run()` returns 0).
const MIN_TIMED_MS: i64 = 10_000;

/// How many times one round's `run()` is made when its timed run comes out under 10 s.
/// CoreMark sizes the timed run from a calibration batch of at least 1 s (10x the
/// iterations until one takes 1 s, then x(10 / whole seconds + 1)), which leaves only a
/// 10% margin when that batch takes just over 1 s: an engine near 1000 iterations/s (the
/// loop-switch, the trampoline) whose batch ran slower than its timed run, on a shared
/// machine, gets 0 for a correct run. CoreMark's own answer is to run again.
const MAX_ATTEMPTS: usize = 3;

/// The module's path from `--coremark` or `WEFT_COREMARK`, or why there is none.
pub fn path(ctx: &Ctx) -> Result<PathBuf, String> {
    let path = ctx
        .options
        .coremark
        .clone()
        .or_else(|| std::env::var_os(ENV).map(PathBuf::from))
        .ok_or_else(|| {
            format!("no CoreMark module given (--coremark PATH or {ENV}=PATH, e.g. Stitch's coremark-minimal.wasm)")
        })?;
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} does not exist", path.display()))
    }
}

enum State {
    Ready(Box<dyn crate::Instance>),
    Failed(String),
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let path = match path(ctx) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("coremark: skipped: {why}");
            return Ok(());
        }
    };
    let wasm = std::fs::read(&path)?;
    let engines: Vec<&dyn crate::Engine> = ctx.engines.iter().map(|e| e.as_ref()).collect();
    let names: Vec<String> = engines.iter().map(|e| e.name()).collect();
    let runs = if ctx.options.quick {
        0
    } else {
        ctx.runs("coremark")
    };
    let progress = Progress::new("coremark", (engines.len() * (runs + 1)) as u64);
    let mut states: Vec<State> = engines
        .iter()
        .map(|engine| {
            progress.set_message(format!("load and instantiate on {}", engine.name()));
            progress.inc(1);
            let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine.prepare(&wasm, Host::default())
            }));
            match prepared {
                Ok(Ok(instance)) => State::Ready(instance),
                Ok(Err(e)) => State::Failed(one_line(&format!("{e:#}"))),
                Err(_) => State::Failed("panicked while loading".into()),
            }
        })
        .collect();
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); engines.len()];
    let mut retries: Vec<String> = Vec::new();
    for round in 0..runs {
        for (e, name) in names.iter().enumerate() {
            progress.inc(1);
            let State::Ready(instance) = &mut states[e] else {
                continue;
            };
            progress.step(format!(
                "run() on {name} (round {}/{runs}; 12-33 s each)",
                round + 1
            ));
            let mut attempt = 1;
            loop {
                match instance.call("run", &[]) {
                    Ok(results) => match results.as_slice() {
                        [Value::F32(bits)] if f32::from_bits(*bits) > 0.0 => {
                            scores[e].push(f32::from_bits(*bits) as f64);
                        }
                        [Value::F32(_)] => {
                            // CoreMark returns 0 for a failed self-check and for a timed
                            // run under 10 s; the last two clock readings were its timed
                            // run, which tells the two apart.
                            let timed = Host::last_interval_ms();
                            if timed >= MIN_TIMED_MS {
                                states[e] = State::Failed(format!(
                                    "score 0 after a timed run of {:.1} s: CoreMark's self-check failed",
                                    timed as f64 / 1000.0
                                ));
                            } else if attempt < MAX_ATTEMPTS {
                                attempt += 1;
                                retries.push(format!(
                                    "`{name}`: round {} ran again, its timed run lasted {:.1} s (under CoreMark's 10 s minimum)",
                                    round + 1,
                                    timed as f64 / 1000.0
                                ));
                                continue;
                            } else {
                                states[e] = State::Failed(format!(
                                    "score 0: the timed run lasted under CoreMark's 10 s minimum in {MAX_ATTEMPTS} attempts (last {:.1} s)",
                                    timed as f64 / 1000.0
                                ));
                            }
                        }
                        other => states[e] = State::Failed(format!("unexpected results {other:?}")),
                    },
                    Err(err) => states[e] = State::Failed(one_line(&format!("{err:#}"))),
                }
                break;
            }
        }
    }
    progress.finish();

    let summaries: Vec<Option<Summary>> = scores.iter().map(|s| Summary::of(s)).collect();
    let baseline = peer_baseline(&names, |i| summaries[i].is_some());
    let base = baseline
        .as_ref()
        .and_then(|b| names.iter().position(|n| n == b))
        .and_then(|i| summaries[i])
        .map(|s| s.median);
    let mut table = Table::new(&[
        "engine",
        "CoreMark (iterations/s, median)",
        "min",
        "max",
        "time relative to baseline",
    ]);
    let mut csv = Vec::new();
    let mut notes = Vec::new();
    for (e, name) in names.iter().enumerate() {
        match (&states[e], summaries[e]) {
            (_, Some(s)) => {
                table.push(vec![
                    format!("`{name}`"),
                    format!("{:.1}", s.median),
                    format!("{:.1}", s.min),
                    format!("{:.1}", s.max),
                    base.map_or("–".into(), |b| ratio(b / s.median)),
                ]);
                csv.push(vec![
                    name.clone(),
                    "ok".into(),
                    s.median.to_string(),
                    s.min.to_string(),
                    s.max.to_string(),
                    s.n.to_string(),
                    base.map_or(String::new(), |b| format!("{:.4}", b / s.median)),
                    baseline.clone().unwrap_or_default(),
                    String::new(),
                ]);
            }
            (State::Failed(why), None) => {
                notes.push(format!("`{name}` failed: {why}"));
                table.push(vec![
                    format!("`{name}`"),
                    "failed (see notes)".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                csv.push(vec![
                    name.clone(),
                    "failed".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "0".into(),
                    String::new(),
                    baseline.clone().unwrap_or_default(),
                    why.clone(),
                ]);
            }
            (State::Ready(_), None) => {
                table.push(vec![
                    format!("`{name}`"),
                    "loaded; not run (--quick)".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                csv.push(vec![
                    name.clone(),
                    "not run".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "0".into(),
                    String::new(),
                    String::new(),
                    "--quick".into(),
                ]);
            }
        }
    }
    let csv_path = ctx.output.write_csv(
        "coremark",
        &[
            "engine",
            "status",
            "median_score",
            "min_score",
            "max_score",
            "runs",
            "time_ratio",
            "baseline",
            "note",
        ],
        &csv,
        &ctx.platform,
    )?;
    let figure = ctx.output.figure_path("coremark")?;
    figures::write(
        &figure,
        &[Bars {
            title: "CoreMark (higher is faster; min-max whiskers)".into(),
            y_label: "iterations per second".into(),
            groups: vec!["coremark-minimal.wasm".into()],
            series: names
                .iter()
                .zip(&summaries)
                .map(|(n, s)| Series {
                    name: n.clone(),
                    values: vec![s.map(|s| (s.median, Some((s.min, s.max))))],
                })
                .collect(),
            log_y: false,
            reference: None,
        }],
    )?;
    let mut md = ctx.provenance("coremark");
    md.push_str(&format!(
        "`{}`: one `run()` per engine per round, {runs} interleaved round{}; the score is \
         CoreMark's own (iterations per second over its ≥10 s timed run). Relative time is \
         the baseline's score divided by the engine's (lower is faster){}.\n\n{}",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned()
        ),
        if runs == 1 { "" } else { "s" },
        baseline
            .as_ref()
            .map_or(String::new(), |b| format!("; baseline `{b}`")),
        table.to_markdown()
    ));
    for n in notes.iter().chain(&retries) {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str("\n![CoreMark scores](figures/coremark.svg)\n");
    let in_paper = ctx.output.write_block("coremark", &md)?;
    println!("\n## coremark\n\n{}", table.to_markdown());
    for n in notes.iter().chain(&retries) {
        println!("- {n}");
    }
    ctx.wrote("coremark", &csv_path, &figure, in_paper);
    Ok(())
}
