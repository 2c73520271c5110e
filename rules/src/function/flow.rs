//! A small dataflow engine over syn function bodies: it walks expressions in
//! evaluation order, forks state at `if`/`match`, iterates loops to a fixed
//! point, and tells the analysis where bindings go out of scope and where
//! the function exits normally or with an error (`?`, `return Err(..)`,
//! panics). Rules that need path sensitivity implement [`Analysis`].

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Block, Expr, Stmt};

use crate::function::context::FnContext;
use crate::syntax::expr::addr;
use crate::syntax::expr::strip_parens;

/// A span of source, start and end, for "created inside this closure".
pub type Region = (proc_macro2::LineColumn, proc_macro2::LineColumn);

/// Removes from `state` the objects created inside `region` (they end with
/// the closure or async block that exits) and returns them with their states;
/// `created_at` gives where an object was created.
pub fn take_created_in<V: Default>(
    state: &mut std::collections::BTreeMap<usize, V>,
    region: Region,
    created_at: impl Fn(usize) -> proc_macro2::LineColumn,
) -> Vec<(usize, V)> {
    let inside: Vec<usize> = state
        .keys()
        .copied()
        .filter(|&o| {
            let start = created_at(o);
            start >= region.0 && start <= region.1
        })
        .collect();
    inside
        .into_iter()
        .map(|o| (o, state.remove(&o).unwrap_or_default()))
        .collect()
}

/// How control leaves the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `return x`, or falling off the end with a value.
    Normal,
    /// `?`, `return Err(..)`, `bail!`: responsibility for cleanup ends.
    Error,
}

/// A path-sensitive analysis run by [`run`].
pub trait Analysis<'a> {
    type State: Clone + PartialEq + std::fmt::Debug;

    /// Merges the state of another path into `into`.
    fn join(&self, into: &mut Self::State, other: &Self::State);

    /// Called after an expression's operands have been evaluated.
    fn expr(&mut self, cx: &FnContext<'a>, expr: &'a Expr, state: &mut Self::State);

    /// The bindings declared directly in `scope` (a block, arm, loop body or
    /// closure address) go out of scope at `at`. `erroring` is set when the
    /// block ends by producing an error value.
    fn scope_end(
        &mut self,
        cx: &FnContext<'a>,
        scope: usize,
        at: Span,
        erroring: bool,
        state: &mut Self::State,
    );

    /// The function exits at `at`.
    fn exit(&mut self, cx: &FnContext<'a>, exit: Exit, at: Span, state: &Self::State);

    /// Control enters the branch of `if cond` that runs when the condition
    /// is `taken`, or the arm of a `match` on `cond` whose pattern is
    /// `pattern`. Lets an analysis learn from `if x.is_err()`.
    fn branch(
        &mut self,
        _cx: &FnContext<'a>,
        _cond: &'a Expr,
        _taken: bool,
        _state: &mut Self::State,
    ) {
    }

    fn arm(
        &mut self,
        _cx: &FnContext<'a>,
        _scrutinee: &'a Expr,
        _pattern: &'a syn::Pat,
        _state: &mut Self::State,
    ) {
    }

    /// A closure or async block inside the function exits at `at` (by `?`,
    /// `return` or an error value). Values created in `region` (the closure's
    /// source) end with it; the rest live on in the function.
    fn inner_exit(
        &mut self,
        _cx: &FnContext<'a>,
        _exit: Exit,
        _at: Span,
        _region: Region,
        _state: &mut Self::State,
    ) {
    }

    /// The `else` of `let PAT = value else { .. }` runs: `value` did not
    /// match, so whatever it would have bound does not exist.
    fn unmatched(&mut self, _cx: &FnContext<'a>, _value: &'a Expr, _state: &mut Self::State) {}
}

struct LoopFrame<S> {
    label: Option<String>,
    /// A labeled block: only `break 'label` reaches it.
    is_block: bool,
    breaks: Option<S>,
    continues: Option<S>,
}

struct Engine<'c, 'a, A: Analysis<'a>> {
    cx: &'c FnContext<'a>,
    analysis: &'c mut A,
    loops: Vec<LoopFrame<A::State>>,
    /// Inside a closure or async block, exits leave that body, not the
    /// function: their states are collected here instead, with the body's
    /// region.
    closure_exits: Vec<(Option<A::State>, Region)>,
}

/// Runs `analysis` over the body of `cx` starting from `initial`.
pub fn run<'a, A: Analysis<'a>>(cx: &FnContext<'a>, analysis: &mut A, initial: A::State) {
    let mut engine = Engine {
        cx,
        analysis,
        loops: Vec::new(),
        closure_exits: Vec::new(),
    };
    let end = engine.block(cx.body, Some(initial), true);
    if let Some(state) = end {
        let at = close_span(cx.body);
        let exit = if tail_is_error(cx.body) {
            Exit::Error
        } else {
            Exit::Normal
        };
        engine.analysis.exit(cx, exit, at, &state);
    }
}

