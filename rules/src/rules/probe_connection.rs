use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::normalize_source;
use crate::finding::Finding;
use crate::function::context::{BindingId, FnContext};
use crate::function::moves::escaping_values;
use crate::function::opens::is_check_sql;
use crate::function::opens::used_only_for_checks;
use crate::index::effects::ParamSlot;
use crate::names::model::Kind;
use crate::rules::{Level, Pattern};
use crate::syntax::expr::strip_place;
use crate::syntax::expr::unwrap_value;
use crate::syntax::walker::Walk;

crate::declare_rule! {
    /// ## What it does
    /// Flags a second connection to a database the function already has
    /// open when that second connection is dropped within the function (a
    /// checker beside the main connection), and a throwaway connection used
    /// only for checks (`PRAGMA integrity_check`, `quick_check`,
    /// `journal_mode`, `SELECT 1`, counts) before the main connection to the
    /// same database is opened, directly or through a helper of the crate.
    /// "Same database" means the same path expression after resolving local
    /// aliases (`let p = path.clone()`) and pool managers.
    ///
    /// Also flags a second checkout from the same pool while the function,
    /// or a function of the crate it calls, already holds one.
    ///
    /// Long-lived pairs kept together (a reader and a writer stored in a
    /// struct) are not probes.
    ///
    /// Also flags a throwaway SQLite connection whose only use is running
    /// migrations (`run_pending_migrations`, `migrate`, a refinery runner's
    /// `run(&mut conn)`), opened before the pool to the same file is built,
    /// named or not (`establish(p).and_then(|mut c| c.run_pending_migrations(M))`),
    /// also inside `spawn_blocking(move || ..)`. The migration connection
    /// gets none of the pool's per-connection setup (busy timeout, journal
    /// mode) and is one more connection contending for the file's locks.
    /// Not flagged: migrations on a connection checked out from the pool, a
    /// server database (PostgreSQL, MySQL), a connection that also does other
    /// work or is the one kept, and a pool on another file.
    ///
    /// Also flags a whole pool built only to run a check (`ping()`,
    /// `SELECT 1`): a connectivity test that builds a pool which opens
    /// several server sessions by default (mysql_async keeps ten; the
    /// model's `sessions` says which pools do) where one connection would
    /// do. A pool sized in the code (`max_connections`, `max_size`,
    /// `pool_opts`, `PoolConstraints`) is not flagged, nor a pool that
    /// opens connections on demand (sqlx, deadpool, bb8).
    ///
    /// ## Why is this bad?
    /// A separate probe connection does not share the main connection's
    /// view. In a real incident an integrity check ran on a fresh probe
    /// before every open of a task board, while other processes re-ran the
    /// journal-mode pragma, which can checkpoint and recreate the `-wal` and
    /// `-shm` files under live readers: the probe read pages whose newer
    /// versions lived in a WAL generation it could not see, reported a
    /// healthy file as malformed, and the code backed it up on every attempt
    /// (88,500 backups, 395 GB in 12 minutes). On network filesystems a check
    /// before the journal step failed with "locking protocol" and aborted the
    /// open. A second pool checkout while holding one deadlocks a pool of
    /// size one and does not see the first connection's temporary tables or
    /// open transaction.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn open_board(path: &Path) -> rusqlite::Result<Connection> {
    ///     let probe = Connection::open(path)?;
    ///     let status: String = probe.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    ///     drop(probe);
    ///     let conn = Connection::open(path)?;
    ///     conn.pragma_update(None, "journal_mode", "WAL")?;
    ///     Ok(conn)
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// fn open_board(path: &Path) -> rusqlite::Result<Connection> {
    ///     let conn = Connection::open(path)?;
    ///     conn.pragma_update(None, "journal_mode", "WAL")?;
    ///     let status: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    ///     Ok(conn)
    /// }
    /// ```
    ///
    /// ## Fix
    /// Run checks on the main connection, after its journal-mode step, and
    /// treat "busy" as "unknown" rather than "corrupt". Pass the checked-out
    /// connection to helpers instead of letting them check out their own.
    ///
    /// ## Known limits
    /// Databases are compared by the text of their path expressions; two
    /// different expressions for the same file are not recognised.
    ///
    /// ## Patterns
    /// Measured on the application corpus (17 real applications, every
    /// finding triaged; issue 16):
    ///
    /// | pattern | level | precision on the corpus |
    /// |---|---|---|
    /// | `probe-connection/beside-main` | default | no findings |
    /// | `probe-connection/second-checkout` | default | no findings |
    /// | `probe-connection/check-only-pool` | default | no findings |
    /// | `probe-connection/migration-before-pool` | default | no findings |
    pub static PROBE_CONNECTION = {
        name: "probe-connection",
        summary: "a second, short-lived connection or checkout to a database the function already uses",
        check: check,
        patterns: [BESIDE_MAIN, CHECKOUT_HELD, CHECK_ONLY_POOL, MIGRATION_BEFORE_POOL],
    }
}

