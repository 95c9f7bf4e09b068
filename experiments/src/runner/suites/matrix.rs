//! The `matrix` suite: every weft configuration × every micro workload, three ways:
//!
//! - time per call (from the `micro` suite of the same run, or measured here);
//! - executed IR ops, from the probe built with `stats` in its own cargo profile;
//! - machine instructions of the measured calls, from the probe under callgrind (skipped
//!   with a reason when valgrind is not installed).
//!
//! Ops divided by the stack IR's ops on the same workload is "dispatches per Wasm
//! instruction": the stack IR emits one op per executed Wasm instruction except `block`,
//! `loop`, `end`, `nop` and the reinterpret casts, which emit nothing.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};

use crate::manifest::{self, Size, Workload};
use crate::runner::figures::{self, Bars, Series};
use crate::runner::measure::one_line;
use crate::runner::probe::parse_report;
use crate::runner::progress::Progress;
use crate::runner::select::is_weft;
use crate::runner::suites::timing::{self, size_name, Timing};
use crate::runner::table::{count, duration, ratio, sig3, Table};
use crate::runner::Ctx;

/// A probe run: which size, how many calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ProbePlan {
    size: Size,
    reps: u64,
}

/// The only workload `--quick` runs under callgrind.
const QUICK_CALLGRIND_WORKLOAD: &str = "fib_rec";
/// Under callgrind, quick cases are repeated until the stack IR executes about this many ops.
const CALLGRIND_MIN_OPS: u64 = 1_000_000;

#[derive(Clone, Debug, Default)]
struct Cell {
    ops: Option<u64>,
    cg_plan: Option<ProbePlan>,
    cg_ops: Option<u64>,
    instructions: Option<u64>,
    note: Vec<String>,
}

