//! The command line: report shapes, exit codes, output and colour, rule
//! listing and selection.

mod support;

use connlint_rules::RULES;
use support::{finding, Tree, CLEAN, RESET, SAVE};

/// The keys of a pretty-printed JSON document, in the order they appear.
fn keys_in_order(json: &str) -> Vec<String> {
    json.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix('"')?;
            let (key, after) = rest.split_once('"')?;
            after.starts_with(':').then(|| key.to_string())
        })
        .collect()
}

#[test]
fn json_report_has_exactly_the_design_shape() {
    let tree = Tree::new();
    tree.file("src/store.rs", RESET)
        .file("src/broken.rs", "fn broken( {\n");
    let run = tree.run(&["--format", "json", "src"]);
    run.expect_code(2);
    let expected = [
        "version",
        "files_scanned",
        "findings", //
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "labels", //
        "line",
        "column",
        "message", //
        "errors",
        "path",
        "message",
    ];
    assert_eq!(keys_in_order(&run.stdout), expected, "{}", run.stdout);
    let report = run.json();
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_scanned"], 1);
    let f = &report["findings"][0];
    assert_eq!(f["rule"], "uncommitted-transaction");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "src/store.rs");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(14))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(2), Some(32))
    );
    assert!(!f["message"].as_str().unwrap().is_empty() && !f["help"].as_str().unwrap().is_empty());
    assert_eq!(
        (
            f["labels"][0]["line"].as_u64(),
            f["labels"][0]["column"].as_u64()
        ),
        (Some(5), Some(1))
    );
    assert_eq!(report["errors"][0]["path"], "src/broken.rs");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1:"),
        "{report}"
    );
}

/// A discarded commit in a function returning `rusqlite::Result`: a finding
/// with a machine-applicable suggestion at line 4.
const DISCARDED: &str = "fn close(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(\"DELETE FROM a\", [])?;
    let _ = tx.commit();
    Ok(())
}
";

