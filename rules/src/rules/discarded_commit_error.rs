use syn::spanned::Spanned;
use syn::{Expr, Stmt};

use crate::finding::Finding;
use crate::finding::{Applicability, Suggestion};
use crate::function::context::FnContext;
use crate::names::model::Effect;
use crate::rules::toolkit::discard::{discarded_value, is_async_driver_call, is_drop};
use crate::syntax::expr::strip_parens;
use crate::syntax::walker::{frame, Node, Walk};

crate::declare_rule! {
    /// ## What it does
    /// Flags a `commit()` whose result is thrown away: `let _ = tx.commit();`,
    /// `_ = tx.commit();`, `tx.commit();` as a statement, `tx.commit().ok();`,
    /// `tx.commit().unwrap_or(..)` / `unwrap_or_default()`, an
    /// `unwrap_or_else` whose closure ignores the error, and
    /// `drop(tx.commit())`, including the `.await`ed forms of sqlx and
    /// tokio-postgres. A commit of an async driver discarded without
    /// `.await` is a future dropped unpolled: the commit never runs, and
    /// the suggested fix adds `.await?`.
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
    /// Propagate the error with `?`, or handle it explicitly with
    /// `match`/`if let Err(e)`. connlint suggests the `?` edit only where it
    /// can compile: `?` returns from the innermost function, closure or
    /// `async` block around the commit, so that one must return a `Result`.
    /// The edit is machine-applicable (`--fix` applies it) only when
    /// connlint can see that its error type takes the driver's error: the
    /// driver's own `Error` or `Result`, `anyhow`, `eyre` or
    /// `Box<dyn std::error::Error>`. Where it cannot tell (an error type of
    /// the crate's own, a closure without a return type) the edit is only a
    /// suggestion; where `?` cannot compile (a closure or function returning
    /// `()`, an error type such as `String` or `std::io::Error`) none is
    /// made.
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

fn check<'a>(cx: &FnContext<'a>, out: &mut Vec<Finding>) {
    // Each statement with the innermost closure or `async` block around
    // it, which is what a `?` in it returns from. Macro arguments are left
    // out: a commit inside `format!` is no statement.
    let mut statements = Vec::new();
    Walk::new().block(cx.body, &mut |node, around| {
        if let Node::Stmt(stmt) = node {
            statements.push((stmt, frame(around)));
        }
    });
    for (stmt, around) in statements {
        let report = |out: &mut Vec<Finding>, commit: &'a Expr, how: &str| {
            report(cx, out, commit, stmt, around, how)
        };
        match stmt {
            Stmt::Local(local) if matches!(local.pat, syn::Pat::Wild(_)) => {
                if let Some(init) = &local.init {
                    if let Some(commit) = discarded_commit(cx, &init.expr, true) {
                        report(out, commit, "`let _ =` discards the result of the commit");
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
                    report(out, commit, how);
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

fn closure_ignores_argument(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Closure(c) => c.inputs.iter().all(|p| matches!(p, syn::Pat::Wild(_))),
        _ => false,
    }
}

fn report<'a>(
    cx: &FnContext<'a>,
    out: &mut Vec<Finding>,
    commit: &'a Expr,
    stmt: &'a Stmt,
    around: Option<&'a Expr>,
    how: &str,
) {
    let unawaited = is_async_driver_call(cx, commit);
    let message = if unawaited {
        "the commit's future is dropped unpolled, so the commit never runs and the transaction's writes are rolled back".to_string()
    } else {
        format!("{how}; a failed commit silently loses the transaction's writes")
    };
    let mut finding = cx.finding(
        &DISCARDED_COMMIT_ERROR,
        commit.span(),
        message,
        "propagate the error with `?` or handle it with `match`",
    );
    let propagation = question_mark(cx, commit, around);
    if propagation != Propagation::Fails {
        let (kept, drops_closure) = discarded_value(stmt)
            .and_then(|value| kept_expression(value, commit))
            .unwrap_or((commit, false));
        let applicability = if propagation == Propagation::Compiles && !drops_closure {
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
            replacement: if unawaited {
                format!("{}.await?;", cx.text(kept.span()))
            } else {
                format!("{}?;", cx.text(kept.span()))
            },
            applicability,
        });
    }
    out.push(finding);
}

/// Whether `commit?` type-checks where the commit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Propagation {
    /// The innermost function or closure around it returns a `Result`
    /// whose error type is known to take the commit's error.
    Compiles,
    /// It may or may not: a person must look.
    Unknown,
    /// It cannot: what is returned is no `Result`, or its error type is
    /// known not to take the commit's error.
    Fails,
}

/// Whether `?` on `commit` compiles inside `around` (the innermost closure
/// or `async` block holding the statement; the function when `None`).
/// Unknown unless shown either way: a fix marked machine-applicable that
/// does not compile costs more trust than a suggestion left to a person.
fn question_mark<'a>(cx: &FnContext<'a>, commit: &'a Expr, around: Option<&Expr>) -> Propagation {
    let returned = match around {
        None => match &cx.sig.output {
            syn::ReturnType::Default => return Propagation::Fails,
            syn::ReturnType::Type(_, ty) => &**ty,
        },
        Some(Expr::Closure(closure)) => match &closure.output {
            syn::ReturnType::Type(_, ty) => &**ty,
            syn::ReturnType::Default => return block_output(&closure.body),
        },
        Some(Expr::Async(block)) => return block_output_of(&block.block),
        Some(_) => return Propagation::Unknown,
    };
    match result_error(cx, returned) {
        ResultError::NotAResult => Propagation::Fails,
        ResultError::Unknown => Propagation::Unknown,
        ResultError::AnyError => Propagation::Compiles,
        ResultError::Driver(krate) => match commit_model(cx, commit) {
            Some(model) if same_error_type(cx, model, &krate) => Propagation::Compiles,
            _ => Propagation::Unknown,
        },
        ResultError::NoDriverError => Propagation::Fails,
    }
}

