//! What the binary says, and that saying it never fails a run: control
//! characters from the data never reach the terminal raw (nor a NUL the CSV
//! files), a closed stdout or stderr is no failure, a usage error follows
//! `--log-format`, a mistake in the configuration names the line of its key, and
//! a `SOURCE_DATE_EPOCH` the reports cannot hold is a usage error.

use crate::common::{root, Workdir};
use std::process::Command;

/// A category holding what a terminal acts on: ESC with a "clear screen"
/// sequence, backspace, NUL, DEL, the C1 CSI with a colour, and a line break.
const HOSTILE_CATEGORY: &str = "PMI\u{1b}[2J\u{8}\u{0}\u{7f}\u{9b}31m\nX";

/// An inputs folder whose one member has [`HOSTILE_CATEGORY`].
fn hostile_inputs(wd: &Workdir) {
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    let members = format!(
        "Codice fiscale;Denominazione;Categoria;Cluster;Provincia;Data adesione;Data recesso\n\
         01;Alfa S.r.l.;PMI;Mobilità;MI;01/02/2020;\n\
         02;Beta S.r.l.;\"{HOSTILE_CATEGORY}\";Mobilità;MI;01/02/2020;\n"
    );
    std::fs::write(wd.path("inputs/soci.csv"), members).unwrap();
}

/// Whether a terminal would act on `c`: C0 controls, DEL and C1 controls.
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

#[test]
fn control_characters_from_the_data_are_escaped_on_the_console_and_nul_kept_out_of_csv() {
    let wd = Workdir::new("messages-control-characters");
    hostile_inputs(&wd);
    let run = wd.run(&["--period", "2026-11", "--format", "csv"]);
    run.expect_code(0).expect_stderr(concat!(
        "inputs/soci.csv: 1 errore, 0 avvisi\n",
        "  inputs/soci.csv:3:C: errore: Categoria sconosciuta «PMI\\x1b[2J\\x08\\x00\\x7f\\x9b31m\\x0aX»: le categorie ammesse sono Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; la riga è esclusa.\n",
        "consolida 2026-11: 1 socio, 0 progetti, 0 superamenti del tetto, 1 errore, 0 avvisi; 14 file in reports/2026-11\n",
    ));
    let run = wd.run(&["--period", "2026-11", "--format", "csv", "--lang", "en"]);
    run.expect_code(0).expect_stderr(concat!(
        "inputs/soci.csv: 1 error, 0 warnings\n",
        "  inputs/soci.csv:3:C: error: Unknown category 'PMI\\x1b[2J\\x08\\x00\\x7f\\x9b31m\\x0aX': expected one of Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; the row is left out.\n",
        "consolida 2026-11: 1 member, 0 projects, 0 cap breaches, 1 error, 0 warnings; 14 files in reports/2026-11\n",
    ));

    let issues = std::fs::read(wd.path("reports/2026-11/issues.csv")).unwrap();
    assert!(!issues.contains(&0), "a NUL in issues.csv");
    let issues = String::from_utf8(issues).unwrap();
    assert!(
        issues.contains("\"PMI\u{1b}[2J\u{8}\\x00\u{7f}\u{9b}31m\nX\""),
        "{issues:?}"
    );

    let run = wd.run(&[
        "--period",
        "2026-11",
        "--format",
        "csv",
        "--out",
        "json",
        "--log-format",
        "json",
    ]);
    run.expect_code(0);
    let stderr = run.stderr();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| {
            assert!(!line.contains(is_control), "{line:?}");
            serde_json::from_str(line).unwrap()
        })
        .collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0]["value"], HOSTILE_CATEGORY);
    assert_eq!(lines[0]["level"], "error");
}