/// The span of a block's closing brace.
pub fn close_span(block: &Block) -> Span {
    block.brace_token.span.close()
}

/// Whether an expression produces an error value: `Err(..)`,
/// `Err(..).into()`, `Err(..)?`.
pub fn is_error_value(expr: &Expr) -> bool {
    match strip_parens(expr) {
        Expr::Call(c) => match strip_parens(&c.func) {
            Expr::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Err"),
            _ => false,
        },
        Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "into" | "map_err") => {
            is_error_value(&m.receiver)
        }
        Expr::Try(t) => is_error_value(&t.expr),
        Expr::Macro(m) => is_error_macro(&m.mac),
        _ => false,
    }
}

fn is_error_macro(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|s| matches!(s.ident.to_string().as_str(), "bail" | "throw"))
}

fn is_panic_macro(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "panic" | "unreachable" | "todo" | "unimplemented"
        )
    })
}

fn tail_is_error(block: &Block) -> bool {
    match block.stmts.last() {
        Some(Stmt::Expr(e, None)) => is_error_value(e),
        Some(Stmt::Macro(m)) if m.semi_token.is_none() => is_error_macro(&m.mac),
        _ => false,
    }
}

fn join_into<'a, A: Analysis<'a>>(
    analysis: &A,
    into: &mut Option<A::State>,
    other: Option<A::State>,
) {
    match (into.as_mut(), other) {
        (_, None) => {}
        (None, Some(state)) => *into = Some(state),
        (Some(current), Some(state)) => analysis.join(current, &state),
    }
}

impl<'a, A: Analysis<'a>> Engine<'_, 'a, A> {
    fn exit(&mut self, exit: Exit, at: Span, state: &A::State) {
        if let Some((slot, region)) = self.closure_exits.last_mut() {
            let region = *region;
            let mut collected = slot.take();
            let mut state = state.clone();
            self.analysis
                .inner_exit(self.cx, exit, at, region, &mut state);
            join_into(self.analysis, &mut collected, Some(state));
            self.closure_exits.last_mut().expect("checked above").0 = collected;
        } else {
            self.analysis.exit(self.cx, exit, at, state);
        }
    }

    fn block(
        &mut self,
        block: &'a Block,
        state: Option<A::State>,
        _is_body: bool,
    ) -> Option<A::State> {
        let mut state = state;
        for stmt in &block.stmts {
            state = self.stmt(stmt, state);
        }
        let mut state = state?;
        let erroring = tail_is_error(block);
        self.analysis.scope_end(
            self.cx,
            addr(block),
            close_span(block),
            erroring,
            &mut state,
        );
        Some(state)
    }

    fn stmt(&mut self, stmt: &'a Stmt, state: Option<A::State>) -> Option<A::State> {
        let state = state?;
        match stmt {
            Stmt::Local(local) => {
                let mut state = Some(state);
                if let Some(init) = &local.init {
                    state = self.expr(&init.expr, state);
                    if let Some((_, diverge)) = &init.diverge {
                        // The else branch must diverge; evaluate it for its
                        // exits and continue with the matched path.
                        let mut fallthrough = state.clone();
                        if let Some(s) = fallthrough.as_mut() {
                            self.analysis.unmatched(self.cx, &init.expr, s);
                        }
                        let _ = self.expr(diverge, fallthrough);
                    }
                }
                state
            }
            Stmt::Expr(expr, _) => self.expr(expr, Some(state)),
            Stmt::Macro(m) => self.mac(&m.mac, Some(state), stmt.span()),
            Stmt::Item(_) => Some(state),
        }
    }

    fn mac(&mut self, mac: &'a syn::Macro, state: Option<A::State>, at: Span) -> Option<A::State> {
        let mut state = state;
        if let Some(args) = self.cx.macro_args(mac) {
            for arg in args {
                state = self.expr(arg, state);
            }
        }
        if is_panic_macro(mac) {
            return None;
        }
        if is_error_macro(mac) {
            if let Some(s) = &state {
                self.exit(Exit::Error, at, &s.clone());
            }
            return None;
        }
        state
    }

    fn exprs(
        &mut self,
        exprs: impl IntoIterator<Item = &'a Expr>,
        state: Option<A::State>,
    ) -> Option<A::State> {
        let mut state = state;
        for e in exprs {
            state = self.expr(e, state);
        }
        state
    }