#[test]
fn json_suggestion_is_one_optional_key_after_the_design_keys() {
    let tree = Tree::new();
    tree.file("src/close.rs", DISCARDED);
    let run = tree.run(&["--format", "json", "src"]);
    run.expect_code(1);
    let expected = [
        "version",
        "files_scanned",
        "findings", //
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "labels",
        "suggestion", //
        "message",
        "replacement",
        "line",
        "column",
        "end_line",
        "end_column",
        "applicability", //
        "errors",
    ];
    assert_eq!(keys_in_order(&run.stdout), expected, "{}", run.stdout);
    let suggestion = &run.json()["findings"][0]["suggestion"];
    assert_eq!(suggestion["replacement"], "tx.commit()?;");
    assert_eq!(suggestion["applicability"], "machine-applicable");
    assert_eq!(
        (suggestion["line"].as_u64(), suggestion["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        (
            suggestion["end_line"].as_u64(),
            suggestion["end_column"].as_u64()
        ),
        (Some(4), Some(25))
    );
}

#[test]
fn exit_code_is_0_without_findings_and_1_with_them() {
    let tree = Tree::new();
    tree.file("clean.rs", CLEAN).file("bad/save.rs", SAVE);
    let clean = tree.run(&["clean.rs"]);
    clean.expect_code(0);
    assert!(
        clean.stdout.contains("no findings in 1 file"),
        "{}",
        clean.stdout
    );
    let bad = tree.run(&[]);
    bad.expect_code(1);
    assert!(
        bad.stdout.contains("error[write-outside-transaction]"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stdout
            .contains("found 1 error and 0 warnings in 1 of 2 files"),
        "{}",
        bad.stdout
    );
}

#[test]
fn exit_code_is_2_for_usage_and_io_errors() {
    let tree = Tree::new();
    tree.file("a.rs", CLEAN)
        .file("notes/readme.txt", "no rust here");
    let unknown_flag = tree.run(&["--frobnicate"]);
    unknown_flag.expect_code(2);
    let bad_format = tree.run(&["--format", "xml"]);
    bad_format.expect_code(2);
    let empty = tree.run(&["notes"]);
    empty.expect_code(2);
    assert!(
        empty.stderr.contains("no rust files found in notes"),
        "{}",
        empty.stderr
    );
    let unwritable = tree.run(&["--output", "missing/dir/report.txt", "a.rs"]);
    unwritable.expect_code(2);
    assert!(
        unwritable
            .stderr
            .contains("cannot write missing/dir/report.txt"),
        "{}",
        unwritable.stderr
    );
    // Paths that cannot be linted are listed, and the others still are.
    tree.file("save.rs", SAVE);
    let missing = tree.run(&["--format", "json", "nope.rs", "save.rs", "notes/readme.txt"]);
    missing.expect_code(2);
    let report = missing.json();
    assert_eq!(
        missing.findings(),
        vec![finding("write-outside-transaction", "save.rs", 2)]
    );
    assert_eq!(report["errors"][0]["path"], "nope.rs");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read: "),
        "{report}"
    );
    // A text file given by name gets a clear error, not a syntax error
    // about its first word.
    assert_eq!(report["errors"][1]["path"], "notes/readme.txt");
    assert_eq!(
        report["errors"][1]["message"],
        "not a Rust source file: connlint lints `.rs` files"
    );
    // A clean file beside one that does not parse: the run fails, and
    // GitHub shows the error on a failing step.
    tree.file("broken.rs", "fn broken( {\n");
    let broken = tree.run(&["--format", "github", "a.rs", "broken.rs"]);
    broken.expect_code(2);
    assert!(
        broken
            .stdout
            .starts_with("::error file=broken.rs,title=connlint::cannot parse"),
        "{}",
        broken.stdout
    );
}

#[test]
fn exit_code_is_2_when_every_file_fails() {
    let tree = Tree::new();
    tree.file("src/a.rs", "fn a( {\n")
        .file("src/b.rs", b"fn b() {}\n\xff\n".as_slice());
    let run = tree.run(&["--format", "json"]);
    run.expect_code(2);
    let report = run.json();
    assert_eq!(report["files_scanned"], 0);
    assert_eq!(report["errors"].as_array().unwrap().len(), 2, "{report}");
}

#[test]
fn output_writes_the_report_to_a_file_without_colour() {
    let tree = Tree::new();
    tree.file("save.rs", SAVE);
    let run = tree.run(&["--output", "report.txt", "--color", "always", "save.rs"]);
    run.expect_code(1);
    assert_eq!(run.stdout, "");
    let report = tree.read("report.txt");
    assert!(
        report.contains("error[write-outside-transaction]"),
        "{report}"
    );
    assert!(
        !report.contains('\u{1b}'),
        "colour escapes in a file: {report:?}"
    );
    tree.run(&["--output", "report.json", "--format", "json", "save.rs"])
        .expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&tree.read("report.json")).unwrap();
    assert_eq!(
        support::findings(&json),
        vec![finding("write-outside-transaction", "save.rs", 2)]
    );
}

#[test]
fn colour_follows_the_color_flag() {
    let tree = Tree::new();
    tree.file("save.rs", SAVE);
    let always = tree.run(&["--color", "always", "save.rs"]);
    assert!(always.stdout.contains('\u{1b}'), "{:?}", always.stdout);
    // The test's standard output is a pipe, not a terminal.
    let auto = tree.run(&["save.rs"]);
    assert!(!auto.stdout.contains('\u{1b}'), "{:?}", auto.stdout);
    let never = tree.run(&["--color", "never", "save.rs"]);
    assert!(!never.stdout.contains('\u{1b}'), "{:?}", never.stdout);
}

