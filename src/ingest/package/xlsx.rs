//! xlsx and xlsm: the merged regions of every worksheet. calamine reports them,
//! but its `merge_cells_by_sheet_name` inflates and parses the whole sheet a
//! second time to reach `<mergeCells>`, after `<sheetData>`; on a sheet of a
//! million rows that was a large share of the read (BENCHMARKS.md, change 13).
//! Here the part is inflated once more but only scanned for `mergeCell` start
//! tags, a byte search.
//!
//! `xl/workbook.xml` names the sheets (`<sheet name=… r:id=…>`),
//! `xl/_rels/workbook.xml.rels` gives each relationship's part, and each
//! `<mergeCell ref="A1:C1"/>` (with or without a namespace prefix) is a region.

use super::{attribute, each_element, worksheets, Extras, SheetExtras, MAX_MERGES};
use crate::ingest::Merge;
use memchr::memmem::Finder;
use std::io::{BufRead, BufReader, Read};

/// The merged regions of every worksheet of the xlsx package `bytes`, by sheet
/// name; sheets without merges are absent.
///
/// # Errors
/// A description of what is damaged, when the package or one of its parts
/// cannot be read.
pub(crate) fn xlsx(bytes: &[u8]) -> Result<Extras, String> {
    worksheets(
        bytes,
        "xl/workbook.xml",
        |workbook| workbook_sheets(BufReader::new(workbook)),
        |_, sheet| {
            Ok(SheetExtras {
                merges: merge_cells(sheet)?,
                ..SheetExtras::default()
            })
        },
    )
}

/// Name and relationship id of every `<sheet>` of `xl/workbook.xml`.
pub(crate) fn workbook_sheets(reader: impl BufRead) -> Result<Vec<(String, String)>, String> {
    let mut sheets = Vec::new();
    each_element(reader, "sheet", |e| {
        let id = e
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == "id")
            .map(|a| a.value.to_string());
        if let (Some(name), Some(id)) = (attribute(e, "name")?, id) {
            sheets.push((name, id));
        }
        Ok(())
    })?;
    Ok(sheets)
}

/// How much of the part is searched at a time.
const CHUNK: usize = 1 << 16;
/// A `mergeCell` tag is never longer than this: a search window keeps this much
/// of its end for the next, so that no tag is cut in two.
const LONGEST_TAG: usize = 512;
/// Bytes kept before the next possible match, to see what precedes a tag name
/// (`<` or a namespace prefix).
const LOOKBEHIND: usize = 64;

/// The `ref` of every `mergeCell` element of a worksheet part, at most
/// [`MAX_MERGES`].
pub(crate) fn merge_cells(mut part: impl Read) -> Result<Vec<Merge>, String> {
    let name = b"mergeCell";
    let finder = Finder::new(name);
    let mut merges = Vec::new();
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + LONGEST_TAG + LOOKBEHIND);
    let mut chunk = vec![0; CHUNK];
    // Matches starting before this index of the window were seen already.
    let mut seen = 0;
    loop {
        let read = part.read(&mut chunk).map_err(|e| e.to_string())?;
        let at_end = read == 0;
        window.extend_from_slice(&chunk[..read]);
        // Tags starting before `settled` are whole in the window.
        let settled = if at_end {
            window.len()
        } else {
            window.len().saturating_sub(LONGEST_TAG)
        };
        for start in finder.find_iter(&window[..settled]) {
            if start < seen {
                continue;
            }
            if merges.len() >= MAX_MERGES {
                return Ok(merges);
            }
            if let Some(merge) = merge_at(&window, start) {
                merges.push(merge);
            }
        }
        if at_end {
            return Ok(merges);
        }
        // The next match may start a name's length before `settled`; keep what
        // precedes it too.
        let next = settled.saturating_sub(name.len() - 1);
        let keep_from = next.saturating_sub(LOOKBEHIND);
        window.drain(..keep_from);
        seen = next - keep_from;
    }
}

/// The region of the `mergeCell` start tag whose name begins at `start` in
/// `bytes`, if it is one (not `mergeCells`, not an end tag) and has a valid `ref`.
fn merge_at(bytes: &[u8], start: usize) -> Option<Merge> {
    let before = *bytes.get(start.checked_sub(1)?)?;
    if before != b'<' && before != b':' {
        return None;
    }
    if before == b':' {
        // `<x:mergeCell`: the prefix must follow a `<`.
        let open = bytes[..start].iter().rposition(|&b| b == b'<')?;
        let prefix = &bytes[open + 1..start - 1];
        if prefix.is_empty() || !prefix.iter().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
    }
    let name_end = start + b"mergeCell".len();
    if !matches!(
        bytes.get(name_end),
        Some(b' ' | b'\t' | b'\r' | b'\n' | b'/')
    ) {
        return None;
    }
    let tag_end = name_end + bytes.get(name_end..)?.iter().position(|&b| b == b'>')?;
    let tag = std::str::from_utf8(&bytes[name_end..tag_end]).ok()?;
    let reference = reference_attribute(tag)?;
    parse_range(reference)
}

