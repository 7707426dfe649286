//! The limits that keep a workbook's reading in memory that follows its cells,
//! whatever its parts claim or inflate to: a zip package (xlsx, xlsm, xlsb, ods)
//! of a few kilobytes can inflate to gigabytes, and a sheet can place cells
//! beyond the last row or column a spreadsheet has.
//!
//! - **Parts.** Every part is read through a [`Capped`] reader that counts the
//!   bytes it inflates: a part may inflate to [`MAX_RATIO`] times its
//!   compressed size (parts of real workbooks stay under 50 to 1; runs of
//!   spaces reach 1,000 to 1), to [`RATIO_GRACE_BYTES`] whatever its ratio,
//!   and never beyond [`MAX_PART_BYTES`]. The size a part declares is checked
//!   against the same bound before anything is inflated (the zip reader stops
//!   a part at the size it declares), and the count is kept all the same, so
//!   that the bound does not rest on the headers and the zip reader alone.
//!   consolida's own readers read every part through such a reader; before
//!   calamine reads a package (xlsb, ods, and the xlsx shapes left to it),
//!   [`check_package`] inflates every part once through one, since calamine
//!   inflates them itself.
//! - **ods tables.** calamine writes out every repeated row and column of an
//!   ods sheet into a dense table: the package scan ([`super::package`])
//!   refuses a sheet whose table would exceed [`MAX_TABLE_CELLS`] cells or
//!   [`MAX_TABLE_TEXT`] bytes of text, or span a mostly empty box
//!   ([`CellBox`], as for xls), before calamine opens the file.
//! - **Cells.** A cell beyond row [`MAX_ROWS`] or column [`MAX_COLUMNS`]
//!   (Excel's and LibreOffice's sheet, `XFD1048576`) is refused where it is
//!   read ([`within_sheet`]); calamine would drop some of them silently.
//!
//! A refusal is an [`Error::UnreadableInput`] (exit code 3) whose sentence
//! names the part or the sheet and the cell ([`Refusal`]).

use super::package::Package;
use crate::error::Error;
use crate::location::{column_name, Location};
use crate::money::group_thousands;
use std::io::{self, Read};
use std::sync::{Arc, OnceLock};

/// The rows of a sheet, in Excel and LibreOffice alike (0-based rows
/// `0..MAX_ROWS`).
pub(crate) const MAX_ROWS: u32 = 1_048_576;
/// The columns of a sheet, `A` to `XFD` (0-based columns `0..MAX_COLUMNS`).
pub(crate) const MAX_COLUMNS: u32 = 16_384;
/// The most bytes one part may inflate to, 4 GiB: the largest a zip entry holds
/// without the zip64 extension, several times a sheet of a million rows of a
/// dozen columns (about 700 MB of XML).
pub(crate) const MAX_PART_BYTES: u64 = 1 << 32;
/// A part may inflate to this many times its compressed size. The parts of
/// real workbooks stay under 50 to 1 (a sheet of a million empty formatted
/// rows, the most repetitive seen, is 44 to 1; ordinary sheets are under 10);
/// a run of spaces deflates at about 1,000 to 1, the most deflate can reach.
pub(crate) const MAX_RATIO: u64 = 100;
/// A part may inflate to this many bytes, 16 MiB, whatever its ratio: small
/// parts that repeat themselves (a style list of thousands of identical
/// formats) pass, and no more than this is read before a bomb is refused.
pub(crate) const RATIO_GRACE_BYTES: u64 = 16 << 20;

/// A bounding box of cells larger than this is refused when it is mostly empty
/// ([`MIN_DENSITY`]): calamine reads xls and ods sheets into a dense table over
/// the box (32 bytes a cell for xls, 56 for ods, whose formulas get a table of
/// their own), 320 MB and more here.
pub(crate) const MAX_SPARSE_BOX: u64 = 10_000_000;
/// "Mostly empty": fewer than one cell in this many present.
pub(crate) const MIN_DENSITY: u64 = 100;

/// The most cells calamine may build the table of one ods sheet of:
/// 1,048,576 rows of 16 columns. calamine writes out every repeated row and
/// column of an ods sheet (a row repeated a million times is written once in
/// the file) into a dense table, 56 bytes a cell with its formula, so this is
/// at most 940 MB.
pub(crate) const MAX_TABLE_CELLS: u64 = 1 << 24;
/// The most bytes of text (values written as text, formulas, spaces written as
/// a count) calamine may build of one ods sheet, its repeats written out: 1 GiB,
/// several times the text of a million rows of a dozen columns.
pub(crate) const MAX_TABLE_TEXT: u64 = 1 << 30;

