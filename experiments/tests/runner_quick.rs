//! The runner end to end, as CI and users start it, on a tiny subset so that rot in any of
//! its parts shows up in `cargo test`: quick sizes, two configurations, one round, output
//! to a scratch directory (never the repository's results or paper).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weft-runner-quick-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn quick_run_writes_results_tables_and_figures() {
    let out = scratch();
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_weft-experiments"))
        .args([
            "micro", "programs", "startup", "wasi", "--quick", "--runs", "1",
        ])
        .args(["--configs", "loop-switch/stack,threaded/register+fuse"])
        .args(["--engines", "weft"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the runner starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "{stderr}\n{stdout}\n(runner took {:.1?})",
        started.elapsed()
    );
    assert!(output.status.success(), "the runner failed:\n{stderr}");

    for suite in ["micro", "programs", "startup", "wasi"] {
        let csv = std::fs::read_to_string(out.join("results").join(format!("{suite}.csv")))
            .unwrap_or_else(|e| panic!("{suite}.csv: {e}"));
        let mut lines = csv.lines();
        let header = lines.next().expect("a header");
        for column in ["target", "cpu", "rustc", "commit"] {
            assert!(
                header.split(',').any(|c| c == column),
                "{suite}.csv lacks `{column}`: {header}"
            );
        }
        for config in ["weft:loop-switch/stack", "weft:threaded/register+fuse"] {
            assert!(
                lines.clone().any(|l| l.contains(config)),
                "{suite}.csv has no row for {config}"
            );
        }
        assert!(
            !csv.contains(",failed,"),
            "{suite}.csv records a failure:\n{csv}"
        );
        let svg = std::fs::read_to_string(out.join("figures").join(format!("{suite}.svg")))
            .unwrap_or_else(|e| panic!("{suite}.svg: {e}"));
        assert!(svg.starts_with("<svg"), "{suite}.svg is not an SVG");
    }
    // The copy of the paper got its blocks regenerated.
    let paper = std::fs::read_to_string(out.join("dispatch.md")).expect("a copy of the paper");
    for suite in ["micro", "programs", "startup", "wasi"] {
        let begin = format!("<!-- BEGIN {suite} -->");
        let block = paper
            .split(&begin)
            .nth(1)
            .unwrap_or_else(|| panic!("the paper has no {begin}"));
        assert!(
            block.contains("weft:loop-switch/stack"),
            "block {suite} was not regenerated"
        );
    }
    assert!(stdout.contains("## micro"), "tables are printed on stdout");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn unknown_engines_and_suites_are_errors() {
    for args in [
        &["--engines", "nonesuch"][..],
        &["nonesuch-suite"][..],
        &["--configs", "nonesuch"][..],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_weft-experiments"))
            .args(args)
            .args(["--quick", "--out"])
            .arg(scratch())
            .output()
            .expect("the runner starts");
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error:"), "{args:?}: {stderr}");
    }
}

/// The matrix suite's child process (run here without `stats`, so it reports calls only).
#[test]
fn probe_runs_a_workload_and_reports() {
    let output = Command::new(env!("CARGO_BIN_EXE_weft-experiments"))
        .args([
            "probe",
            "weft:loop-switch/stack",
            "micro/fib_rec",
            "quick",
            "3",
        ])
        .output()
        .expect("the probe starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.lines().any(|l| l == "calls 3"), "{stdout}");
    let bad = Command::new(env!("CARGO_BIN_EXE_weft-experiments"))
        .args(["probe", "wasmi/eager", "micro/fib_rec", "quick", "1"])
        .output()
        .expect("the probe starts");
    assert!(!bad.status.success(), "the probe runs weft only");
}
