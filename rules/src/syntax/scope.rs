//! What one module (or block) declares and imports: its items and its
//! `use` trees (aliases, renames, groups, globs), read from syntax alone.
//! [`crate::names::resolve`] turns paths into canonical paths with them.

use std::collections::HashMap;

use syn::{Item, UseTree};

fn collect_use(
    tree: &UseTree,
    prefix: PathBuf,
    imports: &mut HashMap<String, PathBuf>,
    globs: &mut Vec<PathBuf>,
) {
    match tree {
        UseTree::Path(p) => {
            let mut prefix = prefix;
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, imports, globs);
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    imports.insert(last.clone(), prefix.clone());
                }
            } else {
                let mut path = prefix;
                path.push(name.clone());
                imports.insert(name, path);
            }
        }
        UseTree::Rename(r) => {
            let mut path = prefix;
            let original = r.ident.to_string();
            if original != "self" {
                path.push(original);
            }
            let alias = r.rename.to_string();
            if alias != "_" {
                imports.insert(alias, path);
            }
        }
        UseTree::Glob(_) => globs.push(prefix),
        UseTree::Group(g) => {
            for tree in &g.items {
                collect_use(tree, prefix.clone(), imports, globs);
            }
        }
    }
}

/// The name an item declares, if it declares one usable in paths.
pub fn item_name(item: &Item) -> Option<String> {
    Some(match item {
        Item::Struct(i) => i.ident.to_string(),
        Item::Enum(i) => i.ident.to_string(),
        Item::Union(i) => i.ident.to_string(),
        Item::Type(i) => i.ident.to_string(),
        Item::Trait(i) => i.ident.to_string(),
        Item::Fn(i) => i.sig.ident.to_string(),
        Item::Const(i) => i.ident.to_string(),
        Item::Static(i) => i.ident.to_string(),
        Item::Mod(i) => i.ident.to_string(),
        Item::Macro(i) => i.ident.as_ref()?.to_string(),
        _ => return None,
    })
}

/// Names visible in one module (or one block with its own `use` items).
#[derive(Clone, Debug, Default)]
pub struct ModuleScope {
    /// Canonical path of the module, starting with the crate name.
    pub path: PathBuf,
    /// `use` imports: local name to the path it stands for (unresolved: the
    /// first segment may itself need resolving).
    pub(crate) imports: HashMap<String, PathBuf>,
    /// `use x::*` imports.
    pub(crate) globs: Vec<PathBuf>,
    /// Items declared here: types, functions, constants, modules.
    pub(crate) items: HashMap<String, ()>,
}

impl ModuleScope {
    /// Collects the declarations of a list of items (a module or a block).
    pub fn new(path: PathBuf, items: &[Item]) -> ModuleScope {
        let mut scope = ModuleScope {
            path,
            ..ModuleScope::default()
        };
        scope.add_items(items);
        scope
    }

    /// An empty scope for a block inside module `path`.
    pub fn block(path: PathBuf) -> ModuleScope {
        ModuleScope {
            path,
            ..ModuleScope::default()
        }
    }

    pub fn add_items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Use(u) => {
                    collect_use(&u.tree, Vec::new(), &mut self.imports, &mut self.globs)
                }
                _ => {
                    if let Some(name) = item_name(item) {
                        self.items.insert(name, ());
                    }
                }
            }
        }
    }

    /// Adds `use` items found in a block of statements.
    pub fn add_block_items<'a>(&mut self, items: impl IntoIterator<Item = &'a Item>) {
        for item in items {
            match item {
                Item::Use(u) => {
                    collect_use(&u.tree, Vec::new(), &mut self.imports, &mut self.globs)
                }
                _ => {
                    if let Some(name) = item_name(item) {
                        self.items.insert(name, ());
                    }
                }
            }
        }
    }

    /// What a glob import of this module may bring into scope.
    pub fn names(&self) -> ModuleNames {
        ModuleNames {
            names: self
                .items
                .keys()
                .chain(self.imports.keys())
                .cloned()
                .collect(),
            globs: !self.globs.is_empty(),
        }
    }

    pub fn has_imports(&self) -> bool {
        !self.imports.is_empty() || !self.globs.is_empty() || !self.items.is_empty()
    }

    /// `use a::b as c` imports, as (`b`, `c`).
    pub fn renames(&self) -> impl Iterator<Item = (&str, &str)> {
        self.imports.iter().filter_map(|(alias, path)| {
            let original = path.last()?;
            (original != alias).then_some((original.as_str(), alias.as_str()))
        })
    }

    /// Every path imported here, for "does this file use rusqlite" checks.
    pub fn imported_roots(&self) -> impl Iterator<Item = &str> {
        self.imports
            .values()
            .chain(self.globs.iter())
            .filter_map(|p| p.first().map(String::as_str))
    }
}

/// A canonical path, e.g. `["rusqlite", "Connection", "open"]`.
pub type PathBuf = Vec<String>;

/// The names one module of the workspace makes visible to a glob import of
/// it: what it declares and imports, and whether its own globs may bring
/// in more.
#[derive(Clone, Debug, Default)]
pub struct ModuleNames {
    pub names: std::collections::HashSet<String>,
    pub globs: bool,
}

impl ModuleNames {
    /// Whether `use module::*` may bring `name` into scope.
    pub fn may_provide(&self, name: &str) -> bool {
        self.globs || self.names.contains(name)
    }

    /// Adds what another part of the same module declares.
    pub fn merge(&mut self, other: ModuleNames) {
        self.names.extend(other.names);
        self.globs |= other.globs;
    }
}

/// The [`ModuleNames`] of every module of a workspace, by canonical path.
pub type ModuleTable = std::sync::Arc<HashMap<PathBuf, ModuleNames>>;
