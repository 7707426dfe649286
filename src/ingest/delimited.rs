//! Delimited text: CSV and TSV with `;`, `,` or tab, in UTF-8 (with or without a
//! byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode text") or
//! Windows-1252.
//!
//! Each record becomes a row numbered by the line it starts on, so a message
//! about it names the line a text editor shows, even after a quoted field that
//! spans several lines. How many fields each record has is kept, so that the
//! later stages can report rows with too many or too few fields instead of
//! guessing where the missing delimiter was.

use super::grid::Grid;
use super::RawTable;
use crate::error::{Error, Result};
use crate::location::Location;
use calamine::{Cell, Data};
use std::collections::BTreeMap;

/// How many lines are looked at to choose the delimiter.
const SNIFF_LINES: usize = 20;

/// Reads a delimited file into one table of text cells.
///
/// # Errors
/// [`Error::UnreadableInput`] when the text cannot be parsed as delimited records.
pub(crate) fn read(bytes: &[u8], display: &str) -> Result<RawTable> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut field_counts = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    let mut previous_row: Option<u32> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(1);
                return Err(Error::unreadable(
                    Location::row(display, None, line.saturating_sub(1) as u32),
                    format!("cannot parse the line: {e}."),
                ));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(1);
        let mut row = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
        // Rows must ascend even if a position were missing.
        if let Some(previous) = previous_row {
            row = row.max(previous.saturating_add(1));
        }
        previous_row = Some(row);
        field_counts.insert(row, record.len() as u32);
        for (col, field) in record.iter().enumerate() {
            if !field.trim().is_empty() {
                cells.push(Cell::new(
                    (row, col as u32),
                    Data::String(field.to_string()),
                ));
            }
        }
    }
    Ok(RawTable {
        file: display.to_string(),
        sheet: None,
        grid: Grid::from_cells(cells),
        merges: Vec::new(),
        date_1904: false,
        field_counts: Some(field_counts),
    })
}

/// The text of the file: UTF-16 when it starts with a UTF-16 byte-order mark,
/// UTF-8 when the bytes are valid UTF-8 (a byte-order mark is dropped), otherwise
/// Windows-1252, the encoding Excel on Windows writes CSV files in.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The delimiter used most on the first non-empty lines, outside quotes: `;`
/// (Italian Excel), `,` or tab. Counting over several lines keeps a title line
/// above the header from deciding alone.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES);
    for line in lines {
        let mut quoted = false;
        for byte in line.bytes() {
            if byte == b'"' {
                quoted = !quoted;
            } else if !quoted {
                for (delimiter, count) in counts.iter_mut() {
                    if byte == *delimiter {
                        *count += 1;
                    }
                }
            }
        }
    }
    // Ties go to the first candidate: `;` before `,` before tab.
    let mut best = (b',', 0);
    for (delimiter, count) in counts {
        if count > best.1 {
            best = (delimiter, count);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_commas_and_tabs_are_sniffed() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b,c"), b',');
        assert_eq!(sniff_delimiter("no delimiter at all"), b',');
        assert_eq!(
            sniff_delimiter("Elenco, aggiornato al 30/11\nid;nome;cat\n1;a;b\n"),
            b';'
        );
    }

    #[test]
    fn windows_1252_utf16_and_bom_are_decoded() {
        assert_eq!(decode(b"Mobilit\xe0;\x80"), "Mobilità;€");
        assert_eq!(decode("\u{feff}Città".as_bytes()), "Città");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Città\t1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), "Città\t1");
    }

    #[test]
    fn quoted_fields_keep_their_delimiters_and_newlines() {
        let table = read(b"id;name\n1;\"Rossi; Bianchi\nS.p.A.\"\n2;x\n", "t.csv").unwrap();
        assert_eq!(
            table.grid.get(1, 1),
            Some(&Data::String("Rossi; Bianchi\nS.p.A.".into()))
        );
        // The record after the two-line field starts on line 4.
        assert_eq!(table.grid.get(3, 0), Some(&Data::String("2".into())));
    }

    #[test]
    fn field_counts_are_kept_by_line() {
        let table = read(b"a;b;c\n1;2;3\n1;2\n1;2;3;4\n", "t.csv").unwrap();
        let counts: Vec<(u32, u32)> = table.field_counts.unwrap().into_iter().collect();
        assert_eq!(counts, vec![(0, 3), (1, 3), (2, 2), (3, 4)]);
    }
}
