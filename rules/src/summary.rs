//! Function summaries: what a function of the crate does to the connections
//! and transactions it receives, computed to a fixed point over the call
//! graph so that `finish(tx)` counts as a commit when `finish` commits, and
//! `save(&tx)` as a write when `save` (or a helper it calls) writes.

use std::collections::HashMap;

use syn::Expr;

use crate::context::{BindingKind, FnContext};
use crate::index::CrateIndex;
use crate::model::{Effect, Kind};
use crate::opens::{is_check_sql, unwrap_value};
use crate::resolve::PathBuf;

/// What a function does to one parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamEffects {
    /// Commits, rolls back or otherwise ends the transaction it receives.
    pub ends: bool,
    /// Runs SQL that writes (or SQL it cannot see) through it.
    pub writes: bool,
    /// Closes the connection or pool it receives.
    pub closes: bool,
    /// Keeps a clone of it beyond the call (stores or returns `p.clone()`):
    /// a pool handle shared this way lives on.
    pub retains: bool,
}

impl ParamEffects {
    fn merge(&mut self, other: ParamEffects, by_value: bool) -> bool {
        let before = *self;
        // Only ownership passes the duty to end a transaction or close a
        // connection; a borrow can still write through it.
        if by_value {
            self.ends |= other.ends;
            self.closes |= other.closes;
        }
        self.writes |= other.writes;
        self.retains |= other.retains;
        before != *self
    }
}

/// Which parameter: `self` or the n-th typed parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamSlot {
    SelfParam,
    Arg(usize),
}

/// A parameter passed on to another function of the crate.
#[derive(Clone, Debug)]
struct Forward {
    from: ParamSlot,
    callee: PathBuf,
    to: ParamSlot,
    by_value: bool,
}

/// A function that returns a freshly opened connection, pool or client (a
/// factory), or a value holding one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fresh {
    pub kind: Kind,
    /// The parameter that names the database, if the caller chooses it.
    pub db_param: Option<usize>,
}

/// A function that opens a connection for its own use and drops it before
/// returning: calling it once per iteration or request is churn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opens {
    pub kind: Kind,
    pub db_param: Option<usize>,
    /// The connection only runs checks (integrity, journal mode, `SELECT 1`):
    /// a probe helper.
    pub checks_only: bool,
}

/// A pool checkout through a parameter: `state.pool.get()` is
/// `Checkout { slot: Arg(0), field: ".pool" }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Checkout {
    pub slot: ParamSlot,
    pub field: String,
}

/// A call to a crate function, with the caller parameter each argument is
/// rooted in.
#[derive(Clone, Debug)]
struct Edge {
    callee: PathBuf,
    /// For each callee parameter slot: the caller's slot and field path.
    args: Vec<(ParamSlot, Option<(ParamSlot, String)>)>,
    /// The call's value is returned (the caller may be a factory).
    returned: bool,
    /// The call's value is used only for checks.
    checks_only: bool,
    /// For each callee slot: whether the argument is a transaction.
    transactions: Vec<(ParamSlot, bool)>,
    /// An argument (or the receiver) may hold a database value: its type
    /// is one, holds one, or is unknown.
    hands_database: bool,
}

/// The summary of one function.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub params: HashMap<ParamSlot, ParamEffects>,
    forwards: Vec<Forward>,
    pub fresh: Option<Fresh>,
    pub opens: Option<Opens>,
    pub checkouts: Vec<Checkout>,
    edges: Vec<Edge>,
    /// The function touches a database API, directly or through a callee:
    /// functions that do not can be skipped by the rules.
    pub relevant: bool,
}

impl Summary {
    pub fn param(&self, slot: ParamSlot) -> ParamEffects {
        self.params.get(&slot).copied().unwrap_or_default()
    }

    /// The crate functions this one hands a value to that may hold a
    /// database value: what the callee does with it (keep a clone, close
    /// it) is the caller's business too.
    pub fn handed_to(&self) -> impl Iterator<Item = &PathBuf> {
        self.edges
            .iter()
            .filter(|e| e.hands_database)
            .map(|e| &e.callee)
    }

