//! Targets sheets: a workbook and a CSV file of monitoring targets, found by
//! their headers or named by a `[[source]]`, read row by row as text (a month
//! date as `YYYY-MM`, a number as its shortest decimal), none left out, and
//! listed among the inputs as `targets`. The rows are seen through `consolida
//! inspect --json`, whose first records are the rows as read.

use crate::common::Workdir;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// `inputs/obiettivi.xlsx`: a title, the header, and four points, one with a
/// cluster named "Totale" that must not end the table.
fn write_workbook(wd: &Workdir) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Obiettivi").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let percent = Format::new().set_num_format("0%");
    sheet.write(0, 0, "Obiettivi di monitoraggio 2026").unwrap();
    for (col, name) in ["Cluster", "Indicatore", "Mese", "Valore"]
        .iter()
        .enumerate()
    {
        sheet.write(1, col as u16, *name).unwrap();
    }
    let june = ExcelDateTime::from_ymd(2026, 6, 30).unwrap();
    sheet.write(2, 0, " Mobilità ").unwrap();
    sheet.write(2, 1, "soci").unwrap();
    sheet.write_with_format(2, 2, &june, &date).unwrap();
    sheet.write(2, 3, 140.0).unwrap();
    sheet.write(3, 0, "Energia").unwrap();
    sheet.write(3, 1, "quota PMI").unwrap();
    sheet.write(3, 2, "30/06/2026").unwrap();
    sheet.write_with_format(3, 3, 0.35, &percent).unwrap();
    sheet.write(4, 0, "Totale").unwrap();
    sheet.write(4, 1, "finanziamento").unwrap();
    sheet.write(4, 2, "2026-12").unwrap();
    sheet.write(4, 3, 1_500_000.5).unwrap();
    sheet.write(5, 0, "Agrifood").unwrap();
    sheet.write(5, 1, "progetti").unwrap();
    sheet.write(5, 2, "giugno 2026").unwrap();
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    workbook.save(wd.path("inputs/obiettivi.xlsx")).unwrap();
}

/// `inputs/targets.csv`: the English header, one row without an indicator.
const CSV: &str = "Cluster;Indicator;Period;Value\n\
    Mobilità;members;2026-06-30;140\n\
    Energia;;30/06/2026;0,35\n\
    Agrifood;projects;2026-06;\n";

/// The other point of each target of the workbook: the baselines.
const JUDGED_CSV: &str = "Cluster;Indicator;Period;Value\n\
    Mobilità;members;2025-12;\n\
    Energia;share.sme;2025-12;0,30\n\
    total;financing;2025-12;1000000\n\
    Agrifood;projects;2026-12;10\n";

/// A small member list, so that the run has something to count.
const MEMBERS: &str = "Codice fiscale;Categoria;Cluster\n01234567890;PMI;Mobilità\n";

fn write_inputs(wd: &Workdir) {
    write_workbook(wd);
    std::fs::write(wd.path("inputs/targets.csv"), CSV).unwrap();
    std::fs::write(wd.path("inputs/soci.csv"), MEMBERS).unwrap();
}

/// Each sheet of `inspect --json`, by file name: its kind and its first
/// records, each as `[cell, cluster, indicator, month, value]`.
fn inspected(wd: &Workdir, files: &[&str]) -> Vec<(String, Value, Vec<Vec<String>>)> {
    let mut args = vec!["inspect", "--json"];
    args.extend_from_slice(files);
    let run = wd.run(&args);
    run.expect_code(0);
    let document: Value = serde_json::from_slice(&run.output.stdout).unwrap();
    let mut sheets = Vec::new();
    for file in document["files"].as_array().unwrap() {
        for sheet in file["sheets"].as_array().unwrap() {
            let records: Vec<Vec<(String, String)>> =
                serde_json::from_value(sheet["first_records"].clone()).unwrap();
            let records = records
                .into_iter()
                .map(|r| r.into_iter().map(|(_, value)| value).collect())
                .collect();
            let name = file["file"].as_str().unwrap().to_string();
            sheets.push((name, sheet["kind"].clone(), records));
        }
    }
    sheets
}

