//! The analysis behind connlint: API models of database crates, a crate-wide
//! index with function summaries, and one module per rule. No I/O and no
//! rendering: callers hand in source text and get [`Finding`]s back.
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
//! | `syntax` | text, tokens and trees: the scan, lexing limits, lazily parsed bodies, spans, macro arguments, module scopes |
//! | `names` | what a path means: resolution, the driver models and users' own, types as written, SQL, attributes |
//! | `index` | what a unit of analysis declares, and the facts computed about it, as data |
//! | `function` | one function body: bindings and their types, calls, dataflow, moves, opens |
//! | `facts` | facts over the whole unit: function summaries solved over the call graph, which functions to analyse |
//! | `rules` | one file per rule, over a shared toolkit; no rule imports another |
//! | `analysis` | the front door that runs the steps, and the registry of rules |

pub mod analysis;
mod facts;
pub mod finding;
mod function;
mod index;
mod names;
pub mod rules;
mod syntax;

pub use analysis::registry::{rule, RULES};
pub use analysis::{
    analyze_crate, check, declarations, CheckOptions, CrateReport, FactsTable, SourceInput,
};
pub use facts::selection::{file_words, summaries, FileSummaries, FileWords, Names, Selection};
pub use finding::{Applicability, Finding, Label, Position, Range, Severity, Suggestion};
pub use index::crate_index::CrateIndex;
pub use index::decls::FileDecls;
pub use names::deep::{CrateFacts, FileFacts};
pub use names::model::Models;
pub use names::user_model::UserModel;
pub use rules::Rule;
pub use syntax::lex::{ParseError, MAX_NESTING};
pub use syntax::scan::line_comments;
pub use syntax::source::{release_thread_spans, ParsedFile, STACK_SIZE};
