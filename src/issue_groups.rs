//! Issues grouped by kind, so that a report of any size says in a few lines
//! what is wrong with its inputs: a thousand "Member 0123 appears again in
//! cluster 'Mobilità' …" warnings are one kind, counted once.
//!
//! The kind of an issue is its message with the values masked ([`kind_of`]):
//! the issue's file (and sheet) wherever the message names them; the issue's
//! own value, quoted (even when it holds a quote itself) or unquoted and
//! without a digit (a member id of letters); what else stands between single
//! quotes (the convention of the messages for a cell's text: `'Aerospazo'`);
//! and every word holding a digit (ids, amounts, dates, counts, cell
//! references, the locations of "first at …"). Each masked stretch reads `…`,
//! and adjacent ones merge, so a value of several words masks as one. What
//! stays is the fixed text the code writes, the same for every issue of the
//! kind. A value the message gives unquoted, without a digit and other than
//! the issue's own (a path with spaces naming another file) is not masked: its
//! issues then form a group per value.
//!
//! Groups come in a fixed order, the same on every run: errors before
//! warnings, then the largest group first, then the one whose first issue
//! comes first in the issues' reading order (file, sheet, row).

use crate::issues::{Issue, Severity};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// How many issues of a group are kept as its examples.
pub(crate) const EXAMPLES: usize = 3;

/// The mark that stands for a masked value in a kind.
const MASK: &str = "…";

/// Issues of one severity and kind, in any file.
#[derive(Debug)]
pub(crate) struct IssueGroup<'a> {
    pub(crate) severity: Severity,
    /// How many issues the group holds.
    pub(crate) count: usize,
    /// How many files they are in.
    pub(crate) files: usize,
    /// The group's first issues in reading order, at most [`EXAMPLES`].
    pub(crate) examples: Vec<&'a Issue>,
    /// Where the group's first issue is among all the issues.
    first: usize,
}

impl<'a> IssueGroup<'a> {
    /// The group's first issue, whose message stands for the kind.
    pub(crate) fn first(&self) -> &'a Issue {
        self.examples[0]
    }

    /// The message of the kind, its values masked.
    #[cfg(test)]
    fn kind(&self) -> String {
        kind_of(self.first())
    }
}

/// `issues` (in reading order) grouped by severity and kind, in the order of
/// the module header: errors first, the largest group first, then the first
/// met first.
pub(crate) fn group(issues: &[Issue]) -> Vec<IssueGroup<'_>> {
    let mut index: FxHashMap<(Severity, String), usize> = FxHashMap::default();
    let mut groups: Vec<IssueGroup<'_>> = Vec::new();
    let mut files: Vec<FxHashSet<&str>> = Vec::new();
    for (at, issue) in issues.iter().enumerate() {
        let key = (issue.severity, kind_of(issue));
        let slot = match index.get(&key) {
            Some(&slot) => slot,
            None => {
                let slot = groups.len();
                groups.push(IssueGroup {
                    severity: issue.severity,
                    count: 0,
                    files: 0,
                    examples: Vec::with_capacity(EXAMPLES),
                    first: at,
                });
                files.push(FxHashSet::default());
                index.insert(key, slot);
                slot
            }
        };
        let group = &mut groups[slot];
        group.count += 1;
        if group.examples.len() < EXAMPLES {
            group.examples.push(issue);
        }
        files[slot].insert(&issue.location.file);
    }
    for (group, files) in groups.iter_mut().zip(&files) {
        group.files = files.len();
    }
    groups.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.count.cmp(&a.count))
            .then(a.first.cmp(&b.first))
    });
    groups
}

