//! A light scan of Rust source text, before lexing it.
//!
//! proc-macro2 builds a token for every identifier, literal and mark of a
//! file, and a `#[doc = ".."]` attribute for every doc comment, and syn
//! parses them all. Most of that work is thrown away: no rule reads a doc
//! comment, and the summary rounds need the statements of few function
//! bodies (see [`crate::syntax::bodies`]). So the text is scanned first, skipping
//! comments and literals the way the lexer does, and [`slim`] returns a copy
//! to lex in which doc comments are plain comments and the function bodies
//! are blank. The copy has the source's length, lines and columns, so spans
//! still point into the source.
//!
//! The scan must be right only where it changes something: the bodies it
//! blanks are checked against the parsed file (see
//! [`LazyBodies::new`](crate::syntax::bodies::LazyBodies::new)), and a file it cannot
//! follow is parsed whole.

use crate::syntax::limits::MAX_NESTING;
use std::ops::Range;

/// The text to lex, and the function bodies the scan found.
pub(crate) struct Slim {
    pub text: String,
    /// Every function body directly in a file, `mod`, `impl` or `trait`
    /// body, in order: those syn puts in `ItemFn`, `ImplItemFn` and
    /// `TraitItemFn`.
    pub bodies: Vec<FnBody>,
}

pub(crate) struct FnBody {
    /// From the `{` to just past the `}`.
    pub bytes: Range<usize>,
    /// Whether the body is blank in [`Slim::text`]. A body that declares
    /// items of its own (a nested `fn`, `impl`, `trait` or `mod`) is kept,
    /// so every walk over the file sees the same functions; so is a body
    /// holding a character no blank of the same width and length exists for.
    pub blanked: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// Brackets nest deeper than [`MAX_NESTING`]; the offset of the first
    /// bracket that deep.
    TooDeep(usize),
    /// Unbalanced or unterminated: the lexer says where.
    Unscannable,
}

/// Scans `source` (already [`lexable`](crate::syntax::source::lexable)).
pub(crate) fn slim(source: &str) -> Result<Slim, ScanError> {
    let mut tokens = Tokens::new(source);
    let mut bodies = Vec::new();
    // The groups open around the current token, and for those holding
    // items (the file is the bottom one), what the item so far is.
    let mut file = ItemHead::default();
    let mut stack: Vec<(u8, Option<ItemHead>)> = Vec::new();
    while let Some(token) = tokens.next()? {
        let head = match stack.last_mut() {
            Some((_, head)) => head.as_mut(),
            None => Some(&mut file),
        };
        let Some(head) = head else {
            match token {
                Token::Open(open, at) => push(&mut stack, open, at, None)?,
                Token::Close(close) => pop(&mut stack, close)?,
                _ => {}
            }
            continue;
        };
        match token {
            Token::Ident(word) => head.ident(&source[word]),
            Token::Semi => *head = ItemHead::default(),
            Token::Lt => head.lt(),
            Token::Gt => head.gt(),
            Token::Other => head.after_fn = false,
            Token::Open(b'{', at) if head.angles == 0 => {
                let (is_fn, is_container) = (head.is_fn, head.is_container);
                *head = ItemHead::default();
                if is_fn {
                    let depth = stack.len() + 1;
                    if depth >= MAX_NESTING {
                        return Err(ScanError::TooDeep(at));
                    }
                    let (end, declares_items) = tokens.body(depth)?;
                    bodies.push(FnBody {
                        bytes: at..end,
                        blanked: !declares_items,
                    });
                } else {
                    let items = is_container.then(ItemHead::default);
                    push(&mut stack, b'{', at, items)?;
                }
            }
            Token::Open(open, at) => {
                // A group inside an item's head is one token of it.
                head.after_fn = false;
                push(&mut stack, open, at, None)?;
            }
            Token::Close(close) => pop(&mut stack, close)?,
        }
    }
    if !stack.is_empty() {
        return Err(ScanError::Unscannable);
    }
    let mut text = source.as_bytes().to_vec();
    for doc in tokens.docs {
        // `///` and `/**` become `// ` and `/* `; `//!` and `/*!` too.
        text[doc] = b' ';
    }
    for body in &mut bodies {
        if body.blanked {
            let inside = body.bytes.start + 1..body.bytes.end - 1;
            body.blanked = blank(&mut text[inside.clone()]);
            if !body.blanked {
                text[inside.clone()].copy_from_slice(&source.as_bytes()[inside]);
            }
        }
    }
    let text = String::from_utf8(text).map_err(|_| ScanError::Unscannable)?;
    Ok(Slim { text, bodies })
}

