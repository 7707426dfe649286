//! Puts the rows of large sheets, written by [`rows`](super::rows), into the
//! package rust_xlsxwriter saved: each sheet's part, saved with its header row,
//! columns, panes, table, conditional formats and page setup but no data rows,
//! gets the rows (with the totals row and the notes below them) after its
//! header row and a `<dimension>` that covers them; its table, saved over the
//! header, one row and its totals row, is widened to the last row; every other
//! part is copied as it is, still compressed.
//!
//! The rows are compressed as they are written, so that the sheet's XML, which
//! grows with the portfolio, is never held whole: they are made in
//! chunks on the calling thread and compressed on another, each chunk while the
//! next is made. They are compressed before the part's head is known (the head
//! holds the column widths, measured as the rows are written): the part's data
//! is the head's deflate stream, the rows', and the tail's, the first two ended
//! with a sync flush rather than a final block, which read as one stream.

use flate2::write::DeflateEncoder;
use rust_xlsxwriter::{cell_range, ColNum, RowNum, XlsxError};
use std::io::{Cursor, Read, Write};
use std::sync::mpsc;
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// A sheet part whose rows are still to be written.
pub(crate) struct Splice {
    /// The part's name in the package, `xl/worksheets/sheet6.xml`.
    pub(crate) part: String,
    /// The name of the sheet's table, saved over its header (row 0) and row 1.
    pub(crate) table: String,
    /// The table's last data row and last column.
    pub(crate) last_row: RowNum,
    pub(crate) last_col: ColNum,
    /// Whether the table has a totals row, below its last data row.
    pub(crate) totals_row: bool,
    /// The last row the rows reach, for the `<dimension>`: the table's totals
    /// row or last row, or the note's below a table cut to fit the sheet.
    pub(crate) rows_end: RowNum,
}

/// Rows compressed apart: a deflate stream ended with a sync flush, and the
/// checksum and length of the XML it holds.
pub(crate) struct CompressedRows {
    deflated: Vec<u8>,
    checksum: crc32fast::Hasher,
    len: u64,
}

/// Compresses at `level` what `write_rows` writes, on a thread of its own as it
/// comes, for [`splice`] to put into a part.
pub(crate) fn compress_rows(
    level: u32,
    write_rows: impl FnOnce(&mut dyn Write) -> Result<(), XlsxError>,
) -> Result<CompressedRows, XlsxError> {
    Ok(compressed_aside(Segment::new(level), write_rows)?.synced()?)
}

/// A deflate stream being written, with the checksum and length of its input.
struct Segment {
    encoder: DeflateEncoder<Vec<u8>>,
    checksum: crc32fast::Hasher,
    len: u64,
}

impl Segment {
    fn new(level: u32) -> Segment {
        Segment {
            encoder: DeflateEncoder::new(Vec::new(), flate2::Compression::new(level)),
            checksum: crc32fast::Hasher::new(),
            len: 0,
        }
    }

    /// The stream written so far, ended with a sync flush rather than a final
    /// block, so that another can follow it.
    fn synced(mut self) -> std::io::Result<CompressedRows> {
        self.encoder.flush()?;
        Ok(CompressedRows {
            // Taken before the encoder is dropped, which would end the stream.
            deflated: std::mem::take(self.encoder.get_mut()),
            checksum: self.checksum,
            len: self.len,
        })
    }
}

impl Write for Segment {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.encoder.write(buf)?;
        self.checksum.update(&buf[..written]);
        self.len += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.encoder.flush()
    }
}

