//! `testdata/corpus/triage.toml` and `testdata/corpus/apps-triage.toml`: a
//! verdict for every finding on the library corpus and on the application
//! corpus.
//!
//! A finding is keyed by `<crate>/<path in package> <rule> <fingerprint>`
//! (`<app>/<path in app> <rule> <fingerprint>` for the applications).
//! The path has no version and [`connlint::Finding::fingerprint`] hashes the
//! rule, the enclosing item and the flagged code, not the line, so a label
//! survives lines moving and crate upgrades that leave the flagged code alone.
//! Identical defects in one item share a fingerprint; the second and later
//! get `#2`, `#3`… in source order.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

/// One label.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: String,
    pub rule: String,
    /// `tp` (a real defect, or code that breaks the rule's contract),
    /// `fp` (the finding is wrong) or, for the applications only,
    /// `debatable` (a real disagreement about the rule's claim).
    pub verdict: String,
    pub reason: String,
    /// For FPs: the minimal reproduction, relative to the triage file: a
    /// good fixture of the same rule (`../rules/<rule>/good_<name>.rs`), so
    /// the fixture test keeps the false positive fixed. Required in
    /// triage.toml; optional in apps-triage.toml until the class is fixed.
    #[serde(default)]
    pub repro: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageFile {
    #[serde(default)]
    finding: Vec<Entry>,
}

/// What a triage file may hold.
pub struct Policy {
    /// The verdicts allowed.
    pub verdicts: &'static [&'static str],
    /// Whether every `fp` must name its `repro` fixture.
    pub fp_needs_repro: bool,
}

/// `triage.toml`, the library corpus: every finding is true or false, and
/// every false one is held by a fixture.
pub const LIBRARY: Policy = Policy {
    verdicts: &["tp", "fp"],
    fp_needs_repro: true,
};

/// `apps-triage.toml`, the application corpus: `debatable` is allowed, and
/// an `fp` names its fixture once its class is fixed.
pub const APPS: Policy = Policy {
    verdicts: &["tp", "fp", "debatable"],
    fp_needs_repro: false,
};

/// The labels, by key.
pub fn load(path: &Path, policy: &Policy) -> Result<BTreeMap<String, Entry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let file: TriageFile =
        toml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    let mut entries = BTreeMap::new();
    for entry in file.finding {
        if !policy.verdicts.contains(&entry.verdict.as_str()) {
            return Err(format!(
                "{}: verdict of `{}` must be one of {:?}, not {:?}",
                path.display(),
                entry.key,
                policy.verdicts,
                entry.verdict
            ));
        }
        if entry.reason.trim().is_empty() {
            return Err(format!(
                "{}: `{}` needs a reason",
                path.display(),
                entry.key
            ));
        }
        if entry.verdict == "fp" && (policy.fp_needs_repro || entry.repro.is_some()) {
            let repro = entry.repro.as_deref().unwrap_or("");
            let fixture = format!("../rules/{}/good_", entry.rule);
            if !repro.starts_with(&fixture) || !path.with_file_name(repro).is_file() {
                return Err(format!(
                    "{}: false positive `{}` needs `repro`, a good fixture of its rule ({fixture}*.rs, got {repro:?})",
                    path.display(),
                    entry.key
                ));
            }
        }
        if let Some(old) = entries.insert(entry.key.clone(), entry) {
            return Err(format!(
                "{}: `{}` is labelled twice",
                path.display(),
                old.key
            ));
        }
    }
    Ok(entries)
}

/// The triage key of every finding of a report, in report order.
pub fn keys(report: &connlint::Report) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .findings
        .iter()
        .map(|finding| {
            let base = format!(
                "{} {} {}",
                report.path(finding),
                finding.rule,
                finding.fingerprint()
            );
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base}#{count}")
            }
        })
        .collect()
}

/// Findings by verdict.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub debatable: usize,
}

impl Counts {
    pub fn add(&mut self, verdict: &str) {
        match verdict {
            "tp" => self.tp += 1,
            "fp" => self.fp += 1,
            _ => self.debatable += 1,
        }
    }

    pub fn merge(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.debatable += other.debatable;
    }

    /// tp / (tp + fp): debatable findings count on neither side.
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0).then(|| self.tp as f64 / (self.tp + self.fp) as f64)
    }
}

/// What the labels say about one run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Per rule, the labelled findings by verdict.
    pub per_rule: BTreeMap<String, Counts>,
    /// Indexes of findings without a label.
    pub untriaged: Vec<usize>,
    /// Labels whose finding did not appear (fixed FPs, changed code).
    pub stale: Vec<String>,
}

impl Outcome {
    pub fn totals(&self) -> Counts {
        let mut all = Counts::default();
        for counts in self.per_rule.values() {
            all.merge(*counts);
        }
        all
    }

    /// Precision on triaged findings, `None` when there are none.
    pub fn precision(&self) -> Option<f64> {
        self.totals().precision()
    }
}

/// Matches findings, given by rule and key in report order, with labels.
pub fn compare(rules: &[&str], keys: &[String], labels: &BTreeMap<String, Entry>) -> Outcome {
    let mut outcome = Outcome::default();
    for (index, (rule, key)) in rules.iter().zip(keys).enumerate() {
        match labels.get(key) {
            Some(entry) if entry.rule != *rule => {
                // The key holds the rule too; a mismatch is a hand-edited
                // label that must be redone.
                outcome.untriaged.push(index)
            }
            Some(entry) => outcome
                .per_rule
                .entry(rule.to_string())
                .or_default()
                .add(&entry.verdict),
            None => outcome.untriaged.push(index),
        }
    }
    let present: std::collections::HashSet<&String> = keys.iter().collect();
    outcome.stale = labels
        .keys()
        .filter(|k| !present.contains(k))
        .cloned()
        .collect();
    outcome
}

/// A TOML stub for an untriaged finding, to paste into triage.toml once
/// the code has been read and judged.
pub fn stub(report: &connlint::Report, index: usize, key: &str) -> String {
    let finding = &report.findings[index];
    stub_for(
        report.path(finding),
        finding.range.start.line,
        finding.rule,
        &finding.message,
        key,
    )
}

/// [`stub`] from the parts of a finding.
pub fn stub_for(path: &str, line: usize, rule: &str, message: &str, key: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {path}:{line}: {message}");
    let _ = writeln!(out, "[[finding]]");
    let _ = writeln!(out, "key = {}", toml_string(key));
    let _ = writeln!(out, "rule = {}", toml_string(rule));
    let _ = writeln!(out, "verdict = \"\"");
    let _ = writeln!(out, "reason = \"\"");
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
