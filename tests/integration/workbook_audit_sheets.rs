//! The workbook's de minimis and partner audit sheets read back with calamine
//! and openpyxl, against the CSV exports and the inputs: every partner of the
//! partners fixture against its own cap, with the shares that do not add up;
//! the shipped inputs' member above the de minimis ceiling; and the summary
//! sheet's figures that lead to them.

use crate::common::package::{parts, text};
use crate::common::readers::openpyxl_problems;
use crate::common::{root, Workdir};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use std::io::BufReader;
use std::path::Path;

type Workbook = Xlsx<BufReader<std::fs::File>>;

/// The header and the records of a CSV file, each record by column name.
fn csv_records(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn sheet(xlsx: &Path, name: &str) -> Range<Data> {
    let mut workbook: Workbook = open_workbook(xlsx).unwrap();
    workbook
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("no sheet {name}: {e}"))
}

/// A cell as text: numbers as they are, blanks empty.
fn shown(cell: &Data) -> String {
    cell.to_string()
}

/// A CSV amount (`2000.00`) as the workbook's number.
fn euros(text: &str) -> Data {
    Data::Float(text.parse().unwrap())
}

/// The row of `range` whose first cells are `key`.
fn row_keyed<'r>(range: &'r Range<Data>, key: &[&str]) -> &'r [Data] {
    range
        .rows()
        .find(|row| row.iter().zip(key).all(|(cell, k)| shown(cell) == *k))
        .unwrap_or_else(|| panic!("no row {key:?}"))
}

/// The row labelled `label` of the summary sheet, `summary`: its figure, and
/// where its link leads.
fn summary_figure(xlsx: &Path, summary: &str, label: &str) -> (Data, String) {
    let range = sheet(xlsx, summary);
    let (row, cells) = range
        .rows()
        .enumerate()
        .find(|(_, row)| shown(&row[0]) == label)
        .unwrap_or_else(|| panic!("no figure {label}"));
    let xml = text(&parts(xlsx), "xl/worksheets/sheet1.xml");
    let cell = format!("<hyperlink ref=\"B{}\" location=\"", row + 1);
    let at = xml
        .find(&cell)
        .unwrap_or_else(|| panic!("no link on {label}"))
        + cell.len();
    let location = xml[at..].split('"').next().unwrap().replace("&apos;", "'");
    (cells[1].clone(), location)
}

#[test]
fn the_partner_sheet_holds_every_partner_against_its_cap_and_the_shares_that_do_not_add_up() {
    let wd = Workdir::new("audit-sheets-partners");
    wd.run_on(
        "tests/fixtures/partners",
        &["--format", "xlsx,csv", "--quiet"],
    )
    .expect_code(0);
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let range = sheet(&xlsx, "Controllo partner");
    let header: Vec<String> = range.rows().next().unwrap().iter().map(shown).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let partners = csv_records(&wd.path("out/2026-11/partner_audit.csv"));
    assert_eq!(partners.len(), 4);
    // The partners' names, from the members file of the fixture.
    let names = [
        ("01", "Alfa S.r.l."),
        ("02", "Beta S.p.A."),
        ("06", "Politecnico di Milano"),
    ];
    for partner in &partners {
        let row = row_keyed(&range, &[&partner["project_id"], &partner["member_id"]]);
        let name = names
            .iter()
            .find(|(id, _)| *id == partner["member_id"])
            .unwrap()
            .1;
        assert_eq!(shown(&row[col("Partner")]), name);
        assert_eq!(row[col("Quota di costo")], euros(&partner["cost_share"]));
        assert_eq!(
            row[col("Quota di finanziamento")],
            euros(&partner["financing_share"])
        );
        let status = match partner["status"].as_str() {
            "breach" => "Superamento",
            "near_cap" => "Vicino al tetto",
            "within_cap" => "Entro il tetto",
            other => panic!("status {other}"),
        };
        assert_eq!(shown(&row[col("Esito")]), status);
        let excess = match partner["excess"].as_str() {
            "" => Data::Empty,
            amount => euros(amount),
        };
        assert_eq!(row[col("Eccedenza (EUR)")], excess);
    }
    // Alfa, an SME, is above its own category's 60 % in the Ergon project.
    let alfa = row_keyed(&range, &["P1", "01"]);
    assert_eq!(shown(&alfa[col("Categoria partner")]), "PMI");
    assert_eq!(shown(&alfa[col("Esito")]), "Superamento");
    // The totals sum the shares and the excesses of every partner.
    let totals = row_keyed(&range, &["Totale"]);
    let sum = |key: &str| -> f64 {
        let cents: i64 = partners
            .iter()
            .filter_map(|p| p[key].parse::<f64>().ok())
            .map(|e| (e * 100.0).round() as i64)
            .sum();
        cents as f64 / 100.0
    };
    assert_eq!(
        totals[col("Quota di costo")],
        Data::Float(sum("cost_share"))
    );
    assert_eq!(
        totals[col("Quota di finanziamento")],
        Data::Float(sum("financing_share"))
    );
    assert_eq!(totals[col("Eccedenza (EUR)")], Data::Float(sum("excess")));
    // Below the table, the cost shares of P2 that miss a cent.
    let said: Vec<String> = range.rows().map(|row| shown(&row[0])).collect();
    let heading = said
        .iter()
        .position(|s| s == "Quote che non tornano")
        .unwrap();
    assert_eq!(
        said[heading + 1..].iter().filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        ["P2: le quote di costo dei 2 partner sommano 199.999,99 €, non 200.000,00 € (mancano 0,01 €)."]
    );
    // No de minimis aid in the fixture: the sheet says so.
    let de_minimis = sheet(&xlsx, "De minimis");
    assert_eq!(
        de_minimis.get((1, 0)).map(shown).as_deref(),
        Some("Nessun socio supera il limite de minimis nella finestra mobile.")
    );
    // The summary's figures lead there.
    let (figure, location) = summary_figure(
        &xlsx,
        "Sintesi",
        "Partner oltre il tetto della propria categoria",
    );
    assert_eq!(
        (figure, location.as_str()),
        (Data::Float(1.0), "'Controllo partner'!K1")
    );
    let (figure, location) = summary_figure(&xlsx, "Sintesi", "Soci oltre il limite de minimis");
    assert_eq!(
        (figure, location.as_str()),
        (Data::Float(0.0), "'De minimis'!A1")
    );
}

