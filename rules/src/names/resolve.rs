//! Name resolution inside one file: `use` declarations (aliases, renames,
//! globs), items declared in each module, `crate::`, `self::`, `super::` and
//! `Self`. Paths resolve to canonical segment lists whose first segment is a
//! crate name (the linted crate's own name for its items).

use std::rc::Rc;

pub use crate::syntax::scope::{ModuleScope, ModuleTable, PathBuf};

/// Scopes of one file: its modules, and blocks with their own imports.
/// Every function's context starts from a copy of its walk's resolver, so
/// the scopes are shared, not copied.
#[derive(Clone, Debug)]
pub struct Resolver {
    pub crate_name: String,
    scopes: Vec<Rc<ModuleScope>>,
    /// The names this crate's code gives other crates of its workspace
    /// (`db = { package = "app-storage", path = ".." }` makes `db` stand
    /// for `app_storage`).
    externs: Option<Externs>,
    /// The names each module of the workspace provides, for choosing
    /// between several glob imports.
    modules: Option<ModuleTable>,
}

/// A crate's names for the crates it depends on, to their crate names.
pub type Externs = std::sync::Arc<std::collections::HashMap<String, String>>;

/// The names the standard prelude and the language make visible everywhere;
/// they resolve to themselves.
const PRELUDE: &[&str] = &[
    "Box", "Vec", "String", "Option", "Some", "None", "Result", "Ok", "Err", "drop", "Default",
    "Clone", "Iterator",
];

/// Well-known std wrappers, so `Arc<Mutex<Connection>>` and
/// `std::sync::Arc` resolve the same.
fn std_name(path: &[String]) -> bool {
    matches!(
        path.first().map(String::as_str),
        Some("std" | "core" | "alloc")
    )
}

impl Resolver {
    /// A resolver positioned at the root scope of a file.
    pub fn new(crate_name: &str, root: impl Into<Rc<ModuleScope>>) -> Resolver {
        Resolver {
            crate_name: crate_name.to_string(),
            scopes: vec![root.into()],
            externs: None,
            modules: None,
        }
    }

    /// The same resolver, reading dependency names through `externs`.
    pub fn with_externs(mut self, externs: Option<Externs>) -> Resolver {
        self.externs = externs;
        self
    }

    /// The same resolver, choosing between glob imports with what each
    /// module of the workspace declares.
    pub fn with_modules(mut self, modules: Option<ModuleTable>) -> Resolver {
        self.modules = modules;
        self
    }

    /// A path that starts at a crate root: its first segment through the
    /// crate's renamed dependencies.
    fn extern_path(&self, segments: &[String]) -> PathBuf {
        let mut path = segments.to_vec();
        if let (Some(first), Some(externs)) = (path.first_mut(), &self.externs) {
            if let Some(name) = externs.get(first.as_str()) {
                *first = name.clone();
            }
        }
        path
    }

    pub fn push(&mut self, scope: ModuleScope) {
        self.scopes.push(Rc::new(scope));
    }

    pub fn pop(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    /// The innermost scope.
    pub fn current(&self) -> &ModuleScope {
        self.scopes
            .last()
            .expect("a resolver always has its root scope")
    }

    /// Canonical path of the innermost module.
    pub fn module_path(&self) -> &PathBuf {
        &self.current().path
    }

    /// Resolves a path as written in the source.
    pub fn resolve(
        &self,
        segments: &[String],
        leading_colon: bool,
        self_type: Option<&PathBuf>,
    ) -> PathBuf {
        self.resolve_depth(segments, leading_colon, self_type, 0)
    }

    /// `depth` > 0 means `segments` is the target of a `use`, whose single
    /// segment names a crate rather than something a glob brought in.
    fn resolve_depth(
        &self,
        segments: &[String],
        leading_colon: bool,
        self_type: Option<&PathBuf>,
        depth: usize,
    ) -> PathBuf {
        let Some(first) = segments.first() else {
            return Vec::new();
        };
        let rest = &segments[1..];
        if leading_colon || depth > 8 {
            return self.extern_path(segments);
        }
        let join = |mut base: PathBuf| {
            base.extend(rest.iter().cloned());
            base
        };
        match first.as_str() {
            "crate" => return join(vec![self.crate_name.clone()]),
            "self" => return join(self.module_path().clone()),
            "Self" => {
                if let Some(ty) = self_type {
                    return join(ty.clone());
                }
                return segments.to_vec();
            }
            "super" => {
                let mut base = self.module_path().clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    if base.len() > 1 {
                        base.pop();
                    }
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                return base;
            }
            _ => {}
        }
        for scope in self.scopes.iter().rev() {
            if let Some(target) = scope.imports.get(first) {
                // A `use` path is itself relative: resolve its first segment.
                let target = if target.first().map(String::as_str) == Some(first.as_str())
                    && target.len() == 1
                {
                    self.extern_path(target)
                } else {
                    self.resolve_depth(target, false, self_type, depth + 1)
                };
                return join(target);
            }
            if scope.items.contains_key(first) {
                return join(
                    scope
                        .path
                        .iter()
                        .cloned()
                        .chain(std::iter::once(first.clone()))
                        .collect(),
                );
            }
        }
        // A name no `use` or item explains came from a glob: a lone name, or
        // the type in `Type::function` (crate names are lowercase).
        let type_like = first.starts_with(|c: char| c.is_ascii_uppercase());
        if depth == 0 && (segments.len() == 1 || type_like) && !PRELUDE.contains(&first.as_str()) {
            for scope in self.scopes.iter().rev() {
                if let Some(base) = self.glob_for(scope, first, self_type) {
                    return join(
                        base.into_iter()
                            .chain(std::iter::once(first.clone()))
                            .collect(),
                    );
                }
            }
        }
        self.extern_path(segments)
    }

    /// The glob import of `scope` that brings `name` in: the last one,
    /// unless it is a module of the workspace that does not declare
    /// `name` (with `use diesel::prelude::*; use crate::schema::*;`,
    /// `SqliteConnection` comes from diesel). A glob of another crate may
    /// provide anything.
    fn glob_for(
        &self,
        scope: &ModuleScope,
        name: &str,
        self_type: Option<&PathBuf>,
    ) -> Option<PathBuf> {
        let mut fallback = None;
        for glob in scope.globs.iter().rev() {
            let base = self.resolve_depth(glob, false, self_type, 1);
            if base.is_empty() || std_name(&base) {
                continue;
            }
            let known = self.modules.as_ref().and_then(|m| m.get(&base));
            match known {
                Some(module) if !module.may_provide(name) => {
                    fallback.get_or_insert(base);
                }
                _ => return Some(base),
            }
        }
        fallback
    }

    /// Resolves a `syn::Path`, ignoring generic arguments.
    pub fn resolve_path(&self, path: &syn::Path, self_type: Option<&PathBuf>) -> PathBuf {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments, path.leading_colon.is_some(), self_type)
    }

