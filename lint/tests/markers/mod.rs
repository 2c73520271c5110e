//! The `//~ rule-name` markers of fixtures and the comparison of what they
//! expect with what a run found, shared by the rule fixtures and the
//! workspace fixtures.
#![allow(dead_code)]

use std::collections::BTreeMap;

/// `(line, rule)` pairs, counted.
pub type Expected = BTreeMap<(usize, String), usize>;

/// The `//~ rule-a rule-b` markers of a text (`//~^ rule` for the line
/// above, as in rustc's UI tests, where the reported line is a comment a
/// marker would become part of). A marker that starts with `with-tests`
/// expects its findings only when test code is checked; `include_tests`
/// says whether it is.
pub fn markers(text: &str, include_tests: bool) -> Expected {
    let mut out = Expected::new();
    for (i, line) in text.lines().enumerate() {
        for marker in line.split("//~").skip(1) {
            let up = marker.chars().take_while(|c| *c == '^').count();
            let mut words = marker[up..].split_whitespace().peekable();
            if words.peek() == Some(&"with-tests") {
                words.next();
                if !include_tests {
                    continue;
                }
            }
            for rule in words.take_while(|w| w.contains('-')) {
                *out.entry((i + 1 - up, rule.to_string())).or_default() += 1;
            }
        }
    }
    out
}

/// Differences between expected and actual findings of the file `name`,
/// one line each.
pub fn diff(
    name: &str,
    expected: &Expected,
    actual: &Expected,
    messages: &BTreeMap<(usize, String), String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (key, n) in expected {
        if actual.get(key).copied().unwrap_or(0) < *n {
            out.push(format!("{name}:{}: missing {} finding", key.0, key.1));
        }
    }
    for (key, n) in actual {
        if *n > expected.get(key).copied().unwrap_or(0) {
            let message = messages.get(key).map(String::as_str).unwrap_or("");
            out.push(format!("{name}:{}: unexpected {}: {message}", key.0, key.1));
        }
    }
    out
}
