//! Types as the analysis understands them: enough to know that `conn` is a
//! `rusqlite::Connection`, `self.pool` an `sqlx::PgPool`, and what a crate
//! method returns. Wrappers such as `Arc<Mutex<T>>`, `Option<T>` and
//! `Result<T, E>` are looked through, because `?`, `.lock()` and `.unwrap()`
//! hand out the value inside.

use crate::names::model::{Kind, Models, TypeId};
use crate::names::resolve::{PathBuf, Resolver};

/// A type written in the source, with its paths resolved. `Send`, unlike
/// `syn::Type`, so it can be stored in the crate index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeExpr {
    Path {
        path: PathBuf,
        args: Vec<TypeExpr>,
    },
    Ref(Box<TypeExpr>),
    Tuple(Vec<TypeExpr>),
    /// `impl Trait` / `dyn Trait`: the paths of the bounds.
    Bounds(Vec<TypeExpr>),
    Other,
}

/// Generic wrappers whose methods (`lock`, `unwrap`, `?`…) hand out the value
/// inside; the analysis treats them as the value.
pub const TRANSPARENT_WRAPPERS: &[&str] = &[
    "Box",
    "Arc",
    "Rc",
    "Mutex",
    "RwLock",
    "RefCell",
    "Cell",
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "OwnedMutexGuard",
    "MappedMutexGuard",
    "ReentrantMutex",
    "Ref",
    "RefMut",
    "Option",
    "Result",
    "Pin",
    "Cow",
    "OnceCell",
    "OnceLock",
    "LazyLock",
    "Lazy",
    "ArcSwap",
    "Data",
    "State",
    "Extension",
];

/// Method names that return (a reference to) the receiver's inner value.
pub const TRANSPARENT_METHODS: &[&str] = &[
    "lock",
    "try_lock",
    "read",
    "write",
    "borrow",
    "borrow_mut",
    "get_mut",
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "deref",
    "deref_mut",
    "unwrap",
    "expect",
    "unwrap_or_else",
    "unwrap_or_default",
    "ok",
    "ok_or",
    "ok_or_else",
    "context",
    "with_context",
    "map_err",
    "take",
    "clone",
    "get_or_init",
    "get_or_try_init",
    "get",
    "into_inner",
    "load",
    "inner",
];

/// What the analysis knows about a value's type.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Ty {
    #[default]
    Unknown,
    /// A modelled database type; `args` keeps generic arguments that matter
    /// (the manager of an r2d2 pool).
    Model {
        id: TypeId,
        args: Vec<Ty>,
    },
    /// Another named type: a struct of the linted crate, a `Vec`, a `HashMap`.
    Named {
        path: PathBuf,
        args: Vec<Ty>,
    },
    Tuple(Vec<Ty>),
}

/// Whether a value of type `ty` may be, or hold, a database value: a
/// modelled type, one in its generic arguments or tuple items, or a type the
/// analysis does not know.
pub fn may_hold_model(ty: &Ty) -> bool {
    match ty {
        Ty::Unknown | Ty::Model { .. } => true,
        Ty::Named { args, .. } => args.iter().any(may_hold_model),
        Ty::Tuple(items) => items.iter().any(may_hold_model),
    }
}

