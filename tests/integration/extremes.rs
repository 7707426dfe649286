//! Inputs at the edges of what a report holds: a title of a million
//! characters. Every output is written, and each holds what it can in its own
//! terms.

use crate::common::Workdir;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::BufReader;
use std::path::Path;

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
