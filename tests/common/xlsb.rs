//! A small xlsb writer for tests: nothing on the development machine writes the
//! Excel binary workbook format (LibreOffice reads it but cannot save it), and
//! files from public repositories may not be committed, so the tests write their
//! own.
//!
//! It writes the parts a reader needs, with the records laid out as [MS-XLSB]
//! describes them:
//!
//! - `[Content_Types].xml`, `_rels/.rels`, `xl/_rels/workbook.bin.rels`;
//! - `xl/workbook.bin`: BrtBeginBook, BrtWbProp (the 1904 date system flag),
//!   BrtBeginBundleShs, one BrtBundleSh per sheet, BrtEndBundleShs, BrtEndBook;
//! - `xl/sharedStrings.bin`: BrtBeginSst, one BrtSSTItem per distinct text,
//!   BrtEndSst;
//! - `xl/styles.bin`: one custom number format (`dd/mm/yyyy`, id 164) in
//!   BrtBeginFmts/BrtFmt, and two cell formats in BrtBeginCellXFs/BrtXF: 0 is
//!   General, 1 the date format;
//! - `xl/worksheets/sheetN.bin`: BrtBeginSheet, BrtWsDim, BrtBeginSheetData, for
//!   each row a BrtRowHdr and its cells (BrtCellIsst or BrtCellSt for text,
//!   BrtCellRk when the number fits an RK number, BrtCellReal otherwise,
//!   BrtCellBool, BrtCellError), BrtEndSheetData, then the merged regions as
//!   BrtMergeCell records inside BrtBeginMergeCells/BrtEndMergeCells, BrtEndSheet.
//!
//! A record is its type (7 bits a byte, at most two bytes), its length (7 bits a
//! byte, at most four bytes) and its body; integers are little-endian and text
//! is UTF-16LE after a 32-bit count of code units (XLWideString).
//!
//! Only what the tests need is written (no fonts, fills, borders or views). The
//! output was checked by hand with pyxlsb 1.0.10 (cells, formula values; it
//! reads no inline text) and is checked by `tests/integration/xlsb_ods.rs` with
//! calamine's range reader and with LibreOffice, which opens it and saves it as
//! xlsx with the same cells, date format, formula values and merged regions.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The style index of date cells (the second BrtXF of `styles.bin`).
const DATE_STYLE: u32 = 1;

/// A cell's value, and the record that holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text in the shared string table (BrtCellIsst).
    Text(String),
    /// Text written in the cell itself (BrtCellSt).
    InlineText(String),
    /// A number (BrtCellRk when an RK number holds it exactly, else BrtCellReal).
    Number(f64),
    /// A date serial in the workbook's date system, with the date format.
    Date(f64),
    Bool(bool),
    /// An error code of [MS-XLSB] 2.5.97.2 BErr: 0x07 `#DIV/0!`, 0x2A `#N/A`…
    Error(u8),
    /// A formula and the value Excel saved with it (BrtFmlaNum, BrtFmlaString,
    /// BrtFmlaBool, BrtFmlaError). The formula is the value itself (`=12.5`,
    /// `=#DIV/0!`): readers take the saved value, not the formula.
    Formula(Box<Value>),
}

/// One worksheet: its cells and merged regions.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    cells: BTreeMap<(u32, u32), Value>,
    /// (first row, first column, last row, last column), 0-based, inclusive.
    merges: Vec<(u32, u32, u32, u32)>,
}

impl Sheet {
    /// Puts `value` at 0-based `(row, col)`.
    pub fn set(&mut self, row: u32, col: u32, value: Value) -> &mut Sheet {
        self.cells.insert((row, col), value);
        self
    }

    /// Text from the shared string table.
    pub fn text(&mut self, row: u32, col: u32, text: &str) -> &mut Sheet {
        self.set(row, col, Value::Text(text.to_string()))
    }

    pub fn number(&mut self, row: u32, col: u32, number: f64) -> &mut Sheet {
        self.set(row, col, Value::Number(number))
    }

    /// A date cell for `yyyy-mm-dd` in the 1900 date system.
    pub fn date(&mut self, row: u32, col: u32, iso: &str) -> &mut Sheet {
        let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("a yyyy-mm-dd date");
        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
        let serial = (date - epoch).num_days() as f64;
        self.set(row, col, Value::Date(serial))
    }

    /// An error cell: `#NULL!`, `#DIV/0!`, `#VALUE!`, `#REF!`, `#NAME?`, `#NUM!`
    /// or `#N/A`.
    pub fn error(&mut self, row: u32, col: u32, error: &str) -> &mut Sheet {
        let code = match error {
            "#NULL!" => 0x00,
            "#DIV/0!" => 0x07,
            "#VALUE!" => 0x0F,
            "#REF!" => 0x17,
            "#NAME?" => 0x1D,
            "#NUM!" => 0x24,
            "#N/A" => 0x2A,
            other => panic!("{other} is not a cell error"),
        };
        self.set(row, col, Value::Error(code))
    }

