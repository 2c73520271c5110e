//! Facts from the type-aware deep tier (`cargo connlint --deep`): what rustc
//! resolved for each expression and local, written by the `connlint-deep`
//! driver and read here, so the same rules can use exact types where the
//! syntactic tier could only guess.
//!
//! # Format, version 1
//!
//! One JSON file per compiled crate:
//!
//! ```json
//! {
//!   "version": 1,
//!   "crate": "my_app",
//!   "files": {
//!     "/abs/path/src/lib.rs": {
//!       "exprs": [
//!         {"line": 4, "column": 15, "end_line": 4, "end_column": 41,
//!          "type": "rusqlite::Connection",
//!          "callee": "rusqlite::Connection::open", "macro_call": false}
//!       ],
//!       "locals": [{"name": "conn", "line": 4, "column": 9, "type": "rusqlite::Connection"}]
//!     }
//!   }
//! }
//! ```
//!
//! Positions are 1-based lines and 1-based character columns of the source
//! text, end exclusive, exactly as connlint reports them. `type` is the
//! expression's type with references and lifetimes removed, written as a
//! path with generic arguments (`r2d2::Pool<r2d2_sqlite::SqliteConnectionManager>`);
//! paths are the defining crate's name followed by the item's name as it is
//! re-exported at the crate root when it is, its definition path otherwise.
//! `callee` is the function or method a call resolves to, for method calls
//! `Type::method` with the receiver's type after auto-deref. An expression
//! that comes from a macro expansion is recorded at its call site with
//! `macro_call: true`. `exprs` holds calls, method calls, macro calls and
//! field accesses; `locals` every binding introduced by a pattern.
//!
//! What the `connlint-deep` driver (`lint/deep/`) writes, in detail:
//!
//! - Items of the standard library are written at the path `std` shows
//!   them at (`std::mem::forget`, `std::result::Result`); other crates'
//!   items start with the defining crate's name whichever crate re-exported
//!   them to the linted code (`dbkit::Handle`, a re-export of rusqlite's
//!   `Connection`, is `rusqlite::Connection`); the linted crate's own items
//!   use their definition path (`app::store::Store::begin`), as the crate
//!   index keys them.
//! - `callee` of a trait method is the implementing type's method when
//!   rustc resolves the impl (`app::store::Sessions::begin`), the trait's
//!   (`app::store::Begin::begin`) when the receiver is generic. Tuple-struct
//!   and variant constructors (`Some(x)`) and calls of closures or function
//!   pointers have no `callee`.
//! - The `type` of a future (an `async fn` call, `Pin<Box<dyn Future>>`) is
//!   its `Output`, since the rules read `.await` as passing its operand's
//!   value through.
//! - For a macro call, `type` is the type of the macro's value and `callee`
//!   the call in the expansion that produces that value, looking through
//!   blocks, `?` and `unwrap`/`expect`-like methods (`open_db!(p)`
//!   expanding to `Connection::open(p).expect("open")` has callee
//!   `rusqlite::Connection::open`).
//! - `type` is `null` for types a path cannot express (closures, function
//!   items, raw pointers); type parameters are written by name (`T`), an
//!   argument-position `impl Trait` as `impl Trait`, a trait object as
//!   `dyn path::Trait`.
//! - Bindings that desugaring invents (`for`'s iterator) and expressions
//!   inside `?`, `for` and `.await` desugaring are not recorded.
//!
//! The driver writes one file per compiled crate target, to
//! `<target dir>/connlint-deep/facts/<crate>-<hash>.json`; `--deep` reads
//! all of them, the newest winning for a source file checked twice.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::finding::Position;

/// The facts format this build reads.
pub const FACTS_VERSION: u32 = 1;

/// One crate's facts file.
#[derive(Debug, Deserialize)]
pub struct CrateFacts {
    /// The format version; this build reads [`FACTS_VERSION`].
    pub version: u32,
    /// The crate the driver compiled.
    #[serde(rename = "crate")]
    pub krate: String,
    /// Each source file's facts, by absolute path.
    #[serde(default)]
    pub files: BTreeMap<String, FileFacts>,
}

/// What rustc resolved in one file.
#[derive(Debug, Default, Deserialize)]
pub struct FileFacts {
    /// Calls, method calls, macro calls and field accesses.
    #[serde(default)]
    pub exprs: Vec<ExprFact>,
    /// Every binding a pattern introduces.
    #[serde(default)]
    pub locals: Vec<LocalFact>,
    #[serde(skip)]
    by_range: HashMap<(usize, usize, usize, usize), usize>,
    #[serde(skip)]
    by_local: HashMap<(usize, usize), usize>,
}

