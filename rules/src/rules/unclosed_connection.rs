use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::Finding;
use crate::function::context::{BindingId, FnContext};
use crate::function::flow::{self, Analysis, Exit};
use crate::function::moves::moved_paths;
use crate::function::opens::used_only_for_checks;
use crate::names::model::{DropBehavior, Effect, Kind};
use crate::rules::toolkit::tracked::{self, Lifecycle, MayBe, Tracked};
use crate::rules::{Level, Pattern};
use crate::syntax::expr::addr;

crate::declare_rule! {
    /// ## What it does
    /// Flags a pool or connection of a driver whose drop is not a graceful
    /// close (sqlx pools and connections, mysql_async pools and connections)
    /// that is created in a function, neither returned nor stored, and
    /// dropped without `close().await` / `disconnect().await` on a normal
    /// path. For example a reachability check that builds a pool to run
    /// `SELECT 1` and returns. `main` is exempt: the process ends with it.
    ///
    /// ## Why is this bad?
    /// Dropping an sqlx pool does not wait for its connections: they are torn
    /// down from a background task, or leak until the runtime shuts down,
    /// and the server sees aborted connections instead of a clean
    /// termination. mysql_async warns that a dropped pool leaks connections
    /// unless `disconnect` is awaited. In a short-lived helper called often,
    /// this adds up to exhausted server connection slots.
    ///
    /// ## Example
    /// ```rust,ignore
    /// async fn database_is_up(url: &str) -> bool {
    ///     let Ok(pool) = sqlx::PgPool::connect(url).await else { return false };
    ///     sqlx::query("SELECT 1").execute(&pool).await.is_ok()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// async fn database_is_up(url: &str) -> bool {
    ///     let Ok(pool) = sqlx::PgPool::connect(url).await else { return false };
    ///     let up = sqlx::query("SELECT 1").execute(&pool).await.is_ok();
    ///     pool.close().await;
    ///     up
    /// }
    /// ```
    ///
    /// ## Fix
    /// Await `close()` (sqlx) or `disconnect()` (mysql_async) before the value
    /// goes out of scope, or keep one pool for the program and pass it in.
    ///
    /// A pool built for a check (every use is a check query, `SELECT 1`,
    /// `PRAGMA user_version`, a count) that the function closes on its
    /// normal path but drops open on an early error return (`?`, `return
    /// Err(..)`) after it exists is flagged too (pattern `error-path`).
    /// Other error paths are not: leaving through an error ends the
    /// function's duty to clean up.
    ///
    /// Also flags such a pool or connection kept in a field or an enum
    /// variant and dropped by clearing it: `*pool = None`, `self.pool =
    /// None`, a discarded `self.pool.take()`. Disconnecting a stored pool
    /// means taking it out and awaiting its close (`if let Some(pool) =
    /// self.pool.take() { pool.disconnect().await? }`).
    ///
    /// ## Known limits
    /// Values bound to a local and values cleared out of a field are
    /// tracked; a pool created through a helper function of the crate is
    /// not. A pool behind an `Arc` may have other owners: clearing the
    /// field that holds it is taken as the end of its life.
    pub static UNCLOSED_CONNECTION = {
        name: "unclosed-connection",
        summary: "an sqlx or mysql_async pool or connection is dropped without close().await",
        check: check,
        patterns: [CREATED_HERE, CLEARED, ERROR_PATH, RUNTIME_DROPPED],
    }
}

/// A pool or connection made in the function and dropped there.
const CREATED_HERE: Pattern = Pattern {
    name: "created-here",
    level: Level::Default,
    summary: "a pool or connection created in the function is dropped without being closed",
};

/// Closed on the normal path, dropped open by an early error return.
const ERROR_PATH: Pattern = Pattern {
    name: "error-path",
    level: Level::Default,
    summary:
        "a pool or connection closed on the normal path is dropped open by an early error return",
};

/// Made on a runtime the function drops, and handed out.
const RUNTIME_DROPPED: Pattern = Pattern {
    name: "runtime-dropped",
    level: Level::Default,
    summary: "a pool or connection is made on an async runtime the function drops, and handed out",
};