/// Why a workbook is not read: where it goes beyond a limit, as a sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refusal {
    /// The sheet, when the refusal is about one.
    pub(crate) sheet: Option<String>,
    /// The cell beyond the sheet's limits, or the row, when there is one.
    pub(crate) row: Option<u32>,
    pub(crate) col: Option<u32>,
    /// The sentence, after "cannot open the workbook: ".
    pub(crate) message: String,
}

impl Refusal {
    /// A refusal of the whole file.
    pub(crate) fn of_file(message: String) -> Refusal {
        Refusal {
            sheet: None,
            row: None,
            col: None,
            message,
        }
    }

    /// The cell at `(row, col)` of `sheet`, which lies beyond a sheet's
    /// limits ([`within_sheet`] is false).
    pub(crate) fn beyond_sheet(sheet: &str, row: u32, col: u32) -> Refusal {
        let message = if row >= MAX_ROWS {
            format!(
                "sheet '{sheet}' has a cell in row {}, and a sheet has at most {} rows; the file is damaged.",
                group_thousands(u64::from(row) + 1, ','),
                group_thousands(u64::from(MAX_ROWS), ','),
            )
        } else {
            format!(
                "sheet '{sheet}' has a cell in column {}, and a sheet has at most {} columns (A to {}); the file is damaged.",
                column_name(col),
                group_thousands(u64::from(MAX_COLUMNS), ','),
                column_name(MAX_COLUMNS - 1),
            )
        };
        Refusal {
            sheet: Some(sheet.to_string()),
            row: Some(row),
            col: Some(col),
            message,
        }
    }

    /// The error of the workbook `display`.
    pub(crate) fn into_error(self, display: &str) -> Error {
        Error::unreadable(
            Location {
                sheet: self.sheet,
                row: self.row,
                col: self.col,
                ..Location::file(display)
            },
            format!("cannot open the workbook: {}", self.message),
        )
    }
}

/// The bounding box of the cells of a sheet that calamine reads into a dense
/// table, how many cells are present in it, and the cells that set its far
/// edges (to name them when the box is refused).
#[derive(Debug, Default)]
pub(crate) struct CellBox {
    count: u64,
    first: (u32, u32),
    last: (u32, u32),
    lowest: (u32, u32),
    rightmost: (u32, u32),
}

impl CellBox {
    /// Adds the cell at `(row, col)`.
    pub(crate) fn add(&mut self, row: u32, col: u32) {
        self.add_block((row, col), (row, col), 1);
    }

    /// Adds the `count` cells of the block from `first` to `last` (a cell that
    /// repeats down and across).
    pub(crate) fn add_block(&mut self, first: (u32, u32), last: (u32, u32), count: u64) {
        if self.count == 0 {
            self.first = first;
            self.last = last;
            self.lowest = (last.0, first.1);
            self.rightmost = (first.0, last.1);
        }
        self.count = self.count.saturating_add(count);
        self.first = (self.first.0.min(first.0), self.first.1.min(first.1));
        if last.0 > self.last.0 {
            self.last.0 = last.0;
            self.lowest = (last.0, first.1);
        }
        if last.1 > self.last.1 {
            self.last.1 = last.1;
            self.rightmost = (first.0, last.1);
        }
    }

    /// How many cells the box spans (none when no cell is present).
    pub(crate) fn area(&self) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rows = u64::from(self.last.0 - self.first.0) + 1;
        let cols = u64::from(self.last.1 - self.first.1) + 1;
        rows * cols
    }

    /// Whether the box is large ([`MAX_SPARSE_BOX`]) and mostly empty
    /// ([`MIN_DENSITY`]): a stray value far below or right of a table.
    pub(crate) fn is_sparse(&self) -> bool {
        let area = self.area();
        area > MAX_SPARSE_BOX && self.count.saturating_mul(MIN_DENSITY) < area
    }

    /// The refusal of the sheet `sheet` whose cells span this box, naming the
    /// stray cells, when the reader would build a table of `table` cells.
    pub(crate) fn stray_refusal(&self, sheet: &str, table: u64) -> Refusal {
        let a1 = |(row, col): (u32, u32)| format!("{}{}", column_name(col), u64::from(row) + 1);
        let span = format!("{}:{}", a1(self.first), a1(self.last));
        let (lowest, rightmost) = (self.lowest, self.rightmost);
        let cause = if lowest == rightmost {
            format!("one of them at {}, so that they span {span}", a1(lowest))
        } else {
            format!(
                "spread over {span} (the lowest at {}, the rightmost at {})",
                a1(lowest),
                a1(rightmost)
            )
        };
        let cell = (lowest == rightmost).then_some(lowest);
        Refusal {
            sheet: Some(sheet.to_string()),
            row: cell.map(|c| c.0),
            col: cell.map(|c| c.1),
            message: format!(
                "sheet '{sheet}' has {} cells, {cause}, which would make the reader build a table of {} cells; delete the stray cells or copy the data to a new sheet.",
                group_thousands(self.count, ','),
                group_thousands(table, ','),
            ),
        }
    }
}

