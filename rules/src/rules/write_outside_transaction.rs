use std::collections::{BTreeMap, HashMap};

use proc_macro2::{LineColumn, Span};
use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::normalize_source;
use crate::finding::Finding;
use crate::function::context::FnContext;
use crate::function::flow::{self, Analysis, Exit};
use crate::names::model::{Effect, Kind};
use crate::names::sql::{SqlKind, WriteKind, WriteShape};
use crate::rules::toolkit::repeat::has_tick;
use crate::rules::toolkit::repeat::is_per_element;
use crate::rules::toolkit::tracked::{Lifecycle, MayBe};
use crate::rules::{Level, Pattern};
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_place;
use crate::syntax::walker::{Around, Node, Walk};

crate::declare_rule! {
    /// ## What it does
    /// Flags a function that runs two or more data-changing statements
    /// (INSERT, UPDATE, DELETE, REPLACE, upserts, non-idempotent DDL) on the
    /// same connection or pool outside any transaction. A write inside a loop
    /// counts as several. Writes sent to a pool (`.execute(&pool)` in sqlx)
    /// count too: each may run on a different connection. Also flags a
    /// hand-written `BEGIN` that writes and can reach a normal exit without
    /// `COMMIT`.
    ///
    /// Idempotent DDL (`CREATE … IF NOT EXISTS`), `CREATE TEMP TABLE` (a
    /// scratch table that ends with the session), PRAGMAs, reads, and one
    /// `execute_batch` holding `BEGIN … COMMIT` are fine, as is a hand-written
    /// `BEGIN` inside a type whose `Drop` rolls back (a transaction guard).
    /// Writes beside a statement PostgreSQL refuses inside a transaction
    /// block on the same connection or pool (`CREATE INDEX CONCURRENTLY`,
    /// `DROP INDEX CONCURRENTLY`, `REINDEX .. CONCURRENTLY`, `VACUUM`,
    /// `CREATE`/`DROP DATABASE`, `ALTER SYSTEM`) are not reported: they
    /// cannot all be wrapped in one.
    /// SQL is read from string literals, raw strings, `concat!`, `format!`
    /// templates, constants of the crate and the first argument of
    /// `sqlx::query*`; SQL the linter cannot see is never counted as a write.
    ///
    /// ## Why is this bad?
    /// In autocommit mode every statement commits on its own. When the second
    /// statement fails (a constraint, a busy database, a crash) the first one
    /// stays: a version counter bumped without its migration, a task marked
    /// done without its event, half of a bulk save. Writes in one transaction
    /// are also much faster in SQLite, which syncs once per commit.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn migrate(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    ///     conn.execute("ALTER TABLE tasks ADD COLUMN priority INTEGER", [])?;
    ///     conn.execute("UPDATE meta SET schema_version = 2", [])?;
    ///     Ok(())
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// fn migrate(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    ///     let tx = conn.transaction()?;
    ///     tx.execute("ALTER TABLE tasks ADD COLUMN priority INTEGER", [])?;
    ///     tx.execute("UPDATE meta SET schema_version = 2", [])?;
    ///     tx.commit()
    /// }
    /// ```
    ///
    /// ## Fix
    /// Run the writes in one transaction and commit it once: rusqlite
    /// `conn.transaction()`, sqlx `pool.begin().await`, postgres
    /// `client.transaction()`, diesel `conn.transaction(|conn| ..)`.
    ///
    /// ## Known limits
    /// A connection parameter that every caller in the crate hands a
    /// transaction (rusqlite's `Transaction` derefs to `Connection`) is
    /// understood to be inside it, and so is the parameter of a closure
    /// bound to a local that every call hands one (`let delete = |conn|
    /// ..; delete(&mut tx)`); callers outside the crate are not seen.
    /// Writes are grouped by the text of the connection expression. Test
    /// code is not checked even with `--include-tests`: a test's database is
    /// thrown away with it.
    ///
    /// ## Patterns
    /// Measured on the application corpus (17 real applications, every
    /// finding triaged by hand; precision is tp / (tp + fp)):
    ///
    /// | pattern | level | tp | fp | debatable | precision |
    /// |---|---|---:|---:|---:|---:|
    /// | `multi-write`: two or more writes | default | 11 | 4 | 2 | 0.73 |
    /// | `loop-write`: one write repeated by a loop | pedantic | 0 | 6 | 1 | 0.00 |
    /// | `best-effort`: all writes but one discard their errors | pedantic | 0 | 3 | 2 | 0.00 |
    /// | `clear-all`: every write empties a whole table | pedantic | 0 | 2 | 0 | 0.00 |
    /// | `insert-if-missing`: every write is `INSERT OR IGNORE` / `ON CONFLICT DO NOTHING` | pedantic | 0 | 1 | 0 | 0.00 |
    /// | `sweep`: every write is an UPDATE or DELETE of the rows a predicate alone picks (an age, a flag), setting constants, with no value from the function | pedantic | 0 | 2 | 0 | 0.00 |
    /// | `manual-begin`: `BEGIN` without `COMMIT` | default | 0 | 0 | 0 | — |
    ///
    /// `loop-write` is pedantic: the loops real applications write this way
    /// are mostly per-item maintenance that handles each item's error on its
    /// own. `multi-write` is below 0.9 and still on by default, because it
    /// carries every true positive of the rule on the applications and a
    /// historical bug of the development set (B21); its remaining false
    /// positives are classes of issue 16 not yet fixed (independent writes
    /// whose state in between is valid,
    /// rebuildable caches, a statement that cannot run in a transaction
    /// whose SQL reaches the call through a function parameter). `sweep` is pedantic: a
    /// retention purge or scheduled cleanup finishes on its next run, and
    /// real applications write them without a transaction on purpose.
    pub static WRITE_OUTSIDE_TRANSACTION = {
        name: "write-outside-transaction",
        summary: "several writes on one connection or pool run outside a transaction",
        check: check,
        patterns: [
            MULTI_WRITE,
            LOOP_WRITE,
            MANUAL_BEGIN,
            BEST_EFFORT,
            CLEAR_ALL,
            INSERT_IF_MISSING,
            SWEEP,
        ],
    }
}