/// A stored pool or connection dropped by clearing its field.
const CLEARED: Pattern = Pattern {
    name: "cleared",
    level: Level::Default,
    summary: "a stored pool or connection is dropped by clearing its field (`= None`, `.take()`) without being closed",
};

/// Where a pool or connection made in the function is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Life {
    /// Made and not yet closed, moved or kept elsewhere.
    Open,
    /// Closed, or handed to someone who answers for it.
    Done,
}

impl Lifecycle for Life {
    const ALL: &'static [Life] = &[Life::Open, Life::Done];
}

struct Made<'a> {
    open: &'a Expr,
    binding: BindingId,
    close: &'a str,
    /// The function closes it on some path.
    closed_somewhere: bool,
    /// A pool whose every use is a check (`SELECT 1`, `PRAGMA
    /// user_version`, a count) or its close: built for a check.
    check_only: bool,
}

struct UnclosedAnalysis<'a> {
    objects: Vec<Made<'a>>,
    by_open: HashMap<usize, usize>,
    by_binding: HashMap<BindingId, usize>,
    moved: HashSet<usize>,
    reported: HashSet<usize>,
    /// The object whose own open a `?` being evaluated unwraps: its error
    /// exit means the open failed.
    trying: Option<usize>,
    findings: Vec<Finding>,
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    if cx.sig.ident == "main" {
        return;
    }
    cleared_fields(cx, out);
    made_on_dropped_runtime(cx, out);
    let mut analysis = UnclosedAnalysis {
        objects: Vec::new(),
        by_open: HashMap::new(),
        by_binding: HashMap::new(),
        moved: HashSet::new(),
        reported: HashSet::new(),
        trying: None,
        findings: Vec::new(),
    };
    cx.for_each_expr(&mut |expr| {
        let Some(site) = cx.open_site(expr) else {
            return;
        };
        if site.checkout || site.factory.is_some() || site.drop != DropBehavior::Abrupt {
            return;
        }
        let Some(binding) = cx.holder(expr) else {
            return;
        };
        let model = cx
            .ty_of(expr)
            .model()
            .map(|id| cx.models.ty(id).model)
            .unwrap_or("");
        let close = cx.models.driver(model).close.as_str();
        analysis.by_open.insert(addr(expr), analysis.objects.len());
        analysis.by_binding.insert(binding, analysis.objects.len());
        analysis.objects.push(Made {
            open: expr,
            binding,
            close,
            closed_somewhere: false,
            check_only: cx.kind_of(expr) == Some(Kind::Pool)
                && used_only_for_checks(cx, Some(binding)),
        });
    });
    if analysis.objects.is_empty() {
        return;
    }
    cx.for_each_expr(&mut |expr| {
        let Expr::MethodCall(m) = expr else { return };
        let Some(object) = cx
            .root_binding(&m.receiver)
            .and_then(|b| analysis.by_binding.get(&b).copied())
        else {
            return;
        };
        if cx.call(expr).is_some_and(|c| c.effect() == Effect::Close) {
            analysis.objects[object].closed_somewhere = true;
        }
    });
    analysis.moved = moved_paths(cx);
    flow::run(cx, &mut analysis, Tracked::new());
    out.append(&mut analysis.findings);
}

