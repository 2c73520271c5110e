//! The syntax layer: a file's text, tokens and trees. The scan blanks
//! function bodies so a file parses slim; bodies are parsed when a step
//! asks for them; spans become ranges; macro arguments become expressions;
//! each module's scope lists what it declares and imports; the walker goes
//! through one body's code for every rule and fact that looks inside.

pub mod bodies;
pub mod expr;
#[cfg(test)]
mod lazy_bodies_tests;
pub mod lex;
pub mod limits;
pub mod macros;
pub mod scan;
pub mod scope;
pub mod source;
pub mod spans;
pub mod walker;
