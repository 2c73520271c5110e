//! The front door: runs a unit of analysis (a crate today, a workspace
//! soon) through parse, index, summaries and checks.

pub mod registry;

use std::collections::HashMap;
use std::sync::Arc;

use crate::facts::selection::{file_words, summaries, FileWords, Selection};
use crate::finding::Finding;
use crate::function::walk;
use crate::index::crate_index::CrateIndex;
use crate::index::decls::FileDecls;
use crate::names::model::Models;
use crate::rules::Rule;
use crate::syntax::lex::ParseError;
use crate::syntax::source::ParsedFile;

/// Which rules run and on what.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub rules: Vec<&'static Rule>,
    /// Also check test code (`#[cfg(test)]`, `#[test]`, `tests/`).
    pub include_tests: bool,
    /// The deep tier's facts, by canonical file path.
    pub facts: Option<Arc<FactsTable>>,
    /// Analyse every function in the summary step instead of only those
    /// reachable from database names (see [`selection`]): slower, for
    /// checking that the selection loses nothing.
    pub exhaustive_summaries: bool,
}

impl CheckOptions {
    /// Whether the summary step must analyse every function: asked for, or
    /// the deep tier's types reach functions that name nothing.
    pub fn exhaustive(&self) -> bool {
        self.exhaustive_summaries || self.facts.is_some()
    }

    /// Whether a file is parsed at all. A file that is all test code
    /// (`tests/`, `benches/`) is not when tests are left out: nothing in it
    /// is checked, and nothing outside it can use what it declares, since
    /// cargo builds each such file as a crate of its own. Its syntax errors
    /// are rustc's to report.
    pub fn parses(&self, is_test: bool) -> bool {
        self.include_tests || !is_test
    }
}

/// Facts of every file the deep tier compiled, by canonical path.
pub type FactsTable = HashMap<std::path::PathBuf, Arc<crate::names::deep::FileFacts>>;

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

/// Step 1: what a file declares.
pub fn declarations(file: &ParsedFile, crate_name: &str) -> FileDecls {
    crate::index::decls::file_decls(file, crate_name)
}

/// Step 3: the findings of the selected rules in one file, sorted by
/// position. `words` tells which functions the summary step found worth
/// checking.
pub fn check(
    file: &ParsedFile,
    index: &CrateIndex,
    options: &CheckOptions,
    words: &FileWords,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut visit = |cx: &crate::function::context::FnContext<'_>| {
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

/// A source file handed to [`analyze_crate`].
pub struct SourceInput {
    pub text: String,
    /// Module path inside the crate (`["db"]` for `src/db.rs`).
    pub module: Vec<String>,
    pub is_test: bool,
}

/// The result of [`analyze_crate`]: findings, and the files that could not
/// be parsed (by input index). A function body the analysis needed that
/// does not parse fails its file too (see [`ParsedFile::body`]).
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
        if !options.parses(input.is_test) {
            continue;
        }
        match ParsedFile::parse(id, input.text, input.module, input.is_test) {
            Ok(file) => parsed.push(file),
            Err(error) => report.errors.push((id, error)),
        }
    }
    let decls = parsed.iter().map(|f| declarations(f, crate_name)).collect();
    let mut index = CrateIndex::new(crate_name, models, decls);
    let mut selection = Selection::new(&index);
    let mut words: Vec<FileWords> = if options.exhaustive() {
        parsed.iter().map(|_| FileWords::default()).collect()
    } else {
        parsed
            .iter()
            .map(|f| file_words(f, &index, &selection, options.include_tests))
            .collect()
    };
    let mut names = selection.start_summaries(&index, options.exhaustive());
    while !names.is_empty() {
        let round = parsed
            .iter()
            .zip(&mut words)
            .map(|(f, w)| summaries(f, &index, w, &names))
            .collect();
        names = selection.add_summaries(&mut index, round);
    }
    selection.finish_summaries(&mut index);
    for (file, words) in parsed.iter().zip(&words) {
        let findings = check(file, &index, options, words);
        match file.body_errors().into_iter().next() {
            Some(error) => report.errors.push((file.id, error)),
            None => report.findings.extend(findings),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_file_is_parsed_only_when_tests_are_checked() {
        let broken = || SourceInput {
            text: "struct Broken {\n    x: ,\n}\n".into(),
            module: Vec::new(),
            is_test: true,
        };
        let models = Arc::new(Models::builtin());
        let report = analyze_crate(
            "it",
            models.clone(),
            vec![broken()],
            &CheckOptions::default(),
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let options = CheckOptions {
            include_tests: true,
            ..CheckOptions::default()
        };
        let report = analyze_crate("it", models, vec![broken()], &options);
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    }
}
