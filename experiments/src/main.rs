//! `cargo run --release -p weft-experiments -- [SUITE...] [options]`: see the crate's
//! README and `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use weft_experiments::runner::{self, Options};

#[derive(Parser)]
#[command(
    name = "weft-experiments",
    about = "Run weft's experiments: print the tables, write experiments/results/ and regenerate \
             the paper's tables and figures (papers/dispatch.md, papers/figures/)",
    after_help = "\
SUITES: micro, programs, matrix, startup, coremark (the default list; coremark needs \
--coremark or WEFT_COREMARK and is skipped with a one-line reason without it; one run() takes \
12-33 s per engine), wasi (real programs as WASI commands, on weft and wasmi), compile-time \
(clean release builds of weft per executor set; minutes), checks (the cost of fuel \
metering and epoch interruption: every executor with checks off, +fuel, +epoch).

ENGINES: `weft` (every weft configuration), `weft:<executor>/<ir>` (one), and the peers \
compiled in (feature `peers`, on by default): `wasmi` (= wasmi/lazy and wasmi/eager), \
`stitch`, `tinywasm`. Default: every weft configuration and every peer compiled in.

Every timing is interleaved (A B C A B C ...) and reported as median, min and max with the \
ratio to a baseline measured in the same run."
)]
struct Cli {
    /// Suites to run (default: micro programs matrix startup coremark wasi)
    #[arg(value_name = "SUITE")]
    suites: Vec<String>,

    /// Quick sizes and few rounds, results under the temp dir: checks that everything works
    #[arg(long)]
    quick: bool,

    /// Weft configurations to measure: comma-separated patterns (`*` wildcards; without
    /// one, a substring), e.g. `threaded/*,loop-switch/stack`
    #[arg(long, value_name = "PATTERN")]
    configs: Option<String>,

    /// Engines to measure, comma-separated, e.g. `weft,wasmi,stitch,tinywasm`
    #[arg(long, value_name = "LIST")]
    engines: Option<String>,

    /// Interleaved rounds per suite (default: micro 5, programs 3, startup 7, wasi 3,
    /// others 1)
    #[arg(long, value_name = "N")]
    runs: Option<usize>,

    /// The CoreMark module (Stitch's coremark-minimal.wasm); also env WEFT_COREMARK.
    /// Without it the coremark suite is skipped.
    #[arg(long, value_name = "PATH")]
    coremark: Option<PathBuf>,

    /// Seconds to wait before each suite for the 1-minute load average to drop to 0.5 per
    /// CPU (it is recorded with the results either way; a warning says when it stayed high)
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    wait_quiet: u64,

    /// Write results, figures and a copy of the paper under DIR instead of the repository
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // The probe (see runner::probe) is internal: started by the matrix suite.
    if args.get(1).map(String::as_str) == Some("probe") {
        return match runner::probe::main(&args[2..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    // `count` (see runner::count): instruction counts of one workload per engine.
    if let Some(which @ ("count" | "count-one")) = args.get(1).map(String::as_str) {
        let run = if which == "count" {
            runner::count::main
        } else {
            runner::count::one
        };
        return match run(&args[2..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    // `opstats` (see runner::opstats): executed ops and op pairs, from a stats build.
    if args.get(1).map(String::as_str) == Some("opstats") {
        return match runner::opstats::main(&args[2..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let cli = Cli::parse();
    let command_line = {
        let rest: Vec<String> = args[1..].iter().map(|a| shell_quote(a)).collect();
        format!(
            "cargo run --release -p weft-experiments{}{}",
            runner::features_flag(),
            if rest.is_empty() {
                String::new()
            } else {
                format!(" -- {}", rest.join(" "))
            }
        )
    };
    let options = Options {
        suites: cli.suites,
        quick: cli.quick,
        configs: cli.configs,
        engines: cli.engines,
        runs: cli.runs,
        coremark: cli.coremark,
        out: cli.out,
        command_line,
        wait_quiet: cli.wait_quiet,
    };
    match runner::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn shell_quote(arg: &str) -> String {
    if arg
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:,=+*".contains(c))
    {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}
