//! API models of database crates, compiled in from `rules/models/*.toml`.
//!
//! A model says which types are connections, pools, transactions and so on,
//! which functions and methods open, begin, commit or execute SQL, and where
//! the SQL and the database name are among the arguments. Rules ask the model;
//! they never match crate names themselves, so supporting a new driver means
//! writing a TOML file.

use std::collections::{HashMap, HashSet};

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
    /// A pool's connection manager; it yields the pool's connection type.
    Manager,
}

impl Kind {
    /// Transactions and savepoints: what `uncommitted-transaction` tracks.
    pub fn is_transaction(self) -> bool {
        matches!(self, Kind::Transaction | Kind::Savepoint)
    }

    /// Things SQL can be executed on directly.
    /// Values that hold database connections: what leaks and churn are about.
    pub fn holds_connection(self) -> bool {
        matches!(
            self,
            Kind::Connection
                | Kind::Pool
                | Kind::Pooled
                | Kind::Transaction
                | Kind::Savepoint
                | Kind::Driver
                | Kind::Handle
        )
    }

    pub fn is_executor(self) -> bool {
        matches!(
            self,
            Kind::Connection
                | Kind::Pool
                | Kind::Pooled
                | Kind::Transaction
                | Kind::Savepoint
                | Kind::Handle
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

#[derive(Clone, Debug)]
pub struct ModelType {
    /// The model (file) the type belongs to, e.g. `rusqlite`.
    pub model: &'static str,
    pub name: String,
    pub kind: Kind,
    pub drop: DropBehavior,
    pub deref: Option<Deref>,
    /// For managers: the connection type a pool of them hands out.
    pub yields: Option<TypeId>,
    /// Methods not listed in the model return the same type (builders).
    pub chain: bool,
    /// For pools: the server sessions one opens by default when it is
    /// built (mysql_async keeps ten); 0 when it opens them on demand.
    pub sessions: u32,
}

/// What a type dereferences to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deref {
    Type(TypeId),
    /// The connection its manager (first generic argument) yields:
    /// r2d2's `PooledConnection<SqliteConnectionManager>`.
    Manager,
}

/// A modelled function, method or macro.
#[derive(Clone, Debug, Default)]
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
    /// Argument holding a closure run by the call.
    pub closure: Option<usize>,
    /// What that closure's first parameter receives (default: `returns`).
    pub closure_param: Option<TypeId>,
    /// A tuple result, such as tokio-postgres' `(Client, Connection)`.
    pub tuple: Vec<TypeId>,
}

#[derive(Clone, Debug)]
struct Pattern {
    segments: Vec<String>,
    returns_self: bool,
    entry: ApiEntry,
}

#[derive(Clone, Debug)]
struct MethodPattern {
    names: Vec<String>,
    entry: ApiEntry,
}

/// All models, indexed for lookups by the rules.
#[derive(Clone, Debug, Default)]
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
    /// References to types of other models, resolved once all are loaded.
    pending: Vec<Pending>,
    /// User types matched in any crate, by name.
    any_crate_types: HashMap<String, TypeId>,
    /// User function patterns: (crate or any, path tail, entry).
    user_functions: Vec<(Option<String>, Vec<String>, ApiEntry)>,
    pub(crate) user_handlers: Vec<(Option<String>, Vec<String>)>,
    /// Each model's `[driver]` table.
    drivers: HashMap<&'static str, Driver>,
    pub(crate) user_handler_attributes: Vec<String>,
}

