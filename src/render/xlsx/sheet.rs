//! A worksheet being written: cells in the workbook's formats, the Excel table over
//! a sheet's rows with its totals row ([`table`](super::table)), column widths,
//! frozen panes and print setup, in one of three modes ([`mode`](super::mode)):
//! in memory; for a large table, streamed row by row in constant memory
//! ([`stream`](super::stream)); or, for the largest, spliced: its data rows
//! written apart and put into the saved package ([`splice`](super::splice)).
//!
//! Widths: numbers and dates are measured by rust_xlsxwriter's autofit as they are
//! shown, number format included (its `enhanced_autofit` feature). What autofit
//! cannot see is measured here and set first, since autofit only widens a column:
//! indented text, bold totals (formulas, whose cached result autofit reads
//! unformatted), and headers, which wrap rather than widen their column. Long text
//! columns are then held to a limit and wrap, with their rows made tall enough.
//!
//! Every mode takes the same calls: the layout when the sheet is made; then the
//! header, column limits and totals, and the cells above the table (a heading,
//! written as they come, in row order); the cells, in the body given to
//! [`Sheet::write`]; then [`Sheet::finish`]. In memory the body runs once and the
//! widths, heights, table, totals and notes are all set in `finish`. Streamed,
//! the body runs twice: first to measure every cell (autofit cannot see rows
//! already on disk, so [`Autofit`] measures as it would), then, with the widths
//! set, the header row made tall enough and the table added (which writes the
//! header cells), to write the rows in order, each row's height set while it is
//! the current row.
//!
//! A large sheet may be measured ahead, beside other work ([`Sheet::ahead`]), on
//! a worksheet that only stands in, and then written by a streamed sheet declared
//! the same way ([`Sheet::write_measured`]). A spliced sheet is measured ahead
//! too, its rows written to [`RowsXml`](super::rows::RowsXml) in the same pass;
//! its worksheet is saved with the header, table and setup only
//! ([`Sheet::write_without_rows`]), and the rows are put into the saved package.

use super::autofit::Autofit;
use super::limits::cell_text;
use super::measure::{
    fits_one_line, header_width, label_width, number_text, shown_width, wrapped_lines, INDENT_PX,
    TEXT_INSET_PX,
};
use super::mode::{SheetMode, SplicedRows};
use super::rows::CellXml;
use super::stream::{Pass, Stream};
use super::style::{Kind, Styles, Tone};
use super::table::{self, Total, TotalCell};
use super::widths::{Widths, MAX_COLUMN_PX};
use crate::money::{Cents, Ppm, Ratio};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    cell_autofit_width, ColNum, ExcelDateTime, Format, Formula, IgnoreError, RowNum, Url, Workbook,
    Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// The height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points: a cell of thousands of lines (a
/// value of 32,767 characters) shows its first ones, and the whole text in the
/// formula bar.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// A4 in Excel's paper-size numbering.
const PAPER_A4: u8 = 9;

/// How a finished sheet is laid out.
pub(crate) struct Layout {
    /// The header row and the last data row of the sheet's table, if it has one.
    pub(crate) table: Option<(RowNum, RowNum)>,
    /// Columns kept in view when scrolling sideways.
    pub(crate) frozen_cols: ColNum,
    pub(crate) print_header: String,
}

/// What measuring a sheet's cells ahead found: the columns' widths.
pub(crate) struct Measured {
    widths: Widths,
    autofit: Autofit,
}

/// Whether a sheet is saved with its data rows, or without them for
/// [`splice`](super::splice) to put them in: its table then spans the header and
/// one row, and is widened with them (rust_xlsxwriter keeps a map entry per table
/// cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataRows {
    Saved,
    SplicedLater,
}

/// What a cell holds, as it goes to the worksheet (or is measured).
enum Value<'t> {
    Text(&'t str),
    Number(f64, Kind),
    Date(NaiveDate, Kind),
    Formula {
        formula: &'t str,
        result: &'t str,
    },
    /// An internal hyperlink to `location`, shown as `text`.
    Link {
        text: &'t str,
        location: &'t str,
        tip: &'t str,
    },
    Blank,
}