    /// A formula cell whose saved value is `value` (a number, text, boolean or
    /// error; see [`Value::Formula`]).
    pub fn formula(&mut self, row: u32, col: u32, value: Value) -> &mut Sheet {
        self.set(row, col, Value::Formula(Box::new(value)))
    }

    /// Merges the region from `(first_row, first_col)` to `(last_row, last_col)`.
    pub fn merge(
        &mut self,
        first_row: u32,
        first_col: u32,
        last_row: u32,
        last_col: u32,
    ) -> &mut Sheet {
        self.merges.push((first_row, first_col, last_row, last_col));
        self
    }
}

/// A workbook to write as xlsb.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    sheets: Vec<Sheet>,
    /// Whether date serials count from 1904 (BrtWbProp f1904).
    pub date_1904: bool,
}

impl Workbook {
    pub fn new() -> Workbook {
        Workbook::default()
    }

    /// Adds a worksheet named `name` and returns it.
    pub fn sheet(&mut self, name: &str) -> &mut Sheet {
        self.sheets.push(Sheet {
            name: name.to_string(),
            ..Sheet::default()
        });
        self.sheets.last_mut().unwrap()
    }

    /// Writes the workbook to `path`.
    pub fn save(&self, path: &Path) {
        std::fs::write(path, self.to_bytes()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// The xlsb package.
    pub fn to_bytes(&self) -> Vec<u8> {
        let strings = SharedStrings::of(&self.sheets);
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            (
                "[Content_Types].xml".into(),
                self.content_types().into_bytes(),
            ),
            ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
            ("xl/workbook.bin".into(), self.workbook_bin()),
            (
                "xl/_rels/workbook.bin.rels".into(),
                self.workbook_rels().into_bytes(),
            ),
            ("xl/styles.bin".into(), styles_bin()),
            ("xl/sharedStrings.bin".into(), strings.to_bin()),
        ];
        for (i, sheet) in self.sheets.iter().enumerate() {
            parts.push((
                format!("xl/worksheets/sheet{}.bin", i + 1),
                sheet_bin(sheet, &strings),
            ));
        }
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(&bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn content_types(&self) -> String {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>"#,
        );
        for i in 1..=self.sheets.len() {
            xml.push_str(&format!(
                r#"<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#
            ));
        }
        xml.push_str("</Types>");
        xml
    }

    fn workbook_rels(&self) -> String {
        const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for i in 1..=self.sheets.len() {
            xml.push_str(&format!(
                r#"<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.bin"/>"#
            ));
        }
        let n = self.sheets.len();
        xml.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL}/styles" Target="styles.bin"/><Relationship Id="rId{}" Type="{REL}/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#,
            n + 1,
            n + 2
        ));
        xml
    }

    fn workbook_bin(&self) -> Vec<u8> {
        let mut out = Vec::new();
        record(&mut out, 0x0083, &[]); // BrtBeginBook
        let mut props = Body::default();
        props.u32(u32::from(self.date_1904)); // f1904 is bit 0 of the flags
        props.u32(0); // brtcolorTab
        props.wide_str(""); // strName
        record(&mut out, 0x0099, &props.0); // BrtWbProp
        record(&mut out, 0x008F, &[]); // BrtBeginBundleShs
        for (i, sheet) in self.sheets.iter().enumerate() {
            let mut body = Body::default();
            body.u32(0); // hsState: visible
            body.u32(i as u32 + 1); // iTabID
            body.wide_str(&format!("rId{}", i + 1)); // strRelID
            body.wide_str(&sheet.name); // strName
            record(&mut out, 0x009C, &body.0); // BrtBundleSh
        }
        record(&mut out, 0x0090, &[]); // BrtEndBundleShs
        record(&mut out, 0x0084, &[]); // BrtEndBook
        out
    }
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;

/// The distinct texts of `Value::Text` cells, in order of first use.
struct SharedStrings {
    index: BTreeMap<String, u32>,
    order: Vec<String>,
    uses: u32,
}

impl SharedStrings {
    fn of(sheets: &[Sheet]) -> SharedStrings {
        let mut strings = SharedStrings {
            index: BTreeMap::new(),
            order: Vec::new(),
            uses: 0,
        };
        for value in sheets.iter().flat_map(|s| s.cells.values()) {
            if let Value::Text(text) = value {
                strings.uses += 1;
                if !strings.index.contains_key(text) {
                    strings
                        .index
                        .insert(text.clone(), strings.order.len() as u32);
                    strings.order.push(text.clone());
                }
            }
        }
        strings
    }

