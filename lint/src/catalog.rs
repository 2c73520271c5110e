//! Every rule connlint can report, and the choice of rules for a run.
//!
//! A rule is a [`Rule`] declared from its doc comment, whichever part of
//! connlint checks it: the analysis rules of `connlint-rules`
//! (`rules/src/rules/<rule>.rs`, listed in its registry, which runs them)
//! and connlint's own checks of suppression comments, which need no syntax
//! tree (`lint/src/suppress/checks/<rule>.rs`, listed beside them).
//! `--list-rules`, `--explain`, rule selection, suppressions and SARIF rule
//! metadata all read [`all`]; `lint/tests/catalog.rs` fails when a rule's
//! file, fixtures or documentation page has no counterpart.

use connlint_rules::{Finding, Level, Rule, RULES};

use crate::suppress::checks::CHECKS;
use crate::Error;

/// Every rule, in the order `--list-rules` prints them: the analysis rules
/// in their registry's order, then the suppression checks.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(CHECKS).copied()
}

/// Whether a rule is one of connlint's checks of suppression comments
/// rather than an analysis rule.
pub fn is_suppression_check(rule: &Rule) -> bool {
    CHECKS.iter().any(|check| check.name == rule.name)
}

/// The file that declares a rule, relative to the repository root.
pub fn source_file(rule: &Rule) -> String {
    let file = rule.name.replace('-', "_");
    if is_suppression_check(rule) {
        format!("lint/src/suppress/checks/{file}.rs")
    } else {
        format!("rules/src/rules/{file}.rs")
    }
}

/// A rule name as users may write it: kebab-case as connlint prints it, or
/// clippy-style snake_case (`uncommitted_transaction`), in any case.
pub fn normalize(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('_', "-")
}

/// Looks a rule up by name (see [`normalize`] for the accepted spellings).
pub fn find(name: &str) -> Option<&'static Rule> {
    let name = normalize(name);
    all().find(|rule| rule.name == name)
}

/// The rule whose name is closest to a misspelt one, when one is close
/// enough to be what was meant: at most a third of the name's letters
/// (and at least one) differ.
pub fn closest(name: &str) -> Option<&'static str> {
    let name = normalize(name);
    let limit = (name.chars().count() / 3).max(1);
    all()
        .map(|rule| (strsim::damerau_levenshtein(&name, rule.name), rule.name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, rule)| rule)
}

/// The valid names, comma separated, for error messages.
pub fn valid_names() -> String {
    all().map(|rule| rule.name).collect::<Vec<_>>().join(", ")
}

/// The error for a name no rule has; `origin` says where it was written
/// (`--select`, `` `ignore` in connlint.toml ``).
pub fn unknown_rule(name: &str, origin: &str) -> Error {
    Error::UnknownRule {
        name: name.trim().to_string(),
        origin: origin.to_string(),
        suggestion: closest(name),
        valid: valid_names(),
    }
}

/// What a name in a rule list stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    /// A rule, with its default patterns.
    Rule(&'static str),
    /// One pattern of a rule (`write-outside-transaction/loop-write`).
    Pattern(&'static str, &'static str),
    /// Every rule with every pattern of this level and below
    /// (`pedantic`).
    Group(Level),
}

/// What a name stands for: a rule, `rule/pattern`, or a group name.
pub fn selector(name: &str) -> Option<Selector> {
    let name = normalize(name);
    if name == Level::Pedantic.group() || name == "all" {
        return Some(Selector::Group(Level::Pedantic));
    }
    if name == Level::Default.group() {
        return Some(Selector::Group(Level::Default));
    }
    if let Some((rule, pattern)) = name.split_once('/') {
        let rule = find(rule)?;
        let pattern = rule.pattern(pattern)?;
        return Some(Selector::Pattern(rule.name, pattern.name));
    }
    find(&name).map(|rule| Selector::Rule(rule.name))
}

/// Checks rule names written by the user and returns what they stand for.
pub fn resolve_names<S: AsRef<str>>(names: &[S], origin: &str) -> Result<Vec<Selector>, Error> {
    names
        .iter()
        .map(|name| selector(name.as_ref()).ok_or_else(|| unknown_rule(name.as_ref(), origin)))
        .collect()
}

/// Rule names from one place, and that place for error messages.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    pub names: &'a [String],
    pub origin: &'a str,
}

