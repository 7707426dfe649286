//! xlsb and ods against xlsx. First the tests' own xlsb writer
//! (`tests/common/xlsb.rs`) is checked with calamine's range reader and with
//! LibreOffice; then one workbook written three ways — xlsx by rust_xlsxwriter,
//! xlsb by that writer, ods by LibreOffice from the xlsx — must read the same: a
//! title row merged across, block labels merged down over data rows, date cells,
//! a number stored as text, a formula's saved value and a formula error. The
//! expected figures are worked out here from the rows the test writes.

use crate::common::readers::LIBREOFFICE;
use crate::common::{outside_program, xlsb, Workdir};
use calamine::{Data, Reader, Xlsb};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn open(workbook: &xlsb::Workbook) -> Xlsb<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(workbook.to_bytes()))
        .expect("calamine opens the xlsb")
}

#[test]
fn record_headers_use_seven_bits_a_byte() {
    let mut out = Vec::new();
    xlsb::record(&mut out, 0x0002, &[1, 2]);
    xlsb::record(&mut out, 0x009C, &[0; 200]);
    xlsb::record(&mut out, 0x0267, &[]);
    assert_eq!(&out[..4], &[0x02, 0x02, 1, 2]);
    assert_eq!(&out[4..8], &[0x9C, 0x01, 0xC8, 0x01]);
    assert_eq!(&out[208..], &[0xE7, 0x04, 0x00]);
}

#[test]
fn rk_numbers_hold_integers_hundredths_and_short_doubles() {
    let decode = |rk: u32| {
        let value = if rk & 2 != 0 {
            f64::from((rk as i32) >> 2)
        } else {
            f64::from_bits(u64::from(rk & !3) << 32)
        };
        if rk & 1 != 0 {
            value / 100.0
        } else {
            value
        }
    };
    for n in [0.0, 1.0, -7.0, 46_000.0, 12.34, -0.5, 0.25, 1_000_000.0] {
        let rk = xlsb::rk_number(n).unwrap_or_else(|| panic!("{n} fits an RK number"));
        assert_eq!(decode(rk), n, "{n} as {rk:#x}");
    }
    for n in [0.1 + 0.2, 1e300, 5_678_901_234.0, 158_500.123] {
        assert_eq!(xlsb::rk_number(n), None, "{n}");
    }
}

#[test]
fn calamine_reads_every_kind_of_cell_back() {
    let mut workbook = xlsb::Workbook::new();
    workbook
        .sheet("Soci")
        .text(0, 0, "Codice fiscale")
        .text(0, 1, "Data adesione")
        .set(1, 0, xlsb::Value::InlineText("01234567890".into()))
        .date(1, 1, "2020-02-01")
        .number(2, 0, 5_678_901_234.0)
        .number(2, 1, 12.34)
        .number(3, 0, -7.0)
        .error(3, 1, "#DIV/0!")
        .set(4, 0, xlsb::Value::Bool(true))
        .text(4, 3, "Codice fiscale")
        .merge(1, 3, 3, 3);
    workbook.sheet("Vuoto");
    let mut xlsb = open(&workbook);
    assert_eq!(xlsb.sheet_names(), ["Soci", "Vuoto"]);
    let range = xlsb.worksheet_range("Soci").unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(range.end(), Some((4, 3)));
    let at = |r, c| range.get_value((r, c)).cloned();
    assert_eq!(at(0, 0), Some(Data::String("Codice fiscale".into())));
    assert_eq!(at(1, 0), Some(Data::String("01234567890".into())));
    match at(1, 1) {
        Some(Data::DateTime(d)) => {
            assert_eq!(d.as_f64(), 43_862.0);
            assert_eq!(
                d.as_datetime().unwrap().date().to_string(),
                "2020-02-01",
                "the date format makes a date cell"
            );
        }
        other => panic!("a date cell, not {other:?}"),
    }
    assert_eq!(at(2, 0), Some(Data::Float(5_678_901_234.0)));
    assert_eq!(at(2, 1), Some(Data::Float(12.34)));
    assert_eq!(at(3, 0), Some(Data::Int(-7)), "an integer RK number");
    assert_eq!(at(3, 1), Some(Data::Error(calamine::CellErrorType::Div0)));
    assert_eq!(at(4, 0), Some(Data::Bool(true)));
    assert_eq!(at(4, 3), at(0, 0), "a shared string used twice");
    assert!(xlsb.worksheet_range("Vuoto").unwrap().is_empty());
}

