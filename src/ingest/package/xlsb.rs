//! xlsb: `xl/workbook.bin` names the sheets (BrtBundleSh: state, tab id,
//! relationship id, name), `xl/_rels/workbook.bin.rels` gives each relationship's
//! part, and in a sheet's part every BrtMergeCell record (type 0x00B0, inside
//! BrtBeginMergeCells) is one region: an RfX of four u32, first row, last row,
//! first column, last column ([MS-XLSB] 2.4.662, 2.5.150). A formula whose saved
//! value is an error (`=D8/0` saved as `#DIV/0!`) is a BrtFmlaError record (type
//! 0x000B: the cell's column, then the error code), on the row of the BrtRowHdr
//! before it; calamine 0.38 skips that record, so such a cell would read as
//! empty, where xlsx and xls give the error.
//!
//! A record is its type (7 bits a byte, one or two bytes), its length (7 bits a
//! byte, one to four bytes) and its body.

use super::{worksheets, Extras, SheetExtras, MAX_MERGES};
use crate::ingest::limits::{within_sheet, Refusal};
use crate::ingest::Merge;
use calamine::CellErrorType;
use std::io::{BufReader, Read};

/// The merged regions and formula errors of every worksheet of the xlsb
/// package `bytes`.
///
/// # Errors
/// A description of what is damaged, when the package or one of its parts
/// cannot be read.
pub(crate) fn xlsb(bytes: &[u8]) -> Result<Extras, String> {
    worksheets(
        bytes,
        "xl/workbook.bin",
        |workbook| bundled_sheets(BufReader::new(workbook)),
        |name, sheet| xlsb_sheet(name, BufReader::new(sheet)),
    )
}

/// BrtBundleSh: a sheet of the workbook.
const BRT_BUNDLE_SH: u16 = 0x009C;
/// BrtEndBundleShs: the end of the list of sheets.
const BRT_END_BUNDLE_SHS: u16 = 0x0090;
/// BrtMergeCell: one merged region.
const BRT_MERGE_CELL: u16 = 0x00B0;
/// BrtRowHdr: the row of the cell records that follow.
const BRT_ROW_HDR: u16 = 0x0000;
/// BrtFmlaError: a formula cell whose saved value is an error.
const BRT_FMLA_ERROR: u16 = 0x000B;
/// The cell records that hold a value (BrtCellRk to BrtFmlaError; BrtCellBlank,
/// 0x0001, holds none), each starting with its column.
const CELL_RECORDS: std::ops::RangeInclusive<u16> = 0x0002..=0x000B;
/// BrtEndSheet: the end of a sheet's part.
const BRT_END_SHEET: u16 = 0x0082;

/// Reads the records of an xlsb part: a type of one or two bytes and a length
/// of one to four bytes, each byte giving 7 bits and a continuation bit.
struct Records<R> {
    reader: R,
    body: Vec<u8>,
}

impl<R: Read> Records<R> {
    fn new(reader: R) -> Records<R> {
        Records {
            reader,
            body: Vec::new(),
        }
    }

