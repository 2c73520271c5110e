//! `--fix`: applies the machine-applicable suggestions of a report to the
//! files in place. Only edits a rule marked
//! [`Applicability::MachineApplicable`] are applied; others stay
//! suggestions for a person to review. Edits of one file that overlap are
//! not both applied: the first (by position) wins, and the other finding is
//! reported again by the next run.

use connlint_rules::{Applicability, Finding, Suggestion};

use crate::{Error, Report};

/// One applied edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedFix {
    /// The file, as reports show it.
    pub path: String,
    pub rule: &'static str,
    /// Where the edited range started, 1-based.
    pub line: usize,
    pub column: usize,
    /// What the edit does (`propagate the commit error with `?``).
    pub message: String,
}

/// What [`apply`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixSummary {
    pub applied: Vec<AppliedFix>,
    /// Files left alone because they changed on disk after they were
    /// linted, so the positions of the edits no longer hold.
    pub changed_meanwhile: Vec<String>,
}

impl FixSummary {
    /// How many files were rewritten.
    pub fn files(&self) -> usize {
        let mut paths: Vec<&str> = self.applied.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len()
    }
}

/// Applies the machine-applicable suggestions of `report` to the linted
/// files and writes them back. Files of [`crate::lint_source`], which have
/// no file on disk, are skipped.
pub fn apply(report: &Report) -> Result<FixSummary, Error> {
    let mut summary = FixSummary::default();
    for (index, file) in report.files.iter().enumerate() {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.file == index && machine_applicable(f).is_some())
            .collect();
        if findings.is_empty() || !file.path.is_file() {
            continue;
        }
        let on_disk = std::fs::read_to_string(&file.path).map_err(|source| Error::Read {
            path: file.display.clone(),
            source,
        })?;
        if on_disk != file.text {
            summary.changed_meanwhile.push(file.display.clone());
            continue;
        }
        let edits: Vec<&Suggestion> = findings
            .iter()
            .filter_map(|f| machine_applicable(f))
            .collect();
        let (text, applied) = apply_edits(&file.text, &edits);
        if applied.is_empty() {
            continue;
        }
        std::fs::write(&file.path, text).map_err(|source| Error::Write {
            path: file.display.clone(),
            source,
        })?;
        for i in applied {
            let (finding, edit) = (findings[i], edits[i]);
            summary.applied.push(AppliedFix {
                path: file.display.clone(),
                rule: finding.rule,
                line: edit.range.start.line,
                column: edit.range.start.column,
                message: edit.message.clone(),
            });
        }
    }
    Ok(summary)
}

fn machine_applicable(finding: &Finding) -> Option<&Suggestion> {
    finding
        .suggestion
        .as_ref()
        .filter(|s| s.applicability == Applicability::MachineApplicable)
}

/// Applies `edits` to `text`: edits are taken in order of position, one
/// that overlaps an earlier one or does not fall on character boundaries
/// inside the text is left out, and the rest are applied back to front so
/// that the byte offsets of the others stay valid. Returns the new text and
/// the indexes (into `edits`) of the applied edits, in position order.
pub fn apply_edits(text: &str, edits: &[&Suggestion]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|i| (edits[*i].range.start.offset, edits[*i].range.end.offset));
    let mut chosen: Vec<usize> = Vec::new();
    let mut end_of_last = 0;
    for i in order {
        let range = edits[i].range;
        let (start, end) = (range.start.offset, range.end.offset);
        let valid = start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if valid && (chosen.is_empty() || start >= end_of_last) {
            chosen.push(i);
            end_of_last = end;
        }
    }
    let mut out = text.to_string();
    for i in chosen.iter().rev() {
        let range = edits[*i].range;
        out.replace_range(range.start.offset..range.end.offset, &edits[*i].replacement);
    }
    (out, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use connlint_rules::{Position, Range};

    fn edit(start: usize, end: usize, replacement: &str) -> Suggestion {
        let at = |offset| Position {
            line: 1,
            column: offset + 1,
            offset,
        };
        Suggestion {
            message: String::new(),
            range: Range {
                start: at(start),
                end: at(end),
            },
            replacement: replacement.into(),
            applicability: Applicability::MachineApplicable,
        }
    }

    #[test]
    fn edits_apply_back_to_front_and_overlaps_are_left_out() {
        let text = "let _ = a(); let _ = b();";
        let first = edit(0, 12, "a()?;");
        let second = edit(13, 25, "b()?;");
        let overlapping = edit(8, 16, "x");
        let (out, applied) = apply_edits(text, &[&second, &overlapping, &first]);
        assert_eq!(out, "a()?; b()?;");
        assert_eq!(applied, vec![2, 0]);
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_left_out() {
        let text = "é = 1;";
        let (out, applied) = apply_edits(text, &[&edit(1, 2, "x"), &edit(3, 99, "y")]);
        assert_eq!(out, text);
        assert!(applied.is_empty());
    }
}
