//! The lock that keeps two runs from writing the same period at once.
//!
//! `<out>/.<period>.lock` is locked with the system's advisory lock on the open
//! file (`flock` on Unix), which the kernel releases when the process ends,
//! however it ends: a lock is held only by a live run, whatever its process id,
//! and a killed run's lock is free at once. The process id written in the file is
//! only for the message a second run prints.
//!
//! On Unix the holder removes the file as it releases the lock. A run that opened
//! the file just before may then lock the removed file, so a run that gets the
//! lock checks that the file it locked is still the one at the path, and starts
//! again if not: two runs never both hold the lock of the path. Elsewhere the file
//! stays in place and is only locked and unlocked.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many times a run opens the lock file again when each file it locked had
/// been released and removed by a run that finished meanwhile.
const ATTEMPTS: usize = 10;

/// The period's lock, held until dropped.
pub(super) struct PeriodLock {
    path: PathBuf,
    // Closing the file releases the lock (after `drop` has removed the path).
    _file: File,
}

impl PeriodLock {
    /// Takes the lock of `dir`, the period's folder, making its parent folder.
    ///
    /// # Errors
    /// [`Error::Locked`] when another run holds it (the message names the lock
    /// and, once it has written it, the other run's process id);
    /// [`Error::Output`] when the parent folder or the lock file cannot be made.
    pub(super) fn acquire(dir: &Path) -> Result<PeriodLock> {
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::output(parent.display().to_string(), e))?;
        let path = lock_path(dir);
        let fail = |e: std::io::Error| Error::output(path.display().to_string(), e);
        for _ in 0..ATTEMPTS {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(fail)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(locked(&path)),
                Err(TryLockError::Error(e)) => return Err(fail(e)),
            }
            if !is_at(&file, &path).map_err(fail)? {
                continue;
            }
            // Only for the message of a run refused meanwhile: a failure to write
            // it leaves that message without the process id.
            let _ = file
                .set_len(0)
                .and_then(|()| write!(file, "{}", std::process::id()));
            return Ok(PeriodLock { path, _file: file });
        }
        Err(Error::Locked {
            path: path.display().to_string(),
            owner: String::new(),
        })
    }
}

impl Drop for PeriodLock {
    /// Removes the file while still holding its lock (Unix); closing the file
    /// then releases the lock.
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// `<parent>/.<name>.lock` for the period folder `dir`.
fn lock_path(dir: &Path) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("report");
    dir.with_file_name(format!(".{name}.lock"))
}

/// The refusal of a lock another run holds, with its process id when the file
/// holds one.
fn locked(path: &Path) -> Error {
    let owner = std::fs::read_to_string(path).unwrap_or_default();
    let owner = owner.trim();
    let is_pid = !owner.is_empty() && owner.bytes().all(|b| b.is_ascii_digit());
    Error::Locked {
        path: path.display().to_string(),
        owner: if is_pid { owner } else { "" }.to_string(),
    }
}

/// Whether `file` is still the file at `path`: not removed or replaced by the
/// run that held it before.
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let locked = file.metadata()?;
    match std::fs::metadata(path) {
        Ok(at_path) => Ok(locked.dev() == at_path.dev() && locked.ino() == at_path.ino()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The lock file is never removed here, so the file locked is the one at the path.
#[cfg(not(unix))]
fn is_at(_file: &File, _path: &Path) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        crate::render::scratch_dir("lock", name)
    }

    #[test]
    fn a_second_run_on_the_same_period_is_refused_while_the_first_holds_the_lock() {
        let out = scratch("held");
        let period = out.join("2026-11");
        let first = PeriodLock::acquire(&period).unwrap();
        let err = PeriodLock::acquire(&period)
            .err()
            .expect("the lock is held");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            format!(
                "{}: another consolida run (process {}) is writing this period; try again when it has finished.",
                out.join(".2026-11.lock").display(),
                std::process::id()
            )
        );
        drop(first);
        assert!(!out.join(".2026-11.lock").exists(), "the lock is removed");
        assert!(
            PeriodLock::acquire(&period).is_ok(),
            "the lock is released on drop"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_lock_file_that_no_process_holds_is_taken_whatever_process_id_it_names() {
        let out = scratch("unheld");
        let period = out.join("2026-11");
        // Process 1 always runs (in a container, it was the killed run itself),
        // and so does this test's own process; neither holds the lock.
        for owner in ["1", &std::process::id().to_string(), "4000000000", ""] {
            std::fs::write(out.join(".2026-11.lock"), owner).unwrap();
            let lock = PeriodLock::acquire(&period)
                .unwrap_or_else(|e| panic!("a lock naming '{owner}': {e}"));
            assert_eq!(
                std::fs::read_to_string(out.join(".2026-11.lock")).unwrap(),
                std::process::id().to_string(),
                "the new holder's process id replaces '{owner}'"
            );
            drop(lock);
        }
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_lock_held_before_its_process_id_is_written_is_still_held() {
        let out = scratch("empty");
        let period = out.join("2026-11");
        let held = File::create(out.join(".2026-11.lock")).unwrap();
        held.try_lock().unwrap();
        let err = PeriodLock::acquire(&period)
            .err()
            .expect("the lock is held");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: another consolida run is writing this period; try again when it has finished.",
                out.join(".2026-11.lock").display()
            )
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_removed_by_the_run_that_held_it_is_not_held_by_the_next() {
        let out = scratch("removed");
        let period = out.join("2026-11");
        let path = out.join(".2026-11.lock");
        // The next run opened the file; the holder then removed it and ended.
        let opened = File::create(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        opened.try_lock().unwrap();
        assert!(
            !is_at(&opened, &path).unwrap(),
            "the removed file is not it"
        );
        let lock = PeriodLock::acquire(&period).unwrap();
        assert!(is_at(&lock._file, &path).unwrap());
        drop(opened);
        std::fs::remove_dir_all(&out).unwrap();
    }
}