/// A throwaway connection for checks beside (or before) the main one.
const BESIDE_MAIN: Pattern = Pattern {
    name: "beside-main",
    level: Level::Default,
    summary: "a throwaway connection runs checks before or beside the main connection to the same database",
};

/// A second checkout from a pool while one is held.
const CHECKOUT_HELD: Pattern = Pattern {
    name: "second-checkout",
    level: Level::Default,
    summary: "a second checkout from a pool while the function (or a callee) holds one",
};

/// A pool of default size built for one check.
const CHECK_ONLY_POOL: Pattern = Pattern {
    name: "check-only-pool",
    level: Level::Default,
    summary: "a pool of default size is built only to run a check and dropped",
};

/// A throwaway SQLite connection that only runs migrations before the pool
/// to the same file is built.
const MIGRATION_BEFORE_POOL: Pattern = Pattern {
    name: "migration-before-pool",
    level: Level::Default,
    summary:
        "a throwaway SQLite connection runs migrations before the pool to the same file is built",
};

/// An open of a database (directly, through a factory, or a probe helper).
struct Open<'a> {
    expr: &'a Expr,
    key: String,
    at: LineColumn,
    holder: Option<BindingId>,
    escapes: bool,
    checks_only: bool,
    /// A SQLite connection whose only use is running migrations.
    migrations_only: bool,
    /// A pool (what a migration connection comes before).
    pool: bool,
    /// A call to a crate helper that opens, checks and drops on its own.
    helper: Option<String>,
}

