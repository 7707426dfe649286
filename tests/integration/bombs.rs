//! Workbooks built to exhaust the machine, or damaged that way: a part that
//! inflates a hundred times and more, whitespace filling a sheet's rows, cells
//! beyond the last row or column, an ods sheet whose repeats make a table of
//! millions of cells from a few bytes. Each is made here from a tidy member
//! list (a few kilobytes on disk), and must be refused with exit code 3 and a
//! sentence naming the file and the part or the sheet and cell, under a memory
//! limit that reading the inflated bytes or the repeated cells would exceed,
//! while the tidy list itself still reads.

use crate::common::{root, xlsb, Run, Workdir};
use rust_xlsxwriter::Workbook;
use std::io::{Cursor, Read, Write};

const ROWS: [(&str, &str, &str); 3] = [
    ("01234567890", "sme", "Mobilità"),
    ("05678901234", "sme", "Energia"),
    ("09012345678", "large_enterprise", "Agrifood"),
];

const HEADER: [&str; 3] = ["Codice fiscale", "Categoria", "Cluster"];

/// What `validate` prints for the tidy member list.
fn tidy_summary() -> String {
    format!(
        "consolida validate: 1 file, {} righe lette, 0 scartate, 0 errori, 0 avvisi\n",
        ROWS.len()
    )
}

/// Runs `validate` on the single input `name` holding `bytes`, under half a
/// gigabyte of address space: the tool needs a small part of it, a reader that
/// held what these files inflate or repeat into would need more.
fn validate(test: &str, name: &str, bytes: &[u8]) -> Run {
    let wd = Workdir::new(test);
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    std::fs::write(wd.path(&format!("inputs/{name}")), bytes).unwrap();
    wd.run_limited(512 * 1024, &["validate", "--inputs", "inputs"])
}

