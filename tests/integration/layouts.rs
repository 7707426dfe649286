//! Layouts people really send: the same list in every file format (xlsb copied
//! from the xlsx by the tests' own writer, `common/xlsb.rs`), title rows,
//! two-row headers over merged cells, block labels, totals and subtotals, notes,
//! formulas and error cells, a workbook whose declared size is huge. The expected
//! figures are worked out here from the data the test writes or holds.

use crate::common::{root, xlsb, Workdir};
use calamine::{Data, Reader};
use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::Value;
use std::collections::BTreeMap;

const CLUSTERS: &str = "clusters = [\"Agrifood\", \"Energia\", \"Mobilità\"]\n";

/// The members of `tests/fixtures/formats`: id, category key, cluster, joined on.
const MEMBERS: [(&str, &str, &str, &str); 12] = [
    ("01234567890", "sme", "Mobilità", "2020-02-01"),
    ("02345678901", "large_enterprise", "Mobilità", "2019-03-15"),
    ("03456789012", "consortium", "Mobilità", "2018-01-01"),
    (
        "04567890123",
        "university_research",
        "Mobilità",
        "2017-05-05",
    ),
    ("05678901234", "sme", "Energia", "2021-06-30"),
    ("06789012345", "trade_association", "Energia", "2020-10-10"),
    ("07890123456", "public_body", "Energia", "2016-01-01"),
    ("08901234567", "sme", "Energia", "2026-12-01"),
    ("09012345678", "large_enterprise", "Agrifood", "2015-04-04"),
    (
        "10123456789",
        "university_research",
        "Agrifood",
        "2014-09-09",
    ),
    ("11234567890", "sme", "Agrifood", "2022-02-22"),
    ("12345678901", "sme", "Mobilità", "2023-03-03"),
];

fn run_csv(wd: &Workdir, code: i32) -> Value {
    wd.run(&[
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ])
    .expect_code(code);
    wd.json("out/2026-11/summary.json")
}

#[test]
fn the_same_list_reads_the_same_in_every_format() {
    let formats = root().join("tests/fixtures/formats");
    for name in [
        "soci.xlsx",
        "soci.xlsm",
        "soci.xls",
        "soci.ods",
        "soci_1252.csv",
        "soci_bom.csv",
        "soci_utf16.tsv",
    ] {
        let wd = Workdir::new(&format!("formats-{name}"));
        std::fs::create_dir_all(wd.path("inputs")).unwrap();
        std::fs::copy(formats.join(name), wd.path("inputs").join(name)).unwrap();
        assert_the_member_list_figures(&wd, name);
    }
}

/// Runs the tool on the member list `name` in `wd/inputs` and checks the figures
/// worked out from [`MEMBERS`].
fn assert_the_member_list_figures(wd: &Workdir, name: &str) {
    // As of 30/11/2026: everyone but the member joining on 01/12/2026.
    let mut expected: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for (_, category, cluster, joined) in MEMBERS {
        if joined <= "2026-11-30" {
            *expected
                .entry(cluster)
                .or_default()
                .entry(category)
                .or_default() += 1;
        }
    }
    std::fs::write(wd.path("inputs/consolida.toml"), CLUSTERS).unwrap();
    let summary = run_csv(wd, 0);
    let by_cluster = &summary["members"]["by_cluster"];
    for (cluster, categories) in &expected {
        for (category, n) in categories {
            assert_eq!(
                by_cluster[cluster]["by_category"][category], *n,
                "{name}: {cluster} {category}\n{summary}"
            );
        }
        let total: u64 = categories.values().sum();
        assert_eq!(by_cluster[cluster]["total"], total, "{name}: {cluster}");
    }
    assert_eq!(summary["inputs"][0]["rows"], MEMBERS.len(), "{name}");
    // "Totale soci: 12" agrees with the rows; the note below is a warning.
    assert_eq!(summary["issues"]["errors"], 0, "{name}");
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(
        issues.contains("is a note, not data, and is not read: 'Fonte: segreteria del cluster'."),
        "{name}\n{issues}"
    );
    assert_eq!(summary["issues"]["warnings"], 1, "{name}\n{issues}");
}

