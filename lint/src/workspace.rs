//! `cargo connlint`: the members of a cargo workspace, read with
//! `cargo metadata --no-deps` so that cargo's own rules (globs in
//! `members`, `exclude`, default members) decide what a member is, and
//! chosen the way cargo chooses the packages of `cargo check`.

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

use crate::config::Exclude;
use crate::discover::{self, Discovery, Package, WalkOptions};
use crate::Error;

/// Which packages to lint, with cargo's flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--manifest-path`: the Cargo.toml to start from instead of the one
    /// around the working directory.
    pub manifest_path: Option<PathBuf>,
    /// `-p/--package`: these members only (`name` or `name@version`).
    pub packages: Vec<String>,
    /// `--workspace`: every member.
    pub workspace: bool,
}

impl Selection {
    /// Every member of the workspace.
    pub fn workspace() -> Selection {
        Selection {
            workspace: true,
            ..Selection::default()
        }
    }
}

/// The files of the chosen workspace members, each member a crate named
/// after its package. Like cargo: `-p` names members, `--workspace` takes
/// all; otherwise, in a member's folder (or with `--manifest-path` naming a
/// member's manifest) that member, and at the workspace root every member,
/// or the `default-members` when the root manifest declares them. A
/// member's folder is walked without the folders of packages nested in it
/// (other members, excluded packages) and without `target/`.
///
/// Paths are shown relative to the workspace root, as cargo shows them,
/// whatever folder cargo connlint runs in; the workspace root is returned
/// with the files.
pub fn discover(
    cwd: &Path,
    exclude: &Exclude,
    selection: &Selection,
) -> Result<(Discovery, PathBuf), Error> {
    let mut command = MetadataCommand::new();
    command.current_dir(cwd).no_deps();
    if let Some(manifest) = &selection.manifest_path {
        command.manifest_path(cwd.join(manifest));
    }
    let metadata = command.exec().map_err(|e| match e {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            Error::CargoMetadata(first_line(&stderr))
        }
        other => Error::CargoMetadata(other.to_string()),
    })?;
    let root: PathBuf = metadata.workspace_root.clone().into_std_path_buf();
    let root = root.canonicalize().unwrap_or(root);
    let mut packages: Vec<(Package, String)> = Vec::new();
    for package in metadata.workspace_packages() {
        let manifest: PathBuf = package.manifest_path.clone().into_std_path_buf();
        let dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = dir.canonicalize().unwrap_or(dir);
        let package_info = Package {
            name: package.name.to_string(),
            src: dir.join("src"),
            root: dir,
            ..Package::default()
        };
        packages.push((package_info, package.version.to_string()));
    }
    // Longest root first, so a folder belongs to the innermost member.
    packages.sort_by_key(|(p, _)| std::cmp::Reverse(p.root.as_os_str().len()));

    let start = match &selection.manifest_path {
        Some(manifest) => {
            let dir = cwd.join(manifest);
            let dir = dir.parent().map(Path::to_path_buf).unwrap_or(dir);
            dir.canonicalize().unwrap_or(dir)
        }
        None => cwd.to_path_buf(),
    };
    let chosen = choose(&packages, &root, &start, selection)?;

    let options = WalkOptions {
        skip_nested_packages: true,
        skip: discover::excluded_dirs(&root),
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for package in &chosen {
        discover::walk(
            &package.root,
            &root,
            options.clone(),
            &mut files,
            &mut errors,
        );
    }
    // The chosen members are reported; the layout reads the rest of the
    // workspace as context.
    files.sort();
    files.dedup();
    let grouped = crate::layout::Layout::default().group(&files, &root, exclude);
    errors.extend(grouped.errors);
    let found = Discovery {
        found: files.len(),
        workspaces: grouped.workspaces,
        errors,
    };
    Ok((found, root))
}

/// The members to lint, longest root first.
fn choose(
    packages: &[(Package, String)],
    root: &Path,
    start: &Path,
    selection: &Selection,
) -> Result<Vec<Package>, Error> {
    if selection.workspace {
        return Ok(packages.iter().map(|(p, _)| p.clone()).collect());
    }
    if !selection.packages.is_empty() {
        let mut chosen = Vec::new();
        for spec in &selection.packages {
            let (name, version) = match spec.split_once('@') {
                Some((name, version)) => (name, Some(version)),
                None => (spec.as_str(), None),
            };
            let matching: Vec<&Package> = packages
                .iter()
                .filter(|(p, v)| p.name == name && version.is_none_or(|want| want == v))
                .map(|(p, _)| p)
                .collect();
            if matching.is_empty() {
                let mut members: Vec<&str> =
                    packages.iter().map(|(p, _)| p.name.as_str()).collect();
                members.sort();
                return Err(Error::Usage(format!(
                    "package `{spec}` is not a member of the workspace at {}; members: {}",
                    root.display(),
                    members.join(", ")
                )));
            }
            chosen.extend(matching.into_iter().cloned());
        }
        chosen.dedup();
        return Ok(chosen);
    }
    // The innermost member around the starting folder, as cargo finds the
    // package of the manifest nearest above it.
    let around = packages
        .iter()
        .map(|(p, _)| p)
        .find(|p| start.starts_with(&p.root));
    match around {
        Some(member) if member.root != root => Ok(vec![member.clone()]),
        _ => {
            let defaults = default_members(root);
            Ok(packages
                .iter()
                .map(|(p, _)| p)
                .filter(|p| defaults.as_ref().is_none_or(|dirs| dirs.contains(&p.root)))
                .cloned()
                .collect())
        }
    }
}

/// The folders of `[workspace] default-members`, when the root manifest
/// declares them. (cargo metadata reports default members too, but cannot
/// tell declared ones from the root package it picks when none are
/// declared; a bare `cargo connlint` at the root lints the workspace.)
fn default_members(root: &Path) -> Option<Vec<PathBuf>> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = text.parse().ok()?;
    let members = manifest
        .get("workspace")?
        .get("default-members")?
        .as_array()?;
    Some(
        members
            .iter()
            .filter_map(|m| m.as_str())
            .map(|m| {
                let dir = root.join(m);
                dir.canonicalize().unwrap_or(dir)
            })
            .collect(),
    )
}

/// cargo's errors run over many lines of context; the first says what failed.
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message);
    line.trim().trim_start_matches("error: ").to_string()
}
