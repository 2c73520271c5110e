//! cargo's `--message-format=json`: one `compiler-message` object per line
//! and finding, then `build-finished`. Editors that run a check command and
//! read its JSON (rust-analyzer's `check.overrideCommand`, flycheck-style
//! plugins) show connlint's findings inline, with the suggested edits as
//! quick fixes, exactly as they show rustc's and clippy's.
//!
//! The messages follow rustc's JSON diagnostics: the finding is the primary
//! span, labels are secondary spans, the help line and a suggested edit are
//! `help` children, the latter with `suggested_replacement` and
//! `suggestion_applicability`. Which package and target a file belongs to is
//! read from the nearest `Cargo.toml` (see [`locate`]); editors use the
//! spans, not the target, so a file is attributed to its package's library
//! (or main binary) unless it sits in `tests/`, `examples/`, `benches/` or
//! `src/bin/`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use connlint_rules::{Applicability, Finding, Range, Severity};

use super::human;
use crate::Report;

/// The package and target cargo would name in a message about a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CargoTarget {
    /// cargo's package id spec: `path+file:///abs/root#name@version`.
    pub package_id: String,
    pub manifest_path: String,
    pub target: TargetInfo,
}

/// cargo's description of a build target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetInfo {
    pub kind: Vec<String>,
    pub crate_types: Vec<String>,
    pub name: String,
    pub src_path: String,
    pub edition: String,
    pub doc: bool,
    pub doctest: bool,
    pub test: bool,
}

#[derive(Serialize)]
struct CompilerMessage<'a> {
    reason: &'static str,
    package_id: &'a str,
    manifest_path: &'a str,
    target: &'a TargetInfo,
    message: Diagnostic,
}