/// `package` with each sheet's rows, compressed at `level` as rust_xlsxwriter
/// compresses the other parts, put into its part.
pub(crate) fn splice(
    package: &[u8],
    level: u32,
    sheets: Vec<(Splice, CompressedRows)>,
) -> Result<Vec<u8>, XlsxError> {
    let mut archive = ZipArchive::new(Cursor::new(package))?;
    // Each sheet's part, ready to be copied, and its table, still to be widened.
    let mut parts = Vec::with_capacity(sheets.len());
    let mut tables = Vec::with_capacity(sheets.len());
    for (splice, rows) in sheets {
        let mut saved = String::new();
        archive.by_name(&splice.part)?.read_to_string(&mut saved)?;
        let (head, tail) = split(&saved, &splice.part)?;
        let head = with_dimension(head, splice.rows_end, splice.last_col, &splice.part)?;
        let entry = part_entry(&splice.part, level, &head, rows, &tail)?;
        parts.push((
            splice.part.clone(),
            Some(ZipArchive::new(Cursor::new(entry))?),
        ));
        tables.push((splice, None::<String>));
    }

    // As rust_xlsxwriter's packager writes a part.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(i64::from(level)))
        .unix_permissions(0o600)
        .last_modified_time(DateTime::default());

    let mut spliced = ZipWriter::new(Cursor::new(Vec::with_capacity(package.len())));
    for index in 0..archive.len() {
        let name = archive
            .name_for_index(index)
            .ok_or(zip::result::ZipError::FileNotFound)??
            .into_owned();
        if let Some((_, part)) = parts.iter_mut().find(|(part, _)| *part == name) {
            if let Some(mut part) = part.take() {
                spliced.raw_copy_file(part.by_index_raw(0)?)?;
            }
            continue;
        }
        if name.starts_with("xl/tables/") && tables.iter().any(|(_, found)| found.is_none()) {
            let mut xml = String::new();
            archive.by_index(index)?.read_to_string(&mut xml)?;
            let own = tables.iter_mut().find(|(splice, found)| {
                found.is_none() && xml.contains(&format!(" name=\"{}\"", splice.table))
            });
            if let Some((splice, found)) = own {
                for (saved, full) in widened_refs(splice) {
                    xml = xml.replacen(&saved, &full, 1);
                }
                let mut part = ZipFileBuilder::new(&name, options)?;
                part.write_all(xml.as_bytes())?;
                spliced.add_prepared_file(part.finish()?)?;
                *found = Some(name);
                continue;
            }
        }
        spliced.raw_copy_file(archive.by_index_raw(index)?)?;
    }
    let missing_part = parts.iter().find(|(_, part)| part.is_some());
    let missing_table = tables.iter().find(|(_, found)| found.is_none());
    if let Some((splice, _)) = missing_table {
        return Err(XlsxError::ParameterError(format!(
            "the saved package lacks the table {} of the part {}.",
            splice.table, splice.part
        )));
    }
    if let Some((part, _)) = missing_part {
        return Err(XlsxError::ParameterError(format!(
            "the saved package lacks the part {part}."
        )));
    }
    Ok(spliced.finish()?.into_inner())
}

/// The table's `ref`s as saved, over its header, one row and its totals row if
/// it has one, each with the `ref` that reaches the last row: the table's own,
/// then its filter's, which leaves out the totals row (the same `ref` as the
/// table's without one).
fn widened_refs(splice: &Splice) -> [(String, String); 2] {
    let range = |last_row| format!("ref=\"{}\"", cell_range(0, 0, last_row, splice.last_col));
    let totals = RowNum::from(splice.totals_row);
    [
        (range(1 + totals), range(splice.last_row + totals)),
        (range(1), range(splice.last_row)),
    ]
}

/// How much of the rows' XML is handed to the compressing thread at a time.
const CHUNK: usize = 1 << 20;

