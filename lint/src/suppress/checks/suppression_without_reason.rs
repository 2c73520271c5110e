use connlint_rules::Finding;

use super::{declare_check, finding};
use crate::suppress::Directive;

declare_check! {
    /// ## What it does
    /// Flags a `// connlint: allow(rule)` comment with nothing written after the
    /// closing parenthesis.
    ///
    /// ## Why is this bad?
    /// A suppression is a claim that the code is correct although a rule says
    /// otherwise. Without the reason, the next reader cannot tell whether the claim
    /// still holds after the code changed. The suppression still silences the
    /// finding; this warning asks for the reason.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // connlint: allow(uncommitted-transaction)
    /// let tx = conn.transaction()?;
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// // connlint: allow(uncommitted-transaction) dry run: the writes are rolled back on purpose
    /// let tx = conn.transaction()?;
    /// ```
    pub static SUPPRESSION_WITHOUT_REASON = {
        name: "suppression-without-reason",
        summary: "a `// connlint: allow(..)` comment gives no reason",
    }
}

/// The warning for a line suppression without a reason. A file-wide
/// `allow-file` needs none: it usually sits at the top of a generated or
/// vendored file, which says why by itself.
pub fn check(file: usize, directive: &Directive) -> Option<Finding> {
    if directive.reason.is_some() || directive.file_wide {
        return None;
    }
    Some(finding(
        file,
        directive,
        &SUPPRESSION_WITHOUT_REASON,
        "suppression without a reason".to_string(),
        format!(
            "say why after the parenthesis: `// connlint: allow({}) <reason>`",
            directive.rules.join(", ")
        ),
    ))
}
