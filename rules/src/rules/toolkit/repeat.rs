//! Code that runs repeatedly: loops that wait for a tick, and the iterator
//! and stream adapters whose closure runs once per element.

use syn::Expr;

/// Whether a loop body waits for a tick (`interval.tick()`, `sleep(..)`).
pub fn has_tick(body: &syn::Block) -> bool {
    struct Finder(bool);
    impl<'a> syn::visit::Visit<'a> for Finder {
        fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
            if m.method == "tick" {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
            if let Expr::Path(p) = &*c.func {
                if p.path.segments.last().is_some_and(|s| s.ident == "sleep") {
                    self.0 = true;
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_block(&mut finder, body);
    finder.0
}

/// Whether a method's closure argument runs once per element of an
/// iterator or stream. `and_then` is not among them: on an `Option` or a
/// `Result`, far more common in database code than on a stream, its
/// closure runs once.
pub fn is_per_element(method: &str) -> bool {
    matches!(
        method,
        "for_each"
            | "try_for_each"
            | "map"
            | "filter_map"
            | "flat_map"
            | "fold"
            | "try_fold"
            | "for_each_concurrent"
            | "try_for_each_concurrent"
            | "then"
            | "filter"
            | "inspect"
            | "scan"
            | "par_iter"
    )
}
