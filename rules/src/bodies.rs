//! Function bodies parsed only when the analysis asks for them.
//!
//! Parsing statements and expressions is most of syn's time, and most
//! function bodies of most crates never come near a database: the summary
//! rounds (see [`crate::selection`]) analyse a few of them. So a file is
//! parsed with each function body replaced by `{}`, and only where the
//! body's text is is kept. [`ParsedFile::body`](crate::ParsedFile::body)
//! parses a body the first time a step needs it: the first such request
//! lexes the file again, once, and keeps the tokens of its bodies, so spans
//! are the file's and a file costs one more lexing however many of its
//! bodies are asked for. The selection reads the words of the other bodies
//! straight from the source text.
//!
//! A body that declares items of its own (a nested `fn`, `impl`, `trait` or
//! `mod`) is parsed with the file, so every walk over the file sees the same
//! functions in the same order. A syntax error inside a body that no step
//! asks for is not reported: rustc reports it, and connlint has nothing to
//! say about that function.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::ops::Range;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser as _};

use crate::source::ParseError;

/// The bodies kept aside while a file was parsed.
#[derive(Default)]
pub(crate) struct LazyBodies {
    /// Slot of each body, by the position of its `{`.
    slots: HashMap<(usize, usize), usize>,
    bodies: Vec<LazyBody>,
    /// The tokens of every body kept aside, by slot: the file is lexed
    /// again, once, when the first body is asked for.
    tokens: OnceCell<Vec<Option<Group>>>,
    /// Bodies that failed to parse when asked for.
    errors: RefCell<Vec<ParseError>>,
}

struct LazyBody {
    /// Where the body's text is in the file.
    bytes: Range<usize>,
    parsed: OnceCell<Option<syn::Block>>,
}

impl LazyBodies {
    /// Replaces the function bodies of `tokens`, lexed from `source`, with
    /// `{}` and keeps them.
    pub(crate) fn elide(tokens: TokenStream, source: &str) -> (TokenStream, LazyBodies) {
        let mut bodies = LazyBodies::default();
        let tokens = bodies.elide_items(tokens, source);
        (tokens, bodies)
    }

    /// One level of items: a module, an `impl` or a `trait` body.
    fn elide_items(&mut self, tokens: TokenStream, source: &str) -> TokenStream {
        let mut out: Vec<TokenTree> = Vec::new();
        // What the item seen so far since the last `;` or `{..}` is.
        let mut after_fn_keyword = false;
        let mut is_fn = false;
        let mut is_container = false;
        for token in tokens {
            let group = match token {
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => group,
                other => {
                    match &other {
                        TokenTree::Ident(ident) => {
                            // `fn name`, not the type `fn(u8)`.
                            is_fn |= after_fn_keyword;
                            after_fn_keyword = ident == "fn";
                            is_container |= ident == "mod" || ident == "impl" || ident == "trait";
                        }
                        TokenTree::Punct(punct) if punct.as_char() == ';' => {
                            (after_fn_keyword, is_fn, is_container) = (false, false, false);
                        }
                        _ => after_fn_keyword = false,
                    }
                    out.push(other);
                    continue;
                }
            };
            let (fn_body, container) = (is_fn, is_container);
            (after_fn_keyword, is_fn, is_container) = (false, false, false);
            let span = group.span();
            if fn_body {
                let bytes = span.byte_range();
                let text = source.get(bytes.clone()).unwrap_or("fn");
                if !declares_items(text) {
                    self.keep(&group, bytes);
                    let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                    empty.set_span(span);
                    out.push(TokenTree::Group(empty));
                    continue;
                }
            } else if container {
                // Without the group its stream is no longer shared, so
                // iterating it moves the tokens instead of copying them.
                let stream = group.stream();
                drop(group);
                let mut inner = Group::new(Delimiter::Brace, self.elide_items(stream, source));
                inner.set_span(span);
                out.push(TokenTree::Group(inner));
                continue;
            }
            out.push(TokenTree::Group(group));
        }
        out.into_iter().collect()
    }

