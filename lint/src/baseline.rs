//! Baselines: the findings a project has accepted for now, so that CI only
//! fails on new ones.
//!
//! An entry is matched by rule, path and [`Finding::fingerprint`], which is
//! built from the enclosing item and the flagged source but not from line
//! numbers: editing code above a baselined finding does not bring it back,
//! while changing the flagged code does. Entries are a multiset: two
//! identical defects in one function need two entries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use connlint_rules::Finding;
use serde::{Deserialize, Serialize};

use crate::{Error, Report};

const VERSION: u32 = 1;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One accepted finding. `message` is there for people reading the file.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    /// Relative to the baseline file's folder, so that the baseline works
    /// from any working directory.
    pub path: String,
    pub fingerprint: String,
    pub message: String,
}

/// A loaded baseline.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    entries: Vec<Entry>,
    dir: PathBuf,
}

impl Baseline {
    /// Reads a baseline written by [`write()`].
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: shown.clone(),
            source,
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| Error::Baseline {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        if file.version != VERSION {
            return Err(Error::Baseline {
                path: shown,
                message: format!("unsupported version {} (expected {VERSION})", file.version),
            });
        }
        Ok(Baseline {
            entries: file.findings,
            dir: base_dir(path),
        })
    }

    /// Drops the findings of `report` that the baseline holds; returns how
    /// many were dropped.
    pub fn filter(&self, report: &mut Report) -> usize {
        let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
        for entry in &self.entries {
            *remaining
                .entry((
                    entry.rule.clone(),
                    entry.path.clone(),
                    entry.fingerprint.clone(),
                ))
                .or_default() += 1;
        }
        let before = report.findings.len();
        let keys: Vec<(String, String, String)> = report
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.to_string(),
                    entry_path(report, f, &self.dir),
                    f.fingerprint(),
                )
            })
            .collect();
        let mut keys = keys.into_iter();
        report.findings.retain(|_| {
            let key = keys.next().unwrap_or_default();
            match remaining.get_mut(&key) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            }
        });
        before - report.findings.len()
    }
}

/// Writes the findings of `report` as a baseline at `path`; returns how many
/// were written.
pub fn write(path: &Path, report: &Report) -> Result<usize, Error> {
    let dir = base_dir(path);
    let findings: Vec<Entry> = report
        .findings
        .iter()
        .map(|f| Entry {
            rule: f.rule.to_string(),
            path: entry_path(report, f, &dir),
            fingerprint: f.fingerprint(),
            message: f.message.clone(),
        })
        .collect();
    let count = findings.len();
    let mut text = serde_json::to_string_pretty(&BaselineFile {
        version: VERSION,
        findings,
    })
    .unwrap_or_default();
    text.push('\n');
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(count)
}

fn base_dir(baseline: &Path) -> PathBuf {
    let dir = match baseline.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.canonicalize().unwrap_or(dir)
}

fn entry_path(report: &Report, finding: &Finding, dir: &Path) -> String {
    match report.files.get(finding.file) {
        Some(file) if file.path.is_absolute() => crate::discover::display_path(&file.path, dir),
        Some(file) => file.display.clone(),
        None => String::new(),
    }
}
