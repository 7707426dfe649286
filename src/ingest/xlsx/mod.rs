//! xlsx and xlsm read by consolida itself, on every core: the workbook's sheet
//! list and date system, the styles that show dates, the shared strings and
//! each worksheet's cells and merged regions.
//!
//! calamine reads a sheet's XML on one thread with a general XML parser; at a
//! million rows that was a large share of a run (BENCHMARKS.md, change 24).
//! Here the shared strings are parsed on a thread of their own while the first
//! sheet is inflated, and each sheet is cut into pieces that a pool of workers
//! parses ([`sheet`]). The cells are calamine's, value for value (the tests
//! compare the two readers on every xlsx the project ships).
//!
//! Only the common shape of a package is read here: the workbook at
//! `xl/workbook.xml`, parts without namespace prefixes, comments or CDATA
//! in the cells, and the cell types and values Excel writes. Anything else
//! ([`read`] answers `None`) is left to calamine, which reads or refuses it
//! as before.
//!
//! Nor is a damaged part read here: figures must not come from a file the
//! reader had to guess at. The small parts calamine reads on opening (the
//! relationships, the workbook part, the styles, the theme) are opened by
//! calamine itself ([`opening`]); the shared strings and the worksheets are
//! read only when their XML is well-formed where it is read: UTF-8, a
//! declaration and every tag closed, attribute values quoted and closed,
//! each end tag ending the element open, as calamine's XML reader requires
//! and more ([`sheet`], [`strings`]). A workbook that is not is left to
//! calamine, which refuses it with its reason (or reads it its own way).
//! `ingest::differential` compares the two readers on the workbooks of other
//! projects and on damaged copies of them.
//!
//! Every part is read through the package's capped readers, and a cell beyond
//! a sheet's limits stops the reading ([`super::limits`]): such a workbook is
//! refused here, not left to calamine.

mod opening;
mod sheet;
mod strings;
mod styles;
mod xml;

use super::grid::Grid;
use super::limits::Refusal;
use super::package::{attribute, each_element, relationships, workbook_sheets, Package};
use super::Merge;
use sheet::{read_sheet, Context, SheetPart};
use std::io::{BufReader, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// A worksheet as read here.
#[derive(Debug)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) grid: Grid,
    pub(crate) merges: Vec<Merge>,
}

/// The worksheets of a workbook, in its order (chart sheets are passed over).
#[derive(Debug)]
pub(crate) struct Workbook {
    /// Whether plain-number dates count from 1904.
    pub(crate) date_1904: bool,
    pub(crate) sheets: Vec<Sheet>,
}

/// Reads the xlsx or xlsm package `bytes`; `None` when it is not one or holds
/// something left to calamine.
///
/// # Errors
/// The refusal of a part that inflates beyond its limit, or of a sheet with a
/// cell beyond a sheet's limits.
pub(crate) fn read(bytes: &[u8]) -> Result<Option<Workbook>, Refusal> {
    let Ok(mut package) = Package::open(bytes) else {
        return Ok(None);
    };
    let workbook = read_package(&mut package, bytes);
    match package.refusals().first() {
        Some(refusal) => Err(refusal),
        None => Ok(workbook),
    }
}

