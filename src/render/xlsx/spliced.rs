//! A large table sheet written in the spliced mode ([`mode`](super::mode)):
//! its data rows written as XML by [`RowsXml`], measured in the same pass and
//! compressed as they come ([`rows_ahead`]); then the sheet, declared the same
//! way, added to the workbook without them
//! ([`Sheet::write_without_rows`]); and at last the rows put into the saved
//! package ([`splice`](super::splice)). One pass over the rows instead of a
//! streamed sheet's two, and no cost per cell in rust_xlsxwriter. The
//! financing audit, the trend and the movements are written so when they are
//! large.

use super::cut::Shown;
use super::limits::table_name;
use super::rows::{RowsXml, Xfs};
use super::sheet::{Layout, Measured, Sheet};
use super::splice::{compress_rows, CompressedRows, Splice};
use super::Ctx;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet, XlsxError};
use std::io::Write;

/// A sheet's rows, written and compressed apart, for the saved package.
pub(crate) struct SplicedSheet {
    /// The sheet's name: its part is named by its place in the saved
    /// workbook, known once every sheet is in it ([`SplicedSheet::into_splice`]).
    sheet: String,
    /// Where the rows go, but for the part's name.
    splice: Splice,
    rows: CompressedRows,
}

impl SplicedSheet {
    /// The rows of `name`'s table, shown as `shown`, its last column
    /// `last_col`, with a totals row below them if `totals_row`, compressed
    /// in `rows`.
    pub(crate) fn new(
        name: &str,
        shown: Shown,
        last_col: ColNum,
        totals_row: bool,
        rows: CompressedRows,
    ) -> SplicedSheet {
        let last_row = shown.last_row();
        SplicedSheet {
            sheet: name.to_string(),
            splice: Splice {
                part: String::new(),
                table: table_name(name),
                last_row,
                last_col,
                totals_row,
                rows_end: if shown.is_cut() {
                    shown.note_row()
                } else {
                    last_row + RowNum::from(totals_row)
                },
            },
            rows,
        }
    }

    /// The splice into `workbook` as it will be saved: rust_xlsxwriter names
    /// the worksheets' parts by their position (sheets written earlier may
    /// have been moved after others).
    pub(crate) fn into_splice(
        self,
        workbook: &mut Workbook,
    ) -> Result<(Splice, CompressedRows), XlsxError> {
        let position = workbook
            .worksheets_mut()
            .iter()
            .position(|ws| ws.name() == self.sheet)
            .ok_or_else(|| {
                XlsxError::ParameterError(format!(
                    "sheet '{}', whose rows were written apart, is not in the workbook.",
                    self.sheet
                ))
            })?;
        let mut splice = self.splice;
        splice.part = format!("xl/worksheets/sheet{}.xml", position + 1);
        Ok((splice, self.rows))
    }
}

/// Writes the rows of sheet `name`, set out by `layout`: `declare` sets its
/// header, column limits and marks as the sheet saved without them will, and
/// `body` writes the rows (and a note below them), which are measured as they
/// are written and compressed at `level` on a thread of their own.
pub(crate) fn rows_ahead(
    ctx: &Ctx<'_>,
    xfs: &Xfs,
    level: u32,
    name: &str,
    layout: Layout,
    declare: impl FnOnce(&mut Sheet<'_>) -> Result<(), XlsxError>,
    body: impl FnMut(&mut Sheet<'_>) -> Result<(), XlsxError>,
) -> Result<(CompressedRows, Measured), XlsxError> {
    let mut measured = None;
    let rows = compress_rows(level, |out| {
        let mut ws = Worksheet::new();
        let rows = RowsXml::new(Box::new(out) as Box<dyn Write>, xfs);
        let mut sheet = Sheet::ahead(&mut ws, name, &ctx.styles, layout, Some(rows))?;
        declare(&mut sheet)?;
        measured = sheet.measure(body)?;
        Ok(())
    })?;
    let measured = measured.ok_or_else(|| {
        XlsxError::ParameterError(format!("the rows of sheet '{name}' were not measured."))
    })?;
    Ok((rows, measured))
}