    fn keep(&mut self, group: &Group, bytes: Range<usize>) {
        let open = group.span_open().start();
        self.slots
            .insert((open.line, open.column), self.bodies.len());
        self.bodies.push(LazyBody {
            bytes,
            parsed: OnceCell::new(),
        });
    }

    /// Lexes `source` again and takes the groups of the bodies kept aside,
    /// found by the position of their `{`. Their spans are the file's.
    fn lex_bodies(&self, source: &str) -> Vec<Option<Group>> {
        let mut found = vec![None; self.bodies.len()];
        if let Ok(tokens) = crate::source::lexable(source).parse::<TokenStream>() {
            self.find_bodies(tokens, &mut found);
        }
        found
    }

    fn find_bodies(&self, tokens: TokenStream, found: &mut [Option<Group>]) {
        for token in tokens {
            let TokenTree::Group(group) = token else {
                continue;
            };
            let open = group.span_open().start();
            let slot = (group.delimiter() == Delimiter::Brace)
                .then(|| self.slots.get(&(open.line, open.column)))
                .flatten();
            match slot {
                Some(&slot) => found[slot] = Some(group),
                None => {
                    // Without the group its stream is no longer shared, so
                    // iterating it moves the tokens instead of copying them.
                    let stream = group.stream();
                    drop(group);
                    self.find_bodies(stream, found);
                }
            }
        }
    }

    fn slot(&self, block: &syn::Block) -> Option<&LazyBody> {
        if !block.stmts.is_empty() {
            return None;
        }
        let slot = *self.slots.get(&open_of(block))?;
        self.bodies.get(slot)
    }

    /// `block` as written in `source`: parsed now if it was kept aside.
    /// `None` when the body does not parse; the error is kept for
    /// [`LazyBodies::errors`].
    pub(crate) fn body<'a>(
        &'a self,
        source: &str,
        block: &'a syn::Block,
    ) -> Option<&'a syn::Block> {
        let Some(lazy) = self.slot(block) else {
            return Some(block);
        };
        lazy.parsed
            .get_or_init(|| {
                let slot = self.slots.get(&open_of(block)).copied()?;
                let tokens = self.tokens.get_or_init(|| self.lex_bodies(source));
                let group = tokens.get(slot).cloned().flatten()?;
                parse_body
                    .parse2(TokenStream::from(TokenTree::Group(group)))
                    .map_err(|e| {
                        let start = e.span().start();
                        self.errors.borrow_mut().push(ParseError {
                            line: start.line,
                            column: start.column + 1,
                            message: e.to_string(),
                        });
                    })
                    .ok()
            })
            .as_ref()
    }

    /// Where the text of a body kept aside is, if `block` is one.
    pub(crate) fn text_range(&self, block: &syn::Block) -> Option<Range<usize>> {
        self.slot(block).map(|lazy| lazy.bytes.clone())
    }

    pub(crate) fn errors(&self) -> Vec<ParseError> {
        self.errors.borrow().clone()
    }
}

fn open_of(block: &syn::Block) -> (usize, usize) {
    let open = block.brace_token.span.open().start();
    (open.line, open.column)
}

/// `{ #![inner] stmts }`. The inner attributes are dropped: the file was
/// parsed without them, and no rule reads them.
fn parse_body(input: ParseStream<'_>) -> syn::Result<syn::Block> {
    let content;
    let brace_token = syn::braced!(content in input);
    syn::Attribute::parse_inner(&content)?;
    let stmts = content.call(syn::Block::parse_within)?;
    Ok(syn::Block { brace_token, stmts })
}

/// Whether a body may declare an item the function walk visits: a nested
/// `fn`, `impl`, `trait` or `mod`. Read from the text, at any depth and in
/// comments too: a false "yes" only parses the body with the file.
fn declares_items(body: &str) -> bool {
    let mut found = false;
    for_each_word(body, |word, end| {
        // `fn name`, not the type `fn(u8)`.
        let named_fn = word == "fn"
            && body[end..]
                .trim_start()
                .starts_with(|c: char| c == '_' || c.is_alphabetic());
        found |= named_fn || matches!(word, "impl" | "trait" | "mod");
    });
    found
}

