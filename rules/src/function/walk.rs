//! Walks the items of a file and builds a [`FnContext`] for every function
//! body: free functions, methods, trait default methods and functions nested
//! in other bodies. Test code is skipped unless asked for.

use syn::{ImplItem, Item, TraitItem};

use crate::function::context::{FnContext, FnItem};
use crate::index::decls::CrateMeta;
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::attrs::{is_test_attrs, is_test_module, TestFeatures};
use crate::names::resolve::{ModuleScope, PathBuf, Resolver};
use crate::names::ty::{type_expr, TypeExpr};
use crate::syntax::macros::MacroArena;
use crate::syntax::source::ParsedFile;

/// A function body the walk reached, before its context is built.
pub struct FnSite<'a> {
    pub key: &'a PathBuf,
    pub sig: &'a syn::Signature,
    /// As the file was parsed: `{}` for a body kept aside until asked for
    /// (see [`ParsedFile::body`]).
    pub body: &'a syn::Block,
    pub self_type: Option<&'a PathBuf>,
    pub impl_trait: Option<&'a PathBuf>,
}

/// Calls `visit` with the context of every function body in `file`,
/// skipping functions the summaries found no database
/// use in (see [`WorkspaceIndex::is_relevant`]).
pub fn for_each_relevant_fn(
    file: &ParsedFile,
    index: &WorkspaceIndex,
    include_tests: bool,
    visit: &mut dyn FnMut(&FnContext<'_>),
) {
    walk(
        file,
        index,
        include_tests,
        &mut |site| index.is_relevant(site.key),
        visit,
    );
}

/// Calls `select` on every function body in `file`, in a fixed order, and
/// `visit` with the context of those it returns true for. Building a context
/// is the costly part, so callers that need only a few decide here.
pub fn walk(
    file: &ParsedFile,
    index: &WorkspaceIndex,
    include_tests: bool,
    select: &mut dyn FnMut(&FnSite<'_>) -> bool,
    visit: &mut dyn FnMut(&FnContext<'_>),
) {
    let is_test = file.is_test || index.in_test_module(file.id, &file.module);
    if is_test && !include_tests {
        return;
    }
    let krate = index.crate_of(file.id);
    let resolver = Resolver::new(&krate.name, file.root_scope(&krate.name))
        .with_externs(krate.externs.clone())
        .with_modules(Some(index.modules()));
    let mut walker = Walker {
        file,
        index: Some(index),
        include_tests,
        test_features: &krate.test_features,
        resolver,
        select,
        visit,
    };
    walker.items(&file.ast.items, is_test);
}

/// Calls `site` on every function body [`walk`] would reach, in the same
/// order, before the workspace's index exists: right after parsing, with
/// only the file's own crate known. A file that is test code only because
/// a parent module is `#[cfg(test)]` is walked anyway (the index knows
/// that; the caller asks it later). A site's key resolves the impl's type
/// without the workspace's modules, so it may differ from the key [`walk`]
/// gives; its last segment, the function's name, does not.
pub fn for_each_site(
    file: &ParsedFile,
    krate: &CrateMeta,
    include_tests: bool,
    site: &mut dyn FnMut(&FnSite<'_>),
) {
    if file.is_test && !include_tests {
        return;
    }
    let resolver = Resolver::new(&krate.name, file.root_scope(&krate.name))
        .with_externs(krate.externs.clone());
    let mut walker = Walker {
        file,
        index: None,
        include_tests,
        test_features: &krate.test_features,
        resolver,
        select: &mut |s| {
            site(s);
            false
        },
        visit: &mut |_| {},
    };
    walker.items(&file.ast.items, file.is_test);
}

struct Walker<'a, 'v> {
    file: &'a ParsedFile,
    /// `None` before the index exists: then nothing is selected.
    index: Option<&'a WorkspaceIndex>,
    include_tests: bool,
    test_features: &'a TestFeatures,
    resolver: Resolver,
    select: &'v mut dyn FnMut(&FnSite<'_>) -> bool,
    visit: &'v mut dyn FnMut(&FnContext<'_>),
}

impl<'a> Walker<'a, '_> {
    fn skip(&self, attrs: &[syn::Attribute], in_test: bool) -> Option<bool> {
        let test = in_test || is_test_attrs(attrs, self.test_features);
        if test && !self.include_tests {
            None
        } else {
            Some(test)
        }
    }

    fn items(&mut self, items: &'a [Item], in_test: bool) {
        for item in items {
            match item {
                Item::Fn(f) => {
                    let Some(test) = self.skip(&f.attrs, in_test) else {
                        continue;
                    };
                    let mut key = self.resolver.module_path().clone();
                    key.push(f.sig.ident.to_string());
                    self.function(&f.sig, &f.block, &f.attrs, None, None, key, test);
                }
                Item::Impl(block) => {
                    let Some(test) = self.skip(&block.attrs, in_test) else {
                        continue;
                    };
                    let self_type = match type_expr(&self.resolver, &block.self_ty, None) {
                        TypeExpr::Path { path, .. } => Some(path),
                        TypeExpr::Ref(inner) => match *inner {
                            TypeExpr::Path { path, .. } => Some(path),
                            _ => None,
                        },
                        _ => None,
                    };
                    let trait_path = block
                        .trait_
                        .as_ref()
                        .map(|(_, path, _)| self.resolver.resolve_path(path, self_type.as_ref()));
                    for item in &block.items {
                        if let ImplItem::Fn(f) = item {
                            let Some(test) = self.skip(&f.attrs, test) else {
                                continue;
                            };
                            let mut key = self_type
                                .clone()
                                .unwrap_or_else(|| self.resolver.module_path().clone());
                            key.push(f.sig.ident.to_string());
                            let attrs = &f.attrs;
                            self.function(
                                &f.sig,
                                &f.block,
                                attrs,
                                self_type.clone(),
                                trait_path.clone(),
                                key,
                                test,
                            );
                        }
                    }
                }
                Item::Trait(t) => {
                    let Some(test) = self.skip(&t.attrs, in_test) else {
                        continue;
                    };
                    let mut trait_path = self.resolver.module_path().clone();
                    trait_path.push(t.ident.to_string());
                    for item in &t.items {
                        if let TraitItem::Fn(f) = item {
                            if let Some(body) = &f.default {
                                let mut key = trait_path.clone();
                                key.push(f.sig.ident.to_string());
                                self.function(
                                    &f.sig,
                                    body,
                                    &f.attrs,
                                    Some(trait_path.clone()),
                                    None,
                                    key,
                                    test,
                                );
                            }
                        }
                    }
                }
                Item::Mod(m) => {
                    let test = in_test || is_test_module(m, self.test_features);
                    if test && !self.include_tests {
                        continue;
                    }
                    if let Some((_, items)) = &m.content {
                        let mut path = self.resolver.module_path().clone();
                        path.push(m.ident.to_string());
                        self.resolver.push(ModuleScope::new(path, items));
                        self.items(items, test);
                        self.resolver.pop();
                    }
                }
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        sig: &'a syn::Signature,
        body: &'a syn::Block,
        attrs: &'a [syn::Attribute],
        self_type: Option<PathBuf>,
        impl_trait: Option<PathBuf>,
        key: PathBuf,
        test: bool,
    ) {
        let site = FnSite {
            key: &key,
            sig,
            body,
            self_type: self_type.as_ref(),
            impl_trait: impl_trait.as_ref(),
        };
        // A body that does not parse is skipped; the file's errors say why.
        let selected = (self.select)(&site).then(|| self.file.body(body)).flatten();
        if let (Some(body), Some(index)) = (selected, self.index) {
            let arena = MacroArena::new(body);
            let decl = index.function(&key);
            let item_path = key.iter().skip(1).cloned().collect::<Vec<_>>().join("::");
            let item = FnItem {
                sig,
                body,
                attrs,
                self_type,
                impl_trait,
                item_path,
                is_test: test,
            };
            let cx = FnContext::new(self.file, index, self.resolver.clone(), &arena, item, decl);
            (self.visit)(&cx);
        }
        // Functions declared inside this body are analysed on their own.
        let nested: Vec<&'a Item> = body
            .stmts
            .iter()
            .filter_map(|s| match s {
                syn::Stmt::Item(item) => Some(item),
                _ => None,
            })
            .collect();
        if !nested.is_empty() {
            let mut scope = ModuleScope::block(self.resolver.module_path().clone());
            scope.add_block_items(nested.iter().copied());
            self.resolver.push(scope);
            for item in nested {
                self.items(std::slice::from_ref(item), test);
            }
            self.resolver.pop();
        }
    }
}
