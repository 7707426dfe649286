//! Renderers: one file per output format, each turning the same
//! [`crate::report::Report`] into bytes. None of them recomputes a figure, and none
//! writes files: [`crate::render::write`] puts the bytes in place atomically.

pub(crate) mod cap_rule;
pub(crate) mod csv;
mod exports;
pub(crate) mod json;
mod lock;
pub(crate) mod parquet;
pub(crate) mod pdf;
mod swap;
pub(crate) mod write;
pub(crate) mod xlsx;

use crate::config::PdfConfig;
use crate::labels::Lang;
use crate::period::Period;
use chrono::NaiveDateTime;

/// What every renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderOptions {
    pub(crate) lang: Lang,
    /// The creation time written into document metadata: fixed from the period (or
    /// `SOURCE_DATE_EPOCH`) so that reruns are byte-identical.
    pub(crate) created: NaiveDateTime,
    /// How long the PDF's lists may grow (`[pdf]` of `consolida.toml`).
    pub(crate) pdf: PdfConfig,
}

impl RenderOptions {
    /// The options the renderers' tests share: `lang`, created on
    /// 01/12/2026 at 06:30, the default `[pdf]` limits.
    #[cfg(test)]
    pub(crate) fn for_tests(lang: Lang) -> RenderOptions {
        let created = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(6, 30, 0))
            .expect("a valid time");
        RenderOptions {
            lang,
            created,
            pdf: PdfConfig::default(),
        }
    }
}

/// The name the workbook and the PDF of `period` share before their
/// extension: `consolida-2026-11`.
pub(crate) fn stem(period: Period) -> String {
    format!("consolida-{period}")
}

/// A renderer that failed; the message is a whole sentence.
#[derive(Debug, thiserror::Error)]
#[error("{format} report: {message}")]
pub(crate) struct RenderError {
    pub(crate) format: &'static str,
    pub(crate) message: String,
}

impl RenderError {
    pub(crate) fn new(format: &'static str, message: impl ToString) -> RenderError {
        RenderError {
            format,
            message: message.to_string(),
        }
    }
}

/// An empty folder of its own for a test of the output folder's handling
/// (`write`, `lock`, `swap`): `consolida-<module>-<name>-<pid>` in the
/// system's temporary folder, emptied first.
#[cfg(test)]
pub(crate) fn scratch_dir(module: &str, name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("consolida-{module}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in a folder a test made, sorted.
#[cfg(test)]
pub(crate) fn folder_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
