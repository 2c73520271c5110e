use std::collections::HashSet;

use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::{Finding, Label, Range};
use crate::function::context::FnContext;
use crate::function::moves::escaping_values;
use crate::function::moves::kept;
use crate::function::opens::own_opens;
use crate::function::opens::OpenSite;
use crate::function::repeat::repeat_sites;
use crate::function::repeat::retry_exit;
use crate::function::repeat::varies;
use crate::function::repeat::Repeat;
use crate::index::effects::{ChurnCause, ChurnSite, RepeatKind};
use crate::names::model::Kind;
use crate::rules::{Level, Pattern};
use crate::syntax::expr::addr;
use crate::syntax::expr::unwrap_value;

crate::declare_rule! {
    /// ## What it does
    /// Flags a connection, pool or client that is opened over and over
    /// instead of reused, reporting it once, at the open that is repeated:
    ///
    /// - once per loop iteration (`for`, `while`, `loop`, including loops
    ///   that wait for a tick), per element in an iterator closure, or per
    ///   run of a scheduler callback (clokwerk `every(..).run(..)`,
    ///   tokio-cron-scheduler and job_scheduler `Job::new*`);
    /// - once per request or message: HTTP handlers (axum handlers
    ///   registered with `get(handler)`/`post(..)` in any router of the
    ///   workspace or written inline as closures, and axum extractors;
    ///   actix-web and rocket route attributes and `web::get().to(..)`; warp
    ///   filter closures; tonic service methods) and actix actors'
    ///   `Handler<M>`/`StreamHandler` implementations;
    /// - once per operation of a long-lived value: two or more functions of
    ///   one type that each open their own connection to a database the
    ///   type holds (`Connection::open(&self.path)`,
    ///   `self.client.get_multiplexed_async_connection()`, a client they are
    ///   handed) or through a factory called on `self` or one of its fields;
    /// - once per component: one function calls a pool-building constructor
    ///   two or more times for the same database, the calls differing only in
    ///   string literals (a table or component name), so every table keeps
    ///   a pool of its own to one database; or a constructor (an associated
    ///   function returning its own type) reaches pool-building calls for the
    ///   database it was given from two or more functions, itself and its
    ///   callees (an `initialize` step, a sub-component's constructor), on
    ///   paths that run together;
    /// - once per call, as a whole pool for one connection: a function builds
    ///   a pool (itself or through a crate factory), checks out one
    ///   connection, and drops the pool, so every call pays for a pool where
    ///   a single connection would do. Not flagged in `main`, in one-time
    ///   initializers, or when the pool is returned, stored or handed on;
    ///   a sqlx or mysql_async pool built and dropped in place is
    ///   unclosed-connection's finding, and a pool built to run a check is
    ///   probe-connection's.
    ///
    /// The open may be several calls below the loop or handler, across the
    /// members of the workspace, and through a driver re-exported by another
    /// crate (`app_db::diesel::r2d2::Pool`): a function that opens a connection for its
    /// own use, or a factory whose connection its caller uses and drops, is
    /// followed down to the driver call, and the finding sits there, with
    /// the calls that repeat it as related places (those in the same file as
    /// labels, the first of the others named in the message). Opens inside
    /// `move` closures, `spawn_blocking(move || ..)` and spawned tasks count
    /// like any other.
    ///
    /// Not flagged: retry loops that end once the open (or, in a loop of a
    /// few counted attempts, some step) succeeds; opens whose database
    /// depends on the loop element (a different database each time);
    /// connections collected, registered in a map or stored to outlive the
    /// loop; pools for different databases, or built in different arms of
    /// one `if` or `match`; factories that cache the pool they build (a clone
    /// kept in a map, static or field) and hand out clones;
    /// one-time and lazy initializers (`OnceLock::get_or_init`,
    /// `get_or_try_init`, a connection cell filled on first use); accessors
    /// that hand out a connection the object already holds; pool checkouts;
    /// the connlint-runtime registry (`Database::open` hands out the
    /// process's one handle); and test code unless `--include-tests`.
    ///
    /// ## Why is this bad?
    /// Opening a database connection is expensive (TCP and TLS handshakes and
    /// authentication for servers; file locks, schema parsing and journal
    /// setup for SQLite) and every open is a chance to fail. In a real
    /// incident a task board's gateway opened `kanban.db` on every 5-second
    /// notifier tick and 60-second dispatcher tick, and its dashboard on every
    /// HTTP request and 0.3 s websocket poll; each open also ran an integrity
    /// check and a journal-mode pragma, which under load reported healthy
    /// files as corrupt and filled the disk with backups.
    ///
    /// ## Example
    /// ```rust,ignore
    /// loop {
    ///     interval.tick().await;
    ///     let conn = rusqlite::Connection::open(&board_path)?;
    ///     notify_new_events(&conn)?;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// let board = connlint_runtime::KanbanStore::open(&board_path)?; // one handle per process
    /// loop {
    ///     interval.tick().await;
    ///     board.notifier_tick()?;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a pool or a shared handle once (at startup, or in a `OnceLock`)
    /// and pass it to the loop or the handler's state; a type keeps it in a
    /// field and uses it from every method. Do not merely move a raw
    /// connection out of the loop: a long-lived raw connection cannot
    /// reconnect after the database restarts, which a pool does for you.
    ///
    /// ## Known limits
    /// Handlers are recognised when registered in the workspace or marked
    /// with a route attribute; other per-request entry points can be declared
    /// in `connlint.toml` under `[[handlers]]`. Whether a database argument
    /// depends on the loop element is decided by the names it mentions.
    /// Related places in other files are named in the message, not shown as
    /// labels. A factory in a crate outside the workspace is not seen to
    /// open.
    ///
    /// ## Patterns
    /// Measured on the application corpus (17 real applications, every
    /// finding triaged; issue 16):
    ///
    /// | pattern | level | precision on the corpus |
    /// |---|---|---|
    /// | `connection-per-call/loop` | default | no true or false positive: 1 debatable (a CLI re-opening its project database per commit it amends) |
    /// | `connection-per-call/request` | default | no findings |
    /// | `connection-per-call/per-operation` | default | no findings |
    /// | `connection-per-call/single-use-pool` | default | no findings |
    /// | `connection-per-call/pool-per-component` | default | no findings (surfpool's pool cache keyed by URL, the fix of this very bug, is not flagged) |
    pub static CONNECTION_PER_CALL = {
        name: "connection-per-call",
        summary: "a connection or pool is opened per loop iteration, tick or request instead of reused",
        check: check,
        patterns: [LOOP, REQUEST, PER_OPERATION, POOL_PER_COMPONENT, SINGLE_USE_POOL],
    }
}