    /// The next record's type, or `None` at the end of the part. The body is
    /// read into `self.body` when `keep` says so for that type, skipped otherwise.
    fn next(&mut self, keep: impl Fn(u16) -> bool) -> Result<Option<u16>, String> {
        let Some(first) = self.byte_or_end()? else {
            return Ok(None);
        };
        let mut typ = u16::from(first & 0x7F);
        if first & 0x80 != 0 {
            typ |= u16::from(self.byte()? & 0x7F) << 7;
        }
        let mut len: u64 = 0;
        for shift in [0, 7, 14, 21] {
            let byte = self.byte()?;
            len |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        self.body.clear();
        let read = if keep(typ) {
            (&mut self.reader).take(len).read_to_end(&mut self.body)
        } else {
            std::io::copy(&mut (&mut self.reader).take(len), &mut std::io::sink())
                .map(|n| n as usize)
        }
        .map_err(|e| e.to_string())?;
        if read as u64 != len {
            return Err(format!("record {typ:#06x} is cut short"));
        }
        Ok(Some(typ))
    }

    fn byte_or_end(&mut self) -> Result<Option<u8>, String> {
        let mut byte = [0u8];
        match self.reader.read(&mut byte) {
            Ok(0) => Ok(None),
            Ok(_) => Ok(Some(byte[0])),
            Err(e) => Err(e.to_string()),
        }
    }

    fn byte(&mut self) -> Result<u8, String> {
        self.byte_or_end()?
            .ok_or_else(|| "a record header is cut short".to_string())
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// An XLWideString at `at`: its text and the offset after it.
fn wide_str(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let units = u32_at(bytes, at)? as usize;
    let end = (at + 4).checked_add(units.checked_mul(2)?)?;
    let utf16: Vec<u16> = bytes
        .get(at + 4..end)?
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    Some((String::from_utf16_lossy(&utf16), end))
}

/// The sheets `xl/workbook.bin` lists: (name, relationship id), in order.
fn bundled_sheets(reader: impl Read) -> Result<Vec<(String, String)>, String> {
    let mut records = Records::new(reader);
    let mut sheets = Vec::new();
    while let Some(typ) = records.next(|t| t == BRT_BUNDLE_SH)? {
        match typ {
            BRT_BUNDLE_SH => {
                // hsState (4), iTabID (4), strRelID (a nullable wide string), strName.
                let body = &records.body;
                if u32_at(body, 8) == Some(0xFFFF_FFFF) {
                    continue; // no relationship: not a sheet of this package
                }
                let (relationship, after) =
                    wide_str(body, 8).ok_or("a sheet record (BrtBundleSh) is damaged")?;
                let (name, _) =
                    wide_str(body, after).ok_or("a sheet record (BrtBundleSh) is damaged")?;
                sheets.push((name, relationship));
            }
            BRT_END_BUNDLE_SHS => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// The merged regions and formula errors of the xlsb sheet `name`'s part, or
/// its refusal at the first cell beyond a sheet's limits (calamine stops
/// reading a sheet, silently, at a row beyond 1,048,577).
fn xlsb_sheet(name: &str, reader: impl Read) -> Result<SheetExtras, String> {
    let mut records = Records::new(reader);
    let mut sheet = SheetExtras::default();
    let mut row = 0;
    let keep = |t| matches!(t, BRT_ROW_HDR | BRT_MERGE_CELL) || CELL_RECORDS.contains(&t);
    while let Some(typ) = records.next(keep)? {
        let body = &records.body;
        let field = |i: usize| u32_at(body, 4 * i);
        if CELL_RECORDS.contains(&typ) {
            if let Some(col) = field(0).filter(|col| !within_sheet(row, *col)) {
                sheet.refusal = Some(Refusal::beyond_sheet(name, row, col));
                return Ok(sheet);
            }
        }
        match typ {
            BRT_ROW_HDR => row = field(0).ok_or("a row record (BrtRowHdr) is damaged")?,
            BRT_FMLA_ERROR => {
                let (Some(col), Some(&code)) = (field(0), body.get(8)) else {
                    return Err("a formula cell (BrtFmlaError) is damaged".into());
                };
                if let Some(error) = cell_error(code) {
                    sheet.errors.push(((row, col), error));
                }
            }
            BRT_MERGE_CELL if sheet.merges.len() < MAX_MERGES => {
                let (Some(rw_first), Some(rw_last), Some(col_first), Some(col_last)) =
                    (field(0), field(1), field(2), field(3))
                else {
                    return Err("a merged region (BrtMergeCell) is damaged".into());
                };
                sheet.merges.push(Merge {
                    first_row: rw_first.min(rw_last),
                    first_col: col_first.min(col_last),
                    last_row: rw_first.max(rw_last),
                    last_col: col_first.max(col_last),
                });
            }
            BRT_END_SHEET => break,
            _ => {}
        }
    }
    Ok(sheet)
}

/// An error code of [MS-XLSB] 2.5.97.2 BErr, as calamine maps it for BrtCellError.
fn cell_error(code: u8) -> Option<CellErrorType> {
    Some(match code {
        0x00 => CellErrorType::Null,
        0x07 => CellErrorType::Div0,
        0x0F => CellErrorType::Value,
        0x17 => CellErrorType::Ref,
        0x1D => CellErrorType::Name,
        0x24 => CellErrorType::Num,
        0x2A => CellErrorType::NA,
        0x2B => CellErrorType::GettingData,
        _ => return None,
    })
}

/// The tests' xlsb writer, to build packages for the unit tests.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../tests/common/xlsb.rs"]
mod xlsb_writer;

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Data;
    use std::io::Cursor;

    use crate::ingest::package::merge;

    #[test]
    fn xlsb_merged_regions_are_read_for_each_sheet() {
        let mut workbook = xlsb_writer::Workbook::new();
        workbook
            .sheet("Soci")
            .text(0, 0, "Elenco soci")
            .merge(0, 0, 0, 4)
            .text(3, 3, "Mobilità")
            .merge(3, 3, 9, 3);
        workbook.sheet("Vuoto").text(0, 0, "x");
        workbook
            .sheet("Progetti")
            .merge(1_048_570, 16_380, 1_048_575, 16_383);
        let extras = xlsb(&workbook.to_bytes()).unwrap();
        assert_eq!(
            extras["Soci"].merges,
            vec![merge(0, 0, 0, 4), merge(3, 3, 9, 3)]
        );
        assert!(!extras.contains_key("Vuoto"));
        assert_eq!(
            extras["Progetti"].merges,
            vec![merge(1_048_570, 16_380, 1_048_575, 16_383)]
        );
    }

    #[test]
    fn xlsb_formula_errors_are_read_where_calamine_skips_them() {
        use xlsb_writer::Value;
        let mut workbook = xlsb_writer::Workbook::new();
        workbook
            .sheet("Progetti")
            .text(0, 0, "CUP")
            .formula(3, 4, Value::Error(0x07))
            .formula(3, 5, Value::Number(1.5))
            .error(4, 4, "#N/A")
            .formula(7, 2, Value::Error(0x2A));
        let bytes = workbook.to_bytes();
        let extras = xlsb(&bytes).unwrap();
        assert_eq!(
            extras["Progetti"].errors,
            vec![((3, 4), CellErrorType::Div0), ((7, 2), CellErrorType::NA)]
        );
        // What calamine itself gives: the formula's number and the constant
        // error, not the formula errors.
        let mut xlsb: calamine::Xlsb<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut xlsb, "Progetti").unwrap();
        assert_eq!(range.get_value((3, 5)), Some(&Data::Float(1.5)));
        assert_eq!(
            range.get_value((4, 4)),
            Some(&Data::Error(CellErrorType::NA))
        );
        let empty = |at| matches!(range.get_value(at), None | Some(Data::Empty));
        assert!(empty((3, 4)) && empty((7, 2)), "{range:?}");
    }

    #[test]
    fn xlsb_keeps_at_most_the_cap_of_a_sheet() {
        let mut workbook = xlsb_writer::Workbook::new();
        let sheet = workbook.sheet("S");
        for i in 0..MAX_MERGES as u32 + 5 {
            sheet.merge(i, 0, i, 1);
        }
        let extras = xlsb(&workbook.to_bytes()).unwrap();
        assert_eq!(extras["S"].merges.len(), MAX_MERGES);
    }

    #[test]
    fn a_cell_beyond_the_sheet_is_refused_where_calamine_would_drop_it() {
        let refusal = |sheet: &dyn Fn(&mut xlsb_writer::Sheet)| {
            let mut workbook = xlsb_writer::Workbook::new();
            workbook.sheet("Vuoto").text(0, 0, "x");
            sheet(workbook.sheet("Soci").text(0, 0, "CUP"));
            let extras = xlsb(&workbook.to_bytes()).unwrap();
            super::super::refusal(&extras)
        };
        assert_eq!(refusal(&|s| _ = s.number(1_048_575, 16_383, 1.0)), None);
        // Row 1,048,577, which calamine reads, and rows past it, where it
        // stops reading the sheet without a word.
        for row in [1_048_576, 1_048_577, u32::MAX] {
            let beyond = refusal(&|s| _ = s.number(row, 2, 1.0).number(row, 3, 2.0));
            assert_eq!(beyond, Some(Refusal::beyond_sheet("Soci", row, 2)));
        }
        let wide = refusal(&|s| _ = s.formula(4, 16_384, xlsb_writer::Value::Error(0x07)));
        assert_eq!(wide, Some(Refusal::beyond_sheet("Soci", 4, 16_384)));
    }

    #[test]
    fn a_record_cut_short_is_an_error_not_a_guess() {
        // BrtMergeCell announcing 16 bytes and holding 3.
        let part = [0xB0, 0x01, 16, 1, 2, 3];
        let err = xlsb_sheet("S", &part[..]).unwrap_err();
        assert_eq!(err, "record 0x00b0 is cut short");
        // A region needs 16 bytes; this one has 12.
        let part = [0xB0, 0x01, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let err = xlsb_sheet("S", &part[..]).unwrap_err();
        assert_eq!(err, "a merged region (BrtMergeCell) is damaged");
        // Records that end cleanly hold nothing left out.
        assert_eq!(
            xlsb_sheet("S", &[0x81, 0x01, 0][..]),
            Ok(SheetExtras::default())
        );
    }
}