    /// The crate functions this one hands its parameters to.
    pub fn forwarded_to(&self) -> impl Iterator<Item = &PathBuf> {
        self.forwards.iter().map(|f| &f.callee)
    }
}

/// The calls of a function body, each classified once.
type Calls<'a> = Vec<(&'a Expr, std::rc::Rc<crate::typing::Call<'a>>)>;

/// Computes the local summary of one function (before the fixed point).
pub fn local_summary<'a>(cx: &FnContext<'a>) -> Summary {
    let mut summary = Summary::default();
    let mut calls: Calls<'a> = Vec::new();
    cx.for_each_expr(&mut |expr| {
        if let Some(call) = cx.call(expr) {
            calls.push((expr, call));
        }
    });
    summary.relevant = cx.bindings.iter().any(|b| b.ty.model().is_some())
        || cx.self_ty().model().is_some()
        || calls.iter().any(|(_, c)| {
            c.api.is_some()
                || c.returns.model().is_some()
                // `mem::forget(session.conn)`: a connection reached through
                // a field is typed only where it is used.
                || c.args.iter().any(|a| {
                    matches!(crate::context::strip_place(a), Expr::Field(_))
                        && cx.ty_of(a).model().is_some()
                })
        });
    param_effects(cx, &calls, &mut summary);
    // Most functions never clone a parameter or open anything: the costlier
    // questions below are only asked when they can matter.
    let clones_param = calls.iter().any(|(_, c)| {
        c.is_method("clone") && c.receiver.is_some_and(|r| cx.param_root(r).is_some())
    });
    let has_open = calls.iter().any(|(_, c)| {
        c.api
            .as_ref()
            .is_some_and(|a| matches!(a.effect, Effect::Open | Effect::Checkout))
    });
    let has_callee = calls.iter().any(|(_, c)| c.callee.is_some());
    let escaping = (clones_param || has_open).then(|| crate::moves::escaping_values(cx));
    if let (true, Some(escaping)) = (clones_param, &escaping) {
        retained_params(cx, &calls, escaping, &mut summary);
    }
    if has_open || has_callee {
        connection_facts(cx, &calls, escaping.as_ref(), &mut summary);
    }
    summary
}

fn param_effects<'a>(cx: &FnContext<'a>, calls: &Calls<'a>, summary: &mut Summary) {
    let slot_of = |expr: &'a Expr| -> Option<ParamSlot> {
        let stripped = crate::context::strip_place(expr);
        if let Expr::Path(p) = stripped {
            if p.path.is_ident("self") {
                return Some(ParamSlot::SelfParam);
            }
        }
        match cx.binding(cx.root_binding(expr)?).kind {
            BindingKind::Param(i) => Some(ParamSlot::Arg(i)),
            _ => None,
        }
    };
    for (_, call) in calls {
        if let Some(api) = &call.api {
            let target = cx.call_target(call);
            if let Some(slot) = target.and_then(slot_of) {
                let effects = summary.params.entry(slot).or_default();
                match api.effect {
                    Effect::Commit | Effect::Rollback | Effect::Finish => effects.ends = true,
                    Effect::Close => effects.closes = true,
                    Effect::Execute => {
                        let sql = cx.call_sql(call).unwrap_or_default();
                        match sql.info() {
                            Some(info) => effects.writes |= info.is_write(),
                            None => effects.writes = true,
                        }
                    }
                    Effect::Query => {
                        effects.writes |= cx.call_sql(call).is_some_and(|s| s.known_writes() > 0)
                    }
                    _ => {}
                }
            }
        }
        let Some(callee) = &call.callee else { continue };
        let Some(decl) = cx.index.function(callee) else {
            continue;
        };
        let mut pass = |arg: &'a Expr, to: ParamSlot| {
            if let Some(from) = slot_of(arg) {
                let by_value = !matches!(crate::context::strip_parens(arg), Expr::Reference(_))
                    && match to {
                        ParamSlot::Arg(i) => decl.params.get(i).is_some_and(|p| !p.ty.is_ref()),
                        ParamSlot::SelfParam => {
                            decl.self_param == Some(crate::index::SelfParam::Value)
                        }
                    };
                summary.forwards.push(Forward {
                    from,
                    callee: decl.key.clone(),
                    to,
                    by_value,
                });
            }
        };
        if let Some(receiver) = call.receiver {
            pass(receiver, ParamSlot::SelfParam);
        }
        for (i, arg) in call.args.iter().enumerate() {
            pass(arg, ParamSlot::Arg(i));
        }
    }
}

