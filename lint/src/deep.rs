//! `--deep`: the type-aware tier. Builds the `connlint-deep` rustc driver
//! (in `lint/deep/`, pinned to one nightly), runs `cargo check` on the
//! workspaces being linted with the driver as `RUSTC_WORKSPACE_WRAPPER`, and
//! reads the facts files it writes into a [`FactsTable`] that the same rules
//! consult before their syntactic guesses.
//!
//! Where the driver comes from: its sources are found at the path of this
//! crate's checkout when connlint was built (`cargo install --path .` keeps
//! them there), or at `$CONNLINT_DEEP_SOURCES`. A connlint built from a
//! package without `lint/deep/` (crates.io packages leave nested packages
//! out) needs that variable set to a checkout's `lint/deep`.
//!
//! Where it is built: once per connlint version, in a cache folder of its
//! own ([`driver_dir`]: `$CONNLINT_CACHE_DIR/deep-<version>-<toolchain>`,
//! by default under the user's cache folder, `~/.cache/connlint` on Linux),
//! never in the checkout the sources are read from: that may be read-only,
//! shared, or a `cargo install` source that should stay as it was.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use connlint_rules::{CrateFacts, FactsTable};

/// The nightly the driver builds with: `clippy_utils` is tied to one.
pub const TOOLCHAIN: &str = "nightly-2026-05-28";

/// The `clippy_utils` version the driver uses, matching [`TOOLCHAIN`].
pub const CLIPPY_UTILS: &str = "0.1.98";

/// Overrides where the driver's sources are.
pub const SOURCES_VAR: &str = "CONNLINT_DEEP_SOURCES";

/// Overrides connlint's cache folder, where the driver is built.
pub const CACHE_VAR: &str = "CONNLINT_CACHE_DIR";

/// Where the driver's sources were when connlint was built.
const BUILT_SOURCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lint/deep");

/// The command that installs [`TOOLCHAIN`] with what the driver needs.
pub fn install_command() -> String {
    format!(
        "rustup toolchain install {TOOLCHAIN} --profile minimal -c rustc-dev -c llvm-tools-preview"
    )
}

/// Why the deep tier could not run.
#[derive(Debug, thiserror::Error)]
pub enum DeepError {
    #[error(
        "--deep needs the Rust toolchain {TOOLCHAIN} with rustc-dev ({0}); install it with:\n    {cmd}",
        cmd = install_command()
    )]
    MissingToolchain(String),
    #[error(
        "--deep cannot find the driver's sources at {0}; set {SOURCES_VAR} to the `lint/deep` folder of a connlint checkout"
    )]
    MissingSources(String),
    #[error("--deep has no cache folder to build its driver in; set {CACHE_VAR} to one")]
    NoCacheDir,
    #[error("--deep needs a cargo workspace, and {path} is not in one: {message}")]
    NoWorkspace { path: String, message: String },
    #[error("cannot build the deep driver ({command}):\n{output}")]
    DriverBuild { command: String, output: String },
    #[error("`cargo check` failed in {root}, so --deep has no types for it:\n{output}")]
    Check { root: String, output: String },
    #[error("cannot run {command}: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("cannot read facts {path}: {message}")]
    Facts { path: String, message: String },
}

/// What one deep run produced.
pub struct DeepFacts {
    pub table: Arc<FactsTable>,
    /// Facts files read (one per compiled crate target).
    pub crates: usize,
}

/// A cargo workspace to check.
struct Workspace {
    root: PathBuf,
    /// `<target>/connlint-deep`.
    target: PathBuf,
    members: Vec<String>,
    /// The members to check; all of them when `None`.
    packages: Option<BTreeSet<String>>,
}

