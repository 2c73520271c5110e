//! A body parsed on demand (see [`super::bodies`]) is the body a
//! whole-file parse gives, token for token and position for position, on
//! every Rust file of the repository: fixtures, seeds, fuzz regressions and
//! connlint's own sources.

use std::path::{Path, PathBuf};

use crate::syntax::source::{ParsedFile, STACK_SIZE};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{ImplItem, Item, TraitItem};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Function bodies at item level, in order.
fn bodies<'a>(items: &'a [Item], out: &mut Vec<&'a syn::Block>) {
    for item in items {
        match item {
            Item::Fn(f) => out.push(&f.block),
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    bodies(items, out);
                }
            }
            Item::Impl(block) => {
                for item in &block.items {
                    if let ImplItem::Fn(f) = item {
                        out.push(&f.block);
                    }
                }
            }
            Item::Trait(t) => {
                for item in &t.items {
                    if let TraitItem::Fn(f) = item {
                        out.extend(f.default.as_ref());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `tokens` start with a doc attribute, `#[doc = ".."]` or
/// `#![doc = ".."]`, and how many tokens it has.
fn doc_attribute(tokens: &[TokenTree]) -> Option<usize> {
    let bang =
        usize::from(matches!(tokens.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '!'));
    match (tokens.first(), tokens.get(1 + bang)) {
        (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(group)))
            if hash.as_char() == '#'
                && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc") =>
        {
            Some(2 + bang)
        }
        _ => None,
    }
}

/// Every token with where it starts, groups flattened, doc comments left
/// out: the scan turns them into plain comments, bodies parsed with the
/// file included.
fn positioned(tokens: TokenStream, out: &mut Vec<(String, usize, usize)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut at = 0;
    while at < tokens.len() {
        if let Some(len) = doc_attribute(&tokens[at..]) {
            at += len;
            continue;
        }
        let token = tokens[at].clone();
        at += 1;
        let start = token.span().start();
        match token {
            TokenTree::Group(group) => {
                out.push((format!("{:?}", group.delimiter()), start.line, start.column));
                positioned(group.stream(), out);
            }
            other => out.push((other.to_string(), start.line, start.column)),
        }
    }
}

fn tokens_of(block: &syn::Block) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    positioned(block.to_token_stream(), &mut out);
    out
}

#[test]
fn bodies_parsed_on_demand_match_a_whole_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dirs = ["testdata", "rules/src", "lint/src", "runtime/src"];
    let (compared, lazy) = on_a_large_stack(dirs.iter().map(|dir| root.join(dir)).collect());
    // The walk found real work: most bodies were kept aside.
    assert!(
        compared > 1_000 && lazy * 2 > compared,
        "{compared} bodies, {lazy} lazy"
    );
}

/// The same over any tree of sources, e.g. every package cargo unpacked:
/// `CONNLINT_BODIES_DIR=~/.cargo/registry/src cargo test --release -p
/// connlint-rules --lib lazy_bodies -- --ignored`.
#[test]
#[ignore]
fn bodies_parsed_on_demand_match_a_whole_parse_in_a_given_tree() {
    let dir = std::env::var_os("CONNLINT_BODIES_DIR").expect("CONNLINT_BODIES_DIR");
    let (compared, lazy) = on_a_large_stack(vec![PathBuf::from(dir)]);
    println!("{compared} bodies compared, {lazy} parsed on demand");
}

fn on_a_large_stack(dirs: Vec<PathBuf>) -> (usize, usize) {
    // Some fuzz regressions nest thousands of levels deep.
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || compare_every_file(&dirs))
        .expect("a thread with a large stack")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Compares every function body of every Rust file under `dirs`; returns
/// how many were compared and how many of those were parsed on demand.
fn compare_every_file(dirs: &[PathBuf]) -> (usize, usize) {
    let mut files = Vec::new();
    for dir in dirs {
        rust_files(dir, &mut files);
    }
    files.sort();
    let (mut compared, mut lazy) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        // Files that do not parse (fuzz inputs, broken fixtures) have no
        // whole parse to compare with.
        let Ok(whole) = syn::parse_file(&text) else {
            continue;
        };
        let file = match ParsedFile::parse(0, text, Vec::new(), false) {
            Ok(file) => file,
            // Refused on purpose: too deep for the analysis to recurse.
            Err(e) if e.message.contains("nested more than") => continue,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let (mut expected, mut slim) = (Vec::new(), Vec::new());
        bodies(&whole.items, &mut expected);
        bodies(&file.ast.items, &mut slim);
        assert_eq!(expected.len(), slim.len(), "{}", path.display());
        for (expected, slim) in expected.into_iter().zip(slim) {
            lazy += usize::from(slim.stmts.is_empty() && !expected.stmts.is_empty());
            let Some(body) = file.body(slim) else {
                // connlint refuses code too deep for its recursion on purpose.
                let errors = file.body_errors();
                assert!(
                    errors.iter().all(|e| e.message.contains("too deep")),
                    "{}: {errors:?}",
                    path.display()
                );
                continue;
            };
            assert_eq!(
                tokens_of(body),
                tokens_of(expected),
                "{} line {}",
                path.display(),
                expected.brace_token.span.open().start().line
            );
            compared += 1;
        }
    }
    (compared, lazy)
}
