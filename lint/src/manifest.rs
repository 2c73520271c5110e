//! What a `Cargo.toml` says that the analysis needs: the package and the
//! name its library goes by, the targets that are test code, the path
//! dependencies between packages (and the names code gives them), the
//! features, and the `[workspace]` section. Read with `toml` so that
//! `connlint PATH` needs no cargo; `cargo connlint` asks cargo which
//! packages are members and reads their manifests here too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A parsed `Cargo.toml`.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// The folder the manifest is in.
    pub root: PathBuf,
    /// `[package]`, absent from a virtual manifest.
    pub package: Option<PackageSection>,
    /// `[[test]]`, `[[bench]]`, `[[example]]` and `[[bin]]` targets.
    pub targets: Vec<Target>,
    /// Every dependency, normal, dev and build, target-specific ones
    /// included.
    pub dependencies: Vec<Dependency>,
    /// `[features]`: each feature and what it turns on.
    pub features: BTreeMap<String, Vec<String>>,
    /// `[workspace]`, in a workspace's root manifest.
    pub workspace: Option<WorkspaceSection>,
}

/// `[package]` and `[lib]`.
#[derive(Clone, Debug, Default)]
pub struct PackageSection {
    pub name: String,
    /// `[lib] name`, when the library is not named after the package.
    pub lib_name: Option<String>,
    /// `[lib] path`, relative to the manifest's folder.
    pub lib_path: Option<PathBuf>,
}

/// Why a target is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Bin,
    Test,
    Bench,
    Example,
}

/// A `[[test]]`, `[[bench]]`, `[[example]]` or `[[bin]]` entry.
#[derive(Clone, Debug)]
pub struct Target {
    pub kind: TargetKind,
    pub name: Option<String>,
    /// Its crate root, relative to the manifest's folder, when given.
    pub path: Option<PathBuf>,
}

/// Which section a dependency is declared in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    Normal,
    Dev,
    Build,
}

/// One dependency.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The name code uses for it: the key, with `-` as `_`.
    pub name_in_code: String,
    /// The package it names (`package = ".."`, or the key).
    pub package: String,
    /// Its folder (absolute), for a path dependency.
    pub path: Option<PathBuf>,
    pub kind: DependencyKind,
    /// The features the entry turns on.
    pub features: Vec<String>,
}

/// `[workspace]`.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceSection {
    /// `members`, as written (globs allowed).
    pub members: Vec<String>,
    /// `exclude`, as written.
    pub exclude: Vec<String>,
    /// `[workspace.dependencies]`, which members inherit with
    /// `workspace = true`.
    pub dependencies: BTreeMap<String, toml::Value>,
}

impl Manifest {
    /// Reads `path`; `None` when it cannot be read or parsed.
    pub fn read(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let table: toml::Table = text.parse().ok()?;
        let root = path.parent()?.to_path_buf();
        Some(Manifest::from_table(root, &table))
    }

