//! Finding the files to lint. They are then grouped into whole workspaces
//! (see [`crate::layout`]): the files given are reported, the rest of
//! their workspace is read as context, so that linting only the files a
//! commit stages finds what linting the whole workspace finds in them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::config::Exclude;
use crate::engine::{CrateSources, FileError, SourceFile, WorkspaceSources};
use crate::layout::Layout;
use crate::manifest::{Manifest, TargetKind};

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub workspaces: Vec<WorkspaceSources>,
    /// Folders that could not be walked.
    pub errors: Vec<FileError>,
    /// Rust files found, including those the configuration excludes.
    pub found: usize,
}

impl Discovery {
    /// Every crate found, whatever its workspace.
    pub fn crates(&self) -> impl Iterator<Item = &CrateSources> {
        self.workspaces.iter().flat_map(|w| w.crates.iter())
    }
}

/// How folders are walked.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Skip folders holding their own Cargo.toml: when linting one workspace
    /// member, a nested member or unrelated package is not part of it.
    pub skip_nested_packages: bool,
    /// Folders (absolute) that are not walked.
    pub skip: Vec<PathBuf>,
}

/// Finds the Rust files under `paths` (relative to `cwd`, which display
/// paths are relative to). Folders are walked for `*.rs`, respecting
/// `.gitignore` and skipping hidden folders and `target/`. A path that does
/// not exist or a file given explicitly that is not a `.rs` file is listed
/// in [`Discovery::errors`]; the others are still found.
pub fn discover(paths: &[PathBuf], cwd: &Path, exclude: &Exclude) -> Discovery {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let absolute = cwd.join(path);
        let meta = match std::fs::metadata(&absolute) {
            Ok(meta) => meta,
            Err(source) => {
                errors.push(FileError {
                    path: display_path(&absolute, cwd),
                    message: format!("cannot read: {source}"),
                });
                continue;
            }
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        if meta.is_dir() {
            walk(
                &absolute,
                cwd,
                WalkOptions::default(),
                &mut files,
                &mut errors,
            );
        } else if absolute.extension().is_some_and(|ext| ext == "rs") {
            files.push(absolute);
        } else {
            // Read as Rust, a text file fails with a syntax error about its
            // first word (`expected !`), which says nothing useful.
            errors.push(FileError {
                path: display_path(&absolute, cwd),
                message: "not a Rust source file: connlint lints `.rs` files".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    let found = files.len();
    let grouped = Layout::default().group(&files, cwd, exclude);
    errors.extend(grouped.errors);
    Discovery {
        workspaces: grouped.workspaces,
        errors,
        found,
    }
}

/// The folders a workspace root's `[workspace] exclude` names: fixtures and
/// tools kept out of the workspace are not part of the package that
/// contains them, even when they have no Cargo.toml of their own. `cargo
/// metadata` does not report them.
pub fn excluded_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
        return Vec::new();
    };
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let excluded = manifest
        .get("workspace")
        .and_then(|w| w.get("exclude"))
        .and_then(|e| e.as_array());
    excluded
        .into_iter()
        .flatten()
        .filter_map(|path| path.as_str())
        .map(|path| {
            let dir = root.join(path);
            dir.canonicalize().unwrap_or(dir)
        })
        .collect()
}

/// The `*.rs` files under `dir`.
pub fn walk(
    dir: &Path,
    cwd: &Path,
    options: WalkOptions,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<FileError>,
) {
    let mut builder = ignore::WalkBuilder::new(dir);
    // Temporary checkouts and tests are often not git repositories, and their
    // .gitignore must still count.
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false);
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        if entry.file_name() == "target" || options.skip.iter().any(|dir| dir == entry.path()) {
            return false;
        }
        !(options.skip_nested_packages && entry.path().join("Cargo.toml").is_file())
    });
    for entry in builder.build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.path().extension().is_some_and(|ext| ext == "rs") {
                    files.push(entry.into_path());
                }
            }
            Err(error) => errors.push(walk_error(error, cwd)),
        }
    }
}

fn walk_error(error: ignore::Error, cwd: &Path) -> FileError {
    let mut path = None;
    let mut inner = &error;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| display_path(p, cwd));
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    FileError {
        path: path.unwrap_or_default(),
        message: format!("cannot read folder: {inner}"),
    }
}

