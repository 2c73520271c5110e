//! The index layer: what a unit of analysis declares (each file's
//! declarations, merged), and the facts the upper layers compute about its
//! functions, kept as plain data every rule reads.

pub mod decls;
pub mod effects;
pub mod workspace_index;
