//! Workbooks: every worksheet of an xlsx, xlsm, xlsb, xls or ods file, with its
//! merged regions and its date system. xlsx and xlsm packages of the common
//! shape are read by consolida's own reader ([`super::xlsx`]), on every core;
//! the others, and any package that reader leaves, through calamine. calamine
//! inflates a package's parts itself, without a limit: every part is first
//! inflated once within the limits of [`super::limits`], and cells beyond a
//! sheet's last row or column are refused where they are read (as they stream
//! for xlsx, by the package scans for xlsb and ods).
//!
//! xlsx/xlsm and xlsb sheets are streamed cell by cell into a sparse [`Grid`], so
//! that neither a huge declared dimension nor a stray far-away cell makes memory
//! grow beyond the cells present. Formula cells are read by the value Excel cached
//! when it saved the file; error cells (`#DIV/0!`) are kept as errors for the later
//! stages to report. calamine reports neither the merged regions of xlsb and ods
//! sheets nor the errors saved as formula values there; [`super::package`] reads
//! them from the package, and the merged regions of xlsx sheets too (calamine's
//! way parses each sheet a second time). xls and ods sheets go through calamine's own range
//! reader (calamine caps ods sheets at 100 million cells).
//!
//! xls, as calamine 0.38 reads it (`xls.rs`, `Range::from_sparse`): every sheet is
//! parsed when the workbook is opened, before consolida sees anything, and each
//! sheet is allocated three times over. At the DIMENSIONS record calamine
//! reserves a vector for the declared rows × columns (40 bytes a cell): address
//! space that is never touched, but a declared size the machine cannot map (a
//! damaged or crafted file of 6 KB declaring 2³² × 65,535 cells asks for 11 PB)
//! makes the allocation fail, and a failed allocation aborts the process, which
//! [`super::guarded`] cannot catch. At the end of the sheet it builds a dense
//! range over the bounding box of the cells present (32 bytes a cell, all
//! written), and `worksheet_range` hands out a clone of it: a sheet of twelve
//! rows with one stray value in IV65536 costs the whole box of 65,536 × 256
//! cells twice, a gigabyte, where the twelve rows alone cost next to nothing
//! (the figures measured are in BENCHMARKS.md). calamine offers no way to see
//! the declared size or the cells before it allocates, so [`super::xls_guard`]
//! reads the file's Workbook stream first and refuses a sheet that declares
//! more than an xls sheet holds (65,536 rows, 256 columns) or whose cells span a
//! box of more than 10 million cells with fewer than 1% of them present; within
//! those bounds a sheet still costs up to its box (65,536 × 256 cells at most,
//! 32 bytes each, twice).

use super::grid::{Grid, GridBuilder};
use super::limits::{check_package, within_sheet, Refusal};
use super::package::{self, Extras, MAX_MERGES};
use super::{Merge, RawTable};
use crate::error::{Error, Result};
use crate::location::Location;
use calamine::{
    open_workbook_auto_from_rs, Cell, Data, Dimensions, Range, Reader, Sheets, XlsxError,
};
use std::io::Cursor;

/// Reads every worksheet of the workbook in `bytes`, in the workbook's order.
/// Chart sheets and other sheets without cells are skipped.
///
/// # Errors
/// [`Error::UnreadableInput`] when the bytes are not a workbook calamine can open,
/// a sheet cannot be decoded, or the reader fails on a damaged file (calamine
/// 0.38 can panic on some damaged xls files; that is caught and reported).
pub(crate) fn read(bytes: &[u8], display: &str) -> Result<Vec<RawTable>> {
    // xlsx and xlsm of the common shape are read by consolida's own reader;
    // what it leaves (or a panic in it) goes to calamine, what it refuses
    // goes nowhere.
    match super::guarded(|| super::xlsx::read(bytes)) {
        Some(Ok(Some(workbook))) => {
            let date_1904 = workbook.date_1904;
            Ok(workbook
                .sheets
                .into_iter()
                .map(|s| raw_table(display, s.name, s.grid, s.merges, date_1904))
                .collect())
        }
        Some(Err(refusal)) => Err(refusal.into_error(display)),
        Some(Ok(None)) | None => read_with_calamine(bytes, display),
    }
}

