//! What a rule reports: plain data, free of syn and proc-macro2 so that it can
//! leave the thread that parsed the file.

use std::fmt;

/// How serious a finding is. Rules report errors; connlint's own meta checks
/// (a suppression without a reason) report warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Reported, but does not fail a run unless warnings are denied.
    Warning,
    /// A defect: fails the run.
    Error,
}

impl Severity {
    /// The name reports use: `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in a source file. Lines and columns are 1-based; columns count
/// characters, as editors and SARIF do, and `offset` is the byte offset that
/// renderers need to slice the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset from the start of the file.
    pub offset: usize,
}

/// A range of source text, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Range {
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// A secondary place that explains a finding ("transaction dropped here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub range: Range,
    /// What happens there.
    pub message: String,
}

/// How safe it is to apply a suggested edit automatically.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// The edit is known to be what the author meant and keeps the code compiling.
    MachineApplicable,
    /// The edit is probably right but needs a human to check it.
    MaybeIncorrect,
}

impl Applicability {
    /// The name reports use, as rustc spells it in kebab case.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "machine-applicable",
            Applicability::MaybeIncorrect => "maybe-incorrect",
        }
    }
}

/// A suggested replacement of one range of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What the edit does, for people.
    pub message: String,
    /// The text it replaces.
    pub range: Range,
    /// The new text.
    pub replacement: String,
    /// Whether a tool may apply it unasked.
    pub applicability: Applicability,
}

/// One defect found by one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's kebab-case name, e.g. `uncommitted-transaction`.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// Index of the file in the input given to the analysis.
    pub file: usize,
    /// The flagged code.
    pub range: Range,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Related places (where the value is dropped, where a probe closes).
    pub labels: Vec<Label>,
    /// Path of the enclosing item (`store::Store::save`), part of the baseline
    /// fingerprint so that moving code around a file does not change it.
    pub item_path: String,
    /// The flagged source text with whitespace collapsed, the other part of
    /// the fingerprint.
    pub anchor: String,
    /// An edit that fixes the defect, when one is known.
    pub suggestion: Option<Suggestion>,
    /// Which of the rule's patterns made the claim, for rules with more
    /// than one (see [`crate::Rule::patterns`]).
    pub pattern: Option<&'static str>,
}

impl Finding {
    /// A fingerprint that does not depend on line numbers: rule, enclosing
    /// item and the normalized flagged source. Two identical defects in one
    /// item share it; callers that need uniqueness count occurrences.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Fnv64::default();
        hasher.write(self.rule.as_bytes());
        hasher.write(&[0]);
        hasher.write(self.item_path.as_bytes());
        hasher.write(&[0]);
        hasher.write(self.anchor.as_bytes());
        format!("{:016x}", hasher.0)
    }
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`, whose output may change
/// between Rust releases and would invalidate every baseline).
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Collapses runs of white space into one space, so that re-indenting code
/// does not change a fingerprint.
pub fn normalize_source(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(anchor: &str, line: usize) -> Finding {
        Finding {
            rule: "uncommitted-transaction",
            severity: Severity::Error,
            file: 0,
            range: Range {
                start: Position {
                    line,
                    column: 5,
                    offset: 40,
                },
                end: Position {
                    line,
                    column: 9,
                    offset: 44,
                },
            },
            message: String::new(),
            help: String::new(),
            labels: Vec::new(),
            item_path: "store::save".into(),
            anchor: normalize_source(anchor),
            suggestion: None,
            pattern: None,
        }
    }

    #[test]
    fn fingerprint_ignores_position_and_indentation() {
        let a = finding("let tx = conn.transaction()?;", 3);
        let b = finding("let  tx =\n   conn.transaction()?;", 30);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(
            a.fingerprint(),
            finding("let tx = db.transaction()?;", 3).fingerprint()
        );
    }
}
