//! The `startup` suite: what loading costs. For every engine and every workload, the time
//! of `Engine::load` (decode, validate, and for engines that translate eagerly, translate
//! and encode), interleaved; for weft, also the encoded code size. Summarised over the
//! `programs` suite (real compiler output; the micro modules are a few hundred bytes) per
//! byte of the code section (function bodies). The WASI programs (`workloads/wasi/`, 0.3 to
//! 2.7 MB) are loaded too.

use std::time::Instant;

use anyhow::{Context, Result};

use crate::host::Host;
use crate::manifest::{self, Workload};
use crate::runner::figures::{self, Bar, Bars, Series};
use crate::runner::measure::{one_line, Summary};
use crate::runner::progress::Progress;
use crate::runner::select::is_weft;
use crate::runner::suites::timing::WEFT_BASELINE;
use crate::runner::table::{count, ratio, sig3, Table};
use crate::runner::Ctx;
use crate::weft_adapter::Weft;

/// Bytes of function bodies (the code section's payload).
pub fn code_section_bytes(wasm: &[u8]) -> Result<usize> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::CodeSectionStart {
            unchecked_range, ..
        } = payload?
        {
            return Ok((unchecked_range.end - unchecked_range.start) as usize);
        }
    }
    Ok(0)
}

struct Module {
    workload: Workload,
    wasm: Vec<u8>,
    code_bytes: usize,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let mut modules = Vec::new();
    for suite in manifest::SUITES {
        for workload in
            manifest::load(&manifest::workloads_dir().join(suite).join("manifest.toml"))?
        {
            let wasm = workload.wasm()?;
            let code_bytes = code_section_bytes(&wasm).with_context(|| workload.id())?;
            modules.push(Module {
                workload,
                wasm,
                code_bytes,
            });
        }
    }
    // The WASI programs (up to jaq's 2.7 MB, a Rust program built from popular crates):
    // loading needs no imports, so every engine can load them.
    for program in crate::wasi_suite::load()? {
        let wasm = std::fs::read(&program.wasm)
            .with_context(|| format!("reading {}", program.wasm.display()))?;
        let code_bytes = code_section_bytes(&wasm).with_context(|| program.id())?;
        let no_case = || manifest::Case {
            args: Vec::new(),
            results: Vec::new(),
        };
        modules.push(Module {
            workload: Workload {
                suite: "wasi".into(),
                name: program.name.clone(),
                file: program.wasm.clone(),
                export: "_start".into(),
                full: no_case(),
                quick: no_case(),
            },
            wasm,
            code_bytes,
        });
    }
    let lazy = lazy_variants(ctx);
    let engines: Vec<&dyn crate::Engine> = ctx
        .engines
        .iter()
        .chain(&lazy)
        .map(|e| e.as_ref())
        .collect();
    let names: Vec<String> = engines.iter().map(|e| e.name()).collect();
    let runs = ctx.runs("startup");
    let quick = ctx.options.quick;
    // Micro modules load in microseconds: repeat them to make a sample.
    let reps = |m: &Module| {
        if m.wasm.len() < 4096 && !quick {
            200
        } else {
            1
        }
    };

