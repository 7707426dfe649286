//! A table's declared total against what its rows add up to.
//!
//! Declared totals disagree with their own detail more often than one would hope
//! (POLI-AUTO declares 123 members whose categories add up to 121). Neither is
//! trusted: the figures count the rows, and every difference is an error naming
//! the total's cell, the declared figure and the computed one.
//!
//! - A count — a number in the label ("Totale soci: 123") or beside it under a
//!   text column ("Totale | 123") — is compared with the number of data rows.
//!   A number in the label that reads as a year (1900–2100: "Totale 2024") and
//!   differs from the rows is taken for the year the total covers, not a count:
//!   it is not reconciled, and a warning says so.
//! - Under an amount column (`project_value`, `financing`) the declared amount is
//!   compared with the sum of the amounts the rows above hold in that column.

use super::layout::Layout;
use super::table::leading_label;
use super::values;
use crate::ingest::RawTable;
use crate::issues::{Issue, IssueKind};
use crate::labels::Lang;
use crate::money::Cents;
use crate::schema::{Field, SourceKind};
use crate::text::{counted_both, number, Noun, Text};
use calamine::Data;

/// Reconciles the total on row `total` with the data `rows` of the table.
pub(crate) fn reconcile(table: &RawTable, layout: &Layout, rows: &[u32], total: u32) -> Vec<Issue> {
    let Some(total_row) = table.grid.row(total) else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    let amount_fields: &[Field] = match layout.kind {
        SourceKind::Projects => &[Field::ProjectValue, Field::Financing],
        _ => &[],
    };
    for field in amount_fields {
        let Some(&col) = layout.columns.get(field) else {
            continue;
        };
        let Some(cell) = total_row.get(col) else {
            continue;
        };
        let Ok(declared) = values::amount(cell) else {
            continue;
        };
        let (sum, unreadable) = column_sum(table, rows, col);
        if declared != sum {
            let (gap_it, gap_en) = match unreadable {
                0 => (String::new(), String::new()),
                1 => (
                    " (di cui 1 senza un importo leggibile)".to_string(),
                    " (1 of them has no readable amount)".to_string(),
                ),
                n => (
                    format!(
                        " (di cui {} senza un importo leggibile)",
                        number(Lang::It, n as u64)
                    ),
                    format!(" ({n} of them have no readable amount)"),
                ),
            };
            let n = rows.len() as u64;
            let rows_en = match n {
                1 => "the 1 row above adds up to".to_string(),
                n => format!("the {n} rows above add up to"),
            };
            let (declared, sum, difference) = (
                declared.italian_eur(),
                sum.italian_eur(),
                (declared - sum).italian_eur(),
            );
            let message = Text::new(
                format!(
                    "Nella riga del totale {} è {declared}, ma la somma delle righe sopra ({}) è {sum}{gap_it}: una differenza di {difference}. I dati usano le righe.",
                    field.italian(),
                    number(Lang::It, n),
                ),
                format!(
                    "The total row declares a {} of {declared}, but {rows_en} {sum}{gap_en}: a difference of {difference}. The figures use the rows.",
                    field.key(),
                ),
            );
            issues.push(
                Issue::error(
                    table.location(total, col),
                    IssueKind::TotalAmountMismatch(*field),
                    message,
                )
                .with_value(values::raw(cell))
                .with_expected(Text::new(sum.clone(), sum)),
            );
        }
    }
    if let Some(Declared {
        col,
        count: declared,
        raw,
        in_label,
    }) = declared_count(total_row, layout)
    {
        let counted = rows.len() as i64;
        let (what_it, what_en) = nouns(layout.kind);
        let (rows_it, rows_en) = counted_both(counted as u64, ("riga", "righe"), ("row", "rows"));
        if in_label && YEARS.contains(&declared) && declared != counted {
            let row = u64::from(total) + 1;
            let raw_text = raw.trim();
            let message = Text::new(
                format!(
                    "Il totale alla riga {row} riporta «{raw_text}»: {declared} è inteso come un anno, non come un numero di {}, e non è confrontato con le righe sopra ({}).",
                    what_it.1,
                    number(Lang::It, counted as u64)
                ),
                format!(
                    "The total on row {row} reads '{raw_text}': {declared} is taken for a year, not a count of {}, and is not reconciled with the {rows_en} above it.",
                    what_en.1
                ),
            );
            issues.push(
                Issue::warning(table.location(total, col), IssueKind::TotalIsYear, message)
                    .with_value(raw),
            );
        } else if declared != counted {
            let difference = declared - counted;
            let more = difference.unsigned_abs();
            let (declared_it, declared_en) =
                counted_both(declared.unsigned_abs(), what_it, what_en);
            let sign = if declared < 0 { "-" } else { "" };
            let message = Text::new(
                format!(
                    "La riga del totale dichiara {sign}{declared_it}, ma la tabella ha {rows_it} sopra: {} {} rispetto alle righe. I dati contano le righe.",
                    number(Lang::It, more),
                    if difference > 0 { "in più" } else { "in meno" }
                ),
                format!(
                    "The total row declares {sign}{declared_en}, but the table has {rows_en} above it: {more} {} than its rows. The figures count the rows.",
                    if difference > 0 { "more" } else { "fewer" }
                ),
            );
            issues.push(
                Issue::error(
                    table.location(total, col),
                    IssueKind::TotalCountMismatch,
                    message,
                )
                .with_value(raw)
                .with_expected(Text::new(counted.to_string(), counted.to_string())),
            );
        }
    }
    issues
}