/// Two or more writes in a row outside a transaction.
const MULTI_WRITE: Pattern = Pattern {
    name: "multi-write",
    level: Level::Default,
    summary: "two or more writes on one connection or pool outside a transaction",
};

/// One write, repeated by a loop, outside a transaction.
const LOOP_WRITE: Pattern = Pattern {
    name: "loop-write",
    level: Level::Pedantic,
    summary: "a write inside a loop, outside a transaction",
};

/// Writes whose errors are discarded (`let _ =`, `.ok()`, an `Err` arm that
/// carries on) beside at most one write that counts: the author chose not
/// to make them atomic.
const BEST_EFFORT: Pattern = Pattern {
    name: "best-effort",
    level: Level::Pedantic,
    summary:
        "writes outside a transaction where all but one are best-effort (their errors discarded)",
};

/// Writes that each empty a whole table (DELETE without WHERE, TRUNCATE,
/// DROP TABLE): a wipe stopped part-way is a smaller wipe, and running it
/// again finishes it.
const CLEAR_ALL: Pattern = Pattern {
    name: "clear-all",
    level: Level::Pedantic,
    summary: "several whole-table deletes (a wipe) outside a transaction",
};

/// Inserts that skip rows already there (`INSERT OR IGNORE`, `ON CONFLICT
/// DO NOTHING`): running them again converges.
const INSERT_IF_MISSING: Pattern = Pattern {
    name: "insert-if-missing",
    level: Level::Pedantic,
    summary: "several insert-if-missing statements outside a transaction",
};

/// Sweeps: UPDATEs or DELETEs whose rows are chosen by a predicate on the
/// rows alone (an age, a flag), setting constants, with no value from the
/// function (a retention purge, a scheduled cleanup): running them again
/// finishes what a failure left.
const SWEEP: Pattern = Pattern {
    name: "sweep",
    level: Level::Pedantic,
    summary: "several sweeps (rows chosen by a predicate alone) outside a transaction",
};

/// `BEGIN` by hand, without `COMMIT` on a normal exit.
const MANUAL_BEGIN: Pattern = Pattern {
    name: "manual-begin",
    level: Level::Default,
    summary: "a hand-written `BEGIN` that can reach a normal exit without `COMMIT`",
};

/// What a connection's own writes run in at one point, on some path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConnState {
    /// Autocommit: no hand-written `BEGIN` is open (a connection the
    /// function has not seen yet is here).
    Autocommit,
    /// A hand-written `BEGIN` (or `SAVEPOINT`) is open on the connection.
    Begun,
    /// A driver or crate transaction begun on the connection is alive: the
    /// connection's own writes run inside it (rusqlite's
    /// `unchecked_transaction`, a wrapper's `begin_transaction()`).
    InTransaction,
}

