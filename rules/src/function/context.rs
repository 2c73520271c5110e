//! What a rule sees of one function: the file, the crate index, name
//! resolution, parsed macro arguments, and every local binding with its
//! inferred type. Built once per function and shared by all rules.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::{Block, Expr, Pat, Stmt};

use crate::index::decls::FnDecl;
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::model::{ApiEntry, Effect, Models};
use crate::names::resolve::{ModuleScope, PathBuf, Resolver};
use crate::names::ty::{type_expr, Ty};
use crate::syntax::expr::addr;
use crate::syntax::expr::children;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::strip_place;
use crate::syntax::macros::MacroArena;
use crate::syntax::source::ParsedFile;
use crate::syntax::walker::{Node, Walk};

/// Index of a binding in [`FnContext::bindings`].
pub type BindingId = usize;

/// Where a binding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// A function parameter; the number is its position (without `self`).
    Param(usize),
    Let,
    /// A closure parameter.
    ClosureParam,
    /// Bound by `match`, `if let`, `while let` or `for`.
    Pattern,
}

/// A local variable.
pub struct Binding<'a> {
    pub name: String,
    pub span: Span,
    pub kind: BindingKind,
    pub ty: Ty,
    /// The initializer, for `let x = init;` with a plain identifier pattern.
    pub init: Option<&'a Expr>,
    /// The collection a `for x in over` binding runs over.
    pub over: Option<&'a Expr>,
    /// Address of the block, arm, loop or closure at whose end the binding
    /// goes out of scope.
    pub scope: usize,
    /// Where that scope ends.
    pub scope_end: proc_macro2::LineColumn,
    /// Whether the binding is declared with `_` prefix (`_conn`), which keeps
    /// the value alive without use.
    pub underscore: bool,
    /// Every path expression that refers to the binding.
    pub uses: Vec<&'a Expr>,
    /// Mentions the analysis cannot see as expressions: names in macro
    /// bodies that do not parse (`tokio::select!`) and names captured by
    /// format strings (`println!("{conn:?}")`).
    pub opaque_uses: usize,
}

/// The syntax of one function, as found by [`crate::function::walk`].
pub struct FnItem<'a> {
    pub sig: &'a syn::Signature,
    pub body: &'a Block,
    pub attrs: &'a [syn::Attribute],
    pub self_type: Option<PathBuf>,
    pub impl_trait: Option<PathBuf>,
    pub item_path: String,
    pub is_test: bool,
}

/// One function body under analysis.
pub struct FnContext<'a> {
    pub file: &'a ParsedFile,
    pub index: &'a WorkspaceIndex,
    pub models: &'a Models,
    pub resolver: Resolver,
    pub macros: &'a MacroArena,
    pub self_type: Option<PathBuf>,
    /// Path of the function for reports and fingerprints (`store::Store::save`).
    pub item_path: String,
    pub sig: &'a syn::Signature,
    pub body: &'a Block,
    pub decl: Option<&'a FnDecl>,
    pub is_test: bool,
    /// The function's attributes (`#[get("/")]`, `#[tokio::main]`).
    pub attrs: &'a [syn::Attribute],
    /// The trait of the impl block the function is in, if any.
    pub impl_trait: Option<PathBuf>,
    pub bindings: Vec<Binding<'a>>,
    uses: HashMap<usize, BindingId>,
    scopes: Vec<(usize, HashMap<String, BindingId>)>,
    scope_ends: HashMap<usize, proc_macro2::LineColumn>,
    closure_owner: HashMap<usize, Ty>,
    pub(crate) call_cache: std::cell::RefCell<HashMap<usize, Option<std::rc::Rc<Call<'a>>>>>,
    /// Answers computed while bindings are still being resolved may be
    /// incomplete: the cache is only used once the context is built.
    pub(crate) caching: bool,
    /// The transactions begun in the function and held by a local: the
    /// begin call's address, the binding, the connection's key (see
    /// [`FnContext::transaction_bindings`]).
    pub(crate) tx_bindings: std::cell::OnceCell<Vec<(usize, BindingId, String)>>,
    /// Address of an initializer's value (under `?`, `.await`…) to the
    /// binding it initializes.
    holders: HashMap<usize, BindingId>,
    /// As `holders`, also for the values of the branches of an initializer
    /// (`let conn = if mem { open_in_memory() } else { open(p) }?;`).
    branch_holders: HashMap<usize, BindingId>,
    /// Address of an initializer's value to the bindings a destructuring
    /// pattern takes out of it: `let (handle, entries) = open()?;`.
    destructured: HashMap<usize, Vec<BindingId>>,
}

