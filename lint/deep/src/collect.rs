//! The late pass that records, for every call, method call, field access and
//! macro call of the crate, the type and callee rustc resolved, and the type
//! of every binding; written as one facts file when the crate is done.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clippy_utils::macros::root_macro_call_first_node;
use clippy_utils::ty::{implements_trait, make_normalized_projection};
use clippy_utils::{fn_def_id_with_node_args, sym};
use rustc_hir::def::{DefKind, Res};
use rustc_hir::{Expr, ExprKind, LangItem, Pat, PatKind, QPath};
use rustc_lint::{LateContext, LateLintPass, LintContext, LintPass, LintVec};
use rustc_middle::ty::{Instance, Ty};
use rustc_span::{ExpnKind, FileName, MacroKind, Span};
use serde_json::{json, Value};

use crate::names::{fn_path, type_text};

/// The facts format version written (see `rules/src/facts.rs`).
const FACTS_VERSION: u32 = 1;

/// Methods through which a macro's value passes unchanged, looking for the
/// call that produced it (`Connection::open(p).unwrap()`).
const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_else",
    "unwrap_or_default",
    "context",
    "with_context",
    "map_err",
    "ok",
];

#[derive(Default)]
struct FileFacts {
    exprs: BTreeMap<(usize, usize, usize, usize), Value>,
    locals: BTreeMap<(usize, usize), Value>,
}

pub struct FactsPass {
    out: PathBuf,
    files: BTreeMap<PathBuf, FileFacts>,
    /// Canonical paths of source files, by rustc's name for them.
    canonical: BTreeMap<PathBuf, Option<PathBuf>>,
}

impl FactsPass {
    pub fn new(out: PathBuf) -> Self {
        FactsPass {
            out,
            files: BTreeMap::new(),
            canonical: BTreeMap::new(),
        }
    }

    /// The file and 1-based line/character-column range of a span, when it
    /// lies in one real source file.
    fn locate(&mut self, cx: &LateContext<'_>, span: Span) -> Option<(PathBuf, [usize; 4])> {
        let sm = cx.sess().source_map();
        let lo = sm.lookup_char_pos(span.lo());
        let hi = sm.lookup_char_pos(span.hi());
        if !std::sync::Arc::ptr_eq(&lo.file, &hi.file) {
            return None;
        }
        let FileName::Real(real) = &lo.file.name else {
            return None;
        };
        let path = real.local_path()?.to_path_buf();
        let canonical = self
            .canonical
            .entry(path.clone())
            .or_insert_with(|| std::fs::canonicalize(&path).ok())
            .clone()?;
        Some((canonical, [lo.line, lo.col.0 + 1, hi.line, hi.col.0 + 1]))
    }

    fn record_expr(&mut self, cx: &LateContext<'_>, span: Span, fact: Value) {
        let Some((file, [line, column, end_line, end_column])) = self.locate(cx, span) else {
            return;
        };
        let mut fact = fact;
        fact["line"] = line.into();
        fact["column"] = column.into();
        fact["end_line"] = end_line.into();
        fact["end_column"] = end_column.into();
        self.files
            .entry(file)
            .or_default()
            .exprs
            .entry((line, column, end_line, end_column))
            .or_insert(fact);
    }