/// Groups `files` into crates with `owner`, which names the package a file
/// belongs to (or `None` for a file outside any package).
pub fn group(
    mut files: Vec<PathBuf>,
    errors: Vec<FileError>,
    cwd: &Path,
    exclude: &Exclude,
    owner: &mut dyn FnMut(&Path) -> Option<Package>,
) -> Discovery {
    files.sort();
    files.dedup();
    let found = files.len();
    let mut crates: BTreeMap<PathBuf, CrateSources> = BTreeMap::new();
    for file in files.into_iter().filter(|f| !exclude.is_excluded(f)) {
        let display = display_path(&file, cwd);
        let (key, name, module, is_test) = match owner(&file) {
            Some(package) => {
                let (module, is_test) = package.module_of(&file);
                (package.root.clone(), package.crate_name(), module, is_test)
            }
            None => {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().replace('-', "_"))
                    .unwrap_or_default();
                (file.clone(), stem, Vec::new(), false)
            }
        };
        crates
            .entry(key)
            .or_insert_with(|| CrateSources {
                name,
                ..CrateSources::default()
            })
            .files
            .push(SourceFile {
                path: file,
                display,
                module,
                is_test,
                report: true,
                text: None,
            });
    }
    Discovery {
        workspaces: crates
            .into_values()
            .map(WorkspaceSources::of_crate)
            .collect(),
        errors,
        found,
    }
}

/// A cargo package: where it is, where its library sources start, and
/// which of its files are test code by its manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub root: PathBuf,
    /// The folder of the library (or main binary) root, `src` by default.
    pub src: PathBuf,
    /// `[lib] name`, when the library is not named after the package.
    pub lib_name: Option<String>,
    /// The crate roots of `[[test]]`, `[[bench]]` and `[[example]]` targets
    /// declared with a path, and every file of their module trees, by
    /// module path: test code wherever it is (`path = "src/bench.rs"` with
    /// `mod database;` makes `src/database.rs` test code).
    pub test_files: HashMap<PathBuf, Vec<String>>,
}

impl Package {
    /// Reads the package of the manifest `Cargo.toml`; `None` for a
    /// virtual manifest or one that does not parse.
    pub fn from_manifest(manifest: &Path) -> Option<Package> {
        Package::of(&Manifest::read(manifest)?)
    }

    /// The package a parsed manifest declares, if it declares one.
    pub fn of(manifest: &Manifest) -> Option<Package> {
        let section = manifest.package.as_ref()?;
        let root = manifest.root.clone();
        let src = match section.lib_path.as_deref().and_then(Path::parent) {
            Some(dir) => root.join(dir),
            None => root.join("src"),
        };
        let test_roots: Vec<PathBuf> = manifest
            .targets
            .iter()
            .filter(|t| t.kind != TargetKind::Bin)
            .filter_map(|t| t.path.as_ref())
            .map(|path| root.join(path))
            .collect();
        // The roots of the code that is not test code: where a test root
        // shares their folder, the modules they declare stay theirs.
        let mut other_roots: Vec<PathBuf> = vec![
            root.join(
                section
                    .lib_path
                    .as_deref()
                    .unwrap_or(Path::new("src/lib.rs")),
            ),
            root.join("src/main.rs"),
        ];
        other_roots.extend(
            manifest
                .targets
                .iter()
                .filter(|t| t.kind == TargetKind::Bin)
                .filter_map(|t| t.path.as_ref())
                .map(|path| root.join(path)),
        );
        let mut test_files = HashMap::new();
        for test_root in &test_roots {
            let skip: Vec<String> = other_roots
                .iter()
                .filter(|r| r.parent() == test_root.parent() && *r != test_root)
                .flat_map(|r| crate::module_tree::top_level_modules(r))
                .collect();
            for (file, module) in crate::module_tree::module_tree(test_root, &skip) {
                test_files.entry(file).or_insert(module);
            }
        }
        Some(Package {
            name: section.name.clone(),
            root,
            src,
            lib_name: section.lib_name.clone(),
            test_files,
        })
    }

    /// The name Rust code uses for the crate.
    pub fn crate_name(&self) -> String {
        self.lib_name
            .as_deref()
            .unwrap_or(&self.name)
            .replace('-', "_")
    }

    /// The module path of `file` inside the crate, and whether the whole file
    /// is test code: under `tests/`, `benches/` or `examples/`, or in the
    /// module tree of a test, bench or example target the manifest declares.
    pub fn module_of(&self, file: &Path) -> (Vec<String>, bool) {
        if let Some(module) = self.test_files.get(file) {
            return (module.clone(), true);
        }
        if let Ok(relative) = file.strip_prefix(&self.src) {
            let parts = components(relative);
            if parts.first().is_some_and(|p| p == "bin") && parts.len() > 1 {
                return (module_path(&parts[1..], true), false);
            }
            return (module_path(&parts, false), false);
        }
        let parts = match file.strip_prefix(&self.root) {
            Ok(relative) => components(relative),
            Err(_) => return (Vec::new(), false),
        };
        match parts.first().map(String::as_str) {
            Some("tests" | "benches" | "examples") if parts.len() > 1 => {
                (module_path(&parts[1..], true), true)
            }
            _ => (Vec::new(), false),
        }
    }
}

