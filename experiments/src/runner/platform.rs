//! Where and from what the numbers came: recorded in every CSV row and under every table.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug)]
pub struct Platform {
    /// The 1-minute load average when the current suite started (f64 bits; NaN where the
    /// OS does not say), recorded in every CSV row and under every table.
    pub suite_load: Arc<AtomicU64>,
    /// Target triple the runner was built for.
    pub target: String,
    /// `model name` from /proc/cpuinfo (or the OS's equivalent when we know one).
    pub cpu: String,
    /// Logical CPUs available to this process.
    pub cpus: usize,
    /// `rustc -V` of the compiler that built the runner (and weft).
    pub rustc: String,
    /// `git rev-parse --short=12 HEAD`, with `-dirty` when the tree has changes.
    pub commit: String,
    /// UTC date and time of the run, ISO 8601.
    pub date: String,
    /// Cargo profile and opt-level the runner was built with.
    pub profile: String,
}

impl Platform {
    pub fn detect(repo: &Path) -> Platform {
        Platform {
            suite_load: Arc::new(AtomicU64::new(f64::NAN.to_bits())),
            target: env!("WEFT_EXP_TARGET").to_owned(),
            cpu: cpu_model(),
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            rustc: env!("WEFT_EXP_RUSTC").to_owned(),
            commit: git_commit(repo),
            date: utc_now(),
            profile: format!(
                "{} (opt-level {})",
                env!("WEFT_EXP_PROFILE"),
                env!("WEFT_EXP_OPT_LEVEL")
            ),
        }
    }

    /// One line for the foot of a table.
    pub fn describe(&self) -> String {
        format!(
            "{} · {} ({} CPUs) · {} · weft {} · {} · runner built {} · load average {} at the \
             suite's start",
            self.date,
            self.cpu,
            self.cpus,
            self.target,
            self.commit,
            self.rustc,
            self.profile,
            self.load_text()
        )
    }

    /// The load recorded for the current suite, as text.
    fn load_text(&self) -> String {
        let load = f64::from_bits(self.suite_load.load(Ordering::Relaxed));
        if load.is_nan() {
            "unknown".into()
        } else {
            format!("{load:.2}")
        }
    }

    /// Before a suite: waits up to `patience` for the 1-minute load average to drop to
    /// 0.5 per CPU (other processes skew timings), warns if it does not, and records the
    /// load the suite starts at.
    pub fn settle_before(&self, suite: &str, patience: Duration) {
        let quiet = 0.5 * self.cpus as f64;
        let started = Instant::now();
        let mut load = load_average();
        while load.is_some_and(|l| l > quiet) && started.elapsed() < patience {
            std::thread::sleep(Duration::from_secs(5));
            load = load_average();
        }
        match load {
            Some(l) if l > quiet => eprintln!(
                "{suite}: warning: load average {l:.2} is above {quiet:.1} (0.5 per CPU) after \
                 waiting {}s: timings will be skewed by other work (recorded with the results)",
                started.elapsed().as_secs()
            ),
            Some(l) => eprintln!("{suite}: load average {l:.2}"),
            None => {}
        }
        self.suite_load
            .store(load.unwrap_or(f64::NAN).to_bits(), Ordering::Relaxed);
    }

    /// CSV header columns and values, appended to every row.
    pub const CSV_COLUMNS: &'static [&'static str] = &[
        "target", "cpu", "cpus", "rustc", "commit", "date", "profile", "load1",
    ];

    pub fn csv_values(&self) -> Vec<String> {
        vec![
            self.target.clone(),
            self.cpu.clone(),
            self.cpus.to_string(),
            self.rustc.clone(),
            self.commit.clone(),
            self.date.clone(),
            self.profile.clone(),
            self.load_text(),
        ]
    }
}

/// The 1-minute load average (`/proc/loadavg`), where the OS provides it.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn cpu_model() -> String {
    if let Ok(text) = std::fs::read_to_string("/proc/cpuinfo") {
        for key in ["model name", "Model", "cpu model", "Hardware"] {
            if let Some(value) = text.lines().find_map(|line| {
                let (k, v) = line.split_once(':')?;
                (k.trim() == key).then(|| v.trim().to_owned())
            }) {
                if !value.is_empty() {
                    return value;
                }
            }
        }
    }
    if cfg!(target_os = "macos") {
        if let Some(out) = command_output("sysctl", &["-n", "machdep.cpu.brand_string"], None) {
            return out;
        }
    }
    "unknown CPU".to_owned()
}

fn git_commit(repo: &Path) -> String {
    let Some(head) = command_output("git", &["rev-parse", "--short=12", "HEAD"], Some(repo)) else {
        return "unknown".to_owned();
    };
    let dirty = command_output(
        "git",
        &["status", "--porcelain", "--untracked-files=no"],
        Some(repo),
    )
    .is_some_and(|status| !status.is_empty());
    if dirty {
        format!("{head}-dirty")
    } else {
        head
    }
}

pub fn command_output(program: &str, args: &[&str], dir: Option<&Path>) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The current UTC time as `YYYY-MM-DD HH:MM UTC`, without a date crate.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_782), (2024, 2, 29));
    }
}
