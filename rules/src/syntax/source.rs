//! Parsing a source file and turning proc-macro2 spans into [`Range`]s.
//!
//! proc-macro2 keeps span locations in a thread-local table, and syn trees are
//! not `Send`: a file must be parsed, analysed and converted into plain
//! [`crate::finding::Finding`]s on one thread. Callers keep each [`ParsedFile`] on the
//! thread that made it.

use proc_macro2::{Span, TokenStream};

use std::cell::RefCell;
use std::rc::Rc;

use crate::syntax::bodies::LazyBodies;
use crate::syntax::scan::ScanError;
use crate::syntax::scope::ModuleScope;

use crate::finding::{Position, Range};
use crate::syntax::lex::lex_file;
use crate::syntax::lex::lexable;
use crate::syntax::lex::nesting_message;
use crate::syntax::lex::too_deep;
use crate::syntax::lex::too_deep_error;
use crate::syntax::lex::ParseError;
use crate::syntax::limits::{MAX_CHAIN_TOKENS, MAX_NESTING};

/// Stack size for threads that parse and analyse files. Virtual memory only:
/// pages are committed when touched, so ordinary files cost nothing extra.
pub const STACK_SIZE: usize = 1 << 30;

/// One parsed Rust source file.
pub struct ParsedFile {
    /// Index of the file in the caller's input.
    pub id: usize,
    pub text: String,
    pub ast: syn::File,
    /// Module path of the file inside its crate (`["db", "store"]`).
    pub module: Vec<String>,
    /// Whether the whole file is test code (`tests/`, `benches/`).
    pub is_test: bool,
    line_starts: Vec<usize>,
    /// Function bodies `ast` holds as `{}` until asked for.
    pub(crate) bodies: LazyBodies,
    /// The scope of the top level, for the crate it was made for: every
    /// walk over the file (declarations, words, each summary round, the
    /// check) starts from it.
    root_scope: RefCell<Option<(String, Rc<ModuleScope>)>>,
}

impl ParsedFile {
    /// Parses `text`. Never panics: lexing errors, syntax errors and files
    /// nested deeper than [`MAX_NESTING`] become a [`ParseError`].
    pub fn parse(
        id: usize,
        text: String,
        module: Vec<String>,
        is_test: bool,
    ) -> Result<ParsedFile, ParseError> {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let lexable = lexable(&text);
        let (ast, bodies) = match crate::syntax::scan::slim(&lexable) {
            Ok(slim) => match parse_slim(slim) {
                Some(parsed) => parsed,
                // The genuine error, or a file the scan misread.
                None => parse_whole(&lexable)?,
            },
            Err(ScanError::TooDeep(offset)) => {
                let line = line_starts.partition_point(|start| *start <= offset);
                let line_start = line_starts[line - 1];
                return Err(ParseError {
                    line,
                    column: text[line_start..offset].chars().count() + 1,
                    message: nesting_message(),
                });
            }
            Err(ScanError::Unscannable) => parse_whole(&lexable)?,
        };
        drop(lexable);
        Ok(ParsedFile {
            id,
            text,
            ast,
            module,
            is_test,
            line_starts,
            bodies,
            root_scope: RefCell::new(None),
        })
    }

    /// A function's body as written. The file is parsed with bodies
    /// replaced by `{}` (see [`crate::syntax::bodies`]); this parses one on first
    /// use. `None` when it does not parse: [`ParsedFile::body_errors`]
    /// says why.
    pub fn body<'a>(&'a self, block: &'a syn::Block) -> Option<&'a syn::Block> {
        self.bodies.body(&self.text, block)
    }

    /// The text of a body not parsed yet, if `block` is one.
    pub(crate) fn unparsed_body_text(&self, block: &syn::Block) -> Option<&str> {
        let range = self.bodies.text_range(block)?;
        self.text.get(range)
    }

    /// The scope of the file's top level in the crate `crate_name`.
    pub(crate) fn root_scope(&self, crate_name: &str) -> Rc<ModuleScope> {
        let mut cached = self.root_scope.borrow_mut();
        if let Some((name, scope)) = &*cached {
            if name == crate_name {
                return scope.clone();
            }
        }
        let mut module = vec![crate_name.to_string()];
        module.extend(self.module.iter().cloned());
        let scope = Rc::new(ModuleScope::new(module, &self.ast.items));
        *cached = Some((crate_name.to_string(), scope.clone()));
        scope
    }