pub fn run(ctx: &Ctx, micro: Option<&Timing>) -> Result<()> {
    let configs: Vec<String> = ctx
        .engines
        .iter()
        .map(|e| e.name())
        .filter(|n| is_weft(n))
        .collect();
    if configs.is_empty() {
        eprintln!("matrix: skipped: no weft configuration selected");
        return Ok(());
    }
    let workloads = manifest::load(&manifest::workloads_dir().join("micro/manifest.toml"))?;

    // Times: reuse the micro suite's if it covered every configuration.
    let own;
    let timing = match micro {
        Some(t) if configs.iter().all(|c| t.engines.contains(c)) => t,
        _ => {
            own = timing::measure(ctx, "micro", is_weft)?;
            &own
        }
    };
    let size = timing.plan.size;
    let mut cells: BTreeMap<(usize, usize), Cell> = BTreeMap::new();

    // Executed ops, from the stats build.
    let stats_probe = build_stats_probe(ctx);
    let stats_note = match &stats_probe {
        Ok(_) => None,
        Err(e) => {
            eprintln!("matrix: executed-op counts skipped: {e}");
            Some(format!("executed-op counts unavailable: {e}"))
        }
    };
    let full = ProbePlan { size, reps: 1 };
    if let Ok(probe) = &stats_probe {
        let jobs: Vec<(usize, usize, ProbePlan)> = (0..configs.len())
            .flat_map(|c| (0..workloads.len()).map(move |w| (c, w, full)))
            .collect();
        let progress = Progress::new("matrix: ops", jobs.len() as u64);
        for ((c, w, _), result) in run_jobs(&jobs, &progress, |&(c, w, plan)| {
            probe_ops(probe, &configs[c], &workloads[w], plan)
        }) {
            let cell = cells.entry((c, w)).or_default();
            match result {
                Ok(ops) => cell.ops = Some(ops),
                Err(e) => cell.note.push(format!("ops: {e}")),
            }
        }
        progress.finish();
    }

    // The callgrind plan per workload: the quick case, repeated until the stack IR executes
    // about CALLGRIND_MIN_OPS ops (full sizes would take minutes under callgrind).
    let stack_config = (0..configs.len()).find(|&c| configs[c].ends_with("/stack"));
    let plans: Vec<ProbePlan> = (0..workloads.len())
        .map(|w| {
            let quick = ProbePlan {
                size: Size::Quick,
                reps: 1,
            };
            if ctx.options.quick {
                return quick;
            }
            let stack_ops = match (&stats_probe, stack_config) {
                (Ok(probe), Some(c)) => probe_ops(probe, &configs[c], &workloads[w], quick).ok(),
                _ => None,
            };
            ProbePlan {
                size: Size::Quick,
                reps: stack_ops.map_or(1, |ops| CALLGRIND_MIN_OPS.div_ceil(ops.max(1)).max(1)),
            }
        })
        .collect();
    for (c, _) in configs.iter().enumerate() {
        for (w, plan) in plans.iter().enumerate() {
            let cell = cells.entry((c, w)).or_default();
            cell.cg_plan = Some(*plan);
            if *plan == full {
                cell.cg_ops = cell.ops;
            }
        }
    }
    if let Ok(probe) = &stats_probe {
        let jobs: Vec<(usize, usize, ProbePlan)> = (0..configs.len())
            .flat_map(|c| {
                (0..workloads.len())
                    .map(|w| (c, w, plans[w]))
                    .collect::<Vec<_>>()
            })
            .filter(|(_, _, plan)| *plan != full)
            .collect();
        if !jobs.is_empty() {
            let progress = Progress::new("matrix: ops at callgrind sizes", jobs.len() as u64);
            for ((c, w, _), result) in run_jobs(&jobs, &progress, |&(c, w, plan)| {
                probe_ops(probe, &configs[c], &workloads[w], plan)
            }) {
                let cell = cells.entry((c, w)).or_default();
                match result {
                    Ok(ops) => cell.cg_ops = Some(ops),
                    Err(e) => cell.note.push(format!("ops: {e}")),
                }
            }
            progress.finish();
        }
    }

    // Instructions, from callgrind.
    let valgrind = valgrind_version();
    let callgrind_note = match &valgrind {
        Ok(version) => {
            let exe = std::env::current_exe().context("locating the runner executable")?;
            let scratch =
                std::env::temp_dir().join(format!("weft-callgrind-{}", std::process::id()));
            std::fs::create_dir_all(&scratch)?;
            // --quick checks the machinery on one workload only.
            let jobs: Vec<(usize, usize, ProbePlan)> = (0..configs.len())
                .flat_map(|c| {
                    (0..workloads.len())
                        .map(|w| (c, w, plans[w]))
                        .collect::<Vec<_>>()
                })
                .filter(|&(_, w, _)| {
                    !ctx.options.quick || workloads[w].name == QUICK_CALLGRIND_WORKLOAD
                })
                .collect();
            let progress = Progress::new("matrix: callgrind", jobs.len() as u64);
            for ((c, w, _), result) in run_jobs(&jobs, &progress, |&(c, w, plan)| {
                callgrind(&exe, &scratch, &configs[c], &workloads[w], plan)
            }) {
                let cell = cells.entry((c, w)).or_default();
                match result {
                    Ok(n) => cell.instructions = Some(n),
                    Err(e) => cell.note.push(format!("callgrind: {e}")),
                }
            }
            progress.finish();
            let _ = std::fs::remove_dir_all(&scratch);
            format!(
                "{version}, `--toggle-collect=weft_exp_measured`{}",
                if ctx.options.quick {
                    "; --quick: fib_rec only"
                } else {
                    ""
                }
            )
        }
        Err(e) => {
            eprintln!("matrix: callgrind instruction counts skipped: {e}");
            format!("instruction counts skipped: {e}")
        }
    };

    report(
        ctx,
        timing,
        &configs,
        &workloads,
        &cells,
        &plans,
        stats_note,
        &callgrind_note,
    )
}

/// Run `jobs` on as many threads as there are CPUs (probes are separate processes).
fn run_jobs<J: Send + Sync + Clone, T: Send>(
    jobs: &[J],
    progress: &Progress,
    work: impl Fn(&J) -> Result<T> + Sync,
) -> Vec<(J, Result<T>)> {
    let queue = Mutex::new(jobs.iter().cloned().enumerate().collect::<VecDeque<_>>());
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let Some((i, job)) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let result = work(&job);
                progress.inc(1);
                results.lock().unwrap().push((i, job, result));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _, _)| *i);
    results
        .into_iter()
        .map(|(_, job, result)| (job, result))
        .collect()
}

