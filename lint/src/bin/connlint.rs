fn main() -> std::process::ExitCode {
    connlint::cli::main(connlint::cli::Mode::Paths)
}
