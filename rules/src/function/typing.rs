//! Expression-level questions the rules ask: what type does this expression
//! have, which modelled call is this, what SQL does it run and on which
//! connection.

use proc_macro2::Span;
use std::rc::Rc;
use syn::spanned::Spanned;

use syn::Expr;

use crate::function::context::{Call, FnContext};
use crate::index::decls::const_string;
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::model::{ApiEntry, Effect, Kind};
use crate::names::sql::{classify, SqlInfo, WriteKind, WriteShape};
use crate::names::ty::{Ty, TRANSPARENT_METHODS, TRANSPARENT_WRAPPERS};
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::strip_place;

/// The SQL a call runs, as far as it can be known.
#[derive(Clone, Debug, Default)]
pub struct SqlFacts {
    pub text: Option<String>,
    /// A query builder that writes whatever its text (diesel `insert_into`).
    pub known_write: bool,
    /// What such a builder writes, as far as its arguments say (diesel's
    /// `delete(posts::table.filter(..))` deletes some rows of `posts`).
    pub shape: Option<WriteShape>,
}

impl SqlFacts {
    pub fn info(&self) -> Option<SqlInfo> {
        self.text.as_deref().map(classify)
    }

    /// The shape of each write the SQL or builder makes.
    pub fn shapes(&self) -> Vec<WriteShape> {
        match self.info() {
            Some(info) => info.shapes,
            None => self.shape.clone().into_iter().collect(),
        }
    }

    /// Number of writes the SQL certainly makes; unknown SQL counts zero.
    pub fn known_writes(&self) -> usize {
        match self.info() {
            Some(info) => info.writes(),
            None => usize::from(self.known_write),
        }
    }
}

const MAX_DEPTH: usize = 24;

/// The future a `block_on` call runs to completion: `rt.block_on(fut)`,
/// `block_on(fut)`.
fn block_on_future(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::MethodCall(m) if m.method == "block_on" && m.args.len() == 1 => m.args.first(),
        Expr::Call(c) if c.args.len() == 1 => match strip_parens(&c.func) {
            Expr::Path(p)
                if p.path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "block_on") =>
            {
                c.args.first()
            }
            _ => None,
        },
        _ => None,
    }
}

impl<'a> FnContext<'a> {
    /// What the analysis knows about an expression's type.
    pub fn ty_of(&self, expr: &'a Expr) -> Ty {
        self.ty_depth(expr, 0)
    }