#[test]
fn the_same_list_reads_the_same_from_xlsb() {
    // Nothing here writes xlsb: the test copies soci.xlsx cell by cell, with its
    // merged regions and its date cells, into an xlsb of its own.
    let mut source: calamine::Xlsx<_> =
        calamine::open_workbook(root().join("tests/fixtures/formats/soci.xlsx")).unwrap();
    let range = source.worksheet_range("Soci").unwrap();
    let mut workbook = xlsb::Workbook::new();
    let sheet = workbook.sheet("Soci");
    let (mut inline, mut dates) = (0, 0);
    for (row, col, value) in range.used_cells() {
        let (row, col) = (row as u32, col as u32);
        let value = match value {
            // Names inline (BrtCellSt), every other text shared (BrtCellIsst).
            Data::String(s) if col == 1 && row > 3 => {
                inline += 1;
                xlsb::Value::InlineText(s.clone())
            }
            Data::String(s) => xlsb::Value::Text(s.clone()),
            Data::Float(n) => xlsb::Value::Number(*n),
            Data::DateTime(d) => {
                dates += 1;
                xlsb::Value::Date(d.as_f64())
            }
            other => panic!("soci.xlsx holds no {other:?}"),
        };
        sheet.set(row, col, value);
    }
    let merges = source.merge_cells_by_sheet_name("Soci").unwrap();
    for m in &merges {
        sheet.merge(m.start.0, m.start.1, m.end.0, m.end.1);
    }
    // The copy holds the names inline, eleven date cells and seven merged regions.
    assert_eq!(
        (inline, dates, merges.len()),
        (MEMBERS.len(), MEMBERS.len() - 1, 7)
    );

    let wd = Workdir::new("formats-soci.xlsb");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    workbook.save(&wd.path("inputs/soci.xlsb"));
    assert_the_member_list_figures(&wd, "soci.xlsb");
}

/// POLI-AUTO as its secretariat might keep it (seed 000): 6 consortia, 20 large
/// firms, 72 SMEs, 5 universities, 11 associations, 7 public bodies — 121 rows
/// under a total that declares 123.
const POLI_AUTO: [(&[&str], u64, &str); 6] = [
    (&["Consorzi di imprese", "consorzio"], 6, "consortium"),
    (
        &["Grandi imprese", "GRANDE IMPRESA", "Large enterprise"],
        20,
        "large_enterprise",
    ),
    (&["PMI", "Piccola e media impresa", "pmi", "SME"], 72, "sme"),
    (
        &[
            "Università",
            "Universita'",
            "UNIVERSITÀ E CENTRI DI RICERCA",
        ],
        5,
        "university_research",
    ),
    (
        &["Associazioni di categoria", "associazione di categoria"],
        11,
        "trade_association",
    ),
    (
        &["Enti di diritto pubblico", "Ente pubblico", "Provincia"],
        7,
        "public_body",
    ),
];

/// The same members as a secretariat types them by hand: plurals, missing
/// accents, abbreviations, slashes, words in another order.
const POLI_AUTO_BY_HAND: [(&[&str], u64, &str); 6] = [
    (
        &[
            "Consorzio d'imprese",
            "CONSORZI",
            "Cons.",
            "imprese - consorzi",
        ],
        6,
        "consortium",
    ),
    (
        &["Grande impresa", "Imprese grandi", "GI", "grandi imprese"],
        20,
        "large_enterprise",
    ),
    (
        &[
            "MPMI",
            "Piccole e medie imprese",
            "micro, piccole e medie imprese",
            "P.M.I.",
        ],
        72,
        "sme",
    ),
    (
        &[
            "Universita' / Centri di ricerca",
            "Centri di ricerca e università",
            "Univ.",
            "Organismo di ricerca",
        ],
        5,
        "university_research",
    ),
    (
        &[
            "Ass. di categoria",
            "Associazione",
            "Categoria-Associazioni",
        ],
        11,
        "trade_association",
    ),
    (
        &["Ente pubbl.", "Enti Pubblici", "Pubblica Amministrazione"],
        7,
        "public_body",
    ),
];

fn write_poli_auto(path: &std::path::Path) {
    write_member_list(path, &POLI_AUTO, &["Totale"]);
}