/// Runs `consolida` with `args` and `env` with its stdout and stderr a pipe that
/// no one reads (its reading end closed before the run starts, so every write
/// fails with a broken pipe), and returns the exit code.
fn run_into_a_closed_pipe(wd: &Workdir, args: &[&str], env: &[(&str, &str)]) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = Command::new(env!("CARGO_BIN_EXE_consolida"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(&wd.dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .status()
        .unwrap();
    status.code().unwrap_or(-1)
}

#[test]
fn a_closed_stdout_or_stderr_is_no_failure() {
    let wd = Workdir::new("messages-closed-pipe");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let run = ["--period", "2026-11", "--format", "csv"];
    let json = [&run[..], &["--out", "json", "--log-format", "json"]].concat();
    let timed = [&run[..], &["--out", "timed"]].concat();
    let timings = [("CONSOLIDA_TIMINGS", "1")];
    // Each command line, the exit code it must end with, and what it is.
    let cases: [(&[&str], i32, &str); 8] = [
        (&run, 0, "a run with issues"),
        (&json, 0, "a run in JSON"),
        (&["validate"], 1, "validate with errors"),
        (&["template", "--out", "blank"], 0, "template"),
        (&["--help"], 0, "--help"),
        (&["--version"], 0, "--version"),
        (&["--frobnicate"], 2, "a usage error"),
        (
            &["--frobnicate", "--log-format", "json"],
            2,
            "a usage error in JSON",
        ),
    ];
    for (args, code, what) in cases {
        let ended = run_into_a_closed_pipe(&wd, args, &[]);
        assert_eq!(ended, code, "{what}: {args:?}");
    }
    assert_eq!(run_into_a_closed_pipe(&wd, &timed, &timings), 0, "timed");
    for out in ["reports", "json", "timed"] {
        let summary = wd.json(&format!("{out}/2026-11/summary.json"));
        assert_eq!(summary["members"]["total"], 6, "{out}");
        assert!(wd.path(&format!("{out}/2026-11/manifest.json")).is_file());
    }
    assert!(wd.path("blank/soci.xlsx").is_file());
}

#[test]
fn a_usage_error_is_one_json_object_under_log_format_json() {
    let wd = Workdir::new("messages-usage-json");
    wd.run(&["--log-format", "json", "--frobnicate"])
        .expect_code(2)
        .expect_stderr(concat!(
            r#"{"level":"error","message":"Unexpected argument '--frobnicate' found. "#,
            r#"A similar argument exists: '--format'. For more information, try '--help'.","exit_code":2}"#,
            "\n",
        ));
    wd.run(&["validate", "--log-format=json", "--period", "2026-11"])
        .expect_code(2)
        .expect_stderr(concat!(
            r#"{"level":"error","message":"Unexpected argument '--period' found. "#,
            r#"For more information, try '--help'.","exit_code":2}"#,
            "\n",
        ));
    // A usage error found after parsing was already JSON; it still is.
    wd.run(&["--log-format", "json", "--period", "2026-13"])
        .expect_code(2)
        .expect_stderr(concat!(
            r#"{"level":"error","message":"'2026-13' is not a period: write the month as YYYY-MM, for example 2026-11.","exit_code":2}"#,
            "\n",
        ));
}

#[test]
fn configuration_mistakes_name_the_line_of_their_key() {
    let wd = Workdir::new("messages-config-lines");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let config = wd.read("inputs/consolida.toml")
        + "max_grant = 300000.00\n\n[de_minimis]\naid_type = \"de minimis*\"\nlimit = 200000.00\nyears = 3\n";
    let args = ["--period", "2026-11", "--format", "csv", "--quiet"];
    let cases = [
        ("years = 3", "years = 0", "inputs/consolida.toml:17: years = 0 is not a number of years from 1 to 100: the de minimis limit holds over the years ending on the period's last day (3 under Regulation (EU) 2023/2831)."),
        ("limit = 200000.00", "limit = -200000.00", "inputs/consolida.toml:16: limit = -200000 is negative: write an amount of zero or more euros."),
        ("max_grant = 300000.00", "max_grant = -1.00", "inputs/consolida.toml:12: max_grant = -1 is negative: write an amount of zero or more euros."),
        ("max_ratio = 0.50", "max_ratio = 50", "inputs/consolida.toml:11: max_ratio = 50 is not a ratio between 0 and 1 (write 0.70 for 70 %)."),
    ];
    for (good, bad, message) in cases {
        std::fs::write(wd.path("inputs/consolida.toml"), config.replace(good, bad)).unwrap();
        wd.run(&args)
            .expect_code(2)
            .expect_stderr(&format!("consolida: error: {message}\n"));
    }
    std::fs::write(wd.path("inputs/consolida.toml"), &config).unwrap();
    wd.run(&args).expect_code(0).expect_stderr("");
}

#[test]
fn a_source_date_epoch_the_reports_cannot_hold_is_a_usage_error() {
    let wd = Workdir::new("messages-source-date-epoch");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let args = ["--period", "2026-11", "--format", "xlsx,pdf,csv", "--quiet"];
    for epoch in ["-99999999999", "-1", "253402300800", "99999999999999999"] {
        wd.run_with_env(&args, &[("SOURCE_DATE_EPOCH", epoch)])
            .expect_code(2)
            .expect_stderr(&format!(
                "consolida: errore: SOURCE_DATE_EPOCH='{epoch}' è fuori dai tempi che i report possono contenere: indicare i secondi dal 1970, da 0 a 253402300799 (la fine del 9999).\n"
            ));
    }
    wd.run_with_env(&args, &[("SOURCE_DATE_EPOCH", "next week")])
        .expect_code(2)
        .expect_stderr(
            "consolida: errore: SOURCE_DATE_EPOCH='next week' non è un numero di secondi dal 1970.\n",
        );
    wd.run_with_env(
        &[&args[..], &["--lang", "en"]].concat(),
        &[("SOURCE_DATE_EPOCH", "next week")],
    )
    .expect_code(2)
    .expect_stderr(
        "consolida: error: SOURCE_DATE_EPOCH='next week' is not a number of seconds since 1970.\n",
    );
    // The first and the last second every output can hold.
    for (epoch, out) in [("0", "first"), ("253402300799", "last")] {
        wd.run_with_env(
            &[&args[..], &["--out", out]].concat(),
            &[("SOURCE_DATE_EPOCH", epoch)],
        )
        .expect_code(0)
        .expect_stderr("");
        for name in [
            "consolida-2026-11.xlsx",
            "consolida-2026-11.pdf",
            "issues.csv",
        ] {
            assert!(
                wd.path(&format!("{out}/2026-11/{name}")).is_file(),
                "{name}"
            );
        }
    }
}

/// Words of English sentences that no Italian sentence holds, spaces
/// included, so that a value or a path quoted does not count.
const ENGLISH_WORDS: [&str; 16] = [
    "The ",
    " the ",
    " is ",
    " are ",
    " of ",
    " and ",
    " not ",
    " row",
    " left out",
    " at ",
    "Did you mean",
    " error ",
    " errors",
    " warning",
    " issues ",
    " files",
];

/// The English words `text` holds.
fn english_in(text: &str) -> Vec<&'static str> {
    ENGLISH_WORDS
        .iter()
        .copied()
        .filter(|word| text.contains(word))
        .collect()
}

/// The report of `tests/fixtures/many_kinds` in `lang` (workbook, PDF, CSV),
/// with last month's summary.json unreadable: one more kind of issue.
fn many_kinds(name: &str, lang: &str) -> (Workdir, String) {
    let wd = Workdir::new(name);
    std::fs::create_dir_all(wd.path("out/2026-10")).unwrap();
    std::fs::write(wd.path("out/2026-10/summary.json"), "{").unwrap();
    let run = wd.run_on(
        "tests/fixtures/many_kinds",
        &["--lang", lang, "--format", "xlsx,pdf,csv"],
    );
    run.expect_code(0);
    let stderr = run.stderr();
    (wd, stderr)
}

/// Every issue of issues.csv: its code and its (English) message.
fn csv_issues(wd: &Workdir) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(wd.path("out/2026-11/issues.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (code, message) = (at("code"), at("message"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[code].to_string(), r[message].to_string())
        })
        .collect()
}

