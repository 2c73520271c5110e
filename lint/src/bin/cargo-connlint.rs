//! `cargo connlint`: cargo finds this binary on PATH and runs it as
//! `cargo-connlint connlint [args]`.

// mimalloc: the analysis allocates many small syntax-tree and path values,
// and glibc's allocator spent a fifth of the run on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    connlint::cli::main(connlint::cli::Mode::CargoWorkspace)
}
