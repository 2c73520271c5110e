use syn::spanned::Spanned;
use syn::{Expr, Stmt};

use crate::finding::Finding;
use crate::finding::{Applicability, Suggestion};
use crate::function::context::FnContext;
use crate::names::model::Effect;
use crate::syntax::expr::strip_parens;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `commit()` whose result is thrown away: `let _ = tx.commit();`,
    /// `_ = tx.commit();`, `tx.commit();` as a statement, `tx.commit().ok();`,
    /// `tx.commit().unwrap_or(..)` / `unwrap_or_default()`, an
    /// `unwrap_or_else` whose closure ignores the error, and
    /// `drop(tx.commit())`, including the `.await`ed forms of sqlx and
    /// tokio-postgres.
    ///
    /// ## Why is this bad?
    /// A commit can fail: `SQLITE_BUSY` under contention, a deferred foreign
    /// key violation, a serialization failure in PostgreSQL, a lost
    /// connection. When the error is discarded the writes are gone but the
    /// caller is told they happened.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let tx = conn.transaction()?;
    /// tx.execute("UPDATE tasks SET status = 'done' WHERE id = ?1", [id])?;
    /// let _ = tx.commit();
    /// Ok(())
    /// ```
    ///
    /// Use instead:
    /// ```rust,ignore
    /// let tx = conn.transaction()?;
    /// tx.execute("UPDATE tasks SET status = 'done' WHERE id = ?1", [id])?;
    /// tx.commit()?;
    /// Ok(())
    /// ```
    ///
    /// ## Fix
    /// Propagate the error with `?` (connlint suggests this edit, and marks it
    /// machine-applicable when the function returns a `Result` whose error
    /// type accepts the driver's error), or handle it explicitly with
    /// `match`/`if let Err(e)`.
    ///
    /// ## Known limits
    /// Only commits of transactions whose type is known (from the opening
    /// call or a type annotation) are recognised.
    pub static DISCARDED_COMMIT_ERROR = {
        name: "discarded-commit-error",
        summary: "the result of commit() is thrown away, so a failed commit silently loses writes",
        check: check,
    }
}

fn check(cx: &FnContext<'_>, out: &mut Vec<Finding>) {
    let mut statements = Statements(Vec::new());
    syn::visit::Visit::visit_block(&mut statements, cx.body);
    for stmt in statements.0 {
        match stmt {
            Stmt::Local(local) if matches!(local.pat, syn::Pat::Wild(_)) => {
                if let Some(init) = &local.init {
                    if let Some(commit) = discarded_commit(cx, &init.expr, true) {
                        report(
                            cx,
                            out,
                            commit,
                            stmt,
                            "`let _ =` discards the result of the commit",
                        );
                    }
                }
            }
            Stmt::Expr(expr, Some(_)) => {
                let (value, how) = match strip_parens(expr) {
                    Expr::Assign(a) if matches!(strip_parens(&a.left), Expr::Infer(_)) => {
                        (&*a.right, "`_ =` discards the result of the commit")
                    }
                    other => (other, "the result of the commit is ignored"),
                };
                if let Some(commit) = discarded_commit(cx, value, true) {
                    report(cx, out, commit, stmt, how);
                }
            }
            _ => {}
        }
    }
    // Discards that hold anywhere, not just as statements.
    cx.for_each_expr(&mut |expr| {
        let Expr::MethodCall(m) = expr else { return };
        let name = m.method.to_string();
        let swallows = match name.as_str() {
            "unwrap_or" | "unwrap_or_default" => true,
            "unwrap_or_else" => m.args.first().is_some_and(closure_ignores_argument),
            _ => false,
        };
        if swallows {
            if let Some(commit) = commit_call(cx, &m.receiver) {
                out.push(cx.finding(
                    &DISCARDED_COMMIT_ERROR,
                    commit.span(),
                    format!("`{name}` replaces the commit's error with a value, so a failed commit goes unnoticed"),
                    "propagate the error with `?` or handle it with `match`",
                ));
            }
        }
    });
}

/// The commit call inside a discarded value: `tx.commit()`,
/// `tx.commit().await`, `tx.commit().ok()`, `drop(tx.commit())`.
fn discarded_commit<'a>(cx: &FnContext<'a>, expr: &'a Expr, top: bool) -> Option<&'a Expr> {
    match strip_parens(expr) {
        Expr::MethodCall(m)
            if m.method == "ok" || m.method == "map_err" || m.method == "inspect_err" =>
        {
            discarded_commit(cx, &m.receiver, false)
        }
        Expr::Call(c) if top && is_drop(&c.func) && c.args.len() == 1 => {
            discarded_commit(cx, &c.args[0], false)
        }
        other => commit_call(cx, other),
    }
}

