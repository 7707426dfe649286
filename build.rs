//! Finds the outside programs some integration tests run, and sets `has_<program>`
//! for each one found: poppler's `pdftotext`, `pdffonts` and `pdfinfo`, `qpdf`,
//! LibreOffice's `soffice` (on PATH), and `openpyxl` (importable by `python3`).
//! A test that needs a missing program is ignored, with the reason, rather than
//! passed. Under `CI=true` every `has_` is set, since `.ci/test-tools` installs the
//! programs there: a test whose program is still missing fails.
//!
//! Cargo runs this again when PATH, PYTHONPATH or CI change, when a folder on
//! PATH changes (a program installed or removed), and when the openpyxl found
//! changes or is removed. Installing openpyxl may change no folder on PATH:
//! `touch build.rs` then has it looked for again.

use std::path::PathBuf;
use std::process::Command;

/// The programs looked for on PATH, by the name the tests run them by.
const PROGRAMS: [&str; 5] = ["pdftotext", "pdffonts", "pdfinfo", "qpdf", "soffice"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    for variable in ["PATH", "PYTHONPATH", "CI"] {
        println!("cargo::rerun-if-env-changed={variable}");
    }
    let folders = path_folders();
    for folder in &folders {
        println!("cargo::rerun-if-changed={}", folder.display());
    }
    let required = std::env::var("CI").as_deref() == Ok("true");
    for program in PROGRAMS {
        let found = folders.iter().any(|folder| folder.join(program).is_file());
        declare(program, required || found);
    }
    let openpyxl = openpyxl_file();
    if let Some(file) = &openpyxl {
        println!("cargo::rerun-if-changed={}", file.display());
    }
    declare("openpyxl", required || openpyxl.is_some());
}

/// Declares the cfg `has_<name>`, and sets it when `present`.
fn declare(name: &str, present: bool) {
    println!("cargo::rustc-check-cfg=cfg(has_{name})");
    if present {
        println!("cargo::rustc-cfg=has_{name}");
    }
}

/// The existing folders named by PATH; relative entries, which depend on the
/// folder a test runs in, are left out.
fn path_folders() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .filter(|folder| folder.is_absolute() && folder.is_dir())
        .collect()
}

/// The `__init__.py` of the openpyxl package that `python3` imports, if it
/// imports one.
fn openpyxl_file() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args(["-c", "import openpyxl; print(openpyxl.__file__)"])
        .output()
        .ok()?;
    let file = String::from_utf8(output.stdout).ok()?;
    output
        .status
        .success()
        .then(|| PathBuf::from(file.trim_end()))
}
