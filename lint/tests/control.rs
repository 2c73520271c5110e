//! What users control: suppression comments, configuration, test code and
//! baselines.

mod support;

use support::{finding, Tree, CLEAN, RESET, SAVE};

const SUPPRESSED_LINE: &str = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; // connlint: allow(uncommitted-transaction) dry run, rolled back on purpose
    tx.execute(\"DELETE FROM a\", [])?;
    Ok(())
}
";

const SUPPRESSED_ABOVE: &str = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted_transaction) dry run
    // (the caller inspects the writes before they are rolled back)
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM a\", [])?;
    Ok(())
}
";

#[test]
fn suppression_on_the_line_or_the_line_above() {
    let tree = Tree::new();
    tree.file("line.rs", SUPPRESSED_LINE)
        .file("above.rs", SUPPRESSED_ABOVE);
    let run = tree.run(&["--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.findings(), vec![]);
}

#[test]
fn block_comments_suppress_like_line_comments() {
    let tree = Tree::new();
    tree.file(
        "block.rs",
        RESET.replace(
            "    let tx",
            "    /* connlint: allow(uncommitted-transaction) dry run */\n    let tx",
        ),
    )
    .file(
        "inline.rs",
        RESET.replace(
            "let tx = conn",
            "let tx = /* connlint: allow(uncommitted-transaction) dry run */ conn",
        ),
    );
    let run = tree.run(&["--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.findings(), vec![]);
}

#[test]
fn a_suppression_that_silences_nothing_is_reported() {
    let tree = Tree::new();
    let other_rule = SUPPRESSED_LINE.replace(
        "allow(uncommitted-transaction)",
        "allow(write-outside-transaction)",
    );
    let too_far = RESET.replace(
        "{\n",
        "{\n    // connlint: allow(uncommitted-transaction) dry run\n\n",
    );
    let in_string = RESET.replace(
        "Ok(())",
        "let _ = \"// connlint: allow-file(uncommitted-transaction) x\";\n    Ok(())",
    );
    tree.file("other_rule.rs", other_rule)
        .file("too_far.rs", too_far)
        .file("in_string.rs", in_string);
    let run = tree.run(&["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![
            finding("uncommitted-transaction", "in_string.rs", 2),
            finding("uncommitted-transaction", "other_rule.rs", 2),
            finding("unused-suppression", "other_rule.rs", 2),
            finding("unused-suppression", "too_far.rs", 2),
            finding("uncommitted-transaction", "too_far.rs", 4),
        ]
    );
    let report = run.json();
    let unused = &report["findings"][3];
    assert_eq!(unused["severity"], "warning");
    assert_eq!(
        unused["message"],
        "`allow(uncommitted-transaction)` silences nothing: no `uncommitted-transaction` finding on the line it covers"
    );
    assert!(
        unused["help"].as_str().unwrap().contains("blank line"),
        "{unused}"
    );
    // Only rules that ran: with the rule left out, its suppression is not
    // known to be unused.
    let selected = tree.run(&[
        "--format",
        "json",
        "--select",
        "uncommitted-transaction,unused-suppression",
    ]);
    assert!(
        !selected
            .findings()
            .contains(&finding("unused-suppression", "other_rule.rs", 2)),
        "{}",
        selected.stdout
    );
    // Like any rule, the check can be turned off.
    let ignored = tree.run(&["--format", "json", "--ignore", "unused-suppression"]);
    assert_eq!(ignored.findings().len(), 3, "{}", ignored.stdout);
}

#[test]
fn file_wide_suppression() {
    let tree = Tree::new();
    tree.file(
        "store.rs",
        format!("{RESET}{SAVE}// connlint: allow-file(uncommitted-transaction)\n"),
    );
    let run = tree.run(&["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", "store.rs", 7)]
    );
}

#[test]
fn suppression_without_reason_is_a_warning() {
    let tree = Tree::new();
    tree.file(
        "store.rs",
        RESET.replace(
            "()?;\n",
            "()?; // connlint: allow(uncommitted-transaction)\n",
        ),
    );
    // A warning alone does not fail the run, as with clippy, unless
    // warnings are denied.
    let run = tree.run(&["--format", "json"]);
    run.expect_code(0);
    tree.run(&["-D", "warnings"]).expect_code(1);
    tree.run(&["--deny", "warnings"]).expect_code(1);
    let report = run.json();
    assert_eq!(
        run.findings(),
        vec![finding("suppression-without-reason", "store.rs", 2)]
    );
    assert_eq!(report["findings"][0]["severity"], "warning");
    assert_eq!(report["findings"][0]["column"], 35);
    let human = tree.run(&[]);
    assert!(
        human.stdout.contains("warning[suppression-without-reason]"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("found 0 errors and 1 warning"),
        "{}",
        human.stdout
    );
    // Like any rule, the warning can be turned off.
    tree.run(&["-D", "warnings", "--ignore", "suppression-without-reason"])
        .expect_code(0);
}

#[test]
fn suppression_naming_an_unknown_rule_is_a_warning() {
    let tree = Tree::new();
    tree.file(
        "store.rs",
        RESET.replace(
            "()?;\n",
            "()?; // connlint: allow(uncommited-transaction) typo\n",
        ),
    );
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    assert_eq!(
        run.findings(),
        vec![
            finding("uncommitted-transaction", "store.rs", 2),
            finding("unknown-rule-in-suppression", "store.rs", 2)
        ]
    );
    let report = run.json();
    assert_eq!(report["findings"][1]["severity"], "warning");
    assert!(
        report["findings"][1]["message"]
            .as_str()
            .unwrap()
            .contains("`uncommited-transaction`"),
        "{report}"
    );
}

#[test]
fn connlint_toml_is_found_upward() {
    let tree = Tree::new();
    tree.file(
        "connlint.toml",
        "ignore = [\"write-outside-transaction\"]\n",
    )
    .file("app/src/store.rs", format!("{RESET}{SAVE}"));
    let run = tree.run_in("app/src", &["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding("uncommitted-transaction", "store.rs", 2)]
    );
    // The command line overrides the file.
    let cli = tree.run_in(
        "app/src",
        &["--format", "json", "--ignore", "uncommitted-transaction"],
    );
    assert_eq!(
        cli.findings(),
        vec![finding("write-outside-transaction", "store.rs", 7)]
    );
    // --config names another file; its globs are relative to its folder.
    tree.file(
        "conf/other.toml",
        "select = [\"uncommitted-transaction\"]\n",
    );
    let other = tree.run_in(
        "app",
        &["--format", "json", "--config", "../conf/other.toml"],
    );
    assert_eq!(
        other.findings(),
        vec![finding("uncommitted-transaction", "src/store.rs", 2)]
    );
}

#[test]
fn cargo_metadata_tables_configure_connlint() {
    let tree = Tree::new();
    tree.file(
        "Cargo.toml",
        "[workspace]\nmembers = [\"store\"]\n\n[workspace.metadata.connlint]\nselect = [\"write-outside-transaction\"]\n",
    )
    .file("store/Cargo.toml", "[package]\nname = \"store\"\nversion = \"0.1.0\"\n")
    .file("store/src/lib.rs", format!("{RESET}{SAVE}"));
    let run = tree.run_in("store", &["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", "src/lib.rs", 7)]
    );

    let package = Tree::new();
    package
        .file(
            "Cargo.toml",
            "[package]\nname = \"store\"\nversion = \"0.1.0\"\n\n[package.metadata.connlint]\nignore = [\"write-outside-transaction\"]\n",
        )
        .file("src/lib.rs", format!("{RESET}{SAVE}"));
    let run = package.run(&["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding("uncommitted-transaction", "src/lib.rs", 2)]
    );
}

#[test]
fn unknown_configuration_keys_and_rules_are_errors() {
    let tree = Tree::new();
    tree.file("a.rs", CLEAN)
        .file("connlint.toml", "select = []\nignored = [\"x\"]\n");
    let run = tree.run(&[]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("invalid configuration in "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("connlint.toml") && run.stderr.contains("`ignored`"),
        "{}",
        run.stderr
    );

    tree.file(
        "connlint.toml",
        "ignore = [\"write-outside-transactions\"]\n",
    );
    let run = tree.run(&[]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("unknown rule `write-outside-transactions` in `ignore` in "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("valid rules: ") && run.stderr.contains("uncommitted-transaction"),
        "{}",
        run.stderr
    );

    let cargo = Tree::new();
    cargo.file("a.rs", CLEAN).file(
        "Cargo.toml",
        "[workspace]\n[workspace.metadata.connlint]\ninclude_tests = true\n",
    );
    let run = cargo.run(&[]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("Cargo.toml") && run.stderr.contains("`include_tests`"),
        "{}",
        run.stderr
    );
}

#[test]
fn user_openers_closers_and_handlers_teach_the_rules() {
    let tree = Tree::new();
    // A wrapper type, a factory function and a framework the models do not
    // know: without configuration nothing is found.
    let code = r#"
pub struct Db { inner: std::fs::File }

pub fn open_db(path: &str) -> Db {
    Db { inner: std::fs::File::open(path).unwrap() }
}

#[endpoint("/tasks")]
pub fn tasks(path: &str) -> usize {
    let db = open_db(path);
    0
}

pub fn each(paths: &[String], shared: &str) {
    for _ in paths {
        let db = open_db(shared);
        std::mem::forget(db);
    }
}
"#;
    tree.file("a.rs", code);
    tree.run(&["--format", "json"]).expect_code(0);
    tree.file(
        "connlint.toml",
        "[[openers]]\ntype = \"crate::Db\"\nkind = \"connection\"\n\n[[openers]]\nfunction = \"crate::open_db\"\ndatabase = 0\n\n[[closers]]\ntype = \"crate::Db\"\nmethod = \"shutdown\"\n\n[[handlers]]\nattribute = \"endpoint\"\n",
    );
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    let mut rules: Vec<String> = run
        .findings()
        .into_iter()
        .map(|f| format!("{}:{}", f.0, f.2))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        vec![
            "connection-per-call:10",
            "connection-per-call:16",
            "leaked-connection:17"
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn invalid_user_models_are_configuration_errors() {
    let tree = Tree::new();
    tree.file("a.rs", CLEAN)
        .file("connlint.toml", "[[openers]]\nkind = \"pool\"\n");
    let run = tree.run(&[]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("[[openers]] entry 1 needs `type` or `function`"),
        "{}",
        run.stderr
    );
}

#[test]
fn exclude_globs_are_relative_to_the_configuration() {
    let tree = Tree::new();
    tree.file(
        "connlint.toml",
        "exclude = [\"src/generated\", \"**/*_pb.rs\"]\n",
    )
    .file("src/lib.rs", SAVE)
    .file("src/generated/schema.rs", RESET)
    .file("src/api/types_pb.rs", RESET);
    let run = tree.run_in("src", &["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", "lib.rs", 2)]
    );
    assert_eq!(run.json()["files_scanned"], 1);
    tree.file("connlint.toml", "exclude = [\"src/[\"]\n");
    let bad = tree.run(&[]);
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("invalid exclude glob `src/[`"),
        "{}",
        bad.stderr
    );
}

const TEST_CODE: &str = "pub fn ok() {}

#[cfg(test)]
mod tests {
    fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        tx.execute(\"DELETE FROM a\", [])?;
        Ok(())
    }
}
";

#[test]
fn test_code_is_linted_only_with_include_tests() {
    let tree = Tree::new();
    tree.file(
        "Cargo.toml",
        "[package]\nname = \"store\"\nversion = \"0.1.0\"\n",
    )
    .file("src/lib.rs", TEST_CODE)
    .file("tests/it.rs", RESET);
    let run = tree.run(&["--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.json()["files_scanned"], 2);
    let expected = vec![
        finding("uncommitted-transaction", "src/lib.rs", 6),
        finding("uncommitted-transaction", "tests/it.rs", 2),
    ];
    assert_eq!(
        tree.run(&["--format", "json", "--include-tests"])
            .findings(),
        expected
    );
    tree.file("connlint.toml", "include-tests = true\n");
    assert_eq!(tree.run(&["--format", "json"]).findings(), expected);
}

/// `reset` and `save` with `lines` more lines of code above them.
fn store(lines: usize, reset: &str) -> String {
    let padding: String = (0..lines)
        .map(|i| format!("const C{i}: u32 = {i};\n"))
        .collect();
    format!("{padding}{reset}\n{SAVE}")
}

#[test]
fn baselined_findings_stay_hidden_when_code_moves() {
    let tree = Tree::new();
    tree.file("src/store.rs", store(0, RESET));
    let write = tree.run(&["--write-baseline", "connlint-baseline.json", "src"]);
    write.expect_code(0);
    assert!(
        write
            .stderr
            .contains("wrote 2 findings to connlint-baseline.json"),
        "{}",
        write.stderr
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&tree.read("connlint-baseline.json")).unwrap();
    assert_eq!(baseline["version"], 1);
    let entry = &baseline["findings"][0];
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["fingerprint", "message", "path", "rule"]);
    assert_eq!(entry["path"], "src/store.rs");

    tree.run(&["--baseline", "connlint-baseline.json", "src"])
        .expect_code(0);
    // Code added above moves both findings down; they stay baselined.
    tree.file("src/store.rs", store(12, RESET));
    let moved = tree.run(&[
        "--format",
        "json",
        "--baseline",
        "connlint-baseline.json",
        "src",
    ]);
    moved.expect_code(0);
    assert_eq!(moved.findings(), vec![]);
    tree.run(&["--format", "json", "src"]).expect_code(1);
    // From another folder the baseline's paths still match.
    tree.run_in("src", &["--baseline", "../connlint-baseline.json"])
        .expect_code(0);
    // Changing the flagged code makes it a new finding.
    tree.file("src/store.rs", store(12, &RESET.replace("conn", "db")));
    let changed = tree.run(&[
        "--format",
        "json",
        "--baseline",
        "connlint-baseline.json",
        "src",
    ]);
    changed.expect_code(1);
    assert_eq!(
        changed.findings(),
        vec![finding("uncommitted-transaction", "src/store.rs", 14)]
    );
}

/// Two identical defects in one function: same rule, path and fingerprint.
const TWICE: &str = "fn reset(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    {
        let tx = conn.transaction()?;
        tx.execute(\"DELETE FROM a\", [])?;
    }
    {
        let tx = conn.transaction()?;
        tx.execute(\"DELETE FROM a\", [])?;
    }
    Ok(())
}
";

#[test]
fn baseline_entries_absorb_one_finding_each() {
    let tree = Tree::new();
    tree.file("twice.rs", TWICE);
    tree.run(&["--write-baseline", "base.json"]).expect_code(0);
    tree.run(&["--baseline", "base.json"]).expect_code(0);
    let mut baseline: serde_json::Value = serde_json::from_str(&tree.read("base.json")).unwrap();
    let entries = baseline["findings"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], entries[1]);
    baseline["findings"] = serde_json::json!([entries[0]]);
    tree.file("base.json", serde_json::to_string(&baseline).unwrap());
    let run = tree.run(&["--format", "json", "--baseline", "base.json"]);
    assert_eq!(
        run.findings(),
        vec![finding("uncommitted-transaction", "twice.rs", 7)]
    );
}

#[test]
fn an_invalid_baseline_is_an_error() {
    let tree = Tree::new();
    tree.file("a.rs", SAVE)
        .file("base.json", "{\"version\": 2, \"findings\": []}");
    let run = tree.run(&["--baseline", "base.json"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("invalid baseline base.json: unsupported version 2"),
        "{}",
        run.stderr
    );
    tree.run(&["--baseline", "missing.json"]).expect_code(2);
}

#[test]
fn each_file_is_linted_with_the_configuration_nearest_above_it() {
    let tree = Tree::new();
    // A repository-wide file above two projects with their own settings.
    tree.file("connlint.toml", "ignore = [\"uncommitted-transaction\"]\n")
        .file(
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[package.metadata.connlint]\nignore = [\"write-outside-transaction\"]\n",
        )
        .file("app/src/lib.rs", format!("{RESET}{SAVE}"))
        .file("tool/connlint.toml", "select = [\"write-outside-transaction\"]\n")
        .file("tool/main.rs", format!("{RESET}{SAVE}"))
        .file("loose/main.rs", format!("{RESET}{SAVE}"));
    let expected = vec![
        finding("uncommitted-transaction", "app/src/lib.rs", 2),
        finding("write-outside-transaction", "loose/main.rs", 7),
        finding("write-outside-transaction", "tool/main.rs", 7),
    ];
    let run = tree.run(&["--format", "json"]);
    assert_eq!(run.findings(), expected);
    // From an unrelated folder, each file still finds its own.
    let elsewhere = Tree::new();
    let paths: Vec<String> = ["app", "tool", "loose"]
        .iter()
        .map(|p| tree.path(p).display().to_string())
        .collect();
    let mut args = vec!["--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let absolute: Vec<_> = elsewhere
        .run(&args)
        .findings()
        .into_iter()
        .map(|(rule, path, line)| {
            let relative = path
                .strip_prefix(&format!("{}/", tree.root().display()))
                .unwrap_or(&path)
                .to_string();
            (rule, relative, line)
        })
        .collect();
    assert_eq!(absolute, expected);
    // --config names one file for everything.
    let forced = tree.run(&["--format", "json", "--config", "tool/connlint.toml"]);
    assert_eq!(forced.findings().len(), 3, "{}", forced.stdout);
    assert!(forced
        .findings()
        .iter()
        .all(|(rule, _, _)| rule == "write-outside-transaction"));
}

#[test]
fn an_outer_exclude_covers_a_folder_with_a_configuration_of_its_own() {
    let tree = Tree::new();
    // Fixture projects under an excluded folder keep their own settings
    // (their tests lint them from there), yet a run from the root never
    // reports them, as a walk that skips the folder would not.
    tree.file("connlint.toml", "exclude = [\"fixtures/**\"]\n")
        .file("src/main.rs", format!("{RESET}{SAVE}"))
        .file(
            "fixtures/deep/connlint.toml",
            "ignore = [\"uncommitted-transaction\"]\n",
        )
        .file("fixtures/deep/src/lib.rs", format!("{RESET}{SAVE}"));
    let run = tree.run(&["--format", "json"]);
    let files: Vec<_> = run
        .findings()
        .into_iter()
        .map(|(_, path, _)| path)
        .collect();
    assert!(!files.is_empty(), "{}", run.stdout);
    assert!(files.iter().all(|path| path == "src/main.rs"), "{files:?}");
    // Linted from inside, the fixture project is no longer under the exclude.
    let inside = tree.run_in("fixtures/deep", &["--format", "json"]);
    assert!(
        inside
            .findings()
            .iter()
            .any(|(_, path, _)| path == "src/lib.rs"),
        "{}",
        inside.stdout
    );
}

#[test]
fn extend_select_and_extend_ignore_add_to_the_configured_lists() {
    let tree = Tree::new();
    tree.file("store.rs", format!("{RESET}{SAVE}"))
        .file("close.rs", "fn close(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {\n    let tx = conn.transaction()?;\n    tx.execute(\"DELETE FROM a\", [])?;\n    let _ = tx.commit();\n    Ok(())\n}\n");
    let rules = |args: &[&str]| {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        let mut rules = support::rules(&tree.run(&all).json());
        rules.dedup();
        rules
    };
    tree.file(
        "connlint.toml",
        "select = [\"uncommitted-transaction\"]\nextend-select = [\"discarded-commit-error\"]\n",
    );
    assert_eq!(
        rules(&[]),
        ["discarded-commit-error", "uncommitted-transaction"]
    );
    // --extend-select adds to both; --select replaces both.
    assert_eq!(
        rules(&["--extend-select", "write-outside-transaction"]),
        [
            "discarded-commit-error",
            "uncommitted-transaction",
            "write-outside-transaction"
        ]
    );
    assert_eq!(
        rules(&["--select", "write-outside-transaction"]),
        ["write-outside-transaction"]
    );
    tree.file(
        "connlint.toml",
        "ignore = [\"uncommitted-transaction\"]\nextend-ignore = [\"write-outside-transaction\"]\n",
    );
    assert_eq!(rules(&[]), ["discarded-commit-error"]);
    // --extend-ignore adds to the configured `ignore`; --ignore replaces it.
    assert_eq!(
        rules(&["--extend-ignore", "discarded-commit-error"]),
        Vec::<String>::new()
    );
    assert_eq!(
        rules(&["--ignore", "discarded-commit-error"]),
        ["uncommitted-transaction", "write-outside-transaction"]
    );
    // A rule both selected and ignored is ignored.
    assert_eq!(
        rules(&["--extend-select", "uncommitted-transaction"]),
        ["discarded-commit-error"]
    );
    tree.file("connlint.toml", "extend-ignore = [\"no-such-rule\"]\n");
    let bad = tree.run(&[]);
    bad.expect_code(2);
    assert!(
        bad.stderr
            .contains("unknown rule `no-such-rule` in `extend-ignore` in "),
        "{}",
        bad.stderr
    );
}
