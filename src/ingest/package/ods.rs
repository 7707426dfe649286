//! ods: a `table:table-cell` of `content.xml` with `table:number-rows-spanned`
//! or `table:number-columns-spanned` above 1 is the top-left cell of a region.
//! Positions are counted the way calamine counts them, so that the regions fall
//! on the cells calamine reports: every `table:table-row` (also inside header
//! rows and row groups) is one row, or `table:number-rows-repeated` rows; every
//! `table:table-cell` and `table:covered-table-cell` one column, or
//! `table:number-columns-repeated`.
//!
//! LibreOffice marks a formula whose result is an error with
//! `calcext:value-type="error"` and writes the error's name as the cell's text
//! (`#DIV/0!`), which calamine reads as text: such a cell is an error when the
//! text is one of the seven names Excel and LibreOffice share.
//!
//! A sheet whose end tag never comes is refused: calamine 0.38 reads such a
//! `content.xml` for ever, so [`ods`] runs first.

use super::{attribute, xml_reader, Extras, Package, SheetExtras, MAX_ERRORS, MAX_MERGES};
use crate::ingest::limits::{
    CellBox, Refusal, MAX_COLUMNS, MAX_ROWS, MAX_TABLE_CELLS, MAX_TABLE_TEXT,
};
use crate::ingest::Merge;
use crate::money::group_thousands;
use calamine::CellErrorType;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;
use std::io::{BufRead, BufReader, Read};

/// The merged regions and error cells of every table of the ods package `bytes`.
///
/// # Errors
/// A description of what is damaged, when the package or its `content.xml`
/// cannot be read, or a sheet of it never ends.
pub(crate) fn ods(bytes: &[u8]) -> Result<Extras, String> {
    let mut zip = Package::open(bytes)?;
    let content = zip
        .part("content.xml")?
        .ok_or("the package has no content.xml")?;
    ods_content(BufReader::new(content))
}

/// A count attribute (`table:number-rows-repeated`…): 1 when absent or unreadable.
fn count(element: &BytesStart<'_>, name: &str) -> Result<u64, String> {
    Ok(attribute(element, name)?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1))
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

/// What calamine builds of the table being read, as far as the scan has come.
#[derive(Default)]
struct TableSize {
    /// The cells that may hold something, repeats counted: calamine's table
    /// is their box, every repeated row and column written out.
    cells: CellBox,
    /// The cells calamine lists row by row before it writes out the repeated
    /// rows: each row element up to its last cell that may hold something.
    listed: u64,
    /// How many bytes of text (values, formulas, spaces written as a count)
    /// those cells give calamine, repeats counted.
    text: u64,
}

impl TableSize {
    /// The refusal of the table `name` when calamine would build it far beyond
    /// its cells.
    fn refusal(&self, name: &str) -> Option<Refusal> {
        let table = self.listed.max(self.cells.area());
        if self.cells.is_sparse() {
            return Some(self.cells.stray_refusal(name, table));
        }
        let message = if table > MAX_TABLE_CELLS {
            format!(
                "sheet '{name}' repeats its rows and cells into a table of {} cells, more than the {} the reader builds of one sheet; the file is not read.",
                group_thousands(table, ','),
                group_thousands(MAX_TABLE_CELLS, ','),
            )
        } else if self.text > MAX_TABLE_TEXT {
            format!(
                "sheet '{name}' repeats its text into more than {} bytes, more than the {} the reader takes of one sheet; the file is not read.",
                group_thousands(self.text, ','),
                group_thousands(MAX_TABLE_TEXT, ','),
            )
        } else {
            return None;
        };
        Some(Refusal {
            sheet: Some(name.to_string()),
            ..Refusal::of_file(message)
        })
    }
}