/// Opened once per loop iteration, tick, scheduler run or element.
const LOOP: Pattern = Pattern {
    name: "loop",
    level: Level::Default,
    summary: "a connection opened once per loop iteration, tick, scheduler run or iterator element",
};

/// Opened once per request or message of a handler.
const REQUEST: Pattern = Pattern {
    name: "request",
    level: Level::Default,
    summary: "a connection opened once per request or message of a handler",
};

/// Opened by every operation of a long-lived value.
const PER_OPERATION: Pattern = Pattern {
    name: "per-operation",
    level: Level::Default,
    summary: "two or more functions of one type that each open their own connection",
};

/// Several pools built for one database, one per component.
const POOL_PER_COMPONENT: Pattern = Pattern {
    name: "pool-per-component",
    level: Level::Default,
    summary: "a pool built several times for the same database, once per table or component",
};

/// A pool built for one checkout and dropped.
const SINGLE_USE_POOL: Pattern = Pattern {
    name: "single-use-pool",
    level: Level::Default,
    summary: "a pool is built on every call to check out one connection, and dropped",
};

/// The pattern of a claim that code runs `repeat`.
fn pattern_of(repeat: RepeatKind) -> &'static str {
    match repeat {
        RepeatKind::Request => REQUEST.name,
        _ => LOOP.name,
    }
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let handler = is_handler(cx);
    let escaping = escaping_values(cx);
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    for (expr, repeat) in repeat_sites(cx) {
        let Some(repeat) = repeat.or(handler.then_some(Repeat::Request)) else {
            continue;
        };
        if !seen.insert(addr(expr)) {
            continue;
        }
        // A crate factory's connection is reported where the factory opens
        // it (see below), with this call among the places that repeat it.
        if let Some(site) = cx.open_site(expr).filter(|s| s.factory.is_none()) {
            findings.extend(report_open(cx, &site, repeat, &escaping));
        }
    }
    if let Some(sites) = cx.decl.and_then(|d| cx.index.churn.get(&d.key)) {
        root_causes(cx, sites, &escaping, &mut findings);
    }
    single_use_pools(cx, &escaping, &mut findings);
    // One finding per open: a connection opened in a loop of a function
    // that its callers also repeat is one defect.
    findings.sort_by_key(|f| f.range);
    for finding in findings {
        match out.last_mut() {
            Some(last) if last.rule == finding.rule && last.range == finding.range => {
                for label in finding.labels {
                    if !last.labels.contains(&label) {
                        last.labels.push(label);
                    }
                }
            }
            _ => out.push(finding),
        }
    }
}

