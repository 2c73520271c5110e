//! `cargo connlint`: the members of the current cargo workspace, read with
//! `cargo metadata --no-deps` so that cargo's own rules (globs in
//! `members`, `exclude`, default members) decide what a member is.

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

use crate::config::Exclude;
use crate::discover::{self, Discovery, Package, WalkOptions};
use crate::Error;

/// The files of every workspace member, each member a crate named after its
/// package. A member's folder is walked without the folders of packages
/// nested in it (other members, excluded packages) and without `target/`.
pub fn discover(cwd: &Path, exclude: &Exclude) -> Result<Discovery, Error> {
    let metadata = MetadataCommand::new()
        .current_dir(cwd)
        .no_deps()
        .exec()
        .map_err(|e| match e {
            cargo_metadata::Error::CargoMetadata { stderr } => {
                Error::CargoMetadata(first_line(&stderr))
            }
            other => Error::CargoMetadata(other.to_string()),
        })?;
    let mut packages: Vec<Package> = Vec::new();
    for package in metadata.workspace_packages() {
        let manifest: PathBuf = package.manifest_path.clone().into_std_path_buf();
        let root = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = root.canonicalize().unwrap_or(root);
        let src = Package::from_manifest(&manifest)
            .map(|p| root.join(p.src.strip_prefix(&p.root).unwrap_or(Path::new("src"))));
        packages.push(Package {
            name: package.name.to_string(),
            src: src.unwrap_or_else(|| root.join("src")),
            root,
        });
    }
    let root: PathBuf = metadata.workspace_root.clone().into_std_path_buf();
    let options = WalkOptions {
        skip_nested_packages: true,
        skip: excluded_dirs(&root),
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for package in &packages {
        discover::walk(&package.root, cwd, options.clone(), &mut files, &mut errors);
    }
    // Longest root first, so a file belongs to the innermost member.
    packages.sort_by_key(|p| std::cmp::Reverse(p.root.as_os_str().len()));
    let mut owner = |file: &Path| packages.iter().find(|p| file.starts_with(&p.root)).cloned();
    Ok(discover::group(files, errors, cwd, exclude, &mut owner))
}

/// The folders of `[workspace] exclude`: fixtures and tools kept out of the
/// workspace are not part of the member that contains them, even when they
/// have no Cargo.toml of their own. `cargo metadata` does not report them.
fn excluded_dirs(root: &Path) -> Vec<PathBuf> {
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

/// cargo's errors run over many lines of context; the first says what failed.
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message);
    line.trim().trim_start_matches("error: ").to_string()
}
