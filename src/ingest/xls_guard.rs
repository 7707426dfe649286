//! Sizes an xls workbook before calamine opens it, and refuses one that would make
//! calamine ask for more memory than a sheet of its format can need.
//!
//! calamine 0.38 parses every sheet of an xls when the workbook is opened: at a
//! sheet's DIMENSIONS record it reserves room for the declared rows × columns (a
//! failed allocation aborts the process, past any `catch_unwind`), and at the end
//! of the sheet it builds a dense table over the bounding box of the cells it
//! kept. This module reads the Workbook stream of the compound file itself
//! ([`super::cfb`]) and walks its BIFF records ([MS-XLS] 2.1.4: a u16 type, a
//! u16 length, the body) as calamine does: the globals up to their EOF, where
//! each BOUNDSHEET8 (0x0085) gives a sheet's name and the offset of its BOF;
//! then each sheet's substream up to its EOF, skipping nested substreams
//! (embedded charts). A sheet is refused when
//!
//! - its DIMENSIONS (0x0200: first row u32, row after the last u32, first
//!   column u16, column after the last u16; u16 rows in the 10-byte form of
//!   older writers), read as calamine reads it, declares more than 65,536 rows
//!   or 256 columns, the most an xls sheet can have, or rows that end before
//!   they start (which calamine's subtraction turns into four billion); or
//! - the cells calamine keeps (NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST,
//!   MULRK, FORMULA; blank cells are not kept) span a box of more than
//!   [`MAX_SPARSE_BOX`](super::limits::MAX_SPARSE_BOX) cells of which fewer
//!   than 1 in [`MIN_DENSITY`](super::limits::MIN_DENSITY) are present
//!   ([`CellBox`], the rule ods sheets follow too): a stray value in IV65536
//!   below a table of twelve rows.
//!
//! A file whose container or records cannot be read here is left to calamine,
//! which reports damaged files itself: only a reading that succeeds refuses.

use super::cfb;
use super::limits::{CellBox, Refusal};
use crate::error::Result;
use crate::money::group_thousands;

/// The most rows an xls (BIFF8) sheet has.
pub(crate) const MAX_ROWS: u64 = 65_536;
/// The most columns an xls (BIFF8) sheet has.
pub(crate) const MAX_COLS: u64 = 256;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET8: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const NUMBER: u16 = 0x0203;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const RK: u16 = 0x027E;
const LABELSST: u16 = 0x00FD;
const MULRK: u16 = 0x00BD;

/// Refuses the xls workbook `bytes` (shown as `display`) when one of its sheets
/// would make calamine allocate beyond what an xls sheet can need. Anything
/// that is not a readable compound file with a Workbook stream passes.
///
/// # Errors
/// [`Error::UnreadableInput`] naming the file, the sheet and what it declares or
/// where its stray cell is.
pub(crate) fn check(bytes: &[u8], display: &str) -> Result<()> {
    if !bytes.starts_with(cfb::SIGNATURE) {
        return Ok(());
    }
    let Ok(stream) = cfb::stream(bytes, &["Workbook", "Book"]) else {
        return Ok(());
    };
    match refusal(&stream) {
        None => Ok(()),
        Some(refusal) => Err(refusal.into_error(display)),
    }
}

/// The first sheet of the Workbook stream `stream` that calamine must not be
/// given, if any.
fn refusal(stream: &[u8]) -> Option<Refusal> {
    let mut biff8 = true;
    let mut sheets = Vec::new();
    let mut first_bof = true;
    for (typ, body) in records(stream, 0) {
        match typ {
            BOF if first_bof && body.len() >= 2 => {
                first_bof = false;
                biff8 = cfb::u16_at(body, 0) == 0x0600;
            }
            BOUNDSHEET8 if body.len() >= 8 => {
                let offset = cfb::u32_at(body, 0) as usize;
                sheets.push((offset, sheet_name(&body[6..], biff8)));
            }
            EOF => break,
            _ => (),
        }
    }
    sheets
        .into_iter()
        .filter(|(offset, _)| *offset < stream.len())
        .find_map(|(offset, name)| sheet_refusal(stream, offset, &name))
}

/// The name in a BOUNDSHEET8's ShortXLUnicodeString (count, flags, characters:
/// one byte each, or UTF-16 when bit 0 of the flags is set); before BIFF8 the
/// flags byte is absent and the characters are bytes.
fn sheet_name(bytes: &[u8], biff8: bool) -> String {
    let count = usize::from(bytes[0]);
    let name = if biff8 && bytes[1] & 1 == 1 {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .take(count)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        let start = if biff8 { 2 } else { 1 };
        let chars = bytes.get(start..).unwrap_or_default();
        chars.iter().take(count).map(|&b| char::from(b)).collect()
    };
    name.replace('\0', "")
}

