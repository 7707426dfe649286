//! Putting the outputs in place, so that a killed run never leaves a half-written
//! report.
//!
//! A run writes every file of a period into a staging folder beside the period's
//! folder, `manifest.json` (the SHA-256 of every input and output) last, and only
//! then swaps the staging folder in. Until that moment the previous report of the
//! period stays untouched; afterwards the new one is complete. A lock file keeps two
//! runs from writing the same period at once.

use crate::error::{Error, Result};
use crate::ingest::sha256_hex;
use crate::report::Report;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output file, written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) name: String,
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
}

/// A period's new report being written: the period's lock is held and the files
/// go into the staging folder, as each is ready, until [`ReportWriter::publish`]
/// adds `manifest.json` and swaps the folder in. Dropped before that, it leaves
/// the period's old report as it was.
pub(crate) struct ReportWriter {
    staging: Staging,
    _lock: PeriodLock,
}

impl ReportWriter {
    /// Takes the lock of `dir`, the period's folder, and makes its staging folder.
    ///
    /// # Errors
    /// [`Error::Output`] when the staging folder cannot be made or another run holds
    /// the period's lock (then the message names the lock and the other process).
    pub(crate) fn begin(dir: &Path) -> Result<ReportWriter> {
        let lock = PeriodLock::acquire(dir)?;
        Ok(ReportWriter {
            staging: Staging::new(dir)?,
            _lock: lock,
        })
    }

    /// Writes, syncs and hashes the output `name`; outputs may be written from
    /// several threads at once.
    ///
    /// # Errors
    /// [`Error::Output`] when the file cannot be written.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> Result<Written> {
        self.staging.write(name, bytes)?;
        Ok(Written {
            name: name.to_string(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
        })
    }

    /// Writes `manifest.json` for the outputs `written` and puts the new report in
    /// place; returns the outputs with the manifest last.
    ///
    /// # Errors
    /// [`Error::Output`] when the manifest cannot be written or the folders swapped.
    pub(crate) fn publish(
        self,
        mut written: Vec<Written>,
        report: &Report,
    ) -> Result<Vec<Written>> {
        let manifest = manifest(report, &written)?;
        written.push(self.write("manifest.json", &manifest)?);
        self.staging.publish()?;
        Ok(written)
    }
}

/// A sibling folder `.<name>.staging-<pid>` that becomes `dir` on [`Staging::publish`]
/// and is removed if dropped before.
struct Staging {
    dir: PathBuf,
    path: PathBuf,
    published: bool,
}

