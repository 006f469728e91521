//! The `lauream` binary: the command line of the library (see
//! `lauream::cli`), after one process-wide setting of the allocator.

/// Tunes the allocator, then runs the command line and exits with its code.
fn main() -> std::process::ExitCode {
    limita_arene_malloc();
    lauream::cli::main()
}

/// glibc gives threads their own malloc arenas, up to eight per core, and a
/// freed block stays in its arena. typst, its rayon pool and the rendering
/// workers allocate on many threads, so a long batch spread its garbage over
/// many arenas. One arena per core lowered the peak memory of a
/// 10,000-person year from 213 to 163 MiB, at no cost in speed (see
/// docs/performance.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limita_arene_malloc() {
    let core = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, core as libc::c_int);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limita_arene_malloc() {}