    /// The slot of a body kept aside, for [`ParsedFile::prepare_bodies`].
    pub(crate) fn body_slot(&self, block: &syn::Block) -> Option<usize> {
        self.bodies.slot(block)
    }

    /// Parses the bodies of `slots` now, lexing them together: cheaper than
    /// asking for them one by one, which lexes every body left.
    pub(crate) fn prepare_bodies(&self, slots: impl IntoIterator<Item = usize>) {
        self.bodies.prepare(&self.text, slots);
    }

    /// Bodies asked for that did not parse.
    pub fn body_errors(&self) -> Vec<ParseError> {
        self.bodies.errors()
    }

    /// The range a span covers.
    pub fn range(&self, span: Span) -> Range {
        let start = span.start();
        let end = span.end();
        Range {
            start: self.position(start.line, start.column),
            end: self.position(end.line, end.column),
        }
    }

    /// The range from the start of `first` to the end of `last`.
    pub fn range_between(&self, first: Span, last: Span) -> Range {
        Range {
            start: self.range(first).start,
            end: self.range(last).end,
        }
    }

    fn position(&self, line: usize, char_column: usize) -> Position {
        let line = line.max(1);
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let byte_column = line_text
            .char_indices()
            .nth(char_column)
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        Position {
            line,
            column: char_column + 1,
            offset: start + byte_column,
        }
    }

    /// The source text of a range.
    pub fn slice(&self, range: Range) -> &str {
        self.text
            .get(range.start.offset..range.end.offset)
            .unwrap_or("")
    }

    /// The text of the line a position is on, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// The file's tree with its function bodies kept aside, from the scan's
/// text. `None` when that text does not parse (the whole file may not
/// either: [`parse_whole`] says why) or the scan misread the file.
fn parse_slim(slim: crate::syntax::scan::Slim) -> Option<(syn::File, LazyBodies)> {
    let tokens: TokenStream = slim.text.parse().ok()?;
    if slim.text.len() > MAX_CHAIN_TOKENS && too_deep(&tokens).is_some() {
        return None;
    }
    let ast: syn::File = syn::parse2(tokens).ok()?;
    let bodies = LazyBodies::new(&ast, slim.bodies)?;
    Some((ast, bodies))
}

/// The whole file's tree, every body parsed.
fn parse_whole(lexable: &str) -> Result<(syn::File, LazyBodies), ParseError> {
    let tokens = lex_file(lexable)?;
    // Only a file with that many brackets can nest that deep, and only a
    // file that long can hold such a chain: most files skip the walk.
    let brackets = lexable
        .bytes()
        .filter(|b| matches!(b, b'{' | b'(' | b'['))
        .count();
    let could_be_too_deep = brackets >= MAX_NESTING || lexable.len() > MAX_CHAIN_TOKENS;
    if let Some((span, what)) = could_be_too_deep.then(|| too_deep(&tokens)).flatten() {
        return Err(too_deep_error(span, what));
    }
    let ast: syn::File = syn::parse2(tokens).map_err(|e| {
        let start = e.span().start();
        ParseError {
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        }
    })?;
    Ok((ast, LazyBodies::default()))
}

/// Frees the span table proc-macro2 keeps for the current thread. Call it
/// once every [`ParsedFile`] made on the thread has been dropped: spans made
/// earlier become invalid.
pub fn release_thread_spans() {
    proc_macro2::extra::invalidate_current_thread_spans();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_one_based_and_count_characters() {
        let text = "fn f() {\n    let é = 1; let x = 2;\n}\n".to_string();
        let file = ParsedFile::parse(0, text, vec![], false).unwrap();
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!()
        };
        let syn::Stmt::Local(second) = &file.body(&f.block).unwrap().stmts[1] else {
            panic!()
        };
        let range = file.range(syn::spanned::Spanned::span(&second.pat));
        assert_eq!((range.start.line, range.start.column), (2, 20));
        assert_eq!(file.slice(range), "x");
    }