    fn ty_depth(&self, expr: &'a Expr, depth: usize) -> Ty {
        if depth > MAX_DEPTH {
            return Ty::Unknown;
        }
        let next = |e: &'a Expr| self.ty_depth(e, depth + 1);
        match expr {
            Expr::Path(p) => {
                if let Some(id) = self.binding_of(expr) {
                    return self.bindings[id].ty.clone();
                }
                if p.path.is_ident("self") {
                    return self.self_ty();
                }
                Ty::Unknown
            }
            Expr::Paren(p) => next(&p.expr),
            Expr::Group(g) => next(&g.expr),
            Expr::Reference(r) => next(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => next(&u.expr),
            Expr::Try(t) => next(&t.expr),
            Expr::Await(a) => next(&a.base),
            Expr::Cast(c) => next(&c.expr),
            Expr::Tuple(t) => Ty::Tuple(t.elems.iter().map(next).collect()),
            Expr::Field(f) => {
                if let Some(ty) = self.fact(expr).and_then(|fact| fact.ty.as_deref()) {
                    return self.ty_from_fact(ty);
                }
                let base = next(&f.base);
                match (&base, &f.member) {
                    (Ty::Named { path, .. }, syn::Member::Named(name)) => self
                        .index
                        .field(path, &name.to_string())
                        .map(|t| self.index.ty(t))
                        .unwrap_or_default(),
                    (Ty::Tuple(items), syn::Member::Unnamed(i)) => {
                        items.get(i.index as usize).cloned().unwrap_or_default()
                    }
                    (Ty::Named { path, .. }, syn::Member::Unnamed(i)) => self
                        .index
                        .field(path, &i.index.to_string())
                        .map(|t| self.index.ty(t))
                        .unwrap_or_default(),
                    _ => Ty::Unknown,
                }
            }
            Expr::Struct(s) => {
                let path = self.resolver.resolve_path(&s.path, self.self_type.as_ref());
                Ty::Named {
                    path,
                    args: Vec::new(),
                }
            }
            Expr::Block(b) => b
                .block
                .stmts
                .last()
                .map(|s| self.stmt_ty(s, depth))
                .unwrap_or_default(),
            Expr::Unsafe(b) => b
                .block
                .stmts
                .last()
                .map(|s| self.stmt_ty(s, depth))
                .unwrap_or_default(),
            Expr::If(i) => {
                let then = i
                    .then_branch
                    .stmts
                    .last()
                    .map(|s| self.stmt_ty(s, depth))
                    .unwrap_or_default();
                if then.is_known() {
                    return then;
                }
                i.else_branch
                    .as_ref()
                    .map(|(_, e)| next(e))
                    .unwrap_or_default()
            }
            Expr::Match(m) => m
                .arms
                .iter()
                .map(|arm| next(&arm.body))
                .find(Ty::is_known)
                .unwrap_or_default(),
            Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_) => {
                // A runtime's `block_on(fut)` (tokio's `Runtime` and
                // `Handle`, `futures::executor::block_on`, an application's
                // wrapper returning `F::Output`) yields what the future
                // does, as `.await` would.
                if let Some(output) = block_on_future(expr).map(next).filter(Ty::is_known) {
                    return output;
                }
                self.call_depth(expr, depth)
                    .map(|c| c.returns.clone())
                    .unwrap_or_default()
            }
            _ => Ty::Unknown,
        }
    }

    fn stmt_ty(&self, stmt: &'a syn::Stmt, depth: usize) -> Ty {
        match stmt {
            syn::Stmt::Expr(e, None) => self.ty_depth(e, depth + 1),
            _ => Ty::Unknown,
        }
    }

    /// The type of `self` inside a method.
    pub fn self_ty(&self) -> Ty {
        let Some(path) = &self.self_type else {
            return Ty::Unknown;
        };
        // Inside the crate that defines a modelled type (linting rusqlite or
        // connlint-runtime themselves), `self` is the crate's own struct:
        // its fields and methods are in the index.
        if self.index.has_struct(path) {
            return Ty::Named {
                path: path.clone(),
                args: Vec::new(),
            };
        }
        match self.index.model_type(path) {
            Some(id) => Ty::Model {
                id,
                args: Vec::new(),
            },
            None => Ty::Named {
                path: path.clone(),
                args: Vec::new(),
            },
        }
    }

    /// The kind of database value an expression holds, if it holds one.
    /// A crate type that derefs to a connection (`impl Deref<Target =
    /// Connection>`) is a connection.
    pub fn kind_of(&self, expr: &'a Expr) -> Option<Kind> {
        self.index.db_ty(&self.ty_of(expr)).kind(self.models)
    }

