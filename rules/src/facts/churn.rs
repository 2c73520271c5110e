//! Where connections are opened over and over: every call that runs a
//! workspace function once per request, loop iteration, tick or element and
//! makes it open a connection, traced down the call graph to the driver
//! call that opens it (the root cause). The connection rules report that
//! open once, with the repeated calls as its related places, instead of one
//! finding per call site.
//!
//! A caller's calls repeat when they sit in a loop or a repeated closure of
//! its body (recorded with the summaries) or when the caller is a handler
//! (known once every router registration is). What a call makes its callee
//! open follows the summaries: a callee that opens for its own use, or a
//! factory whose fresh connection the caller uses and drops, followed
//! through the helpers and factories below it to each function whose own
//! driver call opens (see [`Summary::opens_here`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::index::effects::{ChurnCause, ChurnSite, Edge, ParamSlot, RepeatKind, Summary};
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::resolve::PathBuf;

/// What a function is asked for: the connection it opens for its own use,
/// or the fresh one it returns.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Want {
    Opens,
    Fresh,
}

/// The churn sites of the workspace, keyed by the function whose driver
/// call is the root cause (or, when no such call is visible, by the
/// calling function, with [`ChurnCause::Unseen`]). Each list is sorted by
/// file and place.
pub fn churn_sites(index: &WorkspaceIndex) -> HashMap<PathBuf, Vec<ChurnSite>> {
    let summaries = &index.summaries;
    let mut origins = Origins {
        summaries,
        memo: HashMap::new(),
    };
    let mut out: BTreeMap<PathBuf, Vec<ChurnSite>> = BTreeMap::new();
    let mut callers: Vec<(&PathBuf, &Summary)> = summaries.iter().collect();
    callers.sort_by(|a, b| a.0.cmp(b.0));
    for (caller, summary) in callers {
        let handler = index.is_handler(caller);
        for edge in &summary.edges {
            if edge.once {
                continue;
            }
            let Some(repeat) = edge.repeat.or(handler.then_some(RepeatKind::Request)) else {
                continue;
            };
            let roots = opened_per_call(&mut origins, edge);
            let Some(roots) = roots else { continue };
            let site = |cause, returned| ChurnSite {
                caller: caller.clone(),
                callee: edge.callee.clone(),
                file: summary.file,
                at: edge.at,
                repeat: Some(repeat),
                cause,
                returned,
            };
            if roots.is_empty() {
                out.entry(caller.clone())
                    .or_default()
                    .push(site(ChurnCause::Unseen, false));
            }
            for (root, returned) in roots {
                out.entry(root)
                    .or_default()
                    .push(site(ChurnCause::Repeated, returned));
            }
        }
    }
    per_operation(index, &mut origins, &mut out);
    same_database_pools(&mut origins, &mut out);
    pools_along_construction(index, &mut origins, &mut out);
    out.into_iter()
        .map(|(key, mut sites)| {
            sites.sort_by(|a, b| (a.file, a.at, &a.caller).cmp(&(b.file, b.at, &b.caller)));
            sites.dedup();
            (key, sites)
        })
        .collect()
}

