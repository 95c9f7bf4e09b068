//! Progress: an indicatif bar on a terminal; on anything else (CI logs, pipes) one plain
//! line per step on stderr and no escape codes.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    suite: String,
}

impl Progress {
    /// A bar for `suite` with `total` steps.
    pub fn new(suite: &str, total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>12.bold} [{bar:30}] {pos}/{len} {elapsed_precise} (~{eta} left) {wide_msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(suite.to_owned());
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        });
        if bar.is_none() {
            eprintln!("[{suite}] {total} steps");
        }
        Progress {
            bar,
            started: Instant::now(),
            suite: suite.to_owned(),
        }
    }

    /// A coarse step (a workload, a configuration): a line of its own when there is no bar.
    pub fn step(&self, message: impl Into<String>) {
        let message = message.into();
        match &self.bar {
            Some(bar) => bar.set_message(message),
            None => eprintln!(
                "[{} {:>6.1}s] {message}",
                self.suite,
                self.started.elapsed().as_secs_f64()
            ),
        }
    }

    /// A fine-grained status (shown on the bar only).
    pub fn set_message(&self, message: impl Into<String>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.into());
        }
    }

    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Print a line without tearing the bar.
    pub fn println(&self, line: impl AsRef<str>) {
        match &self.bar {
            Some(bar) => bar.println(line.as_ref()),
            None => eprintln!("{}", line.as_ref()),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        eprintln!(
            "[{}] done in {:.1}s",
            self.suite,
            self.started.elapsed().as_secs_f64()
        );
    }
}