impl<'a> UnclosedAnalysis<'a> {
    /// A crate function that keeps a clone of the pool it is given
    /// (`Self { pool: pool.clone() }`) keeps the pool alive.
    fn retained_by_callee(
        &self,
        cx: &FnContext<'a>,
        expr: &'a Expr,
        state: &mut Tracked<Life>,
    ) -> bool {
        let Some(call) = cx.call(expr) else {
            return false;
        };
        let Some(summary) = call.callee.as_ref().and_then(|c| cx.index.summary(c)) else {
            return false;
        };
        let mut retained = false;
        let slots = call
            .receiver
            .map(|r| (crate::index::effects::ParamSlot::SelfParam, r))
            .into_iter()
            .chain(
                call.args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (crate::index::effects::ParamSlot::Arg(i), *a)),
            );
        for (slot, arg) in slots {
            let object = cx
                .root_binding(arg)
                .and_then(|b| self.by_binding.get(&b).copied());
            if let Some(object) = object {
                if summary.param(slot).retains {
                    state.insert(object, MayBe::only(Life::Done));
                    retained = true;
                }
            }
        }
        retained
    }

    /// Reports `object` once, in the words of the pattern it breaks.
    fn report(&mut self, cx: &FnContext<'a>, object: usize, at: Span) {
        self.report_as(cx, object, at, &CREATED_HERE);
    }

    fn report_error_path(&mut self, cx: &FnContext<'a>, object: usize, at: Span) {
        self.report_as(cx, object, at, &ERROR_PATH);
    }

    fn report_as(&mut self, cx: &FnContext<'a>, object: usize, at: Span, pattern: &Pattern) {
        if !self.reported.insert(object) {
            return;
        }
        let tracked = &self.objects[object];
        let name = &cx.binding(tracked.binding).name;
        let close = tracked.close;
        let (message, help, label) = if pattern.name == ERROR_PATH.name {
            (
                format!("`{name}` is closed on the way out, but an error return drops it without `{close}().await`"),
                format!("close `{name}` before returning the error too (match the result, close, then return it), or keep one pool for the program"),
                "the error leaves here, the pool still open",
            )
        } else {
            (
                format!("`{name}` is dropped without `{close}().await`, so its connections are torn down without a clean close"),
                format!("await `{name}.{close}()` before it goes out of scope, or keep one pool for the program and pass it in"),
                "dropped here",
            )
        };
        self.findings.push(
            cx.finding(&UNCLOSED_CONNECTION, tracked.open.span(), message, help)
                .with_label(cx.label(at, label))
                .with_pattern(pattern.name),
        );
    }
}

impl<'a> Analysis<'a> for UnclosedAnalysis<'a> {
    type State = Tracked<Life>;

    fn join(&self, into: &mut Self::State, other: &Self::State) {
        tracked::join(into, other);
    }

    fn expr(&mut self, cx: &FnContext<'a>, expr: &'a Expr, state: &mut Self::State) {
        if let Expr::Try(t) = expr {
            self.trying = self
                .by_open
                .get(&addr(crate::syntax::expr::unwrap_value(&t.expr)))
                .copied();
        }
        if let Some(&object) = self.by_open.get(&addr(expr)) {
            state.insert(object, MayBe::only(Life::Open));
            return;
        }
        let object_of = |e: &Expr| {
            cx.root_binding(e)
                .and_then(|b| self.by_binding.get(&b).copied())
        };
        match expr {
            Expr::Path(p) if self.moved.contains(&addr(p)) => {
                if let Some(object) = object_of(expr) {
                    state.insert(object, MayBe::only(Life::Done));
                }
            }
            Expr::Closure(c) => {
                // Capturing by move (or moving inside the body) hands the
                // value to the closure when it is created.
                let span = crate::syntax::spans::of(expr);
                let (start, end) = (span.start(), span.end());
                for (object, tracked) in self.objects.iter().enumerate() {
                    let captured = cx.binding(tracked.binding).uses.iter().any(|u| {
                        let at = u.span().start();
                        at >= start
                            && at <= end
                            && (c.capture.is_some()
                                || matches!(u, Expr::Path(p) if self.moved.contains(&addr(p))))
                    });
                    if captured && state.contains_key(&object) {
                        state.insert(object, MayBe::only(Life::Done));
                    }
                }
            }
            Expr::Call(_) | Expr::MethodCall(_) if self.retained_by_callee(cx, expr, state) => {}
            Expr::MethodCall(m) => {
                let Some(object) = object_of(&m.receiver) else {
                    return;
                };
                let closes = cx.call(expr).is_some_and(|c| c.effect() == Effect::Close);
                // A clone that is kept elsewhere keeps the pool alive.
                if closes || m.method == "clone" {
                    state.insert(object, MayBe::only(Life::Done));
                }
            }
            _ => {}
        }
    }

    fn inner_exit(
        &mut self,
        cx: &FnContext<'a>,
        exit: Exit,
        at: Span,
        region: flow::Region,
        state: &mut Self::State,
    ) {
        let ended = flow::take_created_in(state, region, |o| self.objects[o].open.span().start());
        for (object, bits) in ended {
            if exit == Exit::Normal && bits.may_be(Life::Open) {
                self.report(cx, object, at);
            }
        }
    }

    fn arm(
        &mut self,
        _cx: &FnContext<'a>,
        scrutinee: &'a Expr,
        pattern: &'a syn::Pat,
        state: &mut Self::State,
    ) {
        let failed = match pattern {
            syn::Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Err"),
            syn::Pat::Ident(i) => i.ident == "None",
            syn::Pat::Path(p) => p.path.is_ident("None"),
            _ => false,
        };
        if failed {
            if let Some(object) = self
                .by_open
                .get(&addr(crate::syntax::expr::unwrap_value(scrutinee)))
            {
                state.remove(object);
            }
        }
    }

    fn unmatched(&mut self, _cx: &FnContext<'a>, value: &'a Expr, state: &mut Self::State) {
        if let Some(object) = self
            .by_open
            .get(&addr(crate::syntax::expr::unwrap_value(value)))
        {
            state.remove(object);
        }
    }

    fn scope_end(
        &mut self,
        cx: &FnContext<'a>,
        scope: usize,
        at: Span,
        erroring: bool,
        state: &mut Self::State,
    ) {
        let ending: Vec<usize> = state
            .keys()
            .copied()
            .filter(|o| cx.binding(self.objects[*o].binding).scope == scope)
            .collect();
        for object in ending {
            let bits = state.remove(&object).unwrap_or_default();
            if bits.may_be(Life::Open) && !erroring {
                self.report(cx, object, at);
            }
        }
    }

    fn exit(&mut self, cx: &FnContext<'a>, exit: Exit, at: Span, state: &Self::State) {
        if exit == Exit::Error {
            // The function closes the value on its way out, but an early
            // error return drops it open.
            let trying = self.trying.take();
            for (&object, &bits) in state {
                let tracked = &self.objects[object];
                if bits.may_be(Life::Open)
                    && tracked.closed_somewhere
                    && tracked.check_only
                    && trying != Some(object)
                {
                    self.report_error_path(cx, object, at);
                }
            }
            return;
        }
        for (&object, &bits) in state {
            if bits.may_be(Life::Open) {
                self.report(cx, object, at);
            }
        }
    }
}

