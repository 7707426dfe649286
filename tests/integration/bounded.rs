//! A report a person can read at any scale: however many rows and issues the
//! inputs hold, the PDF keeps to a number of pages and the console to forty
//! lines, while `issues.csv`, `financing_audit.csv` and `--log-format json`
//! keep every row.
//!
//! Two inputs: a small one written here, 400 members listed twice in two files
//! and three unknown categories, whose grouped issues are read back exactly
//! from the PDF (with poppler's `pdftotext`) and the console; and a large one
//! from the project's generator (`examples/generate_inputs`, compiled into this
//! binary): its workload of 40,000 member rows and 8,000 projects as CSV, with
//! the first 5,000 members listed a second time, whose PDF must stay within
//! [`PDF_PAGES`] pages.

use crate::common::Workdir;
use crate::generate_inputs::workload;
use crate::pdf::{cells, layout_text};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

/// Member rows of the generator's workload.
const MEMBERS: usize = 40_000;
/// Of them, how many are listed a second time at the end of `soci.csv`.
const LISTED_AGAIN: usize = 5_000;
/// The most pages the PDF of the large input may have (docs/outputs.md,
/// "How long the PDF is"): it has 40 clusters, 12 provinces and 10 calls, a row
/// each in sections 3 and 4; the monitoring draws 15 of the clusters, 12 have
/// a card of a page in section 2, and sections 5 and 6 and Appendix A are cut
/// to their limits whatever the rows.
const PDF_PAGES: usize = 52;

/// `count` members of ids `<prefix>0001`…, over two clusters, each listed a
/// second time below the first listing, then `unknown` rows of an unknown
/// category.
fn members_listed_twice(prefix: &str, count: usize, unknown: usize) -> String {
    let mut csv =
        String::from("Codice fiscale;Denominazione;Categoria;Cluster;Provincia;Data adesione\n");
    for _ in 0..2 {
        for i in 1..=count {
            let cluster = ["Mobilità", "Energia"][i % 2];
            writeln!(
                csv,
                "{prefix}{i:04};Socio {i} S.r.l.;PMI;{cluster};MI;01/02/2020"
            )
            .unwrap();
        }
    }
    for i in 1..=unknown {
        writeln!(
            csv,
            "{prefix}9{i:03};Startup {i};Startup;Energia;MI;01/02/2020"
        )
        .unwrap();
    }
    csv
}

