//! The crate-wide index: what every file declares (structs and their field
//! types, function signatures, string constants, `Drop` impls), merged so a
//! rule in one file can see a helper defined in another. Built in two steps
//! because syn trees stay on the thread that parsed them: each file yields
//! `Send` [`FileDecls`], and [`WorkspaceIndex::new`] merges them.

use std::collections::HashSet;
use std::sync::Arc;

use syn::spanned::Spanned;
use syn::{ImplItem, Item, TraitItem};

use crate::names::attrs::{is_test_attrs, is_test_module, TestFeatures};
use crate::names::resolve::{Externs, ModuleScope, PathBuf, Resolver};
use crate::names::ty::{type_expr, TypeExpr};
use crate::syntax::source::ParsedFile;

/// How a method takes `self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelfParam {
    Value,
    Ref,
}

/// A function parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// The bound name, when the pattern is a plain identifier.
    pub name: Option<String>,
    pub ty: TypeExpr,
}

/// A function's signature, as the index keeps it.
#[derive(Clone, Debug)]
pub struct FnDecl {
    pub key: PathBuf,
    pub self_param: Option<SelfParam>,
    pub self_type: Option<PathBuf>,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub is_async: bool,
    pub is_test: bool,
    /// Runs once per request: a route attribute, an extractor or a service
    /// trait method. Router registrations are added by the summary step.
    pub is_handler: bool,
    /// Last path segments of the function's attributes.
    pub attributes: Vec<String>,
}

/// A struct and the declared types of its fields.
#[derive(Clone, Debug, Default)]
pub struct StructDecl {
    pub fields: Vec<(String, TypeExpr)>,
}

/// What one file declares.
#[derive(Debug, Default)]
pub struct FileDecls {
    pub structs: Vec<(PathBuf, StructDecl)>,
    pub aliases: Vec<(PathBuf, TypeExpr)>,
    pub fns: Vec<FnDecl>,
    pub strings: Vec<(PathBuf, String)>,
    /// Types whose `Drop` runs SQL containing ROLLBACK (hand-made guards).
    pub rollback_on_drop: Vec<PathBuf>,
    /// Crates the file imports from.
    pub imported_crates: Vec<String>,
    /// `static` items, including those of `thread_local!` and
    /// `lazy_static!`: values that live for the whole process.
    pub statics: Vec<PathBuf>,
    /// `use a::b as c` at module level, as (`b`, `c`).
    pub renames: Vec<(String, String)>,
    /// Crates imported by any module of the file, nested ones included.
    pub imported_anywhere: Vec<String>,
    /// `Drop::drop` methods: the language calls them, no code can.
    pub drop_impls: Vec<PathBuf>,
    /// Modules declared here, in files of their own, that are test code
    /// (`#[cfg(test)] mod tests;`, a module behind a test-only feature):
    /// their files are test code too.
    pub test_modules: Vec<PathBuf>,
    /// What each module of the file (the file's own and inline ones)
    /// provides to glob imports.
    pub modules: Vec<(PathBuf, crate::syntax::scope::ModuleNames)>,
    /// `impl Deref for T { type Target = U; .. }`: T, U, and the field of
    /// `self` the `deref` body hands out, when it is one (`&self.conn`).
    pub derefs: Vec<(PathBuf, DerefDecl)>,
    /// `impl Trait for Type`, as (type, trait): a call of the trait's
    /// default method on a value of the type runs that method.
    pub trait_impls: Vec<(PathBuf, PathBuf)>,
    /// Every value the file gives a struct field, in struct literals
    /// (`S { field: value }`) and assignments (`x.field = value`): see
    /// [`field_texts`].
    pub field_texts: Vec<(FieldKey, Option<Vec<String>>)>,
}

/// What a crate type dereferences to.
#[derive(Clone, Debug)]
pub struct DerefDecl {
    pub target: TypeExpr,
    /// The field `deref` returns (`&self.writer`), if it returns one.
    pub field: Option<String>,
}

