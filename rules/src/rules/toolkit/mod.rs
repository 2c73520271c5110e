//! What rules share: building findings, recognising code that runs
//! repeatedly, and following values through a body with typed lifecycle
//! states. Rules import the toolkit and the layers below, never each
//! other.

pub mod discard;
pub mod repeat;
pub mod report;
pub mod tracked;
