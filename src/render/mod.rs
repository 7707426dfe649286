//! Renderers: one file per output format, each turning the same
//! [`crate::report::Report`] into bytes. None of them recomputes a figure, and none
//! writes files: [`crate::render::write`] puts the bytes in place atomically.

pub(crate) mod csv;
pub(crate) mod json;
mod lock;
pub(crate) mod parquet;
pub(crate) mod pdf;
mod swap;
pub(crate) mod write;
pub(crate) mod xlsx;

use crate::labels::Lang;
use chrono::NaiveDateTime;

/// What every renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderOptions {
    pub(crate) lang: Lang,
    /// The creation time written into document metadata: fixed from the period (or
    /// `SOURCE_DATE_EPOCH`) so that reruns are byte-identical.
    pub(crate) created: NaiveDateTime,
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
