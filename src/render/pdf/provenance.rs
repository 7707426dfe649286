//! Sections 4 and 5: the data issues, each with its file, sheet and cell, and the
//! sources: every input with its SHA-256 and the rows read and rejected, the
//! configuration and the tool's version.

use super::format::{Fmt, DASH};
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use super::SMALL;
use crate::issues::{Issue, Severity};
use crate::location::Location;
use crate::report::{InputSummary, Report};

pub(crate) fn issues(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("4. {}", l.issues()), Level::Section);
    if report.issues.is_empty() {
        doc.paragraph(l.no_issues(), TextStyle::body());
        return;
    }
    let counts = report.issue_counts();
    let summary = format!(
        "{}: {} · {}: {}",
        l.errors(),
        f.count(counts.errors as u64),
        l.warnings(),
        f.count(counts.warnings as u64)
    );
    doc.lead_in(&summary, TextStyle::body());
    let mut table = Table::new(vec![
        Column::left(l.severity(), 12.0),
        Column::left(l.file(), 32.0),
        Column::left(l.sheet(), 14.0),
        Column::left(l.cell(), 9.0).unbroken(),
        Column::left(l.value(), 18.0),
        Column::left(l.message(), 64.0),
        Column::left(l.suggestion(), 22.0),
    ])
    .font_size(SMALL);
    for issue in &report.issues {
        let style = if issue.severity == Severity::Error {
            RowStyle::Flagged
        } else {
            RowStyle::Normal
        };
        table.styled_row(style, issue_cells(f, issue));
    }
    doc.table(&table);
}

fn issue_cells(f: &Fmt, issue: &Issue) -> Vec<String> {
    let location = &issue.location;
    vec![
        f.severity(issue.severity).to_string(),
        location.file.clone(),
        location.sheet.clone().unwrap_or_default(),
        cell_text(f, location),
        issue.value.clone().unwrap_or_default(),
        issue.message.clone(),
        issue.suggestion.clone().unwrap_or_default(),
    ]
}

/// The cell (`C404`), or the row when the issue concerns a whole row (`Riga 1204`).
fn cell_text(f: &Fmt, location: &Location) -> String {
    match (location.col, location.row_number()) {
        (None, Some(row)) => format!("{} {row}", f.l.row()),
        _ => location.cell_ref().unwrap_or_default(),
    }
}

pub(crate) fn sources(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("5. {}", l.sources()), Level::Section);
    let mut table = Table::new(vec![
        Column::left(l.file(), 60.0),
        Column::left(l.kind(), 20.0),
        Column::right(l.rows_read(), 16.0),
        Column::right(l.rows_rejected(), 17.0),
        Column::left(l.sha256(), 57.0).unbroken(),
    ])
    .font_size(SMALL);
    for input in &report.inputs {
        table.row(source_cells(f, input, true));
    }
    if let Some(config) = &report.config {
        table.row(source_cells(f, config, false));
    }
    doc.table(&table);
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
