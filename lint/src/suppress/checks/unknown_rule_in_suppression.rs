use connlint_rules::Finding;

use super::{declare_check, finding};
use crate::catalog;
use crate::suppress::Directive;

declare_check! {
    /// ## What it does
    /// Flags a `// connlint: allow(..)` or `// connlint: allow-file(..)` comment
    /// that names a rule connlint does not have.
    ///
    /// ## Why is this bad?
    /// A misspelt or removed rule name silences nothing, so the comment misleads
    /// its readers. The warning names the closest rule when one is close;
    /// `connlint --list-rules` prints them all. Names may be written in
    /// kebab-case or, as clippy writes them, in snake_case.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // connlint: allow(uncommited-transaction) dry run
    /// let tx = conn.transaction()?;
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// // connlint: allow(uncommitted-transaction) dry run
    /// let tx = conn.transaction()?;
    /// ```
    pub static UNKNOWN_RULE_IN_SUPPRESSION = {
        name: "unknown-rule-in-suppression",
        summary: "a suppression comment names a rule that does not exist",
    }
}

/// A warning for each name in `directive` that no rule has.
pub fn check(file: usize, directive: &Directive) -> Vec<Finding> {
    directive
        .rules
        .iter()
        .filter(|name| catalog::find(name).is_none())
        .map(|name| {
            let help = match catalog::closest(name) {
                Some(rule) => format!("did you mean `{rule}`?"),
                None => format!("use one of: {}", catalog::valid_names()),
            };
            finding(
                file,
                directive,
                &UNKNOWN_RULE_IN_SUPPRESSION,
                format!("suppression names unknown rule `{name}`"),
                help,
            )
        })
        .collect()
}