impl<'a> FnContext<'a> {
    pub fn new(
        file: &'a ParsedFile,
        index: &'a WorkspaceIndex,
        resolver: Resolver,
        macros: &'a MacroArena,
        item: FnItem<'a>,
        decl: Option<&'a FnDecl>,
    ) -> FnContext<'a> {
        let FnItem {
            sig,
            body,
            attrs,
            self_type,
            impl_trait,
            item_path,
            is_test,
        } = item;
        let mut cx = FnContext {
            file,
            index,
            models: &index.models,
            resolver,
            macros,
            self_type,
            item_path,
            sig,
            body,
            decl,
            is_test,
            attrs,
            impl_trait,
            bindings: Vec::new(),
            uses: HashMap::new(),
            scopes: Vec::new(),
            scope_ends: HashMap::new(),
            closure_owner: HashMap::new(),
            call_cache: std::cell::RefCell::new(HashMap::new()),
            caching: false,
            tx_bindings: std::cell::OnceCell::new(),
            holders: HashMap::new(),
            branch_holders: HashMap::new(),
            destructured: HashMap::new(),
        };
        cx.push_scope(addr(body), body.brace_token.span.close());
        let mut position = 0;
        for input in &sig.inputs {
            if let syn::FnArg::Typed(t) = input {
                let te = type_expr(&cx.resolver, &t.ty, cx.self_type.as_ref());
                let ty = cx.index.ty(&te);
                cx.bind_pat(&t.pat, ty, BindingKind::Param(position), addr(body), None);
                position += 1;
            }
        }
        cx.walk_block(body);
        cx.scopes.clear();
        for (id, binding) in cx.bindings.iter().enumerate() {
            if let Some(init) = binding.init {
                cx.holders
                    .entry(addr(crate::syntax::expr::unwrap_value(init)))
                    .or_insert(id);
                for value in value_sources(init) {
                    cx.branch_holders.entry(addr(value)).or_insert(id);
                }
            }
        }
        cx
    }

    /// The local that holds the value `expr` produces: `let b = expr;`
    /// (through `?`, `.await` and `.unwrap()`).
    pub fn holder(&self, expr: &Expr) -> Option<BindingId> {
        self.holders.get(&addr(expr)).copied()
    }

    /// The local that ends up holding the value `expr` produces: as
    /// [`FnContext::holder`], and also when `expr` is one branch of an
    /// `if` or `match` that initializes it. Alternatives are not two values
    /// at once; rules that count values use `holder`.
    pub fn value_holder(&self, expr: &Expr) -> Option<BindingId> {
        self.branch_holders.get(&addr(expr)).copied()
    }

    /// The locals a destructuring `let` takes out of the value `expr`
    /// produces (through `?`, `.await` and `.unwrap()`).
    pub fn destructured(&self, expr: &Expr) -> &[BindingId] {
        self.destructured
            .get(&addr(expr))
            .map_or(&[], Vec::as_slice)
    }

    /// The binding a path expression refers to, if it names a local.
    pub fn binding_of(&self, expr: &Expr) -> Option<BindingId> {
        match expr {
            Expr::Path(p) => self.uses.get(&addr(p)).copied(),
            _ => None,
        }
    }

    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id]
    }

    /// The local a place expression is rooted in: `conn`, `&mut conn`,
    /// `*tx`, `tx.as_mut()`, `&mut **tx`.
    pub fn root_binding(&self, expr: &Expr) -> Option<BindingId> {
        self.binding_of(strip_place(expr))
    }

    /// Whether a call takes the local `id` as its receiver or as one of
    /// its arguments (through `&`, `&mut`, `*`).
    pub fn call_takes(&self, call: &Call<'_>, id: BindingId) -> bool {
        call.receiver
            .is_some_and(|r| self.root_binding(r) == Some(id))
            || call.args.iter().any(|a| self.root_binding(a) == Some(id))
    }

    /// Parsed arguments of a macro call, if they are expressions.
    pub fn macro_args(&self, mac: &syn::Macro) -> Option<&'a [Expr]> {
        self.macros.args(mac)
    }

    /// The expression arguments of a macro call, none when they are not
    /// expressions: what a visitor walks into for a macro.
    pub fn macro_exprs(&self, mac: &syn::Macro) -> &'a [Expr] {
        self.macros.args(mac).unwrap_or_default()
    }

    /// The resolved path of a macro (`sqlx::query`).
    pub fn macro_path(&self, mac: &syn::Macro) -> PathBuf {
        self.resolver
            .resolve_path(&mac.path, self.self_type.as_ref())
    }

    /// Whether the function returns `Result`, so `?` is available.
    pub fn returns_result(&self) -> bool {
        match &self.sig.output {
            syn::ReturnType::Type(_, ty) => {
                let text = quote_type_name(ty);
                text.ends_with("Result")
            }
            syn::ReturnType::Default => false,
        }
    }

    fn lookup(&self, name: &str) -> Option<BindingId> {
        self.scopes
            .iter()
            .rev()
            .find_map(|(_, names)| names.get(name).copied())
    }

    fn push_scope(&mut self, id: usize, end: Span) {
        self.scope_ends.insert(id, end.end());
        self.scopes.push((id, HashMap::new()));
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn current_scope(&self) -> usize {
        self.scopes.last().map(|s| s.0).unwrap_or(0)
    }

    fn bind_pat(
        &mut self,
        pat: &'a Pat,
        ty: Ty,
        kind: BindingKind,
        scope: usize,
        init: Option<&'a Expr>,
    ) {
        match pat {
            Pat::Ident(p) => {
                let name = p.ident.to_string();
                let id = self.bindings.len();
                let ty = match self.local_fact(p.ident.span()) {
                    Some(exact) => exact,
                    None => ty,
                };
                let scope_end = self
                    .scope_ends
                    .get(&scope)
                    .copied()
                    .unwrap_or(p.ident.span().end());
                self.bindings.push(Binding {
                    underscore: name.starts_with('_'),
                    name: name.clone(),
                    span: p.ident.span(),
                    kind,
                    ty,
                    init,
                    over: None,
                    scope,
                    scope_end,
                    uses: Vec::new(),
                    opaque_uses: 0,
                });
                if let Some(scope) = self.scopes.last_mut() {
                    scope.1.insert(name, id);
                }
                if let Some((_, sub)) = &p.subpat {
                    self.bind_pat(sub, Ty::Unknown, kind, scope, None);
                }
            }
            Pat::Type(t) => {
                let te = type_expr(&self.resolver, &t.ty, self.self_type.as_ref());
                let declared = self.index.ty(&te);
                let ty = if declared.is_known() { declared } else { ty };
                self.bind_pat(&t.pat, ty, kind, scope, init);
            }
            Pat::Reference(r) => self.bind_pat(&r.pat, ty, kind, scope, init),
            Pat::Paren(p) => self.bind_pat(&p.pat, ty, kind, scope, init),
            Pat::Tuple(t) => {
                for (i, elem) in t.elems.iter().enumerate() {
                    let elem_ty = match &ty {
                        Ty::Tuple(items) => items.get(i).cloned().unwrap_or_default(),
                        _ => Ty::Unknown,
                    };
                    self.bind_pat(elem, elem_ty, kind, scope, None);
                }
            }
            Pat::TupleStruct(t) => {
                // `Some(x)`, `Ok(x)` and extractor wrappers (`State(x)`) hold
                // the value itself; `Err(e)` and other variants hold
                // something else.
                if !is_transparent_pattern(&t.path) {
                    // A tuple struct or enum variant of the workspace:
                    // each element has its field's type.
                    let path = self.resolver.resolve_path(&t.path, self.self_type.as_ref());
                    for (i, elem) in t.elems.iter().enumerate() {
                        let field_ty = self
                            .index
                            .field(&path, &i.to_string())
                            .filter(|_| self.index.has_struct(&path))
                            .map(|t| self.index.ty(t))
                            .unwrap_or_default();
                        self.bind_pat(elem, field_ty, kind, scope, None);
                    }
                    return;
                }
                let init = if t.elems.len() == 1 { init } else { None };
                for elem in &t.elems {
                    self.bind_pat(elem, ty.clone(), kind, scope, init);
                }
            }
            Pat::Struct(s) => {
                // The pattern names the struct or enum variant; the
                // scrutinee's type is the fallback for `Self { .. }`.
                let named = self.resolver.resolve_path(&s.path, self.self_type.as_ref());
                let named = self.index.has_struct(&named).then_some(named);
                for field in &s.fields {
                    let member = match &field.member {
                        syn::Member::Named(name) => name.to_string(),
                        syn::Member::Unnamed(i) => i.index.to_string(),
                    };
                    let field_ty = match (&named, &ty) {
                        (Some(path), _) | (None, Ty::Named { path, .. }) => self
                            .index
                            .field(path, &member)
                            .map(|t| self.index.ty(t))
                            .unwrap_or_default(),
                        _ => Ty::Unknown,
                    };
                    self.bind_pat(&field.pat, field_ty, kind, scope, None);
                }
            }
            Pat::Slice(s) => {
                for elem in &s.elems {
                    self.bind_pat(elem, Ty::Unknown, kind, scope, None);
                }
            }
            Pat::Or(o) => {
                for case in &o.cases {
                    self.bind_pat(case, ty.clone(), kind, scope, None);
                }
            }
            _ => {}
        }
    }

    fn walk_block(&mut self, block: &'a Block) {
        let use_items: Vec<&syn::Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Item(item @ syn::Item::Use(_)) => Some(item),
                _ => None,
            })
            .collect();
        let has_uses = !use_items.is_empty();
        if has_uses {
            let mut scope = ModuleScope::block(self.resolver.module_path().clone());
            scope.add_block_items(use_items);
            self.resolver.push(scope);
        }
        self.push_scope(addr(block), block.brace_token.span.close());
        for stmt in &block.stmts {
            match stmt {
                Stmt::Local(local) => {
                    let init = local.init.as_ref();
                    if let Some(init) = init {
                        self.walk_expr(&init.expr);
                        if let Some((_, diverge)) = &init.diverge {
                            self.walk_expr(diverge);
                        }
                    }
                    let ty = init.map(|i| self.ty_of(&i.expr)).unwrap_or_default();
                    let plain = match &local.pat {
                        Pat::Ident(_) | Pat::Type(_) => true,
                        Pat::TupleStruct(t) => {
                            t.elems.len() == 1 && is_transparent_pattern(&t.path)
                        }
                        _ => false,
                    };
                    let init_expr = init.filter(|_| plain).map(|i| &*i.expr);
                    let scope = self.current_scope();
                    let before = self.bindings.len();
                    self.bind_pat(&local.pat, ty, BindingKind::Let, scope, init_expr);
                    if let (Some(init), false) = (init, plain) {
                        let ids: Vec<BindingId> = (before..self.bindings.len()).collect();
                        if !ids.is_empty() {
                            for value in value_sources(&init.expr) {
                                self.destructured.insert(addr(value), ids.clone());
                            }
                        }
                    }
                }
                Stmt::Expr(expr, _) => self.walk_expr(expr),
                Stmt::Macro(m) => self.walk_macro(&m.mac),
                Stmt::Item(_) => {}
            }
        }
        self.pop_scope();
        if has_uses {
            self.resolver.pop();
        }
    }

    fn walk_macro(&mut self, mac: &'a syn::Macro) {
        match self.macros.args(mac) {
            Some(args) => {
                if let Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(template),
                    ..
                })) = args.first()
                {
                    for name in crate::syntax::macros::format_captures(&template.value()) {
                        self.opaque_use(&name);
                    }
                }
                for arg in args {
                    self.walk_expr(arg);
                }
            }
            None => {
                let mut stack = vec![mac.tokens.clone()];
                while let Some(tokens) = stack.pop() {
                    for token in tokens {
                        match token {
                            proc_macro2::TokenTree::Ident(ident) => {
                                self.opaque_use(&ident.to_string())
                            }
                            proc_macro2::TokenTree::Group(group) => stack.push(group.stream()),
                            _ => {}
                        }
                    }
                }
            }
        }
    }

    /// The type rustc gave the local bound at `span`, in deep mode.
    fn local_fact(&self, span: Span) -> Option<Ty> {
        let facts = self.index.deep_facts(self.file.id)?;
        let text = facts.local(self.file.range(span).start)?;
        Some(self.index.ty(&crate::names::deep::type_expr(text)))
    }

    fn opaque_use(&mut self, name: &str) {
        if let Some(id) = self.lookup(name) {
            self.bindings[id].opaque_uses += 1;
        }
    }

    fn walk_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Path(p) => {
                if p.qself.is_none() && p.path.segments.len() == 1 && p.path.leading_colon.is_none()
                {
                    let name = p.path.segments[0].ident.to_string();
                    if let Some(id) = self.lookup(&name) {
                        self.uses.insert(addr(p), id);
                        self.bindings[id].uses.push(expr);
                    }
                }
            }
            Expr::Block(b) => self.walk_block(&b.block),
            Expr::Unsafe(b) => self.walk_block(&b.block),
            Expr::Async(b) => self.walk_block(&b.block),
            Expr::TryBlock(b) => self.walk_block(&b.block),
            Expr::Const(b) => self.walk_block(&b.block),
            Expr::Loop(l) => self.walk_block(&l.body),
            Expr::If(i) => {
                self.push_scope(addr(&i.then_branch), i.then_branch.brace_token.span.close());
                self.walk_condition(&i.cond, addr(&i.then_branch));
                self.walk_block(&i.then_branch);
                self.pop_scope();
                if let Some((_, else_branch)) = &i.else_branch {
                    self.walk_expr(else_branch);
                }
            }
            Expr::While(w) => {
                self.push_scope(addr(&w.body), w.body.brace_token.span.close());
                self.walk_condition(&w.cond, addr(&w.body));
                self.walk_block(&w.body);
                self.pop_scope();
            }
            Expr::ForLoop(f) => {
                self.walk_expr(&f.expr);
                let element = self.ty_of(&f.expr).element();
                self.push_scope(addr(&f.body), f.body.brace_token.span.close());
                let first = self.bindings.len();
                self.bind_pat(&f.pat, element, BindingKind::Pattern, addr(&f.body), None);
                if matches!(&*f.pat, Pat::Ident(_)) && self.bindings.len() == first + 1 {
                    self.bindings[first].over = Some(&f.expr);
                }
                self.walk_block(&f.body);
                self.pop_scope();
            }
            Expr::Match(m) => {
                self.walk_expr(&m.expr);
                let ty = self.ty_of(&m.expr);
                for arm in &m.arms {
                    self.push_scope(addr(arm), crate::syntax::spans::of(&arm.body));
                    self.bind_pat(
                        &arm.pat,
                        ty.clone(),
                        BindingKind::Pattern,
                        addr(arm),
                        Some(&m.expr),
                    );
                    if let Some((_, guard)) = &arm.guard {
                        self.walk_expr(guard);
                    }
                    self.walk_expr(&arm.body);
                    self.pop_scope();
                }
            }
            Expr::Closure(c) => {
                self.push_scope(addr(c), crate::syntax::spans::of(&c.body));
                let param_ty = self.closure_param_ty(c);
                for (i, input) in c.inputs.iter().enumerate() {
                    let ty = if i == 0 {
                        param_ty.clone()
                    } else {
                        Ty::Unknown
                    };
                    self.bind_pat(input, ty, BindingKind::ClosureParam, addr(c), None);
                }
                self.walk_expr(&c.body);
                self.pop_scope();
            }
            Expr::Let(l) => {
                // A `let` outside an `if`/`while` condition: `matches!`-like
                // chains; bind into the current scope.
                self.walk_expr(&l.expr);
                let ty = self.ty_of(&l.expr);
                let scope = self.current_scope();
                self.bind_pat(&l.pat, ty, BindingKind::Pattern, scope, None);
            }
            Expr::Macro(m) => self.walk_macro(&m.mac),
            _ => {
                self.note_closure_args(expr);
                for child in children(expr) {
                    self.walk_expr(child);
                }
            }
        }
    }

    /// Records the parameter type of closures passed to modelled calls that
    /// run them inside a transaction.
    fn note_closure_args(&mut self, expr: &'a Expr) {
        let Some(call) = self.call(expr) else { return };
        let (Some(api), Some(index)) = (&call.api, call.api.as_ref().and_then(|a| a.closure))
        else {
            return;
        };
        let Some(Expr::Closure(closure)) = call.args.get(index).map(|e| strip_parens(e)) else {
            return;
        };
        let ty = match api.closure_param.or(api.returns) {
            Some(id) => Ty::Model {
                id,
                args: Vec::new(),
            },
            None => Ty::Unknown,
        };
        self.closure_owner.insert(addr(closure), ty);
    }

    /// Walks an `if`/`while` condition, binding `let` patterns into the
    /// scope of the branch they guard.
    fn walk_condition(&mut self, cond: &'a Expr, scope: usize) {
        match cond {
            Expr::Let(l) => {
                self.walk_expr(&l.expr);
                let ty = self.ty_of(&l.expr);
                self.bind_pat(&l.pat, ty, BindingKind::Pattern, scope, Some(&l.expr));
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.walk_condition(&b.left, scope);
                self.walk_condition(&b.right, scope);
            }
            other => self.walk_expr(other),
        }
    }

    /// The type a closure's first parameter receives from the call it is
    /// passed to: `conn.transaction(|tx| ..)` in diesel hands the closure a
    /// connection inside a transaction.
    fn closure_param_ty(&self, closure: &syn::ExprClosure) -> Ty {
        if let Some(syn::Pat::Type(t)) = closure.inputs.first() {
            let te = type_expr(&self.resolver, &t.ty, self.self_type.as_ref());
            return self.index.ty(&te);
        }
        match self.closure_owner.get(&addr(closure)) {
            Some(ty) => ty.clone(),
            None => Ty::Unknown,
        }
    }
}