/// The issues of `groups`, counted.
pub(crate) fn issues_in(groups: &[IssueGroup<'_>]) -> usize {
    groups.iter().map(|g| g.count).sum()
}

/// The kind of `issue`: its message with the values masked, as the module
/// header says.
pub(crate) fn kind_of(issue: &Issue) -> String {
    let mut message = Cow::Borrowed(issue.message.as_str());
    let location = &issue.location;
    if let Some(sheet) = &location.sheet {
        message = mask_every(message, &format!("{}:{sheet}", location.file));
    }
    message = mask_every(message, &location.file);
    if let Some(value) = issue.value.as_deref().filter(|v| !v.trim().is_empty()) {
        // Quoted, the value is masked with its quotes, whatever it holds (a
        // quote of its own would end it early). Unquoted, a value with a digit
        // is left to the words' rule, as the same value typed as a number would
        // be (`2.365.735,00 €` reads `… €`, like `2365735`); one without, where
        // it first stands whole, not where the fixed text holds the same word.
        let quoted = format!("'{value}'");
        if message.contains(&quoted) {
            message = Cow::Owned(message.replace(&quoted, "'…'"));
        } else if !value.contains(|c: char| c.is_ascii_digit()) {
            message = mask_first(message, value);
        }
    }
    mask_values(&message)
}

/// Whether `c` may stand inside a word, so that a value next to it is not a
/// whole word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `needle` stands at byte `at` of `text` as a whole: neither preceded
/// nor followed by a character of a word.
fn stands_whole(text: &str, at: usize, needle: &str) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + needle.len()..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// `text` with every whole occurrence of `needle` masked.
fn mask_every<'t>(text: Cow<'t, str>, needle: &str) -> Cow<'t, str> {
    mask_occurrences(text, needle, usize::MAX)
}

/// `text` with the first whole occurrence of `needle` masked.
fn mask_first<'t>(text: Cow<'t, str>, needle: &str) -> Cow<'t, str> {
    mask_occurrences(text, needle, 1)
}

/// `text` with the first `most` whole occurrences of `needle` masked; a blank
/// needle masks nothing.
fn mask_occurrences<'t>(text: Cow<'t, str>, needle: &str, most: usize) -> Cow<'t, str> {
    if needle.trim().is_empty() || !text.contains(needle) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut masked = 0;
    for (at, _) in text.match_indices(needle) {
        if masked == most || at < rest || !stands_whole(&text, at, needle) {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(MASK);
        rest = at + needle.len();
        masked += 1;
    }
    if masked == 0 {
        return text;
    }
    out.push_str(&text[rest..]);
    Cow::Owned(out)
}

/// Punctuation that may open a word before a value: `(1.200,00`.
const OPENING: &[char] = &['(', '[', '{'];
/// Punctuation that may close a word after a value: `A886);`.
const CLOSING: &[char] = &[')', ']', '}', '.', ',', ';', ':', '!', '?'];

/// `text` with its quoted values and the words holding a digit (or a mask
/// already made) masked, adjacent masks merged.
fn mask_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let opening = rest.len() - rest.trim_start_matches(OPENING).len();
        if let Some(quoted) = quoted_length(&rest[opening..]) {
            out.push_str(&rest[..opening]);
            out.push_str("'…'");
            rest = &rest[opening + quoted..];
            continue;
        }
        let word = &rest[..word_end];
        if word.contains(|c: char| c.is_ascii_digit()) || word.contains(MASK) {
            let unopened = word.trim_start_matches(OPENING);
            let core = unopened.trim_end_matches(CLOSING);
            out.push_str(&word[..word.len() - unopened.len()]);
            if !core.is_empty() {
                push_mask(&mut out);
            }
            out.push_str(&unopened[core.len()..]);
        } else {
            out.push_str(word);
        }
        rest = &rest[word_end..];
    }
    out
}

/// The length in bytes of the quoted value `text` opens with, both quotes
/// included: from a `'` to the next `'` not followed by a letter or digit (an
/// apostrophe inside a value, `l'innovazione`, does not close it).
fn quoted_length(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('\'')?;
    let mut from = 0;
    while let Some(found) = inner[from..].find('\'') {
        let at = from + found;
        let after = inner[at + 1..].chars().next();
        if !after.is_some_and(is_word_char) {
            return Some(at + 2);
        }
        from = at + 1;
    }
    None
}