/// Types whose operations each pay for a new connection: two or more of
/// their functions (methods or associated functions) open one for their
/// own use, by a driver call on a database `self` holds or a client they
/// are handed ([`Summary::per_operation`]), or through a factory called on
/// `self` or one of its fields (`self.open()`, `self.db_factory.get_db()`).
/// A long-lived value that hands out a new connection per call is the
/// churn, whoever calls it how often.
fn per_operation(
    index: &WorkspaceIndex,
    origins: &mut Origins<'_>,
    out: &mut BTreeMap<PathBuf, Vec<ChurnSite>>,
) {
    let summaries = origins.summaries;
    let mut by_type: BTreeMap<&PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for decl in index.functions() {
        if let (Some(self_type), true) = (&decl.self_type, summaries.contains_key(&decl.key)) {
            by_type.entry(self_type).or_default().push(&decl.key);
        }
    }
    for (_, mut functions) in by_type {
        functions.sort();
        functions.dedup();
        // Per function: its own opens, and its factory calls on `self`.
        let mut found: Vec<(&PathBuf, bool, Vec<&Edge>)> = Vec::new();
        for key in functions {
            let summary = &summaries[key];
            let factory_calls: Vec<&Edge> = summary
                .edges
                .iter()
                .filter(|edge| {
                    !edge.once
                        && !edge.returned
                        && !edge.kept
                        && edge.args.iter().any(|(slot, root)| {
                            *slot == ParamSlot::SelfParam
                                && matches!(root, Some((ParamSlot::SelfParam, _)))
                        })
                        && summaries
                            .get(&edge.callee)
                            .and_then(|c| c.fresh)
                            .is_some_and(|f| f.kind.holds_connection())
                })
                .collect();
            if summary.per_operation || !factory_calls.is_empty() {
                found.push((key, summary.per_operation, factory_calls));
            }
        }
        if found.len() < 2 {
            continue;
        }
        let count = found.len() as u32;
        for (key, direct, factory_calls) in found {
            let summary = &summaries[key];
            let site = |callee: &PathBuf, at, returned| ChurnSite {
                caller: key.clone(),
                callee: callee.clone(),
                file: summary.file,
                at,
                repeat: None,
                cause: ChurnCause::PerOperation(count),
                returned,
            };
            if direct {
                out.entry(key.clone())
                    .or_default()
                    .push(site(key, Default::default(), false));
            }
            for edge in factory_calls {
                for root in origins.of(&edge.callee, Want::Fresh) {
                    out.entry(root)
                        .or_default()
                        .push(site(&edge.callee, edge.at, true));
                }
            }
        }
    }
}

/// Functions that build two or more pools for one database: calls of the
/// same pool-building factory (a constructor that makes a pool, however
/// deep) whose database argument is the same and whose other arguments
/// differ only in string literals (a table or component name). Each pool
/// keeps its own connections to the one database; the fix is one pool,
/// shared.
fn same_database_pools(origins: &mut Origins<'_>, out: &mut BTreeMap<PathBuf, Vec<ChurnSite>>) {
    let summaries = origins.summaries;
    let mut callers: Vec<(&PathBuf, &Summary)> = summaries.iter().collect();
    callers.sort_by(|a, b| a.0.cmp(b.0));
    for (caller, summary) in callers {
        // Calls of pool factories with their database parameter, by callee.
        let mut groups: BTreeMap<&PathBuf, Vec<&Edge>> = BTreeMap::new();
        for edge in &summary.edges {
            if edge.once || edge.arg_keys.is_empty() {
                continue;
            }
            let pool = summaries
                .get(&edge.callee)
                .and_then(|c| c.fresh)
                .filter(|f| f.kind == crate::names::model::Kind::Pool && f.db_param.is_some());
            if pool.is_some() {
                groups.entry(&edge.callee).or_default().push(edge);
            }
        }
        for (callee, edges) in groups {
            let Some(db) = summaries[callee].fresh.and_then(|f| f.db_param) else {
                continue;
            };
            // Calls that agree with another on the database and on every
            // argument but string literals, and can run in one call.
            let same = |a: &Edge, b: &Edge| {
                !crate::syntax::expr::exclusive(&a.branches, &b.branches)
                    && a.arg_keys.len() == b.arg_keys.len()
                    && a.arg_keys.get(db).is_some_and(|k| !k.1)
                    && a.arg_keys.get(db) == b.arg_keys.get(db)
                    && a.arg_keys
                        .iter()
                        .zip(&b.arg_keys)
                        .all(|(x, y)| x == y || (x.1 && y.1))
            };
            let repeated: Vec<&Edge> = edges
                .iter()
                .copied()
                .filter(|a| edges.iter().any(|b| !std::ptr::eq(*a, *b) && same(a, b)))
                .collect();
            if repeated.len() < 2 {
                continue;
            }
            let roots = origins.of(callee, Want::Fresh);
            for edge in repeated {
                for root in &roots {
                    out.entry(root.clone()).or_default().push(ChurnSite {
                        caller: caller.clone(),
                        callee: callee.clone(),
                        file: summary.file,
                        at: edge.at,
                        repeat: None,
                        cause: ChurnCause::SamePool,
                        returned: true,
                    });
                }
            }
        }
    }
}

/// How deep [`pools_along_construction`] follows a constructor's callees.
const CONSTRUCTION_DEPTH: usize = 4;

/// A pool-factory call reached from a constructor.
struct ReachedPool<'s> {
    factory: &'s PathBuf,
    /// The constructor parameter the database comes from.
    param: usize,
    /// The function that makes the call, its file and the call's place.
    function: &'s PathBuf,
    file: usize,
    at: crate::finding::Range,
    /// The `if`/`match` branches, in the constructor, of the call that
    /// leads there.
    branches: &'s [(usize, u32)],
}