impl Lifecycle for ConnState {
    const ALL: &'static [ConnState] = &[
        ConnState::Autocommit,
        ConnState::Begun,
        ConnState::InTransaction,
    ];
}

/// The states of each connection, by [`FnContext::connection_key`].
type ConnStates = BTreeMap<String, MayBe<ConnState>>;

fn autocommit() -> MayBe<ConnState> {
    MayBe::only(ConnState::Autocommit)
}

struct Write {
    span: Span,
    /// Address of the call, to find its branch path.
    call: usize,
    /// The connection, as [`FnContext::connection_key`] names it.
    target: String,
    /// The connection as the message shows it.
    shown: String,
    kind: Option<Kind>,
    model: &'static str,
    /// Statements that change data (a version bump counts only beside
    /// them).
    count: usize,
    /// `PRAGMA user_version = N` statements.
    bumps: usize,
    in_loop: bool,
    inside: bool,
    /// The write's error is discarded or handled on the spot.
    best_effort: bool,
    /// What each statement writes.
    shapes: Vec<WriteShape>,
    /// Every statement is a sweep (see [`is_sweep`]).
    sweep: bool,
}

struct Begin {
    span: Span,
    /// `BEGIN` or `SAVEPOINT`.
    keyword: &'static str,
    wrote_after: bool,
}

struct WriteAnalysis {
    writes: Vec<Write>,
    by_call: HashMap<usize, usize>,
    begins: BTreeMap<String, Begin>,
    in_loop: HashMap<usize, (LineColumn, LineColumn)>,
    unclosed_begin: Vec<String>,
    /// Bindings holding a transaction begun on a connection, with that
    /// connection's key.
    tx_holders: HashMap<crate::function::context::BindingId, String>,
    /// Calls whose error is discarded or handled on the spot.
    best_effort: std::collections::HashSet<usize>,
    /// Connections that run a statement PostgreSQL refuses inside a
    /// transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`): their
    /// writes cannot all be wrapped in one.
    no_transaction: std::collections::HashSet<String>,
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    // A test's database is set up and thrown away with the test: partial
    // state after a failed fixture write harms nothing.
    if cx.is_test {
        return;
    }
    let mut analysis = WriteAnalysis {
        writes: Vec::new(),
        by_call: HashMap::new(),
        begins: BTreeMap::new(),
        in_loop: loop_calls(cx),
        unclosed_begin: Vec::new(),
        tx_holders: HashMap::new(),
        best_effort: best_effort_calls(cx),
        no_transaction: std::collections::HashSet::new(),
    };
    flow::run(cx, &mut analysis, BTreeMap::new());