/// Stored pools and connections dropped by clearing the place that holds
/// them: `*pool = None`, `self.pool = None`, `self.pool.take();`. A place
/// whose value the function also takes out and uses, or closes, is being
/// closed properly.
fn cleared_fields<'a>(cx: &FnContext<'a>, out: &mut Vec<Finding>) {
    let abrupt = |place: &'a Expr| -> Option<&'static str> {
        let id = cx.ty_of(place).model()?;
        let ty = cx.models.ty(id);
        let holds = matches!(ty.kind, Kind::Pool | Kind::Connection);
        (holds && ty.drop == DropBehavior::Abrupt).then_some(ty.model)
    };
    let mut cleared: Vec<(&'a Expr, &'a Expr, &'static str)> = Vec::new();
    let mut handled: Vec<String> = Vec::new();
    let mut closes_elsewhere = false;
    let text = |e: &Expr| crate::finding::normalize_source(cx.text(e.span()));
    cx.for_each_expr(&mut |expr| match expr {
        Expr::Assign(a) if is_none(&a.right) && !is_local(cx, &a.left) => {
            if let Some(model) = abrupt(&a.left) {
                cleared.push((expr, &a.left, model));
            }
        }
        Expr::MethodCall(m) if m.method == "take" && m.args.is_empty() => {
            if let Some(model) = abrupt(&m.receiver) {
                cleared.push((expr, &m.receiver, model));
            }
        }
        Expr::MethodCall(m) if cx.call(expr).is_some_and(|c| c.effect() == Effect::Close) => {
            handled.push(text(crate::syntax::expr::strip_place(&m.receiver)));
            closes_elsewhere = true;
        }
        Expr::Call(_) | Expr::MethodCall(_) if closes_a_pool(cx, expr) => closes_elsewhere = true,
        _ => {}
    });
    // A function that closes a pool of its own accord (a failed connect
    // that spawns the disconnect of the new pool, then resets the field)
    // is cleaning up; clearing the field there is part of it.
    if closes_elsewhere {
        return;
    }
    for (expr, place, model) in cleared {
        let name = text(crate::syntax::expr::strip_place(place));
        // A `take()` whose value is used (`if let Some(p) = x.take()`,
        // `let p = x.take()`) hands the pool on, to be closed there.
        let discarded_take = match expr {
            Expr::MethodCall(_) => is_discarded(cx, expr),
            _ => true,
        };
        if !discarded_take || handled.contains(&name) || taken_elsewhere(cx, &name, expr) {
            continue;
        }
        let close = cx.models.driver(model).close.as_str();
        out.push(
            cx.finding(
                &UNCLOSED_CONNECTION,
                expr.span(),
                format!("clearing `{name}` drops its pool or connection without `{close}().await`, so its connections are torn down without a clean close"),
                format!("take the value out and close it: `if let Some(pool) = {name}.take() {{ pool.{close}().await }}` (or spawn that close)"),
            )
            .with_pattern(CLEARED.name),
        );
    }
}

/// A call that closes a pool or connection it is handed: the driver's
/// close on a value, a workspace function whose summary closes its
/// argument, or a helper named for the close (`spawn_pool_disconnect(p)`).
fn closes_a_pool<'a>(cx: &FnContext<'a>, expr: &'a Expr) -> bool {
    let Some(call) = cx.call(expr) else {
        return false;
    };
    if call.effect() == Effect::Close {
        return true;
    }
    let by_summary = call
        .callee
        .as_ref()
        .and_then(|c| cx.index.summary(c))
        .is_some_and(|s| s.params.values().any(|effects| effects.closes));
    let name = call
        .method
        .clone()
        .or_else(|| call.path.as_ref().and_then(|p| p.last().cloned()))
        .unwrap_or_default();
    let named = call.args.iter().any(|arg| {
        cx.ty_of(arg).model().is_some_and(|id| {
            let ty = cx.models.ty(id);
            ty.drop == DropBehavior::Abrupt
                && name.contains(cx.models.driver(ty.model).close.as_str())
        })
    });
    by_summary || named
}

