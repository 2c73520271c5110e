//! Function summaries: what a function of the crate does to the connections
//! and transactions it receives, computed to a fixed point over the call
//! graph so that `finish(tx)` counts as a commit when `finish` commits, and
//! `save(&tx)` as a write when `save` (or a helper it calls) writes.

use std::collections::HashMap;

use syn::Expr;

use crate::context::{BindingKind, FnContext};
use crate::index::CrateIndex;
use crate::model::Effect;
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

/// The summary of one function.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub params: HashMap<ParamSlot, ParamEffects>,
    forwards: Vec<Forward>,
}

impl Summary {
    pub fn param(&self, slot: ParamSlot) -> ParamEffects {
        self.params.get(&slot).copied().unwrap_or_default()
    }
}

/// Computes the local summary of one function (before the fixed point).
pub fn local_summary(cx: &FnContext<'_>) -> Summary {
    let mut summary = Summary::default();
    let slot_of = |expr: &Expr| -> Option<ParamSlot> {
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
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        if let Some(api) = &call.api {
            let target = cx.call_target(&call);
            if let Some(slot) = target.and_then(slot_of) {
                let effects = summary.params.entry(slot).or_default();
                match api.effect {
                    Effect::Commit | Effect::Rollback | Effect::Finish => effects.ends = true,
                    Effect::Close => effects.closes = true,
                    Effect::Execute => {
                        let sql = cx.call_sql(&call).unwrap_or_default();
                        match sql.info() {
                            Some(info) => effects.writes |= info.is_write(),
                            None => effects.writes = true,
                        }
                    }
                    Effect::Query => effects.writes |= cx.call_sql(&call).is_some_and(|s| s.known_writes() > 0),
                    _ => {}
                }
            }
        }
        if let Some(callee) = &call.callee {
            let Some(decl) = cx.index.function(callee) else { return };
            let mut pass = |arg: &Expr, to: ParamSlot| {
                if let Some(from) = slot_of(arg) {
                    let by_value = !matches!(crate::context::strip_parens(arg), Expr::Reference(_))
                        && match to {
                            ParamSlot::Arg(i) => decl.params.get(i).is_some_and(|p| !p.ty.is_ref()),
                            ParamSlot::SelfParam => decl.self_param == Some(crate::index::SelfParam::Value),
                        };
                    summary.forwards.push(Forward { from, callee: decl.key.clone(), to, by_value });
                }
            };
            if let Some(receiver) = call.receiver {
                pass(receiver, ParamSlot::SelfParam);
            }
            for (i, arg) in call.args.iter().enumerate() {
                pass(arg, ParamSlot::Arg(i));
            }
        }
    });
    summary
}

/// Propagates effects along forwarded parameters until nothing changes.
pub fn solve(summaries: &mut HashMap<PathBuf, Summary>) {
    // Each round can only add effects, and there are finitely many, so this
    // terminates; the bound guards against mistakes.
    for _ in 0..64 {
        let mut changed = false;
        let keys: Vec<PathBuf> = summaries.keys().cloned().collect();
        for key in keys {
            let forwards = summaries[&key].forwards.clone();
            for forward in forwards {
                let Some(callee) = summaries.get(&forward.callee) else { continue };
                let incoming = callee.param(forward.to);
                let summary = summaries.get_mut(&key).expect("key from the map");
                changed |= summary.params.entry(forward.from).or_default().merge(incoming, forward.by_value);
            }
        }
        if !changed {
            break;
        }
    }
}

impl CrateIndex {
    /// The summary of a crate function, if it has one.
    pub fn summary(&self, key: &[String]) -> Option<&Summary> {
        self.summaries.get(key)
    }
}
