//! One catalog, nothing to forget: every rule connlint reports, analysis
//! rule or suppression check, is a `Rule` in `connlint::catalog::all()`,
//! and each has a file that declares it, a fixture folder and a
//! documentation page; each of those has its rule. The fixture and
//! documentation tests check what is in them (`fixtures.rs`, `docs.rs`).

use std::collections::BTreeSet;
use std::path::Path;

use connlint::catalog;
use connlint_rules::RULES;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names in a folder whose name ends with `suffix`, without it;
/// `skip` names files that are no rule's.
fn names_in(dir: &str, suffix: &str, skip: &[&str]) -> BTreeSet<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| !skip.contains(&name.as_str()))
        .filter_map(|name| name.strip_suffix(suffix).map(str::to_string))
        .collect()
}

fn kebab(names: BTreeSet<String>) -> BTreeSet<String> {
    names.into_iter().map(|n| n.replace('_', "-")).collect()
}

#[test]
fn every_rule_has_its_file_fixtures_and_page_and_each_of_those_its_rule() {
    let rules: BTreeSet<String> = catalog::all().map(|r| r.name.to_string()).collect();
    assert_eq!(
        rules.len(),
        catalog::all().count(),
        "two rules have one name"
    );
    let mut problems = Vec::new();
    let mut compare = |what: &str, found: BTreeSet<String>, of: &BTreeSet<String>| {
        for missing in of.difference(&found) {
            problems.push(format!("{missing}: no {what}"));
        }
        for extra in found.difference(of) {
            problems.push(format!(
                "{what} `{extra}` belongs to no rule in the catalog"
            ));
        }
    };

    let analysis: BTreeSet<String> = RULES.iter().map(|r| r.name.to_string()).collect();
    let checks: BTreeSet<String> = rules.difference(&analysis).cloned().collect();
    compare(
        "rule file in rules/src/rules/",
        kebab(names_in("rules/src/rules", ".rs", &["mod.rs"])),
        &analysis,
    );
    compare(
        "check file in lint/src/suppress/checks/",
        kebab(names_in("lint/src/suppress/checks", ".rs", &["mod.rs"])),
        &checks,
    );
    compare(
        "fixture folder in testdata/rules/",
        names_in("testdata/rules", "", &[]),
        &rules,
    );
    compare(
        "page in docs/rules/",
        names_in("docs/rules", ".md", &["README.md"]),
        &rules,
    );
    // The file of each rule is the one that declares it.
    for rule in catalog::all() {
        let file = catalog::source_file(rule);
        match std::fs::read_to_string(root().join(&file)) {
            Ok(text) if text.contains(&format!("name: \"{}\"", rule.name)) => {}
            Ok(_) => problems.push(format!("{file} does not declare {}", rule.name)),
            Err(_) => problems.push(format!("{}: {file} is missing", rule.name)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