    #[test]
    fn shebang_and_bom_keep_positions() {
        let text =
            "\u{feff}#!/usr/bin/env run-cargo-script\nfn main() { let x = 1; }\n".to_string();
        let file = ParsedFile::parse(0, text, vec![], false).unwrap();
        assert_eq!(file.ast.items.len(), 1);
        let inner = "#![allow(dead_code)]\nfn main() {}\n".to_string();
        assert_eq!(
            ParsedFile::parse(0, inner, vec![], false)
                .unwrap()
                .ast
                .attrs
                .len(),
            1
        );
    }

    #[test]
    fn long_chains_are_errors_not_stack_overflows() {
        let chain = format!(
            "fn f() -> i32 {{ {} 1 }}\n",
            "- ".repeat(MAX_CHAIN_TOKENS + 10)
        );
        // In a body, when the body is asked for.
        let file = ParsedFile::parse(0, chain.clone(), vec![], false).unwrap();
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!()
        };
        assert!(file.body(&f.block).is_none());
        let err = &file.body_errors()[0];
        assert!(err.message.contains("expression chain"), "{err}");
        // Outside bodies, at once.
        let item = format!("const C: i32 = {}1;\n", "- ".repeat(MAX_CHAIN_TOKENS + 10));
        let err = ParsedFile::parse(0, item, vec![], false).err().unwrap();
        assert!(err.message.contains("expression chain"), "{err}");
        let table = format!("const T: &[i32] = &[{}];\n", "1, ".repeat(MAX_CHAIN_TOKENS));
        assert!(ParsedFile::parse(0, table, vec![], false).is_ok());
        // Blocks joined by operators, `as` or `else` are still one chain.
        let blocks = format!("const C: i32 = {}1;\n", "{ 1 } + ".repeat(MAX_CHAIN_TOKENS));
        let err = ParsedFile::parse(0, blocks, vec![], false).err().unwrap();
        assert!(err.message.contains("expression chain"), "{err}");
        let casts = format!(
            "fn f() -> bool {{ {} true }}\n",
            "if x { 1 } else { 2 } as u8 == ".repeat(MAX_CHAIN_TOKENS / 8)
        );
        assert!(too_deep(&casts.parse().unwrap()).is_some());
    }

    #[test]
    fn a_file_of_many_small_functions_is_not_one_chain() {
        // No `;` or `,` between the items: 8 tokens per function, so 7,000
        // of them are more than MAX_CHAIN_TOKENS tokens in a row.
        let file: String = (0..7_000)
            .map(|i| format!("#[inline]\npub fn f{i}() -> i32 {{ {i} }}\nimpl S{i} {{}}\n"))
            .collect();
        assert!(too_deep(&file.parse().unwrap()).is_none());
        let file = ParsedFile::parse(0, file, vec![], false).unwrap();
        assert_eq!(file.ast.items.len(), 14_000);
    }

    #[test]
    fn an_unclosed_delimiter_is_reported_at_its_opening() {
        let text = "fn a() {\n    let x = (1;\n}\nfn b() {}\n";
        let err = ParsedFile::parse(0, text.into(), vec![], false)
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "2:13: unclosed delimiter `(`: the `}` at 3:1 does not close it"
        );
        let text = "fn a() {\n    x();\n\nfn b() {}\n";
        let err = ParsedFile::parse(0, text.into(), vec![], false)
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "1:8: unclosed delimiter `{`: the file ends first"
        );
    }

    #[test]
    fn syntax_errors_are_reported_with_a_position() {
        let err = ParsedFile::parse(0, "fn f( {\n".into(), vec![], false)
            .err()
            .unwrap();
        assert!(err.line >= 1, "{err}");
        let err = ParsedFile::parse(0, "struct S { x: = }\n".into(), vec![], false)
            .err()
            .unwrap();
        assert_eq!(err.line, 1);
        // A function body is parsed when asked for.
        let file = ParsedFile::parse(0, "fn f() {\n let = ; }\n".into(), vec![], false).unwrap();
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!()
        };
        assert!(file.body(&f.block).is_none());
        assert_eq!(file.body_errors()[0].line, 2);
    }
}
