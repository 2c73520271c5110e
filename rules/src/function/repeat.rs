//! Code that runs repeatedly inside one function body: loop bodies (and
//! loops that wait for a tick), closures that iterator and stream adapters
//! run once per element, scheduler callbacks (once per tick), and handler
//! closures registered inline with a router (once per request). The
//! connection rules ask where a call sits; the summaries record it for every
//! call of a workspace function, so a callee that opens a connection learns
//! how often its callers run it.

use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::Expr;

use crate::function::context::{BindingId, BindingKind, FnContext};
use crate::index::effects::RepeatKind;
use crate::syntax::expr::strip_parens;
use crate::syntax::expr::unwrap_value;
use crate::syntax::walker::{Node, Walk};

/// Why code runs repeatedly, and over which source region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// A loop body (`for`, `while`, `loop`) or a scheduler callback (`tick`).
    Iteration {
        tick: bool,
        start: LineColumn,
        end: LineColumn,
    },
    /// A closure an iterator or stream adapter runs once per element.
    Element { start: LineColumn, end: LineColumn },
    /// A request handler, or a handler closure registered inline.
    Request,
}

impl Repeat {
    /// How often, in words: "once per tick".
    pub fn phrase(self) -> &'static str {
        self.kind().phrase()
    }

    /// The kind of repetition, without its region.
    pub fn kind(self) -> RepeatKind {
        match self {
            Repeat::Iteration { tick: true, .. } => RepeatKind::Tick,
            Repeat::Iteration { tick: false, .. } => RepeatKind::Iteration,
            Repeat::Element { .. } => RepeatKind::Element,
            Repeat::Request => RepeatKind::Request,
        }
    }

    /// The source region of a loop body or closure; `None` for a whole
    /// handler.
    pub fn region(self) -> Option<(LineColumn, LineColumn)> {
        match self {
            Repeat::Iteration { start, end, .. } | Repeat::Element { start, end } => {
                Some((start, end))
            }
            Repeat::Request => None,
        }
    }
}

/// Whether a loop body waits for a tick (`interval.tick()`, `sleep(..)`).
pub fn has_tick(body: &syn::Block) -> bool {
    let mut found = false;
    Walk::new().block(body, &mut |node, _| match node {
        Node::Expr(Expr::MethodCall(m)) => found |= m.method == "tick",
        Node::Expr(Expr::Call(c)) => {
            found |= matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "sleep"));
        }
        _ => {}
    });
    found
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

/// The crates whose `Job::new*(schedule, closure)` runs the closure on
/// every tick of a schedule.
const JOB_SCHEDULERS: &[&str] = &["tokio_cron_scheduler", "job_scheduler", "job_scheduler_ng"];

/// clokwerk's `scheduler.every(..)[.at(..)].run(closure)`: the receiver
/// chain of `run` holds an `every(..)` call.
fn is_every_run(receiver: &Expr, method: &str) -> bool {
    if method != "run" {
        return false;
    }
    let mut current = strip_parens(receiver);
    for _ in 0..8 {
        match current {
            Expr::MethodCall(m) if m.method == "every" || m.method == "and_every" => return true,
            Expr::MethodCall(m) => current = strip_parens(&m.receiver),
            _ => return false,
        }
    }
    false
}

/// `Job::new_async("0 * * * * *", |id, lock| ..)` and the other job
/// constructors of cron schedulers, except the one-shot ones.
fn is_job_constructor(cx: &FnContext<'_>, func: &Expr) -> bool {
    let Expr::Path(p) = strip_parens(func) else {
        return false;
    };
    let path = cx.resolver.resolve_path(&p.path, cx.self_type.as_ref());
    let n = path.len();
    n >= 3
        && JOB_SCHEDULERS.contains(&path[0].as_str())
        && path[n - 2] == "Job"
        && path[n - 1].starts_with("new")
        && !path[n - 1].contains("one_shot")
}

