//! The list of rules. Adding a rule means writing `rules/<name>.rs` with a
//! [`declare_rule!`] and adding one line to [`RULES`].

use crate::context::FnContext;
use crate::finding::Severity;
use crate::rules;

/// A rule: its name, its documentation and the function that checks one
/// function body.
pub struct Rule {
    /// Kebab-case name used in reports, suppressions and configuration.
    pub name: &'static str,
    /// One line for `--list-rules`.
    pub summary: &'static str,
    pub severity: Severity,
    /// The rule's doc comment, the single source of its documentation.
    doc: &'static str,
    pub check: fn(&FnContext<'_>, &mut Vec<crate::Finding>),
}

impl Rule {
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        summary: &'static str,
        severity: Severity,
        doc: &'static str,
        check: fn(&FnContext<'_>, &mut Vec<crate::Finding>),
    ) -> Rule {
        Rule {
            name,
            summary,
            severity,
            doc,
            check,
        }
    }

    /// The documentation as Markdown, with the one space that `///` leaves at
    /// the start of every line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("name", &self.name).finish()
    }
}

/// Declares a rule from its doc comment, like clippy's `declare_clippy_lint!`:
/// the doc comment becomes the text of `--explain` and of `docs/rules/`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = {
            name: $name:literal,
            summary: $summary:literal,
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::registry::Rule = $crate::registry::Rule::new(
            $name,
            $summary,
            $crate::Severity::Error,
            concat!($($doc, "\n"),*),
            $check,
        );
    };
}

/// Every rule, in the order `--list-rules` prints them.
pub static RULES: &[&Rule] = &[
    &rules::leaked_connection::LEAKED_CONNECTION,
    &rules::unpolled_connection::UNPOLLED_CONNECTION,
    &rules::unclosed_connection::UNCLOSED_CONNECTION,
    &rules::connection_per_call::CONNECTION_PER_CALL,
    &rules::uncommitted_transaction::UNCOMMITTED_TRANSACTION,
    &rules::discarded_commit_error::DISCARDED_COMMIT_ERROR,
    &rules::write_outside_transaction::WRITE_OUTSIDE_TRANSACTION,
    &rules::probe_connection::PROBE_CONNECTION,
];

/// Looks a rule up by its name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}
