//! One module per rule. Each declares itself with [`crate::declare_rule!`],
//! whose doc comment is the rule's documentation, and is listed in
//! [`crate::registry::RULES`].

pub mod discarded_commit_error;
pub mod uncommitted_transaction;
pub mod write_outside_transaction;
