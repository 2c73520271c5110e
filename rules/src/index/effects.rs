//! What a function does to the database values it touches, as data: the
//! summaries that [`crate::facts::summary`] computes and solves over the
//! call graph, and that every rule reads through the index.

use std::collections::HashMap;

use crate::names::model::Kind;
use crate::names::resolve::PathBuf;

/// The summary of one function.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub params: HashMap<ParamSlot, ParamEffects>,
    pub(crate) forwards: Vec<Forward>,
    pub fresh: Option<Fresh>,
    pub opens: Option<Opens>,
    pub checkouts: Vec<Checkout>,
    pub(crate) edges: Vec<Edge>,
    /// Struct values the function builds, and what each field receives:
    /// `Dao { conn: &tx }` fills `Dao.conn` with a transaction.
    pub(crate) constructions: Vec<Construction>,
    /// The function touches a database API, directly or through a callee:
    /// functions that do not can be skipped by the rules.
    pub relevant: bool,
}

impl Summary {
    pub fn param(&self, slot: ParamSlot) -> ParamEffects {
        self.params.get(&slot).copied().unwrap_or_default()
    }

    /// The crate functions this one hands a value to that may hold a
    /// database value: what the callee does with it (keep a clone, close
    /// it) is the caller's business too.
    pub fn handed_to(&self) -> impl Iterator<Item = &PathBuf> {
        self.edges
            .iter()
            .filter(|e| e.hands_database)
            .map(|e| &e.callee)
    }

    /// The crate functions this one hands its parameters to.
    pub fn forwarded_to(&self) -> impl Iterator<Item = &PathBuf> {
        self.forwards.iter().map(|f| &f.callee)
    }
}

/// A call to a crate function, with the caller parameter each argument is
/// rooted in.
#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub(crate) callee: PathBuf,
    /// For each callee parameter slot: the caller's slot and field path.
    pub(crate) args: Vec<(ParamSlot, Option<(ParamSlot, String)>)>,
    /// The call's value is returned (the caller may be a factory).
    pub(crate) returned: bool,
    /// The call's value is used only for checks.
    pub(crate) checks_only: bool,
    /// For each callee slot: whether the argument is a transaction, or
    /// where it comes from.
    pub(crate) transactions: Vec<(ParamSlot, TxSource)>,
    /// An argument (or the receiver) may hold a database value: its type
    /// is one, holds one, or is unknown.
    pub(crate) hands_database: bool,
}

/// Whether a value handed on (a call argument, a struct field) is a
/// transaction: one for sure, or as much as the parameter or field it
/// comes from, or something else.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TxSource {
    /// A transaction: a driver's, a crate transaction type's, or a
    /// connection a transaction is alive on.
    Transaction,
    /// The caller's own parameter.
    Param(ParamSlot),
    /// A field of a crate struct (`self.conn`).
    Field(PathBuf, String),
    Other,
}

/// A struct value built in a function: `Dao { conn: &tx }`.
#[derive(Clone, Debug)]
pub struct Construction {
    pub(crate) ty: PathBuf,
    pub(crate) field: String,
    pub(crate) source: TxSource,
}

/// A pool checkout through a parameter: `state.pool.get()` is
/// `Checkout { slot: Arg(0), field: ".pool" }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Checkout {
    pub slot: ParamSlot,
    pub field: String,
}

/// A function that opens a connection for its own use and drops it before
/// returning: calling it once per iteration or request is churn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opens {
    pub kind: Kind,
    pub db_param: Option<usize>,
    /// The connection only runs checks (integrity, journal mode, `SELECT 1`):
    /// a probe helper.
    pub checks_only: bool,
}

/// A function that returns a freshly opened connection, pool or client (a
/// factory), or a value holding one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fresh {
    pub kind: Kind,
    /// The parameter that names the database, if the caller chooses it.
    pub db_param: Option<usize>,
}

/// A parameter passed on to another function of the crate.
#[derive(Clone, Debug)]
pub(crate) struct Forward {
    pub(crate) from: ParamSlot,
    pub(crate) callee: PathBuf,
    pub(crate) to: ParamSlot,
    pub(crate) by_value: bool,
}

/// Which parameter: `self` or the n-th typed parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamSlot {
    SelfParam,
    Arg(usize),
}

/// What a function does to one parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamEffects {
    /// Commits, rolls back or otherwise ends the transaction it receives.
    pub ends: bool,
    /// Runs SQL that writes (or SQL it cannot see) through it.
    pub writes: bool,
    /// Closes the connection or pool it receives.
    pub closes: bool,
    /// Keeps a clone of it beyond the call (stores or returns `p.clone()`):
    /// a pool handle shared this way lives on.
    pub retains: bool,
}

impl ParamEffects {
    pub(crate) fn merge(&mut self, other: ParamEffects, by_value: bool) -> bool {
        let before = *self;
        // Only ownership passes the duty to end a transaction or close a
        // connection; a borrow can still write through it.
        if by_value {
            self.ends |= other.ends;
            self.closes |= other.closes;
        }
        self.writes |= other.writes;
        self.retains |= other.retains;
        before != *self
    }
}
