//! SARIF 2.1.0, the format code-scanning services (GitHub, GitLab, Azure)
//! read. Built from serde-sarif's types, which are generated from the
//! official schema, so a field cannot be misspelt.

use std::collections::{BTreeMap, HashMap};

use connlint_rules::{Range, Severity, Suggestion};
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent, SCHEMA_URL,
};

use super::fingerprint::Occurrences;
use connlint_rules::Rule;

use crate::catalog;
use crate::Report;

/// The key of connlint's entry in `partialFingerprints`; the suffix is
/// bumped if the fingerprint's recipe ever changes, so services do not
/// match old and new fingerprints.
pub const FINGERPRINT_KEY: &str = "connlintFingerprint/v1";

/// The base id relative URIs are resolved against: the checkout root, which
/// code scanning maps to the repository.
const SRCROOT: &str = "%SRCROOT%";

/// Renders the report as one SARIF run, pretty-printed.
pub fn render(report: &Report) -> String {
    let rules: Vec<&'static Rule> = catalog::all().collect();
    let index_of: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.name, i))
        .collect();
    let mut occurrences = Occurrences::default();
    let results: Vec<SarifResult> = report
        .iter()
        .map(|(path, f)| {
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert(FINGERPRINT_KEY.to_string(), occurrences.in_file(path, f));
            let related: Vec<Location> = f
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    Location::builder()
                        .id(i as i64)
                        .physical_location(physical(path, Some(label.range)))
                        .message(text(&label.message))
                        .build()
                })
                .collect();
            let mut result = SarifResult::builder()
                .rule_id(f.rule)
                .level(level(f.severity))
                .message(text(&format!("{}\nhelp: {}", f.message, f.help)))
                .locations(vec![Location::builder()
                    .physical_location(physical(path, Some(f.range)))
                    .build()])
                .partial_fingerprints(fingerprints)
                .build();
            result.rule_index = index_of.get(f.rule).map(|i| *i as i64);
            if !related.is_empty() {
                result.related_locations = Some(related);
            }
            if let Some(suggestion) = &f.suggestion {
                result.fixes = Some(vec![fix(path, suggestion)]);
            }
            result
        })
        .collect();
    let notifications: Vec<Notification> = report
        .errors
        .iter()
        .map(|error| {
            Notification::builder()
                .level("error")
                .message(text(&format!(
                    "cannot lint {}: {}",
                    error.path, error.message
                )))
                .locations(vec![Location::builder()
                    .physical_location(physical(&error.path, None))
                    .build()])
                .build()
        })
        .collect();
    let mut invocation = Invocation::builder()
        .execution_successful(report.files_scanned > 0 || report.errors.is_empty())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let driver = ToolComponent::builder()
        .name("connlint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(
            rules
                .iter()
                .map(|rule| descriptor(rule))
                .collect::<Vec<_>>(),
        )
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind("unicodeCodePoints")
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URL)
        .version("2.1.0")
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let documentation = rule.documentation();
    // `id` is the stable identifier tools key on; `name` the readable one,
    // which must differ from it (the SARIF validator's SARIF1001), so it is
    // the rule in PascalCase, as SARIF's own rules are named.
    ReportingDescriptor::builder()
        .id(rule.name)
        .name(pascal_case(rule.name))
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(documentation.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(documentation.clone())
                .markdown(documentation)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(level_name(rule.severity))
                .build(),
        )
        .build()
}

/// A suggested edit as a SARIF fix. SARIF has no notion of how safe a fix
/// is, so the applicability travels in the fix's property bag.
fn fix(path: &str, suggestion: &Suggestion) -> Fix {
    let replacement = Replacement::builder()
        .deleted_region(region(suggestion.range))
        .inserted_content(
            ArtifactContent::builder()
                .text(suggestion.replacement.clone())
                .build(),
        )
        .build();
    let change = ArtifactChange::builder()
        .artifact_location(artifact(path))
        .replacements(vec![replacement])
        .build();
    let mut properties = BTreeMap::new();
    properties.insert(
        "applicability".to_string(),
        serde_json::Value::String(suggestion.applicability.as_str().into()),
    );
    Fix::builder()
        .description(text(&suggestion.message))
        .artifact_changes(vec![change])
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn text(message: &str) -> Message {
    Message::builder().text(message).build()
}

fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation::builder()
            .uri(format!("file://{}", encode_path(path)))
            .build()
    } else {
        ArtifactLocation::builder()
            .uri(encode_path(path))
            .uri_base_id(SRCROOT)
            .build()
    }
}

fn region(range: Range) -> Region {
    Region::builder()
        .start_line(range.start.line as i64)
        .start_column(range.start.column as i64)
        .end_line(range.end.line as i64)
        .end_column(range.end.column as i64)
        .build()
}

fn physical(path: &str, range: Option<Range>) -> PhysicalLocation {
    let mut location = PhysicalLocation::builder()
        .artifact_location(artifact(path))
        .build();
    location.region = range.map(region);
    location
}

/// `uncommitted-transaction` -> `UncommittedTransaction`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// Percent-encodes what a URI path cannot hold literally. `:` is encoded
/// too: in a relative reference a first segment holding `:` would read as
/// a scheme (`a:b/c.rs` is scheme `a`), and readers parse even an absolute
/// `file:` path's `a:` as a drive.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(encode_path("src/a b/é.rs"), "src/a%20b/%C3%A9.rs");
        assert_eq!(encode_path("a:b/c.rs"), "a%3Ab/c.rs");
    }

    #[test]
    fn rule_names_differ_from_their_ids() {
        assert_eq!(
            pascal_case("uncommitted-transaction"),
            "UncommittedTransaction"
        );
    }
}
