//! What the binary says on stderr: errors, the issues found, and a closing line.
//!
//! Text for people, or one JSON object per line for log collectors
//! (`--log-format json`, every issue a line). In text, issues that fit in
//! [`ISSUE_LINES`] lines are all printed, by file, each file headed by its
//! counts, its errors before its warnings; more are summed up by kind
//! ([`crate::issue_groups`]): a line per kind with its count, its files and
//! its first issue, a line with the next ones' cells, at most [`SHOWN_KINDS`]
//! kinds, then where every issue is listed — forty lines at most, whatever the
//! inputs. No prompts and no colours; progress lines only when stderr is a
//! terminal, so cron logs stay clean.
//!
//! Text is in the report's language (`--lang`, Italian by default): the
//! issues' messages, the counts with their nouns in the singular or the plural
//! ("1 errore", "2 avvisi"), the closing line. JSON lines keep their keys and
//! give each message in English, the same for every run, as the exports do;
//! an issue's line also carries its kind's `code`.
//!
//! Messages quote the data, and the data may hold control characters (ESC,
//! backspace, NUL) that a terminal would act on: in text each is shown as `\x`
//! and its code in two hexadecimal digits (ESC as `\x1b`), and in JSON as a
//! `\u` escape, so that no message can move the cursor or rewrite the console. A stderr that cannot
//! be written to (a reader that went away, as in `consolida … 2>&1 | head -1`)
//! loses the messages, never the run.

use crate::cli::LogFormat;
use crate::ellipsis::cut;
use crate::issue_groups::{group, issues_in, IssueGroup};
use crate::issues::{Issue, IssueCounts, Severity};
use crate::labels::Lang;
use crate::text::{counted, number, Noun, Text};
use serde_json::json;
use std::borrow::Cow;
use std::io::Write;

/// The most lines the issues take in text form: every issue, a line each
/// under a line per file, while that fits; a summary by kind otherwise.
const ISSUE_LINES: usize = 40;

/// The most kinds the summary shows, two lines each; a line counts the rest.
const SHOWN_KINDS: usize = 15;

/// The most characters of a message the summary shows, the last one `…`: a
/// message may list every cluster of the configuration.
const SUMMARY_MESSAGE_CHARS: usize = 200;

/// Writes messages in the chosen format.
pub(crate) struct Console {
    pub(crate) format: LogFormat,
    pub(crate) quiet: bool,
    /// The language of the text form; JSON lines are in English.
    pub(crate) lang: Lang,
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

    /// An error that stops the run, in the console's language when it is
    /// written in both ([`Error::translated`]); printed even with `--quiet`.
    /// JSON lines give it in English.
    pub(crate) fn fatal(&self, error: &crate::error::Error) {
        match self.format {
            LogFormat::Text => {
                self.end_progress();
                write_line(&format!("consolida: {}", printable(&error.line(self.lang))));
            }
            LogFormat::Json => self.error(&error.to_string(), error.exit_code()),
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
    pub(crate) fn info(&self, message: &Text) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => write_line(&printable(message.get(self.lang))),
            LogFormat::Json => write_line(&json_line(
                &json!({"level": "info", "message": message.en()}),
            )),
        }
    }

    /// A problem with an output that does not stop the run (e.g. a character the
    /// PDF fonts cannot draw); silenced by `--quiet` like the issues.
    pub(crate) fn warning(&self, message: &Text) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => write_line(&format!(
                "consolida: {}: {}",
                Severity::Warning.word(self.lang),
                printable(message.get(self.lang))
            )),
            LogFormat::Json => write_line(&json_line(
                &json!({"level": "warning", "message": message.en()}),
            )),
        }
    }

    /// The data issues: all of them in JSON; in text, all of them by file, or
    /// summed up by kind when they are many, ending with `listed_in`, the
    /// sentence that says where every issue is.
    pub(crate) fn issues(&self, issues: &[Issue], listed_in: &Text) {
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
            LogFormat::Text => {
                write_stderr(&issues_text(issues, listed_in.get(self.lang), self.lang))
            }
        }
    }
}