/// A checkout from a pool, here or in a callee.
struct Checkout<'a> {
    expr: &'a Expr,
    pool: String,
    at: LineColumn,
    holder: Option<BindingId>,
    callee: Option<String>,
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let escaping = escaping_values(cx);
    check_only_pools(cx, &escaping, out);
    let mut opens: Vec<Open<'_>> = Vec::new();
    let mut checkouts: Vec<Checkout<'_>> = Vec::new();
    cx.for_each_expr(&mut |expr| {
        // Only calls can open; computing a span walks the whole expression,
        // so it is done for calls alone.
        if !matches!(expr, Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)) {
            return;
        }
        let at = || expr.span().start();
        if let Some(site) = cx.open_site(expr) {
            if site.checkout {
                if let Some(pool) = site.pool {
                    let pool = normalize_source(cx.text(strip_place(pool).span()));
                    checkouts.push(Checkout {
                        expr,
                        pool,
                        at: at(),
                        holder: cx.holder(expr),
                        callee: None,
                    });
                }
                return;
            }
            let Some(db) = site.db else { return };
            let holder = cx.holder(expr);
            let escapes = escaping.contains(&crate::syntax::expr::addr(expr))
                || holder.is_some_and(|h| {
                    cx.binding(h).uses.iter().any(|u| match u {
                        Expr::Path(p) => escaping.contains(&crate::syntax::expr::addr(p)),
                        _ => false,
                    })
                });
            let checks_only = match holder {
                Some(_) => used_only_for_checks(cx, holder),
                None => temporary_checks_only(cx, expr),
            };
            opens.push(Open {
                expr,
                key: cx.db_key(db),
                at: at(),
                holder,
                escapes,
                checks_only,
                migrations_only: is_sqlite(cx, expr) && migrations_only(cx, expr, holder),
                pool: site.kind == Kind::Pool,
                helper: None,
            });
            return;
        }
        let Some(call) = cx.call(expr) else { return };
        let Some(callee) = &call.callee else { return };
        let Some(summary) = cx.index.summary(callee) else {
            return;
        };
        let name = callee.last().cloned().unwrap_or_default();
        if let Some(opens_summary) = summary.opens {
            if opens_summary.checks_only {
                if let Some(db) = opens_summary.db_param.and_then(|i| call.args.get(i)) {
                    opens.push(Open {
                        expr,
                        key: cx.db_key(db),
                        at: at(),
                        holder: None,
                        escapes: false,
                        checks_only: true,
                        migrations_only: false,
                        pool: false,
                        helper: Some(name.clone()),
                    });
                }
            }
        }
        for checkout in &summary.checkouts {
            let base = match checkout.slot {
                ParamSlot::SelfParam => call.receiver,
                ParamSlot::Arg(i) => call.args.get(i).copied(),
            };
            if let Some(base) = base {
                let pool = format!(
                    "{}{}",
                    normalize_source(cx.text(strip_place(base).span())),
                    checkout.field
                );
                checkouts.push(Checkout {
                    expr,
                    pool,
                    at: at(),
                    holder: None,
                    callee: Some(name.clone()),
                });
            }
        }
    });
    opens.sort_by_key(|o| o.at);
    checkouts.sort_by_key(|c| c.at);

    for (i, probe) in opens.iter().enumerate() {
        if probe.escapes {
            continue;
        }
        // A throwaway check before the main connection.
        if probe.checks_only {
            if let Some(main) = opens[i + 1..]
                .iter()
                .find(|m| m.key == probe.key && m.helper.is_none())
            {
                let what = match &probe.helper {
                    Some(helper) => format!(
                        "`{helper}` checks `{}` on a throwaway connection",
                        probe.key
                    ),
                    None => format!("a throwaway connection to `{}` runs checks", probe.key),
                };
                out.push(
                    cx.finding(
                        &PROBE_CONNECTION,
                        probe.expr.span(),
                        format!("{what} before the main connection is opened"),
                        HELP,
                    )
                    .with_label(
                        cx.label(main.expr.span(), "the main connection to the same database"),
                    )
                    .with_pattern(BESIDE_MAIN.name),
                );
                continue;
            }
        }
        // Migrations on a throwaway connection, then the pool.
        if probe.migrations_only {
            if let Some(main) = opens[i + 1..]
                .iter()
                .find(|m| m.key == probe.key && m.pool && m.helper.is_none())
            {
                out.push(
                    cx.finding(
                        &PROBE_CONNECTION,
                        probe.expr.span(),
                        format!(
                            "a throwaway connection to `{}` runs migrations before the pool to the same database is built",
                            probe.key
                        ),
                        MIGRATION_HELP,
                    )
                    .with_label(cx.label(main.expr.span(), "the pool to the same database"))
                    .with_pattern(MIGRATION_BEFORE_POOL.name),
                );
                continue;
            }
        }
        // A checker beside a connection that is still open.
        if probe.helper.is_none() {
            let open_main = opens[..i].iter().find(|m| {
                m.key == probe.key && m.helper.is_none() && alive(cx, m.holder, m.at, probe.at)
            });
            if let Some(main) = open_main {
                out.push(
                    cx.finding(
                        &PROBE_CONNECTION,
                        probe.expr.span(),
                        format!("a second connection to `{}` is opened while one is already open, and dropped again", probe.key),
                        HELP,
                    )
                    .with_label(cx.label(main.expr.span(), "the connection already open"))
                    .with_pattern(BESIDE_MAIN.name),
                );
            }
        }
    }

    for (i, second) in checkouts.iter().enumerate() {
        let held = checkouts[..i].iter().find(|first| {
            first.callee.is_none()
                && first.pool == second.pool
                && alive(cx, first.holder, first.at, second.at)
        });
        if let Some(first) = held {
            let message = match &second.callee {
                Some(callee) => format!("`{callee}` checks out its own connection from `{}` while this function holds one", second.pool),
                None => format!("a second connection is checked out from `{}` while one is still held", second.pool),
            };
            out.push(
                cx.finding(
                    &PROBE_CONNECTION,
                    second.expr.span(),
                    message,
                    CHECKOUT_HELP,
                )
                .with_label(cx.label(first.expr.span(), "the connection held here"))
                .with_pattern(CHECKOUT_HELD.name),
            );
        }
    }
}