    fn to_bin(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut begin = Body::default();
        begin.u32(self.uses); // cstTotal
        begin.u32(self.order.len() as u32); // cstUnique
        record(&mut out, 0x009F, &begin.0); // BrtBeginSst
        for text in &self.order {
            let mut item = Body::default();
            item.u8(0); // neither rich text nor phonetic runs
            item.wide_str(text);
            record(&mut out, 0x0013, &item.0); // BrtSSTItem
        }
        record(&mut out, 0x00A0, &[]); // BrtEndSst
        out
    }
}

/// Number formats: General (built-in 0) and `dd/mm/yyyy` (custom 164).
fn styles_bin() -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0116, &[]); // BrtBeginStyleSheet
    let mut count = Body::default();
    count.u32(1);
    record(&mut out, 0x0267, &count.0); // BrtBeginFmts
    let mut format = Body::default();
    format.u16(164); // ifmt
    format.wide_str("dd/mm/yyyy"); // stFmtCode
    record(&mut out, 0x002C, &format.0); // BrtFmt
    record(&mut out, 0x0268, &[]); // BrtEndFmts
    let mut count = Body::default();
    count.u32(2);
    record(&mut out, 0x0269, &count.0); // BrtBeginCellXFs
    for number_format in [0u16, 164] {
        let mut xf = Body::default();
        xf.u16(0); // ixfeParent
        xf.u16(number_format); // iFmt
        xf.u16(0); // iFont
        xf.u16(0); // iFill
        xf.u16(0); // ixBorder
        xf.u8(0); // trot
        xf.u8(0); // indent
        xf.u16(0); // alignment and protection flags
        xf.u8(u8::from(number_format != 0)); // xfGrbitAtr: fAtrNum, its own number format
        xf.u8(0); // unused
        record(&mut out, 0x002F, &xf.0); // BrtXF
    }
    record(&mut out, 0x026A, &[]); // BrtEndCellXFs
    record(&mut out, 0x0117, &[]); // BrtEndStyleSheet
    out
}

fn sheet_bin(sheet: &Sheet, strings: &SharedStrings) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0081, &[]); // BrtBeginSheet
    let positions = || sheet.cells.keys();
    let mut dim = Body::default();
    dim.u32(positions().map(|p| p.0).min().unwrap_or(0)); // rwFirst
    dim.u32(positions().map(|p| p.0).max().unwrap_or(0)); // rwLast
    dim.u32(positions().map(|p| p.1).min().unwrap_or(0)); // colFirst
    dim.u32(positions().map(|p| p.1).max().unwrap_or(0)); // colLast
    record(&mut out, 0x0094, &dim.0); // BrtWsDim
    record(&mut out, 0x0091, &[]); // BrtBeginSheetData
    let mut rows: BTreeMap<u32, Vec<(u32, &Value)>> = BTreeMap::new();
    for (&(row, col), value) in &sheet.cells {
        rows.entry(row).or_default().push((col, value));
    }
    for (row, cells) in rows {
        record(&mut out, 0x0000, &row_header(row, &cells)); // BrtRowHdr
        for (col, value) in cells {
            let (typ, body) = cell(col, value, strings);
            record(&mut out, typ, &body);
        }
    }
    record(&mut out, 0x0092, &[]); // BrtEndSheetData
    if !sheet.merges.is_empty() {
        let mut count = Body::default();
        count.u32(sheet.merges.len() as u32);
        record(&mut out, 0x00B1, &count.0); // BrtBeginMergeCells
        for &(first_row, first_col, last_row, last_col) in &sheet.merges {
            let mut rfx = Body::default();
            rfx.u32(first_row);
            rfx.u32(last_row);
            rfx.u32(first_col);
            rfx.u32(last_col);
            record(&mut out, 0x00B0, &rfx.0); // BrtMergeCell
        }
        record(&mut out, 0x00B2, &[]); // BrtEndMergeCells
    }
    record(&mut out, 0x0082, &[]); // BrtEndSheet
    out
}

/// BrtRowHdr: the row, its format and height, and the span of its cells.
fn row_header(row: u32, cells: &[(u32, &Value)]) -> Vec<u8> {
    let mut body = Body::default();
    body.u32(row); // rw
    body.u32(0); // ixfe
    body.u16(300); // miyRw: 15 points, in twips
    body.u8(0); // fExtraAsc, fExtraDsc
    body.u8(0); // iOutLevel, fCollapsed, fDyZero, fUnsynced, fGhostDirty
    body.u8(0); // fPhShow
    body.u32(1); // ccolspan
    body.u32(cells.first().map_or(0, |c| c.0)); // colMic
    body.u32(cells.last().map_or(0, |c| c.0)); // colLast
    body.0
}

