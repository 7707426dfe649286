//! Puts the rows of a large sheet, written by [`rows`](super::rows), into the
//! package rust_xlsxwriter saved: the sheet's part, saved with its header row,
//! columns, panes, table, conditional formats and page setup but no data rows,
//! gets the rows before its `</sheetData>` and a `<dimension>` that covers them;
//! its table, saved over the header and one row, is widened to the last row;
//! every other part is copied as it is, still compressed.
//!
//! The rows are written while the new part is compressed, so that the sheet's
//! XML (about 130 MB for a 200,000-project audit) is never held whole: they are
//! made in chunks on the calling thread and compressed on another, each chunk
//! while the next is made.

use rust_xlsxwriter::{ColNum, RowNum, XlsxError};
use std::io::{Cursor, Read, Write};
use std::sync::mpsc;
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// A sheet part whose rows are still to be written.
pub struct Splice {
    /// The part's name in the package, `xl/worksheets/sheet6.xml`.
    pub part: String,
    /// The name of the sheet's table, saved over its header (row 0) and row 1.
    pub table: String,
    /// The last row and column the rows reach, for the `<dimension>`.
    pub last_row: RowNum,
    pub last_col: ColNum,
}

/// `package` with the rows `write_rows` writes put into `splice.part`, which it
/// compresses at `level` as rust_xlsxwriter compresses the other parts.
pub fn splice(
    package: &[u8],
    splice: &Splice,
    level: i64,
    write_rows: impl FnOnce(&mut dyn Write) -> Result<(), XlsxError>,
) -> Result<Vec<u8>, XlsxError> {
    let mut archive = ZipArchive::new(Cursor::new(package))?;
    let mut saved = String::new();
    archive.by_name(&splice.part)?.read_to_string(&mut saved)?;
    let (head, tail) = split(&saved, &splice.part)?;
    let head = with_dimension(head, splice.last_row, splice.last_col, &splice.part)?;

    // As rust_xlsxwriter's packager writes a part.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default());
    let mut part = ZipFileBuilder::new(&splice.part, options)?;
    part.write_all(head.as_bytes())?;
    let mut part = compressed_aside(part, write_rows)?;
    part.write_all(tail.as_bytes())?;
    let mut part = Some(part.finish()?);

    let saved_ref = rust_xlsxwriter::cell_range(0, 0, 1, splice.last_col);
    let full_ref = rust_xlsxwriter::cell_range(0, 0, splice.last_row, splice.last_col);
    let mut table = None;
    let mut spliced = ZipWriter::new(Cursor::new(Vec::with_capacity(package.len())));
    for index in 0..archive.len() {
        let name = archive
            .name_for_index(index)
            .ok_or(zip::result::ZipError::FileNotFound)??
            .into_owned();
        if name == splice.part {
            if let Some(part) = part.take() {
                spliced.add_prepared_file(part)?;
            }
            continue;
        }
        if name.starts_with("xl/tables/") && table.is_none() {
            let mut xml = String::new();
            archive.by_index(index)?.read_to_string(&mut xml)?;
            if xml.contains(&format!(" name=\"{}\"", splice.table)) {
                let widened = xml.replace(
                    &format!("ref=\"{saved_ref}\""),
                    &format!("ref=\"{full_ref}\""),
                );
                let mut part = ZipFileBuilder::new(&name, options)?;
                part.write_all(widened.as_bytes())?;
                spliced.add_prepared_file(part.finish()?)?;
                table = Some(name);
                continue;
            }
        }
        spliced.raw_copy_file(archive.by_index_raw(index)?)?;
    }
    if part.is_some() || table.is_none() {
        return Err(XlsxError::ParameterError(format!(
            "the saved package lacks the part {} or its table {}.",
            splice.part, splice.table
        )));
    }
    Ok(spliced.finish()?.into_inner())
}

/// How much of the rows' XML is handed to the compressing thread at a time.
const CHUNK: usize = 1 << 20;

/// `part` with what `write_rows` writes, which is compressed on a thread of
/// its own as it comes, in chunks.
fn compressed_aside(
    part: ZipFileBuilder,
    write_rows: impl FnOnce(&mut dyn Write) -> Result<(), XlsxError>,
) -> Result<ZipFileBuilder, XlsxError> {
    let (full, chunks) = mpsc::sync_channel::<Vec<u8>>(2);
    let (spare, spares) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let compressing = scope.spawn(move || -> std::io::Result<ZipFileBuilder> {
            let mut part = part;
            for chunk in chunks {
                part.write_all(&chunk)?;
                let _ = spare.send(chunk);
            }
            Ok(part)
        });
        let mut out = Chunks {
            chunk: Vec::with_capacity(CHUNK),
            full,
            spares,
        };
        let written = write_rows(&mut out).and_then(|()| Ok(out.flush()?));
        // Closing the channel ends the compressing thread's loop.
        drop(out);
        let part = crate::threads::joined(compressing)?;
        written.map(|()| part)
    })
}

/// Gathers what is written into chunks for the compressing thread.
struct Chunks {
    chunk: Vec<u8>,
    full: mpsc::SyncSender<Vec<u8>>,
    /// Chunks the compressing thread is done with, to be filled again.
    spares: mpsc::Receiver<Vec<u8>>,
}

impl Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.chunk.extend_from_slice(buf);
        if self.chunk.len() >= CHUNK {
            self.flush()?;
        }
        Ok(buf.len())
    }

    /// Hands the chunk gathered so far to the compressing thread.
    fn flush(&mut self) -> std::io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let mut next = self
            .spares
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        next.clear();
        let chunk = std::mem::replace(&mut self.chunk, next);
        self.full
            .send(chunk)
            .map_err(|_| std::io::Error::other("the thread compressing the rows stopped"))
    }
}

