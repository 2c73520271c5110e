//! Suppression comments: `// connlint: allow(rule, ..) reason` (or the same
//! in a `/* */` comment) silences the findings on its own line or, written
//! alone on a line, on the next line of code; `// connlint:
//! allow-file(rule)` anywhere silences the whole file. Rule names may be
//! written in kebab-case or snake_case.
//!
//! The directives themselves are checked by the rules in [`checks`]: a
//! suppression without a reason, one naming a rule that does not exist, and
//! one that silences nothing.

pub mod checks;
mod directives;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use connlint_rules::Finding;

pub use directives::{directives, Directive};

/// What every directive says. A file without it has none, and a report
/// does not keep its text (see [`LintedFile::text`]).
pub const MARKER: &str = "connlint:";

use crate::catalog::{self, RuleSet};
use crate::engine::LintedFile;
use checks::{suppression_without_reason, unknown_rule_in_suppression, unused_suppression};

/// What a run checked: only a suppression of a rule that ran, on code it
/// looked at, can be known to silence nothing.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'a> {
    pub rules: &'a RuleSet,
    /// Whether test code (`#[cfg(test)]`, `#[test]`) was checked.
    pub include_tests: bool,
    /// Files that are test code as a whole (`tests/`, `benches/`).
    pub test_files: &'a HashSet<PathBuf>,
}

/// Drops the findings the files' directives silence and adds the warnings
/// of the suppression checks, keeping only enabled rules. The result is
/// sorted by file and position.
pub fn apply(files: &[LintedFile], findings: Vec<Finding>, checked: &Checked<'_>) -> Vec<Finding> {
    let mut by_file: HashMap<usize, Vec<Finding>> = HashMap::new();
    for finding in findings {
        by_file.entry(finding.file).or_default().push(finding);
    }
    let mut out = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let findings = by_file.remove(&index).unwrap_or_default();
        out.extend(apply_to_file(index, file, findings, checked));
    }
    // Findings for files not in `files` cannot be rendered; keep them anyway
    // rather than lose a defect silently.
    out.extend(by_file.into_values().flatten());
    out.sort_by(|a, b| (a.file, a.range, a.rule).cmp(&(b.file, b.range, b.rule)));
    out
}

fn apply_to_file(
    index: usize,
    file: &LintedFile,
    mut findings: Vec<Finding>,
    checked: &Checked<'_>,
) -> Vec<Finding> {
    let directives = directives(&file.text);
    if directives.is_empty() {
        findings.retain(|f| checked.rules.reports(f));
        return findings;
    }
    for directive in &directives {
        findings.extend(unknown_rule_in_suppression::check(index, directive));
        findings.extend(suppression_without_reason::check(index, directive));
    }
    findings.retain(|f| checked.rules.reports(f));
    // The rules of each directive, as connlint spells them.
    let named: Vec<Vec<&'static str>> = directives
        .iter()
        .map(|d| {
            d.rules
                .iter()
                .filter_map(|r| catalog::find(r))
                .map(|r| r.name)
                .collect()
        })
        .collect();
    let covering = |finding: &Finding| -> Vec<usize> {
        (0..directives.len())
            .filter(|i| {
                let directive = &directives[*i];
                named[*i].contains(&finding.rule)
                    && (directive.file_wide || directive.lines.contains(&finding.range.start.line))
            })
            .collect()
    };
    let mut used: HashSet<(usize, &'static str)> = HashSet::new();
    findings.retain(|finding| {
        let by = covering(finding);
        for directive in &by {
            used.insert((*directive, finding.rule));
        }
        by.is_empty()
    });

    if !checked
        .rules
        .is_enabled(unused_suppression::UNUSED_SUPPRESSION.name)
    {
        return findings;
    }
    let mut test_code: Option<Option<Vec<(usize, usize)>>> = None;
    let mut unused = Vec::new();
    for (i, directive) in directives.iter().enumerate() {
        for rule in &named[i] {
            let ran = checked.rules.is_enabled(rule) && !is_check(rule);
            if !ran || used.contains(&(i, *rule)) {
                continue;
            }
            if !checked.include_tests {
                if checked.test_files.contains(&file.path) {
                    break;
                }
                let ranges = test_code
                    .get_or_insert_with(|| unused_suppression::test_code_lines(&file.text));
                let in_tests = match ranges {
                    // A file-wide suppression may be meant for its tests.
                    Some(ranges) if directive.file_wide => !ranges.is_empty(),
                    Some(ranges) => directive
                        .lines
                        .iter()
                        .any(|line| ranges.iter().any(|(a, b)| a <= line && line <= b)),
                    None => true,
                };
                if in_tests {
                    continue;
                }
            }
            unused.push(unused_suppression::check(index, directive, rule));
        }
    }
    // `allow(unused-suppression)` silences these like any other finding.
    unused.retain(|finding| covering(finding).is_empty());
    findings.extend(unused);
    findings
}

/// Whether a rule is one of the suppression checks, whose findings the
/// directives themselves make: whether a suppression of one of them is used
/// is not tracked.
fn is_check(name: &str) -> bool {
    checks::CHECKS.iter().any(|check| check.name == name)
}
