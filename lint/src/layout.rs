//! From files to workspaces: the unit of analysis is the cargo workspace,
//! so the files to lint are grouped by the packages that own them, and
//! each package by the workspace it is a member of. A workspace is always
//! analysed whole: the files asked for are reported, every other file of
//! every member is read as context (a factory in one member, called per
//! request in another, is found wherever the linted file is).
//!
//! What the analysis learns from the manifests:
//!
//! - each member's crate name (`[lib] name`, else the package name), and
//!   the names its code gives other members (`db = { package = "..", path
//!   = ".." }`, `workspace = true` inherited from the root);
//! - test code: files under `tests/`, `benches/` and `examples/`, the
//!   module trees of `[[test]]`, `[[bench]]` and `[[example]]` targets
//!   declared with a path (read from their `mod` declarations, see
//!   `module_tree.rs`), and every file of a member that other members
//!   use only as a dev-dependency (a `test-utils` or `test_db` crate);
//! - test-only features: a member's features that other members turn on
//!   only from `[dev-dependencies]`, and features named for tests (`test`,
//!   `testing`, `test-utils`, `test_helpers`…) that are not on by default.
//!   Code behind `#[cfg(feature = "..")]` with one of them is test code.
//!
//! A package under a `[workspace]` root is its member unless the root's
//! `exclude` names its folder; a package without one is a workspace of its
//! own, and a file outside any package is a crate of its own.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Exclude;
use crate::discover::{display_path, walk, NearestAbove, Package, WalkOptions};
use crate::engine::{CrateSources, FileError, SourceFile, WorkspaceSources};
use crate::manifest::{DependencyKind, Manifest};

/// What a layout found.
#[derive(Debug, Default)]
pub struct Grouped {
    pub workspaces: Vec<WorkspaceSources>,
    /// Folders of members that could not be walked.
    pub errors: Vec<FileError>,
}

/// Reads manifests once per folder.
#[derive(Default)]
pub struct Layout {
    /// The nearest manifest with a `[package]` above a file.
    packages: NearestAbove<PathBuf>,
    manifests: HashMap<PathBuf, Option<Manifest>>,
}

/// A workspace being put together: its members' folders, by root.
struct Members {
    /// The root manifest's folder, or the lone package's.
    root: PathBuf,
    packages: BTreeSet<PathBuf>,
}

impl Layout {
    fn manifest(&mut self, dir: &Path) -> Option<&Manifest> {
        if !self.manifests.contains_key(dir) {
            let manifest = Manifest::read(&dir.join("Cargo.toml"));
            self.manifests.insert(dir.to_path_buf(), manifest);
        }
        self.manifests.get(dir).and_then(Option::as_ref)
    }

    /// The folder of the package owning `file`.
    fn owner(&mut self, file: &Path) -> Option<PathBuf> {
        let manifests = std::cell::RefCell::new(std::mem::take(&mut self.manifests));
        let found = self.packages.find(file, |dir| {
            let mut manifests = manifests.borrow_mut();
            let manifest = manifests
                .entry(dir.to_path_buf())
                .or_insert_with(|| Manifest::read(&dir.join("Cargo.toml")));
            manifest
                .as_ref()
                .filter(|m| m.package.is_some())
                .map(|_| dir.to_path_buf())
        });
        self.manifests = manifests.into_inner();
        found
    }

    /// The root of the workspace `package` is a member of: the nearest
    /// folder at or above it whose manifest has a `[workspace]` that does
    /// not exclude it; the package's own folder when there is none.
    fn workspace_root(&mut self, package: &Path) -> PathBuf {
        for dir in package.ancestors() {
            let Some(workspace) = self.manifest(dir).and_then(|m| m.workspace.clone()) else {
                continue;
            };
            let excluded = workspace
                .exclude
                .iter()
                .any(|e| package.starts_with(dir.join(e)));
            return if excluded {
                package.to_path_buf()
            } else {
                dir.to_path_buf()
            };
        }
        package.to_path_buf()
    }

