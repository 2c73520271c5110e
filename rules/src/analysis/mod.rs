//! The front door: [`Analysis`] runs workspaces through every step (parse,
//! index, summaries, checks) on the threads its caller gives it, and
//! [`analyze`] does the same on the calling thread.
//!
//! The unit of analysis is a [`WorkspaceInput`]: the member crates of a
//! cargo workspace (or a single crate, or a lone file), with the names
//! each uses for the others. Its files share one index, so a factory in
//! one member is understood where another member calls it per request,
//! and a helper in one member that only ever receives a transaction from
//! another is inside that transaction. Workspaces share nothing and are
//! analysed side by side.

pub mod registry;
mod worker;

use std::collections::HashMap;
use std::sync::Arc;

use crate::facts::selection::FileWords;
use crate::finding::Finding;
use crate::function::context::FnContext;
use crate::function::walk;
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::attrs::TestFeatures;
use crate::names::deep::FileFacts;
use crate::names::model::Models;
use crate::names::resolve::Externs;
use crate::rules::Rule;
use crate::syntax::source::ParsedFile;

pub use worker::Analysis;

/// Which rules run and on what.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The rules to run.
    pub rules: Vec<&'static Rule>,
    /// Also check test code (`#[cfg(test)]`, `#[test]`, `tests/`).
    pub include_tests: bool,
    /// The deep tier's facts, by canonical file path.
    pub facts: Option<Arc<FactsTable>>,
    /// Analyse every function in the summary step instead of only those
    /// reachable from database names: slower, for checking that the
    /// selection loses nothing.
    pub exhaustive_summaries: bool,
}

impl CheckOptions {
    /// Whether the summary step must analyse every function: asked for, or
    /// the deep tier's types reach functions that name nothing.
    pub fn exhaustive(&self) -> bool {
        self.exhaustive_summaries || self.facts.is_some()
    }

    /// Whether a file is parsed at all. A file that is all test code
    /// (`tests/`, `benches/`, a test target, a test-support member) is not
    /// when tests are left out: nothing in it is checked, and no code
    /// outside tests can use what it declares. Its syntax errors are
    /// rustc's to report.
    pub fn parses(&self, is_test: bool) -> bool {
        self.include_tests || !is_test
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            rules: registry::RULES.to_vec(),
            include_tests: false,
            facts: None,
            exhaustive_summaries: false,
        }
    }
}

/// Facts of every file the deep tier compiled, by canonical path.
pub type FactsTable = HashMap<std::path::PathBuf, Arc<FileFacts>>;

/// A unit of analysis: crates whose files share one index.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceInput {
    /// The member crates.
    pub crates: Vec<CrateInput>,
}

/// A crate of a workspace.
#[derive(Clone, Debug, Default)]
pub struct CrateInput {
    /// The name code uses for it (a package `app-storage` is `app_storage`).
    pub name: String,
    /// The names it gives the crates it depends on, where they differ from
    /// their crate names (`db = { package = "app-storage", .. }`), as
    /// (name in code, crate name).
    pub externs: Vec<(String, String)>,
    /// Features only test builds turn on: code behind `#[cfg(feature =
    /// "..")]` with one of them is test code.
    pub test_features: Vec<String>,
    /// Its files.
    pub files: Vec<FileInput>,
}

/// A file of a crate. Its text comes from the [`Sources`] of the run.
#[derive(Clone, Debug, Default)]
pub struct FileInput {
    /// The file's number in the caller's numbering: outcomes are keyed by
    /// it, and [`Sources::read`] is asked for it.
    pub id: usize,
    /// Module path inside the crate (`["db"]` for `src/db.rs`).
    pub module: Vec<String>,
    /// The whole file is test code (`tests/`, `benches/`, a test target, a
    /// test-support member).
    pub is_test: bool,
    /// Findings in this file are wanted. A file that is not reported is
    /// still read, indexed and summarised, as context for the others.
    pub report: bool,
    /// Its size in bytes, for scheduling: large files are taken first.
    pub size: u64,
    /// What the deep tier's rustc driver resolved in it, if it ran.
    pub facts: Option<Arc<FileFacts>>,
}