#[test]
#[cfg_attr(not(has_openpyxl), ignore = "needs python3 with openpyxl")]
fn openpyxl_reads_the_partner_sheets_of_the_partners_fixture() {
    let wd = Workdir::new("audit-sheets-openpyxl");
    wd.run_on("tests/fixtures/partners", &["--format", "xlsx", "--quiet"])
        .expect_code(0);
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let summary = wd.path("out/2026-11/summary.json");
    if let Err(problems) = openpyxl_problems(&xlsx, &summary) {
        panic!("tests/xlsx_check.py found problems:\n{problems}");
    }
}

#[test]
fn the_de_minimis_sheet_holds_the_shipped_member_above_the_ceiling_with_its_category() {
    let wd = Workdir::new("audit-sheets-de-minimis");
    wd.run_shipped(&["--lang", "en", "--format", "xlsx,csv", "--quiet"])
        .expect_code(0);
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let range = sheet(&xlsx, "De minimis");
    let members = csv_records(&wd.path("out/2026-11/de_minimis.csv"));
    assert!(
        !members.is_empty(),
        "the shipped inputs have a de minimis case"
    );
    // Each member's category as the members file gives it (its last row).
    let soci = sheet(&root().join("inputs/soci.xlsx"), "Soci");
    let category_of = |id: &str| {
        soci.rows()
            .rfind(|row| shown(&row[0]) == id)
            .map(|row| shown(&row[2]))
            .unwrap()
    };
    for member in &members {
        let row = row_keyed(&range, &[&member["member_id"]]);
        assert_eq!(shown(&row[1]), member["name"]);
        let english = match category_of(&member["member_id"]).as_str() {
            "PMI" => "SMEs",
            "Grandi imprese" => "Large enterprises",
            "Associazioni di categoria" => "Trade associations",
            other => panic!("a category the test does not translate: {other}"),
        };
        assert_eq!(shown(&row[2]), english);
        let amounts: Vec<Data> = ["financing", "limit", "excess"]
            .iter()
            .map(|k| euros(&member[*k]))
            .collect();
        assert_eq!(row[4..7], amounts[..]);
    }
    let total: f64 = members
        .iter()
        .map(|m| m["excess"].parse::<f64>().unwrap())
        .sum();
    let totals = row_keyed(&range, &["Total"]);
    assert_eq!(totals[6], Data::Float(total));
    let (figure, location) =
        summary_figure(&xlsx, "Summary", "Financing above the de minimis ceiling");
    assert_eq!(figure, Data::Float(total));
    assert_eq!(location, format!("'De minimis'!G{}", members.len() + 2));
}

