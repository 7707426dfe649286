//! One worksheet part: its `<sheetData>` rows parsed on every core, and its
//! merged regions.
//!
//! The part is inflated on the calling thread and cut after a `</row>` into
//! pieces of a few MiB; the pieces are parsed by a pool of workers, each into
//! a grid of its own, and the grids are joined in the order of the pieces. A
//! row holds its absolute number (`<row r="12">`) and a cell its reference
//! (`<c r="B12">`), so a piece is read without the ones before it; a row or a
//! cell without them is placed after the one before, as calamine places it,
//! and where that one is in another piece the sheet is left to calamine.
//!
//! Memory follows the cells, not the part: what comes before `<sheetData>` and
//! after `</sheetData>` is searched as it streams, whitespace between rows is
//! dropped as it comes, and more than [`MAX_ROW_BYTES`] without the end of a
//! row is refused, as is a cell beyond a sheet's last row or column
//! ([`crate::ingest::limits`]); the first such cell of the sheet is named,
//! whichever worker finds it.

use super::strings::string_item;
use super::styles::NumberKind;
use super::xml::{
    cell_reference, decode_text, each_attribute, row_number, tag_end, unescape_excel,
};
use crate::ingest::grid::{Grid, GridBuilder};
use crate::ingest::limits::{within_sheet, Refusal, Refusals};
use crate::ingest::Merge;
use crate::money::group_thousands;
use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};
use memchr::memmem;
use std::io::{Cursor, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};

/// What every piece of a workbook's sheets is read against.
pub(crate) struct Context {
    /// The shared strings, once they are read; `None` when they cannot be.
    pub(crate) strings: OnceLock<Option<Vec<String>>>,
    /// The number kind of every cell style.
    pub(crate) kinds: Vec<NumberKind>,
    pub(crate) date_1904: bool,
    /// Where a sheet refused is recorded (with the package's own refusals).
    pub(crate) refusals: Refusals,
}

/// How much inflated XML a piece holds, at least (it ends after a `</row>`).
const PIECE: usize = 4 << 20;
/// How much is inflated at a time.
const BLOCK: usize = 1 << 20;
/// The most XML kept without the end of a row, 128 MiB: a row of a dozen
/// cells takes a few hundred bytes, one of 16,384 cells of long text a few
/// megabytes. Whitespace between rows is dropped as it comes, so it never
/// counts.
pub(crate) const MAX_ROW_BYTES: usize = 128 << 20;

/// Which worksheet a part is, for messages.
pub(crate) struct SheetPart<'a> {
    /// The sheet's name.
    pub(crate) name: &'a str,
    /// The part's name in the package.
    pub(crate) path: &'a str,
}

