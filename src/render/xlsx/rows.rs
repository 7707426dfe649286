//! The rows of a large sheet as SpreadsheetML, written here rather than through
//! rust_xlsxwriter, for [`splice`](super::splice) to put into the saved package.
//!
//! rust_xlsxwriter's constant-memory mode adds a cost to every cell on top of the
//! XML itself, which the millions of cells of a large portfolio's audit make a
//! large part of the workbook's time (BENCHMARKS.md, change 30): it hashes the
//! whole `Format` of every cell to find its index, copies each text twice, and
//! keeps a map entry per table cell for its overlap check. This writer
//! takes the format indices from [`Xfs`], fixed before any sheet is written, and
//! writes each row as soon as the next one starts, in exactly the XML
//! rust_xlsxwriter 0.102 writes in constant-memory mode (inline strings, `_xHHHH_`
//! escapes, the shortest number that reads back the same, heights in points
//! rounded to whole pixels), so that a sheet reads the same whichever wrote it;
//! the tests compare the two part for part.

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};
use rustc_hash::FxHashMap;
use std::io::Write;

/// The workbook-wide index of each cell format a written sheet may use, fixed by
/// registering them with the workbook before anything else.
pub(crate) struct Xfs {
    by_address: FxHashMap<usize, u32>,
    /// The same formats by value, for a copy of one (a note's, kept by the
    /// sheet until it is written): a few, looked through in order.
    by_value: Vec<(Format, u32)>,
}

impl Xfs {
    /// Registers `formats` with `workbook`, which must be new: rust_xlsxwriter
    /// numbers formats in the order it first meets them, after its default
    /// format (0), and gives a format equal to one it has already met that one's
    /// number.
    pub(crate) fn register<'f>(
        workbook: &mut Workbook,
        formats: impl IntoIterator<Item = &'f Format>,
    ) -> Xfs {
        let default = Format::default();
        let mut distinct: Vec<&Format> = vec![&default];
        let mut by_address = FxHashMap::default();
        for format in formats {
            workbook.register_format(format);
            let index = match distinct.iter().position(|known| *known == format) {
                Some(index) => index,
                None => {
                    distinct.push(format);
                    distinct.len() - 1
                }
            };
            by_address.insert(std::ptr::from_ref(format) as usize, index as u32);
        }
        let by_value = (1..).zip(distinct.into_iter().skip(1));
        let by_value = by_value.map(|(index, f)| (f.clone(), index)).collect();
        Xfs {
            by_address,
            by_value,
        }
    }

    /// The index of `format`, which must be one of those registered: the same
    /// value, found at once, or a copy of it.
    fn of(&self, format: &Format) -> Result<u32, XlsxError> {
        let address = std::ptr::from_ref(format) as usize;
        let copy = || {
            let mut known = self.by_value.iter();
            known.find(|(f, _)| f == format).map(|(_, index)| *index)
        };
        self.by_address
            .get(&address)
            .copied()
            .or_else(copy)
            .ok_or_else(|| {
                XlsxError::ParameterError(
                    "a cell of a spliced sheet has a format that was not registered with the \
                 workbook."
                        .to_string(),
                )
            })
    }
}

/// What a cell written here holds.
pub(crate) enum CellXml<'t> {
    Text(&'t str),
    Number(f64),
    /// A formula with a numeric cached result (a totals row's `SUBTOTAL`).
    Formula {
        formula: &'t str,
        result: &'t str,
    },
    Blank,
}

/// Rows being written, each one when the next starts (or at [`RowsXml::finish`]).
pub(crate) struct RowsXml<'x, W: Write> {
    out: W,
    xfs: &'x Xfs,
    /// The row being written, its cells so far and its height, if not the default.
    current: Option<RowNum>,
    last_col: Option<ColNum>,
    height: Option<f64>,
    cells: Vec<u8>,
    /// Scratch room for the escaped text of one cell.
    escaped: String,
}

