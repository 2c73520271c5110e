use std::collections::HashSet;

use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::Finding;
use crate::function::context::{BindingId, BindingKind, FnContext};
use crate::function::moves::escaping_values;
use crate::function::opens::OpenSite;
use crate::rules::toolkit::repeat::has_tick;
use crate::rules::toolkit::repeat::is_per_element;
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;

crate::declare_rule! {
    /// ## What it does
    /// Flags a connection, pool or client that is opened once per loop
    /// iteration (`for`, `while`, `loop`, including periodic ticks), once per
    /// element in an iterator closure, or once per request in an HTTP handler
    /// (axum handlers registered with `get(handler)`/`post(..)` in any router
    /// of the crate and axum extractors; actix-web and rocket route
    /// attributes and `web::get().to(handler)`; warp filter closures; tonic
    /// service methods), and does not outlive that iteration or call. A call
    /// to a function of the crate that opens its own connection counts as an
    /// open at the call. Methods of one type that each open their own
    /// connection through a factory on `self` are flagged too: every call
    /// pays for a new connection.
    ///
    /// Not flagged: retry loops that exit once the open succeeds, opens whose
    /// database depends on the loop element (a different database each
    /// time), connections collected or stored to outlive the loop, one-time
    /// initializers (`OnceLock::get_or_init`), pool checkouts, the
    /// connlint-runtime registry (`Database::open` hands out the process's
    /// one handle), and test code unless `--include-tests`.
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
    /// and pass it to the loop or the handler's state. Do not merely move a
    /// raw connection out of the loop: a long-lived raw connection cannot
    /// reconnect after the database restarts, which a pool does for you.
    ///
    /// ## Known limits
    /// Handlers are recognised when registered in the same crate or marked
    /// with a route attribute; other per-request entry points can be declared
    /// in `connlint.toml` under `[[handlers]]`. Whether a database argument
    /// depends on the loop element is decided by the names it mentions.
    pub static CONNECTION_PER_CALL = {
        name: "connection-per-call",
        summary: "a connection or pool is opened per loop iteration, tick or request instead of reused",
        check: check,
    }
}

/// Why code runs repeatedly.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Iteration {
        tick: bool,
        start: LineColumn,
        end: LineColumn,
    },
    Element {
        start: LineColumn,
        end: LineColumn,
    },
    Request,
}

impl Repeat {
    fn phrase(self) -> &'static str {
        match self {
            Repeat::Iteration { tick: true, .. } => "once per tick",
            Repeat::Iteration { tick: false, .. } => "once per loop iteration",
            Repeat::Element { .. } => "once per element",
            Repeat::Request => "once per request",
        }
    }

    fn region(self) -> Option<(LineColumn, LineColumn)> {
        match self {
            Repeat::Iteration { start, end, .. } | Repeat::Element { start, end } => {
                Some((start, end))
            }
            Repeat::Request => None,
        }
    }
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let handler = is_handler(cx);
    let escaping = escaping_values(cx);
    let mut walker = Walker {
        cx,
        stack: Vec::new(),
        sites: Vec::new(),
        initializer_depth: 0,
    };
    syn::visit::Visit::visit_block(&mut walker, cx.body);
    let mut seen = HashSet::new();
    for (expr, repeat) in walker.sites {
        let repeat = match repeat.or(handler.then_some(Repeat::Request)) {
            Some(r) => r,
            None => continue,
        };
        if !seen.insert(addr(expr)) {
            continue;
        }
        if let Some(site) = cx.open_site(expr) {
            report_open(cx, &site, repeat, &escaping, out);
        } else {
            report_call(cx, expr, repeat, out);
        }
    }
    provider_methods(cx, &escaping, out);
}

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
    out: &mut Vec<Finding>,
) {
    if site.checkout || !site.kind.holds_connection() {
        return;
    }
    if let Some(db) = site.db {
        if varies(cx, db, repeat, 0) {
            return;
        }
    }
    if escapes(cx, site.expr, repeat, escaping) {
        return;
    }
    let what = match site.kind {
        crate::names::model::Kind::Pool => "a pool",
        _ => "a connection",
    };
    let via = match &site.factory {
        Some(f) => format!(
            " (through `{}`)",
            f.last().map(String::as_str).unwrap_or("")
        ),
        None => String::new(),
    };
    out.push(cx.finding(
        &CONNECTION_PER_CALL,
        site.expr.span(),
        format!(
            "{what} is opened {}{via} and dropped again",
            repeat.phrase()
        ),
        HELP,
    ));
}

