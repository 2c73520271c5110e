//! Where connections are opened or checked out, what database they reach,
//! and where the opened value ends up: the shared vocabulary of the
//! connection rules.

use syn::spanned::Spanned;
use syn::Expr;

use crate::finding::normalize_source;
use crate::function::context::FnContext;
use crate::index::effects::ParamSlot;
use crate::names::model::{DropBehavior, Effect, Kind};
use crate::names::resolve::PathBuf;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::strip_place;
use crate::syntax::expr::unwrap_value;

/// A call that opens a connection, a pool or a client, or checks one out of
/// a pool.
#[derive(Clone)]
pub struct OpenSite<'a> {
    pub expr: &'a Expr,
    pub kind: Kind,
    pub drop: DropBehavior,
    /// The argument naming the database (path, URL, manager).
    pub db: Option<&'a Expr>,
    /// The crate function that opens on the caller's behalf, if any.
    pub factory: Option<PathBuf>,
    pub checkout: bool,
    /// For checkouts: the pool expression.
    pub pool: Option<&'a Expr>,
}

/// SQL that only checks a database: integrity and journal pragmas,
/// `SELECT 1`, counts.
pub fn is_check_sql(sql: &str) -> bool {
    let upper = normalize_source(&sql.to_ascii_uppercase());
    let mut statements = upper.split(';').map(str::trim).filter(|s| !s.is_empty());
    // One statement: a batch of several is set-up or work, not a check.
    let (Some(statement), None) = (statements.next(), statements.next()) else {
        return false;
    };
    if let Some(pragma) = statement.strip_prefix("PRAGMA ") {
        // `PRAGMA journal_mode = WAL` sets; `PRAGMA journal_mode` asks.
        if pragma.contains('=') {
            return false;
        }
        return [
            "INTEGRITY_CHECK",
            "QUICK_CHECK",
            "JOURNAL_MODE",
            "FOREIGN_KEY_CHECK",
            "SCHEMA_VERSION",
            "USER_VERSION",
        ]
        .iter()
        .any(|p| pragma.contains(p));
    }
    statement == "SELECT 1" || statement.starts_with("SELECT COUNT(")
}

