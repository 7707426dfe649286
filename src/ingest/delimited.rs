//! Delimited text: CSV and TSV with `;`, `,` or tab, in UTF-8 (with or without a
//! byte-order mark), UTF-16 (with a byte-order mark, Excel's "Unicode text", or
//! without one, told by its NUL bytes) or Windows-1252.
//!
//! A file that is not valid UTF-8 is Windows-1252, the encoding Excel on Windows
//! writes CSV files in, unless some of it is UTF-8 beyond ASCII: then it is a
//! UTF-8 file with a few lines pasted in from elsewhere, read as UTF-8 where it
//! is valid UTF-8 and as Windows-1252 where it is not, with a warning naming the
//! lines that hold such bytes. A NUL byte in UTF-8 text is a character of a
//! cell like any other; bytes holding NUL that are neither UTF-8 nor UTF-16 are
//! not text: the file is refused.
//!
//! Each record becomes a row numbered by the line it starts on, so a message
//! about it names the line a text editor shows, even after a quoted field that
//! spans several lines. How many fields each record has is kept, so that the
//! later stages can report rows with too many or too few fields instead of
//! guessing where the missing delimiter was. Records are parsed a field at a
//! time and a record of more than [`MAX_FIELDS`] fields, more columns than a
//! sheet has, is counted and not read, with an error naming its line: a line of
//! fifty million delimiters costs no more memory than a line of the table.

use super::grid::Grid;
use super::RawTable;
use crate::error::{Error, Result};
use crate::issues::{Issue, IssueKind};
use crate::labels::Lang;
use crate::location::Location;
use crate::text::{number, Text};
use calamine::{Cell, Data};
use csv_core::ReadFieldResult;
use encoding_rs::Encoding;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How many lines are looked at to choose the delimiter.
const SNIFF_LINES: usize = 20;
/// How many bytes are looked at to tell UTF-16 without a byte-order mark.
const SNIFF_BYTES: usize = 4096;
/// The most fields a record may have: the columns of an Excel sheet (A to XFD).
pub(crate) const MAX_FIELDS: u64 = 16_384;
/// The most lines a warning about mixed encodings lists by number.
const LINES_LISTED: usize = 10;

/// Reads a delimited file into one table of text cells, and the issues found
/// reading it (lines in another encoding, records beyond [`MAX_FIELDS`]).
///
/// # Errors
/// [`Error::UnreadableInput`] when the bytes are not text.
pub(crate) fn read(bytes: &[u8], display: &str) -> Result<(RawTable, Vec<Issue>)> {
    let decoded = decode(bytes).ok_or_else(|| {
        Error::unreadable(
            Location::file(display),
            "the file is not text: it holds NUL bytes and is neither UTF-8 nor UTF-16, and it is not a workbook either.",
        )
    })?;
    let mut issues: Vec<Issue> = mixed_encoding(&decoded.windows_1252_lines, display)
        .into_iter()
        .collect();
    let delimiter = sniff_delimiter(&decoded.text);
    let records = parse(&decoded.text, delimiter, display, &mut issues);
    let table = RawTable {
        file: display.to_string(),
        sheet: None,
        grid: Grid::from_cells(records.cells),
        merges: Vec::new(),
        date_1904: false,
        field_counts: Some(records.field_counts),
    };
    Ok((table, issues))
}

/// The cells of the records read, and each record's field count by row.
struct Records {
    cells: Vec<Cell<Data>>,
    field_counts: BTreeMap<u32, u32>,
}

/// Parses `text` a field at a time. A record of more than [`MAX_FIELDS`] fields
/// keeps none of them: its fields are only counted, and an error naming its line
/// goes to `issues`.
fn parse(text: &str, delimiter: u8, display: &str, issues: &mut Vec<Issue>) -> Records {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = text.as_bytes();
    let mut records = Records {
        cells: Vec::new(),
        field_counts: BTreeMap::new(),
    };
    let mut record: Vec<Cell<Data>> = Vec::new();
    let mut field = vec![0u8; 256];
    let mut len = 0;
    let mut fields: u64 = 0;
    let mut start_line = core.line();
    let mut previous_row: Option<u32> = None;
    let mut row = row_of(start_line, previous_row);
    loop {
        let (result, read, written) = core.read_field(input, &mut field[len..]);
        input = &input[read..];
        len += written;
        match result {
            ReadFieldResult::InputEmpty => {}
            // Beyond the cap the field is not kept: its buffer is reused.
            ReadFieldResult::OutputFull if fields >= MAX_FIELDS => len = 0,
            ReadFieldResult::OutputFull => field.resize(2 * field.len(), 0),
            ReadFieldResult::Field { record_end } => {
                if fields < MAX_FIELDS {
                    let value = String::from_utf8_lossy(&field[..len]);
                    if !value.trim().is_empty() {
                        let cell = Cell::new((row, fields as u32), Data::String(value.into()));
                        record.push(cell);
                    }
                } else {
                    record.clear();
                }
                fields += 1;
                len = 0;
                if record_end {
                    if fields > MAX_FIELDS {
                        issues.push(too_many_fields(display, row, start_line, fields));
                    } else {
                        records.cells.append(&mut record);
                        records.field_counts.insert(row, fields as u32);
                    }
                    previous_row = Some(row);
                    fields = 0;
                    start_line = core.line();
                    row = row_of(start_line, previous_row);
                }
            }
            ReadFieldResult::End => break,
        }
    }
    records
}