/// Pools built in a function (directly or by a crate factory), neither
/// returned nor kept, whose only use is one checkout: every call builds a
/// whole pool (its background tasks and connection bookkeeping) for one
/// connection, and drops it. `main` is left alone: it runs once.
fn single_use_pools(cx: &FnContext<'_>, escaping: &HashSet<usize>, out: &mut Vec<Finding>) {
    if cx.sig.ident == "main" {
        return;
    }
    let initializers = crate::function::opens::initializer_regions(cx);
    let returned = crate::function::opens::returned_values(cx);
    let mut pools = Vec::new();
    cx.for_each_expr(&mut |expr| {
        if let Some(site) = cx.open_site(expr) {
            if site.kind == Kind::Pool && !site.checkout {
                pools.push(site);
            }
        }
    });
    for site in pools {
        if crate::function::opens::in_regions(&initializers, site.expr)
            || returned.iter().any(|r| std::ptr::eq(*r, site.expr))
            || kept(cx, site.expr, escaping)
        {
            continue;
        }
        // A pool built here whose drop is abrupt (sqlx, mysql_async) is
        // unclosed-connection's finding: one defect, one finding.
        if site.factory.is_none() && site.drop == crate::names::model::DropBehavior::Abrupt {
            continue;
        }
        let Some(pool) = cx.holder(site.expr) else {
            continue;
        };
        let mut uses = 0;
        let mut checkouts = 0;
        let mut checks_only = false;
        cx.for_each_expr(&mut |expr| {
            let Some(call) = cx.call(expr) else { return };
            let on_pool = cx.call_takes(&call, pool);
            if on_pool {
                uses += 1;
                if call
                    .api
                    .as_ref()
                    .is_some_and(|a| a.effect == crate::names::model::Effect::Checkout)
                {
                    checkouts += 1;
                    // A pool built to run a check is probe-connection's.
                    checks_only = crate::function::opens::used_only_for_checks(cx, cx.holder(expr));
                }
            }
        });
        if uses != 1 || checkouts != 1 || checks_only || cx.binding(pool).uses.len() != 1 {
            continue;
        }
        let name = cx.sig.ident.to_string();
        let message = match &site.factory {
            Some(factory) => format!(
                "`{}` builds a whole pool on every call of `{name}`, which checks out one connection from it and drops it",
                last(factory)
            ),
            None => format!(
                "a whole pool is built on every call of `{name}` to check out one connection, and dropped"
            ),
        };
        out.push(
            cx.finding(
                &CONNECTION_PER_CALL,
                site.expr.span(),
                message,
                SINGLE_USE_HELP,
            )
            .with_pattern(SINGLE_USE_POOL.name),
        );
    }
}

const SINGLE_USE_HELP: &str =
    "open a single connection here instead of a pool, or build the pool once and share it";

fn is_handler(cx: &FnContext<'_>) -> bool {
    cx.decl.is_some_and(|d| cx.index.is_handler(&d.key))
        || crate::names::attrs::has_route_attribute(cx.attrs)
        || cx.impl_trait.as_ref().is_some_and(|t| {
            t.last().is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "FromRequest" | "FromRequestParts" | "OptionalFromRequestParts"
                )
            })
        })
}

fn report_open<'a>(
    cx: &FnContext<'a>,
    site: &OpenSite<'a>,
    repeat: Repeat,
    escaping: &HashSet<usize>,
) -> Option<Finding> {
    if site.checkout || !site.kind.holds_connection() {
        return None;
    }
    if site.db.is_some_and(|db| varies(cx, db, repeat)) {
        return None;
    }
    if escapes(cx, site.expr, repeat, escaping) {
        return None;
    }
    Some(
        cx.finding(
            &CONNECTION_PER_CALL,
            site.expr.span(),
            format!(
                "{} is opened {} and dropped again",
                what(site.kind),
                repeat.phrase()
            ),
            HELP,
        )
        .with_pattern(pattern_of(repeat.kind())),
    )
}

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Pool => "a pool",
        _ => "a connection",
    }
}

