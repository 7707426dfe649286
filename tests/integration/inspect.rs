//! `consolida inspect` on the real files of `tests/fixtures/realdata/`: the text
//! a person reads, the JSON document a script reads, and every cell as JSON
//! lines, checked against what the files hold.

use crate::common::Workdir;
use crate::real_files::{inputs_with, BG_CONFIG, CORDIS_CONFIG};
use serde_json::Value;

#[test]
fn the_text_shows_the_header_the_fields_the_rows_and_the_first_records() {
    let wd = Workdir::new("inspect-bg");
    inputs_with(&wd, &["bg_projects_sample.xlsx"], BG_CONFIG);
    let run = wd.run(&[
        "inspect",
        "inputs/bg_projects_sample.xlsx",
        "--config",
        "inputs/consolida.toml",
    ]);
    run.expect_code(0);
    let text = String::from_utf8(run.output.stdout.clone()).unwrap();
    for needle in [
        "inputs/bg_projects_sample.xlsx\n",
        "  sheet 'projects': ",
        "    read as projects: A [[source]] reads it as projects;",
        "→ project_id\n",
        "    by the [[source]] on line ",
        "are notes",
        "    first records, as read:\n      1. cell inputs/bg_projects_sample.xlsx:projects!",
    ] {
        assert!(text.contains(needle), "{needle:?} in:\n{text}");
    }
    // The header's column for the project number maps to project_id.
    assert!(
        text.lines()
            .any(|l| l.contains("Project proposal number") && l.ends_with("→ project_id")),
        "{text}"
    );
}

#[test]
fn the_json_document_holds_each_reading_of_a_sheet() {
    let wd = Workdir::new("inspect-cordis");
    inputs_with(&wd, &["organization_1.xlsx"], CORDIS_CONFIG);
    let run = wd.run(&[
        "inspect",
        "--json",
        "--config",
        "inputs/consolida.toml",
        "inputs/organization_1.xlsx",
    ]);
    run.expect_code(0);
    let document: Value = serde_json::from_slice(&run.output.stdout).unwrap();
    let sheets = document["files"][0]["sheets"].as_array().unwrap();
    let kinds: Vec<&str> = sheets.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["members", "partners"]);
    let members = &sheets[0];
    assert_eq!(members["sheet"], "DATA");
    assert_eq!(
        (members["rows"].as_u64(), members["columns"].as_u64()),
        (Some(1000), Some(25))
    );
    let field_of = |header: &str| {
        members["header"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["header"] == header)
            .map(|c| c["field"].clone())
            .unwrap()
    };
    assert_eq!(field_of("organisationID"), "member_id");
    assert_eq!(field_of("country"), "cluster");
    assert_eq!(field_of("vatNumber"), Value::Null);
    assert_eq!(
        (
            members["rows_read"].as_u64(),
            members["rows_rejected"].as_u64()
        ),
        (Some(999), Some(1))
    );
    assert_eq!(members["rule_fields"], serde_json::json!(["category"]));
    // The first record as parsed: row 2 of the sheet, its category from a rule.
    let first: Vec<(String, String)> =
        serde_json::from_value(members["first_records"][0].clone()).unwrap();
    let get = |key: &str| first.iter().find(|(k, _)| k == key).unwrap().1.clone();
    assert_eq!(get("member_id"), "999822263");
    assert_eq!(get("category"), "public_body");
    assert_eq!(get("cluster"), "FR");
    let partners = &sheets[1];
    let first: Vec<(String, String)> =
        serde_json::from_value(partners["first_records"][0].clone()).unwrap();
    assert!(
        first.contains(&("cost_share".to_string(), "125000.00".to_string())),
        "{first:?}"
    );
}

#[test]
fn every_cell_is_one_json_line_with_its_type() {
    let wd = Workdir::new("inspect-cells");
    inputs_with(&wd, &["date_1904.xlsx", "organization_1.xlsx"], "");
    let run = wd.run(&[
        "inspect",
        "--cells",
        "inputs/date_1904.xlsx",
        "inputs/organization_1.xlsx",
    ]);
    run.expect_code(0);
    let lines: Vec<Value> = String::from_utf8(run.output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let in_file = |name: &str| {
        lines
            .iter()
            .filter(|l| l["file"] == format!("inputs/{name}"))
            .count()
    };
    // inspect --json counts the cells its reading holds; --cells lists them all.
    let json = wd.run(&["inspect", "--json", "inputs/organization_1.xlsx"]);
    let document: Value = serde_json::from_slice(&json.output.stdout).unwrap();
    let cells = document["files"][0]["sheets"][0]["cells"].as_u64().unwrap();
    assert_eq!(in_file("organization_1.xlsx") as u64, cells);
    assert!(in_file("date_1904.xlsx") > 0);
    let a1 = lines
        .iter()
        .find(|l| l["file"] == "inputs/organization_1.xlsx" && l["cell"] == "C1")
        .unwrap();
    assert_eq!(
        (a1["type"].as_str(), a1["value"].as_str()),
        (Some("string"), Some("organisationID"))
    );
    let date = lines
        .iter()
        .find(|l| l["file"] == "inputs/date_1904.xlsx" && l["cell"] == "A1")
        .unwrap();
    assert_eq!(date["type"], "datetime");
}

#[test]
fn a_file_that_is_not_there_is_named() {
    let wd = Workdir::new("inspect-missing");
    wd.run(&["inspect", "nowhere.xlsx"])
        .expect_code(2)
        .expect_stderr("consolida: error: The file 'nowhere.xlsx' does not exist.\n");
}

#[test]
fn a_sheet_not_read_names_the_row_that_comes_nearest_to_a_header() {
    let wd = Workdir::new("inspect-nearest");
    inputs_with(&wd, &["bg_projects_sample.xlsx"], "");
    let run = wd.run(&["inspect", "inputs/bg_projects_sample.xlsx"]);
    run.expect_code(0);
    let text = String::from_utf8(run.output.stdout.clone()).unwrap();
    // Without the [[source]], only "Grant" is a word consolida knows (financing).
    assert!(
        text.contains("The nearest is row 4, as projects: it names financing but not project_id, cluster, project_value."),
        "{text}"
    );
}