/// Whether the cell at 0-based `(row, col)` lies within a sheet.
pub(crate) fn within_sheet(row: u32, col: u32) -> bool {
    row < MAX_ROWS && col < MAX_COLUMNS
}

/// The most bytes a part of `compressed` bytes may inflate to.
fn inflated_limit(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_RATIO)
        .clamp(RATIO_GRACE_BYTES, MAX_PART_BYTES)
}

/// The refusal of the part `part` of `compressed` bytes, which inflates (or
/// declares that it inflates, when `declared` is given) beyond `limit` bytes.
fn part_refusal(part: &str, compressed: u64, limit: u64, declared: Option<u64>) -> Refusal {
    let size = match declared {
        Some(declared) => format!(
            "declares that it inflates to {} bytes",
            group_thousands(declared, ',')
        ),
        None => format!(
            "inflates to more than {} bytes",
            group_thousands(limit, ',')
        ),
    };
    let message = if limit == MAX_PART_BYTES {
        format!("the part {part} {size}, more than a part of a workbook may hold; the file is not read.")
    } else {
        format!(
            "the part {part} {size} from {} compressed bytes, beyond the {MAX_RATIO} to 1 that the parts of a workbook stay within; the file is damaged or built to exhaust memory, and is not read.",
            group_thousands(compressed, ','),
        )
    };
    Refusal::of_file(message)
}

/// The first refusal among the readers of one package's parts, shared by
/// them (and by clones of the package on other threads), so that a reader
/// that only sees a failed read can tell a refusal from damage.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refusals(Arc<OnceLock<Refusal>>);

impl Refusals {
    /// Keeps `refusal` unless an earlier one is kept.
    pub(crate) fn record(&self, refusal: Refusal) {
        let _ = self.0.set(refusal);
    }

    /// The first refusal recorded, if any.
    pub(crate) fn first(&self) -> Option<Refusal> {
        self.0.get().cloned()
    }
}

/// A part's reader that counts the bytes it inflates and fails once they go
/// beyond what the part may inflate to, recording why in its [`Refusals`].
pub(crate) struct Capped<R> {
    inner: R,
    part: String,
    compressed: u64,
    declared: u64,
    limit: u64,
    inflated: u64,
    refusals: Refusals,
}

impl<R: Read> Capped<R> {
    /// The reader of the part `part`, which the package says holds `compressed`
    /// bytes inflating to `declared`. `compressed` is the most the inflater can
    /// consume; the caller bounds it by the package's own size.
    ///
    /// # Errors
    /// The refusal, recorded, when the declared size is already beyond the limit.
    pub(crate) fn new(
        inner: R,
        part: &str,
        compressed: u64,
        declared: u64,
        refusals: &Refusals,
    ) -> Result<Capped<R>, Refusal> {
        let limit = inflated_limit(compressed);
        if declared > limit {
            let refusal = part_refusal(part, compressed, limit, Some(declared));
            refusals.record(refusal.clone());
            return Err(refusal);
        }
        Ok(Capped {
            inner,
            part: part.to_string(),
            compressed,
            declared,
            limit,
            inflated: 0,
            refusals: refusals.clone(),
        })
    }

    /// The size the part declares (checked against the limit, not trusted).
    pub(crate) fn declared_size(&self) -> u64 {
        self.declared
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the limit is enough to know the part goes beyond it.
        let room = (self.limit + 1).saturating_sub(self.inflated);
        let len = usize::try_from(room).map_or(buf.len(), |room| room.min(buf.len()));
        let n = if len == 0 && !buf.is_empty() {
            0
        } else {
            self.inner.read(&mut buf[..len])?
        };
        self.inflated += n as u64;
        if self.inflated > self.limit {
            let refusal = part_refusal(&self.part, self.compressed, self.limit, None);
            let message = refusal.message.clone();
            self.refusals.record(refusal);
            return Err(io::Error::new(io::ErrorKind::InvalidData, message));
        }
        Ok(n)
    }
}

