//! One test body, both backends: a board on a fresh SQLite file and a board in a
//! fresh database of the test cluster ([`super::pg`]), with checks made from
//! outside the runtime (a plain rusqlite or postgres connection).

use std::sync::Arc;

use super::pg::{self, Cluster};

/// Which database a [`Board`] lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh board location, with what keeps it alive.
pub struct Board {
    pub kind: Kind,
    /// A file path or a `postgres://` URL: what `KanbanStore::open` and the
    /// binaries take.
    pub location: String,
    pub dir: tempfile::TempDir,
    _cluster: Option<Arc<Cluster>>,
}

/// The boards a two-backend test runs on: SQLite always, PostgreSQL when a server
/// can be had (see [`pg::cluster_or_skip`]).
pub fn each(test: &str) -> Vec<Board> {
    let mut boards = vec![sqlite()];
    if let Some(cluster) = pg::cluster_or_skip(test) {
        boards.push(Board {
            kind: Kind::Postgres,
            location: cluster.new_database(),
            dir: tempfile::tempdir().unwrap(),
            _cluster: Some(cluster),
        });
    }
    boards
}

/// A board on a fresh SQLite file.
pub fn sqlite() -> Board {
    let dir = tempfile::tempdir().unwrap();
    Board {
        kind: Kind::Sqlite,
        location: dir.path().join("kanban.db").display().to_string(),
        dir,
        _cluster: None,
    }
}

/// A plain connection to a board, outside the runtime.
pub enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Board {
    pub fn raw(&self) -> Raw {
        match self.kind {
            Kind::Sqlite => {
                let conn = rusqlite::Connection::open(&self.location).unwrap();
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .unwrap();
                Raw::Sqlite(conn)
            }
            Kind::Postgres => Raw::Postgres(Cluster::client(&self.location)),
        }
    }

    /// The label printed with an assertion.
    pub fn name(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgresql",
        }
    }

    /// The backend's own consistency check from outside: SQLite's
    /// `integrity_check`, PostgreSQL's `amcheck` on every index of the board's
    /// tables (the extension ships with the server).
    pub fn assert_intact(&self) {
        match self.raw() {
            Raw::Sqlite(conn) => {
                let answer: String = conn
                    .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(answer, "ok");
            }
            Raw::Postgres(mut client) => {
                client
                    .batch_execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                    .unwrap();
                let checked: i64 = client
                    .query_one(
                        "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i
                         JOIN pg_class c ON c.oid = i.indexrelid
                         JOIN pg_am a ON a.oid = c.relam
                         WHERE a.amname = 'btree' AND i.indrelid::regclass::text IN
                           ('tasks', 'task_links', 'task_comments', 'task_events', 'task_runs', 'notify_subs')",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                assert!(checked >= 6, "amcheck looked at {checked} indexes");
            }
        }
    }
}

impl Raw {
    /// The first column of the first row of `sql` as an integer; `?1`, `?2`... are
    /// the text arguments (written `$1`, `$2`... for PostgreSQL).
    pub fn int(&mut self, sql: &str, args: &[&str]) -> i64 {
        match self {
            Raw::Sqlite(conn) => conn
                .query_row(sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                .unwrap(),
            Raw::Postgres(client) => {
                let sql = sql.replace('?', "$");
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> = args
                    .iter()
                    .map(|a| a as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                let row = client.query_one(sql.as_str(), &params).unwrap();
                match row.try_get::<_, i64>(0) {
                    Ok(n) => n,
                    Err(_) => i64::from(row.get::<_, i32>(0)),
                }
            }
        }
    }

    /// Like [`Raw::int`] for a text column.
    pub fn text(&mut self, sql: &str, args: &[&str]) -> String {
        match self {
            Raw::Sqlite(conn) => conn
                .query_row(sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))
                .unwrap(),
            Raw::Postgres(client) => {
                let sql = sql.replace('?', "$");
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> = args
                    .iter()
                    .map(|a| a as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                client.query_one(sql.as_str(), &params).unwrap().get(0)
            }
        }
    }

    /// Two counts read in one snapshot.
    pub fn counts_in_one_snapshot(&mut self, a: &str, b: &str) -> (i64, i64) {
        match self {
            Raw::Sqlite(conn) => {
                let tx = conn.transaction().unwrap();
                let x = tx.query_row(a, [], |r| r.get(0)).unwrap();
                let y = tx.query_row(b, [], |r| r.get(0)).unwrap();
                tx.commit().unwrap();
                (x, y)
            }
            Raw::Postgres(client) => {
                let mut tx = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .unwrap();
                let x = tx.query_one(a, &[]).unwrap().get(0);
                let y = tx.query_one(b, &[]).unwrap().get(0);
                tx.commit().unwrap();
                (x, y)
            }
        }
    }
}
