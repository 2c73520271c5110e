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
    // Files that cannot be linted make the run fail, whatever else it finds.
    let run = tree.run(&["--format", "json"]);
    run.expect_code(2);
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
    run.expect_code(2);
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
    let found = discover::discover(std::slice::from_ref(&root), &root, &Exclude::default());
    let mut crates: Vec<(String, Vec<FileSummary>)> = found
        .crates()
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
    run.expect_code(2);
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
    let (found, _) = connlint::workspace::discover(
        &tree.root(),
        &Exclude::default(),
        &connlint::workspace::Selection::workspace(),
    )
    .unwrap();
    let mut names: Vec<(String, usize)> = found
        .crates()
        .map(|c| (c.name.clone(), c.files.len()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![("app_root".to_string(), 1), ("db_store".to_string(), 1)]
    );

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

/// A router in one file, the handler it registers in another: the handler
/// opens a connection per request.
const ROUTER: &str = "use axum::routing::get;
use axum::Router;

mod handlers;

pub fn router() -> Router {
    Router::new().route(\"/tasks\", get(handlers::list_tasks))
}
";

const HANDLER: &str = "use rusqlite::Connection;

pub async fn list_tasks() -> String {
    let conn = Connection::open(\"tasks.db\").unwrap();
    conn.query_row(\"SELECT count(*) FROM tasks\", [], |r| r.get::<_, i64>(0))
        .unwrap()
        .to_string()
}
";

#[test]
fn a_file_given_alone_is_linted_with_the_rest_of_its_package() {
    let tree = Tree::new();
    tree.file("Cargo.toml", PACKAGE)
        .file("src/lib.rs", ROUTER)
        .file("src/handlers.rs", HANDLER)
        .file("src/store.rs", SAVE);
    // As pre-commit runs it when only the handler is staged: the router
    // that makes `list_tasks` a handler is read, and only the handler
    // file is reported on.
    let run = tree.run(&["--format", "json", "src/handlers.rs"]);
    run.expect_code(1);
    assert_eq!(
        run.findings(),
        vec![finding("connection-per-call", "src/handlers.rs", 4)]
    );
    assert_eq!(run.json()["files_scanned"], 1);
    // A broken file elsewhere in the package is context, not a failure.
    tree.file("src/broken.rs", "fn broken( {\n");
    let run = tree.run(&["--format", "json", "src/handlers.rs"]);
    run.expect_code(1);
    assert_eq!(run.json()["errors"], serde_json::json!([]));
    // The same from another folder, and for the router alone (nothing).
    let elsewhere = tree.run_in("src", &["--format", "json", "handlers.rs"]);
    assert_eq!(
        elsewhere.findings(),
        vec![finding("connection-per-call", "handlers.rs", 4)]
    );
    tree.run(&["src/lib.rs"]).expect_code(0);
}

const WORKSPACE: &str = "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n";

/// A workspace of two members, `db-store` (an uncommitted transaction) and
/// `web` (two writes outside a transaction).
fn two_members() -> Tree {
    let tree = Tree::new();
    tree.file("Cargo.toml", WORKSPACE)
        .file(
            "crates/db-store/Cargo.toml",
            PACKAGE.replace("my-store", "db-store"),
        )
        .file("crates/db-store/src/lib.rs", RESET)
        .file("crates/web/Cargo.toml", PACKAGE.replace("my-store", "web"))
        .file("crates/web/src/lib.rs", SAVE);
    tree
}

#[test]
fn cargo_connlint_chooses_packages_as_cargo_does() {
    let tree = two_members();
    let store = finding("uncommitted-transaction", "crates/db-store/src/lib.rs", 2);
    let web = finding("write-outside-transaction", "crates/web/src/lib.rs", 2);
    // At the root: every member.
    let all = tree.cargo_connlint(".", &["--format", "json"]);
    assert_eq!(all.findings(), vec![store.clone(), web.clone()]);
    // In a member's folder: that member, paths still relative to the
    // workspace root as cargo shows them.
    let member = tree.cargo_connlint("crates/web/src", &["--format", "json"]);
    assert_eq!(member.findings(), vec![web.clone()]);
    // --workspace from a member's folder: every member, relative paths.
    let workspace = tree.cargo_connlint("crates/web", &["--format", "json", "--workspace"]);
    assert_eq!(workspace.findings(), vec![store.clone(), web.clone()]);
    let sarif = tree.cargo_connlint("crates/web", &["--format", "sarif", "--workspace"]);
    assert!(!sarif.stdout.contains("file://"), "{}", sarif.stdout);
    assert!(
        sarif
            .stdout
            .contains("\"uri\": \"crates/db-store/src/lib.rs\""),
        "{}",
        sarif.stdout
    );
    // -p, repeated, and name@version.
    let package = tree.cargo_connlint("crates/web", &["--format", "json", "-p", "db-store"]);
    assert_eq!(package.findings(), vec![store.clone()]);
    let both = tree.cargo_connlint(
        ".",
        &[
            "--format",
            "json",
            "--package",
            "web",
            "-p",
            "db-store@0.1.0",
        ],
    );
    assert_eq!(both.findings(), vec![store.clone(), web.clone()]);
    let unknown = tree.cargo_connlint(".", &["-p", "nope"]);
    unknown.expect_code(2);
    assert!(
        unknown
            .stderr
            .contains("package `nope` is not a member of the workspace"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown.stderr.contains("db-store, web"),
        "{}",
        unknown.stderr
    );
    // --manifest-path, from anywhere.
    let elsewhere = Tree::new();
    let manifest = tree.path("crates/db-store/Cargo.toml");
    let by_manifest = elsewhere.cargo_connlint(
        ".",
        &[
            "--format",
            "json",
            "--manifest-path",
            manifest.to_str().unwrap(),
        ],
    );
    assert_eq!(by_manifest.findings(), vec![store.clone()]);
    let root_manifest = tree.path("Cargo.toml");
    let whole = elsewhere.cargo_connlint(
        ".",
        &[
            "--format",
            "json",
            "--manifest-path",
            root_manifest.to_str().unwrap(),
        ],
    );
    assert_eq!(whole.findings(), vec![store, web]);
    // The cargo flags are cargo connlint's; connlint takes paths.
    let flags = tree.run(&["-p", "web"]);
    flags.expect_code(2);
    assert!(
        flags.stderr.contains("flags of `cargo connlint`"),
        "{}",
        flags.stderr
    );
}

#[test]
fn default_members_are_linted_at_the_workspace_root() {
    let tree = two_members();
    tree.file(
        "Cargo.toml",
        WORKSPACE.replace("resolver", "default-members = [\"crates/web\"]\nresolver"),
    );
    let run = tree.cargo_connlint(".", &["--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![finding(
            "write-outside-transaction",
            "crates/web/src/lib.rs",
            2
        )]
    );
    let all = tree.cargo_connlint(".", &["--format", "json", "--workspace"]);
    assert_eq!(all.findings().len(), 2, "{}", all.stdout);
}

#[test]
fn each_binary_shows_its_own_flags() {
    let tree = Tree::new();
    let cargo = tree.cargo_connlint(".", &["--help"]);
    cargo.expect_code(0);
    assert!(
        cargo.stdout.contains("Usage: cargo connlint [OPTIONS]\n"),
        "{}",
        cargo.stdout
    );
    assert!(!cargo.stdout.contains("[PATH]"), "{}", cargo.stdout);
    for flag in ["--package <SPEC>", "--workspace", "--manifest-path <PATH>"] {
        assert!(cargo.stdout.contains(flag), "{flag}: {}", cargo.stdout);
    }
    let plain = tree.run(&["--help"]);
    assert!(plain.stdout.contains("[PATH]..."), "{}", plain.stdout);
    assert!(
        !plain.stdout.contains("--manifest-path"),
        "{}",
        plain.stdout
    );
    assert!(
        plain.stdout.contains("-o, --output <FILE>"),
        "{}",
        plain.stdout
    );
}

#[test]
fn an_unclosed_delimiter_is_reported_where_it_opens() {
    let tree = Tree::new();
    tree.file(
        "src/store.rs",
        "fn save(conn: &rusqlite::Connection) {\n    conn.execute(\"DELETE FROM a\", [];\n}\n\nfn other() {}\n",
    );
    let run = tree.run(&["--format", "json"]);
    run.expect_code(2);
    assert_eq!(
        run.json()["errors"][0]["message"],
        "cannot parse: 2:17: unclosed delimiter `(`: the `}` at 3:1 does not close it"
    );
}