/// Inflates every part of the zip package `bytes` through a [`Capped`] reader,
/// for a reader that inflates the parts itself (calamine). Anything that is not
/// a zip package, and parts that cannot be inflated (damaged, encrypted), pass:
/// the reader reports them.
///
/// # Errors
/// The first part that inflates beyond its limit.
pub(crate) fn check_package(bytes: &[u8]) -> Result<(), Refusal> {
    let Ok(mut package) = Package::open(bytes) else {
        return Ok(());
    };
    let refusals = package.refusals().clone();
    for name in package.part_names() {
        if let Ok(Some(mut part)) = package.part(&name) {
            // Damage is the reader's to report; only a refusal stops here.
            let _ = io::copy(&mut part, &mut io::sink());
        }
        if let Some(refusal) = refusals.first() {
            return Err(refusal);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip package of the parts `parts`, deflated.
    pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn limits_are_excels_sheet() {
        assert!(within_sheet(0, 0));
        assert!(within_sheet(1_048_575, 16_383));
        assert!(!within_sheet(1_048_576, 0));
        assert!(!within_sheet(0, 16_384));
        let row = Refusal::beyond_sheet("Soci", 1_048_576, 0);
        assert_eq!(
            row.into_error("in.xlsx").to_string(),
            "in.xlsx:Soci!A1048577: cannot open the workbook: sheet 'Soci' has a cell in row 1,048,577, and a sheet has at most 1,048,576 rows; the file is damaged."
        );
        let col = Refusal::beyond_sheet("Soci", 4, 16_384);
        assert_eq!(
            col.message,
            "sheet 'Soci' has a cell in column XFE, and a sheet has at most 16,384 columns (A to XFD); the file is damaged."
        );
    }

    #[test]
    fn a_part_may_inflate_a_hundred_times_or_the_grace() {
        assert_eq!(inflated_limit(0), RATIO_GRACE_BYTES);
        assert_eq!(inflated_limit(1_000), RATIO_GRACE_BYTES);
        assert_eq!(inflated_limit(1 << 20), 100 << 20);
        assert_eq!(inflated_limit(1 << 30), MAX_PART_BYTES);
    }

    #[test]
    fn the_count_refuses_not_the_declared_size() {
        let refusals = Refusals::default();
        // A part that says it holds 10 bytes and inflates beyond the grace.
        let endless = io::repeat(b' ').take(RATIO_GRACE_BYTES + 10);
        let mut part = Capped::new(endless, "xl/sharedStrings.xml", 100, 10, &refusals).unwrap();
        let err = io::copy(&mut part, &mut io::sink()).unwrap_err();
        let expected = "the part xl/sharedStrings.xml inflates to more than 16,777,216 bytes from 100 compressed bytes, beyond the 100 to 1 that the parts of a workbook stay within; the file is damaged or built to exhaust memory, and is not read.";
        assert_eq!(err.to_string(), expected);
        assert_eq!(refusals.first().unwrap().message, expected);
        // Exactly the limit passes.
        let whole = io::repeat(b' ').take(RATIO_GRACE_BYTES);
        let mut part = Capped::new(whole, "p", 100, 10, &Refusals::default()).unwrap();
        assert_eq!(
            io::copy(&mut part, &mut io::sink()).unwrap(),
            RATIO_GRACE_BYTES
        );
    }

    #[test]
    fn a_declared_size_beyond_the_limit_is_refused_before_inflating() {
        let refusals = Refusals::default();
        let refused = Capped::new(io::empty(), "content.xml", 1_000, 5_000_000_000, &refusals);
        let expected = "the part content.xml declares that it inflates to 5,000,000,000 bytes from 1,000 compressed bytes, beyond the 100 to 1 that the parts of a workbook stay within; the file is damaged or built to exhaust memory, and is not read.";
        assert_eq!(refused.err().unwrap().message, expected);
        assert_eq!(refusals.first().unwrap().message, expected);
        let huge = Capped::new(
            io::empty(),
            "p",
            1 << 31,
            (1 << 32) + 1,
            &Refusals::default(),
        );
        assert_eq!(
            huge.err().unwrap().message,
            "the part p declares that it inflates to 4,294,967,297 bytes, more than a part of a workbook may hold; the file is not read."
        );
    }

    #[test]
    fn every_part_of_a_package_is_checked() {
        let plain = zip_of(&[("a.xml", b"<a/>"), ("b.xml", &[b'x'; 50_000])]);
        assert_eq!(check_package(&plain), Ok(()));
        assert_eq!(check_package(b"not a zip"), Ok(()));
        let spaces = vec![b' '; RATIO_GRACE_BYTES as usize + 1];
        let bomb = zip_of(&[("a.xml", b"<a/>"), ("xl/worksheets/sheet1.xml", &spaces)]);
        let compressed = {
            let mut zip = zip::ZipArchive::new(io::Cursor::new(&bomb)).unwrap();
            let part = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
            group_thousands(part.compressed_size(), ',')
        };
        let declared = check_package(&bomb).unwrap_err();
        assert_eq!(
            declared.message,
            format!("the part xl/worksheets/sheet1.xml declares that it inflates to 16,777,217 bytes from {compressed} compressed bytes, beyond the 100 to 1 that the parts of a workbook stay within; the file is damaged or built to exhaust memory, and is not read.")
        );
    }
}
