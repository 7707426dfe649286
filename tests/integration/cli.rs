//! CLI tests: the built binary on fixture folders and on the shipped `inputs/`,
//! with expected figures computed here, independently of the library.

use crate::common::{root, Workdir};
use calamine::{open_workbook_auto, Data, DataType, Reader};
use std::collections::{BTreeMap, HashSet};

/// Mobilità as of 30/11/2026, counted straight from `inputs/soci.xlsx`: members
/// who joined on or before that day and did not leave before it, each id once per
/// cluster, rows with an unknown category left out.
fn mobility_from_the_workbook() -> BTreeMap<String, u64> {
    let mut workbook = open_workbook_auto(root().join("inputs/soci.xlsx")).unwrap();
    let range = workbook.worksheet_range("Soci").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Categoria"))
        .unwrap();
    let column = |name: &str| rows[header].iter().position(|c| *c == name).unwrap();
    let (id, category, cluster, joined, left) = (
        column("Codice fiscale / P.IVA"),
        column("Categoria"),
        column("Cluster"),
        column("Data adesione"),
        column("Data recesso"),
    );
    let serial = |d: &Data| match d {
        Data::DateTime(dt) => Some(dt.as_f64()),
        Data::Float(f) => Some(*f),
        _ => None,
    };
    let last_day = 46_356.0; // 30/11/2026 in the 1900 date system
    let mut seen = HashSet::new();
    let mut counts = BTreeMap::new();
    for row in &rows[header + 1..] {
        if row[cluster] != "Mobilità" || !seen.insert(row[id].to_string()) {
            continue;
        }
        let active = serial(&row[joined]).is_none_or(|j| j <= last_day)
            && serial(&row[left]).is_none_or(|l| l >= last_day);
        if active {
            *counts.entry(row[category].to_string()).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn the_shipped_inputs_give_the_poli_auto_composition_and_the_seed_breach() {
    let wd = Workdir::new("shipped");
    wd.run_shipped(&[]).expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");

    let expected = mobility_from_the_workbook();
    let counted = [
        ("Consorzi di imprese", 6, "consortium"),
        ("Grandi imprese", 20, "large_enterprise"),
        ("PMI", 72, "sme"),
        ("Università e centri di ricerca", 5, "university_research"),
        ("Associazioni di categoria", 11, "trade_association"),
        ("Enti di diritto pubblico", 7, "public_body"),
    ];
    let mobility = &summary["members"]["by_cluster"]["Mobilità"];
    for (label, poli_auto, key) in counted {
        assert_eq!(
            expected.get(label).copied().unwrap_or(0),
            poli_auto,
            "{label} in the workbook"
        );
        assert_eq!(
            mobility["by_category"][key], poli_auto,
            "{key} in summary.json"
        );
    }
    assert_eq!(mobility["total"], 121);

    let seed = summary["audit"]["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["project_value"] == 158_500.0 && b["financing"] == 114_944.0)
        .expect("the seed-003 project breaches its cap");
    // 114 944,00 / 158 500,00 = 0.725198…; 70 % of 158 500,00 is 110 950,00.
    let ratio = (11_494_400.0_f64 / 15_850_000.0 * 10_000.0).round() / 10_000.0;
    assert_eq!(seed["ratio"], ratio);
    assert_eq!(seed["ratio"], 0.7252);
    assert_eq!(seed["cap"], 0.7);
    assert_eq!(
        seed["excess"],
        (11_494_400 - 15_850_000 * 70 / 100) as f64 / 100.0
    );
    assert_eq!(seed["excess"], 3994.0);

    // The deliberate problems: an unknown category, a misspelt cluster, financing
    // above value, partners' financing shares that miss 1.000,00 € (errors); a
    // member listed twice (warning).
    assert_eq!(summary["issues"]["errors"], 4);
    assert_eq!(summary["issues"]["warnings"], 1);
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(issues.contains("Fondazione di partecipazione"), "{issues}");
    assert!(
        issues.contains("Aerospazo") && issues.contains(",Aerospazio,2026-11,,unknown_cluster\n"),
        "{issues}"
    );
    assert!(issues.contains("exceeds the project value"), "{issues}");
    assert!(
        issues.contains("The financing shares of the 3 partners of project")
            && issues.contains("(1.000,00 € missing)"),
        "{issues}"
    );
    assert!(issues.contains("counted once"), "{issues}");
}

#[test]
fn the_workbook_and_the_pdf_carry_the_key_figures() {
    let wd = Workdir::new("outputs");
    wd.run_shipped(&["--quiet"]).expect_code(0);

    let mut workbook = open_workbook_auto(wd.path("out/2026-11/consolida-2026-11.xlsx")).unwrap();
    let members = workbook.worksheet_range("Soci per categoria").unwrap();
    let mobility: Vec<f64> = members
        .rows()
        .find(|r| r[0] == "Mobilità")
        .expect("a Mobilità row")
        .iter()
        .skip(1)
        .filter_map(|c| c.get_float().or(c.get_int().map(|i| i as f64)))
        .collect();
    assert_eq!(mobility, vec![6.0, 20.0, 72.0, 5.0, 11.0, 7.0, 0.0, 121.0]);
    let audit = workbook.worksheet_range("Controllo finanziamenti").unwrap();
    let seed = audit
        .rows()
        .find(|r| r.iter().any(|c| c.get_float() == Some(158_500.0)))
        .expect("the seed project");
    assert!(seed.iter().any(|c| c.get_float() == Some(0.7252)));
    assert!(seed.iter().any(|c| c.get_float() == Some(3994.0)));

    let pdf = std::fs::read(wd.path("out/2026-11/consolida-2026-11.pdf")).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    for figure in [
        "158.500,00",
        "114.944,00",
        "72,52",
        "3.994,00",
        "Mobilità",
        "Scienze della vita",
    ] {
        assert!(text.contains(figure), "{figure} missing from the PDF text");
    }
}

#[test]
fn a_small_fixture_gives_the_figures_worked_out_by_hand() {
    let wd = Workdir::new("small");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    wd.run(&["--out", "out", "--period", "2026-11", "--format", "csv"])
        .expect_code(0);
    let s = wd.json("out/2026-11/summary.json");
    // Mobilità: 01 (sme), 02 (large), 04 (consortium, leaves on the last day),
    // 06 (university), 08 (sme, "Mobilita'"); not 03 (joins in December), 05 (left
    // the day before), 07 (unknown category), nor 01's second row.
    let mobility = &s["members"]["by_cluster"]["Mobilità"]["by_category"];
    assert_eq!(
        (
            mobility["sme"].as_u64(),
            mobility["large_enterprise"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        (
            mobility["consortium"].as_u64(),
            mobility["university_research"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(s["members"]["total"], 6);
    assert_eq!(
        s["members"]["by_province"]["BS"]["total"], 1,
        "Brescia is written BS"
    );
    // Portfolio: P1, P2, P4 (P3 is approved in December).
    assert_eq!(s["projects"]["count"], 3);
    assert_eq!(s["projects"]["project_value"], 458_500.0);
    assert_eq!(s["projects"]["financing"], 304_943.99);
    assert_eq!(
        s["projects"]["financing_ratio"],
        ((30_494_399.0_f64 / 45_850_000.0) * 10_000.0).round() / 10_000.0
    );
    assert_eq!(s["projects"]["in_period"]["count"], 1);
    assert_eq!(s["projects"]["year_to_date"]["count"], 2);
    assert_eq!(s["audit"]["breaches"].as_array().unwrap().len(), 1);
    assert_eq!(s["audit"]["breaches"][0]["project_id"], "P1");
    assert_eq!(s["audit"]["breaches"][0]["excess"], 3994.0);
    // P2 exactly at 50 %, P4 one cent under 70 %: both near the cap.
    let near: Vec<&str> = s["audit"]["near_breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["project_id"].as_str().unwrap())
        .collect();
    assert_eq!(near, vec!["P2", "P4"]);
    assert_eq!(s["audit"]["near_breaches"][1]["headroom"], 0.01);
    assert_eq!(
        (
            s["issues"]["errors"].as_u64(),
            s["issues"]["warnings"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let members = wd.read("out/2026-11/members_by_cluster.csv");
    assert!(
        members.contains("Mobilità,1,1,2,1,0,0,0,5,2026-11\n"),
        "{members}"
    );
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(
        issues.contains("error,inputs/soci.csv,,C10,10,Fondazione,"),
        "{issues}"
    );
    assert!(
        !wd.path("out/2026-11/consolida-2026-11.pdf").exists(),
        "--format csv writes no PDF"
    );
}

#[test]
fn exit_codes_follow_the_documented_table() {
    let wd = Workdir::new("exit-codes");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let base = [
        "--out", "out", "--period", "2026-11", "--format", "csv", "--quiet",
    ];
    let with =
        |extra: &[&'static str]| -> Vec<&str> { base.iter().chain(extra).copied().collect() };
    wd.run(&with(&["--strict"]))
        .expect_code(1)
        .expect_stderr("");
    wd.run(&with(&["--fail-on-breach"]))
        .expect_code(1)
        .expect_stderr("");
    wd.run(&["--period", "2026-13"])
        .expect_code(2)
        .expect_stderr(
            "consolida: errore: «2026-13» non è un periodo: scrivere il mese come AAAA-MM, ad esempio 2026-11.\n",
        );
    wd.run(&["--period", "2026-13", "--lang", "en"])
        .expect_code(2)
        .expect_stderr(
            "consolida: error: '2026-13' is not a period: write the month as YYYY-MM, for example 2026-11.\n",
        );
    wd.run(&["--inputs", "nowhere"])
        .expect_code(2)
        .expect_stderr(
        "consolida: errore: La cartella dei dati «nowhere» non esiste; indicarla con --inputs.\n",
    );
    wd.run(&["validate", "--inputs", "nowhere", "--lang", "en"])
        .expect_code(2)
        .expect_stderr(
            "consolida: error: The inputs folder 'nowhere' does not exist; give the folder with --inputs.\n",
        );
    wd.run(&["--frobnicate"])
        .expect_code(2)
        .expect_stderr(concat!(
            "error: unexpected argument '--frobnicate' found\n",
            "\n",
            "  tip: a similar argument exists: '--format'\n",
            "\n",
            "Usage: consolida --format <LIST>\n",
            "\n",
            "For more information, try '--help'.\n",
        ));
    wd.run(&["validate"]).expect_code(1);

    std::fs::write(
        wd.path("inputs/consolida.toml"),
        "[[cap]]\nmax_rato = 0.7\n",
    )
    .unwrap();
    wd.run(&base).expect_code(2).expect_stderr(
        "consolida: error: inputs/consolida.toml:2: Unknown field `max_rato`, expected one of `label`, `call`, `category`, `aid_type`, `max_ratio`, `max_grant`, `min_project_value`. Did you mean 'max_ratio'?\n",
    );
    std::fs::remove_file(wd.path("inputs/consolida.toml")).unwrap();

    std::fs::write(wd.path("inputs/broken.xlsx"), b"this is not a workbook").unwrap();
    wd.run(&with(&["--strict"])).expect_code(3).expect_stderr(
        "consolida: error: inputs/broken.xlsx: cannot open the workbook: Cannot detect file format.\n",
    );
    // Without --strict the file is an error among the issues, left out.
    wd.run(&base).expect_code(0).expect_stderr("");
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(
        issues.contains("error,inputs/broken.xlsx,,,,,,Cannot open the workbook: Cannot detect file format. The file is left out of the report.,,2026-11,,file_left_out\n"),
        "{issues}"
    );
}

#[test]
fn reruns_are_byte_identical() {
    let wd = Workdir::new("rerun");
    let inputs = root().join("inputs");
    let inputs = inputs.to_str().unwrap();
    wd.run(&[
        "--inputs", inputs, "--out", "first", "--period", "2026-11", "--quiet",
    ])
    .expect_code(0);
    wd.run(&[
        "--inputs", inputs, "--out", "second", "--period", "2026-11", "--quiet",
    ])
    .expect_code(0);
    let names: Vec<_> = std::fs::read_dir(wd.path("first/2026-11"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.len() >= 10);
    for name in names {
        let a = std::fs::read(wd.path("first/2026-11").join(&name)).unwrap();
        let b = std::fs::read(wd.path("second/2026-11").join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between two runs");
    }
    let manifest = wd.json("first/2026-11/manifest.json");
    let outputs = manifest["outputs"].as_array().unwrap();
    assert!(
        outputs
            .iter()
            .any(|o| o["path"] == "consolida-2026-11.pdf"
                && o["sha256"].as_str().unwrap().len() == 64)
    );
}

#[test]
fn validate_prints_every_issue_and_writes_nothing() {
    let wd = Workdir::new("validate");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    // Italian by default, as the reports.
    wd.run(&["validate"]).expect_code(1).expect_stderr(concat!(
        "inputs/progetti.csv: 1 errore, 0 avvisi\n",
        "  inputs/progetti.csv:4:G: errore: Il finanziamento (1.200,00 €) supera il valore del progetto (1.000,00 €); il progetto resta nei dati e nel controllo.\n",
        "inputs/soci.csv: 1 errore, 1 avviso\n",
        "  inputs/soci.csv:10:C: errore: Categoria sconosciuta «Fondazione»: le categorie ammesse sono Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; la riga è esclusa.\n",
        "  inputs/soci.csv:9:A: avviso: Il socio 01 compare di nuovo nel cluster «Mobilità» (la prima volta in inputs/soci.csv:2:A); è contato una volta sola.\n",
        "consolida validate: 2 file, 14 righe lette, 1 scartata, 2 errori, 1 avviso\n",
    ));
    wd.run(&["validate", "--lang", "en"])
        .expect_code(1)
        .expect_stderr(concat!(
        "inputs/progetti.csv: 1 error, 0 warnings\n",
        "  inputs/progetti.csv:4:G: error: The financing (1.200,00 €) exceeds the project value (1.000,00 €); the project stays in the figures and the audit.\n",
        "inputs/soci.csv: 1 error, 1 warning\n",
        "  inputs/soci.csv:10:C: error: Unknown category 'Fondazione': expected one of Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; the row is left out.\n",
        "  inputs/soci.csv:9:A: warning: Member 01 appears again in cluster 'Mobilità' (first at inputs/soci.csv:2:A); it is counted once.\n",
        "consolida validate: 2 files, 14 rows read, 1 rejected, 2 errors, 1 warning\n",
    ));
    assert!(!wd.path("reports").exists());
}

#[test]
fn validate_finds_the_partner_shares_that_do_not_add_up_as_a_run_does() {
    let wd = Workdir::new("validate-partners");
    wd.copy_inputs(&root().join("tests/fixtures/partners"), "inputs");
    let gap = "  inputs/partner.csv:4: error: The cost shares of the 2 partners of project P2 add up to 199.999,99 €, not 200.000,00 € (0,01 € missing).\n";
    let closing = |stderr: &str| stderr.lines().last().unwrap().to_string();
    let validate = wd.run(&["validate", "--lang", "en"]);
    validate.expect_code(1);
    let run = wd.run(&["run", "--period", "2026-11", "--lang", "en"]);
    run.expect_code(0);
    for stderr in [validate.stderr(), run.stderr()] {
        assert!(stderr.contains(gap), "{stderr}");
    }
    assert!(closing(&validate.stderr()).ends_with("2 errors, 1 warning"));
    assert!(closing(&run.stderr()).contains("2 errors, 1 warning;"));
}

#[test]
fn template_workbooks_read_back_without_issues() {
    let wd = Workdir::new("template");
    wd.run(&["template", "--out", "blank"]).expect_code(0);
    for name in ["soci.xlsx", "progetti.xlsx", "obiettivi.xlsx"] {
        let mut workbook = open_workbook_auto(wd.path("blank").join(name)).unwrap();
        let first = workbook.sheet_names()[0].clone();
        let range = workbook.worksheet_range(&first).unwrap();
        assert!(
            range.rows().next().unwrap().iter().any(|c| *c == "Cluster"),
            "{name}"
        );
    }
}

#[test]
fn parquet_exports_hold_exact_cents() {
    use polars_io::prelude::{ParquetReader, SerReader};
    let wd = Workdir::new("parquet");
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    wd.run(&["--period", "2026-11", "--format", "parquet", "--quiet"])
        .expect_code(0);
    assert!(
        !wd.path("reports/2026-11/issues.csv").exists(),
        "only the formats asked for"
    );
    let file = std::fs::File::open(wd.path("reports/2026-11/financing_audit.parquet")).unwrap();
    let audit = ParquetReader::new(file).finish().unwrap();
    let ids = audit.column("project_id").unwrap().str().unwrap();
    let excess = audit.column("excess_cents").unwrap().i64().unwrap();
    let p1 = (0..audit.height())
        .find(|&i| ids.get(i) == Some("P1"))
        .unwrap();
    assert_eq!(excess.get(p1), Some(11_494_400 - 15_850_000 * 7 / 10));
}

#[test]
fn partners_are_held_to_their_own_caps_and_their_shares_must_add_up() {
    let wd = Workdir::new("partners");
    wd.copy_inputs(&root().join("tests/fixtures/partners"), "inputs");
    wd.run(&["--period", "2026-11", "--format", "csv", "--quiet"])
        .expect_code(0);
    let s = wd.json("reports/2026-11/summary.json");
    // P1 (Bando Ergon): partner 01 is an SME, capped at 60 % by the SME rule;
    // 26.000,00 of 40.000,00 is 65 %, 2.000,00 over 60 % of 40.000,00.
    let breaches = s["audit"]["partner_breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 1, "{breaches:?}");
    assert_eq!(breaches[0]["project_id"], "P1");
    assert_eq!(breaches[0]["member_id"], "01");
    assert_eq!(breaches[0]["cap"], 0.6);
    assert_eq!(
        breaches[0]["excess"],
        (2_600_000 - 4_000_000 * 6 / 10) as f64 / 100.0
    );
    // P2: 50 % of 200.000,00 plus 99.999,99 is one cent short of the value.
    let issues = wd.read("reports/2026-11/issues.csv");
    assert!(
        issues.contains("The cost shares of the 2 partners of project P2 add up to 199.999,99 €, not 200.000,00 € (0,01 € missing)."),
        "{issues}"
    );
    assert!(!issues.contains("financing shares of the 2 partners of project P2"));
    let audit = wd.read("reports/2026-11/partner_audit.csv");
    assert_eq!(
        audit.lines().count(),
        5,
        "a header and four partners:\n{audit}"
    );
}
