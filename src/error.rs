//! Errors that stop a run, each a whole sentence with its location, and the exit
//! code it maps to.
//!
//! Problems *in the data* are not errors of this kind: they are collected as
//! [`crate::issues::Issue`]s and the run goes on.

use crate::location::Location;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// A command-line value that makes no sense.
    #[error("{0}")]
    Usage(String),

    /// A mistake in `consolida.toml`.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        path: String,
        line: Option<usize>,
        message: String,
    },

    /// An input that cannot be read at all.
    #[error("{location}: {message}")]
    UnreadableInput { location: Location, message: String },

    /// A failure inside the tool itself (a bug): the report cannot be produced.
    #[error("internal error: {0}")]
    Internal(String),

    /// Another run is writing the same period.
    #[error("{path}: another consolida run{} is writing this period; try again when it has finished.", if owner.is_empty() { String::new() } else { format!(" (process {owner})") })]
    Locked { path: String, owner: String },

    /// A report that cannot be written.
    #[error("{path}: cannot write the report: {message}")]
    Output { path: String, message: String },
}

impl Error {
    /// The exit code, as README.md's "Exit codes" lists them: 2 usage,
    /// configuration or a period locked by another run, 3 unreadable input,
    /// 4 a report that could not be produced or written.
    pub(crate) fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Config { .. } | Error::Locked { .. } => 2,
            Error::UnreadableInput { .. } => 3,
            Error::Output { .. } | Error::Internal(_) => 4,
        }
    }

    pub(crate) fn unreadable(location: Location, message: impl Into<String>) -> Error {
        Error::UnreadableInput {
            location,
            message: message.into(),
        }
    }

    pub(crate) fn output(path: impl Into<String>, message: impl ToString) -> Error {
        Error::Output {
            path: path.into(),
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