/// A worksheet being written.
pub(crate) struct Sheet<'a> {
    /// The worksheet, for what is not a cell: charts, conditional formats, breaks.
    /// Cells go through the methods below, which measure them and keep a sheet
    /// written row by row in row order.
    pub(crate) ws: &'a mut Worksheet,
    pub(crate) styles: &'a Styles,
    name: String,
    layout: Layout,
    widths: Widths,
    header: Option<(RowNum, Vec<String>)>,
    totals: Option<(RowNum, Vec<(ColNum, TotalCell)>)>,
    /// Text written once the widths are set, so that it overflows instead.
    notes: Vec<(RowNum, ColNum, String, Format)>,
    /// Rows whose wrapped text needs more than one line, and how many (row by
    /// row, only the current row's, until it is left).
    row_lines: BTreeMap<RowNum, u32>,
    /// Whether the totals row and the notes are written with the data rows,
    /// spliced into the package, rather than by [`Sheet::finish`].
    totals_spliced: bool,
    mode: SheetMode<'a>,
}

impl<'a> Sheet<'a> {
    /// A sheet added to `workbook`: in constant memory when `streamed`, otherwise
    /// in memory. Its cells are written by [`Sheet::write`].
    pub(crate) fn add(
        workbook: &'a mut Workbook,
        name: &str,
        styles: &'a Styles,
        layout: Layout,
        streamed: bool,
    ) -> Result<Self, XlsxError> {
        if !streamed {
            return Sheet::new(
                workbook.add_worksheet(),
                name,
                styles,
                layout,
                SheetMode::InMemory,
            );
        }
        let ws = workbook.add_worksheet_with_constant_memory()?;
        let mode = SheetMode::Streamed(Stream::new(Autofit::new(styles.lang, MAX_COLUMN_PX)));
        Sheet::new(ws, name, styles, layout, mode)
    }

    /// A sheet whose cells are measured ahead, beside other work, on `ws`, which
    /// is never saved: for a streamed sheet declared the same way, which then
    /// writes them with [`Sheet::write_measured`]; or, given `rows`, for a sheet
    /// whose data rows are spliced in, written there as they are measured, the
    /// sheet declared the same way being saved by [`Sheet::write_without_rows`].
    /// Its cells are measured by [`Sheet::measure`].
    pub(crate) fn ahead(
        ws: &'a mut Worksheet,
        name: &str,
        styles: &'a Styles,
        layout: Layout,
        rows: Option<SplicedRows<'a>>,
    ) -> Result<Self, XlsxError> {
        let stream = Stream::new(Autofit::new(styles.lang, MAX_COLUMN_PX));
        let mode = match rows {
            Some(rows) => SheetMode::Spliced { stream, rows },
            None => SheetMode::Streamed(stream),
        };
        Sheet::new(ws, name, styles, layout, mode)
    }

    fn new(
        ws: &'a mut Worksheet,
        name: &str,
        styles: &'a Styles,
        layout: Layout,
        mut mode: SheetMode<'a>,
    ) -> Result<Self, XlsxError> {
        ws.set_name(name)?;
        if let Some(stream) = mode.in_order() {
            stream.header_row = layout.table.map(|(header_row, _)| header_row);
        }
        Ok(Sheet {
            ws,
            styles,
            name: name.to_string(),
            layout,
            widths: Widths::default(),
            header: None,
            totals: None,
            notes: Vec::new(),
            row_lines: BTreeMap::new(),
            totals_spliced: false,
            mode,
        })
    }

