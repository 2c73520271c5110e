//! The analysis behind connlint: API models of database crates, a
//! workspace-wide index with function summaries, and one module per rule.
//! No I/O and no rendering: callers hand in source text and get
//! [`Finding`]s back.
//!
//! # The front door
//!
//! [`Analysis`] takes [`WorkspaceInput`]s (each the member crates of a
//! cargo workspace, with their files and the names they give each other)
//! and runs every step on the worker threads the caller provides; the
//! caller's [`Sources`] hands it each file's text. [`analyze`] runs the
//! same on the calling thread. What comes back is a [`FileOutcome`] per
//! file: its findings, or why it could not be linted.
//!
//! # Layers
//!
//! The modules form layers that only import downward (a test,
//! `tests/layers.rs`, fails when one imports a module above it or two
//! import each other):
//!
//! | layer | what it knows |
//! |---|---|
//! | [`finding`] | what the analysis reports: findings, ranges, suggestions |
//! | `syntax` | text, tokens and trees: the scan, lexing limits, lazily parsed bodies, spans, macro arguments, module scopes, the one walker every rule and fact uses inside a body |
//! | `names` | what a path means: resolution, the driver models and users' own, types as written, SQL, attributes |
//! | `index` | what a unit of analysis declares, and the facts computed about it, as data |
//! | `function` | one function body: bindings and their types, calls, dataflow, moves, opens |
//! | `facts` | facts over the whole unit: function summaries solved over the call graph, which functions to analyse |
//! | `rules` | one file per rule, over a shared toolkit; no rule imports another |
//! | `analysis` | the front door that runs the steps, and the registry of rules |

#![warn(missing_docs)]

pub mod analysis;
mod facts;
pub mod finding;
mod function;
mod index;
mod names;
mod rules;
mod syntax;

pub use analysis::registry::{rule, RULES};
pub use analysis::{
    analyze, Analysis, CheckOptions, CrateInput, FactsTable, FileInput, FileOutcome, Sources,
    WorkspaceInput,
};
pub use finding::{Applicability, Finding, Label, Position, Range, Severity, Suggestion};
pub use names::attrs::test_code_lines;
pub use names::deep::{CrateFacts, FileFacts};
pub use names::model::ModelError;
pub use names::model::Models;
pub use names::user_model::UserModel;
pub use rules::{Level, Pattern, Rule};
pub use syntax::scan::{comments, Comment};
pub use syntax::source::{release_thread_spans, STACK_SIZE};