/// The row of a record starting on `line`: its line − 1, after the previous
/// record's row even if a line count were wrong.
fn row_of(line: u64, previous_row: Option<u32>) -> u32 {
    let row = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
    match previous_row {
        Some(previous) => row.max(previous.saturating_add(1)),
        None => row,
    }
}

fn too_many_fields(display: &str, row: u32, line: u64, fields: u64) -> Issue {
    let (max_it, max_en) = (number(Lang::It, MAX_FIELDS), number(Lang::En, MAX_FIELDS));
    Issue::error(
        Location::row(display, None, row),
        IssueKind::LineTooWide,
        Text::new(
            format!(
                "La riga {line} ha {} campi, più delle {max_it} colonne di un foglio: la riga non è letta (un file danneggiato, o che ha perso le interruzioni di riga?).",
                number(Lang::It, fields),
            ),
            format!(
                "Line {line} has {} fields, more than the {max_en} columns a sheet has: the line is not read (a damaged file, or one whose line breaks were lost?).",
                number(Lang::En, fields),
            ),
        ),
    )
    .with_expected(Text::new(
        format!("al massimo {max_it} campi"),
        format!("at most {max_en} fields"),
    ))
}

/// The text of a delimited file, and the lines (counted from 1) read as
/// Windows-1252 in a file otherwise in UTF-8.
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) windows_1252_lines: Vec<u64>,
}

/// The text of the file: UTF-16 when it starts with a UTF-16 byte-order mark or
/// its NUL bytes fall as UTF-16's do, UTF-8 when the bytes are valid UTF-8 (a
/// byte-order mark is dropped), otherwise UTF-8 and Windows-1252 line by line.
/// `None` when the bytes hold NUL and are neither UTF-16 nor UTF-8, or are
/// mostly control characters: they are not text (binary data is almost never
/// valid UTF-8, while a text file may carry a stray NUL in a cell).
pub(crate) fn decode(bytes: &[u8]) -> Option<Decoded<'_>> {
    fn whole(text: Cow<'_, str>) -> Decoded<'_> {
        Decoded {
            text,
            windows_1252_lines: Vec::new(),
        }
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return Some(whole(encoding.decode_without_bom_handling(rest).0));
        }
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Some(whole(encoding.decode_without_bom_handling(bytes).0));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let has_nul = memchr::memchr(0, bytes).is_some();
    match std::str::from_utf8(bytes) {
        Ok(_) if has_nul && mostly_controls(bytes) => None,
        Ok(text) => Some(whole(Cow::Borrowed(text))),
        Err(_) if has_nul => None,
        Err(_) => Some(line_by_line(bytes)),
    }
}

/// Whether more than a tenth of the first bytes are control characters other
/// than tab, line feed and carriage return: data, not text, even where every
/// byte is ASCII.
fn mostly_controls(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    10 * controls > sample.len()
}

/// UTF-16 without a byte-order mark, told by where its NUL bytes fall: in text
/// of Latin letters, digits and punctuation the high byte of nearly every
/// 16-bit unit is zero, the second byte of each pair in little-endian and the
/// first in big-endian, and the other byte almost never is.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let units = sample.len() / 2;
    let count = |zero: usize| {
        sample
            .chunks_exact(2)
            .filter(|unit| unit[zero] == 0 && unit[1 - zero] != 0)
            .count()
    };
    let (high_second, high_first) = (count(1), count(0));
    if 2 * high_second > units && 10 * high_first < units {
        Some(encoding_rs::UTF_16LE)
    } else if 2 * high_first > units && 10 * high_second < units {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Bytes that are not valid UTF-8: Windows-1252 throughout when no part of them
/// is UTF-8 beyond ASCII; otherwise UTF-8 where they are valid UTF-8 and
/// Windows-1252 where they are not, with the lines holding such bytes listed.
fn line_by_line(bytes: &[u8]) -> Decoded<'static> {
    let utf8_beyond_ascii = bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii());
    if !utf8_beyond_ascii {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        return Decoded {
            text: Cow::Owned(text.into_owned()),
            windows_1252_lines: Vec::new(),
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 16);
    let mut windows_1252_lines = Vec::new();
    for (number, line) in (1..).zip(bytes.split_inclusive(|&b| b == b'\n')) {
        let mut in_windows_1252 = false;
        for chunk in line.utf8_chunks() {
            text.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                in_windows_1252 = true;
                let (decoded, _) =
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(chunk.invalid());
                text.push_str(&decoded);
            }
        }
        if in_windows_1252 {
            windows_1252_lines.push(number);
        }
    }
    Decoded {
        text: Cow::Owned(text),
        windows_1252_lines,
    }
}