    /// Writes the sheet's cells with `body`, which writes them in row order: in
    /// memory it runs once; streamed twice, to measure, then to write. A spliced
    /// sheet's rows are written by [`Sheet::measure`].
    pub(crate) fn write(
        &mut self,
        mut body: impl FnMut(&mut Sheet<'a>) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        match self.mode {
            SheetMode::InMemory => body(self),
            SheetMode::Streamed(_) => {
                self.run(Pass::Measuring, &mut body)?;
                self.write_rows(body)
            }
            SheetMode::Spliced { .. } => Err(XlsxError::ParameterError(format!(
                "sheet '{}' has its rows spliced: they are written by Sheet::measure.",
                self.name
            ))),
        }
    }

    /// Runs `body` on a sheet made by [`Sheet::ahead`]: measures its cells, as a
    /// streamed sheet's first pass does, and writes a spliced sheet's rows, the
    /// last with its height. Returns what was measured, for the sheet declared
    /// the same way; `None` in memory, where autofit measures the cells as they
    /// are saved.
    pub(crate) fn measure(
        mut self,
        body: impl FnMut(&mut Sheet<'a>) -> Result<(), XlsxError>,
    ) -> Result<Option<Measured>, XlsxError> {
        match self.mode {
            SheetMode::InMemory => return Ok(None),
            SheetMode::Streamed(_) => self.run(Pass::Measuring, body)?,
            SheetMode::Spliced { .. } => {
                self.run(Pass::Writing, body)?;
                // The totals row and the notes below the rows are spliced with them.
                self.write_totals()?;
                self.write_notes()?;
                self.set_last_row_height()?;
            }
        }
        let autofit = match self.mode {
            SheetMode::InMemory => return Ok(None),
            SheetMode::Streamed(stream) => stream.autofit,
            SheetMode::Spliced { stream, rows } => {
                rows.finish()?;
                stream.autofit
            }
        };
        Ok(Some(Measured {
            widths: self.widths,
            autofit,
        }))
    }

    /// Writes the cells `body` writes, measured ahead by [`Sheet::measure`]: the
    /// second pass of [`Sheet::write`] alone. Without `measured` (a sheet in
    /// memory), [`Sheet::write`] itself.
    pub(crate) fn write_measured(
        &mut self,
        measured: Option<Measured>,
        body: impl FnMut(&mut Sheet<'a>) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        match measured {
            Some(measured) => {
                self.adopt(measured)?;
                self.write_rows(body)
            }
            None => self.write(body),
        }
    }

    /// Sets up a streamed sheet whose data rows, measured and written by
    /// [`Sheet::measure`] on a spliced sheet declared the same way, are put into
    /// the saved package by [`splice`](super::splice): its widths, header, table
    /// and setup, without rows.
    pub(crate) fn write_without_rows(&mut self, measured: Measured) -> Result<(), XlsxError> {
        self.adopt(measured)?;
        self.prepare(DataRows::SplicedLater)?;
        // The totals row and the notes below the rows are spliced with them.
        self.totals_spliced = true;
        Ok(())
    }

    /// Takes the widths measured ahead, for a streamed sheet's second pass.
    fn adopt(&mut self, measured: Measured) -> Result<(), XlsxError> {
        let SheetMode::Streamed(stream) = &mut self.mode else {
            return Err(XlsxError::ParameterError(format!(
                "sheet '{}' is not streamed, so it measures its own cells.",
                self.name
            )));
        };
        stream.autofit = measured.autofit;
        self.widths = measured.widths;
        Ok(())
    }

    /// A streamed sheet's second pass: the widths set, the header and table in
    /// place, the rows written in order.
    fn write_rows(
        &mut self,
        body: impl FnOnce(&mut Sheet<'a>) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        self.prepare(DataRows::Saved)?;
        self.run(Pass::Writing, body)
    }

    /// Runs `body` in `pass` on a sheet written row by row, timed.
    fn run(
        &mut self,
        pass: Pass,
        body: impl FnOnce(&mut Sheet<'a>) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        if let Some(stream) = self.mode.in_order() {
            stream.pass = pass;
        }
        let stage = if pass == Pass::Measuring {
            "measure"
        } else {
            "write"
        };
        let name = self.name.clone();
        crate::timings::timed(&format!("xlsx {stage} '{name}'"), || body(self))
    }

    /// Keeps column `col` at most `chars` characters wide (and never wider than
    /// [`MAX_COLUMN_PX`]); longer text wraps.
    pub(crate) fn limit(&mut self, col: ColNum, chars: u32) {
        self.widths.limit(col, chars);
    }

    /// Makes column `col` at least `pixels` wide.
    pub(crate) fn fit(&mut self, col: ColNum, pixels: u32) {
        self.widths.fit(col, pixels);
    }

    /// The header row; its cells are written with the table.
    pub(crate) fn header(&mut self, row: RowNum, titles: &[&str]) {
        debug_assert!(
            !self.mode.prepared(),
            "the header of '{}' comes first",
            self.name
        );
        for (col, title) in (0..).zip(titles) {
            self.fit(col, header_width(title));
        }
        self.header = Some((row, titles.iter().map(|t| t.to_string()).collect()));
    }

    /// The totals row below the data; its cells are written with the table.
    pub(crate) fn totals(&mut self, row: RowNum, cells: Vec<(ColNum, TotalCell)>) {
        debug_assert!(
            !self.mode.prepared(),
            "the totals of '{}' come first",
            self.name
        );
        for (col, cell) in &cells {
            match cell {
                TotalCell::Label(text) => self.fit(*col, label_width(text)),
                TotalCell::Sum(total) | TotalCell::Formula(_, total) => {
                    self.fit(*col, shown_width(&total.shown(), Tone::Total));
                }
                TotalCell::Blank(_) => {}
            }
        }
        self.totals = Some((row, cells));
    }

    /// Text that overflows into empty cells and does not widen its column: written
    /// after autofit in memory; row by row, in its turn while writing, or at
    /// once when it is above the table (declared before the cells are written).
    pub(crate) fn note(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let text = cell_text(text);
        match self.mode.pass() {
            Some(Pass::Measuring) => Ok(()),
            Some(Pass::Writing) => self.write_cell(row, col, Value::Text(&text), format),
            // Row by row, a note above the table goes before the header does.
            Some(Pass::Declaring) if self.is_above_table(row) => {
                self.write_cell(row, col, Value::Text(&text), format)
            }
            None | Some(Pass::Declaring) => {
                self.notes
                    .push((row, col, text.into_owned(), format.clone()));
                Ok(())
            }
        }
    }

    /// A bold label in a cell of its own.
    pub(crate) fn label(&mut self, row: RowNum, col: ColNum, text: &str) -> Result<(), XlsxError> {
        let format = self.styles.plain.clone().set_bold();
        if self.mode.sizes_columns() {
            self.fit(col, label_width(text));
        }
        self.put(row, col, Value::Text(text), &format)
    }

    /// An internal hyperlink to `location` (`'Sheet name'!A1`), shown as `text`.
    pub(crate) fn link(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        location: &str,
        tip: &str,
    ) -> Result<(), XlsxError> {
        if self.mode.sizes_columns() {
            self.fit(col, cell_autofit_width(text) + INDENT_PX);
        }
        let styles = self.styles;
        let link = Value::Link {
            text,
            location,
            tip,
        };
        self.put(row, col, link, &styles.link)
    }

    /// Text from the model, always as a string (never a formula), cut to Excel's
    /// limit, wrapping within the column's limit.
    pub(crate) fn text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        let text = cell_text(text);
        let widest = self
            .mode
            .sizes_columns()
            .then(|| text.lines().map(cell_autofit_width).max().unwrap_or(0));
        let mut measured = false;
        if let Some(widest) = widest {
            self.fit(col, widest + INDENT_PX);
            if let Some(autofit) = self.mode.measuring() {
                autofit.padded(col, widest);
                measured = true;
            }
        }
        if !self.mode.writes_cells() {
            return Ok(());
        }
        self.wrap(row, col, &text, widest);
        let styles = self.styles;
        let format = styles.cell(Kind::Text, tone);
        if measured {
            return self.write_cell(row, col, Value::Text(text.as_ref()), format);
        }
        self.put(row, col, Value::Text(text.as_ref()), format)
    }

    pub(crate) fn opt_text(
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

    pub(crate) fn blank(
        &mut self,
        row: RowNum,
        col: ColNum,
        kind: Kind,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        let styles = self.styles;
        self.put(row, col, Value::Blank, styles.cell(kind, tone))
    }

    pub(crate) fn number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: Kind,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        let styles = self.styles;
        self.put(
            row,
            col,
            Value::Number(value, kind),
            styles.cell(kind, tone),
        )
    }

    pub(crate) fn count(
        &mut self,
        row: RowNum,
        col: ColNum,
        n: u64,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        self.number(row, col, n as f64, Kind::Count, tone)
    }

    pub(crate) fn amount(
        &mut self,
        row: RowNum,
        col: ColNum,
        amount: Cents,
    ) -> Result<(), XlsxError> {
        self.number(row, col, amount.as_euros_f64(), Kind::Amount, Tone::Plain)
    }

    pub(crate) fn opt_amount(
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

    pub(crate) fn ratio(
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

    pub(crate) fn cap(&mut self, row: RowNum, col: ColNum, cap: Ppm) -> Result<(), XlsxError> {
        self.number(row, col, cap.as_f64(), Kind::Cap, Tone::Plain)
    }

    pub(crate) fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: Option<NaiveDate>,
        kind: Kind,
    ) -> Result<(), XlsxError> {
        let Some(date) = date else {
            return self.blank(row, col, kind, Tone::Plain);
        };
        let styles = self.styles;
        self.put(
            row,
            col,
            Value::Date(date, kind),
            styles.cell(kind, Tone::Plain),
        )
    }

    /// A formula in a data row with the model's figure as its cached result.
    pub(crate) fn formula(
        &mut self,
        row: RowNum,
        col: ColNum,
        formula: &str,
        total: Total,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        if self.mode.sizes_columns() {
            self.fit(col, shown_width(&total.shown(), tone));
        }
        let result = total.result();
        let styles = self.styles;
        let value = Value::Formula {
            formula,
            result: &result,
        };
        self.put(row, col, value, styles.cell(total.kind(), tone))
    }

    /// A formula in a data row with the model's figure as its cached result,
    /// shown as `kind`; without a figure, an empty text, which is what the
    /// formula gives where the model has none.
    pub(crate) fn formula_number(
        &mut self,
        row: RowNum,
        col: ColNum,
        formula: &str,
        result: Option<f64>,
        kind: Kind,
    ) -> Result<(), XlsxError> {
        if self.mode.sizes_columns() {
            if let Some(shown) = result.and_then(|r| number_text(r, kind)) {
                self.fit(col, shown_width(&shown, Tone::Plain));
            }
        }
        let result = result.map(|r| r.to_string()).unwrap_or_default();
        let styles = self.styles;
        let value = Value::Formula {
            formula,
            result: &result,
        };
        self.put(row, col, value, styles.cell(kind, Tone::Plain))
    }

    /// Writes what is still to write: in memory the widths, the header and the
    /// table first; then the totals and the notes, the rows' heights, the panes and
    /// the print setup.
    pub(crate) fn finish(mut self) -> Result<(), XlsxError> {
        if !self.mode.prepared() {
            self.prepare(DataRows::Saved)?;
        }
        if !self.totals_spliced {
            self.write_totals()?;
            self.write_notes()?;
        }
        self.leave_last_row()?;
        let rows = std::mem::take(&mut self.row_lines);
        for (row, lines) in rows {
            self.set_lines(row, lines)?;
        }
        self.ws
            .set_landscape()
            .set_paper_size(PAPER_A4)
            .set_print_fit_to_pages(1, 0)
            .set_header(&self.layout.print_header)
            .set_footer("&C&P / &N");
        Ok(())
    }

    /// The widths, the header row's height, the panes, and the table with its
    /// header cells (or the plain header): everything that comes before the rows
    /// when they are written in order, and after them in memory (autofit sees
    /// only the cells written before it).
    fn prepare(&mut self, data_rows: DataRows) -> Result<(), XlsxError> {
        if let Some(stream) = self.mode.in_order() {
            stream.pass = Pass::Writing;
        }
        let autofit = match &self.mode {
            SheetMode::Streamed(stream) => Some(&stream.autofit),
            SheetMode::InMemory | SheetMode::Spliced { .. } => None,
        };
        self.widths.apply(self.ws, autofit)?;
        self.apply_header_height()?;
        if let Some((header_row, _)) = self.layout.table {
            self.ws
                .set_freeze_panes(header_row + 1, self.layout.frozen_cols)?;
            self.ws.set_repeat_rows(header_row, header_row)?;
        }
        match self.table() {
            Some((header_row, last_row)) => self.add_table(header_row, last_row, data_rows),
            None => self.write_plain_header(),
        }
    }

    /// Whether `row` is above the sheet's table (its header row).
    fn is_above_table(&self, row: RowNum) -> bool {
        self.layout
            .table
            .is_some_and(|(header_row, _)| row < header_row)
    }

    /// The header row and the last data row of the sheet's Excel table, if it
    /// has one: Excel wants a data row in a table, so an empty list gets a plain
    /// header.
    fn table(&self) -> Option<(RowNum, RowNum)> {
        let (header_row, last_row) = self.layout.table?;
        (last_row > header_row && self.header.is_some()).then_some((header_row, last_row))
    }

    /// A cell: measured while measuring, written while writing, both in a
    /// spliced sheet's one pass; in row order when written row by row.
    fn put(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: Value<'_>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        if let Some(autofit) = self.mode.measuring() {
            measure(autofit, col, &value);
        }
        if !self.mode.writes_cells() {
            return Ok(());
        }
        self.write_cell(row, col, value, format)
    }

    /// A cell written, not measured: to the worksheet, or to a spliced sheet's
    /// rows; in row order when written row by row, the height of a row left
    /// behind set as it is left.
    fn write_cell(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: Value<'_>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        if let Some(stream) = self.mode.in_order() {
            if let Some(left) = stream.reach(row, &self.name)? {
                if let Some(lines) = self.row_lines.remove(&left) {
                    self.set_lines(left, lines)?;
                }
            }
        }
        match &mut self.mode {
            SheetMode::Spliced { rows, .. } => {
                rows.cell(row, col, cell_xml(value, &self.name)?, format)
            }
            SheetMode::InMemory | SheetMode::Streamed(_) => {
                write_to(self.ws, row, col, value, format)
            }
        }
    }

