//! Function bodies parsed only when the analysis asks for them.
//!
//! Parsing statements and expressions is most of syn's time, and most
//! function bodies of most crates never come near a database: the summary
//! rounds (see [`crate::facts::selection`]) analyse a few of them. So a file is
//! lexed and parsed with each function body blank (see [`crate::syntax::scan`]),
//! and only where the body's text is is kept. The bodies a round needs are
//! lexed together from a text that holds only them, at their lines and
//! columns, so their spans are the file's; [`ParsedFile::body`](crate::syntax::source::ParsedFile::body)
//! parses the rest on first use. The selection reads the words of the other
//! bodies straight from the source text.
//!
//! A body that declares items of its own (a nested `fn`, `impl`, `trait` or
//! `mod`) is parsed with the file, so every walk over the file sees the same
//! functions in the same order. A syntax error inside a body that no step
//! asks for is not reported: rustc reports it, and connlint has nothing to
//! say about that function.

use std::cell::{OnceCell, RefCell};
use std::ops::Range;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use rustc_hash::{FxHashMap, FxHashSet};
use syn::parse::{ParseStream, Parser as _};
use syn::{ImplItem, Item, TraitItem};

use crate::syntax::scan::FnBody;

use crate::syntax::lex::too_deep;
use crate::syntax::lex::ParseError;
use crate::syntax::limits::MAX_CHAIN_TOKENS;

/// The bodies kept aside while a file was parsed.
#[derive(Default)]
pub(crate) struct LazyBodies {
    /// Slot of each body kept aside, by the address of its `{}` block in
    /// the file's tree (which is never changed once parsed).
    slots: FxHashMap<usize, usize>,
    bodies: Vec<LazyBody>,
    /// Bodies that failed to parse when asked for.
    errors: RefCell<Vec<ParseError>>,
    /// The bodies from the whole file lexed at once, when lexing some
    /// apart failed.
    whole: OnceCell<Result<FxHashMap<usize, Group>, ParseError>>,
}

struct LazyBody {
    /// Where the body's text is in the file, braces included.
    bytes: Range<usize>,
    parsed: OnceCell<Option<syn::Block>>,
}

impl LazyBodies {
    /// Matches the function bodies the scan found with those of `ast`,
    /// parsed from the scan's text. `None` when the two disagree on where a
    /// function body is, or a blank body is not empty in the tree: the file
    /// must then be parsed whole.
    pub(crate) fn new(ast: &syn::File, scanned: Vec<FnBody>) -> Option<LazyBodies> {
        let mut blocks = Vec::new();
        item_bodies(&ast.items, &mut blocks);
        if blocks.len() != scanned.len() {
            return None;
        }
        let mut out = LazyBodies::default();
        for (block, body) in blocks.into_iter().zip(scanned) {
            let open = block.brace_token.span.open().byte_range();
            // Spans carry no positions in fuzzing builds (all `0..0`).
            if open.end > 0 && open.start != body.bytes.start {
                return None;
            }
            if body.blanked {
                if !block.stmts.is_empty() {
                    return None;
                }
                out.slots.insert(address(block), out.bodies.len());
                out.bodies.push(LazyBody {
                    bytes: body.bytes,
                    parsed: OnceCell::new(),
                });
            }
        }
        Some(out)
    }

    /// The slot of `block` if it is a body kept aside.
    pub(crate) fn slot(&self, block: &syn::Block) -> Option<usize> {
        if !block.stmts.is_empty() {
            return None;
        }
        self.slots.get(&address(block)).copied()
    }