    fn expr(&mut self, expr: &'a Expr, state: Option<A::State>) -> Option<A::State> {
        let state = state?;
        let mut state = match expr {
            Expr::Block(b) => {
                let out = self.labeled_block(b, state)?;
                return Some(out);
            }
            Expr::Unsafe(b) => return self.block(&b.block, Some(state), false),
            Expr::Const(b) => return self.block(&b.block, Some(state), false),
            Expr::TryBlock(b) => {
                let span = crate::syntax::spans::of(expr);
                let region = (span.start(), span.end());
                return self.closure_like(region, |e, s| e.block(&b.block, s, false), state);
            }
            Expr::Async(b) => {
                let span = crate::syntax::spans::of(expr);
                let region = (span.start(), span.end());
                return self.closure_like(region, |e, s| e.block(&b.block, s, false), state);
            }
            Expr::Closure(c) => {
                let body = &c.body;
                let span = crate::syntax::spans::of(expr);
                let region = (span.start(), span.end());
                let out = self.closure_like(region, |e, s| e.expr(body, s), state.clone());
                let mut after = out.unwrap_or(state);
                self.analysis.scope_end(
                    self.cx,
                    addr(c),
                    crate::syntax::spans::of(&c.body),
                    false,
                    &mut after,
                );
                self.analysis.expr(self.cx, expr, &mut after);
                return Some(after);
            }
            Expr::If(i) => {
                let cond = self.expr(&i.cond, Some(state))?;
                let mut taken = cond.clone();
                self.analysis.branch(self.cx, &i.cond, true, &mut taken);
                let mut cond = cond;
                self.analysis.branch(self.cx, &i.cond, false, &mut cond);
                if let Expr::Let(l) = &*i.cond {
                    self.analysis.unmatched(self.cx, &l.expr, &mut cond);
                }
                let then = self.block(&i.then_branch, Some(taken), false).map(|mut s| {
                    self.analysis.scope_end(
                        self.cx,
                        addr(&i.then_branch),
                        close_span(&i.then_branch),
                        false,
                        &mut s,
                    );
                    s
                });
                let other = match &i.else_branch {
                    Some((_, e)) => self.expr(e, Some(cond)),
                    None => Some(cond),
                };
                let mut out = then;
                join_into(self.analysis, &mut out, other);
                let mut out = out?;
                self.analysis.expr(self.cx, expr, &mut out);
                return Some(out);
            }
            Expr::Match(m) => {
                let scrutinee = self.expr(&m.expr, Some(state))?;
                let mut out = None;
                for arm in &m.arms {
                    let mut start = scrutinee.clone();
                    self.analysis.arm(self.cx, &m.expr, &arm.pat, &mut start);
                    let mut s = Some(start);
                    if let Some((_, guard)) = &arm.guard {
                        s = self.expr(guard, s);
                    }
                    let mut s = self.expr(&arm.body, s);
                    if let Some(state) = s.as_mut() {
                        let erroring = is_error_value(&arm.body);
                        self.analysis.scope_end(
                            self.cx,
                            addr(arm),
                            crate::syntax::spans::of(&arm.body),
                            erroring,
                            state,
                        );
                    }
                    join_into(self.analysis, &mut out, s);
                }
                let mut out = out?;
                self.analysis.expr(self.cx, expr, &mut out);
                return Some(out);
            }
            Expr::Loop(l) => {
                let label = l.label.as_ref().map(|l| l.name.ident.to_string());
                return self.looping(label, state, |e, s| e.block(&l.body, Some(s), false), true);
            }
            Expr::While(w) => {
                let label = w.label.as_ref().map(|l| l.name.ident.to_string());
                let body = &w.body;
                let cond = &w.cond;
                return self.looping(
                    label,
                    state,
                    |e, s| {
                        let s = e.expr(cond, Some(s))?;
                        e.block(body, Some(s), false).map(|mut s| {
                            e.analysis
                                .scope_end(e.cx, addr(body), close_span(body), false, &mut s);
                            s
                        })
                    },
                    false,
                );
            }
            Expr::ForLoop(f) => {
                let start = self.expr(&f.expr, Some(state))?;
                let label = f.label.as_ref().map(|l| l.name.ident.to_string());
                let body = &f.body;
                return self.looping(
                    label,
                    start,
                    |e, s| {
                        e.block(body, Some(s), false).map(|mut s| {
                            e.analysis
                                .scope_end(e.cx, addr(body), close_span(body), false, &mut s);
                            s
                        })
                    },
                    false,
                );
            }
            Expr::Return(r) => {
                let state = match &r.expr {
                    Some(value) => self.expr(value, Some(state))?,
                    None => state,
                };
                let exit = if r.expr.as_deref().is_some_and(is_error_value) {
                    Exit::Error
                } else {
                    Exit::Normal
                };
                self.exit(exit, crate::syntax::spans::of(expr), &state);
                return None;
            }
            Expr::Try(t) => {
                let mut state = self.expr(&t.expr, Some(state))?;
                self.analysis.expr(self.cx, expr, &mut state);
                self.exit(Exit::Error, t.question_token.span, &state);
                if is_error_value(&t.expr) {
                    return None;
                }
                return Some(state);
            }
            Expr::Break(b) => {
                let state = match &b.expr {
                    Some(value) => self.expr(value, Some(state))?,
                    None => state,
                };
                let label = b.label.as_ref().map(|l| l.ident.to_string());
                if let Some(frame) = self.frame(label) {
                    let mut breaks = frame.breaks.take();
                    join_into(self.analysis, &mut breaks, Some(state));
                    if let Some(frame) = self.frame(b.label.as_ref().map(|l| l.ident.to_string())) {
                        frame.breaks = breaks;
                    }
                }
                return None;
            }
            Expr::Continue(c) => {
                let label = c.label.as_ref().map(|l| l.ident.to_string());
                if let Some(frame) = self.frame(label.clone()) {
                    let mut continues = frame.continues.take();
                    join_into(self.analysis, &mut continues, Some(state));
                    if let Some(frame) = self.frame(label) {
                        frame.continues = continues;
                    }
                }
                return None;
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                let left = self.expr(&b.left, Some(state))?;
                let right = self.expr(&b.right, Some(left.clone()));
                let mut out = Some(left);
                join_into(self.analysis, &mut out, right);
                out?
            }
            Expr::Macro(m) => self.mac(&m.mac, Some(state), crate::syntax::spans::of(expr))?,
            Expr::Call(c) if is_process_exit(c) => {
                let _ = self.exprs(c.args.iter(), Some(state));
                return None;
            }
            Expr::Let(l) => self.expr(&l.expr, Some(state))?,
            _ => self.exprs(crate::syntax::expr::children(expr), Some(state))?,
        };
        self.analysis.expr(self.cx, expr, &mut state);
        Some(state)
    }