/// Adds a mask to `out`, or lets the mask that `out` ends with (spaces aside)
/// stand for both.
fn push_mask(out: &mut String) {
    let kept = out.trim_end().len();
    if out[..kept].ends_with(MASK) {
        out.truncate(kept);
    } else {
        out.push_str(MASK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    fn warning(file: &str, row: u32, message: &str) -> Issue {
        Issue::warning(Location::cell(file, Some("Soci"), row, 0), message)
    }

    fn kind(message: &str) -> String {
        kind_of(&warning("inputs/soci.xlsx", 1, message))
    }

    #[test]
    fn values_quoted_or_with_digits_are_masked() {
        assert_eq!(
            kind("The financing (991.005,00 €) exceeds the project value (978.505,00 €); the project stays in the figures and the audit."),
            "The financing (… €) exceeds the project value (… €); the project stays in the figures and the audit."
        );
        assert_eq!(
            kind("Unknown cluster 'Tecnologie per l'ambiente': it is not among the clusters of consolida.toml (Agrifood, Energia); the row is left out."),
            "Unknown cluster '…': it is not among the clusters of consolida.toml (Agrifood, Energia); the row is left out."
        );
        assert_eq!(
            kind("Line 12 has 3 fields but the header has 4; the extra fields are empty and are ignored."),
            "Line … has … fields but the header has …; the extra fields are empty and are ignored."
        );
        assert_eq!(
            kind("Rows 18–20 at the bottom of the table are notes, not data, and are not read: 'Fonte: segreteria'."),
            "Rows … at the bottom of the table are notes, not data, and are not read: '…'."
        );
        // The apostrophes of the fixed text open no value.
        assert_eq!(
            kind("The de minimis limit holds over the period's last day."),
            "The de minimis limit holds over the period's last day."
        );
    }

    #[test]
    fn the_file_the_sheet_and_the_value_are_masked_where_the_message_repeats_them() {
        let file = "inputs/Soci 2026 (copia).xlsx";
        let mut issue = Issue::warning(
            Location::cell(file, Some("Foglio 1"), 40, 0),
            format!("Member ACME appears again in cluster 'Mobilità' (first at {file}:Foglio 1!A12); it is counted once."),
        )
        .with_value("ACME");
        assert_eq!(
            kind_of(&issue),
            "Member … appears again in cluster '…' (first at …); it is counted once."
        );
        // A value found quoted is masked there only, not where the fixed text
        // happens to hold the same word.
        issue.message = "Unknown category 'the': expected one of PMI; the row is left out.".into();
        issue.value = Some("the".into());
        assert_eq!(
            kind_of(&issue),
            "Unknown category '…': expected one of PMI; the row is left out."
        );
        // A value that ends with a quote of its own is masked whole.
        issue.message = "The cluster 'Mobilita'' (1 rows) differs from 'Mobilità' (10 rows, first at inputs/progetti.csv:3:C) only by case, accents or spacing.".into();
        issue.value = Some("Mobilita'".into());
        assert_eq!(
            kind_of(&issue),
            "The cluster '…' (… rows) differs from '…' (… rows, first at …) only by case, accents or spacing."
        );
        // An amount typed as text is masked as the same amount typed as a number.
        let financing =
            "The financing (2.365.735,00 €) exceeds the project value (2.353.235,00 €).";
        issue.message = financing.into();
        issue.value = Some("2.365.735,00 €".into());
        let typed = kind_of(&issue);
        issue.value = Some("2365735".into());
        assert_eq!(typed, kind_of(&issue));
        assert_eq!(
            typed,
            "The financing (… €) exceeds the project value (… €)."
        );
        // A value is masked as a whole word only.
        issue.message = "Member AC appears again, as ACME does.".into();
        issue.value = Some("AC".into());
        assert_eq!(kind_of(&issue), "Member … appears again, as ACME does.");
    }

    #[test]
    fn groups_come_errors_first_then_largest_then_first_met() {
        let duplicate = |row: u32, id: &str, cluster: &str| {
            warning(
                "b.xlsx",
                row,
                &format!("Member {id} appears again in cluster '{cluster}' (first at b.xlsx:Soci!A2); it is counted once."),
            )
            .with_value(id)
        };
        let issues = vec![
            warning(
                "a.xlsx",
                3,
                "The call is missing; the project is grouped under no call.",
            ),
            duplicate(4, "X1", "Mobilità"),
            duplicate(5, "X2", "Scienze della vita"),
            duplicate(6, "X3", "Energia"),
            duplicate(7, "X4", "Energia"),
            Issue::error(
                Location::cell("b.xlsx", Some("Soci"), 9, 2),
                "Unknown category 'Fondazione': expected one of PMI; the row is left out.",
            ),
            warning(
                "c.xlsx",
                3,
                "The call is missing; the project is grouped under no call.",
            ),
            duplicate(8, "X5", "Energia"),
        ];
        let groups = group(&issues);
        let summary: Vec<(Severity, &str, usize, usize, &str)> = groups
            .iter()
            .map(|g| {
                (
                    g.severity,
                    g.first().location.file.as_str(),
                    g.count,
                    g.files,
                    g.first().message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (Severity::Error, "b.xlsx", 1, 1, issues[5].message.as_str()),
                (
                    Severity::Warning,
                    "b.xlsx",
                    5,
                    1,
                    issues[1].message.as_str()
                ),
                (
                    Severity::Warning,
                    "a.xlsx",
                    2,
                    2,
                    issues[0].message.as_str()
                ),
            ]
        );
        let examples: Vec<&str> = groups[1]
            .examples
            .iter()
            .map(|i| i.value.as_deref().unwrap())
            .collect();
        assert_eq!(examples, ["X1", "X2", "X3"]);
        assert_eq!(issues_in(&groups), issues.len());
    }

    /// The issues the library finds in `tests/fixtures/<folder>`, read as a
    /// run reads them, with the folder's `consolida.toml` when it has one.
    fn fixture_issues(folder: &str) -> Vec<Issue> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| crate::ingest::is_input_file(std::path::Path::new(name)))
            .collect();
        names.sort();
        let mut issues = Vec::new();
        let mut files = Vec::new();
        for name in names {
            let shown = format!("inputs/{name}");
            let (file, read) = crate::ingest::read_file(&dir.join(&name), &shown).unwrap();
            issues.extend(read);
            files.push((file, name));
        }
        let config = match dir.join("consolida.toml") {
            path if path.is_file() => crate::config::Config::load(&path, "consolida.toml").unwrap(),
            _ => crate::config::Config::default(),
        };
        let mut data = crate::normalise::normalise(files, &config).unwrap();
        issues.append(&mut data.issues);
        crate::issues::sort_for_reading(&mut issues);
        issues
    }

    #[test]
    fn the_fixtures_in_every_format_group_into_their_kinds() {
        // The same members in seven files: every file after the first repeats
        // the first's twelve members, over three clusters, and each ends with a
        // note below the table.
        let issues = fixture_issues("formats");
        let groups = group(&issues);
        let kinds: Vec<(String, usize, usize)> = groups
            .iter()
            .map(|g| (g.kind(), g.count, g.files))
            .collect();
        let repeats = issues
            .iter()
            .filter(|i| i.message.contains("appears again"))
            .count();
        assert!(repeats >= 12 * 5, "{repeats} repeated members");
        assert_eq!(
            kinds[0],
            (
                "Member … appears again in cluster '…' (first at …); it is counted once."
                    .to_string(),
                repeats,
                repeats / 12
            ),
            "{kinds:#?}"
        );
        let notes = kinds
            .iter()
            .find(|(kind, ..)| kind.starts_with("Row … at the bottom"))
            .unwrap_or_else(|| panic!("{kinds:#?}"));
        assert_eq!(
            notes.0,
            "Row … at the bottom of the table is a note, not data, and is not read: '…'."
        );
        assert_eq!(issues_in(&groups), issues.len());
    }

    #[test]
    fn the_small_fixture_keeps_its_three_kinds_apart() {
        let issues = fixture_issues("small");
        let groups = group(&issues);
        let kinds: Vec<String> = groups.iter().map(IssueGroup::kind).collect();
        assert_eq!(
            kinds,
            [
                "The financing (… €) exceeds the project value (… €); the project stays in the figures and the audit.",
                "Unknown category '…': expected one of Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; the row is left out.",
                "Member … appears again in cluster '…' (first at …); it is counted once.",
            ]
        );
    }
}
