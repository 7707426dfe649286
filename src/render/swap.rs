//! Swapping a period's new folder in for the old one, so that the period's path
//! always holds a whole report, the old one or the new one.
//!
//! On Linux the two folders are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE`), and the old report, now at the new folder's former path,
//! is removed. Where that is not available (another system, or a file system
//! that lacks it) the old folder is renamed aside and the new one renamed into
//! place: a run killed between the two leaves the previous report only in the
//! folder aside, which the next run puts back ([`put_back`]). The first report
//! of a period is a plain rename. The parent folder is synced once the new
//! folder is in place, before the old one is removed.

use std::io;
use std::path::Path;

/// Puts the folder `new` at `dir`, replacing the folder there if any; `aside`
/// is where the old folder goes if the two cannot be exchanged in one step.
pub(super) fn swap_in(new: &Path, dir: &Path, aside: &Path) -> io::Result<()> {
    if !exists(dir)? {
        std::fs::rename(new, dir)?;
        return sync_parent(dir);
    }
    if exchange(new, dir)? {
        sync_parent(dir)?;
        // The old report, now at `new`; a run killed before it is removed leaves
        // it to the next run's clean-up.
        let _ = std::fs::remove_dir_all(new);
        return Ok(());
    }
    move_aside_and_in(new, dir, aside)
}

/// The swap in two steps: `dir` to `aside`, `new` to `dir`. When the second step
/// fails the old folder is moved back.
fn move_aside_and_in(new: &Path, dir: &Path, aside: &Path) -> io::Result<()> {
    std::fs::rename(dir, aside)?;
    if let Err(e) = std::fs::rename(new, dir) {
        let _ = std::fs::rename(aside, dir);
        return Err(e);
    }
    sync_parent(dir)?;
    let _ = std::fs::remove_dir_all(aside);
    Ok(())
}

/// Puts the folder `aside` back at `dir` when a run was killed between the two
/// steps of [`move_aside_and_in`], leaving `dir` missing; returns whether it did.
/// Call with the period's lock held.
pub(super) fn put_back(aside: &Path, dir: &Path) -> io::Result<bool> {
    if exists(dir)? {
        return Ok(false);
    }
    std::fs::rename(aside, dir)?;
    sync_parent(dir)?;
    Ok(true)
}

fn exists(path: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Exchanges the folders `a` and `b` in one step; `false` where the system or
/// the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The system call rather than glibc's `renameat2`, which glibc only has from
    // 2.28 on. SAFETY: both paths are NUL-terminated and outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        // A kernel without renameat2, or a file system without the exchange.
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(error),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Makes the renames in `path`'s parent folder durable.
#[cfg(unix)]
fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::File::open(parent)?.sync_all()
}

/// Folders cannot be opened to be synced here; the renames are left to the system.
#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::folder_names;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        crate::render::scratch_dir("swap", name)
    }

    fn folder(path: &Path, summary: &str) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join("summary.json"), summary).unwrap();
    }

    fn summary(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("summary.json")).unwrap()
    }

    #[test]
    fn the_new_folder_takes_the_old_ones_place_and_the_old_one_is_removed() {
        let out = scratch("swap");
        let (dir, new, aside) = (out.join("2026-11"), out.join("new"), out.join("aside"));
        folder(&new, "first");
        swap_in(&new, &dir, &aside).unwrap();
        assert_eq!(summary(&dir), "first");
        folder(&new, "second");
        std::fs::write(dir.join("stale.csv"), "old").unwrap();
        swap_in(&new, &dir, &aside).unwrap();
        assert_eq!(summary(&dir), "second");
        assert_eq!(folder_names(&dir), ["summary.json"]);
        assert_eq!(folder_names(&out), ["2026-11"]);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchanging_leaves_each_folder_whole_at_the_others_path() {
        let out = scratch("exchange");
        let (a, b) = (out.join("a"), out.join("b"));
        folder(&a, "a");
        folder(&b, "b");
        if exchange(&a, &b).unwrap() {
            assert_eq!((summary(&a), summary(&b)), ("b".into(), "a".into()));
        } else {
            assert_eq!((summary(&a), summary(&b)), ("a".into(), "b".into()));
        }
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn the_two_step_swap_moves_the_old_folder_back_when_the_new_one_cannot_go_in() {
        let out = scratch("two-steps");
        let (dir, new, aside) = (out.join("2026-11"), out.join("new"), out.join("aside"));
        folder(&dir, "old");
        assert!(
            move_aside_and_in(&new, &dir, &aside).is_err(),
            "no new folder"
        );
        assert_eq!(summary(&dir), "old");
        folder(&new, "new");
        move_aside_and_in(&new, &dir, &aside).unwrap();
        assert_eq!(summary(&dir), "new");
        assert_eq!(folder_names(&out), ["2026-11"]);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_run_killed_between_the_two_steps_leaves_the_old_report_to_put_back() {
        let out = scratch("put-back");
        let (dir, aside) = (out.join("2026-11"), out.join("aside"));
        folder(&dir, "old");
        // The first step of `move_aside_and_in`, then the run is killed.
        std::fs::rename(&dir, &aside).unwrap();
        assert!(put_back(&aside, &dir).unwrap());
        assert_eq!(summary(&dir), "old");
        folder(&aside, "older");
        assert!(
            !put_back(&aside, &dir).unwrap(),
            "the period has its report"
        );
        assert_eq!(summary(&dir), "old");
        std::fs::remove_dir_all(&out).unwrap();
    }
}
