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
//! What comes before `<sheetData>` is read by calamine's XML reader, as
//! calamine reads it; the rows are read only where they are well-formed (one
//! row open at a time, each end tag ending the element open, attributes
//! quoted, closed and given once, UTF-8 throughout), and the sheet is left to
//! calamine otherwise.
//!
//! Memory follows the cells, not the part: what comes before `<sheetData>` and
//! after `</sheetData>` is read as it streams, whitespace between rows is
//! dropped as it comes, and more than [`MAX_ROW_BYTES`] without the end of a
//! row is refused, as is a cell beyond a sheet's last row or column
//! ([`crate::ingest::limits`]); the first such cell of the sheet is named,
//! whichever worker finds it.

use super::strings::string_item;
use super::styles::NumberKind;
use super::xml::{
    attributes_well_formed, bare_end, cell_reference, decode_text, each_attribute, row_number,
    tag_end, unescape_excel,
};
use crate::ingest::grid::{Grid, GridBuilder};
use crate::ingest::limits::{within_sheet, Refusal, Refusals};
use crate::ingest::Merge;
use crate::money::group_thousands;
use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};
use memchr::memmem;
use quick_xml::events::Event;
use std::io::{BufReader, Cursor, Read};
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
    part: impl Read,
    sheet: &SheetPart<'_>,
    context: &Context,
) -> Option<(Grid, Vec<Merge>)> {
    let (mut part, empty) = head(part)?;
    if empty {
        return Some((Grid::default(), merges(part)?));
    }
    let mut buf = Vec::with_capacity(PIECE + BLOCK);
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

/// Reads the part up to its `<sheetData>` start tag with the XML reader
/// calamine reads it with, configured as calamine configures it, and checks
/// what calamine checks there: the XML up to the tag (an XML declaration or
/// a tag not closed, an end tag that ends nothing) and a `<dimension>`'s
/// range. Gives the rest of the part, from just after the tag, and whether
/// the tag closes itself (no rows). `None` when calamine would refuse the
/// head or reads what this reader does not: no such tag, a prefixed one, a
/// dimension without a plain range.
fn head<R: Read>(part: R) -> Option<(BufReader<R>, bool)> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(BLOCK, part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let (element, empty) = match xml.read_event_into(&mut buf).ok()? {
            Event::Start(element) => (element, false),
            Event::Empty(element) => (element, true),
            Event::Eof => return None,
            _ => continue,
        };
        match element.local_name().as_ref() {
            "dimension" => dimension(element.attributes_raw().as_bytes())?,
            "sheetData" if element.name().as_ref() == "sheetData" => {
                return Some((xml.into_inner(), empty));
            }
            "sheetData" => return None,
            _ => {}
        }
    }
}