#[test]
fn the_1904_date_system_is_flagged() {
    let mut workbook = xlsb::Workbook::new();
    workbook.date_1904 = true;
    workbook.sheet("S").set(0, 0, xlsb::Value::Date(0.0));
    let mut xlsb = open(&workbook);
    assert!(xlsb.has_1904_epoch());
    match xlsb.worksheet_range("S").unwrap().get_value((0, 0)) {
        Some(Data::DateTime(d)) => {
            assert_eq!(d.as_datetime().unwrap().date().to_string(), "1904-01-01")
        }
        other => panic!("a date cell, not {other:?}"),
    }
}

/// A cell as the test writes it in every format.
#[derive(Clone, Copy)]
enum Cell {
    Text(&'static str),
    Number(f64),
    /// `yyyy-mm-dd`, a date cell formatted `dd/mm/yyyy`.
    Date(&'static str),
    /// A formula whose saved value is this number.
    Formula(f64),
    /// A formula whose saved value is `#DIV/0!`.
    DivisionByZero,
}

use Cell::*;

/// A sheet: its name, its cells by (row, column), its merged regions.
struct Sheet {
    name: &'static str,
    cells: Vec<(u32, u16, Cell)>,
    merges: Vec<(u32, u16, u32, u16)>,
}

/// A member row: id, name, category, joined on.
type MemberRow = (&'static str, &'static str, &'static str, &'static str);

/// A project row: id, call, value, financing, approved on.
type ProjectRow = (&'static str, &'static str, Cell, Cell, &'static str);

/// Members: id, name, category, joined on; in blocks of one cluster each, the
/// cluster written once and merged down over its block.
const MEMBERS: [(&str, &[MemberRow]); 2] = [
    (
        "Mobilità",
        &[
            ("01234567890", "Alfa S.r.l.", "PMI", "2020-02-01"),
            ("02345678901", "Beta S.p.A.", "Grandi imprese", "2019-03-15"),
            (
                "03456789012",
                "Consorzio Gamma",
                "Consorzi di imprese",
                "2018-01-01",
            ),
            ("04567890123", "Delta S.r.l.", "PMI", "2026-12-01"),
        ],
    ),
    (
        "Energia",
        &[
            ("05678901234", "Politecnico", "Università", "2017-05-05"),
            ("06789012345", "Epsilon S.r.l.", "PMI", "2021-06-30"),
            (
                "07890123456",
                "Provincia di Cremona",
                "Ente pubblico",
                "2016-01-01",
            ),
        ],
    ),
];

/// Projects: id, call, value, financing, approved on; a block per cluster.
const PROJECTS: [(&str, &[ProjectRow]); 2] = [
    (
        "Mobilità",
        &[
            (
                "P1",
                "Bando A",
                Number(158_500.0),
                Number(114_944.0),
                "2026-11-12",
            ),
            // A value stored as text, as a spreadsheet shows "200000" with a
            // green corner.
            (
                "P2",
                "Bando A",
                Text("200000"),
                Number(100_000.5),
                "2026-10-01",
            ),
            (
                "P3",
                "Bando B",
                Number(1_234.56),
                Formula(617.28),
                "2026-01-15",
            ),
        ],
    ),
    (
        "Energia",
        &[
            (
                "P4",
                "Bando B",
                Number(50_000.0),
                DivisionByZero,
                "2026-03-03",
            ),
            (
                "P5",
                "Bando B",
                Number(80_000.0),
                Number(40_000.0),
                "2026-12-20",
            ),
        ],
    ),
];

fn members_sheet() -> Sheet {
    let mut cells = vec![(0, 0, Text("Cluster Lombardi – soci al 30/11/2026"))];
    let header = [
        "Codice fiscale",
        "Denominazione",
        "Categoria",
        "Cluster",
        "Data adesione",
    ];
    for (col, name) in header.iter().enumerate() {
        cells.push((2, col as u16, Text(name)));
    }
    let mut merges = vec![(0, 0, 0, 4)];
    let mut row = 3;
    for (cluster, members) in MEMBERS {
        cells.push((row, 3, Text(cluster)));
        merges.push((row, 3, row + members.len() as u32 - 1, 3));
        for (id, name, category, joined) in members {
            cells.push((row, 0, Text(id)));
            cells.push((row, 1, Text(name)));
            cells.push((row, 2, Text(category)));
            cells.push((row, 4, Date(joined)));
            row += 1;
        }
    }
    let count: usize = MEMBERS.iter().map(|(_, m)| m.len()).sum();
    cells.push((
        row,
        0,
        Text(Box::leak(format!("Totale soci: {count}").into())),
    ));
    Sheet {
        name: "Soci",
        cells,
        merges,
    }
}

fn projects_sheet() -> Sheet {
    let mut cells = vec![(0, 0, Text("Progetti approvati"))];
    let header = [
        "CUP",
        "Cluster",
        "Bando",
        "Valore progetto",
        "Finanziamento",
        "Data approvazione",
    ];
    for (col, name) in header.iter().enumerate() {
        cells.push((2, col as u16, Text(name)));
    }
    let mut merges = vec![(0, 0, 0, 5)];
    let mut row = 3;
    for (cluster, projects) in PROJECTS {
        cells.push((row, 1, Text(cluster)));
        merges.push((row, 1, row + projects.len() as u32 - 1, 1));
        for (id, call, value, financing, approved) in projects {
            cells.push((row, 0, Text(id)));
            cells.push((row, 2, Text(call)));
            cells.push((row, 3, *value));
            cells.push((row, 4, *financing));
            cells.push((row, 5, Date(approved)));
            row += 1;
        }
    }
    Sheet {
        name: "Progetti",
        cells,
        merges,
    }
}

fn write_xlsx(sheets: &[Sheet], path: &Path) {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let plain = Format::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet().set_name(sheet.name).unwrap();
        // Merge first: rust_xlsxwriter writes a merged region's first cell itself.
        for &(r1, c1, r2, c2) in &sheet.merges {
            worksheet.merge_range(r1, c1, r2, c2, "", &plain).unwrap();
        }
        for &(row, col, cell) in &sheet.cells {
            match cell {
                Text(text) => worksheet.write(row, col, text).map(|_| ()),
                Number(n) => worksheet.write(row, col, n).map(|_| ()),
                Date(iso) => {
                    let d = ExcelDateTime::parse_from_str(iso).unwrap();
                    worksheet
                        .write_datetime_with_format(row, col, &d, &date)
                        .map(|_| ())
                }
                Formula(n) => worksheet
                    .write_formula(
                        row,
                        col,
                        Formula::new(format!("={n}")).set_result(n.to_string()),
                    )
                    .map(|_| ()),
                DivisionByZero => worksheet
                    .write_formula(row, col, Formula::new("=1/0").set_result("#DIV/0!"))
                    .map(|_| ()),
            }
            .unwrap();
        }
    }
    workbook.save(path).unwrap();
}

fn write_xlsb(sheets: &[Sheet], path: &Path) {
    let mut workbook = xlsb::Workbook::new();
    for sheet in sheets {
        let worksheet = workbook.sheet(sheet.name);
        for &(row, col, cell) in &sheet.cells {
            let col = u32::from(col);
            match cell {
                Text(text) => worksheet.text(row, col, text),
                Number(n) => worksheet.number(row, col, n),
                Date(iso) => worksheet.date(row, col, iso),
                Formula(n) => worksheet.formula(row, col, xlsb::Value::Number(n)),
                DivisionByZero => worksheet.formula(row, col, xlsb::Value::Error(0x07)),
            };
        }
        for &(r1, c1, r2, c2) in &sheet.merges {
            worksheet.merge(r1, u32::from(c1), r2, u32::from(c2));
        }
    }
    workbook.save(path);
}

/// Runs the tool on the one workbook `name` in a fresh folder; the summary and
/// the issues with the file's name taken out.
fn run(name: &str, write: impl FnOnce(&Path)) -> (Value, String) {
    let wd = Workdir::new(&format!("xlsb-ods-{name}"));
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    write(&wd.path(&format!("inputs/{name}")));
    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "clusters = [\"Mobilità\", \"Energia\"]\n[[cap]]\nmax_ratio = 0.8\n",
    )
    .unwrap();
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ])
    .expect_code(0);
    let issues = wd
        .read("out/2026-11/issues.csv")
        .replace(&format!("inputs/{name}"), "inputs/FILE");
    (wd.json("out/2026-11/summary.json"), issues)
}

