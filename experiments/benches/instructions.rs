//! `cargo bench -p weft-experiments --bench instructions`: instruction counts (callgrind,
//! via gungraun) of one call of each micro workload at its quick size, on every
//! compiled-in weft configuration. Needs valgrind and the runner:
//! `cargo install gungraun-runner --version 0.20.0` (see the crate's README).
//!
//! Loading, translating, instantiating and a first (checked) call happen in `setup`, which
//! gungraun leaves out of the counts; the prepared instance is returned so that dropping it
//! is left out too. Benchmark ids are `<workload>_<n>`, `n` indexing the configurations in
//! `Weft::all()` order (executors in `Executor::compiled()` order, each with every IR in
//! `IrKind::ALL` order): with the default features, 0-2 are threaded, 3-5 trampoline and
//! 6-8 loop-switch, each as stack, register, register+fuse.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use weft_experiments::bench::{config_names, Prepared};
use weft_experiments::Size;

fn prepare(config: String, workload: &str) -> Prepared {
    let mut prepared = Prepared::micro(&config, workload, Size::Quick).expect("prepares");
    prepared.call();
    prepared.check().expect("gives the manifest's result");
    prepared
}

/// One setup function per workload (gungraun's `setup` takes a path).
mod setup {
    use super::*;

    macro_rules! setups {
        ($($name:ident),*) => {$(
            pub fn $name(config: String) -> Prepared {
                prepare(config, stringify!($name))
            }
        )*};
    }
    setups!(fac_iter, fac_rec, fib_iter, fib_rec, fill, sum);
}

#[library_benchmark]
#[benches::fac_iter(iter = config_names(), setup = setup::fac_iter)]
#[benches::fac_rec(iter = config_names(), setup = setup::fac_rec)]
#[benches::fib_iter(iter = config_names(), setup = setup::fib_iter)]
#[benches::fib_rec(iter = config_names(), setup = setup::fib_rec)]
#[benches::fill(iter = config_names(), setup = setup::fill)]
#[benches::sum(iter = config_names(), setup = setup::sum)]
fn call(mut prepared: Prepared) -> Prepared {
    prepared.call();
    black_box(prepared)
}

library_benchmark_group!(name = micro, benchmarks = [call]);

main!(library_benchmark_groups = micro);