impl<'x, W: Write> RowsXml<'x, W> {
    pub(crate) fn new(out: W, xfs: &'x Xfs) -> Self {
        RowsXml {
            out,
            xfs,
            current: None,
            last_col: None,
            height: None,
            cells: Vec::with_capacity(4096),
            escaped: String::new(),
        }
    }

    /// A cell, in the current row or a later one, right of the last one written
    /// in its row.
    pub(crate) fn cell(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: CellXml<'_>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.reach(row)?;
        if self.last_col.is_some_and(|last| col <= last) {
            return Err(XlsxError::ParameterError(format!(
                "cell {} is written after a cell right of it.",
                rust_xlsxwriter::row_col_to_cell(row, col)
            )));
        }
        self.last_col = Some(col);
        let xf = self.xfs.of(format)?;
        let cells = &mut self.cells;
        let start = |cells: &mut Vec<u8>| -> std::io::Result<()> {
            cells.extend_from_slice(b"<c r=\"");
            column_name(cells, col);
            write!(cells, "{}\"", row + 1)?;
            if xf > 0 {
                write!(cells, r#" s="{xf}""#)?;
            }
            Ok(())
        };
        match value {
            // rust_xlsxwriter writes an empty text as a blank cell, and leaves a
            // blank cell without a format out.
            CellXml::Blank | CellXml::Text("") => {
                if xf > 0 {
                    start(cells)?;
                    cells.extend_from_slice(b"/>");
                }
            }
            CellXml::Number(number) => {
                if !number.is_finite() {
                    return Err(XlsxError::ParameterError(format!(
                        "cell {} would hold {number}, which Excel cannot.",
                        rust_xlsxwriter::row_col_to_cell(row, col)
                    )));
                }
                start(cells)?;
                write!(cells, "><v>{number}</v></c>")?;
            }
            CellXml::Formula { formula, result } => {
                // rust_xlsxwriter types a result that is not a number; none is here.
                if result.parse::<f64>().is_err() {
                    return Err(XlsxError::ParameterError(format!(
                        "cell {} would cache {result:?}, which is not a number.",
                        rust_xlsxwriter::row_col_to_cell(row, col)
                    )));
                }
                start(cells)?;
                cells.extend_from_slice(b"><f>");
                cells.extend_from_slice(escape_markup(formula).as_bytes());
                write!(cells, "</f><v>{result}</v></c>")?;
            }
            CellXml::Text(text) => {
                start(cells)?;
                let edges = ['\t', '\n', ' '];
                let preserve = if text.starts_with(edges) || text.ends_with(edges) {
                    r#" xml:space="preserve""#
                } else {
                    ""
                };
                write!(cells, r#" t="inlineStr"><is><t{preserve}>"#)?;
                cells.extend_from_slice(escape(text, &mut self.escaped).as_bytes());
                cells.extend_from_slice(b"</t></is></c>");
            }
        }
        Ok(())
    }

    /// Gives the current row `row` a height of `points`.
    pub(crate) fn set_height(&mut self, row: RowNum, points: f64) -> Result<(), XlsxError> {
        if self.current != Some(row) {
            return Err(XlsxError::ParameterError(format!(
                "the height of row {} is set while it is not the row being written.",
                row + 1
            )));
        }
        // As rust_xlsxwriter keeps it: in whole pixels.
        let pixels = (points * 4.0 / 3.0).round() as u32;
        self.height = Some(f64::from(pixels) * 0.75);
        Ok(())
    }

    /// Writes the last row and gives back where the rows went.
    pub(crate) fn finish(mut self) -> Result<W, XlsxError> {
        self.write_row()?;
        Ok(self.out)
    }

    /// Moves to `row`, writing the current one when `row` is below it.
    fn reach(&mut self, row: RowNum) -> Result<(), XlsxError> {
        match self.current {
            Some(current) if row == current => return Ok(()),
            Some(current) if row < current => {
                return Err(XlsxError::ParameterError(format!(
                    "row {} cannot be written after row {}.",
                    row + 1,
                    current + 1
                )));
            }
            _ => {}
        }
        self.write_row()?;
        self.current = Some(row);
        Ok(())
    }

    fn write_row(&mut self) -> Result<(), XlsxError> {
        let Some(row) = self.current else {
            return Ok(());
        };
        write!(self.out, r#"<row r="{}""#, row + 1)?;
        if let Some(height) = self.height.take() {
            write!(self.out, r#" ht="{height}" customHeight="1""#)?;
        }
        if self.cells.is_empty() {
            self.out.write_all(b"/>")?;
        } else {
            self.out.write_all(b">")?;
            self.out.write_all(&self.cells)?;
            self.out.write_all(b"</row>")?;
        }
        self.cells.clear();
        self.last_col = None;
        Ok(())
    }
}

/// Appends the letters of column `col` (`A`, `Z`, `AA`…).
fn column_name(out: &mut Vec<u8>, col: ColNum) {
    let mut letters = [0u8; 3];
    let mut n = u32::from(col) + 1;
    let mut at = letters.len();
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend_from_slice(&letters[at..]);
}

/// A formula as the content of an `<f>` element: `&`, `<` and `>` as entities,
/// as rust_xlsxwriter writes it.
fn escape_markup(formula: &str) -> std::borrow::Cow<'_, str> {
    if !formula.contains(['&', '<', '>']) {
        return formula.into();
    }
    formula
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .into()
}

/// `text` as the content of a `<t>` element, escaped as rust_xlsxwriter escapes
/// it: `&`, `<` and `>` as entities; control characters other than tab and line
/// feed, and U+FFFE and U+FFFF, as `_xHHHH_`; and the `_` of a literal `_xHHHH_`
/// as `_x005F_`, so that it reads back as written.
fn escape<'t>(text: &'t str, scratch: &'t mut String) -> &'t str {
    let plain = |b: &u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'_' | 0xEF) && (*b >= 0x20 || matches!(b, b'\t' | b'\n'))
    };
    if text.as_bytes().iter().all(plain) {
        return text;
    }
    scratch.clear();
    let bytes = text.as_bytes();
    for (i, ch) in text.char_indices() {
        match ch {
            '&' => scratch.push_str("&amp;"),
            '<' => scratch.push_str("&lt;"),
            '>' => scratch.push_str("&gt;"),
            '\t' | '\n' => scratch.push(ch),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                scratch.push_str(&format!("_x{:04X}_", u32::from(ch)));
            }
            '_' if is_escape_like(&bytes[i..]) => scratch.push_str("_x005F_"),
            _ => scratch.push(ch),
        }
    }
    scratch
}

