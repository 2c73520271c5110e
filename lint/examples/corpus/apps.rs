//! `--apps`: the application corpus (`<corpus>/apps/NAME/`, issue 16).
//!
//! Each application is linted as its own project, as a user runs
//! `connlint .` in its folder: [`connlint::lint_paths_in`] on `.` with the
//! configuration found there, in the default mode (no test code). Every
//! application runs in a child process of this example, so that its time and
//! peak memory are its own. Two more children measure speed over all of
//! them together: the floor (read and `syn::parse_file` every `.rs` file of
//! every application, in parallel, as `lint/benches/corpus.rs` does for the
//! library corpus) and the full lint of all applications in one process
//! (`connlint apps/A apps/B ..`).
//!
//! Findings are keyed `<app>/<path in app> <rule> <fingerprint>` and
//! labelled in `testdata/corpus/apps-triage.toml`.
//!
//! The children lint with every pattern on (the `pedantic` group), so that
//! every pattern's findings are triaged and measured; the precision line
//! counts only the findings of default patterns, what a user sees, and the
//! table gives each pattern's precision, from which its level is chosen.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::report::percent;
use crate::sources;
use crate::triage::{self, Counts, Entry, Outcome};

/// One finding as a child reports it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Row {
    pub key: String,
    /// `<app>/<path in app>`.
    pub path: String,
    pub line: usize,
    pub rule: String,
    /// The pattern of the rule that made the finding, if it has patterns.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Whether the finding is reported by default (its pattern's level).
    #[serde(default = "default_on")]
    pub default_on: bool,
    pub message: String,
}

fn default_on() -> bool {
    true
}

/// Every rule with every pattern, default and pedantic.
fn every_pattern(options: &mut connlint::Options) {
    options.rules = connlint::RuleSet::new(Some(&["pedantic"]), &[]).expect("the pedantic group");
}

/// What a child measured: one application, the parse floor, or the lint of
/// all applications in one process.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Run {
    /// `.rs` files linted (read and parsed) or parsed.
    pub files: usize,
    /// Lines of those files.
    pub lines: usize,
    /// `(path, message)` of the files that could not be parsed.
    pub errors: Vec<(String, String)>,
    pub findings: Vec<Row>,
    pub seconds: f64,
    /// Peak resident memory (VmHWM) of the child process, KiB.
    pub peak_kib: u64,
    /// VmHWM before the work started: the process's own baseline.
    pub baseline_kib: u64,
    /// Files syn could not parse (the floor only).
    pub unparsed: usize,
}

/// One application of the corpus.
struct App {
    name: String,
    dir: PathBuf,
    commit: String,
    /// All `.rs` files in the folder (test code included) and their lines.
    rs_files: usize,
    rs_lines: usize,
}