/// Parameters whose clone escapes: `Self { pool: pool.clone() }`.
fn retained_params<'a>(
    cx: &FnContext<'a>,
    calls: &Calls<'a>,
    escaping: &std::collections::HashSet<usize>,
    summary: &mut Summary,
) {
    for (expr, call) in calls {
        if !call.is_method("clone") || !escaping.contains(&crate::context::addr(*expr)) {
            continue;
        }
        if let Some((slot, field)) = call.receiver.and_then(|r| cx.param_root(r)) {
            if field.is_empty() {
                summary.params.entry(slot).or_default().retains = true;
            }
        }
    }
}

/// The values a function returns: its tail and `return` expressions, seen
/// through `Ok(..)`, `Arc::new(..)`, struct literals and local bindings.
pub fn returned_values<'a>(cx: &FnContext<'a>) -> Vec<&'a Expr> {
    let mut roots: Vec<&'a Expr> = Vec::new();
    if let Some(syn::Stmt::Expr(tail, None)) = cx.body.stmts.last() {
        roots.push(tail);
    }
    cx.for_each_expr(&mut |expr| {
        if let Expr::Return(r) = expr {
            if let Some(value) = &r.expr {
                roots.push(value);
            }
        }
    });
    let mut out = Vec::new();
    let mut seen = 0;
    while let Some(expr) = roots.pop() {
        seen += 1;
        if seen > 256 {
            break;
        }
        let expr = unwrap_value(expr);
        match expr {
            Expr::Call(c) => {
                let wrapper = match crate::context::strip_parens(&c.func) {
                    Expr::Path(p) => {
                        // `Ok(x)`, `Arc::new(x)`, and tuple-struct or enum
                        // variant constructors (`DbPool::Sqlite(pool)`).
                        p.path.segments.last().is_some_and(|s| {
                            let name = s.ident.to_string();
                            matches!(name.as_str(), "Ok" | "Some" | "new" | "from")
                                || name.starts_with(|c: char| c.is_ascii_uppercase())
                        }) && cx
                            .call(expr)
                            .is_none_or(|call| call.api.is_none() && call.callee.is_none())
                    }
                    _ => false,
                };
                if wrapper {
                    roots.extend(c.args.iter());
                } else {
                    out.push(expr);
                }
            }
            Expr::Struct(s) => roots.extend(s.fields.iter().map(|f| &f.expr)),
            Expr::Tuple(t) => roots.extend(t.elems.iter()),
            Expr::Path(_) => {
                if let Some(id) = cx.binding_of(expr) {
                    if let Some(init) = cx.binding(id).init {
                        roots.push(init);
                    }
                }
            }
            Expr::Block(b) => {
                if let Some(syn::Stmt::Expr(tail, None)) = b.block.stmts.last() {
                    roots.push(tail);
                }
            }
            Expr::If(i) => {
                if let Some(syn::Stmt::Expr(tail, None)) = i.then_branch.stmts.last() {
                    roots.push(tail);
                }
                if let Some((_, e)) = &i.else_branch {
                    roots.push(e);
                }
            }
            Expr::Match(m) => roots.extend(m.arms.iter().map(|a| &*a.body)),
            other => out.push(other),
        }
    }
    out
}

