//! The process's heap: one glibc malloc arena, set before any thread starts, and free pages
//! handed back to the system after the daily prune.
//!
//! glibc gives each thread that allocates its own arena (up to eight per core), and memory
//! freed in one arena is not reused by another. sled's flusher and thread pool and tokio's
//! workers each allocate, so the resident set grew well past the live heap: the retention
//! benchmark (100,000 subscribers, 40 days) peaked at 104 MB with the default arenas, 84 MB
//! with two and 55 MB with one, at the same speed (`cargo bench --bench retention`). An
//! operator's own `MALLOC_ARENA_MAX` is left as it is.

/// Limits glibc to one malloc arena unless `MALLOC_ARENA_MAX` is set. Call it first in
/// `main`, before the runtime starts its threads. Does nothing on other C libraries.
pub fn use_one_malloc_arena() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before any other
    // thread exists, and M_ARENA_MAX with a positive value is a documented setting.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Hands the heap's free pages back to the system (glibc's `malloc_trim`), after work that
/// freed much (the daily prune and sealing), so the resident set follows what is in use
/// rather than the most the day ever held. Does nothing on other C libraries.
pub fn release_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it takes the arena's lock
    // like any allocation and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
