//! Which functions run once per HTTP request: axum handlers passed to
//! `get(..)`/`post(..)`/… in any router of the crate, axum extractors
//! (`FromRequest`, `FromRequestParts`), actix-web and rocket route
//! attributes, actix's `web::get().to(handler)`, warp filters' `map`/
//! `and_then`/`then`, and tonic service trait impls.

use syn::Expr;

use crate::function::context::FnContext;
use crate::names::attrs::FRAMEWORKS;
use crate::names::attrs::METHOD_ROUTERS;
use crate::names::resolve::PathBuf;
use crate::syntax::expr::strip_parens;

/// Functions this body registers as handlers with a router.
pub fn registrations(cx: &FnContext<'_>) -> Vec<PathBuf> {
    let imports = cx.resolver.imported_crates();
    let [axum, actix, warp] = FRAMEWORKS.map(|name| imports.iter().any(|c| c == name));
    let mut out = Vec::new();
    cx.for_each_expr(&mut |expr| match expr {
        Expr::Call(call) => {
            let Expr::Path(func) = strip_parens(&call.func) else {
                return;
            };
            let path = cx.resolver.resolve_path(&func.path, cx.self_type.as_ref());
            let name = path.last().map(String::as_str).unwrap_or("");
            let axum_router =
                path.first().is_some_and(|c| c == "axum") || (axum && path.len() == 1);
            if axum_router && METHOD_ROUTERS.contains(&name) && call.args.len() == 1 {
                out.extend(handler_path(cx, &call.args[0]));
            }
        }
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            let chained_router =
                axum && METHOD_ROUTERS.contains(&name.as_str()) && is_router_chain(&m.receiver);
            let actix_to = actix && (name == "to" || name == "service");
            let warp_filter =
                warp && matches!(name.as_str(), "map" | "and_then" | "then" | "untuple_one");
            if (chained_router || actix_to || warp_filter) && m.args.len() == 1 {
                out.extend(handler_path(cx, &m.args[0]));
            }
        }
        _ => {}
    });
    out
}

/// Whether a call registers a handler written inline as a closure:
/// axum's `get(|| async { .. })` (also chained, `get(a).post(|| ..)`) and
/// actix-web's `web::get().to(|| async { .. })`. The closure runs once per
/// request.
pub fn is_inline_route(cx: &FnContext<'_>, expr: &Expr) -> bool {
    let has_closure = |args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>| {
        args.iter()
            .any(|a| matches!(strip_parens(a), Expr::Closure(_)))
    };
    let imports = |framework: &str| cx.resolver.imported_crates().iter().any(|c| c == framework);
    match expr {
        Expr::Call(call) => {
            let Expr::Path(func) = strip_parens(&call.func) else {
                return false;
            };
            let Some(last) = func.path.segments.last() else {
                return false;
            };
            if call.args.len() != 1
                || !METHOD_ROUTERS.contains(&last.ident.to_string().as_str())
                || !has_closure(&call.args)
            {
                return false;
            }
            let path = cx.resolver.resolve_path(&func.path, cx.self_type.as_ref());
            path.first().is_some_and(|c| c == "axum") || (path.len() == 1 && imports("axum"))
        }
        Expr::MethodCall(m) => {
            if m.args.len() != 1 || !has_closure(&m.args) {
                return false;
            }
            let name = m.method.to_string();
            (METHOD_ROUTERS.contains(&name.as_str())
                && is_router_chain(&m.receiver)
                && imports("axum"))
                || (name == "to" && imports("actix_web"))
        }
        _ => false,
    }
}

/// `get(a).post(b)`: the receiver is itself a method router.
fn is_router_chain(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Call(c) => match strip_parens(&c.func) {
            Expr::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| METHOD_ROUTERS.contains(&s.ident.to_string().as_str())),
            _ => false,
        },
        Expr::MethodCall(m) => {
            METHOD_ROUTERS.contains(&m.method.to_string().as_str()) && is_router_chain(&m.receiver)
        }
        _ => false,
    }
}

fn handler_path(cx: &FnContext<'_>, arg: &Expr) -> Option<PathBuf> {
    let Expr::Path(p) = strip_parens(arg) else {
        return None;
    };
    if cx.binding_of(strip_parens(arg)).is_some() {
        return None;
    }
    let path = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
    cx.index.function(&path).map(|decl| decl.key.clone())
}

/// Whether a closure is a warp filter body (`warp::path(..).map(|..| ..)`):
/// it runs once per request.
pub fn is_warp_closure(cx: &FnContext<'_>, receiver: &Expr, method: &str) -> bool {
    if !matches!(method, "map" | "and_then" | "then") {
        return false;
    }
    let mut current = strip_parens(receiver);
    loop {
        match current {
            Expr::MethodCall(m) => current = strip_parens(&m.receiver),
            Expr::Call(c) => {
                return match strip_parens(&c.func) {
                    Expr::Path(p) => {
                        let path = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
                        path.first().is_some_and(|c| c == "warp")
                    }
                    _ => false,
                }
            }
            Expr::Path(p) => {
                let path = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
                return path.first().is_some_and(|c| c == "warp");
            }
            _ => return false,
        }
    }
}
