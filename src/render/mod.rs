//! Renderers: one file per output format, each turning the same
//! [`crate::report::Report`] into bytes. None of them recomputes a figure, and none
//! writes files: [`crate::render::write`] puts the bytes in place atomically.

pub mod csv;
pub mod json;
pub mod parquet;
pub mod pdf;
pub mod write;
pub mod xlsx;

use crate::labels::Lang;
use chrono::NaiveDateTime;

/// What every renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub lang: Lang,
    /// The creation time written into document metadata: fixed from the period (or
    /// `SOURCE_DATE_EPOCH`) so that reruns are byte-identical.
    pub created: NaiveDateTime,
}

/// A renderer that failed; the message is a whole sentence.
#[derive(Debug, thiserror::Error)]
#[error("{format} report: {message}")]
pub struct RenderError {
    pub format: &'static str,
    pub message: String,
}

impl RenderError {
    pub fn new(format: &'static str, message: impl ToString) -> RenderError {
        RenderError {
            format,
            message: message.to_string(),
        }
    }
}
