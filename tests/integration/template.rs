//! `consolida template` as a secretariat uses it: it never overwrites a
//! workbook already there unless `--force`, its drop-down lists come from the
//! inputs folder's `consolida.toml` as a run's figures do, and (read with
//! openpyxl) its amounts, dates and lists are validated as they are typed and
//! every sheet prints one page wide.

use crate::common::{outside_program, root, Workdir};
use calamine::{open_workbook_auto, Reader};
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
        format!("consolida: error: The file 'blank/{name}' already exists; consolida template does not overwrite it: give another --out folder, or add --force to replace it.\n")
    };
    wd.run(&["template", "--out", "blank"])
        .expect_code(2)
        .expect_stderr(&refused("progetti.xlsx"));
    assert_eq!(std::fs::read(wd.path("blank/progetti.xlsx")).unwrap(), own);
    assert!(
        !wd.path("blank/soci.xlsx").exists(),
        "neither workbook is written"
    );

    wd.run(&["template", "--out", "blank", "--force"])
        .expect_code(0)
        .expect_stderr("blank/soci.xlsx\nblank/progetti.xlsx\n");
    let replaced = std::fs::read(wd.path("blank/progetti.xlsx")).unwrap();
    assert!(replaced.starts_with(b"PK"), "a workbook replaced the file");
    wd.run(&["template", "--out", "blank"])
        .expect_code(2)
        .expect_stderr(&refused("soci.xlsx"));
    assert_eq!(
        std::fs::read(wd.path("blank/progetti.xlsx")).unwrap(),
        replaced
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
            "consolida: error: The inputs folder 'nowhere' does not exist; give the folder with --inputs.\n",
        );
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
