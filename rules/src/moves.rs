//! Where a local is moved rather than borrowed: passed by value, returned,
//! stored in a struct, tuple or collection, or assigned elsewhere. A moved
//! transaction or connection becomes someone else's responsibility.

use std::collections::HashSet;

use syn::{Expr, Stmt};

use crate::context::{addr, strip_parens, FnContext};

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