/// Reads the opened package `bytes`, recording refusals in its
/// [`Package::refusals`].
fn read_package(package: &mut Package<'_>, bytes: &[u8]) -> Option<Workbook> {
    let root = relationships(BufReader::new(package.part("_rels/.rels").ok()??)).ok()?;
    let workbook = root
        .values()
        .find(|(_, kind)| kind.as_deref() == Some("officeDocument"))
        .map(|(target, _)| target.trim_start_matches('/').to_ascii_lowercase())?;
    if workbook != "xl/workbook.xml" {
        return None;
    }
    let parts = package.part("xl/_rels/workbook.xml.rels").ok()??;
    let parts = relationships(BufReader::new(parts)).ok()?;
    let mut buffered = Vec::new();
    package
        .part("xl/workbook.xml")
        .ok()??
        .read_to_end(&mut buffered)
        .ok()?;
    let sheets = workbook_sheets(buffered.as_slice()).ok()?;
    // calamine refuses a workbook part that does not end, or a sheet without
    // its relationship; a name twice would give both sheets the first's cells.
    // A `<sheet>` whose attributes are not well-formed (a quote or a `>`
    // lost, an attribute twice) is one calamine reads its own way: the last
    // relationship id it finds, not the first.
    let mut declared = 0;
    each_element(buffered.as_slice(), "sheet", |sheet| {
        declared += 1;
        for attribute in sheet.attributes() {
            attribute.map_err(|e| e.to_string())?;
        }
        Ok(())
    })
    .ok()?;
    let mut names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if sheets.is_empty()
        || declared != sheets.len()
        || names.len() != sheets.len()
        || memchr::memmem::find(&buffered, b"</workbook>").is_none()
    {
        return None;
    }
    let date_1904 = date_1904(&buffered)?;
    let kinds = match package.part("xl/styles.xml").ok()? {
        Some(part) => styles::style_kinds(BufReader::new(part))?,
        None => Vec::new(),
    };
    // What calamine would refuse on opening the workbook is left to it.
    if !opening::calamine_opens(bytes, package) {
        return None;
    }
    let context = Context {
        strings: OnceLock::new(),
        kinds,
        date_1904,
        refusals: package.refusals().clone(),
    };
    let strings_package = package.clone();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let strings = catch_unwind(AssertUnwindSafe(|| shared_strings(strings_package)));
            let _ = context.strings.set(strings.ok().flatten());
        });
        let mut read = Vec::new();
        for (name, id) in sheets {
            let (target, kind) = parts.get(&id)?;
            match kind.as_deref() {
                Some("worksheet") => {}
                Some("chartsheet") => continue,
                _ => return None,
            }
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            let part = package.part(&path).ok()??;
            let sheet = SheetPart {
                name: &name,
                path: &path,
            };
            let (grid, merges) = read_sheet(part, &sheet, &context)?;
            read.push(Sheet { name, grid, merges });
        }
        // Shared strings calamine would refuse are left to it even when no
        // sheet's rows needed them (sheets without rows do not wait for them).
        context.strings.wait().as_ref()?;
        Some(Workbook {
            date_1904,
            sheets: read,
        })
    })
}

/// Whether the workbook part says its dates count from 1904.
fn date_1904(workbook: &[u8]) -> Option<bool> {
    let mut is_1904 = false;
    each_element(workbook, "workbookPr", |e| {
        if let Some(value) = attribute(e, "date1904")? {
            is_1904 = value == "1" || value == "true";
        }
        Ok(())
    })
    .ok()?;
    Some(is_1904)
}