/// The POLI-AUTO list with its `categories` as written and a total row whose
/// label is written across the cells `total`, its count in the cell after them.
fn write_member_list(path: &std::path::Path, categories: &[(&[&str], u64, &str)], total: &[&str]) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Soci").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(
            0,
            0,
            0,
            4,
            "POLI-AUTO – elenco dei soci al 30/11/2026",
            &plain,
        )
        .unwrap();
    sheet.merge_range(2, 0, 2, 1, "Socio", &plain).unwrap();
    for (col, name) in [(2, "Categoria"), (3, "Cluster"), (4, "Provincia")] {
        sheet.merge_range(2, col, 3, col, name, &plain).unwrap();
    }
    sheet.write(3, 0, "Codice fiscale").unwrap();
    sheet.write(3, 1, "Denominazione").unwrap();
    let provinces = ["MI", "BG", "BS", "CR", "MN"];
    let mut row = 4u32;
    for (spellings, count, _) in categories {
        for i in 0..*count as usize {
            sheet.write(row, 0, format!("IT{row:09}")).unwrap();
            sheet.write(row, 1, format!("Socio {row}")).unwrap();
            sheet.write(row, 2, spellings[i % spellings.len()]).unwrap();
            sheet.write(row, 4, provinces[row as usize % 5]).unwrap();
            row += 1;
        }
    }
    // The cluster is written once, merged down over every member: a block label.
    sheet
        .merge_range(4, 3, row - 1, 3, "Mobilità", &plain)
        .unwrap();
    for (col, text) in total.iter().enumerate() {
        sheet.write(row, col as u16, *text).unwrap();
    }
    sheet.write(row, total.len() as u16, 123).unwrap();
    sheet
        .merge_range(
            row + 1,
            0,
            row + 1,
            4,
            "Fonte: segreteria POLI-AUTO",
            &plain,
        )
        .unwrap();
    workbook.save(path).unwrap();
}

#[test]
fn poli_auto_counts_its_rows_and_says_the_declared_total_disagrees() {
    let wd = Workdir::new("poli-auto");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    write_poli_auto(&wd.path("inputs/poli_auto.xlsx"));
    std::fs::copy(
        root().join("inputs/consolida.toml"),
        wd.path("inputs/consolida.toml"),
    )
    .unwrap();
    let summary = run_csv(&wd, 0);
    let mobility = &summary["members"]["by_cluster"]["Mobilità"];
    let rows: u64 = POLI_AUTO.iter().map(|(_, n, _)| n).sum();
    assert_eq!(rows, 121);
    for (_, count, key) in POLI_AUTO {
        assert_eq!(mobility["by_category"][key], count, "{key}");
    }
    assert_eq!(mobility["total"], rows);
    assert_eq!(summary["issues"]["errors"], 1);

    let issues = wd.read("out/2026-11/issues.csv");
    let total_row = 4 + rows + 1;
    let declared = format!(
        "error,inputs/poli_auto.xlsx,Soci,B{total_row},{total_row},123,{rows},\"The total row declares 123 members, but the table has {rows} rows above it: 2 more than its rows. The figures count the rows.\""
    );
    assert!(issues.contains(&declared), "{declared}\n{issues}");
    assert!(
        issues.contains(&format!(
            "Row {} at the bottom of the table is a note",
            total_row + 1
        )),
        "{issues}"
    );
}

#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn labels_typed_by_hand_and_a_total_across_cells_read_from_an_xls() {
    let wd = Workdir::new("poli-auto-by-hand");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    let xlsx = wd.path("poli_auto.xlsx");
    write_member_list(&xlsx, &POLI_AUTO_BY_HAND, &["TOTALE", "aderenti"]);
    crate::xls_guard::to_xls(&[xlsx], &wd.path("inputs"));
    std::fs::copy(
        root().join("inputs/consolida.toml"),
        wd.path("inputs/consolida.toml"),
    )
    .unwrap();
    let summary = run_csv(&wd, 0);
    let mobility = &summary["members"]["by_cluster"]["Mobilità"];
    for (_, count, key) in POLI_AUTO_BY_HAND {
        assert_eq!(mobility["by_category"][key], count, "{key}");
    }
    assert_eq!(mobility["total"], 121);
    // The one error: the declared total the categories do not reach.
    assert_eq!(summary["issues"]["errors"], 1);
    let issues = wd.read("out/2026-11/issues.csv");
    let declared = "error,inputs/poli_auto.xls,Soci,C126,126,123,121,\"The total row declares 123 members, but the table has 121 rows above it: 2 more than its rows. The figures count the rows.\"";
    assert!(issues.contains(declared), "{declared}\n{issues}");
}