fn components(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// `a/b.rs` -> `[a, b]`, `a/mod.rs` -> `[a]`, `lib.rs`/`main.rs` -> `[]`.
/// Under `tests/`, `examples/` and `src/bin/` every top-level file is a crate
/// root of its own (`roots`).
fn module_path(parts: &[String], roots: bool) -> Vec<String> {
    let Some((file, dirs)) = parts.split_last() else {
        return Vec::new();
    };
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    if dirs.is_empty() && (roots || stem == "lib" || stem == "main") {
        return Vec::new();
    }
    if roots && stem == "main" && dirs.len() == 1 {
        return Vec::new();
    }
    let mut module: Vec<String> = dirs.to_vec();
    if stem != "mod" {
        module.push(stem.to_string());
    }
    module
}

/// Finds the package owning a file, remembering each folder's answer.
#[derive(Default)]
pub struct Packages {
    nearest: NearestAbove<Package>,
}

impl Packages {
    /// The nearest package above `file`: the first folder with a Cargo.toml
    /// that has a `[package]` (workspace-only manifests are passed over).
    pub fn owner(&mut self, file: &Path) -> Option<Package> {
        self.nearest
            .find(file, |dir| Package::from_manifest(&dir.join("Cargo.toml")))
    }
}

/// The first folder above a file for which `read` answers, remembering the
/// answer of every folder passed on the way, so that the files of one tree
/// read each manifest once.
pub struct NearestAbove<T> {
    by_dir: HashMap<PathBuf, Option<T>>,
}

impl<T> Default for NearestAbove<T> {
    fn default() -> Self {
        NearestAbove {
            by_dir: HashMap::new(),
        }
    }
}

impl<T: Clone> NearestAbove<T> {
    pub fn find(&mut self, file: &Path, read: impl Fn(&Path) -> Option<T>) -> Option<T> {
        let mut visited = Vec::new();
        let mut found = None;
        for dir in file.ancestors().skip(1) {
            if let Some(known) = self.by_dir.get(dir) {
                found = known.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            if let Some(value) = read(dir) {
                found = Some(value);
                break;
            }
        }
        for dir in visited {
            self.by_dir.insert(dir, found.clone());
        }
        found
    }
}

/// A path as reports show it: relative to `cwd` with `/` separators when
/// inside it, absolute otherwise.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let text = shown.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Paths as one string for messages.
pub fn join_paths(paths: &[PathBuf]) -> String {
    let unique: HashSet<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut sorted: Vec<String> = unique.into_iter().collect();
    sorted.sort();
    sorted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package() -> Package {
        Package {
            name: "my-app".into(),
            root: "/p".into(),
            src: "/p/src".into(),
            lib_name: None,
            test_files: [
                ("/p/src/tests/mod.rs", vec![]),
                ("/p/src/tests/db.rs", vec!["db"]),
                ("/p/src/it.rs", vec![]),
            ]
            .into_iter()
            .map(|(f, m)| (f.into(), m.into_iter().map(String::from).collect()))
            .collect(),
        }
    }

    #[test]
    fn module_paths_follow_the_file_layout() {
        let p = package();
        let m = |f: &str| p.module_of(Path::new(f));
        assert_eq!(m("/p/src/lib.rs"), (vec![], false));
        assert_eq!(m("/p/src/main.rs"), (vec![], false));
        assert_eq!(
            m("/p/src/a/b.rs"),
            (vec!["a".to_string(), "b".to_string()], false)
        );
        assert_eq!(m("/p/src/a/mod.rs"), (vec!["a".to_string()], false));
        assert_eq!(m("/p/src/bin/tool.rs"), (vec![], false));
        assert_eq!(m("/p/tests/it.rs"), (vec![], true));
        assert_eq!(
            m("/p/tests/common/mod.rs"),
            (vec!["common".to_string()], true)
        );
        assert_eq!(m("/p/benches/b.rs"), (vec![], true));
        assert_eq!(m("/p/build.rs"), (vec![], false));
        assert_eq!(m("/p/examples/demo.rs"), (vec![], true));
        // Test targets the manifest declares with a path, and their modules.
        assert_eq!(m("/p/src/tests/mod.rs"), (vec![], true));
        assert_eq!(m("/p/src/tests/db.rs"), (vec!["db".to_string()], true));
        assert_eq!(m("/p/src/it.rs"), (vec![], true));
        assert_eq!(p.crate_name(), "my_app");
        let lib = Package {
            lib_name: Some("app-core".into()),
            ..package()
        };
        assert_eq!(lib.crate_name(), "app_core");
    }

    #[test]
    fn display_paths_are_relative_inside_the_working_directory() {
        assert_eq!(
            display_path(Path::new("/w/src/a.rs"), Path::new("/w")),
            "src/a.rs"
        );
        assert_eq!(
            display_path(Path::new("/x/a.rs"), Path::new("/w")),
            "/x/a.rs"
        );
    }
}