/// The shared strings of the package (none when it has no such part).
fn shared_strings(mut package: Package<'_>) -> Option<Vec<String>> {
    let Some(mut part) = package.part("xl/sharedStrings.xml").ok()? else {
        return Some(Vec::new());
    };
    // The size declared is within the part's limit, not trusted beyond it.
    let declared = usize::try_from(part.declared_size()).unwrap_or(0);
    let mut xml = Vec::with_capacity(declared.min(1 << 30));
    part.read_to_end(&mut xml).ok()?;
    strings::shared_strings(&xml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::spreadsheet::read_with_calamine;
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook as Writer};

    /// What a reader gives of each sheet.
    type Read = Vec<(String, Grid, Vec<Merge>, bool)>;

    fn ours(bytes: &[u8]) -> Read {
        let workbook = read(bytes)
            .unwrap()
            .expect("the fast reader reads the file");
        let date_1904 = workbook.date_1904;
        let sheets = workbook.sheets.into_iter();
        sheets
            .map(|s| (s.name, s.grid, s.merges, date_1904))
            .collect()
    }

    fn calamines(bytes: &[u8]) -> Read {
        let tables = read_with_calamine(bytes, "test").unwrap();
        let tables = tables.into_iter();
        tables
            .map(|t| (t.sheet.unwrap(), t.grid, t.merges, t.date_1904))
            .collect()
    }

    #[test]
    fn every_shipped_xlsx_reads_as_calamine_reads_it() {
        let root = env!("CARGO_MANIFEST_DIR");
        let files = [
            "inputs/soci.xlsx",
            "inputs/progetti.xlsx",
            "tests/fixtures/formats/soci.xlsx",
            "tests/fixtures/formats/soci.xlsm",
            "tests/fixtures/realdata/bg_projects_sample.xlsx",
            "tests/fixtures/realdata/date_1904.xlsx",
            "tests/fixtures/realdata/organization_1.xlsx",
            "tests/fixtures/realdata/stato_template_OLD.xlsx",
        ];
        let mut cells = 0;
        for file in files {
            let bytes = std::fs::read(format!("{root}/{file}")).unwrap();
            let (ours, theirs) = (ours(&bytes), calamines(&bytes));
            assert_eq!(ours, theirs, "{file}");
            cells += ours.iter().map(|s| s.1.cell_count()).sum::<usize>();
        }
        assert!(cells > 10_000, "{cells} cells compared");
    }

    #[test]
    fn every_kind_of_cell_reads_as_calamine_reads_it() {
        let mut writer = Writer::new();
        let sheet = writer.add_worksheet().set_name("Celle").unwrap();
        let texts = [
            "Polo Auto",
            "  spazi  ",
            "a & b < c > d \"e\" 'f'",
            "riga\r\nnuova",
            "tab\there",
            "letterale _x000D_ scritto",
            "àèìòù €, 漢字, 📷",
        ];
        for (row, text) in texts.iter().enumerate() {
            sheet.write_string(row as u32, 0, *text).unwrap();
        }
        let formats = [
            "dd/mm/yyyy",
            "[h]:mm:ss",
            "h:mm AM/PM",
            "#,##0.00 \"€\"",
            "0.00%",
            "[$€-410] #,##0.00;-[$€-410] #,##0.00",
            "yyyy-mm-dd hh:mm",
            "\"giorno\" d",
        ];
        for (row, code) in formats.iter().enumerate() {
            let format = Format::new().set_num_format(*code);
            sheet
                .write_number_with_format(row as u32, 1, 45_000.25, &format)
                .unwrap();
        }
        let date = ExcelDateTime::from_ymd(2024, 2, 29).unwrap();
        let date_format = Format::new().set_num_format("d mmm yyyy");
        sheet
            .write_datetime_with_format(0, 2, &date, &date_format)
            .unwrap();
        sheet.write_boolean(1, 2, true).unwrap();
        sheet.write_boolean(2, 2, false).unwrap();
        sheet
            .write_formula(3, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        sheet
            .write_formula(4, 2, Formula::new("=A1&\"!\"").set_result("Polo Auto!"))
            .unwrap();
        sheet
            .write_formula(5, 2, Formula::new("=B1*2").set_result("90000.5"))
            .unwrap();
        sheet.write_number(6, 2, -0.000123).unwrap();
        sheet.write_number(7, 2, 1e300).unwrap();
        sheet
            .merge_range(10, 0, 11, 3, "unite", &Format::new())
            .unwrap();
        sheet.write_string(1_048_575, 16_383, "lontano").unwrap();
        let bold = Format::new().set_bold();
        let plain = Format::new();
        let rich = [(&bold, "Polo "), (&plain, " Auto")];
        sheet.write_rich_string(12, 0, &rich).unwrap();
        writer.add_worksheet().set_name("Vuoto").unwrap();
        let bytes = writer.save_to_buffer().unwrap();
        let ours = ours(&bytes);
        assert_eq!(ours, calamines(&bytes));
        assert_eq!(ours.len(), 2);
        assert!(ours[0].1.cell_count() > 25);
        assert_eq!(ours[0].2.len(), 1);
    }

    /// A one-sheet package with `workbook` as its workbook part.
    fn package_with(workbook: &str) -> Vec<u8> {
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#;
        package_of(workbook, sheet.as_bytes(), &[])
    }

    /// A package of the sheet `S` whose part is `sheet`, with the parts `more`.
    fn sheet_package(sheet: &[u8], more: &[(&str, &[u8])]) -> Vec<u8> {
        let workbook =
            r#"<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        package_of(workbook, sheet, more)
    }

    /// A one-sheet package with `workbook` as its workbook part, `sheet` as
    /// its sheet's, and the parts `more`.
    fn package_of(workbook: &str, sheet: &[u8], more: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let parts = [
            ("[Content_Types].xml", "<Types/>"),
            (
                "_rels/.rels",
                r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            ("xl/workbook.xml", workbook),
        ];
        let parts = parts.iter().map(|(name, text)| (*name, text.as_bytes()));
        let sheet = [("xl/worksheets/sheet1.xml", sheet)];
        for (name, bytes) in parts.chain(sheet).chain(more.iter().copied()) {
            zip.start_file(name, options).unwrap();
            std::io::Write::write_all(&mut zip, bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn what_goes_beyond_the_limits_is_refused_not_left_to_calamine() {
        let sheet = |rows: &str| format!("<worksheet><sheetData>{rows}</sheetData></worksheet>");
        let plain = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        let strings = br#"<sst><si><t>Polo</t></si></sst>"#;
        let read_sheets = read(&sheet_package(
            plain.as_bytes(),
            &[("xl/sharedStrings.xml", strings)],
        ));
        let sheets = read_sheets.unwrap().unwrap().sheets;
        assert_eq!(
            sheets[0].grid.get(0, 0),
            Some(&calamine::Data::String("Polo".into()))
        );
        // A cell beyond the last row.
        let beyond = sheet(r#"<row r="1048577"><c r="A1048577"><v>1</v></c></row>"#);
        let refused = read(&sheet_package(beyond.as_bytes(), &[])).err();
        assert_eq!(refused, Some(Refusal::beyond_sheet("S", 1_048_576, 0)));
        // Shared strings that inflate beyond their limit, read beside the sheet.
        let mut bomb = b"<sst><si><t>".to_vec();
        bomb.resize(bomb.len() + (16 << 20), b' ');
        bomb.extend_from_slice(b"</t></si></sst>");
        let refused = read(&sheet_package(
            plain.as_bytes(),
            &[("xl/sharedStrings.xml", &bomb)],
        ));
        let message = refused.unwrap_err().message;
        assert!(
            message.starts_with(
                "the part xl/sharedStrings.xml declares that it inflates to 16,777,243 bytes from "
            ),
            "{message}"
        );
    }

    #[test]
    fn workbook_parts_calamine_refuses_are_left_to_it() {
        let sheet = r#"<sheet name="S" sheetId="1" r:id="rId1"/>"#;
        let whole = format!("<workbook><sheets>{sheet}</sheets></workbook>");
        let read_sheets = read(&package_with(&whole))
            .unwrap()
            .expect("a plain workbook is read");
        assert_eq!(read_sheets.sheets.len(), 1);
        for workbook in [
            "<workbook><sheets></sheets></workbook>".to_string(),
            format!("<workbook><sheets>{sheet}</sheets>"),
            format!(
                "<workbook><sheets>{sheet}<sheet name=\"T\" sheetId=\"2\"/></sheets></workbook>"
            ),
            format!("<workbook><sheets>{sheet}{sheet}</sheets></workbook>"),
            // Two sheets run together where a `>` was lost: calamine reads
            // the first's name with the second's relationship.
            format!(
                "<workbook><sheets>{}{}</sheets></workbook>",
                sheet.replace("/>", "/"),
                sheet.replace("\"S\"", "\"T\"").replace("rId1", "rId2")
            ),
        ] {
            assert!(
                matches!(read(&package_with(&workbook)), Ok(None)),
                "{workbook}"
            );
        }
    }

    #[test]
    fn damaged_shared_strings_are_left_to_calamine_though_no_row_needs_them() {
        let empty = b"<worksheet><sheetData/></worksheet>";
        let strings = br#"<?xml version="1.0"?><sst count="0"/>"#;
        let read_sheets = read(&sheet_package(empty, &[("xl/sharedStrings.xml", strings)]));
        assert!(matches!(read_sheets, Ok(Some(_))));
        // The XML declaration not closed: calamine refuses the workbook.
        let unclosed = br#"<?xml version="1.0"<sst count="0"/>"#;
        let read_sheets = read(&sheet_package(empty, &[("xl/sharedStrings.xml", unclosed)]));
        assert!(matches!(read_sheets, Ok(None)));
    }

    #[test]
    fn other_packages_are_left_to_calamine() {
        assert!(matches!(read(b"not a zip"), Ok(None)));
        let root = env!("CARGO_MANIFEST_DIR");
        for file in [
            "tests/fixtures/formats/soci.xls",
            "tests/fixtures/formats/soci.ods",
        ] {
            match std::fs::read(format!("{root}/{file}")) {
                Ok(bytes) => assert!(matches!(read(&bytes), Ok(None)), "{file}"),
                Err(e) => panic!("{file}: {e}"),
            }
        }
    }
}