    let guard_type = cx
        .self_type
        .as_ref()
        .is_some_and(|t| cx.index.rolls_back_on_drop(t));
    for target in &analysis.unclosed_begin {
        let Some(begin) = analysis.begins.get(target) else {
            continue;
        };
        if guard_type || !begin.wrote_after {
            continue;
        }
        out.push(cx.finding(
            &WRITE_OUTSIDE_TRANSACTION,
            begin.span,
            format!("`{}` on `{target}` can reach a normal return without `COMMIT`, leaving the writes uncommitted", begin.keyword),
            "commit on every successful path (or use the driver's transaction API, which rolls back on drop)",
        ).with_pattern(MANUAL_BEGIN.name));
    }

    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Write>> = HashMap::new();
    for write in analysis.writes.iter().filter(|w| !w.inside) {
        if !groups.contains_key(&write.target) {
            order.push(write.target.clone());
        }
        groups.entry(write.target.clone()).or_default().push(write);
    }
    let branches = branch_paths(cx);
    for target in order {
        // Advising one transaction is wrong where a statement on the same
        // connection cannot run in one.
        if analysis.no_transaction.contains(&target) {
            continue;
        }
        // Writes on mutually exclusive branches (the two arms of an `if`)
        // never run together: only writes that can share a path, or that
        // repeat in a loop, can be torn apart by a failure.
        let all = &groups[&target];
        let path = |w: &Write| branches.get(&w.call).cloned().unwrap_or_default();
        let writes: Vec<&Write> = all
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, w)| {
                w.in_loop
                    || w.count + w.bumps > 1
                    || all
                        .iter()
                        .enumerate()
                        .any(|(j, other)| j != *i && !exclusive(&path(w), &path(other)))
            })
            .map(|(_, w)| w)
            .collect();
        // A version bump alone changes no data.
        if !writes.iter().any(|w| w.count > 0) {
            continue;
        }
        let first = writes[0];
        let target = &first.shown;
        let what = if first.kind == Some(Kind::Pool) {
            "pool"
        } else {
            "connection"
        };
        let pattern = pattern_of(&writes);
        let statements = writes.iter().map(|w| w.count + w.bumps).sum::<usize>();
        let message = match pattern.name {
            "loop-write" => format!("a write on {what} `{target}` runs once per loop iteration outside a transaction, so a failure part-way leaves partial state"),
            "best-effort" => format!("{statements} writes on {what} `{target}` run outside a transaction; all but one discard their errors, so a failure leaves partial state"),
            "clear-all" => format!("{statements} whole-table deletes on {what} `{target}` run outside a transaction, so a failure part-way leaves some tables cleared"),
            "insert-if-missing" => format!("{statements} insert-if-missing statements on {what} `{target}` run outside a transaction, so a failure part-way leaves some rows inserted"),
            "sweep" => format!("{statements} sweeps (rows chosen by a predicate alone) on {what} `{target}` run outside a transaction, so a failure part-way leaves some undone until they run again"),
            // Statements, not calls: one `execute_batch` can hold several.
            _ => format!("{statements} writes on {what} `{target}` run outside a transaction, so a failure between them leaves partial state"),
        };
        let mut finding = cx
            .finding(
                &WRITE_OUTSIDE_TRANSACTION,
                first.span,
                message,
                help(cx, first.model, target, first.kind),
            )
            .with_pattern(pattern.name);
        if first.in_loop {
            finding =
                finding.with_label(cx.label(first.span, "this write runs once per iteration"));
        }
        for other in writes.iter().skip(1).take(4) {
            let label = if other.in_loop {
                "another write, once per iteration"
            } else {
                "another write"
            };
            finding = finding.with_label(cx.label(other.span, label));
        }
        out.push(finding);
    }
}

/// Which claim a group of writes on one connection makes. A single write
/// repeated by a loop is `loop-write`; the shapes that are often fine on
/// purpose (best-effort writes, wipes, insert-if-missing) have their own patterns; the rest is `multi-write`.
fn pattern_of(writes: &[&Write]) -> Pattern {
    if writes.len() == 1 && writes[0].in_loop && writes[0].count + writes[0].bumps <= 1 {
        return LOOP_WRITE;
    }
    let kept: Vec<&Write> = writes.iter().copied().filter(|w| !w.best_effort).collect();
    let statements: usize = kept.iter().map(|w| w.count + w.bumps).sum();
    let repeated = kept.iter().any(|w| w.in_loop);
    if statements + usize::from(repeated) < 2 {
        return if kept.len() == 1 && kept[0].in_loop {
            LOOP_WRITE
        } else {
            BEST_EFFORT
        };
    }
    // Every write's shape, when every write has one.
    let shapes: Option<Vec<&WriteShape>> = kept
        .iter()
        .map(|w| (w.shapes.len() == w.count).then_some(&w.shapes))
        .collect::<Option<Vec<_>>>()
        .map(|all| all.into_iter().flatten().collect());
    let bumps = kept.iter().any(|w| w.bumps > 0);
    if let Some(shapes) = shapes.filter(|s| !s.is_empty() && !bumps) {
        if shapes.iter().all(|s| s.clears_table()) {
            return CLEAR_ALL;
        }
        if shapes
            .iter()
            .all(|s| s.kind == WriteKind::Insert { if_missing: true })
        {
            return INSERT_IF_MISSING;
        }
    }
    if !bumps && kept.iter().all(|w| w.sweep) {
        return SWEEP;
    }
    MULTI_WRITE
}