    /// Row by row, when the last row written needs a height: sets it, and
    /// writes an unformatted blank in the row below, so that the row goes to disk
    /// with its height. rust_xlsxwriter 0.102 writes the row still in memory at save
    /// twice when it has a height (once more as an empty row with the same number),
    /// which Excel would have to repair; the blank itself is left out, so the sheet
    /// ends with an empty `<row>` one below the table, counted in its dimension.
    fn leave_last_row(&mut self) -> Result<(), XlsxError> {
        if let Some(last) = self.set_last_row_height()? {
            self.put(last + 1, 0, Value::Blank, &Format::default())?;
        }
        Ok(())
    }

    /// Gives the current row of a sheet written row by row the height of its
    /// wrapped lines, if it has any; returns that row.
    fn set_last_row_height(&mut self) -> Result<Option<RowNum>, XlsxError> {
        let Some(last) = self.mode.in_order().map(|stream| stream.current()) else {
            return Ok(None);
        };
        match self.row_lines.remove(&last) {
            Some(lines) => self.set_lines(last, lines).map(|()| Some(last)),
            None => Ok(None),
        }
    }

    /// Counts the lines `text` takes in column `col`, for its row's height;
    /// `autofit` is its width as autofit measures it, when already known.
    fn wrap(&mut self, row: RowNum, col: ColNum, text: &str, autofit: Option<u32>) {
        let room = self.widths.limit_px(col).saturating_sub(TEXT_INSET_PX);
        if autofit.is_some_and(|autofit| fits_one_line(text, autofit, room)) {
            return;
        }
        let lines: u32 = text
            .lines()
            .map(|line| wrapped_lines(line, room, false))
            .sum();
        if lines > 1 {
            let entry = self.row_lines.entry(row).or_insert(1);
            *entry = (*entry).max(lines);
        }
    }