/// What an unannotated closure or `async` block returns, as far as `?` is
/// concerned: `()` when its block has no tail expression and no `return`
/// of a value (then `?` cannot compile), else whatever inference makes of
/// it, which connlint does not know.
fn block_output(body: &Expr) -> Propagation {
    match strip_parens(body) {
        Expr::Block(block) if block.label.is_none() => block_output_of(&block.block),
        _ => Propagation::Unknown,
    }
}

fn block_output_of(block: &syn::Block) -> Propagation {
    let has_tail = matches!(
        block.stmts.last(),
        Some(Stmt::Expr(_, None))
            | Some(Stmt::Macro(syn::StmtMacro {
                semi_token: None,
                ..
            }))
    );
    // A `return VALUE` of the block itself, not of closures or `async`
    // blocks inside it.
    let returns_value = !Walk::new()
        .skip_frames()
        .exprs_in(block, |e| matches!(e, Expr::Return(r) if r.expr.is_some()))
        .is_empty();
    if has_tail || returns_value {
        Propagation::Unknown
    } else {
        Propagation::Fails
    }
}

/// The error type of a returned type, as far as `?` cares.
enum ResultError {
    /// Not a `Result` at all (`()`, `Option`, `bool`, `impl Future`..).
    NotAResult,
    /// A `Result` whose error type takes any driver error: `anyhow`,
    /// `eyre`, `Box<dyn std::error::Error>`.
    AnyError,
    /// A `Result` whose error (or alias) is `<crate>::Error` /
    /// `<crate>::Result` of a modelled crate: it takes that crate's error.
    Driver(String),
    /// A `Result` whose error type takes no driver error: `String`,
    /// `&str`, `()`, `std::io::Error`, `std::fmt::Error`.
    NoDriverError,
    Unknown,
}

fn result_error(cx: &FnContext<'_>, ty: &syn::Type) -> ResultError {
    let path = match ty {
        syn::Type::Paren(p) => return result_error(cx, &p.elem),
        syn::Type::Group(g) => return result_error(cx, &g.elem),
        syn::Type::Tuple(t) if t.elems.is_empty() => return ResultError::NotAResult,
        syn::Type::ImplTrait(_) | syn::Type::Reference(_) | syn::Type::Never(_) => {
            return ResultError::NotAResult
        }
        syn::Type::Path(p) if p.qself.is_none() => &p.path,
        _ => return ResultError::Unknown,
    };
    let Some(last) = path.segments.last() else {
        return ResultError::Unknown;
    };
    let name = last.ident.to_string();
    if name != "Result" {
        const NOT_RESULTS: &[&str] = &[
            "Option", "bool", "char", "str", "String", "Vec", "HashMap", "BTreeMap", "Box", "u8",
            "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
            "f32", "f64",
        ];
        return if NOT_RESULTS.contains(&name.as_str()) {
            ResultError::NotAResult
        } else {
            // Maybe an alias of a `Result` under another name.
            ResultError::Unknown
        };
    }
    let types: Vec<&syn::Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let resolved = cx.resolver.resolve_path(path, cx.self_type.as_ref());
    match types.get(1) {
        Some(error) => error_type(cx, error),
        // An alias with its error type built in: `anyhow::Result<T>`,
        // `rusqlite::Result<T>`, `std::io::Result<T>`.
        None => match resolved_names(&resolved).as_slice() {
            ["anyhow" | "eyre" | "color_eyre", "Result"] => ResultError::AnyError,
            ["std" | "core", "io" | "fmt", "Result"] => ResultError::NoDriverError,
            [krate, "Result"] if cx.models.model_of_crate(krate).is_some() => {
                ResultError::Driver(krate.to_string())
            }
            _ => ResultError::Unknown,
        },
    }
}

