//! The corpora connlint is measured on:
//!
//! - the library corpus (the default): fetch the crates of
//!   `testdata/corpus/Cargo.toml`, lint exactly their sources and report
//!   crates, files, lines, findings per rule, parse errors and wall time;
//! - `--apps`: the 17 applications of the shared corpus, each linted as its
//!   own project, with triage labels, precision and speed (`apps.rs`);
//! - `--bugs`: recall on the shared corpus's historical bugs (`bugs.rs`).
//!
//! ```text
//! cargo run --release --example corpus -- [OPTIONS]
//!   --check            fail when a finding has no label in testdata/corpus/triage.toml
//!                      (apps-triage.toml with --apps), or a labelled true positive
//!                      is lost, and print precision on the labelled ones; with
//!                      --bugs, fail when a bug listed as found in bugs-expected.toml
//!                      is lost or a miss has no reason
//!   --apps [DIR]       lint the applications of DIR/apps (DIR: the shared corpus,
//!                      default $CONNLINT_CORPUS_DIR, else ../shared/corpus beside the
//!                      repository); writes apps.md; skips when absent
//!   --bugs [DIR]       lint the bugs of DIR/bugs.tsv; writes bugs.md; skips when absent
//!   --library          also run the library corpus when --apps or --bugs is given
//!                      (alone, neither is given and the library corpus runs)
//!   --rounds N         --apps speed: best of N runs of the floor and the full lint
//!   --crates A,B,..    only these corpus crates (a fixed subset for CI)
//!   --registry         also lint every package in ~/.cargo/registry/src/*/ and fail
//!                      on any internal error (a panic in the analysis)
//!   --no-fetch         do not run cargo fetch first
//!   --out DIR          where report.md goes (default target/corpus)
//!   --threads N        worker threads (default: all cores)
//!   --exhaustive       summarise every function (no selection), to compare
//!   --dump FILE        write every finding, one `path:line:rule: message` per
//!                      line, for diffing two runs (with --registry, --apps and
//!                      --bugs, theirs too, and their parse errors)
//! ```
//!
//! Exit code 0 when the run is clean, 1 when `--check` found untriaged
//! findings or any file hit an internal error, 2 on a setup failure.

mod apps;
mod bugs;
mod report;
mod sources;
mod triage;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use connlint::Options;