    fn set_lines(&mut self, row: RowNum, lines: u32) -> Result<(), XlsxError> {
        let height = (LINE_HEIGHT * f64::from(lines)).min(MAX_ROW_HEIGHT);
        match &mut self.mode {
            SheetMode::Spliced { rows, .. } => rows.set_height(row, height),
            SheetMode::InMemory | SheetMode::Streamed(_) => {
                self.ws.set_row_height(row, height)?;
                Ok(())
            }
        }
    }

    /// An Excel table over the header and data rows and the totals row below them;
    /// it writes the header cells.
    fn add_table(
        &mut self,
        header_row: RowNum,
        last_row: RowNum,
        data_rows: DataRows,
    ) -> Result<(), XlsxError> {
        let Some((_, titles)) = &self.header else {
            return Ok(());
        };
        let totals = self
            .totals
            .as_ref()
            .filter(|(row, _)| *row == last_row + 1)
            .map(|(_, cells)| cells.as_slice());
        let table = table::table(&self.name, titles, totals, self.styles);
        let last_col = (titles.len() - 1) as ColNum;
        // Saved without its rows, the table spans the header, one row and
        // the totals row, if any (the totals themselves are spliced in).
        let end = match (totals, data_rows) {
            (Some(_), DataRows::Saved) => last_row + 1,
            (Some(_), DataRows::SplicedLater) => header_row + 2,
            (None, DataRows::SplicedLater) => header_row + 1,
            (None, DataRows::Saved) => last_row,
        };
        if let Some(stream) = self.mode.in_order() {
            stream.reach(header_row, &self.name)?;
        }
        self.ws.add_table(header_row, 0, end, last_col, &table)?;
        self.ws.ignore_error_range(
            header_row + 1,
            0,
            last_row,
            last_col,
            IgnoreError::NumberStoredAsText,
        )?;
        Ok(())
    }