/// Whether an explicit error type takes a driver's error.
fn error_type(cx: &FnContext<'_>, ty: &syn::Type) -> ResultError {
    match ty {
        syn::Type::Paren(p) => error_type(cx, &p.elem),
        syn::Type::Group(g) => error_type(cx, &g.elem),
        syn::Type::Tuple(t) if t.elems.is_empty() => ResultError::NoDriverError,
        syn::Type::Reference(_) => ResultError::NoDriverError,
        syn::Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last();
            if last.is_some_and(|s| s.ident == "Box") {
                return boxed_error(cx, last);
            }
            let resolved = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
            match resolved_names(&resolved).as_slice() {
                ["anyhow", "Error"] | ["eyre" | "color_eyre", "Report"] => ResultError::AnyError,
                ["String"] | ["std" | "alloc", "string", "String"] => ResultError::NoDriverError,
                ["std" | "core", "io" | "fmt", "Error"] => ResultError::NoDriverError,
                [krate, "Error"] if cx.models.model_of_crate(krate).is_some() => {
                    ResultError::Driver(krate.to_string())
                }
                _ => ResultError::Unknown,
            }
        }
        _ => ResultError::Unknown,
    }
}

/// `Box<dyn std::error::Error (+ Send + Sync + 'static)>` takes any driver
/// error (every modelled driver's error is `Send + Sync`); another box does
/// not say.
fn boxed_error(cx: &FnContext<'_>, segment: Option<&syn::PathSegment>) -> ResultError {
    let Some(syn::PathArguments::AngleBracketed(args)) = segment.map(|s| &s.arguments) else {
        return ResultError::Unknown;
    };
    let Some(syn::GenericArgument::Type(syn::Type::TraitObject(object))) = args.args.first() else {
        return ResultError::Unknown;
    };
    let mut is_error = false;
    for bound in &object.bounds {
        match bound {
            syn::TypeParamBound::Trait(t) => {
                let resolved = cx.resolver.resolve_path(&t.path, cx.self_type.as_ref());
                match resolved_names(&resolved).as_slice() {
                    ["std" | "core", "error", "Error"] => is_error = true,
                    ["Send"] | ["Sync"] | ["std" | "core", "marker", "Send" | "Sync"] => {}
                    _ => return ResultError::Unknown,
                }
            }
            syn::TypeParamBound::Lifetime(l) if l.ident == "static" => {}
            _ => return ResultError::Unknown,
        }
    }
    if is_error {
        ResultError::AnyError
    } else {
        ResultError::Unknown
    }
}

fn resolved_names(path: &[String]) -> Vec<&str> {
    path.iter().map(String::as_str).collect()
}

/// The model of the transaction a commit is called on (`rusqlite`).
fn commit_model<'a>(cx: &FnContext<'a>, commit: &'a Expr) -> Option<&'static str> {
    let inner = match strip_parens(commit) {
        Expr::Await(a) => strip_parens(&a.base),
        other => other,
    };
    let Expr::MethodCall(call) = inner else {
        return None;
    };
    match cx.ty_of(&call.receiver) {
        crate::names::ty::Ty::Model { id, .. } => Some(cx.models.ty(id).model),
        _ => None,
    }
}

/// Whether `<krate>::Error` is the error type of `model`'s commits: the
/// driver's `error_family` in its model lists the models that share one
/// error type (sqlx's crates re-export `sqlx_core::Error`; `postgres::Error`
/// is `tokio_postgres::Error`); for others (pools, diesel, the embedded
/// stores), whose crates have errors of their own, no answer is given.
fn same_error_type(cx: &FnContext<'_>, model: &str, krate: &str) -> bool {
    let Some(of_crate) = cx.models.model_of_crate(krate) else {
        return false;
    };
    cx.models
        .driver(model)
        .error_family
        .iter()
        .any(|member| member == of_crate)
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