/// The value of the `ref` attribute in the text of a tag after its name.
fn reference_attribute(tag: &str) -> Option<&str> {
    let mut rest = tag;
    while let Some(at) = rest.find("ref") {
        let before_ok = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = rest[at + 3..].trim_start();
        if before_ok {
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                let value = &value[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
        }
        rest = &rest[at + 3..];
    }
    None
}

/// `A1:C3` (or a single cell `B2`) as a merged region, 0-based.
fn parse_range(text: &str) -> Option<Merge> {
    let (first, last) = text.split_once(':').unwrap_or((text, text));
    let (first_row, first_col) = parse_cell(first)?;
    let (last_row, last_col) = parse_cell(last)?;
    Some(Merge {
        first_row: first_row.min(last_row),
        first_col: first_col.min(last_col),
        last_row: first_row.max(last_row),
        last_col: first_col.max(last_col),
    })
}

/// `C14` → (13, 2); `$` signs are allowed, as Excel allows them.
fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().replace('$', "");
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = text.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        Some(acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
    })? - 1;
    let row: u32 = number.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::package::merge;

    #[test]
    fn merge_cells_are_found_whatever_the_prefix_and_across_chunks() {
        let mut sheet = String::from("<worksheet><sheetData>");
        for row in 1..=20_000 {
            sheet.push_str(&format!(
                "<row r=\"{row}\"><c r=\"A{row}\"><v>{row}</v></c></row>"
            ));
        }
        sheet.push_str(
            "</sheetData><mergeCells count=\"3\"><mergeCell ref=\"A1:C1\"/>\
             <x:mergeCell  ref='$B$2:B40'/><mergeCell\nref=\"AA10\"></mergeCell></mergeCells></worksheet>",
        );
        let merges = merge_cells(sheet.as_bytes()).unwrap();
        assert_eq!(
            merges,
            vec![merge(0, 0, 0, 2), merge(1, 1, 39, 1), merge(9, 26, 9, 26)]
        );
    }

    #[test]
    fn a_tag_cut_by_the_chunk_boundary_is_read_once() {
        for pad in 0..40 {
            let mut sheet = " ".repeat(CHUNK - LONGEST_TAG - 20 + pad);
            sheet.push_str("<mergeCell ref=\"A1:B2\"/>");
            let merges = merge_cells(sheet.as_bytes()).unwrap();
            assert_eq!(merges, vec![merge(0, 0, 1, 1)], "pad {pad}");
        }
    }

    #[test]
    fn look_alikes_are_not_merges() {
        let sheet = "<mergeCells count=\"1\"><c><v>mergeCell ref=\"A1:B2\"</v></c>\
                     <mergeCellX ref=\"A1:B2\"/><mergeCell ref=\"ZZZZ1:A1\"/></mergeCells>";
        assert!(merge_cells(sheet.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn the_merges_are_calamines_on_real_files() {
        use calamine::Reader;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/realdata/");
        let mut compared = 0;
        for file in [
            "stato_template_OLD.xlsx",
            "bg_projects_sample.xlsx",
            "organization_1.xlsx",
        ] {
            let bytes = std::fs::read(format!("{dir}{file}")).unwrap();
            let ours = xlsx(&bytes).unwrap();
            let mut workbook: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes)).unwrap();
            for sheet in workbook.sheet_names() {
                let theirs: Vec<Merge> = workbook
                    .merge_cells_by_sheet_name(&sheet)
                    .unwrap()
                    .iter()
                    .map(Merge::from)
                    .collect();
                let ours = ours
                    .get(&sheet)
                    .map(|e| e.merges.clone())
                    .unwrap_or_default();
                assert_eq!(ours, theirs, "{file}, sheet {sheet}");
                compared += theirs.len();
            }
        }
        assert!(compared > 0, "the files have merged regions to compare");
    }

    #[test]
    fn cell_references() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("A0"), None);
        assert_eq!(parse_cell("1A"), None);
    }
}