/// Constructors that build two or more pools for one database through
/// different functions: the constructor builds one component's pool and a
/// callee (an `initialize` step, a sub-component's constructor) builds
/// another's, each by a call of the same pool-building factory with the
/// database the constructor was given. Every value constructed keeps
/// several pools to one database where one, shared, would do. Calls are
/// followed from associated functions returning their own type (`new`,
/// `with_db`…), through callees in the workspace to a few levels, by the
/// database argument; calls in different branches of the constructor do
/// not count together, and calls all in one function are
/// [`same_database_pools`]' case.
fn pools_along_construction(
    index: &WorkspaceIndex,
    origins: &mut Origins<'_>,
    out: &mut BTreeMap<PathBuf, Vec<ChurnSite>>,
) {
    let summaries = origins.summaries;
    let mut constructors: Vec<&crate::index::decls::FnDecl> = index
        .functions()
        .filter(|d| !d.is_test && constructs_own_type(d) && summaries.contains_key(&d.key))
        .collect();
    constructors.sort_by(|a, b| a.key.cmp(&b.key));
    for decl in constructors {
        let reached = reached_pools(summaries, &decl.key);
        // The driver calls that build each call's pool: a factory and a
        // constructor wrapping it (`Events::open` over `new_store`) build
        // the same pool.
        let roots: Vec<Vec<PathBuf>> = reached
            .iter()
            .map(|r| origins.of(r.factory, Want::Fresh))
            .collect();
        let together = |a: usize, b: usize| {
            let (x, y) = (&reached[a], &reached[b]);
            roots[a].iter().any(|r| roots[b].contains(r))
                && x.param == y.param
                && x.function != y.function
                && !crate::syntax::expr::exclusive(x.branches, y.branches)
        };
        let repeated: Vec<usize> = (0..reached.len())
            .filter(|a| (0..reached.len()).any(|b| together(*a, b)))
            .collect();
        if repeated.len() < 2 {
            continue;
        }
        for i in repeated {
            let call = &reached[i];
            for root in &roots[i] {
                out.entry(root.clone()).or_default().push(ChurnSite {
                    caller: decl.key.clone(),
                    callee: call.factory.clone(),
                    file: call.file,
                    at: call.at,
                    repeat: None,
                    cause: ChurnCause::SamePool,
                    returned: true,
                });
            }
        }
    }
}

/// An associated function without `self` whose return type names its own
/// type (`-> Self`, `-> Result<(Self, Receiver)>`).
fn constructs_own_type(decl: &crate::index::decls::FnDecl) -> bool {
    use crate::names::ty::TypeExpr;
    fn names(ty: &TypeExpr, own: &PathBuf) -> bool {
        match ty {
            TypeExpr::Path { path, args } => {
                path == own
                    || path.last().is_some_and(|s| s == "Self")
                    || args.iter().any(|a| names(a, own))
            }
            TypeExpr::Ref(inner) => names(inner, own),
            TypeExpr::Tuple(items) => items.iter().any(|a| names(a, own)),
            TypeExpr::Bounds(_) | TypeExpr::Other => false,
        }
    }
    match (&decl.self_type, &decl.ret) {
        (Some(own), Some(ret)) => decl.self_param.is_none() && names(ret, own),
        _ => false,
    }
}

