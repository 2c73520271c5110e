//! The steps of an analysis, spread over worker threads.
//!
//! syn trees are not `Send` and proc-macro2 keeps span positions in a
//! thread-local table, so a file is parsed, summarised and checked on one
//! thread. Each worker takes the next file, largest first, whenever it is
//! free, and the steps are separated by barriers: parse, declare and
//! collect the words of each function; build the indexes; rounds of
//! summarising, each closed by solving the summaries and choosing the next
//! round's functions; check. Work on a whole workspace (an index, a solve)
//! falls to the worker whose number is the workspace's modulo the worker
//! count, so workspaces are handled in parallel between barriers.
//!
//! Memory: a syn tree takes ten to thirty times its source's size, and a
//! workspace can be a generated crate of a hundred megabytes. What the
//! later steps need of every file (its declarations, the words of its
//! functions) is taken right after parsing, so a file's tree is kept only
//! while the run holds less than [`KEEP_SOURCE_BYTES`] of kept source; the
//! tree of any other file is dropped at once and parsed again if and when
//! a summary round selects one of its functions. Peak memory then grows
//! with what the analysis needs (the index, the words, the files that
//! matter), not with the size of the tree.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::analysis::{check, CheckOptions, FileOutcome, Sources, WorkspaceInput};
use crate::facts::selection::{
    file_words, summaries, word_prefixes, FileSummaries, FileWords, Names, Selection,
};
use crate::index::decls::CrateMeta;
use crate::index::decls::{file_decls, FileDecls};
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::deep::FileFacts;
use crate::names::model::Models;
use crate::syntax::source::ParsedFile;

/// One file as the workers see it.
struct Job {
    id: usize,
    workspace: usize,
    krate: usize,
    module: Vec<String>,
    is_test: bool,
    report: bool,
    size: u64,
    facts: Option<Arc<FileFacts>>,
}

/// What the steps of one workspace share between workers.
#[derive(Default)]
struct WorkspaceState {
    crates: Vec<CrateMeta>,
    /// By file id: the index is built in file order, whichever worker
    /// parsed what.
    decls: Mutex<Vec<Declared>>,
    index: RwLock<Option<WorkspaceIndex>>,
    selection: RwLock<Option<Selection>>,
    /// What selects the next round of summaries.
    names: RwLock<Names>,
    summaries: Mutex<Vec<FileSummaries>>,
}

/// Source bytes whose parsed trees a run keeps from the parse step on;
/// the trees of other files are dropped after parsing and parsed again only
/// if a summary round needs them. Within it, a run over many small
/// workspaces (the engine gives the analysis about 4 MB of source at a
/// time) parses each file once, as before.
pub const KEEP_SOURCE_BYTES: u64 = 4 << 20;

/// A run of the analysis over some workspaces on a fixed number of
/// workers. Every worker calls [`Analysis::work`] with its own number,
/// all at once: they meet at barriers between the steps.
pub struct Analysis<'r> {
    options: &'r CheckOptions,
    models: Arc<Models>,
    sources: &'r dyn Sources,
    workers: usize,
    barrier: Barrier,
    /// Files not taken yet, largest first.
    queue: Mutex<std::vec::IntoIter<Job>>,
    workspaces: Vec<WorkspaceState>,
    /// Glob prefixes of model names, for the words.
    prefixes: Vec<(String, u64)>,
    /// Source bytes of the trees kept so far.
    kept: AtomicU64,
}

/// What a parsed file brings to its workspace's index.
struct Declared {
    id: usize,
    krate: usize,
    decls: FileDecls,
    facts: Option<Arc<FileFacts>>,
}

/// A file a worker parsed, until it is checked.
struct Parsed {
    id: usize,
    workspace: usize,
    module: Vec<String>,
    is_test: bool,
    report: bool,
    /// `None` when the tree was dropped after parsing: parsed again when a
    /// step needs it.
    file: Option<ParsedFile>,
    words: FileWords,
}

