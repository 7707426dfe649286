//! Sections 6 and 7: the data issues, grouped by kind with their files, and the
//! sources: every input with its SHA-256 and the rows read and rejected, the
//! configuration and the tool's version.
//!
//! Section 6 stays short whatever the inputs: one row per group of issues
//! ([`crate::issue_groups`]: the same message with other values) with its
//! severity, its file (or how many files, each example then naming its own),
//! the first issue's message, the count and the first cells, at most [`SHOWN_GROUPS`] groups, then a sentence counting the groups
//! left out and one saying where every issue is (the workbook's issues sheet
//! and `issues.csv`).

use super::format::{Fmt, DASH};
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use super::SMALL;
use crate::ellipsis::cut;
use crate::issue_groups::{group, issues_in, IssueGroup};
use crate::issues::{Issue, Severity};
use crate::labels::Lang;
use crate::location::Location;
use crate::report::{InputSummary, Report};

/// The most groups of issues section 6 shows; a sentence counts the rest.
/// Thousands of files may each have a group of their own, and forty rows of a
/// few lines each take two or three pages.
const SHOWN_GROUPS: usize = 40;

/// The most characters of a value an example shows, the last one `…`.
const EXAMPLE_CHARS: usize = 40;

pub(crate) fn issues(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("6. {}", l.issues()), Level::Section);
    if report.issues.is_empty() {
        doc.paragraph(l.no_issues(), TextStyle::body());
        return;
    }
    // Both held with the table, so that neither ends a page without it.
    doc.lead_in(l.issues_grouped(), TextStyle::body());
    doc.space(1.5);
    let counts = report.issue_counts();
    let summary = format!(
        "{}: {} · {}: {}",
        l.errors(),
        f.count(counts.errors as u64),
        l.warnings(),
        f.count(counts.warnings as u64)
    );
    doc.lead_in(&summary, TextStyle::body());
    issue_groups(doc, f, &report.issues);
    let workbook = format!("{}.xlsx", crate::render::stem(report.period));
    doc.paragraph(&l.issues_listed_in(&workbook), TextStyle::body());
}

/// `issues` grouped by kind, the first [`SHOWN_GROUPS`] groups as a table and a
/// sentence counting the rest.
pub(crate) fn issue_groups(doc: &mut Document, f: &Fmt, issues: &[Issue]) {
    let l = &f.l;
    let groups = group(issues);
    let (shown, rest) = groups.split_at(groups.len().min(SHOWN_GROUPS));
    let mut table = Table::new(vec![
        Column::left(l.severity(), 12.0),
        Column::left(l.file(), 30.0),
        Column::left(l.message(), 76.0),
        Column::right(l.count(), 10.0),
        Column::left(l.first_cells(), 44.0),
    ])
    .font_size(SMALL);
    for g in shown {
        let style = if g.severity == Severity::Error {
            RowStyle::Flagged
        } else {
            RowStyle::Normal
        };
        table.styled_row(style, group_cells(f, g));
    }
    doc.table(&table);
    doc.space(3.0);
    if !rest.is_empty() {
        let left_out = l.issue_groups_left_out(rest.len() as u64, issues_in(rest) as u64);
        doc.paragraph(&left_out, TextStyle::body());
    }
}

/// A group's row: severity, file, the first issue's message, how many, and
/// the first issues' cells, one a line.
fn group_cells(f: &Fmt, group: &IssueGroup<'_>) -> Vec<String> {
    let first = group.first();
    let in_files = group.files > 1;
    let examples: Vec<String> = group
        .examples
        .iter()
        .map(|i| match in_files {
            true => format!("{}: {}", file_name(&i.location.file), example(f, i)),
            false => example(f, i),
        })
        .collect();
    let file = match in_files {
        true => f.l.in_files(group.files),
        false => first.location.file.clone(),
    };
    vec![
        f.severity(group.severity).to_string(),
        file,
        first.message.get(f.l.lang).to_string(),
        f.count(group.count as u64),
        examples.join("\n"),
    ]
}