    fn write(&self, cx: &LateContext<'_>) -> std::io::Result<()> {
        let files: serde_json::Map<String, Value> = self
            .files
            .iter()
            .map(|(path, facts)| {
                (
                    path.display().to_string(),
                    json!({
                        "exprs": facts.exprs.values().collect::<Vec<_>>(),
                        "locals": facts.locals.values().collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        let doc = json!({
            "version": FACTS_VERSION,
            "crate": cx.tcx.crate_name(rustc_span::def_id::LOCAL_CRATE).to_string(),
            "files": files,
        });
        if let Some(dir) = self.out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Written whole, then renamed: a reader never sees half a file.
        let tmp = self.out.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec(&doc).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, &self.out)
    }
}

/// What a span comes from, for deciding where its fact belongs.
enum Origin {
    /// Written by the user: recorded where it is.
    Source,
    /// Inside a function-like macro's expansion.
    BangMacro,
    /// Compiler desugaring (`?`, `for`, `.await`) or other expansions:
    /// nothing the user wrote at that place.
    Other,
}

fn origin(span: Span) -> Origin {
    if !span.from_expansion() {
        return Origin::Source;
    }
    match span.ctxt().outer_expn_data().kind {
        ExpnKind::Macro(MacroKind::Bang, _) => Origin::BangMacro,
        _ => Origin::Other,
    }
}

impl LintPass for FactsPass {
    fn name(&self) -> &'static str {
        "ConnlintFacts"
    }

    fn get_lints(&self) -> LintVec {
        Vec::new()
    }
}

impl<'tcx> LateLintPass<'tcx> for FactsPass {
    fn check_expr(&mut self, cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) {
        match origin(expr.span) {
            Origin::Source => {
                if let Some(fact) = expr_fact(cx, expr) {
                    self.record_expr(cx, expr.span, fact);
                }
            }
            Origin::BangMacro => {
                // The expansion's outermost expression stands for the macro
                // call: its type is the macro's value.
                let Some(call) = root_macro_call_first_node(cx, expr) else {
                    return;
                };
                if call.span.from_expansion() {
                    return;
                }
                let ty = value_type(cx, cx.typeck_results().expr_ty(expr));
                let producer = producer(cx, expr);
                let callee = producer.and_then(|p| callee(cx, p));
                let fact = json!({
                    "type": ty,
                    "callee": callee,
                    "macro_call": true,
                });
                self.record_expr(cx, call.span, fact);
            }
            Origin::Other => {}
        }
    }

    fn check_pat(&mut self, cx: &LateContext<'tcx>, pat: &'tcx Pat<'tcx>) {
        let PatKind::Binding(_, hir_id, ident, _) = pat.kind else {
            return;
        };
        // Bindings that desugaring made up (`for`'s `iter`) have no place
        // in the source, or a made-up one.
        if ident.span.is_dummy()
            || !matches!(origin(ident.span), Origin::Source)
            || !matches!(origin(pat.span), Origin::Source)
        {
            return;
        }
        let Some(ty) = type_text(cx, cx.typeck_results().node_type(hir_id)) else {
            return;
        };
        let Some((file, [line, column, ..])) = self.locate(cx, ident.span) else {
            return;
        };
        self.files
            .entry(file)
            .or_default()
            .locals
            .entry((line, column))
            .or_insert_with(
                || json!({"name": ident.name.as_str(), "line": line, "column": column, "type": ty}),
            );
    }

    fn check_crate_post(&mut self, cx: &LateContext<'tcx>) {
        if let Err(e) = self.write(cx) {
            cx.sess().dcx().warn(format!(
                "connlint: cannot write facts to {}: {e}",
                self.out.display()
            ));
        }
    }
}

/// The fact of a call, method call or field access written by the user.
fn expr_fact<'tcx>(cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) -> Option<Value> {
    if !matches!(
        expr.kind,
        ExprKind::Call(..) | ExprKind::MethodCall(..) | ExprKind::Field(..)
    ) {
        return None;
    }
    let ty = value_type(cx, cx.typeck_results().expr_ty(expr));
    Some(json!({
        "type": ty,
        "callee": callee(cx, expr),
        "macro_call": false,
    }))
}

/// The type to write for a value: a future as its `Output`, since the rules
/// read `.await` as passing its operand's value through.
fn value_type<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>) -> Option<String> {
    let ty = cx.tcx.erase_and_anonymize_regions(ty);
    if let Some(future) = cx.tcx.lang_items().get(LangItem::Future) {
        if !ty.is_ref() && implements_trait(cx, ty, future, &[]) {
            if let Some(output) =
                make_normalized_projection(cx.tcx, cx.typing_env(), future, sym::Output, [ty])
            {
                return type_text(cx, output);
            }
        }
    }
    type_text(cx, ty)
}

/// The function a call resolves to, as `path` or `Type::method`. Tuple
/// struct and variant constructors (`Some(x)`) are not callees.
fn callee<'tcx>(cx: &LateContext<'tcx>, expr: &'tcx Expr<'tcx>) -> Option<String> {
    let (def_id, args) = fn_def_id_with_node_args(cx, expr)?;
    if matches!(cx.tcx.def_kind(def_id), DefKind::Ctor(..)) {
        return None;
    }
    let receiver = match expr.kind {
        ExprKind::MethodCall(_, receiver, ..) => {
            Some(cx.typeck_results().expr_ty_adjusted(receiver).peel_refs())
        }
        _ => None,
    };
    // A trait method called on a known type runs that type's impl.
    let resolved = match Instance::try_resolve(cx.tcx, cx.typing_env(), def_id, args) {
        Ok(Some(instance)) if cx.tcx.def_kind(instance.def_id()) == DefKind::AssocFn => {
            instance.def_id()
        }
        _ => def_id,
    };
    Some(fn_path(cx, resolved, receiver))
}

/// The call inside a macro expansion whose result is the macro's value,
/// looking through blocks, `?` and unwrapping methods.
fn producer<'tcx>(cx: &LateContext<'tcx>, mut expr: &'tcx Expr<'tcx>) -> Option<&'tcx Expr<'tcx>> {
    for _ in 0..16 {
        expr = match expr.kind {
            ExprKind::Block(block, _) => block.expr?,
            ExprKind::DropTemps(inner) => inner,
            // `x?` is `match Try::branch(x) { .. }`.
            ExprKind::Match(scrutinee, _, rustc_hir::MatchSource::TryDesugar(_)) => {
                match scrutinee.kind {
                    ExprKind::Call(_, [inner]) => inner,
                    _ => return None,
                }
            }
            ExprKind::MethodCall(segment, receiver, ..)
                if PASS_THROUGH.contains(&segment.ident.as_str()) =>
            {
                receiver
            }
            ExprKind::Call(func, _) if is_ctor(cx, func) => return None,
            ExprKind::Call(..) | ExprKind::MethodCall(..) => return Some(expr),
            _ => return None,
        };
    }
    None
}

fn is_ctor(cx: &LateContext<'_>, func: &Expr<'_>) -> bool {
    let ExprKind::Path(qpath) = &func.kind else {
        return false;
    };
    let res = match qpath {
        QPath::Resolved(_, path) => path.res,
        _ => cx.typeck_results().qpath_res(qpath, func.hir_id),
    };
    matches!(res, Res::Def(DefKind::Ctor(..), _))
}