/// The messages of the workbook's issues sheet, read with calamine.
fn workbook_messages(wd: &Workdir, sheet: &str) -> Vec<String> {
    use calamine::{open_workbook, Reader, Xlsx};
    let path = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range.rows().skip(1).map(|row| row[6].to_string()).collect()
}

/// A file left out quotes the readers' reason as they give it, in English:
/// the Italian sentence before it is checked.
fn without_quoted_reason(message: &str) -> &str {
    message.split(" Motivo: ").next().unwrap()
}

#[test]
fn every_issue_of_the_italian_report_is_in_italian() {
    let (wd, stderr) = many_kinds("messages-italian", "it");
    let english = csv_issues(&wd);
    let kinds: std::collections::HashSet<&str> = english.iter().map(|(c, _)| c.as_str()).collect();
    assert!(kinds.len() >= 28, "{} kinds: {kinds:?}", kinds.len());
    let italian = workbook_messages(&wd, "Anomalie");
    assert_eq!(italian.len(), english.len());
    for ((code, en), it) in english.iter().zip(&italian) {
        assert_ne!(it, en, "{code}: the same in both languages");
        let checked = without_quoted_reason(it);
        assert!(
            english_in(checked).is_empty(),
            "{code}: {:?} in {it}",
            english_in(checked)
        );
        // The English of the exports is English.
        assert!(!english_in(en).is_empty(), "{code}: {en}");
    }
    // The console, line by line: its counts, its summary and the closing line.
    for line in stderr.lines() {
        let checked = without_quoted_reason(line);
        assert!(
            english_in(checked).is_empty(),
            "{:?} in {line}",
            english_in(checked)
        );
    }
    assert!(
        stderr.contains(" errori, ") && stderr.contains(" avvisi"),
        "{stderr}"
    );
}