    // samples[engine][module] = seconds per load; failures recorded once.
    let mut samples = vec![vec![Vec::new(); modules.len()]; engines.len()];
    let mut failures: Vec<Vec<Option<String>>> = vec![vec![None; modules.len()]; engines.len()];
    let mut code_size: Vec<Vec<Option<usize>>> = vec![vec![None; modules.len()]; engines.len()];
    // instantiated[engine][module] = seconds to instantiate the loaded module (programs
    // only: the WASI programs need a WASI context, which the wasi suite times with the run).
    let mut instantiated = vec![vec![Vec::new(); modules.len()]; engines.len()];
    // Kept apart from `failures`: an engine that cannot instantiate a program (Stitch lacks
    // some of their features) still has its load time.
    let mut instantiate_failures: Vec<Vec<Option<String>>> =
        vec![vec![None; modules.len()]; engines.len()];
    let progress = Progress::new("startup", (runs * modules.len() * engines.len()) as u64);
    for round in 0..runs {
        for (m, module) in modules.iter().enumerate() {
            if round == 0 {
                progress.step(format!(
                    "{} ({} bytes)",
                    module.workload.id(),
                    module.wasm.len()
                ));
            }
            for (e, engine) in engines.iter().enumerate() {
                progress.inc(1);
                if failures[e][m].is_some() {
                    continue;
                }
                progress.set_message(format!(
                    "{} on {} (round {}/{runs})",
                    module.workload.id(),
                    names[e],
                    round + 1
                ));
                let n = reps(module);
                let started = Instant::now();
                let mut last = None;
                for _ in 0..n {
                    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        engine.load(&module.wasm)
                    }));
                    match loaded {
                        Ok(Ok(loaded)) => last = Some(loaded),
                        Ok(Err(err)) => {
                            failures[e][m] = Some(one_line(&format!("{err:#}")));
                            break;
                        }
                        Err(_) => {
                            failures[e][m] = Some("panicked while loading".into());
                            break;
                        }
                    }
                }
                let elapsed = started.elapsed().as_secs_f64() / n as f64;
                if let Some(loaded) = last {
                    if failures[e][m].is_none() {
                        samples[e][m].push(elapsed);
                        code_size[e][m] = loaded.code_size();
                    }
                    if failures[e][m].is_none()
                        && instantiate_failures[e][m].is_none()
                        && module.workload.suite == "programs"
                    {
                        // Timed apart from the load, and without dropping the instance: a
                        // lazy engine's start-up is its load plus this (issue 10's goal).
                        let started = Instant::now();
                        let instance =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                loaded.instantiate(Host::default())
                            }));
                        let took = started.elapsed().as_secs_f64();
                        match instance {
                            Ok(Ok(_instance)) => instantiated[e][m].push(took),
                            Ok(Err(err)) => {
                                instantiate_failures[e][m] = Some(one_line(&format!("{err:#}")))
                            }
                            Err(_) => instantiate_failures[e][m] = Some("panicked".into()),
                        }
                    }
                }
            }
        }
    }
    progress.finish();

    // Two sets of modules, each summarised per engine as its total load time per code byte
    // in each round: the programs suite, and the WASI programs (larger: 0.26 to 2.2 MB of
    // code each). `per_round[set][engine]` is `None` if a module of the set failed.
    let sets: Vec<Vec<usize>> = ["programs", "wasi"]
        .iter()
        .map(|suite| {
            (0..modules.len())
                .filter(|&m| modules[m].workload.suite == *suite)
                .collect()
        })
        .collect();
    // A third view: the programs again, load plus instantiation.
    let views = [(0, false), (1, false), (0, true)];
    let per_round: Vec<Vec<Option<Vec<f64>>>> = views
        .iter()
        .map(|&(set, with_instantiation)| {
            let set = &sets[set];
            let bytes: usize = set.iter().map(|&m| modules[m].code_bytes).sum();
            (0..engines.len())
                .map(|e| {
                    let failed = |m: usize| {
                        failures[e][m].is_some()
                            || (with_instantiation && instantiate_failures[e][m].is_some())
                    };
                    if set.is_empty() || set.iter().any(|&m| failed(m)) {
                        return None;
                    }
                    let sample = |m: usize, r: usize| {
                        let load = samples[e][m].get(r).copied().unwrap_or(f64::NAN);
                        let inst = if with_instantiation {
                            instantiated[e][m].get(r).copied().unwrap_or(f64::NAN)
                        } else {
                            0.0
                        };
                        load + inst
                    };
                    let round_total = |r: usize| set.iter().map(|&m| sample(m, r)).sum::<f64>();
                    Some(
                        (0..runs)
                            .map(|r| round_total(r) * 1e9 / bytes as f64)
                            .collect(),
                    )
                })
                .collect()
        })
        .collect();
    let programs = &sets[0];
    let program_bytes: usize = programs.iter().map(|&m| modules[m].code_bytes).sum();
    let wasi_bytes: usize = sets[1].iter().map(|&m| modules[m].code_bytes).sum();
    let per_byte: Vec<Option<Summary>> = per_round[0]
        .iter()
        .map(|r| r.as_deref().and_then(Summary::of))
        .collect();
    let expansion: Vec<Option<f64>> = (0..engines.len())
        .map(|e| {
            let sizes: Option<Vec<usize>> = programs.iter().map(|&m| code_size[e][m]).collect();
            sizes.map(|s| s.iter().sum::<usize>() as f64 / program_bytes as f64)
        })
        .collect();

    // Ratios are to wasmi eager (the load that translates everything, as weft's eager mode
    // does) when it ran, and are the median of the per-round ratios: each round loads every
    // module on every engine back to back, so a ratio within a round cancels the machine's
    // drift from round to round, which on a shared machine is larger than the differences
    // measured here.
    let baseline = ["wasmi/eager", WEFT_BASELINE]
        .into_iter()
        .find(|b| names.iter().any(|n| n == b))
        .map_or_else(|| names[0].clone(), str::to_owned);
    let base = names.iter().position(|n| *n == baseline);
    let round_ratio = |set: usize, e: usize| -> Option<f64> {
        let (mine, theirs) = (per_round[set][e].as_ref()?, per_round[set][base?].as_ref()?);
        let ratios: Vec<f64> = mine.iter().zip(theirs).map(|(a, b)| a / b).collect();
        Summary::of(&ratios).map(|s| s.median)
    };
    let mut table = Table::new(&[
        "engine",
        "programs: load ns / code byte (median)",
        "min",
        "max",
        "ratio",
        "WASI programs: load ns / code byte (median)",
        "ratio",
        "programs: load + instantiate ns / code byte (median)",
        "ratio",
        "code bytes / Wasm code byte",
    ]);
    let mut notes = Vec::new();
    let mut csv = Vec::new();
    for (e, name) in names.iter().enumerate() {
        let wasi = per_round[1][e].as_deref().and_then(Summary::of);
        let with_instantiation = per_round[2][e].as_deref().and_then(Summary::of);
        if let Some((m, why)) = programs
            .iter()
            .find_map(|&m| Some((m, instantiate_failures[e][m].as_ref()?)))
        {
            notes.push(format!(
                "`{name}` could not instantiate `{}`: {why}",
                modules[m].workload.id()
            ));
        }
        match per_byte[e] {
            Some(s) => table.push(vec![
                format!("`{name}`"),
                sig3(s.median),
                sig3(s.min),
                sig3(s.max),
                round_ratio(0, e).map_or("–".into(), ratio),
                wasi.map_or("–".into(), |w| sig3(w.median)),
                round_ratio(1, e).map_or("–".into(), ratio),
                with_instantiation.map_or("–".into(), |w| sig3(w.median)),
                round_ratio(2, e).map_or("–".into(), ratio),
                expansion[e].map_or("–".into(), sig3),
            ]),
            None => {
                let why = programs
                    .iter()
                    .find_map(|&m| failures[e][m].clone())
                    .unwrap_or_default();
                notes.push(format!("`{name}` failed to load: {why}"));
                let mut row = vec![format!("`{name}`"), "failed (see notes)".into()];
                row.resize(10, String::new());
                table.push(row);
            }
        }
        for (m, module) in modules.iter().enumerate() {
            let s = Summary::of(&samples[e][m]);
            csv.push(vec![
                module.workload.id(),
                name.clone(),
                module.wasm.len().to_string(),
                module.code_bytes.to_string(),
                s.map_or(String::new(), |s| s.median.to_string()),
                s.map_or(String::new(), |s| s.min.to_string()),
                s.map_or(String::new(), |s| s.max.to_string()),
                s.map_or("0".into(), |s| s.n.to_string()),
                reps(module).to_string(),
                code_size[e][m].map_or(String::new(), |c| c.to_string()),
                Summary::of(&instantiated[e][m]).map_or(String::new(), |s| s.median.to_string()),
                failures[e][m]
                    .clone()
                    .or_else(|| instantiate_failures[e][m].clone())
                    .unwrap_or_default(),
            ]);
        }
    }
    let mut detail = Table::new(&["workload", "Wasm bytes", "code bytes"]);
    for module in &modules {
        detail.push(vec![
            module.workload.id(),
            count(module.wasm.len() as u64),
            count(module.code_bytes as u64),
        ]);
    }
    let csv_path = ctx.output.write_csv(
        "startup",
        &[
            "workload",
            "engine",
            "wasm_bytes",
            "code_section_bytes",
            "median_s",
            "min_s",
            "max_s",
            "runs",
            "loads_per_sample",
            "encoded_code_bytes",
            "instantiate_median_s",
            "note",
        ],
        &csv,
        &ctx.platform,
    )?;

    let figure = ctx.output.figure_path("startup")?;
    let weft_idx: Vec<usize> = (0..names.len()).filter(|&e| is_weft(&names[e])).collect();
    let single = |title: &str, y: &str, values: Vec<Bar>, groups: Vec<String>| Bars {
        title: title.into(),
        y_label: y.into(),
        groups,
        series: vec![Series {
            name: "all".into(),
            values,
        }],
        log_y: false,
        reference: None,
    };
    let mut load_panel = single(
        "Load time per byte of Wasm code (programs suite; min-max whiskers)",
        "ns per code-section byte",
        per_byte
            .iter()
            .map(|s| s.map(|s| (s.median, Some((s.min, s.max)))))
            .collect(),
        names.clone(),
    );
    // One colour per engine: each bar its own series.
    load_panel.series = names
        .iter()
        .enumerate()
        .map(|(e, n)| Series {
            name: n.clone(),
            values: (0..names.len())
                .map(|g| {
                    if g == e {
                        per_byte[e].map(|s| (s.median, Some((s.min, s.max))))
                    } else {
                        None
                    }
                })
                .collect(),
        })
        .collect();
    load_panel.groups = names.iter().map(|n| short(n)).collect();
    let mut size_panel = single(
        "Encoded code bytes per byte of Wasm code (weft)",
        "encoded bytes / code-section byte",
        vec![],
        weft_idx.iter().map(|&e| short(&names[e])).collect(),
    );
    size_panel.series = weft_idx
        .iter()
        .enumerate()
        .map(|(i, &e)| Series {
            name: names[e].clone(),
            values: (0..weft_idx.len())
                .map(|g| {
                    if g == i {
                        expansion[e].map(|v| (v, None))
                    } else {
                        None
                    }
                })
                .collect(),
        })
        .collect();
    figures::write(&figure, &[load_panel, size_panel])?;

    let mut md = ctx.provenance("startup");
    md.push_str(&format!(
        "Time of `Engine::load` (weft: decode, validate, translate to the IR and encode for \
         the executor; `Module::from_binary`) summed over the {} programs ({} bytes of code \
         section) and over the {} WASI programs ({} bytes), per code byte, over {runs} \
         interleaved rounds; for the programs also load plus `instantiate` (memory, tables, \
         globals, segments, start function); and weft's encoded code size \
         (`Module::code_size`) per code \
         byte. A ratio is the median over rounds of the engine's time over `{baseline}`'s in \
         the same round. Peers differ in what `load` does: wasmi/lazy and Stitch translate \
         each function on its first call, so their load time leaves translation out.\n\n{}",
        programs.len(),
        count(program_bytes as u64),
        sets[1].len(),
        count(wasi_bytes as u64),
        table.to_markdown()
    ));
    for n in &notes {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str(&format!(
        "\n![Load time and code size per Wasm byte](figures/startup.svg)\n\n<details><summary>Module \
         sizes</summary>\n\n{}\n</details>\n",
        detail.to_markdown()
    ));
    let in_paper = ctx.output.write_block("startup", &md)?;
    println!("\n## startup\n\n{}", table.to_markdown());
    for n in &notes {
        println!("- {n}");
    }
    ctx.wrote("startup", &csv_path, &figure, in_paper);
    super::startup_shapes::run(ctx, &engines)
}

/// The default weft configuration in the lazy compilation modes, if it is measured: what
/// loading costs when translation waits for the first call (as in wasmi/lazy and Stitch).
fn lazy_variants(ctx: &Ctx) -> Vec<Box<dyn crate::Engine>> {
    let default = Weft {
        config: weft::Config::new(),
    };
    if !ctx
        .engines
        .iter()
        .any(|e| e.name() == crate::Engine::name(&default))
    {
        return Vec::new();
    }
    [
        weft::CompilationMode::LazyTranslation,
        weft::CompilationMode::Lazy,
    ]
    .into_iter()
    .map(|mode| {
        let mut config = weft::Config::new();
        config.compilation_mode(mode);
        Box::new(Weft { config }) as Box<dyn crate::Engine>
    })
    .collect()
}

fn short(name: &str) -> String {
    name.trim_start_matches("weft:").to_owned()
}
