//! `--fix`: only machine-applicable edits are applied, files still parse
//! afterwards, the fixed code no longer triggers the rule, and the fixed
//! crate of `testdata/fix` still compiles.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use connlint::{lint_paths_in, Options};
use serde_json::Value;
use support::Tree;

const RULE: &str = "discarded-commit-error";

fn bad_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules")
        .join(RULE);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("bad_"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no bad fixtures in {}", dir.display());
    files
}

/// Findings of a JSON report per path: `(machine-applicable, other)` counts.
fn by_path(report: &Value) -> BTreeMap<String, (usize, usize)> {
    let mut out: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let entry = out
            .entry(f["path"].as_str().unwrap().to_string())
            .or_default();
        if f["suggestion"]["applicability"] == "machine-applicable" {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    out
}

#[test]
fn fixed_fixtures_parse_and_no_longer_trigger_the_rule() {
    let tree = Tree::new();
    let fixtures = bad_fixtures();
    for fixture in &fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy();
        tree.file(&format!("fixtures/{name}"), std::fs::read(fixture).unwrap());
    }
    let lint = ["--select", RULE, "--format", "json", "fixtures"];
    let before = by_path(&tree.run(&lint).expect_code(1).json());
    let fixable: usize = before.values().map(|(fixable, _)| fixable).sum();
    assert!(
        fixable > 0,
        "no machine-applicable suggestion in {before:?}"
    );

    let fix = tree.run(&["--fix", "--select", RULE, "--format", "json", "fixtures"]);
    let files_fixed = before.values().filter(|(fixable, _)| *fixable > 0).count();
    assert!(
        fix.stderr
            .ends_with(&format!("applied {fixable} fixes in {files_fixed} files\n")),
        "{}",
        fix.stderr
    );
    assert_eq!(
        fix.stderr.matches(&format!("[{RULE}]")).count(),
        fixable,
        "{}",
        fix.stderr
    );
    // The report printed after fixing, and a fresh run, show what is left:
    // exactly the findings without a machine-applicable edit.
    let after = by_path(&tree.run(&lint).json());
    assert_eq!(by_path(&fix.json()), after);
    for (path, (fixable, other)) in &before {
        let left = after.get(path).copied().unwrap_or_default();
        assert_eq!(left, (0, *other), "{path}: {fixable} fixable before");
        let text = tree.read(path);
        if let Err(error) = syn::parse_file(&text) {
            panic!("{path} does not parse after --fix: {error}\n{text}");
        }
        let original = std::fs::read_to_string(
            bad_fixtures()
                .into_iter()
                .find(|f| path.ends_with(&*f.file_name().unwrap().to_string_lossy()))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            text != original,
            *fixable > 0,
            "{path} changed if and only if it had a machine-applicable fix"
        );
    }

    let again = tree.run(&["--fix", "--select", RULE, "fixtures"]);
    assert!(
        again.stderr.ends_with("applied 0 fixes in 0 files\n"),
        "{}",
        again.stderr
    );
}

/// Every discarded form the rule suggests `?` for, in a function whose
/// error type takes the driver's error, and two it must not fix: a
/// `map_err` whose closure would be lost, and a function without a
/// `Result` to propagate into.
const FORMS: &str = r#"use rusqlite::Connection;

pub fn let_underscore(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit();
    Ok(())
}

pub fn underscore_assign(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    _ = tx.commit();
    Ok(())
}

pub fn statement(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    tx.commit();
    Ok(())
}

pub fn ok(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    tx.commit().ok();
    Ok(())
}

pub fn dropped(conn: &mut Connection) -> Result<(), Box<dyn std::error::Error>> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    drop(tx.commit());
    Ok(())
}

pub fn inspected(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit().inspect_err(|e| eprintln!("commit failed: {e}"));
    Ok(())
}

pub fn logged(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM a", [])?;
    let _ = tx.commit().map_err(|e| eprintln!("commit failed: {e}"));
    Ok(())
}

pub fn no_result(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    tx.execute("DELETE FROM a", []).unwrap();
    let _ = tx.commit();
}
"#;