const HELP: &str = "create a pool or shared handle once (at startup or in a `OnceLock`) and reuse it here; \
do not just move a raw connection out of the loop, since a long-lived raw connection cannot reconnect after a database restart";

/// A call to a crate function that opens its own connection each time.
fn report_call<'a>(cx: &FnContext<'a>, expr: &'a Expr, repeat: Repeat, out: &mut Vec<Finding>) {
    let Some(call) = cx.call(expr) else { return };
    let Some(callee) = &call.callee else { return };
    let Some(opens) = cx.index.summary(callee).and_then(|s| s.opens) else {
        return;
    };
    if !opens.kind.holds_connection() {
        return;
    }
    if let Some(db) = opens.db_param.and_then(|i| call.args.get(i)) {
        if varies(cx, db, repeat, 0) {
            return;
        }
    }
    let name = callee.last().map(String::as_str).unwrap_or("");
    out.push(cx.finding(
        &CONNECTION_PER_CALL,
        call.span,
        format!(
            "`{name}` opens a new connection on every call, and it runs {} here",
            repeat.phrase()
        ),
        HELP,
    ));
}

/// Whether an expression depends on the loop element: it mentions a binding
/// declared by the loop pattern or closure parameters, or one declared in
/// the loop body from such a binding.
fn varies<'a>(cx: &FnContext<'a>, expr: &'a Expr, repeat: Repeat, depth: usize) -> bool {
    let Some((start, end)) = repeat.region() else {
        return false;
    };
    if depth > 6 {
        return false;
    }
    let mut names = NameCollector {
        cx,
        paths: Vec::new(),
        names: Vec::new(),
    };
    syn::visit::Visit::visit_expr(&mut names, expr);
    let declared_inside = |id: BindingId| {
        let position = cx.binding(id).span.start();
        position >= start && position <= end
    };
    let binding_varies = |id: BindingId| {
        let binding = cx.binding(id);
        declared_inside(id)
            && match binding.kind {
                BindingKind::Pattern | BindingKind::ClosureParam => true,
                _ => binding
                    .init
                    .is_some_and(|init| varies(cx, init, repeat, depth + 1)),
            }
    };
    names
        .paths
        .into_iter()
        .filter_map(|p| cx.binding_of(p))
        .any(binding_varies)
        || names.names.iter().any(|name| {
            // `format!("{dir}/shard-{shard}.db")` names its arguments inside
            // the string: the innermost binding of that name declared before
            // the use counts.
            cx.bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| &b.name == name)
                .any(|(id, _)| binding_varies(id))
        })
}

/// Paths in an expression, macro arguments included, and the names that
/// format strings capture implicitly.
struct NameCollector<'c, 'a> {
    cx: &'c FnContext<'a>,
    paths: Vec<&'a Expr>,
    names: Vec<String>,
}

impl<'a> syn::visit::Visit<'a> for NameCollector<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if matches!(expr, Expr::Path(_)) {
            self.paths.push(expr);
        }
        syn::visit::visit_expr(self, expr);
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        let Some(args) = self.cx.macro_args(mac) else {
            return;
        };
        if let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) = args.first()
        {
            self.names
                .extend(crate::syntax::macros::format_captures(&template.value()));
        }
        for arg in args {
            self.visit_expr(arg);
        }
    }
}

