//! Handing memory freed between two stages back to the system.
//!
//! The workbook reader allocates a large sheet's cells on worker threads that
//! end when the sheet is read. When the cells are freed (each file's as soon as
//! its rows are normalised), mimalloc (the process allocator, `src/main.rs`)
//! keeps their pages for those threads' abandoned heaps a while, and the next
//! stage's threads take new ones, which raised the peak of a large run
//! (BENCHMARKS.md, change 25). Collecting right after the free returns those
//! pages first.
//!
//! Between those points, freed pages are kept for the next allocations rather
//! than handed back after mimalloc's usual delay of a second: each page handed
//! back is zeroed again by the kernel when it is next used, and on a large run
//! that cost many more page faults than the little it took off the peak
//! (BENCHMARKS.md, change 48).

use std::ffi::{c_int, c_long};

// Links the mimalloc library into every binary built on this crate (the tool,
// its tests, the fuzz targets), whether or not it is that binary's allocator:
// the functions below are mimalloc's own.
extern crate mimalloc;

extern "C" {
    /// mimalloc's own `mi_collect`.
    fn mi_collect(force: bool);
    fn mi_option_set(option: c_int, value: c_long);
}

/// `mi_option_purge_delay` of mimalloc's `mimalloc.h`, which the `mimalloc`
/// crate's bindings do not name: how many milliseconds freed memory waits
/// before it is handed back.
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// How long freed pages are kept: longer than a run, short of being kept for
/// ever by a process that lives on.
const KEEP_FREED_MS: c_long = 60_000;

/// Keeps freed memory for reuse until [`release_freed`] hands it back. Called
/// first thing in `main`, before any other thread runs (mimalloc's options are
/// not meant to change under running threads).
pub fn keep_freed() {
    // SAFETY: takes no pointers; called before any other thread exists.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, KEEP_FREED_MS) }
}

/// Returns the memory freed so far to the system, so that the next stage's
/// allocations do not add to it (mimalloc hands back at once what a forced
/// collect frees, whatever the delay [`keep_freed`] set).
pub(crate) fn release_freed() {
    // SAFETY: `mi_collect` takes no pointers and may be called at any time from
    // any thread; the mimalloc library is linked into every consolida binary
    // through the `mimalloc` dependency, whether or not it is the allocator.
    unsafe { mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" {
        fn mi_option_get(option: c_int) -> c_long;
    }

    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        // SAFETY: reads an option; takes no pointers. Tests never call
        // `keep_freed`, so the option still has mimalloc's default.
        let delay = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "mimalloc's default purge delay, in milliseconds"
        );
    }
}