/// `part` with what `write_rows` writes, which is compressed on a thread of
/// its own as it comes, in chunks.
fn compressed_aside<W: Write + Send>(
    part: W,
    write_rows: impl FnOnce(&mut dyn Write) -> Result<(), XlsxError>,
) -> Result<W, XlsxError> {
    let (full, chunks) = mpsc::sync_channel::<Vec<u8>>(2);
    let (spare, spares) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let compressing = scope.spawn(move || -> std::io::Result<W> {
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

/// A package of one entry, `name`, holding `head`, `rows` and `tail` compressed:
/// its entry is copied into the spliced package as it is. Written here because
/// the `zip` crate only adds entries it compressed itself; the fields are those
/// rust_xlsxwriter's parts have (deflated, 1980-01-01 00:00, mode 0600).
fn part_entry(
    name: &str,
    level: u32,
    head: &str,
    rows: CompressedRows,
    tail: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut head_segment = Segment::new(level);
    head_segment.write_all(head.as_bytes())?;
    let head = head_segment.synced()?;
    let mut tail_segment = Segment::new(level);
    tail_segment.write_all(tail.as_bytes())?;
    let mut checksum = head.checksum;
    checksum.combine(&rows.checksum);
    checksum.combine(&tail_segment.checksum);
    let len = head.len + rows.len + tail_segment.len;
    let mut data = head.deflated;
    data.extend_from_slice(&rows.deflated);
    data.extend_from_slice(&tail_segment.encoder.finish()?);

    let too_large = || {
        XlsxError::ParameterError(format!(
            "the part {name} would be over 4 GiB, which a package without ZIP64 cannot hold."
        ))
    };
    let compressed = u32::try_from(data.len()).map_err(|_| too_large())?;
    let len = u32::try_from(len).map_err(|_| too_large())?;
    let name_len = u16::try_from(name.len()).map_err(|_| too_large())?;
    let fields = |out: &mut Vec<u8>| {
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&8u16.to_le_bytes()); // deflated
        out.extend_from_slice(&0u16.to_le_bytes()); // 00:00:00
        out.extend_from_slice(&0x0021u16.to_le_bytes()); // 1980-01-01
        out.extend_from_slice(&checksum.clone().finalize().to_le_bytes());
        out.extend_from_slice(&compressed.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
    };
    let mut out = Vec::with_capacity(data.len() + 2 * name.len() + 128);
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    fields(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&data);
    let directory = out.len();
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by: Unix, 2.0
    fields(&mut out);
    out.extend_from_slice(&0u16.to_le_bytes()); // no comment
    out.extend_from_slice(&0u16.to_le_bytes()); // disk 0
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&(0o100_600u32 << 16).to_le_bytes()); // a file, mode 0600
    out.extend_from_slice(&0u32.to_le_bytes()); // its local header's offset
    out.extend_from_slice(name.as_bytes());
    let directory_len = (out.len() - directory) as u32;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk and the directory's
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&directory_len.to_le_bytes());
    out.extend_from_slice(&(directory as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // no comment
    Ok(out)
}

/// The part up to the end of its header row, its first, and from
/// `</sheetData>` on. What the saved part has between them is left out: the
/// totals row its table wrote and the empty copy of the header row that
/// rust_xlsxwriter 0.102 adds when it saves a constant-memory sheet whose last
/// row has a height (`<row r="1" ht="45" customHeight="1"/>`), which Excel
/// would repair; the spliced rows bring their own totals row.
fn split(xml: &str, part: &str) -> Result<(String, String), XlsxError> {
    if let Some(end) = xml.find("</sheetData>") {
        let rows = &xml[..end];
        let head = match rows.find("</row>") {
            Some(header_end) => &rows[..header_end + "</row>".len()],
            None => rows,
        };
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
        let totals = concat!(
            r#"<sheetData><row r="1"><c r="A1"/></row>"#,
            r#"<row r="3"><c r="A3"><f>SUBTOTAL(109,T[A])</f><v>0</v></c></row></sheetData>"#
        );
        let (head, _) = split(totals, "p").unwrap();
        assert_eq!(head, r#"<sheetData><row r="1"><c r="A1"/></row>"#);
        let missing = split("<a/>", "xl/worksheets/sheet6.xml").unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("sheet6.xml has no <sheetData>"),
            "{missing}"
        );
    }
}
