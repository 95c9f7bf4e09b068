//! `cargo bench -p weft-experiments --bench instructions`: instruction counts (callgrind,
//! via gungraun) of one call of each micro workload at its quick size, on every
//! compiled-in weft configuration. Needs valgrind and the runner:
//! `cargo install gungraun-runner --version 0.20.0` (see the crate's README).
//!
//! Loading, translating, instantiating and a first (checked) call happen in `setup`, which
//! gungraun leaves out of the counts; the prepared instance is returned so that dropping it
//! is left out too. Each workload is one benchmark function and each configuration one
//! bench in it, named after the configuration (`threaded/register+acc+fuse` is
//! `threaded_register_acc_fuse`), so the output reads `<workload> <configuration>:...`.
//! The names are spelled out because gungraun's ids must be identifiers known at compile
//! time; `every_configuration_is_benched` stops the run if the compiled-in configurations
//! and this list ever disagree.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use weft_experiments::bench::{config_names, Prepared};
use weft_experiments::Size;

/// The benched configurations, as `bench id => configuration name`.
macro_rules! with_configs {
    ($cb:ident! $args:tt) => {
        $cb! { $args
            threaded_pairs_stack => "threaded-pairs/stack",
            threaded_pairs_register => "threaded-pairs/register",
            threaded_pairs_register_acc => "threaded-pairs/register+acc",
            threaded_pairs_register_fuse => "threaded-pairs/register+fuse",
            threaded_pairs_register_acc_fuse => "threaded-pairs/register+acc+fuse",
            threaded_stack => "threaded/stack",
            threaded_register => "threaded/register",
            threaded_register_acc => "threaded/register+acc",
            threaded_register_fuse => "threaded/register+fuse",
            threaded_register_acc_fuse => "threaded/register+acc+fuse",
            trampoline_stack => "trampoline/stack",
            trampoline_register => "trampoline/register",
            trampoline_register_acc => "trampoline/register+acc",
            trampoline_register_fuse => "trampoline/register+fuse",
            trampoline_register_acc_fuse => "trampoline/register+acc+fuse",
            loop_switch_stack => "loop-switch/stack",
            loop_switch_register => "loop-switch/register",
            loop_switch_register_acc => "loop-switch/register+acc",
            loop_switch_register_fuse => "loop-switch/register+fuse",
            loop_switch_register_acc_fuse => "loop-switch/register+acc+fuse",
        }
    };
}

/// The configuration names listed above, to compare with what is compiled in.
macro_rules! listed_names {
    (() $($id:ident => $name:literal,)*) => {
        &[$($name),*]
    };
}

fn every_configuration_is_benched() {
    let listed: &[&str] = with_configs!(listed_names!());
    let compiled = config_names();
    assert!(
        compiled
            .iter()
            .map(String::as_str)
            .eq(listed.iter().copied()),
        "benches/instructions.rs lists {listed:?} but the compiled-in configurations are \
         {compiled:?}: update `with_configs!`"
    );
}

fn prepare(config: &str, workload: &str) -> Prepared {
    let mut prepared = Prepared::micro(config, workload, Size::Quick)
        .unwrap_or_else(|e| panic!("{workload} on {config}: {e:#}"));
    prepared.call();
    prepared
        .check()
        .unwrap_or_else(|e| panic!("{workload} on {config}: {e:#}"));
    prepared
}

/// One setup function per workload (gungraun's `setup` takes a path).
mod setup {
    use super::*;

    macro_rules! setups {
        ($($name:ident),*) => {$(
            pub fn $name(config: &str) -> Prepared {
                prepare(config, stringify!($name))
            }
        )*};
    }
    setups!(fac_iter, fac_rec, fib_iter, fib_rec, fill, sum);
}

/// One benchmark function per workload, with one bench per configuration.
macro_rules! workload_bench {
    (($workload:ident) $($id:ident => $name:literal,)*) => {
        #[library_benchmark]
        // The argument expression (the setup call) runs outside the counted region.
        $(#[bench::$id(setup::$workload($name))])*
        fn $workload(mut prepared: Prepared) -> Prepared {
            prepared.call();
            black_box(prepared)
        }
    };
}

with_configs!(workload_bench!(fac_iter));
with_configs!(workload_bench!(fac_rec));
with_configs!(workload_bench!(fib_iter));
with_configs!(workload_bench!(fib_rec));
with_configs!(workload_bench!(fill));
with_configs!(workload_bench!(sum));

library_benchmark_group!(
    name = micro,
    benchmarks = [fac_iter, fac_rec, fib_iter, fib_rec, fill, sum]
);

main!(
    setup = every_configuration_is_benched(),
    library_benchmark_groups = micro
);
