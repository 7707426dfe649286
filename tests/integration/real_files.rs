//! The tool on real public files (`tests/fixtures/realdata/`, see its
//! ATTRIBUTION.md), each with the `consolida.toml` a user would write for it.
//! Every expected figure is worked out here from the file itself, with calamine
//! or the csv crate and simple code of the test's own, or is a figure written
//! down here and checked against the file as well (470 Bulgarian projects,
//! their two sums).

use crate::common::{root, Workdir};
use calamine::{open_workbook_auto, Data, DataType, Reader};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/realdata").join(name)
}

/// An `inputs` folder in the work dir with copies of `files` and `config`.
pub(crate) fn inputs_with(wd: &Workdir, files: &[&str], config: &str) {
    let dir = wd.path("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    for name in files {
        std::fs::copy(fixture(name), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("consolida.toml"), config).unwrap();
}

/// The cells of a sheet as rows of the range, and the absolute 0-based row of the
/// range's first row.
fn sheet_rows(file: &str, sheet: &str) -> (u32, Vec<Vec<Data>>) {
    let mut workbook = open_workbook_auto(fixture(file)).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    let start = range.start().map_or(0, |(row, _)| row);
    (start, range.rows().map(<[Data]>::to_vec).collect())
}

fn column(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|c| c.to_string().trim() == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn cents(cell: &Data) -> i64 {
    (cell.as_f64().unwrap() * 100.0).round() as i64
}

fn euros(cents: i64) -> Value {
    serde_json::json!(cents as f64 / 100.0)
}

fn input<'a>(summary: &'a Value, kind: &str) -> &'a Value {
    summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} input in {summary}"))
}

fn run_csv(wd: &Workdir, period: &str) -> Value {
    wd.run(&[
        "--out", "out", "--period", period, "--format", "csv", "--quiet",
    ])
    .expect_code(0);
    wd.json(&format!("out/{period}/summary.json"))
}

pub(crate) const BG_CONFIG: &str = r#"# Bulgarian ISUN 2020 export: a title block in merged cells, notes at the bottom.
[[source]]
path = "bg_projects_sample.xlsx"
kind = "projects"
[source.columns]
project_id = "Project proposal number"
title = "Project Name"
lead_member_id = "Beneficiary"
project_value = "Total"
financing = "Grant"
[source.defaults]
cluster = "Bulgaria"
"#;

#[test]
fn bulgarian_projects_give_the_470_rows_and_their_sums() {
    let wd = Workdir::new("real-bg");
    inputs_with(&wd, &["bg_projects_sample.xlsx"], BG_CONFIG);
    let summary = run_csv(&wd, "2026-11");

    let (start, rows) = sheet_rows("bg_projects_sample.xlsx", "projects");
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "Project proposal number"))
        .unwrap();
    assert_eq!(start + header as u32 + 1, 4, "the header is on row 4");
    let (id, total, grant) = (
        column(&rows[header], "Project proposal number"),
        column(&rows[header], "Total"),
        column(&rows[header], "Grant"),
    );
    let data: Vec<&Vec<Data>> = rows[header + 1..]
        .iter()
        .take_while(|r| !r[id].is_empty())
        .collect();
    assert_eq!(data.len(), 470);
    // A project of value zero has no financing ratio: the tool rejects it.
    let kept: Vec<&&Vec<Data>> = data.iter().filter(|r| cents(&r[total]) > 0).collect();
    let value: i64 = kept.iter().map(|r| cents(&r[total])).sum();
    let financing: i64 = kept.iter().map(|r| cents(&r[grant])).sum();
    assert_eq!(value, 278_100_889_911, "2.781.008.899,11");
    assert_eq!(financing, 240_770_713_450, "2.407.707.134,50");

    assert_eq!(summary["projects"]["count"], kept.len());
    assert_eq!(summary["projects"]["project_value"], euros(value));
    assert_eq!(summary["projects"]["financing"], euros(financing));
    let bg = input(&summary, "projects");
    assert_eq!(bg["rows"], 470);
    assert_eq!(bg["rejected"], data.len() - kept.len());
    assert_eq!(
        bg["sha256"],
        "c64fd3778872bc2b9c434c184ca8b7f34e185cc7cb87e743a128c1c5ea5dcd23"
    );

    // The notes in merged rows at the bottom: one warning naming them.
    let notes = rows.iter().position(|r| r[0] == "Notes:").unwrap() as u32 + start + 1;
    let last = start + rows.len() as u32;
    let issues = wd.read("out/2026-11/issues.csv");
    let line = format!("warning,inputs/bg_projects_sample.xlsx,projects,A{notes},{notes},Notes:,,\"Rows {notes}–{last} at the bottom of the table are notes");
    assert!(issues.contains(&line), "{line}\n{issues}");
}

