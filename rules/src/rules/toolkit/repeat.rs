//! Code that runs repeatedly: loops that wait for a tick, and the iterator
//! and stream adapters whose closure runs once per element. The questions
//! live in the function layer (the summaries ask them too); rules reach
//! them here.

pub use crate::function::repeat::has_tick;
pub use crate::function::repeat::is_per_element;
