//! Delimited text: CSV and TSV with `;`, `,` or tab, in UTF-8 (with or without a
//! byte-order mark) or Windows-1252.

use super::RawTable;
use crate::error::{Error, Result};
use crate::location::Location;
use calamine::{Cell, Data, Range};

/// Reads a delimited file into one table of text cells.
///
/// # Errors
/// [`Error::UnreadableInput`] when the text cannot be parsed as delimited records.
pub fn read(bytes: &[u8], display: &str) -> Result<RawTable> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map(|p| p.line() as u32)
                .unwrap_or(row as u32 + 1);
            Error::unreadable(
                Location::row(display, None, line.saturating_sub(1)),
                format!("cannot parse the line: {e}."),
            )
        })?;
        for (col, field) in record.iter().enumerate() {
            if !field.is_empty() {
                cells.push(Cell::new(
                    (row as u32, col as u32),
                    Data::String(field.to_string()),
                ));
            }
        }
    }
    let range = if cells.is_empty() {
        Range::empty()
    } else {
        Range::from_sparse(cells)
    };
    Ok(RawTable {
        file: display.to_string(),
        sheet: None,
        range,
    })
}

/// UTF-8 when the bytes are valid UTF-8 (a byte-order mark is dropped), otherwise
/// Windows-1252, the encoding Excel on Windows writes CSV files in.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The delimiter used most on the first non-empty line, outside quotes: `;`
/// (Italian Excel), `,` or tab.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in first.bytes() {
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
    counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .filter(|(_, c)| *c > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
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
    }

    #[test]
    fn windows_1252_and_bom_are_decoded() {
        assert_eq!(decode(b"Mobilit\xe0;\x80"), "Mobilità;€");
        assert_eq!(decode("\u{feff}Città".as_bytes()), "Città");
    }

    #[test]
    fn quoted_fields_keep_their_delimiters_and_newlines() {
        let table = read(b"id;name\n1;\"Rossi; Bianchi\nS.p.A.\"\n", "t.csv").unwrap();
        assert_eq!(
            table.range.get_value((1, 1)),
            Some(&Data::String("Rossi; Bianchi\nS.p.A.".into()))
        );
    }
}
