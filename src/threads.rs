//! Scoped threads whose panic reaches the caller as it was raised, so that
//! `ingest::guarded` and the test harness see the original message.

use std::thread::ScopedJoinHandle;

/// The result of a scoped thread, its panic passed on.
pub fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
