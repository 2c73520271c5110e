//! Classifying SQL text: which statements change data, which only read, and
//! which begin or end a transaction. A real parser (sqlparser, trying the
//! SQLite, PostgreSQL, MySQL and generic dialects) decides; text it cannot
//! parse falls back to the leading keyword of each statement.

use std::cell::RefCell;
use std::collections::HashMap;

use sqlparser::ast::Statement;
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

/// What one SQL statement does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SqlKind {
    /// SELECT, EXPLAIN, SHOW: reads only.
    Read,
    /// INSERT, UPDATE, DELETE, REPLACE, MERGE, upserts, TRUNCATE.
    Write,
    /// Schema changes that are not idempotent (CREATE TABLE without IF NOT
    /// EXISTS, ALTER, DROP): they count as writes.
    Ddl,
    /// CREATE … IF NOT EXISTS: safe to repeat, never counted.
    IdempotentDdl,
    Pragma,
    /// `PRAGMA user_version = N`: a schema version bump. Not a write on its
    /// own, but beside writes it is the one that says they happened.
    VersionBump,
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    /// A statement PostgreSQL refuses inside a transaction block (`CREATE
    /// INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ..
    /// CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`, `DROP DATABASE`, `ALTER
    /// SYSTEM`): not counted, and the writes beside it cannot all be
    /// wrapped in one transaction.
    NoTransaction,
    /// SET, ATTACH, `CREATE TEMP TABLE` (a scratch table that ends with the
    /// session) and whatever else: not counted.
    Other,
}

impl SqlKind {
    /// Whether the statement changes data or schema.
    pub fn is_write(self) -> bool {
        matches!(self, SqlKind::Write | SqlKind::Ddl)
    }
}

/// What one data-changing statement does, as far as it tells whether a
/// failure part-way through several of them leaves a state that matters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WriteShape {
    /// The table written, lower-cased, without schema; `None` when unknown.
    pub table: Option<String>,
    pub kind: WriteKind,
}

/// The kind of a write, for [`WriteShape`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// INSERT; `if_missing` for `INSERT OR IGNORE`, `ON CONFLICT DO
    /// NOTHING` and MySQL's `INSERT IGNORE`: re-running it converges.
    Insert {
        if_missing: bool,
    },
    Update,
    /// DELETE; `whole_table` when it has no WHERE.
    Delete {
        whole_table: bool,
    },
    Truncate,
    DropTable,
    /// Other schema changes (CREATE TABLE, ALTER).
    Ddl,
    /// REPLACE, MERGE, COPY and whatever else changes data.
    Other,
}

impl WriteShape {
    /// Removes all of a table (a DELETE without WHERE, TRUNCATE, DROP).
    pub fn clears_table(&self) -> bool {
        matches!(
            self.kind,
            WriteKind::Delete { whole_table: true } | WriteKind::Truncate | WriteKind::DropTable
        )
    }
}

/// The statements of one SQL text, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlInfo {
    pub statements: Vec<SqlKind>,
    /// The shape of each data-changing statement, in order.
    pub shapes: Vec<WriteShape>,
    /// Whether the parser understood the text (rather than the keyword
    /// fallback).
    pub parsed: bool,
    /// For each data-changing statement, whether it is a sweep (see
    /// [`is_sweep`]); empty for text the parser rejected.
    pub sweeps: Vec<bool>,
}

impl SqlInfo {
    /// Number of data-changing statements.
    pub fn writes(&self) -> usize {
        self.statements.iter().filter(|k| k.is_write()).count()
    }

    pub fn is_write(&self) -> bool {
        self.writes() > 0
    }

    /// Number of schema version bumps (`PRAGMA user_version = N`).
    pub fn version_bumps(&self) -> usize {
        self.statements
            .iter()
            .filter(|k| **k == SqlKind::VersionBump)
            .count()
    }

    /// Whether every statement only reads.
    pub fn is_read_only(&self) -> bool {
        !self.statements.is_empty() && self.statements.iter().all(|k| matches!(k, SqlKind::Read))
    }

    /// Whether a statement cannot run inside a transaction block.
    pub fn forbids_transaction(&self) -> bool {
        self.contains(SqlKind::NoTransaction)
    }

