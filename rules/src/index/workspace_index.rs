//! The index of a workspace (the unit of analysis: the member crates of a
//! cargo workspace, or one crate): every declaration its files make, merged
//! so a rule in one file sees a helper defined in another file or another
//! member, and the facts the steps above compute about them (summaries,
//! handlers, transaction parameters), kept here for every rule to read.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::index::decls::{CrateMeta, DerefDecl, FileDecls, FnDecl, SelfParam, StructDecl};
use crate::index::effects::{ChurnSite, ParamSlot, Summary};
use crate::names::deep::FileFacts;
use crate::names::model::Models;
use crate::names::resolve::PathBuf;
use crate::names::ty::{Ty, TypeExpr, TRANSPARENT_WRAPPERS};

/// Everything known about one workspace, shared by all rules and files.
#[derive(Debug)]
pub struct WorkspaceIndex {
    pub models: Arc<Models>,
    /// The crates of the workspace.
    crates: Vec<CrateMeta>,
    /// The crate of each file, by file id.
    file_crates: HashMap<usize, usize>,
    pub(crate) structs: HashMap<PathBuf, StructDecl>,
    pub(crate) aliases: HashMap<PathBuf, TypeExpr>,
    pub(crate) fns: HashMap<PathBuf, FnDecl>,
    /// `Type::method` (last two segments) to full keys, for paths the
    /// resolver could only guess.
    fns_by_tail: HashMap<(String, String), Vec<PathBuf>>,
    strings: HashMap<PathBuf, String>,
    /// The string literals given to each struct field across the
    /// workspace; `None` once any value is not made of literals.
    field_texts: HashMap<crate::index::decls::FieldKey, Option<Vec<String>>>,
    rollback_on_drop: HashSet<PathBuf>,
    /// Models of the database crates the crate imports.
    pub used_models: HashSet<&'static str>,
    pub summaries: HashMap<PathBuf, Summary>,
    pub(crate) statics: HashSet<PathBuf>,
    /// Functions that run once per request.
    pub handlers: HashSet<PathBuf>,
    /// Parameters that every caller in the crate hands a transaction.
    pub transaction_params: HashSet<(PathBuf, ParamSlot)>,
    /// Calls that make a function open a connection over and over, by the
    /// function whose driver call opens it (see [`crate::facts::churn`]).
    pub churn: HashMap<PathBuf, Vec<ChurnSite>>,
    /// `b` to `c` for every `use a::b as c` of the crate.
    pub(crate) renames: HashMap<String, Vec<String>>,
    /// `Drop::drop` methods: the language calls them, no code can.
    pub(crate) drop_impls: HashSet<PathBuf>,
    /// Models of the crates imported anywhere, nested modules included
    /// (unlike [`WorkspaceIndex::used_models`], which the rules read).
    pub(crate) models_imported_anywhere: HashSet<&'static str>,
    /// What each module of the workspace provides to glob imports.
    pub(crate) modules: crate::syntax::scope::ModuleTable,
    /// What the deep tier's rustc driver resolved, by file id.
    deep_facts: HashMap<usize, Arc<FileFacts>>,
    /// `impl Deref` of the crate's types.
    derefs: HashMap<PathBuf, DerefDecl>,
    /// The traits each type implements (`impl Trait for Type`), by the
    /// type's path, for the traits' default methods.
    trait_impls: HashMap<PathBuf, Vec<PathBuf>>,
    /// The same for driver types (`impl ConnExt for rusqlite::Connection`).
    model_trait_impls: HashMap<crate::names::model::TypeId, Vec<PathBuf>>,
    /// The crate's own transaction types: values that hold an open
    /// transaction for their whole life (see [`WorkspaceIndex::is_transaction_type`]).
    transaction_types: HashSet<PathBuf>,
    /// Fields that hold a transaction in the values built with one (a
    /// data-access object over `&tx`), as (struct, field); set by the
    /// summary step.
    pub transaction_fields: HashSet<(PathBuf, String)>,
    /// Modules whose files are test code, declared out of line under a test
    /// attribute.
    test_modules: HashSet<PathBuf>,
    /// The keys of `structs`, `trait_impls`, `strings` and `derefs` by
    /// their last segment, for paths that were a guess.
    by_name: [ByName; 4],
}

