//! The analysis behind connlint: API models of database crates, a crate-wide
//! index with function summaries, and one module per rule. No I/O and no
//! rendering: callers hand in source text and get [`Finding`]s back.
//!
//! Analysing a crate takes three steps per file, because syn trees must stay
//! on the thread that parsed them (see [`source`]):
//!
//! 1. [`ParsedFile::parse`] then [`declarations`] on each file (parallel);
//! 2. [`CrateIndex::new`] over all declarations, then [`summaries`] on each
//!    file (parallel) and [`CrateIndex::add_summaries`];
//! 3. [`check`] on each file (parallel).
//!
//! [`analyze_crate`] runs the three steps on one thread, for tests and small
//! inputs.

pub mod context;
pub mod facts;
pub mod finding;
pub mod flow;
pub mod functions;
pub mod handlers;
pub mod index;
pub mod macros;
pub mod model;
pub mod moves;
pub mod opens;
pub mod registry;
mod report;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod sql;
pub mod summary;
pub mod ty;
pub mod typing;
pub mod user_model;

use std::collections::HashMap;
use std::sync::Arc;

pub use facts::{CrateFacts, FileFacts};
pub use finding::{Applicability, Finding, Label, Position, Range, Severity, Suggestion};
pub use index::{CrateIndex, FileDecls};
pub use model::Models;
pub use registry::{rule, Rule, RULES};
pub use source::{release_thread_spans, ParseError, ParsedFile, MAX_NESTING, STACK_SIZE};
pub use user_model::UserModel;

use resolve::PathBuf;
use summary::Summary;

/// Which rules run and on what.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub rules: Vec<&'static Rule>,
    /// Also check test code (`#[cfg(test)]`, `#[test]`, `tests/`).
    pub include_tests: bool,
    /// The deep tier's facts, by canonical file path.
    pub facts: Option<Arc<FactsTable>>,
}

/// Facts of every file the deep tier compiled, by canonical path.
pub type FactsTable = HashMap<std::path::PathBuf, Arc<facts::FileFacts>>;

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            rules: RULES.to_vec(),
            include_tests: false,
            facts: None,
        }
    }
}

/// Step 1: what a file declares.
pub fn declarations(file: &ParsedFile, crate_name: &str) -> FileDecls {
    index::file_decls(file, crate_name)
}

/// The summaries of one file's functions and the handlers its routers
/// register, as `Send` data.
pub struct FileSummaries {
    summaries: Vec<(PathBuf, Summary)>,
    handlers: Vec<PathBuf>,
}

/// Step 2: summaries of the functions of one file.
pub fn summaries(file: &ParsedFile, index: &CrateIndex) -> FileSummaries {
    let mut out = FileSummaries {
        summaries: Vec::new(),
        handlers: Vec::new(),
    };
    functions::for_each_fn(file, index, true, &mut |cx| {
        out.handlers.extend(handlers::registrations(cx));
        if let Some(decl) = &cx.decl {
            out.summaries
                .push((decl.key.clone(), summary::local_summary(cx)));
        }
    });
    out
}

impl CrateIndex {
    /// Adds the summaries of every file and solves them to a fixed point.
    pub fn add_summaries(&mut self, files: Vec<FileSummaries>) {
        let mut all: HashMap<PathBuf, Summary> = HashMap::new();
        for file in files {
            all.extend(file.summaries);
            self.handlers.extend(file.handlers);
        }
        summary::solve(&mut all);
        self.transaction_params = summary::always_in_transaction(&all);
        self.summaries = all;
    }
}

/// Step 3: the findings of the selected rules in one file, sorted by
/// position.
pub fn check(file: &ParsedFile, index: &CrateIndex, options: &CheckOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    functions::for_each_relevant_fn(file, index, options.include_tests, &mut |cx| {
        for rule in &options.rules {
            (rule.check)(cx, &mut findings);
        }
    });
    findings.sort_by(|a, b| (a.range, a.rule).cmp(&(b.range, b.rule)));
    findings.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
    findings
}

/// A source file handed to [`analyze_crate`].
pub struct SourceInput {
    pub text: String,
    /// Module path inside the crate (`["db"]` for `src/db.rs`).
    pub module: Vec<String>,
    pub is_test: bool,
}

/// The result of [`analyze_crate`]: findings, and the files that could not
/// be parsed (by input index).
#[derive(Debug, Default)]
pub struct CrateReport {
    pub findings: Vec<Finding>,
    pub errors: Vec<(usize, ParseError)>,
}

/// Runs all three steps on one thread. The caller must call this on a
/// thread with enough stack for deeply nested input (see [`STACK_SIZE`]).
pub fn analyze_crate(
    crate_name: &str,
    models: Arc<Models>,
    files: Vec<SourceInput>,
    options: &CheckOptions,
) -> CrateReport {
    let mut report = CrateReport::default();
    let mut parsed = Vec::new();
    for (id, input) in files.into_iter().enumerate() {
        match ParsedFile::parse(id, input.text, input.module, input.is_test) {
            Ok(file) => parsed.push(file),
            Err(error) => report.errors.push((id, error)),
        }
    }
    let decls = parsed.iter().map(|f| declarations(f, crate_name)).collect();
    let mut index = CrateIndex::new(crate_name, models, decls);
    let sums = parsed.iter().map(|f| summaries(f, &index)).collect();
    index.add_summaries(sums);
    for file in &parsed {
        report.findings.extend(check(file, &index, options));
    }
    report
}