const HELP: &str = "create a pool or shared handle once (at startup or in a `OnceLock`) and reuse it here; \
do not just move a raw connection out of the loop, since a long-lived raw connection cannot reconnect after a database restart";

const SAME_POOL_HELP: &str = "build the pool once and hand a clone of it to every component (pools are cheap handles to shared state)";

const PER_OPERATION_HELP: &str =
    "open once: keep a pool or shared handle in the struct and use it from every method";

/// Reports the connections this function opens itself when the workspace's
/// churn sites trace repeated calls down to it: one finding per open, the
/// calls that repeat it as labels (those in this file) and in the message.
fn root_causes<'a>(
    cx: &FnContext<'a>,
    sites: &'a [ChurnSite],
    escaping: &HashSet<usize>,
    out: &mut Vec<Finding>,
) {
    let name = cx.sig.ident.to_string();
    // Calls whose callee opens out of sight are reported at the call.
    for site in sites.iter().filter(|s| s.cause == ChurnCause::Unseen) {
        if site.file != cx.file.id {
            continue;
        }
        let callee = last(&site.callee);
        let phrase = site.repeat.map_or("repeatedly", RepeatKind::phrase);
        let mut finding = cx.finding(
            &CONNECTION_PER_CALL,
            proc_macro2::Span::call_site(),
            format!("`{callee}` opens a new connection on every call, and it runs {phrase} here"),
            HELP,
        );
        finding.range = site.at;
        finding.anchor = crate::finding::normalize_source(cx.file.slice(site.at));
        out.push(finding.with_pattern(pattern_of(site.repeat.unwrap_or(RepeatKind::Iteration))));
    }
    let repeated: Vec<&ChurnSite> = sites
        .iter()
        .filter(|s| s.cause == ChurnCause::Repeated)
        .collect();
    let per_operation: Vec<&ChurnSite> = sites
        .iter()
        .filter(|s| matches!(s.cause, ChurnCause::PerOperation(_)))
        .collect();
    let same_pool: Vec<&ChurnSite> = sites
        .iter()
        .filter(|s| s.cause == ChurnCause::SamePool)
        .collect();
    if repeated.is_empty() && per_operation.is_empty() && same_pool.is_empty() {
        return;
    }
    // One finding per function: at the connection its repeated callers
    // get back (a factory's), else at the one it opens for itself.
    let opens = own_opens(cx, escaping);
    let returned = repeated
        .iter()
        .chain(&per_operation)
        .chain(&same_pool)
        .any(|s| s.returned);
    let Some(open) = opens
        .iter()
        .find(|o| o.returned == returned)
        .or(opens.first())
    else {
        return;
    };
    let span = open.site.expr.span();
    let mut finding = if !repeated.is_empty() {
        repeated_finding(cx, span, &name, open.site.kind, &repeated)
    } else if !same_pool.is_empty() {
        same_pool_finding(cx, span, &name, &same_pool)
    } else {
        per_operation_finding(cx, span, &name, &per_operation)
    };
    let here = cx.decl.map(|d| &d.key);
    for site in repeated.iter().chain(&same_pool).chain(&per_operation) {
        // A function's own opens (per operation) have no call to point at.
        if site.file != cx.file.id || Some(&site.caller) == here {
            continue;
        }
        let message = match (site.repeat, site.cause) {
            (Some(repeat), _) => {
                format!("`{}` runs {} here", last(&site.callee), repeat.phrase())
            }
            (None, ChurnCause::SamePool) => {
                format!(
                    "`{}` builds another pool for the same database here",
                    last(&site.callee)
                )
            }
            (None, _) => format!("`{}` opens a new connection here", last(&site.callee)),
        };
        let label = Label {
            range: site.at,
            message,
        };
        if !finding.labels.contains(&label) && finding.labels.len() < MAX_LABELS {
            finding.labels.push(label);
        }
    }
    out.push(finding);
}

/// Related places shown per finding; the message counts them all.
const MAX_LABELS: usize = 8;