/// An inputs folder of two member lists: `soci_a.csv` with 250 members listed
/// twice and 3 of an unknown category, `soci_b.csv` with 150 listed twice.
fn repeated_members(wd: &Workdir) {
    let dir = wd.path("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("consolida.toml"),
        "clusters = [\"Mobilità\", \"Energia\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("soci_a.csv"), members_listed_twice("A", 250, 3)).unwrap();
    std::fs::write(dir.join("soci_b.csv"), members_listed_twice("B", 150, 0)).unwrap();
}

#[test]
fn the_console_sums_up_hundreds_of_repeated_warnings_by_kind() {
    let wd = Workdir::new("bounded-console");
    repeated_members(&wd);
    let run = wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "xlsx,csv",
    ]);
    run.expect_code(0).expect_stderr(concat!(
        "403 anomalie (3 errori, 400 avvisi) in 2 file, di 2 tipi; per tipo, prima gli errori, i più frequenti per primi:\n",
        "  3 errori in 1 file, il primo in inputs/soci_a.csv:502:C: Categoria sconosciuta «Startup»: le categorie ammesse sono Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; la rig…\n",
        "    poi in inputs/soci_a.csv:503:C, inputs/soci_a.csv:504:C\n",
        "  400 avvisi in 2 file, il primo in inputs/soci_a.csv:252:A: Il socio A0001 compare di nuovo nel cluster «Energia» (la prima volta in inputs/soci_a.csv:2:A); è contato una volta sola.\n",
        "    poi in inputs/soci_a.csv:253:A, inputs/soci_a.csv:254:A e altri 397\n",
        "Tutte le anomalie sono in out/2026-11/issues.csv e nel foglio «Anomalie» di out/2026-11/consolida-2026-11.xlsx; --log-format json le stampa una per una.\n",
        "consolida 2026-11: 400 soci, 0 progetti, 0 superamenti del tetto, 3 errori, 400 avvisi; 15 file in out/2026-11\n",
    ));
    // In English with --lang en.
    let run = wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "xlsx,csv", "--lang", "en",
    ]);
    run.expect_code(0).expect_stderr(concat!(
        "403 issues (3 errors, 400 warnings) in 2 files, of 2 kinds; by kind, errors first, the most frequent first:\n",
        "  3 errors in 1 file, first at inputs/soci_a.csv:502:C: Unknown category 'Startup': expected one of Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; the row is left out.\n",
        "    then at inputs/soci_a.csv:503:C, inputs/soci_a.csv:504:C\n",
        "  400 warnings in 2 files, first at inputs/soci_a.csv:252:A: Member A0001 appears again in cluster 'Energia' (first at inputs/soci_a.csv:2:A); it is counted once.\n",
        "    then at inputs/soci_a.csv:253:A, inputs/soci_a.csv:254:A and 397 more\n",
        "Every issue is in out/2026-11/issues.csv and the sheet 'Issues' of out/2026-11/consolida-2026-11.xlsx; --log-format json prints each one.\n",
        "consolida 2026-11: 400 members, 0 projects, 0 cap breaches, 3 errors, 400 warnings; 15 files in out/2026-11\n",
    ));
    // The same run with JSON lines: every issue, one object each.
    let run = wd.run(&[
        "--out",
        "json",
        "--period",
        "2026-11",
        "--format",
        "csv",
        "--log-format",
        "json",
    ]);
    run.expect_code(0);
    let levels: Vec<String> = run
        .stderr()
        .lines()
        .map(|line| {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            object["level"].as_str().unwrap().to_string()
        })
        .collect();
    let count = |level: &str| levels.iter().filter(|l| *l == level).count();
    assert_eq!(
        (count("error"), count("warning"), count("info")),
        (3, 400, 1)
    );
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn the_pdf_shows_repeated_warnings_as_one_row_per_kind_with_their_files_and_count() {
    let wd = Workdir::new("bounded-pdf-groups");
    repeated_members(&wd);
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "pdf", "--quiet",
    ])
    .expect_code(0);
    let text = layout_text(&wd.path("out/2026-11/consolida-2026-11.pdf"));
    let section = text
        .split("6. Anomalie")
        .nth(1)
        .and_then(|rest| rest.split("7. Fonti").next())
        .unwrap_or_else(|| panic!("no section 4 in:\n{text}"));
    // Each group's first line: severity, file, the first issue's message, the
    // count and the first cell with its value.
    let row = |severity: &str, file: &str, message: &str, count: &str, first: &str| {
        section.lines().any(|line| {
            let cells = cells(line);
            cells.len() == 5
                && cells[0] == severity
                && cells[1] == file
                && cells[2].starts_with(message)
                && cells[3] == count
                && cells[4] == first
        })
    };
    assert!(
        row(
            "Errore",
            "inputs/soci_a.csv",
            "Categoria sconosciuta «Startup»: le categorie ammesse",
            "3",
            "C502 «Startup»"
        ),
        "{section}"
    );
    // The repeats of both files are one kind: one row, naming how many files,
    // each example its own file.
    assert!(
        row(
            "Avviso",
            "in 2 file",
            "Il socio A0001 compare di nuovo nel cluster «Energia» (la",
            "400",
            "soci_a.csv: A252 «A0001»"
        ),
        "{section}"
    );
    // The next two cells of the group, and no other.
    for cell in ["soci_a.csv: A253 «A0002»", "soci_a.csv: A254 «A0003»"] {
        assert!(section.contains(cell), "{cell} in:\n{section}");
    }
    assert!(
        !section.contains("A0004") && !section.contains("B0001"),
        "{section}"
    );
    // Errors first.
    let at = |needle: &str| section.find(needle).unwrap();
    assert!(at("C502 «Startup»") < at("A252 «A0001»"));
    let flat: String = section.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Errori: 3 · Avvisi: 400"),
        "the counts in:\n{section}"
    );
    assert!(
        flat.contains(
            "L'elenco completo delle anomalie, ciascuna con file, foglio, cella e valore, è nel foglio “Anomalie” di consolida-2026-11.xlsx e in issues.csv."
        ),
        "{flat}"
    );
}

/// The large input's run, made once: its folder and what it printed.
struct LargeRun {
    wd: Workdir,
    stderr: String,
}

