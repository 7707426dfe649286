//! Independent readers of a written workbook, for the tests that open it outside
//! calamine: openpyxl through `tests/xlsx_check.py`, and LibreOffice recalculating
//! every formula. The tests that call them are ignored where the tool is missing
//! (see `build.rs`).

use super::{outside_program, root};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::io::BufReader;
use std::path::Path;
use std::process::Command;

/// How to install LibreOffice Calc, for a test that needs it.
pub const LIBREOFFICE: &str = "LibreOffice Calc (apt-get install libreoffice-calc-nogui)";

/// Runs `tests/xlsx_check.py` on the workbook and its `summary.json`: what
/// openpyxl found wrong, if anything.
pub fn openpyxl_problems(xlsx: &Path, summary: &Path) -> Result<(), String> {
    let output = outside_program(
        Command::new("python3")
            .arg(root().join("tests/xlsx_check.py"))
            .arg(xlsx)
            .arg(summary),
        "python3 and openpyxl (python3 -m pip install openpyxl)",
    );
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
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

/// Opens the workbook in LibreOffice with every formula recalculated, exports each
/// sheet as CSV into `work`, and asserts that no cell shows an error and that every
/// number the workbook carries is the one LibreOffice computes. Returns how many
/// figures were compared.
pub fn libreoffice_recalculated_figures(xlsx: &Path, work: &Path) -> usize {
    let profile = recalculating_profile(&work.join("profile"));
    let csv_dir = work.join("csv");
    let output = outside_program(
        Command::new("soffice")
            .arg(format!("-env:UserInstallation={profile}"))
            .args(["--headless", "--convert-to"])
            .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
            .arg("--outdir")
            .arg(&csv_dir)
            .arg(xlsx),
        LIBREOFFICE,
    );
    assert!(output.status.success(), "{output:?}");

    let stem = xlsx.file_stem().unwrap().to_string_lossy();
    let mut workbook: Xlsx<BufReader<std::fs::File>> = open_workbook(xlsx).unwrap();
    let (mut compared, mut carried) = (0, 0);
    for sheet in workbook.sheet_names() {
        let cached = workbook.worksheet_range(&sheet).unwrap();
        carried += cached
            .used_cells()
            .filter(|(_, _, c)| matches!(c, Data::Float(_)))
            .count();
        let path = csv_dir.join(format!("{stem}-{sheet}.csv"));
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
    compared
}
