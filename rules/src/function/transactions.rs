//! Where a function's database work runs inside a transaction it did not
//! open itself: through a value of the crate's own transaction types (a
//! guard whose `Drop` rolls back, a wrapper around a driver transaction), or
//! through a field that holds a transaction in the values built with one
//! (a data-access object over `&tx`). Also the key that says two
//! expressions name one connection.

use syn::Expr;

use crate::function::context::{Call, FnContext};
use crate::index::effects::{ParamSlot, TxSource};
use crate::names::model::{Effect, Kind};
use crate::names::ty::Ty;
use crate::syntax::expr::strip_parens;

impl<'a> FnContext<'a> {
    /// Whether `expr` (a connection a call runs SQL on) is reached through a
    /// transaction: it is a driver transaction, a value of a crate
    /// transaction type, or it is reached from one through fields and
    /// method calls (`self.conn` in a guard's method, `self.connection()`,
    /// `dao.conn` where `conn` is a transaction field).
    pub fn reached_through_transaction(&self, expr: &'a Expr) -> bool {
        let mut current = expr;
        for _ in 0..16 {
            if self.kind_of(current).is_some_and(|k| k.is_transaction())
                || self.is_transaction_value(&self.ty_of(current))
            {
                return true;
            }
            current = match strip_parens(current) {
                Expr::Reference(r) => &r.expr,
                Expr::Unary(u) => &u.expr,
                Expr::Try(t) => &t.expr,
                Expr::Await(a) => &a.base,
                Expr::Field(f) => {
                    if let (Ty::Named { path, .. }, syn::Member::Named(name)) =
                        (self.ty_of(&f.base), &f.member)
                    {
                        if self
                            .index
                            .transaction_fields
                            .contains(&(path.clone(), name.to_string()))
                        {
                            return true;
                        }
                    }
                    &f.base
                }
                Expr::MethodCall(m) => &m.receiver,
                Expr::Path(_) => return self.is_transaction_param(current),
                _ => return false,
            };
        }
        false
    }

    /// Whether `expr` names a parameter (or `self`) that every caller in
    /// the workspace hands a transaction.
    fn is_transaction_param(&self, expr: &'a Expr) -> bool {
        if self.closure_param_in_transaction(expr, 0) {
            return true;
        }
        let Some(decl) = self.decl else { return false };
        let slot = match expr {
            Expr::Path(p) if p.path.is_ident("self") => ParamSlot::SelfParam,
            _ => match self.binding_of(expr).map(|id| self.binding(id).kind) {
                Some(crate::function::context::BindingKind::Param(i)) => ParamSlot::Arg(i),
                _ => return false,
            },
        };
        self.index
            .transaction_params
            .contains(&(decl.key.clone(), slot))
    }

    /// Whether `expr` names a parameter of a closure bound to a local (`let
    /// delete = |conn: &mut PgConnection| ..;`) that every call of that
    /// local hands a transaction, or a connection reached through one: the
    /// closure's writes run inside the caller's transaction, as a helper
    /// function's do when every caller hands it one. A closure that escapes
    /// (passed on, returned, stored) may be called elsewhere: not covered.
    fn closure_param_in_transaction(&self, expr: &'a Expr, depth: usize) -> bool {
        use crate::function::context::BindingKind;
        if depth > 4 {
            return false;
        }
        let Some(id) = self.binding_of(strip_parens(expr)) else {
            return false;
        };
        let param = self.binding(id);
        if param.kind != BindingKind::ClosureParam {
            return false;
        }
        // The local the closure is bound to, and the parameter's position.
        let Some((holder, closure)) =
            self.bindings
                .iter()
                .enumerate()
                .find_map(|(i, b)| match b.init.map(strip_parens) {
                    Some(Expr::Closure(c)) if crate::syntax::expr::addr(c) == param.scope => {
                        Some((i, c))
                    }
                    _ => None,
                })
        else {
            return false;
        };
        let Some(slot) = closure
            .inputs
            .iter()
            .position(|input| pat_binds(input, &param.name))
        else {
            return false;
        };
        let uses = &self.binding(holder).uses;
        if uses.is_empty() || self.binding(holder).opaque_uses > 0 {
            return false;
        }
        let mut calls = 0;
        let mut covered = true;
        self.for_each_expr(&mut |e| {
            let Expr::Call(call) = e else { return };
            if !uses
                .iter()
                .any(|u| std::ptr::eq(*u, strip_parens(&call.func)))
            {
                return;
            }
            calls += 1;
            covered &= call.args.iter().nth(slot).is_some_and(|arg| {
                let place = crate::syntax::expr::strip_place(arg);
                self.closure_param_in_transaction(place, depth + 1)
                    || self.tx_source(arg, e) == TxSource::Transaction
                    || self.reached_through_transaction(arg)
            });
        });
        // Every use of the local is a call: it is never handed on.
        covered && calls == uses.len()
    }

