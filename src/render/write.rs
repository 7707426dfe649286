//! Putting the outputs in place: each file is written to a temporary file in the
//! same folder and renamed over the old one, so a run that is killed never leaves a
//! half-written report. `manifest.json`, with the SHA-256 of every input and output,
//! is written last.

use crate::error::{Error, Result};
use crate::ingest::sha256_hex;
use crate::report::Report;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output file, written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Writes `files` (name, bytes) into `dir`, then `manifest.json` describing them.
///
/// # Errors
/// [`Error::Output`] when the folder cannot be created or a file cannot be written.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)], report: &Report) -> Result<Vec<Written>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir.display().to_string(), e))?;
    let mut written = Vec::with_capacity(files.len() + 1);
    for (name, bytes) in files {
        write_atomically(&dir.join(name), bytes)?;
        written.push(Written {
            name: name.clone(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
        });
    }
    let manifest = manifest(report, &written)?;
    write_atomically(&dir.join("manifest.json"), &manifest)?;
    written.push(Written {
        name: "manifest.json".into(),
        sha256: sha256_hex(&manifest),
        bytes: manifest.len() as u64,
    });
    Ok(written)
}

/// Writes `bytes` to a temporary sibling of `path`, syncs it, and renames it into place.
///
/// # Errors
/// [`Error::Output`] when any step fails; the temporary file is removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_path(path);
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

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn manifest(report: &Report, outputs: &[Written]) -> Result<Vec<u8>> {
    let value = json!({
        "schema_version": 1,
        "tool": "consolida",
        "version": report.version,
        "period": report.period.to_string(),
        "inputs": report.inputs.iter().chain(report.config.iter()).map(|i| json!({
            "path": i.path,
            "kind": i.kind,
            "sha256": i.sha256,
        })).collect::<Vec<_>>(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_replace_their_old_version_and_leave_no_temporary() {
        let dir = std::env::temp_dir().join(format!("consolida-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("summary.json");
        std::fs::write(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_names_the_file() {
        let err = write_atomically(Path::new("/nonexistent-dir/x.json"), b"x").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent-dir/x.json: cannot write the report"),
            "{err}"
        );
        assert_eq!(err.exit_code(), 4);
    }
}
