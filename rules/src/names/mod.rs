//! The names layer: what a path in the source means. Resolution inside a
//! file, the API models of database crates (and the user's own openers,
//! closers and handlers), types as written, SQL statements, what
//! attributes say, and the deep tier's exact types.

pub mod attrs;
pub mod deep;
pub mod model;
pub mod resolve;
pub mod sql;
pub mod ty;
pub mod user_model;
