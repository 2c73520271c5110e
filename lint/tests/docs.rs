//! Documentation that is generated or checked against the code:
//! `docs/rules/*.md` come from the rules' doc comments (the text
//! `connlint --explain` prints), the README and `docs/ci.md` name only
//! rules and formats that exist, and `docs/configuration.md` documents every
//! configuration key with examples that lint as they say.
//!
//! When a rule's doc comment changes, regenerate the pages with
//!
//! ```sh
//! UPDATE_DOCS=1 cargo test -p connlint --test docs
//! ```

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use connlint::catalog;
use connlint::render::Format;
use connlint_rules::{Rule, RULES};

const REGENERATE: &str = "UPDATE_DOCS=1 cargo test -p connlint --test docs";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules_dir() -> PathBuf {
    root().join("docs/rules")
}

/// The page of one rule: title, summary, severity, then the documentation
/// with its code blocks marked as plain Rust (the doc comments say
/// `rust,ignore` so that rustdoc does not compile the fragments).
fn page(rule: &Rule) -> String {
    let mut out = format!(
        "<!-- Generated from the doc comment in {} by `{REGENERATE}`; do not edit. -->\n\n",
        catalog::source_file(rule)
    );
    out.push_str(&format!("# `{}`\n\n", rule.name));
    out.push_str(&format!("{}.\n\n", capitalized(rule.summary)));
    out.push_str(&format!(
        "Severity: {}. Print this page with `connlint --explain {}`.\n\n",
        rule.severity, rule.name
    ));
    for line in rule.documentation().lines() {
        if line.trim_start().starts_with("```rust") {
            out.push_str("```rust");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The index page: every rule with its summary.
fn index() -> String {
    let mut out = format!(
        "<!-- Generated from the rules' doc comments by `{REGENERATE}`; do not edit. -->\n\n\
         # Rules\n\n\
         Each page is the rule's doc comment, the text `connlint --explain RULE` prints.\n\n\
         | rule | severity | flags |\n|---|---|---|\n"
    );
    for rule in catalog::all() {
        out.push_str(&format!(
            "| [`{name}`]({name}.md) | {} | {} |\n",
            rule.severity,
            rule.summary.replace('|', "\\|"),
            name = rule.name
        ));
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every generated file by name.
fn expected() -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = catalog::all()
        .map(|rule| (format!("{}.md", rule.name), page(rule)))
        .collect();
    files.insert("README.md".into(), index());
    files
}

#[test]
fn rule_pages_match_the_doc_comments() {
    let dir = rules_dir();
    let expected = expected();
    let present: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();

    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).expect("write rule page");
        }
        for name in present.iter().filter(|n| !expected.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).expect("remove stale rule page");
        }
        return;
    }

    let mut problems = Vec::new();
    for (name, text) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(found) if found == *text => {}
            Ok(_) => problems.push(format!("docs/rules/{name} is out of date")),
            Err(_) => problems.push(format!("docs/rules/{name} is missing")),
        }
    }
    for name in present.iter().filter(|n| !expected.contains_key(*n)) {
        problems.push(format!("docs/rules/{name} belongs to no rule"));
    }
    assert!(
        problems.is_empty(),
        "{}\nregenerate the rule pages with `{REGENERATE}`",
        problems.join("\n")
    );
}

