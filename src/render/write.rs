//! Putting the outputs in place, so that a killed run never leaves a half-written
//! report.
//!
//! A run takes the period's lock ([`crate::render::lock`]), writes every file of
//! the period into a staging folder beside the period's folder, then
//! `manifest.json` (the SHA-256 of every input and output) and `SHA256SUMS`
//! (every file of the folder but itself, as `sha256sum -c` reads it) last, and
//! only then swaps the staging folder in ([`crate::render::swap`]). Until that moment the previous report of
//! the period stays untouched; afterwards the new one is complete. What a killed
//! run left beside the folder is cleared by the next run, under the lock.

use crate::error::{Error, Result};
use crate::ingest::sha256_hex;
use crate::render::lock::PeriodLock;
use crate::render::swap::{put_back, swap_in};
use crate::report::Report;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest: the SHA-256 of every input and output, for auditors.
const MANIFEST: &str = "manifest.json";
/// The SHA-256 of every other file of the period folder, for `sha256sum -c`.
const SHA256SUMS: &str = "SHA256SUMS";

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
    // Dropped first: an unpublished staging folder is removed under the lock.
    staging: Staging,
    _lock: PeriodLock,
}

impl ReportWriter {
    /// Takes the lock of `dir`, the period's folder, and makes its staging folder.
    ///
    /// # Errors
    /// [`Error::Locked`] when another run holds the period's lock (the message
    /// names the lock and the other process); [`Error::Output`] when the lock or
    /// the staging folder cannot be made, or a previous report a killed run left
    /// aside cannot be put back.
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

    /// Writes `manifest.json` for the outputs `written`, then `SHA256SUMS` for
    /// them and the manifest, and puts the new report in place; returns the
    /// outputs with the manifest and `SHA256SUMS` last.
    ///
    /// # Errors
    /// [`Error::Output`] when the manifest or the sums cannot be written or the
    /// folders swapped.
    pub(crate) fn publish(
        self,
        mut written: Vec<Written>,
        report: &Report,
    ) -> Result<Vec<Written>> {
        let manifest = manifest(report, &written)?;
        written.push(self.write(MANIFEST, &manifest)?);
        let sums = sha256sums(&written);
        written.push(self.write(SHA256SUMS, &sums)?);
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
    /// Call with the period's lock held: leftovers of killed runs are cleared first.
    fn new(dir: &Path) -> Result<Staging> {
        clear_leftovers(dir)?;
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

    /// Swaps the staging folder in for the period's folder ([`swap_in`]).
    fn publish(mut self) -> Result<()> {
        swap_in(&self.path, &self.dir, &sibling(&self.dir, "old"))
            .map_err(|e| Error::output(self.dir.display().to_string(), e))?;
        self.published = true;
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

/// Clears what killed runs left beside `dir`: staging folders (a new report not
/// yet swapped in, or an old one swapped out) are removed, and a folder moved
/// aside is put back if `dir` is missing (the run was killed between the two
/// steps of a swap), removed otherwise. Only called under the period's lock, and
/// only a run holding it makes these folders, so no live run owns them.
///
/// # Errors
/// [`Error::Output`] when the previous report cannot be put back.
fn clear_leftovers(dir: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name().and_then(|n| n.to_str()))
    else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let (staging, aside) = (format!(".{name}.staging-"), format!(".{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&aside) {
            let put_back = put_back(&entry.path(), dir)
                .map_err(|e| Error::output(entry.path().display().to_string(), e))?;
            if put_back {
                continue;
            }
        } else if !file_name.starts_with(&staging) {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
    Ok(())
}

/// `<parent>/.<name>.<what>-<pid>`, the hidden sibling of a period folder.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("report");
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
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

/// `SHA256SUMS` for the files `written`, sorted by name: a line `<hex>  <name>`
/// each, as `sha256sum` writes and `sha256sum -c` checks them from the period
/// folder. The names are the outputs' own (`consolida-2026-11.pdf`,
/// `issues.csv`): none has a backslash or a line break, which that format
/// would escape.
fn sha256sums(written: &[Written]) -> Vec<u8> {
    let mut files: Vec<&Written> = written.iter().collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
        .iter()
        .map(|file| format!("{}  {}\n", file.sha256, file.name))
        .collect::<String>()
        .into_bytes()
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
    use crate::render::folder_names;

    fn scratch(name: &str) -> PathBuf {
        crate::render::scratch_dir("write", name)
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
            folder_names(&out),
            ["2026-11"],
            "no staging folder or lock is left behind"
        );
        std::fs::create_dir_all(out.join(".2026-11.staging-1")).unwrap();
        std::fs::create_dir_all(out.join(".2026-11.old-1")).unwrap();
        drop(Staging::new(&period).unwrap());
        assert_eq!(
            folder_names(&out),
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
        assert_eq!(
            names_written,
            ["summary.json", "manifest.json", "SHA256SUMS"]
        );
        assert_eq!(
            folder_names(&period),
            ["SHA256SUMS", "manifest.json", "summary.json"]
        );
        let sums = std::fs::read_to_string(period.join("SHA256SUMS")).unwrap();
        let manifest = std::fs::read(period.join("manifest.json")).unwrap();
        assert_eq!(
            sums,
            format!(
                "{}  manifest.json\n{}  summary.json\n",
                sha256_hex(&manifest),
                sha256_hex(b"new")
            )
        );
        assert_eq!(folder_names(&out), ["2026-11"], "the lock is gone");
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_report_moved_aside_by_a_run_killed_mid_swap_is_put_back() {
        let out = scratch("mid-swap");
        let period = out.join("2026-11");
        // The swap in two steps moved the old report aside, and the run was
        // killed before it moved the new one in.
        std::fs::create_dir_all(out.join(".2026-11.old-1")).unwrap();
        std::fs::write(out.join(".2026-11.old-1/summary.json"), b"old").unwrap();
        drop(ReportWriter::begin(&period).unwrap());
        assert_eq!(std::fs::read(period.join("summary.json")).unwrap(), b"old");
        assert_eq!(folder_names(&out), ["2026-11"]);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn leftovers_are_cleared_only_by_the_run_holding_the_lock() {
        let out = scratch("leftovers");
        let period = out.join("2026-11");
        let held = PeriodLock::acquire(&period).unwrap();
        std::fs::create_dir_all(out.join(".2026-11.staging-1")).unwrap();
        let err = ReportWriter::begin(&period)
            .err()
            .expect("the lock is held");
        assert_eq!(err.exit_code(), 2);
        assert!(out.join(".2026-11.staging-1").exists(), "{err}");
        drop(held);
        drop(ReportWriter::begin(&period).unwrap());
        assert_eq!(folder_names(&out), Vec::<String>::new());
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn single_files_replace_their_old_version_and_leave_no_temporary() {
        let dir = scratch("atomic");
        let target = dir.join("soci.xlsx");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(folder_names(&dir), ["soci.xlsx"]);
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