/// The cells and merged regions of a worksheet part; `None` when the part
/// holds something this reader leaves to calamine (or is not a worksheet), or
/// when it is refused (then recorded in the context's refusals).
///
/// Memory follows the cells: the part streams through a buffer of a few
/// pieces, whitespace between rows is dropped as it comes, and the bytes
/// before `<sheetData>` and after `</sheetData>` are searched as they stream,
/// never held whole.
pub(crate) fn read_sheet(
    mut part: impl Read,
    sheet: &SheetPart<'_>,
    context: &Context,
) -> Option<(Grid, Vec<Merge>)> {
    let mut buf = Vec::with_capacity(PIECE + BLOCK);
    let (rows_start, empty) = head(&mut part, &mut buf)?;
    if empty {
        let tail = buf.split_off(rows_start);
        return Some((Grid::default(), merges(Cursor::new(tail).chain(part))?));
    }
    buf.drain(..rows_start);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let failed = AtomicBool::new(false);
    let (pieces, queue) = mpsc::sync_channel::<(usize, Vec<u8>)>(workers * 2);
    let queue = std::sync::Arc::new(Mutex::new(queue));
    let (done, results) = mpsc::channel::<(usize, Piece)>();
    // Pieces parsed come back to be filled again: the XML of a large sheet then
    // passes through a few buffers whose pages are already mapped, instead of a
    // fresh allocation, zeroed by the kernel, for every piece.
    let (spare, spares) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let queue = queue.clone();
            let done = done.clone();
            let spare = spare.clone();
            let failed = &failed;
            scope.spawn(move || {
                let strings = context.strings.wait();
                loop {
                    let next = queue.lock().map(|q| q.recv());
                    let Ok(Ok((index, piece))) = next else {
                        return;
                    };
                    let mut beyond = None;
                    let grid = match strings {
                        Some(strings) => {
                            parse_rows(&piece, index == 0, strings, context, &mut beyond)
                        }
                        None => None,
                    };
                    let outcome = match (grid, beyond) {
                        (Some(grid), _) => Piece::Read(grid),
                        (None, Some(cell)) => Piece::Beyond(cell),
                        (None, None) => Piece::Left,
                    };
                    if !matches!(outcome, Piece::Read(_)) {
                        failed.store(true, Ordering::Relaxed);
                    }
                    let _ = spare.send(piece);
                    if done.send((index, outcome)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(queue);
        drop(done);
        drop(spare);
        let row_end = memmem::FinderRev::new(ROW_END);
        let sheet_data_end = memmem::Finder::new(SHEET_DATA_END);
        let mut index = 0;
        // How much of the start of `buf` is known to hold no `</sheetData>`,
        // and no `</row>`: each byte is searched once.
        let (mut no_end_before, mut no_row_end_before) = (0usize, 0usize);
        let tail = loop {
            if failed.load(Ordering::Relaxed) {
                break None;
            }
            let more = inflate(&mut part, &mut buf)?;
            let dropped = drop_leading_whitespace(&mut buf);
            no_end_before = no_end_before.saturating_sub(dropped);
            no_row_end_before = no_row_end_before.saturating_sub(dropped);
            let from = no_end_before.saturating_sub(SHEET_DATA_END.len() - 1);
            if let Some(end) = sheet_data_end.find(&buf[from..]).map(|at| from + at) {
                let tail = buf.split_off(end + SHEET_DATA_END.len());
                buf.truncate(end);
                pieces.send((index, buf)).ok()?;
                index += 1;
                break Some(tail);
            }
            if !more {
                return None;
            }
            no_end_before = buf.len();
            if buf.len() < PIECE {
                continue;
            }
            let from = no_row_end_before.saturating_sub(ROW_END.len() - 1);
            let Some(cut) = row_end
                .rfind(&buf[from..])
                .map(|at| from + at + ROW_END.len())
            else {
                no_row_end_before = buf.len();
                if buf.len() > MAX_ROW_BYTES {
                    context.refusals.record(row_too_long(sheet));
                    return None;
                }
                continue;
            };
            let mut next = spares
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(PIECE + 2 * BLOCK));
            next.clear();
            next.extend_from_slice(&buf[cut..]);
            drop_leading_whitespace(&mut next);
            (no_end_before, no_row_end_before) = (next.len(), next.len());
            buf.truncate(cut);
            pieces
                .send((index, std::mem::replace(&mut buf, next)))
                .ok()?;
            index += 1;
        };
        drop(pieces);
        // The merged regions stream from the rest of the part while the
        // workers parse the last pieces.
        let merges = match tail {
            Some(tail) => Some(merges(Cursor::new(tail).chain(&mut part))?),
            None => None,
        };
        let mut outcomes: Vec<Option<Piece>> = (0..index).map(|_| None).collect();
        for (at, outcome) in results.iter() {
            outcomes[at] = Some(outcome);
        }
        // The first piece not read decides: every piece before it was read,
        // so a cell beyond the sheet there is the sheet's first.
        let mut builder = GridBuilder::with_row_capacity(
            outcomes
                .iter()
                .map(|o| match o {
                    Some(Piece::Read(grid)) => grid.rows().len(),
                    _ => 0,
                })
                .sum(),
        );
        for outcome in outcomes {
            match outcome {
                Some(Piece::Read(grid)) => builder.append(grid),
                Some(Piece::Beyond((row, col))) => {
                    let refusal = Refusal::beyond_sheet(sheet.name, row, col);
                    context.refusals.record(refusal);
                    return None;
                }
                Some(Piece::Left) | None => return None,
            }
        }
        Some((builder.finish(), merges?))
    })
}

/// `</row>`, where a piece may end.
const ROW_END: &[u8] = b"</row>";
/// `</sheetData>`, where the rows end.
const SHEET_DATA_END: &[u8] = b"</sheetData>";

/// What became of a piece.
enum Piece {
    Read(Grid),
    /// A cell beyond the sheet's limits, the piece's first.
    Beyond((u32, u32)),
    /// Something this reader leaves to calamine.
    Left,
}

/// Streams the part up to its `<sheetData>` tag into `buf`, keeping only what
/// may begin the tag: where its rows start in `buf` and whether the tag closes
/// itself (no rows). `None` when the part has no rows to read here: no such
/// tag, or a comment, CDATA or instruction before it, which might hide the
/// name found (calamine's parser would see past it).
fn head(part: &mut impl Read, buf: &mut Vec<u8>) -> Option<(usize, bool)> {
    const TAG: &[u8] = b"<sheetData";
    let sheet_data = memmem::Finder::new(TAG);
    let mut instructions = 0;
    loop {
        if let Some(at) = sheet_data.find(buf) {
            let head = &buf[..at];
            let instructions = instructions + memmem::find_iter(head, b"<?").count();
            if memmem::find(head, b"<!").is_some() || instructions > 1 {
                return None;
            }
            match tag_end(buf, at + TAG.len()) {
                Some(end) => return Some(end),
                // The tag's end is yet to come (a tag is short).
                None if buf.len() - at < PIECE && inflate(part, buf)? => continue,
                None => return None,
            }
        }
        // What may begin the tag stays; a `<!` or `<?` starting before it is
        // counted now (the byte after it is searched too).
        let keep = buf.len().saturating_sub(TAG.len() - 1);
        let searched = &buf[..(keep + 1).min(buf.len())];
        if memmem::find(searched, b"<!").is_some() {
            return None;
        }
        instructions += memmem::find_iter(searched, b"<?").count();
        buf.drain(..keep);
        if !inflate(part, buf)? {
            return None;
        }
    }
}

/// Drops the whitespace at the start of `buf` (between rows, where a piece
/// starts); how many bytes it dropped.
fn drop_leading_whitespace(buf: &mut Vec<u8>) -> usize {
    let spaces = buf
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(buf.len());
    buf.drain(..spaces);
    spaces
}

/// The refusal of a sheet whose part holds more than [`MAX_ROW_BYTES`] without
/// the end of a row.
fn row_too_long(sheet: &SheetPart<'_>) -> Refusal {
    Refusal {
        sheet: Some(sheet.name.to_string()),
        ..Refusal::of_file(format!(
            "sheet '{}' holds more than {} bytes of XML without the end of a row in its part {}, far more than a row of cells takes; the file is damaged or built to exhaust memory, and is not read.",
            sheet.name,
            group_thousands(MAX_ROW_BYTES as u64, ','),
            sheet.path,
        ))
    }
}

/// Inflates the next block of the part onto `buf`; `Some(false)` at its end.
fn inflate(part: &mut impl Read, buf: &mut Vec<u8>) -> Option<bool> {
    let len = buf.len();
    buf.resize(len + BLOCK, 0);
    let mut filled = len;
    while filled < buf.len() {
        match part.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    buf.truncate(filled);
    Some(filled > len)
}

/// The merged regions in what follows `</sheetData>`, streamed.
fn merges(tail: impl Read) -> Option<Vec<Merge>> {
    crate::ingest::package::merge_cells(tail).ok()
}

/// A piece of `<sheetData>`: whole `<row>` elements. `first` says whether it is
/// the sheet's first piece, where a row without a number is the first row.
/// `None` at a cell beyond a sheet's limits too, with the cell in `beyond`.
fn parse_rows(
    xml: &[u8],
    first: bool,
    strings: &[String],
    context: &Context,
    beyond: &mut Option<(u32, u32)>,
) -> Option<Grid> {
    let mut grid = GridBuilder::default();
    // The row a cell without a reference is in, and its column, as calamine
    // counts them; unknown at the start of a later piece.
    let mut row: Option<u32> = first.then_some(0);
    let mut col: u32 = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &xml[at..]) {
        let open = at + offset;
        let (name, name_end) = tag_name(xml, open)?;
        let (after, self_closing) = tag_end(xml, name_end)?;
        let attributes = &xml[name_end..after - 1];
        at = after;
        match name {
            b"row" => {
                let mut number = None;
                each_attribute(attributes, |name, value| {
                    if name == b"r" {
                        number = Some(value);
                    }
                })?;
                if let Some(number) = number {
                    row = Some(row_number(number)?);
                }
                col = 0;
                if self_closing {
                    row = row.map(|r| r.saturating_add(1));
                }
            }
            b"/row" => {
                row = row.map(|r| r.saturating_add(1));
                col = 0;
            }
            b"c" => {
                let (mut reference, mut style, mut kind) = (None, None, None);
                each_attribute(attributes, |name, value| match name {
                    b"r" => reference = Some(value),
                    b"s" => style = Some(value),
                    b"t" => kind = Some(value),
                    _ => {}
                })?;
                let (cell_row, cell_col) = match reference {
                    Some(reference) => cell_reference(reference)?,
                    None => (row?, col),
                };
                if !within_sheet(cell_row, cell_col) {
                    *beyond = Some((cell_row, cell_col));
                    return None;
                }
                col = cell_col + 1;
                if self_closing {
                    continue;
                }
                let (value, end) = cell_value(xml, at, style, kind, strings, context)?;
                at = end;
                if !matches!(value, Data::Empty) {
                    grid.push(cell_row, cell_col, value);
                }
            }
            _ => return None,
        }
    }
    Some(grid.finish())
}

/// The name of the tag opening at `open` (with its `/` if it closes) and where
/// the name ends. Comments, CDATA and prefixed names are not read here.
fn tag_name(xml: &[u8], open: usize) -> Option<(&[u8], usize)> {
    let start = open + 1;
    let len = xml[start..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b':' | b'!' | b'?'))?;
    let len = if len == 0 && xml.get(start) == Some(&b'/') {
        1 + xml[start + 1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b':'))?
    } else {
        len
    };
    let end = start + len;
    if len == 0 || matches!(xml[end], b':' | b'!' | b'?') {
        return None;
    }
    Some((&xml[start..end], end))
}