    /// Whether every statement is a sweep (see [`is_sweep`]).
    pub fn sweeps(&self) -> bool {
        !self.sweeps.is_empty() && self.sweeps.iter().all(|s| *s)
    }

    pub fn contains(&self, kind: SqlKind) -> bool {
        self.statements.contains(&kind)
    }

    /// A batch that opens a transaction and commits it itself
    /// (`BEGIN; …; COMMIT;`): its writes are atomic.
    pub fn is_self_contained_transaction(&self) -> bool {
        let begin = self.statements.iter().position(|k| *k == SqlKind::Begin);
        let commit = self.statements.iter().rposition(|k| *k == SqlKind::Commit);
        match (begin, commit) {
            (Some(b), Some(c)) => {
                b < c
                    && self.statements[..b].iter().all(|k| !k.is_write())
                    && self.statements[c..].iter().all(|k| !k.is_write())
            }
            _ => false,
        }
    }
}

thread_local! {
    static CACHE: RefCell<HashMap<String, SqlInfo>> = RefCell::new(HashMap::new());
}

/// Classifies a SQL text. Results are cached per thread: crates repeat the
/// same statements many times.
pub fn classify(sql: &str) -> SqlInfo {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(sql).cloned()) {
        return hit;
    }
    let info = classify_uncached(sql);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(sql.to_string(), info.clone());
    });
    info
}

fn classify_uncached(sql: &str) -> SqlInfo {
    let dialects: [&dyn Dialect; 4] = [
        &SQLiteDialect {},
        &PostgreSqlDialect {},
        &MySqlDialect {},
        &GenericDialect,
    ];
    for dialect in dialects {
        if let Ok(statements) = Parser::parse_sql(dialect, sql) {
            if !statements.is_empty() {
                let kinds: Vec<SqlKind> = statements.iter().map(statement_kind).collect();
                let writes = || statements.iter().zip(&kinds).filter(|(_, k)| k.is_write());
                return SqlInfo {
                    shapes: writes().map(|(s, _)| statement_shape(s)).collect(),
                    sweeps: writes().map(|(s, _)| is_sweep(s)).collect(),
                    statements: kinds,
                    parsed: true,
                };
            }
        }
    }
    let parts: Vec<&str> = split_statements(sql).collect();
    let statements: Vec<SqlKind> = parts.iter().map(|p| keyword_kind(p)).collect();
    let shapes = parts
        .iter()
        .zip(&statements)
        .filter(|(_, k)| k.is_write())
        .map(|(p, _)| keyword_shape(p))
        .collect();
    SqlInfo {
        statements,
        shapes,
        parsed: false,
        sweeps: Vec::new(),
    }
}

fn object_table(name: &sqlparser::ast::ObjectName) -> Option<String> {
    name.0
        .last()
        .and_then(|part| part.as_ident())
        .map(|ident| ident.value.to_ascii_lowercase())
}

fn factor_table(factor: &sqlparser::ast::TableFactor) -> Option<String> {
    match factor {
        sqlparser::ast::TableFactor::Table { name, .. } => object_table(name),
        _ => None,
    }
}

fn statement_shape(statement: &Statement) -> WriteShape {
    use sqlparser::ast::{
        FromTable, ObjectType, OnConflictAction, OnInsert, SqliteOnConflict, TableObject,
    };
    let (table, kind) = match statement {
        Statement::Insert(i) => {
            let table = match &i.table {
                TableObject::TableName(name) => object_table(name),
                _ => None,
            };
            let if_missing = i.ignore
                || matches!(i.or, Some(SqliteOnConflict::Ignore))
                || matches!(
                    &i.on,
                    Some(OnInsert::OnConflict(c)) if matches!(c.action, OnConflictAction::DoNothing)
                );
            let kind = if i.replace_into || matches!(i.or, Some(SqliteOnConflict::Replace)) {
                WriteKind::Other
            } else {
                WriteKind::Insert { if_missing }
            };
            (table, kind)
        }
        Statement::Update(u) => (factor_table(&u.table.relation), WriteKind::Update),
        Statement::Delete(d) => {
            let from = match &d.from {
                FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
            };
            let table = from.first().and_then(|t| factor_table(&t.relation));
            (
                table,
                WriteKind::Delete {
                    whole_table: d.selection.is_none() && d.using.is_none(),
                },
            )
        }
        Statement::Truncate(t) => (
            t.table_names.first().and_then(|n| object_table(&n.name)),
            WriteKind::Truncate,
        ),
        Statement::Drop {
            object_type, names, ..
        } => {
            let kind = if *object_type == ObjectType::Table {
                WriteKind::DropTable
            } else {
                WriteKind::Ddl
            };
            (names.first().and_then(object_table), kind)
        }
        Statement::CreateTable(t) => (object_table(&t.name), WriteKind::Ddl),
        Statement::AlterTable(a) => (object_table(&a.name), WriteKind::Ddl),
        _ => (None, WriteKind::Other),
    };
    WriteShape { table, kind }
}