/// Calls whose error the function discards or handles on the spot and
/// carries on: `let _ = ..`, `_ = ..`, `..;` as a statement, `.ok()`,
/// `.unwrap_or(..)`, and `if let Err(e) = ..` / `match` arms on `Err` that
/// neither return nor propagate.
fn best_effort_calls(cx: &FnContext<'_>) -> std::collections::HashSet<usize> {
    use std::collections::HashSet;
    /// The call whose result an expression is, through `.await` and the
    /// adapters that log or convert an error on its way to being
    /// discarded (`.inspect_err(|e| warn!(..)).ok()`).
    fn call_of(expr: &Expr) -> &Expr {
        let mut current = crate::syntax::expr::strip_parens(expr);
        loop {
            current = match current {
                Expr::Await(a) => crate::syntax::expr::strip_parens(&a.base),
                Expr::MethodCall(m)
                    if matches!(m.method.to_string().as_str(), "inspect_err" | "map_err") =>
                {
                    crate::syntax::expr::strip_parens(&m.receiver)
                }
                _ => return current,
            };
        }
    }
    fn is_err_pattern(pat: &syn::Pat) -> bool {
        matches!(pat, syn::Pat::TupleStruct(t) if t.path.segments.last().is_some_and(|s| s.ident == "Err"))
    }
    let mut out = HashSet::new();
    cx.walk().block(cx.body, &mut |node, _| match node {
        Node::Stmt(syn::Stmt::Local(l)) if matches!(l.pat, syn::Pat::Wild(_)) => {
            if let Some(init) = &l.init {
                out.insert(addr(call_of(&init.expr)));
            }
        }
        Node::Stmt(syn::Stmt::Expr(e, Some(_))) => {
            out.insert(addr(call_of(e)));
        }
        Node::Expr(Expr::Assign(a)) if matches!(&*a.left, Expr::Infer(_)) => {
            out.insert(addr(call_of(&a.right)));
        }
        Node::Expr(Expr::MethodCall(m))
            if matches!(
                m.method.to_string().as_str(),
                "ok" | "unwrap_or" | "unwrap_or_default" | "unwrap_or_else"
            ) =>
        {
            out.insert(addr(call_of(&m.receiver)));
        }
        Node::Expr(Expr::If(i)) => {
            if let Expr::Let(l) = &*i.cond {
                let mut stops = false;
                Walk::new()
                    .skip_frames()
                    .block(&i.then_branch, &mut |n, _| stops |= is_stop(n));
                if is_err_pattern(&l.pat) && !stops {
                    out.insert(addr(call_of(&l.expr)));
                }
            }
        }
        Node::Expr(Expr::Match(m)) => {
            let tolerated = m.arms.iter().any(|arm| {
                let mut stops = false;
                Walk::new()
                    .skip_frames()
                    .expr(&arm.body, &mut |n, _| stops |= is_stop(n));
                is_err_pattern(&arm.pat) && !stops
            });
            if tolerated {
                out.insert(addr(call_of(&m.expr)));
            }
        }
        _ => {}
    });
    out
}

/// Code that leaves instead of carrying on: `return`, `?`, `break`, or a
/// diverging macro (`bail!`, `panic!`, `unreachable!`, `todo!`), as an
/// expression or a statement.
fn is_stop(node: Node<'_>) -> bool {
    let diverges = |mac: &syn::Macro| {
        mac.path.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "bail" | "panic" | "unreachable" | "todo"
            )
        })
    };
    match node {
        Node::Expr(Expr::Return(_) | Expr::Try(_) | Expr::Break(_)) => true,
        Node::Expr(Expr::Macro(m)) => diverges(&m.mac),
        Node::Stmt(syn::Stmt::Macro(m)) => diverges(&m.mac),
        _ => false,
    }
}

fn help(cx: &FnContext<'_>, model: &str, target: &str, kind: Option<Kind>) -> String {
    if let Some(help) = &cx.models.driver(model).transaction_help {
        return help.replace("{target}", target);
    }
    match kind {
        Some(Kind::Pool | Kind::Pooled) => {
            "check out one connection and run the writes in one transaction on it, then commit".to_string()
        }
        _ => format!("run the writes in one transaction: `let tx = {target}.transaction()?;`, then `tx.commit()?`"),
    }
}

/// Calls that run repeatedly as part of one operation, with the region of
/// their innermost loop: inside `for` bodies and closures given to
/// iterator adaptors. `loop` and `while` (servers, pollers, ticks) run
/// independent units of work, so they do not multiply writes.
fn loop_calls(cx: &FnContext<'_>) -> HashMap<usize, (LineColumn, LineColumn)> {
    let region_of = |e: &Expr| {
        let span = crate::syntax::spans::of(e);
        (span.start(), span.end())
    };
    let mut ticks: HashMap<usize, bool> = HashMap::new();
    let mut out = HashMap::new();
    cx.walk().block(cx.body, &mut |node, around| {
        let Node::Expr(call @ (Expr::MethodCall(_) | Expr::Call(_))) = node else {
            return;
        };
        // The innermost repetition decides.
        let region = around.iter().rev().find_map(|a| match a {
            Around::Loop(l @ Expr::ForLoop(f)) => {
                let tick = *ticks.entry(addr(l)).or_insert_with(|| has_tick(&f.body));
                Some((!tick).then(|| region_of(l)))
            }
            Around::Loop(_) => Some(None),
            Around::Arg(e, m) if is_per_element(&m.method.to_string()) => Some(Some(region_of(e))),
            _ => None,
        });
        if let Some(Some(region)) = region {
            out.insert(addr(call), region);
        }
    });
    out
}

