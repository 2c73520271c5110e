//! API models of database crates, compiled in from `rules/models/*.toml`.
//!
//! A model says which types are connections, pools, transactions and so on,
//! which functions and methods open, begin, commit or execute SQL, and where
//! the SQL and the database name are among the arguments. Rules ask the model;
//! they never match crate names themselves, so supporting a new driver means
//! writing a TOML file.

use std::collections::HashMap;

use serde::Deserialize;

/// What a value of a modelled type is, as far as connection lifecycles go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A single database connection or client.
    Connection,
    /// A pool of connections.
    Pool,
    /// A connection checked out of a pool, returned to it on drop.
    Pooled,
    Transaction,
    Savepoint,
    /// A prepared statement; carries the SQL it was prepared from.
    Statement,
    /// A query builder; carries its SQL (or is known to write).
    Query,
    /// A configuration builder whose methods return itself.
    Builder,
    /// The background half of an async client that must be polled.
    Driver,
    /// A handle that is cheap to open repeatedly (a registry lookup).
    Handle,
}

impl Kind {
    /// Transactions and savepoints: what `uncommitted-transaction` tracks.
    pub fn is_transaction(self) -> bool {
        matches!(self, Kind::Transaction | Kind::Savepoint)
    }

    /// Things SQL can be executed on directly.
    pub fn is_executor(self) -> bool {
        matches!(
            self,
            Kind::Connection | Kind::Pool | Kind::Pooled | Kind::Transaction | Kind::Savepoint | Kind::Handle
        )
    }
}

/// What dropping a value does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropBehavior {
    /// Drop closes the connection properly.
    #[default]
    Close,
    /// Drop tears the connection down without a graceful close.
    Abrupt,
}

/// What a call does to connections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Only gives its result a type.
    #[default]
    None,
    Open,
    Checkout,
    Begin,
    Commit,
    Rollback,
    /// rusqlite's `finish`: ends a transaction by its drop behavior.
    Finish,
    /// rusqlite's `set_drop_behavior`.
    DropBehavior,
    Close,
    /// Runs SQL that may change data.
    Execute,
    /// Runs SQL that returns rows; a write only if the SQL says so.
    Query,
    Prepare,
    /// Runs a closure inside a transaction it commits itself
    /// (`conn.transaction(|tx| ..)`): safe by construction.
    Scoped,
}

/// Index of a type in [`Models`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

#[derive(Debug)]
pub struct ModelType {
    /// The model (file) the type belongs to, e.g. `rusqlite`.
    pub model: &'static str,
    pub name: String,
    pub kind: Kind,
    pub drop: DropBehavior,
    pub deref: Option<TypeId>,
    /// Methods not listed in the model return the same type (builders).
    pub chain: bool,
}

/// A modelled function, method or macro.
#[derive(Clone, Debug)]
pub struct ApiEntry {
    pub effect: Effect,
    pub returns: Option<TypeId>,
    /// Argument holding the SQL text.
    pub sql: Option<usize>,
    /// Argument naming the database (path or URL).
    pub database: Option<usize>,
    /// Argument that receives the call's effect instead of the receiver,
    /// e.g. the executor in `query(..).execute(&pool)`.
    pub target: Option<usize>,
    /// A query builder known to write whatever its SQL (diesel's `insert_into`).
    pub writes: bool,
    /// Argument holding a closure that receives the `returns` type.
    pub closure: Option<usize>,
}

#[derive(Debug)]
struct Pattern {
    segments: Vec<String>,
    returns_self: bool,
    entry: ApiEntry,
}

#[derive(Debug)]
struct MethodPattern {
    names: Vec<String>,
    entry: ApiEntry,
}

/// All models, indexed for lookups by the rules.
#[derive(Debug, Default)]
pub struct Models {
    types: Vec<ModelType>,
    /// (crate, type name) to type.
    type_index: HashMap<(String, String), TypeId>,
    /// Crate to the model that covers it.
    crates: HashMap<String, &'static str>,
    /// Crate to its function patterns.
    functions: HashMap<String, Vec<Pattern>>,
    methods: HashMap<TypeId, Vec<MethodPattern>>,
    /// Method names recognised on receivers of unknown type, per model.
    untyped_methods: HashMap<&'static str, Vec<MethodPattern>>,
    macros: HashMap<String, Vec<(Vec<String>, ApiEntry)>>,
}