/// The hidden child modes: `--child-app DIR NAME`, `--child-parse APPS`,
/// `--child-all APPS`. Prints the [`Run`] as one JSON line.
pub fn child(kind: &str, args: &[String]) -> Result<(), String> {
    let baseline_kib = sources::peak_kib();
    let mut run = match (kind, args) {
        ("app", [dir, name]) => lint_one(Path::new(dir), name)?,
        ("parse", [apps]) => parse_floor(Path::new(apps)),
        ("all", [apps]) => lint_all(Path::new(apps))?,
        _ => return Err(format!("bad child arguments {kind} {args:?}")),
    };
    run.peak_kib = sources::peak_kib();
    run.baseline_kib = baseline_kib;
    println!(
        "{}",
        serde_json::to_string(&run).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// `connlint .` in one application's folder.
fn lint_one(dir: &Path, name: &str) -> Result<Run, String> {
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut options = sources::options_in(&dir, false)?;
    every_pattern(&mut options);
    let started = Instant::now();
    let report = connlint::lint_paths_in(&dir, &[PathBuf::from(".")], &options)
        .map_err(|e| format!("{name}: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(run_of(&report, seconds, &format!("{name}/")))
}

/// `connlint A B C ..` over every application at once, from `apps`.
fn lint_all(apps: &Path) -> Result<Run, String> {
    let apps = apps
        .canonicalize()
        .map_err(|e| format!("{}: {e}", apps.display()))?;
    let mut options = sources::options_in(&apps, false)?;
    every_pattern(&mut options);
    let paths: Vec<PathBuf> = app_dirs(&apps)?
        .into_iter()
        .map(|(name, _)| PathBuf::from(name))
        .collect();
    let started = Instant::now();
    let report = connlint::lint_paths_in(&apps, &paths, &options).map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    // Paths are already `<app>/<path in app>`, relative to `apps`.
    Ok(run_of(&report, seconds, ""))
}

fn run_of(report: &connlint::Report, seconds: f64, prefix: &str) -> Run {
    let keys = triage::keys(report);
    let defaults = connlint::RuleSet::all();
    let findings = report
        .findings
        .iter()
        .zip(keys)
        .map(|(finding, key)| Row {
            key: format!("{prefix}{key}"),
            path: format!("{prefix}{}", report.path(finding)),
            line: finding.range.start.line,
            rule: finding.rule.to_string(),
            pattern: finding.pattern.map(str::to_string),
            default_on: defaults.reports(finding),
            message: finding.message.clone(),
        })
        .collect();
    Run {
        files: report.files_scanned,
        lines: report.files.iter().map(|f| f.lines).sum(),
        errors: report
            .errors
            .iter()
            .map(|e| (format!("{prefix}{}", e.path), e.message.clone()))
            .collect(),
        findings,
        seconds,
        ..Run::default()
    }
}

/// The floor: read and parse every `.rs` file of every application with
/// syn, on worker threads as the engine has them (all cores, its stack size).
fn parse_floor(apps: &Path) -> Run {
    let files: Vec<PathBuf> = app_dirs(apps)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(_, dir)| rs_files(&dir))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(connlint_rules::STACK_SIZE)
        .build()
        .expect("worker threads");
    let started = Instant::now();
    let (lines, unparsed) = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                let lines = sources::count_lines(&text);
                (lines, usize::from(syn::parse_file(&text).is_err()))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    // The engine frees proc-macro2's span table on each worker at the end;
    // so does the floor.
    pool.broadcast(|_| connlint_rules::release_thread_spans());
    let seconds = started.elapsed().as_secs_f64();
    Run {
        files: files.len(),
        lines,
        unparsed,
        seconds,
        ..Run::default()
    }
}

/// The application folders under `apps`, by name.
fn app_dirs(apps: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(apps).map_err(|e| format!("{}: {e}", apps.display()))?;
    let mut dirs: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Every `.rs` file under `dir`, found as connlint finds them.
fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    connlint::discover::walk(
        dir,
        dir,
        connlint::discover::WalkOptions::default(),
        &mut files,
        &mut errors,
    );
    files
}

/// Runs the example itself as a child and reads its [`Run`].
fn spawn(args: &[&str], cwd: Option<&Path>) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
    let mut command = Command::new(exe);
    command.args(args);
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run child {args:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{'));
    match line {
        Some(line) if output.status.success() => {
            serde_json::from_str(line).map_err(|e| format!("child {args:?}: {e}"))
        }
        _ => Err(format!(
            "child {args:?} failed ({}): {}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

pub struct AppsArgs<'a> {
    pub corpus: &'a Path,
    pub check: bool,
    pub out: &'a Path,
    /// Speed is the best of this many runs of the floor and the full lint.
    pub rounds: usize,
    /// Where every finding and parse error goes (`--dump`): each
    /// application's own run, then the run of all of them in one process.
    pub dump: &'a mut String,
}

/// The `--apps` run; `Ok(false)` when `--check` failed.
pub fn run(args: &mut AppsArgs) -> Result<bool, String> {
    let apps_dir = args.corpus.join("apps");
    if !apps_dir.is_dir() {
        println!(
            "apps: skipped, no application corpus at {} (pass --apps DIR or set CONNLINT_CORPUS_DIR)",
            apps_dir.display()
        );
        return Ok(true);
    }
    let started = Instant::now();
    let commits = read_commits(&args.corpus.join("apps.tsv"));
    let apps: Vec<App> = app_dirs(&apps_dir)?
        .into_iter()
        .map(|(name, dir)| {
            let files = rs_files(&dir);
            let rs_lines = files
                .iter()
                .map(|f| std::fs::read_to_string(f).map_or(0, |t| sources::count_lines(&t)))
                .sum();
            App {
                commit: commits.get(&name).cloned().unwrap_or_default(),
                rs_files: files.len(),
                rs_lines,
                name,
                dir,
            }
        })
        .collect();

    let mut runs = Vec::new();
    for app in &apps {
        let dir = app.dir.to_string_lossy();
        runs.push(spawn(&["--child-app", &dir, &app.name], Some(&app.dir))?);
    }
    let apps_arg = apps_dir.to_string_lossy();
    let mut floor: Option<Run> = None;
    let mut all: Option<Run> = None;
    for _ in 0..args.rounds.max(1) {
        let f = spawn(&["--child-parse", &apps_arg], None)?;
        let a = spawn(&["--child-all", &apps_arg], Some(&apps_dir))?;
        if floor.as_ref().is_none_or(|b| f.seconds < b.seconds) {
            floor = Some(f);
        }
        if all.as_ref().is_none_or(|b| a.seconds < b.seconds) {
            all = Some(a);
        }
    }
    let (floor, all) = (floor.unwrap_or_default(), all.unwrap_or_default());
    for (label, run) in runs.iter().map(|r| ("apps", r)).chain([("all", &all)]) {
        dump_run(label, run, args.dump);
    }

    let rows: Vec<&Row> = runs.iter().flat_map(|r| &r.findings).collect();
    let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    let rules: Vec<&str> = rows.iter().map(|r| r.rule.as_str()).collect();
    let labels = triage::load(
        &sources::repo_root().join("testdata/corpus/apps-triage.toml"),
        &triage::APPS,
    )?;
    let outcome = triage::compare(&rules, &keys, &labels);

    let summary = Summary {
        apps: &apps,
        runs: &runs,
        rows: &rows,
        labels: &labels,
        outcome: &outcome,
        floor: &floor,
        all: &all,
    };
    print!("{}", summary.short());
    std::fs::create_dir_all(args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let path = args.out.join("apps.md");
    std::fs::write(&path, summary.render())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "apps report: {} ({:.1} s)",
        path.display(),
        started.elapsed().as_secs_f64()
    );

    let mut ok = true;
    let internal: Vec<_> = runs
        .iter()
        .flat_map(|r| &r.errors)
        .filter(|(_, m)| m.contains("internal error"))
        .collect();
    for (path, message) in &internal {
        println!("INTERNAL ERROR {path}: {message}");
    }
    ok &= internal.is_empty();
    if args.check {
        ok &= check(&rows, &keys, &outcome, &labels, args.out)?;
    }
    Ok(ok)
}

/// Appends a run's findings and parse errors, one a line, as
/// `LABEL path:line:rule: message`.
fn dump_run(label: &str, run: &Run, out: &mut String) {
    for row in &run.findings {
        let _ = writeln!(
            out,
            "{label} {}:{}:{}: {}",
            row.path, row.line, row.rule, row.message
        );
    }
    for (path, message) in &run.errors {
        let _ = writeln!(out, "{label} {path}: error: {message}");
    }
}

/// `name -> short commit` from apps.tsv (`name repo commit ..`).
fn read_commits(tsv: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(tsv).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let commit = cols.get(2)?;
            Some((cols[0].to_string(), commit.chars().take(12).collect()))
        })
        .collect()
}

/// `--check`: every finding labelled, every labelled true positive found.
fn check(
    rows: &[&Row],
    keys: &[String],
    outcome: &Outcome,
    labels: &BTreeMap<String, Entry>,
    out: &Path,
) -> Result<bool, String> {
    let mut ok = true;
    if outcome.untriaged.is_empty() {
        println!("apps triage: all {} findings are labelled", rows.len());
    } else {
        let stubs: String = outcome
            .untriaged
            .iter()
            .map(|&i| {
                let r = rows[i];
                triage::stub_for(&r.path, r.line, &r.rule, &r.message, &keys[i]) + "\n"
            })
            .collect();
        let stub_path = out.join("apps-untriaged.toml");
        std::fs::write(&stub_path, &stubs)
            .map_err(|e| format!("cannot write {}: {e}", stub_path.display()))?;
        println!(
            "apps triage: FAILED, {} findings are not in testdata/corpus/apps-triage.toml:",
            outcome.untriaged.len()
        );
        for &i in outcome.untriaged.iter().take(50) {
            let r = rows[i];
            println!("  {}:{}: {} {}", r.path, r.line, r.rule, keys[i]);
        }
        println!(
            "read the code of each, then label it in apps-triage.toml (stubs: {})",
            stub_path.display()
        );
        ok = false;
    }
    let mut stale: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for key in &outcome.stale {
        stale
            .entry(labels[key].verdict.as_str())
            .or_default()
            .push(key);
    }
    if let Some(fixed) = stale.get("fp") {
        println!(
            "apps triage: {} false-positive labels no longer fire (fixed; remove them, each class needs a good fixture)",
            fixed.len()
        );
        for key in fixed {
            println!("  {key}: {}", labels[*key].reason);
        }
    }
    if let Some(gone) = stale.get("debatable") {
        println!(
            "apps triage: {} debatable labels no longer fire (remove them)",
            gone.len()
        );
    }
    if let Some(lost) = stale.get("tp") {
        println!(
            "apps triage: FAILED, {} true positives are no longer found:",
            lost.len()
        );
        for key in lost {
            println!("  {key}: {}", labels[*key].reason);
        }
        println!("a rule lost recall, or the code changed: fix the rule or relabel");
        ok = false;
    }
    Ok(ok)
}

struct Summary<'a> {
    apps: &'a [App],
    runs: &'a [Run],
    rows: &'a [&'a Row],
    labels: &'a BTreeMap<String, Entry>,
    outcome: &'a Outcome,
    floor: &'a Run,
    all: &'a Run,
}

impl Summary<'_> {
    /// The label of a finding, if it has one for its rule.
    fn label(&self, r: &Row) -> Option<&Entry> {
        self.labels.get(&r.key).filter(|e| e.rule == r.rule)
    }

    /// Verdicts and untriaged count of the findings `keep` selects.
    fn counts(&self, keep: impl Fn(&Row) -> bool) -> (usize, Counts, usize) {
        let mut counts = Counts::default();
        let (mut n, mut untriaged) = (0, 0);
        for r in self.rows.iter().filter(|r| keep(r)) {
            n += 1;
            match self.label(r) {
                Some(e) => counts.add(&e.verdict),
                None => untriaged += 1,
            }
        }
        (n, counts, untriaged)
    }

    fn precision_line(&self) -> String {
        let (n, t, untriaged) = self.counts(|r| r.default_on);
        let share = if n == 0 {
            0.0
        } else {
            t.debatable as f64 * 100.0 / n as f64
        };
        let (all_n, all, _) = self.counts(|_| true);
        format!(
            "apps precision {} (tp {}, fp {}, debatable {}); debatable {share:.0}% of {n} default findings, {untriaged} untriaged; with pedantic patterns {} (tp {}, fp {}, debatable {}) of {all_n}",
            percent(t.tp, t.fp),
            t.tp,
            t.fp,
            t.debatable,
            percent(all.tp, all.fp),
            all.tp,
            all.fp,
            all.debatable,
        )
    }

    fn speed_line(&self) -> String {
        let ratio = if self.floor.seconds > 0.0 {
            self.all.seconds / self.floor.seconds
        } else {
            0.0
        };
        format!(
            "apps speed: syn parse of all {} .rs files ({} lines, {} unparsable) {:.2} s, peak {:.0} MiB; full lint of all {} apps in one process ({} files linted) {:.2} s, peak {:.0} MiB; lint/parse = {ratio:.2}x (issue 16 asks <= 1.2x)",
            self.floor.files,
            self.floor.lines,
            self.floor.unparsed,
            self.floor.seconds,
            mib(self.floor.peak_kib),
            self.apps.len(),
            self.all.files,
            self.all.seconds,
            mib(self.all.peak_kib),
        )
    }

    /// Findings of the one-process run that the per-app runs did not
    /// produce, and the reverse: they must be the same.
    fn consistency(&self) -> Option<String> {
        let per_app: BTreeSet<&str> = self.rows.iter().map(|r| r.key.as_str()).collect();
        let together: BTreeSet<&str> = self.all.findings.iter().map(|r| r.key.as_str()).collect();
        if per_app == together {
            return None;
        }
        let only_all: Vec<&&str> = together.difference(&per_app).collect();
        let only_app: Vec<&&str> = per_app.difference(&together).collect();
        Some(format!(
            "note: the one-process run differs from the per-app runs: {} findings only in it ({:?}), {} only per app ({:?})",
            only_all.len(),
            only_all.iter().take(5).collect::<Vec<_>>(),
            only_app.len(),
            only_app.iter().take(5).collect::<Vec<_>>()
        ))
    }

    /// Per rule, its default findings; below each rule with patterns, each
    /// pattern's findings with its level (pedantic ones included).
    fn rule_table(&self) -> String {
        let mut out = String::from(
            "| rule or pattern | level | findings | tp | fp | debatable | untriaged | precision |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        );
        let mut line = |name: &str, level: &str, (n, c, untriaged): (usize, Counts, usize)| {
            let _ = writeln!(
                out,
                "| {name} | {level} | {n} | {} | {} | {} | {untriaged} | {} |",
                c.tp,
                c.fp,
                c.debatable,
                percent(c.tp, c.fp)
            );
        };
        let rules: BTreeSet<&str> = self.rows.iter().map(|r| r.rule.as_str()).collect();
        for rule in rules {
            line(
                rule,
                "default",
                self.counts(|r| r.rule == rule && r.default_on),
            );
            let patterns: BTreeMap<&str, bool> = self
                .rows
                .iter()
                .filter(|r| r.rule == rule)
                .filter_map(|r| Some((r.pattern.as_deref()?, r.default_on)))
                .collect();
            for (pattern, on) in patterns {
                line(
                    &format!("{rule}/{pattern}"),
                    if on { "default" } else { "pedantic" },
                    self.counts(|r| r.rule == rule && r.pattern.as_deref() == Some(pattern)),
                );
            }
        }
        line("all", "default", self.counts(|r| r.default_on));
        line("all", "pedantic", self.counts(|_| true));
        out
    }

    /// The console summary.
    pub fn short(&self) -> String {
        let (files, lines, errors, seconds): (usize, usize, usize, f64) =
            self.runs.iter().fold((0, 0, 0, 0.0), |acc, r| {
                (
                    acc.0 + r.files,
                    acc.1 + r.lines,
                    acc.2 + r.errors.len(),
                    acc.3 + r.seconds,
                )
            });
        let peak = self.runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
        let mut out = format!(
            "apps: {} applications, {files} files linted, {lines} lines, {} findings ({} by default patterns), {errors} parse errors; per-app lint {seconds:.2} s in all, largest peak {:.0} MiB\n",
            self.apps.len(),
            self.rows.len(),
            self.rows.iter().filter(|r| r.default_on).count(),
            mib(peak)
        );
        let _ = writeln!(out, "{}", self.speed_line());
        if let Some(note) = self.consistency() {
            let _ = writeln!(out, "{note}");
        }
        out.push_str(&self.rule_table());
        let _ = writeln!(out, "{}", self.precision_line());
        out
    }

    /// `apps.md`.
    pub fn render(&self) -> String {
        let mut out = String::from("# connlint application corpus\n\n");
        out.push_str(&self.short());
        out.push_str(
            "\n## Applications\n\n\
             Each application is linted alone, as `connlint .` in its folder (default mode: no \
             test code), in a child process of the corpus example. *time* is the wall time of \
             `lint_paths_in` (discovery, reading, parsing, analysis) on all cores; *peak* is the \
             child's peak resident memory (VmHWM), which includes the process's own baseline \
             (shown in the notes). *.rs* counts every `.rs` file in the folder (found as connlint \
             finds files: `.gitignore`d, hidden and `target/` folders skipped), test code \
             included; *linted* is `Report::files_scanned` (files read and checked; the \
             default mode reads files under `tests/` and `benches/` but does not parse them).\n\n\
             | app | commit | .rs files | .rs lines | linted files | linted lines | findings | by rule | tp | fp | debatable | untriaged | parse errors | time | peak |\n\
             |---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for (app, run) in self.apps.iter().zip(self.runs) {
            let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
            let mut counts = Counts::default();
            let mut untriaged = 0;
            for r in &run.findings {
                *by_rule.entry(r.rule.as_str()).or_default() += 1;
                match self.labels.get(&r.key).filter(|e| e.rule == r.rule) {
                    Some(e) => counts.add(&e.verdict),
                    None => untriaged += 1,
                }
            }
            let by_rule: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {untriaged} | {} | {:.2} s | {:.0} MiB |",
                app.name,
                app.commit,
                app.rs_files,
                app.rs_lines,
                run.files,
                run.lines,
                run.findings.len(),
                by_rule.join(", "),
                counts.tp,
                counts.fp,
                counts.debatable,
                run.errors.len(),
                run.seconds,
                mib(run.peak_kib)
            );
        }
        let baseline = self.runs.iter().map(|r| r.baseline_kib).max().unwrap_or(0);
        let _ = writeln!(
            out,
            "\nNotes: a child's baseline before linting is at most {:.1} MiB. The speed line \
             compares two more children, each the best of the runs made: the floor reads and \
             `syn::parse_file`s every `.rs` file of every application (test code included) on \
             all cores with the engine's stack size, and the full lint runs `connlint A B ..` \
             over all applications in one process (default mode). Both share the machine with \
             whatever else runs: take the ratio of a quiet run (`--rounds N` keeps the best of N).",
            mib(baseline)
        );
        out.push_str("\n## Findings\n\n");
        let mut current = "";
        for r in self.rows {
            let app = r.path.split('/').next().unwrap_or("");
            if app != current {
                let _ = writeln!(out, "\n### {app}\n");
                current = app;
            }
            let verdict = self
                .labels
                .get(&r.key)
                .filter(|e| e.rule == r.rule)
                .map(|e| format!("{}: {}", e.verdict.to_uppercase(), e.reason))
                .unwrap_or_else(|| "UNTRIAGED".into());
            let rule = match &r.pattern {
                Some(p) if !r.default_on => format!("{}/{p} (pedantic)", r.rule),
                Some(p) => format!("{}/{p}", r.rule),
                None => r.rule.clone(),
            };
            let _ = writeln!(
                out,
                "- `{}:{}` {rule}: {}\n  - key `{}`\n  - {verdict}",
                r.path, r.line, r.message, r.key
            );
        }
        out.push_str("\n## Parse errors\n\n");
        for run in self.runs {
            for (path, message) in &run.errors {
                let _ = writeln!(out, "- `{path}`: {message}");
            }
        }
        if !self.outcome.stale.is_empty() {
            out.push_str("\n## Labels without a finding\n\n");
            for key in &self.outcome.stale {
                let _ = writeln!(out, "- `{key}` ({})", self.labels[key].verdict);
            }
        }
        out
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