/// Build the runner with `--features stats` in its own profile (`weft-stats`, release
/// settings without LTO: op counts do not depend on optimisation) and return its path.
/// Without the peers (`--no-default-features`): the probe counts weft's ops only, and the
/// peers were half of this build's time (`experiments/op-pairs.sh` builds it the same way,
/// so the two share one build).
fn build_stats_probe(ctx: &Ctx) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let progress = Progress::new("matrix: build", 1);
    progress.step(
        "cargo build -p weft-experiments --no-default-features --features stats --profile weft-stats",
    );
    let output = Command::new(&cargo)
        .current_dir(&ctx.repo)
        .args([
            "build",
            "-p",
            "weft-experiments",
            "--bin",
            "weft-experiments",
            "--no-default-features",
            "--features",
            "stats",
            "--profile",
            "weft-stats",
            "--config",
            "profile.weft-stats.inherits=\"release\"",
            "--config",
            "profile.weft-stats.lto=false",
            "--config",
            "profile.weft-stats.codegen-units=256",
            // Counts do not depend on optimisation: build fast (dependencies unoptimised),
            // except weft-dispatch, whose threaded executor needs opt-level >= 2 and which
            // runs the full-size workloads.
            "--config",
            "profile.weft-stats.opt-level=1",
            "--config",
            "profile.weft-stats.package.\"*\".opt-level=0",
            "--config",
            "profile.weft-stats.package.weft-dispatch.opt-level=3",
            "--config",
            "profile.weft-stats.package.weft-dispatch.codegen-units=16",
            "--config",
            "profile.weft-stats.debug=false",
            "--message-format=json-render-diagnostics",
        ])
        .output()
        .with_context(|| format!("running {cargo}"))?;
    progress.inc(1);
    progress.finish();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        bail!("building the stats probe failed: {}", one_line(last));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter(|l| {
            l.contains("\"reason\":\"compiler-artifact\"")
                && l.contains("\"name\":\"weft-experiments\"")
        })
        .find_map(|l| json_string_field(l, "executable"))
        .map(PathBuf::from)
        .ok_or_else(|| anyhow!("cargo did not report the stats probe's executable"))
}

/// The string value of `"key":"..."` in one line of JSON (enough for cargo's messages).
fn json_string_field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut out = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

fn probe_ops(probe: &Path, config: &str, workload: &Workload, plan: ProbePlan) -> Result<u64> {
    let output = Command::new(probe)
        .args(probe_args(config, workload, plan))
        .output()
        .with_context(|| format!("running {}", probe.display()))?;
    if !output.status.success() {
        bail!("{}", one_line(&String::from_utf8_lossy(&output.stderr)));
    }
    parse_report(&String::from_utf8_lossy(&output.stdout))
        .ops
        .ok_or_else(|| anyhow!("the probe printed no op count (built without `stats`?)"))
}

fn probe_args(config: &str, workload: &Workload, plan: ProbePlan) -> Vec<String> {
    vec![
        "probe".into(),
        config.into(),
        workload.id(),
        size_name(plan.size).into(),
        plan.reps.to_string(),
    ]
}

fn valgrind_version() -> Result<String> {
    let output = Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|e| anyhow!("valgrind is not installed ({e})"))?;
    if !output.status.success() {
        bail!("`valgrind --version` failed");
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn callgrind(
    exe: &Path,
    scratch: &Path,
    config: &str,
    workload: &Workload,
    plan: ProbePlan,
) -> Result<u64> {
    let out = scratch.join(format!(
        "{}-{}-{}.out",
        config.replace(['/', '+', ':'], "_"),
        workload.name,
        size_name(plan.size)
    ));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg("--toggle-collect=weft_exp_measured")
        .arg("--compress-strings=no")
        .arg(exe)
        .args(probe_args(config, workload, plan))
        .output()
        .context("running valgrind")?;
    if !output.status.success() {
        bail!("{}", one_line(&String::from_utf8_lossy(&output.stderr)));
    }
    let text =
        std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| anyhow!("no totals in the callgrind output"))
}