#[test]
fn a_targets_workbook_and_csv_are_read_by_their_headers() {
    let wd = Workdir::new("targets-inspect");
    write_inputs(&wd);
    let sheets = inspected(&wd, &["inputs/obiettivi.xlsx", "inputs/targets.csv"]);
    let row = |cells: [&str; 5]| cells.map(String::from).to_vec();
    assert_eq!(
        sheets,
        [
            (
                "inputs/obiettivi.xlsx".to_string(),
                Value::from("targets"),
                vec![
                    row([
                        "inputs/obiettivi.xlsx:Obiettivi!A3",
                        "Mobilità",
                        "soci",
                        "2026-06",
                        "140"
                    ]),
                    row([
                        "inputs/obiettivi.xlsx:Obiettivi!A4",
                        "Energia",
                        "quota PMI",
                        "2026-06",
                        "0.35"
                    ]),
                    row([
                        "inputs/obiettivi.xlsx:Obiettivi!A5",
                        "Totale",
                        "finanziamento",
                        "2026-12",
                        "1500000.5"
                    ]),
                    row([
                        "inputs/obiettivi.xlsx:Obiettivi!A6",
                        "Agrifood",
                        "progetti",
                        "giugno 2026",
                        ""
                    ]),
                ],
            ),
            (
                "inputs/targets.csv".to_string(),
                Value::from("targets"),
                vec![
                    row([
                        "inputs/targets.csv:2",
                        "Mobilità",
                        "members",
                        "2026-06",
                        "140"
                    ]),
                    row(["inputs/targets.csv:3", "Energia", "", "2026-06", "0,35"]),
                    row([
                        "inputs/targets.csv:4",
                        "Agrifood",
                        "projects",
                        "2026-06",
                        ""
                    ]),
                ],
            ),
        ]
    );
}

#[test]
fn a_run_lists_targets_files_among_its_inputs_and_leaves_no_row_out() {
    let wd = Workdir::new("targets-run");
    write_inputs(&wd);
    // The workbook through a [[source]], the CSV file by its header.
    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "[[source]]\npath = \"obiettivi.xlsx\"\nkind = \"targets\"\nsheet = \"Obiettivi\"\n",
    )
    .unwrap();
    // The CSV gives each target of the workbook its other point.
    std::fs::write(wd.path("inputs/targets.csv"), JUDGED_CSV).unwrap();
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ])
    .expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");
    let judged: Vec<(&str, &str, &str)> = summary["monitoring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["cluster"].as_str().unwrap(),
                t["indicator"].as_str().unwrap(),
                t["origin"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        judged,
        [
            ("total", "financing", "inputs/targets.csv:4:A"),
            ("Mobilità", "members", "inputs/targets.csv:2:A"),
            // Clusters with no member in the data, judged on zeros.
            ("Agrifood", "projects", "inputs/obiettivi.xlsx:Obiettivi!A6"),
            ("Energia", "share.sme", "inputs/targets.csv:3:A"),
        ]
    );
    let readings: Vec<(&str, &str, u64, u64)> = summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["rows"].as_u64().unwrap(),
                i["rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        readings,
        [
            ("inputs/obiettivi.xlsx", "targets", 4, 0),
            ("inputs/soci.csv", "members", 1, 0),
            ("inputs/targets.csv", "targets", 4, 0),
        ]
    );
    assert_eq!(summary["config"]["path"], "inputs/consolida.toml");
    assert_eq!(summary["members"]["total"], 1);
    assert_eq!(summary["issues"]["errors"], 0);
}

#[test]
fn a_targets_row_without_its_indicator_stops_the_run_naming_its_cell() {
    let wd = Workdir::new("targets-refused");
    write_inputs(&wd);
    wd.run(&["--out", "out", "--period", "2026-11", "--format", "csv"])
        .expect_code(2)
        .expect_stderr(
            "consolida: error: inputs/targets.csv:3:B: the indicator is empty; use one of members, members.<category>, share.<category>, joined, projects, project_value, financing, financing_ratio, breaches.\n",
        );
    assert!(!wd.path("out/2026-11").exists());
}