/// The value of the cell whose children start at `at`, and where its `</c>`
/// ends. Like calamine, the last of `<v>`, `<f>` and `<is>` gives the value.
fn cell_value(
    xml: &[u8],
    mut at: usize,
    style: Option<&[u8]>,
    kind: Option<&[u8]>,
    strings: &[String],
    context: &Context,
) -> Option<(Data, usize)> {
    let mut value = Data::Empty;
    loop {
        let open = at + memchr::memchr(b'<', &xml[at..])?;
        let (name, name_end) = tag_name(xml, open)?;
        let (after, self_closing) = tag_end(xml, name_end)?;
        at = after;
        match name {
            b"/c" => return Some((value, at)),
            b"v" => {
                if self_closing {
                    // What calamine makes of an empty value: text for `str`, an
                    // error or a value this reader does not make for the others.
                    value = match kind {
                        None | Some(b"n") => Data::Empty,
                        Some(b"str") => Data::String(String::new()),
                        Some(_) => return None,
                    };
                    continue;
                }
                let end = at + memchr::memchr(b'<', &xml[at..])?;
                if !xml[end..].starts_with(b"</v>") {
                    return None;
                }
                value = typed_value(&xml[at..end], style, kind, strings, context)?;
                at = end + b"</v>".len();
            }
            b"f" => {
                value = Data::Empty;
                if !self_closing {
                    let end = at + memmem::find(&xml[at..], b"</f>")?;
                    if memchr::memchr(b'<', &xml[at..end]).is_some() {
                        return None;
                    }
                    at = end + b"</f>".len();
                }
            }
            b"is" => {
                if self_closing {
                    value = Data::String(String::new());
                    continue;
                }
                let end = at + memmem::find(&xml[at..], b"</is>")?;
                value = Data::String(string_item(&xml[at..end])?);
                at = end + b"</is>".len();
            }
            _ => return None,
        }
    }
}

