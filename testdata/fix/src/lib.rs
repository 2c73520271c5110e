//! Every discarded commit is marked, in a comment starting with `//~`, with
//! what `connlint --fix` must make of it: `machine-applicable` (fixed, and
//! the crate still compiles), `maybe-incorrect` (suggested, left alone) or
//! `no-suggestion` (`?` cannot compile there, so no edit is offered).

pub mod closures;
pub mod error_types;
pub mod forms;
