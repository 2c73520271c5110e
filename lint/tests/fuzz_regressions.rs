//! Every input in `testdata/fuzz-regressions/` (crash inputs found by
//! `lint/fuzz`, and hand-written hostile inputs) is linted without a panic.
//! The engine catches a panic per file and reports it as an error whose
//! message contains "internal error"; here that is a failure.

use std::path::{Path, PathBuf};

use connlint::{lint_source, Options};

fn regression_inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    files
}

/// Internal errors of one run over `text`, with and without test code.
fn internal_errors(name: &str, text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for include_tests in [false, true] {
        let options = Options {
            include_tests,
            threads: Some(1),
            ..Options::default()
        };
        let report = lint_source(name, text, &options);
        errors.extend(
            report
                .errors
                .into_iter()
                .filter(|e| e.message.contains("internal error"))
                .map(|e| format!("{} (include_tests={include_tests}): {}", e.path, e.message)),
        );
    }
    errors
}

#[test]
fn regression_inputs_lint_without_internal_errors() {
    let files = regression_inputs();
    assert!(
        !files.is_empty(),
        "testdata/fuzz-regressions holds no inputs"
    );
    let mut failures = Vec::new();
    for file in &files {
        // Inputs may be arbitrary bytes: lint them as the fuzzer did.
        let bytes = std::fs::read(file).expect("read regression input");
        let text = String::from_utf8_lossy(&bytes);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        failures.extend(internal_errors(&name, &text));
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs hit internal errors:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn regression_inputs_lint_together_as_one_crate() {
    // Cross-file summaries: the inputs as one crate, on two workers.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let options = Options {
        include_tests: true,
        threads: Some(2),
        ..Options::default()
    };
    let report = connlint::lint_paths_in(&dir, &[PathBuf::from(".")], &options)
        .expect("lint the regression folder");
    let internal: Vec<_> = report
        .errors
        .iter()
        .filter(|e| e.message.contains("internal error"))
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    assert!(internal.is_empty(), "{}", internal.join("\n"));
}