#[test]
fn github_format_prints_workflow_commands() {
    let tree = Tree::new();
    tree.file("src/a,b.rs", SAVE);
    let run = tree.run(&["--format", "github"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        "::error file=src/a%2Cb.rs,line=2,col=5,endLine=2,endColumn=49,title=write-outside-transaction::\
         2 writes on connection `conn` run outside a transaction, so a failure between them leaves partial state"
    );
}

#[test]
fn list_rules_names_every_rule_with_its_summary() {
    let run = Tree::new().run(&["--list-rules"]);
    run.expect_code(0);
    for rule in RULES {
        let line = run
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.name));
        let line = line.unwrap_or_else(|| panic!("{} missing from:\n{}", rule.name, run.stdout));
        assert!(line.ends_with(rule.summary), "{line}");
    }
    for meta in ["suppression-without-reason", "unknown-rule-in-suppression"] {
        assert!(run.stdout.contains(meta), "{}", run.stdout);
    }
}

#[test]
fn explain_prints_each_rules_documentation() {
    let tree = Tree::new();
    for rule in RULES {
        let run = tree.run(&["--explain", rule.name]);
        run.expect_code(0);
        assert_eq!(run.stdout, rule.documentation(), "--explain {}", rule.name);
        assert!(run.stdout.contains("## What it does"), "{}", run.stdout);
    }
    let meta = tree.run(&["--explain", "suppression-without-reason"]);
    meta.expect_code(0);
    assert!(
        meta.stdout.contains("## Why is this bad?"),
        "{}",
        meta.stdout
    );
    let unknown = tree.run(&["--explain", "leaky-connection"]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains(
            "unknown rule `leaky-connection` in --explain; did you mean `leaked-connection`? valid rules: "
        ),
        "{}",
        unknown.stderr
    );
    assert!(unknown.stderr.contains(RULES[0].name), "{}", unknown.stderr);
    // clippy spells lint names in snake_case.
    let snake = tree.run(&["--explain", "write_outside_transaction"]);
    snake.expect_code(0);
    assert!(snake.stdout.contains("## What it does"), "{}", snake.stdout);
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let tree = Tree::new();
    tree.file("reset.rs", RESET).file("save.rs", SAVE);
    let all = tree.run(&["--format", "json"]);
    assert_eq!(
        support::rules(&all.json()),
        ["uncommitted-transaction", "write-outside-transaction"]
    );
    let selected = tree.run(&[
        "--format",
        "json",
        "--select",
        "write-outside-transaction,discarded-commit-error",
    ]);
    assert_eq!(
        support::rules(&selected.json()),
        ["write-outside-transaction"]
    );
    let ignored = tree.run(&["--format", "json", "--ignore", "write-outside-transaction"]);
    assert_eq!(support::rules(&ignored.json()), ["uncommitted-transaction"]);
    let none = tree.run(&[
        "--ignore",
        "write-outside-transaction,uncommitted-transaction",
    ]);
    none.expect_code(0);
}