/// What the rows of a table of `kind` are, in Italian and in English.
fn nouns(kind: SourceKind) -> (Noun<'static>, Noun<'static>) {
    match kind {
        SourceKind::Members => (("socio", "soci"), ("member", "members")),
        SourceKind::Projects => (("progetto", "progetti"), ("project", "projects")),
        SourceKind::Partners => (("partner", "partner"), ("partner", "partners")),
        SourceKind::Targets => (("obiettivo", "obiettivi"), ("target", "targets")),
    }
}

/// The sum of the amounts in column `col` of `rows`, and how many rows hold
/// something there that is not an amount.
fn column_sum(table: &RawTable, rows: &[u32], col: u32) -> (Cents, usize) {
    let mut sum = Cents::ZERO;
    let mut unreadable = 0;
    for &row in rows {
        match table.grid.get(row, col).map(values::amount) {
            Some(Ok(cents)) => sum = Cents(sum.0.saturating_add(cents.0)),
            Some(Err(values::ValueError::Missing)) | None => {}
            Some(Err(_)) => unreadable += 1,
        }
    }
    (sum, unreadable)
}

/// Numbers in a total's label that read as a year ("Totale 2024").
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

/// A count a total row declares.
struct Declared {
    /// The column of the cell holding it.
    col: u32,
    count: i64,
    /// The cell as written.
    raw: String,
    /// Whether it is written in the label ("Totale soci: 123") rather than in a
    /// cell of its own.
    in_label: bool,
}

/// The count a total row declares: a whole number in the label's text, or in the
/// first cell after the label that lies under a text or date column of the
/// layout (an amount column, or an unmapped numeric one, holds a sum of its own,
/// not a count of rows).
fn declared_count(row: &crate::ingest::GridRow, layout: &Layout) -> Option<Declared> {
    let (_, label_cols) = leading_label(row);
    let in_label = row
        .cells()
        .iter()
        .filter(|(col, _)| label_cols.contains(col))
        .find_map(|(col, label)| {
            let text = values::text(label)?;
            let digits: String = text
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse::<i64>().ok().map(|count| (*col, count, label))
        });
    if let Some((col, count, label)) = in_label {
        return Some(Declared {
            col,
            count,
            raw: values::raw(label),
            in_label: true,
        });
    }
    let count_cols: Vec<u32> = layout
        .columns
        .iter()
        .filter(|(field, _)| !field.is_amount())
        .map(|(_, col)| *col)
        .collect();
    row.cells()
        .iter()
        .filter(|(col, _)| !label_cols.contains(col) && count_cols.contains(col))
        .find_map(|(col, cell)| {
            whole_number(cell).map(|count| Declared {
                col: *col,
                count,
                raw: values::raw(cell),
                in_label: false,
            })
        })
}

