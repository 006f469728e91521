fn main() -> std::process::ExitCode {
    lauream::cli::main()
}
