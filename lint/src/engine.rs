//! Runs the analysis over many files on threads of its own.
//!
//! The analysis itself (every step, in order) is `connlint-rules`'
//! [`Analysis`]; this module only decides how much runs at once and on
//! which threads. Workspaces share nothing, so they are analysed in batches
//! of bounded source size, each batch released before the next. Workers
//! run on threads with a large stack, so that deeply nested code cannot
//! overflow it, and are joined before the run returns.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use connlint_rules::{
    Analysis, CheckOptions, CrateInput, FileInput, FileOutcome, Finding, Models, Sources,
    WorkspaceInput,
};

/// A file to lint.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as reports show it (relative to the working directory when
    /// inside it).
    pub display: String,
    /// Module path inside the crate.
    pub module: Vec<String>,
    /// The whole file is test code (`tests/`, `benches/`, a test target of
    /// the manifest, a test-support member).
    pub is_test: bool,
    /// Findings in it are reported; a file that is not is read as context
    /// for the others (a member excluded by configuration, the rest of the
    /// package of a file given alone).
    pub report: bool,
    /// Text to lint instead of reading `path` (library callers, stdin).
    pub text: Option<String>,
}

/// The files of one crate, and what the analysis must know of it.
#[derive(Clone, Debug, Default)]
pub struct CrateSources {
    /// The name code uses for the crate.
    pub name: String,
    /// Its names for the crates it depends on where they differ from their
    /// crate names, as (name in code, crate name).
    pub externs: Vec<(String, String)>,
    /// Features only its test builds turn on.
    pub test_features: Vec<String>,
    pub files: Vec<SourceFile>,
}

/// The crates of one cargo workspace (or a single crate or file): they
/// share an index, so a helper defined in one file or member is understood
/// in another.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceSources {
    pub crates: Vec<CrateSources>,
}

impl WorkspaceSources {
    /// A workspace of one crate.
    pub fn of_crate(krate: CrateSources) -> WorkspaceSources {
        WorkspaceSources {
            crates: vec![krate],
        }
    }

    /// Every file of every crate.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.crates.iter().flat_map(|c| c.files.iter())
    }
}

/// A file that could not be linted, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// A file that was read, with its text for rendering and suppressions.
#[derive(Clone, Debug)]
pub struct LintedFile {
    pub path: PathBuf,
    pub display: String,
    /// The file's text where a report may need it: when it has findings or
    /// a suppression comment (`connlint:`). Empty otherwise, so that a run
    /// over a large tree does not hold all of it to the end.
    pub text: String,
    /// Its number of lines.
    pub lines: usize,
}

/// What a run produced. `Finding::file` indexes `files`.
#[derive(Debug, Default)]
pub struct EngineOutput {
    pub files: Vec<LintedFile>,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
}

/// Lints every workspace with `threads` workers (all cores when `None`).
pub fn run(
    workspaces: &[WorkspaceSources],
    options: &CheckOptions,
    models: Arc<Models>,
    threads: Option<usize>,
) -> EngineOutput {
    // Every file of a batch stays parsed until the batch is checked, and a
    // syn tree takes ten to twenty times its source's size: linting a
    // thousand workspaces at once would hold tens of gigabytes. They share
    // nothing, so they are linted in batches of bounded source size.
    let mut output = EngineOutput::default();
    let mut start = 0;
    while start < workspaces.len() {
        let mut end = start;
        let mut size = 0u64;
        while end < workspaces.len()
            && (end == start || size + source_size(&workspaces[end]) <= BATCH_SOURCE_BYTES)
        {
            size += source_size(&workspaces[end]);
            end += 1;
        }
        let batch = run_batch(&workspaces[start..end], options, models.clone(), threads);
        let offset = output.files.len();
        output.files.extend(batch.files);
        output
            .findings
            .extend(batch.findings.into_iter().map(|mut f| {
                f.file += offset;
                f
            }));
        output.errors.extend(batch.errors);
        start = end;
    }
    output
}

