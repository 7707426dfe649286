//! One file read through several `[[source]]` entries: a workbook holding the
//! members on one sheet and the projects on another is read twice, once per
//! sheet, and listed once in `manifest.json`; two entries that would read the
//! same sheet as the same kind are a configuration error naming both lines.

use crate::common::Workdir;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// Members: id, category, cluster.
const MEMBERS: [(&str, &str, &str); 4] = [
    ("01234567890", "PMI", "Mobilità"),
    ("02345678901", "Grandi imprese", "Mobilità"),
    ("03456789012", "PMI", "Energia"),
    ("04567890123", "Università", "Energia"),
];

/// Projects: id, cluster, value, financing.
const PROJECTS: [(&str, &str, f64, f64); 3] = [
    ("P1", "Mobilità", 158_500.0, 114_944.0),
    ("P2", "Energia", 200_000.0, 100_000.0),
    ("P3", "Energia", 50_000.0, 25_000.0),
];

/// `inputs/cluster.xlsx`: the members on sheet "Soci", the projects on "Progetti".
fn write_workbook(wd: &Workdir) {
    let mut workbook = Workbook::new();
    let soci = workbook.add_worksheet().set_name("Soci").unwrap();
    for (col, name) in ["Codice fiscale", "Categoria", "Cluster"]
        .iter()
        .enumerate()
    {
        soci.write(0, col as u16, *name).unwrap();
    }
    for (i, (id, category, cluster)) in MEMBERS.iter().enumerate() {
        let row = 1 + i as u32;
        soci.write(row, 0, *id).unwrap();
        soci.write(row, 1, *category).unwrap();
        soci.write(row, 2, *cluster).unwrap();
    }
    let progetti = workbook.add_worksheet().set_name("Progetti").unwrap();
    let header = ["CUP", "Cluster", "Valore progetto", "Finanziamento"];
    for (col, name) in header.iter().enumerate() {
        progetti.write(0, col as u16, *name).unwrap();
    }
    for (i, (id, cluster, value, financing)) in PROJECTS.iter().enumerate() {
        let row = 1 + i as u32;
        progetti.write(row, 0, *id).unwrap();
        progetti.write(row, 1, *cluster).unwrap();
        progetti.write(row, 2, *value).unwrap();
        progetti.write(row, 3, *financing).unwrap();
    }
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    workbook.save(wd.path("inputs/cluster.xlsx")).unwrap();
}

const CLUSTERS: &str = "clusters = [\"Mobilità\", \"Energia\"]\n";

fn source(kind: &str, sheet: Option<&str>) -> String {
    let sheet = sheet
        .map(|s| format!("sheet = \"{s}\"\n"))
        .unwrap_or_default();
    format!("\n[[source]]\npath = \"cluster.xlsx\"\nkind = \"{kind}\"\n{sheet}")
}

#[test]
fn one_workbook_with_members_and_projects_is_read_twice_and_listed_once() {
    let wd = Workdir::new("sources-two-sheets");
    write_workbook(&wd);
    let config = format!(
        "{CLUSTERS}{}{}",
        source("members", Some("Soci")),
        source("projects", Some("Progetti"))
    );
    std::fs::write(wd.path("inputs/consolida.toml"), config).unwrap();
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ])
    .expect_code(0);

    let summary = wd.json("out/2026-11/summary.json");
    assert_eq!(summary["members"]["total"], MEMBERS.len());
    assert_eq!(summary["projects"]["count"], PROJECTS.len());
    let value: f64 = PROJECTS.iter().map(|p| p.2).sum();
    assert_eq!(summary["projects"]["project_value"], value);

    // summary.json: one entry per reading, each with its kind, sheet and rows.
    let inputs = summary["inputs"].as_array().unwrap();
    let readings: Vec<(&str, &str, Value, Value)> = inputs
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["sheets"].clone(),
                i["rows"].clone(),
            )
        })
        .collect();
    assert_eq!(
        readings,
        [
            (
                "inputs/cluster.xlsx",
                "members",
                serde_json::json!(["Soci"]),
                serde_json::json!(MEMBERS.len())
            ),
            (
                "inputs/cluster.xlsx",
                "projects",
                serde_json::json!(["Progetti"]),
                serde_json::json!(PROJECTS.len())
            ),
        ]
    );
    assert_eq!(inputs[0]["sha256"], inputs[1]["sha256"]);

    // manifest.json: the workbook once, then the configuration.
    let manifest = wd.json("out/2026-11/manifest.json");
    let listed: Vec<(&str, &str)> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("inputs/cluster.xlsx", "members+projects"),
            ("inputs/consolida.toml", "config"),
        ]
    );
    assert_eq!(manifest["inputs"][0]["sha256"], inputs[0]["sha256"]);
}

#[test]
fn two_entries_reading_the_same_sheet_as_the_same_kind_are_refused() {
    let wd = Workdir::new("sources-same-sheet");
    write_workbook(&wd);
    // The second entry names no sheet: it reads the first sheet whose header
    // fits members, "Soci", as the first one does.
    let cases = [
        (Some("Soci"), Some("Soci"), 4, 9),
        (Some("Soci"), None, 4, 9),
        (None, Some("Soci"), 4, 8),
    ];
    for (first, second, first_line, second_line) in cases {
        let config = format!(
            "{CLUSTERS}{}{}",
            source("members", first),
            source("members", second)
        );
        std::fs::write(wd.path("inputs/consolida.toml"), &config).unwrap();
        let run = wd.run(&["validate"]);
        run.expect_code(2);
        assert_eq!(
            run.stderr(),
            format!(
                "consolida: error: inputs/consolida.toml:{second_line}: [[source]] path = \"cluster.xlsx\" reads sheet 'Soci' of inputs/cluster.xlsx as members, which the [[source]] on line {first_line} already does: its rows would count twice. Give each entry its own `sheet`, or remove one.\n"
            ),
            "{config}"
        );
    }
    // Members from one sheet and projects from the other: no mistake.
    let config = format!(
        "{CLUSTERS}{}{}",
        source("members", None),
        source("projects", None)
    );
    std::fs::write(wd.path("inputs/consolida.toml"), config).unwrap();
    wd.run(&["validate"]).expect_code(0);
}