pub(crate) const CORDIS_CONFIG: &str = r#"# CORDIS Horizon Europe participants: one row per organisation and project.
# As members: the country is the cluster; the category comes from the activity
# type and the SME flag. As partners: who takes part in which project.
[[source]]
path = "organization_1.xlsx"
kind = "members"
sheet = "DATA"
[source.columns]
member_id = "organisationID"
name = "name"
cluster = "country"
[[source.rules]]
when = { activityType = "PRC", SME = true }
set = { category = "sme" }
[[source.rules]]
when = { activityType = "PRC" }
set = { category = "large_enterprise" }
[[source.rules]]
when = { activityType = "HES" }
set = { category = "university_research" }
[[source.rules]]
when = { activityType = "REC" }
set = { category = "university_research" }
[[source.rules]]
when = { activityType = "PUB" }
set = { category = "public_body" }
[[source.rules]]
when = { activityType = "OTH" }
set = { category = "other" }

[[source]]
path = "organization_1.xlsx"
kind = "partners"
[source.columns]
project_id = "projectID"
member_id = "organisationID"
cost_share = "totalCost"
financing_share = "ecContribution"
"#;

/// The category `CORDIS_CONFIG`'s rules give a CORDIS row, worked out apart
/// from the tool.
fn cordis_category(activity: &str, sme: &str) -> Option<&'static str> {
    match (activity, sme) {
        ("PRC", "true") => Some("sme"),
        ("PRC", _) => Some("large_enterprise"),
        ("HES" | "REC", _) => Some("university_research"),
        ("PUB", _) => Some("public_body"),
        ("OTH", _) => Some("other"),
        _ => None,
    }
}

