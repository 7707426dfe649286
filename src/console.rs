//! What the binary says on stderr: errors, the issues found, and a closing line.
//!
//! Text for people — issues grouped by file, each group headed by its counts, its
//! errors before its warnings, capped with a count of the rest — or one JSON
//! object per line for log collectors (`--log-format json`). No prompts and no
//! colours; progress lines only when stderr is a terminal, so cron logs stay clean.
//!
//! Messages quote the data, and the data may hold control characters (ESC,
//! backspace, NUL) that a terminal would act on: in text each is shown as `\x`
//! and its code in two hexadecimal digits (ESC as `\x1b`), and in JSON as a
//! `\u` escape, so that no message can move the cursor or rewrite the console. A stderr that cannot
//! be written to (a reader that went away, as in `consolida … 2>&1 | head -1`)
//! loses the messages, never the run.

use crate::cli::LogFormat;
use crate::issues::{Issue, Severity};
use serde_json::json;
use std::borrow::Cow;
use std::io::Write;

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
            LogFormat::Text => write_line(&format!("consolida: error: {}", printable(message))),
            LogFormat::Json => write_line(&json_line(
                &json!({"level": "error", "message": message, "exit_code": exit_code}),
            )),
        }
    }

    /// A transient progress line, shown only on a terminal (overwritten by the next).
    pub(crate) fn progress(&self, message: &str) {
        use std::io::IsTerminal;
        if self.quiet || self.format != LogFormat::Text || !std::io::stderr().is_terminal() {
            return;
        }
        write_stderr(&format!("\r\x1b[2K{}", printable(message)));
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
            LogFormat::Text => write_line(&printable(message)),
            LogFormat::Json => {
                write_line(&json_line(&json!({"level": "info", "message": message})))
            }
        }
    }

    /// A problem with an output that does not stop the run (e.g. a character the
    /// PDF fonts cannot draw); silenced by `--quiet` like the issues.
    pub(crate) fn warning(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => write_line(&format!("consolida: warning: {}", printable(message))),
            LogFormat::Json => {
                write_line(&json_line(&json!({"level": "warning", "message": message})))
            }
        }
    }

    /// The data issues: all of them in JSON; in text, grouped by file and capped.
    pub(crate) fn issues(&self, issues: &[Issue]) {
        if self.quiet || issues.is_empty() {
            return;
        }
        match self.format {
            LogFormat::Json => {
                let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
                for issue in issues {
                    // Lost like any message when stderr cannot be written to.
                    if writeln!(stderr, "{}", json_line(&issue_json(issue))).is_err() {
                        break;
                    }
                }
            }
            LogFormat::Text => write_stderr(&issues_text(issues, SHOWN_ISSUES)),
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
        let name = printable(file);
        let of_file: Vec<&Issue> = issues.iter().filter(|i| i.location.file == file).collect();
        let errors = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        out.push_str(&format!(
            "{name}: {errors} errors, {} warnings\n",
            of_file.len() - errors
        ));
        let ordered = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .chain(of_file.iter().filter(|i| i.severity == Severity::Warning));
        for issue in ordered.take(shown) {
            out.push_str(&format!("  {}\n", printable(&issue.to_string())));
        }
        if of_file.len() > shown {
            out.push_str(&format!(
                "  … and {} more issues in {name} (all of them are in issues.csv and the reports).\n",
                of_file.len() - shown
            ));
        }
    }
    out
}

/// Writes `text` and a line end to stderr.
fn write_line(text: &str) {
    write_stderr(&format!("{text}\n"));
}

/// Writes `text` to stderr in one piece, or loses it when stderr cannot be
/// written to: the messages are lost, but the report is published all the same
/// and the exit code says what the run did, not what became of its messages.
pub(crate) fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Whether a terminal would act on `c` rather than show it: the C0 controls, DEL
/// and the C1 controls (U+0080 to U+009F, which a terminal may take for ESC and
/// a letter).
fn is_terminal_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// `text` with each character a terminal would act on written as `\x` and its
/// code in two hexadecimal digits: ESC as `\x1b`, NUL as `\x00`, a line break
/// in a cell as `\x0a`, so that one message stays one line.
fn printable(text: &str) -> Cow<'_, str> {
    if !text.contains(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_terminal_control(c) {
            shown.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// `value` as one line of JSON. serde_json escapes the C0 controls; DEL and the
/// C1 controls, which it writes raw, are escaped here as `\u007f` to `\u009f`
/// (they can only stand inside a string, where the escape means the same).
fn json_line(value: &serde_json::Value) -> String {
    let line = value.to_string();
    if !line.contains(is_terminal_control) {
        return line;
    }
    let mut escaped = String::with_capacity(line.len() + 12);
    for c in line.chars() {
        if is_terminal_control(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
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

    #[test]
    fn control_characters_from_the_data_are_shown_escaped_in_text() {
        let at = Location::row("a\x1b[2J.csv", None, 1);
        let issues = vec![Issue::error(
            at,
            "Unknown category 'PMI\x08\x00\x7f\u{9b}1m\nX'.",
        )];
        assert_eq!(
            issues_text(&issues, 20),
            "a\\x1b[2J.csv: 1 errors, 0 warnings\n  a\\x1b[2J.csv:2: error: Unknown category 'PMI\\x08\\x00\\x7f\\x9b1m\\x0aX'.\n"
        );
        assert_eq!(printable("Mobilità\tà"), "Mobilità\\x09à");
        assert!(matches!(printable("Mobilità – 100 €"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_lines_escape_every_control_character_and_read_back_the_same() {
        let message = "a\x1b[2J\x00\x08\x7f\u{9b}\u{9f}à\u{a0}€";
        let line = json_line(&json!({ "message": message }));
        assert_eq!(
            line,
            "{\"message\":\"a\\u001b[2J\\u0000\\b\\u007f\\u009b\\u009fà\u{a0}€\"}"
        );
        assert!(!line.contains(is_terminal_control));
        let read: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(read["message"], message);
    }
}