fn push(
    stack: &mut Vec<(u8, Option<ItemHead>)>,
    open: u8,
    at: usize,
    items: Option<ItemHead>,
) -> Result<(), ScanError> {
    stack.push((open, items));
    if stack.len() >= MAX_NESTING {
        return Err(ScanError::TooDeep(at));
    }
    Ok(())
}

fn pop(stack: &mut Vec<(u8, Option<ItemHead>)>, close: u8) -> Result<(), ScanError> {
    match stack.pop() {
        Some((open, _)) if closes(open) == close => Ok(()),
        _ => Err(ScanError::Unscannable),
    }
}

fn closes(open: u8) -> u8 {
    match open {
        b'{' => b'}',
        b'(' => b')',
        _ => b']',
    }
}

/// Why the brackets of a text do not balance.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unbalanced {
    /// The bracket at `open` is never closed: a different closing bracket
    /// comes first (at `wrong`), or the text ends (`None`).
    Unclosed { open: usize, wrong: Option<usize> },
    /// The closing bracket at `close` closes nothing.
    Unopened { close: usize },
}

/// Where the brackets of a text first fail to balance, skipping comments
/// and literals: the lexer reports the place it gave up (a closing bracket
/// far below, the end of the file), while the cause is the bracket left
/// open. `None` when they balance or a literal or comment is unterminated.
pub(crate) fn unbalanced(source: &str) -> Option<Unbalanced> {
    let mut tokens = Tokens::new(source);
    let mut open: Vec<(u8, usize)> = Vec::new();
    loop {
        match tokens.next().ok()? {
            Some(Token::Open(bracket, at)) => open.push((bracket, at)),
            Some(Token::Close(close)) => {
                let at = tokens.at - 1;
                match open.pop() {
                    Some((bracket, _)) if closes(bracket) == close => {}
                    Some((_, start)) => {
                        return Some(Unbalanced::Unclosed {
                            open: start,
                            wrong: Some(at),
                        })
                    }
                    None => return Some(Unbalanced::Unopened { close: at }),
                }
            }
            Some(_) => {}
            None => {
                return open.pop().map(|(_, start)| Unbalanced::Unclosed {
                    open: start,
                    wrong: None,
                })
            }
        }
    }
}

/// Replaces the characters of `bytes` with whitespace of the same length
/// and width, keeping line breaks. False if a character has no such
/// whitespace (four-byte characters); `bytes` is then partly blank.
fn blank(bytes: &mut [u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => i += 1,
            0..=0x7f => {
                bytes[i] = b' ';
                i += 1;
            }
            // U+0085 NEXT LINE: whitespace to the lexer, one character,
            // and no line break to it.
            0xc0..=0xdf if i + 1 < bytes.len() => {
                bytes[i..i + 2].copy_from_slice("\u{85}".as_bytes());
                i += 2;
            }
            // U+200E LEFT-TO-RIGHT MARK, which Rust counts as whitespace.
            0xe0..=0xef if i + 2 < bytes.len() => {
                bytes[i..i + 3].copy_from_slice("\u{200e}".as_bytes());
                i += 3;
            }
            _ => return false,
        }
    }
    true
}

