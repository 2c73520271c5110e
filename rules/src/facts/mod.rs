//! The facts layer: what holds over the whole unit of analysis. Function
//! summaries are computed per function and solved over the call graph; the
//! selection decides which functions are worth analysing at all; churn
//! traces calls that run repeatedly down to the connections they open.

pub mod churn;
pub mod selection;
pub mod summary;