    /// Whether a value of this type is one of the crate's transaction types.
    fn is_transaction_value(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named { path, .. } => self.index.is_transaction_type(path),
            _ => false,
        }
    }

    /// A key for the connection an expression names, equal for two
    /// expressions that name the same one: white space does not count
    /// (`self\n.conn` is `self.conn`), nor do borrows and derefs, and a
    /// wrapper's field that its `Deref` hands out is the wrapper
    /// (`self.db` is `self` when `self` derefs to its field `db`).
    pub fn connection_key(&self, expr: &'a Expr) -> String {
        let mut current = crate::syntax::expr::strip_place(expr);
        if let Expr::Field(f) = current {
            if let (Ty::Named { path, .. }, syn::Member::Named(name)) =
                (self.ty_of(&f.base), &f.member)
            {
                let derefs_to_field = self
                    .index
                    .deref_decl(&path)
                    .and_then(|d| d.field.as_deref())
                    .is_some_and(|field| *name == field);
                if derefs_to_field {
                    current = crate::syntax::expr::strip_place(&f.base);
                }
            }
        }
        let span = crate::syntax::spans::of(current);
        let text = self.file.slice(self.file.range(span));
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

impl<'a> FnContext<'a> {
    /// Whether the value handed on at `at` (a call argument, a struct
    /// field) is a transaction, or where it comes from: a parameter of this
    /// function, or a field of a crate struct, whose own status the summary
    /// step works out over the whole workspace.
    pub fn tx_source(&self, value: &'a Expr, at: &'a Expr) -> TxSource {
        let place = crate::syntax::expr::strip_place(value);
        if self.kind_of(place).is_some_and(|k| k.is_transaction())
            || self.is_transaction_value(&self.ty_of(place))
            || self.transaction_alive_on(place, at)
            || self.closure_param_in_transaction(place, 0)
        {
            return TxSource::Transaction;
        }
        if let Expr::Field(f) = place {
            if let (Ty::Named { path, .. }, syn::Member::Named(name)) =
                (self.ty_of(&f.base), &f.member)
            {
                return TxSource::Field(path, name.to_string());
            }
        }
        match self.param_root(place) {
            Some((slot, field)) if field.is_empty() => TxSource::Param(slot),
            _ => TxSource::Other,
        }
    }

    /// The transactions begun on a connection and held by a local of the
    /// function: `let tx = conn.unchecked_transaction()?`, also when the
    /// begin call sits inside the initializer (`let tx = if external {
    /// None } else { Some(db.begin_transaction()?) }`). Each as the begin
    /// call's address, the binding, and the connection's key.
    pub fn transaction_bindings(&self) -> &[(usize, crate::function::context::BindingId, String)] {
        self.tx_bindings.get_or_init(|| {
            let mut out = Vec::new();
            for (id, binding) in self.bindings.iter().enumerate() {
                let Some(init) = binding.init else { continue };
                // Begin calls inside the initializer; a closure's begin
                // runs later, if ever.
                let calls = crate::syntax::walker::Walk::new()
                    .skip_frames()
                    .exprs_under(init, |e| matches!(e, Expr::Call(_) | Expr::MethodCall(_)));
                for expr in calls {
                    let Some(call) = self.call(expr) else {
                        continue;
                    };
                    if !self.begins_transaction(&call) {
                        continue;
                    }
                    if let Some(on) = call.receiver.or_else(|| self.call_target(&call)) {
                        out.push((crate::syntax::expr::addr(expr), id, self.connection_key(on)));
                    }
                }
            }
            out
        })
    }

    /// Whether a transaction begun on the connection `conn` is alive at
    /// `at`: held by a local declared before it and in scope there, not
    /// committed or rolled back above it.
    pub fn transaction_alive_on(&self, conn: &'a Expr, at: &'a Expr) -> bool {
        let bindings = self.transaction_bindings();
        if bindings.is_empty() {
            return false;
        }
        let at = crate::syntax::spans::of(at).start();
        let key = self.connection_key(conn);
        bindings.iter().any(|(_, id, on)| {
            let binding = self.binding(*id);
            *on == key
                && binding.span.start() < at
                && at <= binding.scope_end
                && !binding.uses.iter().any(|u| {
                    crate::syntax::spans::of(u).start() < at && self.ends_transaction_at(u)
                })
        })
    }

    /// Whether a call begins a transaction on what it is called on: a
    /// driver's `begin`, or a crate method that returns one of the crate's
    /// transaction types; on a connection, not a pool.
    pub fn begins_transaction(&self, call: &Call<'a>) -> bool {
        let begins = call.effect() == Effect::Begin
            || matches!(&call.returns, Ty::Named { path, .. } if self.index.is_transaction_type(path));
        begins
            && call
                .receiver
                .or_else(|| self.call_target(call))
                .is_some_and(|on| matches!(self.kind_of(on), Some(Kind::Connection | Kind::Pooled)))
    }

    /// Whether the use `u` of a transaction binding is the receiver of a
    /// commit or rollback.
    fn ends_transaction_at(&self, u: &'a Expr) -> bool {
        let mut found = false;
        self.for_each_expr(&mut |e| {
            if found {
                return;
            }
            if let Expr::MethodCall(m) = e {
                if std::ptr::eq(crate::syntax::expr::strip_place(&m.receiver), u)
                    && matches!(
                        m.method.to_string().as_str(),
                        "commit" | "rollback" | "finish"
                    )
                {
                    found = true;
                }
            }
        });
        found
    }
}

impl FnContext<'_> {
    /// The crate type a struct expression builds (`Dao { .. }`,
    /// `Self { .. }`).
    pub fn ty_of_struct(&self, s: &syn::ExprStruct) -> Option<Ty> {
        let path = self.resolver.resolve_path(&s.path, self.self_type.as_ref());
        Some(Ty::Named {
            path,
            args: Vec::new(),
        })
    }
}

/// Whether a closure parameter's pattern binds `name` (`conn`, `conn: &mut
/// PgConnection`, `mut conn`).
fn pat_binds(pat: &syn::Pat, name: &str) -> bool {
    match pat {
        syn::Pat::Ident(p) => p.ident == name,
        syn::Pat::Type(t) => pat_binds(&t.pat, name),
        syn::Pat::Reference(r) => pat_binds(&r.pat, name),
        syn::Pat::Paren(p) => pat_binds(&p.pat, name),
        _ => false,
    }
}