#[test]
fn with_lang_en_every_issue_is_in_english_everywhere() {
    let (wd, stderr) = many_kinds("messages-english", "en");
    let english = csv_issues(&wd);
    let workbook: Vec<String> = workbook_messages(&wd, "Issues");
    let exported: Vec<String> = english.into_iter().map(|(_, message)| message).collect();
    assert_eq!(workbook, exported);
    assert!(
        stderr.contains(" errors, ") && stderr.contains(" warnings"),
        "{stderr}"
    );
    assert!(!stderr.contains("«"), "{stderr}");
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn the_italian_pdf_gives_every_kind_of_issue_in_italian() {
    let (wd, _) = many_kinds("messages-italian-pdf", "it");
    let text = crate::pdf::layout_text(&wd.path("out/2026-11/consolida-2026-11.pdf"));
    let section = text
        .split("6. Anomalie")
        .nth(1)
        .and_then(|rest| rest.split("7. Fonti").next())
        .unwrap_or_else(|| panic!("no issues section in:\n{text}"));
    // A table's cells wrap over lines: the words are joined again.
    let words = section.split_whitespace().collect::<Vec<_>>().join(" ");
    // The reason of the file left out is the readers', in English.
    let checked = words.replace("Cannot open the workbook: Cannot detect file format.", "");
    assert!(
        english_in(&checked).is_empty(),
        "{:?} in {words}",
        english_in(&checked)
    );
    for italian in [
        "Categoria sconosciuta «Fondazione»",
        "Il socio 01 compare di nuovo",
        "Valore del progetto non valido: «abc»",
        "Il file non si può leggere ed è escluso dal report.",
    ] {
        assert!(words.contains(italian), "{italian:?} in {words}");
    }
}