fn is_none(expr: &Expr) -> bool {
    matches!(crate::syntax::expr::strip_parens(expr), Expr::Path(p) if p.path.is_ident("None"))
}

/// A local binding assigned as a whole (`pool = None;`): the local-value
/// analysis above follows those.
fn is_local(cx: &FnContext<'_>, place: &Expr) -> bool {
    matches!(place, Expr::Path(_)) && cx.binding_of(place).is_some()
}

/// Whether a call's value is thrown away: a statement of its own, or
/// `let _ =`.
fn is_discarded(cx: &FnContext<'_>, call: &Expr) -> bool {
    crate::rules::toolkit::discard::statements(cx.body)
        .into_iter()
        .any(|stmt| {
            let value = match stmt {
                syn::Stmt::Expr(e, Some(_)) => Some(e),
                syn::Stmt::Local(l) if matches!(l.pat, syn::Pat::Wild(_)) => {
                    l.init.as_ref().map(|i| &*i.expr)
                }
                _ => None,
            };
            value.is_some_and(|v| std::ptr::eq(v, call))
        })
}

/// Whether the function takes the value out of the same place elsewhere
/// and keeps it (`let old = self.pool.take();`): the clearing is then a
/// reset after a hand-off.
fn taken_elsewhere(cx: &FnContext<'_>, name: &str, clearing: &Expr) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |e| {
        if let Expr::MethodCall(m) = e {
            if (m.method == "take" || m.method == "replace")
                && !std::ptr::eq(e, clearing)
                && crate::finding::normalize_source(
                    cx.text(crate::syntax::expr::strip_place(&m.receiver).span()),
                ) == name
                && !is_discarded(cx, e)
            {
                found = true;
            }
        }
    });
    found
}

