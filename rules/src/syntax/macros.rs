//! Macro arguments as expressions. syn leaves macro bodies as tokens, but
//! `println!("{}", conn.execute(..)?)`, `assert!(tx.commit().is_ok())` and
//! `sqlx::query!("INSERT ..", x)` hold code the rules must see. The arena
//! parses every function-like macro whose body is a comma-separated list of
//! expressions, once per function, and keeps the result alive for as long as
//! the rules run.

use std::collections::HashMap;

use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Expr, Token};

/// Parsed macro arguments of one function body, keyed by the address of the
/// `syn::Macro` they came from.
#[derive(Default)]
pub struct MacroArena {
    parsed: HashMap<usize, Vec<Expr>>,
}

impl MacroArena {
    /// Parses the macros of a block, including macros nested in macro
    /// arguments.
    pub fn new(block: &syn::Block) -> MacroArena {
        let mut arena = MacroArena::default();
        for mac in find_macros(|v| v.visit_block(block)) {
            arena.add(mac);
        }
        arena
    }

    fn add(&mut self, mac: &syn::Macro) {
        let key = mac as *const syn::Macro as usize;
        if self.parsed.contains_key(&key) {
            return;
        }
        if let Some(exprs) = parse_args(mac) {
            for expr in &exprs {
                for nested in find_macros(|v| v.visit_expr(expr)) {
                    self.add(nested);
                }
            }
            // Moving the Vec keeps its buffer, so the addresses of nested
            // macros recorded above stay valid keys.
            self.parsed.insert(key, exprs);
        }
    }

    /// The arguments of a macro, if they parse as expressions.
    pub fn args(&self, mac: &syn::Macro) -> Option<&[Expr]> {
        self.parsed
            .get(&(mac as *const syn::Macro as usize))
            .map(Vec::as_slice)
    }
}

/// Parses a macro body as `expr, expr, …`. Format strings stay literals.
/// A body of numbers and punctuation alone (`vec![1, 2, 3]`, a generated
/// table of 200,000 constants) is not parsed: it names nothing and holds no
/// text a rule reads, and parsing it would cost more than the rest of the
/// function, in every context built for it.
pub fn parse_args(mac: &syn::Macro) -> Option<Vec<Expr>> {
    if mac.tokens.is_empty() || inert(mac.tokens.clone()) {
        return None;
    }
    let args = mac
        .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()?;
    Some(args.into_iter().collect())
}

/// Whether tokens are only numeric literals, punctuation and groups of
/// them: no identifier, no string or character literal.
fn inert(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().all(|token| match token {
        proc_macro2::TokenTree::Punct(_) => true,
        proc_macro2::TokenTree::Literal(lit) => {
            lit.to_string().starts_with(|c: char| c.is_ascii_digit())
        }
        proc_macro2::TokenTree::Group(group) => inert(group.stream()),
        proc_macro2::TokenTree::Ident(_) => false,
    })
}

fn find_macros<'a>(walk: impl FnOnce(&mut MacroFinder<'a>)) -> Vec<&'a syn::Macro> {
    let mut finder = MacroFinder(Vec::new());
    walk(&mut finder);
    finder.0
}

struct MacroFinder<'a>(Vec<&'a syn::Macro>);

impl<'a> Visit<'a> for MacroFinder<'a> {
    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.0.push(mac);
    }
    // Nested functions are analysed on their own.
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// The names a format string captures implicitly: `{name}`, `{name:?}`.
pub fn format_captures(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest.find(['}', ':']).unwrap_or(rest.len());
        let name = &rest[..end];
        let identifier = name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !name.is_empty() && identifier && !name.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(name.to_string());
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_numbers_alone_but_parses_anything_named() {
        let parse = |text: &str| parse_args(&syn::parse_str::<syn::Macro>(text).unwrap());
        assert!(parse("vec![1, 2u8, -3, (4, 5.0), [6; 7]]").is_none());
        assert_eq!(parse("vec![1, x]").map(|a| a.len()), Some(2));
        assert_eq!(parse("println!(\"{conn}\")").map(|a| a.len()), Some(1));
        assert_eq!(parse("assert!(b'a' == 1)").map(|a| a.len()), Some(1));
    }

    #[test]
    fn parses_nested_macro_arguments() {
        let block: syn::Block = syn::parse_str(
            r#"{ println!("{}", format!("{}", conn.execute("DELETE FROM t", [])?)); }"#,
        )
        .unwrap();
        let arena = MacroArena::new(&block);
        let syn::Stmt::Macro(outer) = &block.stmts[0] else {
            panic!("not a macro statement")
        };
        let args = arena.args(&outer.mac).unwrap();
        assert_eq!(args.len(), 2);
        let Expr::Macro(inner) = &args[1] else {
            panic!()
        };
        assert_eq!(arena.args(&inner.mac).unwrap().len(), 2);
    }
}