/// Where a call sits among branches: for each enclosing `if` or `match`,
/// its address and the arm the call is in.
type BranchPath = Vec<(usize, usize)>;

fn branch_paths(cx: &FnContext<'_>) -> HashMap<usize, BranchPath> {
    let mut out = HashMap::new();
    cx.walk().block(cx.body, &mut |node, around| {
        if let Node::Expr(call @ (Expr::MethodCall(_) | Expr::Call(_))) = node {
            let path = around
                .iter()
                .filter_map(|a| match a {
                    Around::Arm(branch, arm) => Some((addr(branch), *arm)),
                    _ => None,
                })
                .collect();
            out.insert(addr(call), path);
        }
    });
    out
}

/// Two calls are exclusive when some `if`/`match` holds them in different
/// arms.
fn exclusive(a: &BranchPath, b: &BranchPath) -> bool {
    a.iter().any(|(node, arm)| {
        b.iter()
            .any(|(other, other_arm)| node == other && arm != other_arm)
    })
}

/// Whether a write is a sweep: an UPDATE or DELETE whose rows are chosen by
/// a predicate on the rows alone, setting only constants, and that takes
/// no value from the function (no local, parameter or `self` in the call
/// but the connection): SQL such as `DELETE FROM log WHERE at < now() -
/// interval '7 days'`, or diesel's `delete(log::table.filter(
/// log::at.lt(now() - 7.days())))` and `update(post::table.filter(
/// post::deleted.eq(true))).set(post::body.eq(REDACTED))`.
fn is_sweep<'a>(
    cx: &FnContext<'a>,
    expr: &'a Expr,
    target: &'a Expr,
    sql: &crate::function::typing::SqlFacts,
) -> bool {
    if takes_values(cx, expr, target) {
        return false;
    }
    if let Some(info) = sql.info() {
        return info.sweeps();
    }
    match sql.shape.as_ref().map(|s| s.kind) {
        Some(WriteKind::Delete { whole_table: false }) => true,
        Some(WriteKind::Update) => sets_constants(expr),
        _ => false,
    }
}

/// Whether a call uses a value of the function (a local, a parameter,
/// `self`) anywhere but in `target` and in the position of a called
/// function.
fn takes_values<'a>(cx: &FnContext<'a>, expr: &'a Expr, target: &'a Expr) -> bool {
    struct Finder<'c, 'a> {
        cx: &'c FnContext<'a>,
        target: usize,
        found: bool,
    }
    impl<'a> syn::visit::Visit<'a> for Finder<'_, 'a> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found || addr(e) == self.target {
                return;
            }
            match e {
                Expr::Path(p) => {
                    self.found |= p.path.is_ident("self") || self.cx.binding_of(e).is_some();
                }
                Expr::Call(c) => {
                    for arg in &c.args {
                        self.visit_expr(arg);
                    }
                }
                Expr::Closure(_) => self.found = true,
                _ => syn::visit::visit_expr(self, e),
            }
        }
        fn visit_macro(&mut self, mac: &'a syn::Macro) {
            for arg in self.cx.macro_exprs(mac) {
                self.visit_expr(arg);
            }
        }
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let mut finder = Finder {
        cx,
        target: addr(target),
        found: false,
    };
    syn::visit::Visit::visit_expr(&mut finder, expr);
    finder.found
}

