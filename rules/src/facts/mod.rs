//! The facts layer: what holds over the whole unit of analysis. Function
//! summaries are computed per function and solved over the call graph; the
//! selection decides which functions are worth analysing at all.

pub mod selection;
pub mod summary;