/// Source bytes parsed and held at once; one workspace larger than this is
/// still one batch. Smaller batches hold less, and every page the process
/// touches for the first time costs a page fault: on the corpus (24 MB of
/// source, `cargo bench --bench corpus`) 64 MB batches peaked at 971 MiB,
/// 8 MB at 336 MiB and 4 MB at 200-230 MiB, with about half the system
/// time of 8 MB (0.4-0.6 s against 0.8-1.1 s over both workers) and no
/// slower otherwise. 2 MB gained little more (155-170 MiB).
const BATCH_SOURCE_BYTES: u64 = 4 << 20;

fn source_size(workspace: &WorkspaceSources) -> u64 {
    workspace.files().map(file_size).sum()
}

fn file_size(file: &SourceFile) -> u64 {
    match &file.text {
        Some(text) => text.len() as u64,
        None => std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0),
    }
}

/// The files of a batch, by the number the analysis knows them by.
struct BatchFiles<'a> {
    files: Vec<&'a SourceFile>,
}

impl Sources for BatchFiles<'_> {
    fn read(&self, id: usize) -> Result<String, String> {
        let file = self.files[id];
        if let Some(text) = &file.text {
            return Ok(text.clone());
        }
        match std::fs::read(&file.path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "file is not valid UTF-8".into()),
            Err(e) => Err(format!("cannot read file: {e}")),
        }
    }
}

fn run_batch(
    workspaces: &[WorkspaceSources],
    options: &CheckOptions,
    models: Arc<Models>,
    threads: Option<usize>,
) -> EngineOutput {
    let mut files: Vec<&SourceFile> = Vec::new();
    let mut inputs = Vec::new();
    for workspace in workspaces {
        let mut input = WorkspaceInput::default();
        for krate in &workspace.crates {
            let mut crate_input = CrateInput {
                name: krate.name.clone(),
                externs: krate.externs.clone(),
                test_features: krate.test_features.clone(),
                files: Vec::new(),
            };
            for file in &krate.files {
                crate_input.files.push(FileInput {
                    id: files.len(),
                    module: file.module.clone(),
                    is_test: file.is_test,
                    report: file.report,
                    size: file_size(file),
                    facts: deep_facts(options, file),
                });
                files.push(file);
            }
            input.crates.push(crate_input);
        }
        inputs.push(input);
    }
    let workers = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, files.len().max(1));
    let sources = BatchFiles { files };
    let analysis = Analysis::new(inputs, options, models, workers, &sources);
    let results = run_workers(
        workers,
        |_| connlint_rules::STACK_SIZE,
        |me| analysis.work(me),
    );
    let mut outcomes: Vec<(usize, FileOutcome)> = match results {
        Ok(results) => results.into_iter().flatten().collect(),
        // Reserving the large stacks can fail under a tight address-space
        // limit; a library must report that rather than panic.
        Err(error) => analysis
            .untaken()
            .into_iter()
            .map(|id| {
                let message = format!("cannot start worker threads: {error}");
                (id, FileOutcome::Failed(message))
            })
            .collect(),
    };
    outcomes.sort_by_key(|(id, _)| *id);
    let mut output = EngineOutput::default();
    for (id, outcome) in outcomes {
        let file = sources.files[id];
        match outcome {
            FileOutcome::Checked { mut text, findings } => {
                let new_id = output.files.len();
                let lines = text.lines().count();
                if findings.is_empty() && !text.contains(crate::suppress::MARKER) {
                    text = String::new();
                }
                output.files.push(LintedFile {
                    path: file.path.clone(),
                    display: file.display.clone(),
                    text,
                    lines,
                });
                output.findings.extend(findings.into_iter().map(|mut f| {
                    f.file = new_id;
                    f
                }));
            }
            // A context file is read for what it declares; its errors are
            // reported when it is linted itself.
            FileOutcome::Context => {}
            FileOutcome::Failed(_) if !file.report => {}
            FileOutcome::Failed(message) => output.errors.push(FileError {
                path: file.display.clone(),
                message,
            }),
        }
    }
    output
}