#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
fn report(
    ctx: &Ctx,
    timing: &Timing,
    configs: &[String],
    workloads: &[Workload],
    cells: &BTreeMap<(usize, usize), Cell>,
    plans: &[ProbePlan],
    stats_note: Option<String>,
    callgrind_note: &str,
) -> Result<()> {
    let cell = |c: usize, w: usize| cells.get(&(c, w)).cloned().unwrap_or_default();
    let time = |c: usize, w: usize| {
        timing
            .outcome(&workloads[w].name, &configs[c])
            .and_then(|o| o.summary())
    };
    let ir_of = |c: usize| {
        configs[c]
            .split_once('/')
            .map_or("", |(_, ir)| ir)
            .trim_start_matches("weft:")
    };
    let executor_of = |c: usize| {
        configs[c]
            .trim_start_matches("weft:")
            .split('/')
            .next()
            .unwrap_or("")
    };
    // The stack configuration of the same executor (else any), per configuration.
    let stack_of = |c: usize| {
        (0..configs.len())
            .find(|&s| ir_of(s) == "stack" && executor_of(s) == executor_of(c))
            .or_else(|| (0..configs.len()).find(|&s| ir_of(s) == "stack"))
    };
    let ops_ratio = |c: usize, w: usize| {
        let ops = cell(c, w).ops? as f64;
        let stack = cell(stack_of(c)?, w).ops? as f64;
        Some(ops / stack)
    };

    // Table 1: executed ops per IR variant (equal across executors; checked).
    let mut irs: Vec<&str> = Vec::new();
    for c in 0..configs.len() {
        if !irs.contains(&ir_of(c)) {
            irs.push(ir_of(c));
        }
    }
    let mut notes: Vec<String> = Vec::new();
    let mut headers = vec!["IR".to_owned()];
    headers.extend(workloads.iter().map(|w| w.name.clone()));
    let mut dispatch = Table::with_headers(headers.clone());
    let mut dispatch_series = Vec::new();
    for ir in &irs {
        let members: Vec<usize> = (0..configs.len()).filter(|&c| ir_of(c) == *ir).collect();
        let mut row = vec![format!("`{ir}`")];
        let mut values = Vec::new();
        for w in 0..workloads.len() {
            let counts: Vec<u64> = members.iter().filter_map(|&c| cell(c, w).ops).collect();
            if counts.windows(2).any(|p| p[0] != p[1]) {
                notes.push(format!(
                    "op counts differ across executors for `{ir}` on {}: {counts:?}",
                    workloads[w].name
                ));
            }
            let r = members.iter().find_map(|&c| ops_ratio(c, w));
            let ops = counts.first().copied();
            row.push(match (ops, r) {
                (Some(ops), Some(r)) => format!("{} ({})", count(ops), ratio(r)),
                (Some(ops), None) => count(ops),
                _ => "–".into(),
            });
            values.push(r.map(|r| (r, None)));
        }
        dispatch.push(row);
        dispatch_series.push(Series {
            name: (*ir).to_owned(),
            values,
        });
    }

    // Table 2: time per executed op; table 3: instructions per executed op.
    let mut config_headers = headers.clone();
    config_headers[0] = "configuration".into();
    let mut per_op = Table::with_headers(config_headers.clone());
    let mut per_instr = Table::with_headers(config_headers);
    let mut ns_series = Vec::new();
    let mut ir_series = Vec::new();
    let mut csv = Vec::new();
    for c in 0..configs.len() {
        let mut row_t = vec![format!("`{}`", configs[c])];
        let mut row_i = vec![format!("`{}`", configs[c])];
        let mut ns_values = Vec::new();
        let mut ir_values = Vec::new();
        for w in 0..workloads.len() {
            let cl = cell(c, w);
            let t = time(c, w);
            let ns_per_op = match (t, cl.ops) {
                (Some(t), Some(ops)) if ops > 0 => Some(t.median * 1e9 / ops as f64),
                _ => None,
            };
            let ir_per_op = match (cl.instructions, cl.cg_ops) {
                (Some(i), Some(ops)) if ops > 0 => Some(i as f64 / ops as f64),
                _ => None,
            };
            row_t.push(ns_per_op.map_or("–".into(), |v| format!("{} ns", sig3(v))));
            row_i.push(ir_per_op.map_or("–".into(), sig3));
            ns_values.push(ns_per_op.map(|v| (v, None)));
            ir_values.push(ir_per_op.map(|v| (v, None)));
            let plan = cl.cg_plan;
            csv.push(vec![
                workloads[w].id(),
                configs[c].clone(),
                size_name(timing.plan.size).into(),
                t.map_or(String::new(), |t| t.median.to_string()),
                t.map_or(String::new(), |t| t.min.to_string()),
                t.map_or(String::new(), |t| t.max.to_string()),
                cl.ops.map_or(String::new(), |v| v.to_string()),
                ops_ratio(c, w).map_or(String::new(), |v| format!("{v:.4}")),
                ns_per_op.map_or(String::new(), |v| format!("{v:.4}")),
                plan.map_or(String::new(), |p| size_name(p.size).into()),
                plan.map_or(String::new(), |p| p.reps.to_string()),
                cl.cg_ops.map_or(String::new(), |v| v.to_string()),
                cl.instructions.map_or(String::new(), |v| v.to_string()),
                ir_per_op.map_or(String::new(), |v| format!("{v:.4}")),
                cl.note.join("; "),
            ]);
            for n in &cl.note {
                notes.push(format!("`{}` on {}: {n}", configs[c], workloads[w].name));
            }
        }
        per_op.push(row_t);
        per_instr.push(row_i);
        ns_series.push(Series {
            name: configs[c].clone(),
            values: ns_values,
        });
        ir_series.push(Series {
            name: configs[c].clone(),
            values: ir_values,
        });
    }
    let csv_path = ctx.output.write_csv(
        "matrix",
        &[
            "workload",
            "config",
            "size",
            "median_s",
            "min_s",
            "max_s",
            "ops_per_call",
            "ops_vs_stack",
            "ns_per_op",
            "callgrind_size",
            "callgrind_calls",
            "callgrind_ops",
            "instructions",
            "instructions_per_op",
            "note",
        ],
        &csv,
        &ctx.platform,
    )?;

    let groups: Vec<String> = workloads.iter().map(|w| w.name.clone()).collect();
    let dispatch_figure = ctx.output.figure_path("dispatches")?;
    figures::write(
        &dispatch_figure,
        &[Bars {
            title: "Executed IR ops relative to the stack IR (dispatches per Wasm instruction)"
                .into(),
            y_label: "executed ops / stack-IR ops".into(),
            groups: groups.clone(),
            series: dispatch_series,
            log_y: false,
            reference: Some(1.0),
        }],
    )?;
    let matrix_figure = ctx.output.figure_path("matrix")?;
    let mut panels = vec![Bars {
        title: "Time per executed IR op".into(),
        y_label: "ns per op (median time / ops)".into(),
        groups: groups.clone(),
        series: ns_series,
        log_y: false,
        reference: None,
    }];
    if ir_series
        .iter()
        .any(|s| s.values.iter().any(Option::is_some))
    {
        panels.push(Bars {
            title: "Machine instructions per executed IR op (callgrind)".into(),
            y_label: "instructions per op".into(),
            groups,
            series: ir_series,
            log_y: false,
            reference: None,
        });
    }
    figures::write(&matrix_figure, &panels)?;

    let sizes: Vec<String> = workloads
        .iter()
        .zip(plans)
        .map(|(w, p)| {
            format!(
                "{} {}{}",
                w.name,
                size_name(p.size),
                if p.reps > 1 {
                    format!(" ×{}", p.reps)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    let mut md = ctx.provenance("matrix");
    md.push_str(&format!(
        "Every weft configuration on every micro workload ({} size). Executed IR ops come from \
         the probe built with `--features stats`; times from the `micro` suite's medians.\n\n\
         **Executed IR ops per call**, and in parentheses relative to the stack IR \
         (≈ dispatches per Wasm instruction):\n\n{}\n",
        size_name(timing.plan.size),
        dispatch.to_markdown()
    ));
    md.push_str(&format!(
        "![Executed ops relative to the stack IR](figures/dispatches.svg)\n\n**Time per executed \
         op** (median time per call / ops per call):\n\n{}\n",
        per_op.to_markdown()
    ));
    md.push_str(&format!(
        "**Machine instructions per executed op** ({callgrind_note}; calls measured: {}):\n\n{}\n",
        sizes.join(", "),
        per_instr.to_markdown()
    ));
    if let Some(n) = &stats_note {
        notes.push(n.clone());
    }
    for n in &notes {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str("\n![Time and instructions per executed op](figures/matrix.svg)\n");
    let in_paper = ctx.output.write_block("matrix", &md)?;
    println!(
        "\n## matrix\n\nexecuted ops (vs stack IR):\n\n{}\nns per op:\n\n{}\ninstructions per op ({callgrind_note}):\n\n{}",
        dispatch.to_markdown(),
        per_op.to_markdown(),
        per_instr.to_markdown()
    );
    for n in &notes {
        println!("- {n}");
    }
    let _ = duration;
    ctx.wrote("matrix", &csv_path, &matrix_figure, in_paper);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_field() {
        let line = r#"{"reason":"compiler-artifact","executable":"/t/weft-stats/weft-experiments","fresh":true}"#;
        assert_eq!(
            super::json_string_field(line, "executable").as_deref(),
            Some("/t/weft-stats/weft-experiments")
        );
        assert_eq!(
            super::json_string_field(r#"{"executable":"C:\\t\\x.exe"}"#, "executable").as_deref(),
            Some("C:\\t\\x.exe")
        );
    }
}
