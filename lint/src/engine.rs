//! Runs the analysis over many files on a pool of worker threads.
//!
//! syn trees are not `Send` and proc-macro2 keeps span positions in a
//! thread-local table, so a file must be parsed, indexed and checked on the
//! same thread. Each worker therefore owns a fixed share of the files for the
//! whole run and the steps are separated by barriers: parse and declare;
//! (one worker builds the crate indexes); summarise; (one worker solves the
//! summaries); check. Workers run on rayon threads with a large stack so that
//! deeply nested code cannot overflow it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Barrier, Mutex, RwLock};

use connlint_rules::{CheckOptions, CrateIndex, FileDecls, Finding, Models, ParsedFile};

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

/// The files one worker owns, numbered in input order.
type Share = Vec<(usize, Job)>;

struct Job {
    krate: usize,
    file: SourceFile,
    size: u64,
}

struct Shared {
    decls: Mutex<Vec<(usize, FileDecls)>>,
    indexes: RwLock<Vec<CrateIndex>>,
    summaries: Mutex<Vec<(usize, connlint_rules::FileSummaries)>>,
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

/// Source bytes parsed and held at once. On the corpus (24 MB of source),
/// 64 MB batches peaked at 971 MiB and 8 MB batches at 396 MiB, no slower
/// (`cargo bench --bench corpus`); one crate larger than this is still one
/// batch.
const BATCH_SOURCE_BYTES: u64 = 8 << 20;

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
    let shares = partition(jobs, workers);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .stack_size(connlint_rules::STACK_SIZE)
        .thread_name(|i| format!("connlint-worker-{i}"))
        .build();
    let pool = match pool {
        Ok(pool) => pool,
        // Reserving the large stacks can fail under a tight address-space
        // limit; a library must report that rather than panic.
        Err(error) => {
            let errors = shares
                .into_iter()
                .flatten()
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
    let barrier = Barrier::new(workers);
    let shared = Shared {
        decls: Mutex::new(Vec::new()),
        indexes: RwLock::new(Vec::new()),
        summaries: Mutex::new(Vec::new()),
    };
    let shares: Vec<Mutex<Option<Share>>> =
        shares.into_iter().map(|s| Mutex::new(Some(s))).collect();
    let results = pool.broadcast(|ctx| {
        let share = shares[ctx.index()]
            .lock()
            .expect("share lock")
            .take()
            .unwrap_or_default();
        worker(share, crates, options, &models, &barrier, &shared)
    });

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

/// Spreads files over workers, largest first onto the least loaded worker,
/// and numbers them in input order.
fn partition(jobs: Vec<Job>, workers: usize) -> Vec<Share> {
    let mut numbered: Vec<(usize, Job)> = jobs.into_iter().enumerate().collect();
    numbered.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.0.cmp(&b.0)));
    let mut shares: Vec<Share> = (0..workers).map(|_| Vec::new()).collect();
    let mut loads = vec![0u64; workers];
    for job in numbered {
        let lightest = (0..workers).min_by_key(|w| loads[*w]).unwrap_or(0);
        loads[lightest] += job.1.size.max(1);
        shares[lightest].push(job);
    }
    shares
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn worker(
    share: Share,
    crates: &[CrateSources],
    options: &CheckOptions,
    models: &Arc<Models>,
    barrier: &Barrier,
    shared: &Shared,
) -> Vec<(usize, WorkerFile)> {
    let mut failed: Vec<(usize, WorkerFile)> = Vec::new();
    let mut parsed: Vec<(usize, usize, LintedFile, ParsedFile)> = Vec::new();

    // Step 1: read, parse and collect declarations.
    for (id, job) in share {
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
                        failed.push(fail("file is not valid UTF-8".into()));
                        continue;
                    }
                },
                Err(e) => {
                    failed.push(fail(format!("cannot read file: {e}")));
                    continue;
                }
            },
        };
        let crate_name = &crates[job.krate].name;
        let step = catch_unwind(AssertUnwindSafe(|| {
            ParsedFile::parse(id, text, job.file.module.clone(), job.file.is_test).map(|file| {
                let decls = connlint_rules::declarations(&file, crate_name);
                (file, decls)
            })
        }));
        match step {
            Ok(Ok((mut file, decls))) => {
                if let Some(facts) = &options.facts {
                    let canonical = job
                        .file
                        .path
                        .canonicalize()
                        .unwrap_or_else(|_| job.file.path.clone());
                    file.facts = facts.get(&canonical).cloned();
                }
                shared
                    .decls
                    .lock()
                    .expect("decls lock")
                    .push((job.krate, decls));
                // The text moves back from the parsed file once it is
                // checked: one copy per file, not two.
                let linted = LintedFile {
                    path: job.file.path.clone(),
                    display: display.clone(),
                    text: String::new(),
                };
                parsed.push((id, job.krate, linted, file));
            }
            Ok(Err(error)) => failed.push(fail(format!("cannot parse: {error}"))),
            Err(panic) => failed.push(fail(format!(
                "internal error while parsing (please report): {}",
                panic_message(panic)
            ))),
        }
    }

    // One worker builds the indexes.
    if barrier.wait().is_leader() {
        let mut per_crate: Vec<Vec<FileDecls>> = crates.iter().map(|_| Vec::new()).collect();
        for (krate, decls) in shared.decls.lock().expect("decls lock").drain(..) {
            per_crate[krate].push(decls);
        }
        let indexes = crates
            .iter()
            .zip(per_crate)
            .map(|(c, decls)| CrateIndex::new(&c.name, models.clone(), decls))
            .collect();
        *shared.indexes.write().expect("index lock") = indexes;
    }
    barrier.wait();

    // Step 2: function summaries.
    {
        let indexes = shared.indexes.read().expect("index lock");
        for (_, krate, _, file) in &parsed {
            let index = &indexes[*krate];
            // A panic here loses only this file's summaries; the check step
            // reports the file if it fails again.
            if let Ok(summaries) =
                catch_unwind(AssertUnwindSafe(|| connlint_rules::summaries(file, index)))
            {
                shared
                    .summaries
                    .lock()
                    .expect("summaries lock")
                    .push((*krate, summaries));
            }
        }
    }
    if barrier.wait().is_leader() {
        let mut indexes = shared.indexes.write().expect("index lock");
        let mut per_crate: Vec<Vec<connlint_rules::FileSummaries>> =
            indexes.iter().map(|_| Vec::new()).collect();
        for (krate, summaries) in shared.summaries.lock().expect("summaries lock").drain(..) {
            per_crate[krate].push(summaries);
        }
        for (index, summaries) in indexes.iter_mut().zip(per_crate) {
            index.add_summaries(summaries);
        }
    }
    barrier.wait();

    // Step 3: rules.
    let mut out = failed;
    {
        let indexes = shared.indexes.read().expect("index lock");
        for (id, krate, mut linted, mut file) in parsed.drain(..) {
            let index = &indexes[krate];
            let checked = catch_unwind(AssertUnwindSafe(|| {
                connlint_rules::check(&file, index, options)
            }));
            linted.text = std::mem::take(&mut file.text);
            match checked {
                Ok(findings) => out.push((
                    id,
                    WorkerFile::Linted {
                        file: linted,
                        findings,
                    },
                )),
                Err(panic) => out.push((
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
    connlint_rules::release_thread_spans();
    out
}
