//! connlint's own checks of suppression comments, one file each, declared
//! like the analysis rules: a [`Rule`] whose doc comment is its
//! documentation (`--explain`, `docs/rules/`), listed in [`CHECKS`]. They
//! read the directives, not the syntax tree, so they run here rather than
//! in `connlint-rules`; [`crate::catalog`] lists them with the analysis
//! rules.

pub mod suppression_without_reason;
pub mod unknown_rule_in_suppression;
pub mod unused_suppression;

use connlint_rules::finding::normalize_source;
use connlint_rules::{Finding, Rule, Severity};

use super::Directive;

/// Declares a suppression check from its doc comment, as
/// `connlint_rules::declare_rule!` declares an analysis rule. Checks are
/// warnings: a suppression comment's flaw is not a database bug.
macro_rules! declare_check {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = {
            name: $name:literal,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        // Nothing to check in a function body: see `super::apply`.
        pub static $ident: connlint_rules::Rule = connlint_rules::Rule::declared(
            $name,
            $summary,
            connlint_rules::Severity::Warning,
            concat!($($doc, "\n"),*),
        );
    };
}
pub(crate) use declare_check;

/// Every suppression check, in the order `--list-rules` prints them.
pub static CHECKS: &[&Rule] = &[
    &suppression_without_reason::SUPPRESSION_WITHOUT_REASON,
    &unknown_rule_in_suppression::UNKNOWN_RULE_IN_SUPPRESSION,
    &unused_suppression::UNUSED_SUPPRESSION,
];

/// A finding of `rule` at `directive`.
fn finding(
    file: usize,
    directive: &Directive,
    rule: &'static Rule,
    message: String,
    help: String,
) -> Finding {
    Finding {
        rule: rule.name,
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
        pattern: None,
    }
}
