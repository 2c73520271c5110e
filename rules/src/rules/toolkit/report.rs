//! Building findings from spans inside a [`FnContext`].

use proc_macro2::Span;

use crate::finding::{normalize_source, Finding, Label, Range, Suggestion};
use crate::function::context::FnContext;
use crate::rules::Rule;

impl FnContext<'_> {
    /// A finding of `rule` at `span`, anchored for fingerprints on the
    /// flagged source text and the enclosing function.
    pub fn finding(
        &self,
        rule: &Rule,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Finding {
        let range = self.file.range(span);
        Finding {
            rule: rule.name,
            severity: rule.severity,
            file: self.file.id,
            range,
            message: message.into(),
            help: help.into(),
            labels: Vec::new(),
            item_path: self.item_path.clone(),
            anchor: normalize_source(self.file.slice(range)),
            suggestion: None,
            pattern: None,
        }
    }

    /// A label at `span`.
    pub fn label(&self, span: Span, message: impl Into<String>) -> Label {
        Label {
            range: self.file.range(span),
            message: message.into(),
        }
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> &str {
        self.file.slice(self.file.range(span))
    }

    /// The range from the start of one span to the end of another.
    pub fn range_between(&self, first: Span, last: Span) -> Range {
        self.file.range_between(first, last)
    }
}

impl Finding {
    pub(crate) fn with_label(mut self, label: Label) -> Finding {
        self.labels.push(label);
        self
    }

    /// Marks the finding as made by `pattern` of its rule.
    pub(crate) fn with_pattern(mut self, pattern: &'static str) -> Finding {
        self.pattern = Some(pattern);
        self
    }

    pub(crate) fn with_suggestion(mut self, suggestion: Suggestion) -> Finding {
        self.suggestion = Some(suggestion);
        self
    }
}