    fn from_table(root: PathBuf, table: &toml::Table) -> Manifest {
        let str_of =
            |value: Option<&toml::Value>| value.and_then(|v| v.as_str()).map(str::to_string);
        let package = table.get("package").and_then(|p| {
            let name = str_of(p.get("name"))?;
            let lib = table.get("lib");
            Some(PackageSection {
                name,
                lib_name: str_of(lib.and_then(|l| l.get("name"))),
                lib_path: str_of(lib.and_then(|l| l.get("path"))).map(PathBuf::from),
            })
        });
        let mut targets = Vec::new();
        for (key, kind) in [
            ("bin", TargetKind::Bin),
            ("test", TargetKind::Test),
            ("bench", TargetKind::Bench),
            ("example", TargetKind::Example),
        ] {
            for entry in table
                .get(key)
                .and_then(|t| t.as_array())
                .into_iter()
                .flatten()
            {
                targets.push(Target {
                    kind,
                    name: str_of(entry.get("name")),
                    path: str_of(entry.get("path")).map(PathBuf::from),
                });
            }
        }
        let mut dependencies = Vec::new();
        let mut sections: Vec<&toml::Table> = vec![table];
        if let Some(by_target) = table.get("target").and_then(|t| t.as_table()) {
            sections.extend(by_target.values().filter_map(|t| t.as_table()));
        }
        for section in sections {
            for (key, kind) in [
                ("dependencies", DependencyKind::Normal),
                ("dev-dependencies", DependencyKind::Dev),
                ("dev_dependencies", DependencyKind::Dev),
                ("build-dependencies", DependencyKind::Build),
                ("build_dependencies", DependencyKind::Build),
            ] {
                let Some(deps) = section.get(key).and_then(|d| d.as_table()) else {
                    continue;
                };
                for (name, spec) in deps {
                    dependencies.push(Dependency::new(name, spec, kind, &root));
                }
            }
        }
        let features = table
            .get("features")
            .and_then(|f| f.as_table())
            .map(|f| {
                f.iter()
                    .map(|(name, enables)| {
                        let list = enables
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|v| v.as_str())
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default();
                        (name.clone(), list)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let workspace = table.get("workspace").map(|w| {
            let list = |key: &str| -> Vec<String> {
                w.get(key)
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            WorkspaceSection {
                members: list("members"),
                exclude: list("exclude"),
                dependencies: w
                    .get("dependencies")
                    .and_then(|d| d.as_table())
                    .map(|d| d.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
            }
        });
        Manifest {
            root,
            package,
            targets,
            dependencies,
            features,
            workspace,
        }
    }

    /// The package's name, if the manifest has a `[package]`.
    pub fn package_name(&self) -> Option<&str> {
        self.package.as_ref().map(|p| p.name.as_str())
    }

    /// The name Rust code uses for the package's library.
    pub fn crate_name(&self) -> Option<String> {
        let package = self.package.as_ref()?;
        let name = package.lib_name.as_deref().unwrap_or(&package.name);
        Some(name.replace('-', "_"))
    }

    /// Fills in dependencies declared `workspace = true` from the workspace
    /// root's `[workspace.dependencies]`.
    pub fn inherit(&mut self, root: &Manifest) {
        let Some(workspace) = &root.workspace else {
            return;
        };
        for dep in &mut self.dependencies {
            if dep.path.is_some() {
                continue;
            }
            let key = workspace
                .dependencies
                .keys()
                .find(|k| k.replace('-', "_") == dep.package.replace('-', "_"));
            if let Some(spec) = key.and_then(|k| workspace.dependencies.get(k)) {
                if let Some(path) = spec.get("path").and_then(|p| p.as_str()) {
                    dep.path = Some(root.root.join(path));
                }
                if let Some(package) = spec.get("package").and_then(|p| p.as_str()) {
                    dep.package = package.to_string();
                }
            }
        }
    }
}

impl Dependency {
    fn new(key: &str, spec: &toml::Value, kind: DependencyKind, root: &Path) -> Dependency {
        let package = spec
            .get("package")
            .and_then(|p| p.as_str())
            .unwrap_or(key)
            .to_string();
        let path = spec
            .get("path")
            .and_then(|p| p.as_str())
            .map(|p| root.join(p));
        let features = spec
            .get("features")
            .and_then(|f| f.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Dependency {
            name_in_code: key.replace('-', "_"),
            package,
            path,
            kind,
            features,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest::from_table(PathBuf::from("/w/app"), &text.parse().unwrap())
    }

    #[test]
    fn packages_targets_dependencies_and_features() {
        let m = manifest(
            r#"
            [package]
            name = "app-server"
            [lib]
            name = "server"
            [[test]]
            name = "it"
            path = "src/tests/mod.rs"
            [dependencies]
            db = { package = "app-storage", path = "../storage" }
            serde = "1"
            [dev-dependencies]
            app-test-utils = { path = "../test-utils", features = ["fixtures"] }
            [target.'cfg(unix)'.dependencies]
            libc = "0.2"
            [features]
            default = ["tls"]
            tls = []
            "#,
        );
        assert_eq!(m.package_name(), Some("app-server"));
        assert_eq!(m.crate_name().as_deref(), Some("server"));
        assert_eq!(m.targets[0].kind, TargetKind::Test);
        assert_eq!(
            m.targets[0].path.as_deref(),
            Some(Path::new("src/tests/mod.rs"))
        );
        let db = &m.dependencies[0];
        assert_eq!(
            (db.name_in_code.as_str(), db.package.as_str()),
            ("db", "app-storage")
        );
        assert_eq!(db.path.as_deref(), Some(Path::new("/w/app/../storage")));
        let utils = m
            .dependencies
            .iter()
            .find(|d| d.kind == DependencyKind::Dev)
            .unwrap();
        assert_eq!(utils.name_in_code, "app_test_utils");
        assert_eq!(utils.features, ["fixtures"]);
        assert!(m.dependencies.iter().any(|d| d.package == "libc"));
        assert_eq!(m.features["default"], ["tls"]);
    }

    #[test]
    fn workspace_dependencies_are_inherited() {
        let root = Manifest::from_table(
            PathBuf::from("/w"),
            &r#"
            [workspace]
            members = ["crates/*"]
            exclude = ["fixtures"]
            [workspace.dependencies]
            app-storage = { path = "crates/storage" }
            "#
            .parse()
            .unwrap(),
        );
        let mut member = manifest(
            "[package]\nname = \"app\"\n[dependencies]\napp-storage = { workspace = true }\n",
        );
        member.inherit(&root);
        assert_eq!(
            member.dependencies[0].path.as_deref(),
            Some(Path::new("/w/crates/storage"))
        );
        let workspace = root.workspace.unwrap();
        assert_eq!(workspace.members, ["crates/*"]);
        assert_eq!(workspace.exclude, ["fixtures"]);
    }
}
