//! The `cli` feature: a library user who leaves it out
//! (`default-features = false`) does not build the command line's crates.

use std::collections::BTreeSet;
use std::process::Command;

/// The crates connlint builds for a dependent (normal and build
/// dependencies), by name.
fn crates(default_features: bool) -> BTreeSet<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["tree", "--locked", "-p", "connlint", "-e", "normal,build"])
        .args(["--prefix", "none", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
    if !default_features {
        command.arg("--no-default-features");
    }
    let output = command.output().expect("run cargo tree");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_library_alone_leaves_the_command_lines_crates_out() {
    let cli_only = ["clap", "codespan-reporting", "serde-sarif", "mimalloc"];
    let full = crates(true);
    let library = crates(false);
    for name in cli_only {
        assert!(full.contains(name), "{name} is not a dependency any more");
        assert!(
            !library.contains(name),
            "{name} is built without the cli feature"
        );
    }
    assert!(library.len() < full.len(), "{library:?}");
}
