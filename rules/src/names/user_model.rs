//! The user's own API model, from `[[openers]]`, `[[closers]]` and
//! `[[handlers]]` in `connlint.toml`: wrapper types declared once by type,
//! factories and closers by function path, request handlers by path or
//! attribute.
//!
//! ```toml
//! [[openers]]            # values of this wrapper type are connections
//! type = "crate::db::Db"
//! kind = "connection"    # connection | pool | pooled | transaction | handle
//!
//! [[openers]]            # this function opens a fresh connection
//! function = "crate::db::open_db"
//! database = 0           # the argument naming the database
//!
//! [[openers]]            # this method opens a fresh connection
//! type = "crate::db::Factory"
//! method = "connect*"
//!
//! [[closers]]            # calling this method closes the value
//! type = "crate::db::Db"
//! method = "shutdown"
//!
//! [[handlers]]           # these run once per request
//! function = "crate::web::handle_*"
//! [[handlers]]
//! attribute = "endpoint"
//! ```
//!
//! Paths starting with `crate::` (or of one segment) match the item in any
//! linted crate; others name the crate they belong to. `*` in the last
//! segment matches any run of characters.

use serde::Deserialize;

use crate::names::model::{DropBehavior, Kind, ModelError, Models};

/// An `[[openers]]` entry.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpenerSpec {
    #[serde(rename = "type")]
    pub type_path: Option<String>,
    #[serde(alias = "path")]
    pub function: Option<String>,
    pub method: Option<String>,
    #[serde(default = "connection")]
    pub kind: Kind,
    #[serde(default)]
    pub drop: DropBehavior,
    pub database: Option<usize>,
}

/// A `[[closers]]` entry.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CloserSpec {
    #[serde(rename = "type")]
    pub type_path: Option<String>,
    #[serde(alias = "path")]
    pub function: Option<String>,
    pub method: Option<String>,
}

/// A `[[handlers]]` entry.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HandlerSpec {
    #[serde(alias = "path")]
    pub function: Option<String>,
    pub attribute: Option<String>,
}

fn connection() -> Kind {
    Kind::Connection
}

/// Everything the user taught connlint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserModel {
    /// `[[openers]]`: functions and methods that open a connection.
    pub openers: Vec<OpenerSpec>,
    /// `[[closers]]`: functions and methods that close one.
    pub closers: Vec<CloserSpec>,
    /// `[[handlers]]`: functions that run once per request.
    pub handlers: Vec<HandlerSpec>,
}

