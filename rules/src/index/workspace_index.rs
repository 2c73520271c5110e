//! The index of a workspace (the unit of analysis: the member crates of a
//! cargo workspace, or one crate): every declaration its files make, merged
//! so a rule in one file sees a helper defined in another file or another
//! member, and the facts the steps above compute about them (summaries,
//! handlers, transaction parameters), kept here for every rule to read.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::index::decls::{CrateMeta, FileDecls, FnDecl, StructDecl};
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
    /// Modules whose files are test code, declared out of line under a test
    /// attribute.
    test_modules: HashSet<PathBuf>,
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
            test_modules: HashSet::new(),
            modules: Default::default(),
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
            index.rollback_on_drop.extend(file.rollback_on_drop);
            index.statics.extend(file.statics);
            for (original, alias) in file.renames {
                index.renames.entry(original).or_default().push(alias);
            }
            index.drop_impls.extend(file.drop_impls);
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
        index
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

    pub fn functions(&self) -> impl Iterator<Item = &FnDecl> {
        self.fns.values()
    }

    /// The declared type of a struct field.
    pub fn field(&self, struct_path: &[String], field: &str) -> Option<&TypeExpr> {
        let decl = self.structs.get(struct_path).or_else(|| {
            let name = struct_path.last()?;
            let mut found = self.structs.iter().filter(|(p, _)| p.last() == Some(name));
            let first = found.next()?;
            found.next().is_none().then_some(first.1)
        })?;
        decl.fields.iter().find(|(n, _)| n == field).map(|(_, t)| t)
    }

    /// Whether the crate declares a struct at this path.
    pub fn has_struct(&self, path: &[String]) -> bool {
        self.structs.contains_key(path)
    }

    /// A string constant of the crate.
    pub fn string_const(&self, path: &[String]) -> Option<&str> {
        if let Some(value) = self.strings.get(path) {
            return Some(value);
        }
        let name = path.last()?;
        let mut found = self.strings.iter().filter(|(p, _)| p.last() == Some(name));
        let first = found.next()?;
        found.next().is_none().then_some(first.1.as_str())
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
                if let Some(id) = self.models.type_of_path(path) {
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