const HELP: &str = "run the check on the main connection, after its journal-mode step, and treat busy as unknown rather than corrupt";
const MIGRATION_HELP: &str = "build the pool first and run the migrations on a connection checked out from it, so every connection to the file gets the pool's setup (busy timeout, journal mode)";
const CHECKOUT_HELP: &str =
    "pass the connection already held to the code that needs it; a second checkout deadlocks a pool of size one and cannot see the first connection's transaction";

/// Whether the value held by `holder` (made at `made`) is still alive at
/// `at`: its scope has not ended and it was not dropped or closed in
/// between.
fn alive(cx: &FnContext<'_>, holder: Option<BindingId>, made: LineColumn, at: LineColumn) -> bool {
    let Some(id) = holder else { return false };
    let binding = cx.binding(id);
    if at <= made || at >= binding.scope_end {
        return false;
    }
    // Dropped (`drop(conn)`) or closed (`conn.close()`) in between.
    let mut ended = false;
    cx.for_each_expr(&mut |expr| {
        let ends = match expr {
            Expr::Call(call) => {
                let is_drop = matches!(&*call.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "drop"));
                is_drop && call.args.iter().any(|a| cx.root_binding(a) == Some(id))
            }
            Expr::MethodCall(m) => {
                cx.root_binding(&m.receiver) == Some(id)
                    && cx
                        .call(expr)
                        .is_some_and(|c| c.effect() == crate::names::model::Effect::Close)
            }
            _ => false,
        };
        if ends {
            let position = expr.span().start();
            if position > made && position < at {
                ended = true;
            }
        }
    });
    !ended
}

/// Whether an open makes a SQLite connection (its model type says so).
fn is_sqlite<'a>(cx: &FnContext<'a>, open: &'a Expr) -> bool {
    match cx.ty_of(open) {
        crate::names::ty::Ty::Model { id, .. } => {
            let ty = cx.models.ty(id);
            ty.name.contains("Sqlite") || ty.model == "rusqlite"
        }
        _ => false,
    }
}

/// A migration runner call: `conn.run_pending_migrations(M)`,
/// `conn.migrate()`, `MIGRATIONS.run(&mut conn)`.
fn is_migration(cx: &FnContext<'_>, expr: &Expr) -> bool {
    let Expr::MethodCall(m) = expr else {
        return false;
    };
    let method = m.method.to_string();
    method.contains("migrat")
        || (method == "run"
            && cx
                .text(m.receiver.span())
                .to_ascii_lowercase()
                .contains("migrat"))
}