/// Calls `word` with every identifier-like run of `text` and the offset
/// just past it: identifiers, keywords, and words inside literals and
/// comments. A superset of the body's identifiers, which is what the
/// selection needs: an extra word costs an analysis, never a finding.
pub(crate) fn for_each_word(text: &str, mut word: impl FnMut(&str, usize)) {
    let bytes = text.as_bytes();
    let is_start = |b: u8| b == b'_' || b.is_ascii_alphabetic() || b >= 0x80;
    let is_part = |b: u8| is_start(b) || b.is_ascii_digit();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            // A number's suffix (`1u8`, `0xff`) is no word.
            while i < bytes.len() && is_part(bytes[i]) {
                i += 1;
            }
        } else if is_start(b) {
            let start = i;
            while i < bytes.len() && is_part(bytes[i]) {
                i += 1;
            }
            // `r#type` is one identifier, as syn prints it.
            let raw = start >= 2 && &bytes[start - 2..start] == b"r#";
            let from = if raw && (start < 3 || !is_part(bytes[start - 3])) {
                start - 2
            } else {
                start
            };
            let raw_prefix = &text[start..i] == "r"
                && bytes.get(i) == Some(&b'#')
                && bytes.get(i + 1).is_some_and(|b| is_start(*b));
            if !raw_prefix {
                word(&text[from..i], i);
            }
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w, _| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_of_text() {
        assert_eq!(
            words("{ let r#type = db.conn_2(0xff, 1u8); // é Connection\n }"),
            ["let", "r#type", "db", "conn_2", "é", "Connection"]
        );
        // `r#` inside a longer word is not a raw identifier.
        assert_eq!(words("bar#x"), ["bar", "x"]);
        assert!(declares_items("{ fn inner() {} }"));
        assert!(declares_items("{ impl S {} }"));
        assert!(!declares_items(
            "{ let f: fn(u8) = g; Box::new(move || f(1)) }"
        ));
    }

    #[test]
    fn only_bodies_without_items_are_kept_aside() {
        let source = "fn a() { x(); }\n\
                      fn b() { fn inner() {} }\n\
                      type F = fn(u8);\n\
                      impl S { fn c(&self) -> [u8; 2] { y() } }\n\
                      mod m { fn d() { z() } }\n\
                      trait T { fn e() { w() } fn f(); }\n\
                      struct S { f: fn() }\n\
                      m! { fn g() { v() } }\n";
        let tokens: TokenStream = source.parse().unwrap();
        let (slim, bodies) = LazyBodies::elide(tokens, source);
        let file: syn::File = syn::parse2(slim).unwrap();
        // a, c, d, e; not b (declares an item) and not g (inside a macro).
        assert_eq!(bodies.bodies.len(), 4);
        let syn::Item::Fn(a) = &file.items[0] else {
            panic!()
        };
        assert!(a.block.stmts.is_empty());
        let body = bodies.body(source, &a.block).unwrap();
        assert_eq!(body.stmts.len(), 1);
        let syn::Item::Fn(b) = &file.items[1] else {
            panic!()
        };
        assert_eq!(b.block.stmts.len(), 1);
        assert!(bodies.text_range(&b.block).is_none());
        let range = bodies.text_range(&a.block).unwrap();
        assert_eq!(&source[range], "{ x(); }");
    }

    #[test]
    fn a_body_that_does_not_parse_is_an_error_when_asked_for() {
        let source = "fn a() {\n let = ; }\n";
        let tokens: TokenStream = source.parse().unwrap();
        let (slim, bodies) = LazyBodies::elide(tokens, source);
        let file: syn::File = syn::parse2(slim).unwrap();
        let syn::Item::Fn(a) = &file.items[0] else {
            panic!()
        };
        assert!(bodies.errors().is_empty());
        assert!(bodies.body(source, &a.block).is_none());
        let errors = bodies.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        // Asking again reports nothing new.
        assert!(bodies.body(source, &a.block).is_none());
        assert_eq!(bodies.errors().len(), 1);
    }
}
