//! A report large enough for the workbook's big sheets to be written in
//! rust_xlsxwriter's constant-memory mode (a table of more than 10,000 rows): the
//! audit of 10,050 projects and the issues of 10,050 member rows with an unknown
//! category, from inputs this test writes. The workbook is read back whole: every
//! audit row against `financing_audit.csv`, every issue against `issues.csv`, the
//! counts against `summary.json`; the two big sheets hold their strings inline and
//! the others in the shared-string table; every sheet's rows are in order, each
//! once; and openpyxl and LibreOffice check it as they check the shipped inputs'.

use crate::common::package::{parts, text};
use crate::common::readers::{libreoffice_recalculated_figures, openpyxl_problems};
use crate::common::Workdir;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::fmt::Write as _;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PROJECTS: usize = 10_050;
const BAD_MEMBERS: usize = 10_050;
const GOOD_MEMBERS: usize = 200;
const AUDIT: &str = "Controllo finanziamenti";
const ISSUES: &str = "Anomalie";
/// The calls, with the cap `consolida.toml` sets for them (none for the last).
const CALLS: [(&str, Option<f64>); 3] = [
    ("Asse 1 Consolidamento CTL", Some(0.70)),
    ("Bando Ergon azione 2", Some(0.50)),
    ("Bando libero", None),
];

/// Euros in the Italian form a secretariat types: `12.345,67`.
fn italian(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{grouped},{:02}", cents % 100)
}

/// `consolida.toml`, `soci.csv` and `progetti.csv`: members that lead the
/// projects, member rows whose category is unknown (one error each), and projects
/// over three calls (breaches, near breaches, within the cap and without one; one
/// title in seven long enough to wrap).
fn write_inputs(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut config = String::from(
        "issuer = \"Segreteria di prova\"\ntitle = \"Cluster di prova\"\n\
         clusters = [\"Mobilità\", \"Scienze della vita\"]\n",
    );
    for (call, cap) in CALLS {
        if let Some(cap) = cap {
            write!(config, "\n[[cap]]\ncall = \"{call}\"\nmax_ratio = {cap}\n").unwrap();
        }
    }
    std::fs::write(dir.join("consolida.toml"), config).unwrap();

    let mut members =
        String::from("Codice fiscale;Denominazione;Categoria;Cluster;Provincia;Data adesione\n");
    let clusters = ["Mobilità", "Scienze della vita"];
    for i in 0..GOOD_MEMBERS {
        let cluster = clusters[i % 2];
        writeln!(
            members,
            "M{i:05};Socio {i} S.r.l.;PMI;{cluster};MI;01/02/2020"
        )
        .unwrap();
    }
    for i in 0..BAD_MEMBERS {
        let cluster = clusters[i % 2];
        writeln!(
            members,
            "X{i:05};Ignoto {i};Categoria {i};{cluster};BG;01/02/2020"
        )
        .unwrap();
    }
    std::fs::write(dir.join("soci.csv"), members).unwrap();

    let mut projects = String::from(
        "CUP;Titolo;Cluster;Bando;Capofila;Valore progetto;Finanziamento;Data approvazione\n",
    );
    for i in 0..PROJECTS {
        let (call, cap) = CALLS[i % CALLS.len()];
        let value = 1_000_000 + (i as i64) * 13_757;
        let ratio = match (i % 10, cap) {
            (0, Some(cap)) => cap + 0.05,
            (1, Some(cap)) => cap - 0.01,
            _ => 0.4,
        };
        let financing = (value as f64 * ratio).round() as i64;
        let title = if i % 7 == 0 {
            format!("Progetto {i} di ricerca industriale e sviluppo sperimentale per la filiera lombarda dell'innovazione")
        } else {
            format!("Progetto {i}")
        };
        let day = format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 2020 + i % 6);
        writeln!(
            projects,
            "P{i:05};{title};{};{call};M{:05};{};{};{day}",
            clusters[i % 2],
            i % GOOD_MEMBERS,
            italian(value),
            italian(financing)
        )
        .unwrap();
    }
    std::fs::write(dir.join("progetti.csv"), projects).unwrap();
}

/// The run every test here reads: the workbook, `summary.json` and the CSV files
/// of the large inputs for 2026-11, written once.
fn large_run() -> &'static (Workdir, PathBuf, PathBuf) {
    static RUN: OnceLock<(Workdir, PathBuf, PathBuf)> = OnceLock::new();
    RUN.get_or_init(|| {
        let wd = Workdir::new("xlsx-large");
        write_inputs(&wd.path("inputs"));
        wd.run(&[
            "--out", "out", "--period", "2026-11", "--format", "xlsx,csv", "--quiet",
        ])
        .expect_code(0);
        let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
        let summary = wd.path("out/2026-11/summary.json");
        (wd, xlsx, summary)
    })
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .map(Result::unwrap)
        .collect()
}