/// Every call in the body (macro calls included) with the innermost reason
/// it runs repeatedly, if any. Calls inside one-time initializers
/// (`OnceLock::get_or_init(|| ..)`, `LazyLock::new`) are left out: they run
/// once, however often the code around them does.
pub fn repeat_sites<'a>(cx: &FnContext<'a>) -> Vec<(&'a Expr, Option<Repeat>)> {
    let mut walker = Walker {
        cx,
        stack: Vec::new(),
        sites: Vec::new(),
        initializer_depth: 0,
    };
    syn::visit::Visit::visit_block(&mut walker, cx.body);
    walker.sites
}

/// Walks the body keeping track of loops and repeated closures.
struct Walker<'c, 'a> {
    cx: &'c FnContext<'a>,
    stack: Vec<Repeat>,
    sites: Vec<(&'a Expr, Option<Repeat>)>,
    /// Inside a closure given to `get_or_init` and friends: runs once.
    initializer_depth: usize,
}

impl<'a> Walker<'_, 'a> {
    fn note(&mut self, expr: &'a Expr) {
        if self.initializer_depth > 0 {
            return;
        }
        // Macro calls too: with deep-tier facts `open_db!(path)` is known to
        // open; without them an unknown macro is no open site.
        if matches!(expr, Expr::Call(_) | Expr::MethodCall(_) | Expr::Macro(_)) {
            self.sites.push((expr, self.stack.last().copied()));
        }
    }

    fn iteration(&mut self, body: &'a syn::Block, tick: bool) {
        let start = body.brace_token.span.open().start();
        let end = body.brace_token.span.close().end();
        self.stack.push(Repeat::Iteration {
            tick: tick || has_tick(body),
            start,
            end,
        });
        syn::visit::Visit::visit_block(self, body);
        self.stack.pop();
    }

    /// Visits a closure argument that runs as `repeat` (or once, for an
    /// initializer).
    fn closure(&mut self, c: &'a syn::ExprClosure, repeat: Option<Repeat>) {
        match repeat {
            Some(repeat) => {
                self.stack.push(repeat);
                self.visit_expr_closure_body(c);
                self.stack.pop();
            }
            None => self.visit_expr_closure_body(c),
        }
    }

    fn visit_expr_closure_body(&mut self, c: &'a syn::ExprClosure) {
        syn::visit::Visit::visit_expr_closure(self, c);
    }

    /// The region of a closure argument, for "depends on the element".
    fn closure_region(arg: &'a Expr, c: &'a syn::ExprClosure) -> (LineColumn, LineColumn) {
        (
            crate::syntax::spans::of(strip_parens(arg)).start(),
            crate::syntax::spans::of(&c.body).end(),
        )
    }
}