/// The expressions whose value an initializer takes, seen through `?`,
/// `.await` and `.unwrap()` and into the branches of an `if`, `match` or
/// block: `let conn = if mem { open_in_memory() } else { open(p) }?;`
/// holds either open.
fn value_sources(init: &Expr) -> Vec<&Expr> {
    fn tail(block: &Block) -> Option<&Expr> {
        match block.stmts.last() {
            Some(Stmt::Expr(tail, None)) => Some(tail),
            _ => None,
        }
    }
    let mut out = Vec::new();
    let mut pending = vec![init];
    while let Some(expr) = pending.pop() {
        let expr = crate::syntax::expr::unwrap_value(expr);
        out.push(expr);
        if out.len() > 64 {
            break;
        }
        match expr {
            Expr::If(i) => {
                pending.extend(tail(&i.then_branch));
                if let Some((_, e)) = &i.else_branch {
                    pending.push(e);
                }
            }
            Expr::Match(m) => pending.extend(m.arms.iter().map(|a| &*a.body)),
            Expr::Block(b) => pending.extend(tail(&b.block)),
            _ => {}
        }
    }
    out
}

/// `Some(x)`, `Ok(x)`, `State(x)`: patterns that unwrap the value itself.
fn is_transparent_pattern(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|s| {
        let name = s.ident.to_string();
        name == "Some"
            || name == "Ok"
            || crate::names::ty::TRANSPARENT_WRAPPERS.contains(&name.as_str())
    })
}