impl<'r> Analysis<'r> {
    /// Prepares a run of `workers` workers (at least one).
    pub fn new(
        workspaces: Vec<WorkspaceInput>,
        options: &'r CheckOptions,
        models: Arc<Models>,
        workers: usize,
        sources: &'r dyn Sources,
    ) -> Analysis<'r> {
        let workers = workers.max(1);
        let mut jobs = Vec::new();
        let mut states = Vec::new();
        for (w, workspace) in workspaces.into_iter().enumerate() {
            let mut state = WorkspaceState::default();
            for (k, krate) in workspace.crates.into_iter().enumerate() {
                state.crates.push(krate.meta());
                for file in krate.files {
                    jobs.push(Job {
                        id: file.id,
                        workspace: w,
                        krate: k,
                        module: file.module,
                        is_test: file.is_test,
                        report: file.report,
                        size: file.size,
                        facts: file.facts,
                    });
                }
            }
            states.push(state);
        }
        // Largest first, so that the last files taken are small and the
        // workers finish together.
        jobs.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        Analysis {
            prefixes: word_prefixes(&models),
            options,
            models,
            sources,
            workers,
            barrier: Barrier::new(workers),
            queue: Mutex::new(jobs.into_iter()),
            workspaces: states,
            kept: AtomicU64::new(0),
        }
    }

    /// The workspaces worker `me` does whole-workspace work for.
    fn mine(&self, me: usize) -> impl Iterator<Item = &WorkspaceState> {
        self.workspaces.iter().skip(me).step_by(self.workers)
    }

    fn index(&self, workspace: usize) -> RwLockReadGuard<'_, Option<WorkspaceIndex>> {
        self.workspaces[workspace].index.read().expect("index lock")
    }

    fn index_mut(state: &WorkspaceState) -> RwLockWriteGuard<'_, Option<WorkspaceIndex>> {
        state.index.write().expect("index lock")
    }

    /// The files that could not be taken by anyone: a caller that failed to
    /// start all its workers reports them instead of calling `work`.
    pub fn untaken(self) -> Vec<usize> {
        let queue = self.queue.into_inner().expect("queue lock");
        queue.map(|job| job.id).collect()
    }

    /// The work of worker `me`: every step for the files it takes. Returns
    /// the outcome of each of them, by file id.
    pub fn work(&self, me: usize) -> Vec<(usize, FileOutcome)> {
        let mut outcomes = Vec::new();
        let mut parsed = self.parse_step(&mut outcomes);

        self.barrier.wait();
        for state in self.mine(me) {
            self.build_index(state);
        }
        self.barrier.wait();

        // Only reads the index, which the rounds change only after their
        // first barrier: no barrier between.
        self.words_step(&mut parsed);
        self.summary_rounds(me, &mut parsed);

        outcomes.extend(self.check_step(&mut parsed));
        // Indexes hold many small allocations: free them in parallel too.
        self.barrier.wait();
        for state in self.mine(me) {
            drop(Self::index_mut(state).take());
        }
        crate::syntax::source::release_thread_spans();
        outcomes
    }

    /// Step 1: read, parse and collect declarations of every file taken.
    fn parse_step(&self, outcomes: &mut Vec<(usize, FileOutcome)>) -> Vec<Parsed> {
        let mut parsed = Vec::new();
        loop {
            let next = self.queue.lock().expect("queue lock").next();
            let Some(job) = next else {
                break;
            };
            let text = match self.sources.read(job.id) {
                Ok(text) => text,
                Err(message) => {
                    outcomes.push((job.id, FileOutcome::Failed(message)));
                    continue;
                }
            };
            if !self.options.parses(job.is_test) {
                let outcome = match job.report {
                    true => FileOutcome::Checked {
                        text,
                        findings: Vec::new(),
                    },
                    false => FileOutcome::Context,
                };
                outcomes.push((job.id, outcome));
                continue;
            }
            let state = &self.workspaces[job.workspace];
            let krate = &state.crates[job.krate];
            let step = catch_unwind(AssertUnwindSafe(|| {
                ParsedFile::parse(job.id, text, job.module.clone(), job.is_test).map(|file| {
                    let decls = file_decls(&file, krate);
                    (file, decls)
                })
            }));
            match step {
                Ok(Ok((file, decls))) => {
                    state.decls.lock().expect("decls lock").push(Declared {
                        id: job.id,
                        krate: job.krate,
                        decls,
                        facts: job.facts.clone(),
                    });
                    // Without words the file is analysed whole: slower, not
                    // wrong.
                    let words = match self.options.exhaustive() {
                        true => FileWords::default(),
                        false => catch_unwind(AssertUnwindSafe(|| {
                            file_words(&file, krate, &self.prefixes, self.options.include_tests)
                        }))
                        .unwrap_or_default(),
                    };
                    // A file analysed whole needs its tree in every step.
                    let keep = !words.collected() || self.keep(job.size);
                    parsed.push(Parsed {
                        id: job.id,
                        workspace: job.workspace,
                        module: job.module,
                        is_test: job.is_test,
                        report: job.report,
                        file: keep.then_some(file),
                        words,
                    });
                }
                Ok(Err(error)) => outcomes.push((
                    job.id,
                    FileOutcome::Failed(format!("cannot parse: {error}")),
                )),
                Err(panic) => outcomes.push((
                    job.id,
                    FileOutcome::Failed(format!(
                        "internal error while parsing (please report): {}",
                        panic_message(panic)
                    )),
                )),
            }
        }
        parsed
    }

    /// Whether the tree of a file of `size` bytes is kept: while the trees
    /// kept hold less than [`KEEP_SOURCE_BYTES`] of source.
    fn keep(&self, size: u64) -> bool {
        self.kept
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |kept| {
                (kept + size <= KEEP_SOURCE_BYTES).then_some(kept + size)
            })
            .is_ok()
    }

    /// The tree of `p`, parsed again if it was dropped; `None` if the file
    /// can no longer be read or parsed (it changed during the run).
    fn tree<'p>(&self, p: &'p mut Parsed) -> Option<&'p ParsedFile> {
        if p.file.is_none() {
            let text = self.sources.read(p.id).ok()?;
            let again = catch_unwind(AssertUnwindSafe(|| {
                ParsedFile::parse(p.id, text, p.module.clone(), p.is_test)
            }));
            p.file = again.ok()?.ok();
        }
        p.file.as_ref()
    }

    /// Merges a workspace's declarations into its index.
    fn build_index(&self, state: &WorkspaceState) {
        let mut declared = std::mem::take(&mut *state.decls.lock().expect("decls lock"));
        declared.sort_by_key(|d| d.id);
        let mut facts = Vec::new();
        let decls = declared
            .into_iter()
            .map(|d| {
                facts.extend(d.facts.map(|f| (d.id, f)));
                (d.id, d.krate, d.decls)
            })
            .collect();
        let mut index = WorkspaceIndex::new(self.models.clone(), state.crates.clone(), decls);
        for (id, file_facts) in facts {
            index.set_deep_facts(id, file_facts);
        }
        let mut selection = Selection::default();
        *state.names.write().expect("names lock") =
            selection.start_summaries(&index, self.options.exhaustive());
        *state.selection.write().expect("selection lock") = Some(selection);
        *Self::index_mut(state) = Some(index);
    }

    /// What the words of each file this worker parsed could not know
    /// before the index: whether a parent module makes it test code.
    fn words_step(&self, parsed: &mut [Parsed]) {
        for p in parsed {
            let index = self.index(p.workspace);
            if index
                .as_ref()
                .is_some_and(|index| index.in_test_module(p.id, &p.module))
            {
                p.words.in_tests();
            }
        }
    }

    /// Step 2: function summaries, in rounds (see the selection). Every
    /// worker reads the same names after each barrier, so all leave the
    /// loop together.
    fn summary_rounds(&self, me: usize, parsed: &mut [Parsed]) {
        loop {
            let done = self
                .workspaces
                .iter()
                .all(|w| w.names.read().expect("names lock").is_empty());
            if done {
                break;
            }
            for p in parsed.iter_mut() {
                let state = &self.workspaces[p.workspace];
                let names = state.names.read().expect("names lock");
                let index = self.index(p.workspace);
                let Some(index) = index.as_ref().filter(|_| !names.is_empty()) else {
                    continue;
                };
                // Most files have nothing to analyse in most rounds: their
                // trees are not even needed.
                if !p.words.any_selected(&names) {
                    continue;
                }
                let mut words = std::mem::take(&mut p.words);
                let Some(file) = self.tree(p) else {
                    p.words = words;
                    continue;
                };
                // A panic here loses only this file's summaries; the check
                // step reports the file if it fails again.
                let found = catch_unwind(AssertUnwindSafe(|| {
                    summaries(file, index, &mut words, &names)
                }));
                p.words = words;
                if let Ok(found) = found {
                    state.summaries.lock().expect("summaries lock").push(found);
                }
            }
            self.barrier.wait();
            for state in self.mine(me) {
                let mut names = state.names.write().expect("names lock");
                if names.is_empty() {
                    continue;
                }
                let found = std::mem::take(&mut *state.summaries.lock().expect("summaries lock"));
                let mut selection = state.selection.write().expect("selection lock");
                if let (Some(index), Some(selection)) =
                    (Self::index_mut(state).as_mut(), selection.as_mut())
                {
                    *names = selection.add_summaries(index, found);
                }
            }
            self.barrier.wait();
        }
        for state in self.mine(me) {
            let selection = state.selection.read().expect("selection lock");
            if let (Some(index), Some(selection)) =
                (Self::index_mut(state).as_mut(), selection.as_ref())
            {
                selection.finish_summaries(index);
            }
        }
        self.barrier.wait();
    }

    /// Step 3: the rules, on every reported file this worker parsed.
    fn check_step(&self, parsed: &mut Vec<Parsed>) -> Vec<(usize, FileOutcome)> {
        let mut out = Vec::new();
        for mut p in parsed.drain(..) {
            if !p.report {
                out.push((p.id, FileOutcome::Context));
                continue;
            }
            let index = self.index(p.workspace);
            // A dropped tree that no round needed has nothing to check:
            // only its text is wanted, for the report.
            let nothing = p.file.is_none()
                && index
                    .as_ref()
                    .and_then(|index| p.words.to_check(index))
                    .is_some_and(|keys| keys.is_empty());
            if nothing {
                let outcome = match self.sources.read(p.id) {
                    Ok(text) => FileOutcome::Checked {
                        text,
                        findings: Vec::new(),
                    },
                    Err(message) => FileOutcome::Failed(message),
                };
                out.push((p.id, outcome));
                continue;
            }
            let words = std::mem::take(&mut p.words);
            let Some(file) = self.tree(&mut p) else {
                let message = "file changed while it was linted".to_string();
                out.push((p.id, FileOutcome::Failed(message)));
                continue;
            };
            let checked = catch_unwind(AssertUnwindSafe(|| match index.as_ref() {
                Some(index) => check(file, index, self.options, &words),
                None => panic!("no index for the file's workspace"),
            }));
            let Some(mut file) = p.file.take() else {
                continue;
            };
            let text = std::mem::take(&mut file.text);
            // A function body that a step asked for and that does not parse
            // fails the file, as a file that does not parse does.
            let body_error = file.body_errors().into_iter().next();
            let outcome = match (checked, body_error) {
                (Ok(_), Some(error)) => FileOutcome::Failed(format!("cannot parse: {error}")),
                (Ok(findings), None) => FileOutcome::Checked { text, findings },
                (Err(panic), _) => FileOutcome::Failed(format!(
                    "internal error while checking (please report): {}",
                    panic_message(panic)
                )),
            };
            out.push((p.id, outcome));
        }
        out
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