#[derive(Clone, Debug)]
enum Pending {
    Deref(TypeId, String),
    Yields(TypeId, String),
    /// (crate, function pattern index) or (type, method pattern index):
    /// the closure parameter of an entry.
    FunctionClosure(String, usize, String),
    MethodClosure(Option<TypeId>, &'static str, usize, String),
}

const BUILTIN: &[(&str, &str)] = &[
    ("rusqlite", include_str!("../../models/rusqlite.toml")),
    ("sqlx", include_str!("../../models/sqlx.toml")),
    ("postgres", include_str!("../../models/postgres.toml")),
    (
        "tokio_postgres",
        include_str!("../../models/tokio_postgres.toml"),
    ),
    ("diesel", include_str!("../../models/diesel.toml")),
    ("pools", include_str!("../../models/pools.toml")),
    ("mysql", include_str!("../../models/mysql.toml")),
    ("mysql_async", include_str!("../../models/mysql_async.toml")),
    ("embedded", include_str!("../../models/embedded.toml")),
    ("redis", include_str!("../../models/redis.toml")),
    ("mongodb", include_str!("../../models/mongodb.toml")),
    ("runtime", include_str!("../../models/runtime.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    crates: Vec<String>,
    #[serde(default)]
    driver: Driver,
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
    /// For pools: the server sessions one opens by default when built.
    #[serde(default)]
    sessions: u32,
    #[serde(default)]
    drop: DropBehavior,
    deref: Option<String>,
    yields: Option<String>,
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
    closure_param: Option<String>,
    #[serde(default)]
    tuple: Vec<String>,
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

/// What rules need to know of a driver beyond its API: how its values are
/// closed, how its users write a transaction, which of its crates share an
/// error type. The `[driver]` table of a model file; a new driver is data.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    /// The method that closes its pools and connections gracefully, for a
    /// driver whose drop does not (`disconnect` for mysql_async).
    #[serde(default = "default_close")]
    pub close: String,
    /// How to run writes in one transaction with this driver, `{target}`
    /// standing for the connection or pool expression.
    pub transaction_help: Option<String>,
    /// The models whose commits fail with one error type, this one
    /// included (`postgres` and `tokio_postgres`); empty when its crates
    /// each have their own (pools, diesel, the embedded stores).
    #[serde(default)]
    pub error_family: Vec<String>,
    /// Its pools and connections run on tasks of the async runtime they
    /// were made on, and stop working when that runtime is dropped.
    #[serde(default)]
    pub runtime_bound: bool,
    /// Its calls return futures that do nothing until awaited: a
    /// `commit()` or `rollback()` whose future is dropped never runs.
    #[serde(default)]
    pub asynchronous: bool,
}

fn default_close() -> String {
    "close".into()
}

impl Default for Driver {
    fn default() -> Driver {
        Driver {
            close: default_close(),
            transaction_help: None,
            error_family: Vec::new(),
            runtime_bound: false,
            asynchronous: false,
        }
    }
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
    /// The models of every supported crate. Parsed once per process.
    pub fn builtin() -> Models {
        static BUILTIN_MODELS: std::sync::OnceLock<Models> = std::sync::OnceLock::new();
        BUILTIN_MODELS.get_or_init(Models::parse_builtin).clone()
    }

    fn parse_builtin() -> Models {
        let mut models = Models::default();
        for (name, text) in BUILTIN {
            models
                .add(name, text)
                .unwrap_or_else(|e| panic!("built-in model {name} is invalid: {e}"));
        }
        models
            .resolve_pending()
            .unwrap_or_else(|e| panic!("built-in models are inconsistent: {e}"));
        models
    }

    /// Resolves references between models (`deref = "rusqlite::Connection"`).
    pub fn resolve_pending(&mut self) -> Result<(), ModelError> {
        for pending in std::mem::take(&mut self.pending) {
            let lookup = |models: &Models, name: &str| -> Result<TypeId, ModelError> {
                let path: Vec<String> = name.split("::").map(str::to_string).collect();
                models
                    .type_of_path(&path)
                    .ok_or_else(|| ModelError(format!("unknown type `{name}`")))
            };
            match pending {
                Pending::Deref(id, name) => {
                    let target = lookup(self, &name)?;
                    self.types[id.0 as usize].deref = Some(Deref::Type(target));
                }
                Pending::Yields(id, name) => {
                    let target = lookup(self, &name)?;
                    self.types[id.0 as usize].yields = Some(target);
                }
                Pending::FunctionClosure(krate, index, name) => {
                    let target = lookup(self, &name)?;
                    if let Some(p) = self
                        .functions
                        .get_mut(&krate)
                        .and_then(|v| v.get_mut(index))
                    {
                        p.entry.closure_param = Some(target);
                    }
                }
                Pending::MethodClosure(on, model, index, name) => {
                    let target = lookup(self, &name)?;
                    let patterns = match on {
                        Some(id) => self.methods.get_mut(&id),
                        None => self.untyped_methods.get_mut(model),
                    };
                    if let Some(p) = patterns.and_then(|v| v.get_mut(index)) {
                        p.entry.closure_param = Some(target);
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds one model written in the TOML format of `rules/models/`.
    pub fn add(&mut self, name: &'static str, text: &str) -> Result<(), ModelError> {
        let file: ModelFile =
            toml::from_str(text).map_err(|e| ModelError(format!("model {name}: {e}")))?;
        self.drivers.insert(name, file.driver.clone());
        let first = self.types.len();
        for (type_name, spec) in &file.types {
            let id = TypeId(self.types.len() as u32);
            self.types.push(ModelType {
                model: name,
                name: type_name.clone(),
                kind: spec.kind,
                drop: spec.drop,
                deref: None,
                yields: None,
                chain: spec.chain,
                sessions: spec.sessions,
            });
            for krate in &file.crates {
                self.type_index
                    .insert((krate.clone(), type_name.clone()), id);
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
            let id = local(type_name)?;
            match spec.deref.as_deref() {
                None => {}
                Some("@manager") => derefs.push((id, Some(Deref::Manager))),
                Some(target) if target.contains("::") => {
                    self.pending.push(Pending::Deref(id, target.to_string()));
                }
                Some(target) => derefs.push((id, Some(Deref::Type(local(target)?)))),
            }
            if let Some(target) = &spec.yields {
                self.pending.push(Pending::Yields(id, target.clone()));
            }
        }
        // Closure parameters may name another model's type; those are
        // resolved later, the rest now.
        let entry = |spec: &EntrySpec| -> Result<(ApiEntry, bool, Option<String>), ModelError> {
            let returns_self = spec.returns.as_deref() == Some("Self");
            let returns = match spec.returns.as_deref() {
                None | Some("Self") => None,
                Some(type_name) => Some(local(type_name)?),
            };
            let mut tuple = Vec::new();
            for type_name in &spec.tuple {
                tuple.push(local(type_name)?);
            }
            let (closure_param, deferred) = match spec.closure_param.as_deref() {
                None => (None, None),
                Some(name) if name.contains("::") => (None, Some(name.to_string())),
                Some(name) => (Some(local(name)?), None),
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
                    closure_param,
                    tuple,
                },
                returns_self,
                deferred,
            ))
        };
        let mut functions = Vec::new();
        for spec in &file.functions {
            let (entry, returns_self, deferred) = entry(&spec.entry)?;
            let segments: Vec<String> = spec.path.split("::").map(str::to_string).collect();
            functions.push((segments, returns_self, entry, deferred));
        }
        let mut methods = Vec::new();
        for spec in &file.methods {
            let (entry, _, deferred) = entry(&spec.entry)?;
            let mut on = Vec::new();
            for type_name in &spec.on {
                on.push(if type_name == "?" {
                    None
                } else {
                    Some(local(type_name)?)
                });
            }
            methods.push((on, spec.names.clone(), entry, deferred));
        }
        let mut macros = Vec::new();
        for spec in &file.macros {
            macros.push((spec.names.clone(), entry(&spec.entry)?.0));
        }

        for (from, to) in derefs {
            self.types[from.0 as usize].deref = to;
        }
        for krate in &file.crates {
            self.crates.insert(krate.clone(), name);
            let patterns = self.functions.entry(krate.clone()).or_default();
            for (segments, returns_self, entry, deferred) in &functions {
                if let Some(target) = deferred {
                    self.pending.push(Pending::FunctionClosure(
                        krate.clone(),
                        patterns.len(),
                        target.clone(),
                    ));
                }
                patterns.push(Pattern {
                    segments: segments.clone(),
                    returns_self: *returns_self,
                    entry: entry.clone(),
                });
            }
            let macro_patterns = self.macros.entry(krate.clone()).or_default();
            macro_patterns.extend(macros.iter().cloned());
        }
        for (on, names, entry, deferred) in methods {
            for receiver in on {
                let pattern = MethodPattern {
                    names: names.clone(),
                    entry: entry.clone(),
                };
                let list = match receiver {
                    Some(id) => self.methods.entry(id).or_default(),
                    None => self.untyped_methods.entry(name).or_default(),
                };
                if let Some(target) = &deferred {
                    self.pending.push(Pending::MethodClosure(
                        receiver,
                        name,
                        list.len(),
                        target.clone(),
                    ));
                }
                list.push(pattern);
            }
        }
        Ok(())
    }

    /// What the model `model` says of its driver.
    pub(crate) fn driver(&self, model: &str) -> &Driver {
        static DEFAULT: std::sync::OnceLock<Driver> = std::sync::OnceLock::new();
        self.drivers
            .get(model)
            .unwrap_or_else(|| DEFAULT.get_or_init(Driver::default))
    }

    pub(crate) fn ty(&self, id: TypeId) -> &ModelType {
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
        self.type_index
            .get(&(krate.clone(), name.clone()))
            .or_else(|| self.any_crate_types.get(name))
            .copied()
    }

    /// The model type named `name` in the model that covers `krate`.
    pub fn type_named(&self, krate: &str, name: &str) -> Option<TypeId> {
        self.type_index
            .get(&(krate.to_string(), name.to_string()))
            .copied()
    }

    /// A modelled free or associated function, by its resolved path.
    pub fn function(&self, path: &[String]) -> Option<(ApiEntry, Option<TypeId>)> {
        let krate = path.first()?;
        for (user_crate, tail, entry) in &self.user_functions {
            if path_matches(user_crate.as_deref(), tail, path) {
                return Some((entry.clone(), entry.returns));
            }
        }
        let patterns = self.functions.get(krate)?;
        let tail = &path[1..];
        for pattern in patterns {
            let n = pattern.segments.len();
            if tail.len() < n {
                continue;
            }
            let candidate = &tail[tail.len() - n..];
            // `connect` names a free function: `Error::connect` (an
            // associated function of a type) is something else.
            let before = tail.len().checked_sub(n + 1).map(|i| &tail[i]);
            let function_pattern =
                pattern.segments[0].starts_with(|c: char| c.is_ascii_lowercase());
            if function_pattern
                && before.is_some_and(|b| b.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                continue;
            }
            if pattern
                .segments
                .iter()
                .zip(candidate)
                .all(|(p, s)| glob_match(p, s))
            {
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
    /// `manager` is the receiver's first generic argument, for guards that
    /// deref to whatever their pool's manager yields.
    pub fn method(
        &self,
        receiver: TypeId,
        manager: Option<TypeId>,
        name: &str,
    ) -> Option<ApiEntry> {
        let mut current = Some(receiver);
        let mut steps = 0;
        while let Some(id) = current {
            if let Some(patterns) = self.methods.get(&id) {
                if let Some(p) = patterns
                    .iter()
                    .find(|p| p.names.iter().any(|n| glob_match(n, name)))
                {
                    return Some(p.entry.clone());
                }
            }
            current = self.deref(id, manager);
            steps += 1;
            if steps > 8 {
                break;
            }
        }
        None
    }

    /// What a value of type `id` dereferences to.
    pub fn deref(&self, id: TypeId, manager: Option<TypeId>) -> Option<TypeId> {
        match self.ty(id).deref? {
            Deref::Type(target) => Some(target),
            Deref::Manager => manager.and_then(|m| self.ty(m).yields),
        }
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

/// A word code must contain to use part of a model (see
/// [`crate::facts::selection`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    /// An identifier, exactly.
    Exact(String),
    /// Any identifier starting with this (from a `get_*connection` glob).
    Prefix(String),
}

impl Word {
    /// The word a name pattern needs: the pattern itself, or the text before
    /// its first `*` (`None` when it starts with one).
    fn of_pattern(pattern: &str) -> Option<Word> {
        match pattern.split_once('*') {
            None => Some(Word::Exact(pattern.to_string())),
            Some(("", _)) => None,
            Some((prefix, _)) => Some(Word::Prefix(prefix.to_string())),
        }
    }

    /// The word a path pattern needs. An associated function is called
    /// through its type (`PgPoolOptions::new`), so the type is the word: the
    /// function's own name may be as common as `new`. A free function may be
    /// imported and called by its name alone. Globs fall back to the longest
    /// literal prefix.
    fn of_path(segments: &[String]) -> Option<Word> {
        let literal = |s: &&String| !s.contains('*');
        let (last, before) = segments.split_last()?;
        let type_segment = before
            .iter()
            .rev()
            .filter(literal)
            .find(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
        if let Some(exact) = type_segment.or(Some(last).filter(literal)) {
            return Some(Word::Exact(exact.clone()));
        }
        segments
            .iter()
            .filter_map(|s| Word::of_pattern(s))
            .max_by_key(|w| match w {
                Word::Exact(s) | Word::Prefix(s) => s.len(),
            })
    }
}

impl Models {
    /// The words that reveal a use of the models in `used` (the crates a
    /// crate imports) and of the user's model: crate names of every model
    /// (a full path needs no import), and type, function, macro and untyped
    /// method names of the used ones. `None` when some pattern has no word
    /// (`*::open`): then nothing can be ruled out.
    pub fn words(&self, used: &HashSet<&'static str>) -> Option<Vec<Word>> {
        let is_used = |model: &str| used.contains(model) || model == "user";
        let mut out: Vec<Word> = self.crates.keys().cloned().map(Word::Exact).collect();
        for ty in &self.types {
            // Synthetic types of user openers are named by their origin path.
            if is_used(ty.model) && !ty.name.contains([':', '*']) {
                out.push(Word::Exact(ty.name.clone()));
            }
        }
        for (krate, patterns) in &self.functions {
            if self.crates.get(krate).is_some_and(|m| is_used(m)) {
                for pattern in patterns {
                    out.push(Word::of_path(&pattern.segments)?);
                }
            }
        }
        for (krate, macros) in &self.macros {
            if self.crates.get(krate).is_some_and(|m| is_used(m)) {
                for (names, _) in macros {
                    out.extend(names.iter().cloned().map(Word::Exact));
                }
            }
        }
        for (model, patterns) in &self.untyped_methods {
            if is_used(model) {
                for pattern in patterns {
                    for name in &pattern.names {
                        out.push(Word::of_pattern(name)?);
                    }
                }
            }
        }
        out.extend(self.any_crate_types.keys().cloned().map(Word::Exact));
        for (krate, tail, _) in &self.user_functions {
            out.extend(krate.iter().cloned().map(Word::Exact));
            out.push(Word::of_path(tail)?);
        }
        Some(out)
    }

    /// The prefixes of every glob name pattern, for collecting words.
    pub fn word_prefixes(&self) -> Vec<String> {
        let used: HashSet<&'static str> = self.crates.values().copied().collect();
        let mut out: Vec<String> = self
            .words(&used)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|w| match w {
                Word::Prefix(p) => Some(p),
                Word::Exact(_) => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Whether a resolved path ends with `tail` (globs allowed) and, when
/// `krate` is given, starts with that crate.
pub fn path_matches(krate: Option<&str>, tail: &[String], path: &[String]) -> bool {
    if path.len() < tail.len() + 1 {
        return false;
    }
    if krate.is_some_and(|k| path[0] != k) {
        return false;
    }
    let candidate = &path[path.len() - tail.len()..];
    tail.iter().zip(candidate).all(|(p, s)| glob_match(p, s))
}

impl Models {
    /// The type a user path names, creating it on first use.
    /// `declared` entries set the kind; a closer only names the type.
    pub(crate) fn user_type(
        &mut self,
        path: &str,
        kind: Kind,
        drop: DropBehavior,
        declared: bool,
    ) -> TypeId {
        let (krate, rest) = split_user_path(path);
        let name = rest.last().cloned().unwrap_or_default();
        let existing = match &krate {
            Some(k) => self.type_index.get(&(k.clone(), name.clone())),
            None => self.any_crate_types.get(&name),
        };
        if let Some(id) = existing {
            let id = *id;
            if declared && self.ty(id).model == "user" {
                let ty = &mut self.types[id.0 as usize];
                ty.kind = kind;
                ty.drop = drop;
            }
            return id;
        }
        let id = TypeId(self.types.len() as u32);
        self.types.push(ModelType {
            model: "user",
            name: name.clone(),
            kind,
            drop,
            deref: None,
            yields: None,
            chain: false,
            sessions: 0,
        });
        match krate {
            Some(k) => {
                self.type_index.insert((k, name), id);
            }
            None => {
                self.any_crate_types.insert(name, id);
            }
        }
        id
    }

    /// An unnamed type standing for what a user opener returns.
    pub(crate) fn synthetic_type(
        &mut self,
        origin: &str,
        kind: Kind,
        drop: DropBehavior,
    ) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(ModelType {
            model: "user",
            name: origin.to_string(),
            kind,
            drop,
            deref: None,
            yields: None,
            chain: false,
            sessions: 0,
        });
        id
    }

    pub(crate) fn add_user_function(
        &mut self,
        path: &str,
        effect: Effect,
        returns: Option<TypeId>,
        database: Option<usize>,
    ) {
        let (krate, tail) = split_user_path(path);
        let entry = ApiEntry {
            effect,
            returns,
            database,
            ..ApiEntry::default()
        };
        self.user_functions.push((krate, tail, entry));
    }

    pub(crate) fn add_user_method(
        &mut self,
        on: TypeId,
        name: &str,
        effect: Effect,
        returns: Option<TypeId>,
        database: Option<usize>,
    ) {
        let entry = ApiEntry {
            effect,
            returns,
            database,
            ..ApiEntry::default()
        };
        // User methods come first: they describe the user's own wrapper.
        self.methods.entry(on).or_default().insert(
            0,
            MethodPattern {
                names: vec![name.to_string()],
                entry,
            },
        );
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
            (0..=text.len())
                .filter(|i| text.is_char_boundary(*i))
                .any(|i| glob_match(rest, &text[i..]))
        }
    }
}

/// Splits a user path into its crate (`None` for any crate) and the rest.
pub fn split_user_path(path: &str) -> (Option<String>, Vec<String>) {
    let segments: Vec<String> = path.split("::").map(str::to_string).collect();
    match segments.first().map(String::as_str) {
        Some("crate") => (None, segments[1..].to_vec()),
        _ if segments.len() == 1 => (None, segments),
        _ => (Some(segments[0].clone()), segments[1..].to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<String> {
        s.split("::").map(str::to_string).collect()
    }

    #[test]
    fn words_of_patterns() {
        let word = |p: &str| Word::of_path(&path(p));
        let exact = |w: &str| Some(Word::Exact(w.to_string()));
        // An associated function is reached through its type.
        assert_eq!(word("PgPoolOptions::new"), exact("PgPoolOptions"));
        assert_eq!(word("Connection::open*"), exact("Connection"));
        // A free function, or one under a glob type, by its name.
        assert_eq!(word("query"), exact("query"));
        assert_eq!(word("postgres::connect"), exact("connect"));
        assert_eq!(word("*Connection::establish"), exact("establish"));
        assert_eq!(
            Word::of_pattern("get_multiplexed_*connection*"),
            Some(Word::Prefix("get_multiplexed_".into()))
        );
        assert_eq!(Word::of_pattern("*_conn"), None);
        let used: HashSet<&'static str> = ["rusqlite"].into_iter().collect();
        let words = Models::builtin().words(&used).unwrap();
        assert!(words.contains(&Word::Exact("Transaction".into())));
        // Crate names of every model; types only of the used ones.
        assert!(words.contains(&Word::Exact("sqlx".into())));
        assert!(!words.contains(&Word::Exact("PgPoolOptions".into())));
    }

    #[test]
    fn builtin_models_load() {
        let models = Models::builtin();
        let conn = models.type_of_path(&path("rusqlite::Connection")).unwrap();
        assert_eq!(models.ty(conn).kind, Kind::Connection);
        let (open, returns) = models
            .function(&path("rusqlite::Connection::open_in_memory"))
            .unwrap();
        assert_eq!(open.effect, Effect::Open);
        assert_eq!(returns, Some(conn));
        let tx = models.method(conn, None, "transaction").unwrap();
        assert_eq!(tx.effect, Effect::Begin);
        let tx_ty = tx.returns.unwrap();
        // Transaction derefs to Connection, so execute is found through it.
        assert_eq!(
            models.method(tx_ty, None, "execute").unwrap().effect,
            Effect::Execute
        );
        assert_eq!(
            models.method(tx_ty, None, "commit").unwrap().effect,
            Effect::Commit
        );
        assert!(models.method(conn, None, "commit").is_none());
    }

    #[test]
    fn pool_guards_deref_to_what_their_manager_yields() {
        let models = Models::builtin();
        let guard = models
            .type_of_path(&path("r2d2::PooledConnection"))
            .unwrap();
        let manager = models
            .type_of_path(&path("r2d2_sqlite::SqliteConnectionManager"))
            .unwrap();
        let execute = models.method(guard, Some(manager), "execute").unwrap();
        assert_eq!(execute.effect, Effect::Execute);
        assert!(models.method(guard, None, "execute").is_none());
        let runtime_tx = models
            .type_of_path(&path("connlint_runtime::CheckedTransaction"))
            .unwrap();
        assert_eq!(
            models.method(runtime_tx, None, "execute").unwrap().effect,
            Effect::Execute
        );
        let (connect, _) = models.function(&path("tokio_postgres::connect")).unwrap();
        assert_eq!(connect.tuple.len(), 2);
    }

    #[test]
    fn returns_self_picks_the_matched_type() {
        let models = Models::builtin();
        let (_, returns) = models
            .function(&path("diesel::pg::PgConnection::establish"))
            .unwrap();
        assert_eq!(models.ty(returns.unwrap()).name, "PgConnection");
    }

    #[test]
    fn sqlx_reexports_resolve_by_last_segment() {
        let models = Models::builtin();
        let pool = models
            .type_of_path(&path("sqlx::sqlite::SqlitePool"))
            .unwrap();
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
        assert!(glob_match(
            "get_*connection*",
            "get_multiplexed_async_connection"
        ));
    }
}
