//! The human format: codespan-reporting diagnostics, one per finding, with
//! the flagged code, the related places as secondary labels, the fix as a
//! `help` note and the command that explains the rule, then a one-line
//! summary.

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as DiagnosticSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, WriteColor};
use codespan_reporting::term::{self, Config};
use connlint_rules::{Applicability, Finding, Severity};

use super::plural;
use crate::Report;

/// Renders the report; `color` adds ANSI colour escapes.
pub fn render(report: &Report, color: bool) -> Vec<u8> {
    let files = source_files(report);
    let config = Config::default();
    let new_buffer = || {
        if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        }
    };
    let mut out = Vec::new();
    for finding in &report.findings {
        out.extend_from_slice(&render_finding(report, &files, finding, color));
    }
    for error in &report.errors {
        let mut buffer = new_buffer();
        let diagnostic = Diagnostic::<usize>::error()
            .with_message(format!("cannot lint {}: {}", error.path, error.message));
        if term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic).is_ok() {
            out.extend_from_slice(buffer.as_slice());
        }
    }
    let mut buffer = new_buffer();
    write_summary(&mut buffer, report);
    out.extend_from_slice(buffer.as_slice());
    out
}

/// Each finding rendered on its own without colour, in report order: the
/// `rendered` text of cargo-style messages.
pub fn render_each(report: &Report) -> Vec<String> {
    let files = source_files(report);
    report
        .findings
        .iter()
        .map(|f| String::from_utf8_lossy(&render_finding(report, &files, f, false)).into_owned())
        .collect()
}

type SourceFiles<'a> = SimpleFiles<&'a str, &'a str>;

fn source_files(report: &Report) -> SourceFiles<'_> {
    let mut files = SimpleFiles::new();
    for file in &report.files {
        files.add(file.display.as_str(), file.text.as_str());
    }
    files
}

fn render_finding(report: &Report, files: &SourceFiles, finding: &Finding, color: bool) -> Vec<u8> {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let diagnostic = diagnostic(finding);
    if term::emit_to_write_style(&mut buffer, &Config::default(), files, &diagnostic).is_ok() {
        buffer.into_inner()
    } else {
        // A range outside the file text (a bug in a rule) must not lose
        // the finding: fall back to a one-line form.
        let start = finding.range.start;
        format!(
            "{}[{}]: {}\n  --> {}:{}:{}\n  = help: {}\n\n",
            finding.severity,
            finding.rule,
            finding.message,
            report.path(finding),
            start.line,
            start.column,
            finding.help
        )
        .into_bytes()
    }
}

fn diagnostic(finding: &Finding) -> Diagnostic<usize> {
    let severity = match finding.severity {
        Severity::Error => DiagnosticSeverity::Error,
        Severity::Warning => DiagnosticSeverity::Warning,
    };
    let mut labels = vec![Label::primary(
        finding.file,
        finding.range.start.offset..finding.range.end.offset,
    )];
    labels.extend(finding.labels.iter().map(|label| {
        Label::secondary(
            finding.file,
            label.range.start.offset..label.range.end.offset,
        )
        .with_message(&label.message)
    }));
    let mut notes = Vec::new();
    if !finding.help.is_empty() {
        notes.push(format!("help: {}", finding.help));
    }

    if let Some(suggestion) = &finding.suggestion {
        let how = match suggestion.applicability {
            Applicability::MachineApplicable => " (`--fix` applies it)",
            Applicability::MaybeIncorrect => "",
        };
        notes.push(format!(
            "suggestion: {}{how}: `{}`",
            suggestion.message, suggestion.replacement
        ));
    }
    notes.push(format!(
        "note: `connlint --explain {}` describes this rule",
        finding.rule
    ));
    Diagnostic::new(severity)
        .with_code(finding.rule)
        .with_message(&finding.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn write_summary(out: &mut Buffer, report: &Report) {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let scanned = plural(report.files_scanned, "file");
    let mut line = if errors + warnings == 0 {
        format!("no findings in {scanned}")
    } else {
        format!(
            "found {} and {} in {} of {scanned}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            report.files_with_findings()
        )
    };
    if !report.errors.is_empty() {
        let failed = report.errors.len();
        line.push_str(&format!("; {} could not be linted", plural(failed, "file")));
    }
    let mut spec = codespan_reporting::term::termcolor::ColorSpec::new();
    spec.set_bold(true);
    let _ = out.set_color(&spec);
    let _ = std::io::Write::write_all(out, line.as_bytes());
    let _ = out.reset();
    let _ = std::io::Write::write_all(out, b"\n");
}