/// Where the analysis gets each file's text: the caller's I/O, since this
/// crate does none.
pub trait Sources: Sync {
    /// The text of file `id`, or why it cannot be read.
    fn read(&self, id: usize) -> Result<String, String>;
}

/// Texts held in memory, by file id.
impl Sources for HashMap<usize, String> {
    fn read(&self, id: usize) -> Result<String, String> {
        self.get(&id)
            .cloned()
            .ok_or_else(|| format!("no text for file {id}"))
    }
}

/// What became of one file.
#[derive(Debug)]
pub enum FileOutcome {
    /// Checked (or, for test code left out, only read): its findings,
    /// sorted by position, and its text.
    Checked {
        /// The file's text, for rendering and suppressions.
        text: String,
        /// Its findings.
        findings: Vec<Finding>,
    },
    /// Read and used as context, as asked ([`FileInput::report`] off).
    Context,
    /// Could not be linted; the message says why.
    Failed(String),
}

/// Runs the whole analysis of `workspaces` on the calling thread, which
/// needs a stack of [`STACK_SIZE`](crate::STACK_SIZE) bytes for deeply
/// nested input. Outcomes come in file-id order.
pub fn analyze(
    workspaces: Vec<WorkspaceInput>,
    options: &CheckOptions,
    models: Arc<Models>,
    sources: &dyn Sources,
) -> Vec<(usize, FileOutcome)> {
    let analysis = Analysis::new(workspaces, options, models, 1, sources);
    let mut outcomes = analysis.work(0);
    outcomes.sort_by_key(|(id, _)| *id);
    outcomes
}

impl CrateInput {
    /// What the index keeps of the crate.
    fn meta(&self) -> crate::index::decls::CrateMeta {
        let externs: HashMap<String, String> = self.externs.iter().cloned().collect();
        let test_features: TestFeatures = self.test_features.iter().cloned().collect();
        crate::index::decls::CrateMeta {
            name: self.name.clone(),
            externs: (!externs.is_empty()).then(|| Externs::new(externs)),
            test_features: Arc::new(test_features),
        }
    }
}

/// The findings of the selected rules in one file, sorted by position.
/// `words` tells which functions the summary step found worth checking.
fn check(
    file: &ParsedFile,
    index: &WorkspaceIndex,
    options: &CheckOptions,
    words: &FileWords,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut visit = |cx: &FnContext<'_>| {
        for rule in &options.rules {
            (rule.check)(cx, &mut findings);
        }
    };
    match words.to_check(index) {
        None => walk::for_each_relevant_fn(file, index, options.include_tests, &mut visit),
        Some(keys) if keys.is_empty() => {}
        Some(keys) => walk::walk(
            file,
            index,
            options.include_tests,
            &mut |site| keys.contains(site.key),
            &mut visit,
        ),
    }
    findings.sort_by(|a, b| (a.range, a.rule).cmp(&(b.range, b.rule)));
    findings.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_file(text: &str, is_test: bool) -> (Vec<WorkspaceInput>, HashMap<usize, String>) {
        let file = FileInput {
            id: 0,
            is_test,
            report: true,
            size: text.len() as u64,
            ..FileInput::default()
        };
        let krate = CrateInput {
            name: "it".into(),
            files: vec![file],
            ..CrateInput::default()
        };
        let texts = HashMap::from([(0, text.to_string())]);
        (
            vec![WorkspaceInput {
                crates: vec![krate],
            }],
            texts,
        )
    }

    #[test]
    fn a_test_file_is_parsed_only_when_tests_are_checked() {
        let models = Arc::new(Models::builtin());
        let (input, texts) = one_file("struct Broken {\n    x: ,\n}\n", true);
        let outcomes = analyze(
            input.clone(),
            &CheckOptions::default(),
            models.clone(),
            &texts,
        );
        assert!(
            matches!(outcomes[0].1, FileOutcome::Checked { .. }),
            "{outcomes:?}"
        );
        let options = CheckOptions {
            include_tests: true,
            ..CheckOptions::default()
        };
        let outcomes = analyze(input, &options, models, &texts);
        assert!(
            matches!(outcomes[0].1, FileOutcome::Failed(_)),
            "{outcomes:?}"
        );
    }
}