/// Whether the opened value outlives the iteration or request.
fn escapes(cx: &FnContext<'_>, open: &Expr, repeat: Repeat, escaping: &HashSet<usize>) -> bool {
    if repeat == Repeat::Request {
        // Returning it from a handler still drops it at the end of the
        // request; only storing it somewhere longer-lived counts.
        return stored_beyond_request(cx, open);
    }
    if escaping.contains(&addr(open)) || retry_exit(cx, open) {
        return true;
    }
    match cx.holder(open) {
        Some(id) => holder_escapes(cx, id, escaping),
        None => false,
    }
}

fn holder_escapes(cx: &FnContext<'_>, id: BindingId, escaping: &HashSet<usize>) -> bool {
    cx.binding(id).uses.iter().any(|u| match u {
        Expr::Path(p) => escaping.contains(&addr(p)) || escaping.contains(&addr(*u)),
        _ => false,
    })
}

/// `match open() { Ok(c) => return Ok(c), Err(_) => retry }`: the loop
/// ends once the open succeeds.
fn retry_exit(cx: &FnContext<'_>, open: &Expr) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |expr| {
        let (scrutinee, bodies): (&Expr, Vec<&Expr>) = match expr {
            Expr::Match(m) => (&m.expr, m.arms.iter().map(|a| &*a.body).collect()),
            Expr::If(i) => match &*i.cond {
                Expr::Let(l) => (&l.expr, vec![]),
                _ => return,
            },
            _ => return,
        };
        if !std::ptr::eq(unwrap_value(scrutinee), open) {
            return;
        }
        let exits = |body: &Expr| {
            let mut finder = ExitFinder(false);
            syn::visit::Visit::visit_expr(&mut finder, body);
            finder.0
        };
        found |= match expr {
            Expr::If(i) => {
                let mut finder = ExitFinder(false);
                syn::visit::Visit::visit_block(&mut finder, &i.then_branch);
                finder.0
            }
            _ => bodies.into_iter().any(exits),
        };
    });
    found
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

/// Methods of one type that each open a connection through a factory on
/// `self` (`self.open_connection()`): a metadata provider paying for a new
/// connection on every call.
fn provider_methods(cx: &FnContext<'_>, escaping: &HashSet<usize>, out: &mut Vec<Finding>) {
    let Some(self_type) = &cx.self_type else {
        return;
    };
    if !cx
        .sig
        .inputs
        .iter()
        .any(|i| matches!(i, syn::FnArg::Receiver(_)))
    {
        return;
    }
    let mut sites = Vec::new();
    cx.for_each_expr(&mut |expr| {
        let Expr::MethodCall(m) = expr else { return };
        if !matches!(strip_parens(&m.receiver), Expr::Path(p) if p.path.is_ident("self")) {
            return;
        }
        if let Some(site) = cx.open_site(expr) {
            if site.factory.is_some()
                && site.kind.holds_connection()
                && !escapes_call(cx, expr, escaping)
            {
                sites.push(site);
            }
        }
    });
    if sites.is_empty() {
        return;
    }
    let siblings = cx
        .index
        .functions()
        .filter(|f| f.self_type.as_ref() == Some(self_type) && f.self_param.is_some())
        .filter(|f| cx.index.summary(&f.key).is_some_and(|s| s.opens.is_some()))
        .count();
    if siblings < 2 {
        return;
    }
    let type_name = self_type.last().map(String::as_str).unwrap_or("");
    for site in sites {
        let factory = site
            .factory
            .as_ref()
            .and_then(|f| f.last())
            .map(String::as_str)
            .unwrap_or("");
        out.push(cx.finding(
            &CONNECTION_PER_CALL,
            site.expr.span(),
            format!("every call opens a new connection through `self.{factory}()`; {siblings} methods of `{type_name}` do the same"),
            "open once: keep a pool or shared handle in the struct and use it from every method",
        ));
    }
}

