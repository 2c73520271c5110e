//! connlint: finds database-connection lifecycle bugs in Rust code.
//!
//! # Embedding connlint
//!
//! Three entry points lint code and return a [`Report`] whose
//! [`findings`](Report::findings) are typed values ([`Finding`]: rule name,
//! [`Severity`], [`Range`] with 1-based lines and character columns, message,
//! help, [`Label`]s and an optional [`Suggestion`]):
//!
//! | lint | with |
//! |---|---|
//! | a string | [`lint_source`] |
//! | files and folders | [`lint_paths`], or [`lint_paths_in`] relative to a given folder |
//! | a cargo workspace | [`lint_workspace`] |
//!
//! [`Options`] selects the rules ([`RuleSet`]) and whether test code is
//! linted; `render::render` turns a report into any `--format`, and
//! [`fix::apply`] applies its machine-applicable suggestions. Findings
//! already have the `// connlint: allow(..)` suppressions applied.
//!
//! The `cli` feature (on by default) adds the command line (`cli`), the
//! report formats (`render`) and the binaries. To lint from a program
//! without them, and without clap, codespan-reporting and serde-sarif:
//!
//! ```toml
//! connlint = { version = "0.1", default-features = false }
//! ```
//!
//! ```
//! use connlint::{lint_source, Options, Severity};
//!
//! let text = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
//!     let tx = conn.transaction()?;
//!     tx.execute(\"DELETE FROM sessions\", [])?;
//!     Ok(())
//! }";
//! let report = lint_source("store.rs", text, &Options::default());
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "uncommitted-transaction");
//! assert_eq!(finding.severity, Severity::Error);
//! assert_eq!((finding.range.start.line, finding.range.start.column), (2, 14));
//! assert_eq!(finding.labels[0].message, "dropped here without commit or rollback");
//! for (path, finding) in report.iter() {
//!     println!("{path}:{}: {}", finding.range.start.line, finding.message);
//! }
//! ```
//!
//! # Pipeline
//!
//! The library runs the whole pipeline, one module per stage:
//! [`discover`] finds files and groups them into crates, [`engine`] parses
//! and checks them in parallel with the rules of `connlint-rules`,
//! [`suppress`] applies `// connlint: allow(..)` comments, [`baseline`]
//! drops accepted findings and `render` prints a report. The binaries
//! `connlint` and `cargo-connlint` are thin wrappers around `cli`.

pub mod baseline;
pub mod catalog;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod deep;
pub mod discover;
pub mod engine;
mod error;
pub mod fix;
pub mod layout;
pub mod manifest;
mod module_tree;
#[cfg(feature = "cli")]
pub mod render;
pub mod suppress;
pub mod workspace;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use catalog::RuleSet;
pub use config::Exclude;
pub use connlint_rules::{Applicability, Finding, Label, Position, Range, Severity, Suggestion};
pub use engine::{CrateSources, FileError, LintedFile};
pub use error::Error;

use connlint_rules::{CheckOptions, Models};
use engine::{SourceFile, WorkspaceSources};

/// What to check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The rules to report; every rule by default.
    pub rules: RuleSet,
    /// Also check test code (`#[cfg(test)]`, `#[test]`, `tests/`, `benches/`).
    /// Without it, files under `tests/` and `benches/` are not even parsed
    /// (see [`CheckOptions::parses`](connlint_rules::CheckOptions::parses)).
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
    /// Summarise every function, not only those reachable from database
    /// names: slower, for checking that the selection loses nothing.
    pub exhaustive_summaries: bool,
}

impl Options {
    /// The options a configuration sets, with no command-line flag.
    pub fn from_config(config: &config::Config) -> Result<Options, Error> {
        let settings = &config.settings;
        let [select, extend_select, ignore, extend_ignore] =
            ["select", "extend-select", "ignore", "extend-ignore"].map(|key| config.origin(key));
        fn names<'a>(list: &'a Option<Vec<String>>, origin: &'a str) -> Option<catalog::Names<'a>> {
            list.as_deref()
                .map(|names| catalog::Names { names, origin })
        }
        let lists = catalog::RuleLists {
            select: names(&settings.select, &select),
            extend_select: names(&settings.extend_select, &extend_select)
                .into_iter()
                .collect(),
            ignore: names(&settings.ignore, &ignore),
            extend_ignore: names(&settings.extend_ignore, &extend_ignore)
                .into_iter()
                .collect(),
        };
        Ok(Options {
            rules: RuleSet::from_lists(&lists)?,
            include_tests: settings.include_tests.unwrap_or(false),
            exclude: config.exclude()?,
            user_model: config.user_model()?,
            ..Options::default()
        })
    }
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