impl Staging {
    /// Call with the period's lock held: leftovers of killed runs are removed first.
    fn new(dir: &Path) -> Result<Staging> {
        remove_leftovers(dir);
        let path = sibling(dir, "staging");
        std::fs::create_dir_all(&path).map_err(|e| Error::output(path.display().to_string(), e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            path,
            published: false,
        })
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path.join(name);
        let result = (|| -> std::io::Result<()> {
            let mut file = std::fs::File::create(&path)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        result.map_err(|e| Error::output(self.dir.join(name).display().to_string(), e))
    }

    /// Swaps the staging folder in: the old folder is moved aside, the new one
    /// renamed into place, the old one removed.
    fn publish(mut self) -> Result<()> {
        let old = sibling(&self.dir, "old");
        let _ = std::fs::remove_dir_all(&old);
        let fail = |e: std::io::Error| Error::output(self.dir.display().to_string(), e);
        let had_old = self.dir.exists();
        if had_old {
            std::fs::rename(&self.dir, &old).map_err(fail)?;
        }
        if let Err(e) = std::fs::rename(&self.path, &self.dir) {
            if had_old {
                let _ = std::fs::rename(&old, &self.dir);
            }
            return Err(fail(e));
        }
        self.published = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Removes the staging and old folders that killed runs left beside `dir`. Only
/// called under the period's lock, so no live run owns them.
fn remove_leftovers(dir: &Path) {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name().and_then(|n| n.to_str()))
    else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = [format!(".{name}.staging-"), format!(".{name}.old-")];
        if ours
            .iter()
            .any(|prefix| file_name.starts_with(prefix.as_str()))
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `<parent>/.<name>.<what>-<pid>`, the hidden sibling of a period folder.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("report");
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// The lock `<parent>/.<name>.lock` holding the owner's process id; removed on drop.
/// A lock left by a process that no longer runs is taken over.
struct PeriodLock {
    path: PathBuf,
}

impl PeriodLock {
    fn acquire(dir: &Path) -> Result<PeriodLock> {
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::output(parent.display().to_string(), e))?;
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("report");
        let path = dir.with_file_name(format!(".{name}.lock"));
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(PeriodLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = std::fs::read_to_string(&path).unwrap_or_default();
                    let owner = owner.trim();
                    if process_is_running(owner) {
                        return Err(Error::Locked {
                            path: path.display().to_string(),
                            owner: owner.to_string(),
                        });
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(Error::output(path.display().to_string(), e)),
            }
        }
        Err(Error::Locked {
            path: path.display().to_string(),
            owner: String::new(),
        })
    }
}

impl Drop for PeriodLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether a process with this id runs (Linux `/proc`; elsewhere assumed running).
fn process_is_running(pid: &str) -> bool {
    match pid.parse::<u32>() {
        Ok(pid) if Path::new("/proc/self").exists() => Path::new(&format!("/proc/{pid}")).exists(),
        Ok(_) => true,
        Err(_) => false,
    }
}

/// Every input file once, with its digest, even when two `[[source]]` entries
/// read it (as members and as partners, or two of its sheets): its kinds are
/// then joined, `members+partners`.
fn manifest_inputs(report: &Report) -> Vec<serde_json::Value> {
    let mut files: Vec<(&str, Vec<&str>, &str)> = Vec::new();
    for input in report.inputs.iter().chain(report.config.iter()) {
        match files.iter_mut().find(|(path, _, _)| *path == input.path) {
            Some((_, kinds, _)) if kinds.contains(&input.kind.key()) => {}
            Some((_, kinds, _)) => kinds.push(input.kind.key()),
            None => files.push((&input.path, vec![input.kind.key()], &input.sha256)),
        }
    }
    files
        .into_iter()
        .map(|(path, kinds, sha256)| {
            json!({ "path": path, "kind": kinds.join("+"), "sha256": sha256 })
        })
        .collect()
}

fn manifest(report: &Report, outputs: &[Written]) -> Result<Vec<u8>> {
    let value = json!({
        "schema_version": 1,
        "tool": "consolida",
        "version": report.version,
        "period": report.period.to_string(),
        "inputs": manifest_inputs(report),
        "outputs": outputs.iter().map(|o| json!({
            "path": o.name,
            "sha256": o.sha256,
            "bytes": o.bytes,
        })).collect::<Vec<_>>(),
    });
    let mut bytes =
        serde_json::to_vec_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes one file atomically: a temporary sibling, synced, renamed into place.
///
/// # Errors
/// [`Error::Output`] when any step fails; the temporary file is removed.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::output(path.display().to_string(), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("consolida-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_manifest_lists_a_file_read_twice_once() {
        let mut report = crate::report::sample_report();
        let mut again = report.inputs[0].clone();
        again.kind = crate::schema::InputKind::Data(crate::schema::SourceKind::Partners);
        report.inputs.insert(1, again.clone());
        again.sheets = vec!["Partner".into()];
        report.inputs.push(again);
        let inputs = manifest_inputs(&report);
        let listed: Vec<(&str, &str)> = inputs
            .iter()
            .map(|i| (i["path"].as_str().unwrap(), i["kind"].as_str().unwrap()))
            .collect();
        assert_eq!(
            listed,
            [
                ("inputs/soci.xlsx", "members+partners"),
                ("inputs/progetti.xlsx", "projects"),
                ("inputs/consolida.toml", "config"),
            ]
        );
        assert_eq!(inputs[0]["sha256"], report.inputs[0].sha256.as_str());
    }

    #[test]
    fn a_run_that_fails_before_publishing_leaves_the_old_report_untouched() {
        let out = scratch("abandon");
        let period = out.join("2026-11");
        std::fs::create_dir_all(&period).unwrap();
        std::fs::write(period.join("summary.json"), b"old").unwrap();
        {
            let writer = ReportWriter::begin(&period).unwrap();
            writer.write("summary.json", b"new").unwrap();
            // dropped without publish: a later output failed to render
        }
        assert_eq!(std::fs::read(period.join("summary.json")).unwrap(), b"old");
        assert_eq!(
            names(&out),
            ["2026-11"],
            "no staging folder or lock is left behind"
        );
        std::fs::create_dir_all(out.join(".2026-11.staging-1")).unwrap();
        std::fs::create_dir_all(out.join(".2026-11.old-1")).unwrap();
        drop(Staging::new(&period).unwrap());
        assert_eq!(
            names(&out),
            ["2026-11"],
            "a killed run's leftovers are cleared"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn publishing_replaces_the_whole_folder() {
        let out = scratch("publish");
        let period = out.join("2026-11");
        std::fs::create_dir_all(&period).unwrap();
        std::fs::write(period.join("stale.csv"), b"old").unwrap();
        let writer = ReportWriter::begin(&period).unwrap();
        let summary = writer.write("summary.json", b"new").unwrap();
        assert_eq!(summary.bytes, 3);
        let written = writer
            .publish(vec![summary], &crate::report::sample_report())
            .unwrap();
        let names_written: Vec<&str> = written.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names_written, ["summary.json", "manifest.json"]);
        assert_eq!(names(&period), ["manifest.json", "summary.json"]);
        assert_eq!(names(&out), ["2026-11"], "the lock is gone");
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_second_run_on_the_same_period_is_refused_while_the_first_holds_the_lock() {
        let out = scratch("lock");
        let period = out.join("2026-11");
        let first = PeriodLock::acquire(&period).unwrap();
        let err = PeriodLock::acquire(&period)
            .err()
            .expect("the lock is held");
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(".2026-11.lock"), "{err}");
        drop(first);
        assert!(
            PeriodLock::acquire(&period).is_ok(),
            "the lock is released on drop"
        );
        std::fs::write(out.join(".2026-11.lock"), "4000000000").unwrap();
        assert!(
            PeriodLock::acquire(&period).is_ok(),
            "a stale lock is taken over"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn single_files_replace_their_old_version_and_leave_no_temporary() {
        let dir = scratch("atomic");
        let target = dir.join("soci.xlsx");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(&dir), ["soci.xlsx"]);
        let err = write_atomically(Path::new("/nonexistent-dir/x.json"), b"x").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent-dir/x.json: cannot write the report"),
            "{err}"
        );
        assert_eq!(err.exit_code(), 4);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
