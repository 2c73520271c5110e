//! The command line shared by `connlint` and `cargo connlint`: flags,
//! configuration merging, the pipeline and exit codes.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use connlint_rules::Severity;

use crate::baseline::{self, Baseline};
use crate::catalog::{self, Names, RuleLists, RuleSet};
use crate::config::{Config, Configs};
use crate::deep;
use crate::engine::{FileError, WorkspaceSources};
use crate::fix::{self, FixSummary};
use crate::render::{self, Format, RenderOptions};
use crate::workspace::{self, Selection};
use crate::{discover, Error, Options, Report};

/// Nothing failed: no error-level finding (warnings alone exit 0, unless
/// `-D warnings`) and every file was linted.
pub const EXIT_CLEAN: u8 = 0;
/// Error-level findings were reported, or warnings with `-D warnings`.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage or configuration error, a path that does not exist, or a file
/// that could not be read or parsed (listed in the report; the others are
/// still linted).
pub const EXIT_ERROR: u8 = 2;

/// Finds database-connection lifecycle bugs in Rust code: leaked and
/// per-call connections, probes, uncommitted transactions and writes
/// outside transactions.
#[derive(Debug, Parser)]
#[command(name = "connlint", version, max_term_width = 100)]
pub struct Args {
    /// Files and folders to lint [default: .]; folders are walked for
    /// `*.rs`, respecting .gitignore. A file inside a cargo package is
    /// analysed with the rest of its package; only the given files are
    /// reported
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file for every linted file [default: the nearest
    /// connlint.toml, or Cargo.toml with a [workspace.metadata.connlint] or
    /// [package.metadata.connlint] table, above each file]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only these rules (comma separated), replacing the configured
    /// `select` and `extend-select`
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Also report these rules (comma separated), on top of the selected ones
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub extend_select: Option<Vec<String>>,
    /// Do not report these rules (comma separated), replacing the configured
    /// `ignore` and `extend-ignore`
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,
    /// Do not report these rules either (comma separated), on top of the
    /// ignored ones
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub extend_ignore: Option<Vec<String>>,
    /// Also check test code (#[cfg(test)], #[test], tests/, benches/)
    #[arg(long)]
    pub include_tests: bool,
    /// `-D warnings`: exit 1 on warnings too (by default only error-level
    /// findings fail the run, as with clippy)
    #[arg(short = 'D', long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
    /// Report only findings that are not in this baseline
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to FILE as a baseline and exit 0 (2 when
    /// a file could not be linted)
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
    /// Lint only these workspace members (cargo connlint)
    #[arg(short, long = "package", value_name = "SPEC")]
    pub package: Vec<String>,
    /// Lint every workspace member, also from a member's folder (cargo
    /// connlint)
    #[arg(long)]
    pub workspace: bool,
    /// The Cargo.toml to start from instead of the one around the working
    /// directory (cargo connlint)
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

/// `-D/--deny`: which findings fail the run besides error-level ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings (the suppression checks) exit 1 as errors do
    Warnings,
}

/// Which binary is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `connlint [PATH]...`
    Paths,
    /// `cargo connlint`: members of the current cargo workspace.
    CargoWorkspace,
}

/// The flags only `cargo connlint` takes, by argument id.
const CARGO_FLAGS: [&str; 3] = ["package", "workspace", "manifest_path"];

/// Runs the binary with the process arguments.
pub fn main(mode: Mode) -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if mode == Mode::CargoWorkspace && args.get(1).is_some_and(|a| a == "connlint") {
        // cargo runs `cargo-connlint connlint [args]`.
        args.remove(1);
    }
    ExitCode::from(run(mode, args))
}

/// The command line of one binary: each shows only the flags it takes.
fn command(mode: Mode) -> clap::Command {
    let command = <Args as clap::CommandFactory>::command();
    match mode {
        Mode::Paths => CARGO_FLAGS
            .iter()
            .fold(command, |c, id| c.mut_arg(*id, |a| a.hide(true))),
        Mode::CargoWorkspace => command
            .name("cargo-connlint")
            .bin_name("cargo connlint")
            .about("Finds database-connection lifecycle bugs in the packages of a cargo workspace")
            .mut_arg("paths", |a| a.hide(true)),
    }
}