    /// How many files have findings.
    pub fn files_with_findings(&self) -> usize {
        let files: HashSet<usize> = self.findings.iter().map(|f| f.file).collect();
        files.len()
    }

    /// Keeps the files for which `keep` holds and their findings.
    pub fn retain_files(&mut self, keep: impl Fn(&LintedFile) -> bool) {
        let mut new_index = Vec::with_capacity(self.files.len());
        let mut kept = 0;
        for file in &self.files {
            new_index.push(keep(file).then(|| {
                kept += 1;
                kept - 1
            }));
        }
        self.findings.retain_mut(
            |finding| match new_index.get(finding.file).copied().flatten() {
                Some(index) => {
                    finding.file = index;
                    true
                }
                None => false,
            },
        );
        let mut index = 0;
        self.files.retain(|_| {
            index += 1;
            new_index[index - 1].is_some()
        });
        self.files_scanned = self.files.len();
    }

    /// One report of several (linted with different configurations), with
    /// `errors` (files that could not be found) added; sorted by path.
    pub fn merge(reports: Vec<Report>, errors: Vec<FileError>) -> Report {
        let mut out = Report {
            errors,
            ..Report::default()
        };
        for report in reports {
            let offset = out.files.len();
            out.files_scanned += report.files_scanned;
            out.files.extend(report.files);
            out.findings
                .extend(report.findings.into_iter().map(|mut f| {
                    f.file += offset;
                    f
                }));
            out.errors.extend(report.errors);
        }
        out.errors.sort_by(|a, b| a.path.cmp(&b.path));
        sort_by_path(&mut out.files, &mut out.findings);
        out.findings
            .sort_by(|a, b| (a.file, a.range, a.rule).cmp(&(b.file, b.range, b.rule)));
        out
    }
}

/// Lints files and folders, relative to the working directory. Folders are
/// walked for `*.rs` files, respecting `.gitignore` and skipping hidden
/// folders and `target/`. A file inside a cargo package is checked with the
/// rest of its package as context, and only the given files are reported
/// on: a helper in one file is understood where another calls it, and a
/// handler whose router is in another file is known as a handler. Fails
/// only when the paths hold no Rust file at all ([`Error::NoRustFiles`]);
/// paths that do not exist, files that are not `.rs` and files that do not
/// parse are listed in [`Report::errors`] and the others are still linted.
///
/// See [`lint_paths_in`] for an example.
pub fn lint_paths(paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let cwd = working_directory()?;
    lint_paths_in(&cwd, paths, options)
}

/// [`lint_paths`] with paths relative to `cwd`, which reports are relative to.
///
/// ```
/// use std::path::PathBuf;
///
/// let dir = tempfile::tempdir()?;
/// std::fs::write(
///     dir.path().join("save.rs"),
///     "fn save(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
///     conn.execute(\"INSERT INTO a VALUES (1)\", [])?;
///     conn.execute(\"INSERT INTO b VALUES (2)\", [])?;
///     Ok(())
/// }",
/// )?;
/// std::fs::write(dir.path().join("broken.rs"), "fn broken( {")?;
/// let paths = [PathBuf::from("save.rs"), PathBuf::from("broken.rs"), PathBuf::from("nope.rs")];
/// let report = connlint::lint_paths_in(dir.path(), &paths, &Default::default())?;
/// let found: Vec<(&str, &str, usize)> = report
///     .iter()
///     .map(|(path, f)| (path, f.rule, f.range.start.line))
///     .collect();
/// assert_eq!(found, [("save.rs", "write-outside-transaction", 2)]);
/// // A file that does not parse, and a path that does not exist, are
/// // listed; the rest is still linted.
/// assert_eq!(report.errors[0].path, "broken.rs");
/// assert_eq!(report.errors[1].path, "nope.rs");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint_paths_in(cwd: &Path, paths: &[PathBuf], options: &Options) -> Result<Report, Error> {
    let found = discover::discover(paths, cwd, &options.exclude);
    if found.found == 0 && found.errors.is_empty() {
        return Err(Error::NoRustFiles {
            paths: discover::join_paths(paths),
        });
    }
    let errors = found.errors.clone();
    let report = lint_in_context(found, options);
    Ok(Report::merge(vec![report], errors))
}

