//! Interleaved timing: every engine is prepared first, then each round times every engine
//! once, in the same order (A B C A B C ...), so that drift in the machine's speed (other
//! load, frequency, thermal state) spreads over all engines instead of landing on one.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::engine::{Engine, Instance};
use crate::host::Host;
use crate::known::short_reason;
use crate::manifest::{Size, Workload};
use crate::value::Value;

use super::progress::Progress;

/// Median, minimum and maximum of a set of samples (seconds, or any other unit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            n,
        })
    }
}

/// What became of one engine on one workload.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Seconds per call over the rounds, and how many calls each sample made.
    Timed { per_call: Summary, reps: u64 },
    /// A known peer bug (see `known.rs`): not attempted.
    CannotRun(String),
    /// Loading, instantiating or calling failed, or the result was wrong.
    Failed(String),
}

impl Outcome {
    pub fn median(&self) -> Option<f64> {
        match self {
            Outcome::Timed { per_call, .. } => Some(per_call.median),
            _ => None,
        }
    }

    pub fn summary(&self) -> Option<Summary> {
        match self {
            Outcome::Timed { per_call, .. } => Some(*per_call),
            _ => None,
        }
    }
}

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub size: Size,
    /// Timed rounds: samples per engine.
    pub runs: usize,
    /// Every sample repeats the call until the fastest engine would take at least this
    /// long; all engines make the same number of calls per sample.
    pub min_sample: Duration,
}

enum Slot {
    Ready(Box<dyn Instance>),
    Out(Outcome),
}

/// Time `workload` on every engine, interleaved. Returns one outcome per engine, in order.
pub fn time_workload(
    engines: &[&dyn Engine],
    workload: &Workload,
    plan: Plan,
    progress: &Progress,
) -> Vec<Outcome> {
    let case = workload.case(plan.size);
    let id = workload.id();
    let wasm = workload.wasm();
    let mut slots: Vec<Slot> = Vec::with_capacity(engines.len());
    let mut per_call_estimate = f64::INFINITY;
    let mut first_calls: Vec<f64> = vec![f64::NAN; engines.len()];
    for engine in engines {
        let name = engine.name();
        progress.set_message(format!("{id} on {name}: load, check, calibrate"));
        if let Some(why) = short_reason(&name, &id) {
            slots.push(Slot::Out(Outcome::CannotRun(why.to_owned())));
            continue;
        }
        let prepared = wasm
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e:#}"))
            .and_then(|wasm| engine.prepare(wasm, Host::default()))
            .and_then(|mut instance| {
                // The first call checks the result and warms up (wasmi/lazy translates here).
                let started = Instant::now();
                check(
                    &name,
                    &id,
                    &case.results,
                    instance.call(&workload.export, &case.args),
                )?;
                let first = started.elapsed().as_secs_f64();
                let estimate = if first >= plan.min_sample.as_secs_f64() {
                    first
                } else {
                    calibrate(instance.as_mut(), &workload.export, &case.args, plan)?
                };
                Ok((instance, estimate, first))
            });
        match prepared {
            Ok((instance, estimate, first)) => {
                per_call_estimate = per_call_estimate.min(estimate);
                first_calls[slots.len()] = first;
                slots.push(Slot::Ready(instance));
            }
            Err(e) => slots.push(Slot::Out(Outcome::Failed(one_line(&format!("{e:#}"))))),
        }
    }
    let reps = if per_call_estimate.is_finite() && per_call_estimate > 0.0 {
        (plan.min_sample.as_secs_f64() / per_call_estimate)
            .ceil()
            .clamp(1.0, 1e9) as u64
    } else {
        1
    };

    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(plan.runs); engines.len()];
    // When one call is a sample on its own (the programs), the checked first calls, made in
    // the same engine order, are the first round.
    let mut first_round = 0;
    if reps == 1 && plan.runs > 0 {
        for (i, slot) in slots.iter().enumerate() {
            if matches!(slot, Slot::Ready(_)) {
                samples[i].push(first_calls[i]);
            }
        }
        progress.inc(engines.len() as u64);
        first_round = 1;
    }
    for round in first_round..plan.runs {
        for (i, engine) in engines.iter().enumerate() {
            let Slot::Ready(instance) = &mut slots[i] else {
                progress.inc(1);
                continue;
            };
            progress.set_message(format!(
                "{id} on {} (round {}/{}, {reps} call{} per sample)",
                engine.name(),
                round + 1,
                plan.runs,
                if reps == 1 { "" } else { "s" }
            ));
            match sample(instance.as_mut(), &workload.export, &case.args, reps) {
                Ok((elapsed, results)) => {
                    match check(&engine.name(), &id, &case.results, Ok(results)) {
                        Ok(()) => samples[i].push(elapsed.as_secs_f64() / reps as f64),
                        Err(e) => slots[i] = Slot::Out(Outcome::Failed(one_line(&e.to_string()))),
                    }
                }
                Err(e) => slots[i] = Slot::Out(Outcome::Failed(one_line(&format!("{e:#}")))),
            }
            progress.inc(1);
        }
    }
    slots
        .into_iter()
        .zip(samples)
        .map(|(slot, samples)| match slot {
            Slot::Out(outcome) => outcome,
            Slot::Ready(_) => match Summary::of(&samples) {
                Some(per_call) => Outcome::Timed { per_call, reps },
                None => Outcome::Failed("no samples".to_owned()),
            },
        })
        .collect()
}

/// Time `reps` calls; the results of the last are returned for checking (outside the timing).
fn sample(
    instance: &mut dyn Instance,
    export: &str,
    args: &[Value],
    reps: u64,
) -> Result<(Duration, Vec<Value>)> {
    let started = Instant::now();
    let mut last = Vec::new();
    for _ in 0..reps {
        last = instance.call(export, args)?;
    }
    let elapsed = started.elapsed();
    Ok((elapsed, std::hint::black_box(last)))
}

/// Seconds per call, from calling for about a quarter of the minimum sample time.
fn calibrate(instance: &mut dyn Instance, export: &str, args: &[Value], plan: Plan) -> Result<f64> {
    let budget = plan.min_sample.as_secs_f64() / 4.0;
    let started = Instant::now();
    let mut calls = 0u64;
    loop {
        std::hint::black_box(instance.call(export, args)?);
        calls += 1;
        let elapsed = started.elapsed().as_secs_f64();
        if elapsed >= budget || calls >= 1_000_000_000 {
            return Ok(elapsed / calls as f64);
        }
    }
}

fn check(engine: &str, id: &str, expected: &[Value], got: Result<Vec<Value>>) -> Result<()> {
    let got = got?;
    if got != expected {
        bail!(
            "{id} on {engine}: returned [{}], expected [{}]",
            join(&got),
            join(expected)
        );
    }
    Ok(())
}

fn join(values: &[Value]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Engine errors can span lines (panics, pretty-printed debug output): tables need one.
pub fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 300 {
        let cut: String = joined.chars().take(297).collect();
        format!("{cut}...")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn summary_median_min_max() {
        let s = Summary::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.n), (2.0, 1.0, 3.0, 3));
        let s = Summary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 2.5);
        assert!(Summary::of(&[]).is_none());
    }
}