    /// Lexes and parses the bodies of `slots` not parsed yet, together.
    pub(crate) fn prepare(&self, source: &str, slots: impl IntoIterator<Item = usize>) {
        let mut wanted: Vec<usize> = slots
            .into_iter()
            .filter(|slot| {
                self.bodies
                    .get(*slot)
                    .is_some_and(|body| body.parsed.get().is_none())
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return;
        }
        let ranges: Vec<Range<usize>> = wanted
            .iter()
            .map(|slot| self.bodies[*slot].bytes.clone())
            .collect();
        if let Some(groups) = lex_groups(&padded(source, &ranges), wanted.len()) {
            for (slot, group) in wanted.into_iter().zip(groups) {
                let block = self.parse_group(&self.bodies[slot], group);
                let _ = self.bodies[slot].parsed.set(block);
            }
            return;
        }
        // A body does not lex as the scan read it: lex the whole file, as
        // rustc would, and take the bodies from it.
        let whole = self.whole.get_or_init(|| {
            self.lex_whole(source)
                .inspect_err(|error| self.error(error.clone()))
        });
        for slot in wanted {
            let body = &self.bodies[slot];
            let block = match whole {
                Ok(groups) => match groups.get(&body.bytes.start) {
                    Some(group) => self.parse_group(body, group.clone()),
                    None => {
                        self.error(ParseError {
                            line: 0,
                            column: 0,
                            message: "cannot find a function body the scan found".into(),
                        });
                        None
                    }
                },
                // Reported once, above.
                Err(_) => None,
            };
            let _ = body.parsed.set(block);
        }
    }

    /// The brace groups of the bodies kept aside, by offset, from lexing
    /// the whole of `source`.
    fn lex_whole(&self, source: &str) -> Result<FxHashMap<usize, Group>, ParseError> {
        let tokens = crate::syntax::lex::lex_file(&crate::syntax::lex::lexable(source))?;
        let starts: FxHashSet<usize> = self.bodies.iter().map(|b| b.bytes.start).collect();
        let mut found = FxHashMap::default();
        let mut stack = vec![tokens.into_iter()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some(TokenTree::Group(group)) => {
                    let start = group.span_open().byte_range().start;
                    if group.delimiter() == Delimiter::Brace && starts.contains(&start) {
                        found.insert(start, group);
                    } else {
                        // Without the group its stream is no longer shared,
                        // so iterating it moves the tokens.
                        let stream = group.stream();
                        drop(group);
                        stack.push(stream.into_iter());
                    }
                }
                Some(_) => {}
                None => {
                    stack.pop();
                }
            }
        }
        Ok(found)
    }

    fn parse_group(&self, body: &LazyBody, group: Group) -> Option<syn::Block> {
        let tokens = TokenStream::from(TokenTree::Group(group));
        // Brackets were counted by the scan; chains of a long body are not.
        if body.bytes.len() > MAX_CHAIN_TOKENS {
            if let Some((span, what)) = too_deep(&tokens) {
                self.error(crate::syntax::lex::too_deep_error(span, what));
                return None;
            }
        }
        parse_body
            .parse2(tokens)
            .map_err(|e| {
                let start = e.span().start();
                self.error(ParseError {
                    line: start.line,
                    column: start.column + 1,
                    message: e.to_string(),
                });
            })
            .ok()
    }

    fn error(&self, error: ParseError) {
        self.errors.borrow_mut().push(error);
    }

    /// `block` as written in `source`: parsed now if it was kept aside.
    /// `None` when the body does not parse; the error is kept for
    /// [`LazyBodies::errors`].
    pub(crate) fn body<'a>(
        &'a self,
        source: &str,
        block: &'a syn::Block,
    ) -> Option<&'a syn::Block> {
        let Some(slot) = self.slot(block) else {
            return Some(block);
        };
        let lazy = &self.bodies[slot];
        if lazy.parsed.get().is_none() {
            // Not prepared by the caller: lex every body left at once, one
            // more pass over the file rather than one per body asked for.
            self.prepare(source, 0..self.bodies.len());
        }
        lazy.parsed.get().and_then(Option::as_ref)
    }

    /// Where the text of a body kept aside is, if `block` is one.
    pub(crate) fn text_range(&self, block: &syn::Block) -> Option<Range<usize>> {
        self.slot(block).map(|slot| self.bodies[slot].bytes.clone())
    }

    pub(crate) fn errors(&self) -> Vec<ParseError> {
        self.errors.borrow().clone()
    }
}

fn address(block: &syn::Block) -> usize {
    block as *const syn::Block as usize
}

/// The function bodies directly in `items` and in the `mod`, `impl` and
/// `trait` bodies among them, in the order the scan finds them.
fn item_bodies<'a>(items: &'a [Item], out: &mut Vec<&'a syn::Block>) {
    for item in items {
        match item {
            Item::Fn(f) => out.push(&f.block),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    item_bodies(items, out);
                }
            }
            Item::Impl(block) => out.extend(block.items.iter().filter_map(|item| match item {
                ImplItem::Fn(f) => Some(&f.block),
                _ => None,
            })),
            Item::Trait(t) => out.extend(t.items.iter().filter_map(|item| match item {
                TraitItem::Fn(f) => f.default.as_ref(),
                _ => None,
            })),
            _ => {}
        }
    }
}