/// The deep tier's facts for a file, found by its canonical path.
fn deep_facts(options: &CheckOptions, file: &SourceFile) -> Option<Arc<connlint_rules::FileFacts>> {
    let facts = options.facts.as_ref()?;
    let canonical = file
        .path
        .canonicalize()
        .unwrap_or_else(|_| file.path.clone());
    facts.get(&canonical).cloned()
}

/// Runs `work(0..workers)` on threads of its own, worker `n` with
/// `stack_size(n)` bytes of stack, and joins them: nothing outlives the run (a library caller linting in a loop
/// keeps no idle threads, and leak checkers see none exit late). The threads
/// wait at a gate until all of them have started, so that a thread that
/// cannot start leaves none of the others waiting at a barrier for it.
fn run_workers<T: Send>(
    workers: usize,
    stack_size: impl Fn(usize) -> usize,
    work: impl Fn(usize) -> T + Sync,
) -> std::io::Result<Vec<T>> {
    // `Some(true)`: every thread started, go; `Some(false)`: give up.
    let gate = (Mutex::new(None::<bool>), std::sync::Condvar::new());
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(workers);
        let mut failure = None;
        for me in 0..workers {
            let (gate, work) = (&gate, &work);
            let spawned = std::thread::Builder::new()
                .name(format!("connlint-worker-{me}"))
                .stack_size(stack_size(me))
                .spawn_scoped(scope, move || {
                    let open = gate.0.lock().expect("gate lock");
                    let open = gate
                        .1
                        .wait_while(open, |go| go.is_none())
                        .expect("gate lock");
                    let go = *open == Some(true);
                    drop(open);
                    go.then(|| work(me))
                });
            match spawned {
                Ok(handle) => handles.push(handle),
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        *gate.0.lock().expect("gate lock") = Some(failure.is_none());
        gate.1.notify_all();
        let results: Vec<Option<T>> = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        match failure {
            Some(error) => Err(error),
            None => Ok(results.into_iter().flatten().collect()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Threads of this process whose name starts with `prefix`.
    #[cfg(target_os = "linux")]
    fn threads_named(prefix: &str) -> usize {
        std::fs::read_dir("/proc/self/task")
            .map(|tasks| {
                tasks
                    .flatten()
                    .filter(|task| {
                        std::fs::read_to_string(task.path().join("comm"))
                            .is_ok_and(|name| name.starts_with(prefix))
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn no_worker_outlives_the_run() {
        let sources = |name: &str| {
            WorkspaceSources::of_crate(CrateSources {
                name: name.into(),
                files: vec![SourceFile {
                    path: format!("src/{name}.rs").into(),
                    display: format!("src/{name}.rs"),
                    module: Vec::new(),
                    is_test: false,
                    report: true,
                    text: Some(
                        "fn f() { let conn = rusqlite::Connection::open(\"a\").unwrap(); }\n"
                            .into(),
                    ),
                }],
                ..CrateSources::default()
            })
        };
        let crates = [sources("a"), sources("b"), sources("c")];
        let models = Arc::new(Models::builtin());
        let output = run(&crates, &CheckOptions::default(), models, Some(3));
        assert_eq!(output.files.len(), 3);
        // The thread names are cut to 15 bytes by the kernel.
        assert_eq!(threads_named("connlint-worker"), 0);
    }

    #[test]
    fn a_worker_that_cannot_start_stops_the_others() {
        use std::sync::Barrier;
        // No machine reserves that much stack: the third spawn fails, and
        // the run returns instead of leaving the two started threads
        // waiting for it at a barrier.
        let barrier = Barrier::new(3);
        let stack = |me| if me == 2 { usize::MAX / 2 } else { 1 << 20 };
        let result = run_workers(3, stack, |me| {
            barrier.wait();
            me
        });
        assert!(result.is_err());
        assert_eq!(run_workers(3, |_| 1 << 20, |me| me * 2).unwrap(), [0, 2, 4]);
    }
}