impl<'a> FnContext<'a> {
    /// The open or checkout `expr` performs, if any. Registry lookups of
    /// connlint-runtime are not opens: they return the process's one handle.
    pub fn open_site(&self, expr: &'a Expr) -> Option<OpenSite<'a>> {
        let call = self.call(expr)?;
        if let Some(api) = &call.api {
            let checkout = api.effect == Effect::Checkout;
            if api.effect != Effect::Open && !checkout {
                return None;
            }
            let id = match &call.returns {
                crate::names::ty::Ty::Model { id, .. } => *id,
                crate::names::ty::Ty::Tuple(items) => items.first().and_then(|t| t.model())?,
                _ => return None,
            };
            let ty = self.models.ty(id);
            if ty.kind == Kind::Handle {
                return None;
            }
            return Some(OpenSite {
                expr,
                kind: ty.kind,
                drop: ty.drop,
                // `client.get_connection()`: the database is the client's.
                // `Pool::builder(manager).build()`: the builder's.
                db: api
                    .database
                    .and_then(|i| call.args.get(i).copied())
                    .or_else(|| {
                        call.receiver.filter(|r| {
                            matches!(self.kind_of(r), Some(Kind::Builder | Kind::Manager))
                        })
                    }),
                factory: None,
                checkout,
                pool: if checkout { call.receiver } else { None },
            });
        }
        let callee = call.callee.as_ref()?;
        let fresh = self.index.summary(callee)?.fresh.as_ref()?;
        Some(OpenSite {
            expr,
            kind: fresh.kind,
            drop: DropBehavior::Close,
            db: fresh.db_param.and_then(|i| call.args.get(i).copied()),
            factory: Some(callee.clone()),
            checkout: false,
            pool: None,
        })
    }

    /// The database an expression names, as comparable text: local aliases
    /// (`let p = path.clone()`), borrows and conversions are followed, and a
    /// pool manager or client stands for the database it was made with.
    pub fn db_key(&self, expr: &'a Expr) -> String {
        normalize_source(self.text(self.db_source(expr).span()))
    }

    /// The expression that names a database: through local bindings,
    /// conversions (`clone`, `as_ref`, `parse`), builder chains and the
    /// database argument of the call that made a client, manager or options.
    pub fn db_source(&self, expr: &'a Expr) -> &'a Expr {
        let mut current = expr;
        for _ in 0..12 {
            let stripped = unwrap_value(strip_place(current));
            let next = match stripped {
                Expr::Path(_) => self
                    .binding_of(stripped)
                    .and_then(|id| self.bindings[id].init),
                Expr::MethodCall(m) if is_conversion(&m.method.to_string()) => Some(&*m.receiver),
                Expr::Call(_) | Expr::MethodCall(_) => self.call(stripped).and_then(|call| {
                    if let Some(arg) = call
                        .api
                        .as_ref()
                        .and_then(|a| a.database)
                        .and_then(|i| call.args.get(i).copied())
                    {
                        return Some(arg);
                    }
                    // A builder's methods and a client's connect calls keep
                    // the database of what they are called on.
                    let receiver = call.receiver?;
                    let builder =
                        matches!(self.kind_of(receiver), Some(Kind::Builder | Kind::Manager));
                    builder.then_some(receiver)
                }),
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => return stripped,
            }
        }
        current
    }

    /// The parameter that names the database an expression reaches: the
    /// one it is rooted in through local bindings and conversions, or else
    /// the only parameter it is computed from (`let url = if
    /// path.starts_with("file:") { path.to_string() } else {
    /// format!("file:{path}") };`).
    pub fn db_param(&self, db: &'a Expr) -> Option<usize> {
        let source = self.db_source(db);
        if let Some((slot, _)) = self.param_root(source) {
            return match slot {
                ParamSlot::Arg(i) => Some(i),
                ParamSlot::SelfParam => None,
            };
        }
        let mut params = std::collections::BTreeSet::new();
        let mut self_used = false;
        let mut pending = vec![(source, 0)];
        while let Some((expr, depth)) = pending.pop() {
            // Closures are left out: what they name is not the value.
            let paths = self
                .walk()
                .skip_frames()
                .exprs_under(expr, |e| matches!(e, Expr::Path(_)));
            for path in paths {
                if matches!(path, Expr::Path(p) if p.path.is_ident("self")) {
                    self_used = true;
                }
                let Some(id) = self.binding_of(path) else {
                    continue;
                };
                match self.bindings[id].kind {
                    crate::function::context::BindingKind::Param(i) => {
                        params.insert(i);
                    }
                    _ => {
                        if let (Some(init), true) = (self.bindings[id].init, depth < 4) {
                            pending.push((init, depth + 1));
                        }
                    }
                }
            }
            if params.len() > 1 || pending.len() > 32 {
                return None;
            }
        }
        match (params.len(), self_used) {
            (1, false) => params.into_iter().next(),
            _ => None,
        }
    }

    /// The parameter (and field path below it) an expression is rooted in:
    /// `state.pool` is `(Arg(0), ".pool")` when `state` is the first
    /// parameter.
    pub fn param_root(&self, expr: &'a Expr) -> Option<(ParamSlot, String)> {
        let mut suffix = Vec::new();
        let mut current = strip_place(expr);
        loop {
            match current {
                Expr::Field(f) => {
                    suffix.push(match &f.member {
                        syn::Member::Named(n) => n.to_string(),
                        syn::Member::Unnamed(i) => i.index.to_string(),
                    });
                    current = strip_place(&f.base);
                }
                Expr::MethodCall(m)
                    if m.args.is_empty()
                        && crate::names::ty::TRANSPARENT_METHODS
                            .contains(&m.method.to_string().as_str()) =>
                {
                    current = strip_place(&m.receiver);
                }
                Expr::Path(p) if p.path.is_ident("self") => {
                    return Some((ParamSlot::SelfParam, join_suffix(suffix)));
                }
                Expr::Path(_) => {
                    let id = self.binding_of(current)?;
                    return match self.bindings[id].kind {
                        crate::function::context::BindingKind::Param(i) => {
                            Some((ParamSlot::Arg(i), join_suffix(suffix)))
                        }
                        _ => None,
                    };
                }
                _ => return None,
            }
        }
    }
}

/// Methods that convert a value without changing what it names.
fn is_conversion(method: &str) -> bool {
    matches!(
        method,
        "clone"
            | "as_ref"
            | "to_path_buf"
            | "as_path"
            | "to_owned"
            | "to_string"
            | "into"
            | "as_str"
            | "as_os_str"
            | "parse"
            | "borrow"
    )
}

fn join_suffix(mut parts: Vec<String>) -> String {
    parts.reverse();
    parts.iter().map(|p| format!(".{p}")).collect()
}

/// Method names whose closure argument runs once per process (or per key).
pub fn is_initializer_method(method: &str) -> bool {
    matches!(
        method,
        "get_or_init"
            | "get_or_try_init"
            | "call_once"
            | "call_once_force"
            | "get_or_insert_with"
            | "or_insert_with"
    )
}

/// `LazyLock::new(|| ..)`, `Lazy::new(|| ..)`, `LazyCell::new(|| ..)`.
pub fn is_initializer_call(func: &Expr) -> bool {
    match strip_parens(func) {
        Expr::Path(p) => {
            let names: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            names.len() >= 2
                && names[names.len() - 1] == "new"
                && matches!(
                    names[names.len() - 2].as_str(),
                    "LazyLock" | "Lazy" | "LazyCell"
                )
        }
        _ => false,
    }
}

/// The source regions of closures given to one-time initializers: code
/// that runs once per process, whatever calls it how often.
pub fn initializer_regions(
    cx: &FnContext<'_>,
) -> Vec<(proc_macro2::LineColumn, proc_macro2::LineColumn)> {
    let mut out = Vec::new();
    cx.for_each_expr(&mut |expr| {
        let args: Vec<&Expr> = match expr {
            Expr::MethodCall(m) if is_initializer_method(&m.method.to_string()) => {
                m.args.iter().collect()
            }
            Expr::Call(c) if is_initializer_call(&c.func) => c.args.iter().collect(),
            _ => return,
        };
        for arg in args {
            if let Expr::Closure(c) = strip_parens(arg) {
                out.push((c.span().start(), c.span().end()));
            }
        }
    });
    out
}

/// Whether an expression starts inside one of `regions`.
pub fn in_regions(
    regions: &[(proc_macro2::LineColumn, proc_macro2::LineColumn)],
    expr: &Expr,
) -> bool {
    let at = expr.span().start();
    regions
        .iter()
        .any(|(start, end)| at >= *start && at <= *end)
}

/// Whether every use of a binding runs check queries only (or drops or
/// closes it).
pub fn used_only_for_checks(
    cx: &FnContext<'_>,
    binding: Option<crate::function::context::BindingId>,
) -> bool {
    let Some(id) = binding else { return false };
    let uses = &cx.binding(id).uses;
    if uses.is_empty() {
        return false;
    }
    let mut checked = false;
    let mut all = true;
    cx.for_each_expr(&mut |expr| {
        let Some(call) = cx.call(expr) else { return };
        let on_binding = cx.call_takes(&call, id);
        if !on_binding {
            return;
        }
        let is_drop = call
            .path
            .as_ref()
            .is_some_and(|p| p.last().is_some_and(|l| l == "drop"));
        if is_drop || call.effect() == Effect::Close {
            return;
        }
        let sql = cx.call_sql(&call).and_then(|s| s.text);
        match sql {
            Some(text) if is_check_sql(&text) => checked = true,
            _ => all = false,
        }
    });
    checked && all
}

/// The values a block produces: its tail expression, and any expression
/// statement without a semicolon under a `#[cfg(..)]` attribute (one of
/// several alternatives, each the tail when its configuration is on).
fn tails(block: &syn::Block) -> Vec<&Expr> {
    let mut out = Vec::new();
    let last = block.stmts.len().saturating_sub(1);
    for (i, stmt) in block.stmts.iter().enumerate() {
        if let syn::Stmt::Expr(expr, None) = stmt {
            if i == last || has_cfg(expr) {
                out.push(expr);
            }
        }
    }
    out
}

fn has_cfg(expr: &Expr) -> bool {
    let attrs: &[syn::Attribute] = match expr {
        Expr::If(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Path(e) => &e.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| a.path().is_ident("cfg"))
}

/// A connection a function opens itself with a driver call (not a pool
/// checkout, not through a crate factory), outside one-time initializers,
/// and either returns to its caller (a factory) or uses and drops (an open
/// for its own use); not one it stores beyond the call.
pub struct OwnOpen<'a> {
    pub site: OpenSite<'a>,
    pub returned: bool,
}

/// The [`OwnOpen`]s of a function; `escaping` as
/// [`crate::function::moves::escaping_values`] gives it.
pub fn own_opens<'a>(
    cx: &FnContext<'a>,
    escaping: &std::collections::HashSet<usize>,
) -> Vec<OwnOpen<'a>> {
    let mut sites = Vec::new();
    cx.for_each_expr(&mut |expr| {
        if let Some(site) = cx.open_site(expr) {
            if site.factory.is_none() && !site.checkout && site.kind.holds_connection() {
                sites.push(site);
            }
        }
    });
    if sites.is_empty() {
        return Vec::new();
    }
    let initializers = initializer_regions(cx);
    let returned = returned_values(cx);
    sites
        .into_iter()
        .filter(|site| !in_regions(&initializers, site.expr))
        .filter_map(|site| {
            let returned = returned.iter().any(|r| std::ptr::eq(*r, site.expr));
            (returned || !crate::function::moves::kept(cx, site.expr, escaping))
                .then_some(OwnOpen { site, returned })
        })
        .collect()
}