/// The string value of a constant initializer: a literal or `concat!` of
/// literals.
pub fn const_string(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Macro(m) if m.mac.path.is_ident("concat") => concat_literals(&m.mac.tokens),
        syn::Expr::Reference(r) => const_string(&r.expr),
        syn::Expr::Paren(p) => const_string(&p.expr),
        syn::Expr::Group(g) => const_string(&g.expr),
        _ => None,
    }
}

/// Replaces `{…}` holes of a format string with an identifier so that the
/// template parses as SQL.
pub fn fill_format_holes(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                out.push('x');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The string a `static` holds when it is built once from a template:
/// a constant string, `format!("..")` (holes filled), or either inside
/// `LazyLock::new(|| ..)` / `Lazy::new(|| ..)`.
pub fn static_string(expr: &syn::Expr) -> Option<String> {
    if let Some(value) = const_string(expr) {
        return Some(value);
    }
    match expr {
        syn::Expr::Macro(m)
            if m.mac.path.segments.last().is_some_and(|s| {
                matches!(s.ident.to_string().as_str(), "format" | "formatdoc")
            }) =>
        {
            let args: syn::punctuated::Punctuated<syn::Expr, syn::Token![,]> = m
                .mac
                .parse_body_with(syn::punctuated::Punctuated::parse_terminated)
                .ok()?;
            let template = const_string(args.first()?)?;
            Some(fill_format_holes(&template))
        }
        syn::Expr::Call(c) if c.args.len() == 1 => match &c.args[0] {
            syn::Expr::Closure(closure) => static_string(&closure.body),
            _ => None,
        },
        syn::Expr::Block(b) => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(e, None)) => static_string(e),
            _ => None,
        },
        _ => None,
    }
}

/// `static ref NAME: T = EXPR;` items of `lazy_static!`, with their values.
fn lazy_statics(tokens: &proc_macro2::TokenStream) -> Vec<(String, syn::Expr)> {
    let parser = |input: syn::parse::ParseStream| {
        let mut out = Vec::new();
        while !input.is_empty() {
            input.call(syn::Attribute::parse_outer)?;
            input.parse::<syn::Visibility>()?;
            input.parse::<syn::Token![static]>()?;
            input.parse::<syn::Token![ref]>()?;
            let name: syn::Ident = input.parse()?;
            input.parse::<syn::Token![:]>()?;
            input.parse::<syn::Type>()?;
            input.parse::<syn::Token![=]>()?;
            let value: syn::Expr = input.parse()?;
            input.parse::<syn::Token![;]>()?;
            out.push((name.to_string(), value));
        }
        Ok(out)
    };
    syn::parse::Parser::parse2(parser, tokens.clone()).unwrap_or_default()
}

/// Joins the literals of `concat!(...)`.
pub fn concat_literals(tokens: &proc_macro2::TokenStream) -> Option<String> {
    let args: syn::punctuated::Punctuated<syn::Expr, syn::Token![,]> = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::parse_terminated,
        tokens.clone(),
    )
    .ok()?;
    let mut out = String::new();
    for arg in args {
        match arg {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => out.push_str(&s.value()),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => out.push_str(i.base10_digits()),
            _ => return None,
        }
    }
    Some(out)
}

struct DeclCollector<'a> {
    resolver: Resolver,
    test_features: &'a TestFeatures,
    out: FileDecls,
    file_is_test: bool,
    file: &'a ParsedFile,
}

fn key_of_drop(self_path: &PathBuf) -> PathBuf {
    let mut key = self_path.clone();
    key.push("drop".into());
    key
}

