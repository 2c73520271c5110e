//! JUnit XML, the test-report format CI systems display (GitLab's
//! `artifacts: reports: junit`, Jenkins, Azure Pipelines, CircleCI).
//!
//! One `<testsuite>` per file, named after it. Each finding is a failed
//! `<testcase>` named `<rule> in <function>` rather than after its line, so
//! that a CI system tracking a test across pipelines sees the same test when
//! code above it moves; the failure text gives the position. A file without
//! findings is one passing test case, so the report counts every linted
//! file; a file that could not be linted is one test case with an
//! `<error>`.

use std::collections::HashMap;
use std::fmt::Write;

use connlint_rules::Finding;

use crate::Report;

/// The name of the test case of a file without findings.
pub const CLEAN: &str = "no findings";

struct Case {
    name: String,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    Failed {
        kind: &'static str,
        message: String,
        text: String,
    },
    Error {
        message: String,
    },
}

struct Suite<'a> {
    path: &'a str,
    cases: Vec<Case>,
}

impl Suite<'_> {
    fn count(&self, matches: fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| matches(&c.outcome)).count()
    }
}

/// Renders the report as one `<testsuites>` document.
pub fn render(report: &Report) -> String {
    let mut suites: Vec<Suite> = Vec::new();
    for (index, file) in report.files.iter().enumerate() {
        let findings = report.findings.iter().filter(|f| f.file == index);
        suites.push(Suite {
            path: &file.display,
            cases: cases(&file.display, findings),
        });
    }
    for error in &report.errors {
        suites.push(Suite {
            path: &error.path,
            cases: vec![Case {
                name: "lint".into(),
                outcome: Outcome::Error {
                    message: format!("cannot lint {}: {}", error.path, error.message),
                },
            }],
        });
    }

    let failed = |o: &Outcome| matches!(o, Outcome::Failed { .. });
    let errored = |o: &Outcome| matches!(o, Outcome::Error { .. });
    let total = |count: &dyn Fn(&Suite) -> usize| suites.iter().map(count).sum::<usize>();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"connlint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        total(&|s| s.cases.len()),
        total(&|s| s.count(failed)),
        total(&|s| s.count(errored)),
    );
    for suite in &suites {
        let path = escape(suite.path);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            suite.cases.len(),
            suite.count(failed),
            suite.count(errored),
        );
        for case in &suite.cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{path}\" name=\"{}\" file=\"{path}\"",
                escape(&case.name)
            );
            match &case.outcome {
                Outcome::Passed => out.push_str("/>\n"),
                Outcome::Failed {
                    kind,
                    message,
                    text,
                } => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{kind}\" message=\"{}\">{}</failure>\n    </testcase>",
                        escape(message),
                        escape_text(text)
                    );
                }
                Outcome::Error { message } => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\"/>\n    </testcase>",
                        escape(message)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The test cases of one file: one per finding, or one passing case.
fn cases<'a>(path: &str, findings: impl Iterator<Item = &'a Finding>) -> Vec<Case> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut cases: Vec<Case> = findings
        .map(|f| {
            let mut name = if f.item_path.is_empty() {
                f.rule.to_string()
            } else {
                format!("{} in {}", f.rule, f.item_path)
            };
            let count = seen.entry(name.clone()).or_default();
            *count += 1;
            if *count > 1 {
                name = format!("{name} #{count}");
            }
            let start = f.range.start;
            let mut text = format!(
                "{path}:{}:{}: {}[{}]: {}",
                start.line, start.column, f.severity, f.rule, f.message
            );
            for label in &f.labels {
                let at = label.range.start;
                let _ = write!(
                    text,
                    "\n{path}:{}:{}: {}",
                    at.line, at.column, label.message
                );
            }
            if !f.help.is_empty() {
                let _ = write!(text, "\nhelp: {}", f.help);
            }
            Case {
                name,
                outcome: Outcome::Failed {
                    kind: f.rule,
                    message: f.message.clone(),
                    text,
                },
            }
        })
        .collect();
    if cases.is_empty() {
        cases.push(Case {
            name: CLEAN.into(),
            outcome: Outcome::Passed,
        });
    }
    cases
}

/// Escapes text for an XML attribute. Characters XML 1.0 cannot hold at
/// all (most control characters) become U+FFFD.
fn escape(text: &str) -> String {
    escape_as(text, true)
}

/// Escapes the text of an element, where a newline may stand as it is.
fn escape_text(text: &str) -> String {
    escape_as(text, false)
}

fn escape_as(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Attribute values normalize raw newlines to spaces.
            '\n' if attribute => out.push_str("&#10;"),
            '\n' => out.push('\n'),
            '\t' | '\r' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_invalid_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{FFFD}"
        );
        assert_eq!(escape_text("a\n'b'<"), "a\n'b'&lt;");
    }
}
