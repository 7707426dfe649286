//! Reading one field of a row, shared by the member, project and partner readers:
//! required and optional text, dates and other values, and the cluster, each
//! with the issue that names its cell when it cannot be read.

use super::clusters::ClusterNames;
use super::row::Row;
use super::values::{self, ValueError};
use crate::category_words::OwnLabels;
use crate::issues::{Issue, IssueKind};
use crate::labels::Lang;
use crate::location::Location;
use crate::schema::Field;
use crate::text::{number, Text};
use calamine::Data;
use chrono::NaiveDate;

/// A row left out of the figures; the reason is already among the issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rejected;

/// What row readers need besides the row.
pub(crate) struct Context {
    pub(crate) clusters: ClusterNames,
    /// The office's own category labels (`[categories]`), then the built-in words.
    pub(crate) categories: OwnLabels,
}

/// A required text field, with an error when it is empty or holds a
/// spreadsheet error; `what` says what it should hold, in Italian and in
/// English.
pub(crate) fn required_text(
    row: &Row,
    field: Field,
    (what_it, what_en): (&str, &str),
    issues: &mut Vec<Issue>,
) -> Option<String> {
    let value = optional_text(row, field, issues).ok()?;
    if value.is_none() {
        let what = Text::new(what_it, what_en);
        let message = Text::new(
            format!(
                "Manca {}: indicare {}; la riga è esclusa.",
                field.italian(),
                what.it()
            ),
            format!(
                "The {} is missing: expected {}; the row is left out.",
                field.key(),
                what.en()
            ),
        );
        issues.push(
            Issue::error(row.location(field), IssueKind::MissingValue(field), message)
                .with_expected(what),
        );
    }
    value
}

/// A text field that may be empty; `Err` (with an issue) when its cell holds a
/// spreadsheet error such as `#N/A`.
pub(crate) fn optional_text(
    row: &Row,
    field: Field,
    issues: &mut Vec<Issue>,
) -> Result<Option<String>, Rejected> {
    let cell = row.get(field);
    if let Data::Error(error) = cell.as_ref() {
        issues.push(value_issue(
            row.location(field),
            field,
            &cell,
            ValueError::CellError(error.to_string()),
        ));
        return Err(Rejected);
    }
    Ok(values::text(&cell))
}

/// A date field that may be empty; `Err` (with an issue) when it holds something
/// that is not a date.
pub(crate) fn optional_date(
    row: &Row,
    field: Field,
    issues: &mut Vec<Issue>,
) -> Result<Option<NaiveDate>, Rejected> {
    optional_value(row, field, issues, |cell| {
        values::date(cell, row.date_1904())
    })
}

/// An unknown cluster's message lists the configured clusters up to this many.
const MAX_CLUSTERS_LISTED: usize = 12;

/// The cluster of a row, matched against the configured clusters.
pub(crate) fn cluster(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<String> {
    let what = ("il nome del cluster", "the cluster's name");
    let value = required_text(row, Field::Cluster, what, issues)?;
    match ctx.clusters.resolve(&value) {
        Ok(name) => Some(name),
        Err(suggestion) => {
            let listed = ctx.clusters.listed();
            // A short list helps; a national portfolio's thousand names would
            // bury the message (the suggestion names the closest one).
            let (among_it, among_en) = if listed.len() <= MAX_CLUSTERS_LISTED {
                let names = listed.join(", ");
                (
                    format!("i cluster di consolida.toml ({names})"),
                    format!("the clusters of consolida.toml ({names})"),
                )
            } else {
                let n = listed.len() as u64;
                (
                    format!("i {} cluster di consolida.toml", number(Lang::It, n)),
                    format!("the {n} clusters of consolida.toml"),
                )
            };
            let message = Text::new(
                format!("Cluster sconosciuto «{value}»: non è tra {among_it}; la riga è esclusa."),
                format!(
                    "Unknown cluster '{value}': it is not among {among_en}; the row is left out."
                ),
            );
            issues.push(
                Issue::error(
                    row.location(Field::Cluster),
                    IssueKind::UnknownCluster,
                    message,
                )
                .with_value(value)
                .with_expected(Text::new(
                    "uno dei cluster di consolida.toml",
                    "one of the clusters of consolida.toml",
                ))
                .with_suggestion(suggestion),
            );
            None
        }
    }
}

/// An optional field as read by `read`: `Ok(None)` when the cell is empty; any
/// other problem is recorded as an issue and the row is rejected.
pub(crate) fn optional_value<T>(
    row: &Row,
    field: Field,
    issues: &mut Vec<Issue>,
    read: impl FnOnce(&Data) -> Result<T, ValueError>,
) -> Result<Option<T>, Rejected> {
    let cell = row.get(field);
    match read(&cell) {
        Ok(value) => Ok(Some(value)),
        Err(ValueError::Missing) => Ok(None),
        Err(problem) => {
            issues.push(value_issue(row.location(field), field, &cell, problem));
            Err(Rejected)
        }
    }
}

/// The issue for a cell that holds the wrong kind of value.
pub(crate) fn value_issue(
    location: Location,
    field: Field,
    cell: &Data,
    problem: ValueError,
) -> Issue {
    let raw = values::raw(cell);
    let (kind, message, expected) = match problem {
        ValueError::Missing => (
            IssueKind::MissingValue(field),
            Text::new(
                format!("Manca {}; la riga è esclusa.", field.italian()),
                format!("The {} is missing; the row is left out.", field.key()),
            ),
            Text::new("un valore", "a value"),
        ),
        ValueError::Invalid(expected) => {
            let expected = expected.text();
            let message = Text::new(
                format!(
                    "{}: «{raw}» non è {}; la riga è esclusa.",
                    field.italian_invalid(),
                    expected.it()
                ),
                format!(
                    "The {} '{raw}' is not {}; the row is left out.",
                    field.key(),
                    expected.en()
                ),
            );
            (IssueKind::InvalidValue(field), message, expected)
        }
        ValueError::SubCent => (
            IssueKind::SubCent(field),
            Text::new(
                format!(
                    "{}: «{raw}» ha frazioni di centesimo; la riga è esclusa.",
                    field.italian_invalid()
                ),
                format!(
                    "The {} '{raw}' has fractions of a cent; the row is left out.",
                    field.key()
                ),
            ),
            Text::new("un importo in centesimi interi", "an amount in whole cents"),
        ),
        ValueError::CellError(error) => (
            IssueKind::CellError(field),
            Text::new(
                format!(
                    "La cella {} contiene l'errore di formula {error}; la riga è esclusa.",
                    field.italian_of()
                ),
                format!(
                    "The {} cell holds the spreadsheet error {error} (a formula that failed); the row is left out.",
                    field.key()
                ),
            ),
            Text::new("un valore, non un errore di formula", "a value, not a formula error"),
        ),
    };
    Issue::error(location, kind, message)
        .with_value(raw)
        .with_expected(expected)
}