    /// The member packages of the workspace rooted at `root`: the root's own
    /// package, and every package below it whose workspace root is `root`
    /// and whose folder matches `members`.
    fn members(&mut self, root: &Path) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        let Some(manifest) = self.manifest(root).cloned() else {
            return out;
        };
        if manifest.package.is_some() {
            out.insert(root.to_path_buf());
        }
        let Some(workspace) = manifest.workspace else {
            return out;
        };
        let mut globs = globset::GlobSetBuilder::new();
        for member in &workspace.members {
            if let Ok(glob) = globset::Glob::new(member.trim_end_matches('/')) {
                globs.add(glob);
            }
        }
        let Ok(globs) = globs.build() else {
            return out;
        };
        for dir in manifest_dirs(root) {
            let Ok(relative) = dir.strip_prefix(root) else {
                continue;
            };
            if globs.is_match(relative)
                && self.workspace_root(&dir) == root
                && self.manifest(&dir).is_some_and(|m| m.package.is_some())
            {
                out.insert(dir);
            }
        }
        out
    }

    /// Groups `files` into whole workspaces. The files given are reported,
    /// unless `exclude` names them; the other files of each workspace are
    /// context. A workspace none of whose files is reported is left out.
    pub fn group(&mut self, files: &[PathBuf], cwd: &Path, exclude: &Exclude) -> Grouped {
        let given: HashSet<&PathBuf> = files.iter().collect();
        let mut workspaces: BTreeMap<PathBuf, Members> = BTreeMap::new();
        let mut loose: Vec<&PathBuf> = Vec::new();
        for file in files {
            match self.owner(file) {
                Some(package) => {
                    let root = self.workspace_root(&package);
                    let members = workspaces.entry(root.clone()).or_insert_with(|| Members {
                        root: root.clone(),
                        packages: BTreeSet::new(),
                    });
                    members.packages.insert(package);
                }
                None => loose.push(file),
            }
        }
        let mut out = Grouped::default();
        for (root, mut members) in workspaces {
            members.packages.extend(self.members(&root));
            let workspace = self.workspace(&members, &given, cwd, exclude, &mut out.errors);
            let reported = workspace
                .crates
                .iter()
                .flat_map(|c| &c.files)
                .any(|f| f.report);
            if reported {
                out.workspaces.push(workspace);
            }
        }
        for file in loose {
            if exclude.is_excluded(file) {
                continue;
            }
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().replace('-', "_"))
                .unwrap_or_default();
            out.workspaces
                .push(WorkspaceSources::of_crate(CrateSources {
                    name,
                    files: vec![source_file(file, cwd, Vec::new(), false, true)],
                    ..CrateSources::default()
                }));
        }
        out
    }

    /// One workspace: every file of every member, with what the manifests
    /// say about each crate.
    fn workspace(
        &mut self,
        members: &Members,
        given: &HashSet<&PathBuf>,
        cwd: &Path,
        exclude: &Exclude,
        errors: &mut Vec<FileError>,
    ) -> WorkspaceSources {
        let root_manifest = self.manifest(&members.root).cloned();
        let mut manifests: Vec<Manifest> = Vec::new();
        for dir in &members.packages {
            if let Some(manifest) = self.manifest(dir) {
                let mut manifest = manifest.clone();
                if let Some(root) = &root_manifest {
                    manifest.inherit(root);
                }
                manifests.push(manifest);
            }
        }
        let facts = MemberFacts::new(&manifests);
        let skip: Vec<PathBuf> = root_manifest
            .as_ref()
            .and_then(|m| m.workspace.as_ref())
            .map(|w| w.exclude.iter().map(|e| members.root.join(e)).collect())
            .unwrap_or_default();
        let mut crates = Vec::new();
        for manifest in &manifests {
            let Some(package) = Package::of(manifest) else {
                continue;
            };
            let options = WalkOptions {
                skip_nested_packages: true,
                skip: canonical(&skip),
            };
            let mut files = Vec::new();
            walk(&package.root, cwd, options, &mut files, errors);
            files.sort();
            let dev_only = facts.dev_only.contains(&canonical_dir(&package.root));
            let files = files
                .iter()
                .map(|file| {
                    let (module, is_test) = package.module_of(file);
                    let report = given.contains(file) && !exclude.is_excluded(file);
                    source_file(file, cwd, module, is_test || dev_only, report)
                })
                .collect();
            crates.push(CrateSources {
                name: package.crate_name(),
                externs: facts.externs(manifest),
                test_features: facts.test_features(manifest),
                files,
            });
        }
        WorkspaceSources { crates }
    }
}