/// Whether every use of a binding runs check queries only (or drops it).
pub fn used_only_for_checks(
    cx: &FnContext<'_>,
    binding: Option<crate::context::BindingId>,
) -> bool {
    let Some(id) = binding else { return false };
    let uses = &cx.binding(id).uses;
    if uses.is_empty() {
        return false;
    }
    let mut checked = false;
    let mut all = true;
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        let on_binding = call
            .receiver
            .is_some_and(|r| cx.root_binding(r) == Some(id))
            || call.args.iter().any(|a| cx.root_binding(a) == Some(id));
        if !on_binding {
            return;
        }
        let is_drop = call
            .path
            .as_ref()
            .is_some_and(|p| p.last().is_some_and(|l| l == "drop"));
        if is_drop {
            return;
        }
        let sql = cx.call_sql(&call).and_then(|s| s.text);
        match sql {
            Some(text) if is_check_sql(&text) => checked = true,
            _ => all = false,
        }
    });
    checked && all
}

fn connection_facts<'a>(
    cx: &FnContext<'a>,
    calls: &Calls<'a>,
    escaping: Option<&std::collections::HashSet<usize>>,
    summary: &mut Summary,
) {
    let returned: Vec<&Expr> = returned_values(cx);
    let is_returned = |e: &Expr| returned.iter().any(|r| std::ptr::eq(*r, e));
    // Opens inside `get_or_init(|| ..)` happen once per process.
    let has_open = calls
        .iter()
        .any(|(_, c)| c.api.as_ref().is_some_and(|a| a.effect == Effect::Open));
    let initializers = if has_open {
        crate::opens::initializer_regions(cx)
    } else {
        Vec::new()
    };
    let empty = std::collections::HashSet::new();
    let escaping = escaping.unwrap_or(&empty);
    let db_param = |db: Option<&'a Expr>| -> Option<usize> {
        match cx.param_root(cx.db_source(db?))? {
            (ParamSlot::Arg(i), _) => Some(i),
            _ => None,
        }
    };
    for (expr, call) in calls {
        let expr: &'a Expr = expr;
        if let Some(api) = &call.api {
            if api.effect == Effect::Checkout {
                if let Some((slot, field)) = call.receiver.and_then(|r| cx.param_root(r)) {
                    let checkout = Checkout { slot, field };
                    if !summary.checkouts.contains(&checkout) {
                        summary.checkouts.push(checkout);
                    }
                }
                continue;
            }
            let Some(site) = cx.open_site(expr) else {
                continue;
            };
            if !site.kind.holds_connection() || crate::opens::in_regions(&initializers, expr) {
                continue;
            }
            if is_returned(expr) {
                summary.fresh.get_or_insert(Fresh {
                    kind: site.kind,
                    db_param: db_param(site.db),
                });
            } else {
                // Stored somewhere that outlives the call (`*slot =
                // Some(conn)`, `self.idle.push(conn)`): neither a factory nor
                // an open for the function's own use.
                let holder = cx.holder(expr);
                let stored = escaping.contains(&crate::context::addr(expr))
                    || holder.is_some_and(|h| {
                        cx.binding(h).uses.iter().any(|u| match u {
                            Expr::Path(p) => escaping.contains(&crate::context::addr(p)),
                            _ => false,
                        })
                    });
                if stored {
                    continue;
                }
                let checks_only = used_only_for_checks(cx, holder);
                let opens = Opens {
                    kind: site.kind,
                    db_param: db_param(site.db),
                    checks_only,
                };
                summary.opens = Some(match summary.opens {
                    Some(existing) => Opens {
                        checks_only: existing.checks_only && checks_only,
                        ..existing
                    },
                    None => opens,
                });
            }
            continue;
        }
        let Some(callee) = &call.callee else { continue };
        let mut args = Vec::new();
        let mut transactions = Vec::new();
        let is_tx = |e: &'a Expr| cx.kind_of(e).is_some_and(|k| k.is_transaction());
        if let Some(receiver) = call.receiver {
            args.push((ParamSlot::SelfParam, cx.param_root(receiver)));
            transactions.push((ParamSlot::SelfParam, is_tx(receiver)));
        }
        for (i, arg) in call.args.iter().enumerate() {
            args.push((ParamSlot::Arg(i), cx.param_root(arg)));
            transactions.push((ParamSlot::Arg(i), is_tx(arg)));
        }
        let hands_database = call
            .receiver
            .into_iter()
            .chain(call.args.iter().copied())
            .any(|arg| crate::ty::may_hold_model(&cx.ty_of(arg)));
        let holder = cx.holder(expr);
        summary.edges.push(Edge {
            callee: callee.clone(),
            args,
            returned: is_returned(expr),
            checks_only: holder.is_some() && used_only_for_checks(cx, holder),
            transactions,
            hands_database,
        });
    }
}

