//! What the binary says on stderr: errors, the issues found, and a closing line.
//!
//! Text for people — issues grouped by file, each group headed by its counts, its
//! errors before its warnings, capped with a count of the rest — or one JSON
//! object per line for log collectors (`--log-format json`). No prompts and no
//! colours; progress lines only when stderr is a terminal, so cron logs stay clean.

use crate::cli::LogFormat;
use crate::issues::{Issue, Severity};
use serde_json::json;

/// How many issues of one file are printed in text form before the rest are counted.
pub(crate) const SHOWN_ISSUES: usize = 20;

/// Writes messages in the chosen format.
pub(crate) struct Console {
    pub(crate) format: LogFormat,
    pub(crate) quiet: bool,
}

impl Console {
    /// A fatal error; printed even with `--quiet`.
    pub(crate) fn error(&self, message: &str, exit_code: i32) {
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
    pub(crate) fn progress(&self, message: &str) {
        use std::io::IsTerminal;
        if self.quiet || self.format != LogFormat::Text || !std::io::stderr().is_terminal() {
            return;
        }
        eprint!("\r\x1b[2K{message}");
    }

    /// Clears the progress line, if any.
    pub(crate) fn end_progress(&self) {
        self.progress("");
    }

    /// A progress or closing line.
    pub(crate) fn info(&self, message: &str) {
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
    pub(crate) fn warning(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => eprintln!("consolida: warning: {message}"),
            LogFormat::Json => eprintln!("{}", json!({"level": "warning", "message": message})),
        }
    }

    /// The data issues: all of them in JSON; in text, grouped by file and capped.
    pub(crate) fn issues(&self, issues: &[Issue]) {
        if self.quiet || issues.is_empty() {
            return;
        }
        match self.format {
            LogFormat::Json => {
                for issue in issues {
                    eprintln!("{}", issue_json(issue));
                }
            }
            LogFormat::Text => eprint!("{}", issues_text(issues, SHOWN_ISSUES)),
        }
    }
}

/// The issues as text: per file, in order of first appearance, a line with the
/// file's counts, then its errors and its warnings (each in reading order), at
/// most `shown` of them, then how many more there are.
pub(crate) fn issues_text(issues: &[Issue], shown: usize) -> String {
    let mut files: Vec<&str> = Vec::new();
    for issue in issues {
        if !files.contains(&issue.location.file.as_str()) {
            files.push(&issue.location.file);
        }
    }
    let mut out = String::new();
    for file in files {
        let of_file: Vec<&Issue> = issues.iter().filter(|i| i.location.file == file).collect();
        let errors = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        out.push_str(&format!(
            "{file}: {errors} errors, {} warnings\n",
            of_file.len() - errors
        ));
        let ordered = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .chain(of_file.iter().filter(|i| i.severity == Severity::Warning));
        for issue in ordered.take(shown) {
            out.push_str(&format!("  {issue}\n"));
        }
        if of_file.len() > shown {
            out.push_str(&format!(
                "  … and {} more issues in {file} (all of them are in issues.csv and the reports).\n",
                of_file.len() - shown
            ));
        }
    }
    out
}

fn issue_json(issue: &Issue) -> serde_json::Value {
    json!({
        "level": issue.severity.key(),
        "file": issue.location.file,
        "sheet": issue.location.sheet,
        "cell": issue.location.cell_ref(),
        "row": issue.location.row_number(),
        "value": issue.value,
        "message": issue.message,
        "expected": issue.expected,
        "suggestion": issue.suggestion,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    #[test]
    fn issues_are_grouped_by_file_errors_first_and_capped() {
        let at = |file: &str, row: u32| Location::row(file, None, row);
        let issues = vec![
            Issue::warning(at("a.csv", 1), "W1."),
            Issue::error(at("a.csv", 2), "E1."),
            Issue::warning(at("a.csv", 3), "W2."),
            Issue::error(at("b.csv", 1), "E2."),
        ];
        assert_eq!(
            issues_text(&issues, 2),
            "a.csv: 1 errors, 2 warnings\n  a.csv:3: error: E1.\n  a.csv:2: warning: W1.\n  … and 1 more issues in a.csv (all of them are in issues.csv and the reports).\nb.csv: 1 errors, 0 warnings\n  b.csv:2: error: E2.\n"
        );
    }
}
