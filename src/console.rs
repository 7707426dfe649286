//! What the binary says on stderr: errors, the issues found, and a closing line.
//!
//! Text for people (issues grouped by file, capped with a count of the rest) or one
//! JSON object per line for log collectors (`--log-format json`). No prompts and no
//! colours; progress lines only when stderr is a terminal, so cron logs stay clean.

use crate::cli::LogFormat;
use crate::issues::Issue;
use serde_json::json;

/// How many issues are printed in text form before the rest are counted.
pub const SHOWN_ISSUES: usize = 20;

/// Writes messages in the chosen format.
pub struct Console {
    pub format: LogFormat,
    pub quiet: bool,
}

impl Console {
    /// A fatal error; printed even with `--quiet`.
    pub fn error(&self, message: &str, exit_code: i32) {
        self.end_progress();
        match self.format {
            LogFormat::Text => eprintln!("consolida: error: {message}"),
            LogFormat::Json => {
                eprintln!(
                    "{}",
                    json!({"level": "error", "message": message, "exit_code": exit_code})
                )
            }
        }
    }

    /// A transient progress line, shown only on a terminal (overwritten by the next).
    pub fn progress(&self, message: &str) {
        use std::io::IsTerminal;
        if self.quiet || self.format != LogFormat::Text || !std::io::stderr().is_terminal() {
            return;
        }
        eprint!("\r\x1b[2K{message}");
    }

    /// Clears the progress line, if any.
    pub fn end_progress(&self) {
        self.progress("");
    }

    /// A progress or closing line.
    pub fn info(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => eprintln!("{message}"),
            LogFormat::Json => eprintln!("{}", json!({"level": "info", "message": message})),
        }
    }

    /// A problem with an output that does not stop the run (e.g. a character the
    /// PDF fonts cannot draw); silenced by `--quiet` like the issues.
    pub fn warning(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => eprintln!("consolida: warning: {message}"),
            LogFormat::Json => eprintln!("{}", json!({"level": "warning", "message": message})),
        }
    }

    /// The data issues: all of them in JSON, the first [`SHOWN_ISSUES`] in text.
    pub fn issues(&self, issues: &[Issue]) {
        if self.quiet || issues.is_empty() {
            return;
        }
        match self.format {
            LogFormat::Json => {
                for issue in issues {
                    eprintln!("{}", issue_json(issue));
                }
            }
            LogFormat::Text => {
                for issue in issues.iter().take(SHOWN_ISSUES) {
                    eprintln!("{issue}");
                }
                if issues.len() > SHOWN_ISSUES {
                    eprintln!(
                        "… and {} more issues (all of them are in issues.csv and the reports).",
                        issues.len() - SHOWN_ISSUES
                    );
                }
            }
        }
    }
}

fn issue_json(issue: &Issue) -> serde_json::Value {
    json!({
        "level": issue.severity.key(),
        "file": issue.location.file,
        "sheet": issue.location.sheet,
        "cell": issue.location.cell_ref(),
        "value": issue.value,
        "message": issue.message,
        "suggestion": issue.suggestion,
    })
}
