//! What attributes and web-framework names say about a function, before
//! any body is read: test-only code (`#[test]`, `#[cfg(test)]`) and
//! request handlers (route attributes, extractor and service traits).

/// The web frameworks whose router registrations [`registrations`] reads.
pub const FRAMEWORKS: [&str; 3] = ["axum", "actix_web", "warp"];

/// Whether methods of an impl of `trait_path` run per request: axum
/// extractors, actix actors' message handlers, and tonic services (whose
/// traits live in `*_server` modules).
/// `imported` lists the crates the file imports: with several glob imports
/// (`use actix::prelude::*; use crate::api::*;`) a trait's path may not
/// resolve to its crate.
pub fn is_request_trait(
    trait_path: &[String],
    impl_attrs: &[syn::Attribute],
    imported: &[String],
) -> bool {
    let last = trait_path.last().map(String::as_str).unwrap_or("");
    if matches!(
        last,
        "FromRequest" | "FromRequestParts" | "OptionalFromRequestParts" | "FromRequestPartsWith"
    ) {
        return true;
    }
    // An actix actor's `Handler<M>` / `StreamHandler<I>` runs once per
    // message (websocket frames, chat messages, commands).
    let actix = |c: &String| c == "actix" || c == "actix_web_actors";
    if matches!(last, "Handler" | "StreamHandler")
        && (trait_path.first().is_some_and(actix) || imported.iter().any(actix))
    {
        return true;
    }
    let async_trait = impl_attrs.iter().any(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "async_trait")
    });
    async_trait && trait_path.iter().any(|s| s.ends_with("_server"))
}

/// Whether a function's own attributes make it a request handler.
pub fn has_route_attribute(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let Some(last) = attr.path().segments.last() else {
            return false;
        };
        let name = last.ident.to_string();
        // A bare `#[get]` on a function is not a route (it has no path), and
        // the lint only trusts attributes that carry arguments.
        ROUTE_ATTRIBUTES.contains(&name.as_str()) && matches!(attr.meta, syn::Meta::List(_))
    })
}

/// axum's method routers.
pub(crate) const METHOD_ROUTERS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "any",
];

/// Route attributes of actix-web, rocket, poem and salvo.
const ROUTE_ATTRIBUTES: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "route",
    "routes", "handler",
];

/// Evaluates a `cfg` predicate with `test` and the crate's test-only
/// features off and every other option unknown (`None`), in three-valued
/// logic.
fn cfg_without_test(meta: &syn::Meta, test_features: &TestFeatures) -> Option<bool> {
    match meta {
        syn::Meta::Path(p) if p.is_ident("test") => Some(false),
        syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) if test_features.contains(&name.value()) => Some(false),
            _ => None,
        },
        syn::Meta::List(list) => {
            let args = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            let values: Vec<Option<bool>> = args
                .iter()
                .map(|arg| cfg_without_test(arg, test_features))
                .collect();
            if list.path.is_ident("all") {
                if values.contains(&Some(false)) {
                    Some(false)
                } else if values.iter().all(|v| *v == Some(true)) {
                    Some(true)
                } else {
                    None
                }
            } else if list.path.is_ident("any") {
                if values.contains(&Some(true)) {
                    Some(true)
                } else if values.iter().all(|v| *v == Some(false)) {
                    Some(false)
                } else {
                    None
                }
            } else if list.path.is_ident("not") {
                values.first().copied().flatten().map(|v| !v)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Features of a crate that only test builds turn on (see the crate input
/// of [`crate::analysis`]): code behind them is test code.
pub type TestFeatures = std::collections::HashSet<String>;

/// Whether attributes mark an item as test-only (`#[test]`,
/// `#[tokio::test]`, or a `#[cfg(..)]` that is false whenever `test` and
/// the crate's test-only features are).
pub fn is_test_attrs(attrs: &[syn::Attribute], test_features: &TestFeatures) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        if path.is_ident("cfg") {
            if let Ok(meta) = attr.parse_args::<syn::Meta>() {
                return cfg_without_test(&meta, test_features) == Some(false);
            }
        }
        false
    })
}

