//! What calamine does not report of xlsb and ods sheets, read straight from the
//! package with the zip and XML readers calamine itself uses: their merged
//! regions, and the errors saved as the value of formula cells (calamine 0.38
//! gives none for xlsb and plain text for ods, where xlsx and xls give errors).
//!
//! - **xlsb**: `xl/workbook.bin` names the sheets (BrtBundleSh: state, tab id,
//!   relationship id, name), `xl/_rels/workbook.bin.rels` gives each relationship's
//!   part, and in a sheet's part every BrtMergeCell record (type 0x00B0, inside
//!   BrtBeginMergeCells) is one region: an RfX of four u32, first row, last row,
//!   first column, last column ([MS-XLSB] 2.4.662, 2.5.150). A formula whose
//!   saved value is an error (`=D8/0` saved as `#DIV/0!`) is a BrtFmlaError
//!   record (type 0x000B: the cell's column, then the error code), on the row
//!   of the BrtRowHdr before it; calamine 0.38 skips that record, so such a
//!   cell would read as empty, where xlsx and xls give the error.
//! - **ods**: a `table:table-cell` of `content.xml` with
//!   `table:number-rows-spanned` or `table:number-columns-spanned` above 1 is the
//!   top-left cell of a region. Positions are counted the way calamine counts
//!   them, so that the regions fall on the cells calamine reports: every
//!   `table:table-row` (also inside header rows and row groups) is one row, or
//!   `table:number-rows-repeated` rows; every `table:table-cell` and
//!   `table:covered-table-cell` one column, or `table:number-columns-repeated`.
//!   LibreOffice marks a formula whose result is an error with
//!   `calcext:value-type="error"` and writes the error's name as the cell's text
//!   (`#DIV/0!`), which calamine reads as text: such a cell is an error when the
//!   text is one of the seven names Excel and LibreOffice share.
//!
//! Both readers stream the part, keep nothing but what they report, and keep at
//! most [`MAX_MERGES`] regions and [`MAX_ERRORS`] error cells of a sheet; huge
//! repeat counts are only added up.

use super::Merge;
use calamine::CellErrorType;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use zip::read::ZipFile;
use zip::ZipArchive;

/// At most this many merged regions of a sheet are kept: far more than a person
/// merges by hand, few enough that looking a cell up among them stays quick.
pub const MAX_MERGES: usize = 10_000;

/// What calamine leaves out of one sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetExtras {
    /// The sheet's merged regions, at most [`MAX_MERGES`].
    pub merges: Vec<Merge>,
    /// Formula cells whose saved value is an error: (row, column), the error.
    pub errors: Vec<((u32, u32), CellErrorType)>,
}

/// What calamine leaves out, by sheet name; sheets with nothing left out are absent.
pub type Extras = HashMap<String, SheetExtras>;

/// The merged regions and formula errors of every worksheet of the xlsb
/// package `bytes`.
///
/// # Errors
/// A description of what is damaged, when the package or one of its parts
/// cannot be read.
pub fn xlsb(bytes: &[u8]) -> Result<Extras, String> {
    let mut zip = Package::open(bytes)?;
    let targets = match zip.part("xl/_rels/workbook.bin.rels")? {
        Some(part) => relationship_targets(BufReader::new(part))?,
        None => HashMap::new(),
    };
    let workbook = zip
        .part("xl/workbook.bin")?
        .ok_or("the package has no xl/workbook.bin")?;
    let sheets = bundled_sheets(BufReader::new(workbook))?;
    let mut extras = Extras::new();
    for (name, relationship) in sheets {
        let Some(target) = targets.get(&relationship) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(part) = zip.part(&path)? else {
            continue;
        };
        let sheet = xlsb_sheet(BufReader::new(part)).map_err(|e| format!("sheet '{name}': {e}"))?;
        if sheet != SheetExtras::default() {
            extras.insert(name, sheet);
        }
    }
    Ok(extras)
}

/// The merged regions of every table of the ods package `bytes`.
///
/// # Errors
/// A description of what is damaged, when the package or its `content.xml`
/// cannot be read.
pub fn ods(bytes: &[u8]) -> Result<Extras, String> {
    let mut zip = Package::open(bytes)?;
    let content = zip
        .part("content.xml")?
        .ok_or("the package has no content.xml")?;
    ods_content(BufReader::new(content))
}