/// Collects the declarations of one file.
pub fn file_decls(file: &ParsedFile, krate: &CrateMeta) -> FileDecls {
    let scope = file.root_scope(&krate.name);
    let renames = renames_of(&scope);
    let imported_anywhere = scope.imported_roots().map(str::to_string).collect();
    let modules = vec![(scope.path.clone(), scope.names())];
    let resolver = Resolver::new(&krate.name, scope).with_externs(krate.externs.clone());
    let mut collector = DeclCollector {
        resolver,
        test_features: &krate.test_features,
        out: FileDecls {
            renames,
            imported_anywhere,
            modules,
            ..FileDecls::default()
        },
        file_is_test: file.is_test,
        file,
    };
    collector.items(&file.ast.items, file.is_test);
    collector.out.field_texts = field_texts(file);
    collector.out.imported_crates = collector.resolver.imported_crates();
    collector.out
}

fn renames_of(scope: &ModuleScope) -> Vec<(String, String)> {
    scope
        .renames()
        .map(|(original, alias)| (original.to_string(), alias.to_string()))
        .collect()
}

impl DeclCollector<'_> {
    fn path(&self, name: &str) -> PathBuf {
        let mut path = self.resolver.module_path().clone();
        path.push(name.to_string());
        path
    }

    /// Fields by name (`0`, `1`.. for tuple fields) with their types.
    fn fields(&self, fields: &syn::Fields) -> Vec<(String, TypeExpr)> {
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let name = f
                    .ident
                    .as_ref()
                    .map(|id| id.to_string())
                    .unwrap_or_else(|| i.to_string());
                (name, type_expr(&self.resolver, &f.ty, None))
            })
            .collect()
    }

    fn items(&mut self, items: &[Item], in_test: bool) {
        for item in items {
            match item {
                Item::Struct(s) => {
                    let fields = self.fields(&s.fields);
                    self.out
                        .structs
                        .push((self.path(&s.ident.to_string()), StructDecl { fields }));
                }
                Item::Enum(e) => {
                    // A variant with fields is a struct to patterns:
                    // `Db::MySql { pool, .. }` binds `pool` with its type.
                    let enum_path = self.path(&e.ident.to_string());
                    for variant in e.variants.iter().filter(|v| !v.fields.is_empty()) {
                        let mut path = enum_path.clone();
                        path.push(variant.ident.to_string());
                        let fields = self.fields(&variant.fields);
                        self.out.structs.push((path, StructDecl { fields }));
                    }
                }
                Item::Type(t) => {
                    let target = type_expr(&self.resolver, &t.ty, None);
                    self.out
                        .aliases
                        .push((self.path(&t.ident.to_string()), target));
                }
                Item::Fn(f) => {
                    let test = in_test || is_test_attrs(&f.attrs, self.test_features);
                    let key = self.path(&f.sig.ident.to_string());
                    let mut decl = self.fn_decl(key, &f.sig, None, test);
                    decl.is_handler = crate::names::attrs::has_route_attribute(&f.attrs);
                    decl.attributes = attribute_names(&f.attrs);
                    self.out.fns.push(decl);
                }
                Item::Const(c) => {
                    if let Some(value) = const_string(&c.expr) {
                        self.out
                            .strings
                            .push((self.path(&c.ident.to_string()), value));
                    }
                }
                Item::Static(s) => {
                    if let Some(value) = static_string(&s.expr) {
                        self.out
                            .strings
                            .push((self.path(&s.ident.to_string()), value));
                    }
                    self.out.statics.push(self.path(&s.ident.to_string()));
                }
                Item::Macro(m) => {
                    let name = m
                        .mac
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    if matches!(name.as_str(), "thread_local" | "lazy_static") {
                        for static_name in macro_statics(&m.mac.tokens) {
                            self.out.statics.push(self.path(&static_name));
                        }
                    }
                    if name == "lazy_static" {
                        for (static_name, value) in lazy_statics(&m.mac.tokens) {
                            if let Some(text) = static_string(&value) {
                                self.out.strings.push((self.path(&static_name), text));
                            }
                        }
                    }
                }
                Item::Impl(i) => {
                    self.impl_block(i, in_test || is_test_attrs(&i.attrs, self.test_features))
                }
                Item::Trait(t) => {
                    let trait_path = self.path(&t.ident.to_string());
                    for item in &t.items {
                        if let TraitItem::Fn(f) = item {
                            let mut key = trait_path.clone();
                            key.push(f.sig.ident.to_string());
                            let decl = self.fn_decl(key, &f.sig, Some(&trait_path), in_test);
                            self.out.fns.push(decl);
                        }
                    }
                }
                Item::Mod(m) => {
                    let test = in_test || is_test_module(m, self.test_features);
                    if m.content.is_none() && test {
                        self.out.test_modules.push(self.path(&m.ident.to_string()));
                    }
                    if let Some((_, items)) = &m.content {
                        let path = self.path(&m.ident.to_string());
                        let scope = ModuleScope::new(path, items);
                        self.out.modules.push((scope.path.clone(), scope.names()));
                        self.out.renames.extend(renames_of(&scope));
                        self.out
                            .imported_anywhere
                            .extend(scope.imported_roots().map(str::to_string));
                        self.resolver.push(scope);
                        self.items(items, test);
                        self.resolver.pop();
                    }
                }
                _ => {}
            }
        }
    }

    fn impl_block(&mut self, block: &syn::ItemImpl, in_test: bool) {
        let TypeExpr::Path {
            path: self_path, ..
        } = strip_refs(type_expr(&self.resolver, &block.self_ty, None))
        else {
            return;
        };
        let trait_name = block
            .trait_
            .as_ref()
            .and_then(|(_, p, _)| p.segments.last())
            .map(|s| s.ident.to_string());
        let request_trait = block.trait_.as_ref().is_some_and(|(_, p, _)| {
            let path = self.resolver.resolve_path(p, Some(&self_path));
            crate::names::attrs::is_request_trait(
                &path,
                &block.attrs,
                &self.resolver.imported_crates(),
            )
        });
        if trait_name.as_deref() == Some("Deref") {
            self.deref_impl(block, &self_path);
        }
        if let Some((_, trait_path, _)) = &block.trait_ {
            let trait_path = self.resolver.resolve_path(trait_path, Some(&self_path));
            self.out.trait_impls.push((self_path.clone(), trait_path));
        }
        for item in &block.items {
            match item {
                ImplItem::Fn(f) => {
                    let mut key = self_path.clone();
                    key.push(f.sig.ident.to_string());
                    let test = in_test || is_test_attrs(&f.attrs, self.test_features);
                    let mut decl = self.fn_decl(key, &f.sig, Some(&self_path), test);
                    decl.is_handler =
                        request_trait || crate::names::attrs::has_route_attribute(&f.attrs);
                    self.out.fns.push(decl);
                    let rolls_back = || {
                        // Alone: the summary rounds lex the bodies they need.
                        self.file.prepare_bodies(self.file.body_slot(&f.block));
                        self.file
                            .body(&f.block)
                            .is_some_and(block_mentions_rollback)
                    };
                    if trait_name.as_deref() == Some("Drop") {
                        self.out.drop_impls.push(key_of_drop(&self_path));
                        if rolls_back() {
                            self.out.rollback_on_drop.push(self_path.clone());
                        }
                    }
                }
                ImplItem::Const(c) => {
                    if let Some(value) = const_string(&c.expr) {
                        let mut key = self_path.clone();
                        key.push(c.ident.to_string());
                        self.out.strings.push((key, value));
                    }
                }
                _ => {}
            }
        }
    }

    /// Records `impl Deref for T`: its `Target` and the field its `deref`
    /// hands out.
    fn deref_impl(&mut self, block: &syn::ItemImpl, self_path: &PathBuf) {
        let mut target = None;
        let mut field = None;
        for item in &block.items {
            match item {
                ImplItem::Type(t) if t.ident == "Target" => {
                    target = Some(type_expr(&self.resolver, &t.ty, Some(self_path)));
                }
                ImplItem::Fn(f) if f.sig.ident == "deref" => {
                    self.file.prepare_bodies(self.file.body_slot(&f.block));
                    field = self.file.body(&f.block).and_then(returned_self_field);
                }
                _ => {}
            }
        }
        if let Some(target) = target {
            self.out
                .derefs
                .push((self_path.clone(), DerefDecl { target, field }));
        }
    }

    fn fn_decl(
        &self,
        key: PathBuf,
        sig: &syn::Signature,
        self_type: Option<&PathBuf>,
        is_test: bool,
    ) -> FnDecl {
        let mut self_param = None;
        let mut params = Vec::new();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    self_param = Some(if r.reference.is_some() {
                        SelfParam::Ref
                    } else {
                        SelfParam::Value
                    });
                }
                syn::FnArg::Typed(t) => {
                    let name = match &*t.pat {
                        syn::Pat::Ident(id) => Some(id.ident.to_string()),
                        _ => None,
                    };
                    params.push(Param {
                        name,
                        ty: type_expr(&self.resolver, &t.ty, self_type),
                    });
                }
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Type(_, ty) => Some(type_expr(&self.resolver, ty, self_type)),
            syn::ReturnType::Default => None,
        };
        FnDecl {
            key,
            self_param,
            self_type: self_type.cloned(),
            params,
            ret,
            is_async: sig.asyncness.is_some(),
            is_test: is_test || self.file_is_test,
            is_handler: false,
            attributes: Vec::new(),
        }
    }
}