/// A `<v>`'s text as the value its cell type (`t`) and style (`s`) make it.
fn typed_value(
    text: &[u8],
    style: Option<&[u8]>,
    kind: Option<&[u8]>,
    strings: &[String],
    context: &Context,
) -> Option<Data> {
    // calamine reads these types' text as it is, entities and all; a value
    // with an entity is left to it.
    let plain = || -> Option<&str> {
        (memchr::memchr(b'&', text).is_none())
            .then(|| std::str::from_utf8(text).ok())
            .flatten()
    };
    let decoded = || -> Option<String> {
        let mut out = String::new();
        decode_text(text, &mut out)?;
        Some(out)
    };
    Some(match kind {
        Some(b"s") => {
            if text.is_empty() {
                return Some(Data::Empty);
            }
            Data::String(strings.get(index(plain()?.as_bytes())?)?.clone())
        }
        Some(b"n") | None => {
            let text = plain()?;
            if text.is_empty() {
                return Some(Data::Empty);
            }
            match fast_float2::parse::<f64, _>(text.as_bytes()) {
                Ok(number) => number_value(number, style, context)?,
                Err(_) if kind.is_none() => Data::String(text.to_string()),
                Err(_) => return None,
            }
        }
        Some(b"b") => {
            let text = plain()?.trim();
            if text.is_empty() {
                Data::Empty
            } else if text == "0" || text.eq_ignore_ascii_case("false") {
                Data::Bool(false)
            } else if text == "1" || text.eq_ignore_ascii_case("true") {
                Data::Bool(true)
            } else {
                return None;
            }
        }
        Some(b"e") => Data::Error(plain()?.parse::<CellErrorType>().ok()?),
        Some(b"str") => Data::String(unescape_excel(decoded()?)),
        Some(b"d") => Data::DateTimeIso(decoded()?),
        Some(b"inlineStr" | b"is") => Data::Empty,
        Some(_) => return None,
    })
}

