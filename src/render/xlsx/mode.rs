//! How a sheet's cells reach the saved workbook: in memory; streamed, in
//! rust_xlsxwriter's constant-memory mode ([`stream`](super::stream)); or
//! spliced, its data rows written by [`RowsXml`] and put into the saved package
//! ([`splice`](super::splice)). What a [`Sheet`](super::sheet::Sheet) asks of
//! its mode (whether a cell is measured now, written now, or sizes its column)
//! is answered here, mode by mode.

use super::autofit::Autofit;
use super::rows::RowsXml;
use super::stream::{Pass, Stream};
use std::io::Write;

/// Where a spliced sheet's data rows are written.
pub(crate) type SplicedRows<'a> = RowsXml<'a, Box<dyn Write + 'a>>;

/// How a sheet's cells reach the saved workbook.
pub(crate) enum SheetMode<'a> {
    /// In memory: cells are written as they come, and autofit sees them all; the
    /// widths, the header, the table and the totals are set by
    /// [`Sheet::finish`](super::sheet::Sheet::finish).
    InMemory,
    /// In rust_xlsxwriter's constant-memory mode ([`stream`](super::stream)): the
    /// cells are measured in a first pass, then, with the widths set and the
    /// header and table in place, written in row order in a second.
    Streamed(Stream),
    /// The data rows of a spliced sheet ([`splice`](super::splice)), written by
    /// [`RowsXml`] in row order in one pass that also measures them. The
    /// worksheet only stands in: the header, table and setup are those of the
    /// sheet saved without the rows
    /// ([`Sheet::write_without_rows`](super::sheet::Sheet::write_without_rows)).
    Spliced {
        stream: Stream,
        rows: SplicedRows<'a>,
    },
}

impl SheetMode<'_> {
    /// The row order kept by a sheet written row by row; `None` in memory.
    pub(crate) fn in_order(&mut self) -> Option<&mut Stream> {
        match self {
            SheetMode::InMemory => None,
            SheetMode::Streamed(stream) | SheetMode::Spliced { stream, .. } => Some(stream),
        }
    }

    /// Where a sheet written row by row is in its writing; `None` in memory.
    pub(crate) fn pass(&self) -> Option<Pass> {
        match self {
            SheetMode::InMemory => None,
            SheetMode::Streamed(stream) | SheetMode::Spliced { stream, .. } => Some(stream.pass),
        }
    }

    /// What measures the cells as autofit would, while it does: a streamed
    /// sheet's first pass (and the cells above its table, written before it),
    /// and a spliced sheet's only one. `None` in memory, where autofit sees the
    /// cells itself.
    pub(crate) fn measuring(&mut self) -> Option<&mut Autofit> {
        match self {
            SheetMode::Streamed(stream) if stream.pass != Pass::Writing => {
                Some(&mut stream.autofit)
            }
            SheetMode::Spliced { stream, .. } => Some(&mut stream.autofit),
            SheetMode::InMemory | SheetMode::Streamed(_) => None,
        }
    }

    /// Whether cells still size the columns: not once a streamed sheet's widths
    /// are set and its rows are being written.
    pub(crate) fn sizes_columns(&self) -> bool {
        match self {
            SheetMode::Streamed(stream) => stream.pass != Pass::Writing,
            SheetMode::InMemory | SheetMode::Spliced { .. } => true,
        }
    }

    /// Whether cells are written now, not only measured: not in a streamed
    /// sheet's first pass.
    pub(crate) fn writes_cells(&self) -> bool {
        match self {
            SheetMode::Streamed(stream) => stream.pass != Pass::Measuring,
            SheetMode::InMemory | SheetMode::Spliced { .. } => true,
        }
    }

    /// Whether the widths are set and the header and table in place: a streamed
    /// sheet does that before its rows, a sheet in memory when it is finished, a
    /// spliced sheet never (the sheet saved without its rows does).
    pub(crate) fn prepared(&self) -> bool {
        match self {
            SheetMode::Streamed(stream) => stream.pass == Pass::Writing,
            SheetMode::InMemory | SheetMode::Spliced { .. } => false,
        }
    }
}