fn attribute_names(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| a.path().segments.last().map(|s| s.ident.to_string()))
        .collect()
}

/// Names declared by `static NAME` / `static ref NAME` inside
/// `thread_local!` and `lazy_static!`.
fn macro_statics(tokens: &proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_static = false;
    for token in tokens.clone() {
        if let proc_macro2::TokenTree::Ident(ident) = token {
            let name = ident.to_string();
            if name == "static" {
                after_static = true;
            } else if after_static && name != "ref" && name != "mut" {
                out.push(name);
                after_static = false;
            }
        }
    }
    out
}

fn strip_refs(ty: TypeExpr) -> TypeExpr {
    match ty {
        TypeExpr::Ref(inner) => strip_refs(*inner),
        other => other,
    }
}

/// `&self.field` (or `&mut self.field`, `self.field.deref()`) as a block's
/// value: the field's name.
fn returned_self_field(block: &syn::Block) -> Option<String> {
    let Some(syn::Stmt::Expr(value, None)) = block.stmts.last() else {
        return None;
    };
    let mut current = value;
    loop {
        current = match current {
            syn::Expr::Reference(r) => &r.expr,
            syn::Expr::Paren(p) => &p.expr,
            syn::Expr::MethodCall(m) if m.args.is_empty() => &m.receiver,
            syn::Expr::Field(f) => {
                let base_is_self =
                    matches!(&*f.base, syn::Expr::Path(p) if p.path.is_ident("self"));
                return match (&f.member, base_is_self) {
                    (syn::Member::Named(n), true) => Some(n.to_string()),
                    (syn::Member::Unnamed(i), true) => Some(i.index.to_string()),
                    _ => None,
                };
            }
            _ => return None,
        };
    }
}