/// Whether a query builder's `.set(..)` assigns only constants: each
/// `column.eq(value)` has a value naming no column (a literal, a
/// `CONSTANT`, `now()`), so running it again changes nothing more.
fn sets_constants(expr: &Expr) -> bool {
    fn constant(e: &Expr) -> bool {
        match crate::syntax::expr::strip_parens(e) {
            Expr::Lit(_) => true,
            Expr::Path(p) => {
                p.path.segments.len() == 1
                    && p.path.segments[0]
                        .ident
                        .to_string()
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            }
            Expr::Reference(r) => constant(&r.expr),
            Expr::Unary(u) => constant(&u.expr),
            Expr::Binary(b) => constant(&b.left) && constant(&b.right),
            Expr::Call(c) => c.args.iter().all(constant),
            Expr::MethodCall(m) => constant(&m.receiver) && m.args.iter().all(constant),
            _ => false,
        }
    }
    fn assigns(e: &Expr) -> bool {
        match crate::syntax::expr::strip_parens(e) {
            Expr::Tuple(t) => !t.elems.is_empty() && t.elems.iter().all(assigns),
            Expr::MethodCall(m) if m.method == "eq" && m.args.len() == 1 => constant(&m.args[0]),
            _ => false,
        }
    }
    let mut current = expr;
    for _ in 0..16 {
        match crate::syntax::expr::strip_parens(current) {
            Expr::MethodCall(m) if m.method == "set" => {
                return m.args.len() == 1 && assigns(&m.args[0]);
            }
            Expr::MethodCall(m) => current = &m.receiver,
            Expr::Await(a) => current = &a.base,
            Expr::Try(t) => current = &t.expr,
            _ => return false,
        }
    }
    false
}

/// A connection to a private in-memory database opened in this function:
/// nothing it holds outlives a failure, so there is nothing to protect.
fn in_memory_here<'a>(cx: &FnContext<'a>, target: &'a Expr) -> bool {
    let Some(id) = cx.root_binding(target) else {
        return false;
    };
    let Some(init) = cx.binding(id).init else {
        return false;
    };
    let Some(call) = cx.call(crate::syntax::expr::unwrap_value(init)) else {
        return false;
    };
    if call.effect() != Effect::Open {
        return false;
    }
    let named_memory = call
        .method
        .as_deref()
        .or(call
            .path
            .as_ref()
            .and_then(|p| p.last())
            .map(String::as_str))
        .is_some_and(|name| name.contains("memory"));
    named_memory
        || call.args.iter().any(|a| {
            cx.sql_of(a)
                .is_some_and(|text| text.contains(":memory:") || text.contains("mode=memory"))
        })
}

/// A write in a loop repeats on one connection unless the connection itself
/// is made inside the loop (then each iteration writes to its own).
fn repeated(cx: &FnContext<'_>, region: Option<(LineColumn, LineColumn)>, target: &Expr) -> bool {
    let Some((start, end)) = region else {
        return false;
    };
    match cx.root_binding(target) {
        Some(id) => {
            let declared = cx.binding(id).span.start();
            !(declared >= start && declared <= end)
        }
        None => true,
    }
}

impl WriteAnalysis {
    /// A transaction begun on a connection (`let tx =
    /// conn.unchecked_transaction()?`, or a crate method returning one of
    /// the crate's transaction types) covers the connection's own writes
    /// until it is committed, rolled back or goes out of scope. Not on a
    /// pool: each statement sent to a pool may take another connection.
    fn track_transaction<'a>(
        &mut self,
        cx: &FnContext<'a>,
        expr: &'a Expr,
        call: &crate::function::context::Call<'a>,
        state: &mut ConnStates,
    ) {
        if let Some((_, holder, target)) = cx
            .transaction_bindings()
            .iter()
            .find(|(at, _, _)| *at == addr(expr))
        {
            state
                .entry(target.clone())
                .or_insert_with(autocommit)
                .add(ConnState::InTransaction);
            self.tx_holders.insert(*holder, target.clone());
            return;
        }
        let ends = matches!(
            call.effect(),
            Effect::Commit | Effect::Rollback | Effect::Finish
        ) || matches!(call.method.as_deref(), Some("commit" | "rollback"));
        if !ends {
            return;
        }
        let holder = call.receiver.and_then(|r| cx.root_binding(r));
        if let Some(target) = holder.and_then(|h| self.tx_holders.get(&h)) {
            if let Some(states) = state.get_mut(target) {
                states.remove(ConnState::InTransaction);
            }
        }
    }
}

impl<'a> Analysis<'a> for WriteAnalysis {
    type State = ConnStates;

    fn join(&self, into: &mut Self::State, other: &Self::State) {
        for (k, v) in other {
            into.entry(k.clone()).or_insert_with(autocommit).join(*v);
        }
        for (k, v) in into.iter_mut() {
            if !other.contains_key(k) {
                v.add(ConnState::Autocommit);
            }
        }
    }

