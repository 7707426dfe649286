//! A worksheet being written: cells in the workbook's formats, the Excel table over
//! a sheet's rows with its totals row, column widths, frozen panes and print setup.
//!
//! Widths: numbers and dates are measured by rust_xlsxwriter's autofit as they are
//! shown, number format included (its `enhanced_autofit` feature). What autofit
//! cannot see is measured here and set first, since autofit only widens a column:
//! indented text, bold totals (formulas, whose cached result autofit reads
//! unformatted), and headers, which wrap rather than widen their column. Long text
//! columns are then held to a limit and wrap, with their rows made tall enough.

use super::limits::{cell_text, table_name};
use super::measure::{
    amount_text, bold_width, count_text, header_width, shown_width, wrapped_lines,
    FILTER_BUTTON_PX, INDENT_PX,
};
use super::style::{Kind, Styles, Tone};
use crate::money::{Cents, Ppm, Ratio};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    cell_autofit_width, ColNum, ExcelDateTime, Format, Formula, IgnoreError, RowNum, Table,
    TableColumn, TableFunction, TableStyle, Url, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// The widest a column gets, in pixels (about 67 characters: a SHA-256 fits).
pub const MAX_COLUMN_PX: u32 = 480;
/// The height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// A4 in Excel's paper-size numbering.
const PAPER_A4: u8 = 9;

/// A figure for a totals cell, from the model.
#[derive(Debug, Clone, Copy)]
pub enum Total {
    Count(u64),
    Amount(Cents),
    Ratio(Ratio),
}

impl Total {
    /// The formula's cached result, as Excel stores it.
    fn result(self) -> String {
        match self {
            Total::Count(n) => n.to_string(),
            Total::Amount(amount) => amount.plain(),
            Total::Ratio(ratio) => ratio.as_f64().to_string(),
        }
    }

    /// What the reader sees, to size the column.
    fn shown(self) -> String {
        match self {
            Total::Count(n) => count_text(n),
            Total::Amount(amount) => amount_text(amount),
            Total::Ratio(ratio) => ratio.english_percent(),
        }
    }

    fn kind(self) -> Kind {
        match self {
            Total::Count(_) => Kind::Count,
            Total::Amount(_) => Kind::Amount,
            Total::Ratio(_) => Kind::Ratio,
        }
    }
}

/// A cell of a table's totals row.
#[derive(Debug, Clone)]
pub enum TotalCell {
    Label(String),
    /// `SUBTOTAL(109, …)` of the column's data rows, so that it follows the filter.
    Sum(Total),
    /// Another formula, in A1 form.
    Formula(String, Total),
    Blank(Kind),
}

/// How a finished sheet is laid out.
pub struct Layout {
    /// The header row and the last data row of the sheet's table, if it has one.
    pub table: Option<(RowNum, RowNum)>,
    /// Columns kept in view when scrolling sideways.
    pub frozen_cols: ColNum,
    pub print_header: String,
}

/// A worksheet being written.
pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    pub styles: &'a Styles,
    name: String,
    widths: Vec<u32>,
    limits: Vec<(ColNum, u32)>,
    header: Option<(RowNum, Vec<String>)>,
    totals: Option<(RowNum, Vec<(ColNum, TotalCell)>)>,
    /// Text written once the widths are set, so that it overflows instead.
    notes: Vec<(RowNum, ColNum, String, Format)>,
    /// Rows whose wrapped text needs more than one line, and how many.
    row_lines: BTreeMap<RowNum, u32>,
}

