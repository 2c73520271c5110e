use connlint_rules::Finding;

use super::{declare_check, finding};
use crate::suppress::Directive;

declare_check! {
    /// ## What it does
    /// Flags a rule named in a `// connlint: allow(..)` or `allow-file(..)`
    /// comment that silences no finding of that rule, like ruff's `RUF100`
    /// and clippy's `#[expect]`.
    ///
    /// A line suppression covers its own line and, written alone on its
    /// line, the next line of code below it (comments in between are
    /// skipped, a blank line is not). A suppression separated from its code
    /// by a blank line therefore silences nothing, and this check says so.
    ///
    /// ## Why is this bad?
    /// A suppression that silences nothing is misleading at best: it was
    /// written for a finding that the code no longer has, or it does not
    /// reach the code it was meant for, and then the finding it was meant to
    /// silence is still reported, a line further down. Left in place, it
    /// will silence the next real finding of that rule on its line.
    ///
    /// Only rules that ran are checked: a suppression of a rule left out
    /// with `--select` or `--ignore`, or in test code when test code is not
    /// checked, is not reported.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // connlint: allow(uncommitted-transaction) dry run, rolled back on purpose
    ///
    /// let tx = conn.transaction()?;
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// // connlint: allow(uncommitted-transaction) dry run, rolled back on purpose
    /// let tx = conn.transaction()?;
    /// ```
    pub static UNUSED_SUPPRESSION = {
        name: "unused-suppression",
        summary: "a suppression comment names a rule that reports nothing where it applies",
    }
}

/// The warning for `rule` in `directive`, which silenced nothing.
pub fn check(file: usize, directive: &Directive, rule: &str) -> Finding {
    let (form, place) = if directive.file_wide {
        ("allow-file", "in this file")
    } else {
        ("allow", "on the line it covers")
    };
    let help = if directive.blank_line_below {
        "a suppression covers its own line and the next line of code, and a blank line \
         separates this one from the code below it: remove the blank line, or the suppression"
    } else {
        "remove the suppression, or move it to the line of the finding or the line above it"
    };
    finding(
        file,
        directive,
        &UNUSED_SUPPRESSION,
        format!("`{form}({rule})` silences nothing: no `{rule}` finding {place}"),
        help.to_string(),
    )
}

/// The line ranges of a file's test code: items under `#[cfg(test)]` or
/// marked `#[test]`. Without `--include-tests` no rule looks there, so a
/// suppression there cannot be known to be unused. `None` when the file
/// does not parse.
pub fn test_code_lines(text: &str) -> Option<Vec<(usize, usize)>> {
    // Parsing recurses once per nesting level: on a thread with the stack
    // the analysis uses, as the engine does.
    let text = text.to_string();
    std::thread::Builder::new()
        .name("connlint-test-code".into())
        .stack_size(connlint_rules::STACK_SIZE)
        .spawn(move || connlint_rules::test_code_lines(&text))
        .ok()?
        .join()
        .ok()
        .flatten()
}