/// The figures the rows give as of 30/11/2026, checked in one run's summary.
fn check_figures(name: &str, summary: &Value, issues: &str) {
    let mut members: BTreeMap<&str, u64> = BTreeMap::new();
    for (cluster, rows) in MEMBERS {
        let counted = rows.iter().filter(|r| r.3 <= "2026-11-30").count();
        members.insert(cluster, counted as u64);
    }
    for (cluster, n) in &members {
        assert_eq!(
            summary["members"]["by_cluster"][cluster]["total"], *n,
            "{name}: {cluster}\n{summary}"
        );
    }
    assert_eq!(summary["members"]["by_category"]["sme"], 2, "{name}");

    // Projects approved by 30/11/2026 with a value and a financing; P4's
    // financing is a formula error.
    let amount = |cell: &Cell| match cell {
        Number(n) | Formula(n) => Some(*n),
        Text(t) => t.parse::<f64>().ok(),
        _ => None,
    };
    let (mut count, mut value, mut financing) = (0, 0.0, 0.0);
    let mut by_cluster = BTreeMap::new();
    for (cluster, rows) in PROJECTS {
        for (_, _, v, f, approved) in rows {
            if let (Some(v), Some(f), true) = (amount(v), amount(f), *approved <= "2026-11-30") {
                count += 1;
                value += v;
                financing += f;
                *by_cluster.entry(cluster).or_insert(0) += 1;
            }
        }
    }
    let projects = &summary["projects"];
    assert_eq!(projects["count"], count, "{name}\n{summary}");
    assert_eq!(
        projects["project_value"],
        (value * 100.0f64).round() / 100.0,
        "{name}"
    );
    assert_eq!(
        projects["financing"],
        (financing * 100.0f64).round() / 100.0,
        "{name}"
    );
    for (cluster, n) in by_cluster {
        assert_eq!(
            projects["by_cluster"][cluster]["count"], n,
            "{name}: {cluster}"
        );
    }
    // P4's financing, E7 of Progetti: an error naming the cell, in every format.
    assert!(
        issues.contains("error,inputs/FILE,Progetti,E7,7,#DIV/0!,"),
        "{name}\n{issues}"
    );
    assert_eq!(summary["issues"]["errors"], 1, "{name}\n{issues}");
}

