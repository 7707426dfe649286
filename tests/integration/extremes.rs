//! Inputs at the edges of what a report holds: a period with no active member
//! or no approved project (a month before the data begins, a member list of a
//! header only, lists whose every row is rejected), and a title of a million
//! characters. Every output is written, and each says what it holds in its own
//! terms. (A table longer than a sheet is tested in `src/render/xlsx/cut.rs`,
//! on sheets made shorter: a million rows take minutes in a debug build.)

use crate::common::package::parts;
use crate::common::{root, Workdir};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::BufReader;
use std::path::Path;

const EVERY_FORMAT: &str = "xlsx,pdf,csv,parquet";
const CONFIG: &str = "clusters = [\"Mobilità\", \"Scienze della vita\"]\n";
const MEMBERS_HEADER: &str =
    "Codice fiscale;Denominazione;Categoria;Cluster;Provincia;Data adesione\n";
const PROJECTS_HEADER: &str =
    "CUP;Titolo;Cluster;Bando;Capofila;Valore progetto;Finanziamento;Data approvazione\n";

/// Writes `consolida.toml`, `soci.csv` and `progetti.csv` into `wd/inputs`.
fn write_inputs(wd: &Workdir, members: &str, projects: &str) {
    let dir = wd.path("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("consolida.toml"), CONFIG).unwrap();
    std::fs::write(dir.join("soci.csv"), format!("{MEMBERS_HEADER}{members}")).unwrap();
    std::fs::write(
        dir.join("progetti.csv"),
        format!("{PROJECTS_HEADER}{projects}"),
    )
    .unwrap();
}

/// The files of the period folder `dir`, by name.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file `--format xlsx,pdf,csv,parquet` writes for `period`.
fn every_output(period: &str) -> Vec<String> {
    let mut names: Vec<String> = [
        "SHA256SUMS",
        "de_minimis.csv",
        "de_minimis.parquet",
        "financing_audit.csv",
        "financing_audit.parquet",
        "inputs.csv",
        "inputs.parquet",
        "issues.csv",
        "issues.parquet",
        "manifest.json",
        "members_by_cluster.csv",
        "members_by_cluster.parquet",
        "members_by_province.csv",
        "members_by_province.parquet",
        "monitoring.csv",
        "monitoring.parquet",
        "partner_audit.csv",
        "partner_audit.parquet",
        "projects_by_call.csv",
        "projects_by_call.parquet",
        "projects_by_cluster.csv",
        "projects_by_cluster.parquet",
        "summary.json",
        "trend.csv",
        "trend.parquet",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    names.push(format!("consolida-{period}.pdf"));
    names.push(format!("consolida-{period}.xlsx"));
    names.sort();
    names
}

fn workbook(path: &Path) -> Xlsx<BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of the cell at (`row`, `col`) of sheet `name`, if it holds text.
fn cell_text(xlsx: &Path, name: &str, (row, col): (usize, usize)) -> Option<String> {
    let range = workbook(xlsx).worksheet_range(name).unwrap();
    match range.get((row, col)) {
        Some(Data::String(text)) => Some(text.clone()),
        _ => None,
    }
}

/// The PDF's text, every run of whitespace one space.
fn pdf_words(pdf: &Path) -> String {
    let text = pdf_extract::extract_text(pdf).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks what the outputs in `dir` of an empty `period` say: nothing counted,
/// and in the workbook and the PDF the sentence that says so (`said`), with no
/// chart.
fn assert_an_empty_period(wd: &Workdir, period: &str, said: &str) {
    let dir = wd.path(&format!("out/{period}"));
    assert_eq!(files(&dir), every_output(period));
    let summary = wd.json(&format!("out/{period}/summary.json"));
    assert_eq!(summary["members"]["total"], 0, "{summary}");
    assert_eq!(summary["projects"]["count"], 0, "{summary}");
    let members = wd.read(&format!("out/{period}/members_by_cluster.csv"));
    for cluster in members.lines().skip(1) {
        let zeros = format!(",0,0,0,0,0,0,0,0,{period}");
        assert!(cluster.ends_with(&zeros), "{members}");
    }
    let audit = wd.read(&format!("out/{period}/financing_audit.csv"));
    assert_eq!(audit.lines().count(), 1, "the header alone:\n{audit}");
    for parquet in ["members_by_cluster", "financing_audit", "issues"] {
        let bytes = std::fs::read(dir.join(format!("{parquet}.parquet"))).unwrap();
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{parquet}"
        );
    }
    let xlsx = dir.join(format!("consolida-{period}.xlsx"));
    assert_eq!(cell_text(&xlsx, "Sintesi", (2, 0)).as_deref(), Some(said));
    let charts: Vec<String> = parts(&xlsx)
        .into_keys()
        .filter(|name| name.starts_with("xl/charts/"))
        .collect();
    assert!(charts.is_empty(), "{charts:?}");
    let pdf = pdf_words(&dir.join(format!("consolida-{period}.pdf")));
    assert!(pdf.contains(said), "{said:?} not in the PDF:\n{pdf}");
}

#[test]
fn a_month_before_the_data_begins_writes_every_output_and_says_it_is_empty() {
    let wd = Workdir::new("extremes-2012-06");
    let inputs = root().join("inputs");
    wd.run(&[
        "--inputs",
        inputs.to_str().unwrap(),
        "--out",
        "out",
        "--period",
        "2012-06",
        "--format",
        EVERY_FORMAT,
        "--quiet",
    ])
    .expect_code(0)
    .expect_stderr("");
    let said = "Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.";
    assert_an_empty_period(&wd, "2012-06", said);
    // The configured clusters are listed, with nothing in them.
    let members = wd.read("out/2012-06/members_by_cluster.csv");
    assert!(
        members.contains("\nMobilità,0,0,0,0,0,0,0,0,2012-06\n"),
        "{members}"
    );
    let xlsx = wd.path("out/2012-06/consolida-2012-06.xlsx");
    // Ten clusters and the totals row, then where the chart would be.
    let note = cell_text(&xlsx, "Soci per categoria", (13, 0));
    assert_eq!(note.as_deref(), Some("Nessun socio attivo alla data."));
    let note = cell_text(&xlsx, "Progetti per cluster", (13, 0));
    assert_eq!(
        note.as_deref(),
        Some("Nessun progetto approvato alla data.")
    );
}

#[test]
fn lists_whose_every_row_is_rejected_give_an_empty_period() {
    let wd = Workdir::new("extremes-rejected");
    // An unknown category and an unknown cluster: each row is left out.
    let members = "01;Alfa;Fondazione;Mobilità;MI;01/02/2020\n\
                   02;Beta;PMI;Aerospazio;MI;01/02/2020\n";
    let projects = "P1;Progetto;Aerospazio;Bando;01;100.000,00;50.000,00;01/03/2026\n";
    write_inputs(&wd, members, projects);
    wd.run(&[
        "--out",
        "out",
        "--period",
        "2026-11",
        "--format",
        EVERY_FORMAT,
        "--quiet",
    ])
    .expect_code(0)
    .expect_stderr("");
    let said = "Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.";
    assert_an_empty_period(&wd, "2026-11", said);
    let issues = wd.read("out/2026-11/issues.csv");
    assert_eq!(
        issues.lines().count(),
        4,
        "a header and three rows left out:\n{issues}"
    );
}

#[test]
fn a_member_list_of_a_header_only_says_no_member_is_active() {
    let wd = Workdir::new("extremes-header-only");
    let projects = "P1;Progetto;Mobilità;Bando;01;100.000,00;50.000,00;01/03/2026\n";
    write_inputs(&wd, "", projects);
    wd.run(&[
        "--out",
        "out",
        "--period",
        "2026-11",
        "--format",
        EVERY_FORMAT,
        "--quiet",
    ])
    .expect_code(0)
    .expect_stderr("");
    assert_eq!(files(&wd.path("out/2026-11")), every_output("2026-11"));
    let summary = wd.json("out/2026-11/summary.json");
    assert_eq!(summary["members"]["total"], 0, "{summary}");
    assert_eq!(summary["projects"]["count"], 1, "{summary}");
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let said = "Nessun socio attivo alla data.";
    assert_eq!(cell_text(&xlsx, "Sintesi", (2, 0)).as_deref(), Some(said));
    // Two clusters and the totals row, then the note where the chart would be.
    assert_eq!(
        cell_text(&xlsx, "Soci per categoria", (5, 0)).as_deref(),
        Some(said)
    );
    // The projects' chart is drawn, the members' is not.
    let charts: Vec<String> = parts(&xlsx)
        .into_iter()
        .filter(|(name, _)| name.starts_with("xl/charts/"))
        .map(|(_, xml)| String::from_utf8(xml).unwrap())
        .collect();
    assert_eq!(charts.len(), 1);
    assert!(
        charts[0].contains("'Progetti per cluster'!$D$2:$D$3"),
        "{}",
        charts[0]
    );
    let pdf = pdf_words(&wd.path("out/2026-11/consolida-2026-11.pdf"));
    assert!(pdf.contains(&format!("Dati al 30/11/2026 {said}")), "{pdf}");
}

#[test]
fn a_title_of_a_million_characters_is_cut_in_the_pdf_only() {
    let wd = Workdir::new("extremes-long-title");
    // One unbroken word of a letter nothing else in the report has.
    let title = "ж".repeat(1_000_000);
    let members = "01;Alfa;PMI;Mobilità;MI;01/02/2020\n";
    let projects = format!("P1;{title};Mobilità;Bando;01;100.000,00;50.000,00;01/03/2026\n");
    write_inputs(&wd, members, &projects);
    wd.run(&[
        "--out",
        "out",
        "--period",
        "2026-11",
        "--format",
        "xlsx,pdf,csv",
        "--quiet",
    ])
    .expect_code(0)
    .expect_stderr("");
    let audit = wd.read("out/2026-11/financing_audit.csv");
    assert!(
        audit.contains(&format!(",{title},")),
        "the CSV holds it whole"
    );
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let cell = cell_text(&xlsx, "Controllo finanziamenti", (1, 1)).unwrap();
    assert_eq!(cell, format!("{}…", "ж".repeat(32_766)), "Excel's limit");
    // Appendix A shows the project's code and, below it, its title: a cell of
    // a thousand characters, the last an ellipsis.
    let pdf = pdf_extract::extract_text(wd.path("out/2026-11/consolida-2026-11.pdf")).unwrap();
    let drawn: String = pdf.chars().filter(|ch| matches!(ch, 'ж' | '…')).collect();
    assert_eq!(drawn, format!("{}…", "ж".repeat(1_000 - "P1\n".len() - 1)));
}
