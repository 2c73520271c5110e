//! GitHub Actions workflow commands: each finding becomes an annotation on
//! the pull request's diff.

use std::fmt::Write;

use connlint_rules::Severity;

use crate::Report;

/// Renders one `::error`/`::warning` command per finding and per file that
/// could not be linted.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (path, f) in report.iter() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(path),
            f.range.start.line,
            f.range.start.column,
            f.range.end.line,
            f.range.end.column,
            property(f.rule),
            data(&f.message),
        );
    }
    for error in &report.errors {
        let _ = writeln!(
            out,
            "::error file={},title=connlint::{}",
            property(&error.path),
            data(&error.message)
        );
    }
    out
}

/// Escapes a command's message, as the Actions runner unescapes it.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(data("100%\r\ndone: a,b"), "100%25%0D%0Adone: a,b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
