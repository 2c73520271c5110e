//! How deep and long the input may be before syn and the analysis, which
//! recurse once per level and per link, could overflow their stack.

/// The deepest bracket nesting a file may have. syn and the analysis recurse
/// once per level; deeper files are reported as errors instead of risking a
/// stack overflow. Callers run the analysis on threads with
/// [`STACK_SIZE`](crate::syntax::source::STACK_SIZE) bytes of stack, which holds this depth even in debug builds.
pub const MAX_NESTING: usize = 6_000;

/// The most tokens one expression may have at one bracket level between
/// two places where an expression surely ends: a `;` or `,`, or a `{ }`
/// group followed by a token that cannot continue an expression (see
/// [`too_deep`](crate::syntax::lex::too_deep)). Operator and method chains (`a + b + ..`, `.f().g()..`,
/// `- - - x`) nest without brackets; syn and the analysis recurse once per
/// link, so a machine-generated chain of hundreds of thousands of links
/// would overflow even a large stack.
pub const MAX_CHAIN_TOKENS: usize = 50_000;