fn whole_number(cell: &Data) -> Option<i64> {
    match cell {
        Data::Int(i) => Some(*i),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e12 => Some(*f as i64),
        Data::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Grid;
    use calamine::Cell;
    use std::collections::BTreeMap;

    fn table(rows: &[&[Data]]) -> RawTable {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                cells.push(Cell::new((r as u32, c as u32), value.clone()));
            }
        }
        RawTable {
            file: "t.xlsx".into(),
            sheet: Some("S".into()),
            grid: Grid::from_cells(cells),
            merges: Vec::new(),
            date_1904: false,
            field_counts: None,
        }
    }

    fn s(text: &str) -> Data {
        Data::String(text.into())
    }

    fn layout(kind: SourceKind, columns: &[(Field, u32)]) -> Layout {
        Layout {
            kind,
            header_rows: vec![0],
            columns: columns.iter().copied().collect(),
            headers: BTreeMap::new(),
            defaults: BTreeMap::new(),
            rules: Vec::new(),
            header_fields: None,
        }
    }

    #[test]
    fn a_declared_member_count_is_checked_against_the_rows() {
        let t = table(&[
            &[s("Codice"), s("Categoria")],
            &[s("1"), s("PMI")],
            &[s("2"), s("PMI")],
            &[s("Totale"), Data::Float(3.0)],
        ]);
        let l = layout(
            SourceKind::Members,
            &[(Field::MemberId, 0), (Field::Category, 1)],
        );
        let issues = reconcile(&t, &l, &[1, 2], 3);
        assert_eq!(issues.len(), 1);
        assert_eq!(
            issues[0].message.en(),
            "The total row declares 3 members, but the table has 2 rows above it: 1 more than its rows. The figures count the rows."
        );
        assert_eq!(issues[0].location.to_string(), "t.xlsx:S!B4");
        assert_eq!(issues[0].expected.as_ref().map(|e| e.en()), Some("2"));

        let t = table(&[&[s("Codice")], &[s("1")], &[s("Totale soci: 1")]]);
        assert!(reconcile(&t, &l, &[1], 2).is_empty());
    }

    #[test]
    fn a_total_written_across_cells_declares_its_count_in_any_column_but_an_amount() {
        // The seed's cluster: 123 declared, the categories reach 121.
        let l = layout(
            SourceKind::Members,
            &[(Field::Name, 0), (Field::Category, 1), (Field::JoinedOn, 2)],
        );
        let mut rows: Vec<Vec<Data>> = vec![vec![s("Denominazione"), s("Categoria"), s("Data")]];
        rows.extend(
            (0..121).map(|i| vec![s(&format!("Socio {i}")), s("PMI"), Data::Float(45000.0)]),
        );
        rows.push(vec![s("TOTALE"), s("aderenti"), Data::Float(123.0)]);
        let rows: Vec<&[Data]> = rows.iter().map(Vec::as_slice).collect();
        let t = table(&rows);
        let data: Vec<u32> = (1..=121).collect();
        let issues = reconcile(&t, &l, &data, 122);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].location.to_string(), "t.xlsx:S!C123");
        assert!(
            issues[0].message.en().contains("declares 123 members"),
            "{}",
            issues[0].message.en()
        );
        assert!(
            issues[0].message.en().contains("121 rows"),
            "{}",
            issues[0].message.en()
        );
    }

    #[test]
    fn a_year_in_the_label_is_not_a_declared_count() {
        let l = layout(
            SourceKind::Members,
            &[(Field::MemberId, 0), (Field::Category, 1)],
        );
        let rows = |total: Data| {
            table(&[
                &[s("Codice"), s("Categoria")],
                &[s("1"), s("PMI")],
                &[s("2"), s("PMI")],
                &[total],
            ])
        };
        let issues = reconcile(&rows(s("Totale 2024")), &l, &[1, 2], 3);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].severity, crate::issues::Severity::Warning);
        assert_eq!(issues[0].location.to_string(), "t.xlsx:S!A4");
        assert_eq!(
            issues[0].message.en(),
            "The total on row 4 reads 'Totale 2024': 2024 is taken for a year, not a count of members, and is not reconciled with the 2 rows above it."
        );
        assert_eq!(
            issues[0].message.it(),
            "Il totale alla riga 4 riporta «Totale 2024»: 2024 è inteso come un anno, non come un numero di soci, e non è confrontato con le righe sopra (2)."
        );
        // The same label over 2024 rows agrees with them: nothing to say.
        let many: Vec<u32> = (1..=2024).collect();
        assert!(reconcile(&rows(s("Totale 2024")), &l, &many, 3).is_empty());
        // Outside the years, a number in the label is a count, and a wrong one
        // is an error, as POLI-AUTO's "Totale 123" over 121 rows.
        for (label, declared) in [
            ("Totale 123", 123),
            ("TOTALE 2101", 2101),
            ("Totale 1899", 1899),
        ] {
            let issues = reconcile(&rows(s(label)), &l, &[1, 2], 3);
            assert_eq!(issues.len(), 1, "{label}: {issues:?}");
            assert_eq!(
                issues[0].severity,
                crate::issues::Severity::Error,
                "{label}"
            );
            assert!(
                issues[0].message.en().starts_with(&format!(
                    "The total row declares {} members, but the table has 2 rows",
                    crate::text::number(Lang::En, declared)
                )),
                "{}",
                issues[0].message.en()
            );
        }
        // A year written in a cell of its own is a count like any other.
        let t = table(&[
            &[s("Codice"), s("Categoria")],
            &[s("1"), s("PMI")],
            &[s("Totale"), Data::Float(2024.0)],
        ]);
        let issues = reconcile(&t, &l, &[1], 2);
        assert_eq!(issues[0].severity, crate::issues::Severity::Error);
        assert_eq!(issues[0].location.to_string(), "t.xlsx:S!B3");
    }

    #[test]
    fn declared_amounts_are_checked_against_the_column_sums() {
        let t = table(&[
            &[s("CUP"), s("Valore"), s("Contributo")],
            &[s("P1"), s("158.500,00 €"), Data::Float(114_944.0)],
            &[s("P2"), Data::Float(0.1), Data::Float(0.2)],
            &[s("TOTALE"), Data::Float(158_500.1), Data::Float(114_944.3)],
        ]);
        let l = layout(
            SourceKind::Projects,
            &[
                (Field::ProjectId, 0),
                (Field::ProjectValue, 1),
                (Field::Financing, 2),
            ],
        );
        let issues = reconcile(&t, &l, &[1, 2], 3);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].location.to_string(), "t.xlsx:S!C4");
        assert!(
            issues[0].message.en().contains(
                "declares a financing of 114.944,30 €, but the 2 rows above add up to 114.944,20 €"
            ),
            "{}",
            issues[0].message.en()
        );
        assert_eq!(
            issues[0].message.it(),
            "Nella riga del totale il finanziamento è 114.944,30 €, ma la somma delle righe sopra (2) è 114.944,20 €: una differenza di 0,10 €. I dati usano le righe."
        );
    }
}
