//! Suppression comments: `// connlint: allow(rule, ..) reason` silences the
//! findings on its own line or, written alone on a line, on the next line
//! of code; `// connlint: allow-file(rule)` anywhere silences the whole file.
//!
//! Comments are found with a small lexer rather than a regex over lines, so
//! that `"// connlint: allow(x)"` inside a string literal, a raw string or a
//! block comment is not taken for a suppression.

use std::collections::{HashMap, HashSet};

use connlint_rules::finding::normalize_source;
use connlint_rules::line_comments;
use connlint_rules::{Finding, Position, Range, Severity};

use crate::catalog::{self, RuleSet, SUPPRESSION_WITHOUT_REASON, UNKNOWN_RULE_IN_SUPPRESSION};
use crate::engine::LintedFile;

/// One `// connlint:` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub file_wide: bool,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The comment, from `//` to the end of the line.
    pub range: Range,
    /// The lines it silences (empty for a file-wide directive).
    pub lines: Vec<usize>,
}

/// Drops the findings the files' directives silence and adds connlint's own
/// warnings about the directives, keeping only enabled rules. The result is
/// sorted by file and position.
pub fn apply(files: &[LintedFile], findings: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    let mut by_file: HashMap<usize, Vec<Finding>> = HashMap::new();
    for finding in findings {
        by_file.entry(finding.file).or_default().push(finding);
    }
    let mut out = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let directives = directives(&file.text);
        let mut findings = by_file.remove(&index).unwrap_or_default();
        findings.extend(directive_findings(index, &directives));
        findings.retain(|f| rules.is_enabled(f.rule));
        let file_wide: HashSet<&str> = directives
            .iter()
            .filter(|d| d.file_wide)
            .flat_map(|d| d.rules.iter().map(String::as_str))
            .collect();
        let mut per_line: HashMap<usize, HashSet<&str>> = HashMap::new();
        for directive in directives.iter().filter(|d| !d.file_wide) {
            for line in &directive.lines {
                per_line
                    .entry(*line)
                    .or_default()
                    .extend(directive.rules.iter().map(String::as_str));
            }
        }
        findings.retain(|f| {
            !file_wide.contains(f.rule)
                && !per_line
                    .get(&f.range.start.line)
                    .is_some_and(|rules| rules.contains(f.rule))
        });
        out.extend(findings);
    }
    // Findings for files not in `files` cannot be rendered; keep them anyway
    // rather than lose a defect silently.
    out.extend(by_file.into_values().flatten());
    out.sort_by(|a, b| (a.file, a.range, a.rule).cmp(&(b.file, b.range, b.rule)));
    out
}

/// The warnings about malformed directives of one file.
fn directive_findings(file: usize, directives: &[Directive]) -> Vec<Finding> {
    let mut out = Vec::new();
    for directive in directives {
        for name in &directive.rules {
            if catalog::find(name).is_none() {
                out.push(meta_finding(
                    file,
                    directive,
                    UNKNOWN_RULE_IN_SUPPRESSION.name,
                    format!("suppression names unknown rule `{name}`"),
                    format!("use one of: {}", catalog::valid_names()),
                ));
            }
        }
        if directive.reason.is_none() && !directive.file_wide {
            out.push(meta_finding(
                file,
                directive,
                SUPPRESSION_WITHOUT_REASON.name,
                "suppression without a reason".to_string(),
                format!(
                    "say why after the parenthesis: `// connlint: allow({}) <reason>`",
                    directive.rules.join(", ")
                ),
            ));
        }
    }
    out
}

fn meta_finding(
    file: usize,
    directive: &Directive,
    rule: &'static str,
    message: String,
    help: String,
) -> Finding {
    Finding {
        rule,
        severity: Severity::Warning,
        file,
        range: directive.range,
        message,
        help,
        labels: Vec::new(),
        item_path: String::new(),
        anchor: normalize_source(&format!(
            "{} {}",
            directive.rules.join(","),
            directive.reason.as_deref().unwrap_or("")
        )),
        suggestion: None,
    }
}

/// The directives of a file.
pub fn directives(text: &str) -> Vec<Directive> {
    // Every directive says `connlint:`; most files have none, and a search
    // for it is much cheaper than finding their comments.
    if !text.contains("connlint:") {
        return Vec::new();
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|start| *start <= offset);
    let position = |offset: usize| {
        let line = line_of(offset);
        let start = line_starts[line - 1];
        Position {
            line,
            column: text[start..offset].chars().count() + 1,
            offset,
        }
    };
    let comment_only = |line: usize| {
        let start = line_starts[line - 1];
        let end = line_starts.get(line).copied().unwrap_or(text.len());
        text[start..end].trim_start().starts_with("//")
    };
    let mut out = Vec::new();
    for (start, end) in line_comments(text) {
        let Some((file_wide, rules, reason)) = parse_directive(&text[start + 2..end]) else {
            continue;
        };
        let range = Range {
            start: position(start),
            end: position(end),
        };
        let line = range.start.line;
        let mut lines = vec![line];
        let own_line = text[line_starts[line - 1]..start].trim().is_empty();
        if own_line {
            // A directive written above the code it is about may sit in a
            // block of comments; it covers the first line after the block.
            let mut next = line + 1;
            while next <= line_starts.len() && comment_only(next) {
                next += 1;
            }
            lines.push(next);
        }
        out.push(Directive {
            file_wide,
            rules,
            reason,
            range,
            lines: if file_wide { Vec::new() } else { lines },
        });
    }
    out
}

/// Parses the text after `//`: `connlint: allow(a, b) reason` or
/// `connlint: allow-file(a)`. Doc comments (`///`, `//!`) are never
/// directives: they document code, and may show a directive as an example.
fn parse_directive(comment: &str) -> Option<(bool, Vec<String>, Option<String>)> {
    if comment.starts_with('/') || comment.starts_with('!') {
        return None;
    }
    let rest = comment.trim_start().strip_prefix("connlint:")?.trim_start();
    let (file_wide, rest) = match rest.strip_prefix("allow-file(") {
        Some(rest) => (true, rest),
        None => (false, rest.strip_prefix("allow(")?),
    };
    let close = rest.find(')')?;
    let rules: Vec<String> = rest[..close]
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let reason = rest[close + 1..]
        .trim()
        .trim_start_matches([':', '-', '\u{2014}'])
        .trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    Some((file_wide, rules, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse_rules_and_reasons() {
        let text = "fn f() {\n    // connlint: allow(a, b) because\n    // more words\n    x(); // connlint: allow(c)\n}\n/// connlint: allow(d) doc\n// connlint: allow-file(e)\n";
        let found = directives(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].rules, vec!["a", "b"]);
        assert_eq!(found[0].reason.as_deref(), Some("because"));
        assert_eq!(found[0].lines, vec![2, 4]);
        assert_eq!(found[1].lines, vec![4]);
        assert_eq!(found[1].reason, None);
        assert!(found[2].file_wide);
        assert_eq!(found[1].range.start.column, 10);
    }
}