fn escapes_call(cx: &FnContext<'_>, expr: &Expr, escaping: &HashSet<usize>) -> bool {
    escaping.contains(&addr(expr))
        || cx
            .holder(expr)
            .is_some_and(|h| holder_escapes(cx, h, escaping))
}

/// Walks the body keeping track of loops and iterator closures.
struct Walker<'c, 'a> {
    cx: &'c FnContext<'a>,
    stack: Vec<Repeat>,
    sites: Vec<(&'a Expr, Option<Repeat>)>,
    /// Inside a closure given to `get_or_init` and friends: runs once.
    initializer_depth: usize,
}

impl<'a> Walker<'_, 'a> {
    fn note(&mut self, expr: &'a Expr) {
        if self.initializer_depth > 0 {
            return;
        }
        // Macro calls too: with deep-tier facts `open_db!(path)` is known to
        // open; without them an unknown macro is no open site.
        if matches!(expr, Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)) {
            self.sites.push((expr, self.stack.last().copied()));
        }
    }

    fn iteration(&mut self, body: &'a syn::Block, tick: bool) {
        let start = body.brace_token.span.open().start();
        let end = body.brace_token.span.close().end();
        self.stack.push(Repeat::Iteration {
            tick: tick || has_tick(body),
            start,
            end,
        });
        syn::visit::Visit::visit_block(self, body);
        self.stack.pop();
    }
}

impl<'a> syn::visit::Visit<'a> for Walker<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.note(expr);
        match expr {
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                let start = f.pat.span().start();
                let end = f.body.brace_token.span.close().end();
                self.stack.push(Repeat::Iteration {
                    tick: has_tick(&f.body),
                    start,
                    end,
                });
                syn::visit::Visit::visit_block(self, &f.body);
                self.stack.pop();
            }
            Expr::While(w) => {
                let start = w.cond.span().start();
                let end = w.body.brace_token.span.close().end();
                self.stack.push(Repeat::Iteration {
                    tick: has_tick(&w.body),
                    start,
                    end,
                });
                self.visit_expr(&w.cond);
                syn::visit::Visit::visit_block(self, &w.body);
                self.stack.pop();
            }
            Expr::Loop(l) => self.iteration(&l.body, false),
            Expr::MethodCall(m) => {
                self.visit_expr(&m.receiver);
                let method = m.method.to_string();
                let initializer = crate::function::opens::is_initializer_method(&method);
                let per_element = is_per_element(&method);
                let warp =
                    crate::function::handlers::is_warp_closure(self.cx, &m.receiver, &method);
                for arg in &m.args {
                    match strip_parens(arg) {
                        Expr::Closure(c) if initializer => {
                            self.initializer_depth += 1;
                            self.visit_expr_closure(c);
                            self.initializer_depth -= 1;
                        }
                        Expr::Closure(c) if warp => {
                            self.stack.push(Repeat::Request);
                            self.visit_expr_closure(c);
                            self.stack.pop();
                        }
                        Expr::Closure(c) if per_element => {
                            let start = crate::syntax::spans::of(strip_parens(arg)).start();
                            let end = crate::syntax::spans::of(&c.body).end();
                            self.stack.push(Repeat::Element { start, end });
                            self.visit_expr_closure(c);
                            self.stack.pop();
                        }
                        other => self.visit_expr(other),
                    }
                }
            }
            Expr::Call(c) if crate::function::opens::is_initializer_call(&c.func) => {
                self.initializer_depth += 1;
                syn::visit::visit_expr(self, expr);
                self.initializer_depth -= 1;
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        if let Some(args) = self.cx.macro_args(mac) {
            for arg in args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

struct ExitFinder(bool);

impl<'a> syn::visit::Visit<'a> for ExitFinder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Return(_) => self.0 = true,
            Expr::Break(b) if b.expr.is_some() => self.0 = true,
            Expr::Closure(_) => return,
            _ => {}
        }
        syn::visit::visit_expr(self, expr);
    }
}
