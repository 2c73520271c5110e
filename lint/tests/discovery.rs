//! Finding files: what is walked and skipped, files that cannot be linted,
//! crates and modules, deeply nested code, and `cargo connlint`.

mod support;

use connlint::discover;
use connlint::Exclude;
use support::{finding, Tree, CLEAN, RESET, SAVE};

const PACKAGE: &str = "[package]\nname = \"my-store\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let tree = Tree::new();
    tree.file(
        "src/broken.rs",
        "fn broken(db: &rusqlite::Connection) {\n    let x = ;\n}\n",
    )
    // A body that names no database is parsed only when asked for, and
    // nothing asks: rustc reports that error, not connlint.
    .file("src/tally.rs", "fn tally() {\n    let x = ;\n}\n")
    .file("src/latin1.rs", b"// caf\xe9\nfn f() {}\n".as_slice())
    .file("src/store.rs", SAVE);
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["files_scanned"], 2);
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", "src/store.rs", 2)]
    );
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "src/broken.rs");
    assert!(errors[0].1.starts_with("cannot parse: 2:"), "{errors:?}");
    assert_eq!(
        errors[1],
        (
            "src/latin1.rs".to_string(),
            "file is not valid UTF-8".to_string()
        )
    );
    let human = tree.run(&[]);
    assert!(
        human
            .stdout
            .contains("error: cannot lint src/broken.rs: cannot parse: 2:"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("2 files; 2 files could not be linted"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_test_file_is_parsed_only_when_tests_are_checked() {
    let tree = Tree::new();
    tree.file("Cargo.toml", PACKAGE)
        .file("src/lib.rs", SAVE)
        .file("tests/broken.rs", "struct Broken {\n    x: ,\n}\n");
    // Nothing in a test file is checked without --include-tests, so it is
    // not parsed either: its syntax error is rustc's to report. It still
    // counts as scanned.
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.json()["files_scanned"], 2);
    assert_eq!(run.json()["errors"], serde_json::json!([]));
    let run = tree.run(&["--format", "json", "--include-tests"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["errors"][0]["path"], "tests/broken.rs");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("cannot parse: 2:"), "{message}");
}

#[test]
fn a_non_utf8_file_alone_is_an_error() {
    let tree = Tree::new();
    tree.file("bytes.rs", b"fn f() { let s = \"\xc3\x28\"; }\n".as_slice());
    let run = tree.run(&["--format", "json", "bytes.rs"]);
    run.expect_code(2);
    assert_eq!(
        run.json()["errors"][0]["message"],
        "file is not valid UTF-8"
    );
}

#[test]
fn gitignored_target_and_hidden_folders_are_skipped() {
    let tree = Tree::new();
    tree.file(".gitignore", "generated/\nscratch.rs\n")
        .file("src/lib.rs", RESET)
        .file("generated/out.rs", RESET)
        .file("src/scratch.rs", RESET)
        .file("target/debug/build/out.rs", RESET)
        .file("sub/target/x.rs", RESET)
        .file(".hidden/h.rs", RESET)
        .file("src/.cache/c.rs", RESET)
        .file("src/notes.txt", "not rust");
    let run = tree.run(&["--format", "json"]);
    assert_eq!(run.json()["files_scanned"], 1, "{}", run.stdout);
    assert_eq!(
        run.findings(),
        vec![finding("uncommitted-transaction", "src/lib.rs", 2)]
    );
    // Named explicitly, a file or folder is linted whatever the walk skips.
    let explicit = tree.run(&["--format", "json", ".hidden", "generated/out.rs"]);
    assert_eq!(explicit.json()["files_scanned"], 2, "{}", explicit.stdout);
}

#[test]
fn explicit_files_outside_packages_are_linted() {
    let tree = Tree::new();
    tree.file("work/Cargo.toml", PACKAGE)
        .file("work/src/lib.rs", CLEAN)
        .file("loose/script.rs", SAVE);
    let run = tree.run_in("work", &["--format", "json", "../loose/script.rs", "src"]);
    run.expect_code(1);
    let absolute = tree.path("loose/script.rs").display().to_string();
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", &absolute, 2)]
    );
    assert_eq!(run.json()["files_scanned"], 2);
}

/// A discovered file: display path, module path, whether it is test code.
type FileSummary = (String, Vec<String>, bool);

#[test]
fn files_are_grouped_into_crates_with_module_paths() {
    let tree = Tree::new();
    tree.file("Cargo.toml", "[workspace]\nmembers = [\"store\"]\n")
        .file("store/Cargo.toml", PACKAGE)
        .file("store/src/lib.rs", "mod db;\n")
        .file("store/src/db/mod.rs", "mod pool;\n")
        .file("store/src/db/pool.rs", CLEAN)
        .file("store/tests/it.rs", CLEAN)
        .file("loose.rs", CLEAN);
    let root = tree.root();
    let found =
        discover::discover(std::slice::from_ref(&root), &root, &Exclude::default()).unwrap();
    let mut crates: Vec<(String, Vec<FileSummary>)> = found
        .crates
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.files
                    .iter()
                    .map(|f| (f.display.clone(), f.module.clone(), f.is_test))
                    .collect(),
            )
        })
        .collect();
    crates.sort();
    let module = |parts: &[&str]| parts.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert_eq!(
        crates,
        vec![
            (
                "loose".to_string(),
                vec![("loose.rs".to_string(), module(&[]), false)]
            ),
            (
                "my_store".to_string(),
                vec![
                    ("store/src/db/mod.rs".to_string(), module(&["db"]), false),
                    (
                        "store/src/db/pool.rs".to_string(),
                        module(&["db", "pool"]),
                        false
                    ),
                    ("store/src/lib.rs".to_string(), module(&[]), false),
                    ("store/tests/it.rs".to_string(), module(&[]), true),
                ]
            ),
        ]
    );
}