#[test]
fn formulas_errors_subtotals_and_amounts_in_every_form() {
    let wd = Workdir::new("projects-forms");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Progetti").unwrap();
    let plain = Format::new();
    let header = [
        "CUP",
        "Cluster",
        "Bando",
        "Valore progetto",
        "Finanziamento",
        "Data approvazione",
    ];
    for (col, name) in header.iter().enumerate() {
        sheet.write(0, col as u16, *name).unwrap();
    }
    // (id, value as written, its cents, financing as written, its cents, date)
    let rows: [(&str, &str, i64, &str, i64, &str); 5] = [
        (
            "P1",
            "158.500,00 €",
            15_850_000,
            "114.944,00",
            11_494_400,
            "12/11/2026",
        ),
        (
            "P2",
            "€ 1.234,5",
            123_450,
            "1,000.25",
            100_025,
            "30.11.2026 10:30",
        ),
        ("P3", "1,234.50", 123_450, "617.25", 61_725, "2026-11-01"),
        ("P4", "(1.000,00)", -100_000, "0", 0, "2026-01-01"),
        ("P5", "n/d", 0, "10", 1_000, "2026-01-01"),
    ];
    for (i, (id, value, _, financing, _, date)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write(r, 0, *id).unwrap();
        sheet.write(r, 2, "Bando A").unwrap();
        sheet.write(r, 3, *value).unwrap();
        sheet.write(r, 4, *financing).unwrap();
        sheet.write(r, 5, *date).unwrap();
    }
    // The cluster labels P1–P5 once, merged down.
    sheet.merge_range(1, 1, 5, 1, "Mobilità", &plain).unwrap();
    // P6: financing by a formula (its cached value is read); P7: a formula error.
    sheet.write(6, 0, "P6").unwrap();
    sheet.write(6, 1, "Energia").unwrap();
    sheet.write(6, 2, "Bando B").unwrap();
    sheet.write(6, 3, 200_000).unwrap();
    sheet
        .write_formula(6, 4, Formula::new("=D7*0.5").set_result("100000"))
        .unwrap();
    sheet.write(7, 0, "P7").unwrap();
    sheet.write(7, 1, "Energia").unwrap();
    sheet.write(7, 2, "Bando B").unwrap();
    sheet.write(7, 3, 50_000).unwrap();
    sheet
        .write_formula(7, 4, Formula::new("=D8/0").set_result("#DIV/0!"))
        .unwrap();
    sheet.write(8, 0, "Totale Energia").unwrap();
    sheet.write(8, 3, 250_000).unwrap();
    sheet.write(9, 0, "TOTALE").unwrap();
    sheet.write(9, 3, 999_999).unwrap();
    workbook.save(wd.path("inputs/progetti.xlsx")).unwrap();
    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "clusters = [\"Mobilità\", \"Energia\"]\n[[cap]]\nmax_ratio = 1.0\n",
    )
    .unwrap();
    let summary = run_csv(&wd, 0);

    // P1–P3 and P6 are read; P4 (negative), P5 (no value), P7 (#DIV/0!) are not.
    let kept = [
        (15_850_000, 11_494_400),
        (123_450, 100_025),
        (123_450, 61_725),
        (20_000_000, 10_000_000),
    ];
    let value: i64 = kept.iter().map(|(v, _)| v).sum();
    let financing: i64 = kept.iter().map(|(_, f)| f).sum();
    assert_eq!(summary["projects"]["count"], 4);
    assert_eq!(summary["projects"]["project_value"], value as f64 / 100.0);
    assert_eq!(summary["projects"]["financing"], financing as f64 / 100.0);
    assert_eq!(summary["projects"]["by_cluster"]["Mobilità"]["count"], 3);
    assert_eq!(summary["inputs"][0]["rows"], 7);
    assert_eq!(summary["inputs"][0]["rejected"], 3);

    let issues = wd.read("out/2026-11/issues.csv");
    for expected in [
        "error,inputs/progetti.xlsx,Progetti,D5,5,\"(1.000,00)\"",
        "error,inputs/progetti.xlsx,Progetti,D6,6,n/d",
        "error,inputs/progetti.xlsx,Progetti,E8,8,#DIV/0!,\"a value, not a formula error\",The financing cell holds the spreadsheet error #DIV/0!",
        "warning,inputs/progetti.xlsx,Progetti,A9,9,Totale Energia,,Row 9 is a subtotal",
    ] {
        assert!(issues.contains(expected), "{expected}\n{issues}");
    }
    // The rows above TOTALE hold 158.500 + 1.234,50 + 1.234,50 − 1.000 + 200.000 +
    // 50.000 in column D (n/d is no amount), against 999.999 declared.
    let column_d: i64 = rows.iter().map(|r| r.2).sum::<i64>() + 20_000_000 + 5_000_000;
    let difference = 99_999_900 - column_d;
    assert!(
        issues.contains(&format!("a difference of {}", italian_eur(difference))),
        "{}\n{issues}",
        italian_eur(difference)
    );
}