/// Whether a connection's only uses run migrations: every call on the
/// local that holds it, or, for an unnamed one, the closure it is handed to
/// (`establish(p).map_err(..).and_then(|mut conn| conn.run_pending_migrations(M))`).
fn migrations_only<'a>(cx: &FnContext<'a>, open: &'a Expr, holder: Option<BindingId>) -> bool {
    let mut migrated = false;
    let mut other = false;
    match holder {
        Some(id) => cx.for_each_expr(&mut |expr| {
            let Some(call) = cx.call(expr) else { return };
            let on_conn = cx.call_takes(&call, id);
            if on_conn {
                if is_migration(cx, expr) {
                    migrated = true;
                } else {
                    other = true;
                }
            }
        }),
        None => cx.for_each_expr(&mut |expr| {
            let Expr::MethodCall(m) = expr else { return };
            if !matches!(m.method.to_string().as_str(), "and_then" | "map") {
                return;
            }
            let mut receiver = unwrap_value(&m.receiver);
            while let Expr::MethodCall(inner) = receiver {
                if !matches!(
                    inner.method.to_string().as_str(),
                    "map_err" | "context" | "with_context"
                ) {
                    break;
                }
                receiver = unwrap_value(&inner.receiver);
            }
            if !std::ptr::eq(receiver, open) {
                return;
            }
            let Some(Expr::Closure(closure)) = m.args.first() else {
                return;
            };
            let Some(name) = closure.inputs.first().and_then(pat_ident) else {
                return;
            };
            for call in Walk::new().exprs_under(&closure.body, |e| matches!(e, Expr::MethodCall(_))) {
                let Expr::MethodCall(c) = call else { continue };
                let on_conn = matches!(unwrap_value(&c.receiver), Expr::Path(p) if p.path.is_ident(&name))
                    || c.args.iter().any(|a| matches!(strip_place(a), Expr::Path(p) if p.path.is_ident(&name)));
                if on_conn {
                    if is_migration(cx, call) {
                        migrated = true;
                    } else {
                        other = true;
                    }
                }
            }
        }),
    }
    migrated && !other
}

/// The name a closure parameter binds (`mut conn`, `conn: T`).
fn pat_ident(pat: &syn::Pat) -> Option<syn::Ident> {
    match pat {
        syn::Pat::Ident(p) => Some(p.ident.clone()),
        syn::Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// `Connection::open(p)?.query_row("PRAGMA quick_check", ..)`: an unnamed
/// connection whose only use is a check.
fn temporary_checks_only<'a>(cx: &FnContext<'a>, open: &'a Expr) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |expr| {
        if let Expr::MethodCall(m) = expr {
            if std::ptr::eq(unwrap_value(&m.receiver), open) {
                if let Some(call) = cx.call(expr) {
                    found = cx
                        .call_sql(&call)
                        .and_then(|s| s.text)
                        .is_some_and(|t| is_check_sql(&t));
                }
            }
        }
    });
    found
}

/// Pools built in the function, kept nowhere, and used only to check out
/// connections that run checks (or to run checks themselves).
fn check_only_pools<'a>(
    cx: &FnContext<'a>,
    escaping: &std::collections::HashSet<usize>,
    out: &mut Vec<Finding>,
) {
    cx.for_each_expr(&mut |expr| {
        if !matches!(expr, Expr::Call(_) | Expr::MethodCall(_)) {
            return;
        }
        let Some(site) = cx.open_site(expr) else { return };
        if site.checkout || site.kind != Kind::Pool || site.factory.is_some() {
            return;
        }
        let sessions = cx
            .ty_of(expr)
            .model()
            .map_or(0, |id| cx.models.ty(id).sessions);
        if sessions < 2 {
            return;
        }
        let Some(pool) = cx.holder(expr) else { return };
        let kept = escaping.contains(&crate::syntax::expr::addr(expr))
            || cx.binding(pool).uses.iter().any(|u| match u {
                Expr::Path(p) => escaping.contains(&crate::syntax::expr::addr(p)),
                _ => false,
            });
        if kept || sized_in_code(cx, expr, site.db) || !only_checks_through(cx, pool) {
            return;
        }
        let db = site
            .db
            .map(|db| format!(" for `{}`", normalize_source(cx.text(db.span()))))
            .unwrap_or_default();
        out.push(
            cx.finding(
                &PROBE_CONNECTION,
                expr.span(),
                format!("a whole pool{db}, which keeps {sessions} server sessions open by default, is built only to run a check"),
                "check with one connection (or a pool limited to one connection) and close it; a default pool may open several server sessions for one ping",
            )
            .with_pattern(CHECK_ONLY_POOL.name),
        );
    });
}