    fn write_plain_header(&mut self) -> Result<(), XlsxError> {
        if let Some((row, titles)) = self.header.take() {
            let styles = self.styles;
            for (col, title) in (0..).zip(&titles) {
                self.put(row, col, Value::Text(title), &styles.header)?;
            }
            self.header = Some((row, titles));
        }
        Ok(())
    }

    /// The notes, written once the widths are set, unmeasured.
    fn write_notes(&mut self) -> Result<(), XlsxError> {
        for (row, col, text, format) in std::mem::take(&mut self.notes) {
            self.write_cell(row, col, Value::Text(&text), &format)?;
        }
        Ok(())
    }

    /// The totals row: in a table, `SUBTOTAL(109,Table[Column])`; without data
    /// rows to add up, the plain figure. Unmeasured: the widths were fitted to
    /// the totals when they were declared ([`Sheet::totals`]).
    fn write_totals(&mut self) -> Result<(), XlsxError> {
        let Some((row, cells)) = self.totals.take() else {
            return Ok(());
        };
        let in_table = self.table().is_some();
        let styles = self.styles;
        let format = |kind| styles.cell(kind, Tone::Total);
        for (col, cell) in cells {
            match cell {
                TotalCell::Label(text) => {
                    self.write_cell(row, col, Value::Text(&text), format(Kind::Text))?;
                }
                TotalCell::Blank(kind) => self.write_cell(row, col, Value::Blank, format(kind))?,
                TotalCell::Sum(total) if in_table => {
                    let formula = table::subtotal(&self.name, &self.title(col));
                    let result = total.result();
                    let value = Value::Formula {
                        formula: &formula,
                        result: &result,
                    };
                    self.write_cell(row, col, value, format(total.kind()))?;
                }
                TotalCell::Sum(total) => {
                    let value = Value::Number(total.value(), total.kind());
                    self.write_cell(row, col, value, format(total.kind()))?;
                }
                TotalCell::Formula(formula, total) => {
                    let result = total.result();
                    let value = Value::Formula {
                        formula: &formula,
                        result: &result,
                    };
                    self.write_cell(row, col, value, format(total.kind()))?;
                }
            }
        }
        Ok(())
    }