/// Why the sheet `name`, whose substream starts at `offset`, is refused, if it is.
fn sheet_refusal(stream: &[u8], offset: usize, name: &str) -> Option<Refusal> {
    let refuse = |message: String| Refusal {
        sheet: Some(name.to_string()),
        ..Refusal::of_file(message)
    };
    let mut cells = CellBox::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (typ, body) in records(stream, offset) {
        if depth > 0 {
            match typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => (),
            }
            continue;
        }
        let at = |at: usize| u32::from(cfb::u16_at(body, at));
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => {
                if let Some(message) = declared_too_large(body, name) {
                    return Some(refuse(message));
                }
            }
            NUMBER | LABEL | RSTRING | BOOLERR | RK | LABELSST | FORMULA
                if body.len() >= minimum_length(typ) =>
            {
                cells.add(at(0), at(2));
            }
            MULRK if body.len() >= 6 => {
                let first_col = at(2);
                for i in 0..(body.len() as u32 - 6) / 6 {
                    cells.add(at(0), first_col + i);
                }
            }
            _ => (),
        }
    }
    cells
        .is_sparse()
        .then(|| cells.stray_refusal(name, cells.area()))
}

/// The shortest body calamine reads for a cell record of type `typ`.
fn minimum_length(typ: u16) -> usize {
    match typ {
        NUMBER => 14,
        FORMULA => 20,
        BOOLERR => 8,
        RK | LABELSST => 10,
        _ => 6,
    }
}

/// What is wrong with a DIMENSIONS record, read as calamine reads it, if the
/// room calamine would reserve for it is beyond an xls sheet.
fn declared_too_large(body: &[u8], name: &str) -> Option<String> {
    let (first_row, row_after, first_col, col_after) = match body.len() {
        10 => (
            u64::from(cfb::u16_at(body, 0)),
            u64::from(cfb::u16_at(body, 2)),
            u64::from(cfb::u16_at(body, 4)),
            u64::from(cfb::u16_at(body, 6)),
        ),
        14 | 16 => (
            u64::from(cfb::u32_at(body, 0)),
            u64::from(cfb::u32_at(body, 4)),
            u64::from(cfb::u16_at(body, 8)),
            u64::from(cfb::u16_at(body, 10)),
        ),
        // calamine refuses any other length.
        _ => return None,
    };
    // calamine reads a first column beyond 255, or after the last, as column A.
    let first_col = if first_col > 0xFF || col_after < first_col {
        0
    } else {
        first_col
    };
    if row_after == 0 || col_after == 0 {
        return None;
    }
    if first_row > row_after {
        return Some(format!(
            "sheet '{name}' declares rows that start at row {} and end at row {row_after}, before they start; the file is damaged.",
            group_thousands(first_row + 1, ','),
        ));
    }
    let rows = row_after - first_row;
    let cols = col_after - first_col;
    if rows > MAX_ROWS {
        return Some(format!(
            "sheet '{name}' declares {} rows, and an xls sheet has at most {}; the file is damaged.",
            group_thousands(rows, ','),
            group_thousands(MAX_ROWS, ','),
        ));
    }
    if cols > MAX_COLS {
        return Some(format!(
            "sheet '{name}' declares {} columns, and an xls sheet has at most {MAX_COLS}; the file is damaged.",
            group_thousands(cols, ','),
        ));
    }
    None
}

