//! `testdata/corpus/triage.toml`: a verdict for every finding on the corpus.
//!
//! A finding is keyed by `<crate>/<path in package> <rule> <fingerprint>`.
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
    /// `tp` (a real defect, or code that breaks the rule's contract) or
    /// `fp` (the finding is wrong).
    pub verdict: String,
    pub reason: String,
    /// For FPs: the minimal reproduction, relative to triage.toml: a good
    /// fixture of the same rule (`../rules/<rule>/good_<name>.rs`), so the
    /// fixture test keeps the false positive fixed.
    #[serde(default)]
    pub repro: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageFile {
    #[serde(default)]
    finding: Vec<Entry>,
}

/// The labels, by key.
pub fn load(path: &Path) -> Result<BTreeMap<String, Entry>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let file: TriageFile =
        toml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    let mut entries = BTreeMap::new();
    for entry in file.finding {
        if !matches!(entry.verdict.as_str(), "tp" | "fp") {
            return Err(format!(
                "{}: verdict of `{}` must be \"tp\" or \"fp\", not {:?}",
                path.display(),
                entry.key,
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
        if entry.verdict == "fp" {
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

/// What the labels say about one run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Per rule: (true positives, false positives).
    pub per_rule: BTreeMap<String, (usize, usize)>,
    /// Indexes of findings without a label.
    pub untriaged: Vec<usize>,
    /// Labels whose finding did not appear (fixed FPs, changed code).
    pub stale: Vec<String>,
}

impl Outcome {
    pub fn totals(&self) -> (usize, usize) {
        self.per_rule
            .values()
            .fold((0, 0), |(tp, fp), (t, f)| (tp + t, fp + f))
    }

    /// Precision on triaged findings, `None` when there are none.
    pub fn precision(&self) -> Option<f64> {
        let (tp, fp) = self.totals();
        (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64)
    }
}

pub fn compare(
    report: &connlint::Report,
    keys: &[String],
    labels: &BTreeMap<String, Entry>,
) -> Outcome {
    let mut outcome = Outcome::default();
    for (index, (finding, key)) in report.findings.iter().zip(keys).enumerate() {
        match labels.get(key) {
            Some(entry) if entry.rule != finding.rule => {
                // The key holds the rule too; a mismatch is a hand-edited
                // label that must be redone.
                outcome.untriaged.push(index)
            }
            Some(entry) => {
                let counts = outcome
                    .per_rule
                    .entry(finding.rule.to_string())
                    .or_default();
                if entry.verdict == "tp" {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
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
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}:{}: {}",
        report.path(finding),
        finding.range.start.line,
        finding.message
    );
    let _ = writeln!(out, "[[finding]]");
    let _ = writeln!(out, "key = {}", toml_string(key));
    let _ = writeln!(out, "rule = {}", toml_string(finding.rule));
    let _ = writeln!(out, "verdict = \"\"");
    let _ = writeln!(out, "reason = \"\"");
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
