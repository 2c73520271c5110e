//! Speed of connlint on the real-crate corpus, beside its two floors:
//!
//! - read: read every file (parallel, as the engine does);
//! - parse: read and `syn::parse_file` every file on rayon workers with the
//!   engine's thread count and stack size, then drop the trees;
//! - lint: `connlint::lint_workspaces`, the whole pipeline.
//!
//! Each phase runs in a child process of its own, so that the peak memory
//! (VmHWM) reported for it is that phase's alone; the best of `--rounds`
//! runs is shown.
//!
//! ```text
//! cargo bench --bench corpus -- [--rounds N] [--threads N] [--crates A,B] [--include-tests] [--big]
//! ```
//! The corpus must have been fetched (`cargo run --release --example corpus`
//! does it, or `cargo fetch --manifest-path testdata/corpus/Cargo.toml`).
//!
//! `--big` measures the big tree instead: the direct dependencies of
//! `testdata/big/Cargo.toml` (generated SDKs and bindings and large ordinary
//! crates, about 250 MB of `.rs`; fetched with `cargo fetch --locked` when
//! missing) and a crate of generated stress files (`stress.rs` below),
//! linted as one tree; then each stress file alone, parse against lint.

#[allow(dead_code)]
#[path = "../examples/corpus/sources.rs"]
mod sources;
mod stress;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use connlint::discover;
use connlint::engine::{FileError, WorkspaceSources};
use connlint::Exclude;
use rayon::prelude::*;

// The binaries' allocator, so that both floors and the lint pay the same
// price per allocation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PHASES: [&str; 3] = ["read", "parse", "lint"];

struct Args {
    rounds: usize,
    threads: usize,
    crates: Option<String>,
    /// Lint test code too, as `connlint --include-tests` does. By default
    /// files under `tests/` and `benches/` are not parsed by the lint; the
    /// floors always parse every file.
    include_tests: bool,
    /// The big tree instead of the corpus.
    big: bool,
    /// Only this file (a stress file timed alone).
    only: Option<PathBuf>,
    phase: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        rounds: 3,
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        crates: None,
        phase: None,
        include_tests: false,
        big: false,
        only: None,
    };
    let mut rounds_given = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds_given = true;
                args.rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(3)
            }
            "--threads" => {
                args.threads = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(args.threads)
            }
            "--crates" => args.crates = it.next(),
            "--include-tests" => args.include_tests = true,
            "--phase" => args.phase = it.next(),
            "--big" => args.big = true,
            "--only" => args.only = it.next().map(PathBuf::from),
            // `cargo bench` passes `--bench`; libtest filters are not used.
            _ => {}
        }
    }
    // A round of the big tree takes minutes.
    if args.big && !rounds_given {
        args.rounds = 1;
    }
    args
}

fn main() {
    let args = parse_args();
    let tree = match tree(&args) {
        Ok(tree) => tree,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    match &args.phase {
        Some(phase) => child(phase, tree, args.threads, args.include_tests),
        None => {
            parent(&args, &tree);
            if args.big && args.only.is_none() {
                stress_alone(&args);
            }
        }
    }
}

/// The workspaces a run lints, and the folders that could not be read.
struct Tree {
    crates: usize,
    workspaces: Vec<WorkspaceSources>,
    errors: Vec<FileError>,
}

fn tree(args: &Args) -> Result<Tree, String> {
    if let Some(only) = &args.only {
        let root = only.parent().unwrap_or(Path::new("/"));
        let found = discover::discover(std::slice::from_ref(only), root, &Exclude::default());
        return Ok(Tree {
            crates: 1,
            workspaces: found.workspaces,
            errors: found.errors,
        });
    }
    let manifest = match args.big {
        true => sources::repo_root().join("testdata/big/Cargo.toml"),
        false => sources::manifest(),
    };
    let mut crates = match sources::corpus_crates(&manifest) {
        Ok(crates) if crates.iter().all(|c| c.root.exists()) => crates,
        _ if args.big && args.phase.is_none() => {
            sources::fetch(&manifest)?;
            sources::corpus_crates(&manifest)?
        }
        other => other?,
    };
    if let Some(wanted) = &args.crates {
        let wanted: Vec<&str> = wanted.split(',').collect();
        crates.retain(|c| wanted.contains(&c.name.as_str()));
    }
    let (mut workspaces, mut errors) = sources::crate_sources(&crates);
    let mut count = crates.len();
    if args.big {
        let dir = stress::write(&stress_dir())?;
        let found = discover::discover(std::slice::from_ref(&dir), &dir, &Exclude::default());
        workspaces.extend(found.workspaces);
        errors.extend(found.errors);
        count += 1;
    }
    Ok(Tree {
        crates: count,
        workspaces,
        errors,
    })
}

/// Where the stress files are generated: outside any cargo package (under
/// this repository's `target/`, a file given alone would be analysed as
/// part of the `connlint` package, whose discovery skips `target/`).
fn stress_dir() -> PathBuf {
    std::env::temp_dir().join("connlint-big-stress")
}

/// Each stress file alone: the floor and the lint of that one file.
fn stress_alone(args: &Args) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    println!();
    println!(
        "Each stress file alone (best of {} rounds):",
        args.rounds.max(2)
    );
    println!();
    println!("| file | size | parse | lint | lint / parse | parse peak | lint peak |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for name in stress::FILES {
        let path = stress_dir().join("src").join(name);
        let mut best = [Sample::default(); 2];
        for round in 0..args.rounds.max(2) {
            for (i, phase) in ["parse", "lint"].iter().enumerate() {
                let mut command = Command::new(&exe);
                command
                    .args(["--phase", phase, "--threads"])
                    .arg(args.threads.to_string())
                    .arg("--only")
                    .arg(&path);
                let sample = run_phase(command, phase);
                if round == 0 || sample.seconds < best[i].seconds {
                    best[i].seconds = sample.seconds;
                }
                best[i].peak_kib = best[i].peak_kib.max(sample.peak_kib);
            }
        }
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let [parse, lint] = best;
        println!(
            "| {name} | {:.1} MB | {:.3} s | {:.3} s | {:.2}x | {:.0} MiB | {:.0} MiB |",
            size as f64 / 1e6,
            parse.seconds,
            lint.seconds,
            lint.seconds / parse.seconds,
            parse.peak_kib as f64 / 1024.0,
            lint.peak_kib as f64 / 1024.0,
        );
    }
}

