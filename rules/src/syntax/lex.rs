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
    }
}