/// Words that size a pool where it is built.
const POOL_SIZING: &[&str] = &[
    "max_connections",
    "max_size",
    "pool_opts",
    "PoolConstraints",
    "with_constraints",
    "max_open",
];

/// Whether the pool's size is chosen in the code that builds it: in the
/// call or in the expressions its database argument comes from.
fn sized_in_code<'a>(cx: &FnContext<'a>, open: &'a Expr, db: Option<&'a Expr>) -> bool {
    let mut texts = vec![cx.text(open.span()).to_string()];
    if let Some(db) = db {
        let mut current = db;
        for _ in 0..8 {
            texts.push(cx.text(current.span()).to_string());
            let next = match strip_place(unwrap_value(current)) {
                e @ Expr::Path(_) => cx.binding_of(e).and_then(|id| cx.binding(id).init),
                Expr::MethodCall(m) => Some(&*m.receiver),
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => break,
            }
        }
    }
    texts
        .iter()
        .any(|t| POOL_SIZING.iter().any(|w| t.contains(w)))
}

/// Methods that check a connection and nothing more.
const CHECK_METHODS: &[&str] = &["ping", "is_valid", "check", "is_closed"];

/// SQL that only asks whether the server answers: `SELECT 1`, `SELECT
/// version()`. Counts and integrity checks read data, which may be the
/// function's work.
fn is_liveness_sql(sql: &str) -> bool {
    let upper = normalize_source(&sql.to_ascii_uppercase());
    let upper = upper.trim_end_matches(';').trim();
    matches!(upper, "SELECT 1" | "SELECT VERSION()" | "SELECT 1 AS ONE")
}

/// Whether every use of the pool is a checkout whose connection only
/// checks, or a check query on the pool itself; and there is one.
fn only_checks_through(cx: &FnContext<'_>, pool: BindingId) -> bool {
    let uses = &cx.binding(pool).uses;
    if uses.is_empty() || cx.binding(pool).opaque_uses > 0 {
        return false;
    }
    let mut checked = false;
    let mut other = false;
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        let on_pool = call
            .receiver
            .is_some_and(|r| cx.root_binding(r) == Some(pool));
        let with_pool = call.args.iter().any(|a| cx.root_binding(a) == Some(pool));
        if !on_pool && !with_pool {
            return;
        }
        if call
            .path
            .as_ref()
            .is_some_and(|p| p.last().is_some_and(|l| l == "drop"))
        {
            return;
        }
        let sql_check = cx
            .call_sql(&call)
            .and_then(|s| s.text)
            .is_some_and(|t| is_liveness_sql(&t));
        if sql_check {
            checked = true;
            return;
        }
        let checkout = on_pool && cx.open_site(expr).is_some_and(|s| s.checkout);
        if !checkout {
            // Closing the pool after the check is still a check-only pool.
            if call.effect() == crate::names::model::Effect::Close {
                return;
            }
            other = true;
            return;
        }
        match cx.holder(expr) {
            Some(conn) if connection_only_checks(cx, conn) => checked = true,
            _ => other = true,
        }
    });
    checked && !other
}

/// Whether a checked-out connection is only used to check: `ping()`,
/// check SQL, or dropped.
fn connection_only_checks(cx: &FnContext<'_>, conn: BindingId) -> bool {
    if cx.binding(conn).uses.is_empty() || cx.binding(conn).opaque_uses > 0 {
        return false;
    }
    let mut all = true;
    let mut any = false;
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        let on_conn = cx.call_takes(&call, conn);
        if !on_conn {
            return;
        }
        if call
            .path
            .as_ref()
            .is_some_and(|p| p.last().is_some_and(|l| l == "drop"))
        {
            return;
        }
        let method_check = call
            .method
            .as_deref()
            .is_some_and(|m| CHECK_METHODS.contains(&m));
        let sql_check = cx
            .call_sql(&call)
            .and_then(|s| s.text)
            .is_some_and(|t| is_liveness_sql(&t));
        if method_check || sql_check {
            any = true;
        } else {
            all = false;
        }
    });
    any && all
}
