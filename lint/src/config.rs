//! Configuration: `connlint.toml`, or the `[workspace.metadata.connlint]`
//! (or `[package.metadata.connlint]`) table of a Cargo.toml.
//!
//! Each file is linted with the configuration nearest above it, looking
//! from the file's own folder upward (not from the working directory, so
//! `cd /tmp && connlint ~/app` uses `~/app`'s): the first folder with a
//! `connlint.toml`, or with a Cargo.toml that has a connlint table, wins,
//! and in one folder `connlint.toml` wins over Cargo.toml. Configurations
//! are not merged: the nearest is the whole configuration, as with ruff.
//! Unknown keys are errors: a misspelt `ignore` that silently did nothing
//! would hide the very findings it was meant to tune.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::discover::NearestAbove;
use crate::engine::WorkspaceSources;
use crate::Error;

/// The file name searched upward from each linted file.
pub const CONFIG_FILE: &str = "connlint.toml";

/// The keys of a configuration, all optional (`docs/configuration.md`
/// describes each).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The rules to report, replacing the default (every rule).
    pub select: Option<Vec<String>>,
    /// Rules to report on top of `select`.
    pub extend_select: Option<Vec<String>>,
    /// Rules not to report.
    pub ignore: Option<Vec<String>>,
    /// More rules not to report, on top of `ignore`.
    pub extend_ignore: Option<Vec<String>>,
    /// Globs relative to the configuration's folder.
    pub exclude: Option<Vec<String>>,
    pub include_tests: Option<bool>,
    /// The user's own connection openers, closers and request handlers,
    /// read by [`connlint_rules::UserModel`].
    #[serde(default)]
    pub openers: Vec<toml::Value>,
    #[serde(default)]
    pub closers: Vec<toml::Value>,
    #[serde(default)]
    pub handlers: Vec<toml::Value>,
}

/// A loaded configuration and where it came from.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub settings: Settings,
    /// The file it was read from; `None` when no configuration was found.
    pub path: Option<PathBuf>,
    /// The folder `exclude` globs are relative to.
    pub root: PathBuf,
}

impl Config {
    /// Where the configuration came from, for error messages.
    pub fn origin(&self, key: &str) -> String {
        match &self.path {
            Some(path) => format!("`{key}` in {}", path.display()),
            None => format!("`{key}`"),
        }
    }

    /// The user's openers, closers and handlers.
    pub fn user_model(&self) -> Result<connlint_rules::UserModel, Error> {
        let settings = &self.settings;
        connlint_rules::UserModel::from_values(
            &settings.openers,
            &settings.closers,
            &settings.handlers,
        )
        .map_err(|e| Error::Config {
            path: self
                .path
                .as_ref()
                .map_or_else(|| "the configuration".into(), |p| p.display().to_string()),
            message: e.to_string(),
        })
    }

    /// Compiles the `exclude` globs.
    pub fn exclude(&self) -> Result<Exclude, Error> {
        let globs = self.settings.exclude.as_deref().unwrap_or_default();
        let path = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Exclude::new(&self.root, globs, &path)
    }
}

/// The configuration file of a folder, if it has one: its `connlint.toml`,
/// else its Cargo.toml when that has a connlint metadata table.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    let file = dir.join(CONFIG_FILE);
    if file.is_file() {
        return Some(file);
    }
    let manifest = dir.join("Cargo.toml");
    // A broken manifest of some unrelated folder above must not stop the
    // run; cargo reports it when it matters.
    let text = std::fs::read_to_string(&manifest).ok()?;
    let table = text.parse::<toml::Table>().ok()?;
    metadata_table(&table).is_some().then_some(manifest)
}

/// The configuration of each file: the `--config` file for every file, or
/// the nearest one above each. Every configuration is read once, when a file
/// first needs it.
#[derive(Default)]
pub struct Configs {
    forced: Option<Config>,
    nearest: NearestAbove<PathBuf>,
    loaded: BTreeMap<PathBuf, Config>,
    /// The folders the run walks (absolute): the excludes of configurations
    /// in them cover the configurations below.
    walked: Vec<PathBuf>,
}

