//! Runs every program natively at both sizes and prints the programs manifest's entries
//! (TOML; build.sh adds the header) on stdout, so expected checksums come from compiled
//! Rust, never from an interpreter under test. Native timings go to stderr.

use std::time::Instant;

use program_kernels::PROGRAMS;

fn main() {
    for program in PROGRAMS {
        let quick = (program.run)(program.quick);
        let started = Instant::now();
        let full = (program.run)(program.full);
        let native = started.elapsed();
        let again = (program.run)(program.full);
        assert_eq!(full, again, "{} is not deterministic", program.name);
        eprintln!(
            "{:10} full n={:<6} native {:>8.3} ms",
            program.name,
            program.full,
            native.as_secs_f64() * 1e3
        );
        println!("[[workload]]");
        println!("name = \"{}\"", program.name);
        println!("file = \"{}.wasm\"", program.name);
        println!("export = \"run\"");
        println!(
            "full = {{ args = [\"i32:{}\"], results = [\"i64:{full}\"] }}",
            program.full
        );
        println!(
            "quick = {{ args = [\"i32:{}\"], results = [\"i64:{quick}\"] }}",
            program.quick
        );
        println!();
    }
}
