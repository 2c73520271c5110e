//! Which statements SQL run through the runtime's connections may not run.
//!
//! A read or a transaction hands its closure (or its caller) a `&rusqlite::Connection`,
//! and through it any SQL. Some SQL changes what the runtime relies on: `COMMIT` inside
//! `write` kept rows that `write` then reported as failed, and `PRAGMA query_only=0`
//! inside `read` turned a pooled reader into a second writer that bypassed the cache's
//! invalidation (issue 19, defects 2 and 3). So every connection carries an SQLite
//! authorizer (`sqlite3_set_authorizer`) that refuses, at prepare time, whatever
//! would change transaction or connection state:
//!
//! - transaction control: `BEGIN`, `COMMIT`/`END`, `ROLLBACK`, `SAVEPOINT`, `RELEASE`,
//!   `ROLLBACK TO`;
//! - `ATTACH` and `DETACH`;
//! - `PRAGMA wal_checkpoint` in any form (use [`Database::checkpoint`]);
//! - any `PRAGMA` given a value, except the few that change database content rather
//!   than the connection: `user_version`, `application_id`, `defer_foreign_keys`,
//!   `incremental_vacuum`, `optimize`, and the ones whose argument only names what to
//!   look at (`table_info`, `table_xinfo`, `index_info`, `index_xinfo`, `index_list`,
//!   `foreign_key_list`, `foreign_key_check`, `integrity_check`, `quick_check`,
//!   `table_list`). So `query_only`, `journal_mode`, `locking_mode`, `synchronous`,
//!   `foreign_keys`, `busy_timeout`, `read_uncommitted`, `writable_schema`,
//!   `wal_autocheckpoint`, `cache_size`, `temp_store` and the rest are read-only.
//!
//! Reading a pragma (`PRAGMA journal_mode`, `PRAGMA user_version`, or its table-valued
//! form `SELECT * FROM pragma_journal_mode`, which SQLite never lets set a value)
//! stays allowed.
//! An authorizer is robust where matching statement text would not be: it sees the
//! statement as SQLite parsed it, whatever the spelling, comments or nesting, and also
//! the statements SQLite prepares for a table-valued pragma. It runs when a statement
//! is prepared (and re-prepared), so a cached statement is checked once.
//!
//! The runtime's own control statements run with the check suspended
//! ([`Policy::run`]); they are never taken from rusqlite's statement cache, which user
//! code shares. A refusal is remembered, so the read or transaction that ran the
//! statement fails with [`Error::StatementRefused`] even if the caller ignored the
//! statement's own `not authorized` error.
//!
//! [`Database::checkpoint`]: crate::Database::checkpoint
//! [`Error::StatementRefused`]: crate::Error::StatementRefused

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization, TransactionOperation};
use rusqlite::Connection;

use crate::lock::lock;

/// Pragmas that may be given a value: they change database content or only name what
/// to look at, never the connection.
const PRAGMAS_WITH_VALUE: &[&str] = &[
    "user_version",
    "application_id",
    "defer_foreign_keys",
    "incremental_vacuum",
    "optimize",
    "table_info",
    "table_xinfo",
    "index_info",
    "index_xinfo",
    "index_list",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
    "table_list",
];

/// Pragmas refused even without a value: they act when read.
const ACTING_PRAGMAS: &[&str] = &["wal_checkpoint"];

/// The statement policy of one connection, shared with its authorizer.
#[derive(Debug, Default)]
pub(crate) struct Policy {
    /// Set while the runtime runs its own statements.
    suspended: AtomicBool,
    /// The last statement refused since the current scope began.
    refused: Mutex<Option<String>>,
}

impl Policy {
    /// Installs the authorizer on `conn` and returns the policy it consults.
    pub(crate) fn install(conn: &Connection) -> rusqlite::Result<Arc<Policy>> {
        let policy = Arc::new(Policy::default());
        policy.attach(conn)?;
        Ok(policy)
    }

    /// (Re)installs the authorizer of this policy on `conn`: at open, and again when
    /// a caller is found to have replaced it (a transaction ended by SQL).
    pub(crate) fn attach(self: &Arc<Policy>, conn: &Connection) -> rusqlite::Result<()> {
        let shared = self.clone();
        conn.authorizer(Some(move |ctx: AuthContext<'_>| shared.authorize(&ctx)))
    }

    fn authorize(&self, ctx: &AuthContext<'_>) -> Authorization {
        if self.suspended.load(Ordering::Relaxed) {
            return Authorization::Allow;
        }
        match refusal(&ctx.action) {
            None => Authorization::Allow,
            Some(statement) => {
                *lock(&self.refused) = Some(statement);
                Authorization::Deny
            }
        }
    }

    /// Runs `f` (the runtime's own statements) with the check suspended.
    pub(crate) fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Restore<'a>(&'a AtomicBool, bool);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.0.store(self.1, Ordering::Relaxed);
            }
        }
        let _restore = Restore(
            &self.suspended,
            self.suspended.swap(true, Ordering::Relaxed),
        );
        f()
    }

    /// Runs one of the runtime's own statements (never from the statement cache).
    pub(crate) fn execute(&self, conn: &Connection, sql: &str) -> rusqlite::Result<()> {
        self.run(|| conn.execute_batch(sql))
    }

    /// Starts a scope: refusals recorded from now on belong to it.
    pub(crate) fn scope(&self) -> RefusalScope<'_> {
        RefusalScope {
            policy: self,
            outer: self.enter_scope(),
        }
    }

    /// The primitive under [`Policy::scope`], for scopes that cannot borrow the
    /// policy: clears the record and returns the enclosing scope's refusal.
    pub(crate) fn enter_scope(&self) -> Option<String> {
        lock(&self.refused).take()
    }

    /// Ends a scope begun by [`Policy::enter_scope`]: returns its refusal and puts
    /// back `outer`.
    pub(crate) fn exit_scope(&self, outer: Option<String>) -> Option<String> {
        let mut refused = lock(&self.refused);
        std::mem::replace(&mut *refused, outer)
    }
}

