//! Monitoring on a fixture whose members join and leave on month boundaries
//! and whose projects are approved through the year. The test reads the
//! fixture's own CSV files and works out every trend point, baseline,
//! expected value and status itself, by the rules the README states, then
//! compares them with `summary.json`, `monitoring.csv` and `trend.csv`.

use crate::common::{root, Workdir};
use chrono::NaiveDate;
use serde_json::Value;

const PERIOD: (i32, u32) = (2026, 11);
const TREND_MONTHS: usize = 24;
/// The fixture's one cap: financing may be at most 70 % of the project value.
const CAP_PERCENT: i64 = 70;

struct Member {
    sme: bool,
    cluster: String,
    joined: Option<NaiveDate>,
    left: Option<NaiveDate>,
}

struct Project {
    cluster: String,
    value_cents: i64,
    financing_cents: i64,
    approved: Option<NaiveDate>,
}

fn date(text: &str) -> Option<NaiveDate> {
    (!text.is_empty()).then(|| NaiveDate::parse_from_str(text, "%d/%m/%Y").unwrap())
}

fn cents(text: &str) -> i64 {
    let (euros, cents) = text.split_once(',').unwrap();
    euros.replace('.', "").parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/monitoring").join(file)).unwrap();
    text.lines()
        .skip(1)
        .map(|line| line.split(';').map(str::to_string).collect())
        .collect()
}

fn members() -> Vec<Member> {
    rows("soci.csv")
        .into_iter()
        .map(|r| Member {
            sme: r[2] == "PMI",
            cluster: r[3].clone(),
            joined: date(&r[5]),
            left: date(&r[6]),
        })
        .collect()
}

fn projects() -> Vec<Project> {
    rows("progetti.csv")
        .into_iter()
        .map(|r| Project {
            cluster: r[2].clone(),
            value_cents: cents(&r[5]),
            financing_cents: cents(&r[6]),
            approved: date(&r[7]),
        })
        .collect()
}

/// A month as (year, month), and its last day.
fn last_day((year, month): (i32, u32)) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .unwrap()
        .pred_opt()
        .unwrap()
}

fn months_back(from: (i32, u32), back: i32) -> (i32, u32) {
    let index = from.0 * 12 + from.1 as i32 - 1 - back;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

fn month_text((y, m): (i32, u32)) -> String {
    format!("{y:04}-{m:02}")
}

fn parse_month(text: &str) -> (i32, u32) {
    let (y, m) = text.split_once('-').unwrap();
    (y.parse().unwrap(), m.parse().unwrap())
}

/// The figures of one cluster (or all, with `None`) at a month's end.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    members: i64,
    sme: i64,
    joined: i64,
    left: i64,
    projects: i64,
    value: i64,
    financing: i64,
    breaches: i64,
}

