//! `cargo connlint`: cargo finds this binary on PATH and runs it as
//! `cargo-connlint connlint [args]`.

fn main() -> std::process::ExitCode {
    connlint::cli::main(connlint::cli::Mode::CargoWorkspace)
}