fn block_mentions_rollback(block: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
            if lit.value().to_ascii_uppercase().contains("ROLLBACK") {
                self.0 = true;
            }
        }
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "rollback" {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if mac
                .tokens
                .to_string()
                .to_ascii_uppercase()
                .contains("ROLLBACK")
            {
                self.0 = true;
            }
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_block(&mut finder, block);
    let _ = block.span();
    finder.0
}

/// A crate of the workspace, as the analysis needs to know it.
#[derive(Clone, Debug, Default)]
pub struct CrateMeta {
    /// The name its code and its dependents' code use for it (`app_storage`).
    pub name: String,
    /// Its names for the other crates it depends on, where they differ from
    /// their crate names (renamed dependencies).
    pub externs: Option<Externs>,
    /// Features only test builds turn on: code behind them is test code.
    pub test_features: Arc<TestFeatures>,
}

/// A struct field, by the last segment of the struct's name and the field's
/// name. The struct is `Self` for `Self { .. }` and `*` for an assignment
/// `x.field = ..` whose receiver's type is not known here.
pub type FieldKey = (String, String);

/// The values a file gives struct fields: for each struct literal field and
/// each field assignment, the string literals the value is made of (a
/// literal, `concat!` of literals, an array or slice of them, `Some(..)` of
/// those, `None`), or `None` when the value is anything else.
pub fn field_texts(file: &ParsedFile) -> Vec<(FieldKey, Option<Vec<String>>)> {
    #[derive(Default)]
    struct Collector<'a> {
        out: Vec<(FieldKey, Option<Vec<String>>)>,
        bodies: Vec<&'a syn::Block>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Collector<'ast> {
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            let name = s
                .path
                .segments
                .last()
                .map(|seg| seg.ident.to_string())
                .unwrap_or_default();
            for field in &s.fields {
                if let syn::Member::Named(ident) = &field.member {
                    let key = (name.clone(), ident.to_string());
                    self.out.push((key, literal_texts(&field.expr)));
                }
            }
            syn::visit::visit_expr_struct(self, s);
        }
        fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
            if let syn::Expr::Field(f) = &*a.left {
                if let syn::Member::Named(ident) = &f.member {
                    let key = ("*".to_string(), ident.to_string());
                    self.out.push((key, literal_texts(&a.right)));
                }
            }
            syn::visit::visit_expr_assign(self, a);
        }
        fn visit_block(&mut self, block: &'ast syn::Block) {
            self.bodies.push(block);
            syn::visit::visit_block(self, block);
        }
    }
    // Function bodies are parsed lazily: those that mention a field given
    // literals at the top level are parsed to see every value it gets.
    let mut collector = Collector::default();
    syn::visit::Visit::visit_file(&mut collector, &file.ast);
    let fields: HashSet<String> = collector
        .out
        .iter()
        .filter(|(_, texts)| texts.as_ref().is_some_and(|t| !t.is_empty()))
        .map(|((_, field), _)| field.clone())
        .collect();
    let blocks = std::mem::take(&mut collector.bodies);
    for block in blocks {
        let Some(text) = file.unparsed_body_text(block) else {
            continue;
        };
        if !fields.iter().any(|f| text.contains(f.as_str())) {
            continue;
        }
        if let Some(body) = file.body(block) {
            syn::visit::Visit::visit_block(&mut collector, body);
        }
    }
    collector.out
}

