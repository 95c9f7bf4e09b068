//! Part of the `startup` suite: load time of the stress shapes (`weft_ir::shapes`: a tall
//! operand stack, many locals, a huge `br_table`, deep nesting, a long body) as they grow,
//! per byte of Wasm. A translator linear in every dimension keeps ns/byte flat from the
//! smallest size to the largest; the `growth` column is largest over smallest.

use std::time::Instant;

use anyhow::Result;

use crate::runner::measure::one_line;
use crate::runner::progress::Progress;
use crate::runner::table::{sig3, Table};
use crate::runner::Ctx;

/// Shape sizes (`n` of each generator): 4x apart, so quadratic cost would show as 16x.
fn sizes(quick: bool) -> &'static [u32] {
    if quick {
        &[2_000, 8_000]
    } else {
        &[10_000, 40_000, 160_000]
    }
}

pub fn run(ctx: &Ctx, engines: &[&dyn crate::Engine]) -> Result<()> {
    let sizes = sizes(ctx.options.quick);
    let runs = ctx.runs("startup").min(3);
    let shapes = weft_ir::shapes::ALL;
    let progress = Progress::new(
        "startup shapes",
        (shapes.len() * sizes.len() * engines.len()) as u64,
    );
    let mut csv = Vec::new();
    let mut header = vec!["shape".to_string(), "engine".to_string()];
    header.extend(sizes.iter().map(|n| format!("n={n} ns/byte")));
    header.push("growth".into());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&header_refs);
    for shape in shapes {
        let modules: Vec<Vec<u8>> = sizes.iter().map(|&n| (shape.build)(n)).collect();
        for engine in engines {
            let mut row = vec![format!("`{}`", shape.name), format!("`{}`", engine.name())];
            let mut per_byte = Vec::new();
            for (wasm, &n) in modules.iter().zip(sizes) {
                progress.inc(1);
                progress.set_message(format!("{} n={n} on {}", shape.name, engine.name()));
                // The fastest of a few loads: this measures growth, not noise.
                let mut best = f64::INFINITY;
                let mut failure = None;
                for _ in 0..runs {
                    let started = Instant::now();
                    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        engine.load(wasm)
                    }));
                    let elapsed = started.elapsed().as_secs_f64();
                    match loaded {
                        Ok(Ok(_)) => best = best.min(elapsed),
                        Ok(Err(err)) => failure = Some(one_line(&format!("{err:#}"))),
                        Err(_) => failure = Some("panicked while loading".into()),
                    }
                    if failure.is_some() {
                        break;
                    }
                }
                let ns_per_byte = failure.is_none().then(|| best * 1e9 / wasm.len() as f64);
                per_byte.push(ns_per_byte);
                row.push(ns_per_byte.map_or("failed".into(), sig3));
                csv.push(vec![
                    shape.name.to_string(),
                    engine.name(),
                    n.to_string(),
                    wasm.len().to_string(),
                    ns_per_byte.map_or(String::new(), |v| v.to_string()),
                    failure.unwrap_or_default(),
                ]);
            }
            let growth = match (per_byte.first(), per_byte.last()) {
                (Some(Some(first)), Some(Some(last))) => sig3(last / first),
                _ => "–".into(),
            };
            row.push(growth);
            table.push(row);
        }
    }
    progress.finish();
    let csv_path = ctx.output.write_csv(
        "startup_shapes",
        &["shape", "engine", "n", "wasm_bytes", "ns_per_byte", "note"],
        &csv,
        &ctx.platform,
    )?;
    let mut md = ctx.provenance("startup_shapes");
    md.push_str(&format!(
        "Time of `Engine::load` per Wasm byte for the stress shapes of `weft_ir::shapes` at \
         n = {sizes:?} (each size 4x the previous), the fastest of {runs} loads. `growth` \
         is ns/byte at the largest size over the smallest: about 1 for a translator linear \
         in that dimension, about {} for a quadratic one.\n\n{}",
        4u32.pow(sizes.len() as u32 - 1),
        table.to_markdown()
    ));
    let in_paper = ctx.output.write_block("startup_shapes", &md)?;
    println!("\n## startup shapes\n\n{}", table.to_markdown());
    eprintln!(
        "startup_shapes: wrote {}{}",
        csv_path.display(),
        if in_paper { "; updated the paper" } else { "" }
    );
    Ok(())
}
