//! Finding `connlint:` directives in comments.
//!
//! Comments are found with the analysis' comment scanner rather than a regex
//! over lines, so that `"// connlint: allow(x)"` inside a string literal or a
//! raw string is not taken for a suppression.

use connlint_rules::comments;
use connlint_rules::{Position, Range};

/// One `// connlint:` or `/* connlint: */` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub file_wide: bool,
    /// The rule names as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The comment, from `//` to the end of the line, or from `/*` to `*/`.
    pub range: Range,
    /// The lines it silences (empty for a file-wide directive): its own,
    /// and for a directive alone on its line the next line of code after it
    /// and the comments right below it.
    pub lines: Vec<usize>,
    /// Whether the line below a directive written alone on its line is
    /// blank: the code it was meant for is further down, out of its reach.
    pub blank_line_below: bool,
}

/// The directives of a file.
pub fn directives(text: &str) -> Vec<Directive> {
    // Every directive says `connlint:`; most files have none, and a search
    // for it is much cheaper than finding their comments.
    if !text.contains(super::MARKER) {
        return Vec::new();
    }
    let lines = Lines::new(text);
    let mut out = Vec::new();
    for comment in comments(text) {
        let inner = if comment.block {
            let body = &text[comment.start + 2..comment.end];
            body.strip_suffix("*/").unwrap_or(body)
        } else {
            &text[comment.start + 2..comment.end]
        };
        let Some((file_wide, rules, reason)) = parse(inner, comment.block) else {
            continue;
        };
        let range = Range {
            start: lines.position(comment.start),
            end: lines.position(comment.end),
        };
        let (first, last) = (range.start.line, range.end.line);
        let mut covered = vec![first];
        let alone = lines.before(comment.start).trim().is_empty()
            && lines.after(comment.end).trim().is_empty();
        let mut blank_line_below = false;
        if alone {
            // A directive written above the code it is about may sit in a
            // block of comments; it covers the first line after the block.
            let mut next = last + 1;
            while next <= lines.count() && lines.is_comment_only(next) {
                next += 1;
            }
            blank_line_below = next <= lines.count() && lines.text(next).trim().is_empty();
            covered.push(next);
        }
        out.push(Directive {
            file_wide,
            rules,
            reason,
            range,
            lines: if file_wide { Vec::new() } else { covered },
            blank_line_below: blank_line_below && !file_wide,
        });
    }
    out
}

/// Parses a comment's text without its `//` or `/* */`:
/// `connlint: allow(a, b) reason` or `connlint: allow-file(a)`. Doc
/// comments (`///`, `//!`, `/**`, `/*!`) are never directives: they
/// document code, and may show a directive as an example.
fn parse(comment: &str, block: bool) -> Option<(bool, Vec<String>, Option<String>)> {
    let doc = match block {
        false => comment.starts_with('/') || comment.starts_with('!'),
        true => {
            (comment.starts_with('*') && !comment.starts_with("*/")) || comment.starts_with('!')
        }
    };
    if doc {
        return None;
    }
    let rest = comment.trim_start().strip_prefix("connlint:")?.trim_start();
    let (file_wide, rest) = match rest.strip_prefix("allow-file(") {
        Some(rest) => (true, rest),
        None => (false, rest.strip_prefix("allow(")?),
    };
    let close = rest.find(')')?;
    let rules: Vec<String> = rest[..close]
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let reason = rest[close + 1..]
        .trim()
        .trim_start_matches([':', '-', '\u{2014}'])
        .trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    Some((file_wide, rules, reason))
}

/// Line starts of a text, for positions and line tests.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }

    fn position(&self, offset: usize) -> Position {
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        Position {
            line,
            column: self.text[start..offset].chars().count() + 1,
            offset,
        }
    }

    /// The text of a line (1-based), without its line break.
    fn text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[start..end]
    }

    /// The text of the line of `offset` before it.
    fn before(&self, offset: usize) -> &'a str {
        &self.text[self.starts[self.line_of(offset) - 1]..offset]
    }

    /// The text of the line of `offset` from it on.
    fn after(&self, offset: usize) -> &'a str {
        let line = self.line_of(offset);
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[offset.min(end)..end]
    }

    fn is_comment_only(&self, line: usize) -> bool {
        let text = self.text(line).trim_start();
        text.starts_with("//") || text.starts_with("/*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse_rules_and_reasons() {
        let text = "fn f() {\n    // connlint: allow(a, b) because\n    // more words\n    x(); // connlint: allow(c)\n}\n/// connlint: allow(d) doc\n// connlint: allow-file(e)\n";
        let found = directives(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].rules, vec!["a", "b"]);
        assert_eq!(found[0].reason.as_deref(), Some("because"));
        assert_eq!(found[0].lines, vec![2, 4]);
        assert_eq!(found[1].lines, vec![4]);
        assert_eq!(found[1].reason, None);
        assert!(found[2].file_wide);
        assert_eq!(found[1].range.start.column, 10);
    }

    #[test]
    fn block_comments_are_directives_too() {
        let text = "/* connlint: allow(a) why */\nx();\ny(); /* connlint: allow(b) */ z();\n/** connlint: allow(c) doc */\n/*! connlint: allow(d) doc */\n/* connlint: allow(e)\n   over two lines */\nw();\n";
        let found = directives(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(
            (found[0].lines.clone(), found[0].reason.as_deref()),
            (vec![1, 2], Some("why"))
        );
        assert_eq!(
            (found[1].lines.clone(), found[1].reason.as_deref()),
            (vec![3], None)
        );
        assert_eq!(found[2].lines, vec![6, 8]);
        assert_eq!(found[2].reason.as_deref(), Some("over two lines"));
    }

    #[test]
    fn a_blank_line_below_is_noticed() {
        let found = directives("// connlint: allow(a) why\n\nx();\n");
        assert_eq!(found[0].lines, vec![1, 2]);
        assert!(found[0].blank_line_below);
        assert!(!directives("// connlint: allow(a) why\nx();\n")[0].blank_line_below);
    }
}
