use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::Finding;
use crate::function::context::{BindingId, FnContext};
use crate::function::flow::{self, Analysis, Exit};
use crate::function::moves::moved_paths;
use crate::index::effects::ParamSlot;
use crate::names::model::{Effect, Kind};
use crate::rules::toolkit::discard::{dropped_value, is_async_driver_call, statements};
use crate::rules::toolkit::tracked::{self, Lifecycle, MayBe, Tracked};
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::strip_place;
use crate::syntax::walker::{Node, Walk};

crate::declare_rule! {
    /// ## What it does
    /// Flags a transaction or savepoint that has executed a write and can
    /// reach the end of its scope on a normal (non-error) path without
    /// `commit()`, `rollback()`, `set_drop_behavior(DropBehavior::Commit)` or
    /// being moved away (returned, passed by value, stored). `?`,
    /// `return Err(..)` and panics are error paths; only paths on which a
    /// write ran count. A savepoint that is never committed is flagged even
    /// when the outer transaction commits.
    ///
    /// Also flags a `rollback()` of an async driver (sqlx, tokio-postgres,
    /// mysql_async: the model's `[driver] asynchronous`) whose future is
    /// dropped unpolled (`tx.rollback();`, `let _ = tx.rollback();`,
    /// `drop(tx.rollback())`): the future owns the transaction, so the
    /// rollback never runs and the transaction ends only by its drop,
    /// neither committed nor explicitly rolled back. A synchronous
    /// `rollback()` (rusqlite, postgres) runs when called and is not
    /// flagged; an unawaited `commit()` is discarded-commit-error's.
    ///
    /// Also flags the inverted bug: a commit that runs unconditionally after a
    /// fallible step whose error is only returned afterwards
    /// (`let r = apply(&tx); tx.commit()?; r`), which keeps the partial writes
    /// of the failed step.
    ///
    /// Understands rusqlite (`transaction`, `transaction_with_behavior`,
    /// `unchecked_transaction`, `savepoint`), sqlx (`begin` on pools and
    /// connections, `commit().await`), postgres and tokio-postgres
    /// (`transaction`, `build_transaction().start()`). Closure-style
    /// transactions (diesel's `conn.transaction(|conn| ..)`) commit by
    /// construction and are never flagged.
    ///
    /// ## Why is this bad?
    /// Dropping a transaction rolls it back (rusqlite, sqlx, postgres all
    /// default to rollback on drop), so the writes silently disappear while
    /// the function reports success. The bug hides easily: the early
    /// `return Ok(())` added for a corner case, the branch that forgot the
    /// commit, the helper that took the connection out of autocommit.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn reset_sync(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    ///     let tx = conn.unchecked_transaction()?;
    ///     tx.execute("DELETE FROM sync_state", [])?;
    ///     tx.execute("UPDATE meta SET synced_at = NULL", [])?;
    ///     Ok(()) // tx dropped here: both writes are rolled back
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// fn reset_sync(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    ///     let tx = conn.unchecked_transaction()?;
    ///     tx.execute("DELETE FROM sync_state", [])?;
    ///     tx.execute("UPDATE meta SET synced_at = NULL", [])?;
    ///     tx.commit()
    /// }
    /// ```
    ///
    /// ## Fix
    /// Call `commit()` on every path that should keep the writes and
    /// `rollback()` where discarding them is intended, so the intent is
    /// visible. For the inverted bug, check the step's result before
    /// committing: `let r = apply(&tx)?; tx.commit()?; Ok(r)`.
    ///
    /// ## Known limits
    /// Paths are followed within one function; a transaction passed by
    /// reference to a function outside the linted crate is assumed not to
    /// write. Conditions are not evaluated, so two `if`s on the same flag
    /// count as independent.
    pub static UNCOMMITTED_TRANSACTION = {
        name: "uncommitted-transaction",
        summary: "a transaction with writes can be dropped without commit or rollback",
        check: check,
    }
}

/// Where a transaction the function created stands on one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TxState {
    /// Begun, nothing written yet: dropping it loses nothing.
    Clean,
    /// A write ran in it and it is not committed or rolled back yet.
    Written,
    /// Committed, rolled back, or handed on (moved, given by value).
    Ended,
}

impl Lifecycle for TxState {
    const ALL: &'static [TxState] = &[TxState::Clean, TxState::Written, TxState::Ended];
}

