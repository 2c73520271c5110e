//! `connlint-deep-driver`: the rustc driver of connlint's type-aware tier.
//!
//! `cargo connlint --deep` runs `cargo check` with this binary as
//! `RUSTC_WORKSPACE_WRAPPER`, the way `cargo clippy` runs clippy-driver.
//! Cargo then starts it as `connlint-deep-driver <rustc> <args>…` for every
//! crate of the workspace (never for dependencies, which cargo compiles with
//! plain rustc). For each such crate the driver compiles as rustc would and,
//! once the crate is type-checked, walks every body with its typeck results
//! and writes what rustc resolved (callees, expression and binding types) to
//! `$CONNLINT_DEEP_FACTS_DIR/<crate>-<hash>.json`, in the facts format that
//! `connlint-rules` documents in `rules/src/facts.rs`. The rules then read
//! those facts instead of guessing.
//!
//! The driver links rustc's private crates, so it builds only with the
//! nightly pinned in `rust-toolchain.toml`, and cargo must run with that same
//! nightly: crates compiled by another rustc cannot be read (E0514).

#![feature(rustc_private)]

extern crate rustc_driver;
extern crate rustc_hir;
extern crate rustc_interface;
extern crate rustc_lint;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;

mod collect;
mod names;

use std::path::PathBuf;
use std::process::{exit, Command};

use rustc_interface::interface;

/// Where facts files go; set by `cargo connlint --deep`.
const FACTS_DIR_VAR: &str = "CONNLINT_DEEP_FACTS_DIR";

struct FactsCallbacks {
    out: PathBuf,
}

impl rustc_driver::Callbacks for FactsCallbacks {
    fn config(&mut self, config: &mut interface::Config) {
        // clippy_utils' symbols are interned after rustc's own: without them
        // its `sym::*` constants point at the wrong strings.
        config.extra_symbols = clippy_utils::sym::EXTRA_SYMBOLS.to_vec();
        let out = self.out.clone();
        let previous = config.register_lints.take();
        config.register_lints = Some(Box::new(move |sess, store| {
            if let Some(previous) = &previous {
                previous(sess, store);
            }
            let out = out.clone();
            // A pass that declares no lint is never filtered out by lint
            // levels, so `#![allow(warnings)]` cannot switch the facts off.
            store.register_late_pass(move |_| Box::new(collect::FactsPass::new(out.clone())));
        }));
    }
}

/// The value of `-C name=value` (or `-Cname=value`) in rustc's arguments.
fn codegen_option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let prefix = format!("{name}=");
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = if arg == "-C" {
            iter.next().map(String::as_str)
        } else {
            arg.strip_prefix("-C")
        };
        if let Some(rest) = value.and_then(|v| v.strip_prefix(&prefix)) {
            return Some(rest);
        }
    }
    None
}

fn arg_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == name {
            return iter.next().map(String::as_str);
        }
        if let Some(rest) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some(rest);
        }
    }
    None
}

/// The facts file of the crate these arguments compile, when it is one to
/// analyse: a real crate (not `-vV` or `--print` probes, not a build script)
/// and the facts directory is set.
fn facts_file(args: &[String]) -> Option<PathBuf> {
    let dir = std::env::var_os(FACTS_DIR_VAR)?;
    if args.iter().any(|a| a == "-" || a.starts_with("--print")) {
        return None;
    }
    let name = arg_value(args, "--crate-name")?;
    if name == "build_script_build" || name.starts_with("build_script_") {
        return None;
    }
    let hash = codegen_option(args, "extra-filename")
        .map(|h| h.trim_start_matches('-').to_string())
        .or_else(|| codegen_option(args, "metadata").map(str::to_string))
        .unwrap_or_else(|| "0".into());
    Some(PathBuf::from(dir).join(format!("{name}-{hash}.json")))
}

fn main() -> std::process::ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    // As a wrapper, cargo passes the rustc it would have run first.
    let wrapped = args
        .get(1)
        .and_then(|a| std::path::Path::new(a).file_stem())
        .is_some_and(|stem| stem == "rustc");
    if !wrapped {
        eprintln!(
            "connlint-deep-driver: run by `cargo connlint --deep` as RUSTC_WORKSPACE_WRAPPER, \
             not directly"
        );
        exit(2);
    }
    let rustc = args.remove(1);
    let Some(out) = facts_file(&args[1..]) else {
        // Version probes, build scripts: the real rustc does them.
        let status = Command::new(&rustc).args(&args[1..]).status();
        exit(match status {
            Ok(status) => status.code().unwrap_or(1),
            Err(e) => {
                eprintln!("connlint-deep-driver: cannot run {rustc}: {e}");
                1
            }
        });
    };
    let early =
        rustc_session::EarlyDiagCtxt::new(rustc_session::config::ErrorOutputType::default());
    rustc_driver::init_rustc_env_logger(&early);
    rustc_driver::catch_with_exit_code(move || {
        rustc_driver::run_compiler(&args, &mut FactsCallbacks { out });
    })
}
