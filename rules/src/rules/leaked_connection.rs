use std::collections::{HashMap, HashSet};

use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::Finding;
use crate::function::context::{BindingId, BindingKind, FnContext};
use crate::function::moves::moved_paths;
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;

crate::declare_rule! {
    /// ## What it does
    /// Flags a connection, pooled guard or transaction made unreachable
    /// without being dropped: passed to `std::mem::forget`, wrapped in
    /// `ManuallyDrop` that is never dropped or unwrapped, passed to
    /// `Box::leak` outside a one-time initializer (`OnceLock::get_or_init`,
    /// `LazyLock`/`Lazy`, `lazy_static!`, `thread_local!`, `main`), or pushed
    /// into a `static` or thread-local collection on every call. Values of
    /// other types are never flagged.
    ///
    /// ## Why is this bad?
    /// A leaked SQLite connection keeps three file descriptors open (the
    /// database, `-wal` and `-shm`); a leaked pool guard never returns its
    /// slot, so the pool runs dry; a leaked transaction holds its locks. In a
    /// real incident a web UI leaked three descriptors per five-second poll
    /// until the process hit its descriptor limit: the port stayed open, but
    /// every request was reset.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn open_for_ffi(path: &str) -> *const rusqlite::Connection {
    ///     let conn = rusqlite::Connection::open(path).unwrap();
    ///     Box::leak(Box::new(conn))
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// static CONN: OnceLock<Mutex<rusqlite::Connection>> = OnceLock::new();
    /// fn conn(path: &str) -> &'static Mutex<rusqlite::Connection> {
    ///     CONN.get_or_init(|| Mutex::new(rusqlite::Connection::open(path).unwrap()))
    /// }
    /// ```
    ///
    /// ## Fix
    /// Let the value drop, or keep exactly one long-lived instance in a
    /// `OnceLock`/`LazyLock` (or connlint-runtime's registry) instead of
    /// leaking a new one per call.
    ///
    /// A `ManuallyDrop` stored in a struct of the workspace that has no
    /// `Drop` impl is never dropped either, and is flagged where it is
    /// stored.
    ///
    /// ## Known limits
    /// `ManuallyDrop` values stored in a struct that has a `Drop` impl are
    /// assumed to be dropped by it.
    pub static LEAKED_CONNECTION = {
        name: "leaked-connection",
        summary: "a connection, pooled guard or transaction is leaked (forget, ManuallyDrop, Box::leak, a static collection)",
        check: check,
    }
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let in_main = cx.sig.ident == "main" && cx.self_type.is_none();
    let initializers = crate::function::opens::initializer_regions(cx);
    let static_params = thread_local_params(cx);
    let mut moved: Option<HashSet<usize>> = None;
    cx.for_each_expr(&mut |expr| {
        match expr {
            Expr::Call(call) => {
                let Expr::Path(func) = strip_parens(&call.func) else { return };
                let path = cx.resolver.resolve_path(&func.path, cx.self_type.as_ref());
                let tail: Vec<&str> = path.iter().rev().take(2).map(String::as_str).collect();
                let Some(arg) = call.args.first() else { return };
                if !holds_connection(cx, arg) {
                    return;
                }
                match tail.as_slice() {
                    ["forget", "mem"] | ["forget"] if path.len() <= 3 => out.push(cx.finding(
                        &LEAKED_CONNECTION,
                        expr.span(),
                        format!("`mem::forget` leaks {}: it is never closed", what(cx, arg)),
                        "let it drop (or call its close method) instead of forgetting it",
                    )),
                    ["leak", "Box"] => {
                        if in_main || crate::function::opens::in_regions(&initializers, expr) {
                            return;
                        }
                        out.push(cx.finding(
                            &LEAKED_CONNECTION,
                            expr.span(),
                            format!("`Box::leak` leaks {} on every call", what(cx, arg)),
                            "keep one instance in a `OnceLock`/`LazyLock` (a one-time initializer) instead of leaking a new one per call",
                        ))
                    }
                    ["new", "ManuallyDrop"] => {
                        if let Some(owner) = stored_in_struct_without_drop(cx, expr) {
                            out.push(cx.finding(
                                &LEAKED_CONNECTION,
                                expr.span(),
                                format!("{} is kept in `ManuallyDrop` in `{owner}`, which has no `Drop` to drop it: it is never closed", what(cx, arg)),
                                format!("implement `Drop` for `{owner}` and call `ManuallyDrop::drop` on the field there, or store the value without `ManuallyDrop`"),
                            ));
                            return;
                        }
                        let moved = moved.get_or_insert_with(|| moved_paths(cx));
                        if !manually_dropped_later(cx, expr, moved) {
                            out.push(cx.finding(
                                &LEAKED_CONNECTION,
                                expr.span(),
                                format!("{} is wrapped in `ManuallyDrop` and never dropped or unwrapped", what(cx, arg)),
                                "call `ManuallyDrop::drop` or `ManuallyDrop::into_inner` on every path, or do not wrap it",
                            ));
                        }
                    }
                    _ => {}
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if !matches!(method.as_str(), "push" | "push_back" | "push_front" | "extend" | "append") {
                    return;
                }
                let Some(arg) = m.args.first() else { return };
                if !holds_connection(cx, arg) || in_main || crate::function::opens::in_regions(&initializers, expr) {
                    return;
                }
                if let Some(name) = static_root(cx, &m.receiver, &static_params, 0) {
                    out.push(cx.finding(
                        &LEAKED_CONNECTION,
                        expr.span(),
                        format!("{} is added to the process-lifetime collection `{name}` on every call and never removed", what(cx, arg)),
                        "keep one shared handle or a pool instead of accumulating connections in a static",
                    ));
                }
            }
            _ => {}
        }
    });
}

fn holds_connection<'a>(cx: &FnContext<'a>, expr: &'a Expr) -> bool {
    cx.kind_of(expr).is_some_and(|k| k.holds_connection())
}

