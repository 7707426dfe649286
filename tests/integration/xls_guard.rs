//! xls workbooks that would make the reader allocate far beyond their cells: a
//! sheet whose DIMENSIONS record declares 2³² rows, and one with a stray value in
//! IV65536 below a short table. Both are written by LibreOffice from an xlsx the
//! test makes, the first then patched; both must be refused with exit code 3 and
//! a sentence naming the sheet, under a memory limit that a regression would
//! exceed, while the untouched copy still reads.

use crate::common::readers::LIBREOFFICE;
use crate::common::{outside_program, Run, Workdir};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROWS: [(&str, &str, &str); 3] = [
    ("01234567890", "sme", "Mobilità"),
    ("05678901234", "sme", "Energia"),
    ("09012345678", "large_enterprise", "Agrifood"),
];

/// An xlsx of the member list, with a value in IV65536 when `stray`.
fn member_list(path: &Path, stray: bool) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Soci").unwrap();
    for (col, name) in ["Codice fiscale", "Categoria", "Cluster"]
        .iter()
        .enumerate()
    {
        sheet.write(0, col as u16, *name).unwrap();
    }
    for (i, (id, category, cluster)) in ROWS.iter().enumerate() {
        sheet.write(1 + i as u32, 0, *id).unwrap();
        sheet.write(1 + i as u32, 1, *category).unwrap();
        sheet.write(1 + i as u32, 2, *cluster).unwrap();
    }
    if stray {
        sheet.write(65_535, 255, "x").unwrap();
    }
    workbook.save(path).unwrap();
}

/// Converts the xlsx files `files` to xls in `out` with LibreOffice.
/// Converts `files` to xls in `out` with LibreOffice.
pub(crate) fn to_xls(files: &[PathBuf], out: &Path) {
    let profile = out.join("libreoffice-profile");
    let output = outside_program(
        Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "xls", "--outdir"])
            .arg(out)
            .args(files),
        LIBREOFFICE,
    );
    assert!(output.status.success(), "{output:?}");
}

/// Patches the only DIMENSIONS record (type 0x0200, 14 bytes) of the xls `bytes`
/// to declare rows 1 to 2³² − 1 and 65,535 columns.
fn declare_huge(bytes: &mut [u8]) {
    let header = [0x00, 0x02, 0x0E, 0x00];
    let at: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == header)
        .map(|(i, _)| i + 4)
        .collect();
    assert_eq!(at.len(), 1, "one DIMENSIONS record in LibreOffice's xls");
    let body = at[0];
    bytes[body..body + 4].copy_from_slice(&0u32.to_le_bytes());
    bytes[body + 4..body + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[body + 8..body + 10].copy_from_slice(&0u16.to_le_bytes());
    bytes[body + 10..body + 12].copy_from_slice(&u16::MAX.to_le_bytes());
}

/// Runs `validate` on `xls` alone, under one gigabyte of address space: far more
/// than the tool needs, far less than calamine's table for a refused sheet.
fn validate(name: &str, xls: &[u8]) -> Run {
    let wd = Workdir::new(name);
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    std::fs::write(wd.path("inputs/soci.xls"), xls).unwrap();
    wd.run_limited(1 << 20, &["validate", "--inputs", "inputs"])
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn xls_sheets_that_would_take_gigabytes_are_refused() {
    let wd = Workdir::new("xls-guard");
    let (tidy, stray) = (wd.path("tidy.xlsx"), wd.path("stray.xlsx"));
    member_list(&tidy, false);
    member_list(&stray, true);
    to_xls(&[tidy, stray], &wd.dir);
    let tidy = std::fs::read(wd.path("tidy.xls")).unwrap();
    let stray = std::fs::read(wd.path("stray.xls")).unwrap();

    // The untouched list reads as it always did.
    validate("xls-guard-tidy", &tidy)
        .expect_code(0)
        .expect_stderr(&format!(
            "consolida validate: 1 file, {} righe lette, 0 scartate, 0 errori, 0 avvisi\n",
            ROWS.len()
        ));

    // Declared 2³² − 1 rows: calamine would reserve 11 PB and abort.
    let mut huge = tidy.clone();
    declare_huge(&mut huge);
    validate("xls-guard-huge", &huge)
        .expect_code(3)
        .expect_stderr("consolida: error: inputs/soci.xls:Soci: cannot open the workbook: sheet 'Soci' declares 4,294,967,295 rows, and an xls sheet has at most 65,536; the file is damaged.\n");

    // A value in IV65536: calamine would build a table of 65,536 × 256 cells.
    let cells = 3 * (ROWS.len() + 1) + 1;
    validate("xls-guard-stray", &stray)
        .expect_code(3)
        .expect_stderr(&format!(
            "consolida: error: inputs/soci.xls:Soci!IV65536: cannot open the workbook: sheet 'Soci' has {cells} cells, one of them at IV65536, so that they span A1:IV65536, which would make the reader build a table of 16,777,216 cells; delete the stray cells or copy the data to a new sheet.\n"
        ));
}
