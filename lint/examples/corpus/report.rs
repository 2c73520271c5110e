//! The corpus report (console summary and `report.md`) and the registry-wide
//! robustness run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use connlint::{Options, Report};

use crate::sources::{self, CorpusCrate};
use crate::triage::{Entry, Outcome};

pub struct Summary<'a> {
    pub crates: &'a [CorpusCrate],
    pub report: &'a Report,
    pub keys: &'a [String],
    pub labels: &'a BTreeMap<String, Entry>,
    pub outcome: &'a Outcome,
    pub fetch_time: Duration,
    pub lint_time: Duration,
    pub wall_time: Duration,
    pub subset: bool,
}

#[derive(Default)]
struct CrateCounts {
    files: usize,
    lines: usize,
    findings: usize,
    errors: usize,
}

impl Summary<'_> {
    fn lines(&self) -> usize {
        self.report.files.iter().map(|f| f.lines).sum()
    }

    fn per_crate(&self) -> BTreeMap<&str, CrateCounts> {
        let mut counts: BTreeMap<&str, CrateCounts> = self
            .crates
            .iter()
            .map(|c| (c.name.as_str(), CrateCounts::default()))
            .collect();
        let crate_of = |path: &str| path.split('/').next().unwrap_or("").to_string();
        for file in &self.report.files {
            if let Some(c) = counts.get_mut(crate_of(&file.display).as_str()) {
                c.files += 1;
                c.lines += file.lines;
            }
        }
        for finding in &self.report.findings {
            if let Some(c) = counts.get_mut(crate_of(self.report.path(finding)).as_str()) {
                c.findings += 1;
            }
        }
        for error in &self.report.errors {
            if let Some(c) = counts.get_mut(crate_of(&error.path).as_str()) {
                c.errors += 1;
            }
        }
        counts
    }

    fn per_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut rules = BTreeMap::new();
        for f in &self.report.findings {
            *rules.entry(f.rule).or_default() += 1;
        }
        rules
    }

    /// The console summary.
    pub fn short(&self) -> String {
        let mut out = String::new();
        let r = self.report;
        let _ = writeln!(
            out,
            "corpus{}: {} crates, {} files, {} lines, {} findings, {} parse errors",
            if self.subset { " (subset)" } else { "" },
            self.crates.len(),
            r.files_scanned + r.errors.len(),
            self.lines(),
            r.findings.len(),
            r.errors.len()
        );
        let _ = writeln!(
            out,
            "wall time {:.2} s (cargo fetch and metadata {:.2} s, lint {:.2} s)",
            self.wall_time.as_secs_f64(),
            self.wall_time.saturating_sub(self.lint_time).as_secs_f64(),
            self.lint_time.as_secs_f64()
        );
        let _ = self.fetch_time;
        out.push_str(&self.rule_table());
        out
    }

    fn rule_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| rule | findings | TP | FP | untriaged | precision |\n|---|---:|---:|---:|---:|---:|"
        );
        let mut untriaged: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &self.outcome.untriaged {
            *untriaged.entry(self.report.findings[i].rule).or_default() += 1;
        }
        for (rule, n) in self.per_rule() {
            let counts = self.outcome.per_rule.get(rule).copied().unwrap_or_default();
            let (tp, fp) = (counts.tp, counts.fp);
            let _ = writeln!(
                out,
                "| {rule} | {n} | {tp} | {fp} | {} | {} |",
                untriaged.get(rule).copied().unwrap_or(0),
                percent(tp, fp)
            );
        }
        let totals = self.outcome.totals();
        let (tp, fp) = (totals.tp, totals.fp);
        let _ = writeln!(
            out,
            "| all | {} | {tp} | {fp} | {} | {} |",
            self.report.findings.len(),
            self.outcome.untriaged.len(),
            percent(tp, fp)
        );
        if let Some(p) = self.outcome.precision() {
            let _ = writeln!(
                out,
                "precision on triaged findings: {:.1}% ({tp} true, {fp} false positives)",
                p * 100.0
            );
        }
        out
    }

    /// `report.md`: the summary, per-crate figures, findings with their
    /// verdicts, and parse errors.
    pub fn render(&self) -> String {
        let mut out = String::from("# connlint corpus report\n\n");
        out.push_str(&self.short());
        out.push_str("\n## Crates\n\n| crate | version | files | lines | findings | parse errors |\n|---|---|---:|---:|---:|---:|\n");
        let versions: BTreeMap<&str, &str> = self
            .crates
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect();
        for (name, c) in self.per_crate() {
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} |",
                versions.get(name).unwrap_or(&""),
                c.files,
                c.lines,
                c.findings,
                c.errors
            );
        }
        out.push_str("\n## Findings\n\n");
        for (finding, key) in self.report.findings.iter().zip(self.keys) {
            let verdict = self
                .labels
                .get(key)
                .map(|e| format!("{}: {}", e.verdict.to_uppercase(), e.reason))
                .unwrap_or_else(|| "UNTRIAGED".into());
            let _ = writeln!(
                out,
                "- `{}:{}` {}: {}\n  - key `{key}`\n  - {verdict}",
                self.report.path(finding),
                finding.range.start.line,
                finding.rule,
                finding.message
            );
        }
        out.push_str("\n## Parse errors\n\n");
        for error in &self.report.errors {
            let _ = writeln!(out, "- `{}`: {}", error.path, error.message);
        }
        if !self.outcome.stale.is_empty() && !self.subset {
            out.push_str("\n## Labels without a finding\n\n");
            for key in &self.outcome.stale {
                let _ = writeln!(out, "- `{key}`");
            }
        }
        out
    }
}

pub fn percent(tp: usize, fp: usize) -> String {
    if tp + fp == 0 {
        "-".into()
    } else {
        format!("{:.1}%", tp as f64 * 100.0 / (tp + fp) as f64)
    }
}

/// Lints every package in the registry's source caches, a batch of packages
/// at a time so that memory stays bounded, and fails on any internal error.
/// Parse errors are expected (some packages ship files for other editions
/// or deliberately broken test inputs) and only counted.
/// Appends every finding of a report as `path:line:rule: message`.
pub fn dump(report: &connlint::Report, out: &mut String) {
    for (path, finding) in report.iter() {
        out.push_str(&format!(
            "{path}:{}:{}: {}\n",
            finding.range.start.line, finding.rule, finding.message
        ));
    }
}

pub fn registry(options: &Options, dump_to: &mut String) -> Result<bool, String> {
    let started = Instant::now();
    let crates = sources::registry_crates();
    if crates.is_empty() {
        return Err("no package sources under $CARGO_HOME/registry/src".into());
    }
    let (mut files, mut lines, mut parse_errors, mut findings) = (0, 0, 0, 0);
    let mut internal = Vec::new();
    for batch in crates.chunks(24) {
        let (sources, errors) = sources::crate_sources(batch);
        let report = connlint::lint_workspaces(&sources, errors, options);
        dump(&report, dump_to);
        for error in &report.errors {
            dump_to.push_str(&format!("{}: error: {}\n", error.path, error.message));
        }
        files += report.files_scanned + report.errors.len();
        lines += report.files.iter().map(|f| f.lines).sum::<usize>();
        findings += report.findings.len();
        for error in report.errors {
            if error.message.contains("internal error") {
                println!("INTERNAL ERROR {}: {}", error.path, error.message);
                internal.push(error);
            } else {
                parse_errors += 1;
            }
        }
    }
    println!(
        "registry: {} packages, {files} files, {lines} lines, {findings} findings, {parse_errors} parse errors, {} internal errors, {:.1} s",
        crates.len(),
        internal.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(internal.is_empty())
}