fn run_phase(mut command: Command, phase: &str) -> Sample {
    let output = command.output().expect("run a benchmark phase");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| {
            let mut parts = line.strip_prefix("SAMPLE ")?.split(' ');
            Some(Sample {
                seconds: parts.next()?.parse().ok()?,
                peak_kib: parts.next()?.parse().ok()?,
            })
        })
        .unwrap_or_else(|| {
            panic!(
                "phase {phase} printed no sample: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}

/// One measurement of one phase, as the child prints it.
#[derive(Clone, Copy, Default)]
struct Sample {
    seconds: f64,
    peak_kib: u64,
}

fn parent(args: &Args, tree: &Tree) {
    let files: Vec<PathBuf> = tree
        .workspaces
        .iter()
        .flat_map(|w| {
            w.crates
                .iter()
                .flat_map(|c| c.files.iter().map(|f| f.path.clone()))
        })
        .collect();
    let (mut bytes, mut lines) = (0usize, 0usize);
    for file in &files {
        if let Ok(text) = std::fs::read_to_string(file) {
            bytes += text.len();
            lines += sources::count_lines(&text);
        }
    }
    println!(
        "{}: {} crates, {} files, {} lines, {:.1} MB; {} threads, best of {} rounds{}",
        if args.big { "big tree" } else { "corpus" },
        tree.crates,
        files.len(),
        lines,
        bytes as f64 / 1e6,
        args.threads,
        args.rounds,
        if args.include_tests {
            "; lint checks test code"
        } else {
            ""
        }
    );
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let mut best = [Sample::default(); 3];
    for round in 0..args.rounds {
        for (i, phase) in PHASES.iter().enumerate() {
            let mut command = Command::new(&exe);
            command
                .args(["--phase", phase, "--threads"])
                .arg(args.threads.to_string());
            if let Some(crates) = &args.crates {
                command.args(["--crates", crates]);
            }
            if args.include_tests {
                command.arg("--include-tests");
            }
            if args.big {
                command.arg("--big");
            }
            let sample = run_phase(command, phase);
            if round == 0 || sample.seconds < best[i].seconds {
                best[i].seconds = sample.seconds;
            }
            best[i].peak_kib = best[i].peak_kib.max(sample.peak_kib);
        }
    }
    let [read, parse, lint] = best;
    println!();
    println!(
        "| phase | time | MB/s | lines/s | peak memory | vs read | vs parse | memory vs parse |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, s) in PHASES.iter().zip(best) {
        println!(
            "| {name} | {:.3} s | {:.0} | {:.0} | {:.0} MiB | {:.2}x | {:.2}x | {:.2}x |",
            s.seconds,
            bytes as f64 / 1e6 / s.seconds,
            lines as f64 / s.seconds,
            s.peak_kib as f64 / 1024.0,
            s.seconds / read.seconds,
            s.seconds / parse.seconds,
            s.peak_kib as f64 / parse.peak_kib.max(1) as f64,
        );
    }
    let ratio = lint.seconds / parse.seconds;
    let memory = lint.peak_kib as f64 / parse.peak_kib.max(1) as f64;
    println!();
    println!("full lint / parse-only = {ratio:.2}x time, {memory:.2}x peak memory");
}

/// Runs one phase once and prints `SAMPLE <seconds> <peak KiB>`.
fn child(phase: &str, tree: Tree, threads: usize, include_tests: bool) {
    let Tree {
        workspaces: all,
        errors,
        ..
    } = tree;
    let files: Vec<PathBuf> = all
        .iter()
        .flat_map(|w| {
            w.crates
                .iter()
                .flat_map(|c| c.files.iter().map(|f| f.path.clone()))
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(connlint_rules::STACK_SIZE)
        .build()
        .expect("worker threads");
    let started = Instant::now();
    match phase {
        "read" => {
            let bytes: usize = pool.install(|| {
                files
                    .par_iter()
                    .map(|f| std::fs::read_to_string(f).map_or(0, |t| t.len()))
                    .sum()
            });
            std::hint::black_box(bytes);
        }
        "parse" => {
            let parsed: usize = pool.install(|| {
                files
                    .par_iter()
                    .map(|f| {
                        let text = std::fs::read_to_string(f).unwrap_or_default();
                        usize::from(syn::parse_file(&text).is_ok())
                    })
                    .sum()
            });
            // The engine frees proc-macro2's span table on each worker at the
            // end; so does the floor.
            pool.broadcast(|_| connlint_rules::release_thread_spans());
            std::hint::black_box(parsed);
        }
        "lint" => {
            let options = connlint::Options {
                threads: Some(threads),
                include_tests,
                ..connlint::Options::default()
            };
            let report = connlint::lint_workspaces(&all, errors, &options);
            std::hint::black_box(report.findings.len());
        }
        other => panic!("unknown phase {other}"),
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("SAMPLE {seconds} {}", peak_kib());
}

/// The process's peak resident memory (VmHWM), in KiB; 0 where /proc is
/// not available.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