    fn expr(&mut self, cx: &FnContext<'a>, expr: &'a Expr, state: &mut Self::State) {
        let Some(call) = cx.call(expr) else { return };
        self.track_transaction(cx, expr, &call, state);
        let Some(api) = &call.api else { return };
        if !matches!(api.effect, Effect::Execute | Effect::Query) {
            return;
        }
        let Some(target_expr) = cx.call_target(&call) else {
            return;
        };
        let Some(kind) = cx.kind_of(target_expr) else {
            return;
        };
        if !matches!(kind, Kind::Connection | Kind::Pool | Kind::Pooled) {
            return;
        }
        // A parameter every caller hands a transaction is inside one.
        if let (Some(decl), Some((slot, field))) = (cx.decl, cx.param_root(target_expr)) {
            if field.is_empty()
                && cx
                    .index
                    .transaction_params
                    .contains(&(decl.key.clone(), slot))
            {
                return;
            }
        }
        let sql = cx.call_sql(&call).unwrap_or_default();
        let target = cx.connection_key(target_expr);
        let shown = normalize_source(cx.text(strip_place(target_expr).span()));
        let model = cx
            .index
            .db_ty(&cx.ty_of(target_expr))
            .model()
            .map(|id| cx.models.ty(id).model)
            .unwrap_or("");
        let info = sql.info();
        let open = state.get(&target).copied().unwrap_or_else(autocommit);

        if let Some(info) = &info {
            if info.is_self_contained_transaction() {
                return;
            }
            if kind != Kind::Pool {
                for statement in &info.statements {
                    let keyword = match statement {
                        SqlKind::Begin => "BEGIN",
                        SqlKind::Savepoint => "SAVEPOINT",
                        SqlKind::Commit | SqlKind::Rollback | SqlKind::Release => {
                            let states = state.entry(target.clone()).or_insert_with(autocommit);
                            states.remove(ConnState::Begun);
                            states.add(ConnState::Autocommit);
                            continue;
                        }
                        _ => continue,
                    };
                    let states = state.entry(target.clone()).or_insert_with(autocommit);
                    states.remove(ConnState::Autocommit);
                    states.add(ConnState::Begun);
                    self.begins.entry(target.clone()).or_insert(Begin {
                        span: call.span,
                        keyword,
                        wrote_after: false,
                    });
                }
            }
        }
        if info.as_ref().is_some_and(|i| i.forbids_transaction()) {
            self.no_transaction.insert(target.clone());
        }
        let count = sql.known_writes();
        let bumps = info.as_ref().map_or(0, |i| i.version_bumps());
        if count == 0 && bumps == 0 {
            return;
        }
        let inside = open.may_be(ConnState::Begun)
            || open.may_be(ConnState::InTransaction)
            || cx.reached_through_transaction(target_expr);
        if open.may_be(ConnState::Begun) {
            if let Some(begin) = self.begins.get_mut(&target) {
                begin.wrote_after |= count > 0;
            }
        }
        match self.by_call.get(&addr(expr)) {
            Some(&i) => self.writes[i].inside &= inside,
            None => {
                self.by_call.insert(addr(expr), self.writes.len());
                if in_memory_here(cx, target_expr) {
                    return;
                }
                self.writes.push(Write {
                    span: expr.span(),
                    call: addr(expr),
                    target,
                    shown,
                    kind: Some(kind),
                    model,
                    count,
                    bumps,
                    in_loop: repeated(cx, self.in_loop.get(&addr(expr)).copied(), target_expr),
                    inside,
                    best_effort: self.best_effort.contains(&addr(expr)),
                    sweep: is_sweep(cx, expr, target_expr, &sql),
                    shapes: sql.shapes(),
                });
            }
        }
    }

    fn scope_end(
        &mut self,
        cx: &FnContext<'a>,
        scope: usize,
        _: Span,
        _: bool,
        state: &mut Self::State,
    ) {
        // A transaction held by a binding ends with it.
        for (holder, target) in &self.tx_holders {
            if cx.binding(*holder).scope == scope {
                if let Some(states) = state.get_mut(target) {
                    states.remove(ConnState::InTransaction);
                }
            }
        }
    }

    fn exit(&mut self, _: &FnContext<'a>, exit: Exit, _: Span, state: &Self::State) {
        if exit == Exit::Normal {
            for (target, states) in state {
                if states.may_be(ConnState::Begun) && !self.unclosed_begin.contains(target) {
                    self.unclosed_begin.push(target.clone());
                }
            }
        }
    }
}