/// Whether text is an amount the way CORDIS writes them: digits with at most one
/// `.` or `,` before one or two decimals, or nothing.
fn cordis_amount(text: &str) -> bool {
    let text = text.trim();
    let (whole, decimals) = match text.rfind(['.', ',']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    text.is_empty()
        || (!whole.is_empty() && digits(whole) && digits(decimals) && decimals.len() <= 2)
}

#[test]
fn cordis_participants_are_counted_by_country_and_category() {
    let wd = Workdir::new("real-cordis");
    inputs_with(&wd, &["organization_1.xlsx"], CORDIS_CONFIG);
    let summary = run_csv(&wd, "2026-11");

    let (_, rows) = sheet_rows("organization_1.xlsx", "DATA");
    let text = |row: &Vec<Data>, col: usize| row[col].to_string().trim().to_string();
    let [id, country, activity, sme, project, cost, contribution] = [
        "organisationID",
        "country",
        "activityType",
        "SME",
        "projectID",
        "totalCost",
        "ecContribution",
    ]
    .map(|name| column(&rows[0], name));
    let data = &rows[1..];
    // The premise: amounts stored as text, with both decimal separators.
    assert!(data.iter().any(|r| text(r, cost).contains(',')));
    assert!(data.iter().any(|r| text(r, contribution).contains('.')));

    let mut expected: BTreeMap<String, BTreeMap<&str, u64>> = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut members = HashSet::new();
    let (mut rejected, mut repeated) = (0, 0);
    for row in data {
        let category = cordis_category(&text(row, activity), &text(row, sme));
        let (member, cluster) = (text(row, id), text(row, country));
        let Some(category) = category.filter(|_| !member.is_empty() && !cluster.is_empty()) else {
            rejected += 1;
            continue;
        };
        members.insert(member.clone());
        if !seen.insert((member, cluster.clone())) {
            repeated += 1;
            continue;
        }
        *expected
            .entry(cluster)
            .or_default()
            .entry(category)
            .or_default() += 1;
    }
    let by_cluster = &summary["members"]["by_cluster"];
    assert_eq!(by_cluster.as_object().unwrap().len(), expected.len());
    let mut total = 0;
    for (cluster, categories) in &expected {
        for key in [
            "sme",
            "large_enterprise",
            "university_research",
            "public_body",
            "other",
        ] {
            let n = categories.get(key).copied().unwrap_or(0);
            assert_eq!(
                by_cluster[cluster]["by_category"][key], n,
                "{cluster} {key}"
            );
            total += n;
        }
    }
    assert_eq!(summary["members"]["total"], total);
    let read = input(&summary, "members");
    assert_eq!(
        (read["rows"].as_u64(), read["rejected"].as_u64()),
        (Some(data.len() as u64), Some(rejected))
    );
    let issues = wd.read("out/2026-11/issues.csv");
    assert_eq!(issues.matches("appears again in cluster").count(), repeated);

    let partners = input(&summary, "partners");
    let unreadable = data
        .iter()
        .filter(|r| {
            text(r, project).is_empty()
                || text(r, id).is_empty()
                || !cordis_amount(&text(r, cost))
                || !cordis_amount(&text(r, contribution))
        })
        .count();
    assert_eq!(partners["rows"], data.len());
    // A partner whose member row was left out is not in the member lists.
    let strangers = data
        .iter()
        .filter(|r| !text(r, id).is_empty() && !members.contains(&text(r, id)))
        .count();
    assert_eq!(
        issues.matches("is not in the member lists").count(),
        strangers
    );
    assert_eq!(partners["rejected"], unreadable);
    assert_eq!(
        partners["sha256"],
        "664733022ea3972ff8e1ab274c17c1540e24246afc38213a6901047af205f4cb"
    );
}

const STATO_CONFIG: &str = r#"# OpenCoesione "stato dell'attuazione", first table of the sheet "quadro": a
# group title ("Investimento totale") above the column names, a TOTALE row of
# formulas, notes and another table below it.
[[source]]
path = "stato_template_OLD.xlsx"
kind = "projects"
sheet = "quadro"
[source.columns]
project_id = "AMBITO"
project_value = "Investimento totale COSTO PUBBLICO"
financing = "IMPEGNI"
[source.defaults]
cluster = "Italia"
call = "Programmazione 2007-2013"
approved_on = "31/12/2018"
"#;

#[test]
fn a_two_row_header_and_a_total_of_formulas_are_read() {
    let wd = Workdir::new("real-stato");
    inputs_with(&wd, &["stato_template_OLD.xlsx"], STATO_CONFIG);
    let summary = run_csv(&wd, "2026-11");

    let (start, rows) = sheet_rows("stato_template_OLD.xlsx", "quadro");
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "COSTO PUBBLICO"))
        .unwrap();
    let (value, commitments) = (
        column(&rows[header], "COSTO PUBBLICO"),
        column(&rows[header], "IMPEGNI"),
    );
    assert_eq!(rows[header - 1][value], "Investimento totale");
    let total = header
        + rows[header..]
            .iter()
            .position(|r| r[0] == "TOTALE")
            .unwrap();
    let data = &rows[header + 1..total];
    let value_sum: i64 = data.iter().map(|r| cents(&r[value])).sum();
    let financing_sum: i64 = data.iter().map(|r| cents(&r[commitments])).sum();
    // The TOTALE row's cached formula values agree with the rows: no difference.
    assert_eq!(cents(&rows[total][value]), value_sum);
    assert_eq!(cents(&rows[total][commitments]), financing_sum);
    let over = data
        .iter()
        .filter(|r| cents(&r[commitments]) > cents(&r[value]))
        .count();

    assert_eq!(summary["projects"]["count"], data.len());
    assert_eq!(summary["projects"]["project_value"], euros(value_sum));
    assert_eq!(summary["projects"]["financing"], euros(financing_sum));
    assert_eq!(summary["issues"]["errors"], over);
    let issues = wd.read("out/2026-11/issues.csv");
    assert!(!issues.contains("declares"), "{issues}");
    assert_eq!(issues.matches("exceeds the project value").count(), over);
    let first_after = start as usize + total + 2;
    let last = start as usize + rows.len();
    let footer = format!(
        "Rows {first_after}–{last} below the total on row {} are not read as data",
        start as usize + total + 1
    );
    assert!(issues.contains(&footer), "{footer}\n{issues}");
}

const DATES_CONFIG: &str = r#"# Two sheets without a header: a date in column A, an id in column B.
[[source]]
path = "date_1904.xlsx"
kind = "members"
header_row = 0
[source.columns]
member_id = "B"
joined_on = "A"
[source.defaults]
category = "sme"
cluster = "Mac 1904"

[[source]]
path = "date.ods"
kind = "members"
header_row = 0
[source.columns]
member_id = "B"
joined_on = "A"
[source.defaults]
category = "sme"
cluster = "OpenDocument"
"#;

/// The join dates of a sheet read by the test: 1904 serials counted from 1 January
/// 1904, ISO text by its first ten characters; `None` for a time or a duration.
fn join_dates(file: &str) -> Vec<Option<NaiveDate>> {
    let (_, rows) = sheet_rows(file, "Sheet1");
    rows.iter()
        .map(|r| match &r[0] {
            Data::DateTime(dt) if dt.is_datetime() => {
                assert!(format!("{dt:?}").contains("is_1904: true"), "the premise");
                let epoch = NaiveDate::from_ymd_opt(1904, 1, 1).unwrap();
                Some(epoch + chrono::Days::new(dt.as_f64() as u64))
            }
            Data::DateTimeIso(text) => NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").ok(),
            _ => None,
        })
        .collect()
}

