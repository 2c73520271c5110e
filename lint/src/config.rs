//! Configuration: `connlint.toml`, or the `[workspace.metadata.connlint]`
//! (or `[package.metadata.connlint]`) table of a Cargo.toml.
//!
//! A `connlint.toml` anywhere above the working directory wins over Cargo.toml
//! metadata, so that a repository can keep one file at its root for every
//! workspace inside it. Unknown keys are errors: a misspelt `ignore` that
//! silently did nothing would hide the very findings it was meant to tune.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::Error;

/// The file name searched upward from the working directory.
pub const CONFIG_FILE: &str = "connlint.toml";

/// The keys of a configuration, all optional.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
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

/// Reads the configuration that applies in `cwd`: the `connlint.toml` nearest
/// above it, else the nearest Cargo.toml that has a connlint metadata table,
/// else the defaults.
pub fn discover(cwd: &Path) -> Result<Config, Error> {
    if let Some(path) = cwd
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|path| path.is_file())
    {
        return load(&path);
    }
    for dir in cwd.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        // A broken manifest of some unrelated folder above must not stop the
        // run; cargo reports it when it matters.
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(value) = metadata_table(&table) {
            return from_value(value.clone(), &manifest);
        }
    }
    Ok(Config {
        root: cwd.to_path_buf(),
        ..Config::default()
    })
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