impl WorkspaceIndex {
    /// Merges the declarations of every file of a workspace: `files` holds
    /// each file's id, the position of its crate in `crates`, and its
    /// declarations, in a fixed order (two items at one path resolve to the
    /// later).
    pub fn new(
        models: Arc<Models>,
        crates: Vec<CrateMeta>,
        files: Vec<(usize, usize, FileDecls)>,
    ) -> WorkspaceIndex {
        let mut index = WorkspaceIndex {
            models,
            crates,
            file_crates: HashMap::new(),
            structs: HashMap::new(),
            aliases: HashMap::new(),
            fns: HashMap::new(),
            fns_by_tail: HashMap::new(),
            strings: HashMap::new(),
            field_texts: HashMap::new(),
            rollback_on_drop: HashSet::new(),
            used_models: HashSet::new(),
            summaries: HashMap::new(),
            statics: HashSet::new(),
            handlers: HashSet::new(),
            transaction_params: HashSet::new(),
            churn: HashMap::new(),
            renames: HashMap::new(),
            drop_impls: HashSet::new(),
            models_imported_anywhere: HashSet::new(),
            deep_facts: HashMap::new(),
            derefs: HashMap::new(),
            trait_impls: HashMap::new(),
            model_trait_impls: HashMap::new(),
            transaction_types: HashSet::new(),
            transaction_fields: HashSet::new(),
            test_modules: HashSet::new(),
            modules: Default::default(),
            by_name: Default::default(),
        };
        let mut modules: HashMap<PathBuf, crate::syntax::scope::ModuleNames> = HashMap::new();
        for (id, krate, file) in files {
            for (path, names) in file.modules {
                modules.entry(path).or_default().merge(names);
            }
            index.file_crates.insert(id, krate);
            index.structs.extend(file.structs);
            index.aliases.extend(file.aliases);
            index.strings.extend(file.strings);
            for (key, texts) in file.field_texts {
                let entry = index.field_texts.entry(key).or_insert(Some(Vec::new()));
                match (entry.as_mut(), texts) {
                    (Some(all), Some(texts)) => all.extend(texts),
                    _ => *entry = None,
                }
            }
            index.rollback_on_drop.extend(file.rollback_on_drop);
            index.statics.extend(file.statics);
            for (original, alias) in file.renames {
                index.renames.entry(original).or_default().push(alias);
            }
            index.drop_impls.extend(file.drop_impls);
            index.derefs.extend(file.derefs);
            for (ty, trait_path) in file.trait_impls {
                index.trait_impls.entry(ty).or_default().push(trait_path);
            }
            index.test_modules.extend(file.test_modules);
            for krate in &file.imported_anywhere {
                if let Some(model) = index.models.model_of_crate(krate) {
                    index.models_imported_anywhere.insert(model);
                }
            }
            for krate in &file.imported_crates {
                if let Some(model) = index.models.model_of_crate(krate) {
                    index.used_models.insert(model);
                }
            }
            for mut decl in file.fns {
                decl.is_handler |= index.models.is_user_handler(&decl.key)
                    || index.models.is_user_handler_attribute(&decl.attributes);
                if decl.is_handler {
                    index.handlers.insert(decl.key.clone());
                }
                if decl.key.len() >= 2 {
                    let tail = (
                        decl.key[decl.key.len() - 2].clone(),
                        decl.key[decl.key.len() - 1].clone(),
                    );
                    index
                        .fns_by_tail
                        .entry(tail)
                        .or_default()
                        .push(decl.key.clone());
                }
                index.fns.insert(decl.key.clone(), decl);
            }
        }
        index.modules = std::sync::Arc::new(modules);
        index.transaction_types = index.find_transaction_types();
        index.by_name = [
            ByName::of(index.structs.keys()),
            ByName::of(index.trait_impls.keys()),
            ByName::of(index.strings.keys()),
            ByName::of(index.derefs.keys()),
        ];
        for (ty, traits) in &index.trait_impls {
            if let Some(id) = index.models.type_of_path(ty) {
                index
                    .model_trait_impls
                    .entry(id)
                    .or_default()
                    .extend(traits.iter().cloned());
            }
        }
        index
    }