/// The values a function returns: its tail and `return` expressions, seen
/// through `Ok(..)`, `Arc::new(..)`, struct literals and local bindings.
pub fn returned_values<'a>(cx: &FnContext<'a>) -> Vec<&'a Expr> {
    let mut roots: Vec<&'a Expr> = tails(cx.body);
    cx.for_each_expr(&mut |expr| {
        if let Expr::Return(r) = expr {
            if let Some(value) = &r.expr {
                roots.push(value);
            }
        }
    });
    let mut out = Vec::new();
    let mut seen = 0;
    while let Some(expr) = roots.pop() {
        seen += 1;
        if seen > 256 {
            break;
        }
        let expr = unwrap_value(expr);
        match expr {
            Expr::Call(c) => {
                let wrapper = match crate::syntax::expr::strip_parens(&c.func) {
                    Expr::Path(p) => {
                        // `Ok(x)`, `Arc::new(x)`, and tuple-struct or enum
                        // variant constructors (`DbPool::Sqlite(pool)`).
                        p.path.segments.last().is_some_and(|s| {
                            let name = s.ident.to_string();
                            matches!(name.as_str(), "Ok" | "Some" | "new" | "from")
                                || name.starts_with(|c: char| c.is_ascii_uppercase())
                        }) && cx
                            .call(expr)
                            .is_none_or(|call| call.api.is_none() && call.callee.is_none())
                    }
                    _ => false,
                };
                if wrapper {
                    roots.extend(c.args.iter());
                } else {
                    out.push(expr);
                }
            }
            Expr::Struct(s) => roots.extend(s.fields.iter().map(|f| &f.expr)),
            Expr::Tuple(t) => roots.extend(t.elems.iter()),
            Expr::Path(_) => {
                if let Some(id) = cx.binding_of(expr) {
                    if let Some(init) = cx.binding(id).init {
                        roots.push(init);
                    }
                }
            }
            Expr::Block(b) => roots.extend(tails(&b.block)),
            Expr::If(i) => {
                roots.extend(tails(&i.then_branch));
                if let Some((_, e)) = &i.else_branch {
                    roots.push(e);
                }
            }
            Expr::Match(m) => roots.extend(m.arms.iter().map(|a| &*a.body)),
            // `open(p).or_else(|e| { repair(p)?; open(p) })`: the value is
            // the receiver's, or the fallback closure's.
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "or_else" | "or")
                    && cx
                        .call(expr)
                        .is_none_or(|call| call.api.is_none() && call.callee.is_none()) =>
            {
                roots.push(&m.receiver);
                for arg in &m.args {
                    match crate::syntax::expr::strip_parens(arg) {
                        Expr::Closure(c) => roots.push(&c.body),
                        other => roots.push(other),
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}
