//! `consolida template` as a secretariat uses it: it never overwrites a
//! workbook already there unless `--force`, its drop-down lists come from the
//! inputs folder's `consolida.toml` as a run's figures do, its targets
//! workbook is read as targets, blank and filled in, and (read with openpyxl)
//! its amounts, numbers, dates, months and lists are validated as they are
//! typed and every sheet prints one page wide.

use crate::common::{outside_program, root, Workdir};
use calamine::{open_workbook_auto, Reader};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;
use std::process::Command;

/// The values of the drop-down list headed `header` on the hidden `Elenchi`
/// sheet of the workbook at `path`.
fn list(path: &Path, header: &str) -> Vec<String> {
    let mut workbook = open_workbook_auto(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let lists = workbook.worksheet_range("Elenchi").unwrap();
    let mut rows = lists.rows();
    let col = rows
        .next()
        .unwrap()
        .iter()
        .position(|c| *c == header)
        .unwrap_or_else(|| panic!("no list {header}"));
    rows.map(|row| row[col].to_string())
        .filter(|value| !value.is_empty())
        .collect()
}

/// The list `key` of a `consolida.toml`, read with the toml crate.
fn config_list(config: &Path, key: &str) -> Vec<String> {
    let text = std::fs::read_to_string(config).unwrap();
    let value: toml::Table = text.parse().unwrap();
    value[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_template_never_overwrites_a_workbook_unless_forced() {
    let wd = Workdir::new("template-overwrite");
    std::fs::create_dir_all(wd.path("blank")).unwrap();
    let own = b"the secretariat's own project list";
    std::fs::write(wd.path("blank/progetti.xlsx"), own).unwrap();
    let refused = |name: &str| {
        format!("consolida: errore: Il file «blank/{name}» esiste già; consolida template non lo sovrascrive: indicare un'altra cartella con --out, o aggiungere --force per sostituirlo.\n")
    };
    wd.run(&["template", "--out", "blank"])
        .expect_code(2)
        .expect_stderr(&refused("progetti.xlsx"));
    assert_eq!(std::fs::read(wd.path("blank/progetti.xlsx")).unwrap(), own);
    for name in ["soci.xlsx", "obiettivi.xlsx"] {
        assert!(
            !wd.path("blank").join(name).exists(),
            "{name} is not written"
        );
    }

    // The targets workbook alone stops the other two as well.
    std::fs::create_dir_all(wd.path("targets")).unwrap();
    let targets = b"the secretariat's own targets";
    std::fs::write(wd.path("targets/obiettivi.xlsx"), targets).unwrap();
    wd.run(&["template", "--out", "targets"])
        .expect_code(2)
        .expect_stderr(&refused("obiettivi.xlsx").replace("«blank/", "«targets/"));
    assert_eq!(
        std::fs::read(wd.path("targets/obiettivi.xlsx")).unwrap(),
        targets
    );
    for name in ["soci.xlsx", "progetti.xlsx"] {
        assert!(
            !wd.path("targets").join(name).exists(),
            "{name} is not written"
        );
    }

    wd.run(&["template", "--out", "blank", "--force"])
        .expect_code(0)
        .expect_stderr("blank/soci.xlsx\nblank/progetti.xlsx\nblank/obiettivi.xlsx\n");
    let replaced = std::fs::read(wd.path("blank/progetti.xlsx")).unwrap();
    assert!(replaced.starts_with(b"PK"), "a workbook replaced the file");
    let written = std::fs::read(wd.path("blank/obiettivi.xlsx")).unwrap();
    assert!(
        written.starts_with(b"PK"),
        "the targets workbook is written"
    );
    wd.run(&["template", "--out", "blank"])
        .expect_code(2)
        .expect_stderr(&refused("soci.xlsx"));
    assert_eq!(
        std::fs::read(wd.path("blank/progetti.xlsx")).unwrap(),
        replaced
    );
    assert_eq!(
        std::fs::read(wd.path("blank/obiettivi.xlsx")).unwrap(),
        written
    );
}

#[test]
fn the_lists_come_from_the_inputs_folders_configuration_without_config() {
    let wd = Workdir::new("template-lists");
    let small = root().join("tests/fixtures/small");
    wd.copy_inputs(&small, "inputs");
    // The default inputs folder, `inputs`, holds a consolida.toml.
    wd.run(&["template", "--out", "blank"]).expect_code(0);
    assert_eq!(
        list(&wd.path("blank/soci.xlsx"), "Cluster"),
        config_list(&small.join("consolida.toml"), "clusters")
    );
    // Another inputs folder: the shipped one, with its calls.
    let shipped = root().join("inputs");
    wd.run(&[
        "template",
        "--out",
        "shipped",
        "--inputs",
        shipped.to_str().unwrap(),
    ])
    .expect_code(0);
    let config = shipped.join("consolida.toml");
    let projects = wd.path("shipped/progetti.xlsx");
    assert_eq!(list(&projects, "Cluster"), config_list(&config, "clusters"));
    assert_eq!(list(&projects, "Bando"), config_list(&config, "calls"));
    // A target is for a cluster, the portfolio (`total`) or every cluster (`*`).
    let targets = wd.path("shipped/obiettivi.xlsx");
    let mut clusters = config_list(&config, "clusters");
    clusters.extend(["total".to_string(), "*".to_string()]);
    assert_eq!(list(&targets, "Cluster"), clusters);
    assert_eq!(list(&targets, "Indicatore"), indicator_keys());
    // --config still wins over the inputs folder's file.
    wd.run(&[
        "template",
        "--out",
        "configured",
        "--inputs",
        shipped.to_str().unwrap(),
        "--config",
        small.join("consolida.toml").to_str().unwrap(),
    ])
    .expect_code(0);
    assert_eq!(
        list(&wd.path("configured/soci.xlsx"), "Cluster"),
        ["Mobilità", "Scienze della vita"]
    );
    // An inputs folder given that does not exist is a mistake.
    wd.run(&["template", "--out", "other", "--inputs", "nowhere"])
        .expect_code(2)
        .expect_stderr(
            "consolida: errore: La cartella dei dati «nowhere» non esiste; indicarla con --inputs.\n",
        );
}

/// The indicators a target may be set on, as `consolida.toml` and a targets
/// sheet write them: the README's list, with one key per category.
fn indicator_keys() -> Vec<String> {
    let categories = [
        "consortium",
        "large_enterprise",
        "sme",
        "university_research",
        "trade_association",
        "public_body",
        "other",
    ];
    let mut keys = vec!["members".to_string()];
    keys.extend(categories.iter().map(|c| format!("members.{c}")));
    keys.extend(categories.iter().map(|c| format!("share.{c}")));
    keys.extend(
        [
            "joined",
            "projects",
            "project_value",
            "financing",
            "financing_ratio",
            "breaches",
        ]
        .map(String::from),
    );
    keys
}

/// The first row of the first sheet of the workbook at `path`, and that
/// sheet's name.
fn header(path: &Path) -> (String, Vec<String>) {
    let mut workbook = open_workbook_auto(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let name = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&name).unwrap();
    let header = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    (name, header)
}

#[test]
fn the_blank_targets_workbook_is_read_as_targets_and_filled_in_is_judged() {
    let wd = Workdir::new("template-targets");
    let small = root().join("tests/fixtures/small");
    wd.copy_inputs(&small, "inputs");
    wd.run(&["template", "--out", "blank"]).expect_code(0);
    let blank = wd.path("blank/obiettivi.xlsx");
    let (sheet, columns) = header(&blank);
    assert_eq!(
        (sheet.as_str(), columns.as_slice()),
        (
            "Obiettivi",
            &["Cluster", "Indicatore", "Mese", "Valore"].map(String::from)[..]
        )
    );

    // inspect reads the blank sheet as targets, by its header alone.
    let run = wd.run(&["inspect", "--json", "blank/obiettivi.xlsx"]);
    run.expect_code(0);
    let inspected: serde_json::Value = serde_json::from_slice(&run.output.stdout).unwrap();
    let sheets = inspected["files"][0]["sheets"].as_array().unwrap();
    let kinds: Vec<(&str, &serde_json::Value)> = sheets
        .iter()
        .map(|s| (s["sheet"].as_str().unwrap(), &s["kind"]))
        .collect();
    assert_eq!(kinds[0], ("Obiettivi", &serde_json::Value::from("targets")));
    assert!(
        kinds[1..].iter().all(|(_, kind)| kind.is_null()),
        "the lists are not read: {kinds:?}"
    );

    // Filled in as a secretariat would: the template's header, values from
    // its lists, months as date cells shown mm/yyyy, a share as a percentage,
    // a baseline left blank to be computed from the data.
    let clusters = list(&blank, "Cluster");
    let indicators = list(&blank, "Indicatore");
    let pick = |values: &[String], value: &str| {
        assert!(values.iter().any(|v| v == value), "{value} in {values:?}");
        value.to_string()
    };
    let mobility = pick(&clusters, "Mobilità");
    let total = pick(&clusters, "total");
    let every = pick(&clusters, "*");
    let members = pick(&indicators, "members");
    let share = pick(&indicators, "share.sme");
    let projects = pick(&indicators, "projects");
    // Cluster, indicator, month (year, month) and value of each row.
    type Point<'a> = (&'a str, &'a str, (u16, u8), Option<f64>);
    let rows: [Point<'_>; 7] = [
        (&mobility, &members, (2025, 12), None),
        (&mobility, &members, (2026, 6), Some(5.0)),
        (&mobility, &members, (2027, 12), Some(8.0)),
        (&total, &share, (2025, 12), Some(0.4)),
        (&total, &share, (2027, 12), Some(0.6)),
        (&every, &projects, (2026, 1), None),
        (&every, &projects, (2026, 12), Some(3.0)),
    ];
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name(&sheet).unwrap();
    let month = Format::new().set_num_format("mm/yyyy");
    let percent = Format::new().set_num_format("0%");
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string(0, col as u16, name).unwrap();
    }
    for (row, (cluster, indicator, (year, mon), value)) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, cluster).unwrap();
        sheet.write_string(row, 1, indicator).unwrap();
        let first = ExcelDateTime::from_ymd(year, mon, 1).unwrap();
        sheet
            .write_datetime_with_format(row, 2, first, &month)
            .unwrap();
        match value {
            Some(value) if indicator == share => {
                sheet
                    .write_number_with_format(row, 3, value, &percent)
                    .unwrap();
            }
            Some(value) => {
                sheet.write_number(row, 3, value).unwrap();
            }
            None => {}
        }
    }
    workbook.save(wd.path("inputs/obiettivi.xlsx")).unwrap();

    wd.run(&["--period", "2026-11", "--format", "csv", "--quiet"])
        .expect_code(0);
    let summary = wd.json("reports/2026-11/summary.json");
    let read_as: Vec<(&str, &str, u64, u64)> = summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["path"] == "inputs/obiettivi.xlsx")
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["rows"].as_u64().unwrap(),
                i["rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(read_as, [("inputs/obiettivi.xlsx", "targets", 7, 0)]);
    let mut judged: Vec<(String, String, String)> = summary["monitoring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let text = |key: &str| t[key].as_str().unwrap().to_string();
            (text("cluster"), text("indicator"), text("origin"))
        })
        .collect();
    judged.sort();
    let at = |cell: &str| format!("inputs/obiettivi.xlsx:Obiettivi!{cell}");
    let expected = [
        ("Mobilità", "members", at("A2")),
        ("Mobilità", "projects", at("A7")),
        ("Scienze della vita", "projects", at("A7")),
        ("total", "share.sme", at("A5")),
    ]
    .map(|(c, i, o)| (c.to_string(), i.to_string(), o));
    assert_eq!(judged, expected);
    let monitored = |cluster: &str, indicator: &str| {
        summary["monitoring"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["cluster"] == cluster && t["indicator"] == indicator)
            .unwrap()
            .clone()
    };
    let mobility = monitored("Mobilità", "members");
    assert_eq!(mobility["from"], "2025-12");
    assert_eq!(mobility["baseline_computed"], true);
    assert_eq!(mobility["milestones"]["2026-06"], 5);
    assert_eq!(
        (&mobility["by"], &mobility["target"]),
        (&"2027-12".into(), &8.into())
    );
    let sme = monitored("total", "share.sme");
    assert_eq!(
        (&sme["baseline"], &sme["target"]),
        (&0.4.into(), &0.6.into())
    );
    assert_eq!(sme["baseline_computed"], false);

    let mut issues = csv::Reader::from_path(wd.path("reports/2026-11/issues.csv")).unwrap();
    let file = issues
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "file")
        .unwrap();
    for issue in issues.records() {
        let issue = issue.unwrap();
        assert_ne!(&issue[file], "inputs/obiettivi.xlsx", "{issue:?}");
    }
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl")]
fn openpyxl_finds_amounts_dates_and_lists_validated_and_sheets_one_page_wide() {
    let wd = Workdir::new("template-openpyxl");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "clusters = [\"Mobilità\"]\ncalls = [\"Asse 1\"]\n",
    )
    .unwrap();
    wd.run(&["template", "--out", "blank"]).expect_code(0);
    let output = outside_program(
        Command::new("python3")
            .arg(root().join("tests/template_check.py"))
            .arg(wd.path("blank")),
        "python3 and openpyxl (python3 -m pip install openpyxl)",
    );
    assert!(
        output.status.success(),
        "tests/template_check.py found problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