fn figures(month: (i32, u32), cluster: Option<&str>) -> Figures {
    let end = last_day(month);
    let before = last_day(months_back(month, 1));
    let mine = |c: &str| cluster.is_none_or(|want| want == c);
    let mut f = Figures::default();
    for m in members().iter().filter(|m| mine(&m.cluster)) {
        let active = m.joined.is_none_or(|d| d <= end) && m.left.is_none_or(|d| d >= end);
        if active {
            f.members += 1;
            f.sme += i64::from(m.sme);
        }
        f.joined += i64::from(m.joined.is_some_and(|d| d > before && d <= end));
        f.left += i64::from(m.left.is_some_and(|d| d >= before && d < end));
    }
    for p in projects().iter().filter(|p| mine(&p.cluster)) {
        if p.approved.is_none_or(|d| d <= end) {
            f.projects += 1;
            f.value += p.value_cents;
            f.financing += p.financing_cents;
            f.breaches += i64::from(p.financing_cents * 100 > p.value_cents * CAP_PERCENT);
        }
    }
    f
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// An indicator's value as the reports give it, `None` when undefined.
fn indicator(f: &Figures, name: &str) -> Option<f64> {
    Some(match name {
        "members" => f.members as f64,
        "members.sme" => f.sme as f64,
        "share.sme" if f.members == 0 => return None,
        "share.sme" => round4(f.sme as f64 / f.members as f64),
        "joined" => f.joined as f64,
        "left" => f.left as f64,
        "projects" => f.projects as f64,
        "project_value" => f.value as f64 / 100.0,
        "financing" => f.financing as f64 / 100.0,
        "financing_ratio" if f.value == 0 => return None,
        "financing_ratio" => round4(f.financing as f64 / f.value as f64),
        "breaches" => f.breaches as f64,
        other => panic!("no indicator {other}"),
    })
}

const INDICATORS: [&str; 10] = [
    "members",
    "members.sme",
    "share.sme",
    "joined",
    "left",
    "projects",
    "project_value",
    "financing",
    "financing_ratio",
    "breaches",
];

fn run(wd: &Workdir, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["--format", "csv"];
    args.extend_from_slice(extra);
    wd.run_on("tests/fixtures/monitoring", &args)
}

fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

#[test]
fn every_trend_point_is_the_month_end_count_of_the_data() {
    let wd = Workdir::new("monitoring_trend");
    run(&wd, &["--trend-months", "24"]).expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");
    let trend = &summary["trend"];
    let months: Vec<(i32, u32)> = (0..TREND_MONTHS as i32)
        .rev()
        .map(|back| months_back(PERIOD, back))
        .collect();
    let written: Vec<String> = months.iter().map(|&m| month_text(m)).collect();
    assert_eq!(trend["months"], serde_json::json!(written));
    // The earliest date of the data is 15/03/2025: the months before March
    // 2025 have no figures, rather than zeros.
    assert_eq!(trend["data_from"], "2025-03");
    for (cluster, series) in [
        (None, &trend["total"]),
        (Some("Mobilità"), &trend["clusters"]["Mobilità"]),
        (
            Some("Scienze della vita"),
            &trend["clusters"]["Scienze della vita"],
        ),
    ] {
        for name in INDICATORS {
            let values = series[name].as_array().unwrap();
            for (i, &month) in months.iter().enumerate() {
                let expected = if month < (2025, 3) {
                    None
                } else {
                    indicator(&figures(month, cluster), name)
                };
                assert_eq!(
                    number(&values[i]),
                    expected,
                    "{cluster:?} {name} at {}",
                    month_text(month)
                );
            }
        }
    }
    // The trend ends at the period's own figures.
    let last = figures(PERIOD, None);
    assert_eq!(summary["members"]["total"], last.members);
    assert_eq!(summary["projects"]["count"], last.projects);

    // trend.csv holds the same points in long form.
    let csv = wd.read("out/2026-11/trend.csv");
    let line = format!(
        "2026-06,Mobilità,members,{},2026-11",
        figures((2026, 6), Some("Mobilità")).members
    );
    assert!(csv.lines().any(|l| l == line), "{line} not in trend.csv");
    assert!(csv.lines().any(|l| l == "2025-01,total,members,,2026-11"));
}

/// A target as the fixture writes it, in `consolida.toml` or `obiettivi.csv`.
struct Target {
    cluster: &'static str,
    indicator: &'static str,
    /// Month and value; the baseline's value `None` = computed.
    points: Vec<(&'static str, Option<f64>)>,
    tolerance: f64,
}

fn target(
    cluster: &'static str,
    indicator: &'static str,
    points: &[(&'static str, Option<f64>)],
    tolerance: f64,
) -> Target {
    Target {
        cluster,
        indicator,
        points: points.to_vec(),
        tolerance,
    }
}

fn fixture_targets() -> Vec<Target> {
    vec![
        target(
            "Mobilità",
            "members",
            &[
                ("2025-12", None),
                ("2026-06", Some(6.0)),
                ("2027-06", Some(8.0)),
            ],
            0.20,
        ),
        target(
            "total",
            "breaches",
            &[("2026-01", Some(3.0)), ("2026-12", Some(0.0))],
            0.05,
        ),
        target(
            "Scienze della vita",
            "projects",
            &[("2025-12", None), ("2026-09", Some(5.0))],
            0.05,
        ),
        target(
            "Mobilità",
            "financing_ratio",
            &[("2026-03", None), ("2027-01", Some(0.6))],
            0.05,
        ),
        target(
            "Mobilità",
            "share.sme",
            &[("2026-01", None), ("2027-12", Some(0.8))],
            0.05,
        ),
        target(
            "Scienze della vita",
            "share.sme",
            &[("2026-01", None), ("2027-12", Some(0.8))],
            0.05,
        ),
        target(
            "Scienze della vita",
            "joined",
            &[("2026-01", None), ("2026-12", Some(5.0))],
            0.05,
        ),
        target(
            "total",
            "project_value",
            &[("2025-12", Some(100_000.0)), ("2026-12", Some(700_000.0))],
            0.20,
        ),
        target(
            "Mobilità",
            "members.sme",
            &[("2027-01", Some(3.0)), ("2027-12", Some(5.0))],
            0.05,
        ),
        target(
            "Scienze della vita",
            "members",
            &[
                ("2025-12", None),
                ("2026-06", Some(5.0)),
                ("2026-12", Some(7.0)),
            ],
            0.05,
        ),
    ]
}

fn months_between(a: (i32, u32), b: (i32, u32)) -> i32 {
    (b.0 - a.0) * 12 + b.1 as i32 - a.1 as i32
}

/// The value, expected value and status of `t` at the period, by the rules:
/// interpolation by whole months, achieved in the path's direction, missed
/// after the deadline, at risk within the tolerance of the span.
fn judge(t: &Target) -> (Option<f64>, Option<f64>, Option<f64>, &'static str) {
    let cluster = (t.cluster != "total").then_some(t.cluster);
    let from = parse_month(t.points[0].0);
    if PERIOD < from {
        return (t.points[0].1, None, None, "not_applicable");
    }
    let value_at = |month: (i32, u32)| -> f64 {
        if t.indicator == "joined" {
            // Members who joined after the baseline month, up to `month`.
            (1..=months_between(from, month))
                .map(|k| {
                    figures(months_back(month, months_between(from, month) - k), cluster).joined
                })
                .sum::<i64>() as f64
        } else {
            indicator(&figures(month, cluster), t.indicator).unwrap()
        }
    };
    let baseline = t.points[0].1.unwrap_or_else(|| value_at(from));
    let mut points: Vec<((i32, u32), f64)> = vec![(from, baseline)];
    points.extend(
        t.points[1..]
            .iter()
            .map(|(m, v)| (parse_month(m), v.unwrap())),
    );
    let (by, goal) = *points.last().unwrap();
    let expected = match points.iter().position(|(m, _)| *m >= PERIOD) {
        None => goal,
        Some(i) if points[i].0 == PERIOD => points[i].1,
        Some(i) => {
            let ((m0, v0), (m1, v1)) = (points[i - 1], points[i]);
            v0 + (v1 - v0) * months_between(m0, PERIOD) as f64 / months_between(m0, m1) as f64
        }
    };
    let expected = if t.indicator.contains("value") || t.indicator == "financing" {
        (expected * 100.0).round() / 100.0
    } else {
        round4(expected)
    };
    let actual = value_at(PERIOD);
    let up = goal >= baseline;
    let reached = if up { actual >= goal } else { actual <= goal };
    let shortfall = if up {
        expected - actual
    } else {
        actual - expected
    };
    let span = (goal - baseline).abs();
    let status = if reached {
        "achieved"
    } else if PERIOD > by {
        "missed"
    } else if shortfall <= 1e-9 {
        "on_track"
    } else if shortfall <= t.tolerance * span + 1e-9 {
        "at_risk"
    } else {
        "behind"
    };
    (Some(baseline), Some(expected), Some(actual), status)
}

#[test]
fn every_target_is_judged_on_its_path_at_the_period() {
    let wd = Workdir::new("monitoring_targets");
    run(&wd, &[]).expect_code(0);
    let summary = wd.json("out/2026-11/summary.json");
    let written = summary["monitoring"].as_array().unwrap();
    let targets = fixture_targets();
    assert_eq!(written.len(), targets.len(), "{written:#?}");
    let mut statuses = std::collections::BTreeSet::new();
    for t in &targets {
        let row = written
            .iter()
            .find(|r| r["cluster"] == t.cluster && r["indicator"] == t.indicator)
            .unwrap_or_else(|| panic!("no row for {} {}", t.cluster, t.indicator));
        let (baseline, expected, actual, status) = judge(t);
        let what = format!("{} {}", t.cluster, t.indicator);
        assert_eq!(row["status"], status, "{what}: {row:#}");
        assert_eq!(number(&row["baseline"]), baseline, "{what}");
        assert_eq!(number(&row["expected"]), expected, "{what}");
        assert_eq!(number(&row["actual"]), actual, "{what}");
        if let (Some(e), Some(a)) = (expected, actual) {
            let gap = number(&row["gap"]).unwrap();
            assert!((gap - (a - e)).abs() < 1e-9, "{what}: gap {gap}");
        }
        statuses.insert(status);
    }
    // The fixture exercises every status but "no data".
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        [
            "achieved",
            "at_risk",
            "behind",
            "missed",
            "not_applicable",
            "on_track"
        ]
    );
    // monitoring.csv has a row for each, with the same status.
    let csv = wd.read("out/2026-11/monitoring.csv");
    assert_eq!(csv.lines().count(), targets.len() + 1);
    assert!(csv
        .lines()
        .any(|l| l.starts_with("Scienze della vita,projects,2025-12,") && l.contains(",missed,")));
}

#[test]
fn deviations_fail_the_run_only_when_asked_and_the_report_is_written() {
    let wd = Workdir::new("monitoring_deviation");
    let run = run(&wd, &["--fail-on-deviation"]);
    run.expect_code(1);
    let summary = wd.json("out/2026-11/summary.json");
    let deviations = fixture_targets()
        .iter()
        .filter(|t| matches!(judge(t).3, "behind" | "missed"))
        .count();
    assert_eq!(summary["status"]["result"], "failed");
    assert_eq!(
        summary["status"]["reasons"][0]["check"],
        "--fail-on-deviation"
    );
    assert_eq!(summary["status"]["reasons"][0]["count"], deviations as u64);
}