#[test]
fn fix_rewrites_each_discarded_form_to_question_mark() {
    let tree = Tree::new();
    tree.file("src/forms.rs", FORMS);
    let run = tree.run(&["--fix", "--select", RULE, "src/forms.rs"]);
    run.expect_code(1);
    insta::assert_snapshot!("fix_summary", run.stderr);
    let fixed = tree.read("src/forms.rs");
    syn::parse_file(&fixed).expect("the fixed file parses");
    insta::assert_snapshot!("fixed_forms", fixed);
    let left = tree.run(&["--select", RULE, "--format", "json", "src/forms.rs"]);
    let lines: Vec<u64> = support::findings(&left.json())
        .into_iter()
        .map(|(_, _, line)| line)
        .collect();
    // `logged` (a maybe-incorrect suggestion) and `no_result` remain.
    assert_eq!(lines.len(), 2, "{}", left.stdout);
}

#[test]
fn fix_leaves_a_file_alone_that_changed_after_linting() {
    let tree = Tree::new();
    tree.file("src/forms.rs", FORMS);
    let report = lint_paths_in(
        &tree.root(),
        &[PathBuf::from("src/forms.rs")],
        &Options::default(),
    )
    .expect("lint");
    let edited = format!("// edited meanwhile\n{FORMS}");
    tree.file("src/forms.rs", &edited);
    let summary = connlint::fix::apply(&report).expect("fix");
    assert!(summary.applied.is_empty(), "{summary:?}");
    assert_eq!(summary.changed_meanwhile, vec!["src/forms.rs".to_string()]);
    assert_eq!(tree.read("src/forms.rs"), edited);
}

/// `testdata/fix`: a crate whose discarded commits are each marked with
/// what `--fix` must make of them.
fn fix_crate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fix")
}

/// `(path, line) -> applicability` from the `//~` markers of the crate's
/// sources (`no-suggestion` for a finding without an edit).
fn fix_markers(root: &Path) -> BTreeMap<(String, u64), String> {
    let mut out = BTreeMap::new();
    let src = root.join("src");
    for entry in std::fs::read_dir(&src).expect("testdata/fix/src") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("fixture source");
        let name = format!("src/{}", path.file_name().unwrap().to_string_lossy());
        for (i, line) in text.lines().enumerate() {
            if let Some((_, marker)) = line.split_once("//~ ") {
                out.insert((name.clone(), i as u64 + 1), marker.trim().to_string());
            }
        }
    }
    out
}

/// Copies the crate's manifest, lockfile and sources to `to`.
fn copy_crate(from: &Path, to: &Path) {
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(from.join(file), to.join(file)).expect("copy manifest");
    }
    std::fs::create_dir_all(to.join("src")).expect("src folder");
    for entry in std::fs::read_dir(from.join("src")).expect("sources") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join("src").join(path.file_name().unwrap())).expect("copy");
    }
}

/// `cargo check` of the crate at `root`, in a target folder under this
/// repository's `target/` that repeated runs share: only the small fixture
/// crate is compiled again (rusqlite without its bundled SQLite compiles no
/// C code).
fn cargo_check(root: &Path) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["check", "--quiet", "--locked", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("fix-check"))
        .env("CARGO_TERM_COLOR", "never")
        // Warnings of the fixtures are not the test's business.
        .env("RUSTFLAGS", "--cap-lints=allow")
        .output()
        .expect("run cargo check")
}

#[test]
fn fixed_crate_still_compiles() {
    let tree = Tree::new();
    copy_crate(&fix_crate(), &tree.root());
    let expected = fix_markers(&tree.root());
    assert!(
        expected
            .values()
            .filter(|m| *m == "machine-applicable")
            .count()
            >= 8,
        "the fixture lost its machine-applicable cases: {expected:?}"
    );

    // What the rule offers where, before fixing.
    let lint = tree.run(&["--select", RULE, "--format", "json", "src"]);
    let mut offered = BTreeMap::new();
    for f in lint.json()["findings"].as_array().expect("findings") {
        let key = (
            f["path"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap(),
        );
        let applicability = f["suggestion"]["applicability"]
            .as_str()
            .unwrap_or("no-suggestion")
            .to_string();
        offered.insert(key, applicability);
    }
    assert_eq!(offered, expected, "{}", lint.stdout);

    let fix = tree.run(&["--fix", "--select", RULE, "src"]);
    let fixable = expected
        .values()
        .filter(|m| *m == "machine-applicable")
        .count();
    assert!(
        fix.stderr
            .contains(&format!("applied {fixable} fixes in 3 files\n")),
        "{}",
        fix.stderr
    );
    let check = cargo_check(&tree.root());
    assert!(
        check.status.success(),
        "the crate does not compile after `connlint --fix`:\n{}\n{}",
        String::from_utf8_lossy(&check.stderr),
        fix.stderr
    );
}