    /// The crate's transaction types: a type whose `Drop` rolls back (a
    /// hand-made guard over `BEGIN`), a type with a consuming `commit(self)`
    /// (a wrapper around a driver transaction or a guard), and a struct with a field of such a type or of a
    /// driver's transaction type, seen through `Option`, `Box` and the like.
    fn find_transaction_types(&self) -> HashSet<PathBuf> {
        let mut set: HashSet<PathBuf> = self.rollback_on_drop.clone();
        for decl in self.fns.values() {
            let (Some(self_type), Some(name)) = (&decl.self_type, decl.key.last()) else {
                continue;
            };
            if name != "commit" || decl.self_param != Some(SelfParam::Value) {
                continue;
            }
            if !decl.params.is_empty() {
                continue;
            }
            // `commit(self) -> Self` is a builder's, not a transaction's.
            let returns_self = decl.ret.as_ref().is_some_and(|ret| match ret {
                TypeExpr::Path { path, .. } => {
                    path == self_type || path.last().is_some_and(|l| l == "Self")
                }
                _ => false,
            });
            if !returns_self {
                set.insert(self_type.clone());
            }
        }
        for _ in 0..8 {
            let before = set.len();
            for (path, decl) in &self.structs {
                if set.contains(path) {
                    continue;
                }
                if decl
                    .fields
                    .iter()
                    .any(|(_, t)| self.names_transaction(t, &set, 0))
                {
                    set.insert(path.clone());
                }
            }
            if set.len() == before {
                break;
            }
        }
        set
    }

    /// Whether a field of this type holds a transaction: a driver's
    /// transaction or savepoint, or one of `set`, seen through references
    /// and transparent wrappers.
    fn names_transaction(&self, ty: &TypeExpr, set: &HashSet<PathBuf>, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        match ty {
            TypeExpr::Ref(inner) => self.names_transaction(inner, set, depth + 1),
            TypeExpr::Path { path, args } => {
                if set.contains(path) {
                    return true;
                }
                if let Some(id) = self.models.type_of_path(path) {
                    return self.models.ty(id).kind.is_transaction();
                }
                let last = path.last().map(String::as_str).unwrap_or("");
                if TRANSPARENT_WRAPPERS.contains(&last) {
                    return args
                        .iter()
                        .any(|a| self.names_transaction(a, set, depth + 1));
                }
                match self.aliases.get(path) {
                    Some(target) => self.names_transaction(target, set, depth + 1),
                    None => false,
                }
            }
            _ => false,
        }
    }

    /// Whether values of this crate type hold an open transaction for their
    /// whole life, so that writes through them are inside it.
    pub fn is_transaction_type(&self, path: &[String]) -> bool {
        self.transaction_types.contains(path)
    }

    /// What a crate type dereferences to (`impl Deref`), by path; falls
    /// back to a unique type of that name when the path was a guess.
    pub fn deref_decl(&self, path: &[String]) -> Option<&DerefDecl> {
        if let Some(decl) = self.derefs.get(path) {
            return Some(decl);
        }
        self.derefs.get(self.by_name[DEREFS].get(path)?)
    }

    /// The crate types that deref to a database type.
    pub fn deref_types(&self) -> impl Iterator<Item = &PathBuf> {
        self.derefs.keys().filter(|path| {
            self.db_ty(&Ty::Named {
                path: (*path).clone(),
                args: Vec::new(),
            })
            .model()
            .is_some()
        })
    }

    /// One deref step of a crate type: `AutofillDb` to `rusqlite::Connection`.
    pub fn deref_ty(&self, ty: &Ty) -> Option<Ty> {
        match ty {
            Ty::Named { path, .. } => {
                let target = self.ty(&self.deref_decl(path)?.target);
                target.is_known().then_some(target)
            }
            _ => None,
        }
    }

