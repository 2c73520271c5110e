//! The renderers: snapshots of a small case in every format, the SARIF
//! output checked against the official 2.1.0 schema and, for every rule
//! fixture under paths with `:` and spaces, also by Microsoft's SARIF
//! multitool, the cargo format read back with cargo_metadata's parser (the
//! one rust-analyzer uses) and the JUnit report with an XML parser.
//!
//! The multitool check needs `npx` (Node.js) and the npm registry; without
//! them it says why and skips, unless `CONNLINT_REQUIRE_SARIF_MULTITOOL=1`
//! (set by `.ci/run`, which installs Node.js) makes that a failure.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::ValueEnum;
use connlint::render::cargo::{CargoTarget, TargetInfo};
use connlint::render::{self, Format, RenderOptions};
use connlint::{FileError, Options, Report};
use connlint_rules::RULES;
use serde_json::Value;

/// An uncommitted transaction, two autocommit writes, a discarded commit
/// silenced by a suppression that gives no reason, and a discarded commit
/// with a machine-applicable fix.
const CASE: &str = r#"use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}

pub fn save(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO boards (id) VALUES (?1)", [id])?;
    conn.execute("UPDATE stats SET boards = boards + 1", [])?;
    Ok(())
}

pub fn close(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    tx.execute("DELETE FROM a", []).unwrap();
    let _ = tx.commit(); // connlint: allow(discarded-commit-error)
}

pub fn finish(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM b", [])?;
    let _ = tx.commit();
    Ok(())
}
"#;

fn report(text: &str) -> Report {
    let mut report = connlint::lint_source("src/store.rs", text, &Options::default());
    report.errors.push(FileError {
        path: "src/broken.rs".into(),
        message: "cannot parse: 2:13: expected an expression".into(),
    });
    report
}

fn rendered(report: &Report, format: Format) -> String {
    String::from_utf8(render::render(
        report,
        format,
        RenderOptions { color: false },
    ))
    .expect("utf-8 report")
}

fn sarif(text: &str) -> Value {
    serde_json::from_str(&rendered(&report(text), Format::Sarif)).expect("SARIF is JSON")
}

#[test]
fn human_snapshot() {
    insta::assert_snapshot!("human", rendered(&report(CASE), Format::Human));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", rendered(&report(CASE), Format::Github));
}

#[test]
fn sarif_snapshot() {
    let mut log = sarif(CASE);
    // The rule list (and so each result's index into it) and the version
    // change with every release; `sarif_describes_every_rule` checks them.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["rules"] = Value::String("<one descriptor per rule>".into());
    driver["version"] = Value::String("<version>".into());
    driver["semanticVersion"] = Value::String("<version>".into());
    for result in log["runs"][0]["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = Value::String("<index in rules>".into());
    }
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", rendered(&report(CASE), Format::Json));
}

#[test]
fn gitlab_snapshot() {
    insta::assert_snapshot!("gitlab", rendered(&report(CASE), Format::Gitlab));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", rendered(&report(CASE), Format::Junit));
}

/// The package `src/store.rs` belongs to, as [`render::cargo::locate`]
/// would read it from a manifest.
fn store_target() -> HashMap<String, CargoTarget> {
    let target = CargoTarget {
        package_id: "path+file:///work/app#app@0.1.0".into(),
        manifest_path: "/work/app/Cargo.toml".into(),
        target: TargetInfo {
            kind: vec!["lib".into()],
            crate_types: vec!["lib".into()],
            name: "app".into(),
            src_path: "/work/app/src/lib.rs".into(),
            edition: "2021".into(),
            doc: true,
            doctest: true,
            test: true,
        },
    };
    HashMap::from([("src/store.rs".to_string(), target)])
}

fn cargo_messages(text: &str) -> String {
    render::cargo::render(&report(text), &store_target())
}

#[test]
fn cargo_snapshot() {
    // One object per line, as cargo writes them; pretty-printed here so the
    // snapshot can be reviewed.
    let pretty: Vec<String> = cargo_messages(CASE)
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            serde_json::to_string_pretty(&value).unwrap()
        })
        .collect();
    insta::assert_snapshot!("cargo", pretty.join("\n"));
}