/// The pool-factory calls `constructor` makes, itself or through its
/// callees, whose database is one of its parameters.
fn reached_pools<'s>(
    summaries: &'s HashMap<PathBuf, Summary>,
    constructor: &'s PathBuf,
) -> Vec<ReachedPool<'s>> {
    let mut out = Vec::new();
    let mut seen: HashSet<&PathBuf> = HashSet::new();
    // (function, for each of its parameters the constructor's, the
    // branches of the constructor's call leading there, depth)
    type Step<'s> = (
        &'s PathBuf,
        Vec<Option<usize>>,
        Option<&'s [(usize, u32)]>,
        usize,
    );
    let mut stack: Vec<Step<'s>> = vec![(constructor, Vec::new(), None, 0)];
    seen.insert(constructor);
    while let Some((key, params, top_branches, depth)) = stack.pop() {
        let Some(summary) = summaries.get(key) else {
            continue;
        };
        // The constructor's own parameters map to themselves.
        let param = |i: usize| {
            if depth == 0 {
                Some(i)
            } else {
                params.get(i).copied().flatten()
            }
        };
        for edge in &summary.edges {
            if edge.once {
                continue;
            }
            let branches = top_branches.unwrap_or(&edge.branches);
            let Some(callee) = summaries.get(&edge.callee) else {
                continue;
            };
            let pool_db = callee
                .fresh
                .filter(|f| f.kind == crate::names::model::Kind::Pool)
                .and_then(|f| f.db_param);
            if let Some(db) = pool_db {
                if let Some(p) = edge.db_args.get(db).copied().flatten().and_then(param) {
                    out.push(ReachedPool {
                        factory: &edge.callee,
                        param: p,
                        function: key,
                        file: summary.file,
                        at: edge.at,
                        branches,
                    });
                }
                continue;
            }
            if depth + 1 >= CONSTRUCTION_DEPTH || !seen.insert(&edge.callee) {
                continue;
            }
            let mapped: Vec<Option<usize>> =
                edge.db_args.iter().map(|a| a.and_then(param)).collect();
            if mapped.iter().any(Option::is_some) {
                stack.push((&edge.callee, mapped, Some(branches), depth + 1));
            }
        }
    }
    out
}

/// The functions whose own driver calls open what a call opens on every
/// run: `None` when the call opens nothing it does not keep (or the
/// database depends on the loop element), an empty list when it does but
/// the open is not visible.
fn opened_per_call(origins: &mut Origins<'_>, edge: &Edge) -> Option<Vec<(PathBuf, bool)>> {
    let callee = origins.summaries.get(&edge.callee)?;
    let fixed = |db_param: Option<usize>| db_param.is_none_or(|i| !edge.varying.contains(&i));
    let mut roots = Vec::new();
    let mut opens = false;
    if let Some(o) = callee.opens {
        if o.kind.holds_connection() && fixed(o.db_param) {
            opens = true;
            roots.extend(
                origins
                    .of(&edge.callee, Want::Opens)
                    .into_iter()
                    .map(|r| (r, false)),
            );
        }
    }
    if let Some(f) = callee.fresh {
        if !edge.returned && !edge.kept && f.kind.holds_connection() && fixed(f.db_param) {
            opens = true;
            roots.extend(
                origins
                    .of(&edge.callee, Want::Fresh)
                    .into_iter()
                    .map(|r| (r, true)),
            );
        }
    }
    if !opens {
        return None;
    }
    roots.sort();
    roots.dedup();
    Some(roots)
}

struct Origins<'s> {
    summaries: &'s HashMap<PathBuf, Summary>,
    memo: HashMap<(PathBuf, Want), Vec<PathBuf>>,
}

impl Origins<'_> {
    /// The functions whose own driver calls make `key` open (`Opens`) or
    /// return (`Fresh`) a connection, through its callees as the summaries
    /// propagate them.
    fn of(&mut self, key: &PathBuf, want: Want) -> Vec<PathBuf> {
        if let Some(known) = self.memo.get(&(key.clone(), want)) {
            return known.clone();
        }
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(key.clone(), want)];
        while let Some((key, want)) = stack.pop() {
            if !seen.insert((key.clone(), want)) || seen.len() > 4096 {
                continue;
            }
            let Some(summary) = self.summaries.get(&key) else {
                continue;
            };
            let here = match want {
                Want::Opens => summary.opens_here,
                Want::Fresh => summary.fresh_here,
            };
            if here {
                out.push(key.clone());
            }
            for edge in &summary.edges {
                if edge.once {
                    continue;
                }
                let Some(callee) = self.summaries.get(&edge.callee) else {
                    continue;
                };
                match want {
                    Want::Opens if !edge.returned => {
                        if callee.fresh.is_some() && !edge.kept {
                            stack.push((edge.callee.clone(), Want::Fresh));
                        }
                        if callee.opens.is_some() {
                            stack.push((edge.callee.clone(), Want::Opens));
                        }
                    }
                    Want::Fresh if edge.returned && callee.fresh.is_some() => {
                        stack.push((edge.callee.clone(), Want::Fresh));
                    }
                    _ => {}
                }
            }
        }
        out.sort();
        out.dedup();
        self.memo.insert((key.clone(), want), out.clone());
        out
    }
}
