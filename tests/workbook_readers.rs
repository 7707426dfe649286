//! The workbook opened by independent readers, so that a file Excel would have to
//! "repair" cannot pass: openpyxl (`tests/xlsx_check.py`) checks tables, totals,
//! formulas, links, layout and cached figures; LibreOffice recalculates every
//! formula and must find the very figures the workbook carries as results.

mod common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{root, tool_available, Workdir};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The shipped inputs for 2026-11, in Italian: the workbook and `summary.json`.
fn run_shipped(wd: &Workdir) -> (PathBuf, PathBuf) {
    wd.run_shipped(&["--format", "xlsx", "--quiet"])
        .expect_code(0);
    (
        wd.path("out/2026-11/consolida-2026-11.xlsx"),
        wd.path("out/2026-11/summary.json"),
    )
}

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn openpyxl_reads_the_workbook_as_written() {
    let ready = succeeds("python3", &["-c", "import openpyxl"]);
    if !tool_available(ready, "openpyxl: python3 -m pip install openpyxl") {
        return;
    }
    let wd = Workdir::new("readers-openpyxl");
    let (xlsx, summary) = run_shipped(&wd);
    let output = Command::new("python3")
        .arg(root().join("tests/xlsx_check.py"))
        .arg(&xlsx)
        .arg(&summary)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tests/xlsx_check.py found problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A LibreOffice profile that recalculates every formula of an xlsx on load
/// instead of trusting the cached results.
fn recalculating_profile(dir: &Path) -> String {
    let user = dir.join("user");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    format!("file://{}", dir.display())
}

/// A number as LibreOffice writes it in CSV: `1234.5`, or `44.71%`.
fn lo_number(text: &str) -> Option<f64> {
    match text.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().ok().map(|p| p / 100.0),
        None => text.parse().ok(),
    }
}

#[test]
fn libreoffice_recalculates_the_figures_the_workbook_carries() {
    let ready = succeeds("soffice", &["--version"]);
    if !tool_available(
        ready,
        "LibreOffice Calc: apt-get install libreoffice-calc-nogui",
    ) {
        return;
    }
    let wd = Workdir::new("readers-libreoffice");
    let (xlsx, _) = run_shipped(&wd);
    let profile = recalculating_profile(&wd.path("profile"));
    let csv_dir = wd.path("csv");
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to"])
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(&csv_dir)
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");

    let mut workbook: Xlsx<BufReader<std::fs::File>> = open_workbook(&xlsx).unwrap();
    let (mut compared, mut carried) = (0, 0);
    for sheet in workbook.sheet_names() {
        let cached = workbook.worksheet_range(&sheet).unwrap();
        carried += cached
            .used_cells()
            .filter(|(_, _, c)| matches!(c, Data::Float(_)))
            .count();
        let path = csv_dir.join(format!("consolida-2026-11-{sheet}.csv"));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (row, record) in reader.records().enumerate() {
            let record = record.unwrap();
            for (col, field) in record.iter().enumerate() {
                assert!(
                    !field.starts_with("Err:") && !field.starts_with('#'),
                    "{sheet} row {} column {}: LibreOffice computes {field}",
                    row + 1,
                    col + 1
                );
                let Some(Data::Float(expected)) = cached.get_value((row as u32, col as u32)) else {
                    continue;
                };
                let computed = lo_number(field).unwrap_or_else(|| {
                    panic!("{sheet} row {} column {}: {field:?}", row + 1, col + 1)
                });
                assert!(
                    (computed - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                    "{sheet} row {} column {}: LibreOffice computes {computed}, the workbook carries {expected}",
                    row + 1,
                    col + 1
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, carried, "every figure is compared");
    assert!(
        compared > 2000,
        "the shipped inputs give thousands of figures"
    );
}