/// Pools and connections made in `rt.block_on(..)` on a runtime `rt` the
/// function builds and drops, when the value `block_on` returns leaves the
/// function (returned or stored) and the runtime does not.
fn made_on_dropped_runtime<'a>(cx: &FnContext<'a>, out: &mut Vec<Finding>) {
    let mut block_ons: Vec<(&'a Expr, BindingId)> = Vec::new();
    cx.for_each_expr(&mut |expr| {
        let Expr::MethodCall(m) = expr else { return };
        if m.method != "block_on" {
            return;
        }
        let Some(rt) = cx.root_binding(&m.receiver) else {
            return;
        };
        if cx.binding(rt).init.is_some_and(is_runtime_constructor) {
            block_ons.push((expr, rt));
        }
    });
    if block_ons.is_empty() {
        return;
    }
    let moved = moved_paths(cx);
    let escapes = |value: &'a Expr| {
        let returned = crate::function::opens::returned_values(cx)
            .iter()
            .any(|r| std::ptr::eq(*r, value));
        returned
            || cx.holder(value).is_some_and(|h| {
                cx.binding(h)
                    .uses
                    .iter()
                    .any(|u| matches!(u, Expr::Path(p) if moved.contains(&addr(p))))
            })
    };
    for (block_on, rt) in block_ons {
        let runtime_kept = cx
            .binding(rt)
            .uses
            .iter()
            .any(|u| matches!(u, Expr::Path(p) if moved.contains(&addr(p))));
        if runtime_kept || !escapes(block_on) {
            continue;
        }
        let span = crate::syntax::spans::of(block_on);
        let (start, end) = (span.start(), span.end());
        let mut opened = None;
        cx.for_each_expr(&mut |expr| {
            if opened.is_some() || !matches!(expr, Expr::Call(_) | Expr::MethodCall(_)) {
                return;
            }
            let at = expr.span().start();
            if at < start || at > end {
                return;
            }
            let Some(site) = cx.open_site(expr) else {
                return;
            };
            let bound = cx
                .ty_of(expr)
                .model()
                .is_some_and(|id| cx.models.driver(cx.models.ty(id).model).runtime_bound);
            if bound && !site.checkout && site.kind.holds_connection() {
                opened = Some(expr);
            }
        });
        let Some(open) = opened else { continue };
        if !yields(cx, block_on, open) {
            continue;
        }
        let name = &cx.binding(rt).name;
        out.push(
            cx.finding(
                &UNCLOSED_CONNECTION,
                open.span(),
                format!("this is made on the runtime `{name}`, which is dropped when the function returns: its connection tasks stop with it, so later queries fail or hang"),
                "make the pool on the runtime that will use it (an `async fn` called from that runtime), or keep the runtime alive as long as the pool",
            )
            .with_label(cx.label(block_on.span(), "made here, on a runtime dropped at the end of the function"))
            .with_pattern(RUNTIME_DROPPED.name),
        );
    }
}

/// Whether `rt.block_on(arg)` hands out the value `open` makes: `arg` is
/// the open's future, or an async block whose value is it (directly or
/// through the local holding it).
fn yields<'a>(cx: &FnContext<'a>, block_on: &'a Expr, open: &'a Expr) -> bool {
    let Expr::MethodCall(m) = block_on else {
        return false;
    };
    let Some(arg) = m.args.first() else {
        return false;
    };
    let is_open = |e: &'a Expr| {
        let e = crate::syntax::expr::unwrap_value(e);
        std::ptr::eq(e, open) || (cx.holder(open).is_some() && cx.binding_of(e) == cx.holder(open))
    };
    match crate::syntax::expr::strip_parens(arg) {
        Expr::Async(a) => match a.block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => is_open(tail),
            _ => false,
        },
        other => is_open(other),
    }
}

/// `Runtime::new()`, `Builder::new_current_thread()...build()` and the
/// like, seen through `?`, `.unwrap()` and `.expect(..)`.
fn is_runtime_constructor(init: &Expr) -> bool {
    let mut current = crate::syntax::expr::unwrap_value(init);
    loop {
        match current {
            Expr::MethodCall(m)
                if m.method == "build"
                    || m.method.to_string().starts_with("enable_")
                    || m.method == "worker_threads"
                    || m.method == "thread_name" =>
            {
                current = crate::syntax::expr::unwrap_value(&m.receiver);
            }
            Expr::Call(c) => {
                let Expr::Path(p) = crate::syntax::expr::strip_parens(&c.func) else {
                    return false;
                };
                let names: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let tail: Vec<&str> = names.iter().rev().take(2).map(String::as_str).collect();
                return matches!(
                    tail.as_slice(),
                    ["new", "Runtime"]
                        | ["new_current_thread", "Builder"]
                        | ["new_multi_thread", "Builder"]
                );
            }
            _ => return false,
        }
    }
}