impl Ty {
    pub fn model(&self) -> Option<TypeId> {
        match self {
            Ty::Model { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn kind(&self, models: &Models) -> Option<Kind> {
        self.model().map(|id| models.ty(id).kind)
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Ty::Unknown)
    }

    /// The element type of a collection (`Vec<T>`, `[T]`), for `for` loops.
    pub fn element(&self) -> Ty {
        match self {
            Ty::Named { path, args } if is_collection(path) => {
                args.last().cloned().unwrap_or_default()
            }
            _ => Ty::Unknown,
        }
    }
}

/// Collections whose elements a `for` loop or an iterator hands out.
pub fn is_collection(path: &[String]) -> bool {
    matches!(
        path.last().map(String::as_str),
        Some(
            "Vec"
                | "VecDeque"
                | "HashMap"
                | "BTreeMap"
                | "HashSet"
                | "BTreeSet"
                | "IndexMap"
                | "DashMap"
                | "Slice"
        )
    )
}

/// Resolves a `syn::Type` into a [`TypeExpr`].
pub fn type_expr(resolver: &Resolver, ty: &syn::Type, self_type: Option<&PathBuf>) -> TypeExpr {
    type_expr_depth(resolver, ty, self_type, 0)
}

fn type_expr_depth(
    resolver: &Resolver,
    ty: &syn::Type,
    self_type: Option<&PathBuf>,
    depth: usize,
) -> TypeExpr {
    if depth > 32 {
        return TypeExpr::Other;
    }
    let next = |t: &syn::Type| type_expr_depth(resolver, t, self_type, depth + 1);
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            let path = resolver.resolve_path(&p.path, self_type);
            let args = p
                .path
                .segments
                .last()
                .map(|seg| match &seg.arguments {
                    syn::PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(t) => Some(next(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            TypeExpr::Path { path, args }
        }
        syn::Type::Reference(r) => TypeExpr::Ref(Box::new(next(&r.elem))),
        syn::Type::Ptr(p) => TypeExpr::Ref(Box::new(next(&p.elem))),
        syn::Type::Paren(p) => next(&p.elem),
        syn::Type::Group(g) => next(&g.elem),
        syn::Type::Slice(s) => TypeExpr::Path {
            path: vec!["Slice".into()],
            args: vec![next(&s.elem)],
        },
        syn::Type::Array(a) => TypeExpr::Path {
            path: vec!["Slice".into()],
            args: vec![next(&a.elem)],
        },
        syn::Type::Tuple(t) => TypeExpr::Tuple(t.elems.iter().map(next).collect()),
        syn::Type::ImplTrait(i) => TypeExpr::Bounds(bounds(resolver, &i.bounds, self_type, depth)),
        syn::Type::TraitObject(o) => {
            TypeExpr::Bounds(bounds(resolver, &o.bounds, self_type, depth))
        }
        _ => TypeExpr::Other,
    }
}

fn bounds(
    resolver: &Resolver,
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
    self_type: Option<&PathBuf>,
    depth: usize,
) -> Vec<TypeExpr> {
    bounds
        .iter()
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => {
                let ty = syn::Type::Path(syn::TypePath {
                    qself: None,
                    path: t.path.clone(),
                });
                Some(type_expr_depth(resolver, &ty, self_type, depth + 1))
            }
            _ => None,
        })
        .collect()
}

impl TypeExpr {
    /// The last path segment, for diagnostics.
    pub fn name(&self) -> Option<&str> {
        match self {
            TypeExpr::Path { path, .. } => path.last().map(String::as_str),
            TypeExpr::Ref(inner) => inner.name(),
            _ => None,
        }
    }

    /// Whether the type is a reference (`&T`, `&mut T`): a parameter of such
    /// a type borrows rather than takes ownership.
    pub fn is_ref(&self) -> bool {
        matches!(self, TypeExpr::Ref(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::resolve::ModuleScope;

    #[test]
    fn resolves_paths_inside_wrappers() {
        let file: syn::File =
            syn::parse_str("use rusqlite::Connection; use std::sync::{Arc, Mutex};").unwrap();
        let resolver = Resolver::new("app", ModuleScope::new(vec!["app".into()], &file.items));
        let ty: syn::Type = syn::parse_str("&Arc<Mutex<Connection>>").unwrap();
        let expr = type_expr(&resolver, &ty, None);
        let TypeExpr::Ref(inner) = expr else {
            panic!("not a reference: {expr:?}")
        };
        let TypeExpr::Path { path, args } = *inner else {
            panic!()
        };
        assert_eq!(path, ["std", "sync", "Arc"]);
        let TypeExpr::Path {
            args: inner_args, ..
        } = &args[0]
        else {
            panic!()
        };
        assert_eq!(
            inner_args[0],
            TypeExpr::Path {
                path: vec!["rusqlite".into(), "Connection".into()],
                args: vec![]
            }
        );
    }
}