fn sheet(xlsx: &Path, name: &str) -> Range<Data> {
    let mut workbook: Xlsx<BufReader<std::fs::File>> = open_workbook(xlsx).unwrap();
    workbook.worksheet_range(name).unwrap()
}

/// A cell as the CSV writes it: text as it is, numbers as the CSV's own figures
/// are compared by value, dates in ISO form, empty as empty.
fn shown(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Empty => String::new(),
        Data::DateTime(d) => d.as_datetime().unwrap().date().to_string(),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// The CSV's figure (`1234.50`, empty) as the workbook holds it.
fn figure(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        field.parse::<f64>().unwrap().to_string()
    }
}

/// The Italian words of a breach reason's key in the CSV file.
fn reason_label(key: &str) -> &'static str {
    match key {
        "" => "",
        "ratio" => "Rapporto oltre il tetto",
        "grant" => "Contributo oltre il massimo",
        "ratio_and_grant" => "Rapporto oltre il tetto e contributo oltre il massimo",
        other => panic!("unknown reason {other}"),
    }
}

fn status_label(key: &str) -> &'static str {
    match key {
        "breach" => "Superamento",
        "near_cap" => "Vicino al tetto",
        "within_cap" => "Entro il tetto",
        "no_cap" => "Nessun tetto",
        "undefined" => "Non calcolabile",
        other => panic!("unknown status {other}"),
    }
}

fn json_count(value: &Value) -> usize {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}")) as usize
}

#[test]
fn the_big_sheets_are_streamed_with_inline_strings_and_the_others_are_not() {
    let (_, xlsx, _) = large_run();
    let parts = parts(xlsx);
    for index in 1..=11 {
        let name = format!("xl/worksheets/sheet{index}.xml");
        let xml = text(&parts, &name);
        // The audit and the issues; not the de minimis and partner sheets
        // after the audit, which the workload leaves short, nor the member
        // sheet (9), which lists 200 members.
        let streamed = index == 6 || index == 10;
        assert_eq!(xml.contains("t=\"inlineStr\""), streamed, "{name}");
        assert_eq!(xml.contains("t=\"s\""), !streamed, "{name}");
        let rows: Vec<u32> = xml
            .split("<row r=\"")
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].parse().unwrap())
            .collect();
        assert!(
            rows.windows(2).all(|w| w[0] < w[1]),
            "{name}: rows out of order or written twice"
        );
    }
    let shared = text(&parts, "xl/sharedStrings.xml");
    assert!(
        shared.contains(">Soci attivi<"),
        "the summary's labels are shared"
    );
    for streamed in [">P00001<", ">Categoria 10049<"] {
        assert!(
            !shared.contains(streamed),
            "{streamed} in the shared strings"
        );
    }
    let audit = text(&parts, "xl/worksheets/sheet6.xml");
    let rows = PROJECTS as u32 + 1;
    let dimension = audit.split("<dimension ref=\"").nth(1).unwrap();
    let dimension = &dimension[..dimension.find('"').unwrap()];
    // One more when the last row is tall: see `Sheet::leave_last_row`.
    assert!(
        [format!("A1:S{rows}"), format!("A1:S{}", rows + 1)].contains(&dimension.to_string()),
        "{dimension}"
    );
    let table = text(&parts, "xl/tables/table5.xml");
    assert!(table.contains(&format!("ref=\"A1:S{rows}\"")), "{table}");
    assert!(
        audit.contains("<conditionalFormatting sqref=\"K2:K"),
        "breaches are marked"
    );
    let tall = audit.matches("customHeight=\"1\"").count();
    assert!(
        tall > PROJECTS / 7,
        "{tall} rows made tall for wrapped titles"
    );
}

