//! The list of rules. Adding a rule means writing `rules/<name>.rs` with a
//! [`declare_rule!`] and adding one line to [`RULES`].

use crate::rules::{self, Rule};

/// Every rule, in the order `--list-rules` prints them.
pub static RULES: &[&Rule] = &[
    &rules::leaked_connection::LEAKED_CONNECTION,
    &rules::unpolled_connection::UNPOLLED_CONNECTION,
    &rules::unclosed_connection::UNCLOSED_CONNECTION,
    &rules::connection_per_call::CONNECTION_PER_CALL,
    &rules::uncommitted_transaction::UNCOMMITTED_TRANSACTION,
    &rules::discarded_commit_error::DISCARDED_COMMIT_ERROR,
    &rules::write_outside_transaction::WRITE_OUTSIDE_TRANSACTION,
    &rules::probe_connection::PROBE_CONNECTION,
];

/// Looks a rule up by its name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.name == name)
}
