//! connlint: finds database-connection lifecycle bugs in Rust code.
//!
//! The library runs the whole pipeline, one module per stage:
//! [`discover`] finds files and groups them into crates, [`engine`] parses
//! and checks them in parallel with the rules of `connlint-rules`,
//! [`suppress`] applies `// connlint: allow(..)` comments, [`baseline`]
//! drops accepted findings and [`render`] prints a report. The binaries
//! `connlint` and `cargo-connlint` are thin wrappers around [`cli`].
//!
//! ```
//! let text = "fn f(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
//!     let tx = conn.transaction()?;
//!     tx.execute(\"DELETE FROM a\", [])?;
//!     Ok(())
//! }";
//! let report = connlint::lint_source("store.rs", text, &connlint::Options::default());
//! assert_eq!(report.files_scanned, 1);
//! for (path, finding) in report.iter() {
//!     println!("{path}:{}: {}", finding.range.start.line, finding.message);
//! }
//! ```

pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod discover;
pub mod engine;
mod error;
pub mod fix;
pub mod render;
pub mod suppress;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use catalog::RuleSet;
pub use config::Exclude;
pub use connlint_rules::{Finding, Label, Position, Range, Severity};
pub use engine::{FileError, LintedFile};
pub use error::Error;

use connlint_rules::{CheckOptions, Models};
use engine::{CrateSources, SourceFile};

/// What to check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The rules to report; every rule by default.
    pub rules: RuleSet,
    /// Also check test code (`#[cfg(test)]`, `#[test]`, `tests/`, `benches/`).
    pub include_tests: bool,
    /// Paths the configuration excludes.
    pub exclude: Exclude,
    /// Worker threads; all cores when `None`.
    pub threads: Option<usize>,
    /// The user's own openers, closers and handlers (`[[openers]]` and
    /// friends in `connlint.toml`).
    pub user_model: connlint_rules::UserModel,
    /// Exact types from the deep tier (`--deep`), by canonical file path.
    pub facts: Option<Arc<connlint_rules::FactsTable>>,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Files that were read, parsed and checked.
    pub files_scanned: usize,
    /// The linted files, with their text; [`Finding::file`] indexes them.
    pub files: Vec<LintedFile>,
    /// Findings after suppressions, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Files that could not be linted, and why.
    pub errors: Vec<FileError>,
}

impl Report {
    /// The path of the file a finding is in, as reports show it.
    pub fn path(&self, finding: &Finding) -> &str {
        self.files
            .get(finding.file)
            .map_or("", |file| file.display.as_str())
    }

    /// Each finding with its path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Finding)> {
        self.findings
            .iter()
            .map(|finding| (self.path(finding), finding))
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Lints files and folders, relative to the working directory. Folders are
/// walked for `*.rs` files, respecting `.gitignore` and skipping hidden
/// folders and `target/`. Fails only when a path cannot be read or holds no
/// Rust file; files that do not parse are listed in [`Report::errors`].
pub fn lint_paths(paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let cwd = working_directory()?;
    lint_paths_in(&cwd, paths, options)
}

/// [`lint_paths`] with paths relative to `cwd`, which reports are relative to.
pub fn lint_paths_in(cwd: &Path, paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let found = discover::discover(paths, cwd, &options.exclude)?;
    if found.found == 0 && found.errors.is_empty() {
        return Err(Error::NoRustFiles {
            paths: discover::join_paths(paths),
        });
    }
    Ok(lint_crates(&found.crates, found.errors, options))
}

/// Lints every member of the cargo workspace around `cwd`, each as its own
/// crate (see [`workspace`]).
pub fn lint_workspace(cwd: &Path, options: &Options) -> Result<Report, Error> {
    let found = workspace::discover(cwd, &options.exclude)?;
    if found.found == 0 && found.errors.is_empty() {
        return Err(Error::NoRustFiles {
            paths: cwd.display().to_string(),
        });
    }
    Ok(lint_crates(&found.crates, found.errors, options))
}

/// Lints one file's text, as a crate of its own named after the file.
/// Never fails: a syntax error is listed in [`Report::errors`].
pub fn lint_source(name: &str, text: &str, options: &Options) -> Report {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().replace('-', "_"))
        .unwrap_or_default();
    let file = SourceFile {
        path: PathBuf::from(name),
        display: name.to_string(),
        module: Vec::new(),
        is_test: false,
        text: Some(text.to_string()),
    };
    lint_crates(
        &[CrateSources {
            name: stem,
            files: vec![file],
        }],
        Vec::new(),
        options,
    )
}

/// Runs the engine and applies suppressions.
pub fn lint_crates(
    crates: &[CrateSources],
    mut errors: Vec<FileError>,
    options: &Options,
) -> Report {
    let check = CheckOptions {
        rules: options.rules.analysis_rules(),
        include_tests: options.include_tests,
        facts: options.facts.clone(),
    };
    let models = if options.user_model.is_empty() {
        Models::builtin()
    } else {
        Models::builtin().with_user(&options.user_model)
    };
    let mut output = engine::run(crates, &check, Arc::new(models), options.threads);
    errors.extend(output.errors);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    sort_by_path(&mut output.files, &mut output.findings);
    let findings = suppress::apply(&output.files, output.findings, &options.rules);
    Report {
        files_scanned: output.files.len(),
        files: output.files,
        findings,
        errors,
    }
}

/// Reports list files by path, whatever crate they belong to.
fn sort_by_path(files: &mut Vec<LintedFile>, findings: &mut [Finding]) {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|a, b| files[*a].display.cmp(&files[*b].display));
    let mut new_index = vec![0; files.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    for finding in findings.iter_mut() {
        if let Some(index) = new_index.get(finding.file) {
            finding.file = *index;
        }
    }
    let mut slots: Vec<Option<LintedFile>> = std::mem::take(files).into_iter().map(Some).collect();
    files.extend(order.iter().filter_map(|old| slots[*old].take()));
}

fn working_directory() -> Result<PathBuf, Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: "the working directory".into(),
        source,
    })?;
    Ok(cwd.canonicalize().unwrap_or(cwd))
}
