//! Concurrency in one place: the thread helpers the stages call (ingest reads
//! files side by side, normalise and aggregate split their work, render lays out
//! each output on a thread of its own). A panic on a helper's thread reaches the
//! caller as it was raised, so that `ingest::guarded` and the test harness see
//! the original message.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread::ScopedJoinHandle;

/// The result of a scoped thread, its panic passed on.
pub(crate) fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `beside` on a thread of its own while `here` runs on this one: two pieces of
/// work that do not depend on each other. Returns both results, `beside`'s first.
pub(crate) fn beside<A: Send, B>(
    beside: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(beside);
        let here = here();
        (joined(other), here)
    })
}

/// Drops `value` on a thread of its own, so that the caller need not wait for a
/// large structure (a million rows' cells) to be freed; join the handle where
/// it must be gone.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || drop(value))
}

/// A thread that frees what it is handed, one value after another, and hands
/// the memory back to the system after each: a stage that goes through large
/// values one by one frees each beside the next one's work.
pub(crate) struct Freeing<T: Send + 'static> {
    values: std::sync::mpsc::Sender<T>,
    thread: std::thread::JoinHandle<()>,
}

impl<T: Send + 'static> Freeing<T> {
    pub(crate) fn start() -> Freeing<T> {
        let (values, received) = std::sync::mpsc::channel::<T>();
        let thread = std::thread::spawn(move || {
            for value in received {
                drop(value);
                crate::memory::release_freed();
            }
        });
        Freeing { values, thread }
    }

    /// Hands `value` over to be freed.
    pub(crate) fn free(&self, value: T) {
        // The thread only stops when `self` is finished, so the send succeeds.
        let _ = self.values.send(value);
    }

    /// Waits until everything handed over is freed.
    pub(crate) fn finish(self) {
        drop(self.values);
        if let Err(panic) = self.thread.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

/// `f` over every item, each on a thread of its own, the results in the
/// items' order: for a few items of very different sizes, which share the cores.
pub(crate) fn each_on_its_own_thread<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let threads: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        threads.into_iter().map(joined).collect()
    })
}

/// `f` over every item, on as many threads as the machine has cores, the results
/// in the items' order. Files are read this way: each is independent, and the
/// largest usually dominates the run.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let slots = Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(item);
                slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order() {
        let items: Vec<u32> = (0..50).collect();
        let squares: Vec<u32> = items.iter().map(|i| i * i).collect();
        assert_eq!(parallel_map(&items, |i| i * i), squares);
        assert_eq!(each_on_its_own_thread(&items[..5], |i| i * i), squares[..5]);
    }

    #[test]
    fn work_beside_and_here_both_return() {
        let (a, b) = beside(|| 1 + 1, || "here");
        assert_eq!((a, b), (2, "here"));
    }

    #[test]
    fn values_handed_over_are_freed_by_finish() {
        let value = std::sync::Arc::new(5);
        let freeing = Freeing::start();
        freeing.free(std::sync::Arc::clone(&value));
        freeing.finish();
        assert_eq!(std::sync::Arc::strong_count(&value), 1);
        drop_in_background(std::sync::Arc::clone(&value))
            .join()
            .unwrap();
        assert_eq!(std::sync::Arc::strong_count(&value), 1);
    }

    #[test]
    fn a_panic_on_a_thread_reaches_the_caller_with_its_message() {
        let caught = std::panic::catch_unwind(|| {
            each_on_its_own_thread(&[1, 2], |&i| {
                if i == 2 {
                    panic!("item two failed");
                }
                i
            })
        })
        .unwrap_err();
        assert_eq!(caught.downcast_ref::<&str>(), Some(&"item two failed"));
    }
}