/// The lists that choose a run's rules, ruff's way: `select` replaces the
/// default set (every rule), `extend_select` adds to it, and `ignore` and
/// `extend_ignore` take rules away; a rule both selected and ignored is
/// ignored. Callers put the command line's lists over the configuration's:
/// `--select` replaces the configured `select` and `extend-select`,
/// `--extend-select` adds to them (see the `cli` module).
///
/// Names may also be `rule/pattern`, one claim of a rule, and the group
/// `pedantic` (every rule, with the patterns that are off by default):
/// like clippy's groups, a pattern whose measured precision on real
/// applications is below 0.9 runs only when selected.
#[derive(Clone, Debug, Default)]
pub struct RuleLists<'a> {
    pub select: Option<Names<'a>>,
    pub extend_select: Vec<Names<'a>>,
    pub ignore: Option<Names<'a>>,
    pub extend_ignore: Vec<Names<'a>>,
}

/// The rules a run reports, and their patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    enabled: Vec<&'static str>,
    /// Patterns that run though their level keeps them off by default.
    opted_in: Vec<(&'static str, &'static str)>,
    /// Patterns that do not run though their level would have them on.
    opted_out: Vec<(&'static str, &'static str)>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}

impl RuleSet {
    /// Every rule, each with its default patterns.
    pub fn all() -> RuleSet {
        RuleSet {
            enabled: all().map(|rule| rule.name).collect(),
            opted_in: Vec::new(),
            opted_out: Vec::new(),
        }
    }

    /// `select` (every rule when `None`) minus `ignore`. A name no rule has
    /// is an error ([`Error::UnknownRule`], naming the closest rule) rather
    /// than a selection of nothing.
    ///
    /// ```
    /// use connlint::RuleSet;
    ///
    /// let rules = RuleSet::new(Some(&["uncommitted_transaction"]), &[])?;
    /// assert!(rules.is_enabled("uncommitted-transaction"));
    /// let typo = RuleSet::new(Some(&["uncommited-transaction"]), &[]);
    /// assert!(typo.unwrap_err().to_string().contains("did you mean `uncommitted-transaction`?"));
    /// # Ok::<(), connlint::Error>(())
    /// ```
    pub fn new(select: Option<&[&str]>, ignore: &[&str]) -> Result<RuleSet, Error> {
        let select = select
            .map(|names| resolve_names(names, "the selected rules"))
            .transpose()?;
        let ignore = resolve_names(ignore, "the ignored rules")?;
        Ok(RuleSet::from_resolved(select.as_deref(), &[], &ignore))
    }

    /// The rules `lists` choose.
    pub fn from_lists(lists: &RuleLists<'_>) -> Result<RuleSet, Error> {
        let resolve = |names: &Names<'_>| resolve_names(names.names, names.origin);
        let select = lists.select.as_ref().map(resolve).transpose()?;
        let mut extend = Vec::new();
        for names in &lists.extend_select {
            extend.extend(resolve(names)?);
        }
        let mut ignore = lists
            .ignore
            .as_ref()
            .map(resolve)
            .transpose()?
            .unwrap_or_default();
        for names in &lists.extend_ignore {
            ignore.extend(resolve(names)?);
        }
        Ok(RuleSet::from_resolved(select.as_deref(), &extend, &ignore))
    }

    fn from_resolved(
        select: Option<&[Selector]>,
        extend_select: &[Selector],
        ignore: &[Selector],
    ) -> RuleSet {
        let chosen = |selectors: &[Selector], rule: &Rule| {
            selectors.iter().any(|s| match s {
                Selector::Rule(name) | Selector::Pattern(name, _) => *name == rule.name,
                Selector::Group(_) => true,
            })
        };
        let ignored = |rule: &Rule| ignore.contains(&Selector::Rule(rule.name));
        let enabled: Vec<&'static str> = all()
            .filter(|rule| {
                select.is_none_or(|select| chosen(select, rule)) || chosen(extend_select, rule)
            })
            .filter(|rule| !ignored(rule))
            .map(|rule| rule.name)
            .collect();
        let selected = select.into_iter().flatten().chain(extend_select);
        let mut opted_in = Vec::new();
        let mut opted_out = Vec::new();
        for rule in all().filter(|rule| enabled.contains(&rule.name)) {
            for pattern in rule.patterns {
                let id = (rule.name, pattern.name);
                let named = |s: &Selector| {
                    *s == Selector::Pattern(rule.name, pattern.name)
                        || matches!(s, Selector::Group(level) if *level == pattern.level)
                };
                if ignore.iter().any(named) {
                    opted_out.push(id);
                } else if pattern.level != Level::Default && selected.clone().any(named) {
                    opted_in.push(id);
                }
            }
        }
        RuleSet {
            enabled,
            opted_in,
            opted_out,
        }
    }

