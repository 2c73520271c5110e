//! The command line shared by `connlint` and `cargo connlint`: flags,
//! configuration merging, the pipeline and exit codes.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::baseline::{self, Baseline};
use crate::catalog::{self, Names, RuleLists, RuleSet};
use crate::config::{self, Config};
use crate::deep;
use crate::fix::{self, FixSummary};
use crate::render::{self, Format, RenderOptions};
use crate::{Error, Options, Report};

/// No findings.
pub const EXIT_CLEAN: u8 = 0;
/// Findings were reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Usage, configuration or I/O error, or nothing could be linted.
pub const EXIT_ERROR: u8 = 2;

/// Finds database-connection lifecycle bugs in Rust code: leaked and
/// per-call connections, probes, uncommitted transactions and writes
/// outside transactions.
#[derive(Debug, Parser)]
#[command(name = "connlint", version, max_term_width = 100)]
pub struct Args {
    /// Files and folders to lint [default: .]; folders are walked for
    /// `*.rs`, respecting .gitignore
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file [default: connlint.toml, searched upward, or
    /// [workspace.metadata.connlint] in Cargo.toml]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only these rules (comma separated)
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Do not report these rules (comma separated)
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,
    /// Also check test code (#[cfg(test)], #[test], tests/, benches/)
    #[arg(long)]
    pub include_tests: bool,
    /// Report only findings that are not in this baseline
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to FILE as a baseline and exit 0
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Apply machine-applicable fixes in place, list them on standard error,
    /// then report the findings that remain
    #[arg(long, conflicts_with = "write_baseline")]
    pub fix: bool,
    /// Print a rule's documentation
    #[arg(long, value_name = "RULE", conflicts_with = "list_rules")]
    pub explain: Option<String>,
    /// List the rules with a one-line summary each
    #[arg(long)]
    pub list_rules: bool,
    /// When to colour the human format
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Decide with exact types from rustc: runs `cargo check` with
    /// connlint's driver on the Rust nightly it is pinned to (see README)
    #[arg(long)]
    pub deep: bool,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

/// Which binary is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `connlint [PATH]...`
    Paths,
    /// `cargo connlint`: every member of the current cargo workspace.
    CargoWorkspace,
}

/// Runs the binary with the process arguments.
pub fn main(mode: Mode) -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if mode == Mode::CargoWorkspace && args.get(1).is_some_and(|a| a == "connlint") {
        // cargo runs `cargo-connlint connlint [args]`.
        args.remove(1);
    }
    ExitCode::from(run(mode, args))
}

/// Parses `args` (program name first) and runs; returns the exit code.
pub fn run(mode: Mode, args: Vec<OsString>) -> u8 {
    let command = <Args as clap::CommandFactory>::command();
    let command = match mode {
        Mode::Paths => command,
        Mode::CargoWorkspace => command.name("cargo-connlint").bin_name("cargo connlint"),
    };
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    let args = match <Args as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return EXIT_ERROR;
        }
    };
    match execute(mode, &args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            EXIT_ERROR
        }
    }
}