    /// Classifies a call expression (function, method or macro call).
    pub fn call(&self, expr: &'a Expr) -> Option<Rc<Call<'a>>> {
        self.call_depth(expr, 0)
    }

    /// Rules ask about the same calls many times, and typing a call types
    /// its whole receiver chain: each answer is computed once per function.
    fn call_depth(&self, expr: &'a Expr, depth: usize) -> Option<Rc<Call<'a>>> {
        if !matches!(expr, Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)) {
            return None;
        }
        if !self.caching {
            return self.compute_call(expr, depth).map(Rc::new);
        }
        if let Some(hit) = self.call_cache.borrow().get(&addr(expr)) {
            return hit.clone();
        }
        let result = self.compute_call(expr, depth).map(Rc::new);
        self.call_cache
            .borrow_mut()
            .insert(addr(expr), result.clone());
        result
    }

    fn compute_call(&self, expr: &'a Expr, depth: usize) -> Option<Call<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(call) = self.call_from_facts(expr) {
            return Some(call);
        }
        match expr {
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let receiver_ty = self.ty_depth(&m.receiver, depth + 1);
                let mut call = Call {
                    expr,
                    method: Some(name.clone()),
                    path: None,
                    receiver: Some(&m.receiver),
                    args: m.args.iter().collect(),
                    api: None,
                    callee: None,
                    returns: Ty::Unknown,
                    span: m.method.span(),
                };
                // `s.parse::<T>()`, `x.into::<T>()`: the turbofish names the type.
                if let (Some(turbofish), true) = (
                    &m.turbofish,
                    matches!(name.as_str(), "parse" | "into" | "try_into"),
                ) {
                    if let Some(syn::GenericArgument::Type(t)) = turbofish.args.first() {
                        let te =
                            crate::names::ty::type_expr(&self.resolver, t, self.self_type.as_ref());
                        call.returns = self.index.ty(&te);
                        return Some(call);
                    }
                }
                match &receiver_ty {
                    Ty::Model { id, args } => {
                        let manager = args.first().and_then(Ty::model);
                        if let Some(entry) = self.models.method(*id, manager, &name) {
                            call.returns = entry_ty(&entry, entry.returns, args);
                            call.api = Some(entry);
                        } else if let Some(decl) = self.index.model_trait_method(*id, &name) {
                            self.call_into(&mut call, decl);
                        } else if self.models.ty(*id).chain
                            || TRANSPARENT_METHODS.contains(&name.as_str())
                        {
                            call.returns = receiver_ty.clone();
                        }
                    }
                    Ty::Named { path, .. } => {
                        if let Some(decl) = self.index.method(path, &name) {
                            self.call_into(&mut call, decl);
                        } else if self.deref_method(&receiver_ty, &name, &mut call) {
                        } else if let Some(decl) = self.index.trait_method(path, &name) {
                            self.call_into(&mut call, decl);
                        } else if TRANSPARENT_METHODS.contains(&name.as_str()) {
                            call.returns = receiver_ty.clone();
                        }
                    }
                    _ => {
                        if let Some(entry) = self.untyped_method(&name) {
                            call.returns = model_ty(entry.returns);
                            call.api = Some(entry);
                        }
                    }
                }
                self.attach_manager(&mut call, depth);
                Some(call)
            }
            Expr::Call(c) => {
                let Expr::Path(func) = strip_parens(&c.func) else {
                    return None;
                };
                if func.qself.is_some() || self.binding_of(&c.func).is_some() {
                    return None;
                }
                let path = self
                    .resolver
                    .resolve_path(&func.path, self.self_type.as_ref());
                let mut call = Call {
                    expr,
                    method: None,
                    path: Some(path.clone()),
                    receiver: None,
                    args: c.args.iter().collect(),
                    api: None,
                    callee: None,
                    returns: Ty::Unknown,
                    span: func.span(),
                };
                if let Some((entry, returns)) = self.index.model_function(&path) {
                    call.returns = entry_ty(&entry, returns, &[]);
                    call.api = Some(entry);
                } else if let Some(decl) = self.index.function(&path) {
                    self.call_into(&mut call, decl);
                } else if is_wrapping_constructor(&path) {
                    call.returns = c
                        .args
                        .first()
                        .map(|a| self.ty_depth(a, depth + 1))
                        .unwrap_or_default();
                }
                self.attach_manager(&mut call, depth);
                Some(call)
            }
            Expr::Macro(m) => {
                let path = self.macro_path(&m.mac);
                let entry = self.models.macro_entry(&path)?;
                let args = self
                    .macro_args(&m.mac)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                Some(Call {
                    expr,
                    method: None,
                    path: Some(path),
                    receiver: None,
                    args,
                    returns: model_ty(entry.returns),
                    api: Some(entry),
                    callee: None,
                    span: m.mac.path.span(),
                })
            }
            _ => None,
        }
    }

    /// Records `decl`, a function of the workspace, as the callee of `call`
    /// and its declared return type as the call's type.
    fn call_into(&self, call: &mut Call<'a>, decl: &crate::index::decls::FnDecl) {
        call.returns = decl
            .ret
            .as_ref()
            .map(|t| self.index.ty(t))
            .unwrap_or_default();
        call.callee = Some(decl.key.clone());
    }

    /// A method found through the crate's `Deref` impls: `db.execute(..)`
    /// on a wrapper that derefs to a connection is the connection's.
    fn deref_method(&self, receiver: &Ty, name: &str, call: &mut Call<'a>) -> bool {
        let mut current = receiver.clone();
        for _ in 0..4 {
            let Some(target) = self.index.deref_ty(&current) else {
                return false;
            };
            match &target {
                Ty::Model { id, args } => {
                    let manager = args.first().and_then(Ty::model);
                    let Some(entry) = self.models.method(*id, manager, name) else {
                        return false;
                    };
                    call.returns = entry_ty(&entry, entry.returns, args);
                    call.api = Some(entry);
                    return true;
                }
                Ty::Named { path, .. } => {
                    if let Some(decl) = self.index.method(path, name) {
                        self.call_into(call, decl);
                        return true;
                    }
                }
                _ => return false,
            }
            current = target;
        }
        false
    }

    /// A pool made from a manager (`Pool::new(SqliteConnectionManager::file(p))`)
    /// remembers the manager, so its guards know their connection type.
    fn attach_manager(&self, call: &mut Call<'a>, depth: usize) {
        let Ty::Model { id, args } = &mut call.returns else {
            return;
        };
        if !args.is_empty() || self.models.ty(*id).kind != Kind::Pool {
            return;
        }
        for arg in &call.args {
            let ty = self.ty_depth(arg, depth + 1);
            if ty.kind(self.models) == Some(Kind::Manager) {
                args.push(ty);
                return;
            }
        }
    }

    /// The fact the deep tier recorded for an expression, if it ran.
    pub fn fact(&self, expr: &Expr) -> Option<&'a crate::names::deep::ExprFact> {
        let index: &'a WorkspaceIndex = self.index;
        let facts = index.deep_facts(self.file.id)?;
        let range = self.file.range(crate::syntax::spans::of(expr));
        facts.expr(range.start, range.end)
    }

    /// A type as the deep tier wrote it.
    pub fn ty_from_fact(&self, text: &str) -> Ty {
        self.index.ty(&crate::names::deep::type_expr(text))
    }

    /// A call as rustc resolved it: exact even through generics, trait
    /// methods, re-exports and macros.
    fn call_from_facts(&self, expr: &'a Expr) -> Option<Call<'a>> {
        if self.index.deep_facts(self.file.id).is_none()
            || !matches!(expr, Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_))
        {
            return None;
        }
        let fact = self.fact(expr)?;
        let callee: Vec<String> = fact
            .callee
            .as_deref()?
            .split("::")
            .map(str::to_string)
            .collect();
        let returns = fact
            .ty
            .as_deref()
            .map(|t| self.ty_from_fact(t))
            .unwrap_or_default();
        let (receiver, args, method, span): (
            Option<&'a Expr>,
            Vec<&'a Expr>,
            Option<String>,
            Span,
        ) = match expr {
            Expr::MethodCall(m) => (
                Some(&m.receiver),
                m.args.iter().collect(),
                Some(m.method.to_string()),
                m.method.span(),
            ),
            Expr::Call(c) => (None, c.args.iter().collect(), None, c.func.span()),
            Expr::Macro(m) => (
                None,
                self.macro_args(&m.mac)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default(),
                None,
                m.mac.path.span(),
            ),
            _ => return None,
        };
        let mut call = Call {
            expr,
            method,
            path: Some(callee.clone()),
            receiver,
            args,
            api: None,
            callee: None,
            returns,
            span,
        };
        if let Some((entry, _)) = self.index.model_function(&callee) {
            call.api = Some(entry);
        } else if callee.len() >= 2 {
            let (type_path, name) = callee.split_at(callee.len() - 1);
            if let Some(id) = self.index.model_type(type_path) {
                let manager = match &call.returns {
                    Ty::Model { args, .. } => args.first().and_then(Ty::model),
                    _ => None,
                };
                call.api = self.models.method(id, manager, &name[0]);
            }
        }
        if call.api.is_none() {
            call.callee = self.index.function(&callee).map(|d| d.key.clone());
        }
        if matches!(expr, Expr::Macro(_)) && call.api.is_none() && call.callee.is_none() {
            return None;
        }
        Some(call)
    }

    /// A method recognised by name alone, in a crate that uses the model.
    fn untyped_method(&self, name: &str) -> Option<ApiEntry> {
        self.index
            .used_models
            .iter()
            .find_map(|model| self.models.untyped_method(model, name))
    }

    /// The SQL text of an expression: literals, `concat!`, `format!`
    /// templates, constants of the crate, locals bound to any of those, and
    /// the SQL a prepared statement or query builder carries.
    pub fn sql_of(&self, expr: &'a Expr) -> Option<String> {
        self.sql_depth(expr, 0).and_then(|f| f.text)
    }

    fn sql_depth(&self, expr: &'a Expr, depth: usize) -> Option<SqlFacts> {
        if depth > MAX_DEPTH {
            return None;
        }
        let text = |t: String| {
            Some(SqlFacts {
                text: Some(t),
                known_write: false,
                shape: None,
            })
        };
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => text(s.value()),
            // A slice of statements run one by one (`execute_all(&[..])`):
            // the statements whose text is known, in order.
            Expr::Array(a) => {
                let known: Vec<String> = a
                    .elems
                    .iter()
                    .filter_map(|e| self.sql_depth(e, depth + 1)?.text)
                    .map(|t| t.trim().trim_end_matches(';').to_string())
                    .collect();
                if known.is_empty() {
                    return None;
                }
                text(known.join(";\n"))
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                self.sql_depth(&u.expr, depth + 1)
            }
            Expr::Reference(_)
            | Expr::Paren(_)
            | Expr::Group(_)
            | Expr::Try(_)
            | Expr::Await(_) => {
                let inner = match expr {
                    Expr::Reference(r) => &r.expr,
                    Expr::Paren(p) => &p.expr,
                    Expr::Group(g) => &g.expr,
                    Expr::Try(t) => &t.expr,
                    Expr::Await(a) => &a.base,
                    _ => unreachable!(),
                };
                self.sql_depth(inner, depth + 1)
            }
            Expr::Path(p) => {
                if let Some(id) = self.binding_of(expr) {
                    // A `for` binding is one of the statements its
                    // collection holds; they are all taken together.
                    if let Some(over) = self.bindings[id].over {
                        return text(self.collection_sql(over, depth + 1)?);
                    }
                    let init = self.bindings[id].init?;
                    return self.sql_depth(init, depth + 1);
                }
                let path = self.resolver.resolve_path(&p.path, self.self_type.as_ref());
                self.index
                    .string_const(&path)
                    .map(str::to_string)
                    .and_then(text)
            }
            Expr::Macro(m) => {
                let name = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                match name.as_str() {
                    "concat" => crate::index::decls::concat_literals(&m.mac.tokens).and_then(text),
                    "format" | "formatdoc" | "indoc" => {
                        let first = self.macro_args(&m.mac)?.first()?;
                        let template = const_string(first)?;
                        text(crate::index::decls::fill_format_holes(&template))
                    }
                    _ => self.call_sql(&*self.call_depth(expr, depth + 1)?),
                }
            }
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(
                        m.method.to_string().as_str(),
                        "as_str"
                            | "to_string"
                            | "to_owned"
                            | "as_ref"
                            | "into"
                            | "clone"
                            | "trim"
                            | "as_bytes"
                    ) =>
            {
                self.sql_depth(&m.receiver, depth + 1)
            }
            Expr::Call(c) => {
                if let Expr::Path(p) = strip_parens(&c.func) {
                    let last = p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    if last == "from" && c.args.len() == 1 {
                        return self.sql_depth(&c.args[0], depth + 1);
                    }
                }
                self.call_sql(&*self.call_depth(expr, depth + 1)?)
            }
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "on_conflict_do_nothing" | "do_nothing"
                ) =>
            {
                let mut facts = self.sql_depth(&m.receiver, depth + 1)?;
                if let Some(shape) = &mut facts.shape {
                    if let WriteKind::Insert { if_missing } = &mut shape.kind {
                        *if_missing = true;
                    }
                }
                Some(facts)
            }
            Expr::MethodCall(_) => self.call_sql(&*self.call_depth(expr, depth + 1)?),
            // One of the statements a collection holds (`STMTS[0]`).
            Expr::Index(i) => self.sql_depth(&i.expr, depth + 1),
            Expr::Field(f) => text(self.field_sql(f)?),
            _ => None,
        }
    }

    /// The statements a collection of SQL texts holds: an array of them, a
    /// field of a static table (see [`Self::field_sql`]), or a local bound to
    /// one; never the rows a query returns.
    fn collection_sql(&self, expr: &'a Expr, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match strip_parens(expr) {
            Expr::Reference(r) => self.collection_sql(&r.expr, depth + 1),
            Expr::Field(f) => self.field_sql(f),
            Expr::Array(_) => self.sql_of(expr),
            Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(
                        m.method.to_string().as_str(),
                        "iter" | "into_iter" | "copied" | "cloned"
                    ) =>
            {
                self.collection_sql(&m.receiver, depth + 1)
            }
            e @ Expr::Path(_) => {
                let id = self.binding_of(e)?;
                let next = self.bindings[id].init.or(self.bindings[id].over)?;
                self.collection_sql(next, depth + 1)
            }
            _ => None,
        }
    }

    /// The SQL a field of a struct of the workspace holds (`migration.sql`,
    /// `migration.statements`): every string literal any struct literal or
    /// assignment gives that field, taken together, when all of them are
    /// literals (a static table of migrations); unknown otherwise.
    fn field_sql(&self, f: &'a syn::ExprField) -> Option<String> {
        let syn::Member::Named(field) = &f.member else {
            return None;
        };
        let Ty::Named { path, .. } = self.ty_of(&f.base) else {
            return None;
        };
        let field = field.to_string();
        self.index.field(&path, &field)?;
        let texts = self.index.field_texts(path.last()?, &field)?;
        let known: Vec<String> = texts
            .iter()
            .map(|t| t.trim().trim_end_matches(';').to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if known.is_empty() {
            return None;
        }
        Some(known.join(";\n"))
    }

    /// What a writing query builder writes, from its name and argument:
    /// diesel's `insert_into(users::table)`, `delete(posts::table.filter(..))`
    /// (some rows), `delete(sessions::table)` (all of them).
    fn builder_shape(&self, call: &Call<'a>) -> WriteShape {
        let name = call
            .path
            .as_ref()
            .and_then(|p| p.last())
            .or(call.method.as_ref())
            .map(String::as_str)
            .unwrap_or("");
        let target = call.args.first().map(|a| strip_place(a));
        let mut base = target;
        while let Some(Expr::MethodCall(m)) = base {
            base = Some(strip_place(&m.receiver));
        }
        let table = match base {
            Some(Expr::Path(p)) if self.binding_of(base.expect("matched")).is_none() => {
                let segments: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                match segments.as_slice() {
                    [.., table, last] if last == "table" => Some(table.clone()),
                    [single] if single != "self" => Some(single.clone()),
                    _ => None,
                }
            }
            _ => None,
        };
        let whole_table = table.is_some() && matches!(target, Some(Expr::Path(_)));
        let kind = match name {
            "insert_into" => WriteKind::Insert { if_missing: false },
            "insert_or_ignore_into" => WriteKind::Insert { if_missing: true },
            "update" => WriteKind::Update,
            "delete" => WriteKind::Delete { whole_table },
            _ => WriteKind::Other,
        };
        WriteShape {
            table: table.map(|t| t.to_ascii_lowercase()),
            kind,
        }
    }

    /// The SQL a call runs or carries: its SQL argument, or the SQL of the
    /// statement or builder it is called on.
    pub fn call_sql(&self, call: &Call<'a>) -> Option<SqlFacts> {
        if let Some(api) = &call.api {
            if let Some(index) = api.sql {
                let arg = call.args.get(index)?;
                return self.sql_depth(arg, 1);
            }
            if api.writes {
                return Some(SqlFacts {
                    text: None,
                    known_write: true,
                    shape: Some(self.builder_shape(call)),
                });
            }
        }
        // Builders and statements carry the SQL of the call that made them.
        let receiver = call.receiver?;
        self.sql_depth(receiver, 1)
    }

    /// The connection, pool or transaction a call runs its SQL on: the
    /// executor argument for sqlx and diesel builders, the connection a
    /// statement was prepared on, or the receiver.
    pub fn call_target(&self, call: &Call<'a>) -> Option<&'a Expr> {
        let api = call.api.as_ref()?;
        if let Some(index) = api.target {
            return call.args.get(index).copied();
        }
        let receiver = call.receiver?;
        if self.kind_of(receiver) == Some(Kind::Statement) {
            return self.statement_origin(receiver, 0);
        }
        Some(receiver)
    }

    fn statement_origin(&self, expr: &'a Expr, depth: usize) -> Option<&'a Expr> {
        if depth > MAX_DEPTH {
            return None;
        }
        match strip_place(expr) {
            e @ Expr::Path(_) => {
                let id = self.binding_of(e)?;
                self.statement_origin(self.bindings[id].init?, depth + 1)
            }
            Expr::Try(t) => self.statement_origin(&t.expr, depth + 1),
            Expr::Await(a) => self.statement_origin(&a.base, depth + 1),
            Expr::MethodCall(m) => {
                let call = self.call(strip_place(expr))?;
                if call.effect() == Effect::Prepare {
                    Some(&m.receiver)
                } else {
                    self.statement_origin(&m.receiver, depth + 1)
                }
            }
            _ => None,
        }
    }
}

/// The type a modelled call returns; a pool's checkout keeps the pool's
/// generic arguments so the guard knows its manager.
fn entry_ty(
    entry: &ApiEntry,
    returns: Option<crate::names::model::TypeId>,
    receiver_args: &[Ty],
) -> Ty {
    if !entry.tuple.is_empty() {
        return Ty::Tuple(
            entry
                .tuple
                .iter()
                .map(|id| Ty::Model {
                    id: *id,
                    args: Vec::new(),
                })
                .collect(),
        );
    }
    match returns {
        Some(id) => Ty::Model {
            id,
            args: receiver_args.to_vec(),
        },
        None => Ty::Unknown,
    }
}

fn model_ty(id: Option<crate::names::model::TypeId>) -> Ty {
    match id {
        Some(id) => Ty::Model {
            id,
            args: Vec::new(),
        },
        None => Ty::Unknown,
    }
}

/// `Box::new(x)`, `Arc::new(x)`, `Some(x)`, `Ok(x)`: the value is `x`.
fn is_wrapping_constructor(path: &[String]) -> bool {
    match path {
        [single] => matches!(single.as_str(), "Some" | "Ok"),
        _ => {
            let n = path.len();
            path[n - 1] == "new" && TRANSPARENT_WRAPPERS.contains(&path[n - 2].as_str())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn format_holes() {
        assert_eq!(
            crate::index::decls::fill_format_holes("INSERT INTO {table} VALUES ({})"),
            "INSERT INTO x VALUES (x)"
        );
        assert_eq!(
            crate::index::decls::fill_format_holes("SELECT '{{}}'"),
            "SELECT '{}'"
        );
    }
}
