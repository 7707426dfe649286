//! The monitoring sheets of the shipped inputs' workbook read back with
//! calamine against `summary.json`: every target's row (its path, status and
//! the cached results of its expected and gap formulas) against `monitoring`,
//! every trend row against `trend`, and the movements against the trend's
//! joined and left counts. LibreOffice, recalculating, finds the expected
//! values the model gives at periods on every part of the targets' paths.

use crate::common::readers::libreoffice_recalculated_figures;
use crate::common::{root, Workdir};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::PathBuf;

/// The words of one language the checks look for.
struct Words {
    lang: &'static str,
    sheets: [&'static str; 3],
    all_clusters: &'static str,
    /// By status key, as in `summary.json`.
    statuses: [(&'static str, &'static str); 7],
    joined: &'static str,
    left: &'static str,
}

const ITALIAN: Words = Words {
    lang: "it",
    sheets: ["Monitoraggio", "Andamento", "Movimenti"],
    all_clusters: "Tutti i cluster",
    statuses: [
        ("missed", "Mancato"),
        ("behind", "In ritardo"),
        ("at_risk", "A rischio"),
        ("on_track", "In linea"),
        ("achieved", "Raggiunto"),
        ("not_applicable", "Non applicabile"),
        ("no_data", "Senza dati"),
    ],
    joined: "Entrato",
    left: "Uscito",
};

const ENGLISH: Words = Words {
    lang: "en",
    sheets: ["Monitoring", "Trend", "Movements"],
    all_clusters: "All clusters",
    statuses: [
        ("missed", "Missed"),
        ("behind", "Behind"),
        ("at_risk", "At risk"),
        ("on_track", "On track"),
        ("achieved", "Achieved"),
        ("not_applicable", "Not applicable"),
        ("no_data", "No data"),
    ],
    joined: "Joined",
    left: "Left",
};

/// The monitoring sheet's header row (below the period and two sentences).
const HEADER_ROW: usize = 4;

type Workbook = Xlsx<BufReader<std::fs::File>>;

/// Runs the binary on the shipped inputs at `period` in `words`' language.
fn run_shipped(name: &str, words: &Words, period: &str) -> (Workdir, PathBuf, Value) {
    let wd = Workdir::new(name);
    let inputs = root().join("inputs");
    wd.run(&[
        "--inputs",
        inputs.to_str().unwrap(),
        "--out",
        "out",
        "--period",
        period,
        "--lang",
        words.lang,
        "--format",
        "xlsx",
        "--quiet",
    ])
    .expect_code(0);
    let xlsx = wd.path(&format!("out/{period}/consolida-{period}.xlsx"));
    let summary = wd.json(&format!("out/{period}/summary.json"));
    (wd, xlsx, summary)
}

fn sheet(xlsx: &PathBuf, name: &str) -> Range<Data> {
    let mut workbook: Workbook = open_workbook(xlsx).unwrap();
    workbook.worksheet_range(name).unwrap()
}

/// A cell as `summary.json` would write its figure: a number, or `null` for a
/// blank (or the empty text a formula without a figure gives).
fn figure(cell: &Data) -> Value {
    match cell {
        Data::Float(f) => serde_json::json!(f),
        Data::Int(i) => serde_json::json!(i),
        Data::Empty => Value::Null,
        Data::String(s) if s.is_empty() => Value::Null,
        other => panic!("not a figure: {other:?}"),
    }
}

/// Whether a cell holds the figure `summary.json` gives, to the last digit.
fn same(cell: &Data, json: &Value) -> bool {
    match (figure(cell), json) {
        (Value::Null, Value::Null) => true,
        (cell, json) => cell.as_f64().is_some() && cell.as_f64() == json.as_f64(),
    }
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not a text: {other:?}"),
    }
}

