//! Helpers shared by the CLI tests: temporary source trees and runs of the
//! real binaries.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// A transaction that writes and is dropped without commit:
/// `uncommitted-transaction` at line 2, column 14.
pub const RESET: &str = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM a\", [])?;
    Ok(())
}
";

/// Two autocommit writes: `write-outside-transaction` at line 2.
pub const SAVE: &str = "fn save(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute(\"INSERT INTO a VALUES (1)\", [])?;
    conn.execute(\"INSERT INTO b VALUES (2)\", [])?;
    Ok(())
}
";

/// The fixed version of [`RESET`]: no finding.
pub const CLEAN: &str = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM a\", [])?;
    tx.commit()
}
";

/// A temporary folder of files.
pub struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().expect("canonical temp dir")
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes `text` at `relative`, creating folders.
    pub fn file(&self, relative: &str, text: impl AsRef<[u8]>) -> &Tree {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(path, text).expect("write file");
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).expect("read file")
    }

    /// Runs `connlint` in the tree's root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args)
    }

    /// Runs `connlint` in a folder of the tree.
    pub fn run_in(&self, folder: &str, args: &[&str]) -> Run {
        run(Command::new(env!("CARGO_BIN_EXE_connlint"))
            .args(args)
            .current_dir(self.path(folder)))
    }

    /// Runs `cargo-connlint connlint ARGS` in a folder, as cargo does.
    pub fn cargo_connlint(&self, folder: &str, args: &[&str]) -> Run {
        run(Command::new(env!("CARGO_BIN_EXE_cargo-connlint"))
            .arg("connlint")
            .args(args)
            .current_dir(self.path(folder)))
    }
}

fn run(command: &mut Command) -> Run {
    // Colour and CI annotations must not depend on the caller's environment.
    let output = command
        .env_remove("NO_COLOR")
        .output()
        .expect("run connlint");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    /// `(rule, path, line)` of each finding of a JSON report.
    pub fn findings(&self) -> Vec<(String, String, u64)> {
        findings(&self.json())
    }
}

/// `(rule, path, line)` of each finding of a JSON report.
pub fn findings(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Shorthand for an expected finding.
pub fn finding(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}

/// The rule names of the findings.
pub fn rules(report: &Value) -> Vec<String> {
    findings(report)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect()
}