/// The string literals a value is made of, or `None` if it is not made of
/// literals alone.
fn literal_texts(expr: &syn::Expr) -> Option<Vec<String>> {
    match expr {
        syn::Expr::Array(a) => {
            let mut out = Vec::new();
            for elem in &a.elems {
                out.extend(literal_texts(elem)?);
            }
            Some(out)
        }
        syn::Expr::Path(p) if p.path.is_ident("None") => Some(Vec::new()),
        syn::Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            syn::Expr::Path(p) if p.path.is_ident("Some") => literal_texts(&c.args[0]),
            _ => None,
        },
        syn::Expr::Reference(r) => literal_texts(&r.expr),
        syn::Expr::Paren(p) => literal_texts(&p.expr),
        syn::Expr::Group(g) => literal_texts(&g.expr),
        _ => const_string(expr).map(|text| vec![text]),
    }
}

#[cfg(test)]
mod field_text_tests {
    #[test]
    fn shorthand_is_not_a_literal() {
        let file = crate::syntax::source::ParsedFile::parse(
            0,
            r#"static M: &[S] = &[S { a: &["x"] }];
            fn f(a: &'static [&'static str]) -> S { S { a } }"#
                .into(),
            Vec::new(),
            false,
        )
        .unwrap();
        let got = super::field_texts(&file);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].1, None);
    }
}