impl<'a> Sheet<'a> {
    pub fn new(ws: &'a mut Worksheet, name: &str, styles: &'a Styles) -> Result<Self, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            styles,
            name: name.to_string(),
            widths: Vec::new(),
            limits: Vec::new(),
            header: None,
            totals: None,
            notes: Vec::new(),
            row_lines: BTreeMap::new(),
        })
    }

    /// Keeps column `col` at most `chars` characters wide (and never wider than
    /// [`MAX_COLUMN_PX`]); longer text wraps.
    pub fn limit(&mut self, col: ColNum, chars: u32) {
        let pixels = (chars * 7 + 5 + INDENT_PX).min(MAX_COLUMN_PX);
        self.limits.push((col, pixels));
    }

    /// Makes column `col` at least `pixels` wide.
    pub fn fit(&mut self, col: ColNum, pixels: u32) {
        let i = usize::from(col);
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 0);
        }
        self.widths[i] = self.widths[i].max(pixels);
    }

    /// The header row; its cells are written with the table.
    pub fn header(&mut self, row: RowNum, titles: &[&str]) {
        for (col, title) in (0..).zip(titles) {
            self.fit(col, header_width(title));
        }
        self.header = Some((row, titles.iter().map(|t| t.to_string()).collect()));
    }

    /// The totals row below the data; its cells are written with the table.
    pub fn totals(&mut self, row: RowNum, cells: Vec<(ColNum, TotalCell)>) {
        for (col, cell) in &cells {
            match cell {
                TotalCell::Label(text) => self.fit(*col, bold_width(text) + 7 + INDENT_PX),
                TotalCell::Sum(total) | TotalCell::Formula(_, total) => {
                    self.fit(*col, shown_width(&total.shown(), Tone::Total));
                }
                TotalCell::Blank(_) => {}
            }
        }
        self.totals = Some((row, cells));
    }

    /// Text that overflows into empty cells and does not widen its column.
    pub fn note(&mut self, row: RowNum, col: ColNum, text: &str, format: &Format) {
        self.notes
            .push((row, col, cell_text(text).into_owned(), format.clone()));
    }

    /// A bold label in a cell of its own.
    pub fn label(&mut self, row: RowNum, col: ColNum, text: &str) -> Result<(), XlsxError> {
        let format = self.styles.plain.clone().set_bold();
        self.ws.write_string_with_format(row, col, text, &format)?;
        self.fit(col, bold_width(text) + 7 + INDENT_PX);
        Ok(())
    }

    /// An internal hyperlink to `location` (`'Sheet name'!A1`), shown as `text`.
    pub fn link(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        location: &str,
        tip: &str,
    ) -> Result<(), XlsxError> {
        let url = Url::new(format!("internal:{location}"))
            .set_text(text)
            .set_tip(tip);
        self.ws
            .write_url_with_format(row, col, url, &self.styles.link)?;
        self.fit(col, cell_autofit_width(text) + INDENT_PX);
        Ok(())
    }

    /// Text from the model, always as a string (never a formula), cut to Excel's
    /// limit, wrapping within the column's limit.
    pub fn text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        let text = cell_text(text);
        self.ws.write_string_with_format(
            row,
            col,
            text.as_ref(),
            self.styles.cell(Kind::Text, tone),
        )?;
        let widest = text.lines().map(cell_autofit_width).max().unwrap_or(0);
        self.fit(col, widest + INDENT_PX);
        let room = self.limit_px(col).saturating_sub(7 + INDENT_PX);
        let lines: u32 = text
            .lines()
            .map(|line| wrapped_lines(line, room, false))
            .sum();
        if lines > 1 {
            let entry = self.row_lines.entry(row).or_insert(1);
            *entry = (*entry).max(lines);
        }
        Ok(())
    }

    pub fn opt_text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: Option<&str>,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        match text {
            Some(text) => self.text(row, col, text, tone),
            None => self.blank(row, col, Kind::Text, tone),
        }
    }

    pub fn blank(
        &mut self,
        row: RowNum,
        col: ColNum,
        kind: Kind,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_blank(row, col, self.styles.cell(kind, tone))?;
        Ok(())
    }

    pub fn number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: Kind,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(row, col, value, self.styles.cell(kind, tone))?;
        Ok(())
    }

    pub fn count(&mut self, row: RowNum, col: ColNum, n: u64, tone: Tone) -> Result<(), XlsxError> {
        self.number(row, col, n as f64, Kind::Count, tone)
    }

    pub fn amount(&mut self, row: RowNum, col: ColNum, amount: Cents) -> Result<(), XlsxError> {
        self.number(row, col, amount.as_euros_f64(), Kind::Amount, Tone::Plain)
    }

    pub fn opt_amount(
        &mut self,
        row: RowNum,
        col: ColNum,
        amount: Option<Cents>,
    ) -> Result<(), XlsxError> {
        match amount {
            Some(amount) => self.amount(row, col, amount),
            None => self.blank(row, col, Kind::Amount, Tone::Plain),
        }
    }

    pub fn ratio(
        &mut self,
        row: RowNum,
        col: ColNum,
        ratio: Option<Ratio>,
    ) -> Result<(), XlsxError> {
        match ratio {
            Some(ratio) => self.number(row, col, ratio.as_f64(), Kind::Ratio, Tone::Plain),
            None => self.blank(row, col, Kind::Ratio, Tone::Plain),
        }
    }

    pub fn cap(&mut self, row: RowNum, col: ColNum, cap: Ppm) -> Result<(), XlsxError> {
        self.number(row, col, cap.as_f64(), Kind::Cap, Tone::Plain)
    }

    pub fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: Option<NaiveDate>,
        kind: Kind,
    ) -> Result<(), XlsxError> {
        let Some(date) = date else {
            return self.blank(row, col, kind, Tone::Plain);
        };
        self.ws.write_datetime_with_format(
            row,
            col,
            excel_date(date)?,
            self.styles.cell(kind, Tone::Plain),
        )?;
        Ok(())
    }

    /// A formula in a data row with the model's figure as its cached result.
    pub fn formula(
        &mut self,
        row: RowNum,
        col: ColNum,
        formula: &str,
        total: Total,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        let formula = Formula::new(formula).set_result(total.result());
        self.ws.write_formula_with_format(
            row,
            col,
            formula,
            self.styles.cell(total.kind(), tone),
        )?;
        self.fit(col, shown_width(&total.shown(), tone));
        Ok(())
    }

    /// Sets the widths, writes the table, its header and totals, the notes, and
    /// the panes and print setup.
    pub fn finish(mut self, layout: Layout) -> Result<(), XlsxError> {
        self.apply_widths()?;
        self.apply_header_height()?;
        self.apply_row_heights()?;
        let in_table = match layout.table {
            Some((header_row, last_row)) => {
                self.ws
                    .set_freeze_panes(header_row + 1, layout.frozen_cols)?;
                self.ws.set_repeat_rows(header_row, header_row)?;
                // Excel wants a data row in a table: an empty list gets a plain header.
                last_row > header_row && self.add_table(header_row, last_row)?
            }
            None => false,
        };
        if !in_table {
            self.write_plain_header()?;
        }
        self.write_totals(in_table)?;
        for (row, col, text, format) in std::mem::take(&mut self.notes) {
            self.ws.write_string_with_format(row, col, &text, &format)?;
        }
        self.ws
            .set_landscape()
            .set_paper_size(PAPER_A4)
            .set_print_fit_to_pages(1, 0)
            .set_header(layout.print_header)
            .set_footer("&C&P / &N");
        Ok(())
    }

    /// Measured widths first, then autofit for numbers and dates, then the limits
    /// of wrapping text columns.
    fn apply_widths(&mut self) -> Result<(), XlsxError> {
        for col in 0..self.widths.len() {
            if self.widths[col] > 0 {
                let width = self.final_width(col);
                self.ws.set_column_width_pixels(col as ColNum, width)?;
            }
        }
        self.ws.set_autofit_max_width(MAX_COLUMN_PX).autofit();
        for (col, _) in self.limits.clone() {
            let width = self.final_width(usize::from(col));
            if width > 0 {
                self.ws.set_column_width_pixels(col, width)?;
            }
        }
        Ok(())
    }

    /// An Excel table over the header and data rows and the totals row below them:
    /// filter buttons, banded rows, and totals that follow the filter.
    fn add_table(&mut self, header_row: RowNum, last_row: RowNum) -> Result<bool, XlsxError> {
        let Some((_, titles)) = &self.header else {
            return Ok(false);
        };
        let totals = self.totals.as_ref().filter(|(row, _)| *row == last_row + 1);
        let columns: Vec<TableColumn> = (0..)
            .zip(titles)
            .map(|(col, title)| {
                let column = TableColumn::new()
                    .set_header(title)
                    .set_header_format(&self.styles.header);
                match totals.and_then(|(_, cells)| cells.iter().find(|(c, _)| *c == col)) {
                    Some((_, TotalCell::Label(text))) => column.set_total_label(text),
                    Some((_, TotalCell::Sum(_))) => column.set_total_function(TableFunction::Sum),
                    Some((_, TotalCell::Formula(formula, total))) => column.set_total_function(
                        TableFunction::Custom(Formula::new(formula).set_result(total.result())),
                    ),
                    _ => column,
                }
            })
            .collect();
        let last_col = (titles.len() - 1) as ColNum;
        let table = Table::new()
            .set_name(table_name(&self.name))
            .set_style(TableStyle::Light1)
            .set_total_row(totals.is_some())
            .set_columns(&columns);
        let end = if totals.is_some() {
            last_row + 1
        } else {
            last_row
        };
        self.ws.add_table(header_row, 0, end, last_col, &table)?;
        self.ws.ignore_error_range(
            header_row + 1,
            0,
            last_row,
            last_col,
            IgnoreError::NumberStoredAsText,
        )?;
        Ok(true)
    }

    fn write_plain_header(&mut self) -> Result<(), XlsxError> {
        if let Some((row, titles)) = &self.header {
            for (col, title) in (0..).zip(titles) {
                self.ws
                    .write_string_with_format(*row, col, title, &self.styles.header)?;
            }
        }
        Ok(())
    }

    /// The totals row: in a table, `SUBTOTAL(109,Table[Column])`, the reference
    /// qualified with the table's name (LibreOffice cannot resolve `[Column]`
    /// alone); without data rows to add up, the plain figure.
    fn write_totals(&mut self, in_table: bool) -> Result<(), XlsxError> {
        let Some((row, cells)) = self.totals.take() else {
            return Ok(());
        };
        for (col, cell) in cells {
            let total_format = |kind| self.styles.cell(kind, Tone::Total);
            match cell {
                TotalCell::Label(text) => {
                    self.ws
                        .write_string_with_format(row, col, &text, total_format(Kind::Text))?;
                }
                TotalCell::Blank(kind) => {
                    self.ws.write_blank(row, col, total_format(kind))?;
                }
                TotalCell::Sum(total) if in_table => {
                    let formula = format!(
                        "SUBTOTAL(109,{}[{}])",
                        table_name(&self.name),
                        structured_name(&self.title(col))
                    );
                    let formula = Formula::new(formula).set_result(total.result());
                    self.ws.write_formula_with_format(
                        row,
                        col,
                        formula,
                        total_format(total.kind()),
                    )?;
                }
                TotalCell::Sum(total) => self.write_figure(row, col, total)?,
                TotalCell::Formula(formula, total) => {
                    let formula = Formula::new(formula).set_result(total.result());
                    self.ws.write_formula_with_format(
                        row,
                        col,
                        formula,
                        total_format(total.kind()),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn write_figure(&mut self, row: RowNum, col: ColNum, total: Total) -> Result<(), XlsxError> {
        let value = match total {
            Total::Count(n) => n as f64,
            Total::Amount(amount) => amount.as_euros_f64(),
            Total::Ratio(ratio) => ratio.as_f64(),
        };
        self.number(row, col, value, total.kind(), Tone::Total)
    }

    fn title(&self, col: ColNum) -> String {
        self.header
            .as_ref()
            .and_then(|(_, titles)| titles.get(usize::from(col)).cloned())
            .unwrap_or_default()
    }

    /// The widest column `col` may get, in pixels.
    fn limit_px(&self, col: ColNum) -> u32 {
        self.limits
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(MAX_COLUMN_PX, |(_, px)| *px)
    }

    fn final_width(&self, col: usize) -> u32 {
        let limit = ColNum::try_from(col).map_or(MAX_COLUMN_PX, |c| self.limit_px(c));
        self.widths.get(col).copied().unwrap_or(0).min(limit)
    }

    /// Makes rows with wrapped text tall enough to show all of it.
    fn apply_row_heights(&mut self) -> Result<(), XlsxError> {
        for (row, lines) in &self.row_lines {
            self.ws
                .set_row_height(*row, LINE_HEIGHT * f64::from(*lines))?;
        }
        Ok(())
    }

    /// Headers wrap inside their column; the row is made tall enough for them.
    fn apply_header_height(&mut self) -> Result<(), XlsxError> {
        let Some((row, titles)) = &self.header else {
            return Ok(());
        };
        let lines = titles
            .iter()
            .enumerate()
            .map(|(col, title)| {
                let room = self
                    .final_width(col)
                    .saturating_sub(7 + INDENT_PX + FILTER_BUTTON_PX);
                wrapped_lines(title, room, true)
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            self.ws
                .set_row_height(*row, LINE_HEIGHT * f64::from(lines))?;
        }
        Ok(())
    }
}

/// A calendar date as Excel holds it; years outside 1900–9999 are refused.
pub fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).map_err(|_| {
        XlsxError::DateTimeRangeError(format!("year {} is out of range", date.year()))
    })?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// A column name inside a structured reference: `'` escapes `[`, `]`, `#` and `'`.
pub fn structured_name(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if matches!(c, '[' | ']' | '#' | '\'') {
            out.push('\'');
        }
        out.push(c);
    }
    out
}

/// A row number for the data rows of a table whose header is row 0.
pub fn data_row(index: usize) -> RowNum {
    index as RowNum + 1
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
}