fn what<'a>(cx: &FnContext<'a>, expr: &'a Expr) -> String {
    let kind = match cx.kind_of(expr) {
        Some(crate::names::model::Kind::Pool) => "a pool",
        Some(crate::names::model::Kind::Pooled) => "a pooled connection",
        Some(crate::names::model::Kind::Transaction | crate::names::model::Kind::Savepoint) => {
            "a transaction"
        }
        _ => "a connection",
    };
    match cx.root_binding(expr) {
        Some(id) => format!("{kind} (`{}`)", cx.binding(id).name),
        None => kind.to_string(),
    }
}

/// The struct a `ManuallyDrop::new(..)` is stored in (directly, or through
/// the local holding it) when the workspace declares that struct and gives
/// it no `Drop`: nothing will ever drop the field.
fn stored_in_struct_without_drop<'a>(cx: &FnContext<'a>, wrap: &'a Expr) -> Option<String> {
    let holder = cx.holder(wrap);
    let mut owner = None;
    cx.for_each_expr(&mut |expr| {
        let Expr::Struct(s) = expr else { return };
        let holds = s.fields.iter().any(|f| {
            let value = strip_parens(&f.expr);
            std::ptr::eq(value, wrap) || (holder.is_some() && cx.binding_of(value) == holder)
        });
        if !holds {
            return;
        }
        let path = cx.resolver.resolve_path(&s.path, cx.self_type.as_ref());
        if !cx.index.has_struct(&path) {
            return;
        }
        let mut drop_key = path.clone();
        drop_key.push("drop".into());
        if !cx.index.drop_impls.contains(&drop_key) {
            owner = path.last().cloned();
        }
    });
    owner
}

/// `ManuallyDrop::new(x)` bound to `md`, later dropped, unwrapped or moved
/// on.
fn manually_dropped_later<'a>(cx: &FnContext<'a>, wrap: &'a Expr, moved: &HashSet<usize>) -> bool {
    let Some(holder) = cx.holder(wrap) else {
        // A temporary: escapes only if it is itself returned or stored.
        return crate::function::moves::escaping_values(cx).contains(&addr(wrap));
    };
    let uses = &cx.binding(holder).uses;
    if uses
        .iter()
        .any(|u| matches!(u, Expr::Path(p) if moved.contains(&addr(p))))
    {
        return true;
    }
    let mut released = false;
    cx.for_each_expr(&mut |expr| {
        let Expr::Call(call) = expr else { return };
        let Expr::Path(func) = strip_parens(&call.func) else {
            return;
        };
        let last = func
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if matches!(last.as_str(), "drop" | "into_inner" | "take")
            && call.args.iter().any(|a| cx.root_binding(a) == Some(holder))
        {
            released = true;
        }
    });
    released
}

/// Closure parameters of `STATIC.with(|v| ..)` on a thread-local or static,
/// with the static's name.
fn thread_local_params(cx: &FnContext<'_>) -> HashMap<BindingId, String> {
    let mut closures = HashMap::new();
    cx.for_each_expr(&mut |expr| {
        let Expr::MethodCall(m) = expr else { return };
        if !matches!(
            m.method.to_string().as_str(),
            "with" | "with_borrow_mut" | "with_borrow"
        ) {
            return;
        }
        let Some(name) = static_name(cx, &m.receiver) else {
            return;
        };
        for arg in &m.args {
            if let Expr::Closure(c) = strip_parens(arg) {
                closures.insert(addr(c), name.clone());
            }
        }
    });
    cx.bindings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == BindingKind::ClosureParam)
        .filter_map(|(id, b)| closures.get(&b.scope).map(|name| (id, name.clone())))
        .collect()
}

fn static_name(cx: &FnContext<'_>, expr: &Expr) -> Option<String> {
    let Expr::Path(p) = strip_parens(expr) else {
        return None;
    };
    if cx.binding_of(strip_parens(expr)).is_some() {
        return None;
    }
    let path = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
    cx.index
        .is_static(&path)
        .then(|| path.last().cloned().unwrap_or_default())
}

/// The static a receiver reaches through `.lock().unwrap()`,
/// `.borrow_mut()`, locals bound to such chains, and thread-local closures.
fn static_root<'a>(
    cx: &FnContext<'a>,
    expr: &'a Expr,
    params: &HashMap<BindingId, String>,
    depth: usize,
) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match unwrap_value(expr) {
        Expr::MethodCall(m)
            if crate::names::ty::TRANSPARENT_METHODS.contains(&m.method.to_string().as_str()) =>
        {
            static_root(cx, &m.receiver, params, depth + 1)
        }
        Expr::Reference(r) => static_root(cx, &r.expr, params, depth + 1),
        Expr::Unary(u) => static_root(cx, &u.expr, params, depth + 1),
        e @ Expr::Path(_) => {
            if let Some(id) = cx.binding_of(e) {
                if let Some(name) = params.get(&id) {
                    return Some(name.clone());
                }
                return static_root(cx, cx.binding(id).init?, params, depth + 1);
            }
            static_name(cx, e)
        }
        _ => None,
    }
}
