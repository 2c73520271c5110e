//! One module per rule. Each declares itself with [`crate::declare_rule!`],
//! whose doc comment is the rule's documentation, and is listed in
//! [`crate::registry::RULES`].

pub mod connection_per_call;
pub mod discarded_commit_error;
pub mod leaked_connection;
pub mod probe_connection;
pub mod unclosed_connection;
pub mod uncommitted_transaction;
pub mod unpolled_connection;
pub mod write_outside_transaction;