/// The members of the alliance of seed 004, as the shipped members file names them.
const PAL: [&str; 8] = [
    "Assolombarda",
    "Confindustria Lecco",
    "Confindustria Alto Milanese",
    "Confindustria Como",
    "Confindustria Monza e Brianza",
    "Unione degli Industriali della Provincia di Pavia",
    "Politecnico di Milano – Ufficio per il trasferimento delle conoscenze (TTO)",
    "ACF S.p.A.",
];

#[test]
fn the_shipped_partner_audit_shows_the_alliance_a_partner_above_its_cap_and_shares_off() {
    let wd = Workdir::new("audit-sheets-shipped-partners");
    wd.run_shipped(&["--format", "xlsx,csv", "--quiet"])
        .expect_code(0);
    let out = |name: &str| wd.path(&format!("out/2026-11/{name}"));
    let projects = csv_records(&out("financing_audit.csv"));
    let partners = csv_records(&out("partner_audit.csv"));
    let range = sheet(&out("consolida-2026-11.xlsx"), "Controllo partner");
    let in_sheet = |project: &str| -> Vec<Vec<String>> {
        range
            .rows()
            .filter(|row| shown(&row[0]) == project)
            .map(|row| row.iter().map(shown).collect())
            .collect()
    };

    // PAL: Bando Ergon azione 2, led by Assolombarda, its eight partners named
    // in the sheet, each within the call's cap, their shares the project's.
    let pal = projects
        .iter()
        .find(|p| p["title"] == "Punto Alleanze Lombardia (PAL)")
        .expect("the PAL project");
    assert_eq!(pal["call"], "Bando Ergon azione 2");
    assert_eq!(pal["lead_member_name"], "Assolombarda");
    let id = &pal["project_id"];
    let rows = in_sheet(id);
    let mut names: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    names.sort();
    let mut expected = PAL.to_vec();
    expected.sort();
    assert_eq!(names, expected);
    assert!(rows.iter().all(|r| r[10] == "Entro il tetto"), "{rows:?}");
    let of_pal: Vec<_> = partners.iter().filter(|p| &p["project_id"] == id).collect();
    assert_eq!(of_pal.len(), 8);
    let sum = |key: &str| -> i64 {
        of_pal
            .iter()
            .map(|p| p[&format!("{key}_cents")].parse::<i64>().unwrap())
            .sum()
    };
    let cents = |key: &str| -> i64 { (pal[key].parse::<f64>().unwrap() * 100.0).round() as i64 };
    assert_eq!(sum("cost_share"), cents("project_value"));
    assert_eq!(sum("financing_share"), cents("financing"));

    // A large enterprise above its own category's cap in a project within its own.
    let above = partners
        .iter()
        .find(|p| p["status"] == "breach")
        .expect("a partner above its cap");
    assert_eq!(above["category"], "large_enterprise");
    let project = projects
        .iter()
        .find(|p| p["project_id"] == above["project_id"])
        .unwrap();
    assert_eq!(project["status"], "within_cap");
    let ratio: f64 = above["financing_ratio"].parse().unwrap();
    let cap: f64 = above["max_ratio"].parse().unwrap();
    assert!(ratio > cap && cap < project["max_ratio"].parse::<f64>().unwrap());
    let row = in_sheet(&above["project_id"])
        .into_iter()
        .find(|r| r[1] == above["member_id"])
        .unwrap();
    assert_eq!(
        (row[10].as_str(), row[13].clone()),
        ("Superamento", shown(&euros(&above["excess"])))
    );

    // A project whose financing shares miss 1.000,00 €: an error in issues.csv
    // and a sentence below the partner sheet's table.
    let issues = std::fs::read_to_string(out("issues.csv")).unwrap();
    let line = issues
        .lines()
        .find(|l| l.contains("The financing shares of the 3 partners of project"))
        .expect("the shares that do not add up");
    let off = line.split("partners of project ").nth(1).unwrap();
    let off = &off[..off.find(' ').unwrap()];
    assert!(
        line.starts_with("error,") && line.contains("(1.000,00 € missing)"),
        "{line}"
    );
    let said: Vec<String> = range.rows().map(|row| shown(&row[0])).collect();
    let heading = said
        .iter()
        .position(|s| s == "Quote che non tornano")
        .unwrap();
    let sentence = &said[heading + 1];
    assert!(
        sentence.starts_with(&format!(
            "{off}: le quote di finanziamento dei 3 partner sommano "
        )) && sentence.ends_with("(mancano 1.000,00 €)."),
        "{sentence}"
    );
}