impl Configs {
    /// `forced` (`--config`) applies to every file when given.
    pub fn new(forced: Option<&Path>) -> Result<Configs, Error> {
        Ok(Configs {
            forced: forced.map(load).transpose()?,
            ..Configs::default()
        })
    }

    /// Records the folders (or files) the run lints, absolute: a
    /// configuration inside them excludes for the folders below it too.
    pub fn walking(mut self, roots: impl IntoIterator<Item = PathBuf>) -> Configs {
        self.walked = roots
            .into_iter()
            .map(|root| root.canonicalize().unwrap_or(root))
            .collect();
        self
    }

    /// The configuration file that applies to `file` (absolute), reading it
    /// if it is new; `None` when none does.
    pub fn file_for(&mut self, file: &Path) -> Result<Option<PathBuf>, Error> {
        if let Some(forced) = &self.forced {
            return Ok(forced.path.clone());
        }
        let Some(path) = self.nearest.find(file, file_in) else {
            return Ok(None);
        };
        if !self.loaded.contains_key(&path) {
            let config = load(&path)?;
            self.loaded.insert(path.clone(), config);
        }
        Ok(Some(path))
    }

    /// The configuration read from `path` (as [`Configs::file_for`]
    /// returned it), or the defaults for `None`.
    pub fn get(&self, path: Option<&Path>) -> Config {
        if let Some(forced) = &self.forced {
            return forced.clone();
        }
        path.and_then(|p| self.loaded.get(p))
            .cloned()
            .unwrap_or_default()
    }

    /// Whether a configuration above `nearest` (the one that applies to
    /// `file`) and inside the folders walked excludes the file: `exclude = ["testdata/**"]` at the root
    /// covers a fixture workspace there with a configuration of its own, as
    /// a walk from the root would never enter the excluded folder.
    fn excluded_by_outer(
        &mut self,
        file: &Path,
        nearest: Option<&Path>,
        excludes: &mut BTreeMap<Option<PathBuf>, Exclude>,
    ) -> Result<bool, Error> {
        if self.forced.is_some() {
            return Ok(false);
        }
        let mut inner = nearest.and_then(Path::parent).map(Path::to_path_buf);
        while let Some(dir) = inner {
            let Some(outer) = self.nearest.find(&dir, file_in) else {
                break;
            };
            let outer_dir = outer.parent().unwrap_or(Path::new(""));
            if !self.walked.iter().any(|root| outer_dir.starts_with(root)) {
                // Above where the run starts: linting a fixture project from
                // inside it is asking for it.
                break;
            }
            if !self.loaded.contains_key(&outer) {
                let config = load(&outer)?;
                self.loaded.insert(outer.clone(), config);
            }
            let key = Some(outer.clone());
            if !excludes.contains_key(&key) {
                excludes.insert(key.clone(), self.get(Some(&outer)).exclude()?);
            }
            if excludes[&key].is_excluded(file) {
                return Ok(true);
            }
            inner = outer.parent().map(Path::to_path_buf);
        }
        Ok(false)
    }

    /// Splits the reported files of `workspaces` by the configuration
    /// nearest each, and leaves out of reporting those it excludes. Each
    /// group keeps every workspace it reports on whole, the files of other
    /// groups as context: a workspace split between two configurations is
    /// still analysed as one.
    pub fn split(
        &mut self,
        workspaces: Vec<WorkspaceSources>,
    ) -> Result<Vec<(Config, Vec<WorkspaceSources>)>, Error> {
        let mut keys: BTreeMap<PathBuf, Option<PathBuf>> = BTreeMap::new();
        let mut excludes: BTreeMap<Option<PathBuf>, Exclude> = BTreeMap::new();
        for file in workspaces
            .iter()
            .flat_map(|w| w.files())
            .filter(|f| f.report)
        {
            let key = self.file_for(&file.path)?;
            if !excludes.contains_key(&key) {
                excludes.insert(key.clone(), self.get(key.as_deref()).exclude()?);
            }
            if !self.excluded_by_outer(&file.path, key.as_deref(), &mut excludes)? {
                keys.insert(file.path.clone(), key);
            }
        }
        let mut groups = Vec::new();
        for (key, exclude) in &excludes {
            let mut group = Vec::new();
            for workspace in &workspaces {
                let mut part = workspace.clone();
                let mut any = false;
                for file in part.crates.iter_mut().flat_map(|c| c.files.iter_mut()) {
                    file.report = file.report
                        && keys.get(&file.path) == Some(key)
                        && !exclude.is_excluded(&file.path);
                    any |= file.report;
                }
                if any {
                    group.push(part);
                }
            }
            if group.is_empty() {
                // An outer configuration consulted only for its excludes.
                continue;
            }
            groups.push((self.get(key.as_deref()), group));
        }
        Ok(groups)
    }
}