impl UserModel {
    /// Reads the three arrays of tables as written in the configuration.
    pub fn from_values(
        openers: &[toml::Value],
        closers: &[toml::Value],
        handlers: &[toml::Value],
    ) -> Result<UserModel, ModelError> {
        fn parse<T: for<'de> Deserialize<'de>>(
            key: &str,
            values: &[toml::Value],
        ) -> Result<Vec<T>, ModelError> {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.clone()
                        .try_into()
                        .map_err(|e| ModelError(format!("[[{key}]] entry {}: {e}", i + 1)))
                })
                .collect()
        }
        let model = UserModel {
            openers: parse("openers", openers)?,
            closers: parse("closers", closers)?,
            handlers: parse("handlers", handlers)?,
        };
        model.validate()?;
        Ok(model)
    }

    fn validate(&self) -> Result<(), ModelError> {
        for (i, o) in self.openers.iter().enumerate() {
            match (&o.type_path, &o.function) {
                (None, None) => {
                    return Err(ModelError(format!(
                        "[[openers]] entry {} needs `type` or `function`",
                        i + 1
                    )))
                }
                (Some(_), Some(_)) => {
                    return Err(ModelError(format!(
                        "[[openers]] entry {} has both `type` and `function`",
                        i + 1
                    )))
                }
                _ => {}
            }
        }
        for (i, c) in self.closers.iter().enumerate() {
            let method_on_type = c.type_path.is_some() && c.method.is_some();
            if !method_on_type && c.function.is_none() {
                return Err(ModelError(format!(
                    "[[closers]] entry {} needs `type` with `method`, or `function`",
                    i + 1
                )));
            }
        }
        for (i, h) in self.handlers.iter().enumerate() {
            if h.function.is_none() && h.attribute.is_none() {
                return Err(ModelError(format!(
                    "[[handlers]] entry {} needs `function` or `attribute`",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    /// Whether the user taught nothing.
    pub fn is_empty(&self) -> bool {
        self.openers.is_empty() && self.closers.is_empty() && self.handlers.is_empty()
    }
}

impl Models {
    /// A copy of these models extended with the user's.
    pub fn with_user(&self, user: &UserModel) -> Models {
        let mut models = self.clone();
        models.add_user(user);
        models
    }

    fn add_user(&mut self, user: &UserModel) {
        for opener in &user.openers {
            if let Some(type_path) = &opener.type_path {
                let id = self.user_type(type_path, opener.kind, opener.drop, true);
                if let Some(method) = &opener.method {
                    // A method on this type that opens: what it returns is a
                    // fresh value of the opener's kind.
                    let fresh = self.synthetic_type(
                        &format!("{type_path}::{method}"),
                        opener.kind,
                        opener.drop,
                    );
                    self.add_user_method(
                        id,
                        method,
                        crate::names::model::Effect::Open,
                        Some(fresh),
                        opener.database,
                    );
                }
            }
            if let Some(function) = &opener.function {
                let fresh = self.synthetic_type(function, opener.kind, opener.drop);
                self.add_user_function(
                    function,
                    crate::names::model::Effect::Open,
                    Some(fresh),
                    opener.database,
                );
            }
        }
        for closer in &user.closers {
            if let (Some(type_path), Some(method)) = (&closer.type_path, &closer.method) {
                let id = self.user_type(type_path, Kind::Connection, DropBehavior::Close, false);
                self.add_user_method(id, method, crate::names::model::Effect::Close, None, None);
            }
            if let Some(function) = &closer.function {
                self.add_user_function(function, crate::names::model::Effect::Close, None, None);
            }
        }
        for handler in &user.handlers {
            if let Some(function) = &handler.function {
                self.user_handlers
                    .push(crate::names::model::split_user_path(function));
            }
            if let Some(attribute) = &handler.attribute {
                self.user_handler_attributes.push(
                    attribute
                        .rsplit("::")
                        .next()
                        .unwrap_or(attribute)
                        .to_string(),
                );
            }
        }
    }

    /// Whether the user declared a function (by resolved path) a handler.
    pub fn is_user_handler(&self, path: &[String]) -> bool {
        self.user_handlers
            .iter()
            .any(|(krate, tail)| crate::names::model::path_matches(krate.as_deref(), tail, path))
    }

    /// Whether the user declared functions with one of these attributes
    /// (last path segments) handlers.
    pub fn is_user_handler_attribute(&self, attributes: &[String]) -> bool {
        attributes
            .iter()
            .any(|a| self.user_handler_attributes.contains(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Result<UserModel, ModelError> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            openers: Vec<toml::Value>,
            #[serde(default)]
            closers: Vec<toml::Value>,
            #[serde(default)]
            handlers: Vec<toml::Value>,
        }
        let file: File = toml::from_str(text).unwrap();
        UserModel::from_values(&file.openers, &file.closers, &file.handlers)
    }

    fn path(s: &str) -> Vec<String> {
        s.split("::").map(str::to_string).collect()
    }

    #[test]
    fn wrapper_types_functions_and_handlers() {
        let model = user(
            r#"
            [[openers]]
            type = "crate::db::Db"
            kind = "pool"
            [[openers]]
            function = "crate::db::open_*"
            database = 0
            [[closers]]
            type = "crate::db::Db"
            method = "shutdown"
            [[handlers]]
            function = "crate::web::handle_*"
            [[handlers]]
            attribute = "framework::endpoint"
            "#,
        )
        .unwrap();
        let models = Models::builtin().with_user(&model);
        let db = models.type_of_path(&path("app::db::Db")).unwrap();
        assert_eq!(models.ty(db).kind, Kind::Pool);
        assert_eq!(
            models.method(db, None, "shutdown").unwrap().effect,
            crate::names::model::Effect::Close
        );
        let (open, returns) = models.function(&path("app::db::open_board")).unwrap();
        assert_eq!(open.effect, crate::names::model::Effect::Open);
        assert_eq!(open.database, Some(0));
        assert_eq!(models.ty(returns.unwrap()).kind, Kind::Connection);
        assert!(models.function(&path("app::other::open_board")).is_none());
        assert!(models.is_user_handler(&path("app::web::handle_list")));
        assert!(!models.is_user_handler(&path("app::web::list")));
        // Built-in types still win.
        let conn = models.type_of_path(&path("rusqlite::Connection")).unwrap();
        assert_eq!(models.ty(conn).model, "rusqlite");
    }

    #[test]
    fn entries_need_a_target() {
        assert!(user("[[openers]]\nkind = \"pool\"\n").is_err());
        assert!(user("[[closers]]\ntype = \"Db\"\n").is_err());
        assert!(user("[[handlers]]\n").is_err());
        assert!(user("[[openers]]\ntype = \"Db\"\nkind = \"socket\"\n").is_err());
        assert!(user("[[openers]]\nfunction = \"db::open\"\nunknown = 1\n").is_err());
    }
}