/// A transaction created in the function.
struct TxObject<'a> {
    creation: &'a Expr,
    binding: BindingId,
    kind: Kind,
}

type State = Tracked<TxState>;

struct TxAnalysis<'a> {
    objects: Vec<TxObject<'a>>,
    /// Write calls and the state of their transaction before them, so that
    /// `if tx.execute(..).is_err()` can take the write back on the failing
    /// branch.
    prior: HashMap<usize, (usize, MayBe<TxState>)>,
    by_creation: HashMap<usize, usize>,
    by_binding: HashMap<BindingId, usize>,
    moved: HashSet<usize>,
    reported: HashSet<usize>,
    findings: Vec<Finding>,
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let mut analysis = TxAnalysis {
        objects: Vec::new(),
        prior: HashMap::new(),
        by_creation: HashMap::new(),
        by_binding: HashMap::new(),
        moved: HashSet::new(),
        reported: HashSet::new(),
        findings: Vec::new(),
    };
    unawaited_rollbacks(cx, out);
    for (id, binding) in cx.bindings.iter().enumerate() {
        let Some(init) = binding.init else { continue };
        let Some(kind) = binding.ty.kind(cx.models).filter(|k| k.is_transaction()) else {
            continue;
        };
        let creation = creating_call(init);
        let Some(call) = cx.call(creation) else {
            continue;
        };
        // A transaction begun here, or handed out fresh by a helper.
        if call.effect() == Effect::Begin || call.callee.is_some() {
            analysis
                .by_creation
                .insert(addr(creation), analysis.objects.len());
            analysis.by_binding.insert(id, analysis.objects.len());
            analysis.objects.push(TxObject {
                creation,
                binding: id,
                kind,
            });
        }
    }
    if analysis.objects.is_empty() {
        return;
    }
    analysis.moved = moved_paths(cx);
    flow::run(cx, &mut analysis, State::new());
    inverted_commits(cx, &analysis, out);
    out.append(&mut analysis.findings);
}

/// A `rollback()` of an asynchronous driver whose future is dropped
/// unpolled (`tx.rollback();`, `let _ = tx.rollback();`,
/// `drop(tx.rollback())`): the future owns the transaction, so the
/// transaction is dropped neither committed nor explicitly rolled back.
/// (An unawaited `commit()` is discarded-commit-error's.)
fn unawaited_rollbacks(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    for stmt in statements(cx.body) {
        let Some(value) = dropped_value(stmt) else {
            continue;
        };
        let Some(call) = cx.call(value) else { continue };
        if call.effect() != Effect::Rollback || !is_async_driver_call(cx, value) {
            continue;
        }
        out.push(cx.finding(
            &UNCOMMITTED_TRANSACTION,
            call.span,
            "the future of `rollback()` is dropped unpolled: the rollback never runs, and the transaction is neither committed nor explicitly rolled back".to_string(),
            "await it: `.rollback().await?`",
        ));
    }
}

/// The call that produces a binding's value, under `?`, `.await` and
/// `.unwrap()`-like adapters.
fn creating_call(mut expr: &Expr) -> &Expr {
    loop {
        expr = match strip_parens(expr) {
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "unwrap" | "expect" | "context" | "with_context" | "map_err" | "wrap_err"
                ) =>
            {
                &m.receiver
            }
            other => return other,
        };
    }
}

impl<'a> TxAnalysis<'a> {
    fn object_of(&self, cx: &FnContext<'a>, expr: &'a Expr) -> Option<usize> {
        cx.root_binding(expr)
            .and_then(|b| self.by_binding.get(&b).copied())
    }

    fn set(state: &mut State, object: usize, to: TxState) {
        if let Some(current) = state.get_mut(&object) {
            *current = MayBe::only(to);
        }
    }

    fn write(state: &mut State, object: usize) {
        if let Some(current) = state.get_mut(&object) {
            if current.may_be(TxState::Clean) || current.may_be(TxState::Written) {
                *current = MayBe::only(TxState::Written);
            }
        }
    }

    fn report(&mut self, cx: &FnContext<'a>, object: usize, at: Span, label: &str) {
        if !self.reported.insert(object) {
            return;
        }
        let tx = &self.objects[object];
        let name = &cx.binding(tx.binding).name;
        let what = if tx.kind == Kind::Savepoint {
            "savepoint"
        } else {
            "transaction"
        };
        let finding = cx
            .finding(
                &UNCOMMITTED_TRANSACTION,
                tx.creation.span(),
                format!("{what} `{name}` can be dropped without commit after a write, rolling the write back"),
                format!(
                    "call `{name}.commit()` on every path that should keep the writes, or `{name}.rollback()` where discarding them is intended"
                ),
            )
            .with_label(cx.label(at, label.to_string()));
        self.findings.push(finding);
    }
}