impl<'a> syn::visit::Visit<'a> for Walker<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.note(expr);
        match expr {
            Expr::ForLoop(f) if is_bounded_retry(Some(&f.expr), &f.body) => {
                self.visit_expr(&f.expr);
                syn::visit::Visit::visit_block(self, &f.body);
            }
            Expr::While(w) if is_bounded_retry(Some(&w.cond), &w.body) => {
                self.visit_expr(&w.cond);
                syn::visit::Visit::visit_block(self, &w.body);
            }
            Expr::ForLoop(f) => {
                self.visit_expr(&f.expr);
                let start = f.pat.span().start();
                let end = f.body.brace_token.span.close().end();
                self.stack.push(Repeat::Iteration {
                    tick: has_tick(&f.body),
                    start,
                    end,
                });
                syn::visit::Visit::visit_block(self, &f.body);
                self.stack.pop();
            }
            Expr::While(w) => {
                let start = w.cond.span().start();
                let end = w.body.brace_token.span.close().end();
                self.stack.push(Repeat::Iteration {
                    tick: has_tick(&w.body),
                    start,
                    end,
                });
                self.visit_expr(&w.cond);
                syn::visit::Visit::visit_block(self, &w.body);
                self.stack.pop();
            }
            Expr::Loop(l) => self.iteration(&l.body, false),
            Expr::MethodCall(m) => {
                self.visit_expr(&m.receiver);
                let method = m.method.to_string();
                let initializer = crate::function::opens::is_initializer_method(&method);
                let per_element = is_per_element(&method);
                let request =
                    crate::function::handlers::is_warp_closure(self.cx, &m.receiver, &method)
                        || crate::function::handlers::is_inline_route(self.cx, expr);
                let tick = is_every_run(&m.receiver, &method);
                for arg in &m.args {
                    let Expr::Closure(c) = strip_parens(arg) else {
                        self.visit_expr(arg);
                        continue;
                    };
                    if initializer {
                        self.initializer_depth += 1;
                        self.closure(c, None);
                        self.initializer_depth -= 1;
                    } else if request {
                        self.closure(c, Some(Repeat::Request));
                    } else if tick {
                        let (start, end) = Self::closure_region(arg, c);
                        let repeat = Repeat::Iteration {
                            tick: true,
                            start,
                            end,
                        };
                        self.closure(c, Some(repeat));
                    } else if per_element {
                        let (start, end) = Self::closure_region(arg, c);
                        self.closure(c, Some(Repeat::Element { start, end }));
                    } else {
                        self.visit_expr(arg);
                    }
                }
            }
            Expr::Call(c) if crate::function::opens::is_initializer_call(&c.func) => {
                self.initializer_depth += 1;
                syn::visit::visit_expr(self, expr);
                self.initializer_depth -= 1;
            }
            Expr::Call(call)
                if is_job_constructor(self.cx, &call.func)
                    || crate::function::handlers::is_inline_route(self.cx, expr) =>
            {
                let request = !is_job_constructor(self.cx, &call.func);
                self.visit_expr(&call.func);
                for arg in &call.args {
                    let Expr::Closure(c) = strip_parens(arg) else {
                        self.visit_expr(arg);
                        continue;
                    };
                    let repeat = if request {
                        Repeat::Request
                    } else {
                        let (start, end) = Self::closure_region(arg, c);
                        Repeat::Iteration {
                            tick: true,
                            start,
                            end,
                        }
                    };
                    self.closure(c, Some(repeat));
                }
            }
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        for arg in self.cx.macro_exprs(mac) {
            self.visit_expr(arg);
        }
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// A loop of a few attempts: it counts (`for attempt in 0..2`, `while
/// tries < MAX`), does not wait for a tick, and leaves as soon as some
/// step succeeds (an `Ok(..)` arm or `if let Ok(..)` that returns or
/// breaks). What it opens runs at most a few times per run of the code
/// around it, which decides how often that is.
fn is_bounded_retry(header: Option<&Expr>, body: &syn::Block) -> bool {
    let counted = match header.map(strip_parens) {
        Some(Expr::Range(_)) => true,
        Some(Expr::Binary(b)) => matches!(b.op, syn::BinOp::Lt(_) | syn::BinOp::Le(_)),
        _ => false,
    };
    counted && !has_tick(body) && exits_on_success(body)
}

/// Whether a block has a `match` arm or `if let` on `Ok(..)` whose branch
/// returns or breaks out.
fn exits_on_success(body: &syn::Block) -> bool {
    let mut found = false;
    Walk::new()
        .skip_frames()
        .block(body, &mut |node, _| match node {
            Node::Expr(Expr::Match(m)) => {
                found |= m
                    .arms
                    .iter()
                    .any(|arm| is_ok_pattern(&arm.pat) && expr_exits(&arm.body, true));
            }
            Node::Expr(Expr::If(i)) => {
                if let Expr::Let(l) = &*i.cond {
                    found |= is_ok_pattern(&l.pat) && block_exits(&i.then_branch, true);
                }
            }
            _ => {}
        });
    found
}

fn is_ok_pattern(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Ok"),
        _ => false,
    }
}

/// Whether an expression depends on the loop element: it mentions a binding
/// declared by the loop pattern or closure parameters, or one declared in
/// the loop body from such a binding.
pub fn varies<'a>(cx: &FnContext<'a>, expr: &'a Expr, repeat: Repeat) -> bool {
    varies_depth(cx, expr, repeat, 0)
}

