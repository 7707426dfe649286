//! The Excel table over a sheet's rows: its columns with their header format and
//! the functions of its totals row, and the figures that totals row shows.
//!
//! A totals cell carries the model's figure as the formula's cached result, so
//! that readers which do not recalculate still show it; a sum is
//! `SUBTOTAL(109,Table[Column])`, the reference qualified with the table's name
//! (LibreOffice cannot resolve `[Column]` alone), so that it follows the filter.

use super::limits::table_name;
use super::measure::{amount_text, count_text};
use super::style::{Kind, Styles};
use crate::money::{Cents, Ratio};
use rust_xlsxwriter::{ColNum, Formula, Table, TableColumn, TableFunction, TableStyle};

/// A figure for a totals cell, from the model.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Total {
    Count(u64),
    Amount(Cents),
    Ratio(Ratio),
}

impl Total {
    /// The formula's cached result, as Excel stores it.
    pub(crate) fn result(self) -> String {
        match self {
            Total::Count(n) => n.to_string(),
            Total::Amount(amount) => amount.plain(),
            Total::Ratio(ratio) => ratio.as_f64().to_string(),
        }
    }

    /// What the reader sees, to size the column.
    pub(crate) fn shown(self) -> String {
        match self {
            Total::Count(n) => count_text(n),
            Total::Amount(amount) => amount_text(amount),
            Total::Ratio(ratio) => ratio.english_percent(),
        }
    }

    /// The figure as a plain number, where no formula is written.
    pub(crate) fn value(self) -> f64 {
        match self {
            Total::Count(n) => n as f64,
            Total::Amount(amount) => amount.as_euros_f64(),
            Total::Ratio(ratio) => ratio.as_f64(),
        }
    }

    pub(crate) fn kind(self) -> Kind {
        match self {
            Total::Count(_) => Kind::Count,
            Total::Amount(_) => Kind::Amount,
            Total::Ratio(_) => Kind::Ratio,
        }
    }
}

/// A cell of a table's totals row.
#[derive(Debug, Clone)]
pub(crate) enum TotalCell {
    Label(String),
    /// `SUBTOTAL(109, …)` of the column's data rows, so that it follows the filter.
    Sum(Total),
    /// Another formula, in A1 form.
    Formula(String, Total),
    Blank(Kind),
}

/// The table of sheet `sheet` with these column `titles` and, when given, a
/// totals row of these `totals` cells: filter buttons and banded rows.
pub(crate) fn table(
    sheet: &str,
    titles: &[String],
    totals: Option<&[(ColNum, TotalCell)]>,
    styles: &Styles,
) -> Table {
    let columns: Vec<TableColumn> = (0..)
        .zip(titles)
        .map(|(col, title)| {
            let column = TableColumn::new()
                .set_header(title)
                .set_header_format(&styles.header);
            match totals.and_then(|cells| cells.iter().find(|(c, _)| *c == col)) {
                Some((_, TotalCell::Label(text))) => column.set_total_label(text),
                Some((_, TotalCell::Sum(_))) => column.set_total_function(TableFunction::Sum),
                Some((_, TotalCell::Formula(formula, total))) => column.set_total_function(
                    TableFunction::Custom(Formula::new(formula).set_result(total.result())),
                ),
                _ => column,
            }
        })
        .collect();
    Table::new()
        .set_name(table_name(sheet))
        .set_style(TableStyle::Light1)
        .set_total_row(totals.is_some())
        .set_columns(&columns)
}

/// `SUBTOTAL(109,Table[Column])` for the column titled `title` of sheet `sheet`'s table.
pub(crate) fn subtotal(sheet: &str, title: &str) -> String {
    format!(
        "SUBTOTAL(109,{}[{}])",
        table_name(sheet),
        structured_name(title)
    )
}

/// A column name inside a structured reference: `'` escapes `[`, `]`, `#` and `'`.
pub(crate) fn structured_name(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if matches!(c, '[' | ']' | '#' | '\'') {
            out.push('\'');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_names_escape_what_excel_escapes() {
        assert_eq!(structured_name("Margine (EUR)"), "Margine (EUR)");
        assert_eq!(structured_name("N. [1]"), "N. '[1']");
        assert_eq!(structured_name("#'"), "'#''");
    }

    #[test]
    fn subtotals_name_the_table_and_the_column() {
        assert_eq!(
            subtotal("Progetti per cluster", "Valore [EUR]"),
            "SUBTOTAL(109,Progetti_per_cluster[Valore '[EUR']])"
        );
    }
}
