//! Lexing a file's text: the fixes that make rustc-accepted text lexable
//! (byte-order mark, `#!` line), the limits that keep syn and the analysis
//! from overflowing their stack on machine-made input, and the errors a
//! file that cannot be read as Rust gets.

use proc_macro2::{Span, TokenStream, TokenTree};

use crate::syntax::limits::{MAX_CHAIN_TOKENS, MAX_NESTING};

/// Why a file could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// Replaces a byte-order mark and a `#!` interpreter line, which the lexer
/// does not accept but rustc does, with whitespace of the same length and
/// width, so that every offset, line and column stays in place.
pub(crate) fn lexable(text: &str) -> std::borrow::Cow<'_, str> {
    let bom = text.starts_with('\u{feff}');
    let start = if bom { 3 } else { 0 };
    let body = &text[start..];
    let shebang = body.starts_with("#!") && !body[2..].trim_start().starts_with('[');
    if !bom && !shebang {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    if bom {
        out.push('\u{200e}');
    }
    let end = if shebang {
        start + body.find('\n').unwrap_or(body.len())
    } else {
        start
    };
    for c in text[start..end].chars() {
        // Nothing follows on the line, so a wide character may become two.
        match c.len_utf8() {
            1 => out.push(' '),
            2 => out.push('\u{85}'),
            3 => out.push('\u{200e}'),
            _ => out.push_str("\u{200e} "),
        }
    }
    out.push_str(&text[end..]);
    std::borrow::Cow::Owned(out)
}

/// The tokens of a whole [`lexable`] file.
pub(crate) fn lex_file(lexable: &str) -> Result<TokenStream, ParseError> {
    lexable.parse().map_err(|e: proc_macro2::LexError| {
        if let Some(unbalanced) = crate::syntax::scan::unbalanced(lexable) {
            return unbalanced_error(lexable, unbalanced);
        }
        let start = e.span().start();
        ParseError {
            line: start.line,
            column: start.column + 1,
            message: "cannot tokenize the file (unbalanced delimiter or bad literal)".into(),
        }
    })
}

/// The error at the bracket left open (or the one closing nothing), as
/// rustc reports it, rather than where the lexer gave up.
fn unbalanced_error(text: &str, unbalanced: crate::syntax::scan::Unbalanced) -> ParseError {
    use crate::syntax::scan::Unbalanced;
    let line_column = |offset: usize| {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, text[start..offset].chars().count() + 1)
    };
    let bracket = |offset: usize| &text[offset..offset + 1];
    let (at, message) = match unbalanced {
        Unbalanced::Unclosed { open, wrong } => {
            let closer = match wrong {
                Some(wrong) => {
                    let (line, column) = line_column(wrong);
                    format!(
                        "the `{}` at {line}:{column} does not close it",
                        bracket(wrong)
                    )
                }
                None => "the file ends first".to_string(),
            };
            (
                open,
                format!("unclosed delimiter `{}`: {closer}", bracket(open)),
            )
        }
        Unbalanced::Unopened { close } => (
            close,
            format!("unexpected closing delimiter `{}`", bracket(close)),
        ),
    };
    let (line, column) = line_column(at);
    ParseError {
        line,
        column,
        message,
    }
}

/// The span of the first group nested deeper than [`MAX_NESTING`], or of a
/// token run longer than [`MAX_CHAIN_TOKENS`], walking the token tree with
/// an explicit stack so the check itself cannot overflow.
///
/// A run ends where no expression can go on: at `;` and `,`, and after a
/// `{ }` group followed by an identifier other than `as` and `else` or by
/// the `#` of an attribute. That is where one item, statement or match arm
/// ends and the next begins (`fn a() {} fn b() {}`, `if c {} let x`), and
/// without it a file of ordinary top-level functions, which has no `;` or
/// `,` between them, counted as one chain from about 6,000 functions on.
/// Every expression that goes on after a block does so with a punctuation
/// mark (`{..} + x`, `{..}.f()`, `{..}?`), a group, `as` or `else`.
pub(crate) fn too_deep(tokens: &TokenStream) -> Option<(Span, &'static str)> {
    // The tokens left at each level, the length of the current run there,
    // and whether the last token of that level was a `{ }` group.
    let mut stack = vec![(tokens.clone().into_iter(), 0usize, false)];
    while let Some((top, run, after_block)) = stack.last_mut() {
        let token = top.next();
        let ends_run = match &token {
            Some(TokenTree::Punct(p)) if p.as_char() == ';' || p.as_char() == ',' => true,
            Some(TokenTree::Punct(p)) => *after_block && p.as_char() == '#',
            Some(TokenTree::Ident(word)) => *after_block && word != "as" && word != "else",
            _ => false,
        };
        if ends_run {
            *run = 0;
        }
        match &token {
            Some(TokenTree::Punct(p)) if p.as_char() == ';' || p.as_char() == ',' => {}
            Some(other) => {
                *run += 1;
                if *run > MAX_CHAIN_TOKENS {
                    return Some((other.span(), "an expression chain"));
                }
            }
            None => {}
        }
        *after_block = matches!(&token, Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace);
        match token {
            Some(TokenTree::Group(group)) => {
                if stack.len() >= MAX_NESTING {
                    return Some((group.span_open(), "nesting"));
                }
                stack.push((group.stream().into_iter(), 0, false));
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    None
}

/// The error for what [`too_deep`] found.
pub(crate) fn too_deep_error(span: Span, what: &str) -> ParseError {
    let start = span.start();
    let message = if what == "nesting" {
        nesting_message()
    } else {
        format!("{what} longer than {MAX_CHAIN_TOKENS} tokens is too deep to analyse; file skipped")
    };
    ParseError {
        line: start.line,
        column: start.column + 1,
        message,
    }
}

pub(crate) fn nesting_message() -> String {
    format!("code is nested more than {MAX_NESTING} levels deep; file skipped")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nesting_limit_is_the_scans() {
        // The scan (crate::syntax::scan) rejects the same depth before lexing.
        let mods = |n: usize| format!("{}fn f() {{}}{}", "mod m { ".repeat(n), "}".repeat(n));
        let tokens: TokenStream = mods(MAX_NESTING - 1).parse().unwrap();
        assert!(too_deep(&tokens).is_some());
        let tokens: TokenStream = mods(MAX_NESTING - 2).parse().unwrap();
        assert!(too_deep(&tokens).is_none());
    }
}