/// A zip package whose parts are found by name regardless of case and of `\`
/// for `/`, as calamine finds them.
struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, String>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, String> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let names = zip
            .file_names()
            .map(|name| name.map(|name| (normalised(&name), name.into_owned())))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok(Package { zip, names })
    }

    /// The part named `name`, if the package has it.
    fn part(&mut self, name: &str) -> Result<Option<ZipFile<'_, Cursor<&'a [u8]>>>, String> {
        let Some(actual) = self.names.get(&normalised(name)) else {
            return Ok(None);
        };
        self.zip
            .by_name(actual)
            .map(Some)
            .map_err(|e| format!("{name}: {e}"))
    }
}

fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

// ---------------------------------------------------------------------------
// xlsb

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
/// The last row calamine reads cells from (it stops at a BrtRowHdr beyond it).
const LAST_XLSB_ROW: u32 = 0x0010_0000;
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

/// The merged regions and formula errors of one xlsb sheet part.
fn xlsb_sheet(reader: impl Read) -> Result<SheetExtras, String> {
    let mut records = Records::new(reader);
    let mut sheet = SheetExtras::default();
    let mut row = 0;
    let keep = |t| matches!(t, BRT_ROW_HDR | BRT_FMLA_ERROR | BRT_MERGE_CELL);
    while let Some(typ) = records.next(keep)? {
        let body = &records.body;
        let field = |i: usize| u32_at(body, 4 * i);
        match typ {
            BRT_ROW_HDR => row = field(0).ok_or("a row record (BrtRowHdr) is damaged")?,
            BRT_FMLA_ERROR if row <= LAST_XLSB_ROW => {
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

// ---------------------------------------------------------------------------
// XML parts

fn xml_reader<R: BufRead>(reader: R) -> XmlReader<R> {
    let mut xml = XmlReader::from_reader(reader);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    xml
}

/// The value of attribute `name` of `element`, unescaped.
fn attribute(element: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    let Some(attr) = element.try_get_attribute(name).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    quick_xml::escape::unescape(&attr.value)
        .map(|v| Some(v.into_owned()))
        .map_err(|e| e.to_string())
}

/// A count attribute (`table:number-rows-repeated`…): 1 when absent or unreadable.
fn count(element: &BytesStart<'_>, name: &str) -> Result<u64, String> {
    Ok(attribute(element, name)?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1))
}

/// `Id` → `Target` of every `Relationship` of a relationships part.
fn relationship_targets(reader: impl BufRead) -> Result<HashMap<String, String>, String> {
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    let mut targets = HashMap::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attribute(&e, "Id")?, attribute(&e, "Target")?) {
                    targets.insert(id, target);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(targets)
}

/// A spanned cell of the row being read: its column and how far it spans.
struct Span {
    col: u64,
    rows: u64,
    cols: u64,
}

/// An error cell of the row being read: its column, how many times it repeats
/// across, the error.
struct ErrorCell {
    col: u64,
    repeat: u64,
    error: CellErrorType,
}

/// The merged regions and error cells of every table of an ods `content.xml`.
fn ods_content(reader: impl BufRead) -> Result<Extras, String> {
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut extras = Extras::new();
    let mut table: Option<(String, SheetExtras)> = None;
    let (mut row, mut col, mut row_repeat) = (0u64, 0u64, 1u64);
    let mut spans: Vec<Span> = Vec::new();
    let mut errors: Vec<ErrorCell> = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                table = attribute(&e, "table:name")?.map(|name| (name, SheetExtras::default()));
                row = 0;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some((name, sheet)) = table.take() {
                    if sheet != SheetExtras::default() {
                        extras.insert(name, sheet);
                    }
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = count(&e, "table:number-rows-repeated")?;
                col = 0;
                spans.clear();
                errors.clear();
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(count(&e, "table:number-rows-repeated")?);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some((_, sheet)) = table.as_mut() {
                    add_spans(&mut sheet.merges, &spans, row, row_repeat);
                    add_errors(&mut sheet.errors, &errors, row, row_repeat);
                }
                row = row.saturating_add(row_repeat);
            }
            Event::Start(ref e) | Event::Empty(ref e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let repeat = count(e, "table:number-columns-repeated")?;
                if e.name().as_ref() == "table:table-cell" {
                    let rows = count(e, "table:number-rows-spanned")?;
                    let cols = count(e, "table:number-columns-spanned")?;
                    if rows > 1 || cols > 1 {
                        spans.push(Span { col, rows, cols });
                    }
                }
                let is_error = attribute(e, "calcext:value-type")?.as_deref() == Some("error");
                if matches!(event, Event::Start(_)) {
                    // Only an error cell's text matters: it names the error.
                    // Otherwise the content (text, annotations, sub-tables)
                    // holds no position of the sheet.
                    if is_error {
                        if let Some(error) = named_error(&cell_text(&mut xml, &mut inner)?) {
                            errors.push(ErrorCell { col, repeat, error });
                        }
                    } else {
                        let end = e.name().as_ref().to_string();
                        xml.read_to_end_into(quick_xml::name::QName(&end), &mut inner)
                            .map_err(|e| e.to_string())?;
                    }
                    inner.clear();
                }
                col = col.saturating_add(repeat);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match table {
        Some((name, _)) => Err(format!("content.xml ends inside the sheet '{name}'")),
        None => Ok(extras),
    }
}

/// Whether `bytes` is an ods package, as calamine tells: a zip whose `mimetype`
/// part says so.
pub fn is_ods(bytes: &[u8]) -> bool {
    const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
    let Ok(mut zip) = Package::open(bytes) else {
        return false;
    };
    let Ok(Some(mut part)) = zip.part("mimetype") else {
        return false;
    };
    let mut start = [0u8; MIMETYPE.len()];
    part.read_exact(&mut start).is_ok() && start == MIMETYPE
}

/// The text of the cell being read, up to its end tag, annotations left out.
fn cell_text<R: BufRead>(xml: &mut XmlReader<R>, buf: &mut Vec<u8>) -> Result<String, String> {
    let mut text = String::new();
    let (mut depth, mut annotation) = (0usize, None);
    loop {
        buf.clear();
        match xml.read_event_into(buf).map_err(|e| e.to_string())? {
            Event::Start(e) => {
                if e.name().as_ref() == "office:annotation" && annotation.is_none() {
                    annotation = Some(depth);
                }
                depth += 1;
            }
            Event::End(_) if depth == 0 => return Ok(text),
            Event::End(_) => {
                depth -= 1;
                if annotation == Some(depth) {
                    annotation = None;
                }
            }
            Event::Text(t) if annotation.is_none() => text.push_str(&t.xml10_content()),
            Event::Eof => return Err("content.xml ends inside a cell".into()),
            _ => {}
        }
    }
}

/// The error a spreadsheet shows as `text` (LibreOffice's own `Err:502` and the
/// like have no equivalent and stay text).
fn named_error(text: &str) -> Option<CellErrorType> {
    Some(match text.trim() {
        "#NULL!" => CellErrorType::Null,
        "#DIV/0!" => CellErrorType::Div0,
        "#VALUE!" => CellErrorType::Value,
        "#REF!" => CellErrorType::Ref,
        "#NAME?" => CellErrorType::Name,
        "#NUM!" => CellErrorType::Num,
        "#N/A" => CellErrorType::NA,
        _ => return None,
    })
}

/// At most this many error cells of an ods sheet are read as errors; beyond
/// them an error stays the text calamine gives it (still not a value).
pub const MAX_ERRORS: usize = 100_000;

/// Adds a row's error cells, once for each time the row and each cell repeat.
fn add_errors(
    cells: &mut Vec<((u32, u32), CellErrorType)>,
    errors: &[ErrorCell],
    row: u64,
    repeat: u64,
) {
    let errors: Vec<&ErrorCell> = errors
        .iter()
        .filter(|e| e.col <= u64::from(u32::MAX))
        .collect();
    if errors.is_empty() {
        return;
    }
    for k in 0..repeat {
        let Ok(row) = u32::try_from(row.saturating_add(k)) else {
            return;
        };
        for error in &errors {
            for j in 0..error.repeat {
                let Ok(col) = u32::try_from(error.col.saturating_add(j)) else {
                    break;
                };
                if cells.len() >= MAX_ERRORS {
                    return;
                }
                cells.push(((row, col), error.error.clone()));
            }
        }
    }
}

/// Adds the regions of a row's spanned cells, once for each time the row
/// repeats. A region starting beyond the largest position is left out, one
/// reaching beyond it ends there.
fn add_spans(regions: &mut Vec<Merge>, spans: &[Span], row: u64, repeat: u64) {
    const LAST: u64 = u32::MAX as u64;
    let clamp = |n: u64| n.min(LAST) as u32;
    let spans: Vec<&Span> = spans.iter().filter(|s| s.col <= LAST).collect();
    if spans.is_empty() {
        return;
    }
    for k in 0..repeat {
        let first_row = row.saturating_add(k);
        if first_row > LAST {
            return;
        }
        for span in &spans {
            if regions.len() >= MAX_MERGES {
                return;
            }
            regions.push(Merge {
                first_row: clamp(first_row),
                first_col: clamp(span.col),
                last_row: clamp(first_row.saturating_add(span.rows - 1)),
                last_col: clamp(span.col.saturating_add(span.cols - 1)),
            });
        }
    }
}

/// The tests' xlsb writer, to build packages for the unit tests.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../tests/common/xlsb.rs"]
mod xlsb_writer;

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Data;

    fn merge(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Merge {
        Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        }
    }

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
    fn a_record_cut_short_is_an_error_not_a_guess() {
        // BrtMergeCell announcing 16 bytes and holding 3.
        let part = [0xB0, 0x01, 16, 1, 2, 3];
        let err = xlsb_sheet(&part[..]).unwrap_err();
        assert_eq!(err, "record 0x00b0 is cut short");
        // A region needs 16 bytes; this one has 12.
        let part = [0xB0, 0x01, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let err = xlsb_sheet(&part[..]).unwrap_err();
        assert_eq!(err, "a merged region (BrtMergeCell) is damaged");
        // Records that end cleanly hold nothing left out.
        assert_eq!(xlsb_sheet(&[0x81, 0x01, 0][..]), Ok(SheetExtras::default()));
    }

    #[test]
    fn not_a_package_is_an_error() {
        assert!(xlsb(b"not a zip").is_err());
        assert!(ods(b"not a zip").is_err());
    }

    /// A `content.xml` with the given tables, each `(name, rows)`.
    fn content(tables: &[(&str, &str)]) -> Vec<u8> {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#,
        );
        for (name, rows) in tables {
            xml.push_str(&format!(
                r#"<table:table table:name="{name}"><table:table-column table:number-columns-repeated="5"/>{rows}</table:table>"#
            ));
        }
        xml.push_str("</office:spreadsheet></office:body></office:document-content>");
        xml.into_bytes()
    }

    #[test]
    fn ods_spans_count_repeated_and_covered_cells() {
        let rows = concat!(
            // Row 1: a title spanning five columns.
            r#"<table:table-header-rows><table:table-row><table:table-cell table:number-columns-spanned="5" office:value-type="string"><text:p>Elenco soci</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="4"/></table:table-row></table:table-header-rows>"#,
            // Rows 2–3: empty.
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>"#,
            // Row 4: two empty cells, then a label spanning rows 4–6 in column C.
            r#"<table:table-row-group><table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>Mobilità</text:p><table:table table:name="nested"/></table:table-cell><table:table-cell/></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/><table:table-cell/></table:table-row>"#,
            r#"<table:table-row><table:table-cell/><table:table-cell/><table:covered-table-cell/></table:table-row></table:table-row-group>"#,
            // Rows 7–8: the same note twice, each spanning D:E.
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/><table:table-cell table:number-columns-spanned="2"><text:p>n.d.</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"#,
            // A million empty rows, as LibreOffice writes them.
            r#"<table:table-row table:number-rows-repeated="1048568"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        );
        let extras = ods_content(&content(&[("Soci", rows), ("Vuoto", "")])[..]).unwrap();
        assert_eq!(
            extras["Soci"].merges,
            vec![
                merge(0, 0, 0, 4),
                merge(3, 2, 5, 2),
                merge(6, 3, 6, 4),
                merge(7, 3, 7, 4),
            ]
        );
        assert_eq!(extras.len(), 1, "{extras:?}");
    }

    #[test]
    fn ods_error_cells_are_named_by_their_text() {
        let error = |text: &str, extra: &str| {
            format!(
                r#"<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" calcext:value-type="error"{extra}><text:p>{text}</text:p></table:table-cell>"#
            )
        };
        let rows = [
            format!(
                r#"<table:table-row><table:table-cell/>{}<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>#N/A</text:p></table:table-cell>{}</table:table-row>"#,
                error("#DIV/0!", ""),
                error("Err:502", ""),
            ),
            format!(
                r#"<table:table-row table:number-rows-repeated="2">{}</table:table-row>"#,
                error("#N/A", r#" table:number-columns-repeated="2""#),
            ),
            r#"<table:table-row><table:table-cell calcext:value-type="error"><office:annotation><text:p>#REF!</text:p></office:annotation><text:p>#VALUE!</text:p></table:table-cell></table:table-row>"#
                .to_string(),
        ]
        .concat();
        let extras = ods_content(&content(&[("S", &rows)])[..]).unwrap();
        // A text that merely reads "#N/A" stays text, and so does LibreOffice's
        // own Err:502; an annotation does not name the error.
        assert_eq!(
            extras["S"].errors,
            vec![
                ((0, 1), CellErrorType::Div0),
                ((1, 0), CellErrorType::NA),
                ((1, 1), CellErrorType::NA),
                ((2, 0), CellErrorType::NA),
                ((2, 1), CellErrorType::NA),
                ((3, 0), CellErrorType::Value),
            ]
        );
        assert!(extras["S"].merges.is_empty());
    }

    #[test]
    fn an_ods_whose_content_ends_inside_a_sheet_is_damaged() {
        // calamine 0.38 loops for ever on such content; it must not reach it.
        let rows = "<table:table-row><table:table-cell/></table:table-row>";
        let whole = String::from_utf8(content(&[("Soci", rows)])).unwrap();
        assert!(ods_content(whole.as_bytes()).is_ok());
        // The sheet's end tag has lost its "<"; the document's are there.
        let damaged = whole.replace("</table:table>", "/table:table>");
        assert_eq!(
            ods_content(damaged.as_bytes()).unwrap_err(),
            "content.xml ends inside the sheet 'Soci'"
        );
        // The file stops in the middle of the sheet.
        let cut = &whole[..whole.find("</table:table>").unwrap()];
        assert!(ods_content(cut.as_bytes()).is_err());
    }

    #[test]
    fn ods_repeat_counts_are_added_up_not_allocated() {
        let far = concat!(
            r#"<table:table-row table:number-rows-repeated="5000000000"><table:table-cell/></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        );
        let edge = concat!(
            r#"<table:table-row table:number-rows-repeated="4294967290"/>"#,
            r#"<table:table-row table:number-rows-repeated="99999999999"><table:table-cell table:number-columns-spanned="99999999999"/></table:table-row>"#,
        );
        let many = r#"<table:table-row table:number-rows-repeated="99999999999"><table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>"#;
        let tables = [("Lontano", far), ("Bordo", edge), ("Tanti", many)];
        let extras = ods_content(&content(&tables)[..]).unwrap();
        // A region starting beyond the last position is left out, one reaching
        // beyond it ends there, and a row repeated without end adds regions
        // until the positions or the cap run out.
        assert!(!extras.contains_key("Lontano"), "{extras:?}");
        let edge = &extras["Bordo"].merges;
        assert_eq!(edge.len(), 6);
        assert_eq!(edge[0], merge(u32::MAX - 5, 0, u32::MAX - 5, u32::MAX));
        assert_eq!(edge[5], merge(u32::MAX, 0, u32::MAX, u32::MAX));
        assert_eq!(extras["Tanti"].merges.len(), MAX_MERGES);
    }
}