/// The warning for a UTF-8 file with lines in Windows-1252, if there are any.
fn mixed_encoding(lines: &[u64], display: &str) -> Option<Issue> {
    let (&first, _) = lines.split_first()?;
    let (named_it, named_en) = if lines.len() == 1 {
        (
            format!("la riga {first} non lo è"),
            format!("line {first} is not"),
        )
    } else {
        (
            format!("le righe {} non lo sono", listed(lines, Lang::It)),
            format!("lines {} are not", listed(lines, Lang::En)),
        )
    };
    Some(
        Issue::warning(
            Location::row(display, None, u32::try_from(first - 1).unwrap_or(u32::MAX)),
            IssueKind::NotUtf8,
            Text::new(
                format!(
                    "Il file è in UTF-8 ma {named_it}: ciò che non è UTF-8 è letto come Windows-1252. Controllare le lettere accentate e salvare di nuovo il file in UTF-8."
                ),
                format!(
                    "The file is in UTF-8 but {named_en}: what is not UTF-8 in them is read as Windows-1252. Check their accented letters, and save the file again in UTF-8."
                ),
            ),
        )
        .with_expected(Text::new("testo in UTF-8", "text in UTF-8")),
    )
}

/// `3 and 7`, `3, 7 and 9`, or the first [`LINES_LISTED`] and how many more,
/// in `lang` (`3 e 7`).
fn listed(lines: &[u64], lang: Lang) -> String {
    let and = match lang {
        Lang::It => "e",
        Lang::En => "and",
    };
    let shown: Vec<String> = lines
        .iter()
        .take(LINES_LISTED)
        .map(u64::to_string)
        .collect();
    let more = lines.len() - shown.len();
    if more > 0 {
        return match lang {
            Lang::It => format!("{} e altre {more}", shown.join(", ")),
            Lang::En => format!("{} and {more} more", shown.join(", ")),
        };
    }
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => shown.concat(),
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

    fn text(bytes: &[u8]) -> String {
        decode(bytes).unwrap().text.into_owned()
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| match little_endian {
                true => u.to_le_bytes(),
                false => u.to_be_bytes(),
            })
            .collect()
    }

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
        assert_eq!(text(b"Mobilit\xe0;\x80"), "Mobilità;€");
        assert_eq!(text("\u{feff}Città".as_bytes()), "Città");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(utf16("Città\t1", true));
        assert_eq!(text(&with_bom), "Città\t1");
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_told_by_its_nul_bytes() {
        let sample = "Codice fiscale\tCategoria\tCluster\r\n01\tPMI\tMobilità €\r\n";
        assert_eq!(text(&utf16(sample, true)), sample);
        assert_eq!(text(&utf16(sample, false)), sample);
        // NUL bytes that do not fall as UTF-16's, in bytes that are not UTF-8:
        // not text; a stray NUL in UTF-8 text is a character of its cell.
        assert!(decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00").is_none());
        assert!(decode(b"a;b\n1;\x002;\xe0\n").is_none());
        assert!(decode(b"\x00\x01\x02\x00\x00").is_none());
        assert_eq!(
            text(b"Codice;Categoria\n01;PMI\x00\n"),
            "Codice;Categoria\n01;PMI\x00\n"
        );
    }

    #[test]
    fn a_utf8_file_with_windows_1252_lines_is_read_line_by_line() {
        let mixed =
            b"Citt\xc3\xa0;Cluster\nCitt\xe0;Energia\nRoma;Energia\nForl\xec;Mobilit\xc3\xa0\n";
        let decoded = decode(mixed).unwrap();
        // Line 4 holds both: each of its parts is read in its own encoding.
        assert_eq!(
            decoded.text,
            "Città;Cluster\nCittà;Energia\nRoma;Energia\nForlì;Mobilità\n"
        );
        assert_eq!(decoded.windows_1252_lines, [2, 4]);
        let (table, issues) = read(mixed, "in/soci.csv").unwrap();
        assert_eq!(table.grid.get(1, 0), Some(&Data::String("Città".into())));
        assert_eq!(
            issues.iter().map(|i| i.line(crate::labels::Lang::En)).collect::<Vec<_>>(),
            ["in/soci.csv:2: warning: The file is in UTF-8 but lines 2 and 4 are not: what is not UTF-8 in them is read as Windows-1252. Check their accented letters, and save the file again in UTF-8."]
        );
        // A file in Windows-1252 throughout is read as before, without a word.
        let (_, issues) = read(b"Citt\xe0;Cluster\nRoma;Energia\n", "in/soci.csv").unwrap();
        assert!(issues.is_empty());
    }

    #[test]
    fn line_lists_read_as_a_sentence() {
        assert_eq!(listed(&[3, 7], Lang::En), "3 and 7");
        assert_eq!(listed(&[3, 7], Lang::It), "3 e 7");
        assert_eq!(listed(&[3, 7, 9], Lang::En), "3, 7 and 9");
        let many: Vec<u64> = (1..=14).collect();
        assert_eq!(
            listed(&many, Lang::En),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 4 more"
        );
        assert_eq!(
            listed(&many, Lang::It),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 e altre 4"
        );
    }

    #[test]
    fn quoted_fields_keep_their_delimiters_and_newlines() {
        let (table, _) = read(b"id;name\n1;\"Rossi; Bianchi\nS.p.A.\"\n2;x\n", "t.csv").unwrap();
        assert_eq!(
            table.grid.get(1, 1),
            Some(&Data::String("Rossi; Bianchi\nS.p.A.".into()))
        );
        // The record after the two-line field starts on line 4.
        assert_eq!(table.grid.get(3, 0), Some(&Data::String("2".into())));
    }

    #[test]
    fn field_counts_are_kept_by_line() {
        let (table, _) = read(b"a;b;c\n1;2;3\n1;2\n1;2;3;4\n", "t.csv").unwrap();
        let counts: Vec<(u32, u32)> = table.field_counts.unwrap().into_iter().collect();
        assert_eq!(counts, vec![(0, 3), (1, 3), (2, 2), (3, 4)]);
    }

    #[test]
    fn records_are_numbered_by_line_as_the_csv_crate_numbers_them() {
        let samples: [&[u8]; 5] = [
            b"a;b\n\n\n1;2\n",
            b"a;b\r\n1;\"x\r\ny\"\r\n\r\n2;3",
            b"\n\na\n\"\n\n\"\nb;;\n",
            b"a;\"unterminated\nb;c\n",
            b"only one line",
        ];
        for sample in samples {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(b';')
                .from_reader(sample);
            // As the reader did with the csv crate: the row is the record's
            // line − 1, and at least one after the previous record's.
            let mut expected = BTreeMap::new();
            let mut previous: Option<u32> = None;
            for record in reader.records() {
                let record = record.unwrap();
                let line = record.position().unwrap().line();
                let row = row_of(line, previous);
                previous = Some(row);
                expected.insert(row, record.len() as u32);
            }
            let (table, _) = read(sample, "t.csv").unwrap();
            assert_eq!(table.field_counts.unwrap(), expected, "{sample:?}");
        }
    }

    #[test]
    fn a_record_beyond_the_columns_of_a_sheet_is_counted_not_read() {
        let line = |fields: u64| vec!["1"; fields as usize].join(";");
        let file = format!("a;b\n{}\n{}\n2;3\n", line(MAX_FIELDS), line(MAX_FIELDS + 1));
        let (table, issues) = read(file.as_bytes(), "in/soci.csv").unwrap();
        let counts = table.field_counts.unwrap();
        assert_eq!(
            counts.get(&1),
            Some(&(MAX_FIELDS as u32)),
            "at the cap: read"
        );
        assert_eq!(
            table.grid.get(1, MAX_FIELDS as u32 - 1),
            Some(&Data::String("1".into()))
        );
        assert_eq!(counts.get(&2), None, "beyond it: not read");
        assert_eq!(table.grid.row(2).map(|r| r.cells().len()), None);
        assert_eq!(counts.get(&3), Some(&2), "the line after it is read");
        assert_eq!(
            issues.iter().map(|i| i.line(crate::labels::Lang::En)).collect::<Vec<_>>(),
            ["in/soci.csv:3: error: Line 3 has 16,385 fields, more than the 16,384 columns a sheet has: the line is not read (a damaged file, or one whose line breaks were lost?)."]
        );
        // A long field beyond the cap reuses the buffer rather than growing it.
        let long = format!("{};{}\n", line(MAX_FIELDS), "x".repeat(10_000));
        let (table, issues) = read(long.as_bytes(), "t.csv").unwrap();
        assert_eq!((table.grid.row(0).is_none(), issues.len()), (true, 1));
    }
}