    /// Every crate this file imports from, as written.
    pub fn imported_crates(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for scope in &self.scopes {
            for root in scope.imported_roots() {
                if !out.iter().any(|r| r == root) {
                    out.push(root.to_string());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(src: &str) -> Resolver {
        let file: syn::File = syn::parse_str(src).unwrap();
        Resolver::new(
            "app",
            ModuleScope::new(vec!["app".into(), "db".into()], &file.items),
        )
    }

    fn resolve(r: &Resolver, path: &str) -> String {
        let segments: Vec<String> = path.split("::").map(str::to_string).collect();
        r.resolve(&segments, false, None).join("::")
    }

    #[test]
    fn aliases_renames_and_groups() {
        let r = resolver(
            "use rusqlite as sql; use rusqlite::Connection as Db; use sqlx::{self, Pool, postgres::PgPool as P};",
        );
        assert_eq!(
            resolve(&r, "sql::Connection::open"),
            "rusqlite::Connection::open"
        );
        assert_eq!(resolve(&r, "Db::open"), "rusqlite::Connection::open");
        assert_eq!(resolve(&r, "Pool"), "sqlx::Pool");
        assert_eq!(resolve(&r, "P::connect"), "sqlx::postgres::PgPool::connect");
        assert_eq!(resolve(&r, "sqlx::query"), "sqlx::query");
    }

    #[test]
    fn crate_self_super_and_local_items() {
        let r = resolver("use super::pool::Pool; use self::inner::X; struct Store; mod inner {}");
        assert_eq!(resolve(&r, "crate::db::open"), "app::db::open");
        assert_eq!(resolve(&r, "Pool"), "app::pool::Pool");
        assert_eq!(resolve(&r, "X"), "app::db::inner::X");
        assert_eq!(resolve(&r, "Store"), "app::db::Store");
        assert_eq!(resolve(&r, "Vec"), "Vec");
    }

    #[test]
    fn renamed_dependencies_resolve_to_their_crate() {
        let externs: Externs = std::sync::Arc::new(
            [("db".to_string(), "app_storage".to_string())]
                .into_iter()
                .collect(),
        );
        let r = resolver("use db::open; use db;").with_externs(Some(externs));
        assert_eq!(resolve(&r, "open"), "app_storage::open");
        assert_eq!(resolve(&r, "db::Pool::new"), "app_storage::Pool::new");
        assert_eq!(resolve(&r, "other::x"), "other::x");
    }

    #[test]
    fn several_globs_resolve_a_name_only_one_provides() {
        let file: syn::File =
            syn::parse_str("use diesel::prelude::*; use crate::schema::*; use std::io::*;")
                .unwrap();
        let mut modules = std::collections::HashMap::new();
        let mut schema = crate::syntax::scope::ModuleNames::default();
        schema.names.insert("messages".to_string());
        modules.insert(vec!["app".to_string(), "schema".to_string()], schema);
        let r = Resolver::new("app", ModuleScope::new(vec!["app".into()], &file.items))
            .with_modules(Some(std::sync::Arc::new(modules)));
        assert_eq!(
            resolve(&r, "SqliteConnection::establish"),
            "diesel::prelude::SqliteConnection::establish"
        );
        assert_eq!(resolve(&r, "messages"), "app::schema::messages");
    }

    #[test]
    fn globs_of_crates_and_local_use_chains() {
        let r = resolver("use rusqlite::*; use store::Db; mod store {}");
        assert_eq!(resolve(&r, "Connection"), "rusqlite::Connection");
        assert_eq!(resolve(&r, "Db"), "app::db::store::Db");
        assert_eq!(resolve(&r, "Option"), "Option");
    }
}