/// Names of modules that exist to support tests (`test_utils`,
/// `test_helpers`…). Such a module is test code even when it is not gated
/// on `cfg(test)`: crates keep it ungated so that other crates' tests can
/// use it (a `#[cfg(test)]` item is invisible to them), and nothing else
/// calls it. Checked on the application corpus: of its 22 modules so
/// named, 18 are gated on `test` or a test feature, and all 4 ungated ones
/// hold mocks and fixtures that other crates' tests import (the bug
/// corpus has none).
///
/// `testing` is not among them: a library's `testing` module is often what
/// it ships for its users' tests, maintained as product code (sqlx's
/// `testing`, behind its `migrate` feature, sets up and cleans up the
/// databases of `#[sqlx::test]` and holds two true findings of the
/// library corpus).
pub fn is_test_support_module(name: &str) -> bool {
    matches!(
        name,
        "test_utils" | "test_util" | "test_helpers" | "test_support" | "testutil" | "testutils"
    )
}

/// Whether a module is test code: test-only attributes, or a name that
/// says it supports tests ([`is_test_support_module`]).
pub fn is_test_module(m: &syn::ItemMod, test_features: &TestFeatures) -> bool {
    is_test_attrs(&m.attrs, test_features) || is_test_support_module(&m.ident.to_string())
}

/// The line ranges of a file's test code: items under `#[cfg(test)]` or
/// marked `#[test]`. `None` when the file does not parse. Parsing recurses
/// once per nesting level: call it on a thread with
/// [`STACK_SIZE`](crate::STACK_SIZE) bytes of stack.
pub fn test_code_lines(text: &str) -> Option<Vec<(usize, usize)>> {
    let file =
        crate::syntax::source::ParsedFile::parse(0, text.to_string(), Vec::new(), false).ok()?;
    let mut ranges = Vec::new();
    test_items(&file, &file.ast.items, &mut ranges);
    Some(ranges)
}

fn test_items(
    file: &crate::syntax::source::ParsedFile,
    items: &[syn::Item],
    out: &mut Vec<(usize, usize)>,
) {
    for item in items {
        let none = TestFeatures::new();
        let (test, inner): (bool, &[syn::Item]) = match item {
            syn::Item::Fn(f) => (is_test_attrs(&f.attrs, &none), &[]),
            syn::Item::Impl(i) => (is_test_attrs(&i.attrs, &none), &[]),
            syn::Item::Mod(m) => (
                is_test_module(m, &none),
                m.content.as_ref().map_or(&[], |(_, items)| items),
            ),
            _ => continue,
        };
        if test {
            let range = file.range(syn::spanned::Spanned::span(item));
            out.push((range.start.line, range.end.line));
        } else {
            test_items(file, inner, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_test_attrs, TestFeatures};

    fn test_only(attr: &str) -> bool {
        test_only_with(attr, &[])
    }

    fn test_only_with(attr: &str, features: &[&str]) -> bool {
        let item: syn::ItemMod = syn::parse_str(&format!("{attr} mod m {{}}")).unwrap();
        let features: TestFeatures = features.iter().map(|f| f.to_string()).collect();
        is_test_attrs(&item.attrs, &features)
    }

    #[test]
    fn cfg_predicates() {
        assert!(test_only("#[cfg(test)]"));
        assert!(test_only("#[cfg(all(test, not(miri)))]"));
        assert!(test_only("#[cfg(all(test, feature = \"x\"))]"));
        assert!(!test_only("#[cfg(not(test))]"));
        assert!(!test_only("#[cfg(any(test, feature = \"testing\"))]"));
        assert!(!test_only("#[cfg(feature = \"test\")]"));
        assert!(test_only("#[tokio::test]"));
    }

    #[test]
    fn test_only_features_count_as_test() {
        let features = ["test-utils"];
        assert!(test_only_with(
            "#[cfg(feature = \"test-utils\")]",
            &features
        ));
        assert!(test_only_with(
            "#[cfg(any(test, feature = \"test-utils\"))]",
            &features
        ));
        assert!(!test_only_with(
            "#[cfg(any(test, feature = \"serde\"))]",
            &features
        ));
        assert!(!test_only_with(
            "#[cfg(not(feature = \"test-utils\"))]",
            &features
        ));
        assert!(!test_only("#[cfg(feature = \"test-utils\")]"));
    }
}
