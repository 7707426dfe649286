//! The workbook as written by the built binary, read back: every table against
//! `summary.json` (with calamine), the package's structure (Excel tables, frozen
//! panes, conditional formats, charts, links, print setup, formats, the fixed
//! creation time), and text from the inputs kept as text within Excel's limits, in
//! the workbook and in the CSV exports.

use crate::common::package::{parts, text};
use crate::common::{root, Workdir};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The words of one language that the checks look for.
struct Words {
    lang: &'static str,
    sheets: [&'static str; 14],
    total: &'static str,
    no_province: &'static str,
    breach: &'static str,
    near: &'static str,
    error: &'static str,
    warning: &'static str,
}

const ITALIAN: Words = Words {
    lang: "it",
    sheets: [
        "Sintesi",
        "Soci per categoria",
        "Soci per provincia",
        "Progetti per cluster",
        "Progetti per bando",
        "Controllo finanziamenti",
        "De minimis",
        "Controllo partner",
        "Soci",
        "Anomalie",
        "Fonti",
        "Monitoraggio",
        "Andamento",
        "Movimenti",
    ],
    total: "Totale",
    no_province: "(non indicata)",
    breach: "Superamento",
    near: "Vicino al tetto",
    error: "Errore",
    warning: "Avviso",
};

const ENGLISH: Words = Words {
    lang: "en",
    sheets: [
        "Summary",
        "Members by category",
        "Members by province",
        "Projects by cluster",
        "Projects by call",
        "Financing audit",
        "De minimis",
        "Partner audit",
        "Members",
        "Issues",
        "Sources",
        "Monitoring",
        "Trend",
        "Movements",
    ],
    total: "Total",
    no_province: "(not given)",
    breach: "Breach",
    near: "Near the cap",
    error: "Error",
    warning: "Warning",
};

const CATEGORIES: [&str; 7] = [
    "consortium",
    "large_enterprise",
    "sme",
    "university_research",
    "trade_association",
    "public_body",
    "other",
];

const ENGLISH_CATEGORIES: [&str; 7] = [
    "Consortia",
    "Large enterprises",
    "SMEs",
    "Universities and research centres",
    "Trade associations",
    "Public bodies",
    "Other",
];

type Workbook = Xlsx<BufReader<std::fs::File>>;

/// Runs the binary on the shipped inputs for 2026-11 in `words`' language.
fn run_shipped(name: &str, words: &Words) -> (Workdir, PathBuf, Value) {
    let wd = Workdir::new(name);
    wd.run_shipped(&["--lang", words.lang, "--format", "xlsx", "--quiet"])
        .expect_code(0);
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let summary = wd.json("out/2026-11/summary.json");
    (wd, xlsx, summary)
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn json_number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn string(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

/// A table sheet's data rows by their first cell (in order), and its totals row.
fn table_rows(range: &Range<Data>, total: &str) -> (Vec<(String, Vec<Data>)>, Vec<Data>) {
    let mut rows = Vec::new();
    for row in range.rows().skip(1) {
        let key = string(&row[0]);
        if key == total {
            return (rows, row.to_vec());
        }
        rows.push((key, row.to_vec()));
    }
    panic!("no {total} row")
}

/// The sheet's rows by their first cell.
fn rows_by_key(range: &Range<Data>) -> BTreeMap<String, Vec<Data>> {
    range
        .rows()
        .filter_map(|row| match &row[0] {
            Data::String(key) => Some((key.clone(), row.to_vec())),
            _ => None,
        })
        .collect()
}

/// Cluster (or province) × category rows against `members.by_cluster` (or
/// `by_province`), in the same order, and the totals row against the totals.
fn check_members(range: &Range<Data>, words: &Words, groups: &Value, members: &Value) {
    let (rows, totals) = table_rows(range, words.total);
    let groups = groups.as_object().unwrap();
    let keys: Vec<String> = groups
        .keys()
        .map(|k| {
            if k.is_empty() {
                words.no_province.to_string()
            } else {
                k.clone()
            }
        })
        .collect();
    let shown: Vec<String> = rows.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(shown, keys);
    for ((key, row), group) in rows.iter().zip(groups.values()) {
        for (i, category) in CATEGORIES.iter().enumerate() {
            let expected = json_number(&group["by_category"][category]);
            assert_eq!(number(&row[i + 1]), expected, "{key} {category}");
        }
        assert_eq!(number(&row[8]), json_number(&group["total"]), "{key} total");
    }
    for (i, category) in CATEGORIES.iter().enumerate() {
        let expected = json_number(&members["by_category"][category]);
        assert_eq!(number(&totals[i + 1]), expected, "total {category}");
    }
    assert_eq!(number(&totals[8]), json_number(&members["total"]));
}

/// The member sheet, counted here row by row by cluster and category (its
/// columns C and D), gives `members.by_cluster`: the figures the
/// members-by-category table holds as COUNTIFS over it.
fn check_member_list(range: &Range<Data>, groups: &Value, members: &Value) {
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |names: [&str; 2]| {
        header
            .iter()
            .position(|h| names.contains(&h.as_str()))
            .unwrap()
    };
    let (category, cluster) = (
        column(["Categoria", "Category"]),
        column(["Cluster", "Cluster"]),
    );
    let source = column(["Cella di origine", "Source cell"]);
    let mut counted: BTreeMap<(String, String), f64> = BTreeMap::new();
    for row in range.rows().skip(1) {
        let key = (row[cluster].to_string(), row[category].to_string());
        *counted.entry(key).or_default() += 1.0;
        let cell = row[source].to_string();
        assert!(cell.contains("inputs/soci.xlsx:Soci!A"), "{cell}");
    }
    assert_eq!(range.height() as f64 - 1.0, json_number(&members["total"]));
    let labels = category_labels(&header[category]);
    for (cluster, group) in groups.as_object().unwrap() {
        for (key, label) in CATEGORIES.iter().zip(labels) {
            let listed = counted.get(&(cluster.clone(), label.to_string())).copied();
            let expected = json_number(&group["by_category"][key]);
            assert_eq!(listed.unwrap_or(0.0), expected, "{cluster} {key}");
        }
    }
}

/// The categories' labels in `CATEGORIES` order, in the language whose word
/// for "category" is `category`.
fn category_labels(category: &str) -> [&'static str; 7] {
    if category == "Categoria" {
        [
            "Consorzi di imprese",
            "Grandi imprese",
            "PMI",
            "Università e centri di ricerca",
            "Associazioni di categoria",
            "Enti di diritto pubblico",
            "Altro",
        ]
    } else {
        ENGLISH_CATEGORIES
    }
}

/// Count, value, financing and ratio per group and for the portfolio.
fn check_projects(range: &Range<Data>, words: &Words, groups: &Value, portfolio: &Value) {
    let (rows, totals) = table_rows(range, words.total);
    let groups = groups.as_object().unwrap();
    assert_eq!(rows.len(), groups.len());
    let fields = ["count", "project_value", "financing", "financing_ratio"];
    for (key, row) in &rows {
        for (col, field) in (1..).zip(fields) {
            assert_eq!(
                number(&row[col]),
                json_number(&groups[key][field]),
                "{key} {field}"
            );
        }
    }
    for (col, field) in (1..).zip(fields) {
        assert_eq!(
            number(&totals[col]),
            json_number(&portfolio[field]),
            "total {field}"
        );
    }
}

/// Every breach and near breach of the summary, to the cent, and the count of each
/// verdict.
fn check_audit(range: &Range<Data>, words: &Words, summary: &Value) {
    let rows = rows_by_key(range);
    let audit = &summary["audit"];
    let check = |entry: &Value, status: &str, amount_col: usize, amount: &str| {
        let id = entry["project_id"].as_str().unwrap();
        let row = &rows[id];
        assert_eq!(
            row[5],
            entry["lead_member_id"]
                .as_str()
                .map_or(Data::Empty, |lead| Data::String(lead.into())),
            "{id} lead member"
        );
        assert_eq!(
            number(&row[8]),
            json_number(&entry["project_value"]),
            "{id}"
        );
        assert_eq!(number(&row[9]), json_number(&entry["financing"]), "{id}");
        assert_eq!(number(&row[10]), json_number(&entry["ratio"]), "{id}");
        assert_eq!(number(&row[11]), json_number(&entry["cap"]), "{id}");
        assert_eq!(string(&row[14]), status, "{id}");
        assert_eq!(
            row[15] == Data::Empty,
            entry["reason"].is_null(),
            "{id}: a breach, and only a breach, says which limit it exceeds"
        );
        assert_eq!(
            number(&row[amount_col]),
            json_number(&entry[amount]),
            "{id}"
        );
    };
    for entry in audit["breaches"].as_array().unwrap() {
        check(entry, words.breach, 17, "excess");
    }
    for entry in audit["near_breaches"].as_array().unwrap() {
        check(entry, words.near, 16, "headroom");
    }
    let verdicts = |label: &str| {
        range
            .rows()
            .filter(|r| r[14] == Data::String(label.into()))
            .count() as f64
    };
    assert_eq!(
        verdicts(words.breach),
        json_number(&audit["counts"]["breach"])
    );
    assert_eq!(
        verdicts(words.near),
        json_number(&audit["counts"]["near_cap"])
    );
    assert_eq!(
        range.height() as f64 - 2.0,
        json_number(&summary["projects"]["count"]),
        "one row per project of the portfolio, and the totals row"
    );
    // The totals row sums the excesses: the total to recover.
    let totals = &rows[words.total];
    assert_eq!(number(&totals[17]), json_number(&audit["total_excess"]));
}

fn check_issues(range: &Range<Data>, words: &Words, issues: &Value) {
    let count = |label: &str| {
        range
            .rows()
            .filter(|r| r[0] == Data::String(label.into()))
            .count() as f64
    };
    assert_eq!(count(words.error), json_number(&issues["errors"]));
    assert_eq!(count(words.warning), json_number(&issues["warnings"]));
}

fn check_sources(range: &Range<Data>, summary: &Value) {
    let rows = rows_by_key(range);
    for input in summary["inputs"].as_array().unwrap() {
        let row = &rows[input["path"].as_str().unwrap()];
        assert_eq!(string(&row[4]), input["sha256"].as_str().unwrap());
        assert_eq!(number(&row[2]), json_number(&input["rows"]));
        assert_eq!(number(&row[3]), json_number(&input["rejected"]));
    }
    let config = &summary["config"];
    let row = &rows[config["path"].as_str().unwrap()];
    assert_eq!(string(&row[4]), config["sha256"].as_str().unwrap());
}

/// The summary's figures, in their order on the sheet, from row 5.
fn check_summary(range: &Range<Data>, summary: &Value) {
    let p = &summary["projects"];
    let audit = &summary["audit"];
    let expected = [
        &p["count"],
        &p["project_value"],
        &p["financing"],
        &p["financing_ratio"],
        &p["in_period"]["count"],
        &p["in_period"]["financing"],
        &p["year_to_date"]["count"],
        &p["year_to_date"]["financing"],
    ];
    let figure = |row: u32| number(range.get_value((row, 1)).unwrap());
    assert_eq!(figure(6), json_number(&summary["members"]["total"]));
    for (row, value) in (7..).zip(expected) {
        assert_eq!(figure(row), json_number(value), "row {}", row + 1);
    }
    let de_minimis = audit["de_minimis"].as_array().unwrap();
    let de_minimis_excess: f64 = de_minimis.iter().map(|m| json_number(&m["excess"])).sum();
    let counts = [
        audit["breaches"].as_array().unwrap().len() as f64,
        json_number(&audit["total_excess"]),
        audit["near_breaches"].as_array().unwrap().len() as f64,
        audit["partner_breaches"].as_array().unwrap().len() as f64,
        de_minimis.len() as f64,
        de_minimis_excess,
        json_number(&summary["issues"]["errors"]),
        json_number(&summary["issues"]["warnings"]),
    ];
    for (row, count) in (15..).zip(counts) {
        assert_eq!(figure(row), count, "row {}", row + 1);
    }
}

fn check_every_table(xlsx: &Path, summary: &Value, words: &Words) {
    let mut workbook: Workbook = open_workbook(xlsx).unwrap();
    assert_eq!(workbook.sheet_names(), words.sheets);
    let mut sheet = |i: usize| workbook.worksheet_range(words.sheets[i]).unwrap();
    let members = &summary["members"];
    let projects = &summary["projects"];
    check_summary(&sheet(0), summary);
    check_members(&sheet(1), words, &members["by_cluster"], members);
    check_members(&sheet(2), words, &members["by_province"], members);
    check_projects(&sheet(3), words, &projects["by_cluster"], projects);
    check_projects(&sheet(4), words, &projects["by_call"], projects);
    check_audit(&sheet(5), words, summary);
    check_member_list(&sheet(8), &members["by_cluster"], members);
    check_issues(&sheet(9), words, &summary["issues"]);
    check_sources(&sheet(10), summary);
    workbook.load_tables().unwrap();
    for name in &words.sheets[1..] {
        assert_eq!(
            workbook.table_names_in_sheet(name).len(),
            1,
            "{name} holds one Excel table"
        );
    }
}

#[test]
fn every_table_of_the_italian_workbook_matches_summary_json() {
    let (_wd, xlsx, summary) = run_shipped("xlsx-it", &ITALIAN);
    check_every_table(&xlsx, &summary, &ITALIAN);
}

#[test]
fn every_table_of_the_english_workbook_matches_summary_json() {
    let (_wd, xlsx, summary) = run_shipped("xlsx-en", &ENGLISH);
    check_every_table(&xlsx, &summary, &ENGLISH);
}

/// The attribute `name="…"` of an XML element's text.
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = element[start..].find('"')? + start;
    Some(&element[start..end])
}

#[test]
fn the_package_has_tables_panes_formats_charts_links_and_print_setup() {
    let (_wd, xlsx, _) = run_shipped("xlsx-package", &ITALIAN);
    let parts = parts(&xlsx);
    let sheet = |n: usize| text(&parts, &format!("xl/worksheets/sheet{n}.xml"));

    let tables: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("xl/tables/"))
        .collect();
    assert_eq!(tables.len(), 13, "{tables:?}");
    for n in 2..=14 {
        let xml = sheet(n);
        assert!(xml.contains("<tablePart r:id="), "sheet{n} has a table");
        // The monitoring sheet's header is below the period, the trend's
        // keeps the indicator in view.
        let top_left = match n {
            12 => "C6",
            13 => "C2",
            _ => "B2",
        };
        assert!(
            xml.contains(&format!(
                "topLeftCell=\"{top_left}\" activePane=\"bottomRight\" state=\"frozen\""
            )),
            "sheet{n} freezes its header row and first columns"
        );
        assert!(
            !xml.contains("<autoFilter"),
            "sheet{n}: the table filters, not the sheet"
        );
    }
    let audit_table = text(&parts, "xl/tables/table5.xml");
    assert!(audit_table
        .contains("displayName=\"Controllo_finanziamenti\" ref=\"A1:S302\" totalsRowCount=\"1\""));
    assert!(audit_table.contains("<autoFilter ref=\"A1:S301\"/>"));

    for n in 1..=14 {
        let xml = sheet(n);
        assert!(
            xml.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
            "sheet{n} prints on A4 landscape, one page wide"
        );
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet{n}");
        assert!(
            xml.contains("<oddFooter>&amp;C&amp;P / &amp;N</oddFooter>"),
            "sheet{n}"
        );
        for col in xml.split("<col ").skip(1) {
            let width: f64 = attribute(col, "width").unwrap().parse().unwrap();
            assert!(width <= 68.0, "sheet{n}: a column {width} wide");
        }
    }
    let workbook = text(&parts, "xl/workbook.xml");
    assert_eq!(workbook.matches("name=\"_xlnm.Print_Titles\"").count(), 13);
    assert!(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"11\">Monitoraggio!$5:$5</definedName>"));