#[derive(Serialize)]
struct Diagnostic {
    #[serde(rename = "$message_type")]
    message_type: &'static str,
    message: String,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<Span>,
    children: Vec<Diagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: &'static str,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct Span {
    file_name: String,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

#[derive(Serialize)]
struct BuildFinished {
    reason: &'static str,
    success: bool,
}

/// Renders one JSON object per line. `targets` maps a report path to its
/// package (see [`locate`]); a path it lacks gets a stand-in package named
/// after the file.
pub fn render(report: &Report, targets: &HashMap<String, CargoTarget>) -> String {
    let rendered = human::render_each(report);
    let mut out = String::new();
    let mut line = |target: &CargoTarget, message: Diagnostic| {
        let message = CompilerMessage {
            reason: "compiler-message",
            package_id: &target.package_id,
            manifest_path: &target.manifest_path,
            target: &target.target,
            message,
        };
        out.push_str(&serde_json::to_string(&message).unwrap_or_default());
        out.push('\n');
    };
    let target_of = |path: &str| {
        targets
            .get(path)
            .cloned()
            .unwrap_or_else(|| stand_in(Path::new(path)))
    };
    for ((path, finding), rendered) in report.iter().zip(rendered) {
        let text = report
            .files
            .get(finding.file)
            .map_or("", |f| f.text.as_str());
        line(&target_of(path), diagnostic(path, text, finding, rendered));
    }
    for error in &report.errors {
        let message = format!("cannot lint {}: {}", error.path, error.message);
        line(
            &target_of(&error.path),
            Diagnostic {
                message_type: "diagnostic",
                rendered: Some(format!("error: {message}\n\n")),
                message,
                code: None,
                level: "error",
                spans: vec![Span {
                    file_name: error.path.clone(),
                    byte_start: 0,
                    byte_end: 0,
                    line_start: 1,
                    line_end: 1,
                    column_start: 1,
                    column_end: 1,
                    is_primary: true,
                    text: Vec::new(),
                    label: None,
                    suggested_replacement: None,
                    suggestion_applicability: None,
                    expansion: None,
                }],
                children: Vec::new(),
            },
        );
    }
    let finished = BuildFinished {
        reason: "build-finished",
        success: report.findings.is_empty() && report.errors.is_empty(),
    };
    out.push_str(&serde_json::to_string(&finished).unwrap_or_default());
    out.push('\n');
    out
}

fn diagnostic(path: &str, text: &str, f: &Finding, rendered: String) -> Diagnostic {
    let mut spans = vec![span(path, text, f.range, true, None)];
    spans.extend(
        f.labels
            .iter()
            .map(|l| span(path, text, l.range, false, Some(l.message.clone()))),
    );
    let mut children = Vec::new();
    if !f.help.is_empty() {
        children.push(help(f.help.clone(), Vec::new()));
    }
    if let Some(suggestion) = &f.suggestion {
        let mut edit = span(path, text, suggestion.range, true, None);
        edit.suggested_replacement = Some(suggestion.replacement.clone());
        edit.suggestion_applicability = Some(match suggestion.applicability {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
        });
        children.push(help(suggestion.message.clone(), vec![edit]));
    }
    Diagnostic {
        message_type: "diagnostic",
        message: f.message.clone(),
        code: Some(Code {
            code: f.rule,
            explanation: None,
        }),
        level: match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        spans,
        children,
        rendered: Some(rendered),
    }
}

fn help(message: String, spans: Vec<Span>) -> Diagnostic {
    Diagnostic {
        message_type: "diagnostic",
        message,
        code: None,
        level: "help",
        spans,
        children: Vec::new(),
        rendered: None,
    }
}

/// A span as rustc writes it: byte offsets into the file, 1-based lines and
/// character columns, and the text of each line it covers with the covered
/// columns.
fn span(path: &str, text: &str, range: Range, is_primary: bool, label: Option<String>) -> Span {
    let lines: Vec<&str> = text.split('\n').collect();
    let covered = range.start.line.max(1)..=range.end.line.max(range.start.line.max(1));
    let text = covered
        .filter_map(|number| {
            let line = lines.get(number - 1)?.trim_end_matches('\r');
            let width = line.chars().count() + 1;
            let start = if number == range.start.line {
                range.start.column
            } else {
                1
            };
            let end = if number == range.end.line {
                range.end.column
            } else {
                width
            };
            Some(SpanLine {
                text: line.to_string(),
                highlight_start: start.min(width),
                highlight_end: end.min(width),
            })
        })
        .collect();
    Span {
        file_name: path.to_string(),
        byte_start: range.start.offset,
        byte_end: range.end.offset,
        line_start: range.start.line,
        line_end: range.end.line,
        column_start: range.start.column,
        column_end: range.end.column,
        is_primary,
        text,
        label,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}

/// The package of every file in the report, read from the nearest
/// `Cargo.toml` with a `[package]` above it. Relative paths are taken from
/// the working directory.
pub fn locate(report: &Report) -> HashMap<String, CargoTarget> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut manifests = crate::discover::NearestAbove::default();
    let mut targets = HashMap::new();
    let files = report
        .files
        .iter()
        .map(|f| (f.display.as_str(), cwd.join(&f.path)));
    let errors = report
        .errors
        .iter()
        .map(|e| (e.path.as_str(), cwd.join(&e.path)));
    for (display, path) in files.chain(errors) {
        let target = manifests
            .find(&path, read_package)
            .map(|package| package.target_of(&path))
            .unwrap_or_else(|| stand_in(&path));
        targets.insert(display.to_string(), target);
    }
    targets
}

/// A file outside any package: a library target of its own, as rustc would
/// compile it alone.
fn stand_in(file: &Path) -> CargoTarget {
    let name = crate_name_of(file);
    let dir = file.parent().unwrap_or(Path::new(""));
    CargoTarget {
        package_id: format!("path+file://{}#{name}@0.0.0", dir.display()),
        manifest_path: dir.join("Cargo.toml").display().to_string(),
        target: TargetInfo {
            kind: vec!["lib".into()],
            crate_types: vec!["lib".into()],
            name,
            src_path: file.display().to_string(),
            edition: "2021".into(),
            doc: true,
            doctest: true,
            test: true,
        },
    }
}

fn crate_name_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().replace('-', "_"))
        .unwrap_or_default()
}

/// A package as its manifest describes it.
#[derive(Clone, Debug)]
struct Package {
    root: PathBuf,
    name: String,
    version: String,
    edition: String,
    /// The library root, when the package has a library.
    lib: Option<PathBuf>,
}

impl Package {
    fn target_of(&self, file: &Path) -> CargoTarget {
        let (kind, name, src_path) = self.classify(file);
        let is_lib = kind == "lib";
        CargoTarget {
            package_id: format!(
                "path+file://{}#{}@{}",
                self.root.display(),
                self.name,
                self.version
            ),
            manifest_path: self.root.join("Cargo.toml").display().to_string(),
            target: TargetInfo {
                crate_types: vec![if is_lib { "lib" } else { "bin" }.into()],
                kind: vec![kind.into()],
                name,
                src_path: src_path.display().to_string(),
                edition: self.edition.clone(),
                doc: is_lib || kind == "bin",
                doctest: is_lib,
                test: true,
            },
        }
    }