/// A text with the lines and columns of `source` that holds only its
/// `ranges` (in order, disjoint): what lies between them is reduced to its
/// line breaks, and to a space per character on the line a range starts on.
fn padded(source: &str, ranges: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for range in ranges {
        let gap = &source[at..range.start];
        let line = match gap.rfind('\n') {
            Some(last) => {
                let breaks = gap.as_bytes()[..=last]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                out.extend(std::iter::repeat_n('\n', breaks));
                &gap[last + 1..]
            }
            None => gap,
        };
        out.extend(std::iter::repeat_n(' ', line.chars().count()));
        out.push_str(&source[range.clone()]);
        at = range.end;
    }
    out
}

/// The `count` brace groups `text` lexes into, if that is all it holds.
fn lex_groups(text: &str, count: usize) -> Option<Vec<Group>> {
    let tokens: TokenStream = text.parse().ok()?;
    let mut groups = Vec::with_capacity(count);
    for token in tokens {
        match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => groups.push(group),
            _ => return None,
        }
    }
    (groups.len() == count).then_some(groups)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::source::ParsedFile;

    fn parse(source: &str) -> ParsedFile {
        ParsedFile::parse(0, source.to_string(), Vec::new(), false).unwrap()
    }

    fn fn_block(file: &ParsedFile, item: usize) -> &syn::Block {
        match &file.ast.items[item] {
            Item::Fn(f) => &f.block,
            _ => panic!("item {item} is not a function"),
        }
    }

    #[test]
    fn only_bodies_without_items_are_kept_aside() {
        let file = parse(
            "fn a() { x(); }\n\
             fn b() { fn inner() {} }\n\
             type F = fn(u8);\n\
             impl S { fn c(&self) -> [u8; 2] { y() } }\n\
             mod m { fn d() { z() } }\n\
             trait T { fn e() { w() } fn f(); }\n\
             struct S { f: fn() }\n\
             m! { fn g() { v() } }\n",
        );
        // a, c, d, e; not b (declares an item) and not g (inside a macro).
        assert_eq!(file.bodies.bodies.len(), 4);
        let a = fn_block(&file, 0);
        assert!(a.stmts.is_empty());
        assert_eq!(file.body(a).unwrap().stmts.len(), 1);
        let b = fn_block(&file, 1);
        assert_eq!(b.stmts.len(), 1);
        assert!(file.unparsed_body_text(b).is_none());
        assert_eq!(file.unparsed_body_text(a), Some("{ x(); }"));
    }

    #[test]
    fn bodies_lexed_apart_keep_the_files_positions() {
        let file =
            parse("fn a() { one() }\n// é\nfn b() {\n  two()\n}\n/* ü */ fn c() { three() }\n");
        let slot = |item| file.bodies.slot(fn_block(&file, item)).unwrap();
        // a and c together, b on its own when asked for.
        file.bodies.prepare(&file.text, [slot(2), slot(0)]);
        assert!(file.bodies.bodies[slot(1)].parsed.get().is_none());
        let position = |item| {
            let body = file.body(fn_block(&file, item)).unwrap();
            let range = file.range(syn::spanned::Spanned::span(&body.stmts[0]));
            (
                range.start.line,
                range.start.column,
                file.slice(range).to_string(),
            )
        };
        assert_eq!(position(0), (1, 10, "one()".to_string()));
        assert_eq!(position(1), (4, 3, "two()".to_string()));
        assert_eq!(position(2), (6, 18, "three()".to_string()));
        assert!(file.body_errors().is_empty());
    }

    #[test]
    fn a_body_that_does_not_parse_is_an_error_when_asked_for() {
        let file = parse("fn a() {\n let = ; }\nfn b() { \"\\q\" }\nfn c() { ok() }\n");
        let slot = |item| file.bodies.slot(fn_block(&file, item)).unwrap();
        assert!(file.body_errors().is_empty());
        file.prepare_bodies([slot(0), slot(2)]);
        assert!(file.body(fn_block(&file, 0)).is_none());
        let errors = file.body_errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        // Asking again reports nothing new.
        assert!(file.body(fn_block(&file, 0)).is_none());
        assert_eq!(file.body_errors().len(), 1);
        assert_eq!(file.body(fn_block(&file, 2)).unwrap().stmts.len(), 1);
        // A body that does not lex is an error of the file's, as rustc has it.
        assert!(file.body(fn_block(&file, 1)).is_none());
        let errors = file.body_errors();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].line, 3);
        assert!(errors[1].message.contains("cannot tokenize"), "{errors:?}");
    }

    #[test]
    fn a_file_the_scan_misreads_is_parsed_whole() {
        // The scan reads `fn\u{85}f` as one word; the lexer as `fn f`.
        let file = parse("fn\u{85}f() { x(); }\n");
        assert!(file.bodies.bodies.is_empty());
        assert_eq!(fn_block(&file, 0).stmts.len(), 1);
    }
}