/// The shape of a write the parser rejected (a template with holes): the
/// table after `INSERT INTO`, `UPDATE`, `DELETE FROM`.
fn keyword_shape(statement: &str) -> WriteShape {
    let upper = statement.to_ascii_uppercase();
    let words: Vec<&str> = statement
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let upper_words: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let after = |keyword: &str| -> Option<String> {
        let i = upper_words.iter().position(|w| w == keyword)?;
        let word = words.get(i + 1)?;
        let word = word.trim_matches(|c| c == '"' || c == '`');
        let name = word.rsplit('.').next()?;
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            .then(|| name.to_ascii_lowercase())
    };
    let first = upper_words.first().map(String::as_str).unwrap_or("");
    let has = |w: &str| upper_words.iter().any(|x| x == w);
    match first {
        "INSERT" => WriteShape {
            table: after("INTO"),
            kind: WriteKind::Insert {
                if_missing: has("IGNORE") || upper.contains("DO NOTHING"),
            },
        },
        "UPDATE" => WriteShape {
            table: after("UPDATE"),
            kind: WriteKind::Update,
        },
        "DELETE" => WriteShape {
            table: after("FROM"),
            kind: WriteKind::Delete {
                whole_table: !has("WHERE"),
            },
        },
        "TRUNCATE" => WriteShape {
            table: after("TABLE").or_else(|| after("TRUNCATE")),
            kind: WriteKind::Truncate,
        },
        "DROP" if upper_words.get(1).is_some_and(|w| w == "TABLE") => WriteShape {
            table: None,
            kind: WriteKind::DropTable,
        },
        "CREATE" | "ALTER" | "DROP" | "RENAME" => WriteShape {
            table: None,
            kind: WriteKind::Ddl,
        },
        _ => WriteShape {
            table: None,
            kind: WriteKind::Other,
        },
    }
}

/// A sweep: an UPDATE or DELETE whose rows are chosen by a predicate on the
/// rows alone and that sets only constants, with no value handed in by the
/// program (no placeholder): `DELETE FROM log WHERE at < now() - interval '7
/// days'`, `UPDATE post SET body = '' WHERE deleted AND body <> ''`. Running
/// it again finishes what a failure left: the rows still matching are the
/// ones not yet done.
pub fn is_sweep(statement: &Statement) -> bool {
    use sqlparser::ast::{Expr as SqlExpr, Value};
    fn constant(e: &SqlExpr) -> bool {
        match e {
            SqlExpr::Value(v) => !matches!(v.value, Value::Placeholder(_)),
            SqlExpr::Nested(e)
            | SqlExpr::UnaryOp { expr: e, .. }
            | SqlExpr::Cast { expr: e, .. } => constant(e),
            SqlExpr::BinaryOp { left, right, .. } => constant(left) && constant(right),
            // `now()`, `CURRENT_TIMESTAMP`.
            SqlExpr::Function(f) => f.to_string().ends_with("()") || !f.to_string().contains('('),
            _ => false,
        }
    }
    let text = statement.to_string();
    if text.contains('?') || text.contains('$') {
        return false;
    }
    match statement {
        Statement::Delete(d) => d.selection.is_some(),
        Statement::Update(u) => {
            u.from.is_none() && u.assignments.iter().all(|a| constant(&a.value))
        }
        _ => false,
    }
}

