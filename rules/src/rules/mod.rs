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
    /// The claims the rule makes, when it makes more than one, each with
    /// its level: a finding names its pattern.
    pub patterns: &'static [Pattern],
    pub(crate) check: fn(&FnContext<'_>, &mut Vec<crate::finding::Finding>),
}

/// One claim of a rule, which users can turn on and off by itself:
/// `write-outside-transaction/loop-write`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Kebab-case, unique within the rule.
    pub name: &'static str,
    /// Whether it runs by default.
    pub level: Level,
    /// One line for `--list-rules`.
    pub summary: &'static str,
}

/// When a rule's claim is reported, like clippy's lint groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// On by default: its measured precision on real applications holds
    /// (at least 0.9).
    Default,
    /// Off unless selected by name or with the `pedantic` group: a
    /// judgement real code often makes on purpose, whose measured precision
    /// is below 0.9.
    Pedantic,
}

impl Level {
    /// The group name users select it with.
    pub fn group(self) -> &'static str {
        match self {
            Level::Default => "default",
            Level::Pedantic => "pedantic",
        }
    }
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
            patterns: &[],
            check,
        }
    }

    /// A rule whose claims are patterns with levels of their own.
    #[doc(hidden)]
    pub const fn with_patterns(mut self, patterns: &'static [Pattern]) -> Rule {
        self.patterns = patterns;
        self
    }

    /// A rule checked outside the analysis (connlint's checks of
    /// suppression comments): nothing to run on function bodies.
    pub const fn declared(
        name: &'static str,
        summary: &'static str,
        severity: Severity,
        doc: &'static str,
    ) -> Rule {
        Rule::new(name, summary, severity, doc, |_, _| {})
    }

    /// The pattern named `name`, if the rule has one.
    pub fn pattern(&self, name: &str) -> Option<&'static Pattern> {
        self.patterns.iter().find(|p| p.name == name)
    }

    /// The documentation as Markdown, with the one space that `///` leaves at
    /// the start of every line removed.
    /// The rule's patterns follow, each with its level, from the
    /// declaration itself.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        let mut out = out.trim_end().to_string() + "\n";
        if !self.patterns.is_empty() {
            out.push_str("\n## Patterns\n\n| pattern | level | flags |\n|---|---|---|\n");
            for pattern in self.patterns {
                let level = match pattern.level {
                    Level::Default => "on by default".to_string(),
                    level => format!(
                        "`{}` (opt in: `{}/{}`)",
                        level.group(),
                        self.name,
                        pattern.name
                    ),
                };
                out.push_str(&format!(
                    "| `{}` | {level} | {} |\n",
                    pattern.name, pattern.summary
                ));
            }
        }
        out
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
            check: $check:path
            $(, patterns: [$($pattern:expr),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::rules::Rule = $crate::rules::Rule::new(
            $name,
            $summary,
            $crate::Severity::Error,
            concat!($($doc, "\n"),*),
            $check,
        )
        $(.with_patterns(&[$($pattern),*]))?;
    };
}