// The binaries' allocator, for timings that match them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    check: bool,
    crates: Option<Vec<String>>,
    registry: bool,
    fetch: bool,
    out: PathBuf,
    threads: Option<usize>,
    exhaustive: bool,
    dump: Option<PathBuf>,
    /// `--apps [DIR]`: `Some(None)` without a folder.
    apps: Option<Option<PathBuf>>,
    bugs: Option<Option<PathBuf>>,
    library: bool,
    rounds: usize,
    /// A hidden child run of `--apps` (`--child-app DIR NAME`, ..).
    child: Option<(String, Vec<String>)>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        check: false,
        crates: None,
        registry: false,
        fetch: true,
        out: sources::repo_root().join("target/corpus"),
        threads: None,
        exhaustive: false,
        dump: None,
        apps: None,
        bugs: None,
        library: false,
        rounds: 1,
        child: None,
    };
    let mut it = std::env::args().skip(1).peekable();
    while let Some(arg) = it.next() {
        if let Some(kind) = arg.strip_prefix("--child-") {
            args.child = Some((kind.to_string(), it.by_ref().collect()));
            break;
        }
        // The optional folder after --apps and --bugs.
        let folder = |it: &mut std::iter::Peekable<_>| {
            it.next_if(|next: &String| !next.starts_with("--"))
                .map(PathBuf::from)
        };
        match arg.as_str() {
            "--apps" => {
                args.apps = Some(folder(&mut it));
                continue;
            }
            "--bugs" => {
                args.bugs = Some(folder(&mut it));
                continue;
            }
            _ => {}
        }
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--library" => args.library = true,
            "--rounds" => {
                let n = value("--rounds")?;
                args.rounds = n.parse().map_err(|_| format!("bad --rounds {n}"))?;
            }
            "--check" => args.check = true,
            "--registry" => args.registry = true,
            "--no-fetch" => args.fetch = false,
            "--crates" => {
                args.crates = Some(
                    value("--crates")?
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--threads" => {
                let n = value("--threads")?;
                args.threads = Some(n.parse().map_err(|_| format!("bad --threads {n}"))?);
            }
            "--exhaustive" => args.exhaustive = true,
            "--dump" => args.dump = Some(PathBuf::from(value("--dump")?)),
            "-h" | "--help" => {
                return Err(
                    "usage: corpus [--check] [--apps [DIR]] [--bugs [DIR]] [--library] [--rounds N] [--crates A,B] [--registry] [--no-fetch] [--out DIR] [--threads N] [--exhaustive] [--dump FILE]"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Some((kind, rest)) = &args.child {
        return match apps::child(kind, rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    // Each part runs even when an earlier one failed; the worst result wins.
    let mut results = Vec::new();
    let mut dump = String::new();
    if args.library || (args.apps.is_none() && args.bugs.is_none()) {
        results.push(run(&args, &mut dump));
    }
    if let Some(dir) = &args.apps {
        let corpus = sources::shared_corpus(dir.as_deref());
        results.push(apps::run(&mut apps::AppsArgs {
            corpus: &corpus,
            check: args.check,
            out: &args.out,
            rounds: args.rounds,
            dump: &mut dump,
        }));
    }
    if let Some(dir) = &args.bugs {
        let corpus = sources::shared_corpus(dir.as_deref());
        results.push(bugs::run(&mut bugs::BugsArgs {
            corpus: &corpus,
            check: args.check,
            out: &args.out,
            dump: &mut dump,
        }));
    }
    if let Some(path) = &args.dump {
        if let Err(e) = std::fs::write(path, dump) {
            results.push(Err(format!("cannot write {}: {e}", path.display())));
        }
    }
    let mut code = 0;
    for result in results {
        match result {
            Ok(true) => {}
            Ok(false) => code = code.max(1),
            Err(message) => {
                eprintln!("error: {message}");
                code = 2;
            }
        }
    }
    ExitCode::from(code)
}

/// Runs the corpus; `Ok(false)` when a check failed. Every finding is
/// appended to `dump`.
fn run(args: &Args, dump: &mut String) -> Result<bool, String> {
    let started = Instant::now();
    let manifest = sources::manifest();
    if args.fetch {
        sources::fetch(&manifest)?;
    }
    let fetched = started.elapsed();
    let mut crates = sources::corpus_crates(&manifest)?;
    if let Some(wanted) = &args.crates {
        for name in wanted {
            if !crates.iter().any(|c| &c.name == name) {
                return Err(format!("{name} is not a dependency of the corpus"));
            }
        }
        crates.retain(|c| wanted.contains(&c.name));
    }
    let (sources, walk_errors) = sources::crate_sources(&crates);
    let options = Options {
        threads: args.threads,
        exhaustive_summaries: args.exhaustive,
        ..Options::default()
    };
    let lint_started = Instant::now();
    let lint = connlint::lint_workspaces(&sources, walk_errors, &options);
    let lint_time = lint_started.elapsed();
    report::dump(&lint, dump);

    let keys = triage::keys(&lint);
    let labels = triage::load(
        &sources::repo_root().join("testdata/corpus/triage.toml"),
        &triage::LIBRARY,
    )?;
    let rules: Vec<&str> = lint.findings.iter().map(|f| f.rule).collect();
    let outcome = triage::compare(&rules, &keys, &labels);
    let summary = report::Summary {
        crates: &crates,
        report: &lint,
        keys: &keys,
        labels: &labels,
        outcome: &outcome,
        fetch_time: fetched,
        lint_time,
        wall_time: started.elapsed(),
        subset: args.crates.is_some(),
    };
    let text = summary.render();
    print!("{}", summary.short());
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let report_path = args.out.join("report.md");
    std::fs::write(&report_path, text)
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    println!("report: {}", report_path.display());

    let mut ok = true;
    let internal: Vec<_> = lint
        .errors
        .iter()
        .filter(|e| e.message.contains("internal error"))
        .collect();
    for error in &internal {
        println!("INTERNAL ERROR {}: {}", error.path, error.message);
    }
    ok &= internal.is_empty();

    if args.check {
        ok &= check(&lint, &keys, &outcome, &args.out)?;
        ok &= check_stale(&outcome, &labels, &crates);
    }
    if args.registry {
        // Every file, test code included: the point is that no real file
        // makes the analysis panic.
        let everything = Options {
            include_tests: true,
            ..options.clone()
        };
        ok &= report::registry(&everything, dump)?;
    }
    Ok(ok)
}

/// Labels whose finding no longer appears: a false positive that stopped
/// firing is a fix; a true positive that stopped firing is lost recall and
/// fails the check. Only labels of the crates that were linted count.
fn check_stale(
    outcome: &triage::Outcome,
    labels: &std::collections::BTreeMap<String, triage::Entry>,
    crates: &[sources::CorpusCrate],
) -> bool {
    let linted = |key: &str| {
        let name = key.split('/').next().unwrap_or_default();
        crates.iter().any(|c| c.name == name)
    };
    let (lost, fixed): (Vec<&String>, Vec<&String>) = outcome
        .stale
        .iter()
        .filter(|key| linted(key))
        .partition(|key| labels[*key].verdict == "tp");
    if !fixed.is_empty() {
        println!(
            "triage: {} false-positive labels no longer fire (fixed; each repro is a good fixture)",
            fixed.len()
        );
    }
    if lost.is_empty() {
        return true;
    }
    println!(
        "triage: FAILED, {} true positives are no longer found:",
        lost.len()
    );
    for key in lost {
        println!("  {key}: {}", labels[key].reason);
    }
    println!("a rule lost recall, or the code changed: fix the rule or relabel");
    false
}

/// The triage check: every finding needs a label.
fn check(
    lint: &connlint::Report,
    keys: &[String],
    outcome: &triage::Outcome,
    out: &std::path::Path,
) -> Result<bool, String> {
    if outcome.untriaged.is_empty() {
        println!("triage: all {} findings are labelled", lint.findings.len());
        return Ok(true);
    }
    let stubs: String = outcome
        .untriaged
        .iter()
        .map(|&i| triage::stub(lint, i, &keys[i]) + "\n")
        .collect();
    let stub_path = out.join("untriaged.toml");
    std::fs::write(&stub_path, &stubs)
        .map_err(|e| format!("cannot write {}: {e}", stub_path.display()))?;
    println!(
        "triage: FAILED, {} findings are not in testdata/corpus/triage.toml:",
        outcome.untriaged.len()
    );
    for &i in outcome.untriaged.iter().take(50) {
        let f = &lint.findings[i];
        println!(
            "  {}:{}: {} {}",
            lint.path(f),
            f.range.start.line,
            f.rule,
            keys[i]
        );
    }
    println!(
        "read the code of each, then label it in triage.toml (stubs: {})",
        stub_path.display()
    );
    Ok(false)
}