/// The merged regions and error cells of every table of an ods `content.xml`,
/// or the refusal of the first table that calamine must not be given: a cell
/// beyond a sheet's limits (calamine drops them), or a table it would build
/// far beyond its cells ([`TableSize`]).
fn ods_content(reader: impl BufRead) -> Result<Extras, String> {
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut extras = Extras::new();
    let mut table: Option<(String, SheetExtras, TableSize)> = None;
    let (mut row, mut col, mut row_repeat, mut row_len) = (0u64, 0u64, 1u64, 0u64);
    let mut spans: Vec<Span> = Vec::new();
    let mut errors: Vec<ErrorCell> = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                table = attribute(&e, "table:name")?
                    .map(|name| (name, SheetExtras::default(), TableSize::default()));
                row = 0;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some((name, mut sheet, size)) = table.take() {
                    sheet.refusal = size.refusal(&name);
                    let refused = sheet.refusal.is_some();
                    if sheet != SheetExtras::default() {
                        extras.insert(name, sheet);
                    }
                    if refused {
                        return Ok(extras);
                    }
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = count(&e, "table:number-rows-repeated")?;
                (col, row_len) = (0, 0);
                spans.clear();
                errors.clear();
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(count(&e, "table:number-rows-repeated")?);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some((_, sheet, size)) = table.as_mut() {
                    add_spans(&mut sheet.merges, &spans, row, row_repeat);
                    add_errors(&mut sheet.errors, &errors, row, row_repeat);
                    size.listed = size.listed.saturating_add(row_len);
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
                let mut text = attributes_text(e);
                let mut holds = text > 0
                    || e.try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                if matches!(event, Event::Start(_)) {
                    // Only an error cell's text matters to the scan: it names
                    // the error. Of the others, only the size of the text.
                    let (content, size) = cell_content(&mut xml, &mut inner, is_error)?;
                    if let Some(error) = named_error(&content).filter(|_| is_error) {
                        errors.push(ErrorCell { col, repeat, error });
                    }
                    text = text.saturating_add(size);
                    holds = true;
                    inner.clear();
                }
                if let (true, Some((name, sheet, size))) = (holds, table.as_mut()) {
                    let last = (
                        row.saturating_add(row_repeat - 1),
                        col.saturating_add(repeat - 1),
                    );
                    if let Some((r, c)) = first_beyond((row, col), last) {
                        sheet.refusal = Some(Refusal::beyond_sheet(name, r, c));
                        let (name, sheet) = (name.clone(), std::mem::take(sheet));
                        extras.insert(name, sheet);
                        return Ok(extras);
                    }
                    let cells = row_repeat.saturating_mul(repeat);
                    let at = |(r, c): (u64, u64)| (r as u32, c as u32);
                    size.cells.add_block(at((row, col)), at(last), cells);
                    size.text = size.text.saturating_add(text.saturating_mul(cells));
                    row_len = last.1 + 1;
                }
                col = col.saturating_add(repeat);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match table {
        Some((name, _, _)) => Err(format!("content.xml ends inside the sheet '{name}'")),
        None => Ok(extras),
    }
}

/// The first cell of the block from `first` to `last` that lies beyond a
/// sheet's limits, if any (positions past `u32` are shown as its largest).
fn first_beyond(first: (u64, u64), last: (u64, u64)) -> Option<(u32, u32)> {
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let (max_rows, max_cols) = (u64::from(MAX_ROWS), u64::from(MAX_COLUMNS));
    if last.0 >= max_rows {
        Some((clamp(first.0.max(max_rows)), clamp(first.1)))
    } else if last.1 >= max_cols {
        Some((clamp(first.0), clamp(first.1.max(max_cols))))
    } else {
        None
    }
}

/// How many bytes of text the attributes of a cell give calamine: its value
/// written as text and its formula.
fn attributes_text(cell: &BytesStart<'_>) -> u64 {
    cell.attributes()
        .flatten()
        .filter(|a| {
            matches!(
                a.key.as_ref(),
                "office:string-value" | "office:date-value" | "office:time-value" | "table:formula"
            )
        })
        .map(|a| a.value.len() as u64)
        .sum()
}

/// Whether `bytes` is an ods package, as calamine tells: a zip whose `mimetype`
/// part says so.
pub(crate) fn is_ods(bytes: &[u8]) -> bool {
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

/// The content of the cell being read, up to its end tag: its text,
/// annotations left out, when `keep` says so (the empty text otherwise), and
/// how many bytes of text calamine may make of it (every text, each paragraph's
/// line end, and the spaces a `text:s` counts).
fn cell_content<R: BufRead>(
    xml: &mut XmlReader<R>,
    buf: &mut Vec<u8>,
    keep: bool,
) -> Result<(String, u64), String> {
    let mut text = String::new();
    let mut size = 0u64;
    let (mut depth, mut annotation) = (0usize, None);
    loop {
        buf.clear();
        match xml.read_event_into(buf).map_err(|e| e.to_string())? {
            Event::Start(e) => {
                if e.name().as_ref() == "office:annotation" && annotation.is_none() {
                    annotation = Some(depth);
                }
                size = size.saturating_add(element_text(&e)?);
                depth += 1;
            }
            Event::Empty(e) => size = size.saturating_add(element_text(&e)?),
            Event::End(_) if depth == 0 => return Ok((text, size)),
            Event::End(_) => {
                depth -= 1;
                if annotation == Some(depth) {
                    annotation = None;
                }
            }
            Event::Text(t) => {
                size = size.saturating_add(t.len() as u64);
                if keep && annotation.is_none() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => size = size.saturating_add(r.len() as u64),
            Event::Eof => return Err("content.xml ends inside a cell".into()),
            _ => {}
        }
    }
}

/// The text an element inside a cell stands for: the spaces of a `text:s`
/// (`text:c` of them), one line end for any other.
fn element_text(element: &BytesStart<'_>) -> Result<u64, String> {
    if element.name().as_ref() == "text:s" {
        count(element, "text:c")
    } else {
        Ok(1)
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::limits::Refusal;
    use crate::ingest::package::merge;

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
        let tables = [("Bordo", edge), ("Tanti", many), ("Lontano", far)];
        let extras = ods_content(&content(&tables)[..]).unwrap();
        // Empty cells hold nothing wherever they are: a region starting beyond
        // the last position is left out, one reaching beyond it ends there, and
        // a row repeated without end adds regions until the positions or the
        // cap run out.
        let edge = &extras["Bordo"].merges;
        assert_eq!(edge.len(), 6);
        assert_eq!(edge[0], merge(u32::MAX - 5, 0, u32::MAX - 5, u32::MAX));
        assert_eq!(edge[5], merge(u32::MAX, 0, u32::MAX, u32::MAX));
        assert_eq!(extras["Tanti"].merges.len(), MAX_MERGES);
        assert_eq!(extras["Tanti"].refusal, None);
        // A cell that holds something five billion rows down is refused.
        let far = &extras["Lontano"];
        assert_eq!(
            far.refusal,
            Some(Refusal::beyond_sheet("Lontano", u32::MAX, 0))
        );
        assert!(far.merges.is_empty());
    }

    /// The refusal the scan gives the only table of `rows`, named `S`.
    fn refusal(rows: &str) -> Option<String> {
        let extras = ods_content(&content(&[("S", rows)])[..]).unwrap();
        extras.get("S").and_then(|s| s.refusal.clone()).map(|r| {
            let at = (r.row, r.col);
            format!("{at:?} {}", r.message)
        })
    }

    #[test]
    fn cells_beyond_a_sheet_are_refused_where_they_start() {
        let value = r#"office:value-type="float" office:value="1""#;
        // The last row and column hold values: the sheet's corner.
        let corner = format!(
            r#"<table:table-row table:number-rows-repeated="1048575"/><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell {value}/></table:table-row>"#
        );
        assert_eq!(refusal(&corner), None);
        // A value repeated down past the last row is refused at its first
        // row beyond, one repeated across past XFD at its first column beyond.
        let down = format!(
            r#"<table:table-row table:number-rows-repeated="1048570"/><table:table-row table:number-rows-repeated="10"><table:table-cell {value}/></table:table-row>"#
        );
        assert_eq!(
            refusal(&down).unwrap(),
            "(Some(1048576), Some(0)) sheet 'S' has a cell in row 1,048,577, and a sheet has at most 1,048,576 rows; the file is damaged."
        );
        let across = r#"<table:table-row><table:table-cell table:number-columns-repeated="16380"/><table:table-cell table:number-columns-repeated="9"><text:p>x</text:p></table:table-cell></table:table-row>"#;
        assert_eq!(
            refusal(across).unwrap(),
            "(Some(0), Some(16384)) sheet 'S' has a cell in column XFE, and a sheet has at most 16,384 columns (A to XFD); the file is damaged."
        );
    }

    #[test]
    fn tables_calamine_would_build_far_beyond_their_cells_are_refused() {
        let value = r#"office:value-type="float" office:value="1""#;
        // 16 values repeated down a million rows: the most the reader builds.
        let full = format!(
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16" {value}/></table:table-row>"#
        );
        assert_eq!(refusal(&full), None);
        // 17 of them: a table of 17 million cells from a few bytes.
        let dense = full.replace(r#"repeated="16""#, r#"repeated="17""#);
        assert_eq!(
            refusal(&dense).unwrap(),
            "(None, None) sheet 'S' repeats its rows and cells into a table of 17,825,792 cells, more than the 16,777,216 the reader builds of one sheet; the file is not read."
        );
        // Rows listed one by one, each up to a value in column 2,000: calamine
        // lists every cell before them, though its box is one column wide.
        let far_right = format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="1999"/><table:table-cell {value}/></table:table-row>"#
        )
        .repeat(9_000);
        assert!(refusal(&far_right)
            .unwrap()
            .contains("into a table of 18,000,000 cells"));
        // A stray value far below a short table, as for xls.
        let stray = format!(
            r#"<table:table-row><table:table-cell {value}/><table:table-cell {value}/></table:table-row><table:table-row table:number-rows-repeated="999998"/><table:table-row><table:table-cell table:number-columns-repeated="15"/><table:table-cell {value}/></table:table-row>"#
        );
        assert_eq!(
            refusal(&stray).unwrap(),
            "(Some(999999), Some(15)) sheet 'S' has 3 cells, one of them at P1000000, so that they span A1:P1000000, which would make the reader build a table of 16,000,000 cells; delete the stray cells or copy the data to a new sheet."
        );
        // Spaces written as a count, repeated: a gigabyte from one cell.
        let spaces = r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="10" office:value-type="string"><text:p>a<text:s text:c="200000"/>b</text:p></table:table-cell></table:table-row>"#;
        assert_eq!(
            refusal(spaces).unwrap(),
            "(None, None) sheet 'S' repeats its text into more than 2,000,030,000 bytes, more than the 1,073,741,824 the reader takes of one sheet; the file is not read."
        );
    }
}