/// Lints every member of the cargo workspace around `cwd`, each as its own
/// crate (see [`workspace`]), as `cargo connlint --workspace` does. Paths
/// are relative to the workspace root. Runs `cargo metadata`, so cargo must
/// be installed; outside a workspace it fails with [`Error::CargoMetadata`].
///
/// ```
/// let dir = tempfile::tempdir()?;
/// std::fs::write(
///     dir.path().join("Cargo.toml"),
///     "[package]\nname = \"store\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
/// )?;
/// std::fs::create_dir(dir.path().join("src"))?;
/// std::fs::write(
///     dir.path().join("src/lib.rs"),
///     "pub fn close(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
///     let tx = conn.transaction()?;
///     tx.execute(\"DELETE FROM a\", [])?;
///     let _ = tx.commit();
///     Ok(())
/// }",
/// )?;
/// let report = connlint::lint_workspace(dir.path(), &connlint::Options::default())?;
/// let (path, finding) = report.iter().next().expect("one finding");
/// assert_eq!(path, "src/lib.rs");
/// assert_eq!(finding.rule, "discarded-commit-error");
/// let fix = finding.suggestion.as_ref().expect("a suggested edit");
/// assert_eq!(fix.replacement, "tx.commit()?;");
/// assert_eq!(fix.applicability, connlint::Applicability::MachineApplicable);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lint_workspace(cwd: &Path, options: &Options) -> Result<Report, Error> {
    let selection = workspace::Selection::workspace();
    let (found, root) = workspace::discover(cwd, &options.exclude, &selection)?;
    if found.found == 0 && found.errors.is_empty() {
        return Err(Error::NoRustFiles {
            paths: root.display().to_string(),
        });
    }
    let errors = found.errors.clone();
    let report = lint_in_context(found, options);
    Ok(Report::merge(vec![report], errors))
}

/// Lints what discovery found: its workspaces are whole, the files given
/// reported, the others read as context (see [`layout`]).
pub fn lint_in_context(found: discover::Discovery, options: &Options) -> Report {
    lint_workspaces(&found.workspaces, Vec::new(), options)
}

/// Lints one file's text, as a crate of its own named after the file.
/// Never fails: a syntax error is listed in [`Report::errors`].
///
/// ```
/// use connlint::{lint_source, Options, RuleSet};
///
/// let text = "fn f(conn: &mut rusqlite::Connection) {
///     let tx = conn.transaction().unwrap();
///     tx.execute(\"DELETE FROM a\", []).unwrap();
/// }";
/// let report = lint_source("f.rs", text, &Options::default());
/// assert_eq!(report.findings.len(), 1);
///
/// // Only some rules, selected by name.
/// let names = ["write-outside-transaction"];
/// let only = Options { rules: RuleSet::new(Some(&names), &[])?, ..Options::default() };
/// assert!(lint_source("f.rs", text, &only).findings.is_empty());
///
/// let broken = lint_source("broken.rs", "fn broken( {", &Options::default());
/// assert_eq!(broken.files_scanned, 0);
/// assert_eq!(broken.errors[0].path, "broken.rs");
/// # Ok::<(), connlint::Error>(())
/// ```
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
        report: true,
        text: Some(text.to_string()),
    };
    let krate = CrateSources {
        name: stem,
        files: vec![file],
        ..CrateSources::default()
    };
    lint_workspaces(&[WorkspaceSources::of_crate(krate)], Vec::new(), options)
}

/// Runs the engine and applies suppressions.
pub fn lint_workspaces(
    workspaces: &[WorkspaceSources],
    mut errors: Vec<FileError>,
    options: &Options,
) -> Report {
    let check = CheckOptions {
        rules: options.rules.analysis_rules(),
        include_tests: options.include_tests,
        facts: options.facts.clone(),
        exhaustive_summaries: options.exhaustive_summaries,
    };
    let models = if options.user_model.is_empty() {
        Models::builtin()
    } else {
        Models::builtin().with_user(&options.user_model)
    };
    let mut output = engine::run(workspaces, &check, Arc::new(models), options.threads);
    errors.extend(output.errors);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    sort_by_path(&mut output.files, &mut output.findings);
    let test_files: HashSet<PathBuf> = workspaces
        .iter()
        .flat_map(|w| &w.crates)
        .flat_map(|c| &c.files)
        .filter(|f| f.is_test)
        .map(|f| f.path.clone())
        .collect();
    let checked = suppress::Checked {
        rules: &options.rules,
        include_tests: options.include_tests,
        test_files: &test_files,
    };
    let findings = suppress::apply(&output.files, output.findings, &checked);
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