fn repeated_finding(
    cx: &FnContext<'_>,
    span: proc_macro2::Span,
    name: &str,
    kind: Kind,
    sites: &[&ChurnSite],
) -> Finding {
    let mut kinds: Vec<RepeatKind> = sites.iter().filter_map(|s| s.repeat).collect();
    kinds.sort();
    kinds.dedup();
    let phrase = kinds
        .iter()
        .map(|k| k.phrase())
        .collect::<Vec<_>>()
        .join(" or ");
    let first = item_path(&sites[0].caller);
    let mut places: Vec<(usize, Range)> = sites.iter().map(|s| (s.file, s.at)).collect();
    places.sort();
    places.dedup();
    let callers = match places.len() {
        1 => format!("called in `{first}`"),
        n => format!("called from {n} places, such as `{first}`"),
    };
    let pattern = if kinds.contains(&RepeatKind::Request) {
        REQUEST.name
    } else {
        LOOP.name
    };
    cx.finding(
        &CONNECTION_PER_CALL,
        span,
        format!(
            "{} is opened on every call of `{name}`, which runs {phrase} ({callers})",
            what(kind)
        ),
        HELP,
    )
    .with_pattern(pattern)
}

fn same_pool_finding(
    cx: &FnContext<'_>,
    span: proc_macro2::Span,
    name: &str,
    sites: &[&ChurnSite],
) -> Finding {
    let first = &sites[0];
    let calls = sites.iter().filter(|s| s.caller == first.caller).count();
    let message = format!(
        "a pool is built on every call of `{name}`, and `{}` builds {calls} of them for the same database, one per component",
        item_path(&first.caller),
    );
    cx.finding(&CONNECTION_PER_CALL, span, message, SAME_POOL_HELP)
        .with_pattern(POOL_PER_COMPONENT.name)
}

fn per_operation_finding(
    cx: &FnContext<'_>,
    span: proc_macro2::Span,
    name: &str,
    sites: &[&ChurnSite],
) -> Finding {
    let count = sites
        .iter()
        .map(|s| match s.cause {
            ChurnCause::PerOperation(n) => n,
            _ => 0,
        })
        .max()
        .unwrap_or(0);
    let type_name = cx
        .self_type
        .as_ref()
        .and_then(|t| t.last())
        .map(String::as_str)
        .unwrap_or("");
    let direct = sites.iter().any(|s| s.at == Range::default());
    let message = if direct {
        format!("every call of `{name}` opens a new connection; {count} functions of `{type_name}` do the same")
    } else {
        let callers: Vec<String> = sites
            .iter()
            .map(|s| format!("`{}`", last(&s.caller)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        format!(
            "every call of `{name}` opens a new connection, and {} of its type use it per operation ({})",
            callers.len(),
            callers.join(", ")
        )
    };
    cx.finding(&CONNECTION_PER_CALL, span, message, PER_OPERATION_HELP)
        .with_pattern(PER_OPERATION.name)
}

fn last(path: &[String]) -> &str {
    path.last().map(String::as_str).unwrap_or("")
}

/// A function's key as reports name items: without the crate.
fn item_path(key: &[String]) -> String {
    key.iter().skip(1).cloned().collect::<Vec<_>>().join("::")
}

/// Whether the opened value outlives the iteration or request.
fn escapes<'a>(
    cx: &FnContext<'a>,
    open: &'a Expr,
    repeat: Repeat,
    escaping: &HashSet<usize>,
) -> bool {
    if repeat == Repeat::Request {
        // Returning it from a handler still drops it at the end of the
        // request; only storing it somewhere longer-lived counts.
        return stored_beyond_request(cx, open);
    }
    escaping.contains(&addr(open)) || retry_exit(cx, open) || kept(cx, open, escaping)
}

/// In a handler: stored in a static, a `OnceLock` or shared state.
fn stored_beyond_request(cx: &FnContext<'_>, open: &Expr) -> bool {
    let mut stored = false;
    cx.for_each_expr(&mut |expr| {
        if let Expr::MethodCall(m) = expr {
            if matches!(
                m.method.to_string().as_str(),
                "set" | "insert" | "get_or_init" | "replace" | "store" | "swap"
            ) {
                let holds = |e: &Expr| {
                    std::ptr::eq(unwrap_value(e), open)
                        || cx
                            .holder(open)
                            .is_some_and(|h| cx.root_binding(e) == Some(h))
                };
                stored |= m.args.iter().any(holds);
            }
        }
    });
    stored
}