fn quote_type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

impl FnContext<'_> {
    /// The span of an expression.
    pub fn span(expr: &Expr) -> Span {
        crate::syntax::spans::of(expr)
    }
}

impl<'a> FnContext<'a> {
    /// Calls `f` on every expression of the body, macro arguments included,
    /// outer expressions before inner ones. Nested functions are skipped.
    pub fn for_each_expr(&self, f: &mut dyn FnMut(&'a Expr)) {
        self.walk().block(self.body, &mut |node, _| {
            if let Node::Expr(e) = node {
                f(e)
            }
        });
    }

    /// The shared body walk, macro arguments included.
    pub fn walk(&self) -> Walk<'a> {
        Walk::new().macros(self.macros)
    }
}

/// A call the analysis understands: a modelled API, a function of the crate,
/// or a method of a crate type.
#[derive(Clone)]
pub struct Call<'a> {
    pub expr: &'a Expr,
    /// The method name, for method calls.
    pub method: Option<String>,
    /// The resolved path, for function and macro calls.
    pub path: Option<PathBuf>,
    pub receiver: Option<&'a Expr>,
    pub args: Vec<&'a Expr>,
    /// The model entry, when the callee is a modelled API.
    pub api: Option<ApiEntry>,
    /// Key of the callee in the crate index, when it is the crate's own.
    pub callee: Option<PathBuf>,
    pub returns: Ty,
    /// Where to point a diagnostic about the call: the method name or the
    /// function path.
    pub span: Span,
}

impl Call<'_> {
    pub fn effect(&self) -> Effect {
        self.api.as_ref().map(|a| a.effect).unwrap_or_default()
    }

    pub fn is_method(&self, name: &str) -> bool {
        self.method.as_deref() == Some(name)
    }
}