#[test]
fn cargo_messages_parse_as_cargo_messages() {
    use cargo_metadata::diagnostic::{Applicability, DiagnosticLevel};
    use cargo_metadata::Message;

    let text = cargo_messages(CASE);
    let messages: Vec<Message> = Message::parse_stream(text.as_bytes())
        .collect::<Result<_, _>>()
        .expect("readable stream");
    assert_eq!(messages.len(), text.lines().count());
    let mut diagnostics = Vec::new();
    for message in &messages[..messages.len() - 1] {
        match message {
            Message::CompilerMessage(m) => diagnostics.push(m),
            other => panic!("not a compiler message: {other:?}"),
        }
    }
    match messages.last() {
        Some(Message::BuildFinished(finished)) => assert!(!finished.success),
        other => panic!("the last message must be build-finished: {other:?}"),
    }
    let report = report(CASE);
    assert_eq!(
        diagnostics.len(),
        report.findings.len() + report.errors.len()
    );
    for (message, finding) in diagnostics.iter().zip(&report.findings) {
        let diagnostic = &message.message;
        assert_eq!(message.target.name, "app");
        assert_eq!(diagnostic.code.as_ref().unwrap().code, finding.rule);
        assert_eq!(diagnostic.message, finding.message);
        let primary = &diagnostic.spans[0];
        assert!(primary.is_primary);
        assert_eq!(primary.file_name, "src/store.rs");
        assert_eq!(
            (primary.line_start, primary.column_start),
            (finding.range.start.line, finding.range.start.column)
        );
        // The primary span's bytes are the flagged code.
        let flagged = &CASE[primary.byte_start as usize..primary.byte_end as usize];
        assert_eq!(
            primary.text[0].text,
            CASE.lines().nth(finding.range.start.line - 1).unwrap()
        );
        assert!(!flagged.is_empty());
        assert_eq!(diagnostic.spans.len(), 1 + finding.labels.len());
        assert!(diagnostic
            .children
            .iter()
            .any(|c| c.level == DiagnosticLevel::Help && c.message == finding.help));
        assert!(diagnostic
            .rendered
            .as_deref()
            .unwrap()
            .contains(finding.rule));
    }
    let fixes: Vec<_> = diagnostics
        .iter()
        .flat_map(|m| &m.message.children)
        .flat_map(|c| &c.spans)
        .filter(|s| s.suggested_replacement.is_some())
        .collect();
    assert_eq!(fixes.len(), 1, "one finding has a suggestion");
    assert_eq!(
        fixes[0].suggested_replacement.as_deref(),
        Some("tx.commit()?;")
    );
    assert_eq!(
        fixes[0].suggestion_applicability,
        Some(Applicability::MachineApplicable)
    );
    assert_eq!(
        &CASE[fixes[0].byte_start as usize..fixes[0].byte_end as usize],
        "let _ = tx.commit();"
    );
    let error = &diagnostics.last().unwrap().message;
    assert_eq!(error.level, DiagnosticLevel::Error);
    assert!(error.message.starts_with("cannot lint src/broken.rs"));
}

#[test]
fn junit_is_well_formed_and_counts_its_cases() {
    let text = rendered(&report(CASE), Format::Junit);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |node: roxmltree::Node, name: &str| {
        node.descendants()
            .filter(|n| n.tag_name().name() == name)
            .count()
            .to_string()
    };
    for node in std::iter::once(root).chain(root.children().filter(|n| n.is_element())) {
        assert_eq!(
            node.attribute("tests"),
            Some(count(node, "testcase").as_str())
        );
        assert_eq!(
            node.attribute("failures"),
            Some(count(node, "failure").as_str())
        );
        assert_eq!(
            node.attribute("errors"),
            Some(count(node, "error").as_str())
        );
    }
    let report = report(CASE);
    assert_eq!(count(root, "failure"), report.findings.len().to_string());
    assert_eq!(count(root, "error"), report.errors.len().to_string());
    // Markup in messages is escaped, not interpreted.
    let tricky = rendered(&report_with_message("a <b> & \"c\" \u{1}"), Format::Junit);
    let document = roxmltree::Document::parse(&tricky).expect("escaped XML");
    let failure = document
        .descendants()
        .find(|n| n.tag_name().name() == "failure")
        .unwrap();
    assert_eq!(failure.attribute("message"), Some("a <b> & \"c\" \u{FFFD}"));
}

/// The report of [`CASE`] with the first finding's message replaced.
fn report_with_message(message: &str) -> Report {
    let mut report = report(CASE);
    report.findings[0].message = message.into();
    report
}