/// Parses `args` (program name first) and runs; returns the exit code.
pub fn run(mode: Mode, args: Vec<OsString>) -> u8 {
    let matches = match command(mode).try_get_matches_from(args) {
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

/// What to lint: the files found, grouped into crates; paths that could not
/// be found; and the folder paths are shown relative to.
struct Targets {
    workspaces: Vec<WorkspaceSources>,
    errors: Vec<FileError>,
    base: PathBuf,
}

fn targets(mode: Mode, args: &Args, cwd: &Path) -> Result<Targets, Error> {
    let no_config = crate::Exclude::default();
    match mode {
        Mode::Paths => {
            if args.workspace || !args.package.is_empty() || args.manifest_path.is_some() {
                return Err(Error::Usage(
                    "`-p/--package`, `--workspace` and `--manifest-path` are flags of `cargo connlint`; `connlint` lints the paths it is given".into(),
                ));
            }
            let paths = if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            };
            let found = discover::discover(&paths, cwd, &no_config);
            if found.found == 0 && found.errors.is_empty() {
                return Err(Error::NoRustFiles {
                    paths: discover::join_paths(&paths),
                });
            }
            Ok(Targets {
                workspaces: found.workspaces,
                errors: found.errors,
                base: cwd.to_path_buf(),
            })
        }
        Mode::CargoWorkspace => {
            if !args.paths.is_empty() {
                return Err(Error::Usage(
                    "cargo connlint takes no paths: choose packages with `-p NAME`, or lint paths with `connlint PATH…`".into(),
                ));
            }
            let selection = Selection {
                manifest_path: args.manifest_path.clone(),
                packages: args.package.clone(),
                workspace: args.workspace,
            };
            let (found, root) = workspace::discover(cwd, &no_config, &selection)?;
            if found.found == 0 && found.errors.is_empty() {
                return Err(Error::NoRustFiles {
                    paths: root.display().to_string(),
                });
            }
            Ok(Targets {
                workspaces: found.workspaces,
                errors: found.errors,
                base: root,
            })
        }
    }
}

fn execute(mode: Mode, args: &Args) -> Result<u8, Error> {
    if args.list_rules {
        let width = catalog::all().map(|r| r.name.len()).max().unwrap_or(0);
        let mut text = String::new();
        for rule in catalog::all() {
            text.push_str(&format!("{:width$}  {}\n", rule.name, rule.summary));
            for pattern in rule.patterns {
                let level = match pattern.level {
                    connlint_rules::Level::Default => String::new(),
                    level => format!(
                        " (off by default: select `{}/{}` or `{}`)",
                        rule.name,
                        pattern.name,
                        level.group()
                    ),
                };
                text.push_str(&format!(
                    "{:width$}    /{}: {}{level}\n",
                    "", pattern.name, pattern.summary
                ));
            }
        }
        write_stdout(text.as_bytes())?;
        return Ok(EXIT_CLEAN);
    }
    if let Some(name) = &args.explain {
        let rule = catalog::find(name).ok_or_else(|| catalog::unknown_rule(name, "--explain"))?;
        write_stdout(rule.documentation().as_bytes())?;
        return Ok(EXIT_CLEAN);
    }

    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: "the working directory".into(),
        source,
    })?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let targets = targets(mode, args, &cwd)?;
    let walked = match mode {
        Mode::Paths if !args.paths.is_empty() => args.paths.iter().map(|p| cwd.join(p)).collect(),
        Mode::Paths => vec![cwd.clone()],
        Mode::CargoWorkspace => vec![targets.base.clone()],
    };
    let mut configs = Configs::new(args.config.as_deref())?.walking(walked);
    // Each file is linted with the configuration nearest above it.
    let mut runs: Vec<(Options, Vec<WorkspaceSources>)> = Vec::new();
    for (config, workspaces) in configs.split(targets.workspaces)? {
        runs.push((options(args, &config)?, workspaces));
    }

    let deep_paths = match mode {
        Mode::Paths if !args.paths.is_empty() => args.paths.clone(),
        Mode::Paths => vec![PathBuf::from(".")],
        Mode::CargoWorkspace => vec![targets.base.clone()],
    };
    let deep = |runs: &mut Vec<(Options, Vec<WorkspaceSources>)>| -> Option<deep::DeepFacts> {
        let include_tests = runs.iter().any(|(options, _)| options.include_tests);
        let facts = deep::facts(&cwd, &deep_paths, include_tests);
        let facts = facts.map_err(|error| eprintln!("error: {error}")).ok()?;
        for (options, _) in runs.iter_mut() {
            options.facts = Some(facts.table.clone());
        }
        Some(facts)
    };
    let mut deep_facts = None;
    if args.deep {
        deep_facts = deep(&mut runs);
        if deep_facts.is_none() {
            return Ok(EXIT_ERROR);
        }
    }
    let baseline = args
        .baseline
        .as_ref()
        .map(|path| Baseline::load(path))
        .transpose()?;

    let lint = |runs: &[(Options, Vec<WorkspaceSources>)]| {
        let reports = runs
            .iter()
            .map(|(options, workspaces)| crate::lint_workspaces(workspaces, Vec::new(), options))
            .collect();
        Report::merge(reports, targets.errors.clone())
    };
    let mut report = lint(&runs);

    if let Some(path) = &args.write_baseline {
        let count = baseline::write(path, &report)?;
        eprintln!(
            "wrote {} to {}",
            render::plural(count, "finding"),
            path.display()
        );
        for error in &report.errors {
            eprintln!("error: cannot lint {}: {}", error.path, error.message);
        }
        return Ok(if report.errors.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_ERROR
        });
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
                deep_facts = deep(&mut runs);
                if deep_facts.is_none() {
                    return Ok(EXIT_ERROR);
                }
            }
            report = lint(&runs);
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
    Ok(exit_code(&report, args.deny == Some(Deny::Warnings)))
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