    pub fn is_enabled(&self, name: &str) -> bool {
        self.enabled.contains(&name)
    }

    /// Whether a finding is reported: its rule is enabled, and so is its
    /// pattern, by its level or by name.
    pub fn reports(&self, finding: &Finding) -> bool {
        if !self.is_enabled(finding.rule) {
            return false;
        }
        let Some(pattern) = finding.pattern else {
            return true;
        };
        let id = (finding.rule, pattern);
        if self.opted_out.contains(&id) {
            return false;
        }
        let level = find(finding.rule)
            .and_then(|rule| rule.pattern(pattern))
            .map_or(Level::Default, |p| p.level);
        level == Level::Default || self.opted_in.contains(&id)
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

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn select_extend_and_ignore_combine() {
        let (first, second, check) = (RULES[0].name, RULES[1].name, CHECKS[0].name);
        let select = names(&[first, check]);
        let extend = names(&[second]);
        let ignore = names(&[check]);
        let lists = RuleLists {
            select: Some(Names {
                names: &select,
                origin: "s",
            }),
            extend_select: vec![Names {
                names: &extend,
                origin: "e",
            }],
            ignore: None,
            extend_ignore: vec![Names {
                names: &ignore,
                origin: "i",
            }],
        };
        let set = RuleSet::from_lists(&lists).unwrap();
        assert!(set.is_enabled(first) && set.is_enabled(second));
        assert!(!set.is_enabled(check));
        assert!(!set.is_enabled(RULES[2].name));
        assert_eq!(set.analysis_rules().len(), 2);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = resolve_names(&["nope"], "--select")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown rule `nope` in --select; valid rules: "),
            "{err}"
        );
        for rule in all() {
            assert!(err.contains(rule.name), "{err}");
        }
    }

    #[test]
    fn misspelt_names_name_the_closest_rule() {
        assert_eq!(
            closest("uncommited-transaction"),
            Some("uncommitted-transaction")
        );
        assert_eq!(closest("leaky_connection"), Some("leaked-connection"));
        assert_eq!(closest("Unused-Suppresion"), Some("unused-suppression"));
        assert_eq!(closest("nope"), None);
        assert_eq!(closest("connection"), None);
    }

    #[test]
    fn patterns_and_groups() {
        assert_eq!(selector("pedantic"), Some(Selector::Group(Level::Pedantic)));
        assert_eq!(selector("nope/x"), None);
        let set = RuleSet::new(None, &[]).unwrap();
        let finding = |rule: &'static str, pattern: Option<&'static str>| Finding {
            rule,
            pattern,
            ..test_finding()
        };
        // Every pattern of every rule: on by its level by default, on when
        // named or its group is selected, off when ignored.
        for rule in RULES.iter() {
            for pattern in rule.patterns {
                let f = finding(rule.name, Some(pattern.name));
                assert_eq!(set.reports(&f), pattern.level == Level::Default);
                let id = format!("{}/{}", rule.name, pattern.name);
                let named = RuleSet::new(Some(&[id.as_str()]), &[]).unwrap();
                assert!(named.reports(&f));
                let group = RuleSet::new(Some(&["pedantic"]), &[]).unwrap();
                assert!(group.reports(&f));
                let ignored = RuleSet::new(None, &[id.as_str()]).unwrap();
                assert!(!ignored.reports(&f));
            }
        }
        assert!(set.reports(&finding(RULES[0].name, None)));
    }

    fn test_finding() -> Finding {
        Finding {
            rule: "",
            severity: connlint_rules::Severity::Error,
            file: 0,
            range: Default::default(),
            message: String::new(),
            help: String::new(),
            labels: Vec::new(),
            item_path: String::new(),
            anchor: String::new(),
            suggestion: None,
            pattern: None,
        }
    }

    #[test]
    fn snake_case_names_are_accepted() {
        assert_eq!(
            find("write_outside_transaction").map(|r| r.name),
            Some("write-outside-transaction")
        );
        assert!(RuleSet::new(Some(&["nope"]), &[]).is_err());
        assert!(RuleSet::new(None, &["nope"]).is_err());
    }
}