    let summary = sheet(1);
    assert_eq!(summary.matches("<hyperlink ").count(), 38);
    assert!(
        summary.contains("location=\"'Soci per categoria'!I12\""),
        "{summary}"
    );
    assert_eq!(summary.matches("<cfRule type=\"cellIs\"").count(), 8);
    let audit = sheet(6);
    assert_eq!(audit.matches("<cfRule type=\"expression\"").count(), 2);
    assert!(audit.contains("<conditionalFormatting sqref=\"K2:K301 O2:R301\">"));
    assert_eq!(sheet(7).matches("<cfRule type=\"cellIs\"").count(), 1);
    assert_eq!(sheet(8).matches("<cfRule type=\"expression\"").count(), 2);
    assert_eq!(sheet(11).matches("<cfRule type=\"cellIs\"").count(), 1);
    assert_eq!(sheet(12).matches("<cfRule type=\"expression\"").count(), 4);

    for (sheet, drawing, chart) in [(2, 1, 1), (4, 2, 2)] {
        let rels = text(
            &parts,
            &format!("xl/worksheets/_rels/sheet{sheet}.xml.rels"),
        );
        assert!(
            rels.contains(&format!("../drawings/drawing{drawing}.xml")),
            "{rels}"
        );
        let rels = text(
            &parts,
            &format!("xl/drawings/_rels/drawing{drawing}.xml.rels"),
        );
        assert!(
            rels.contains(&format!("../charts/chart{chart}.xml")),
            "{rels}"
        );
        assert!(sheet_has_break(&text(
            &parts,
            &format!("xl/worksheets/sheet{sheet}.xml")
        )));
    }
    let members_chart = text(&parts, "xl/charts/chart1.xml");
    assert!(members_chart.contains("<c:grouping val=\"stacked\"/>"));
    assert!(members_chart.contains("'Soci per categoria'!$A$2:$A$11"));
    let financing_chart = text(&parts, "xl/charts/chart2.xml");
    assert!(financing_chart.contains("'Progetti per cluster'!$D$2:$D$11"));
    let rels = text(&parts, "xl/worksheets/_rels/sheet13.xml.rels");
    assert!(rels.contains("../drawings/drawing3.xml"), "{rels}");
    let rels = text(&parts, "xl/drawings/_rels/drawing3.xml.rels");
    assert!(rels.contains("../charts/chart3.xml") && rels.contains("../charts/chart4.xml"));
    for n in [3, 4] {
        let chart = text(&parts, &format!("xl/charts/chart{n}.xml"));
        assert!(chart.contains("<c:lineChart>"), "chart{n}");
        assert!(chart.contains("<c:f>Andamento!$D$1:$O$1</c:f>"), "chart{n}");
    }
    let largest = text(&parts, "xl/charts/chart4.xml");
    assert_eq!(
        largest.matches("<c:ser>").count(),
        10,
        "the ten largest clusters"
    );