    /// Whether a value of this type is or holds a database value: a
    /// modelled type, one in its generic arguments, or a crate type that
    /// derefs to one.
    pub fn holds_db(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Model { .. } => true,
            Ty::Named { args, .. } => {
                args.iter().any(|a| self.holds_db(a)) || self.db_ty(ty).model().is_some()
            }
            Ty::Tuple(items) => items.iter().any(|t| self.holds_db(t)),
            Ty::Unknown => false,
        }
    }

    /// The database type a value of type `ty` is, following the crate's
    /// `Deref` impls (a wrapper that derefs to a connection is used as one);
    /// `ty` itself when it derefs to none.
    pub fn db_ty(&self, ty: &Ty) -> Ty {
        let mut current = ty.clone();
        for _ in 0..4 {
            if current.model().is_some() {
                return current;
            }
            match self.deref_ty(&current) {
                Some(next) => current = next,
                None => break,
            }
        }
        if current.model().is_some() {
            current
        } else {
            ty.clone()
        }
    }

    /// A driver path re-exported through another crate, as the driver's
    /// own: `surfpool_db::diesel::r2d2::Pool` and diesel's
    /// `diesel::r2d2::Pool` are r2d2's `Pool`. The candidates are the paths
    /// from each later segment that names a database crate some model
    /// covers, unless the workspace declares a module there (`app::redis`
    /// is the app's own).
    pub fn reexported<'s, 'p: 's>(
        &'s self,
        path: &'p [String],
    ) -> impl Iterator<Item = &'p [String]> + 's {
        (1..path.len().saturating_sub(1))
            .filter(move |&i| {
                self.models.covers_crate(&path[i]) && !self.modules.contains_key(&path[..=i])
            })
            .map(move |i| &path[i..])
    }

    /// The modelled function a resolved path names, directly or through a
    /// re-export (see [`WorkspaceIndex::reexported`]).
    pub fn model_function(
        &self,
        path: &[String],
    ) -> Option<(
        crate::names::model::ApiEntry,
        Option<crate::names::model::TypeId>,
    )> {
        self.models
            .function(path)
            .or_else(|| self.reexported(path).find_map(|p| self.models.function(p)))
    }

    /// The model type a resolved path names, directly or through a
    /// re-export.
    pub fn model_type(&self, path: &[String]) -> Option<crate::names::model::TypeId> {
        self.models.type_of_path(path).or_else(|| {
            self.reexported(path)
                .find_map(|p| self.models.type_of_path(p))
        })
    }

    /// What each module of the workspace provides to glob imports.
    pub fn modules(&self) -> crate::syntax::scope::ModuleTable {
        self.modules.clone()
    }

    /// The crate file `file` belongs to.
    pub fn crate_of(&self, file: usize) -> &CrateMeta {
        static NONE: std::sync::OnceLock<CrateMeta> = std::sync::OnceLock::new();
        match self.file_crates.get(&file) {
            Some(krate) => &self.crates[*krate],
            None => NONE.get_or_init(CrateMeta::default),
        }
    }

    /// Whether file `file`, at module path `module` of its crate, is in a
    /// module another file declared as test code (`#[cfg(test)] mod
    /// tests;`).
    pub fn in_test_module(&self, file: usize, module: &[String]) -> bool {
        if self.test_modules.is_empty() || module.is_empty() {
            return false;
        }
        let mut path = vec![self.crate_of(file).name.clone()];
        for segment in module {
            path.push(segment.clone());
            if self.test_modules.contains(&path) {
                return true;
            }
        }
        false
    }

    /// Whether a crate of the workspace is named `name`.
    pub fn has_crate(&self, name: &str) -> bool {
        self.crates.iter().any(|c| c.name == name)
    }

    /// A function of the workspace by resolved path; falls back to a unique
    /// `Type::name` match when the resolver had to guess the module.
    pub fn function(&self, path: &[String]) -> Option<&FnDecl> {
        if let Some(decl) = self.fns.get(path) {
            return Some(decl);
        }
        if path.len() >= 2 && path.first().is_some_and(|first| self.has_crate(first))
            || path.len() == 2
        {
            let tail = (path[path.len() - 2].clone(), path[path.len() - 1].clone());
            if let Some(keys) = self.fns_by_tail.get(&tail) {
                if keys.len() == 1 {
                    return self.fns.get(&keys[0]);
                }
            }
        }
        None
    }

    /// A method of a crate type.
    pub fn method(&self, type_path: &[String], name: &str) -> Option<&FnDecl> {
        let mut key = type_path.to_vec();
        key.push(name.to_string());
        self.function(&key)
    }

    /// A default method of a crate trait that a driver type implements.
    pub fn model_trait_method(
        &self,
        id: crate::names::model::TypeId,
        name: &str,
    ) -> Option<&FnDecl> {
        self.model_trait_impls.get(&id)?.iter().find_map(|t| {
            let mut key = t.clone();
            key.push(name.to_string());
            self.function(&key).filter(|d| d.self_param.is_some())
        })
    }

    /// A default method of a crate trait that the type implements:
    /// `conn.execute_all(..)` where the crate has `impl ConnExt for
    /// Connection` and `ConnExt::execute_all` has a body. `type_path` is
    /// the type as the impl names it (a driver's type too).
    pub fn trait_method(&self, type_path: &[String], name: &str) -> Option<&FnDecl> {
        let traits = self.trait_impls.get(type_path).or_else(|| {
            // The impl's path may be written differently (`Connection`
            // imported, `rusqlite::Connection` in full): match on the name
            // when only one type of that name implements traits.
            self.trait_impls
                .get(self.by_name[TRAIT_IMPLS].get(type_path)?)
        })?;
        traits.iter().find_map(|t| {
            let mut key = t.clone();
            key.push(name.to_string());
            self.function(&key).filter(|d| d.self_param.is_some())
        })
    }

    pub fn functions(&self) -> impl Iterator<Item = &FnDecl> {
        self.fns.values()
    }

    /// The declared type of a struct field.
    pub fn field(&self, struct_path: &[String], field: &str) -> Option<&TypeExpr> {
        let decl = self
            .structs
            .get(struct_path)
            .or_else(|| self.structs.get(self.by_name[STRUCTS].get(struct_path)?))?;
        decl.fields.iter().find(|(n, _)| n == field).map(|(_, t)| t)
    }

    /// Whether the crate declares a struct at this path.
    pub fn has_struct(&self, path: &[String]) -> bool {
        self.structs.contains_key(path)
    }

    /// The string literals a field of a struct of the workspace can hold:
    /// the union of every value given to it in struct literals (`S {..}`
    /// and `Self {..}`) and assignments, when each of those values is made
    /// of string literals alone; `None` if any is not, or if none is seen.
    /// Structs are told apart by name only, which can only add values.
    pub fn field_texts(&self, struct_name: &str, field: &str) -> Option<Vec<String>> {
        let mut out = Vec::new();
        let mut seen = false;
        for owner in [struct_name, "Self", "*"] {
            if let Some(texts) = self
                .field_texts
                .get(&(owner.to_string(), field.to_string()))
            {
                if owner == struct_name {
                    seen = true;
                }
                out.extend(texts.as_ref()?.iter().cloned());
            }
        }
        seen.then_some(out)
    }

    /// A string constant of the crate.
    pub fn string_const(&self, path: &[String]) -> Option<&str> {
        if let Some(value) = self.strings.get(path) {
            return Some(value);
        }
        self.strings
            .get(self.by_name[STRINGS].get(path)?)
            .map(String::as_str)
    }

    /// Whether a resolved path names a `static` of the crate (or a
    /// `thread_local!`/`lazy_static!` value).
    pub fn is_static(&self, path: &[String]) -> bool {
        self.statics.contains(path)
            || (path.len() == 1 && self.statics.iter().any(|p| p.last() == path.last()))
    }

    /// Whether the rules need to look at a function: it touches a database
    /// API directly or through its callees. Unknown functions are checked.
    pub fn is_relevant(&self, key: &[String]) -> bool {
        self.summaries.get(key).is_none_or(|s| s.relevant)
    }

    /// Whether a function runs once per request.
    pub fn is_handler(&self, key: &[String]) -> bool {
        self.handlers.contains(key)
    }

    /// Whether the type's `Drop` rolls back (a hand-written transaction guard).
    pub fn rolls_back_on_drop(&self, type_path: &[String]) -> bool {
        self.rollback_on_drop.contains(type_path)
            || type_path
                .last()
                .is_some_and(|n| self.rollback_on_drop.iter().any(|p| p.last() == Some(n)))
    }

    /// Hands the index what the deep tier resolved in file `file`.
    pub fn set_deep_facts(&mut self, file: usize, facts: Arc<FileFacts>) {
        self.deep_facts.insert(file, facts);
    }

    /// What the deep tier resolved in file `file`, if it ran.
    pub fn deep_facts(&self, file: usize) -> Option<&FileFacts> {
        self.deep_facts.get(&file).map(|f| &**f)
    }

    /// The summary of a function of the unit, if it has one.
    pub fn summary(&self, key: &[String]) -> Option<&Summary> {
        self.summaries.get(key)
    }

    /// Converts a declared type into what the analysis knows of it.
    pub fn ty(&self, expr: &TypeExpr) -> Ty {
        self.ty_depth(expr, 0)
    }

    fn ty_depth(&self, expr: &TypeExpr, depth: usize) -> Ty {
        if depth > 16 {
            return Ty::Unknown;
        }
        match expr {
            TypeExpr::Ref(inner) => self.ty_depth(inner, depth + 1),
            TypeExpr::Tuple(items) => {
                Ty::Tuple(items.iter().map(|t| self.ty_depth(t, depth + 1)).collect())
            }
            TypeExpr::Path { path, args } => {
                if let Some(id) = self.model_type(path) {
                    return Ty::Model {
                        id,
                        args: args.iter().map(|a| self.ty_depth(a, depth + 1)).collect(),
                    };
                }
                let last = path.last().map(String::as_str).unwrap_or("");
                if TRANSPARENT_WRAPPERS.contains(&last) {
                    if let Some(first) = args.first() {
                        return self.ty_depth(first, depth + 1);
                    }
                }
                if let Some(target) = self.aliases.get(path) {
                    return self.ty_depth(target, depth + 1);
                }
                if path.len() == 1 && last == "Self" {
                    return Ty::Unknown;
                }
                Ty::Named {
                    path: path.clone(),
                    args: args.iter().map(|a| self.ty_depth(a, depth + 1)).collect(),
                }
            }
            TypeExpr::Bounds(bounds) => {
                // `impl Future<Output = T>` and friends carry no model type we
                // can see; `impl Deref<Target = Connection>` is rare enough.
                for bound in bounds {
                    let ty = self.ty_depth(bound, depth + 1);
                    if ty.model().is_some() {
                        return ty;
                    }
                }
                Ty::Unknown
            }
            TypeExpr::Other => Ty::Unknown,
        }
    }
}

