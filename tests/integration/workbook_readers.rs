//! The workbook opened by independent readers, so that a file Excel would have to
//! "repair" cannot pass: openpyxl (`tests/xlsx_check.py`) checks tables, totals,
//! formulas, links, layout and cached figures; LibreOffice recalculates every
//! formula and must find the very figures the workbook carries as results
//! (`tests/common/readers.rs`).

use crate::common::readers::{libreoffice_recalculated_figures, openpyxl_problems};
use crate::common::Workdir;
use std::path::PathBuf;

/// The shipped inputs for 2026-11, in Italian: the workbook and `summary.json`.
fn run_shipped(wd: &Workdir) -> (PathBuf, PathBuf) {
    wd.run_shipped(&["--format", "xlsx", "--quiet"])
        .expect_code(0);
    (
        wd.path("out/2026-11/consolida-2026-11.xlsx"),
        wd.path("out/2026-11/summary.json"),
    )
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl")]
fn openpyxl_reads_the_workbook_as_written() {
    let wd = Workdir::new("readers-openpyxl");
    let (xlsx, summary) = run_shipped(&wd);
    if let Err(problems) = openpyxl_problems(&xlsx, &summary) {
        panic!("tests/xlsx_check.py found problems:\n{problems}");
    }
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn libreoffice_recalculates_the_figures_the_workbook_carries() {
    let wd = Workdir::new("readers-libreoffice");
    let (xlsx, _) = run_shipped(&wd);
    let compared = libreoffice_recalculated_figures(&xlsx, &wd.path("lo"));
    assert!(
        compared > 2000,
        "the shipped inputs give thousands of figures"
    );
}
