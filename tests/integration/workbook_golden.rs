//! A golden test in the style of rust_xlsxwriter's own: the workbook of
//! `tests/fixtures/small` for 2026-11 is unzipped and each part compared with the
//! checked-in expectation under `tests/golden/small-2026-11/`, split at tag
//! boundaries so that a difference shows as a line. Nothing is stripped before
//! comparing: the creation time is fixed from the period, so nothing varies.
//!
//! After a deliberate change to the workbook, rewrite the expectations with
//! `CONSOLIDA_BLESS=1 cargo test --test integration workbook_golden` and review
//! the diff.

use crate::common::package::parts;
use crate::common::{root, Workdir};
use std::path::{Path, PathBuf};

const GOLDEN: &str = "tests/golden/small-2026-11";

/// One element per line.
fn lines(xml: &str) -> String {
    let mut text = xml.replace("><", ">\n<");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Every file under `dir`, as paths relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

fn bless(golden: &Path, parts: &[(String, String)]) {
    let _ = std::fs::remove_dir_all(golden);
    for (name, text) in parts {
        let path: PathBuf = golden.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}

#[test]
fn the_small_workbook_matches_its_golden_parts() {
    let wd = Workdir::new("golden");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "xlsx", "--quiet",
    ])
    .expect_code(0);
    let parts: Vec<(String, String)> = parts(&wd.path("out/2026-11/consolida-2026-11.xlsx"))
        .into_iter()
        .map(|(name, bytes)| {
            let xml = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not text"));
            (name, lines(&xml))
        })
        .collect();
    let golden = root().join(GOLDEN);
    if std::env::var("CONSOLIDA_BLESS").as_deref() == Ok("1") {
        bless(&golden, &parts);
        eprintln!("blessed {} parts in {GOLDEN}", parts.len());
        return;
    }
    let hint = "if the change is deliberate: CONSOLIDA_BLESS=1 cargo test --test integration workbook_golden";
    let names: Vec<String> = parts.iter().map(|(name, _)| name.clone()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        files_under(&golden),
        "the package's parts differ; {hint}"
    );
    for (name, actual) in &parts {
        let expected = std::fs::read_to_string(golden.join(name)).unwrap();
        if *actual == expected {
            continue;
        }
        let (number, (want, got)) = expected
            .lines()
            .chain(std::iter::repeat(""))
            .zip(actual.lines().chain(std::iter::repeat("")))
            .enumerate()
            .find(|(_, (want, got))| want != got)
            .unwrap();
        panic!(
            "{name} differs from {GOLDEN}/{name} at line {}:\n  expected: {want}\n  actual:   {got}\n{hint}",
            number + 1
        );
    }
}