impl<'a> Analysis<'a> for TxAnalysis<'a> {
    type State = State;

    fn join(&self, into: &mut State, other: &State) {
        tracked::join(into, other);
    }

    fn expr(&mut self, cx: &FnContext<'a>, expr: &'a Expr, state: &mut State) {
        if let Some(&object) = self.by_creation.get(&addr(expr)) {
            state.insert(object, MayBe::only(TxState::Clean));
            return;
        }
        if let Expr::Path(p) = expr {
            if self.moved.contains(&addr(p)) {
                if let Some(object) = self.object_of(cx, expr) {
                    Self::set(state, object, TxState::Ended);
                }
            }
            return;
        }
        let Some(call) = cx.call(expr) else { return };
        if let (Some(api), Some(receiver)) = (&call.api, call.receiver) {
            if let Some(object) = self.object_of(cx, receiver) {
                match api.effect {
                    Effect::Commit | Effect::Rollback | Effect::Finish => {
                        Self::set(state, object, TxState::Ended)
                    }
                    Effect::DropBehavior => {
                        let commits = call
                            .args
                            .first()
                            .is_some_and(|a| cx.text(a.span()).contains("Commit"));
                        if commits {
                            Self::set(state, object, TxState::Ended);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(api) = &call.api {
            if matches!(api.effect, Effect::Execute | Effect::Query) {
                if let Some(object) = cx.call_target(&call).and_then(|t| self.object_of(cx, t)) {
                    let sql = cx.call_sql(&call).unwrap_or_default();
                    let writes = match (api.effect, sql.info()) {
                        (_, Some(info)) => info.is_write(),
                        (Effect::Execute, None) => true,
                        _ => sql.known_write,
                    };
                    if writes {
                        if let Some(states) = state.get(&object) {
                            self.prior.insert(addr(expr), (object, *states));
                        }
                        Self::write(state, object);
                    }
                }
            }
        }
        if let Some(callee) = &call.callee {
            let summary = cx.index.summary(callee);
            let decl = cx.index.function(callee);
            let mut effects = |arg: &'a Expr, slot: ParamSlot| {
                let Some(object) = self.object_of(cx, arg) else {
                    return;
                };
                let by_value = !matches!(strip_parens(arg), Expr::Reference(_))
                    && match slot {
                        ParamSlot::SelfParam => decl.is_some_and(|d| {
                            d.self_param == Some(crate::index::decls::SelfParam::Value)
                        }),
                        ParamSlot::Arg(_) => true,
                    };
                let effects = summary.map(|s| s.param(slot)).unwrap_or_default();
                if by_value || effects.ends {
                    if by_value {
                        Self::set(state, object, TxState::Ended);
                    }
                } else if effects.writes {
                    Self::write(state, object);
                }
            };
            if let Some(receiver) = call.receiver {
                effects(receiver, ParamSlot::SelfParam);
            }
            for (i, arg) in call.args.iter().enumerate() {
                effects(arg, ParamSlot::Arg(i));
            }
        }
    }

    fn scope_end(
        &mut self,
        cx: &FnContext<'a>,
        scope: usize,
        at: Span,
        erroring: bool,
        state: &mut State,
    ) {
        let ending: Vec<usize> = state
            .keys()
            .copied()
            .filter(|o| cx.binding(self.objects[*o].binding).scope == scope)
            .collect();
        for object in ending {
            let states = state.remove(&object).unwrap_or_default();
            if states.may_be(TxState::Written) && !erroring {
                self.report(cx, object, at, "dropped here without commit or rollback");
            }
        }
    }

    fn branch(&mut self, _cx: &FnContext<'a>, cond: &'a Expr, taken: bool, state: &mut State) {
        if let Some((call, fails_when)) = result_test(cond) {
            if fails_when == taken {
                self.undo_write(call, state);
            }
        }
    }

    fn inner_exit(
        &mut self,
        cx: &FnContext<'a>,
        exit: Exit,
        at: Span,
        region: flow::Region,
        state: &mut State,
    ) {
        let ended =
            flow::take_created_in(state, region, |o| self.objects[o].creation.span().start());
        for (object, states) in ended {
            if exit == Exit::Normal && states.may_be(TxState::Written) {
                self.report(
                    cx,
                    object,
                    at,
                    "the closure returns here without commit or rollback",
                );
            }
        }
    }

    fn unmatched(&mut self, _cx: &FnContext<'a>, value: &'a Expr, state: &mut State) {
        if let Some(object) = self.by_creation.get(&addr(creating_call(value))) {
            state.remove(object);
        }
    }

    fn arm(
        &mut self,
        _cx: &FnContext<'a>,
        scrutinee: &'a Expr,
        pattern: &'a syn::Pat,
        state: &mut State,
    ) {
        if let syn::Pat::TupleStruct(t) = pattern {
            if t.path.segments.last().is_some_and(|s| s.ident == "Err") {
                self.undo_write(scrutinee, state);
                // A transaction the scrutinee would have begun does not exist.
                if let Some(object) = self.by_creation.get(&addr(creating_call(scrutinee))) {
                    state.remove(object);
                }
            }
        }
    }

    fn exit(&mut self, cx: &FnContext<'a>, exit: Exit, at: Span, state: &State) {
        if exit == Exit::Error {
            return;
        }
        for (&object, states) in state {
            if states.may_be(TxState::Written) {
                self.report(
                    cx,
                    object,
                    at,
                    "the function returns here without commit or rollback",
                );
            }
        }
    }
}

impl<'a> TxAnalysis<'a> {
    /// On a path where `call` is known to have failed, its write did not
    /// happen.
    fn undo_write(&self, call: &Expr, state: &mut State) {
        let call = match strip_parens(call) {
            Expr::Await(a) => strip_parens(&a.base),
            other => other,
        };
        if let Some((object, before)) = self.prior.get(&addr(call)) {
            if let Some(current) = state.get_mut(object) {
                *current = *before;
            }
        }
    }
}

/// `x.is_err()`, `x.is_ok()`, `!x.is_ok()`, `let Err(_) = x`, `let Ok(_) = x`:
/// the tested call, and the branch (taken or not) on which it failed.
fn result_test(cond: &Expr) -> Option<(&Expr, bool)> {
    match strip_parens(cond) {
        Expr::MethodCall(m) if m.args.is_empty() && m.method == "is_err" => {
            Some((&m.receiver, true))
        }
        Expr::MethodCall(m) if m.args.is_empty() && m.method == "is_ok" => {
            Some((&m.receiver, false))
        }
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            result_test(&u.expr).map(|(c, fails)| (c, !fails))
        }
        Expr::Let(l) => match &*l.pat {
            syn::Pat::TupleStruct(t) => {
                let variant = t.path.segments.last()?.ident.to_string();
                match variant.as_str() {
                    "Err" => Some((&l.expr, true)),
                    "Ok" => Some((&l.expr, false)),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// `let r = step(&tx); tx.commit()?; r`: the commit runs whatever `r`
/// holds, so a failed step's partial writes are committed.
fn inverted_commits<'a>(cx: &FnContext<'a>, analysis: &TxAnalysis<'a>, out: &mut Vec<Finding>) {
    let mut blocks = Vec::new();
    Walk::new().block(cx.body, &mut |node, _| {
        if let Node::Block(block) = node {
            blocks.push(block);
        }
    });
    for block in blocks {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let syn::Stmt::Local(local) = stmt else {
                continue;
            };
            let (syn::Pat::Ident(name), Some(init)) = (&local.pat, &local.init) else {
                continue;
            };
            if matches!(strip_parens(&init.expr), Expr::Try(_)) || init.diverge.is_some() {
                continue;
            }
            // The step must involve a transaction of this function.
            let Some(object) = mentions_object(cx, analysis, &init.expr) else {
                continue;
            };
            if !may_fail_with_writes(cx, analysis, object, &init.expr) {
                continue;
            }
            let result_name = name.ident.to_string();
            let rest = &block.stmts[i + 1..];
            let Some(commit_at) = rest.iter().position(|s| commits(cx, analysis, object, s)) else {
                continue;
            };
            if rest[..commit_at]
                .iter()
                .any(|s| mentions_name(s, &result_name))
            {
                continue;
            }
            let after = &rest[commit_at + 1..];
            let returned = after.iter().any(|s| returns_name(s, &result_name));
            if !returned {
                continue;
            }
            let commit_span = rest[commit_at].span();
            let tx_name = &cx.binding(analysis.objects[object].binding).name;
            out.push(
                cx.finding(
                    &UNCOMMITTED_TRANSACTION,
                    commit_span,
                    format!("`{tx_name}` is committed before `{result_name}` is checked, so a failed step's partial writes are kept"),
                    format!("check `{result_name}` first (`let {result_name} = …?;`) and commit only when it succeeded"),
                )
                .with_label(cx.label(name.ident.span(), "this step can fail")),
            );
        }
    }
}

/// Whether the step can still hold the error of a write on the
/// transaction: not a plain value (`tx.execute(..)? != 0` is a `bool`
/// whose error already left through `?`), and not a step that only read
/// (queries on the transaction). A crate function handed the transaction
/// may write, so it counts.
fn may_fail_with_writes<'a>(
    cx: &FnContext<'a>,
    analysis: &TxAnalysis<'a>,
    object: usize,
    init: &'a Expr,
) -> bool {
    if matches!(
        strip_parens(init),
        Expr::Binary(_) | Expr::Unary(_) | Expr::Lit(_)
    ) {
        return false;
    }
    // A step on the transaction that can fail without `?` (a write, or a
    // call the linter cannot see into) makes the value's outcome matter.
    let mut tried = HashSet::new();
    let mut fallible = false;
    Walk::new().expr(init, &mut |node, _| {
        let Node::Expr(expr) = node else { return };
        if let Expr::Try(t) = expr {
            let mut inner = strip_parens(&t.expr);
            while let Expr::Await(a) = inner {
                inner = strip_parens(&a.base);
            }
            tried.insert(addr(inner));
        }
        let Some(call) = cx.call(expr) else { return };
        let on_tx = call
            .receiver
            .into_iter()
            .chain(call.args.iter().copied())
            .any(|e| analysis.object_of(cx, e) == Some(object));
        if on_tx && !tried.contains(&addr(expr)) {
            let writes = analysis.prior.contains_key(&addr(expr));
            fallible |= writes || call.api.is_none();
        }
    });
    fallible
}

fn mentions_object<'a>(
    cx: &FnContext<'a>,
    analysis: &TxAnalysis<'a>,
    expr: &'a Expr,
) -> Option<usize> {
    let mut found = None;
    for path in Walk::new().exprs_under(expr, |e| matches!(e, Expr::Path(_))) {
        if let Some(object) = analysis.object_of(cx, path) {
            found = Some(object);
        }
    }
    found
}

fn commits<'a>(
    cx: &FnContext<'a>,
    analysis: &TxAnalysis<'a>,
    object: usize,
    stmt: &'a syn::Stmt,
) -> bool {
    let expr = match stmt {
        syn::Stmt::Expr(e, _) => e,
        syn::Stmt::Local(l) => match &l.init {
            Some(init) => &init.expr,
            None => return false,
        },
        _ => return false,
    };
    let calls = Walk::new().exprs_under(expr, |e| matches!(e, Expr::MethodCall(_)));
    calls.into_iter().any(|e| {
        cx.call(e).is_some_and(|c| {
            c.effect() == Effect::Commit
                && c.receiver
                    .is_some_and(|r| analysis.object_of(cx, strip_place(r)) == Some(object))
        })
    }) && !matches!(expr, Expr::If(_) | Expr::Match(_))
}

fn mentions_name(stmt: &syn::Stmt, name: &str) -> bool {
    let mut found = false;
    Walk::new().stmt(stmt, &mut |node, _| {
        found |= matches!(node, Node::Expr(Expr::Path(p)) if p.path.is_ident(name));
    });
    found
}

fn returns_name(stmt: &syn::Stmt, name: &str) -> bool {
    match stmt {
        syn::Stmt::Expr(e, None) => is_name_or_try(e, name),
        syn::Stmt::Expr(Expr::Return(r), _) => {
            r.expr.as_deref().is_some_and(|e| is_name_or_try(e, name))
        }
        _ => false,
    }
}

fn is_name_or_try(expr: &Expr, name: &str) -> bool {
    match strip_parens(expr) {
        Expr::Path(p) => p.path.is_ident(name),
        Expr::Try(t) => is_name_or_try(&t.expr, name),
        Expr::MethodCall(m) => is_name_or_try(&m.receiver, name),
        Expr::Call(c) => c.args.iter().any(|a| is_name_or_try(a, name)),
        _ => false,
    }
}
