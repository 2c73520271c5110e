//! GitLab Code Quality: a JSON array of Code Climate issues, which GitLab
//! shows in merge requests (`artifacts: reports: codequality`). GitLab reads
//! `description`, `check_name`, `fingerprint`, `severity` and `location`;
//! the fingerprint is what tells a new issue from one already on the target
//! branch, so it does not depend on line numbers.

use serde::Serialize;

use connlint_rules::Severity;

use super::fingerprint::{hex_pair, Occurrences};
use crate::Report;

/// The `check_name` of a file that could not be linted.
pub const NOT_LINTED: &str = "file-not-linted";

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    content: Content<'a>,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Content<'a> {
    body: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Renders one issue per finding and per file that could not be linted:
/// rule errors are `major`, connlint's warnings about suppression comments
/// `minor`.
pub fn render(report: &Report) -> String {
    let mut occurrences = Occurrences::default();
    let mut issues: Vec<Issue> = report
        .iter()
        .map(|(path, f)| Issue {
            kind: "issue",
            check_name: f.rule,
            description: format!("{}: {}", f.rule, f.message),
            content: Content { body: &f.help },
            categories: ["Bug Risk"],
            fingerprint: occurrences.in_report(path, f),
            severity: severity(f.severity),
            location: Location {
                path,
                lines: Lines {
                    begin: f.range.start.line,
                    end: f.range.end.line,
                },
            },
        })
        .collect();
    issues.extend(report.errors.iter().map(|error| Issue {
        kind: "issue",
        check_name: NOT_LINTED,
        description: format!("cannot lint {}: {}", error.path, error.message),
        content: Content { body: "" },
        categories: ["Bug Risk"],
        fingerprint: hex_pair(&error.path, NOT_LINTED),
        severity: "major",
        location: Location {
            path: &error.path,
            lines: Lines { begin: 1, end: 1 },
        },
    }));
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}
