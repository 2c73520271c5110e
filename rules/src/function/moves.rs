//! Where a local is moved rather than borrowed: passed by value, returned,
//! stored in a struct, tuple or collection, or assigned elsewhere. A moved
//! transaction or connection becomes someone else's responsibility.

use std::collections::HashSet;

use syn::{Expr, Stmt};

use crate::function::context::{BindingId, FnContext};
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;
use crate::syntax::walker::{Node, Walk};

/// Addresses of the `syn::ExprPath` nodes that appear in a moving position.
pub fn moved_paths(cx: &FnContext<'_>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut mark = |e: &Expr| {
        if let Expr::Path(p) = strip_parens(e) {
            out.insert(addr(p));
        }
    };
    cx.for_each_expr(&mut |expr| match expr {
        Expr::Call(c) => c.args.iter().for_each(&mut mark),
        Expr::MethodCall(m) => m.args.iter().for_each(&mut mark),
        Expr::Return(r) => r.expr.iter().for_each(|e| mark(e)),
        Expr::Break(b) => b.expr.iter().for_each(|e| mark(e)),
        Expr::Struct(s) => s.fields.iter().for_each(|f| mark(&f.expr)),
        Expr::Tuple(t) => t.elems.iter().for_each(&mut mark),
        Expr::Array(a) => a.elems.iter().for_each(&mut mark),
        Expr::Assign(a) => mark(&a.right),
        Expr::Closure(c) => mark(&c.body),
        Expr::Block(b) => tail(&b.block, &mut mark),
        Expr::Async(b) => tail(&b.block, &mut mark),
        Expr::Unsafe(b) => tail(&b.block, &mut mark),
        Expr::If(i) => tail(&i.then_branch, &mut mark),
        Expr::Match(m) => m.arms.iter().for_each(|arm| mark(&arm.body)),
        _ => {}
    });
    tail(cx.body, &mut mark);
    // `let b = a;`: the value moves to a new name.
    Walk::new().block(cx.body, &mut |node, _| {
        if let Node::Stmt(Stmt::Local(local)) = node {
            if let Some(init) = &local.init {
                mark(&init.expr);
            }
        }
    });
    out
}

fn tail(block: &syn::Block, mark: &mut impl FnMut(&Expr)) {
    if let Some(Stmt::Expr(e, None)) = block.stmts.last() {
        mark(e);
    }
}

/// Addresses of value expressions (seen through `?`, `.await`, `.unwrap()`)
/// that leave their immediate scope: returned, broken out of a loop,
/// assigned to a place, stored in a struct, tuple, array or collection
/// (method arguments), wrapped in `Some`/`Ok`/`Box::new`, the value of a
/// closure, or captured by a `move` closure or `async move` block.
pub fn escaping_values(cx: &FnContext<'_>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut mark = |e: &Expr| mark_value(&mut out, e, 0);
    cx.for_each_expr(&mut |expr| match expr {
        Expr::Call(c) => {
            // `Some(x)`, `Arc::new(x)`, `tokio::spawn(fut)`, and tuple
            // struct or enum variant constructors (`Cell::Ready(conn)`).
            let wrapper = matches!(strip_parens(&c.func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| {
                let name = s.ident.to_string();
                matches!(name.as_str(), "Some" | "Ok" | "new" | "from" | "spawn" | "spawn_blocking" | "spawn_local")
                    || (name.starts_with(|c: char| c.is_ascii_uppercase()) && name != "Err" && name != "Box")
            }));
            if wrapper {
                c.args.iter().for_each(&mut mark);
            }
        }
        Expr::MethodCall(m) => m.args.iter().for_each(&mut mark),
        Expr::Return(r) => r.expr.iter().for_each(|e| mark(e)),
        Expr::Break(b) => b.expr.iter().for_each(|e| mark(e)),
        Expr::Struct(s) => s.fields.iter().for_each(|f| mark(&f.expr)),
        Expr::Tuple(t) => t.elems.iter().for_each(&mut mark),
        Expr::Array(a) => a.elems.iter().for_each(&mut mark),
        Expr::Assign(a) => mark(&a.right),
        Expr::Closure(c) => {
            mark(&c.body);
            if let Expr::Block(b) = &*c.body {
                tail(&b.block, &mut mark);
            }
            if c.capture.is_some() {
                let span = crate::syntax::spans::of(expr);
                let paths = Walk::new().exprs_under(&c.body, |e| matches!(e, Expr::Path(_)));
                captured(cx, paths, (span.start(), span.end()), &mut mark);
            }
        }
        Expr::Async(a) if a.capture.is_some() => {
            let span = crate::syntax::spans::of(expr);
            let paths = Walk::new().exprs_in(&a.block, |e| matches!(e, Expr::Path(_)));
            captured(cx, paths, (span.start(), span.end()), &mut mark);
        }
        _ => {}
    });
    tail(cx.body, &mut mark);
    out
}