/// The records of `stream` from `offset`: type and body, up to the end of the
/// stream or the first record cut short.
pub(crate) fn records(stream: &[u8], offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = offset;
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let typ = cfb::u16_at(header, 0);
        let len = usize::from(cfb::u16_at(header, 2));
        let body = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, body))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::cfb::tests::compound;
    use crate::ingest::limits::{MAX_SPARSE_BOX, MIN_DENSITY};
    use crate::location::column_name;

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((body.len() as u16).to_le_bytes());
        r.extend_from_slice(body);
        r
    }

    fn bof(dt: u16) -> Vec<u8> {
        let mut body = 0x0600u16.to_le_bytes().to_vec();
        body.extend(dt.to_le_bytes());
        body.resize(16, 0);
        record(BOF, &body)
    }

    /// DIMENSIONS in the BIFF8 form.
    pub(crate) fn dimensions(
        first_row: u32,
        row_after: u32,
        first_col: u16,
        col_after: u16,
    ) -> Vec<u8> {
        let mut body = first_row.to_le_bytes().to_vec();
        body.extend(row_after.to_le_bytes());
        body.extend(first_col.to_le_bytes());
        body.extend(col_after.to_le_bytes());
        body.extend([0, 0]);
        record(DIMENSIONS, &body)
    }

    /// A NUMBER cell.
    fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
        let mut body = row.to_le_bytes().to_vec();
        body.extend(col.to_le_bytes());
        body.extend(15u16.to_le_bytes());
        body.extend(value.to_le_bytes());
        record(NUMBER, &body)
    }

    /// A MULRK of `n` cells from `col`, each the RK number 1.
    fn mulrk(row: u16, col: u16, n: u16) -> Vec<u8> {
        let mut body = row.to_le_bytes().to_vec();
        body.extend(col.to_le_bytes());
        for _ in 0..n {
            body.extend(15u16.to_le_bytes());
            body.extend(0x3FF0_0000u32.to_le_bytes());
        }
        body.extend((col + n - 1).to_le_bytes());
        record(MULRK, &body)
    }

    /// A BIFF8 Workbook stream of one sheet per entry of `sheets` (name, its
    /// records between BOF and EOF), in a compound file.
    pub(crate) fn workbook(sheets: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let boundsheet = |offset: u32, name: &str| {
            let mut body = offset.to_le_bytes().to_vec();
            body.extend([0, 0, name.len() as u8, 0]);
            body.extend(name.bytes());
            record(BOUNDSHEET8, &body)
        };
        // The globals' length does not depend on the offsets they hold.
        let globals_len = |offsets: &[u32]| {
            let mut g = bof(0x0005);
            for ((name, _), &o) in sheets.iter().zip(offsets) {
                g.extend(boundsheet(o, name));
            }
            g.extend(record(EOF, &[]));
            g
        };
        let mut offset = globals_len(&vec![0; sheets.len()]).len() as u32;
        let mut offsets = Vec::new();
        let mut substreams = Vec::new();
        for (_, body) in sheets {
            offsets.push(offset);
            let mut s = bof(0x0010);
            s.extend_from_slice(body);
            s.extend(record(EOF, &[]));
            offset += s.len() as u32;
            substreams.extend(s);
        }
        let mut stream = globals_len(&offsets);
        stream.extend(substreams);
        compound(&[("Workbook", &stream)])
    }

    fn message(file: &[u8]) -> Option<String> {
        check(file, "in/a.xls").err().map(|e| e.to_string())
    }

    #[test]
    fn a_small_sheet_passes() {
        let mut cells = dimensions(0, 3, 0, 2);
        for row in 0..3 {
            cells.extend(number(row, 0, 1.0));
            cells.extend(number(row, 1, 2.0));
        }
        assert_eq!(message(&workbook(&[("Foglio1", cells)])), None);
        // Not a compound file, or one without a Workbook stream: left to calamine.
        assert!(check(b"PK\x03\x04", "in/a.xls").is_ok());
        assert!(check(&compound(&[("Other", b"x")]), "in/a.xls").is_ok());
    }

    #[test]
    fn declared_sizes_beyond_an_xls_sheet_are_refused() {
        let at_the_limit = dimensions(0, 65_536, 0, 256);
        assert_eq!(message(&workbook(&[("Pieno", at_the_limit)])), None);
        let rows = dimensions(0, u32::MAX, 0, 65_535);
        let message_rows = message(&workbook(&[("Soci", vec![]), ("Foglio1", rows)]));
        assert_eq!(
            message_rows.as_deref(),
            Some("in/a.xls:Foglio1: cannot open the workbook: sheet 'Foglio1' declares 4,294,967,295 rows, and an xls sheet has at most 65,536; the file is damaged.")
        );
        let cols = dimensions(0, 10, 0, 300);
        assert!(message(&workbook(&[("Larga", cols)]))
            .unwrap()
            .contains("sheet 'Larga' declares 300 columns, and an xls sheet has at most 256"));
        let backwards = dimensions(70_000, 5, 0, 3);
        assert!(message(&workbook(&[("Rovescio", backwards)]))
            .unwrap()
            .contains("rows that start at row 70,001 and end at row 5, before they start"));
        // The older 10-byte form: u16 rows, up to 65,535 columns.
        let mut old = Vec::new();
        for v in [0u16, 100, 0, 65_535, 0] {
            old.extend(v.to_le_bytes());
        }
        assert!(message(&workbook(&[("Vecchio", record(DIMENSIONS, &old))]))
            .unwrap()
            .contains("declares 65,535 columns"));
    }

    #[test]
    fn a_stray_cell_far_from_the_data_is_refused() {
        let mut cells = dimensions(0, 65_536, 0, 256);
        for row in 0..12 {
            cells.extend(number(row, 0, 1.0));
        }
        let tidy = cells.clone();
        cells.extend(number(65_535, 255, 9.0));
        assert_eq!(
            message(&workbook(&[("X", cells)])).as_deref(),
            Some("in/a.xls:X!IV65536: cannot open the workbook: sheet 'X' has 13 cells, one of them at IV65536, so that they span A1:IV65536, which would make the reader build a table of 16,777,216 cells; delete the stray cells or copy the data to a new sheet.")
        );
        // Blank cells are not kept by calamine, so a blank there is harmless.
        let mut blank = tidy.clone();
        let mut body = 65_535u16.to_le_bytes().to_vec();
        body.extend(255u16.to_le_bytes());
        body.extend(15u16.to_le_bytes());
        blank.extend(record(0x0201, &body));
        assert_eq!(message(&workbook(&[("X", blank)])), None);
        // A stray cell in a nested substream (an embedded chart) is skipped.
        let mut chart = tidy.clone();
        chart.extend(bof(0x0020));
        chart.extend(number(65_535, 255, 9.0));
        chart.extend(record(EOF, &[]));
        assert_eq!(message(&workbook(&[("X", chart)])), None);
    }

    #[test]
    fn a_large_box_well_filled_passes_and_mulrk_cells_count() {
        // 65,536 × 160 = 10.5 million cells of box, more than 1% of them present
        // (MULRK rows of 160 cells every 50 rows).
        let mut cells = dimensions(0, 65_536, 0, 160);
        for row in (0..65_536u32).step_by(50) {
            cells.extend(mulrk(row as u16, 0, 160));
        }
        cells.extend(number(65_535, 0, 1.0));
        assert_eq!(message(&workbook(&[("Pieno", cells.clone())])), None);
        // Such rows every 110 rows and one cell in column 201: 13 million cells
        // of box, fewer than 1% of them present, refused.
        let mut sparse = dimensions(0, 65_536, 0, 256);
        for row in (0..65_536u32).step_by(110) {
            sparse.extend(mulrk(row as u16, 0, 160));
        }
        sparse.extend(number(65_535, 200, 1.0));
        let present = (0..65_536u32).step_by(110).count() as u64 * 160 + 1;
        let area = 65_536 * 201;
        assert!(present * MIN_DENSITY < area && area > MAX_SPARSE_BOX);
        let refused = message(&workbook(&[("Rado", sparse)])).unwrap();
        let expected = format!(
            "sheet 'Rado' has {} cells, one of them at {}65536, so that they span A1:{}65536, which would make the reader build a table of {} cells",
            group_thousands(present, ','),
            column_name(200),
            column_name(200),
            group_thousands(area, ','),
        );
        assert!(refused.contains(&expected), "{refused}\n{expected}");
        // A low cell and a far-right cell that are not the same are both named.
        let mut two = dimensions(0, 65_536, 0, 256);
        two.extend(number(0, 0, 1.0));
        two.extend(number(65_535, 0, 1.0));
        two.extend(number(0, 255, 1.0));
        assert!(message(&workbook(&[("Due", two)])).unwrap().contains(
            "has 3 cells, spread over A1:IV65536 (the lowest at A65536, the rightmost at IV1)"
        ));
    }

    #[test]
    fn records_cut_short_stop_the_walk_without_panicking() {
        let mut cells = dimensions(0, 3, 0, 2);
        cells.extend(number(0, 0, 1.0));
        let file = workbook(&[("S", cells)]);
        let stream = cfb::stream(&file, &["Workbook"]).unwrap();
        for len in 0..stream.len() {
            assert_eq!(refusal(&stream[..len]), None);
        }
        // A BOUNDSHEET8 pointing beyond the stream names no sheet to check.
        let mut far = stream.clone();
        let at = 20 + 4; // after the globals' BOF, the BOUNDSHEET8's body
        far[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(refusal(&far), None);
    }

    #[test]
    fn the_xls_fixtures_are_read_and_pass() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (name, sheets) in [("formats/soci.xls", 1), ("realdata/OOM_alloc.xls", 1)] {
            let bytes = std::fs::read(root.join(name)).unwrap();
            let stream = cfb::stream(&bytes, &["Workbook", "Book"]).unwrap();
            // The globals open with a BIFF8 BOF and name the workbook's sheets.
            assert_eq!(cfb::u16_at(&stream, 0), BOF, "{name}");
            let named = records(&stream, 0)
                .take_while(|(typ, _)| *typ != EOF)
                .filter(|(typ, _)| *typ == BOUNDSHEET8)
                .count();
            assert!(named >= sheets, "{name}: {named} sheets");
            assert_eq!(refusal(&stream), None, "{name}");
        }
        // Its directory points past the end of the file: left to calamine.
        let damaged = std::fs::read(root.join("damaged/cfb_sector_beyond_end.xls")).unwrap();
        assert!(cfb::stream(&damaged, &["Workbook", "Book"]).is_err());
        assert!(check(&damaged, "d.xls").is_ok());
    }
}
