//! Runs the analysis over many files on a pool of worker threads.
//!
//! syn trees are not `Send` and proc-macro2 keeps span positions in a
//! thread-local table, so a file must be parsed, indexed and checked on the
//! same thread. Each worker therefore keeps the files it parsed for the
//! whole run (it takes the next unparsed file, largest first, whenever it is
//! free) and the steps are separated by barriers: parse and declare;
//! build the crate indexes; rounds of summarising, each closed by solving
//! the summaries and choosing the next round's functions; check. Work on a
//! whole crate (an index, a solve) is spread over the workers by crate.
//! Workers run on threads of their own with a large stack, so that deeply
//! nested code cannot overflow it, and are joined before the run returns.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Barrier, Mutex, RwLock};

use connlint_rules::{
    CheckOptions, CrateIndex, FileDecls, FileFacts, FileWords, Finding, Models, Names, ParsedFile,
    Selection,
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
    /// The whole file is test code (`tests/`, `benches/`).
    pub is_test: bool,
    /// Text to lint instead of reading `path` (library callers, stdin).
    pub text: Option<String>,
}

/// The files of one crate: they share an index, so a helper defined in one
/// file is understood in another.
#[derive(Clone, Debug)]
pub struct CrateSources {
    pub name: String,
    pub files: Vec<SourceFile>,
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
    pub text: String,
}

/// What a run produced. `Finding::file` indexes `files`.
#[derive(Debug, Default)]
pub struct EngineOutput {
    pub files: Vec<LintedFile>,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
}

/// Files not parsed yet, numbered in input order, largest first: workers
/// take the next one whenever they are free, so the parse step balances
/// itself whatever each file costs.
type Queue = Mutex<std::vec::IntoIter<(usize, Job)>>;

struct Job {
    krate: usize,
    file: SourceFile,
    size: u64,
}

/// What the workers share, one slot per crate. Work on a whole crate
/// (building its index, solving its summaries) falls to the worker whose
/// number is the crate's modulo the worker count, so crates are handled in
/// parallel between the barriers.
struct Shared {
    workers: usize,
    /// By file number: the index is built in input order, whichever
    /// worker parsed what.
    decls: Vec<Mutex<Vec<(usize, FileDecls, Option<Arc<FileFacts>>)>>>,
    indexes: Vec<RwLock<Option<CrateIndex>>>,
    selections: Vec<Mutex<Option<Selection>>>,
    /// The names that select the crate's next round of summaries.
    names: Vec<RwLock<Names>>,
    summaries: Vec<Mutex<Vec<connlint_rules::FileSummaries>>>,
}

impl Shared {
    fn new(crates: usize, workers: usize) -> Shared {
        Shared {
            workers,
            decls: (0..crates).map(|_| Mutex::default()).collect(),
            indexes: (0..crates).map(|_| RwLock::default()).collect(),
            selections: (0..crates).map(|_| Mutex::default()).collect(),
            names: (0..crates).map(|_| RwLock::default()).collect(),
            summaries: (0..crates).map(|_| Mutex::default()).collect(),
        }
    }

    /// The crates worker `me` does whole-crate work for.
    fn crates_of(&self, me: usize) -> impl Iterator<Item = usize> {
        (me..self.indexes.len()).step_by(self.workers)
    }

    fn index(&self, krate: usize) -> std::sync::RwLockReadGuard<'_, Option<CrateIndex>> {
        self.indexes[krate].read().expect("index lock")
    }

    fn index_mut(&self, krate: usize) -> std::sync::RwLockWriteGuard<'_, Option<CrateIndex>> {
        self.indexes[krate].write().expect("index lock")
    }
}