    let styles = text(&parts, "xl/styles.xml");
    assert!(
        styles.contains("formatCode=\"#,##0.00 &quot;€&quot;\""),
        "{styles}"
    );
    assert!(styles.contains("formatCode=\"0.00%\""), "{styles}");

    let core = text(&parts, "docProps/core.xml");
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-30T00:00:00Z"),
        "the creation time is the period's last day: {core}"
    );
    assert!(core.contains("<dc:title>Report di consolidamento 2026-11</dc:title>"));
}

fn sheet_has_break(xml: &str) -> bool {
    xml.contains("<rowBreaks count=\"1\" manualBreakCount=\"1\">")
}

#[test]
fn source_date_epoch_fixes_the_creation_time_end_to_end() {
    let wd = Workdir::new("xlsx-epoch");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let args = |out: &'static str| ["--out", out, "--period", "2026-11", "--quiet"];
    let epoch = [("SOURCE_DATE_EPOCH", "1700000000")];
    wd.run_with_env(&args("a"), &epoch).expect_code(0);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    wd.run_with_env(&args("b"), &epoch).expect_code(0);
    for entry in std::fs::read_dir(wd.path("a/2026-11")).unwrap() {
        let name = entry.unwrap().file_name();
        let a = std::fs::read(wd.path("a/2026-11").join(&name)).unwrap();
        let b = std::fs::read(wd.path("b/2026-11").join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between two runs");
    }
    let created = |out: &str| {
        let parts = parts(&wd.path(&format!("{out}/2026-11/consolida-2026-11.xlsx")));
        let core = text(&parts, "docProps/core.xml");
        attribute_free_element(&core, "dcterms:created")
    };
    assert_eq!(created("a"), "2023-11-14T22:13:20Z");
    let pdf = std::fs::read(wd.path("a/2026-11/consolida-2026-11.pdf")).unwrap();
    assert!(
        pdf.windows(16).any(|w| w == b"D:20231114221320"),
        "the PDF's creation date follows SOURCE_DATE_EPOCH"
    );
    wd.run(&args("c")).expect_code(0);
    assert_eq!(created("c"), "2026-11-30T00:00:00Z");
    wd.run_with_env(&args("d"), &[("SOURCE_DATE_EPOCH", "yesterday")])
        .expect_code(2)
        .expect_stderr(
            "consolida: errore: SOURCE_DATE_EPOCH='yesterday' non è un numero di secondi dal 1970.\n",
        );
}

/// The text of the first `<name …>text</name>` element.
fn attribute_free_element(xml: &str, name: &str) -> String {
    let start = xml.find(&format!("<{name}")).unwrap();
    let start = xml[start..].find('>').unwrap() + start + 1;
    let end = xml[start..].find('<').unwrap() + start;
    xml[start..end].to_string()
}

/// The formulas the workbook writes itself; anything else would be input text
/// turned into a formula.
fn is_own_formula(formula: &str) -> bool {
    let sheet_ref = formula.starts_with('\'') && formula.contains("'!");
    // Counts over a detail sheet, whose only text is the "=" of each criterion
    // (the texts they match are the table's own cells).
    let counts = (formula.starts_with("COUNTIFS(") || formula.starts_with("SUMIFS("))
        && !formula.replace("\"=\"&amp;", "").contains('"');
    formula.starts_with("SUBTOTAL(109,")
        || formula.starts_with("SUM(")
        || formula.starts_with("IF(")
        || counts
        || sheet_ref
}

#[test]
fn text_from_the_inputs_stays_text_within_excel_limits() {
    let wd = Workdir::new("xlsx-hostile");
    wd.copy_inputs(&root().join("tests/fixtures/hostile"), "inputs");
    wd.run(&["--out", "out", "--period", "2026-11", "--quiet"])
        .expect_code(0);
    let xlsx = wd.path("out/2026-11/consolida-2026-11.xlsx");
    let parts = parts(&xlsx);
    for (name, bytes) in parts
        .iter()
        .filter(|(k, _)| k.starts_with("xl/worksheets/sheet"))
    {
        let xml = String::from_utf8(bytes.clone()).unwrap();
        for formula in xml.split("<f>").skip(1) {
            let formula = &formula[..formula.find("</f>").unwrap()];
            assert!(is_own_formula(formula), "{name}: {formula}");
        }
    }

    let mut workbook: Workbook = open_workbook(&xlsx).unwrap();
    let hyperlink = "=HYPERLINK(\"http://x\",\"y\")";
    let audit = rows_by_key(&workbook.worksheet_range("Controllo finanziamenti").unwrap());
    let hostile = &audit["-2+3"];
    assert_eq!(string(&hostile[1]), hyperlink);
    assert_eq!(string(&hostile[2]), "=1+2");
    assert_eq!(string(&hostile[3]), "@SUM(1,1)");
    let long = string(&audit["P2"][1]);
    assert_eq!(long.encode_utf16().count(), 32_767, "cut to Excel's limit");
    assert!(long.starts_with("Titolo lunghissimo") && long.ends_with('…'));
    let clusters = rows_by_key(&workbook.worksheet_range("Soci per categoria").unwrap());
    for key in ["=1+2", "@Cluster", "_x0041_ & <Mobilità>", "Mobilità"] {
        assert!(clusters.contains_key(key), "{key} in {:?}", clusters.keys());
    }
    let provinces = rows_by_key(&workbook.worksheet_range("Soci per provincia").unwrap());
    for key in ["+39 02 1234 5678", "-MI", "=cmd|' /C calc'!A0"] {
        assert!(
            provinces.contains_key(key),
            "{key} in {:?}",
            provinces.keys()
        );
    }

    let csv = |name: &str| wd.read(&format!("out/2026-11/{name}"));
    let audit_csv = csv("financing_audit.csv");
    assert!(
        audit_csv
            .contains("\n'-2+3,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'=1+2,\"'@SUM(1,1)\","),
        "{}",
        &audit_csv[..300]
    );
    assert!(
        audit_csv.contains(&"Titolo lunghissimo ".repeat(2199)),
        "the CSV keeps it whole"
    );
    let provinces_csv = csv("members_by_province.csv");
    for line in ["'+39 02 1234 5678,", "'-MI,", "'=cmd|' /C calc'!A0,"] {
        assert!(
            provinces_csv.contains(&format!("\n{line}")),
            "{provinces_csv}"
        );
    }
    assert!(csv("projects_by_call.csv").contains("\n\"'@SUM(1,1)\","));
    assert!(csv("members_by_cluster.csv").contains("\n'@Cluster,"));
}
