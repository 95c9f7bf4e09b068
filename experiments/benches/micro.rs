//! `cargo bench -p weft-experiments --bench micro`: criterion over every compiled-in weft
//! configuration on every micro workload, one benchmark group per workload, named
//! `micro/<workload>/<executor>/<ir>`.
//!
//! Quick sizes by default (criterion repeats calls itself); `WEFT_BENCH_SIZE=full` for the
//! manifest's full sizes (minutes). Criterion's usual arguments work after `--`, e.g.
//! `cargo bench -p weft-experiments --bench micro -- fib_rec/threaded`.
//! For the paper's interleaved numbers use the runner instead.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use weft_experiments::bench::{config_names, micro_workloads, Prepared};
use weft_experiments::Size;

fn size() -> Size {
    match std::env::var("WEFT_BENCH_SIZE").as_deref() {
        Ok("full") => Size::Full,
        _ => Size::Quick,
    }
}

fn micro(c: &mut Criterion) {
    let size = size();
    for workload in micro_workloads().expect("the micro manifest loads") {
        let mut group = c.benchmark_group(format!("micro/{}", workload.name));
        group
            .sample_size(20)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for config in config_names() {
            let mut prepared = Prepared::micro(&config, &workload.name, size).expect("prepares");
            prepared.call();
            prepared.check().expect("gives the manifest's result");
            group.bench_function(config.as_str(), |b| b.iter(|| prepared.call()));
            prepared.check().expect("gives the manifest's result");
        }
        group.finish();
    }
}

criterion_group!(benches, micro);
criterion_main!(benches);