/// `2026-11` for a cell holding the first day of a month.
fn month(cell: &Data) -> String {
    match cell {
        Data::DateTime(date) => {
            let date = date.as_datetime().unwrap();
            date.format("%Y-%m").to_string()
        }
        other => panic!("not a month: {other:?}"),
    }
}

/// Every target of `summary.json` is a row of the monitoring sheet, in order:
/// its cluster, indicator, path, tolerance, figures and status.
fn check_targets(xlsx: &PathBuf, summary: &Value, words: &Words) {
    let range = sheet(xlsx, words.sheets[0]);
    let mut rows = range.rows().skip(HEADER_ROW);
    // One milestone's month and value, the most any shipped target has.
    let header: Vec<String> = rows.next().unwrap().iter().map(text).collect();
    assert_eq!(header.len(), 16, "{header:?}");
    let (expected, actual, gap, status) = (11, 12, 13, 14);
    let targets = summary["monitoring"].as_array().unwrap();
    let rows: Vec<&[Data]> = rows.collect();
    assert_eq!(rows.len(), targets.len(), "one row per target");
    let words_of: BTreeMap<&str, &str> = words.statuses.into_iter().collect();
    let mut seen = BTreeMap::new();
    for (row, target) in rows.iter().zip(targets) {
        let cluster = match target["cluster"].as_str().unwrap() {
            "total" => words.all_clusters.to_string(),
            name => name.to_string(),
        };
        let key = target["indicator"].as_str().unwrap();
        let what = format!("{cluster} {key}");
        assert_eq!(text(&row[0]), cluster, "{what}");
        assert_eq!(text(&row[2]), key, "{what}");
        assert_eq!(month(&row[3]), target["from"].as_str().unwrap(), "{what}");
        assert!(same(&row[4], &target["baseline"]), "{what} baseline");
        let milestones = target["milestones"].as_object().unwrap();
        for (i, (at, value)) in milestones.iter().enumerate() {
            assert_eq!(month(&row[6 + 2 * i]), *at, "{what} milestone");
            assert!(same(&row[7 + 2 * i], value), "{what} milestone {at}");
        }
        assert_eq!(month(&row[8]), target["by"].as_str().unwrap(), "{what}");
        assert!(same(&row[9], &target["target"]), "{what} target");
        assert!(same(&row[10], &target["tolerance"]), "{what} tolerance");
        assert!(
            same(&row[expected], &target["expected"]),
            "{what}: expected {:?}, summary.json {}",
            row[expected],
            target["expected"]
        );
        assert!(same(&row[actual], &target["actual"]), "{what} actual");
        assert!(same(&row[gap], &target["gap"]), "{what} gap");
        let key = target["status"].as_str().unwrap();
        assert_eq!(text(&row[status]), words_of[key], "{what} status");
        *seen.entry(key).or_insert(0) += 1;
    }
    // The shipped targets show every status but "no data".
    assert_eq!(seen.len(), 6, "{seen:?}");
}