#[test]
fn xlsb_reads_as_xlsx() {
    let sheets = [members_sheet(), projects_sheet()];
    let (xlsx, xlsx_issues) = run("soci_progetti.xlsx", |p| write_xlsx(&sheets, p));
    check_figures("xlsx", &xlsx, &xlsx_issues);
    let (xlsb, xlsb_issues) = run("soci_progetti.xlsb", |p| write_xlsb(&sheets, p));
    check_figures("xlsb", &xlsb, &xlsb_issues);
    for key in ["members", "projects", "audit", "issues"] {
        assert_eq!(xlsb[key], xlsx[key], "{key}");
    }
    assert_eq!(xlsb_issues, xlsx_issues);
}

/// Converts `file` to the format `to` (`ods`, `xlsx`) beside it with
/// LibreOffice, in a profile of its own (other LibreOffice processes may run),
/// and returns the converted file.
fn libreoffice_convert(file: &Path, to: &str) -> std::path::PathBuf {
    let dir = file.parent().unwrap();
    let out = dir.join(format!("converted-{to}"));
    let profile = dir.join("libreoffice-profile");
    let output = outside_program(
        Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", to, "--outdir"])
            .arg(&out)
            .arg(file),
        LIBREOFFICE,
    );
    assert!(output.status.success(), "{output:?}");
    out.join(file.with_extension(to).file_name().unwrap())
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn libreoffice_reads_the_writer_s_xlsb_as_written() {
    // An independent reader for the writer: LibreOffice opens the xlsb and saves
    // it as xlsx, which calamine reads back with its merged regions.
    let wd = Workdir::new("xlsb-libreoffice");
    let sheets = [members_sheet(), projects_sheet()];
    write_xlsb(&sheets, &wd.path("written.xlsb"));
    let xlsx = libreoffice_convert(&wd.path("written.xlsb"), "xlsx");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(workbook.sheet_names(), ["Soci", "Progetti"]);
    for sheet in &sheets {
        let range = workbook.worksheet_range(sheet.name).unwrap();
        for &(row, col, cell) in &sheet.cells {
            let read = range.get_value((row, u32::from(col))).cloned();
            let expected = match cell {
                Text(text) => Data::String(text.into()),
                Number(n) | Formula(n) => Data::Float(n),
                Date(iso) => {
                    let Some(Data::DateTime(d)) = &read else {
                        panic!("{} {row},{col}: a date cell, not {read:?}", sheet.name);
                    };
                    assert_eq!(d.as_datetime().unwrap().date().to_string(), iso);
                    continue;
                }
                DivisionByZero => Data::Error(calamine::CellErrorType::Div0),
            };
            assert_eq!(read, Some(expected), "{} {row},{col}", sheet.name);
        }
        let mut merges: Vec<(u32, u16, u32, u16)> = workbook
            .merge_cells_by_sheet_name(sheet.name)
            .unwrap()
            .iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        merges.sort_unstable();
        let mut written = sheet.merges.clone();
        written.sort_unstable();
        assert_eq!(merges, written, "{}", sheet.name);
    }
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn ods_from_libreoffice_reads_as_xlsx() {
    let sheets = [members_sheet(), projects_sheet()];
    let (xlsx, xlsx_issues) = run("ods-source.xlsx", |p| write_xlsx(&sheets, p));
    let (ods, ods_issues) = run("soci_progetti.ods", |p| {
        let scratch = p.parent().unwrap().parent().unwrap().join("scratch");
        std::fs::create_dir_all(&scratch).unwrap();
        let source = scratch.join("soci_progetti.xlsx");
        write_xlsx(&sheets, &source);
        std::fs::copy(libreoffice_convert(&source, "ods"), p).unwrap();
    });
    check_figures("ods", &ods, &ods_issues);
    for key in ["members", "projects", "audit", "issues"] {
        assert_eq!(ods[key], xlsx[key], "{key}");
    }
    assert_eq!(ods_issues, xlsx_issues);
}

#[test]
fn an_ods_cut_inside_a_sheet_is_refused_not_read_for_ever() {
    // calamine 0.38 loops for ever on a content.xml that ends inside a sheet
    // (found by mutating the ods of the test above).
    let wd = Workdir::new("xlsb-ods-cut");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#,
        r#"<table:table table:name="Soci"><table:table-row><table:table-cell office:value-type="string"><text:p>Codice fiscale</text:p></table:table-cell></table:table-row>"#,
        // The sheet's end tag has lost its "<".
        r#"/table:table></office:spreadsheet></office:body></office:document-content>"#,
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    for (name, bytes) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content),
    ] {
        zip.start_file(name, stored).unwrap();
        std::io::Write::write_all(&mut zip, bytes.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(wd.path("inputs/soci.ods"), bytes).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_consolida"))
        .args(["validate", "--inputs", "inputs"])
        .current_dir(&wd.dir)
        .env_remove("CONSOLIDA_TIMINGS")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("consolida still reads the cut ods after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "consolida: error: inputs/soci.ods: cannot open the workbook: content.xml ends inside the sheet 'Soci'.\n"
    );
}