/// Reads the workbook through calamine.
pub(crate) fn read_with_calamine(bytes: &[u8], display: &str) -> Result<Vec<RawTable>> {
    super::guarded(|| read_unguarded(bytes, display)).unwrap_or_else(|| {
        Err(Error::unreadable(
            Location::file(display),
            "cannot open the workbook: it is damaged (the workbook reader gave up on an inconsistency in the file).",
        ))
    })
}

fn read_unguarded(bytes: &[u8], display: &str) -> Result<Vec<RawTable>> {
    // calamine inflates a package's parts itself, whole or streamed, without a
    // limit: every part is inflated once through the limits first.
    check_package(bytes).map_err(|refusal| refusal.into_error(display))?;
    // What the package scans read, or the sheet they refuse.
    let extras = |read: fn(&[u8]) -> std::result::Result<Extras, String>| {
        let extras = read(bytes).map_err(|e| {
            Error::unreadable(
                Location::file(display),
                format!("cannot open the workbook: {e}."),
            )
        })?;
        match package::refusal(&extras) {
            Some(refusal) => Err(refusal.into_error(display)),
            None => Ok(extras),
        }
    };
    // calamine 0.38 loops for ever on an ods whose content.xml ends inside a
    // sheet (its sheet reader does not stop at the end of the part), and
    // builds every sheet when it opens the file: the package is read first,
    // and such a file refused as damaged, a sheet it would build far beyond
    // its cells refused too.
    let ods = package::is_ods(bytes)
        .then(|| extras(package::ods))
        .transpose()?;
    // calamine 0.38 allocates an xls sheet by its declared size and by the box
    // of its cells before consolida sees it: such sheets are refused first.
    super::xls_guard::check(bytes, display)?;
    // A borrowed cursor: calamine clones the reader for every format it tries.
    let workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::unreadable(
            Location::file(display),
            format!("cannot open the workbook: {e}."),
        )
    })?;
    let sheet_error = |sheet: &str, e: &dyn std::fmt::Display| {
        let location = Location {
            sheet: Some(sheet.to_string()),
            ..Location::file(display)
        };
        Error::unreadable(location, format!("cannot read the sheet: {e}."))
    };
    let table = |sheet, grid, merges, date_1904| raw_table(display, sheet, grid, merges, date_1904);
    let mut tables = Vec::new();
    match workbook {
        Sheets::Xlsx(mut workbook) => {
            let date_1904 = workbook.has_1904_epoch();
            // Merged regions from the package (calamine would parse each sheet
            // twice), scanned on a thread of their own while calamine reads the
            // cells: both inflate the sheets, and a large sheet takes seconds.
            let (extras, grids) = crate::threads::beside(
                || extras(package::xlsx),
                || {
                    let mut grids = Vec::new();
                    for sheet in workbook.sheet_names() {
                        let grid = xlsx_grid(&mut workbook, &sheet);
                        let failed = grid.as_ref().is_err_and(|e| {
                            !matches!(e, Unread::Reader(XlsxError::NotAWorksheet(_)))
                        });
                        grids.push((sheet, grid));
                        if failed {
                            break;
                        }
                    }
                    grids
                },
            );
            let mut extras = extras?;
            for (sheet, grid) in grids {
                let grid = match grid {
                    Ok(grid) => grid,
                    Err(Unread::Reader(XlsxError::NotAWorksheet(_))) => continue,
                    Err(Unread::Reader(e)) => return Err(sheet_error(&sheet, &e)),
                    Err(Unread::Beyond(row, col)) => {
                        let refusal = Refusal::beyond_sheet(&sheet, row, col);
                        return Err(refusal.into_error(display));
                    }
                };
                let merges = extras.remove(&sheet).unwrap_or_default().merges;
                tables.push(table(sheet, grid, merges, date_1904));
            }
        }
        Sheets::Xlsb(mut workbook) => {
            let date_1904 = workbook.has_1904_epoch();
            let mut extras = extras(package::xlsb)?;
            for sheet in workbook.sheet_names() {
                let mut reader = workbook
                    .worksheet_cells_reader(&sheet)
                    .map_err(|e| sheet_error(&sheet, &e))?;
                let mut grid = GridBuilder::default();
                while let Some(cell) = reader.next_cell().map_err(|e| sheet_error(&sheet, &e))? {
                    let (row, col) = cell.get_position();
                    grid.push(row, col, Data::from(cell.get_value().clone()));
                }
                drop(reader);
                let extra = extras.remove(&sheet).unwrap_or_default();
                for ((row, col), error) in extra.errors {
                    grid.push(row, col, Data::Error(error));
                }
                tables.push(table(sheet, grid.finish(), extra.merges, date_1904));
            }
        }
        Sheets::Xls(mut workbook) => {
            let date_1904 = workbook.has_1904_epoch();
            for sheet in workbook.sheet_names() {
                let range = workbook
                    .worksheet_range(&sheet)
                    .map_err(|e| sheet_error(&sheet, &e))?;
                let merges = workbook
                    .merge_cells_by_sheet_name(&sheet)
                    .map_err(|e| sheet_error(&sheet, &e))?;
                let grid = Grid::from_cells(range_cells(&range));
                tables.push(table(sheet, grid, kept(&merges), date_1904));
            }
        }
        Sheets::Ods(mut workbook) => {
            let mut extras = match ods {
                Some(extras) => extras,
                None => extras(package::ods)?,
            };
            for sheet in workbook.sheet_names() {
                let range = workbook
                    .worksheet_range(&sheet)
                    .map_err(|e| sheet_error(&sheet, &e))?;
                let extra = extras.remove(&sheet).unwrap_or_default();
                let errors = extra.errors.into_iter();
                let cells =
                    range_cells(&range).chain(errors.map(|(at, e)| Cell::new(at, Data::Error(e))));
                tables.push(table(sheet, Grid::from_cells(cells), extra.merges, false));
            }
        }
    }
    Ok(tables)
}