/// Every indicator of every scope of `summary.json`'s trend is a row of the
/// trend sheet, month by month, blank where the summary has `null`.
fn check_trend(xlsx: &PathBuf, summary: &Value, words: &Words) {
    let range = sheet(xlsx, words.sheets[1]);
    let trend = &summary["trend"];
    let months = trend["months"].as_array().unwrap();
    let mut scopes = vec![(words.all_clusters.to_string(), &trend["total"])];
    for (name, series) in trend["clusters"].as_object().unwrap() {
        scopes.push((name.clone(), series));
    }
    let rows: BTreeMap<(String, String), &[Data]> = range
        .rows()
        .skip(1)
        .map(|row| ((text(&row[0]), text(&row[2])), row))
        .collect();
    let indicators = trend["total"].as_object().unwrap().len();
    assert_eq!(
        rows.len(),
        scopes.len() * indicators,
        "a row per scope and indicator"
    );
    let mut compared = 0;
    for (scope, series) in &scopes {
        for (key, values) in series.as_object().unwrap() {
            let row = rows[&(scope.clone(), key.clone())];
            assert_eq!(row.len(), 3 + months.len(), "{scope} {key}");
            for (i, value) in values.as_array().unwrap().iter().enumerate() {
                assert!(
                    same(&row[3 + i], value),
                    "{scope} {key} {}: {:?}, summary.json {value}",
                    months[i],
                    row[3 + i]
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 2_000, "{compared}");
}

/// The movements sheet's rows, counted by month, cluster and move, are the
/// trend's joined and left figures; they come by month, then cluster in the
/// trend's order, then member id.
fn check_movements(xlsx: &PathBuf, summary: &Value, words: &Words) {
    let range = sheet(xlsx, words.sheets[2]);
    let trend = &summary["trend"];
    let months: Vec<&str> = trend["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let clusters: Vec<&String> = trend["clusters"].as_object().unwrap().keys().collect();
    let mut counted: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    let mut order = Vec::new();
    for row in range.rows().skip(1) {
        let (at, cluster) = (month(&row[0]), text(&row[4]));
        let position = clusters.iter().position(|c| **c == cluster).unwrap();
        order.push((at.clone(), position, text(&row[2])));
        *counted.entry((at, cluster, text(&row[1]))).or_default() += 1;
    }
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "in month, cluster, id order"
    );
    let mut total = 0;
    for (name, series) in trend["clusters"].as_object().unwrap() {
        for (kind, word) in [("joined", words.joined), ("left", words.left)] {
            for (i, value) in series[kind].as_array().unwrap().iter().enumerate() {
                let listed = counted
                    .get(&(months[i].to_string(), name.clone(), word.to_string()))
                    .copied()
                    .unwrap_or(0);
                let count = value.as_u64().unwrap_or(0);
                assert_eq!(listed, count, "{name} {kind} {}", months[i]);
                total += count;
            }
        }
    }
    assert_eq!(total, order.len() as u64);
    assert!(total > 100, "{total}");
}

#[test]
fn the_italian_monitoring_sheets_are_summary_json() {
    let (_wd, xlsx, summary) = run_shipped("monitoring-it", &ITALIAN, "2026-11");
    check_targets(&xlsx, &summary, &ITALIAN);
    check_trend(&xlsx, &summary, &ITALIAN);
    check_movements(&xlsx, &summary, &ITALIAN);
}

#[test]
fn the_english_monitoring_sheets_are_summary_json() {
    let (_wd, xlsx, summary) = run_shipped("monitoring-en", &ENGLISH, "2026-11");
    check_targets(&xlsx, &summary, &ENGLISH);
    check_trend(&xlsx, &summary, &ENGLISH);
    check_movements(&xlsx, &summary, &ENGLISH);
}

/// At the baseline month, on a milestone, between points and after every
/// deadline, LibreOffice recalculating the expected values and gaps finds the
/// figures the workbook carries, which are `summary.json`'s.
#[test]
#[cfg_attr(not(has_soffice), ignore = "needs LibreOffice (soffice)")]
fn libreoffice_recalculates_the_expected_values_at_every_part_of_the_paths() {
    for period in ["2025-12", "2026-06", "2027-01", "2029-01"] {
        let (wd, xlsx, summary) = run_shipped(&format!("monitoring-lo-{period}"), &ITALIAN, period);
        let range = sheet(&xlsx, ITALIAN.sheets[0]);
        let expected = range
            .rows()
            .skip(HEADER_ROW + 1)
            .filter(|row| matches!(row[11], Data::Float(_)))
            .count();
        let targets = summary["monitoring"].as_array().unwrap();
        let with_expected = targets.iter().filter(|t| !t["expected"].is_null()).count();
        assert_eq!(expected, with_expected, "{period}");
        assert!(expected > 0, "{period}");
        libreoffice_recalculated_figures(&xlsx, &wd.path("lo"));
    }
}