/// One expression.
#[derive(Debug, Deserialize)]
pub struct ExprFact {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub callee: Option<String>,
    #[serde(default)]
    pub macro_call: bool,
}

/// One local binding.
#[derive(Debug, Deserialize)]
pub struct LocalFact {
    pub name: String,
    pub line: usize,
    pub column: usize,
    #[serde(rename = "type")]
    pub ty: String,
}

/// Why a facts file could not be used.
#[derive(Debug)]
pub struct FactsError(pub String);

impl std::fmt::Display for FactsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FactsError {}

impl CrateFacts {
    /// Reads a facts file, checking its version.
    pub fn parse(text: &str) -> Result<CrateFacts, FactsError> {
        let mut facts: CrateFacts =
            serde_json::from_str(text).map_err(|e| FactsError(format!("invalid facts: {e}")))?;
        if facts.version != FACTS_VERSION {
            return Err(FactsError(format!(
                "facts version {} is not supported (this connlint reads version {FACTS_VERSION})",
                facts.version
            )));
        }
        for file in facts.files.values_mut() {
            file.index();
        }
        Ok(facts)
    }
}

impl FileFacts {
    fn index(&mut self) {
        for (i, e) in self.exprs.iter().enumerate() {
            self.by_range
                .insert((e.line, e.column, e.end_line, e.end_column), i);
        }
        for (i, l) in self.locals.iter().enumerate() {
            self.by_local.insert((l.line, l.column), i);
        }
    }

    /// The fact of the expression spanning `start..end`.
    pub fn expr(&self, start: Position, end: Position) -> Option<&ExprFact> {
        let i = self
            .by_range
            .get(&(start.line, start.column, end.line, end.column))?;
        self.exprs.get(*i)
    }

    /// The type of the local bound at `at`.
    pub fn local(&self, at: Position) -> Option<&str> {
        let i = self.by_local.get(&(at.line, at.column))?;
        self.locals.get(*i).map(|l| l.ty.as_str())
    }
}

/// A type written as in a facts file, as a resolved [`crate::names::ty::TypeExpr`]:
/// its paths are already absolute.
pub fn type_expr(text: &str) -> crate::names::ty::TypeExpr {
    fn convert(ty: &syn::Type) -> crate::names::ty::TypeExpr {
        use crate::names::ty::TypeExpr;
        match ty {
            syn::Type::Path(p) => {
                let path = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let args = match p.path.segments.last().map(|s| &s.arguments) {
                    Some(syn::PathArguments::AngleBracketed(a)) => a
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(convert(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                TypeExpr::Path { path, args }
            }
            syn::Type::Reference(r) => convert(&r.elem),
            syn::Type::Tuple(t) => TypeExpr::Tuple(t.elems.iter().map(convert).collect()),
            _ => TypeExpr::Other,
        }
    }
    match syn::parse_str::<syn::Type>(text) {
        Ok(ty) => convert(&ty),
        Err(_) => crate::names::ty::TypeExpr::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_version_one_and_rejects_others() {
        let text = r#"{"version": 1, "crate": "app", "files": {"/a/src/lib.rs": {
            "exprs": [{"line": 4, "column": 15, "end_line": 4, "end_column": 41, "type": "rusqlite::Connection",
                       "callee": "rusqlite::Connection::open"}],
            "locals": [{"name": "conn", "line": 4, "column": 9, "type": "rusqlite::Connection"}]}}}"#;
        let facts = CrateFacts::parse(text).unwrap();
        let file = &facts.files["/a/src/lib.rs"];
        let at = |line, column| Position {
            line,
            column,
            offset: 0,
        };
        assert_eq!(
            file.expr(at(4, 15), at(4, 41)).unwrap().callee.as_deref(),
            Some("rusqlite::Connection::open")
        );
        assert!(file.expr(at(4, 15), at(4, 40)).is_none());
        assert_eq!(file.local(at(4, 9)), Some("rusqlite::Connection"));
        assert!(CrateFacts::parse(&text.replace("\"version\": 1", "\"version\": 2")).is_err());
    }

    #[test]
    fn types_with_generic_arguments() {
        let ty = type_expr("r2d2::Pool<r2d2_sqlite::SqliteConnectionManager>");
        let crate::names::ty::TypeExpr::Path { path, args } = ty else {
            panic!("not a path")
        };
        assert_eq!(path, ["r2d2", "Pool"]);
        assert_eq!(args.len(), 1);
    }
}
