//! Second Opinion: one binary that serves the web app and runs its chores.

fn main() -> std::process::ExitCode {
    second_opinion::cli::main()
}