/// Marks a value expression as escaping, and the branches that produce it:
/// the arms of a `match`, the branches of an `if`, a block's tail.
fn mark_value(out: &mut HashSet<usize>, e: &Expr, depth: usize) {
    out.insert(addr(e));
    let inner = unwrap_value(e);
    out.insert(addr(inner));
    if depth > 16 {
        return;
    }
    match strip_parens(inner) {
        Expr::Path(p) => {
            out.insert(addr(p));
        }
        Expr::Match(m) => {
            for arm in &m.arms {
                mark_value(out, &arm.body, depth + 1);
            }
        }
        Expr::If(i) => {
            if let Some(Stmt::Expr(tail, None)) = i.then_branch.stmts.last() {
                mark_value(out, tail, depth + 1);
            }
            if let Some((_, e)) = &i.else_branch {
                mark_value(out, e, depth + 1);
            }
        }
        Expr::Block(b) => {
            if let Some(Stmt::Expr(tail, None)) = b.block.stmts.last() {
                mark_value(out, tail, depth + 1);
            }
        }
        _ => {}
    }
}

/// Whether the value of an expression outlives the function's own use of
/// it: it escapes (see [`escaping_values`], which gives `escaping`), or the
/// local it initializes does.
pub fn kept<'a>(cx: &FnContext<'a>, expr: &'a Expr, escaping: &HashSet<usize>) -> bool {
    let escapes = |h: BindingId| binding_escapes(cx, h, escaping, 0);
    escaping.contains(&addr(expr))
        || cx.value_holder(expr).is_some_and(escapes)
        || held_parts(cx, expr).iter().any(|h| escapes(*h))
}

/// The locals a destructuring `let` takes out of `expr` that may hold its
/// connection. Of a driver call that returns a tuple, only the first
/// (`let (client, connection) = connect(..)`: spawning the driver half is
/// how the client is used, not where it goes).
fn held_parts<'c, 'a>(cx: &'c FnContext<'a>, expr: &'a Expr) -> &'c [BindingId] {
    let parts = cx.destructured(expr);
    let tuple_open = cx.call(expr).is_some_and(|call| {
        call.api.is_some() && matches!(&call.returns, crate::names::ty::Ty::Tuple(_))
    });
    if tuple_open {
        &parts[..parts.len().min(1)]
    } else {
        parts
    }
}

/// Whether a local's value escapes: a use of it does, or a binding taken
/// out of it by a pattern (`match conn { Ok(conn) => Ok(conn), .. }`) does.
fn binding_escapes(
    cx: &FnContext<'_>,
    id: BindingId,
    escaping: &HashSet<usize>,
    depth: usize,
) -> bool {
    let uses = &cx.binding(id).uses;
    if uses.iter().any(|u| match u {
        Expr::Path(p) => escaping.contains(&addr(p)),
        _ => false,
    }) {
        return true;
    }
    depth < 4
        && cx.bindings.iter().enumerate().any(|(other, b)| {
            b.kind == crate::function::context::BindingKind::Pattern
                && b.init.is_some_and(|init| {
                    let init = unwrap_value(init);
                    uses.iter().any(|u| std::ptr::eq(*u, init))
                })
                && binding_escapes(cx, other, escaping, depth + 1)
        })
}

/// Marks the paths a `move` closure or `async move` block captures: names
/// of locals declared outside it. A local declared inside (a connection
/// the closure opens and uses) lives and dies with the closure's body.
fn captured<'a>(
    cx: &FnContext<'a>,
    paths: Vec<&'a Expr>,
    region: crate::function::flow::Region,
    mark: &mut impl FnMut(&Expr),
) {
    for path in paths {
        let inside = cx.binding_of(path).is_some_and(|id| {
            let at = cx.binding(id).span.start();
            at >= region.0 && at <= region.1
        });
        if !inside {
            mark(path);
        }
    }
}