/// Reads a configuration file: a `connlint.toml`, or a Cargo.toml whose
/// metadata table holds the settings.
pub fn load(path: &Path) -> Result<Config, Error> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: shown.clone(),
        source,
    })?;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if path.file_name().is_some_and(|name| name == "Cargo.toml") {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| config_error(&path, e.to_string()))?;
        let value = metadata_table(&table)
            .cloned()
            .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
        return from_value(value, &path);
    }
    let settings: Settings =
        toml::from_str(&text).map_err(|e| config_error(&path, e.to_string()))?;
    Ok(Config {
        settings,
        root: parent(&path),
        path: Some(path),
    })
}

fn metadata_table(manifest: &toml::Table) -> Option<&toml::Value> {
    ["workspace", "package"]
        .iter()
        .find_map(|section| manifest.get(*section)?.get("metadata")?.get("connlint"))
}

fn from_value(value: toml::Value, manifest: &Path) -> Result<Config, Error> {
    let settings: Settings = value
        .try_into()
        .map_err(|e: toml::de::Error| config_error(manifest, e.message().to_string()))?;
    Ok(Config {
        settings,
        root: parent(manifest),
        path: Some(manifest.to_path_buf()),
    })
}

fn parent(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

fn config_error(path: &Path, message: String) -> Error {
    Error::Config {
        path: path.display().to_string(),
        message: message.trim_end().to_string(),
    }
}

/// Paths the configuration excludes from linting.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    root: PathBuf,
    set: Option<GlobSet>,
}

impl Exclude {
    /// Compiles `globs`, relative to `root`; `origin` names the file they
    /// came from.
    pub fn new(root: &Path, globs: &[String], origin: &str) -> Result<Exclude, Error> {
        if globs.is_empty() {
            return Ok(Exclude::default());
        }
        let mut builder = GlobSetBuilder::new();
        for glob in globs {
            let pattern = glob.trim_start_matches("./").trim_end_matches('/');
            let compiled = GlobBuilder::new(pattern).build().map_err(|e| Error::Glob {
                glob: glob.clone(),
                path: origin.to_string(),
                message: e.kind().to_string(),
            })?;
            builder.add(compiled);
        }
        let set = builder.build().map_err(|e| Error::Glob {
            glob: globs.join(", "),
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Ok(Exclude {
            root,
            set: Some(set),
        })
    }

    /// Whether `path` (absolute) or one of its folders below the root
    /// matches a glob, so that `exclude = ["generated"]` covers the folder.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let Some(set) = &self.set else { return false };
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| set.is_match(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_key() {
        let err = toml::from_str::<Settings>("selct = []")
            .unwrap_err()
            .to_string();
        assert!(err.contains("selct"), "{err}");
    }

    #[test]
    fn exclude_matches_folders_and_files() {
        let exclude =
            Exclude::new(Path::new("/r"), &["gen".into(), "**/*_pb.rs".into()], "x").unwrap();
        assert!(exclude.is_excluded(Path::new("/r/gen/a/b.rs")));
        assert!(exclude.is_excluded(Path::new("/r/src/x_pb.rs")));
        assert!(!exclude.is_excluded(Path::new("/r/src/gen.rs")));
        assert!(!exclude.is_excluded(Path::new("/elsewhere/gen/a.rs")));
    }
}
