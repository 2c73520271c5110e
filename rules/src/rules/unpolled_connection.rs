use syn::spanned::Spanned;
use syn::{Expr, Pat};

use crate::finding::Finding;
use crate::function::context::FnContext;
use crate::names::model::Kind;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;
use crate::syntax::walker::Node;

crate::declare_rule! {
    /// ## What it does
    /// tokio-postgres' `connect` (and `Config::connect`) returns
    /// `(Client, Connection)`. Flags a call whose `Connection` half is bound
    /// to `_`, bound to a name that is never used, only passed to `drop`, or
    /// discarded by taking `.0` of the pair, instead of being awaited or
    /// spawned.
    ///
    /// ## Why is this bad?
    /// The `Connection` performs the actual communication with the server.
    /// Until it is polled, every query on the `Client` waits forever; once it
    /// is dropped, every query fails with "connection closed". The code
    /// compiles and the bug shows only at the first query.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let (client, _connection) = tokio_postgres::connect(url, NoTls).await?;
    /// client.query("SELECT 1", &[]).await?; // hangs
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    /// tokio::spawn(async move {
    ///     if let Err(e) = connection.await {
    ///         eprintln!("connection error: {e}");
    ///     }
    /// });
    /// client.query("SELECT 1", &[]).await?;
    /// ```
    ///
    /// ## Fix
    /// Spawn the connection on the runtime (or await it beside the client's
    /// work with `join!`/`select!`), and log its error.
    ///
    /// ## Known limits
    /// A connection passed to any function is assumed to be polled there.
    pub static UNPOLLED_CONNECTION = {
        name: "unpolled-connection",
        summary: "the Connection half of tokio-postgres' connect is dropped instead of awaited or spawned",
        check: check,
    }
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let bound = bound_patterns(cx);
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        let Some(api) = &call.api else { return };
        let Some(driver) = api.tuple.iter().position(|id| cx.models.ty(*id).kind == Kind::Driver) else { return };
        // Every pattern the pair meets: a `let`, an `if let`, each arm of a
        // `match`.
        let mut patterns = bound
            .iter()
            .filter(|(value, _)| std::ptr::eq(unwrap_value(value), expr))
            .peekable();
        let problem = match patterns.peek() {
            Some(_) => patterns.find_map(|(_, pattern)| pattern_problem(cx, pattern, driver)),
            None => temporary_problem(cx, expr, driver),
        };
        if let Some(problem) = problem {
            out.push(cx.finding(
                &UNPOLLED_CONNECTION,
                expr.span(),
                format!("the `Connection` half of `connect` {problem}, so the client never makes progress"),
                "spawn it: `tokio::spawn(async move { if let Err(e) = connection.await { eprintln!(\"connection error: {e}\") } })`",
            ));
        }
    });
}

/// What the pattern does with the driver half of the tuple.
fn pattern_problem(cx: &FnContext<'_>, pattern: &Pat, driver: usize) -> Option<String> {
    match pattern {
        Pat::Type(t) => pattern_problem(cx, &t.pat, driver),
        Pat::Paren(p) => pattern_problem(cx, &p.pat, driver),
        Pat::Reference(r) => pattern_problem(cx, &r.pat, driver),
        Pat::Or(o) => o
            .cases
            .iter()
            .find_map(|case| pattern_problem(cx, case, driver)),
        Pat::TupleStruct(t) if t.elems.len() == 1 => pattern_problem(cx, &t.elems[0], driver),
        Pat::Tuple(t) => match t.elems.iter().nth(driver)? {
            Pat::Wild(_) => Some("is bound to `_` and dropped at once".into()),
            Pat::Ident(id) => {
                let binding = cx
                    .bindings
                    .iter()
                    .find(|b| b.span.start() == id.ident.span().start())?;
                if binding.uses.is_empty() && binding.opaque_uses == 0 {
                    Some(format!("is bound to `{}` but never used", binding.name))
                } else if binding.opaque_uses == 0 && binding.uses.iter().all(|u| is_dropped(cx, u))
                {
                    Some(format!("`{}` is dropped", binding.name))
                } else {
                    None
                }
            }
            _ => None,
        },
        Pat::Ident(id) => {
            // The pair is kept whole: fine unless only `.0` is ever taken.
            let binding = cx
                .bindings
                .iter()
                .find(|b| b.span.start() == id.ident.span().start())?;
            let only_client =
                !binding.uses.is_empty() && binding.uses.iter().all(|u| takes_field(cx, u, 0));
            only_client.then(|| format!("is never taken out of `{}`", binding.name))
        }
        _ => None,
    }
}

/// `connect(..).await?.0`: the pair is a temporary and the driver is
/// dropped with it.
fn temporary_problem(cx: &FnContext<'_>, call: &Expr, driver: usize) -> Option<String> {
    let mut problem = None;
    cx.for_each_expr(&mut |expr| {
        if let Expr::Field(f) = expr {
            if std::ptr::eq(unwrap_value(&f.base), call) {
                if let syn::Member::Unnamed(i) = &f.member {
                    if i.index as usize != driver {
                        problem = Some("is dropped with the temporary tuple".to_string());
                    }
                }
            }
        }
    });
    problem
}

fn is_dropped(cx: &FnContext<'_>, use_site: &Expr) -> bool {
    let mut dropped = false;
    cx.for_each_expr(&mut |expr| {
        let Expr::Call(call) = expr else { return };
        let is_drop = matches!(strip_parens(&call.func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "drop"));
        if is_drop && call.args.iter().any(|a| std::ptr::eq(strip_parens(a), use_site)) {
            dropped = true;
        }
    });
    dropped
}

fn takes_field(cx: &FnContext<'_>, use_site: &Expr, index: u32) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |expr| {
        if let Expr::Field(f) = expr {
            if std::ptr::eq(strip_parens(&f.base), use_site) {
                found = matches!(&f.member, syn::Member::Unnamed(i) if i.index == index);
            }
        }
    });
    found
}

/// `let PAT = VALUE;`, `if let PAT = VALUE` and each arm of `match VALUE`,
/// as (value, pattern) pairs.
fn bound_patterns<'a>(cx: &FnContext<'a>) -> Vec<(&'a Expr, &'a Pat)> {
    let mut out = Vec::new();
    cx.walk().block(cx.body, &mut |node, _| match node {
        Node::Stmt(syn::Stmt::Local(local)) => {
            if let Some(init) = &local.init {
                out.push((&*init.expr, &local.pat));
            }
        }
        Node::Expr(Expr::Let(expr)) => out.push((&*expr.expr, &*expr.pat)),
        Node::Expr(Expr::Match(expr)) => {
            out.extend(expr.arms.iter().map(|arm| (&*expr.expr, &arm.pat)));
        }
        _ => {}
    });
    out
}