/// What the current item is, from the tokens seen since the last `;` or
/// `{..}` at its level.
#[derive(Clone, Copy, Default)]
struct ItemHead {
    /// The last token was the keyword `fn`.
    after_fn: bool,
    /// `fn name`: a function (not the type `fn(u8)`).
    is_fn: bool,
    /// `mod`, `impl` or `trait`: a body holding items.
    is_container: bool,
    /// Open `<` of generics: a `{` inside is a const argument.
    angles: usize,
}

impl ItemHead {
    fn ident(&mut self, word: &str) {
        self.is_fn |= self.after_fn;
        self.after_fn = word == "fn";
        self.is_container |= matches!(word, "mod" | "impl" | "trait");
    }

    fn lt(&mut self) {
        self.after_fn = false;
        self.angles += 1;
    }

    fn gt(&mut self) {
        self.after_fn = false;
        self.angles = self.angles.saturating_sub(1);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(Range<usize>),
    /// `{`, `(` or `[`, and its offset.
    Open(u8, usize),
    Close(u8),
    Semi,
    Lt,
    /// `>`, not the one of `->` or `=>`.
    Gt,
    /// Any other mark or literal.
    Other,
}

/// The tokens of a text as far as the scan needs them, skipping whitespace,
/// comments and the insides of literals.
struct Tokens<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// The offset of the third character of each doc comment.
    docs: Vec<usize>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            bytes: text.as_bytes(),
            at: 0,
            docs: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn next(&mut self) -> Result<Option<Token>, ScanError> {
        loop {
            let Some(byte) = self.peek(0) else {
                return Ok(None);
            };
            let token = match byte {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                    self.at += 1;
                    continue;
                }
                b'/' if self.peek(1) == Some(b'/') => {
                    let doc = match self.peek(2) {
                        Some(b'/') => self.peek(3) != Some(b'/'),
                        Some(b'!') => true,
                        _ => false,
                    };
                    if doc {
                        self.docs.push(self.at + 2);
                    }
                    self.at = line_end(self.bytes, self.at);
                    continue;
                }
                b'/' if self.peek(1) == Some(b'*') => {
                    let doc = match self.peek(2) {
                        Some(b'*') => !matches!(self.peek(3), Some(b'*' | b'/')),
                        Some(b'!') => true,
                        _ => false,
                    };
                    if doc {
                        self.docs.push(self.at + 2);
                    }
                    self.at =
                        block_comment_end(self.bytes, self.at).ok_or(ScanError::Unscannable)?;
                    continue;
                }
                b'"' => {
                    self.at = string_end(self.bytes, self.at + 1).ok_or(ScanError::Unscannable)?;
                    self.suffix();
                    Token::Other
                }
                b'\'' => {
                    let end = quote_end(self.text, self.at);
                    if end > self.at + 1 {
                        self.at = end;
                        self.suffix();
                    } else {
                        // A lifetime or label: its name comes next.
                        self.at = end;
                    }
                    Token::Other
                }
                b'0'..=b'9' => {
                    self.suffix();
                    Token::Other
                }
                b'{' | b'(' | b'[' => {
                    self.at += 1;
                    Token::Open(byte, self.at - 1)
                }
                b'}' | b')' | b']' => {
                    self.at += 1;
                    Token::Close(byte)
                }
                b';' => {
                    self.at += 1;
                    Token::Semi
                }
                b'<' => {
                    self.at += 1;
                    Token::Lt
                }
                b'>' => {
                    self.at += 1;
                    Token::Gt
                }
                b'-' | b'=' if self.peek(1) == Some(b'>') => {
                    self.at += 2;
                    Token::Other
                }
                b if is_ident_byte(b) => {
                    if b >= 0x80 {
                        let c = self.text[self.at..].chars().next().unwrap_or(' ');
                        if is_whitespace(c) {
                            self.at += c.len_utf8();
                            continue;
                        }
                    }
                    self.word()?
                }
                _ => {
                    self.at += 1;
                    Token::Other
                }
            };
            return Ok(Some(token));
        }
    }

    /// An identifier or keyword, or a literal with a prefix (`b"..."`,
    /// `r#"..."#`, `b'x'`).
    fn word(&mut self) -> Result<Token, ScanError> {
        let start = self.at;
        self.suffix();
        let word = &self.bytes[start..self.at];
        match (word, self.peek(0)) {
            (b"r" | b"br" | b"cr", Some(b'#' | b'"')) => {
                if let Some(end) = raw_string_end(self.bytes, self.at) {
                    self.at = end.ok_or(ScanError::Unscannable)?;
                    self.suffix();
                    return Ok(Token::Other);
                }
                if word == b"r" && self.peek(1).is_some_and(is_ident_byte) {
                    // `r#type`: a raw identifier, no keyword.
                    self.at += 1;
                    self.suffix();
                }
            }
            (b"b" | b"c", Some(b'"')) => {
                self.at = string_end(self.bytes, self.at + 1).ok_or(ScanError::Unscannable)?;
                self.suffix();
                return Ok(Token::Other);
            }
            (b"b", Some(b'\'')) => {
                self.at = quote_end(self.text, self.at);
                self.suffix();
                return Ok(Token::Other);
            }
            _ => {}
        }
        Ok(Token::Ident(start..self.at))
    }

    /// Skips identifier characters: the rest of a word, a number, or a
    /// literal's suffix.
    fn suffix(&mut self) {
        while self.peek(0).is_some_and(is_ident_byte) {
            self.at += 1;
        }
    }

    /// Skips a function body whose `{` was just read, at bracket depth
    /// `depth`. Returns the offset past its `}` and whether it declares
    /// items of its own.
    fn body(&mut self, depth: usize) -> Result<(usize, bool), ScanError> {
        let mut open = vec![b'{'];
        let mut declares_items = false;
        let mut after_fn = false;
        while let Some(token) = self.next()? {
            let was_after_fn = std::mem::take(&mut after_fn);
            match token {
                Token::Ident(word) => {
                    let word = &self.text[word];
                    declares_items |= was_after_fn || matches!(word, "impl" | "trait" | "mod");
                    after_fn = word == "fn";
                }
                Token::Open(byte, at) => {
                    open.push(byte);
                    if depth + open.len() > MAX_NESTING {
                        return Err(ScanError::TooDeep(at));
                    }
                }
                Token::Close(byte) => match open.pop() {
                    Some(byte_open) if closes(byte_open) == byte => {
                        if open.is_empty() {
                            return Ok((self.at, declares_items));
                        }
                    }
                    _ => return Err(ScanError::Unscannable),
                },
                _ => {}
            }
        }
        Err(ScanError::Unscannable)
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Whitespace as Rust's lexer has it.
fn is_whitespace(c: char) -> bool {
    c.is_whitespace() || c == '\u{200e}' || c == '\u{200f}'
}

/// The end of the line a `//` comment at `at` is on (the `\n`, or the end
/// of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |n| at + n)
}