/// Propagates effects, factories, opens, checkouts and relevance along the
/// call graph until nothing changes. A worklist revisits only the callers of
/// a function whose summary changed, so the cost follows the changes rather
/// than rounds over every function. Effects only grow, so this terminates;
/// the budget guards against mistakes.
pub fn solve(summaries: &mut HashMap<PathBuf, Summary>) {
    let (keys, mut nodes): (Vec<PathBuf>, Vec<Summary>) = summaries.drain().unzip();
    {
        let position: HashMap<&PathBuf, usize> =
            keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let targets = |callees: &mut dyn Iterator<Item = &PathBuf>| -> Vec<Option<usize>> {
            callees.map(|c| position.get(c).copied()).collect()
        };
        let forward_targets: Vec<Vec<Option<usize>>> = nodes
            .iter()
            .map(|n| targets(&mut n.forwards.iter().map(|f| &f.callee)))
            .collect();
        let edge_targets: Vec<Vec<Option<usize>>> = nodes
            .iter()
            .map(|n| targets(&mut n.edges.iter().map(|e| &e.callee)))
            .collect();
        let mut callers: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (caller, callees) in forward_targets.iter().zip(&edge_targets).enumerate() {
            for callee in callees.0.iter().chain(callees.1).flatten() {
                callers[*callee].push(caller);
            }
        }
        let mut queued = vec![true; nodes.len()];
        let mut queue: std::collections::VecDeque<usize> = (0..nodes.len()).collect();
        let mut budget = 64 * (nodes.len() + 1);
        while let Some(i) = queue.pop_front() {
            queued[i] = false;
            if update(&mut nodes, i, &forward_targets[i], &edge_targets[i]) {
                for &caller in &callers[i] {
                    if !queued[caller] {
                        queued[caller] = true;
                        queue.push_back(caller);
                    }
                }
            }
            budget -= 1;
            if budget == 0 {
                break;
            }
        }
    }
    summaries.extend(keys.into_iter().zip(nodes));
}

