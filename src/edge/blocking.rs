//! CPU-heavy work (parsing a page, summarising an edition) run without stalling the async
//! runtime: on the multi-threaded runtime the worker hands its other tasks to the rest
//! (`block_in_place`) while it computes; on a current-thread runtime it simply computes.

/// Runs `work` to the end, letting the runtime's other tasks go on meanwhile when it can.
pub fn cpu_heavy<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}