/// `expr` itself is a commit, possibly awaited.
fn commit_call<'a>(cx: &FnContext<'a>, expr: &'a Expr) -> Option<&'a Expr> {
    let inner = match strip_parens(expr) {
        Expr::Await(a) => strip_parens(&a.base),
        other => other,
    };
    let call = cx.call(inner)?;
    (call.effect() == Effect::Commit).then_some(expr)
}

fn is_drop(func: &Expr) -> bool {
    matches!(strip_parens(func), Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "drop"))
}

fn closure_ignores_argument(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Closure(c) => c.inputs.iter().all(|p| matches!(p, syn::Pat::Wild(_))),
        _ => false,
    }
}

fn report(cx: &FnContext<'_>, out: &mut Vec<Finding>, commit: &Expr, stmt: &Stmt, how: &str) {
    let mut finding = cx.finding(
        &DISCARDED_COMMIT_ERROR,
        commit.span(),
        format!("{how}; a failed commit silently loses the transaction's writes"),
        "propagate the error with `?` or handle it with `match`",
    );
    if cx.returns_result() {
        let (kept, drops_closure) = discarded_value(stmt)
            .and_then(|value| kept_expression(value, commit))
            .unwrap_or((commit, false));
        let applicability = if error_type_accepts_any(cx) && !drops_closure {
            Applicability::MachineApplicable
        } else {
            Applicability::MaybeIncorrect
        };
        let message = if drops_closure {
            "propagate the commit error with `?` (this drops the `map_err` closure)"
        } else {
            "propagate the commit error with `?`"
        };
        finding = finding.with_suggestion(Suggestion {
            message: message.into(),
            range: cx.file.range(stmt.span()),
            replacement: format!("{}?;", cx.text(kept.span())),
            applicability,
        });
    }
    out.push(finding);
}

/// The value a discarding statement throws away: `let _ = VALUE;`,
/// `_ = VALUE;`, `VALUE;`.
fn discarded_value(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Local(local) => local.init.as_ref().map(|init| &*init.expr),
        Stmt::Expr(expr, Some(_)) => match strip_parens(expr) {
            Expr::Assign(a) => Some(&*a.right),
            other => Some(other),
        },
        _ => None,
    }
}

/// What the suggested `?` applies to, inside the discarded `value`: the
/// commit itself with the discarding `.ok()` / `drop(..)` taken off, and an
/// `inspect_err(..)` kept, since it only observes the error. The flag is
/// set when a `map_err(..)` is taken off too: `?` on its mapped error would
/// rarely compile, and dropping it drops whatever its closure did (often
/// logging), which a person must agree to.
fn kept_expression<'a>(value: &'a Expr, commit: &'a Expr) -> Option<(&'a Expr, bool)> {
    if std::ptr::eq(value, commit) {
        return Some((commit, false));
    }
    match value {
        Expr::Paren(_) | Expr::Group(_) => kept_expression(strip_parens(value), commit),
        Expr::MethodCall(m) if m.method == "ok" => kept_expression(&m.receiver, commit),
        Expr::MethodCall(m) if m.method == "map_err" => {
            kept_expression(&m.receiver, commit).map(|(kept, _)| (kept, true))
        }
        Expr::MethodCall(m) if m.method == "inspect_err" => kept_expression(&m.receiver, commit)
            .map(|(kept, drops)| if drops { (kept, drops) } else { (value, false) }),
        Expr::Call(c) if c.args.len() == 1 => kept_expression(&c.args[0], commit),
        _ => None,
    }
}

/// Whether the function's error type converts from any driver error:
/// `anyhow::Result`, `eyre::Result`, `Box<dyn Error>`, or the driver's own
/// `Result` alias.
fn error_type_accepts_any(cx: &FnContext<'_>) -> bool {
    let syn::ReturnType::Type(_, ty) = &cx.sig.output else {
        return false;
    };
    let text = quote::ToTokens::to_token_stream(&**ty)
        .to_string()
        .replace(' ', "");
    text.starts_with("anyhow::Result")
        || text.starts_with("eyre::Result")
        || text.starts_with("color_eyre::Result")
        || text.contains("Box<dyn")
        || text.contains("anyhow::Error")
        || text.contains("rusqlite::Result")
        || text.contains("rusqlite::Error")
        || text.contains("sqlx::Error")
        || text.contains("postgres::Error")
        || text == "Result<()>"
            && cx.index.used_models.len() == 1
            && cx.resolver.imported_crates().iter().any(|c| c == "anyhow")
}

/// Every statement of the body, macro arguments excluded.
struct Statements<'a>(Vec<&'a Stmt>);

impl<'a> syn::visit::Visit<'a> for Statements<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.0.push(stmt);
        syn::visit::visit_stmt(self, stmt);
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}