/// A number, or a date or duration when its style shows one.
fn number_value(number: f64, style: Option<&[u8]>, context: &Context) -> Option<Data> {
    let kind = match style {
        Some(style) => context.kinds.get(index(style)?).copied(),
        None => Some(NumberKind::Number),
    };
    let date = |kind| Data::DateTime(ExcelDateTime::new(number, kind, context.date_1904));
    Some(match kind {
        Some(NumberKind::DateTime) => date(ExcelDateTimeType::DateTime),
        Some(NumberKind::Duration) => date(ExcelDateTimeType::TimeDelta),
        _ => Data::Float(number),
    })
}

/// An index written in decimal; 0 when it is not one, as calamine reads it, and
/// `None` for one too long to be read here (calamine skips leading zeros and
/// fails on an overflow).
fn index(text: &[u8]) -> Option<usize> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Some(0);
    }
    let digits = &text[text.iter().position(|b| *b != b'0').unwrap_or(text.len())..];
    if digits.len() > 18 {
        return None;
    }
    Some(digits.iter().fold(0, |n, b| n * 10 + usize::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(kinds: Vec<NumberKind>) -> Context {
        let strings = OnceLock::new();
        strings
            .set(Some(vec!["zero".to_string(), "one".to_string()]))
            .unwrap();
        Context {
            strings,
            kinds,
            date_1904: false,
            refusals: Refusals::default(),
        }
    }

    const PART: SheetPart<'static> = SheetPart {
        name: "Soci",
        path: "xl/worksheets/sheet1.xml",
    };

    fn read(sheet: &str, kinds: Vec<NumberKind>) -> Option<(Grid, Vec<Merge>)> {
        read_sheet(sheet.as_bytes(), &PART, &context(kinds))
    }

    #[test]
    fn every_cell_type_is_read() {
        let sheet = r#"<worksheet><dimension ref="A1:H2"/><sheetData>
            <row r="1" spans="1:8"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>2.5</v></c>
            <c r="C1" s="1"><v>45000</v></c><c r="D1" t="b"><v>1</v></c>
            <c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="str"><f>A1&amp;"x"</f><v>one&amp;x</v></c>
            <c r="G1" t="inlineStr"><is><t>inline</t></is></c><c r="H1" s="3"/></row>
            <row r="3"><c t="s"><v>0</v></c><c><v>abc</v></c><c r="E3"><f>1/0</f></c></row>
            </sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;
        let (grid, merges) = read(sheet, vec![NumberKind::Number, NumberKind::DateTime]).unwrap();
        let date = Data::DateTime(ExcelDateTime::new(
            45000.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(grid.get(0, 0), Some(&Data::String("one".into())));
        assert_eq!(grid.get(0, 1), Some(&Data::Float(2.5)));
        assert_eq!(grid.get(0, 2), Some(&date));
        assert_eq!(grid.get(0, 3), Some(&Data::Bool(true)));
        assert_eq!(grid.get(0, 4), Some(&Data::Error(CellErrorType::Div0)));
        assert_eq!(grid.get(0, 5), Some(&Data::String("one&x".into())));
        assert_eq!(grid.get(0, 6), Some(&Data::String("inline".into())));
        assert_eq!(grid.get(2, 0), Some(&Data::String("zero".into())));
        assert_eq!(grid.get(2, 1), Some(&Data::String("abc".into())));
        assert_eq!(grid.cell_count(), 9);
        assert_eq!(merges.len(), 1);
    }

    #[test]
    fn a_large_sheet_is_read_in_pieces_in_order() {
        let mut sheet = String::from("<worksheet><sheetData>");
        for r in 1..=200_000 {
            sheet.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{}</v></c><c r=\"B{r}\"><v>{r}</v></c></row>",
                r % 2
            ));
        }
        sheet.push_str("</sheetData></worksheet>");
        assert!(sheet.len() > 3 * PIECE);
        let (grid, _) = read(&sheet, vec![]).unwrap();
        assert_eq!(grid.rows().len(), 200_000);
        for (i, row) in grid.rows().iter().enumerate() {
            assert_eq!(row.row, i as u32);
            assert_eq!(row.get(1), Some(&Data::Float(i as f64 + 1.0)));
        }
    }

    /// Reads `sheet`, with the refusal it recorded.
    fn read_refused(sheet: impl Read) -> (Option<(Grid, Vec<Merge>)>, Option<Refusal>) {
        let context = context(vec![]);
        let read = read_sheet(sheet, &PART, &context);
        (read, context.refusals.first())
    }

    #[test]
    fn whitespace_between_rows_streams_through() {
        // More whitespace between the rows than a row may take: were it held,
        // the sheet would be refused. Around the rows it is searched as it
        // streams, a `<sheetData` and a merged region cut by the blocks.
        let spaces = |n: usize| std::io::repeat(b' ').take(n as u64);
        let sheet = (&b"<worksheet>"[..])
            .chain(spaces(3 * BLOCK - 5))
            .chain(&b"<sheetData>"[..])
            .chain(spaces(MAX_ROW_BYTES + 1))
            .chain(&br#"<row r="1"><c r="A1"><v>1</v></c></row>"#[..])
            .chain(spaces(MAX_ROW_BYTES + 1))
            .chain(&b"<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>\n</sheetData>"[..])
            .chain(spaces(CHUNK_OF_MERGES))
            .chain(&br#"<mergeCells><mergeCell ref="A1:A2"/></mergeCells></worksheet>"#[..]);
        let (read, refusal) = read_refused(sheet);
        assert_eq!(refusal, None);
        let (grid, merges) = read.unwrap();
        assert_eq!(grid.get(0, 0), Some(&Data::Float(1.0)));
        assert_eq!(grid.get(1, 0), Some(&Data::Float(2.0)));
        assert_eq!(merges.len(), 1);
        // A comment far into the head is still seen, even cut by a block.
        let comment = (&b"<worksheet>"[..])
            .chain(spaces(BLOCK - 1 - b"<worksheet>".len()))
            .chain(&br#"<!-- x --><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#[..]);
        assert_eq!(read_refused(comment), (None, None));
    }

    /// A merged region 64 KiB into the tail is cut by the merge scan's chunks.
    const CHUNK_OF_MERGES: usize = (1 << 16) - 10;

    #[test]
    fn a_row_longer_than_a_row_can_be_is_refused() {
        let sheet = (&br#"<worksheet><sheetData><row r="7"><c r="A7"><v>1</v></c>"#[..])
            .chain(std::io::repeat(b' ').take((MAX_ROW_BYTES + BLOCK) as u64))
            .chain(&b"</row></sheetData></worksheet>"[..]);
        let (read, refusal) = read_refused(sheet);
        assert!(read.is_none());
        assert_eq!(
            refusal.unwrap().into_error("in.xlsx").to_string(),
            "in.xlsx:Soci: cannot open the workbook: sheet 'Soci' holds more than 134,217,728 bytes of XML without the end of a row in its part xl/worksheets/sheet1.xml, far more than a row of cells takes; the file is damaged or built to exhaust memory, and is not read."
        );
    }

    #[test]
    fn the_first_cell_beyond_the_sheet_is_refused_whatever_the_piece() {
        let mut sheet = String::from("<worksheet><sheetData>");
        for r in 1..=200_000 {
            sheet.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c></row>"
            ));
        }
        // Beyond the last row, the first without a reference in its row.
        let beyond =
            r#"<row r="1048577"><c><v>1</v></c></row><row><c r="B1048578"><v>2</v></c></row>"#;
        let (read, refusal) =
            read_refused(format!("{sheet}{beyond}</sheetData></worksheet>").as_bytes());
        assert!(read.is_none());
        assert_eq!(refusal, Some(Refusal::beyond_sheet("Soci", 1_048_576, 0)));
        // Beyond the last column, in the first piece, an empty cell too.
        let wide = r#"<worksheet><sheetData><row r="1"><c r="XFD1"><v>1</v></c><c r="XFE1"/></row></sheetData></worksheet>"#;
        assert_eq!(
            read_refused(wide.as_bytes()).1,
            Some(Refusal::beyond_sheet("Soci", 0, 16_384))
        );
        // The last row and column are the sheet's.
        let corner = r#"<worksheet><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
        let (read, refusal) = read_refused(corner.as_bytes());
        assert_eq!(refusal, None);
        assert_eq!(
            read.unwrap().0.get(1_048_575, 16_383),
            Some(&Data::Float(1.0))
        );
    }

    #[test]
    fn what_is_left_to_calamine() {
        let kinds = || vec![NumberKind::Number];
        for sheet in [
            "<worksheet><x:sheetData></x:sheetData></worksheet>",
            "<worksheet><sheetData><x:row r=\"1\"/></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"q\"><v>7</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><!-- x --></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v>",
            // A name in a comment, or an end tag with a space before its `>`.
            "<worksheet><!-- <sheetData/> --><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is ></c><c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c></row></sheetData></worksheet>",
            // Indices too long to read, and empty values calamine reads otherwise.
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1000000000000000000</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" s=\"10000000000000000000\"><v>1</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"d\"><v/></c></row></sheetData></worksheet>",
        ] {
            assert!(read(sheet, kinds()).is_none(), "{sheet}");
        }
        let zeros = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0000000000000000000001</v></c><c r=\"B1\" t=\"str\"><v/></c></row></sheetData></worksheet>";
        let (grid, _) = read(zeros, kinds()).unwrap();
        assert_eq!(grid.get(0, 0), Some(&Data::String("one".into())));
        assert_eq!(grid.get(0, 1), None, "an empty text is no value");
        let empty = "<worksheet><sheetData/><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells></worksheet>";
        let (grid, merges) = read(empty, kinds()).unwrap();
        assert!(grid.is_empty());
        assert_eq!(merges.len(), 1);
    }
}