/// Builds the driver, checks the cargo workspaces that hold `paths`
/// (relative to `cwd`) and reads their facts. Progress goes to standard
/// error, since a cold run compiles every dependency.
pub fn facts(cwd: &Path, paths: &[PathBuf], include_tests: bool) -> Result<DeepFacts, DeepError> {
    let sysroot = toolchain_sysroot()?;
    let sources = driver_sources()?;
    let driver = build_driver(&sources, &driver_dir()?)?;
    let mut workspaces: Vec<Workspace> = Vec::new();
    for path in paths {
        let path = cwd.join(path);
        let workspace = workspace_of(&path)?;
        match workspaces.iter_mut().find(|w| w.root == workspace.root) {
            Some(known) => {
                known.packages = match (known.packages.take(), workspace.packages) {
                    (Some(mut a), Some(b)) => {
                        a.extend(b);
                        Some(a)
                    }
                    _ => None,
                }
            }
            None => workspaces.push(workspace),
        }
    }
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for workspace in &workspaces {
        check(workspace, &driver, &sysroot, include_tests)?;
        files.extend(facts_files(&workspace.target.join("facts")));
    }
    // Newest last, so a file's newest facts win over a stale crate hash.
    files.sort();
    let mut table = FactsTable::new();
    for (written, path) in &files {
        let text = std::fs::read_to_string(path).map_err(|e| DeepError::Facts {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let facts = CrateFacts::parse(&text).map_err(|e| DeepError::Facts {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        for (source, file) in facts.files {
            let source = PathBuf::from(source);
            // A file edited since its crate was last checked (a crate this
            // run did not check) has moved on from its facts.
            let edited = std::fs::metadata(&source)
                .and_then(|m| m.modified())
                .is_ok_and(|m| m > *written);
            if !edited {
                table.insert(source, Arc::new(file));
            }
        }
    }
    Ok(DeepFacts {
        table: Arc::new(table),
        crates: files.len(),
    })
}

/// A command with the variables that would make cargo pick another rustc
/// removed: `RUSTC` from an outer cargo, a caching `RUSTC_WRAPPER`, the
/// toolchain an outer rustup proxy chose.
fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    for var in [
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTUP_TOOLCHAIN",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
    ] {
        command.env_remove(var);
    }
    // A missing toolchain must be reported, not downloaded behind the
    // user's back.
    command.env("RUSTUP_AUTO_INSTALL", "0");
    command
}

fn run(mut command: Command) -> Result<Output, DeepError> {
    command.output().map_err(|source| DeepError::Spawn {
        command: describe(&command),
        source,
    })
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Whether the pinned nightly, with rustc-dev, is installed.
pub fn check_toolchain() -> Result<(), DeepError> {
    toolchain_sysroot().map(drop)
}

/// The pinned nightly's sysroot, checking that rustc-dev is installed.
fn toolchain_sysroot() -> Result<PathBuf, DeepError> {
    let mut probe = command("rustc");
    probe
        .arg(format!("+{TOOLCHAIN}"))
        .args(["--print", "sysroot"]);
    let output = probe.output().map_err(|e| {
        DeepError::MissingToolchain(format!("cannot run rustc through rustup: {e}"))
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(DeepError::MissingToolchain(
            stderr
                .lines()
                .next()
                .unwrap_or("not installed")
                .trim()
                .into(),
        ));
    }
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    // rustc-dev puts rustc's own crates beside the standard library.
    let has_rustc_dev = std::fs::read_dir(sysroot.join("lib/rustlib"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|target| {
            std::fs::read_dir(target.path().join("lib"))
                .into_iter()
                .flatten()
                .flatten()
                .any(|f| {
                    f.file_name()
                        .to_string_lossy()
                        .starts_with("librustc_middle-")
                })
        });
    if !has_rustc_dev {
        return Err(DeepError::MissingToolchain(
            "installed without the rustc-dev component".into(),
        ));
    }
    Ok(sysroot)
}

fn driver_sources() -> Result<PathBuf, DeepError> {
    let dir = std::env::var_os(SOURCES_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(BUILT_SOURCES));
    if dir.join("Cargo.toml").is_file() {
        Ok(dir)
    } else {
        Err(DeepError::MissingSources(dir.display().to_string()))
    }
}

/// The folder the driver is built in: `deep-<connlint version>-<toolchain>`
/// in `$CONNLINT_CACHE_DIR`, or in `connlint` under the user's cache folder
/// (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS).
/// Each connlint version and toolchain builds its own driver once.
pub fn driver_dir() -> Result<PathBuf, DeepError> {
    let cache = match std::env::var_os(CACHE_VAR).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::cache_dir()
            .ok_or(DeepError::NoCacheDir)?
            .join("connlint"),
    };
    Ok(cache.join(format!("deep-{}-{TOOLCHAIN}", env!("CARGO_PKG_VERSION"))))
}

/// Builds the driver from `sources` into `dir` (a no-op for cargo once it
/// is built) and returns the binary's path. Nothing is written beside the
/// sources: the target folder is `dir`'s, and `--locked` keeps cargo from
/// rewriting their Cargo.lock.
fn build_driver(sources: &Path, dir: &Path) -> Result<PathBuf, DeepError> {
    let target = dir.join("target");
    let mut build = command("cargo");
    build
        .arg(format!("+{TOOLCHAIN}"))
        .args([
            "build",
            "--release",
            "--quiet",
            "--locked",
            "--manifest-path",
        ])
        .arg(sources.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    let binary = target.join("release/connlint-deep-driver");
    if !binary.is_file() {
        eprintln!(
            "connlint: building the --deep driver with {TOOLCHAIN} and clippy_utils {CLIPPY_UTILS} into {} (once per connlint version; a few minutes; set {CACHE_VAR} to build elsewhere)",
            dir.display()
        );
    }
    let text = describe(&build);
    let output = run(build)?;
    if !output.status.success() {
        return Err(DeepError::DriverBuild {
            command: text,
            output: tail(&output.stderr),
        });
    }
    Ok(binary)
}

/// The cargo workspace around a path, and the members that hold it: the
/// innermost member the path is in, and every member inside the path.
fn workspace_of(path: &Path) -> Result<Workspace, DeepError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let metadata = cargo_metadata::MetadataCommand::new()
        .current_dir(&dir)
        .no_deps()
        .exec()
        .map_err(|e| DeepError::NoWorkspace {
            path: path.display().to_string(),
            message: match e {
                cargo_metadata::Error::CargoMetadata { stderr } => {
                    stderr.lines().next().unwrap_or("").to_string()
                }
                other => other.to_string(),
            },
        })?;
    let root = metadata.workspace_root.clone().into_std_path_buf();
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let path = canonical(path);
    let mut packages = None;
    if !canonical(&root).starts_with(&path) {
        let dirs: Vec<(String, PathBuf)> = metadata
            .workspace_packages()
            .iter()
            .filter_map(|p| {
                let dir = p.manifest_path.parent()?.as_std_path();
                Some((p.name.to_string(), canonical(dir)))
            })
            .collect();
        let mut chosen: BTreeSet<String> = dirs
            .iter()
            .filter(|(_, dir)| dir.starts_with(&path))
            .map(|(name, _)| name.clone())
            .collect();
        let around = dirs
            .iter()
            .filter(|(_, dir)| path.starts_with(dir))
            .max_by_key(|(_, dir)| dir.as_os_str().len());
        chosen.extend(around.map(|(name, _)| name.clone()));
        packages = Some(chosen);
    }
    Ok(Workspace {
        packages,
        root,
        target: metadata
            .target_directory
            .clone()
            .into_std_path_buf()
            .join("connlint-deep"),
        members: metadata
            .workspace_packages()
            .iter()
            .map(|p| p.name.to_string())
            .collect(),
    })
}

/// Runs `cargo check` with the driver over one workspace. Cargo recompiles
/// only what changed and the driver rewrites the facts of what it
/// recompiles, so the facts of unchanged crates stay valid; a rebuilt
/// driver, though, would leave facts of its predecessor behind, so then the
/// members are cleaned first.
fn check(
    workspace: &Workspace,
    driver: &Path,
    sysroot: &Path,
    include_tests: bool,
) -> Result<(), DeepError> {
    let facts = workspace.target.join("facts");
    let stamp_path = facts.join(".driver");
    let stamp = driver_stamp(driver);
    let current = std::fs::read_to_string(&stamp_path).ok();
    if current.as_deref() != Some(stamp.as_str()) {
        let _ = std::fs::remove_dir_all(&facts);
        if workspace.target.exists() && !workspace.members.is_empty() {
            let mut clean = command("cargo");
            clean
                .current_dir(&workspace.root)
                .arg(format!("+{TOOLCHAIN}"))
                .args(["clean", "--quiet", "--target-dir"])
                .arg(&workspace.target);
            for member in &workspace.members {
                clean.args(["-p", member]);
            }
            run(clean)?;
        }
    }
    eprintln!(
        "connlint: checking {} with {TOOLCHAIN} for exact types (--deep)",
        workspace.root.display()
    );
    let mut check = command("cargo");
    check
        .current_dir(&workspace.root)
        .arg(format!("+{TOOLCHAIN}"))
        .args(["check", "--quiet", "--target-dir"])
        .arg(&workspace.target);
    match &workspace.packages {
        Some(packages) => {
            for package in packages {
                check.args(["-p", package]);
            }
        }
        None => {
            check.arg("--workspace");
        }
    }
    if include_tests {
        check.arg("--all-targets");
    }
    check
        .env("RUSTC_WORKSPACE_WRAPPER", driver)
        .env("CONNLINT_DEEP_FACTS_DIR", &facts)
        .env("LD_LIBRARY_PATH", library_path(sysroot));
    let output = run(check)?;
    if !output.status.success() {
        return Err(DeepError::Check {
            root: workspace.root.display().to_string(),
            output: tail(&output.stderr),
        });
    }
    if std::fs::create_dir_all(&facts).is_ok() {
        let _ = std::fs::write(&stamp_path, stamp);
    }
    Ok(())
}

/// The driver links the nightly's `librustc_driver`, which lives in the
/// sysroot's `lib`.
fn library_path(sysroot: &Path) -> OsString {
    let mut paths = vec![sysroot.join("lib")];
    if let Some(existing) = std::env::var_os("LD_LIBRARY_PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// Identifies a driver build: its size and modification time.
fn driver_stamp(driver: &Path) -> String {
    let meta = std::fs::metadata(driver).ok();
    let modified = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{} {modified}\n", meta.map_or(0, |m| m.len()))
}

fn facts_files(dir: &Path) -> Vec<(std::time::SystemTime, PathBuf)> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let modified = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (modified, path)
        })
        .collect()
}

/// The last lines of a command's error output: the compiler errors.
fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    lines[start..].join("\n")
}

/// The note the human format ends with in deep mode.
pub fn note(facts: &DeepFacts, report: &crate::Report) -> String {
    let typed = report
        .files
        .iter()
        .filter(|file| {
            let path = file
                .path
                .canonicalize()
                .unwrap_or_else(|_| file.path.clone());
            facts.table.contains_key(&path)
        })
        .count();
    format!(
        "note: decided with exact types (--deep) in {typed} of {} files; the others by syntax alone\n",
        report.files.len()
    )
}
