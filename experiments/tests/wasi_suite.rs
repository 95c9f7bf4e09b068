//! The WASI suite's quick cases (real programs: Lua, SQLite, a Tcl interpreter,
//! pulldown-cmark, jaq, szip) on every compiled-in weft configuration: stdout and exit
//! status must match the native build's byte for byte. One test per program, so the
//! harness runs them in parallel.

use weft_experiments::{wasi_suite, Size};

fn quick_case_on_every_configuration(name: &str) {
    let programs = wasi_suite::load().expect("suite.toml loads");
    let program = programs
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("suite.toml has no program `{name}`"));
    let mut failures = Vec::new();
    for config in weft::Config::every_compiled() {
        let outcome = wasi_suite::run_on_weft(&config, program, Size::Quick)
            .and_then(|o| wasi_suite::check(program, Size::Quick, &o));
        if let Err(e) = outcome {
            failures.push(format!("{} {}: {e:#}", config.name(), program.id()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

macro_rules! programs {
    ($($name:ident),*) => {$(
        #[test]
        fn $name() {
            quick_case_on_every_configuration(stringify!($name));
        }
    )*

        /// Every program in suite.toml has a test above.
        #[test]
        fn every_program_is_tested() {
            let mut listed: Vec<String> = wasi_suite::load().unwrap().into_iter().map(|p| p.name).collect();
            listed.sort();
            let mut tested = vec![$(stringify!($name).to_string()),*];
            tested.sort();
            assert_eq!(listed, tested);
        }
    };
}

programs!(lua, sqlite, tcl, markdown, jaq, szip);

/// A wrong expected output is caught: the check is not vacuous.
#[test]
fn check_rejects_a_different_output() {
    let programs = wasi_suite::load().unwrap();
    let program = programs.iter().find(|p| p.name == "lua").unwrap();
    let config = weft::Config::new();
    let mut outcome = wasi_suite::run_on_weft(&config, program, Size::Quick).unwrap();
    wasi_suite::check(program, Size::Quick, &outcome).unwrap();
    outcome.stdout.push(b'!');
    assert!(wasi_suite::check(program, Size::Quick, &outcome).is_err());
    outcome.stdout.pop();
    outcome.exit = 1;
    assert!(wasi_suite::check(program, Size::Quick, &outcome).is_err());
}

/// wasmi (through wasmi_wasi), the peer the runner's `wasi` suite compares with, gives the
/// same output as the native builds.
#[cfg(feature = "peer-wasmi")]
#[test]
fn quick_cases_on_wasmi() {
    let mut failures = Vec::new();
    for program in wasi_suite::load().unwrap() {
        for eager in [false, true] {
            let outcome = wasi_suite::run_on_wasmi(eager, &program, Size::Quick)
                .and_then(|o| wasi_suite::check(&program, Size::Quick, &o));
            if let Err(e) = outcome {
                failures.push(format!("wasmi (eager: {eager}) {}: {e:#}", program.id()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
