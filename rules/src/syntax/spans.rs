//! The span of an expression, without printing it.
//!
//! syn's `Spanned::span` prints a node to tokens and joins the spans of the
//! first and the last: linear in the node's size. The analysis asks for the
//! span of every closure, async block and match arm it walks through, so
//! code nesting them (`|| || || ..`, 3,000 deep in a fuzz regression) took
//! quadratic time. [`of`] finds the first and the last token by following
//! one edge of the tree down, and falls back to printing for the shapes it
//! does not follow (a cast's type, generic arguments, verbatim tokens).

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Member, Path, PathArguments, RangeLimits, UnOp};

/// The span from an expression's first token to its last, as
/// `Spanned::span` gives it.
pub fn of(expr: &Expr) -> Span {
    match (first(expr), last(expr)) {
        // What quote's `join_spans` does with the two.
        (Some(first), Some(last)) => first.join(last).unwrap_or(first),
        _ => expr.span(),
    }
}

fn first(mut expr: &Expr) -> Option<Span> {
    loop {
        // Inner attributes (`match x { #![..] .. }`) come after the keyword.
        let outer = attrs(expr)
            .iter()
            .find(|attr| matches!(attr.style, syn::AttrStyle::Outer));
        if let Some(attr) = outer {
            return Some(attr.pound_token.spans[0]);
        }
        let span = match expr {
            Expr::Assign(e) => {
                expr = &e.left;
                continue;
            }
            Expr::Await(e) => {
                expr = &e.base;
                continue;
            }
            Expr::Binary(e) => {
                expr = &e.left;
                continue;
            }
            Expr::Call(e) => {
                expr = &e.func;
                continue;
            }
            Expr::Cast(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::Field(e) => {
                expr = &e.base;
                continue;
            }
            Expr::Index(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::MethodCall(e) => {
                expr = &e.receiver;
                continue;
            }
            Expr::Try(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::Range(e) => match &e.start {
                Some(start) => {
                    expr = start;
                    continue;
                }
                None => match &e.limits {
                    RangeLimits::HalfOpen(dots) => dots.spans[0],
                    RangeLimits::Closed(dots) => dots.spans[0],
                },
            },
            Expr::Array(e) => e.bracket_token.span.open(),
            Expr::Async(e) => e.async_token.span,
            Expr::Block(e) => match &e.label {
                Some(label) => label.name.apostrophe,
                None => e.block.brace_token.span.open(),
            },
            Expr::Break(e) => e.break_token.span,
            Expr::Closure(e) => {
                if let Some(lifetimes) = &e.lifetimes {
                    lifetimes.for_token.span
                } else if let Some(token) = &e.constness {
                    token.span
                } else if let Some(token) = &e.movability {
                    token.span
                } else if let Some(token) = &e.asyncness {
                    token.span
                } else if let Some(token) = &e.capture {
                    token.span
                } else {
                    e.or1_token.spans[0]
                }
            }
            Expr::Const(e) => e.const_token.span,
            Expr::Continue(e) => e.continue_token.span,
            Expr::ForLoop(e) => match &e.label {
                Some(label) => label.name.apostrophe,
                None => e.for_token.span,
            },
            Expr::If(e) => e.if_token.span,
            Expr::Infer(e) => e.underscore_token.spans[0],
            Expr::Let(e) => e.let_token.span,
            Expr::Lit(e) => e.lit.span(),
            Expr::Loop(e) => match &e.label {
                Some(label) => label.name.apostrophe,
                None => e.loop_token.span,
            },
            Expr::Macro(e) => path_first(&e.mac.path)?,
            Expr::Match(e) => e.match_token.span,
            Expr::Paren(e) => e.paren_token.span.open(),
            Expr::Path(e) => match &e.qself {
                Some(qself) => qself.lt_token.spans[0],
                None => path_first(&e.path)?,
            },
            Expr::RawAddr(e) => e.and_token.spans[0],
            Expr::Reference(e) => e.and_token.spans[0],
            Expr::Repeat(e) => e.bracket_token.span.open(),
            Expr::Return(e) => e.return_token.span,
            Expr::Struct(e) => match &e.qself {
                Some(qself) => qself.lt_token.spans[0],
                None => path_first(&e.path)?,
            },
            Expr::TryBlock(e) => e.try_token.span,
            Expr::Tuple(e) => e.paren_token.span.open(),
            Expr::Unary(e) => match e.op {
                UnOp::Deref(star) => star.spans[0],
                UnOp::Not(not) => not.spans[0],
                UnOp::Neg(minus) => minus.spans[0],
                _ => return None,
            },
            Expr::Unsafe(e) => e.unsafe_token.span,
            Expr::While(e) => match &e.label {
                Some(label) => label.name.apostrophe,
                None => e.while_token.span,
            },
            Expr::Yield(e) => e.yield_token.span,
            _ => return None,
        };
        return Some(span);
    }
}

fn last(mut expr: &Expr) -> Option<Span> {
    loop {
        let span = match expr {
            Expr::Assign(e) => {
                expr = &e.right;
                continue;
            }
            Expr::Binary(e) => {
                expr = &e.right;
                continue;
            }
            Expr::Closure(e) => {
                expr = &e.body;
                continue;
            }
            Expr::Let(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::RawAddr(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::Reference(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::Unary(e) => {
                expr = &e.expr;
                continue;
            }
            Expr::If(e) => match &e.else_branch {
                Some((_, otherwise)) => {
                    expr = otherwise;
                    continue;
                }
                None => e.then_branch.brace_token.span.close(),
            },
            Expr::Range(e) => match &e.end {
                Some(end) => {
                    expr = end;
                    continue;
                }
                None => match &e.limits {
                    RangeLimits::HalfOpen(dots) => dots.spans[1],
                    RangeLimits::Closed(dots) => dots.spans[2],
                },
            },
            Expr::Break(e) => match (&e.expr, &e.label) {
                (Some(value), _) => {
                    expr = value;
                    continue;
                }
                (None, Some(label)) => label.ident.span(),
                (None, None) => e.break_token.span,
            },
            Expr::Return(e) => match &e.expr {
                Some(value) => {
                    expr = value;
                    continue;
                }
                None => e.return_token.span,
            },
            Expr::Yield(e) => match &e.expr {
                Some(value) => {
                    expr = value;
                    continue;
                }
                None => e.yield_token.span,
            },
            Expr::Array(e) => e.bracket_token.span.close(),
            Expr::Async(e) => e.block.brace_token.span.close(),
            Expr::Await(e) => e.await_token.span,
            Expr::Block(e) => e.block.brace_token.span.close(),
            Expr::Call(e) => e.paren_token.span.close(),
            Expr::Const(e) => e.block.brace_token.span.close(),
            Expr::Continue(e) => match &e.label {
                Some(label) => label.ident.span(),
                None => e.continue_token.span,
            },
            Expr::Field(e) => match &e.member {
                Member::Named(ident) => ident.span(),
                Member::Unnamed(index) => index.span,
            },
            Expr::ForLoop(e) => e.body.brace_token.span.close(),
            Expr::Index(e) => e.bracket_token.span.close(),
            Expr::Infer(e) => e.underscore_token.spans[0],
            Expr::Lit(e) => e.lit.span(),
            Expr::Loop(e) => e.body.brace_token.span.close(),
            Expr::Macro(e) => e.mac.delimiter.span().close(),
            Expr::Match(e) => e.brace_token.span.close(),
            Expr::MethodCall(e) => e.paren_token.span.close(),
            Expr::Paren(e) => e.paren_token.span.close(),
            Expr::Path(e) => path_last(&e.path)?,
            Expr::Repeat(e) => e.bracket_token.span.close(),
            Expr::Struct(e) => e.brace_token.span.close(),
            Expr::Try(e) => e.question_token.spans[0],
            Expr::TryBlock(e) => e.block.brace_token.span.close(),
            Expr::Tuple(e) => e.paren_token.span.close(),
            Expr::Unsafe(e) => e.block.brace_token.span.close(),
            Expr::While(e) => e.body.brace_token.span.close(),
            _ => return None,
        };
        return Some(span);
    }
}

fn attrs(expr: &Expr) -> &[syn::Attribute] {
    match expr {
        Expr::Array(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::Async(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        Expr::Binary(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Break(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::Cast(e) => &e.attrs,
        Expr::Closure(e) => &e.attrs,
        Expr::Const(e) => &e.attrs,
        Expr::Continue(e) => &e.attrs,
        Expr::Field(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::Group(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Index(e) => &e.attrs,
        Expr::Infer(e) => &e.attrs,
        Expr::Let(e) => &e.attrs,
        Expr::Lit(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Paren(e) => &e.attrs,
        Expr::Path(e) => &e.attrs,
        Expr::Range(e) => &e.attrs,
        Expr::RawAddr(e) => &e.attrs,
        Expr::Reference(e) => &e.attrs,
        Expr::Repeat(e) => &e.attrs,
        Expr::Return(e) => &e.attrs,
        Expr::Struct(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::TryBlock(e) => &e.attrs,
        Expr::Tuple(e) => &e.attrs,
        Expr::Unary(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::Yield(e) => &e.attrs,
        _ => &[],
    }
}

fn path_first(path: &Path) -> Option<Span> {
    match &path.leading_colon {
        Some(colons) => Some(colons.spans[0]),
        None => Some(path.segments.first()?.ident.span()),
    }
}

/// `None` when the last segment has generic arguments (`f::<T>`), whose
/// last token is the type's.
fn path_last(path: &Path) -> Option<Span> {
    let segment = path.segments.last()?;
    match &segment.arguments {
        PathArguments::None => Some(segment.ident.span()),
        PathArguments::AngleBracketed(args) => Some(args.gt_token.spans[0]),
        PathArguments::Parenthesized(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use syn::spanned::Spanned;
    use syn::visit::Visit;

    /// Compares [`super::of`] with syn's span on every expression.
    struct Compare {
        checked: usize,
    }

    impl<'ast> Visit<'ast> for Compare {
        fn visit_expr(&mut self, expr: &'ast syn::Expr) {
            let (ours, syns) = (super::of(expr), expr.span());
            assert_eq!(
                (ours.start(), ours.end()),
                (syns.start(), syns.end()),
                "{}",
                quote::ToTokens::to_token_stream(expr)
            );
            self.checked += 1;
            syn::visit::visit_expr(self, expr);
        }
    }

    fn compare(text: &str) -> usize {
        let file = syn::parse_file(text).expect("the sample parses");
        let mut compare = Compare { checked: 0 };
        compare.visit_file(&file);
        compare.checked
    }

    #[test]
    fn every_shape() {
        let checked = compare(
            r#"
            fn f() {
                let a = [1, 2][0] + (3) * -x as u8;
                let b = async move { x.await? };
                let c = 'outer: loop { break 'outer 5; continue 'outer; };
                let d = for<'a> move |y: &'a u8| -> u8 { *y };
                let e = static || 1;
                let f = || || || ..=2;
                let g = Foo { a: 1, ..Default::default() }.a.0;
                let h = <T as Tr>::f::<u8>(&raw const z, &mut w);
                let i = if a { 1 } else if b { 2 } else { 3 };
                let j = match x { #![allow(unused)] _ => {} };
                let k = #[allow(unused)] !x..;
                let l = unsafe { const { 1 } };
                let m = vec![1; 2];
                let n = ::std::mem::take(&mut v);
                let o = (a, b,) ; let p = [0u8; 4]; let q = x?.y.await;
                r = return; s = break; t = yield 1; u = return Some(1);
                while let Some(x) = it.next() {} 'w: while true {}
                let w = _;
                z(1).m::<T>().n(); try {};
            }
            "#,
        );
        assert!(checked > 100, "{checked}");
    }

    /// The repository's own sources and fixtures, as a sample of real code.
    #[test]
    fn the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let checked = compare_tree(vec![
            root.join("rules/src"),
            root.join("lint/src"),
            root.join("runtime/src"),
            root.join("testdata/rules"),
            root.join("testdata/seeds"),
        ]);
        assert!(checked > 10_000, "{checked}");
    }

    /// Any tree of sources, e.g. the cargo registry:
    /// `CONNLINT_SPANS_DIR=~/.cargo/registry/src cargo test --release -p
    /// connlint-rules --lib spans -- --ignored`.
    #[test]
    #[ignore]
    fn a_tree_of_sources() {
        let dir = std::env::var("CONNLINT_SPANS_DIR").expect("CONNLINT_SPANS_DIR");
        let checked = compare_tree(vec![dir.into()]);
        eprintln!("{checked} expressions compared");
    }

    fn compare_tree(mut pending: Vec<std::path::PathBuf>) -> usize {
        let mut checked = 0;
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    if syn::parse_file(&text).is_ok() {
                        checked += compare(&text);
                    }
                }
            }
        }
        checked
    }
}