#[test]
fn gitlab_issues_have_the_code_quality_fields() {
    let issues: Value =
        serde_json::from_str(&rendered(&report(CASE), Format::Gitlab)).expect("JSON");
    let issues = issues.as_array().expect("an array of issues");
    let case = report(CASE);
    assert_eq!(issues.len(), case.findings.len() + case.errors.len());
    let mut fingerprints: Vec<&str> = Vec::new();
    for (issue, finding) in issues.iter().zip(&case.findings) {
        assert_eq!(issue["check_name"], finding.rule);
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .contains(&finding.message));
        assert_eq!(issue["location"]["path"], "src/store.rs");
        assert_eq!(
            issue["location"]["lines"]["begin"],
            finding.range.start.line
        );
        let severity = issue["severity"].as_str().unwrap();
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&severity));
        fingerprints.push(issue["fingerprint"].as_str().unwrap());
    }
    let unique: std::collections::HashSet<_> = fingerprints.iter().collect();
    assert_eq!(unique.len(), fingerprints.len(), "fingerprints are unique");
    // Lines added above do not change the fingerprints.
    let moved: Value = serde_json::from_str(&rendered(
        &report(&format!("//! The store.\n\n{CASE}")),
        Format::Gitlab,
    ))
    .unwrap();
    for (a, b) in moved
        .as_array()
        .unwrap()
        .iter()
        .zip(issues)
        .take(case.findings.len())
    {
        assert_eq!(a["fingerprint"], b["fingerprint"]);
        assert_ne!(
            a["location"]["lines"]["begin"],
            b["location"]["lines"]["begin"]
        );
    }
}

#[test]
fn every_format_has_a_snapshot() {
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lint/tests/snapshots");
    for format in Format::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        let path = snapshots.join(format!("render__{name}.snap"));
        assert!(path.is_file(), "no snapshot test for --format {name}");
    }
}

#[test]
fn sarif_describes_every_rule() {
    let log = sarif(CASE);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .clone();
    for rule in RULES {
        let descriptor = rules
            .iter()
            .find(|d| d["id"] == rule.name)
            .unwrap_or_else(|| panic!("no descriptor for {}", rule.name));
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["fullDescription"]["text"], rule.documentation());
        assert_eq!(descriptor["help"]["text"], rule.documentation());
        assert_eq!(descriptor["help"]["markdown"], rule.documentation());
    }
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_fingerprints_ignore_lines_added_above() {
    let before = sarif(CASE);
    let after = sarif(&format!(
        "//! The store.\n\nconst LIMIT: usize = 10;\n\n{CASE}"
    ));
    let results = |log: &Value| log["runs"][0]["results"].as_array().unwrap().clone();
    let (before, after) = (results(&before), results(&after));
    assert_eq!(before.len(), 4);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        let region = |r: &Value| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(region(a), region(b) + 4);
        assert_eq!(a["partialFingerprints"], b["partialFingerprints"]);
        assert!(
            a["partialFingerprints"]["connlintFingerprint/v1"].is_string(),
            "{a}"
        );
    }
    let changed = sarif(
        &CASE
            .replace("DELETE FROM a", "DELETE FROM b")
            .replace("conn.transaction()?", "conn.transaction()?  "),
    );
    assert_eq!(
        results(&changed)[0]["partialFingerprints"],
        before[0]["partialFingerprints"],
        "whitespace is not a change"
    );
    let renamed = sarif(&CASE.replace("pub fn reset", "pub fn clear"));
    assert_ne!(
        results(&renamed)[0]["partialFingerprints"],
        before[0]["partialFingerprints"]
    );
}

/// The schema serde-sarif ships, found through `cargo metadata` so the test
/// follows whatever version Cargo.lock pins.
fn sarif_schema() -> Value {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .exec()
        .expect("cargo metadata");
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == "serde-sarif")
        .expect("serde-sarif in the dependency graph");
    let dir: PathBuf = package
        .manifest_path
        .parent()
        .expect("package folder")
        .into();
    let text = std::fs::read_to_string(dir.join("src/schema.json"))
        .expect("serde-sarif ships src/schema.json");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Replaces the schema's malformed language-tag patterns; returns how many.