/// The refusals of one read, transaction or savepoint. A nested scope keeps the
/// refusals of the one around it for when it ends.
pub(crate) struct RefusalScope<'p> {
    policy: &'p Policy,
    outer: Option<String>,
}

impl RefusalScope<'_> {
    /// Ends the scope: returns its refusal and puts back the enclosing scope's.
    pub(crate) fn finish(mut self) -> Option<String> {
        self.policy.exit_scope(self.outer.take())
    }
}

impl Drop for RefusalScope<'_> {
    fn drop(&mut self) {
        // Unwinding out of the scope: the enclosing scope keeps its own refusal.
        if let Some(outer) = self.outer.take() {
            self.policy.exit_scope(Some(outer));
        }
    }
}

/// The statement an action belongs to, if the policy refuses it.
fn refusal(action: &AuthAction<'_>) -> Option<String> {
    match *action {
        AuthAction::Transaction { operation } => Some(
            match operation {
                TransactionOperation::Begin => "BEGIN",
                TransactionOperation::Rollback => "ROLLBACK",
                // SQLite reports `COMMIT` (and `END`) with an operation rusqlite does
                // not name.
                _ => "COMMIT",
            }
            .to_owned(),
        ),
        AuthAction::Savepoint {
            operation,
            savepoint_name,
        } => Some(match operation {
            TransactionOperation::Begin => format!("SAVEPOINT {savepoint_name}"),
            TransactionOperation::Release => format!("RELEASE {savepoint_name}"),
            TransactionOperation::Rollback => format!("ROLLBACK TO {savepoint_name}"),
            _ => format!("savepoint statement on {savepoint_name}"),
        }),
        AuthAction::Attach { .. } => Some("ATTACH".to_owned()),
        AuthAction::Detach { .. } => Some("DETACH".to_owned()),
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            let refused = ACTING_PRAGMAS.contains(&name.as_str())
                || (pragma_value.is_some() && !PRAGMAS_WITH_VALUE.contains(&name.as_str()));
            refused.then(|| match pragma_value {
                Some(value) => format!("PRAGMA {name} = {value}"),
                None => format!("PRAGMA {name}"),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma<'a>(name: &'a str, value: Option<&'a str>) -> AuthAction<'a> {
        AuthAction::Pragma {
            pragma_name: name,
            pragma_value: value,
        }
    }

    #[test]
    fn connection_state_pragmas_are_read_only() {
        for name in [
            "query_only",
            "journal_mode",
            "locking_mode",
            "synchronous",
            "cache_size",
        ] {
            assert!(refusal(&pragma(name, None)).is_none(), "reading {name}");
            assert!(
                refusal(&pragma(name, Some("0"))).is_some(),
                "setting {name}"
            );
        }
        assert!(refusal(&pragma("QUERY_ONLY", Some("0"))).is_some());
        assert!(refusal(&pragma("wal_checkpoint", None)).is_some());
        assert!(refusal(&pragma("user_version", Some("3"))).is_none());
        assert!(refusal(&pragma("table_info", Some("t"))).is_none());
    }

    #[test]
    fn suspended_checks_allow_everything_and_record_nothing() {
        let conn = Connection::open_in_memory().unwrap();
        let policy = Policy::install(&conn).unwrap();
        policy.execute(&conn, "BEGIN; COMMIT").unwrap();
        assert!(policy.scope().finish().is_none());
        let scope = policy.scope();
        assert!(conn.execute_batch("BEGIN").is_err());
        assert_eq!(scope.finish().as_deref(), Some("BEGIN"));
    }

    #[test]
    fn a_nested_scope_keeps_the_outer_refusal() {
        let conn = Connection::open_in_memory().unwrap();
        let policy = Policy::install(&conn).unwrap();
        let outer = policy.scope();
        assert!(conn.execute_batch("PRAGMA query_only = 1").is_err());
        let inner = policy.scope();
        assert!(inner.finish().is_none());
        assert_eq!(outer.finish().as_deref(), Some("PRAGMA query_only = 1"));
    }
}