/// Statements PostgreSQL refuses inside a transaction block, by their
/// words: `CREATE [UNIQUE] INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
/// `REINDEX .. CONCURRENTLY`, `VACUUM`, `CREATE`/`DROP DATABASE`, `ALTER
/// SYSTEM`.
fn forbids_transaction(statement: &str) -> bool {
    let upper = statement.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let (first, second) = (
        words.first().copied().unwrap_or(""),
        words.get(1).copied().unwrap_or(""),
    );
    let concurrently = words.contains(&"CONCURRENTLY");
    match first {
        "VACUUM" => true,
        "REINDEX" => concurrently,
        "CREATE" | "DROP" if second == "DATABASE" => true,
        "CREATE" | "DROP" => concurrently && words.iter().take(3).any(|w| *w == "INDEX"),
        "ALTER" => second == "SYSTEM",
        _ => false,
    }
}

fn statement_kind(statement: &Statement) -> SqlKind {
    if forbids_transaction(&statement.to_string()) {
        return SqlKind::NoTransaction;
    }
    match statement {
        Statement::Query(_) | Statement::Explain { .. } | Statement::ExplainTable { .. } => {
            SqlKind::Read
        }
        Statement::Insert(_)
        | Statement::Update(_)
        | Statement::Delete(_)
        | Statement::Merge(_)
        | Statement::Truncate(_)
        | Statement::Copy { .. } => SqlKind::Write,
        // A temporary table ends with the session: no state outlives it.
        Statement::CreateTable(t) if t.temporary => SqlKind::Other,
        Statement::CreateTable(t) => idempotent(t.if_not_exists || t.or_replace),
        Statement::CreateIndex(i) => idempotent(i.if_not_exists),
        Statement::CreateView(v) => idempotent(v.if_not_exists || v.or_replace),
        Statement::CreateVirtualTable { if_not_exists, .. } => idempotent(*if_not_exists),
        Statement::CreateTrigger(t) => idempotent(t.or_replace),
        // `DROP .. IF EXISTS` and `ALTER .. ADD COLUMN IF NOT EXISTS` can
        // be repeated: re-running after a failure converges.
        Statement::Drop { if_exists, .. } => idempotent(*if_exists),
        Statement::AlterTable(a) => idempotent(a.operations.iter().all(|op| {
            matches!(
                op,
                sqlparser::ast::AlterTableOperation::AddColumn {
                    if_not_exists: true,
                    ..
                } | sqlparser::ast::AlterTableOperation::DropColumn {
                    if_exists: true,
                    ..
                }
            )
        })),
        Statement::CreateSchema { if_not_exists, .. } => idempotent(*if_not_exists),
        Statement::Pragma { name, value, .. } => {
            let bumps = value.is_some()
                && name
                    .0
                    .last()
                    .is_some_and(|n| n.to_string().eq_ignore_ascii_case("user_version"));
            if bumps {
                SqlKind::VersionBump
            } else {
                SqlKind::Pragma
            }
        }
        Statement::StartTransaction { .. } => SqlKind::Begin,
        Statement::Commit { .. } => SqlKind::Commit,
        Statement::Rollback { .. } => SqlKind::Rollback,
        Statement::Savepoint { .. } => SqlKind::Savepoint,
        Statement::ReleaseSavepoint { .. } => SqlKind::Release,
        other => keyword_kind(&other.to_string()),
    }
}

fn idempotent(yes: bool) -> SqlKind {
    if yes {
        SqlKind::IdempotentDdl
    } else {
        SqlKind::Ddl
    }
}

