//! The JSON format, version 1, exactly as DESIGN.md fixes it: other tools
//! parse it, so keys and their order never change within a version. A
//! finding with a suggested edit has one more key after `labels`,
//! `suggestion`; readers of version 1 that do not know it can ignore it.

use serde::Serialize;

use crate::Report;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_scanned: usize,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    /// The rule's pattern that made the claim, for rules with several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'a str>,
    severity: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: &'a str,
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<JsonSuggestion<'a>>,
}

/// A suggested edit: replace `line:column`..`end_line:end_column` (end
/// exclusive, 1-based, columns in characters) with `replacement`.
#[derive(Serialize)]
struct JsonSuggestion<'a> {
    message: &'a str,
    replacement: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// `machine-applicable` (`--fix` applies it) or `maybe-incorrect`.
    applicability: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

/// Renders the report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> String {
    let json = JsonReport {
        version: 1,
        files_scanned: report.files_scanned,
        findings: report
            .iter()
            .map(|(path, f)| JsonFinding {
                rule: f.rule,
                pattern: f.pattern,
                severity: f.severity.as_str(),
                path,
                line: f.range.start.line,
                column: f.range.start.column,
                end_line: f.range.end.line,
                end_column: f.range.end.column,
                message: &f.message,
                help: &f.help,
                labels: f
                    .labels
                    .iter()
                    .map(|l| JsonLabel {
                        line: l.range.start.line,
                        column: l.range.start.column,
                        message: &l.message,
                    })
                    .collect(),
                suggestion: f.suggestion.as_ref().map(|s| JsonSuggestion {
                    message: &s.message,
                    replacement: &s.replacement,
                    line: s.range.start.line,
                    column: s.range.start.column,
                    end_line: s.range.end.line,
                    end_column: s.range.end.column,
                    applicability: s.applicability.as_str(),
                }),
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                path: &e.path,
                message: &e.message,
            })
            .collect(),
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}