/// The record type and body of one cell.
fn cell(col: u32, value: &Value, strings: &SharedStrings) -> (u16, Vec<u8>) {
    let mut body = Body::default();
    body.u32(col);
    let style = if matches!(value, Value::Date(_)) {
        DATE_STYLE
    } else {
        0
    };
    body.u32(style & 0x00FF_FFFF); // iStyleRef (24 bits), fPhShow
    let typ = match value {
        Value::Text(text) => {
            body.u32(strings.index[text]);
            0x0007 // BrtCellIsst
        }
        Value::InlineText(text) => {
            body.wide_str(text);
            0x0006 // BrtCellSt
        }
        Value::Number(n) | Value::Date(n) => match rk_number(*n) {
            Some(rk) => {
                body.u32(rk);
                0x0002 // BrtCellRk
            }
            None => {
                body.0.extend_from_slice(&n.to_le_bytes());
                0x0005 // BrtCellReal
            }
        },
        Value::Bool(b) => {
            body.u8(u8::from(*b));
            0x0004 // BrtCellBool
        }
        Value::Error(code) => {
            body.u8(*code);
            0x0003 // BrtCellError
        }
        Value::Formula(value) => return formula(body, value),
    };
    (typ, body.0)
}

/// A formula cell: the saved value, grbitFlags, and a CellParsedFormula whose
/// single token is that value (PtgNum, PtgStr, PtgBool or PtgErr).
fn formula(mut body: Body, value: &Value) -> (u16, Vec<u8>) {
    let mut rgce = Body::default();
    let typ = match value {
        Value::Number(n) | Value::Date(n) => {
            body.0.extend_from_slice(&n.to_le_bytes());
            rgce.u8(0x1F);
            rgce.0.extend_from_slice(&n.to_le_bytes());
            0x0009 // BrtFmlaNum
        }
        Value::Text(text) | Value::InlineText(text) => {
            body.wide_str(text);
            let units: Vec<u16> = text.encode_utf16().collect();
            rgce.u8(0x17);
            rgce.u16(units.len() as u16);
            units.into_iter().for_each(|u| rgce.u16(u));
            0x0008 // BrtFmlaString
        }
        Value::Bool(b) => {
            body.u8(u8::from(*b));
            rgce.u8(0x1D);
            rgce.u8(u8::from(*b));
            0x000A // BrtFmlaBool
        }
        Value::Error(code) => {
            body.u8(*code);
            rgce.u8(0x1C);
            rgce.u8(*code);
            0x000B // BrtFmlaError
        }
        Value::Formula(_) => panic!("a formula saves a value, not another formula"),
    };
    body.u16(0); // grbitFlags
    body.u32(rgce.0.len() as u32); // cce
    body.0.extend_from_slice(&rgce.0); // rgce
    body.u32(0); // cb: no extra data
    (typ, body.0)
}

/// `n` as an RK number ([MS-XLSB] 2.5.122), when one holds it exactly: a 30-bit
/// integer, a 30-bit integer of hundredths, or a double whose low 34 bits are
/// zero.
pub fn rk_number(n: f64) -> Option<u32> {
    const LIMIT: f64 = (1 << 29) as f64;
    let int = |v: f64| v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v);
    if int(n) {
        return Some(((n as i32) << 2) as u32 | 0b10);
    }
    let hundredths = (n * 100.0).round();
    if int(hundredths) && hundredths / 100.0 == n {
        return Some(((hundredths as i32) << 2) as u32 | 0b11);
    }
    let bits = n.to_bits();
    if bits & 0x3_FFFF_FFFF == 0 {
        return Some((bits >> 32) as u32);
    }
    let hundred = (n * 100.0).to_bits();
    if hundred & 0x3_FFFF_FFFF == 0 && f64::from_bits(hundred) / 100.0 == n {
        return Some((hundred >> 32) as u32 | 0b01);
    }
    None
}

/// Appends one record: type, length, body.
pub fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    assert!(typ < 0x4000, "a record type has at most 14 bits");
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = body.len();
    assert!(len < 1 << 28, "a record body has at most 28 bits of length");
    loop {
        let byte = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(body);
}

/// A record body being written.
#[derive(Default)]
struct Body(Vec<u8>);

impl Body {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// XLWideString: a 32-bit count of UTF-16 code units, then the units.
    fn wide_str(&mut self, text: &str) {
        let units: Vec<u16> = text.encode_utf16().collect();
        self.u32(units.len() as u32);
        for unit in units {
            self.u16(unit);
        }
    }
}