/// `{ (1 + ` repeated `n` times around `1`: 2n levels of blocks and
/// parenthesised expressions.
fn nested(n: usize) -> String {
    format!(
        "fn main() {{\n    let x = {}1{};\n}}\n",
        "{ (1 + ".repeat(n),
        ") }".repeat(n)
    )
}

#[test]
fn five_thousand_nested_blocks_and_expressions_are_linted() {
    let tree = Tree::new();
    tree.file(
        "blocks.rs",
        format!("fn main() {}{}\n", "{ ".repeat(5_000), "}".repeat(5_000)),
    )
    .file("mixed.rs", nested(2_500))
    .file(
        "exprs.rs",
        format!(
            "fn main() {{ let x = {}1{}; }}\n",
            "(1 + ".repeat(5_000),
            ")".repeat(5_000)
        ),
    )
    .file("save.rs", SAVE);
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["files_scanned"], 4, "{report}");
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn code_nested_too_deep_is_an_error_not_a_crash() {
    let tree = Tree::new();
    tree.file("deep.rs", nested(5_000)).file("save.rs", SAVE);
    let run = tree.run(&["--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["files_scanned"], 1);
    assert_eq!(report["errors"][0]["path"], "deep.rs");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested more than"),
        "{report}"
    );
}

#[test]
fn a_large_file_of_simple_functions_is_not_too_deep() {
    // About 1 MB of top-level functions: no `;` or `,` between them, which
    // once counted as one expression chain from about 6,250 functions on.
    let mut text: String = (0..20_000)
        .map(|i| format!("pub fn function_number_{i}(x: i32) -> i32 {{ x + {i} }}\n"))
        .collect();
    text.push_str(SAVE);
    let tree = Tree::new();
    tree.file("big.rs", &text);
    let run = tree.run(&["--format", "json"]);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(
        run.findings(),
        vec![finding("write-outside-transaction", "big.rs", 20_002)]
    );
}

#[test]
fn cargo_connlint_lints_every_workspace_member() {
    let tree = Tree::new();
    tree.file(
        "Cargo.toml",
        "[package]\nname = \"app-root\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [workspace]\nmembers = [\".\", \"crates/db-store\"]\nexclude = [\"fixtures\", \"testdata\"]\n",
    )
    .file("src/main.rs", SAVE)
    .file(
        "crates/db-store/Cargo.toml",
        PACKAGE.replace("my-store", "db-store"),
    )
    .file("crates/db-store/src/lib.rs", RESET)
    .file("crates/db-store/target/debug/gen.rs", RESET)
    .file("target/debug/gen.rs", RESET)
    .file(
        "fixtures/Cargo.toml",
        PACKAGE.replace("my-store", "fixtures"),
    )
    .file("fixtures/src/lib.rs", RESET)
    .file("testdata/rules/bad.rs", RESET);
    let run = tree.cargo_connlint(".", &["--format", "json"]);
    run.expect_code(1);
    assert_eq!(
        run.findings(),
        vec![
            finding("uncommitted-transaction", "crates/db-store/src/lib.rs", 2),
            finding("write-outside-transaction", "src/main.rs", 2),
        ]
    );
    assert_eq!(run.json()["files_scanned"], 2);

    // Each member is its own crate, named after its package.
    let found = connlint::workspace::discover(&tree.root(), &Exclude::default()).unwrap();
    let mut names: Vec<(String, usize)> = found
        .crates
        .iter()
        .map(|c| (c.name.clone(), c.files.len()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![("app_root".to_string(), 1), ("db_store".to_string(), 1)]
    );

    // From inside a member, cargo still finds the whole workspace.
    let inner = tree.cargo_connlint("crates/db-store", &["--format", "json"]);
    assert_eq!(inner.findings().len(), 2, "{}", inner.stdout);
    let paths = tree.cargo_connlint(".", &["src"]);
    paths.expect_code(2);
    assert!(paths.stderr.contains("takes no paths"), "{}", paths.stderr);
}

#[test]
fn cargo_connlint_outside_a_workspace_is_an_error() {
    let tree = Tree::new();
    tree.file("a.rs", CLEAN);
    let run = tree.cargo_connlint(".", &[]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("error: cannot read the cargo workspace: "),
        "{}",
        run.stderr
    );
}