/// Whether `rest` starts with `_xHHHH_` (four hexadecimal digits).
fn is_escape_like(rest: &[u8]) -> bool {
    rest.len() >= 7
        && rest[1] == b'x'
        && rest[2..6].iter().all(u8::is_ascii_hexdigit)
        && rest[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(body: impl FnOnce(&mut RowsXml<'_, &mut Vec<u8>>, &Format)) -> String {
        let mut workbook = Workbook::new();
        let format = Format::new().set_bold();
        let xfs = Xfs::register(&mut workbook, [&format]);
        let mut out = Vec::new();
        let mut rows = RowsXml::new(&mut out, &xfs);
        body(&mut rows, &format);
        rows.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_is_escaped_as_rust_xlsxwriter_escapes_it() {
        let mut scratch = String::new();
        assert_eq!(
            escape("Ricerca & Sviluppo", &mut scratch),
            "Ricerca &amp; Sviluppo"
        );
        assert_eq!(escape("a<b>c", &mut scratch), "a&lt;b&gt;c");
        assert_eq!(escape("bell\u{7}", &mut scratch), "bell_x0007_");
        assert_eq!(escape("_x0041_ stays", &mut scratch), "_x005F_x0041_ stays");
        assert_eq!(escape("_x00G1_ and _x", &mut scratch), "_x00G1_ and _x");
        assert_eq!(
            escape("riga\tuno\nriga due", &mut scratch),
            "riga\tuno\nriga due"
        );
        assert_eq!(escape("€ Łódź \u{FFFE}", &mut scratch), "€ Łódź _xFFFE_");
        assert_eq!(
            escape("near_breach \u{FEFF}\u{FFFF}", &mut scratch),
            "near_breach \u{FEFF}_xFFFF_"
        );
    }

    #[test]
    fn rows_are_written_in_order_with_their_heights() {
        let xml = written(|rows, format| {
            rows.cell(1, 0, CellXml::Text(" P1"), format).unwrap();
            rows.cell(1, 2, CellXml::Number(0.7252), format).unwrap();
            rows.set_height(1, 30.0).unwrap();
            rows.cell(2, 1, CellXml::Blank, format).unwrap();
            rows.cell(2, 3, CellXml::Text(""), format).unwrap();
            rows.cell(3, 0, CellXml::Number(158_500.0), format).unwrap();
        });
        assert_eq!(
            xml,
            concat!(
                r#"<row r="2" ht="30" customHeight="1">"#,
                r#"<c r="A2" s="1" t="inlineStr"><is><t xml:space="preserve"> P1</t></is></c>"#,
                r#"<c r="C2" s="1"><v>0.7252</v></c></row>"#,
                r#"<row r="3"><c r="B3" s="1"/><c r="D3" s="1"/></row>"#,
                r#"<row r="4"><c r="A4" s="1"><v>158500</v></c></row>"#
            )
        );
    }

    #[test]
    fn a_copy_of_a_format_and_a_formula_with_its_result_are_written() {
        let xml = written(|rows, format| {
            let copy = format.clone();
            let formula = CellXml::Formula {
                formula: "SUBTOTAL(109,T[R&D <EUR>])",
                result: "3994.00",
            };
            rows.cell(4, 17, formula, &copy).unwrap();
        });
        assert_eq!(
            xml,
            concat!(
                r#"<row r="5"><c r="R5" s="1"><f>SUBTOTAL(109,T[R&amp;D &lt;EUR&gt;])</f>"#,
                r#"<v>3994.00</v></c></row>"#
            )
        );
    }

    #[test]
    fn cells_out_of_order_or_unknown_are_refused() {
        let mut workbook = Workbook::new();
        let format = Format::new().set_bold();
        let other = Format::new().set_italic();
        let xfs = Xfs::register(&mut workbook, [&format]);
        let mut rows = RowsXml::new(Vec::new(), &xfs);
        rows.cell(2, 1, CellXml::Number(1.0), &format).unwrap();
        let left = rows.cell(2, 1, CellXml::Number(2.0), &format).unwrap_err();
        assert!(left.to_string().contains("B3 is written after"), "{left}");
        let above = rows.cell(1, 0, CellXml::Blank, &format).unwrap_err();
        assert!(
            above
                .to_string()
                .contains("row 2 cannot be written after row 3"),
            "{above}"
        );
        let unknown = rows.cell(4, 0, CellXml::Blank, &other).unwrap_err();
        assert!(unknown.to_string().contains("not registered"), "{unknown}");
        let nan = rows
            .cell(5, 0, CellXml::Number(f64::NAN), &format)
            .unwrap_err();
        assert!(nan.to_string().contains("A6 would hold NaN"), "{nan}");
    }

    #[test]
    fn columns_are_named_as_excel_names_them() {
        for (col, name) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16_383, "XFD"),
        ] {
            let mut out = Vec::new();
            column_name(&mut out, col);
            assert_eq!(out, name.as_bytes());
        }
    }

    #[test]
    fn equal_formats_share_an_index() {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let also_bold = Format::new().set_bold();
        let italic = Format::new().set_italic();
        let xfs = Xfs::register(&mut workbook, [&bold, &also_bold, &italic]);
        assert_eq!(xfs.of(&bold).unwrap(), 1);
        assert_eq!(xfs.of(&also_bold).unwrap(), 1);
        assert_eq!(xfs.of(&italic).unwrap(), 2);
    }
}
