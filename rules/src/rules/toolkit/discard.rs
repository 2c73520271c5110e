//! Values a statement throws away (`VALUE;`, `let _ = VALUE;`,
//! `_ = VALUE;`, `drop(VALUE);`) and the calls of asynchronous drivers
//! among them: a future dropped unpolled never runs.

use syn::{Expr, Stmt};

use crate::function::context::FnContext;
use crate::names::ty::Ty;
use crate::syntax::expr::strip_parens;

/// The value a discarding statement throws away: `let _ = VALUE;`,
/// `_ = VALUE;`, `VALUE;`.
pub fn discarded_value(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Local(local) => local.init.as_ref().map(|init| &*init.expr),
        Stmt::Expr(expr, Some(_)) => match strip_parens(expr) {
            Expr::Assign(a) => Some(&*a.right),
            other => Some(other),
        },
        _ => None,
    }
}

/// `drop`, `std::mem::drop`.
pub fn is_drop(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "drop"))
}

/// The value `stmt` drops without looking at it: `VALUE;`, `let _ = VALUE;`,
/// `_ = VALUE;`, `drop(VALUE);` (a `let` that binds a name or an assignment
/// to a place keeps it).
pub fn dropped_value(stmt: &Stmt) -> Option<&Expr> {
    let value = match stmt {
        Stmt::Local(local) if matches!(local.pat, syn::Pat::Wild(_)) => discarded_value(stmt)?,
        Stmt::Local(_) => return None,
        Stmt::Expr(expr, Some(_)) => match strip_parens(expr) {
            Expr::Assign(a) if !matches!(strip_parens(&a.left), Expr::Infer(_)) => return None,
            _ => discarded_value(stmt)?,
        },
        _ => return None,
    };
    match strip_parens(value) {
        Expr::Call(c) if is_drop(&c.func) && c.args.len() == 1 => Some(strip_parens(&c.args[0])),
        other => Some(other),
    }
}

/// Whether the method call `expr` (not awaited) is a call of an
/// asynchronous driver, whose result is a future: its receiver is a
/// value of a model whose `[driver]` says `asynchronous`.
pub fn is_async_driver_call<'a>(cx: &FnContext<'a>, expr: &'a Expr) -> bool {
    let Expr::MethodCall(call) = strip_parens(expr) else {
        return false;
    };
    match cx.ty_of(&call.receiver) {
        Ty::Model { id, .. } => {
            let model = cx.models.ty(id).model;
            cx.models.driver(model).asynchronous
        }
        _ => false,
    }
}

/// Every statement of the body, nested items excluded.
pub fn statements(body: &syn::Block) -> Vec<&Stmt> {
    crate::syntax::walker::Walk::new().stmts_in(body)
}