/// Just past the `*/` closing the (possibly nested) comment at `at`.
fn block_comment_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    while at + 1 < bytes.len() {
        match (bytes[at], bytes[at + 1]) {
            (b'/', b'*') => {
                depth += 1;
                at += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Just past the closing quote of a string whose text starts at `at`.
fn string_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// `r#"…"#` from just past the `r`: `None` if this is no raw string (a raw
/// identifier such as `r#type`), `Some(None)` if it is not closed.
fn raw_string_end(bytes: &[u8], start: usize) -> Option<Option<usize>> {
    let mut at = start;
    while bytes.get(at) == Some(&b'#') {
        at += 1;
    }
    let hashes = at - start;
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    at += 1;
    while at < bytes.len() {
        if bytes[at] == b'"'
            && bytes.len() >= at + 1 + hashes
            && bytes[at + 1..at + 1 + hashes].iter().all(|b| *b == b'#')
        {
            return Some(Some(at + 1 + hashes));
        }
        at += 1;
    }
    Some(None)
}

/// From the quote at `at`: just past a char literal (`'a'`, `'\n'`, `'é'`),
/// or just past the quote of a lifetime or label (`'a`).
fn quote_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(at + 1) == Some(&b'\\') {
        let mut end = at + 3;
        while end < bytes.len() && bytes[end] != b'\'' && bytes[end] != b'\n' {
            end += 1;
        }
        return (end + 1).min(bytes.len());
    }
    match text.get(at + 1..).and_then(|rest| rest.chars().next()) {
        Some(c) if bytes.get(at + 1 + c.len_utf8()) == Some(&b'\'') => at + 2 + c.len_utf8(),
        _ => at + 1,
    }
}

/// Calls `ident` with every identifier and keyword of `text` (a function
/// body), as the lexer would find them: none from comments or literals.
/// Falls back to every word-like run of the text if the scan cannot follow
/// it, a superset of the identifiers.
pub(crate) fn for_each_ident(text: &str, mut ident: impl FnMut(&str)) {
    let mut tokens = Tokens::new(text);
    let mut found = Vec::new();
    loop {
        match tokens.next() {
            Ok(Some(Token::Ident(range))) => found.push(range),
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                for_each_word(text, |word, _| ident(word));
                return;
            }
        }
    }
    for range in found {
        ident(&text[range]);
    }
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

/// A comment of Rust source: its byte range, from the `//` to the end of
/// the line (without the line break), or from the `/*` to just past the
/// closing `*/` (the end of the text when there is none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// A `/* */` comment.
    pub block: bool,
}

/// The comments of Rust source, skipping literals as the lexer does:
/// `"// no"` is a string. A block comment nested in another is part of it.
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                let end = line_end(bytes, at);
                let end = if end > at && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                out.push(Comment {
                    start: at,
                    end,
                    block: false,
                });
                at = end;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, at).unwrap_or(bytes.len());
                out.push(Comment {
                    start: at,
                    end,
                    block: true,
                });
                at = end;
            }
            b'"' => at = string_end(bytes, at + 1).unwrap_or(bytes.len()),
            b'\'' => at = quote_end(text, at),
            b if is_ident_byte(b) => {
                let start = at;
                while at < bytes.len() && is_ident_byte(bytes[at]) {
                    at += 1;
                }
                if matches!(&bytes[start..at], b"r" | b"br" | b"cr") {
                    if let Some(end) = raw_string_end(bytes, at) {
                        at = end.unwrap_or(bytes.len());
                    }
                }
            }
            _ => at += 1,
        }
    }
    out
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

    fn comment_texts(text: &str) -> Vec<&str> {
        comments(text)
            .into_iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn unbalanced_brackets_point_at_the_cause() {
        let unclosed = "fn a() {\n    let x = (1;\n}\nfn b() {}\n";
        assert_eq!(
            unbalanced(unclosed),
            Some(Unbalanced::Unclosed {
                open: 21,
                wrong: Some(25)
            })
        );
        assert_eq!(
            unbalanced("fn a() {\n    x();\n\nfn b() { \"}\" }\n"),
            Some(Unbalanced::Unclosed {
                open: 7,
                wrong: None
            })
        );
        assert_eq!(
            unbalanced("fn a() {}\n}\n"),
            Some(Unbalanced::Unopened { close: 10 })
        );
        assert_eq!(unbalanced("fn a() { /* } */ }"), None);
        assert_eq!(unbalanced("fn a() { \"open }"), None);
    }

    #[test]
    fn comments_inside_literals_are_not_comments() {
        let text = r####"let a = "// no"; let b = r#"x " // no"#; let c = '"'; // yes
/* // no /* nested */ // no */ let d: &'static str = "\"// no"; // also
let e = b'/'; let r#f = 1; // last /* open"####;
        assert_eq!(
            comment_texts(text),
            vec![
                "// yes",
                "/* // no /* nested */ // no */",
                "// also",
                "// last /* open"
            ]
        );
        assert_eq!(comment_texts("x /* open"), vec!["/* open"]);
    }

    /// The bodies found, as text, with `+` for a blanked one.
    fn bodies(source: &str) -> Vec<String> {
        let slim = slim(source).unwrap();
        assert_eq!(slim.text.len(), source.len());
        slim.bodies
            .iter()
            .map(|b| {
                let mark = if b.blanked { "+" } else { "" };
                format!("{mark}{}", &source[b.bytes.clone()])
            })
            .collect()
    }

    #[test]
    fn function_bodies_at_item_level_are_found() {
        let source = "fn a() { x(); }\n\
                      fn b() { fn inner() {} }\n\
                      type F = fn(u8);\n\
                      impl<T: X<{ 1 }>> S { fn c(&self) -> [u8; 2] { y() } }\n\
                      mod m { fn d() -> V<{ N }> where T: Fn() -> u8 { z() } }\n\
                      trait T { fn e() { w() } fn f(); }\n\
                      struct S { f: fn() }\n\
                      m! { fn g() { v() } }\n\
                      const C: () = { fn h() {} };\n\
                      fn i() { let s = \"}\"; let c = '}'; /* } */ }\n";
        assert_eq!(
            bodies(source),
            [
                "+{ x(); }",
                "{ fn inner() {} }",
                "+{ y() }",
                "+{ z() }",
                "+{ w() }",
                "+{ let s = \"}\"; let c = '}'; /* } */ }",
            ]
        );
    }

    #[test]
    fn the_slim_text_keeps_lines_and_columns() {
        let source =
            "/// doc é\nfn a() {\n    \"é中\"; // ü\n}\nfn b() { '😀' } //! x\n/** d */ struct S;";
        let slim = slim(source).unwrap();
        let lines: Vec<&str> = slim.text.lines().collect();
        assert_eq!(lines[0], "//  doc é");
        assert_eq!(lines[1], "fn a() {");
        assert!(lines[2].chars().all(super::is_whitespace), "{:?}", lines[2]);
        assert_eq!(lines[3], "}");
        // The body with a four-byte character is kept.
        assert_eq!(lines[4], "fn b() { '😀' } //  x");
        assert_eq!(lines[5], "/*  d */ struct S;");
        assert!(slim.bodies[0].blanked && !slim.bodies[1].blanked);
        for (a, b) in source.lines().zip(slim.text.lines()) {
            assert_eq!(a.len(), b.len(), "{a:?} {b:?}");
            assert_eq!(a.chars().count(), b.chars().count(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn identifiers_come_from_code_not_from_comments_or_literals() {
        let mut words = Vec::new();
        for_each_ident(
            "{ let r#type = db.conn_2(0xff, 1u8, 'c', 'a); // Connection\n \"Pool\" /* Client */ }",
            |w| words.push(w.to_string()),
        );
        assert_eq!(words, ["let", "r#type", "db", "conn_2", "a"]);
    }

    #[test]
    fn unbalanced_or_unterminated_text_is_not_scanned() {
        for source in [
            "fn a() { (",
            "fn a() { \"x }",
            "fn a() {} }",
            "/* x",
            "fn a() { ) }",
        ] {
            assert_eq!(slim(source).err(), Some(ScanError::Unscannable), "{source}");
        }
        let deep = format!("fn a() {{ {} }}", "(".repeat(MAX_NESTING));
        assert!(matches!(slim(&deep), Err(ScanError::TooDeep(_))));
        // The limit is the lexer's: a group at depth MAX_NESTING is too deep,
        // a function body too.
        let mods = |n: usize| format!("{}fn f() {{}}{}", "mod m { ".repeat(n), "}".repeat(n));
        assert!(slim(&mods(MAX_NESTING - 2)).is_ok());
        assert!(matches!(
            slim(&mods(MAX_NESTING - 1)),
            Err(ScanError::TooDeep(_))
        ));
    }
}
