//! One module per rule. Each declares itself with [`crate::declare_rule!`],
//! whose doc comment is the rule's documentation, and is listed in
//! [`crate::analysis::registry::RULES`].

pub mod connection_per_call;
pub mod discarded_commit_error;
pub mod leaked_connection;
pub mod probe_connection;
pub mod toolkit;
pub mod unclosed_connection;
pub mod uncommitted_transaction;
pub mod unpolled_connection;
pub mod write_outside_transaction;

use crate::finding::Severity;
use crate::function::context::FnContext;

/// A rule: its name, its documentation and the function that checks one
/// function body.
pub struct Rule {
    /// Kebab-case name used in reports, suppressions and configuration.
    pub name: &'static str,
    /// One line for `--list-rules`.
    pub summary: &'static str,
    /// How serious its findings are.
    pub severity: Severity,
    /// The rule's doc comment, the single source of its documentation.
    doc: &'static str,
    pub(crate) check: fn(&FnContext<'_>, &mut Vec<crate::finding::Finding>),
}

impl Rule {
    #[doc(hidden)]
    pub const fn new(
        name: &'static str,
        summary: &'static str,
        severity: Severity,
        doc: &'static str,
        check: fn(&FnContext<'_>, &mut Vec<crate::finding::Finding>),
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
        pub static $ident: $crate::rules::Rule = $crate::rules::Rule::new(
            $name,
            $summary,
            $crate::Severity::Error,
            concat!($($doc, "\n"),*),
            $check,
        );
    };
}