/// `1.234,50 €` from cents, as the test's own formatting.
fn italian_eur(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let (euros, rest) = (cents.abs() / 100, cents.abs() % 100);
    let digits = euros.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{rest:02} €")
}

#[test]
fn a_workbook_declaring_a_huge_size_costs_only_its_cells() {
    for (name, stray) in [("blank", false), ("stray", true)] {
        let wd = Workdir::new(&format!("huge-{name}"));
        std::fs::create_dir_all(wd.path("inputs")).unwrap();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet().set_name("Soci").unwrap();
        for (col, name) in ["Codice fiscale", "Categoria", "Cluster"]
            .iter()
            .enumerate()
        {
            sheet.write(0, col as u16, *name).unwrap();
        }
        for (i, (id, category, cluster, _)) in MEMBERS.iter().enumerate() {
            sheet.write(1 + i as u32, 0, *id).unwrap();
            sheet.write(1 + i as u32, 1, *category).unwrap();
            sheet.write(1 + i as u32, 2, *cluster).unwrap();
        }
        // A formatted cell in XFD1048576 makes the sheet declare A1:XFD1048576,
        // 17 billion cells; with `stray` it also holds a value.
        let bold = Format::new().set_bold();
        if stray {
            sheet
                .write_with_format(1_048_575, 16_383, "x", &bold)
                .unwrap();
        } else {
            sheet.write_blank(1_048_575, 16_383, &bold).unwrap();
        }
        workbook.save(wd.path("inputs/soci.xlsx")).unwrap();
        std::fs::write(wd.path("inputs/consolida.toml"), CLUSTERS).unwrap();

        // Half a gigabyte of address space: the tool needs a small part of it; a
        // sheet allocated by its declared size would need hundreds of gigabytes.
        let run = wd.run_limited(512 * 1024, &["validate", "--inputs", "inputs"]);
        // With `stray`, the row of XFD1048576 is read, and lacks its three fields.
        let stderr = if stray {
            format!(
                concat!(
                    "inputs/soci.xlsx: 3 errori, 0 avvisi\n",
                    "  inputs/soci.xlsx:Soci!A1048576: errore: Manca il codice del socio: indicare un codice del socio (codice fiscale, partita IVA o altro codice); la riga è esclusa.\n",
                    "  inputs/soci.xlsx:Soci!B1048576: errore: Manca la categoria: indicare una categoria di socio (PMI, Grandi imprese, Università e centri di ricerca …); la riga è esclusa.\n",
                    "  inputs/soci.xlsx:Soci!C1048576: errore: Manca il cluster: indicare il nome del cluster; la riga è esclusa.\n",
                    "consolida validate: 1 file, {} righe lette, 1 scartata, 3 errori, 0 avvisi\n",
                ),
                MEMBERS.len() + 1
            )
        } else {
            format!(
                "consolida validate: 1 file, {} righe lette, 0 scartate, 0 errori, 0 avvisi\n",
                MEMBERS.len()
            )
        };
        run.expect_code(i32::from(stray)).expect_stderr(&stderr);
    }
}

