//! Where a local is moved rather than borrowed: passed by value, returned,
//! stored in a struct, tuple or collection, or assigned elsewhere. A moved
//! transaction or connection becomes someone else's responsibility.

use std::collections::HashSet;

use syn::{Expr, Stmt};

use crate::function::context::FnContext;
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;

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
    let mut locals = LocalInits(Vec::new());
    syn::visit::Visit::visit_block(&mut locals, cx.body);
    for init in locals.0 {
        mark(init);
    }
    out
}

fn tail(block: &syn::Block, mark: &mut impl FnMut(&Expr)) {
    if let Some(Stmt::Expr(e, None)) = block.stmts.last() {
        mark(e);
    }
}

/// `let b = a;`: the value moves to a new name.
struct LocalInits<'a>(Vec<&'a Expr>);

impl<'a> syn::visit::Visit<'a> for LocalInits<'a> {
    fn visit_local(&mut self, local: &'a syn::Local) {
        if let Some(init) = &local.init {
            self.0.push(&init.expr);
        }
        syn::visit::visit_local(self, local);
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// Addresses of value expressions (seen through `?`, `.await`, `.unwrap()`)
/// that leave their immediate scope: returned, broken out of a loop,
/// assigned to a place, stored in a struct, tuple, array or collection
/// (method arguments), wrapped in `Some`/`Ok`/`Box::new`, the value of a
/// closure, or captured by a `move` closure or `async move` block.
pub fn escaping_values(cx: &FnContext<'_>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut mark = |e: &Expr| {
        out.insert(addr(e));
        let inner = unwrap_value(e);
        out.insert(addr(inner));
        if let Expr::Path(p) = strip_parens(inner) {
            out.insert(addr(p));
        }
    };
    cx.for_each_expr(&mut |expr| match expr {
        Expr::Call(c) => {
            let wrapper = matches!(strip_parens(&c.func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| {
                matches!(s.ident.to_string().as_str(), "Some" | "Ok" | "new" | "from" | "spawn" | "spawn_blocking" | "spawn_local")
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
                captured_paths(&c.body, &mut mark);
            }
        }
        Expr::Async(a) if a.capture.is_some() => {
            let mut finder = Paths(Vec::new());
            syn::visit::Visit::visit_block(&mut finder, &a.block);
            finder.0.into_iter().for_each(&mut mark);
        }
        _ => {}
    });
    tail(cx.body, &mut mark);
    out
}

fn captured_paths(body: &Expr, mark: &mut impl FnMut(&Expr)) {
    let mut finder = Paths(Vec::new());
    syn::visit::Visit::visit_expr(&mut finder, body);
    finder.0.into_iter().for_each(mark);
}

struct Paths<'a>(Vec<&'a Expr>);

impl<'a> syn::visit::Visit<'a> for Paths<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if matches!(expr, Expr::Path(_)) {
            self.0.push(expr);
        }
        syn::visit::visit_expr(self, expr);
    }
}
