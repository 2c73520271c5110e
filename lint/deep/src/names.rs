//! Paths and types written the way the facts format wants them: crate name
//! first, references and lifetimes removed, generic type arguments kept.

use rustc_hir::def::DefKind;
use rustc_hir::def_id::DefId;
use rustc_lint::LateContext;
use rustc_middle::ty::print::{with_crate_prefix, with_no_trimmed_paths, with_no_visible_paths};
use rustc_middle::ty::{self, Ty};

/// Types nested deeper than this are cut to `_`.
const MAX_DEPTH: usize = 8;

/// The path of an item, starting with the name of the crate that defines
/// it. Items of other crates use the name their crate re-exports them under
/// at its root when it does (`rusqlite::Transaction`, not
/// `rusqlite::transaction::Transaction`), their definition path otherwise,
/// whichever crate the linted code reached them through (`dbkit::Handle`
/// re-exporting rusqlite's `Connection` is still `rusqlite::Connection`). The
/// standard library's items use the path `std` shows them at. The crate's
/// own items use their definition path, which is how connlint's crate index
/// names them.
pub fn def_path(cx: &LateContext<'_>, def_id: DefId) -> String {
    let tcx = cx.tcx;
    if def_id.is_local() {
        let text = with_no_visible_paths!(with_no_trimmed_paths!(with_crate_prefix!(
            tcx.def_path_str(def_id)
        )));
        let krate = tcx.crate_name(rustc_span::def_id::LOCAL_CRATE);
        return match text.strip_prefix("crate") {
            Some(rest) => format!("{krate}{rest}"),
            None => text,
        };
    }
    let krate = tcx.crate_name(def_id.krate);
    if matches!(krate.as_str(), "std" | "core" | "alloc") {
        return with_no_trimmed_paths!(tcx.def_path_str(def_id));
    }
    let root_name = tcx
        .module_children(def_id.krate.as_def_id())
        .iter()
        .find(|child| child.vis.is_public() && child.res.opt_def_id() == Some(def_id))
        .map(|child| child.ident.name);
    match root_name {
        Some(name) => format!("{krate}::{name}"),
        None => with_no_visible_paths!(with_no_trimmed_paths!(tcx.def_path_str(def_id))),
    }
}

/// The path of a function as a callee: free functions by their path,
/// methods and associated functions as `Type::name` with the implementing
/// type, trait methods that could not be resolved to an impl as
/// `Trait::name`.
pub fn fn_path<'tcx>(cx: &LateContext<'tcx>, def_id: DefId, receiver: Option<Ty<'tcx>>) -> String {
    let tcx = cx.tcx;
    if tcx.def_kind(def_id) != DefKind::AssocFn {
        return def_path(cx, def_id);
    }
    let name = tcx.item_name(def_id);
    let parent = tcx.parent(def_id);
    let base = match tcx.def_kind(parent) {
        DefKind::Impl { .. } => {
            let self_ty = tcx.type_of(parent).instantiate_identity().skip_norm_wip();
            type_base(cx, self_ty)
        }
        // A provided trait method called on a known type is that type's
        // method, as the user reads it.
        DefKind::Trait => receiver.and_then(|r| type_base(cx, r)),
        _ => None,
    };
    match base {
        Some(base) => format!("{base}::{name}"),
        None => format!("{}::{name}", def_path(cx, parent)),
    }
}

/// The path of a type without its generic arguments, for naming its
/// methods: `rusqlite::Connection` for `&mut rusqlite::Connection`.
fn type_base<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>) -> Option<String> {
    match ty.peel_refs().kind() {
        ty::Adt(def, _) => Some(def_path(cx, def.did())),
        ty::Foreign(did) => Some(def_path(cx, *did)),
        ty::Dynamic(preds, ..) => preds.principal_def_id().map(|did| def_path(cx, did)),
        ty::Bool | ty::Char | ty::Int(_) | ty::Uint(_) | ty::Float(_) | ty::Str => {
            Some(ty.peel_refs().to_string())
        }
        _ => None,
    }
}

/// A type as facts write it, or `None` for types a path cannot express
/// (closures, function items, raw pointers, unresolved opaque types).
pub fn type_text<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>) -> Option<String> {
    type_depth(cx, ty, 0)
}

fn type_depth<'tcx>(cx: &LateContext<'tcx>, ty: Ty<'tcx>, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return Some("_".into());
    }
    let ty = ty.peel_refs();
    let arg = |t: Ty<'tcx>| type_depth(cx, t, depth + 1).unwrap_or_else(|| "_".into());
    Some(match ty.kind() {
        ty::Adt(def, args) => {
            let path = def_path(cx, def.did());
            let args: Vec<String> = args.types().map(arg).collect();
            if args.is_empty() {
                path
            } else {
                format!("{path}<{}>", args.join(", "))
            }
        }
        ty::Tuple(items) => {
            let items: Vec<String> = items.iter().map(arg).collect();
            match items.len() {
                1 => format!("({},)", items[0]),
                _ => format!("({})", items.join(", ")),
            }
        }
        ty::Slice(item) => format!("[{}]", arg(*item)),
        ty::Array(item, _) => format!("[{}; _]", arg(*item)),
        ty::Dynamic(preds, ..) => {
            let did = preds.principal_def_id()?;
            format!("dyn {}", def_path(cx, did))
        }
        ty::Foreign(did) => def_path(cx, *did),
        ty::Param(p) => p.name.to_string(),
        ty::Bool | ty::Char | ty::Int(_) | ty::Uint(_) | ty::Float(_) | ty::Str | ty::Never => {
            ty.to_string()
        }
        _ => return None,
    })
}