#[test]
fn analysis_rules_document_every_section() {
    let sections = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
        "## Fix",
        "## Known limits",
    ];
    let mut problems = Vec::new();
    for rule in RULES {
        let doc = rule.documentation();
        let mut last = 0;
        for section in sections {
            match doc.lines().position(|line| line.trim_end() == section) {
                Some(at) if at >= last => last = at,
                Some(_) => problems.push(format!("{}: `{section}` is out of order", rule.name)),
                None => problems.push(format!("{}: no `{section}` section", rule.name)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_links_every_rule_page_and_the_ci_recipes() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut missing: Vec<String> = RULES
        .iter()
        .map(|rule| format!("(docs/rules/{}.md)", rule.name))
        .filter(|link| !readme.contains(link.as_str()))
        .collect();
    for link in [
        "(docs/ci.md)",
        "(docs/editors.md)",
        "(docs/configuration.md)",
        "(docs/rules/README.md)",
    ] {
        if !readme.contains(link) {
            missing.push(link.into());
        }
    }
    assert!(missing.is_empty(), "README.md does not link {missing:?}");
}

/// The value after each `--format` in a text.
fn formats_named(text: &str) -> Vec<String> {
    text.split("--format")
        .skip(1)
        .filter_map(|rest| {
            let value: String = rest
                .trim_start_matches([' ', '=', '"', ','])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            (!value.is_empty()).then_some(value)
        })
        .collect()
}

#[test]
fn documented_commands_use_formats_that_exist() {
    let mut named = Vec::new();
    for doc in ["README.md", "docs/ci.md", "docs/editors.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap_or_else(|_| panic!("{doc}"));
        named.extend(formats_named(&text).into_iter().map(|f| (doc, f)));
    }
    let unknown: Vec<_> = named
        .iter()
        .filter(|(_, format)| Format::from_str(format, false).is_err())
        .collect();
    assert!(
        unknown.is_empty(),
        "unknown formats in the docs: {unknown:?}"
    );
    for format in ["sarif", "github", "gitlab", "junit"] {
        assert!(
            named
                .iter()
                .any(|(doc, f)| *doc == "docs/ci.md" && f == format),
            "docs/ci.md shows no `--format {format}` recipe"
        );
    }
    assert!(
        named
            .iter()
            .any(|(doc, f)| *doc == "docs/editors.md" && f == "cargo"),
        "docs/editors.md shows no `--format cargo` setting"
    );
}

/// The keys a configuration accepts, as serde lists them when it rejects
/// an unknown one: the page is checked against the code, not a copy.
fn configuration_keys() -> Vec<String> {
    let error = toml::from_str::<connlint::config::Settings>("not-a-key = 1")
        .unwrap_err()
        .to_string();
    let expected = error
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("serde no longer lists the keys: {error}"));
    expected
        .split(", ")
        .map(|key| key.trim().trim_matches('`').to_string())
        .filter(|key| !key.is_empty())
        .collect()
}

/// The fenced code blocks of a Markdown text: `(language, text)`.
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(language)) => current = Some((language.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn configuration_page() -> String {
    std::fs::read_to_string(root().join("docs/configuration.md")).expect("docs/configuration.md")
}

#[test]
fn configuration_page_documents_every_key() {
    let page = configuration_page();
    let keys = configuration_keys();
    assert!(keys.len() >= 9, "{keys:?}");
    let headings: BTreeSet<&str> = page
        .lines()
        .filter_map(|line| line.strip_prefix("### `"))
        .filter_map(|rest| rest.strip_suffix('`'))
        .collect();
    let blocks = code_blocks(&page);
    for key in &keys {
        let table = ["openers", "closers", "handlers"].contains(&key.as_str());
        let heading = if table {
            format!("[[{key}]]")
        } else {
            key.clone()
        };
        assert!(
            headings.contains(heading.as_str()),
            "docs/configuration.md has no `### `{heading}`` section"
        );
        let written = if table {
            format!("[[{key}]]")
        } else {
            format!("{key} =")
        };
        assert!(
            blocks
                .iter()
                .any(|(language, text)| language == "toml" && text.contains(&written)),
            "docs/configuration.md has no example of `{key}`"
        );
    }
    for heading in headings {
        let key = heading.trim_start_matches("[[").trim_end_matches("]]");
        assert!(
            keys.iter().any(|k| k == key),
            "docs/configuration.md documents `{heading}`, which is no key"
        );
    }
}

/// `(line, rule)` of each `// reported: RULE` marker.
fn reported(rust: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for (i, line) in rust.lines().enumerate() {
        if let Some((_, rule)) = line.split_once("// reported: ") {
            out.push((i as u64 + 1, rule.trim().to_string()));
        }
    }
    out
}

#[test]
fn configuration_examples_are_valid_and_lint_as_they_say() {
    let blocks = code_blocks(&configuration_page());
    let mut checked = 0;
    let mut pairs = 0;
    for (i, (language, text)) in blocks.iter().enumerate() {
        if language != "toml" {
            continue;
        }
        checked += 1;
        let tree = support::Tree::new();
        if text.starts_with("# Cargo.toml") {
            tree.file("Cargo.toml", text).file("a.rs", support::CLEAN);
            let run = tree.run(&["--config", "Cargo.toml", "a.rs"]);
            run.expect_code(0);
            continue;
        }
        tree.file(
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .file("connlint.toml", text);
        let rust = blocks
            .get(i + 1)
            .filter(|(language, code)| language == "rust" && code.starts_with("// src/lib.rs"));
        let Some((_, rust)) = rust else {
            // A configuration alone must load and lint.
            tree.file("src/lib.rs", support::CLEAN);
            let run = tree.run(&["src/lib.rs"]);
            run.expect_code(0);
            continue;
        };
        pairs += 1;
        tree.file("src/lib.rs", rust);
        let run = tree.run(&["--format", "json", "src/lib.rs"]);
        let found: Vec<(u64, String)> = run
            .findings()
            .into_iter()
            .map(|(rule, _, line)| (line, rule))
            .collect();
        assert_eq!(
            found,
            reported(rust),
            "the example after\n{text}\nreports otherwise:\n{}{}",
            run.stdout,
            run.stderr
        );
    }
    assert!(
        checked >= 10 && pairs >= 7,
        "{checked} examples, {pairs} with code"
    );
}