#[test]
fn unknown_rules_in_flags_are_usage_errors() {
    let tree = Tree::new();
    tree.file("a.rs", CLEAN);
    let run = tree.run(&["--select", "uncommitted-transaction,no-such-rule"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("unknown rule `no-such-rule` in --select; valid rules: "),
        "{}",
        run.stderr
    );
    for rule in RULES {
        assert!(run.stderr.contains(rule.name), "{}", run.stderr);
    }
    let ignore = tree.run(&["--ignore", "nope"]);
    ignore.expect_code(2);
    assert!(ignore.stderr.contains("in --ignore"), "{}", ignore.stderr);
    let typo = tree.run(&["--select", "uncommited-transaction"]);
    typo.expect_code(2);
    assert!(
        typo.stderr.contains(
            "unknown rule `uncommited-transaction` in --select; did you mean `uncommitted-transaction`?"
        ),
        "{}",
        typo.stderr
    );
    let snake = tree.run(&["--format", "json", "--select", "uncommitted_transaction"]);
    snake.expect_code(0);
}

#[test]
fn cargo_format_names_the_package_and_target_of_each_file() {
    use cargo_metadata::Message;

    let tree = Tree::new();
    tree.file(
        "Cargo.toml",
        "[workspace]\nmembers = [\"db-store\"]\n\n[workspace.package]\nversion = \"2.1.0\"\nedition = \"2021\"\n",
    )
    .file(
        "db-store/Cargo.toml",
        "[package]\nname = \"db-store\"\nversion.workspace = true\nedition.workspace = true\n",
    )
    .file("db-store/src/lib.rs", "pub mod store;\n")
    .file("db-store/src/store.rs", RESET)
    .file("db-store/tests/api.rs", RESET);
    let run = tree.cargo_connlint(".", &["--format", "cargo", "--include-tests"]);
    run.expect_code(1);
    let messages: Vec<Message> = Message::parse_stream(run.stdout.as_bytes())
        .collect::<Result<_, _>>()
        .expect("cargo messages");
    let root = tree.root();
    let mut seen = Vec::new();
    for message in &messages {
        let Message::CompilerMessage(m) = message else {
            continue;
        };
        let span = &m.message.spans[0];
        assert_eq!(
            m.package_id.repr,
            format!(
                "path+file://{}#db-store@2.1.0",
                root.join("db-store").display()
            )
        );
        assert_eq!(
            m.target.edition,
            cargo_metadata::Edition::E2021,
            "edition inherited from the workspace"
        );
        seen.push((
            span.file_name.clone(),
            m.target.name.clone(),
            m.target.kind[0].to_string(),
        ));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "db-store/src/store.rs".into(),
                "db_store".into(),
                "lib".into()
            ),
            ("db-store/tests/api.rs".into(), "api".into(), "test".into()),
        ],
        "{}",
        run.stdout
    );
    assert!(
        matches!(messages.last(), Some(Message::BuildFinished(f)) if !f.success),
        "{}",
        run.stdout
    );
    let clean = tree.run(&["--format", "cargo", "db-store/src/lib.rs"]);
    clean.expect_code(0);
    assert_eq!(
        clean.stdout,
        "{\"reason\":\"build-finished\",\"success\":true}\n"
    );
}

/// README, "Exit codes": one case per code and cause.
#[test]
fn exit_codes_are_what_the_readme_says() {
    let tree = Tree::new();
    let unreasoned = RESET.replace(
        "()?;\n",
        "()?; // connlint: allow(uncommitted-transaction)\n",
    );
    tree.file("clean.rs", CLEAN)
        .file("warning.rs", &unreasoned)
        .file("error.rs", SAVE)
        .file("broken.rs", "fn broken( {\n")
        .file("bad/connlint.toml", "selct = []\n")
        .file("bad/a.rs", CLEAN);
    // 0: nothing found, or warnings alone.
    tree.run(&["clean.rs"]).expect_code(0);
    tree.run(&["clean.rs", "warning.rs"]).expect_code(0);
    // 1: an error-level finding, or a warning with -D warnings.
    tree.run(&["clean.rs", "error.rs"]).expect_code(1);
    tree.run(&["-D", "warnings", "warning.rs"]).expect_code(1);
    // 2: usage, configuration, a path that does not exist, a file that
    // does not parse; each also when other files have findings.
    tree.run(&["--select", "nope", "error.rs"]).expect_code(2);
    tree.run(&["bad/a.rs"]).expect_code(2);
    tree.run(&["error.rs", "missing.rs"]).expect_code(2);
    tree.run(&["error.rs", "broken.rs"]).expect_code(2);
}

#[test]
fn human_findings_name_the_explain_command_and_the_files_with_findings() {
    let tree = Tree::new();
    tree.file("save.rs", SAVE).file("clean.rs", CLEAN);
    let run = tree.run(&["-o", "report.txt"]);
    run.expect_code(1);
    let report = tree.read("report.txt");
    assert!(
        report
            .contains("= note: `connlint --explain write-outside-transaction` describes this rule"),
        "{report}"
    );
    assert!(
        report.ends_with("found 1 error and 0 warnings in 1 of 2 files\n"),
        "{report}"
    );
}
