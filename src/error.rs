//! Errors that stop a run, each a whole sentence with its location, and the exit
//! code it maps to.
//!
//! Problems *in the data* are not errors of this kind: they are collected as
//! [`crate::issues::Issue`]s and the run goes on.
//!
//! A mistake on the command line and a period another run is writing are
//! written in Italian and in English ([`Error::translated`]), as the console
//! prints them in the language of `--lang`; the others quote what the
//! configuration parser, the readers and the system say, in English, and are
//! printed in English.

use crate::labels::Lang;
use crate::location::Location;
use crate::text::Text;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// A command-line value that makes no sense, in both languages.
    #[error("{}", .0.en())]
    Usage(Text),

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

    /// A usage error, in Italian and in English.
    pub(crate) fn usage(it: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Usage(Text::new(it, en))
    }

    /// The error in both languages, when it is written in both; `None` for
    /// those in English only.
    pub(crate) fn translated(&self) -> Option<Text> {
        match self {
            Error::Usage(text) => Some(text.clone()),
            Error::Locked { path, owner } => {
                let (it_owner, en_owner) = match owner.is_empty() {
                    true => (String::new(), String::new()),
                    false => (
                        format!(" (processo {owner})"),
                        format!(" (process {owner})"),
                    ),
                };
                Some(Text::new(
                    format!("{path}: un'altra esecuzione di consolida{it_owner} sta scrivendo questo periodo; riprovare quando avrà finito."),
                    format!("{path}: another consolida run{en_owner} is writing this period; try again when it has finished."),
                ))
            }
            _ => None,
        }
    }

    /// The error as the console prints it in `lang`: the word for an error
    /// and the message, both in `lang` when the error is written in both
    /// languages, both in English otherwise.
    pub(crate) fn line(&self, lang: Lang) -> String {
        match self.translated() {
            Some(text) => format!(
                "{}: {}",
                crate::issues::Severity::Error.word(lang),
                text.get(lang)
            ),
            None => format!("error: {self}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_speak_the_console_language_and_the_others_english() {
        let usage = Error::usage(
            "La cartella «x» non esiste.",
            "The folder 'x' does not exist.",
        );
        assert_eq!(usage.line(Lang::It), "errore: La cartella «x» non esiste.");
        assert_eq!(
            usage.line(Lang::En),
            "error: The folder 'x' does not exist."
        );
        assert_eq!(usage.to_string(), "The folder 'x' does not exist.");
        let config = Error::Config {
            path: "consolida.toml".into(),
            line: Some(2),
            message: "Unknown field `x`.".into(),
        };
        assert_eq!(
            config.line(Lang::It),
            "error: consolida.toml:2: Unknown field `x`."
        );
        let locked = Error::Locked {
            path: "reports/.2026-11.lock".into(),
            owner: String::new(),
        };
        assert_eq!(
            locked.line(Lang::It),
            "errore: reports/.2026-11.lock: un'altra esecuzione di consolida sta scrivendo questo periodo; riprovare quando avrà finito."
        );
    }
}