#[test]
fn every_audit_row_is_the_csv_row_to_the_cent() {
    let (wd, xlsx, summary) = large_run();
    let audit = sheet(xlsx, AUDIT);
    let expected = csv_rows(&wd.path("out/2026-11/financing_audit.csv"));
    assert_eq!(
        expected.len(),
        PROJECTS,
        "every project is in the portfolio"
    );
    let mut rows: Vec<&[Data]> = audit.rows().skip(1).collect();
    // Below the projects, the totals row: the total to recover.
    let totals = rows.pop().expect("a totals row");
    assert_eq!(rows.len(), expected.len());
    for (row, csv) in rows.iter().zip(&expected) {
        let id = &csv[0];
        let cells: Vec<String> = row.iter().map(shown).collect();
        assert_eq!(cells[0], id);
        assert_eq!(cells[1..4], [&csv[1], &csv[2], &csv[3]], "{id}");
        assert_eq!(cells[4], csv[7], "{id} approved on");
        assert_eq!(cells[5], csv[4], "{id} lead member id");
        assert_eq!(cells[6], csv[26], "{id} lead member name");
        assert_eq!(cells[8], figure(&csv[8]), "{id} value");
        assert_eq!(cells[9], figure(&csv[9]), "{id} financing");
        assert_eq!(cells[10], figure(&csv[10]), "{id} ratio");
        assert_eq!(cells[11], figure(&csv[12]), "{id} cap");
        assert_eq!(cells[12], figure(&csv[14]), "{id} allowed");
        let rule = if csv[11].is_empty() {
            String::new()
        } else {
            format!("[{}] ", &csv[11])
        };
        assert!(cells[13].starts_with(&rule), "{id} rule {}", cells[13]);
        assert_eq!(cells[14], status_label(&csv[15]), "{id} status");
        assert_eq!(cells[15], reason_label(&csv[27]), "{id} reason");
        assert_eq!(cells[16], figure(&csv[16]), "{id} headroom");
        assert_eq!(cells[17], figure(&csv[17]), "{id} excess");
        assert_eq!(cells[18], csv[18], "{id} source");
    }
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap();
    assert_eq!(shown(&totals[0]), "Totale");
    assert_eq!(
        totals[17],
        Data::Float(summary["audit"]["total_excess"].as_f64().unwrap())
    );
    let counts = &summary["audit"]["counts"];
    let with = |status: &str| expected.iter().filter(|r| &r[15] == status).count();
    assert_eq!(with("breach"), json_count(&counts["breach"]));
    assert_eq!(with("near_cap"), json_count(&counts["near_cap"]));
    assert_eq!(with("no_cap"), json_count(&counts["no_cap"]));
    assert!(with("breach") > 600 && with("near_cap") > 600 && with("no_cap") > 3000);
    assert_eq!(rows.len(), json_count(&summary["projects"]["count"]));
}

#[test]
fn every_issue_is_the_csv_row() {
    let (wd, xlsx, summary) = large_run();
    let issues = sheet(xlsx, ISSUES);
    let expected = csv_rows(&wd.path("out/2026-11/issues.csv"));
    assert!(expected.len() >= BAD_MEMBERS, "{} issues", expected.len());
    let rows: Vec<&[Data]> = issues.rows().skip(1).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, csv) in rows.iter().zip(&expected) {
        let cells: Vec<String> = row.iter().map(shown).collect();
        let severity = match &csv[0] {
            "error" => "Errore",
            "warning" => "Avviso",
            other => panic!("severity {other}"),
        };
        assert_eq!(cells[0], severity);
        assert_eq!(cells[1..4], [&csv[1], &csv[2], &csv[3]]);
        assert_eq!(cells[4], figure(&csv[4]), "row of {}", &csv[7]);
        assert_eq!(cells[5], csv[5]);
        // The workbook's message is in Italian, the CSV's in English: the
        // two differ, and both quote the value.
        assert_ne!(cells[6], csv[7]);
        if !csv[5].is_empty() {
            assert!(cells[6].contains(&format!("«{}»", &csv[5])), "{}", cells[6]);
            assert!(csv[7].contains(&format!("'{}'", &csv[5])), "{}", &csv[7]);
        }
        assert_eq!(cells[7], csv[8]);
    }
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap();
    let errors = expected.iter().filter(|r| &r[0] == "error").count();
    assert_eq!(errors, json_count(&summary["issues"]["errors"]));
    assert_eq!(
        expected.len() - errors,
        json_count(&summary["issues"]["warnings"])
    );
}

#[test]
fn a_temporary_folder_that_cannot_be_written_is_named() {
    let (wd, _, _) = large_run();
    let missing = wd.path("no-such-folder");
    let run = wd.run_with_env(
        &[
            "--inputs", "inputs", "--out", "out-tmp", "--period", "2026-11", "--format", "xlsx",
            "--quiet",
        ],
        &[("TMPDIR", missing.to_str().unwrap())],
    );
    run.expect_code(4)
        .expect_stderr(&format!(
            "consolida: error: internal error: xlsx report: could not write the financing audit: the folder for temporary files, {}, cannot be written (No such file or directory (os error 2)); set TMPDIR to one that can.\n",
            missing.display()
        ));
    assert!(!wd.path("out-tmp/2026-11").exists(), "nothing is written");
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl")]
fn openpyxl_reads_the_large_workbook_without_a_warning() {
    let (_, xlsx, summary) = large_run();
    if let Err(problems) = openpyxl_problems(xlsx, summary) {
        panic!("tests/xlsx_check.py found problems:\n{problems}");
    }
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn libreoffice_recalculates_the_large_workbook_without_an_error() {
    let (wd, xlsx, _) = large_run();
    let compared = libreoffice_recalculated_figures(xlsx, &wd.path("lo"));
    assert!(compared > 5 * PROJECTS, "{compared} figures compared");
}
