//! Mutated fixture files: the input picks a rule fixture or seed scenario
//! (`testdata/rules/**/*.rs`, `testdata/seeds/*.rs`) and a list of token
//! edits (delete, duplicate, swap, splice from another fixture, insert a
//! lifecycle snippet such as `.commit()?`, `loop {`, `drop(conn);`). Byte
//! mutations mostly break the syntax and stop at the parser; token edits keep
//! most inputs parseable, so the index, summaries and rules see odd but valid
//! code: moved commits, unbalanced loops, openers in strange places.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// Code fragments that matter to the rules.
const SNIPPETS: &[&str] = &[
    "tx.commit()?;",
    ".commit()",
    "let _ = tx.commit();",
    "tx.rollback()?;",
    "conn.transaction()?",
    "let tx = conn.transaction()?;",
    "Connection::open(path)?",
    "rusqlite::Connection::open_in_memory()?",
    "sqlx::SqlitePool::connect(url).await?",
    "tokio_postgres::connect(url, NoTls).await?",
    "pool.get()?",
    "pool.acquire().await?",
    "std::mem::forget(conn);",
    "Box::leak(Box::new(conn))",
    "ManuallyDrop::new(conn)",
    "drop(conn);",
    "drop(tx);",
    "return Ok(());",
    "return Err(e);",
    "?",
    ".await",
    "loop {",
    "for x in xs {",
    "while ok {",
    "}",
    "{",
    "if c {",
    "} else {",
    "match r { Ok(v) => v, Err(e) => return Err(e) }",
    "break;",
    "continue;",
    "conn.execute(\"INSERT INTO t VALUES (1)\", [])?;",
    "conn.execute(\"DELETE FROM t\", [])?;",
    "conn.execute_batch(\"BEGIN; UPDATE t SET a = 1; COMMIT;\")?;",
    "conn.execute(\"BEGIN\", [])?;",
    "tokio::spawn(connection);",
    "let (client, connection) =",
    "pool.close().await;",
    "|c| c.execute(\"UPDATE t SET a = 1\", [])",
    "#[tokio::main]",
    "async fn handler(State(db): State<Db>) -> String {",
    ".route(\"/\", get(handler))",
    "#[cfg(test)]",
    "// connlint: allow(uncommitted-transaction) reason",
    "static POOL: Mutex<Vec<Connection>> = Mutex::new(Vec::new());",
    "impl Store {",
    "fn open(path: &Path) -> rusqlite::Result<Connection> {",
    "Self",
    "self.conn",
    "&mut",
    "move",
];

fn fixtures() -> &'static [Vec<String>] {
    static FIXTURES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let mut files = Vec::new();
        collect(&testdata.join("rules"), &mut files);
        collect(&testdata.join("seeds"), &mut files);
        files.sort();
        let fixtures: Vec<Vec<String>> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .map(|text| tokens(&text))
            .collect();
        assert!(!fixtures.is_empty(), "no fixtures under {}", testdata.display());
        fixtures
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Splits source text into identifier runs, string literals, white space
/// runs and single punctuation characters; joining them gives the text back.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
        } else {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

fn index(bytes: &[u8], len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    usize::from(u16::from_le_bytes([bytes[0], bytes[1]])) % len
}

fn mutate(data: &[u8]) -> Option<String> {
    let fixtures = fixtures();
    let (head, ops) = data.split_at_checked(2)?;
    let mut toks = fixtures[index(head, fixtures.len())].clone();
    for op in ops.chunks_exact(5).take(64) {
        let len = toks.len();
        let i = index(&op[1..3], len + 1);
        let j = index(&op[3..5], 1 << 16);
        match op[0] % 7 {
            0 if i < len => {
                toks.remove(i);
            }
            1 if len > 0 => {
                let t = toks[j % len].clone();
                toks.insert(i, t);
            }
            2 if i < len && len > 0 => toks.swap(i, j % len),
            3 => toks.insert(i, format!(" {} ", SNIPPETS[j % SNIPPETS.len()])),
            4 if i < len => {
                let end = (i + 1 + j % 16).min(len);
                toks.drain(i..end);
            }
            5 => {
                let other = &fixtures[j % fixtures.len()];
                if !other.is_empty() {
                    let start = (j / 7) % other.len();
                    let end = (start + 1 + (j / 3) % 48).min(other.len());
                    toks.splice(i..i, other[start..end].iter().cloned());
                }
            }
            6 if i < len => toks[i] = format!(" {} ", SNIPPETS[j % SNIPPETS.len()]),
            _ => {}
        }
    }
    Some(toks.concat())
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = mutate(data) else {
        return;
    };
    // `CONNLINT_FUZZ_DUMP=file` writes the mutated text before linting it,
    // to turn a crash input into a regression fixture.
    static DUMP: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(path) = DUMP.get_or_init(|| std::env::var_os("CONNLINT_FUZZ_DUMP").map(PathBuf::from)) {
        let _ = std::fs::write(path, &text);
    }
    let options = connlint::Options {
        include_tests: true,
        threads: Some(1),
        ..connlint::Options::default()
    };
    let report = connlint::lint_source("fuzz.rs", &text, &options);
    for error in &report.errors {
        assert!(
            !error.message.contains("internal error"),
            "{}",
            error.message
        );
    }
});
