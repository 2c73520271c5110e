//! One walk over the code of a function body, shared by every rule and
//! fact that looks inside bodies, so each does not carry its own
//! `syn::visit` visitor with its own idea of what a body contains.
//!
//! The walk gives each expression, statement and block of the body, outer
//! ones before inner ones, with what encloses it ([`Around`]): the closures
//! and `async` blocks a `?` would leave, the loops that repeat it, the
//! method call whose argument it is, the branch arm it is in. Nested items
//! (`fn`, `impl`, `mod` inside the body) are never entered: they are bodies
//! of their own. Macro arguments are entered only when the walk is given
//! the file's [`MacroArena`], which holds them parsed as expressions.

use syn::{Block, Expr, Stmt};

use crate::syntax::macros::MacroArena;

/// A piece of the body the walk reaches.
#[derive(Clone, Copy)]
pub enum Node<'a> {
    Expr(&'a Expr),
    Stmt(&'a Stmt),
    Block(&'a Block),
}

/// What encloses a node, as one entry of the stack the walk hands over
/// (outermost first).
#[derive(Clone, Copy)]
pub enum Around<'a> {
    /// The body of a closure or an `async` block: what `?` and `return`
    /// leave, and code that may run later, elsewhere or never.
    Frame(&'a Expr),
    /// The part of a loop that repeats: a `for` body (not its iterator), a
    /// `while` condition and body, a `loop` body.
    Loop(&'a Expr),
    /// An argument of a method call, with that call (a closure given to
    /// `map` or `for_each` runs once per element).
    Arg(&'a Expr, &'a syn::ExprMethodCall),
    /// One arm of an `if` (0: then, 1: else) or of a `match` (its index,
    /// guard included). The condition and the scrutinee belong to no arm.
    Arm(&'a Expr, usize),
}

/// How far a walk reaches.
#[derive(Clone, Copy, Default)]
pub struct Walk<'a> {
    macros: Option<&'a MacroArena>,
    skip_frames: bool,
}

impl<'a> Walk<'a> {
    /// A walk that enters closures and `async` blocks but not macro
    /// arguments.
    pub fn new() -> Self {
        Walk::default()
    }

    /// Enters the arguments of the macros `arena` parsed as expressions.
    pub fn macros(self, arena: &'a MacroArena) -> Self {
        Walk {
            macros: Some(arena),
            ..self
        }
    }

    /// Leaves closures and `async` blocks out: only code that runs as part
    /// of the body itself, where `?` and `return` leave the body.
    pub fn skip_frames(self) -> Self {
        Walk {
            skip_frames: true,
            ..self
        }
    }

    pub fn block(self, block: &'a Block, f: &mut dyn FnMut(Node<'a>, &[Around<'a>])) {
        syn::visit::Visit::visit_block(&mut self.visitor(f), block);
    }

    pub fn expr(self, expr: &'a Expr, f: &mut dyn FnMut(Node<'a>, &[Around<'a>])) {
        syn::visit::Visit::visit_expr(&mut self.visitor(f), expr);
    }

    pub fn stmt(self, stmt: &'a Stmt, f: &mut dyn FnMut(Node<'a>, &[Around<'a>])) {
        syn::visit::Visit::visit_stmt(&mut self.visitor(f), stmt);
    }

    /// Every expression under `block` that `keep` accepts, in walk order.
    pub fn exprs_in(self, block: &'a Block, keep: impl Fn(&Expr) -> bool) -> Vec<&'a Expr> {
        let mut out = Vec::new();
        self.block(block, &mut |node, _| {
            if let Node::Expr(e) = node {
                if keep(e) {
                    out.push(e);
                }
            }
        });
        out
    }

    /// Every expression under `expr` (itself included) that `keep`
    /// accepts, in walk order.
    pub fn exprs_under(self, expr: &'a Expr, keep: impl Fn(&Expr) -> bool) -> Vec<&'a Expr> {
        let mut out = Vec::new();
        self.expr(expr, &mut |node, _| {
            if let Node::Expr(e) = node {
                if keep(e) {
                    out.push(e);
                }
            }
        });
        out
    }

    /// Every statement under `block`, nested blocks included, in walk
    /// order.
    pub fn stmts_in(self, block: &'a Block) -> Vec<&'a Stmt> {
        let mut out = Vec::new();
        self.block(block, &mut |node, _| {
            if let Node::Stmt(s) = node {
                out.push(s);
            }
        });
        out
    }

    fn visitor<'f>(self, f: &'f mut dyn FnMut(Node<'a>, &[Around<'a>])) -> Visitor<'a, 'f> {
        Visitor {
            walk: self,
            around: Vec::new(),
            f,
        }
    }
}

struct Visitor<'a, 'f> {
    walk: Walk<'a>,
    around: Vec<Around<'a>>,
    f: &'f mut dyn FnMut(Node<'a>, &[Around<'a>]),
}

impl<'a> Visitor<'a, '_> {
    fn within(&mut self, around: Around<'a>, go: impl FnOnce(&mut Self)) {
        self.around.push(around);
        go(self);
        self.around.pop();
    }
}

impl<'a> syn::visit::Visit<'a> for Visitor<'a, '_> {
    fn visit_block(&mut self, block: &'a Block) {
        (self.f)(Node::Block(block), &self.around);
        syn::visit::visit_block(self, block);
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        (self.f)(Node::Stmt(stmt), &self.around);
        syn::visit::visit_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.walk.skip_frames && matches!(expr, Expr::Closure(_) | Expr::Async(_)) {
            return;
        }
        (self.f)(Node::Expr(expr), &self.around);
        match expr {
            Expr::Closure(c) => self.within(Around::Frame(expr), |v| v.visit_expr(&c.body)),
            Expr::Async(a) => self.within(Around::Frame(expr), |v| v.visit_block(&a.block)),
            Expr::ForLoop(f) => {
                self.visit_pat(&f.pat);
                self.visit_expr(&f.expr);
                self.within(Around::Loop(expr), |v| v.visit_block(&f.body));
            }
            Expr::While(_) | Expr::Loop(_) => {
                self.within(Around::Loop(expr), |v| syn::visit::visit_expr(v, expr))
            }
            Expr::MethodCall(m) => {
                self.visit_expr(&m.receiver);
                for arg in &m.args {
                    self.within(Around::Arg(expr, m), |v| v.visit_expr(arg));
                }
            }
            Expr::If(i) => {
                self.visit_expr(&i.cond);
                self.within(Around::Arm(expr, 0), |v| v.visit_block(&i.then_branch));
                if let Some((_, other)) = &i.else_branch {
                    self.within(Around::Arm(expr, 1), |v| v.visit_expr(other));
                }
            }
            Expr::Match(m) => {
                self.visit_expr(&m.expr);
                for (n, arm) in m.arms.iter().enumerate() {
                    self.within(Around::Arm(expr, n), |v| {
                        v.visit_pat(&arm.pat);
                        if let Some((_, guard)) = &arm.guard {
                            v.visit_expr(guard);
                        }
                        v.visit_expr(&arm.body);
                    });
                }
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        if let Some(args) = self.walk.macros.and_then(|arena| arena.args(mac)) {
            for arg in args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// The innermost closure or `async` block around a node: what a `?` in it
/// returns from (`None`: the function itself).
pub fn frame<'a>(around: &[Around<'a>]) -> Option<&'a Expr> {
    around.iter().rev().find_map(|a| match a {
        Around::Frame(e) => Some(*e),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(src: &str) -> Block {
        syn::parse_str(src).expect("a block")
    }

    #[test]
    fn nested_items_are_not_entered_and_frames_are_known() {
        let block = body("{ fn inner() { a(); } let f = || b()?; c(); }");
        let mut seen = Vec::new();
        Walk::new().block(&block, &mut |node, around| {
            if let Node::Expr(Expr::Call(call)) = node {
                let name = quote::quote!(#call).to_string();
                seen.push((name, frame(around).is_some()));
            }
        });
        let names: Vec<(&str, bool)> = seen.iter().map(|(n, f)| (n.as_str(), *f)).collect();
        assert_eq!(names, [("b ()", true), ("c ()", false)]);
    }

    #[test]
    fn loops_arms_and_arguments_enclose_what_they_hold() {
        let block = body("{ for x in xs() { if ok { a(); } else { b(); } } items.map(|i| c(i)); }");
        let mut kinds = Vec::new();
        Walk::new().block(&block, &mut |node, around| {
            if let Node::Expr(Expr::Call(call)) = node {
                let name = quote::quote!(#call).to_string();
                let shape: Vec<&str> = around
                    .iter()
                    .map(|a| match a {
                        Around::Frame(_) => "frame",
                        Around::Loop(_) => "loop",
                        Around::Arg(..) => "arg",
                        Around::Arm(_, 0) => "then",
                        Around::Arm(_, _) => "else",
                    })
                    .collect();
                kinds.push(format!("{name}: {}", shape.join(" ")));
            }
        });
        assert_eq!(
            kinds,
            [
                "xs (): ",
                "a (): loop then",
                "b (): loop else",
                "c (i): arg frame"
            ]
        );
    }

    #[test]
    fn skipping_frames_leaves_closures_and_async_blocks_out() {
        let block = body("{ let f = || a(); let g = async { b() }; c(); }");
        let calls = Walk::new()
            .skip_frames()
            .exprs_in(&block, |e| matches!(e, Expr::Call(_)));
        assert_eq!(calls.len(), 1);
    }
}