const BUILTIN: &[(&str, &str)] = &[
    ("rusqlite", include_str!("../models/rusqlite.toml")),
    ("sqlx", include_str!("../models/sqlx.toml")),
    ("postgres", include_str!("../models/postgres.toml")),
    ("diesel", include_str!("../models/diesel.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    crates: Vec<String>,
    #[serde(default)]
    types: std::collections::BTreeMap<String, TypeSpec>,
    #[serde(default)]
    functions: Vec<FunctionSpec>,
    #[serde(default)]
    methods: Vec<MethodSpec>,
    #[serde(default)]
    macros: Vec<MacroSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeSpec {
    kind: Kind,
    #[serde(default)]
    drop: DropBehavior,
    deref: Option<String>,
    #[serde(default)]
    chain: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    #[serde(default)]
    effect: Effect,
    returns: Option<String>,
    sql: Option<usize>,
    database: Option<usize>,
    target: Option<usize>,
    #[serde(default)]
    writes: bool,
    closure: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionSpec {
    path: String,
    #[serde(flatten)]
    entry: EntrySpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodSpec {
    on: Vec<String>,
    names: Vec<String>,
    #[serde(flatten)]
    entry: EntrySpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MacroSpec {
    names: Vec<String>,
    #[serde(flatten)]
    entry: EntrySpec,
}

/// An error in a model file; only reachable for user-supplied models since
/// the built-in ones are checked by a unit test.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

impl Models {
    /// The models of every supported crate.
    pub fn builtin() -> Models {
        let mut models = Models::default();
        for (name, text) in BUILTIN {
            models
                .add(name, text)
                .unwrap_or_else(|e| panic!("built-in model {name} is invalid: {e}"));
        }
        models
    }

    /// Adds one model written in the TOML format of `rules/models/`.
    pub fn add(&mut self, name: &'static str, text: &str) -> Result<(), ModelError> {
        let file: ModelFile =
            toml::from_str(text).map_err(|e| ModelError(format!("model {name}: {e}")))?;
        let first = self.types.len();
        for (type_name, spec) in &file.types {
            let id = TypeId(self.types.len() as u32);
            self.types.push(ModelType {
                model: name,
                name: type_name.clone(),
                kind: spec.kind,
                drop: spec.drop,
                deref: None,
                chain: spec.chain,
            });
            for krate in &file.crates {
                self.type_index.insert((krate.clone(), type_name.clone()), id);
            }
        }
        let local = |type_name: &str| -> Result<TypeId, ModelError> {
            self.types[first..]
                .iter()
                .position(|t| t.name == type_name)
                .map(|i| TypeId((first + i) as u32))
                .ok_or_else(|| ModelError(format!("model {name}: unknown type `{type_name}`")))
        };
        let mut derefs = Vec::new();
        for (type_name, spec) in &file.types {
            if let Some(target) = &spec.deref {
                derefs.push((local(type_name)?, local(target)?));
            }
        }
        let entry = |spec: &EntrySpec| -> Result<(ApiEntry, bool), ModelError> {
            let returns_self = spec.returns.as_deref() == Some("Self");
            let returns = match spec.returns.as_deref() {
                None | Some("Self") => None,
                Some(type_name) => Some(local(type_name)?),
            };
            Ok((
                ApiEntry {
                    effect: spec.effect,
                    returns,
                    sql: spec.sql,
                    database: spec.database,
                    target: spec.target,
                    writes: spec.writes,
                    closure: spec.closure,
                },
                returns_self,
            ))
        };
        let mut functions = Vec::new();
        for spec in &file.functions {
            let (entry, returns_self) = entry(&spec.entry)?;
            let segments: Vec<String> = spec.path.split("::").map(str::to_string).collect();
            functions.push((segments, returns_self, entry));
        }
        let mut methods = Vec::new();
        for spec in &file.methods {
            let (entry, _) = entry(&spec.entry)?;
            let mut on = Vec::new();
            for type_name in &spec.on {
                on.push(if type_name == "?" { None } else { Some(local(type_name)?) });
            }
            methods.push((on, spec.names.clone(), entry));
        }
        let mut macros = Vec::new();
        for spec in &file.macros {
            macros.push((spec.names.clone(), entry(&spec.entry)?.0));
        }

        for (from, to) in derefs {
            self.types[from.0 as usize].deref = Some(to);
        }
        for krate in &file.crates {
            self.crates.insert(krate.clone(), name);
            let patterns = self.functions.entry(krate.clone()).or_default();
            for (segments, returns_self, entry) in &functions {
                patterns.push(Pattern {
                    segments: segments.clone(),
                    returns_self: *returns_self,
                    entry: entry.clone(),
                });
            }
            let macro_patterns = self.macros.entry(krate.clone()).or_default();
            macro_patterns.extend(macros.iter().cloned());
        }
        for (on, names, entry) in methods {
            for receiver in on {
                let pattern = MethodPattern { names: names.clone(), entry: entry.clone() };
                match receiver {
                    Some(id) => self.methods.entry(id).or_default().push(pattern),
                    None => self.untyped_methods.entry(name).or_default().push(pattern),
                }
            }
        }
        Ok(())
    }

    pub fn ty(&self, id: TypeId) -> &ModelType {
        &self.types[id.0 as usize]
    }

    /// Whether `krate` is a database crate some model covers.
    pub fn covers_crate(&self, krate: &str) -> bool {
        self.crates.contains_key(krate)
    }

    /// The model type a resolved path names, e.g. `["rusqlite", "Connection"]`
    /// or `["sqlx", "sqlite", "SqlitePool"]`: the first segment picks the
    /// crate, the last the type, so re-exports inside a crate need no entry.
    pub fn type_of_path(&self, path: &[String]) -> Option<TypeId> {
        let (krate, name) = (path.first()?, path.last()?);
        if path.len() < 2 {
            return None;
        }
        self.type_index.get(&(krate.clone(), name.clone())).copied()
    }

    /// The model type named `name` in the model that covers `krate`.
    pub fn type_named(&self, krate: &str, name: &str) -> Option<TypeId> {
        self.type_index.get(&(krate.to_string(), name.to_string())).copied()
    }

    /// A modelled free or associated function, by its resolved path.
    pub fn function(&self, path: &[String]) -> Option<(ApiEntry, Option<TypeId>)> {
        let krate = path.first()?;
        let patterns = self.functions.get(krate)?;
        let tail = &path[1..];
        for pattern in patterns {
            let n = pattern.segments.len();
            if tail.len() < n {
                continue;
            }
            let candidate = &tail[tail.len() - n..];
            if pattern.segments.iter().zip(candidate).all(|(p, s)| glob_match(p, s)) {
                let returns = if pattern.returns_self && n >= 2 {
                    self.type_named(krate, &candidate[n - 2])
                } else {
                    pattern.entry.returns
                };
                return Some((pattern.entry.clone(), returns));
            }
        }
        None
    }

    /// A modelled method on a receiver of type `receiver`, following derefs.
    pub fn method(&self, receiver: TypeId, name: &str) -> Option<ApiEntry> {
        let mut current = Some(receiver);
        let mut steps = 0;
        while let Some(id) = current {
            if let Some(patterns) = self.methods.get(&id) {
                if let Some(p) = patterns.iter().find(|p| p.names.iter().any(|n| glob_match(n, name))) {
                    return Some(p.entry.clone());
                }
            }
            current = self.ty(id).deref;
            steps += 1;
            if steps > 8 {
                break;
            }
        }
        None
    }

    /// A method recognised by name alone in code that uses `model`'s crates.
    pub fn untyped_method(&self, model: &str, name: &str) -> Option<ApiEntry> {
        self.untyped_methods
            .get(model)?
            .iter()
            .find(|p| p.names.iter().any(|n| glob_match(n, name)))
            .map(|p| p.entry.clone())
    }

    /// The model a crate belongs to.
    pub fn model_of_crate(&self, krate: &str) -> Option<&'static str> {
        self.crates.get(krate).copied()
    }

    /// A modelled macro (`sqlx::query!`).
    pub fn macro_entry(&self, path: &[String]) -> Option<ApiEntry> {
        let krate = path.first()?;
        let name = path.last()?;
        if path.len() < 2 {
            return None;
        }
        self.macros
            .get(krate)?
            .iter()
            .find(|(names, _)| names.iter().any(|n| n == name))
            .map(|(_, e)| e.clone())
    }
}

/// Matches `pattern` against `text`, where `*` in the pattern stands for any
/// run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, rest)) => {
            if !text.starts_with(prefix) {
                return false;
            }
            let text = &text[prefix.len()..];
            if rest.is_empty() {
                return true;
            }
            (0..=text.len()).filter(|i| text.is_char_boundary(*i)).any(|i| glob_match(rest, &text[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<String> {
        s.split("::").map(str::to_string).collect()
    }

    #[test]
    fn builtin_models_load() {
        let models = Models::builtin();
        let conn = models.type_of_path(&path("rusqlite::Connection")).unwrap();
        assert_eq!(models.ty(conn).kind, Kind::Connection);
        let (open, returns) = models.function(&path("rusqlite::Connection::open_in_memory")).unwrap();
        assert_eq!(open.effect, Effect::Open);
        assert_eq!(returns, Some(conn));
        let tx = models.method(conn, "transaction").unwrap();
        assert_eq!(tx.effect, Effect::Begin);
        let tx_ty = tx.returns.unwrap();
        // Transaction derefs to Connection, so execute is found through it.
        assert_eq!(models.method(tx_ty, "execute").unwrap().effect, Effect::Execute);
        assert_eq!(models.method(tx_ty, "commit").unwrap().effect, Effect::Commit);
        assert!(models.method(conn, "commit").is_none());
    }

    #[test]
    fn returns_self_picks_the_matched_type() {
        let models = Models::builtin();
        let (_, returns) = models.function(&path("diesel::pg::PgConnection::establish")).unwrap();
        assert_eq!(models.ty(returns.unwrap()).name, "PgConnection");
    }

    #[test]
    fn sqlx_reexports_resolve_by_last_segment() {
        let models = Models::builtin();
        let pool = models.type_of_path(&path("sqlx::sqlite::SqlitePool")).unwrap();
        assert_eq!(models.ty(pool).kind, Kind::Pool);
        assert!(models.type_of_path(&path("sqlx")).is_none());
        assert!(models.type_of_path(&path("other::SqlitePool")).is_none());
    }

    #[test]
    fn glob() {
        assert!(glob_match("open*", "open_in_memory"));
        assert!(glob_match("open*", "open"));
        assert!(!glob_match("open*", "reopen"));
        assert!(glob_match("*Connection", "PgConnection"));
        assert!(glob_match("get_*connection*", "get_multiplexed_async_connection"));
    }
}