    fn labeled_block(&mut self, b: &'a syn::ExprBlock, state: A::State) -> Option<A::State> {
        match &b.label {
            None => self.block(&b.block, Some(state), false),
            Some(label) => {
                self.loops.push(LoopFrame {
                    label: Some(label.name.ident.to_string()),
                    is_block: true,
                    breaks: None,
                    continues: None,
                });
                let end = self.block(&b.block, Some(state), false);
                let frame = self.loops.pop().expect("pushed above");
                let mut out = end;
                join_into(self.analysis, &mut out, frame.breaks);
                out
            }
        }
    }

    fn frame(&mut self, label: Option<String>) -> Option<&mut LoopFrame<A::State>> {
        match label {
            None => self.loops.iter_mut().rev().find(|f| !f.is_block),
            Some(label) => self
                .loops
                .iter_mut()
                .rev()
                .find(|f| f.label.as_deref() == Some(label.as_str())),
        }
    }

    /// Iterates a loop body to a fixed point. `infinite` loops only exit by
    /// `break`; the others also exit when their condition or iterator ends.
    fn looping(
        &mut self,
        label: Option<String>,
        entry: A::State,
        mut body: impl FnMut(&mut Self, A::State) -> Option<A::State>,
        infinite: bool,
    ) -> Option<A::State> {
        let mut head = entry;
        let mut exit: Option<A::State> = None;
        for _ in 0..8 {
            self.loops.push(LoopFrame {
                label: label.clone(),
                is_block: false,
                breaks: None,
                continues: None,
            });
            let end = body(self, head.clone());
            let frame = self.loops.pop().expect("pushed above");
            let mut next = Some(head.clone());
            join_into(self.analysis, &mut next, end);
            join_into(self.analysis, &mut next, frame.continues);
            exit = frame.breaks;
            let next = next.expect("head is always reachable");
            if next == head {
                break;
            }
            head = next;
        }
        if !infinite {
            join_into(self.analysis, &mut exit, Some(head));
        }
        exit
    }

    /// Runs a closure or async body: exits inside it end the body, and the
    /// body may run or not, so its end state joins the state before it.
    fn closure_like(
        &mut self,
        region: Region,
        body: impl FnOnce(&mut Self, Option<A::State>) -> Option<A::State>,
        state: A::State,
    ) -> Option<A::State> {
        self.closure_exits.push((None, region));
        let loops = std::mem::take(&mut self.loops);
        let end = body(self, Some(state.clone()));
        self.loops = loops;
        let exits = self.closure_exits.pop().and_then(|(s, _)| s);
        let mut out = Some(state);
        join_into(self.analysis, &mut out, end);
        join_into(self.analysis, &mut out, exits);
        out
    }
}

fn is_process_exit(call: &syn::ExprCall) -> bool {
    match strip_parens(&call.func) {
        Expr::Path(p) => {
            let names: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            names.ends_with(&["process".to_string(), "exit".to_string()])
                || names.ends_with(&["process".to_string(), "abort".to_string()])
        }
        _ => false,
    }
}