/// Settings from the command line over those of the configuration:
/// `--select` and `--ignore` replace the configured lists (`select` and
/// `extend-select`, `ignore` and `extend-ignore`), `--extend-select` and
/// `--extend-ignore` add to them, as ruff's flags do.
/// The names of a list, if given, with where they were written.
fn from<'a>(names: &'a Option<Vec<String>>, origin: &'a str) -> Option<Names<'a>> {
    names.as_deref().map(|names| Names { names, origin })
}

fn options(args: &Args, config: &Config) -> Result<Options, Error> {
    let settings = &config.settings;
    let [select, extend_select, ignore, extend_ignore] =
        ["select", "extend-select", "ignore", "extend-ignore"].map(|key| config.origin(key));
    let mut lists = RuleLists::default();
    match &args.select {
        Some(_) => lists.select = from(&args.select, "--select"),
        None => {
            lists.select = from(&settings.select, &select);
            lists
                .extend_select
                .extend(from(&settings.extend_select, &extend_select));
        }
    }
    match &args.ignore {
        Some(_) => lists.ignore = from(&args.ignore, "--ignore"),
        None => {
            lists.ignore = from(&settings.ignore, &ignore);
            lists
                .extend_ignore
                .extend(from(&settings.extend_ignore, &extend_ignore));
        }
    }
    lists
        .extend_select
        .extend(from(&args.extend_select, "--extend-select"));
    lists
        .extend_ignore
        .extend(from(&args.extend_ignore, "--extend-ignore"));
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

/// The exit code of a report: 2 when a file could not be linted, 1 with
/// error-level findings (or warnings, when `deny_warnings`), else 0.
pub fn exit_code(report: &Report, deny_warnings: bool) -> u8 {
    let failing = report.count(Severity::Error)
        + if deny_warnings {
            report.count(Severity::Warning)
        } else {
            0
        };
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if failing > 0 {
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
