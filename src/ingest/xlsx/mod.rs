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

mod sheet;
mod strings;
mod styles;
mod xml;

use super::grid::Grid;
use super::package::{attribute, each_element, relationships, workbook_sheets, Package};
use super::Merge;
use sheet::{read_sheet, Context};
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
pub(crate) fn read(bytes: &[u8]) -> Option<Workbook> {
    let mut package = Package::open(bytes).ok()?;
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
    let mut declared = 0;
    each_element(buffered.as_slice(), "sheet", |_| {
        declared += 1;
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
    let context = Context {
        strings: OnceLock::new(),
        kinds,
        date_1904,
    };
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let strings = catch_unwind(AssertUnwindSafe(|| shared_strings(bytes)));
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
            let (grid, merges) = read_sheet(part, &context)?;
            read.push(Sheet { name, grid, merges });
        }
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
fn shared_strings(bytes: &[u8]) -> Option<Vec<String>> {
    let mut package = Package::open(bytes).ok()?;
    let Some(mut part) = package.part("xl/sharedStrings.xml").ok()? else {
        return Some(Vec::new());
    };
    let mut xml = Vec::with_capacity(usize::try_from(part.size()).unwrap_or(0).min(1 << 30));
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
        let workbook = read(bytes).expect("the fast reader reads the file");
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
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#,
            ),
        ];
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn workbook_parts_calamine_refuses_are_left_to_it() {
        let sheet = r#"<sheet name="S" sheetId="1" r:id="rId1"/>"#;
        let whole = format!("<workbook><sheets>{sheet}</sheets></workbook>");
        let read_sheets = read(&package_with(&whole)).expect("a plain workbook is read");
        assert_eq!(read_sheets.sheets.len(), 1);
        for workbook in [
            "<workbook><sheets></sheets></workbook>".to_string(),
            format!("<workbook><sheets>{sheet}</sheets>"),
            format!(
                "<workbook><sheets>{sheet}<sheet name=\"T\" sheetId=\"2\"/></sheets></workbook>"
            ),
            format!("<workbook><sheets>{sheet}{sheet}</sheets></workbook>"),
        ] {
            assert!(read(&package_with(&workbook)).is_none(), "{workbook}");
        }
    }

    #[test]
    fn other_packages_are_left_to_calamine() {
        assert!(read(b"not a zip").is_none());
        let root = env!("CARGO_MANIFEST_DIR");
        for file in [
            "tests/fixtures/formats/soci.xls",
            "tests/fixtures/formats/soci.ods",
        ] {
            match std::fs::read(format!("{root}/{file}")) {
                Ok(bytes) => assert!(read(&bytes).is_none(), "{file}"),
                Err(e) => panic!("{file}: {e}"),
            }
        }
    }
}
