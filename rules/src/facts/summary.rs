//! Function summaries: what a function of the crate does to the connections
//! and transactions it receives, computed to a fixed point over the call
//! graph so that `finish(tx)` counts as a commit when `finish` commits, and
//! `save(&tx)` as a write when `save` (or a helper it calls) writes.

use std::collections::HashMap;

use syn::Expr;

use crate::function::context::{BindingKind, FnContext};
use crate::function::opens::returned_values;
use crate::function::opens::used_only_for_checks;
use crate::index::effects::Checkout;
use crate::index::effects::Edge;
use crate::index::effects::Forward;
use crate::index::effects::Fresh;
use crate::index::effects::Opens;
use crate::index::effects::ParamSlot;
use crate::index::effects::Summary;
use crate::index::effects::{Construction, TxSource};
use crate::names::model::Effect;
use crate::names::resolve::PathBuf;

/// The calls of a function body, each classified once.
type Calls<'a> = Vec<(&'a Expr, std::rc::Rc<crate::function::context::Call<'a>>)>;

/// Computes the local summary of one function (before the fixed point).
pub fn local_summary<'a>(cx: &FnContext<'a>) -> Summary {
    let mut summary = Summary {
        file: cx.file.id,
        ..Summary::default()
    };
    let mut calls: Calls<'a> = Vec::new();
    let mut structs: Vec<&'a syn::ExprStruct> = Vec::new();
    cx.for_each_expr(&mut |expr| {
        if let Expr::Struct(s) = expr {
            structs.push(s);
        } else if let Some(call) = cx.call(expr) {
            calls.push((expr, call));
        }
    });
    constructions(cx, &structs, &mut summary);
    summary.relevant = cx.bindings.iter().any(|b| b.ty.model().is_some())
        || cx.self_ty().model().is_some()
        || assigns_model_field(cx)
        || calls.iter().any(|(_, c)| {
            c.api.is_some()
                || c.returns.model().is_some()
                // `mem::forget(session.conn)`: a connection reached through
                // a field is typed only where it is used.
                || c.args.iter().any(|a| {
                    matches!(crate::syntax::expr::strip_place(a), Expr::Field(_))
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
    let escaping = (clones_param || has_open || has_callee)
        .then(|| crate::function::moves::escaping_values(cx));
    if let (true, Some(escaping)) = (clones_param, &escaping) {
        retained_params(cx, &calls, escaping, &mut summary);
    }
    if has_open || has_callee {
        connection_facts(cx, &calls, escaping.as_ref(), &mut summary);
    }
    summary
}

/// What each field of the crate structs the function builds receives, for
/// the fields that may hold a connection: `Dao { conn: &tx }`.
fn constructions<'a>(cx: &FnContext<'a>, structs: &[&'a syn::ExprStruct], summary: &mut Summary) {
    for s in structs {
        let Some(crate::names::ty::Ty::Named { path, .. }) = cx.ty_of_struct(s) else {
            continue;
        };
        for field in &s.fields {
            let syn::Member::Named(name) = &field.member else {
                continue;
            };
            let value = &field.expr;
            if !crate::names::ty::may_hold_model(&cx.ty_of(value)) {
                continue;
            }
            let source = cx.tx_source(value, value);
            if source == TxSource::Other {
                continue;
            }
            summary.constructions.push(Construction {
                ty: path.clone(),
                field: name.to_string(),
                source,
            });
        }
    }
}

/// Whether the function assigns to a field holding a database value
/// (`self.pool = None`): replacing such a value drops the old one.
fn assigns_model_field(cx: &FnContext<'_>) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |expr| {
        if let Expr::Assign(a) = expr {
            let place = crate::syntax::expr::strip_place(&a.left);
            found |= matches!(place, Expr::Field(_)) && cx.ty_of(place).model().is_some();
        }
    });
    found
}

fn param_effects<'a>(cx: &FnContext<'a>, calls: &Calls<'a>, summary: &mut Summary) {
    let slot_of = |expr: &'a Expr| -> Option<ParamSlot> {
        let stripped = crate::syntax::expr::strip_place(expr);
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
                let by_value =
                    !matches!(crate::syntax::expr::strip_parens(arg), Expr::Reference(_))
                        && match to {
                            ParamSlot::Arg(i) => decl.params.get(i).is_some_and(|p| !p.ty.is_ref()),
                            ParamSlot::SelfParam => {
                                decl.self_param == Some(crate::index::decls::SelfParam::Value)
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
        if !call.is_method("clone") || !escaping.contains(&crate::syntax::expr::addr(*expr)) {
            continue;
        }
        if let Some((slot, field)) = call.receiver.and_then(|r| cx.param_root(r)) {
            if field.is_empty() {
                summary.params.entry(slot).or_default().retains = true;
            }
        }
    }
}

fn connection_facts<'a>(
    cx: &FnContext<'a>,
    calls: &Calls<'a>,
    escaping: Option<&std::collections::HashSet<usize>>,
    summary: &mut Summary,
) {
    let returned: Vec<&Expr> = returned_values(cx);
    let is_returned = |e: &Expr| returned.iter().any(|r| std::ptr::eq(*r, e));
    // Callees called more than once here: their arguments are compared.
    let mut times: std::collections::HashMap<&PathBuf, usize> = std::collections::HashMap::new();
    for (_, call) in calls {
        if let (Some(callee), None) = (&call.callee, &call.api) {
            *times.entry(callee).or_default() += 1;
        }
    }
    // Which branches calls of crate functions sit in: calls in two arms of
    // one `match` never both run.
    let choices = {
        let targets = calls
            .iter()
            .filter(|(_, c)| c.api.is_none() && c.callee.is_some())
            .map(|(e, _)| crate::syntax::expr::addr(*e))
            .collect();
        crate::syntax::expr::branch_choices(cx.body, &targets)
    };
    // Opens inside `get_or_init(|| ..)` happen once per process.
    let has_open = calls
        .iter()
        .any(|(_, c)| c.api.as_ref().is_some_and(|a| a.effect == Effect::Open));
    let initializers = if has_open {
        crate::function::opens::initializer_regions(cx)
    } else {
        Vec::new()
    };
    let empty = std::collections::HashSet::new();
    let escaping = escaping.unwrap_or(&empty);
    // Where each call runs repeatedly; calls in one-time initializers are
    // not listed.
    let repeats: std::collections::HashMap<usize, Option<crate::function::repeat::Repeat>> =
        crate::function::repeat::repeat_sites(cx)
            .into_iter()
            .map(|(expr, repeat)| (crate::syntax::expr::addr(expr), repeat))
            .collect();
    let db_param = |db: Option<&'a Expr>| -> Option<usize> { cx.db_param(db?) };
    let caches = keeps_clone_of_open(cx, calls, escaping, &is_returned);
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
            if !site.kind.holds_connection()
                || crate::function::opens::in_regions(&initializers, expr)
            {
                continue;
            }
            if is_returned(expr) {
                if caches {
                    // A cache hands out shared handles, not fresh ones.
                    continue;
                }
                summary.fresh.get_or_insert(Fresh {
                    kind: site.kind,
                    db_param: db_param(site.db),
                });
                summary.fresh_here = true;
            } else {
                // Stored somewhere that outlives the call (`*slot =
                // Some(conn)`, `self.idle.push(conn)`): neither a factory nor
                // an open for the function's own use.
                let holder = cx.holder(expr);
                if crate::function::moves::kept(cx, expr, escaping) {
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
                summary.opens_here = true;
                summary.per_operation |= !checks_only && per_operation(cx, site.db);
            }
            continue;
        }
        let Some(callee) = &call.callee else { continue };
        let mut args = Vec::new();
        let mut transactions = Vec::new();
        if let Some(receiver) = call.receiver {
            args.push((ParamSlot::SelfParam, cx.param_root(receiver)));
            transactions.push((ParamSlot::SelfParam, cx.tx_source(receiver, expr)));
        }
        for (i, arg) in call.args.iter().enumerate() {
            args.push((ParamSlot::Arg(i), cx.param_root(arg)));
            transactions.push((ParamSlot::Arg(i), cx.tx_source(arg, expr)));
        }
        let arg_keys = if times.get(callee).is_some_and(|n| *n > 1) {
            call.args.iter().map(|arg| arg_key(cx, arg)).collect()
        } else {
            Vec::new()
        };
        // Also for calls of different callees: a constructor's calls that
        // build pools through different helpers (see the churn facts).
        let branches = choices
            .get(&crate::syntax::expr::addr(expr))
            .cloned()
            .unwrap_or_default();
        // The caller's parameter each argument's database comes from, when
        // the callee turns out to take its database there.
        let db_args = call.args.iter().map(|arg| cx.db_param(arg)).collect();
        let hands_database = call
            .receiver
            .into_iter()
            .chain(call.args.iter().copied())
            .any(|arg| crate::names::ty::may_hold_model(&cx.ty_of(arg)));
        let holder = cx.holder(expr);
        let returned = is_returned(expr);
        let repeat = repeats
            .get(&crate::syntax::expr::addr(expr))
            .copied()
            .flatten()
            .filter(|_| !crate::function::repeat::retry_exit(cx, expr));
        let varying = match repeat {
            Some(repeat) => call
                .args
                .iter()
                .enumerate()
                .filter(|(_, arg)| crate::function::repeat::varies(cx, arg, repeat))
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        };
        summary.edges.push(Edge {
            callee: callee.clone(),
            args,
            returned,
            checks_only: holder.is_some() && used_only_for_checks(cx, holder),
            transactions,
            hands_database,
            at: cx.file.range(crate::syntax::spans::of(expr)),
            repeat: repeat.map(|r| r.kind()),
            varying,
            kept: !returned && crate::function::moves::kept(cx, expr, escaping),
            db_args,
            arg_keys,
            branches,
            once: !repeats.contains_key(&crate::syntax::expr::addr(expr)),
        });
    }
}