fn execute(mode: Mode, args: &Args) -> Result<u8, Error> {
    if args.list_rules {
        let width = catalog::all().map(|r| r.name.len()).max().unwrap_or(0);
        let mut text = String::new();
        for rule in catalog::all() {
            text.push_str(&format!("{:width$}  {}\n", rule.name, rule.summary));
        }
        write_stdout(text.as_bytes())?;
        return Ok(EXIT_CLEAN);
    }
    if let Some(name) = &args.explain {
        let rule = catalog::find(name).ok_or_else(|| catalog::unknown_rule(name, "--explain"))?;
        write_stdout(rule.documentation().as_bytes())?;
        return Ok(EXIT_CLEAN);
    }
    if mode == Mode::CargoWorkspace && !args.paths.is_empty() {
        return Err(Error::Usage(
            "cargo connlint lints the whole workspace and takes no paths; use `connlint PATH` to lint paths".into(),
        ));
    }

    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: "the working directory".into(),
        source,
    })?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let config = match &args.config {
        Some(path) => config::load(path)?,
        None => config::discover(&cwd)?,
    };
    let mut options = options(args, &config)?;
    let deep_paths = match mode {
        Mode::Paths if !args.paths.is_empty() => args.paths.clone(),
        _ => vec![PathBuf::from(".")],
    };
    let deep = |options: &mut Options| -> Option<deep::DeepFacts> {
        let facts = deep::facts(&cwd, &deep_paths, options.include_tests);
        let facts = facts.map_err(|error| eprintln!("error: {error}")).ok()?;
        options.facts = Some(facts.table.clone());
        Some(facts)
    };
    let mut deep_facts = None;
    if args.deep {
        deep_facts = deep(&mut options);
        if deep_facts.is_none() {
            return Ok(EXIT_ERROR);
        }
    }
    let baseline = args
        .baseline
        .as_ref()
        .map(|path| Baseline::load(path))
        .transpose()?;

    let lint = |options: &Options| match mode {
        Mode::Paths => {
            let paths = if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            };
            crate::lint_paths_in(&cwd, &paths, options)
        }
        Mode::CargoWorkspace => crate::lint_workspace(&cwd, options),
    };
    let mut report = lint(&options)?;

    if let Some(path) = &args.write_baseline {
        let count = baseline::write(path, &report)?;
        eprintln!(
            "wrote {} to {}",
            render::plural(count, "finding"),
            path.display()
        );
        return Ok(EXIT_CLEAN);
    }
    if let Some(baseline) = &baseline {
        baseline.filter(&mut report);
    }
    if args.fix {
        let summary = fix::apply(&report)?;
        eprint!("{}", fix_summary(&summary));
        if !summary.applied.is_empty() {
            // Report what is left, at the positions of the edited files
            // (for which rustc's positions must be read again).
            if args.deep {
                deep_facts = deep(&mut options);
                if deep_facts.is_none() {
                    return Ok(EXIT_ERROR);
                }
            }
            report = lint(&options)?;
            if let Some(baseline) = &baseline {
                baseline.filter(&mut report);
            }
        }
    }

    let color = match args.color {
        _ if args.output.is_some() => false,
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut rendered = render::render(&report, args.format, RenderOptions { color });
    if let (Some(facts), Format::Human) = (&deep_facts, args.format) {
        rendered.extend_from_slice(deep::note(facts, &report).as_bytes());
    }
    match &args.output {
        Some(path) => std::fs::write(path, rendered).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?,
        None => write_stdout(&rendered)?,
    }
    Ok(exit_code(&report))
}

/// What `--fix` changed, one line per edit and a total.
fn fix_summary(summary: &FixSummary) -> String {
    let mut out = String::new();
    for fixed in &summary.applied {
        out.push_str(&format!(
            "fixed {}:{}:{}: [{}] {}\n",
            fixed.path, fixed.line, fixed.column, fixed.rule, fixed.message
        ));
    }
    for path in &summary.changed_meanwhile {
        out.push_str(&format!(
            "not fixed {path}: the file changed while it was linted\n"
        ));
    }
    let fixes = match summary.applied.len() {
        1 => "1 fix".to_string(),
        n => format!("{n} fixes"),
    };
    out.push_str(&format!(
        "applied {fixes} in {}\n",
        render::plural(summary.files(), "file")
    ));
    out
}

/// Settings from the command line over those of the configuration.
fn options(args: &Args, config: &Config) -> Result<Options, Error> {
    let settings = &config.settings;
    let (select_origin, ignore_origin) = (config.origin("select"), config.origin("ignore"));
    let lists = RuleLists {
        select: match (&args.select, &settings.select) {
            (Some(cli), _) => Some(Names {
                names: cli,
                origin: "--select",
            }),
            (None, Some(configured)) => Some(Names {
                names: configured,
                origin: &select_origin,
            }),
            (None, None) => None,
        },
        ignore: match (&args.ignore, &settings.ignore) {
            (Some(cli), _) => Some(Names {
                names: cli,
                origin: "--ignore",
            }),
            (None, Some(configured)) => Some(Names {
                names: configured,
                origin: &ignore_origin,
            }),
            (None, None) => None,
        },
        ..RuleLists::default()
    };
    let rules = RuleSet::from_lists(&lists)?;
    Ok(Options {
        rules,
        include_tests: args.include_tests || settings.include_tests.unwrap_or(false),
        exclude: config.exclude()?,
        threads: None,
        user_model: config.user_model()?,
        facts: None,
        exhaustive_summaries: false,
    })
}

/// 2 when nothing could be linted, 1 with findings, else 0.
pub fn exit_code(report: &Report) -> u8 {
    if report.files_scanned == 0 && !report.errors.is_empty() {
        EXIT_ERROR
    } else if !report.findings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // A closed pipe (`connlint | head`) is the reader's choice, not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
