//! The files of a target's module tree, read from its `mod` declarations.
//!
//! A `[[test]]`, `[[bench]]` or `[[example]]` target declared with a path
//! is a crate root, and a crate root's modules sit in its own folder
//! whatever the root file is called: `[[bench]] path = "src/bench.rs"` with
//! `mod database;` compiles `src/database.rs`, beside the library's files.
//! The folder alone cannot say which target a file belongs to, so the tree
//! is followed from the root's declarations. Files are only lexed (no
//! parse), and only the trees of such targets are read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// A `mod` item found in a file.
struct ModDecl {
    name: String,
    /// `#[path = ".."]`, as written.
    path: Option<String>,
    /// The items of an inline module (`mod a { .. }`).
    inline: Option<TokenStream>,
}

/// The module path, below the crate root, of every file in the tree rooted
/// at `root`, the root itself included (`[]`). Modules named in `skip`
/// (declared by another target sharing the root's folder) are not
/// followed. A file that cannot be read or lexed ends its branch.
pub fn module_tree(root: &Path, skip: &[String]) -> HashMap<PathBuf, Vec<String>> {
    let mut out = HashMap::new();
    out.insert(root.to_path_buf(), Vec::new());
    let Some(dir) = root.parent() else {
        return out;
    };
    let Some(tokens) = lex(root) else {
        return out;
    };
    let decls: Vec<ModDecl> = mod_decls(tokens)
        .into_iter()
        .filter(|d| !skip.contains(&d.name))
        .collect();
    follow(decls, dir, dir, &[], &mut out);
    out
}

/// The names of the modules a crate root declares at its top level.
pub fn top_level_modules(root: &Path) -> Vec<String> {
    lex(root)
        .map(|tokens| mod_decls(tokens).into_iter().map(|d| d.name).collect())
        .unwrap_or_default()
}

/// Follows `decls`, found at module path `module`, whose `#[path]`
/// attributes are relative to `path_base` (the declaring file's folder, or
/// an inline module's folder) and whose child files live in `module_dir`.
fn follow(
    decls: Vec<ModDecl>,
    path_base: &Path,
    module_dir: &Path,
    module: &[String],
    out: &mut HashMap<PathBuf, Vec<String>>,
) {
    for decl in decls {
        let mut path = module.to_vec();
        path.push(decl.name.clone());
        if let Some(items) = decl.inline {
            let dir = module_dir.join(&decl.name);
            follow(mod_decls(items), &dir, &dir, &path, out);
            continue;
        }
        let candidates = match &decl.path {
            Some(p) => vec![path_base.join(p)],
            None => vec![
                module_dir.join(format!("{}.rs", decl.name)),
                module_dir.join(&decl.name).join("mod.rs"),
            ],
        };
        let Some(file) = candidates.into_iter().find(|f| f.is_file()) else {
            continue;
        };
        if out.contains_key(&file) {
            continue;
        }
        out.insert(file.clone(), path.clone());
        let Some(tokens) = lex(&file) else {
            continue;
        };
        let own_dir = file.parent().unwrap_or(path_base).to_path_buf();
        // `a/mod.rs` (or a `#[path]` file) keeps its children beside it;
        // `a.rs` keeps them in `a/`.
        let child_dir = if file.file_name().is_some_and(|n| n == "mod.rs") || decl.path.is_some() {
            own_dir.clone()
        } else {
            own_dir.join(&decl.name)
        };
        follow(mod_decls(tokens), &own_dir, &child_dir, &path, out);
    }
}

fn lex(file: &Path) -> Option<TokenStream> {
    std::fs::read_to_string(file).ok()?.parse().ok()
}

/// The `mod` items among a token stream's top-level items, with the
/// `#[path = ".."]` attribute before each.
fn mod_decls(tokens: TokenStream) -> Vec<ModDecl> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut path: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1) {
                    if g.delimiter() == Delimiter::Bracket {
                        path = path.or_else(|| path_attribute(g.stream()));
                        i += 2;
                        continue;
                    }
                }
            }
            TokenTree::Ident(id) if id == "mod" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    let name = name.to_string();
                    let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
                    match tokens.get(i + 2) {
                        Some(TokenTree::Punct(p)) if p.as_char() == ';' => {
                            out.push(ModDecl {
                                name,
                                path: path.take(),
                                inline: None,
                            });
                            i += 3;
                            continue;
                        }
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                            out.push(ModDecl {
                                name,
                                path: path.take(),
                                inline: Some(g.stream()),
                            });
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            // Visibility and `unsafe` may sit between attributes and `mod`.
            TokenTree::Ident(id) if id == "pub" || id == "unsafe" => {
                i += 1;
                continue;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                // `pub(crate)`
                i += 1;
                continue;
            }
            _ => {}
        }
        path = None;
        i += 1;
    }
    out
}

/// `path = "x.rs"` inside `#[..]`.
fn path_attribute(attr: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = attr.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(key), TokenTree::Punct(eq), TokenTree::Literal(value)]
            if key == "path" && eq.as_char() == '=' =>
        {
            let text = value.to_string();
            let text = text.strip_prefix('"')?.strip_suffix('"')?;
            Some(text.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Option<String>, bool)> {
        mod_decls(text.parse().unwrap())
            .into_iter()
            .map(|d| (d.name, d.path, d.inline.is_some()))
            .collect()
    }

    #[test]
    fn declarations_with_attributes_visibility_and_inline_bodies() {
        let found = names(
            "//! doc\n#![allow(x)]\nuse a::b;\nmod a;\n#[cfg(test)] pub(crate) mod b;\n\
             #[path = \"c_impl.rs\"] pub mod c;\nmod d { mod e; }\nfn f() { mod g; }\n\
             const S: &str = \"mod h;\";",
        );
        assert_eq!(
            found,
            vec![
                ("a".into(), None, false),
                ("b".into(), None, false),
                ("c".into(), Some("c_impl.rs".into()), false),
                ("d".into(), None, true),
            ]
        );
    }

    #[test]
    fn a_path_attribute_belongs_only_to_the_next_item() {
        let found = names("#[path = \"x.rs\"] fn f() {}\nmod a;");
        assert_eq!(found, vec![("a".into(), None, false)]);
    }
}