/// The generator's workload of [`MEMBERS`] member rows as CSV, with the first
/// [`LISTED_AGAIN`] members listed a second time, reported for 2026-11 as PDF
/// and CSV, once for every test here.
fn large_run() -> &'static LargeRun {
    static RUN: OnceLock<LargeRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let wd = Workdir::new("bounded-large");
        let inputs = wd.path("inputs");
        let options = workload::Options {
            members: MEMBERS,
            csv: true,
        };
        workload::run(&inputs, &options).unwrap();
        let members = std::fs::read_to_string(inputs.join("soci.csv")).unwrap();
        let again: String = members
            .lines()
            .skip(1)
            .take(LISTED_AGAIN)
            .map(|line| format!("{line}\n"))
            .collect();
        std::fs::write(inputs.join("soci.csv"), members + &again).unwrap();
        let run = wd.run(&[
            "--inputs", "inputs", "--out", "out", "--period", "2026-11", "--format", "pdf,csv",
        ]);
        run.expect_code(0);
        LargeRun {
            stderr: run.stderr(),
            wd,
        }
    })
}

/// The values of `column` in the CSV file `name` the run wrote, row by row.
fn column(wd: &Workdir, name: &str, column: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(wd.path(&format!("out/2026-11/{name}"))).unwrap();
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {name}"));
    reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect()
}

/// How many members the run's `issues.csv` names as listed again.
fn listed_again(wd: &Workdir) -> usize {
    column(wd, "issues.csv", "message")
        .iter()
        .filter(|m| m.contains("appears again in cluster"))
        .count()
}

/// The PDF's pages, counted by lopdf.
fn pages(pdf: &Path) -> usize {
    lopdf::Document::load(pdf).unwrap().get_pages().len()
}

/// `n` with its thousands grouped by `separator`: `5.188` in Italian, `5,188`
/// in English.
fn grouped(n: usize, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    out
}

#[test]
fn the_pdf_of_a_large_input_stays_within_its_pages() {
    let run = large_run();
    let pdf = run.wd.path("out/2026-11/consolida-2026-11.pdf");
    let pages = pages(&pdf);
    assert!(pages <= PDF_PAGES, "{pages} pages, more than {PDF_PAGES}");

    // What is cut says so, with the counts of the CSV files that hold it all.
    let text = pdf_extract::extract_text(&pdf).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let statuses = column(&run.wd, "financing_audit.csv", "status");
    let near = statuses.iter().filter(|s| *s == "near_cap").count();
    assert!(
        near > 50,
        "{near} near breaches: the generator's mix changed"
    );
    for sentence in [
        format!(
            "Appendice A. Elenco dei progetti (200 di {})",
            grouped(statuses.len(), '.')
        ),
        format!(
            "La tabella elenca le prime 50 delle {} righe; tutte sono in financing_audit.csv.",
            grouped(near, '.')
        ),
    ] {
        assert!(text.contains(&sentence), "{sentence:?} not in the PDF");
    }
    // Section 4: the members listed again are one group, with their count.
    let again = listed_again(&run.wd);
    assert!(again >= LISTED_AGAIN, "{again} members listed again");
    assert!(
        text.contains(&format!(" {} ", grouped(again, '.'))),
        "the count {again} not in the PDF"
    );
}

#[test]
fn the_console_sums_up_a_large_run_in_forty_lines() {
    let run = large_run();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(lines.len() <= 40, "{} lines:\n{}", lines.len(), run.stderr);
    let grouped = format!(
        "  {} avvisi in 1 file, il primo in inputs/soci.csv:",
        grouped(listed_again(&run.wd), '.')
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&grouped)
            && l.contains(": Il socio ")
            && l.contains(" compare di nuovo nel cluster «")),
        "{grouped:?} in:\n{}",
        run.stderr
    );
    assert_eq!(
        lines[lines.len() - 2],
        "Tutte le anomalie sono in out/2026-11/issues.csv; --log-format json le stampa una per una."
    );

    // Validated with JSON lines, every issue of issues.csv is a line.
    let validate = run
        .wd
        .run(&["validate", "--inputs", "inputs", "--log-format", "json"]);
    validate.expect_code(1);
    let logged = validate
        .stderr()
        .lines()
        .filter(|line| {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            matches!(object["level"].as_str(), Some("error" | "warning"))
        })
        .count();
    assert_eq!(logged, column(&run.wd, "issues.csv", "message").len());
}
