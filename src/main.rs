//! Second Opinion: one binary that serves the web app and runs its chores.

/// A page allocates and frees many small strings and rows across the
/// runtime's threads; glibc's malloc spent 17 % of the app's time there under
/// load and kept arenas per thread (README, "Measurements").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    second_opinion::cli::main()
}