    fn title(&self, col: ColNum) -> String {
        self.header
            .as_ref()
            .and_then(|(_, titles)| titles.get(usize::from(col)).cloned())
            .unwrap_or_default()
    }

    /// Headers wrap inside their column; the row is made tall enough for them.
    fn apply_header_height(&mut self) -> Result<(), XlsxError> {
        let Some((row, titles)) = &self.header else {
            return Ok(());
        };
        let (row, lines) = (*row, self.widths.header_lines(titles));
        if lines > 1 {
            self.set_lines(row, lines)?;
        }
        Ok(())
    }
}

/// A cell as autofit would measure it.
fn measure(autofit: &mut Autofit, col: ColNum, value: &Value<'_>) {
    match value {
        Value::Text(text) | Value::Link { text, .. } => autofit.text(col, text),
        Value::Number(number, kind) => autofit.number(col, *number, *kind),
        Value::Date(date, kind) => autofit.date(col, *date, *kind),
        Value::Formula { result, .. } => autofit.formula(col, result),
        Value::Blank => {}
    }
}

/// Writes a cell to the worksheet.
fn write_to(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: Value<'_>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Value::Text(text) => ws.write_string_with_format(row, col, text, format),
        Value::Number(number, _) => ws.write_number_with_format(row, col, number, format),
        Value::Date(date, _) => ws.write_datetime_with_format(row, col, excel_date(date)?, format),
        Value::Formula { formula, result } => {
            let formula = Formula::new(formula).set_result(result);
            ws.write_formula_with_format(row, col, formula, format)
        }
        Value::Link {
            text,
            location,
            tip,
        } => {
            let url = Url::new(format!("internal:{location}"))
                .set_text(text)
                .set_tip(tip);
            ws.write_url_with_format(row, col, url, format)
        }
        Value::Blank => ws.write_blank(row, col, format),
    }?;
    Ok(())
}

/// A cell of spliced sheet `sheet` as [`RowsXml`](super::rows::RowsXml) writes
/// it: text, numbers (dates as Excel's serial numbers), formulas (a totals
/// row's) and blanks.
fn cell_xml<'t>(value: Value<'t>, sheet: &str) -> Result<CellXml<'t>, XlsxError> {
    Ok(match value {
        Value::Text(text) => CellXml::Text(text),
        Value::Number(number, _) => CellXml::Number(number),
        Value::Date(date, _) => CellXml::Number(excel_date(date)?.to_excel()),
        Value::Blank => CellXml::Blank,
        Value::Formula { formula, result } => CellXml::Formula { formula, result },
        Value::Link { .. } => {
            return Err(XlsxError::ParameterError(format!(
                "sheet '{sheet}' has its rows spliced, which holds no links."
            )));
        }
    })
}

/// A calendar date as Excel holds it; years outside 1900–9999 are refused.
pub(crate) fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).map_err(|_| {
        XlsxError::DateTimeRangeError(format!("year {} is out of range", date.year()))
    })?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// A row number for the data rows of a table whose header is row 0.
pub(crate) fn data_row(index: usize) -> RowNum {
    index as RowNum + 1
}