    /// `(kind, target name, target root)` of the target compiling `file`.
    fn classify(&self, file: &Path) -> (&'static str, String, PathBuf) {
        let relative = file.strip_prefix(&self.root).unwrap_or(file);
        let parts: Vec<&std::ffi::OsStr> = relative.iter().collect();
        let auto = |kind: &'static str, dir: &str| -> Option<(&'static str, String, PathBuf)> {
            let first = parts.get(1)?;
            let folder = self.root.join(dir);
            let (name, root) = if parts.len() == 2 {
                (crate_name_of(Path::new(first)), folder.join(first))
            } else {
                let name = first.to_string_lossy().replace('-', "_");
                (name, folder.join(first).join("main.rs"))
            };
            Some((kind, name, root))
        };
        let found = match parts.first().and_then(|p| p.to_str()) {
            Some("tests") => auto("test", "tests"),
            Some("examples") => auto("example", "examples"),
            Some("benches") => auto("bench", "benches"),
            Some("src") if parts.get(1).is_some_and(|p| *p == "bin") => {
                let inner: Vec<_> = parts[1..].to_vec();
                inner.get(1).map(|first| {
                    let folder = self.root.join("src/bin");
                    if inner.len() == 2 {
                        ("bin", crate_name_of(Path::new(first)), folder.join(first))
                    } else {
                        let name = first.to_string_lossy().into_owned();
                        ("bin", name, folder.join(first).join("main.rs"))
                    }
                })
            }
            _ => None,
        };
        found.unwrap_or_else(|| match &self.lib {
            Some(lib) => ("lib", self.name.replace('-', "_"), lib.clone()),
            None => ("bin", self.name.clone(), self.root.join("src/main.rs")),
        })
    }
}

/// The package whose manifest is `dir/Cargo.toml`; `None` for a folder
/// without one, a virtual manifest or one that does not parse.
fn read_package(dir: &Path) -> Option<Package> {
    let table = read_manifest(&dir.join("Cargo.toml"))?;
    let package = table.get("package")?;
    let name = package.get("name")?.as_str()?.to_string();
    let field = |key: &str, default: &str| match package.get(key) {
        Some(toml::Value::String(value)) => value.clone(),
        Some(toml::Value::Table(t))
            if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) =>
        {
            inherited(dir, key).unwrap_or_else(|| default.to_string())
        }
        _ => default.to_string(),
    };
    let lib = match table
        .get("lib")
        .and_then(|lib| lib.get("path"))
        .and_then(|p| p.as_str())
    {
        Some(path) => Some(dir.join(path)),
        None => Some(dir.join("src/lib.rs")).filter(|p| p.is_file()),
    };
    Some(Package {
        root: dir.to_path_buf(),
        name,
        version: field("version", "0.0.0"),
        // cargo's default when a manifest names no edition.
        edition: field("edition", "2015"),
        lib,
    })
}

/// `[workspace.package] key` of the nearest workspace manifest above `dir`
/// (including `dir` itself).
fn inherited(dir: &Path, key: &str) -> Option<String> {
    dir.ancestors().find_map(|ancestor| {
        let table = read_manifest(&ancestor.join("Cargo.toml"))?;
        let value = table.get("workspace")?.get("package")?.get(key)?;
        value.as_str().map(str::to_string)
    })
}

fn read_manifest(path: &Path) -> Option<toml::Table> {
    std::fs::read_to_string(path).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(lib: bool) -> Package {
        Package {
            root: "/p".into(),
            name: "my-app".into(),
            version: "1.2.3".into(),
            edition: "2021".into(),
            lib: lib.then(|| "/p/src/lib.rs".into()),
        }
    }

    #[test]
    fn files_belong_to_the_target_cargo_would_compile_them_in() {
        let kind_and_name = |lib: bool, file: &str| {
            let target = package(lib).target_of(Path::new(file)).target;
            (target.kind[0].clone(), target.name, target.src_path)
        };
        let t = |kind: &str, name: &str, src: &str| {
            (kind.to_string(), name.to_string(), src.to_string())
        };
        assert_eq!(
            kind_and_name(true, "/p/src/db/mod.rs"),
            t("lib", "my_app", "/p/src/lib.rs")
        );
        assert_eq!(
            kind_and_name(false, "/p/src/db.rs"),
            t("bin", "my-app", "/p/src/main.rs")
        );
        assert_eq!(
            kind_and_name(true, "/p/src/bin/tool.rs"),
            t("bin", "tool", "/p/src/bin/tool.rs")
        );
        assert_eq!(
            kind_and_name(true, "/p/src/bin/tool/util.rs"),
            t("bin", "tool", "/p/src/bin/tool/main.rs")
        );
        assert_eq!(
            kind_and_name(true, "/p/tests/api.rs"),
            t("test", "api", "/p/tests/api.rs")
        );
        assert_eq!(
            kind_and_name(true, "/p/examples/demo/main.rs"),
            t("example", "demo", "/p/examples/demo/main.rs")
        );
        assert_eq!(
            package(true)
                .target_of(Path::new("/p/src/lib.rs"))
                .package_id,
            "path+file:///p#my-app@1.2.3"
        );
    }
}