/// The part up to the end of its last row, and from `</sheetData>` on.
fn split(xml: &str, part: &str) -> Result<(String, String), XlsxError> {
    if let Some(end) = xml.find("</sheetData>") {
        let head = without_repeated_last_row(&xml[..end]);
        return Ok((head.to_string(), xml[end..].to_string()));
    }
    // A sheet saved without any row.
    let at = xml.find("<sheetData/>").ok_or_else(|| {
        XlsxError::ParameterError(format!(
            "the saved part {part} has no <sheetData> to put the rows in."
        ))
    })?;
    let rest = &xml[at + "<sheetData/>".len()..];
    Ok((
        format!("{}<sheetData>", &xml[..at]),
        format!("</sheetData>{rest}"),
    ))
}

/// `rows` without the empty copy of its last row that rust_xlsxwriter 0.102 adds
/// when it saves a constant-memory sheet whose last row has a height (here the
/// header's): `…<row r="1" ht="45" customHeight="1">…</row><row r="1" ht="45"
/// customHeight="1"/>`. Excel would repair the file; the rows after it make it
/// matter here.
fn without_repeated_last_row(rows: &str) -> &str {
    let number = |row: &str| {
        let start = row.find(" r=\"")? + 4;
        let end = start + row[start..].find('"')?;
        Some(row[start..end].to_string())
    };
    let Some(last) = rows.rfind("<row ") else {
        return rows;
    };
    if !rows.ends_with("/>") || !rows[..last].ends_with("</row>") {
        return rows;
    }
    let Some(previous) = rows[..last].rfind("<row ") else {
        return rows;
    };
    match (number(&rows[previous..last]), number(&rows[last..])) {
        (Some(previous), Some(repeated)) if previous == repeated => &rows[..last],
        _ => rows,
    }
}

/// `head` with its `<dimension ref="…"/>` grown to reach `last_row` and `last_col`.
fn with_dimension(
    head: String,
    last_row: RowNum,
    last_col: ColNum,
    part: &str,
) -> Result<String, XlsxError> {
    let missing =
        || XlsxError::ParameterError(format!("the saved part {part} has no <dimension>."));
    let start = head.find("<dimension ref=\"").ok_or_else(missing)? + "<dimension ref=\"".len();
    let end = start + head[start..].find('"').ok_or_else(missing)?;
    let saved = &head[start..end];
    let (first, last) = saved.split_once(':').unwrap_or((saved, saved));
    let (saved_row, saved_col) = cell_position(last).ok_or_else(missing)?;
    let range = format!(
        "{first}:{}",
        rust_xlsxwriter::row_col_to_cell(saved_row.max(last_row), saved_col.max(last_col))
    );
    Ok(format!("{}{range}{}", &head[..start], &head[end..]))
}

/// The row and column of a cell reference such as `P1` (both from 0).
fn cell_position(cell: &str) -> Option<(RowNum, ColNum)> {
    let digits = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = cell.split_at(digits);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |col, b| col * 26 + u32::from(b - b'A') + 1);
    let row: RowNum = number.parse().ok()?;
    Some((row.checked_sub(1)?, ColNum::try_from(col - 1).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_located() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("P1"), Some((0, 15)));
        assert_eq!(cell_position("AA200001"), Some((200_000, 26)));
        assert_eq!(cell_position("1A"), None);
        assert_eq!(cell_position("A0"), None);
    }

    #[test]
    fn the_dimension_grows_to_cover_the_rows() {
        let head = r#"<worksheet><dimension ref="A1:P1"/><sheetViews>"#.to_string();
        let grown = with_dimension(head, 200_000, 15, "sheet6.xml").unwrap();
        assert_eq!(
            grown,
            r#"<worksheet><dimension ref="A1:P200001"/><sheetViews>"#
        );
        let single = r#"<dimension ref="B3"/>"#.to_string();
        assert_eq!(
            with_dimension(single, 9, 1, "s").unwrap(),
            r#"<dimension ref="B3:B10"/>"#
        );
    }

    #[test]
    fn rows_go_before_the_end_of_the_sheet_data() {
        let (head, tail) = split("<a><sheetData><row r=\"1\"/></sheetData><b/></a>", "p").unwrap();
        assert_eq!(head, "<a><sheetData><row r=\"1\"/>");
        assert_eq!(tail, "</sheetData><b/></a>");
        let (head, tail) = split("<a><sheetData/><b/></a>", "p").unwrap();
        assert_eq!(
            (head.as_str(), tail.as_str()),
            ("<a><sheetData>", "</sheetData><b/></a>")
        );
        let header = concat!(
            r#"<sheetData><row r="1" ht="45" customHeight="1"><c r="A1"/></row>"#,
            r#"<row r="1" ht="45" customHeight="1"/></sheetData>"#
        );
        let (head, _) = split(header, "p").unwrap();
        assert_eq!(
            head,
            r#"<sheetData><row r="1" ht="45" customHeight="1"><c r="A1"/></row>"#
        );
        let two = r#"<sheetData><row r="1"><c r="A1"/></row><row r="2"/></sheetData>"#;
        assert!(split(two, "p").unwrap().0.ends_with(r#"<row r="2"/>"#));
        let missing = split("<a/>", "xl/worksheets/sheet6.xml").unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("sheet6.xml has no <sheetData>"),
            "{missing}"
        );
    }
}