#[test]
fn without_a_cluster_list_near_spellings_are_reported() {
    let wd = Workdir::new("cluster-spellings");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    std::fs::write(
        wd.path("inputs/soci.csv"),
        "Codice fiscale;Categoria;Cluster\n01;PMI;Mobilità\n02;PMI;Mobilità\n03;PMI;MOBILITA'\n04;PMI;Mobilta\n05;PMI;FR\n06;PMI;FI\n",
    )
    .unwrap();
    let summary = run_csv(&wd, 0);
    // Every distinct value is a cluster: they are reported, not merged.
    let by_cluster = summary["members"]["by_cluster"].as_object().unwrap();
    assert_eq!(by_cluster.len(), 5, "{by_cluster:?}");
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(
        issues.contains("warning,inputs/soci.csv,,C4,4,MOBILITA',,\"The cluster 'MOBILITA'' (1 row) differs from 'Mobilità' (2 rows, first at inputs/soci.csv:2:C) only by case, accents or spacing"),
        "{issues}"
    );
    // The suggestion, then the cluster the row was read as: its own spelling.
    assert!(
        issues.contains(",Mobilità,2026-11,MOBILITA',cluster_spelling\n"),
        "{issues}"
    );
    assert!(
        issues.contains("'Mobilta' (1 row) differs from 'Mobilità'"),
        "{issues}"
    );
    assert!(
        !issues.contains("'FI'"),
        "two-letter codes are not typos: {issues}"
    );
}

#[test]
fn config_mistakes_name_their_line_and_the_closest_name() {
    let wd = Workdir::new("config-errors");
    std::fs::create_dir_all(wd.path("inputs")).unwrap();
    std::fs::write(
        wd.path("inputs/soci.csv"),
        "Codice fiscale;Tipo;Cluster\n01;PRC;Mobilità\n",
    )
    .unwrap();
    let config = |text: &str| std::fs::write(wd.path("inputs/consolida.toml"), text).unwrap();
    let source = "[[source]]\npath = \"soci.csv\"\nkind = \"members\"\n[source.columns]\nmember_id = \"Codice fiscale\"\ncluster = \"Cluster\"\n[[source.rules]]\nwhen = { Tipo = \"PRC\" }\nset = { category = \"large_enterprise\" }\n";
    let cases = [
        (
            source.replace("[source.columns]", "[source.colums]"),
            "inputs/consolida.toml:4: Unknown field `colums`, expected one of `path`, `kind`, `sheet`, `header_row`, `columns`, `defaults`, `rules`. Did you mean 'columns'?",
        ),
        (
            source.replace("\"Codice fiscale\"", "\"Codice fiscal\""),
            "inputs/consolida.toml:5: [[source]] path = \"soci.csv\": inputs/soci.csv: there is no column 'Codice fiscal' in the header. Did you mean 'Codice fiscale'?",
        ),
        (
            source.replace("when = { Tipo", "when = { Tipologia"),
            "inputs/consolida.toml:8: [[source]] path = \"soci.csv\": inputs/soci.csv: there is no column 'Tipologia' in the header.",
        ),
        (
            source.replace("set = { category", "set = { categoria"),
            "inputs/consolida.toml:9: 'categoria' in `set` of a rule is not a field of members; the fields are member_id, name, category, cluster, province, joined_on, left_on. Did you mean 'category'?",
        ),
        (
            source.replace("path = \"soci.csv\"", "path = \"soci.xlsx\""),
            "inputs/consolida.toml:2: [[source]] path = \"soci.xlsx\" matches no file of the inputs folder. Did you mean 'soci.csv'?",
        ),
    ];
    for (text, message) in cases {
        config(&text);
        let run = wd.run(&["validate"]);
        run.expect_code(2);
        assert_eq!(run.stderr(), format!("consolida: error: {message}\n"));
    }
    config(source);
    wd.run(&["validate"]).expect_code(0);
}

#[test]
fn a_damaged_workbook_is_an_unreadable_input_not_a_crash() {
    let damaged = root().join("tests/fixtures/damaged");
    for entry in std::fs::read_dir(&damaged).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".md") {
            continue;
        }
        let wd = Workdir::new(&format!("damaged-{name}"));
        std::fs::create_dir_all(wd.path("inputs")).unwrap();
        std::fs::copy(&path, wd.path("inputs").join(&name)).unwrap();
        let run = wd.run(&["validate", "--inputs", "inputs"]);
        run.expect_code(3);
        assert_eq!(
            run.stderr(),
            format!("consolida: error: inputs/{name}: cannot open the workbook: it is damaged (the workbook reader gave up on an inconsistency in the file).\n")
        );
    }
}