/// The tidy member list as xlsx.
fn member_list() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Soci").unwrap();
    for (col, name) in HEADER.iter().enumerate() {
        sheet.write(0, col as u16, *name).unwrap();
    }
    for (i, (id, category, cluster)) in ROWS.iter().enumerate() {
        sheet.write(1 + i as u32, 0, *id).unwrap();
        sheet.write(1 + i as u32, 1, *category).unwrap();
        sheet.write(1 + i as u32, 2, *cluster).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// The part `name` of the zip package `package`.
fn part(package: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// The compressed size of the part `name`, as the messages write it.
fn compressed(package: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let size = zip.by_name(name).unwrap().compressed_size();
    thousands(size as usize)
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `package` with the part `name` replaced by `bytes` (deflated); the other
/// parts are copied as they are, in their order.
fn with_part(package: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let entry = source.by_index(i).unwrap();
        if entry.name().unwrap() != name {
            out.raw_copy_file(entry).unwrap();
            continue;
        }
        drop(entry);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The sheet part of `package` with `rows` put before its `</sheetData>`.
fn sheet_with(package: &[u8], rows: &str) -> Vec<u8> {
    let name = "xl/worksheets/sheet1.xml";
    let sheet = String::from_utf8(part(package, name)).unwrap();
    assert!(sheet.contains("</sheetData>"), "{sheet}");
    let sheet = sheet.replace("</sheetData>", &format!("{rows}</sheetData>"));
    with_part(package, name, sheet.as_bytes())
}

/// The message of a part refused for what it declares: `inflated` bytes from
/// what `package` holds of it.
fn declared_bomb(package: &[u8], name: &str, inflated: usize) -> String {
    format!(
        "cannot open the workbook: the part {name} declares that it inflates to {} bytes from {} compressed bytes, beyond the 100 to 1 that the parts of a workbook stay within; the file is damaged or built to exhaust memory, and is not read.",
        thousands(inflated),
        compressed(package, name),
    )
}

#[test]
fn xlsx_cells_beyond_the_last_row_or_column_are_refused() {
    let tidy = member_list();
    validate("bombs-xlsx-tidy", "soci.xlsx", &tidy)
        .expect_code(0)
        .expect_stderr(&tidy_summary());
    let beyond_row =
        r#"<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let refused_row = "consolida: error: inputs/soci.xlsx:Soci!A1048577: cannot open the workbook: sheet 'Soci' has a cell in row 1,048,577, and a sheet has at most 1,048,576 rows; the file is damaged.\n";
    validate(
        "bombs-xlsx-row",
        "soci.xlsx",
        &sheet_with(&tidy, beyond_row),
    )
    .expect_code(3)
    .expect_stderr(refused_row);
    // A comment among the rows leaves the sheet to calamine, which reads the
    // row as well: refused the same.
    let commented = format!("<!-- riga aggiunta -->{beyond_row}");
    validate(
        "bombs-xlsx-calamine",
        "soci.xlsx",
        &sheet_with(&tidy, &commented),
    )
    .expect_code(3)
    .expect_stderr(refused_row);
    let beyond_col = r#"<row r="5"><c r="XFE5"><v>1</v></c></row>"#;
    validate("bombs-xlsx-col", "soci.xlsx", &sheet_with(&tidy, beyond_col))
        .expect_code(3)
        .expect_stderr("consolida: error: inputs/soci.xlsx:Soci!XFE5: cannot open the workbook: sheet 'Soci' has a cell in column XFE, and a sheet has at most 16,384 columns (A to XFD); the file is damaged.\n");
}

#[test]
fn xlsx_parts_that_inflate_absurdly_are_refused() {
    let tidy = member_list();
    // Forty megabytes of spaces among the rows, deflated to a few kilobytes.
    let spaces = " ".repeat(40 << 20);
    let padded = sheet_with(&tidy, &spaces);
    let name = "xl/worksheets/sheet1.xml";
    let inflated = part(&padded, name).len();
    validate("bombs-xlsx-whitespace", "soci.xlsx", &padded)
        .expect_code(3)
        .expect_stderr(&format!(
            "consolida: error: inputs/soci.xlsx: {}\n",
            declared_bomb(&padded, name, inflated)
        ));
    // The shared strings, read whole, with one string of forty megabytes.
    let name = "xl/sharedStrings.xml";
    let strings = String::from_utf8(part(&tidy, name)).unwrap();
    let strings = strings.replacen("<t>", &format!("<t xml:space=\"preserve\">{spaces}"), 1);
    let bomb = with_part(&tidy, name, strings.as_bytes());
    validate("bombs-xlsx-strings", "soci.xlsx", &bomb)
        .expect_code(3)
        .expect_stderr(&format!(
            "consolida: error: inputs/soci.xlsx: {}\n",
            declared_bomb(&bomb, name, strings.len())
        ));
}

/// The tidy member list as xlsb, with `more` done to its sheet.
fn member_list_xlsb(more: impl FnOnce(&mut xlsb::Sheet)) -> Vec<u8> {
    let mut workbook = xlsb::Workbook::new();
    let sheet = workbook.sheet("Soci");
    for (col, name) in HEADER.iter().enumerate() {
        sheet.text(0, col as u32, name);
    }
    for (i, (id, category, cluster)) in ROWS.iter().enumerate() {
        let row = 1 + i as u32;
        sheet
            .text(row, 0, id)
            .text(row, 1, category)
            .text(row, 2, cluster);
    }
    more(sheet);
    workbook.to_bytes()
}

#[test]
fn xlsb_cells_beyond_the_sheet_and_absurd_parts_are_refused() {
    validate("bombs-xlsb-tidy", "soci.xlsb", &member_list_xlsb(|_| {}))
        .expect_code(0)
        .expect_stderr(&tidy_summary());
    // Row 1,048,578: calamine would stop reading the sheet there, silently.
    let beyond = member_list_xlsb(|sheet| _ = sheet.number(1_048_577, 2, 7.0));
    validate("bombs-xlsb-row", "soci.xlsb", &beyond)
        .expect_code(3)
        .expect_stderr("consolida: error: inputs/soci.xlsb:Soci!C1048578: cannot open the workbook: sheet 'Soci' has a cell in row 1,048,578, and a sheet has at most 1,048,576 rows; the file is damaged.\n");
    // Shared strings inflating to 40 MB of zeros, which calamine reads whole.
    let tidy = member_list_xlsb(|_| {});
    let name = "xl/sharedStrings.bin";
    let zeros = vec![0u8; 40 << 20];
    let bomb = with_part(&tidy, name, &zeros);
    validate("bombs-xlsb-strings", "soci.xlsb", &bomb)
        .expect_code(3)
        .expect_stderr(&format!(
            "consolida: error: inputs/soci.xlsb: {}\n",
            declared_bomb(&bomb, name, zeros.len())
        ));
}

/// The ods fixture with its `content.xml` holding the sheet `Soci` of `rows`
/// (its other parts as LibreOffice wrote them).
fn member_list_ods(rows: &str) -> Vec<u8> {
    let fixture = std::fs::read(root().join("tests/fixtures/formats/soci.ods")).unwrap();
    let content = String::from_utf8(part(&fixture, "content.xml")).unwrap();
    // The document element as LibreOffice wrote it, with its namespaces.
    let head = &content[..content.find("<office:scripts/>").unwrap()];
    let content = format!(
        "{head}<office:body><office:spreadsheet><table:table table:name=\"Soci\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    with_part(&fixture, "content.xml", content.as_bytes())
}

/// The tidy member list as the rows of an ods table.
fn ods_rows() -> String {
    let cell = |text: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    };
    let mut rows = format!(
        "<table:table-row>{}</table:table-row>",
        HEADER.map(cell).concat()
    );
    for (id, category, cluster) in ROWS {
        let cells = [id, category, cluster].map(cell).concat();
        rows.push_str(&format!("<table:table-row>{cells}</table:table-row>"));
    }
    rows
}

#[test]
fn ods_sheets_beyond_the_sheet_or_repeated_into_millions_are_refused() {
    let tidy = ods_rows();
    validate("bombs-ods-tidy", "soci.ods", &member_list_ods(&tidy))
        .expect_code(0)
        .expect_stderr(&tidy_summary());
    let value = r#"office:value-type="float" office:value="1""#;
    // A value repeated down past the last row: calamine would drop the rows.
    let down = format!(
        r#"{tidy}<table:table-row table:number-rows-repeated="1048560"/><table:table-row table:number-rows-repeated="20"><table:table-cell {value}/></table:table-row>"#
    );
    validate("bombs-ods-row", "soci.ods", &member_list_ods(&down))
        .expect_code(3)
        .expect_stderr("consolida: error: inputs/soci.ods:Soci!A1048577: cannot open the workbook: sheet 'Soci' has a cell in row 1,048,577, and a sheet has at most 1,048,576 rows; the file is damaged.\n");
    // Twenty values repeated down a million rows: a table of twenty million
    // cells, a gigabyte in calamine, from a few bytes.
    let dense = format!(
        r#"{tidy}<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="20" {value}/></table:table-row>"#
    );
    validate("bombs-ods-dense", "soci.ods", &member_list_ods(&dense))
        .expect_code(3)
        .expect_stderr("consolida: error: inputs/soci.ods:Soci: cannot open the workbook: sheet 'Soci' repeats its rows and cells into a table of 20,000,080 cells, more than the 16,777,216 the reader builds of one sheet; the file is not read.\n");
    // Forty megabytes of spaces among the rows.
    let padded = member_list_ods(&format!("{tidy}{}", " ".repeat(40 << 20)));
    let inflated = part(&padded, "content.xml").len();
    validate("bombs-ods-whitespace", "soci.ods", &padded)
        .expect_code(3)
        .expect_stderr(&format!(
            "consolida: error: inputs/soci.ods: {}\n",
            declared_bomb(&padded, "content.xml", inflated)
        ));
}