/// Lints every crate with `threads` workers (all cores when `None`).
pub fn run(
    crates: &[CrateSources],
    options: &CheckOptions,
    models: Arc<Models>,
    threads: Option<usize>,
) -> EngineOutput {
    // Every file of a batch stays parsed until the batch is checked, and a
    // syn tree takes ten to twenty times its source's size: linting a
    // thousand crates at once would hold tens of gigabytes. Crates are
    // independent, so they are linted in batches of bounded source size.
    let mut output = EngineOutput::default();
    let mut start = 0;
    while start < crates.len() {
        let mut end = start;
        let mut size = 0u64;
        while end < crates.len()
            && (end == start || size + source_size(&crates[end]) <= BATCH_SOURCE_BYTES)
        {
            size += source_size(&crates[end]);
            end += 1;
        }
        let batch = run_batch(&crates[start..end], options, models.clone(), threads);
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

/// Source bytes parsed and held at once; one crate larger than this is
/// still one batch. Smaller batches hold less, and every page the process
/// touches for the first time costs a page fault: on the corpus (24 MB of
/// source, `cargo bench --bench corpus`) 64 MB batches peaked at 971 MiB,
/// 8 MB at 336 MiB and 4 MB at 200-230 MiB, with about half the system
/// time of 8 MB (0.4-0.6 s against 0.8-1.1 s over both workers) and no
/// slower otherwise. 2 MB gained little more (155-170 MiB).
const BATCH_SOURCE_BYTES: u64 = 4 << 20;

fn source_size(sources: &CrateSources) -> u64 {
    sources.files.iter().map(file_size).sum()
}

fn file_size(file: &SourceFile) -> u64 {
    match &file.text {
        Some(text) => text.len() as u64,
        None => std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0),
    }
}

fn run_batch(
    crates: &[CrateSources],
    options: &CheckOptions,
    models: Arc<Models>,
    threads: Option<usize>,
) -> EngineOutput {
    let mut jobs: Vec<Job> = Vec::new();
    for (krate, sources) in crates.iter().enumerate() {
        for file in &sources.files {
            let size = file_size(file);
            jobs.push(Job {
                krate,
                file: file.clone(),
                size,
            });
        }
    }
    let workers = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .clamp(1, jobs.len().max(1));
    let queue = largest_first(jobs);

    let barrier = Barrier::new(workers);
    let shared = Shared::new(crates.len(), workers);
    let queue: Queue = Mutex::new(queue.into_iter());
    let results = match run_workers(
        workers,
        |_| connlint_rules::STACK_SIZE,
        |me| worker(me, &queue, crates, options, &models, &barrier, &shared),
    ) {
        Ok(results) => results,
        // Reserving the large stacks can fail under a tight address-space
        // limit; a library must report that rather than panic.
        Err(error) => {
            let left: Vec<(usize, Job)> = queue.into_inner().expect("queue lock").collect();
            let errors = left
                .into_iter()
                .map(|(_, job)| FileError {
                    path: job.file.display,
                    message: format!("cannot start worker threads: {error}"),
                })
                .collect();
            return EngineOutput {
                errors,
                ..EngineOutput::default()
            };
        }
    };

    let mut output = EngineOutput::default();
    let mut numbered: Vec<(usize, WorkerFile)> = results.into_iter().flatten().collect();
    numbered.sort_by_key(|(id, _)| *id);
    for (_, file) in numbered {
        match file {
            WorkerFile::Linted { file, findings } => {
                let new_id = output.files.len();
                output.files.push(file);
                output.findings.extend(findings.into_iter().map(|mut f| {
                    f.file = new_id;
                    f
                }));
            }
            WorkerFile::Failed(error) => output.errors.push(error),
        }
    }
    output
}

enum WorkerFile {
    Linted {
        file: LintedFile,
        findings: Vec<Finding>,
    },
    Failed(FileError),
}

/// Numbers files in input order and sorts them largest first, so that the
/// last files taken are small and the workers finish together.
fn largest_first(jobs: Vec<Job>) -> Vec<(usize, Job)> {
    let mut numbered: Vec<(usize, Job)> = jobs.into_iter().enumerate().collect();
    numbered.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.0.cmp(&b.0)));
    numbered
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

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn worker(
    me: usize,
    queue: &Queue,
    crates: &[CrateSources],
    options: &CheckOptions,
    models: &Arc<Models>,
    barrier: &Barrier,
    shared: &Shared,
) -> Vec<(usize, WorkerFile)> {
    // Files already done with: those that failed, and those not parsed.
    let mut done: Vec<(usize, WorkerFile)> = Vec::new();
    let mut parsed: Vec<(usize, usize, LintedFile, ParsedFile)> = Vec::new();

    // Step 1: read, parse and collect declarations.
    loop {
        let next = queue.lock().expect("queue lock").next();
        let Some((id, job)) = next else {
            break;
        };
        let display = job.file.display.clone();
        let fail = |message: String| {
            (
                id,
                WorkerFile::Failed(FileError {
                    path: display.clone(),
                    message,
                }),
            )
        };
        let text = match job.file.text {
            Some(text) => text,
            None => match std::fs::read(&job.file.path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(_) => {
                        done.push(fail("file is not valid UTF-8".into()));
                        continue;
                    }
                },
                Err(e) => {
                    done.push(fail(format!("cannot read file: {e}")));
                    continue;
                }
            },
        };
        if !options.parses(job.file.is_test) {
            let file = LintedFile {
                path: job.file.path,
                display,
                text,
            };
            let findings = Vec::new();
            done.push((id, WorkerFile::Linted { file, findings }));
            continue;
        }
        let crate_name = &crates[job.krate].name;
        let step = catch_unwind(AssertUnwindSafe(|| {
            ParsedFile::parse(id, text, job.file.module.clone(), job.file.is_test).map(|file| {
                let decls = connlint_rules::declarations(&file, crate_name);
                (file, decls)
            })
        }));
        match step {
            Ok(Ok((file, decls))) => {
                let facts = options.facts.as_ref().and_then(|facts| {
                    let canonical = job
                        .file
                        .path
                        .canonicalize()
                        .unwrap_or_else(|_| job.file.path.clone());
                    facts.get(&canonical).cloned()
                });
                shared.decls[job.krate]
                    .lock()
                    .expect("decls lock")
                    .push((id, decls, facts));
                // The text moves back from the parsed file once it is
                // checked: one copy per file, not two.
                let linted = LintedFile {
                    path: job.file.path.clone(),
                    display: display.clone(),
                    text: String::new(),
                };
                parsed.push((id, job.krate, linted, file));
            }
            Ok(Err(error)) => done.push(fail(format!("cannot parse: {error}"))),
            Err(panic) => done.push(fail(format!(
                "internal error while parsing (please report): {}",
                panic_message(panic)
            ))),
        }
    }

    // Indexes, each built by one worker.
    barrier.wait();
    for krate in shared.crates_of(me) {
        let mut decls = std::mem::take(&mut *shared.decls[krate].lock().expect("decls lock"));
        decls.sort_by_key(|(id, _, _)| *id);
        let mut facts = Vec::new();
        let decls = decls
            .into_iter()
            .map(|(id, decls, file_facts)| {
                facts.extend(file_facts.map(|f| (id, f)));
                decls
            })
            .collect();
        let mut index = CrateIndex::new(&crates[krate].name, models.clone(), decls);
        for (id, file_facts) in facts {
            index.set_deep_facts(id, file_facts);
        }
        *shared.selections[krate].lock().expect("selection lock") = Some(Selection::new(&index));
        *shared.index_mut(krate) = Some(index);
    }
    barrier.wait();

    // Step 2: function summaries, in rounds (see connlint_rules::selection).
    // Every worker reads the same names after each barrier, so all leave
    // the loop together.
    let exhaustive = options.exhaustive();
    let mut words: Vec<FileWords> = parsed
        .iter()
        .map(|(_, krate, _, file)| {
            let index = shared.index(*krate);
            match index.as_ref() {
                // Without words the file is analysed whole: slower, not wrong.
                Some(index) if !exhaustive => catch_unwind(AssertUnwindSafe(|| {
                    let selection = shared.selections[*krate].lock().expect("selection lock");
                    let selection = selection.as_ref().expect("a selection beside the index");
                    connlint_rules::file_words(file, index, selection, options.include_tests)
                }))
                .unwrap_or_default(),
                _ => FileWords::default(),
            }
        })
        .collect();
    for krate in shared.crates_of(me) {
        if let Some(index) = shared.index_mut(krate).as_mut() {
            let mut selection = shared.selections[krate].lock().expect("selection lock");
            if let Some(selection) = selection.as_mut() {
                *shared.names[krate].write().expect("names lock") =
                    selection.start_summaries(index, exhaustive);
            }
        }
    }
    barrier.wait();
    loop {
        let done = shared
            .names
            .iter()
            .all(|n| n.read().expect("names lock").is_empty());
        if done {
            break;
        }
        for ((_, krate, _, file), words) in parsed.iter().zip(&mut words) {
            let names = shared.names[*krate].read().expect("names lock");
            let index = shared.index(*krate);
            let Some(index) = index.as_ref().filter(|_| !names.is_empty()) else {
                continue;
            };
            // A panic here loses only this file's summaries; the check step
            // reports the file if it fails again.
            if let Ok(summaries) = catch_unwind(AssertUnwindSafe(|| {
                connlint_rules::summaries(file, index, words, &names)
            })) {
                shared.summaries[*krate]
                    .lock()
                    .expect("summaries lock")
                    .push(summaries);
            }
        }
        barrier.wait();
        for krate in shared.crates_of(me) {
            let mut names = shared.names[krate].write().expect("names lock");
            if names.is_empty() {
                continue;
            }
            let summaries =
                std::mem::take(&mut *shared.summaries[krate].lock().expect("summaries lock"));
            let mut selection = shared.selections[krate].lock().expect("selection lock");
            if let (Some(index), Some(selection)) =
                (shared.index_mut(krate).as_mut(), selection.as_mut())
            {
                *names = selection.add_summaries(index, summaries);
            }
        }
        barrier.wait();
    }
    for krate in shared.crates_of(me) {
        let selection = shared.selections[krate].lock().expect("selection lock");
        if let (Some(index), Some(selection)) =
            (shared.index_mut(krate).as_mut(), selection.as_ref())
        {
            selection.finish_summaries(index);
        }
    }
    barrier.wait();

    // Step 3: rules.
    let mut out = done;
    {
        for ((id, krate, mut linted, mut file), words) in parsed.drain(..).zip(words) {
            let index = shared.index(krate);
            let checked = catch_unwind(AssertUnwindSafe(|| match index.as_ref() {
                Some(index) => connlint_rules::check(&file, index, options, &words),
                None => panic!("no index for the file's crate"),
            }));
            linted.text = std::mem::take(&mut file.text);
            // A function body that a step asked for and that does not parse
            // fails the file, as a file that does not parse does.
            let body_error = file.body_errors().into_iter().next();
            match (checked, body_error) {
                (Ok(_), Some(error)) => out.push((
                    id,
                    WorkerFile::Failed(FileError {
                        path: linted.display.clone(),
                        message: format!("cannot parse: {error}"),
                    }),
                )),
                (Ok(findings), None) => out.push((
                    id,
                    WorkerFile::Linted {
                        file: linted,
                        findings,
                    },
                )),
                (Err(panic), _) => out.push((
                    id,
                    WorkerFile::Failed(FileError {
                        path: linted.display.clone(),
                        message: format!(
                            "internal error while checking (please report): {}",
                            panic_message(panic)
                        ),
                    }),
                )),
            }
            drop(file);
        }
    }
    // Indexes hold many small allocations: free them in parallel too.
    barrier.wait();
    for krate in shared.crates_of(me) {
        drop(shared.index_mut(krate).take());
    }
    connlint_rules::release_thread_spans();
    out
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
        let sources = |name: &str| CrateSources {
            name: name.into(),
            files: vec![SourceFile {
                path: format!("src/{name}.rs").into(),
                display: format!("src/{name}.rs"),
                module: Vec::new(),
                is_test: false,
                text: Some(
                    "fn f() { let conn = rusqlite::Connection::open(\"a\").unwrap(); }\n".into(),
                ),
            }],
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