/// The last part of a path: the name a reader recognises among many files.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// An issue as an example of its group: its sheet and cell (`Soci!D904`), or
/// row (`Soci, Riga 88`), its value quoted as the language quotes («…» in
/// Italian) and cut to [`EXAMPLE_CHARS`], and
/// the name suggested for it (`→ «Aerospazio»`).
fn example(f: &Fmt, issue: &Issue) -> String {
    let location = &issue.location;
    let cell = cell_text(f, location);
    let mut text = match (&location.sheet, location.col) {
        (Some(sheet), Some(_)) => format!("{sheet}!{cell}"),
        (Some(sheet), None) if !cell.is_empty() => format!("{sheet}, {cell}"),
        (Some(sheet), None) => sheet.clone(),
        (None, _) => cell,
    };
    let mut add = |part: String| {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&part);
    };
    // Quoted the way the messages of the report's language quote.
    let (open, close) = match f.l.lang {
        Lang::It => ('«', '»'),
        Lang::En => ('\'', '\''),
    };
    if let Some(value) = issue.value.as_deref().filter(|v| !v.is_empty()) {
        add(format!("{open}{}{close}", cut(value, EXAMPLE_CHARS)));
    }
    if let Some(name) = &issue.suggestion {
        add(format!("→ {open}{name}{close}"));
    }
    if text.is_empty() {
        text.push_str(DASH);
    }
    text
}

/// The cell (`C404`), or the row when the issue concerns a whole row (`Riga 1204`).
fn cell_text(f: &Fmt, location: &Location) -> String {
    match (location.col, location.row_number()) {
        (None, Some(row)) => format!("{} {row}", f.l.row()),
        _ => location.cell_ref().unwrap_or_default(),
    }
}

/// At most this many input files in the sources table; the workbook's sources
/// sheet and `inputs.csv` list them all.
const LISTED_SOURCES: usize = 60;

pub(crate) fn sources(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("7. {}", l.sources()), Level::Section);
    let mut table = Table::new(vec![
        Column::left(l.file(), 60.0),
        Column::left(l.kind(), 20.0),
        Column::right(l.rows_read(), 16.0),
        Column::right(l.rows_rejected(), 17.0),
        Column::left(l.sha256(), 57.0).unbroken(),
    ])
    .font_size(SMALL);
    for input in report.inputs.iter().take(LISTED_SOURCES) {
        table.row(source_cells(f, input, true));
    }
    if let Some(config) = &report.config {
        table.row(source_cells(f, config, false));
    }
    doc.table(&table);
    if report.inputs.len() > LISTED_SOURCES {
        let file = format!("“{}” / inputs.csv", l.sources());
        doc.paragraph(
            &l.table_cut(LISTED_SOURCES, report.inputs.len(), &file),
            TextStyle::body(),
        );
    }
    doc.space(4.0);
    let config = report.config.as_ref().map_or(l.none(), |c| c.path.as_str());
    doc.paragraph(&format!("{}: {}", l.config(), config), TextStyle::body());
    doc.paragraph(
        &format!("{}: consolida {}", l.version(), report.version),
        TextStyle::body(),
    );
}

/// Path, kind, rows and the digest split in two halves, so it reads in two lines.
fn source_cells(f: &Fmt, input: &InputSummary, with_rows: bool) -> Vec<String> {
    let sha = &input.sha256;
    let digest = if sha.len() == 64 && sha.is_ascii() {
        format!("{}\n{}", &sha[..32], &sha[32..])
    } else {
        sha.clone()
    };
    let rows = |n: u64| {
        if with_rows {
            f.count(n)
        } else {
            DASH.to_string()
        }
    };
    vec![
        input.path.clone(),
        f.l.input_kind(input.kind).to_string(),
        rows(input.rows),
        rows(input.rejected),
        digest,
    ]
}
