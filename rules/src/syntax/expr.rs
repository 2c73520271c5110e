//! Small questions about expression syntax shared by every layer above:
//! node identity, and seeing through parentheses, borrows and the adapters
//! that hand on the value they wrap.

use syn::Expr;

/// The direct sub-expressions of an expression, in evaluation order, for
/// the expression kinds that have no scoping of their own.
pub fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Array(a) => a.elems.iter().collect(),
        Expr::Assign(a) => vec![&a.right, &a.left],
        Expr::Await(a) => vec![&a.base],
        Expr::Binary(b) => vec![&b.left, &b.right],
        Expr::Break(b) => b.expr.iter().map(|e| &**e).collect(),
        Expr::Call(c) => std::iter::once(&*c.func).chain(c.args.iter()).collect(),
        Expr::Cast(c) => vec![&c.expr],
        Expr::Field(f) => vec![&f.base],
        Expr::Group(g) => vec![&g.expr],
        Expr::Index(i) => vec![&i.expr, &i.index],
        Expr::Let(l) => vec![&l.expr],
        Expr::MethodCall(m) => std::iter::once(&*m.receiver).chain(m.args.iter()).collect(),
        Expr::Paren(p) => vec![&p.expr],
        Expr::Range(r) => r.start.iter().chain(r.end.iter()).map(|e| &**e).collect(),
        Expr::RawAddr(r) => vec![&r.expr],
        Expr::Reference(r) => vec![&r.expr],
        Expr::Repeat(r) => vec![&r.expr, &r.len],
        Expr::Return(r) => r.expr.iter().map(|e| &**e).collect(),
        Expr::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.expr)
            .chain(s.rest.iter().map(|e| &**e))
            .collect(),
        Expr::Try(t) => vec![&t.expr],
        Expr::Tuple(t) => t.elems.iter().collect(),
        Expr::Unary(u) => vec![&u.expr],
        Expr::Yield(y) => y.expr.iter().map(|e| &**e).collect(),
        _ => Vec::new(),
    }
}

/// Strips parentheses and invisible groups.
pub fn strip_parens(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            _ => return expr,
        };
    }
}

/// Strips borrows, derefs, parentheses and `as_mut()`-style reborrows from a
/// place expression.
pub fn strip_place(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Reference(r) => &r.expr,
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => &u.expr,
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(
                        m.method.to_string().as_str(),
                        "as_mut" | "as_ref" | "deref" | "deref_mut" | "by_ref"
                    ) =>
            {
                &m.receiver
            }
            _ => return expr,
        };
    }
}

/// Address of a syntax node, used as its identity while the tree is alive.
pub fn addr<T>(node: &T) -> usize {
    node as *const T as usize
}

/// Adapters that hand out the value they wrap: `?`, `.await`, `.unwrap()`.
pub fn unwrap_value(mut expr: &Expr) -> &Expr {
    loop {
        expr = match strip_parens(expr) {
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "unwrap"
                        | "expect"
                        | "context"
                        | "with_context"
                        | "map_err"
                        | "wrap_err"
                        | "unwrap_or_else"
                        | "ok"
                ) =>
            {
                &m.receiver
            }
            other => return other,
        };
    }
}

/// The `if`/`match` choices on the way from `body` down to each of
/// `targets` (expression addresses): for each enclosing `if` or `match`, its
/// address and the branch or arm taken. Two expressions that took different
/// branches of one choice never both run in one call.
pub fn branch_choices(
    body: &syn::Block,
    targets: &std::collections::HashSet<usize>,
) -> std::collections::HashMap<usize, Vec<(usize, u32)>> {
    struct Choices<'t> {
        targets: &'t std::collections::HashSet<usize>,
        stack: Vec<(usize, u32)>,
        out: std::collections::HashMap<usize, Vec<(usize, u32)>>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Choices<'_> {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            if self.targets.contains(&addr(expr)) {
                self.out.insert(addr(expr), self.stack.clone());
            }
            match expr {
                Expr::If(e) => {
                    self.visit_expr(&e.cond);
                    self.stack.push((addr(e), 0));
                    self.visit_block(&e.then_branch);
                    self.stack.pop();
                    if let Some((_, other)) = &e.else_branch {
                        self.stack.push((addr(e), 1));
                        self.visit_expr(other);
                        self.stack.pop();
                    }
                }
                Expr::Match(e) => {
                    self.visit_expr(&e.expr);
                    for (i, arm) in e.arms.iter().enumerate() {
                        self.stack.push((addr(e), i as u32));
                        self.visit_arm(arm);
                        self.stack.pop();
                    }
                }
                _ => syn::visit::visit_expr(self, expr),
            }
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut choices = Choices {
        targets,
        stack: Vec::new(),
        out: std::collections::HashMap::new(),
    };
    syn::visit::Visit::visit_block(&mut choices, body);
    choices.out
}

/// Whether two expressions took different branches of one `if` or `match`
/// (see [`branch_choices`]).
pub fn exclusive(a: &[(usize, u32)], b: &[(usize, u32)]) -> bool {
    a.iter()
        .any(|(at, arm)| b.iter().any(|(other, o)| at == other && arm != o))
}