/// Splits on semicolons outside quotes and comments.
fn split_statements(sql: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '-' if chars.peek().map(|p| p.1) == Some('-') => {
                    for (_, c) in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                ';' => {
                    parts.push(&sql[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(&sql[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty())
}

/// The keyword fallback for text the parser rejects (vendor syntax, a
/// template with holes).
fn keyword_kind(statement: &str) -> SqlKind {
    let upper = statement.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first().copied().unwrap_or("");
    let has = |w: &str| words.contains(&w);
    if forbids_transaction(statement) {
        return SqlKind::NoTransaction;
    }
    match first {
        "CREATE" if matches!(words.get(1).copied(), Some("TEMP" | "TEMPORARY")) => SqlKind::Other,
        "SELECT" | "VALUES" | "SHOW" | "EXPLAIN" | "DESCRIBE" | "TABLE" => SqlKind::Read,
        "WITH" => {
            if has("INSERT") || has("UPDATE") || has("DELETE") {
                SqlKind::Write
            } else {
                SqlKind::Read
            }
        }
        "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "MERGE" | "UPSERT" | "TRUNCATE" | "COPY" => {
            SqlKind::Write
        }
        "CREATE" => {
            if upper.contains("IF NOT EXISTS") || upper.contains("OR REPLACE") {
                SqlKind::IdempotentDdl
            } else {
                SqlKind::Ddl
            }
        }
        "DROP" if upper.contains("IF EXISTS") => SqlKind::IdempotentDdl,
        "ALTER" | "DROP" | "RENAME" => SqlKind::Ddl,
        "PRAGMA" if has("USER_VERSION") && upper.contains('=') => SqlKind::VersionBump,
        "PRAGMA" => SqlKind::Pragma,
        "BEGIN" | "START" => SqlKind::Begin,
        "COMMIT" | "END" => SqlKind::Commit,
        "ROLLBACK" => {
            if has("TO") {
                SqlKind::Other
            } else {
                SqlKind::Rollback
            }
        }
        "SAVEPOINT" => SqlKind::Savepoint,
        "RELEASE" => SqlKind::Release,
        _ => SqlKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sql: &str) -> Vec<SqlKind> {
        classify(sql).statements
    }

    #[test]
    fn writes_reads_and_ddl() {
        use SqlKind::*;
        assert_eq!(kinds("INSERT INTO t (a) VALUES (?1)"), [Write]);
        assert_eq!(kinds("INSERT OR IGNORE INTO t VALUES ($1)"), [Write]);
        assert_eq!(
            kinds("UPDATE tasks SET status = 'done' WHERE id = ?"),
            [Write]
        );
        assert_eq!(kinds("DELETE FROM sessions WHERE id = :id"), [Write]);
        assert_eq!(kinds("SELECT count(*) FROM t"), [Read]);
        assert_eq!(kinds("WITH x AS (SELECT 1) SELECT * FROM x"), [Read]);
        assert_eq!(
            kinds("CREATE TABLE IF NOT EXISTS t (a INTEGER)"),
            [IdempotentDdl]
        );
        assert_eq!(kinds("CREATE TABLE t (a INTEGER)"), [Ddl]);
        assert_eq!(
            kinds("CREATE INDEX IF NOT EXISTS i ON t(a)"),
            [IdempotentDdl]
        );
        assert_eq!(kinds("ALTER TABLE t ADD COLUMN b TEXT"), [Ddl]);
        assert_eq!(kinds("PRAGMA journal_mode = WAL"), [Pragma]);
        assert_eq!(kinds("PRAGMA user_version = 4"), [VersionBump]);
        assert_eq!(kinds("PRAGMA user_version"), [Pragma]);
        assert_eq!(
            kinds("INSERT INTO t VALUES (1) ON CONFLICT(a) DO UPDATE SET a = excluded.a"),
            [Write]
        );
    }

    #[test]
    fn write_shapes() {
        let shape = |sql: &str| classify(sql).shapes;
        assert_eq!(
            shape("DELETE FROM script_tags"),
            [WriteShape {
                table: Some("script_tags".into()),
                kind: WriteKind::Delete { whole_table: true }
            }]
        );
        assert_eq!(
            shape("INSERT INTO kw (name) VALUES ($1) ON CONFLICT DO NOTHING")[0].kind,
            WriteKind::Insert { if_missing: true }
        );
        assert_eq!(
            shape("INSERT OR IGNORE INTO moz_bookmarks (guid) VALUES ('x')")[0].kind,
            WriteKind::Insert { if_missing: true }
        );
        assert_eq!(
            shape("UPDATE builds SET status = 'failed' WHERE rid = $1")[0]
                .table
                .as_deref(),
            Some("builds")
        );
        assert_eq!(shape("DROP TABLE t")[0].kind, WriteKind::DropTable);
        assert_eq!(
            shape("INSERT INTO {} (a) VALUES (?)")[0].kind,
            WriteKind::Insert { if_missing: false }
        );
        assert_eq!(kinds("DROP TABLE IF EXISTS t"), [SqlKind::IdempotentDdl]);
        assert_eq!(
            kinds("ALTER TABLE t ADD COLUMN IF NOT EXISTS c TEXT"),
            [SqlKind::IdempotentDdl]
        );
    }

    #[test]
    fn statements_that_cannot_run_in_a_transaction() {
        use SqlKind::*;
        for sql in [
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)",
            "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "REINDEX INDEX CONCURRENTLY i",
            "VACUUM ANALYZE t",
            "VACUUM",
            "CREATE DATABASE app",
            "DROP DATABASE IF EXISTS app",
            "ALTER SYSTEM SET work_mem = '64MB'",
        ] {
            assert_eq!(kinds(sql), [NoTransaction], "{sql}");
        }
        // Near misses: the same words without the clause that forbids a
        // transaction.
        assert_eq!(kinds("CREATE INDEX i ON t (a)"), [Ddl]);
        assert_eq!(kinds("DROP INDEX IF EXISTS i"), [IdempotentDdl]);
        assert_eq!(kinds("REINDEX INDEX i"), [Other]);
        assert_eq!(
            kinds("UPDATE t SET note = 'concurrently' WHERE id = 1"),
            [Write]
        );
        assert!(!classify("UPDATE t SET a = 1 WHERE id = $1").forbids_transaction());
    }

    #[test]
    fn temporary_tables_are_scratch() {
        use SqlKind::*;
        assert_eq!(kinds("CREATE TEMP TABLE s AS SELECT * FROM t"), [Other]);
        assert_eq!(kinds("CREATE TEMPORARY TABLE s (a INT)"), [Other]);
        assert_eq!(
            kinds("CREATE TEMP TABLE s_{} AS SELECT * FROM r.{}('{}')"),
            [Other]
        );
        assert_eq!(kinds("CREATE TABLE s (a INT)"), [Ddl]);
    }

    #[test]
    fn sweeps() {
        let sweeps = |sql: &str| classify(sql).sweeps();
        assert!(sweeps(
            "DELETE FROM sent_activity WHERE published < now() - interval '7 days'"
        ));
        assert!(sweeps(
            "UPDATE post SET body = '' WHERE deleted AND body <> ''"
        ));
        assert!(sweeps(
            "UPDATE job SET state = 'stale', seen = now() WHERE seen < now() - interval '1 day'"
        ));
        // A value handed in, a whole-table delete, a value computed from
        // the row (not convergent), a join: not sweeps.
        assert!(!sweeps("DELETE FROM sessions WHERE user_id = $1"));
        assert!(!sweeps("DELETE FROM sessions WHERE user_id = ?"));
        assert!(!sweeps("DELETE FROM sessions"));
        assert!(!sweeps(
            "UPDATE account SET balance = balance - 10 WHERE plan = 'x'"
        ));
        assert!(!sweeps("INSERT INTO t (a) VALUES (1)"));
        assert!(!sweeps("SELECT 1"));
    }

    #[test]
    fn transaction_control() {
        use SqlKind::*;
        assert_eq!(kinds("BEGIN IMMEDIATE"), [Begin]);
        assert_eq!(kinds("BEGIN"), [Begin]);
        assert_eq!(kinds("COMMIT"), [Commit]);
        assert_eq!(kinds("ROLLBACK"), [Rollback]);
        let batch = classify("BEGIN; INSERT INTO a VALUES (1); UPDATE b SET c = 2; COMMIT;");
        assert_eq!(batch.writes(), 2);
        assert!(batch.is_self_contained_transaction());
        assert!(
            !classify("INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);")
                .is_self_contained_transaction()
        );
    }

    #[test]
    fn unparsable_text_falls_back_to_keywords() {
        let info = classify("INSERT INTO {} (a) VALUES (?)");
        assert_eq!(info.statements, [SqlKind::Write]);
        assert_eq!(kinds("select * from {table} where"), [SqlKind::Read]);
        assert_eq!(
            kinds("CREATE TABLE IF NOT EXISTS {} (x)"),
            [SqlKind::IdempotentDdl]
        );
    }
}
