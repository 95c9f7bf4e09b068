//! The `compile-time` suite: how long a release build of weft's own crates (weft-ir,
//! weft-dispatch, weft and its CLI) takes with each executor feature set, dependencies
//! already built; and how big the `weft` binary comes out. Builds go to a scratch target
//! directory so that the user's stays untouched. Minutes of work: only when asked.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::runner::figures::{self, Bars, Series};
use crate::runner::measure::{one_line, Summary};
use crate::runner::platform::command_output;
use crate::runner::progress::Progress;
use crate::runner::table::{count, duration, ratio, Table};
use crate::runner::Ctx;

/// (label, features beyond `--no-default-features`). `wat` stays in every set so that only
/// the executors differ.
const SETS: &[(&str, &str)] = &[
    ("loop-switch", "wat,loop-switch"),
    ("trampoline", "wat,trampoline"),
    ("threaded", "wat,threaded"),
    ("default (all three)", "wat,threaded,trampoline,loop-switch"),
    ("become (nightly)", "wat,become"),
];

pub fn run(ctx: &Ctx) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let nightly =
        command_output("rustc", &["-V"], Some(&ctx.repo)).is_some_and(|v| v.contains("nightly"));
    let sets: Vec<(&str, &str)> = SETS
        .iter()
        .copied()
        .filter(|(label, _)| nightly || !label.starts_with("become"))
        .collect();
    let scratch = std::env::temp_dir().join("weft-compile-time");
    let runs = ctx.runs("compile-time");
    let progress = Progress::new("compile-time", (sets.len() * (runs + 1)) as u64);
    // Warm the dependencies once per feature set (features change what they compile).
    for (label, features) in &sets {
        progress.step(format!("dependencies for {label}"));
        build(&cargo, &ctx.repo, &scratch, features)?;
        progress.inc(1);
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); sets.len()];
    let mut sizes: Vec<Option<u64>> = vec![None; sets.len()];
    for round in 0..runs {
        for (i, (label, features)) in sets.iter().enumerate() {
            progress.step(format!(
                "clean build of weft with {label} (round {}/{runs})",
                round + 1
            ));
            clean(&cargo, &ctx.repo, &scratch)?;
            let started = Instant::now();
            build(&cargo, &ctx.repo, &scratch, features)?;
            times[i].push(started.elapsed().as_secs_f64());
            let exe = scratch
                .join("release")
                .join(format!("weft{}", std::env::consts::EXE_SUFFIX));
            sizes[i] = std::fs::metadata(&exe).ok().map(|m| m.len());
            progress.inc(1);
        }
    }
    progress.finish();
    if !nightly {
        eprintln!("compile-time: `become` skipped: it needs a nightly toolchain");
    }

    let summaries: Vec<Option<Summary>> = times.iter().map(|t| Summary::of(t)).collect();
    let base = summaries[0].map(|s| s.median);
    let mut table = Table::new(&[
        "executors (features)",
        "build time (median)",
        "min",
        "max",
        "ratio",
        "`weft` binary",
    ]);
    let mut csv = Vec::new();
    for (i, (label, features)) in sets.iter().enumerate() {
        let Some(s) = summaries[i] else { continue };
        table.push(vec![
            label.to_string(),
            duration(s.median),
            duration(s.min),
            duration(s.max),
            base.map_or("–".into(), |b| ratio(s.median / b)),
            sizes[i].map_or("–".into(), |n| format!("{} bytes", count(n))),
        ]);
        csv.push(vec![
            label.to_string(),
            features.to_string(),
            s.median.to_string(),
            s.min.to_string(),
            s.max.to_string(),
            s.n.to_string(),
            sizes[i].map_or(String::new(), |n| n.to_string()),
        ]);
    }
    let csv_path = ctx.output.write_csv(
        "compile-time",
        &[
            "executors",
            "features",
            "median_s",
            "min_s",
            "max_s",
            "runs",
            "weft_binary_bytes",
        ],
        &csv,
        &ctx.platform,
    )?;
    let figure = ctx.output.figure_path("compile-time")?;
    figures::write(
        &figure,
        &[Bars {
            title: "Release build time of weft's crates per executor set (dependencies prebuilt)"
                .into(),
            y_label: "seconds".into(),
            groups: sets.iter().map(|(l, _)| l.to_string()).collect(),
            series: sets
                .iter()
                .enumerate()
                .map(|(i, (l, _))| Series {
                    name: l.to_string(),
                    values: (0..sets.len())
                        .map(|g| {
                            if g == i {
                                summaries[i].map(|s| (s.median, Some((s.min, s.max))))
                            } else {
                                None
                            }
                        })
                        .collect(),
                })
                .collect(),
            log_y: false,
            reference: None,
        }],
    )?;
    let mut md = ctx.provenance("compile-time");
    md.push_str(&format!(
        "`cargo build --release -p weft --no-default-features --features <set>` after \
         `cargo clean --release -p weft -p weft-ir -p weft-dispatch`, with dependencies already \
         built, {} CPUs, {runs} round{} (interleaved over the sets). Ratios are to loop-switch \
         alone.\n\n{}\n![Build time per executor set](figures/compile-time.svg)\n",
        ctx.platform.cpus,
        if runs == 1 { "" } else { "s" },
        table.to_markdown()
    ));
    let in_paper = ctx.output.write_block("compile-time", &md)?;
    println!("\n## compile-time\n\n{}", table.to_markdown());
    ctx.wrote("compile-time", &csv_path, &figure, in_paper);
    Ok(())
}

fn build(cargo: &str, repo: &Path, target: &Path, features: &str) -> Result<()> {
    let output = Command::new(cargo)
        .current_dir(repo)
        .args([
            "build",
            "--release",
            "-p",
            "weft",
            "--no-default-features",
            "--features",
            features,
        ])
        .arg("--target-dir")
        .arg(target)
        .output()
        .with_context(|| format!("running {cargo}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "building weft with {features} failed: {}",
            one_line(
                stderr
                    .lines()
                    .rev()
                    .take(5)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str()
            )
        );
    }
    Ok(())
}

fn clean(cargo: &str, repo: &Path, target: &Path) -> Result<()> {
    let status = Command::new(cargo)
        .current_dir(repo)
        .args([
            "clean",
            "--release",
            "-p",
            "weft",
            "-p",
            "weft-ir",
            "-p",
            "weft-dispatch",
        ])
        .arg("--target-dir")
        .arg(target)
        .output()
        .with_context(|| format!("running {cargo}"))?
        .status;
    if !status.success() {
        bail!("cargo clean failed");
    }
    Ok(())
}
