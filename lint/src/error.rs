//! The errors that stop a run. Problems with single files are not errors:
//! they are listed in the report (see [`crate::FileError`]) and the run goes on.

/// Why connlint could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule name in `--select`, `--ignore`, the configuration or
    /// `--explain` that no rule has; `suggestion` is the closest rule, when
    /// one is close.
    #[error(
        "unknown rule `{name}` in {origin}; {}valid rules: {valid}",
        suggestion.map(|s| format!("did you mean `{s}`? ")).unwrap_or_default()
    )]
    UnknownRule {
        name: String,
        origin: String,
        suggestion: Option<&'static str>,
        valid: String,
    },
    /// A path given on the command line, a configuration file or a baseline
    /// could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// A configuration file that does not parse or has unknown keys.
    #[error("invalid configuration in {path}: {message}")]
    Config { path: String, message: String },
    /// An `exclude` pattern that is not a valid glob.
    #[error("invalid exclude glob `{glob}` in {path}: {message}")]
    Glob {
        glob: String,
        path: String,
        message: String,
    },
    /// The paths held no Rust file at all.
    #[error("no rust files found in {paths}")]
    NoRustFiles { paths: String },
    /// A baseline file that is not connlint's baseline JSON.
    #[error("invalid baseline {path}: {message}")]
    Baseline { path: String, message: String },
    /// The report or the baseline could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// `cargo metadata` failed (no workspace here, or cargo is missing).
    #[error("cannot read the cargo workspace: {0}")]
    CargoMetadata(String),
    /// The command line asked for something contradictory.
    #[error("{0}")]
    Usage(String),
}
