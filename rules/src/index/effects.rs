//! What a function does to the database values it touches, as data: the
//! summaries that [`crate::facts::summary`] computes and solves over the
//! call graph, and that every rule reads through the index.

use std::collections::HashMap;

use crate::finding::Range;
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
    /// The file the function is in, for the places of its calls.
    pub file: usize,
    /// A driver call in the function itself opens the connection its
    /// `opens` stands for (not only a callee): where that open is.
    pub opens_here: bool,
    /// A driver call in the function itself opens the connection it
    /// returns (its `fresh`).
    pub fresh_here: bool,
    /// A driver call in the function opens, for the function's own use, a
    /// connection to a database held by `self` or by a client handle it is
    /// given (`self.client.get_connection()`, `Connection::open(&self.path)`):
    /// each operation of the type pays for a new connection.
    pub per_operation: bool,
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
    /// Where the call is, in the caller's file.
    pub(crate) at: Range,
    /// Why the call runs repeatedly inside its caller (a loop, an iterator
    /// closure, a scheduler callback, an inline route closure), if it does
    /// and is not a retry that ends once the call succeeds. Whether the
    /// caller itself runs once per request is known only when every
    /// handler is.
    pub(crate) repeat: Option<RepeatKind>,
    /// The arguments that depend on the loop element (a different database
    /// each time, when the callee's database parameter is among them).
    pub(crate) varying: Vec<usize>,
    /// The call's value is kept beyond the caller's own use: stored in a
    /// field or collection, captured by a task, handed on by value.
    pub(crate) kept: bool,
    /// For each argument, the caller's parameter its database comes from
    /// (through local bindings, conversions and patterns), if any.
    pub(crate) db_args: Vec<Option<usize>>,
    /// For a callee called more than once by the caller: each argument's
    /// database text (hashed) and whether it is a string literal, to tell
    /// calls for the same database apart from calls for different ones.
    pub(crate) arg_keys: Vec<(u64, bool)>,
    /// The `if`/`match` branches the call sits in, to tell calls that run
    /// together from alternatives.
    pub(crate) branches: Vec<(usize, u32)>,
    /// The call is inside a one-time initializer (`get_or_init(|| ..)`):
    /// it runs once per process, however often its caller does.
    pub(crate) once: bool,
}

/// How often code runs, for the connection rules' messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepeatKind {
    /// A loop that waits for a tick, or a scheduler callback.
    Tick,
    /// A loop body.
    Iteration,
    /// A closure an iterator or stream adapter runs per element.
    Element,
    /// A request or message handler.
    Request,
}

impl RepeatKind {
    /// "once per tick", "once per request".
    pub fn phrase(self) -> &'static str {
        match self {
            RepeatKind::Tick => "once per tick",
            RepeatKind::Iteration => "once per loop iteration",
            RepeatKind::Element => "once per element",
            RepeatKind::Request => "once per request",
        }
    }
}

/// A call that runs a function repeatedly (per request, iteration, tick or
/// element) and makes it open a connection each time: the open is the root
/// cause, these are where it is multiplied. The connection rules report the
/// open once, with these as its related places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChurnSite {
    /// The calling function.
    pub caller: PathBuf,
    /// The function it calls there (the first step towards the open).
    pub callee: PathBuf,
    /// The caller's file and the call's place in it.
    pub file: usize,
    pub at: Range,
    /// How often the call runs (`None` for [`ChurnCause::SamePool`]).
    pub repeat: Option<RepeatKind>,
    /// Why it counts: a call repeated by its caller, or one of several
    /// calls that each build a pool for the same database.
    pub cause: ChurnCause,
    /// The site uses the connection the root function returns (a
    /// factory's), not one it opens for its own use.
    pub returned: bool,
}

/// What makes a [`ChurnSite`] churn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChurnCause {
    /// The call runs once per request, iteration, tick or element.
    Repeated,
    /// One of two or more calls in one function that each build a new pool
    /// for the same database.
    SamePool,
    /// The function and others of its type (methods and associated
    /// functions) each open a connection per operation, directly or through
    /// a factory on `self`; the number is how many do.
    PerOperation(u32),
    /// The call runs repeatedly and opens a connection, but no driver call
    /// below it is visible (a macro, a summary cut short): the call itself
    /// is reported.
    Unseen,
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
