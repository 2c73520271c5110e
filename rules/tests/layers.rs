//! The layers of `connlint-rules` (see the crate docs) import only
//! downward, no two modules import each other (directly or round a longer
//! circle), and no rule imports another rule.
//!
//! Imports are read as text: every `crate::a::b` path in code (comments
//! left out) is an import of module `a::b`, whether it sits in a `use` or
//! in an expression. Calling a method defined in another module's `impl`
//! block names nothing and is no import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may import its own layer and those
/// before it.
const LAYERS: &[&str] = &[
    "finding", "syntax", "names", "index", "function", "facts", "rules", "analysis",
];

/// A source file of the crate as a module path: `function/context.rs` is
/// `["function", "context"]`, `rules/mod.rs` is `["rules"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("a file under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a file without comments, doc comments and the test module
/// (`#[cfg(test)] mod tests`, which may reach anywhere).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names through `crate::` paths, as the longest
/// prefix that is a module of the crate.
fn imports(code: &str, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(found) = code[at..].find("crate::") {
        let start = at + found;
        at = start + "crate::".len();
        // `$crate::` in a macro is the same crate.
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let path: Vec<String> = code[at..]
            .split("::")
            .map(|segment| {
                segment
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|segment| !segment.is_empty())
            .collect();
        let mut longest = None;
        for len in 1..=path.len() {
            if modules.contains(&path[..len]) {
                longest = Some(path[..len].to_vec());
            }
        }
        // `crate::Finding`: a re-export of the crate root says nothing
        // about layers, and the crate does not use them itself.
        if let Some(module) = longest {
            out.insert(module);
        }
    }
    out
}

fn layer(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    LAYERS.iter().position(|layer| layer == top)
}

/// Every problem with the imports of the crate rooted at `src`.
fn problems(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files.sort();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut out = Vec::new();
    for file in &files {
        let module = module_of(src, file);
        if module.is_empty() {
            continue; // lib.rs re-exports across layers by design
        }
        let text = std::fs::read_to_string(file).expect("readable source");
        let Some(own) = layer(&module) else {
            out.push(format!("{} is in no layer", module.join("::")));
            continue;
        };
        let imported = imports(&code(&text), &modules);
        for target in &imported {
            if target == &module || module.starts_with(target) {
                continue;
            }
            match layer(target) {
                Some(theirs) if theirs > own => out.push(format!(
                    "{} ({}) imports {} ({}), a layer above it",
                    module.join("::"),
                    LAYERS[own],
                    target.join("::"),
                    LAYERS[theirs]
                )),
                None => out.push(format!(
                    "{} imports {}, in no layer",
                    module.join("::"),
                    target.join("::")
                )),
                _ => {}
            }
            let is_rule = |m: &[String]| m.len() == 2 && m[0] == "rules" && m[1] != "toolkit";
            if is_rule(target)
                && (is_rule(&module) || module.starts_with(&["rules".into(), "toolkit".into()]))
            {
                out.push(format!(
                    "{} imports the rule {}: rules share the toolkit, never each other",
                    module.join("::"),
                    target.join("::")
                ));
            }
        }
        graph.insert(module, imported);
    }
    for circle in circles(&graph) {
        out.push(format!(
            "modules import each other in a circle: {}",
            circle.join(" -> ")
        ));
    }
    out
}

/// The circles of the import graph: each strongly connected component of
/// more than one module, named by its members (Tarjan's algorithm).
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        on_stack: BTreeSet<&'g Vec<String>>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g Vec<String>) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for next in graph.get(node).into_iter().flatten() {
            // An import of an enclosing module (`crate::rules` from a rule)
            // is not an edge between files.
            let Some((next, _)) = graph.get_key_value(next) else {
                continue;
            };
            if next == node || node.starts_with(next) {
                continue;
            }
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.join("::"));
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.out
}

#[test]
fn layers_import_only_downward_without_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = problems(&src);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_an_upward_import_a_circle_and_a_rule_importing_a_rule() {
    let dir = tempfile_dir();
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "pub mod syntax;\npub mod names;\npub mod rules;\n",
    );
    write("syntax/mod.rs", "pub mod a;\npub mod b;\n");
    write(
        "syntax/a.rs",
        "use crate::names::m::X; // upward\nfn f() { crate::syntax::b::g() }\n",
    );
    write(
        "syntax/b.rs",
        "/// crate::names::m in a comment is no import\nfn g() { crate::syntax::a::f() }\n",
    );
    write("names/mod.rs", "pub mod m;\n");
    write("names/m.rs", "pub struct X;\n");
    write(
        "rules/mod.rs",
        "pub mod one;\npub mod two;\npub mod toolkit;\n",
    );
    write("rules/toolkit.rs", "use crate::names::m::X;\n");
    write(
        "rules/one.rs",
        "use crate::rules::toolkit::Y;\nuse crate::rules::two::Z;\n",
    );
    write("rules/two.rs", "pub struct Z;\n");
    let problems = problems(&dir);
    let expected = [
        "syntax::a (syntax) imports names::m (names), a layer above it",
        "rules::one imports the rule rules::two: rules share the toolkit, never each other",
        "modules import each other in a circle: syntax::a -> syntax::b",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for line in expected {
        assert!(
            problems.iter().any(|p| p == line),
            "missing {line:?} in {problems:#?}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("connlint-layers-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
