//! What rules share: building findings, and recognising code that runs
//! repeatedly. Rules import the toolkit and the layers below, never each
//! other.

pub mod repeat;
pub mod report;
