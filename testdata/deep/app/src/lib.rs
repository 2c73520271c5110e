//! Cases only rustc's types can decide. Each `//~` marker names a finding
//! that `cargo connlint --deep` must report on that line; the default tier
//! must report nothing in this workspace, since it cannot know these types.

pub mod field_forget;
pub mod generic_helper;
pub mod macro_open;
pub mod reexport_alias;
pub mod same_name;
pub mod trait_transaction;