/// Whether the function keeps a clone of a connection or pool it opens
/// (`pools.insert(url, pool.clone())`, `self.pool = Some(pool.clone())`)
/// besides any it returns: it is a cache that builds on a miss and hands
/// out shared handles, so none of its returned values is fresh per call,
/// not even one a branch builds without caching (an isolated in-memory
/// database is meant to be one per caller).
fn keeps_clone_of_open<'a>(
    cx: &FnContext<'a>,
    calls: &Calls<'a>,
    escaping: &std::collections::HashSet<usize>,
    is_returned: &dyn Fn(&Expr) -> bool,
) -> bool {
    let opened: Vec<crate::function::context::BindingId> = calls
        .iter()
        .filter(|(_, c)| c.api.as_ref().is_some_and(|a| a.effect == Effect::Open))
        .filter_map(|(expr, _)| cx.value_holder(expr))
        .collect();
    !opened.is_empty()
        && calls.iter().any(|(expr, call)| {
            call.is_method("clone")
                && escaping.contains(&crate::syntax::expr::addr(*expr))
                && !is_returned(expr)
                && call
                    .receiver
                    .and_then(|r| cx.binding_of(crate::syntax::expr::strip_parens(r)))
                    .is_some_and(|id| opened.contains(&id))
        })
}

