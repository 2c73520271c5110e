//! The function layer: one function body at a time. The walk finds the
//! bodies of a file; the context binds every local with its type; typing
//! classifies calls; the dataflow engine follows paths; moves and opens say
//! where values go.

pub mod context;
pub mod flow;
pub mod handlers;
pub mod moves;
pub mod opens;
pub mod repeat;
pub mod transactions;
pub mod typing;
pub mod walk;
