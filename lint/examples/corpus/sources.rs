//! The corpus's sources: `cargo fetch` the crates of
//! `testdata/corpus/Cargo.toml`, ask `cargo metadata` where each direct
//! dependency was unpacked, and list each package's `*.rs` files as one crate.
//!
//! Shared by the corpus command (`lint/examples/corpus/main.rs`) and the
//! speed benchmark (`lint/benches/corpus.rs`), so both measure the same files.

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_metadata::MetadataCommand;
use connlint::discover::{self, Package};
use connlint::engine::{FileError, WorkspaceSources};
use connlint::Exclude;

/// One dependency of the corpus package.
#[derive(Clone, Debug)]
pub struct CorpusCrate {
    pub name: String,
    pub version: String,
    /// Where cargo unpacked it (`~/.cargo/registry/src/<index>/<name>-<version>`).
    pub root: PathBuf,
}

/// The repository root, where the `connlint` package's manifest is.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus manifest.
pub fn manifest() -> PathBuf {
    repo_root().join("testdata/corpus/Cargo.toml")
}

/// Downloads the corpus sources. Uses the committed lockfile as it is
/// (`--locked`), so a run never silently changes the versions triaged.
pub fn fetch(manifest: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["fetch", "--locked", "--manifest-path"])
        .arg(manifest)
        .status()
        .map_err(|e| format!("cannot run cargo fetch: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo fetch failed ({status})"))
    }
}

/// The direct dependencies of the corpus package, sorted by name.
pub fn corpus_crates(manifest: &Path) -> Result<Vec<CorpusCrate>, String> {
    let metadata = MetadataCommand::new()
        .manifest_path(manifest)
        .other_options(vec!["--locked".to_string()])
        .exec()
        .map_err(|e| format!("cargo metadata failed: {e}"))?;
    let resolve = metadata
        .resolve
        .as_ref()
        .ok_or("cargo metadata returned no dependency graph")?;
    let root = resolve
        .root
        .as_ref()
        .ok_or("the corpus manifest has no root package")?;
    let node = resolve
        .nodes
        .iter()
        .find(|n| &n.id == root)
        .ok_or("the root package is missing from the dependency graph")?;
    let mut crates: Vec<CorpusCrate> = node
        .dependencies
        .iter()
        .filter_map(|id| metadata.packages.iter().find(|p| &p.id == id))
        .map(|p| CorpusCrate {
            name: p.name.to_string(),
            version: p.version.to_string(),
            root: p
                .manifest_path
                .parent()
                .map(|d| d.as_std_path().to_path_buf())
                .unwrap_or_default(),
        })
        .collect();
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crates)
}

/// Every package folder in the cargo registry's source caches
/// (`$CARGO_HOME/registry/src/*/*`), as crates named after their manifest.
pub fn registry_crates() -> Vec<CorpusCrate> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let mut crates = Vec::new();
    let Ok(indexes) = std::fs::read_dir(home.join("registry/src")) else {
        return crates;
    };
    for index in indexes.flatten() {
        let Ok(packages) = std::fs::read_dir(index.path()) else {
            continue;
        };
        for package in packages.flatten() {
            let root = package.path();
            let dir_name = package.file_name().to_string_lossy().into_owned();
            let name = Package::from_manifest(&root.join("Cargo.toml"))
                .map(|p| p.name)
                .unwrap_or_else(|| dir_name.clone());
            let version = dir_name
                .strip_prefix(&format!("{name}-"))
                .unwrap_or("")
                .to_string();
            crates.push(CorpusCrate {
                name,
                version,
                root,
            });
        }
    }
    crates.sort_by(|a, b| a.root.cmp(&b.root));
    crates
}

/// The `*.rs` files of each crate, the whole package folder as one crate
/// (the index then sees helpers in any file of the package). Files are shown
/// as `<crate>/<path inside the package>`: without the version, so that a
/// triage label survives a version bump where the code did not change.
pub fn crate_sources(crates: &[CorpusCrate]) -> (Vec<WorkspaceSources>, Vec<FileError>) {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for krate in crates {
        let root = krate.root.canonicalize().unwrap_or(krate.root.clone());
        let found = discover::discover(std::slice::from_ref(&root), &root, &Exclude::default());
        errors.extend(found.errors);
        for mut sources in found.workspaces {
            for file in sources.crates.iter_mut().flat_map(|c| c.files.iter_mut()) {
                file.display = format!("{}/{}", krate.name, file.display);
            }
            all.push(sources);
        }
    }
    (all, errors)
}

/// The number of lines of a text, counting a last line without newline.
pub fn count_lines(text: &str) -> usize {
    text.lines().count()
}

/// The shared corpus of applications and historical bugs: `dir` when given,
/// else `$CONNLINT_CORPUS_DIR`, else `../shared/corpus` beside the
/// repository.
pub fn shared_corpus(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CONNLINT_CORPUS_DIR").map(PathBuf::from))
        .unwrap_or_else(|| repo_root().join("../shared/corpus"))
}

/// The options `connlint [--include-tests] .` uses when run in `dir`: the
/// configuration found from `dir` upward (rules, exclusions, the user's
/// openers), as the command line reads it, without any flag but
/// `--include-tests`.
pub fn options_in(dir: &Path, include_tests: bool) -> Result<connlint::Options, String> {
    let mut configs = connlint::config::Configs::new(None).map_err(|e| e.to_string())?;
    let key = configs
        .file_for(&dir.join("Cargo.toml"))
        .map_err(|e| e.to_string())?;
    let config = configs.get(key.as_deref());
    let mut options = connlint::Options::from_config(&config).map_err(|e| e.to_string())?;
    options.include_tests |= include_tests;
    Ok(options)
}

/// The process's peak resident memory (VmHWM), in KiB; 0 where /proc is
/// not available.
pub fn peak_kib() -> u64 {
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