const STRUCTS: usize = 0;
const TRAIT_IMPLS: usize = 1;
const STRINGS: usize = 2;
const DEREFS: usize = 3;

/// The keys of a map by their last segment, for a path that was a guess
/// (a name imported from somewhere the resolver did not follow): the one
/// key with that name, none when several share it. Scanning every key on
/// each miss made lookups linear in the workspace's size, and the analysis
/// quadratic in it (`field` and `trait_method` alone were 4% of the time
/// of linting the application corpus, string comparisons more).
#[derive(Debug, Default)]
struct ByName(HashMap<String, Option<PathBuf>>);

impl ByName {
    fn of<'k>(keys: impl Iterator<Item = &'k PathBuf>) -> ByName {
        let mut map: HashMap<String, Option<PathBuf>> = HashMap::new();
        for key in keys {
            if let Some(name) = key.last() {
                map.entry(name.clone())
                    .and_modify(|unique| *unique = None)
                    .or_insert_with(|| Some(key.clone()));
            }
        }
        ByName(map)
    }

    /// The one key whose last segment is `path`'s.
    fn get(&self, path: &[String]) -> Option<&PathBuf> {
        self.0.get(path.last()?)?.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_finds_its_one_path_and_no_path_it_shares() {
        let path = |p: &str| p.split("::").map(String::from).collect::<PathBuf>();
        let keys = [path("a::Db"), path("a::Pool"), path("b::Pool")];
        let by_name = ByName::of(keys.iter());
        assert_eq!(by_name.get(&path("Db")), Some(&path("a::Db")));
        assert_eq!(by_name.get(&path("x::Db")), Some(&path("a::Db")));
        assert_eq!(by_name.get(&path("Pool")), None);
        assert_eq!(by_name.get(&path("Conn")), None);
        assert_eq!(by_name.get(&[]), None);
    }
}