fn varies_depth<'a>(cx: &FnContext<'a>, expr: &'a Expr, repeat: Repeat, depth: usize) -> bool {
    let Some((start, end)) = repeat.region() else {
        return false;
    };
    if depth > 6 {
        return false;
    }
    // Paths in the expression, macro arguments included, and the names
    // that format strings capture implicitly.
    let mut paths = Vec::new();
    let mut captured = Vec::new();
    cx.walk().expr(expr, &mut |node, _| match node {
        Node::Expr(path @ Expr::Path(_)) => paths.push(path),
        Node::Expr(Expr::Macro(m)) => captured.extend(format_captures_of(cx, &m.mac)),
        Node::Stmt(syn::Stmt::Macro(m)) => captured.extend(format_captures_of(cx, &m.mac)),
        _ => {}
    });
    let declared_inside = |id: BindingId| {
        let position = cx.binding(id).span.start();
        position >= start && position <= end
    };
    let binding_varies = |id: BindingId| {
        let binding = cx.binding(id);
        declared_inside(id)
            && match binding.kind {
                BindingKind::Pattern | BindingKind::ClosureParam => true,
                _ => binding
                    .init
                    .is_some_and(|init| varies_depth(cx, init, repeat, depth + 1)),
            }
    };
    paths
        .into_iter()
        .filter_map(|p| cx.binding_of(p))
        .any(binding_varies)
        || captured.iter().any(|name| {
            // `format!("{dir}/shard-{shard}.db")` names its arguments inside
            // the string: the innermost binding of that name declared before
            // the use counts.
            cx.bindings
                .iter()
                .enumerate()
                .filter(|(_, b)| &b.name == name)
                .any(|(id, _)| binding_varies(id))
        })
}

/// The names a format macro's template captures implicitly (`"{id}"`).
fn format_captures_of(cx: &FnContext<'_>, mac: &syn::Macro) -> Vec<String> {
    match cx.macro_args(mac).and_then(|args| args.first()) {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) => crate::syntax::macros::format_captures(&template.value()),
        _ => Vec::new(),
    }
}

/// `match open() { Ok(c) => return Ok(c), Err(_) => retry }`: the loop
/// ends once the call succeeds (a retry loop, not churn).
pub fn retry_exit(cx: &FnContext<'_>, call: &Expr) -> bool {
    let mut found = false;
    cx.for_each_expr(&mut |expr| {
        let (scrutinee, bodies): (&Expr, Vec<&Expr>) = match expr {
            Expr::Match(m) => (&m.expr, m.arms.iter().map(|a| &*a.body).collect()),
            Expr::If(i) => match &*i.cond {
                Expr::Let(l) => (&l.expr, vec![]),
                _ => return,
            },
            _ => return,
        };
        if !std::ptr::eq(unwrap_value(scrutinee), call) {
            return;
        }
        found |= match expr {
            Expr::If(i) => block_exits(&i.then_branch, false),
            _ => bodies.into_iter().any(|body| expr_exits(body, false)),
        };
    });
    found
}

/// A `return`, or a `break` with a value (with `any_break`, any `break`).
fn is_exit(expr: &Expr, any_break: bool) -> bool {
    match expr {
        Expr::Return(_) => true,
        Expr::Break(b) => b.expr.is_some() || any_break,
        _ => false,
    }
}

/// Whether a block leaves by [`is_exit`], outside closures and `async`
/// blocks (their `return` leaves only them).
fn block_exits(block: &syn::Block, any_break: bool) -> bool {
    !Walk::new()
        .skip_frames()
        .exprs_in(block, |e| is_exit(e, any_break))
        .is_empty()
}

/// [`block_exits`] for an expression.
fn expr_exits(expr: &Expr, any_break: bool) -> bool {
    !Walk::new()
        .skip_frames()
        .exprs_under(expr, |e| is_exit(e, any_break))
        .is_empty()
}