/// Pulls into function `i` what its callees' summaries say. Returns whether
/// its summary changed.
fn update(
    nodes: &mut [Summary],
    i: usize,
    forward_targets: &[Option<usize>],
    edge_targets: &[Option<usize>],
) -> bool {
    let mut changed = false;
    for (k, target) in forward_targets.iter().enumerate() {
        let Some(callee) = *target else { continue };
        let Forward {
            from, to, by_value, ..
        } = nodes[i].forwards[k];
        let incoming = nodes[callee].param(to);
        changed |= nodes[i]
            .params
            .entry(from)
            .or_default()
            .merge(incoming, by_value);
    }
    for (k, target) in edge_targets.iter().enumerate() {
        let Some(callee) = *target else { continue };
        let (fresh, opens, relevant) = {
            let c = &nodes[callee];
            (c.fresh, c.opens, c.relevant)
        };
        let edge = &nodes[i].edges[k];
        // The callee's database parameter, as the caller's parameter.
        let map_db = |db_param: Option<usize>| -> Option<usize> {
            let slot = ParamSlot::Arg(db_param?);
            match edge.args.iter().find(|(to, _)| *to == slot)?.1.as_ref()? {
                (ParamSlot::Arg(i), _) => Some(*i),
                _ => None,
            }
        };
        let mut checkouts = Vec::new();
        for checkout in &nodes[callee].checkouts {
            if let Some((_, Some((slot, field)))) =
                edge.args.iter().find(|(to, _)| *to == checkout.slot)
            {
                checkouts.push(Checkout {
                    slot: *slot,
                    field: format!("{field}{}", checkout.field),
                });
            }
        }
        let (new_fresh, new_opens) = if edge.returned {
            let fresh = fresh.map(|f| Fresh {
                kind: f.kind,
                db_param: map_db(f.db_param),
            });
            (fresh, None)
        } else {
            let inner = match (fresh, opens) {
                (Some(f), _) => Some(Opens {
                    kind: f.kind,
                    db_param: map_db(f.db_param),
                    checks_only: edge.checks_only,
                }),
                (None, Some(o)) => Some(Opens {
                    db_param: map_db(o.db_param),
                    ..o
                }),
                (None, None) => None,
            };
            (None, inner)
        };
        let summary = &mut nodes[i];
        if let (None, Some(fresh)) = (summary.fresh, new_fresh) {
            summary.fresh = Some(fresh);
            changed = true;
        }
        if let (None, Some(opens)) = (summary.opens, new_opens) {
            summary.opens = Some(opens);
            changed = true;
        }
        for checkout in checkouts {
            if !summary.checkouts.contains(&checkout) {
                summary.checkouts.push(checkout);
                changed = true;
            }
        }
        // A function that calls a relevant function is relevant.
        if relevant && !summary.relevant {
            summary.relevant = true;
            changed = true;
        }
    }
    changed
}

impl CrateIndex {
    /// The summary of a crate function, if it has one.
    pub fn summary(&self, key: &[String]) -> Option<&Summary> {
        self.summaries.get(key)
    }
}

/// Parameters that receive a transaction at every call site in the crate
/// (directly, or from a caller's parameter that itself always does): code
/// writing through them is inside the caller's transaction.
pub fn always_in_transaction(
    summaries: &HashMap<PathBuf, Summary>,
) -> std::collections::HashSet<(PathBuf, ParamSlot)> {
    use std::collections::HashSet;
    // (callee, slot) -> every incoming argument: a transaction, or the
    // caller's parameter it comes from, or neither.
    enum Incoming {
        Transaction,
        Param(PathBuf, ParamSlot),
        Other,
    }
    let mut incoming: HashMap<(PathBuf, ParamSlot), Vec<Incoming>> = HashMap::new();
    for (caller, summary) in summaries {
        for edge in &summary.edges {
            for (slot, is_tx) in &edge.transactions {
                let source = if *is_tx {
                    Incoming::Transaction
                } else {
                    match edge
                        .args
                        .iter()
                        .find(|(to, _)| to == slot)
                        .and_then(|(_, from)| from.as_ref())
                    {
                        Some((from, field)) if field.is_empty() => {
                            Incoming::Param(caller.clone(), *from)
                        }
                        _ => Incoming::Other,
                    }
                };
                incoming
                    .entry((edge.callee.clone(), *slot))
                    .or_default()
                    .push(source);
            }
        }
    }
    // Greatest fixed point: assume every candidate, drop the refuted.
    let mut set: HashSet<(PathBuf, ParamSlot)> = incoming
        .iter()
        .filter(|(_, sources)| sources.iter().all(|s| !matches!(s, Incoming::Other)))
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let refuted: Vec<(PathBuf, ParamSlot)> = set
            .iter()
            .filter(|key| {
                incoming[*key].iter().any(|s| match s {
                    Incoming::Param(f, slot) => !set.contains(&(f.clone(), *slot)),
                    _ => false,
                })
            })
            .cloned()
            .collect();
        if refuted.is_empty() {
            return set;
        }
        for key in refuted {
            set.remove(&key);
        }
    }
}
