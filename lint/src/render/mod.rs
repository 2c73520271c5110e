//! Report formats. Each renderer turns a [`Report`] into the bytes of one
//! output format and does no I/O, so tests can snapshot them directly; the
//! one exception, the manifests the cargo format names packages from, is
//! read by [`render`] with [`cargo::locate`] and handed to the renderer.

pub mod cargo;
mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::Report;

/// An output format (`--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    #[default]
    Human,
    /// connlint's JSON report (version 1).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// GitLab Code Quality JSON (Code Climate issues).
    Gitlab,
    /// JUnit XML: a test suite per file, a failed test case per finding.
    Junit,
    /// cargo's `--message-format=json` compiler messages, for editors.
    Cargo,
}

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Colour the human format with ANSI escapes.
    pub color: bool,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, options: RenderOptions) -> Vec<u8> {
    match format {
        Format::Human => human::render(report, options.color),
        Format::Json => json::render(report).into_bytes(),
        Format::Sarif => sarif::render(report).into_bytes(),
        Format::Github => github::render(report).into_bytes(),
        Format::Gitlab => gitlab::render(report).into_bytes(),
        Format::Junit => junit::render(report).into_bytes(),
        Format::Cargo => cargo::render(report, &cargo::locate(report)).into_bytes(),
    }
}

/// `n thing` or `n things`.
pub(crate) fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