/// The nouns of the console's counts, in Italian and in English.
const ERRORS: [Noun<'static>; 2] = [("errore", "errori"), ("error", "errors")];
const WARNINGS: [Noun<'static>; 2] = [("avviso", "avvisi"), ("warning", "warnings")];
const ISSUES: [Noun<'static>; 2] = [("anomalia", "anomalie"), ("issue", "issues")];
const FILES: [Noun<'static>; 2] = [("file", "file"), ("file", "files")];
const KINDS: [Noun<'static>; 2] = [("tipo", "tipi"), ("kind", "kinds")];

/// `n` and the noun of `nouns` in `lang`, in the singular or the plural.
fn count(lang: Lang, n: usize, nouns: [Noun<'_>; 2]) -> String {
    let noun = match lang {
        Lang::It => nouns[0],
        Lang::En => nouns[1],
    };
    counted(lang, n as u64, noun)
}

/// `n` errors and warnings in `lang`: `1 errore, 2 avvisi`, `1 error, 2 warnings`.
pub(crate) fn errors_and_warnings(lang: Lang, counts: IssueCounts) -> String {
    format!(
        "{}, {}",
        count(lang, counts.errors, ERRORS),
        count(lang, counts.warnings, WARNINGS)
    )
}

/// `n` files in `lang`: `1 file`, `2 files`, `2 file`.
pub(crate) fn files(lang: Lang, n: usize) -> String {
    count(lang, n, FILES)
}

/// The issues as text in `lang`: every one, by file, when they fit in
/// [`ISSUE_LINES`] lines; else the summary by kind, then `listed_in`.
pub(crate) fn issues_text(issues: &[Issue], listed_in: &str, lang: Lang) -> String {
    let files = files_of(issues);
    if files.len() + issues.len() <= ISSUE_LINES {
        return issues_by_file(issues, &files, lang);
    }
    format!(
        "{}{}\n",
        issues_by_kind(issues, files.len(), lang),
        printable(listed_in)
    )
}

/// The files of `issues`, in order of first appearance.
fn files_of(issues: &[Issue]) -> Vec<&str> {
    let mut files: Vec<&str> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for issue in issues {
        if seen.insert(issue.location.file.as_str()) {
            files.push(&issue.location.file);
        }
    }
    files
}

/// Every issue: per file of `files`, a line with the file's counts, then its
/// errors and its warnings, each in reading order.
fn issues_by_file(issues: &[Issue], files: &[&str], lang: Lang) -> String {
    let mut out = String::new();
    for &file in files {
        let name = printable(file);
        let of_file: Vec<&Issue> = issues.iter().filter(|i| i.location.file == file).collect();
        let errors = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        let counts = IssueCounts {
            errors,
            warnings: of_file.len() - errors,
        };
        out.push_str(&format!("{name}: {}\n", errors_and_warnings(lang, counts)));
        let ordered = of_file
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .chain(of_file.iter().filter(|i| i.severity == Severity::Warning));
        for issue in ordered {
            out.push_str(&format!("  {}\n", printable(&issue.line(lang))));
        }
    }
    out
}

/// The summary of many issues by kind: their counts, then per kind (errors
/// first, the largest first) its count, files and first issue, and the next
/// issues' places; at most [`SHOWN_KINDS`] kinds, then a count of the rest.
fn issues_by_kind(issues: &[Issue], files: usize, lang: Lang) -> String {
    let counts = IssueCounts::of(issues);
    let groups = group(issues);
    let (total, files, kinds) = (
        count(lang, issues.len(), ISSUES),
        count(lang, files, FILES),
        count(lang, groups.len(), KINDS),
    );
    let both = errors_and_warnings(lang, counts);
    let mut out = match lang {
        Lang::It => format!(
            "{total} ({both}) in {files}, di {kinds}; per tipo, prima gli errori, i più frequenti per primi:\n"
        ),
        Lang::En => format!(
            "{total} ({both}) in {files}, of {kinds}; by kind, errors first, the most frequent first:\n"
        ),
    };
    let (shown, rest) = groups.split_at(groups.len().min(SHOWN_KINDS));
    for kind in shown {
        out.push_str(&kind_lines(kind, lang));
    }
    if !rest.is_empty() {
        let issues = count(lang, issues_in(rest), ISSUES);
        let more = number(lang, rest.len() as u64);
        out.push_str(&match (lang, rest.len()) {
            (Lang::It, 1) => format!("  … e un altro tipo, con {issues}.\n"),
            (Lang::It, _) => format!("  … e altri {more} tipi, con {issues}.\n"),
            (Lang::En, 1) => format!("  … and 1 more kind, with {issues}.\n"),
            (Lang::En, _) => format!("  … and {more} more kinds, with {issues}.\n"),
        });
    }
    out
}

/// A kind's two lines: its count, files and first issue; then where the next
/// issues are, and how many more.
fn kind_lines(kind: &IssueGroup<'_>, lang: Lang) -> String {
    let first = kind.first();
    let message = cut(first.message.get(lang), SUMMARY_MESSAGE_CHARS);
    let nouns = match kind.severity {
        Severity::Error => ERRORS,
        Severity::Warning => WARNINGS,
    };
    let (issues, files, at) = (
        count(lang, kind.count, nouns),
        count(lang, kind.files, FILES),
        printable(&first.location.to_string()).into_owned(),
    );
    let mut out = match lang {
        Lang::It => format!(
            "  {issues} in {files}, il primo in {at}: {}\n",
            printable(&message)
        ),
        Lang::En => format!(
            "  {issues} in {files}, first at {at}: {}\n",
            printable(&message)
        ),
    };
    if kind.count > 1 {
        let next: Vec<String> = kind.examples[1..]
            .iter()
            .map(|i| printable(&i.location.to_string()).into_owned())
            .collect();
        let next = next.join(", ");
        let more = kind.count - kind.examples.len();
        let more = number(lang, more as u64);
        out.push_str(&match (lang, kind.count > kind.examples.len()) {
            (Lang::It, true) => format!("    poi in {next} e altri {more}\n"),
            (Lang::It, false) => format!("    poi in {next}\n"),
            (Lang::En, true) => format!("    then at {next} and {more} more\n"),
            (Lang::En, false) => format!("    then at {next}\n"),
        });
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
        "message": issue.message.en(),
        "expected": issue.expected.as_ref().map(Text::en),
        "suggestion": issue.suggestion,
        "code": issue.kind.code(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issues::IssueKind;
    use crate::location::Location;

    /// An issue whose Italian message is its English one marked `(it)`.
    fn issue(severity: Severity, kind: IssueKind, at: Location, en: &str) -> Issue {
        let message = Text::new(format!("(it) {en}"), en);
        match severity {
            Severity::Error => Issue::error(at, kind, message),
            Severity::Warning => Issue::warning(at, kind, message),
        }
    }

    #[test]
    fn a_few_issues_are_all_printed_by_file_errors_first() {
        let at = |file: &str, row: u32| Location::row(file, None, row);
        let issues = vec![
            issue(
                Severity::Warning,
                IssueKind::MissingCall,
                at("a.csv", 1),
                "W1.",
            ),
            issue(
                Severity::Error,
                IssueKind::MissingValue(crate::schema::Field::MemberId),
                at("a.csv", 2),
                "E1.",
            ),
            issue(
                Severity::Warning,
                IssueKind::MissingCall,
                at("a.csv", 3),
                "W2.",
            ),
            issue(
                Severity::Error,
                IssueKind::MissingValue(crate::schema::Field::MemberId),
                at("b.csv", 1),
                "E2.",
            ),
        ];
        assert_eq!(
            issues_text(&issues, "Every issue is in issues.csv.", Lang::En),
            "a.csv: 1 error, 2 warnings\n  a.csv:3: error: E1.\n  a.csv:2: warning: W1.\n  a.csv:4: warning: W2.\nb.csv: 1 error, 0 warnings\n  b.csv:2: error: E2.\n"
        );
        assert_eq!(
            issues_text(&issues, "", Lang::It),
            "a.csv: 1 errore, 2 avvisi\n  a.csv:3: errore: (it) E1.\n  a.csv:2: avviso: (it) W1.\n  a.csv:4: avviso: (it) W2.\nb.csv: 1 errore, 0 avvisi\n  b.csv:2: errore: (it) E2.\n"
        );
    }

    #[test]
    fn counts_of_one_are_singular_and_others_plural_in_both_languages() {
        let one = IssueCounts {
            errors: 1,
            warnings: 1,
        };
        let two = IssueCounts {
            errors: 2,
            warnings: 1_234,
        };
        assert_eq!(errors_and_warnings(Lang::It, one), "1 errore, 1 avviso");
        assert_eq!(errors_and_warnings(Lang::It, two), "2 errori, 1.234 avvisi");
        assert_eq!(errors_and_warnings(Lang::En, one), "1 error, 1 warning");
        assert_eq!(
            errors_and_warnings(Lang::En, two),
            "2 errors, 1,234 warnings"
        );
        assert_eq!(files(Lang::It, 2), "2 file");
        assert_eq!(files(Lang::En, 1), "1 file");
        assert_eq!(files(Lang::En, 2), "2 files");
    }

    /// `n` members listed again in each of `files` files, and one unknown
    /// category in the first.
    fn many_issues(files: usize, n: u32) -> Vec<Issue> {
        let mut issues = Vec::new();
        for f in 0..files {
            let file = format!("inputs/soci{f:02}.xlsx");
            if f == 0 {
                issues.push(
                    issue(
                        Severity::Error,
                        IssueKind::UnknownCategory,
                        Location::cell(&file, Some("Soci"), 4, 2),
                        "Unknown category 'Startup': expected one of PMI, Altro; the row is left out.",
                    )
                    .with_value("Startup"),
                );
            }
            for row in 10..10 + n {
                let cluster = ["Mobilità", "Energia"][row as usize % 2];
                issues.push(
                    issue(
                        Severity::Warning,
                        IssueKind::DuplicateMember,
                        Location::cell(&file, Some("Soci"), row, 0),
                        &format!("Member M{row} appears again in cluster '{cluster}' (first at {file}:Soci!A{}); it is counted once.", row - 5),
                    )
                    .with_value(format!("M{row}")),
                );
            }
        }
        issues
    }

    #[test]
    fn many_issues_are_summed_up_by_kind_in_a_few_lines() {
        let issues = many_issues(3, 300);
        let text = issues_text(
            &issues,
            "Every issue is in reports/2026-11/issues.csv.",
            Lang::En,
        );
        assert_eq!(
            text,
            "901 issues (1 error, 900 warnings) in 3 files, of 2 kinds; by kind, errors first, the most frequent first:\n\
             \x20 1 error in 1 file, first at inputs/soci00.xlsx:Soci!C5: Unknown category 'Startup': expected one of PMI, Altro; the row is left out.\n\
             \x20 900 warnings in 3 files, first at inputs/soci00.xlsx:Soci!A11: Member M10 appears again in cluster 'Mobilità' (first at inputs/soci00.xlsx:Soci!A5); it is counted once.\n\
             \x20   then at inputs/soci00.xlsx:Soci!A12, inputs/soci00.xlsx:Soci!A13 and 897 more\n\
             Every issue is in reports/2026-11/issues.csv.\n"
        );
        let text = issues_text(&issues, "Tutte le anomalie sono in issues.csv.", Lang::It);
        assert_eq!(
            text,
            "901 anomalie (1 errore, 900 avvisi) in 3 file, di 2 tipi; per tipo, prima gli errori, i più frequenti per primi:\n\
             \x20 1 errore in 1 file, il primo in inputs/soci00.xlsx:Soci!C5: (it) Unknown category 'Startup': expected one of PMI, Altro; the row is left out.\n\
             \x20 900 avvisi in 3 file, il primo in inputs/soci00.xlsx:Soci!A11: (it) Member M10 appears again in cluster 'Mobilità' (first at inputs/soci00.xlsx:Soci!A5); it is counted once.\n\
             \x20   poi in inputs/soci00.xlsx:Soci!A12, inputs/soci00.xlsx:Soci!A13 e altri 897\n\
             Tutte le anomalie sono in issues.csv.\n"
        );
    }

    #[test]
    fn the_summary_fits_in_forty_lines_whatever_the_kinds() {
        // Five issues of each of the first twenty kinds, each in a file of
        // its own.
        let kinds = &IssueKind::ALL[..20];
        let issues: Vec<Issue> = kinds
            .iter()
            .flat_map(|&kind| {
                (0..5u32).map(move |row| {
                    issue(
                        Severity::Warning,
                        kind,
                        Location::row(&format!("inputs/{}.csv", kind.code()), None, row),
                        "The column is empty; it is not read.",
                    )
                })
            })
            .collect();
        let text = issues_text(&issues, "Every issue is in issues.csv.", Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() <= ISSUE_LINES, "{} lines:\n{text}", lines.len());
        assert_eq!(lines.len(), 1 + 2 * SHOWN_KINDS + 2, "{text}");
        let rest = kinds.len() - SHOWN_KINDS;
        assert_eq!(
            lines[lines.len() - 2],
            format!("  … and {rest} more kinds, with {} issues.", 5 * rest)
        );
        assert!(
            lines[0].starts_with("100 issues (0 errors, 100 warnings) in 20 files, of 20 kinds;")
        );
        let text = issues_text(&issues, "", Lang::It);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[lines.len() - 2],
            format!("  … e altri {rest} tipi, con {} anomalie.", 5 * rest)
        );
        let one_more = &issues[..5 * (SHOWN_KINDS + 1)];
        let text = issues_text(one_more, "", Lang::It);
        assert!(
            text.contains("  … e un altro tipo, con 5 anomalie.\n"),
            "{text}"
        );
        let text = issues_text(one_more, "", Lang::En);
        assert!(
            text.contains("  … and 1 more kind, with 5 issues.\n"),
            "{text}"
        );
    }

    #[test]
    fn a_long_message_is_cut_in_the_summary() {
        let mut issues = many_issues(1, 40);
        let long = format!(
            "Unknown cluster 'X': it is not among {}.",
            "Agrifood, ".repeat(100)
        );
        issues[0].message = Text::new(long.clone(), long);
        let text = issues_text(&issues, "", Lang::En);
        let line = text.lines().nth(1).unwrap();
        let message = line.split_once(": ").unwrap().1;
        assert_eq!(message.chars().count(), SUMMARY_MESSAGE_CHARS, "{line}");
        assert!(message.ends_with('…'));
    }

    #[test]
    fn control_characters_from_the_data_are_shown_escaped_in_text() {
        let at = Location::row("a\x1b[2J.csv", None, 1);
        let issues = vec![issue(
            Severity::Error,
            IssueKind::UnknownCategory,
            at,
            "Unknown category 'PMI\x08\x00\x7f\u{9b}1m\nX'.",
        )];
        assert_eq!(
            issues_text(&issues, "", Lang::En),
            "a\\x1b[2J.csv: 1 error, 0 warnings\n  a\\x1b[2J.csv:2: error: Unknown category 'PMI\\x08\\x00\\x7f\\x9b1m\\x0aX'.\n"
        );
        assert_eq!(printable("Mobilità\tà"), "Mobilità\\x09à");
        assert!(matches!(printable("Mobilità – 100 €"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_lines_give_the_english_message_and_the_code() {
        let line = json_line(&issue_json(
            &issue(
                Severity::Error,
                IssueKind::UnknownCategory,
                Location::cell("a.csv", None, 1, 2),
                "Unknown category 'X'.",
            )
            .with_expected(Text::new("una categoria", "a category")),
        ));
        let read: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(read["message"], "Unknown category 'X'.");
        assert_eq!(read["expected"], "a category");
        assert_eq!(read["code"], "unknown_category");
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