/// Checks the attributes of a `<dimension>` as calamine reads them: its first
/// `ref` must be a cell (`A1`) or a range whose end is not before its start.
fn dimension(attributes: &[u8]) -> Option<()> {
    let mut range = None;
    each_attribute(attributes, |name, value| {
        if name == b"ref" && range.is_none() {
            range = Some(value);
        }
    })?;
    let mut corners = range?.split(|b| *b == b':');
    let start = cell_reference(corners.next()?)?;
    if let Some(end) = corners.next() {
        let end = cell_reference(end)?;
        if end.0 < start.0 || end.1 < start.1 {
            return None;
        }
    }
    corners.next().is_none().then_some(())
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
    // calamine's XML reader refuses bytes that are not UTF-8 anywhere up to
    // `</sheetData>`, where this reader only decodes the values it keeps.
    std::str::from_utf8(xml).ok()?;
    let mut grid = GridBuilder::default();
    // The row a cell without a reference is in, and its column, as calamine
    // counts them; unknown at the start of a later piece.
    let mut row: Option<u32> = first.then_some(0);
    let mut col: u32 = 0;
    // Whether a `<row>` is open: a piece starts and ends between rows.
    let mut in_row = false;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &xml[at..]) {
        let open = at + offset;
        let (name, name_end) = tag_name(xml, open)?;
        let (after, self_closing) = tag_end(xml, name_end)?;
        let attributes = &xml[name_end..after - 1];
        at = after;
        match name {
            b"row" => {
                if in_row {
                    return None;
                }
                let mut number = None;
                let mut twice = false;
                each_attribute(attributes, |name, value| {
                    if name == b"r" {
                        twice |= number.replace(value).is_some();
                    }
                })?;
                if twice {
                    return None;
                }
                if let Some(number) = number {
                    row = Some(row_number(number)?);
                }
                col = 0;
                if self_closing {
                    row = row.map(|r| r.saturating_add(1));
                } else {
                    in_row = true;
                }
            }
            b"/row" => {
                if !in_row || !bare_end(attributes) {
                    return None;
                }
                in_row = false;
                row = row.map(|r| r.saturating_add(1));
                col = 0;
            }
            b"c" => {
                if !in_row {
                    return None;
                }
                let (mut reference, mut style, mut kind) = (None, None, None);
                let mut twice = false;
                each_attribute(attributes, |name, value| {
                    let slot = match name {
                        b"r" => &mut reference,
                        b"s" => &mut style,
                        b"t" => &mut kind,
                        _ => return,
                    };
                    twice |= slot.replace(value).is_some();
                })?;
                if twice {
                    return None;
                }
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
    (!in_row).then(|| grid.finish())
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
        let attributes = &xml[name_end..after - 1];
        at = after;
        let well_formed = match name {
            b"/c" => bare_end(attributes),
            _ => attributes_well_formed(attributes),
        };
        if !well_formed {
            return None;
        }
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
        // A comment far into the head, cut by a block, is passed over as
        // calamine's XML reader passes over it, a `<sheetData>` in it too.
        let comment = (&b"<worksheet>"[..])
            .chain(spaces(BLOCK - 1 - b"<worksheet>".len()))
            .chain(&br#"<!-- <sheetData/> --><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#[..]);
        let (read, refusal) = read_refused(comment);
        assert_eq!(refusal, None);
        assert_eq!(read.unwrap().0.get(0, 0), Some(&Data::Float(1.0)));
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

    /// A sheet whose rows are `rows`, after the head `head`.
    fn sheet_of(head: &str, rows: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<worksheet>{head}<sheetData>{rows}</sheetData></worksheet>"
        )
    }

    #[test]
    fn damaged_xml_is_left_to_calamine() {
        let kinds = || vec![NumberKind::Number];
        let row = r#"<row r="1"><c r="A1"><v>1</v></c></row>"#;
        assert!(read(&sheet_of("", row), kinds()).is_some());
        let unread = [
            // The XML declaration not closed, which calamine's reader refuses.
            format!("<?xml version=\"1.0\" \n<worksheet><sheetData>{row}</sheetData></worksheet>"),
            // Before the rows: a close tag that matches no open tag, a
            // dimension calamine cannot read or reads backwards.
            sheet_of("</sheetPr></sheetViews>", row),
            sheet_of(r#"<dimension ref="1:4"/>"#, row),
            sheet_of(r#"<dimension ref="B2:A1"/>"#, row),
            sheet_of(r#"<dimension ref="A1" ref="1:4"/>"#, row).replace(r#" ref="A1""#, ""),
            sheet_of("<dimension/>", row),
            // An attribute value not closed, or not quoted.
            sheet_of("", r#"<row r="1"><c r="A1 t="s"><v>0</v></c></row>"#),
            sheet_of("", r#"<row r="1"><c r=A1><v>0</v></c></row>"#),
            // Attributes that go on after a `/`, or come twice.
            sheet_of("", r#"<row r="1"><c r="A1"/t="s"><v>1</v></c></row>"#),
            sheet_of(
                "",
                r#"<row r="1"><c r="A1" s="1" r="B1" t="s"><v>0</v></c></row>"#,
            ),
            sheet_of("", r#"<row r="1" r="2"><c><v>1</v></c></row>"#),
            sheet_of(
                "",
                r#"<row r="1"><c r="A1"><f t="shared" /x>1</f><v>1</v></c></row>"#,
            ),
            // Close tags that end no open element, or another one.
            sheet_of("", r#"</row><row r="1"><c r="A1"><v>1</v></c></row>"#),
            sheet_of("", r#"<row r="1"><c r="A1"><v>1</v></c></row></row>"#),
            sheet_of("", r#"<row r="1"><c r="A1"><v>1</v></c x></row>"#),
            sheet_of("", r#"<row r="1"><c r="A1"><v>1</v></c></rowq>"#),
            sheet_of(
                "",
                r#"<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></is></c></row>"#,
            ),
            // Elements not where they belong: a row in a row, a cell outside
            // one, a row left open at the end of the rows.
            sheet_of(
                "",
                r#"<row r="1"><row r="2"><c r="A2"><v>1</v></c></row></row>"#,
            ),
            sheet_of("", r#"<c r="A1"><v>1</v></c>"#),
            sheet_of("", r#"<row r="1"><c r="A1"><v>1</v></c>"#),
        ];
        for sheet in unread {
            assert!(read(&sheet, kinds()).is_none(), "{sheet}");
        }
        // A byte that is not UTF-8 in an attribute this reader passes over.
        let mut bytes =
            sheet_of("", r#"<row r="1" spans="1:1"><c r="A1"><v>1</v></c></row>"#).into_bytes();
        let at = memmem::find(&bytes, b"1:1").unwrap();
        bytes[at] = 0xC3;
        assert!(read_sheet(bytes.as_slice(), &PART, &context(kinds())).is_none());
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
            // An end tag with a space before its `>`.
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