/// Facts about the members of one workspace that come from more than one
/// manifest: who depends on whom, and how.
struct MemberFacts {
    /// Crate name of each member, by folder.
    crate_names: HashMap<PathBuf, String>,
    /// Member folders by package name.
    by_name: HashMap<String, PathBuf>,
    /// Members only ever used as dev-dependencies.
    dev_only: HashSet<PathBuf>,
    /// For each member, the features others turn on, and whether every
    /// such use is a dev-dependency.
    enabled: HashMap<PathBuf, HashMap<String, bool>>,
}

impl MemberFacts {
    fn new(manifests: &[Manifest]) -> MemberFacts {
        let mut crate_names = HashMap::new();
        let mut by_name = HashMap::new();
        for manifest in manifests {
            if let (Some(name), Some(krate)) = (manifest.package_name(), manifest.crate_name()) {
                crate_names.insert(canonical_dir(&manifest.root), krate);
                by_name.insert(name.to_string(), canonical_dir(&manifest.root));
            }
        }
        let mut facts = MemberFacts {
            crate_names,
            by_name,
            dev_only: HashSet::new(),
            enabled: HashMap::new(),
        };
        let mut dev_users: HashSet<PathBuf> = HashSet::new();
        let mut other_users: HashSet<PathBuf> = HashSet::new();
        for manifest in manifests {
            for dep in &manifest.dependencies {
                let Some(target) = facts.member_of(dep) else {
                    continue;
                };
                let dev = dep.kind == DependencyKind::Dev;
                if dev {
                    dev_users.insert(target.clone());
                } else {
                    other_users.insert(target.clone());
                }
                let enabled = facts.enabled.entry(target).or_default();
                for feature in &dep.features {
                    let only_dev = enabled.entry(feature.clone()).or_insert(true);
                    *only_dev &= dev;
                }
            }
        }
        facts.dev_only = dev_users.difference(&other_users).cloned().collect();
        facts
    }

    /// The member a dependency names: by path, else by package name.
    fn member_of(&self, dep: &crate::manifest::Dependency) -> Option<PathBuf> {
        if let Some(path) = &dep.path {
            let dir = canonical_dir(path);
            return self.crate_names.contains_key(&dir).then_some(dir);
        }
        self.by_name.get(&dep.package).cloned()
    }

    /// The names `manifest`'s code gives other members, where they differ
    /// from their crate names.
    fn externs(&self, manifest: &Manifest) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for dep in &manifest.dependencies {
            let Some(target) = self.member_of(dep) else {
                continue;
            };
            if let Some(krate) = self.crate_names.get(&target) {
                if *krate != dep.name_in_code && !out.iter().any(|(n, _)| n == &dep.name_in_code) {
                    out.push((dep.name_in_code.clone(), krate.clone()));
                }
            }
        }
        out
    }

    /// The member's features that only test builds turn on.
    fn test_features(&self, manifest: &Manifest) -> Vec<String> {
        let enabled = self.enabled.get(&canonical_dir(&manifest.root));
        let defaults: HashSet<&String> = manifest
            .features
            .get("default")
            .into_iter()
            .flatten()
            .collect();
        manifest
            .features
            .keys()
            .filter(|name| !defaults.contains(name) && name.as_str() != "default")
            .filter(|name| match enabled.and_then(|e| e.get(*name)) {
                Some(only_dev) => *only_dev,
                None => named_for_tests(name),
            })
            .cloned()
            .collect()
    }
}

/// Feature names that say the feature exists for tests.
fn named_for_tests(name: &str) -> bool {
    let name = name.replace('_', "-");
    matches!(
        name.as_str(),
        "test"
            | "tests"
            | "testing"
            | "test-utils"
            | "test-util"
            | "testutils"
            | "test-helpers"
            | "test-support"
            | "test-fixtures"
            | "integration-tests"
            | "mock"
            | "mocks"
    )
}

fn source_file(
    file: &Path,
    cwd: &Path,
    module: Vec<String>,
    is_test: bool,
    report: bool,
) -> SourceFile {
    SourceFile {
        path: file.to_path_buf(),
        display: display_path(file, cwd),
        module,
        is_test,
        report,
        text: None,
    }
}

/// Folders below `root` holding a `Cargo.toml`, skipping `target/` and
/// hidden folders.
fn manifest_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != "target")
        .build();
    for entry in walker.flatten() {
        if entry.file_name() == "Cargo.toml" {
            if let Some(dir) = entry.path().parent() {
                out.push(dir.to_path_buf());
            }
        }
    }
    out
}

fn canonical_dir(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn canonical(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().map(|p| canonical_dir(p)).collect()
}
