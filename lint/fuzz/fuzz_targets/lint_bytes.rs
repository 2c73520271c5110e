//! Arbitrary bytes, read as (lossy) UTF-8, through the whole pipeline:
//! parse, index, summaries, every rule, suppressions. Seeded with the rule
//! fixtures (`testdata/rules/**/*.rs`), which libFuzzer then mutates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    connlint_fuzz_check(&text);
});

fn connlint_fuzz_check(text: &str) {
    let options = connlint::Options {
        include_tests: true,
        threads: Some(1),
        ..connlint::Options::default()
    };
    let report = connlint::lint_source("fuzz.rs", text, &options);
    for error in &report.errors {
        // The engine turns a panic into an error; libFuzzer's panic hook
        // aborts first, but be explicit in case the hook is ever replaced.
        assert!(
            !error.message.contains("internal error"),
            "{}",
            error.message
        );
    }
}