/// A sheet of the workbook `display`.
fn raw_table(
    display: &str,
    sheet: String,
    grid: Grid,
    merges: Vec<Merge>,
    date_1904: bool,
) -> RawTable {
    RawTable {
        file: display.to_string(),
        sheet: Some(sheet),
        grid,
        merges,
        date_1904,
        field_counts: None,
    }
}

/// The merged regions calamine reports, at most [`MAX_MERGES`] of them.
fn kept(merges: &[Dimensions]) -> Vec<Merge> {
    merges.iter().take(MAX_MERGES).map(Merge::from).collect()
}

/// Why an xlsx worksheet streamed from calamine is not a grid.
enum Unread {
    /// calamine cannot read it.
    Reader(XlsxError),
    /// Its first cell beyond a sheet's limits (calamine reads them).
    Beyond(u32, u32),
}

impl From<XlsxError> for Unread {
    fn from(e: XlsxError) -> Unread {
        Unread::Reader(e)
    }
}

/// Streams one xlsx worksheet into a grid, up to a cell beyond the sheet's
/// limits.
fn xlsx_grid(
    workbook: &mut calamine::Xlsx<Cursor<&[u8]>>,
    sheet: &str,
) -> std::result::Result<Grid, Unread> {
    let mut reader = workbook.worksheet_cells_reader(sheet)?;
    let mut grid = GridBuilder::default();
    while let Some(cell) = reader.next_cell()? {
        let (row, col) = cell.get_position();
        if !within_sheet(row, col) {
            return Err(Unread::Beyond(row, col));
        }
        let value = cell.get_value();
        if !matches!(value, calamine::DataRef::Empty) {
            grid.push(row, col, Data::from(value.clone()));
        }
    }
    Ok(grid.finish())
}

/// The non-empty cells of a calamine range, at their absolute positions.
fn range_cells(range: &Range<Data>) -> impl Iterator<Item = Cell<Data>> + '_ {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(move |(r, c, value)| Cell::new((row0 + r as u32, col0 + c as u32), value.clone()))
}

impl From<&Dimensions> for Merge {
    fn from(d: &Dimensions) -> Merge {
        Merge {
            first_row: d.start.0.min(d.end.0),
            first_col: d.start.1.min(d.end.1),
            last_row: d.start.0.max(d.end.0),
            last_col: d.start.1.max(d.end.1),
        }
    }
}