#[test]
fn dates_in_the_1904_system_and_in_opendocument_are_read() {
    let wd = Workdir::new("real-dates");
    inputs_with(&wd, &["date_1904.xlsx", "date.ods"], DATES_CONFIG);
    for (file, cluster) in [("date_1904.xlsx", "Mac 1904"), ("date.ods", "OpenDocument")] {
        let dates = join_dates(file);
        // 2016-12 would count the 1904 dates if they were read as 1900 serials.
        for (period, last_day) in [
            ("2016-12", (2016, 12, 31)),
            ("2020-12", (2020, 12, 31)),
            ("2021-01", (2021, 1, 31)),
        ] {
            let (y, m, d) = last_day;
            let end = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let expected = dates.iter().flatten().filter(|day| **day <= end).count();
            let summary = run_csv(&wd, period);
            let counted = summary["members"]["by_cluster"][cluster]["total"]
                .as_u64()
                .unwrap_or(0);
            assert_eq!(counted, expected as u64, "{file} in {period}");
        }
        let issues = wd.read("out/2021-01/issues.csv");
        for (row, date) in dates.iter().enumerate() {
            let cell = format!("error,inputs/{file},Sheet1,A{},{}", row + 1, row + 1);
            assert_eq!(issues.contains(&cell), date.is_none(), "{cell}\n{issues}");
        }
    }
}

#[test]
fn ragged_csv_rows_are_reported_by_line_not_guessed() {
    let name = "project_2021_cleaned_invalid_fields.csv";
    let wd = Workdir::new("real-csv");
    inputs_with(
        &wd,
        &[name],
        r#"# CORDIS project rows; some have unescaped quotes inside a field.
[[source]]
path = "project_2021_cleaned_invalid_fields.csv"
kind = "projects"
[source.columns]
project_id = "id"
title = "title"
call = "masterCall"
project_value = "totalCost"
financing = "ecMaxContribution"
approved_on = "ecSignatureDate"
start_on = "startDate"
end_on = "endDate"
[source.defaults]
cluster = "Horizon Europe"
"#,
    );
    let summary = run_csv(&wd, "2026-11");

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_path(fixture(name))
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let width = records[0].len();
    let header = &records[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let euro_cents = |text: &str| -> i64 {
        let (whole, decimals) = text.split_once(',').unwrap_or((text, ""));
        whole.parse::<i64>().unwrap() * 100 + format!("{decimals:0<2}").parse::<i64>().unwrap()
    };
    let (mut value, mut financing, mut kept) = (0, 0, 0);
    let issues = wd.read("out/2026-11/issues.csv");
    for record in &records[1..] {
        let line = record.position().unwrap().line();
        let reported = format!(
            "error,inputs/{name},,{line}:{line},{line},{},{width} fields,Line {line} has {} fields but the header has {width}",
            &record[0],
            record.len()
        );
        assert_eq!(
            issues.contains(&reported),
            record.len() != width,
            "{reported}\n{issues}"
        );
        if record.len() == width {
            kept += 1;
            value += euro_cents(&record[col("totalCost")]);
            financing += euro_cents(&record[col("ecMaxContribution")]);
        }
    }
    assert!(
        kept < records.len() - 1,
        "the premise: some rows are ragged"
    );
    assert_eq!(summary["projects"]["count"], kept);
    assert_eq!(summary["projects"]["project_value"], euros(value));
    assert_eq!(summary["projects"]["financing"], euros(financing));
}

#[test]
fn an_old_xls_workbook_opens_without_runaway_memory() {
    let wd = Workdir::new("real-oom");
    inputs_with(&wd, &["OOM_alloc.xls"], "");
    // One gigabyte of address space is far more than the tool needs and far less
    // than what a sheet allocated from its declared size would take.
    let run = wd.run_limited(1 << 20, &["validate", "--inputs", "inputs"]);
    run.expect_code(0).expect_stderr(concat!(
        "inputs/OOM_alloc.xls: 0 errori, 1 avviso\n",
        "  inputs/OOM_alloc.xls: avviso: Nessun foglio ha un'intestazione che indichi soci (codice socio, categoria, cluster), progetti (codice progetto, cluster, valore, finanziamento), partner (codice progetto, codice socio) o obiettivi (cluster, indicatore, mese, valore); il file non è usato.\n",
        "consolida validate: 1 file, 0 righe lette, 0 scartate, 0 errori, 1 avviso\n",
    ));
}