fn fix_language_patterns(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut fixed = 0;
            if map.get("pattern").and_then(Value::as_str)
                == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
            {
                map.insert(
                    "pattern".into(),
                    Value::String("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into()),
                );
                fixed += 1;
            }
            fixed + map.values_mut().map(fix_language_patterns).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema = sarif_schema();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The official schema's `language` patterns have a stray `]`, which the
    // strict format check rejects when it checks the schema itself. connlint
    // never writes `language`; the patterns are replaced by the intended one
    // so that every format (uri, uri-reference, regex...) stays checked.
    let mut schema = schema;
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let log = sarif(CASE);
    let fix = &log["runs"][0]["results"][3]["fixes"][0];
    assert_eq!(
        fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "tx.commit()?;",
        "the fix is in the log the schema checks"
    );
    assert_eq!(fix["properties"]["applicability"], "machine-applicable");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    assert_eq!(log["version"], "2.1.0");
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    // The validator must catch a broken log, or the check above proves nothing.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(validator.iter_errors(&broken).next().is_some());
}

/// Every rule fixture, under folders whose names hold `:` and spaces, with
/// a file that does not parse, linted through the CLI: relative paths, and
/// one absolute path outside the working directory (a `file:` URI).
fn fixtures_log(tree: &support::Tree) -> Value {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut copied = 0;
    for rule in std::fs::read_dir(&rules).expect("testdata/rules") {
        let rule = rule.expect("entry").path();
        let name = rule.file_name().unwrap().to_string_lossy().into_owned();
        for fixture in std::fs::read_dir(&rule).expect("fixture folder") {
            let fixture = fixture.expect("entry").path();
            let file = fixture.file_name().unwrap().to_string_lossy().into_owned();
            tree.file(
                &format!("work dir/c:fixtures/{name}/{file}"),
                std::fs::read(&fixture).unwrap(),
            );
            copied += 1;
        }
    }
    assert!(copied > 100, "only {copied} fixtures");
    tree.file("work dir/c:fixtures/broken file.rs", "fn broken( {\n")
        .file("outside: here/save it.rs", support::SAVE);
    let outside = tree.path("outside: here/save it.rs");
    let run = tree.run_in(
        "work dir",
        &[
            "--format",
            "sarif",
            "--output",
            "../connlint.sarif",
            ".",
            outside.to_str().unwrap(),
        ],
    );
    run.expect_code(2);
    let text = tree.read("connlint.sarif");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() > 100, "only {} results", results.len());
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    let relative = uris
        .iter()
        .filter(|u| u.starts_with("c%3Afixtures/"))
        .count();
    assert_eq!(relative + 1, uris.len(), "{:?}", &uris[..3]);
    assert!(
        uris.iter()
            .any(|u| u.starts_with("file:///") && u.ends_with("/outside%3A%20here/save%20it.rs")),
        "{:?}",
        &uris[..3]
    );
    log
}

#[test]
fn sarif_of_every_fixture_validates_against_the_official_schema() {
    let mut schema = sarif_schema();
    fix_language_patterns(&mut schema);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let tree = support::Tree::new();
    let log = fixtures_log(&tree);
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        assert_ne!(rule["id"], rule["name"], "SARIF1001: {rule}");
    }
}

/// What `sarif-multitool validate` reports on a log: `(level, rule id,
/// arguments)`, or why it could not run.
fn multitool(dir: &Path, log: &Value, name: &str) -> Result<Vec<(String, String, String)>, String> {
    let input = dir.join(format!("{name}.sarif"));
    let output = dir.join(format!("{name}.validation.sarif"));
    std::fs::write(&input, serde_json::to_string_pretty(log).unwrap()).unwrap();
    // The package's launcher runs the tool through a shell, so the two
    // paths (in a temporary folder) must need no quoting.
    let run = Command::new("npx")
        .args(["--yes", MULTITOOL, "validate"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        .output()
        .map_err(|e| format!("cannot run npx: {e}"))?;
    let report = std::fs::read_to_string(&output).map_err(|e| {
        format!(
            "{MULTITOOL} wrote no report ({e}):\n{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    })?;
    let report: Value = serde_json::from_str(&report).map_err(|e| e.to_string())?;
    Ok(report["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["level"].as_str().unwrap_or("warning").to_string(),
                r["ruleId"].as_str().unwrap_or("").to_string(),
                r["message"]["arguments"].to_string(),
            )
        })
        .collect())
}

/// The multitool release the check runs.
const MULTITOOL: &str = "@microsoft/sarif-multitool@5.7.0";

#[test]
fn sarif_of_every_fixture_passes_microsofts_validator() {
    let required = std::env::var_os("CONNLINT_REQUIRE_SARIF_MULTITOOL").is_some_and(|v| v == "1");
    let skip = |why: String| {
        assert!(!required, "CONNLINT_REQUIRE_SARIF_MULTITOOL=1 but {why}");
        eprintln!("skipped: the SARIF multitool cannot run here: {why}");
    };
    let tree = support::Tree::new();
    let log = fixtures_log(&tree);
    let dir = tempfile::tempdir().unwrap();
    let found = match multitool(dir.path(), &log, "connlint") {
        Ok(found) => found,
        Err(why) => return skip(why),
    };
    let problems: Vec<_> = found
        .iter()
        .filter(|(level, _, _)| level == "error" || level == "warning")
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // The validator reports nothing, not even a schema error, on a log it
    // cannot read (a URI such as `c:fixtures/a.rs`, which it takes for a
    // drive): one known defect added to the same log must be reported, or
    // the silence above proves nothing.
    let mut control = log.clone();
    let rule = &mut control["runs"][0]["tool"]["driver"]["rules"][0];
    rule["name"] = rule["id"].clone();
    let found = multitool(dir.path(), &control, "control").expect("the control runs");
    assert!(
        found.iter().any(|(_, rule, _)| rule == "SARIF1001"),
        "the validator did not read the log: {found:#?}"
    );
}
