//! Every rule connlint can report: the analysis rules of `connlint-rules`
//! and connlint's own checks of suppression comments, which need no syntax
//! tree and so live here. `--list-rules`, `--explain`, rule selection and
//! SARIF rule metadata all read this one list.

use connlint_rules::{Rule, Severity, RULES};

use crate::Error;

/// A check made by connlint itself rather than by an analysis rule.
#[derive(Debug)]
pub struct MetaRule {
    pub name: &'static str,
    pub summary: &'static str,
    doc: &'static str,
}

/// A suppression comment must say why, or it silently hides the next real bug.
pub static SUPPRESSION_WITHOUT_REASON: MetaRule = MetaRule {
    name: "suppression-without-reason",
    summary: "a `// connlint: allow(..)` comment gives no reason",
    doc: "## What it does
Flags a `// connlint: allow(rule)` comment with nothing written after the
closing parenthesis.

## Why is this bad?
A suppression is a claim that the code is correct although a rule says
otherwise. Without the reason, the next reader cannot tell whether the claim
still holds after the code changed. The suppression still silences the
finding; this warning asks for the reason.

## Example
```rust
// connlint: allow(uncommitted-transaction)
let tx = conn.transaction()?;
```

Use instead:
```rust
// connlint: allow(uncommitted-transaction) dry run: the writes are rolled back on purpose
let tx = conn.transaction()?;
```
",
};

/// A misspelt rule in a suppression silences nothing.
pub static UNKNOWN_RULE_IN_SUPPRESSION: MetaRule = MetaRule {
    name: "unknown-rule-in-suppression",
    summary: "a suppression comment names a rule that does not exist",
    doc: "## What it does
Flags a `// connlint: allow(..)` or `// connlint: allow-file(..)` comment
that names a rule connlint does not have.

## Why is this bad?
A misspelt or removed rule name silences nothing, so the comment misleads
its readers. `connlint --list-rules` prints the valid names.

## Example
```rust
// connlint: allow(uncommited-transaction) dry run
```

Use instead:
```rust
// connlint: allow(uncommitted-transaction) dry run
```
",
};

static META_RULES: &[&MetaRule] = &[&SUPPRESSION_WITHOUT_REASON, &UNKNOWN_RULE_IN_SUPPRESSION];

/// One rule of either kind.
#[derive(Clone, Copy, Debug)]
pub enum RuleInfo {
    Analysis(&'static Rule),
    Meta(&'static MetaRule),
}

impl RuleInfo {
    pub fn name(self) -> &'static str {
        match self {
            RuleInfo::Analysis(rule) => rule.name,
            RuleInfo::Meta(rule) => rule.name,
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            RuleInfo::Analysis(rule) => rule.summary,
            RuleInfo::Meta(rule) => rule.summary,
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            RuleInfo::Analysis(rule) => rule.severity,
            RuleInfo::Meta(_) => Severity::Warning,
        }
    }

    /// The rule's documentation as Markdown.
    pub fn documentation(self) -> String {
        match self {
            RuleInfo::Analysis(rule) => rule.documentation(),
            RuleInfo::Meta(rule) => rule.doc.to_string(),
        }
    }
}

/// Every rule: the analysis rules in their registry order, then the meta
/// checks.
pub fn all() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|rule| RuleInfo::Analysis(rule))
        .chain(META_RULES.iter().map(|rule| RuleInfo::Meta(rule)))
        .collect()
}

/// Looks a rule of either kind up by name.
pub fn find(name: &str) -> Option<RuleInfo> {
    all().into_iter().find(|rule| rule.name() == name)
}

/// The valid names, comma separated, for error messages.
pub fn valid_names() -> String {
    all()
        .iter()
        .map(|rule| rule.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks rule names written by the user; `origin` says where they were
/// written (`--select`, `` `ignore` in connlint.toml ``).
pub fn resolve_names(names: &[String], origin: &str) -> Result<Vec<&'static str>, Error> {
    names
        .iter()
        .map(|name| {
            find(name.trim())
                .map(|rule| rule.name())
                .ok_or_else(|| Error::UnknownRule {
                    name: name.trim().to_string(),
                    origin: origin.to_string(),
                    valid: valid_names(),
                })
        })
        .collect()
}

/// The rules a run reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    enabled: Vec<&'static str>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}

impl RuleSet {
    /// Every rule.
    pub fn all() -> RuleSet {
        RuleSet {
            enabled: all().iter().map(|rule| rule.name()).collect(),
        }
    }

    /// `select` (every rule when `None`) minus `ignore`, both already
    /// checked with [`resolve_names`].
    pub fn new(select: Option<&[&'static str]>, ignore: &[&'static str]) -> RuleSet {
        let enabled = all()
            .iter()
            .map(|rule| rule.name())
            .filter(|name| select.is_none_or(|select| select.contains(name)))
            .filter(|name| !ignore.contains(name))
            .collect();
        RuleSet { enabled }
    }

    /// Resolves user-written names; see [`resolve_names`] for `origin`.
    pub fn from_names(
        select: Option<(&[String], &str)>,
        ignore: Option<(&[String], &str)>,
    ) -> Result<RuleSet, Error> {
        let select = select
            .map(|(names, origin)| resolve_names(names, origin))
            .transpose()?;
        let ignore = ignore
            .map(|(names, origin)| resolve_names(names, origin))
            .transpose()?
            .unwrap_or_default();
        Ok(RuleSet::new(select.as_deref(), &ignore))
    }

    pub fn is_enabled(&self, name: &str) -> bool {
        self.enabled.contains(&name)
    }

    /// The analysis rules to run.
    pub fn analysis_rules(&self) -> Vec<&'static Rule> {
        RULES
            .iter()
            .copied()
            .filter(|rule| self.is_enabled(rule.name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_and_ignore_combine() {
        let first = RULES[0].name;
        let set = RuleSet::new(
            Some(&[first, SUPPRESSION_WITHOUT_REASON.name]),
            &[SUPPRESSION_WITHOUT_REASON.name],
        );
        assert!(set.is_enabled(first));
        assert!(!set.is_enabled(SUPPRESSION_WITHOUT_REASON.name));
        assert_eq!(set.analysis_rules().len(), 1);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = resolve_names(&["nope".into()], "--select")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown rule `nope` in --select; valid rules: "),
            "{err}"
        );
        for rule in all() {
            assert!(err.contains(rule.name()), "{err}");
        }
    }
}