/// An argument as compared between calls: a hash of the database it names
/// (its text after local aliases), and whether it is a string literal.
fn arg_key<'a>(cx: &FnContext<'a>, arg: &'a Expr) -> (u64, bool) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    cx.db_key(arg).hash(&mut hasher);
    let literal = matches!(
        crate::syntax::expr::strip_parens(arg),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        })
    );
    (hasher.finish(), literal)
}

/// Whether an open's database is one the function is handed as a
/// long-lived handle: held by `self` (`Connection::open(&self.path)`,
/// `self.client.get_connection()`), or a client, manager or builder passed
/// in (`client.get_multiplexed_async_connection()` on a `&redis::Client`).
fn per_operation<'a>(cx: &FnContext<'a>, db: Option<&'a Expr>) -> bool {
    let Some(db) = db else { return false };
    let source = cx.db_source(db);
    match cx.param_root(source) {
        Some((ParamSlot::SelfParam, _)) => true,
        Some((ParamSlot::Arg(_), _)) => matches!(
            cx.kind_of(source),
            Some(crate::names::model::Kind::Builder | crate::names::model::Kind::Manager)
        ),
        None => false,
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
            edge.db_args.get(db_param?).copied().flatten()
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
        let (new_fresh, new_opens) = if edge.once {
            // Inside a one-time initializer: not an open per call.
            (None, None)
        } else if edge.returned {
            let fresh = fresh.map(|f| Fresh {
                kind: f.kind,
                db_param: map_db(f.db_param),
            });
            (fresh, None)
        } else {
            // A factory's connection kept beyond the call (stored in a
            // field, a cache or a collection) is not opened for this
            // function's own use.
            let inner = match (fresh.filter(|_| !edge.kept), opens) {
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

/// Where every function's parameters and every struct's fields receive
/// transactions, over the whole workspace.
pub struct TransactionFacts {
    /// Parameters that receive a transaction at every call site (directly,
    /// or from a caller's parameter that itself always does, or from a
    /// transaction field): code writing through them is inside the
    /// caller's transaction.
    pub params: std::collections::HashSet<(PathBuf, ParamSlot)>,
    /// Struct fields that some construction fills with a transaction: a
    /// data-access object built over `&tx` (`Dao { conn: &tx }`, or
    /// `Dao::new(&tx)` whose parameter goes into the field). Its methods
    /// write inside the transaction of whoever built it.
    pub fields: std::collections::HashSet<(PathBuf, String)>,
}

/// Solves [`TransactionFacts`] from every summary's calls and struct
/// constructions.
pub fn transaction_facts(summaries: &HashMap<PathBuf, Summary>) -> TransactionFacts {
    use std::collections::HashSet;
    type Slot = (PathBuf, ParamSlot);
    // (callee, slot) -> every incoming argument's source, as the caller's
    // (function, source).
    let mut incoming: HashMap<Slot, Vec<(PathBuf, TxSource)>> = HashMap::new();
    for (caller, summary) in summaries {
        for edge in &summary.edges {
            for (slot, source) in &edge.transactions {
                incoming
                    .entry((edge.callee.clone(), *slot))
                    .or_default()
                    .push((caller.clone(), source.clone()));
            }
        }
    }
    // Fields first, a least fixed point: a field is a transaction field
    // when some construction hands it a transaction, or a parameter that
    // some call hands a transaction (or a transaction field).
    let mut fields: HashSet<(PathBuf, String)> = HashSet::new();
    let mut reaches: HashSet<Slot> = HashSet::new();
    loop {
        let mut changed = false;
        for (slot, sources) in &incoming {
            if reaches.contains(slot) {
                continue;
            }
            let any = sources.iter().any(|(caller, source)| match source {
                TxSource::Transaction => true,
                TxSource::Param(from) => reaches.contains(&(caller.clone(), *from)),
                TxSource::Field(ty, field) => fields.contains(&(ty.clone(), field.clone())),
                TxSource::Other => false,
            });
            if any {
                reaches.insert(slot.clone());
                changed = true;
            }
        }
        for (builder, summary) in summaries {
            for c in &summary.constructions {
                let key = (c.ty.clone(), c.field.clone());
                if fields.contains(&key) {
                    continue;
                }
                let filled = match &c.source {
                    TxSource::Transaction => true,
                    TxSource::Param(from) => reaches.contains(&(builder.clone(), *from)),
                    TxSource::Field(ty, field) => fields.contains(&(ty.clone(), field.clone())),
                    TxSource::Other => false,
                };
                if filled {
                    fields.insert(key);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Parameters, a greatest fixed point: assume every candidate, drop the
    // refuted.
    let holds = |source: &TxSource| -> Option<bool> {
        match source {
            TxSource::Transaction => Some(true),
            TxSource::Field(ty, field) => Some(fields.contains(&(ty.clone(), field.clone()))),
            TxSource::Param(_) => None,
            TxSource::Other => Some(false),
        }
    };
    let mut params: HashSet<Slot> = incoming
        .iter()
        .filter(|(_, sources)| sources.iter().all(|(_, s)| holds(s) != Some(false)))
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let refuted: Vec<Slot> = params
            .iter()
            .filter(|key| {
                incoming[*key].iter().any(|(caller, s)| match s {
                    TxSource::Param(from) => !params.contains(&(caller.clone(), *from)),
                    _ => false,
                })
            })
            .cloned()
            .collect();
        if refuted.is_empty() {
            return TransactionFacts { params, fields };
        }
        for key in refuted {
            params.remove(&key);
        }
    }
}
