//! Targets as the office writes them, in `consolida.toml` (`[[target]]`) or in
//! a targets sheet (one row per point), read into one model and checked: an
//! unknown indicator or cluster, a month that is not one, points out of order
//! and a target set twice are configuration errors with their line or cell.

use super::indicator::{Indicator, Unit};
use crate::config::{Config, TargetConfig};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::money::parse_amount;
use crate::normalise::clusters::ClusterNames;
use crate::normalise::targets::{TargetCell, TargetRow};
use crate::period::Period;
use crate::report::monitoring::Scope;
use crate::suggestion::ending_with;
use std::collections::BTreeMap;

/// The tolerance of a target that does not set one: 5 % of its span.
pub(crate) const TOLERANCE: f64 = 0.05;

/// Whom a target is written for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Written {
    /// One cluster, or the whole portfolio.
    For(Scope),
    /// `cluster = "*"`: every cluster without a target of its own for the
    /// indicator.
    Every,
}

/// A point of a target as written: the baseline's value may be left to be
/// computed from the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WrittenPoint {
    pub(crate) month: Period,
    pub(crate) value: Option<i64>,
}

/// One target: baseline, milestones and target of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub(crate) written: Written,
    pub(crate) indicator: Indicator,
    /// In month order; only the first (the baseline) may have no value.
    pub(crate) points: Vec<WrittenPoint>,
    pub(crate) tolerance: f64,
    /// Where it is written, for messages and the reports.
    pub(crate) origin: String,
}

/// Every target of the configuration (checked when it was parsed) and of the
/// targets sheets, checked.
///
/// # Errors
/// [`Error::Config`] naming the line or cell of the first mistake.
pub(crate) fn targets(config: &Config, rows: &[TargetRow]) -> Result<Vec<Target>> {
    let mut all = config.checked_targets.clone();
    all.extend(from_rows(rows, config)?);
    let mut seen: BTreeMap<(&Written, Indicator), &str> = BTreeMap::new();
    for target in &all {
        if let Some(first) = seen.insert((&target.written, target.indicator), &target.origin) {
            return Err(Error::Config {
                path: target.origin.clone(),
                line: None,
                message: format!(
                    "a second target for {} × {}, already set at {first}: keep one of them.",
                    written_name(&target.written),
                    target.indicator.key()
                ),
            });
        }
    }
    Ok(all)
}

fn written_name(written: &Written) -> &str {
    match written {
        Written::For(scope) => scope.key(),
        Written::Every => "*",
    }
}

/// The `[[target]]` entries of the configuration.
///
/// # Errors
/// As [`targets`].
pub(crate) fn from_config(config: &Config) -> Result<Vec<Target>> {
    let clusters = ClusterNames::new(&config.clusters);
    config
        .targets
        .iter()
        .map(|entry| entry_target(config, &clusters, entry))
        .collect()
}

fn entry_target(config: &Config, clusters: &ClusterNames, entry: &TargetConfig) -> Result<Target> {
    let at =
        |span: std::ops::Range<usize>, message: String| config.error_at(Some(span.start), message);
    let indicator =
        Indicator::parse(entry.indicator.get_ref()).map_err(|m| at(entry.indicator.span(), m))?;
    let written =
        written_for(clusters, entry.cluster.get_ref()).map_err(|m| at(entry.cluster.span(), m))?;
    let month = |text: &toml::Spanned<String>, key: &str| {
        text.get_ref().parse::<Period>().map_err(|_| {
            at(
                text.span(),
                not_a_month(&format!("{key} ="), text.get_ref()),
            )
        })
    };
    let value = |number: &toml::Spanned<f64>, key: &str| {
        scaled(indicator.unit(), *number.get_ref())
            .map_err(|m| at(number.span(), format!("{key} = {}: {m}", number.get_ref())))
    };
    let mut points = vec![WrittenPoint {
        month: month(&entry.from, "from")?,
        value: entry
            .baseline
            .as_ref()
            .map(|b| value(b, "baseline"))
            .transpose()?,
    }];
    for (key, number) in &entry.milestones {
        points.push(WrittenPoint {
            month: month(key, "a milestone")?,
            value: Some(value(number, "a milestone")?),
        });
    }
    points.push(WrittenPoint {
        month: month(&entry.by, "by")?,
        value: Some(value(&entry.target, "target")?),
    });
    // The milestones are read in key order, which is month order.
    if let Some(w) = points.windows(2).find(|w| w[0].month >= w[1].month) {
        let span = entry
            .milestones
            .keys()
            .find(|k| k.get_ref().parse::<Period>().ok() == Some(w[1].month))
            .map_or(entry.by.span(), |k| k.span());
        return Err(at(
            span,
            format!(
                "{} comes after {}: a target's months go from (the baseline), the milestones, then by (the deadline), each later than the one before.",
                w[0].month, w[1].month
            ),
        ));
    }
    let tolerance = match &entry.tolerance {
        None => TOLERANCE,
        Some(t) if (0.0..=1.0).contains(t.get_ref()) => *t.get_ref(),
        Some(t) => {
            return Err(at(
                t.span(),
                format!(
                    "tolerance = {} is not a fraction between 0 and 1 (write 0.05 for 5 % of the distance from baseline to target).",
                    t.get_ref()
                ),
            ))
        }
    };
    Ok(Target {
        written,
        indicator,
        points,
        tolerance,
        origin: match config.line_at(entry.indicator.span().start) {
            Some(line) => format!("{}:{line}", config.display),
            None => config.display.clone(),
        },
    })
}

fn not_a_month(what: &str, text: &str) -> String {
    if text.trim().is_empty() {
        return format!("{what} is empty: write it as YYYY-MM, for example 2026-11.");
    }
    format!("{what} \"{text}\" is not a month: write it as YYYY-MM, for example 2026-11.")
}

/// `*`, `total` or a cluster of the configuration.
fn written_for(clusters: &ClusterNames, text: &str) -> std::result::Result<Written, String> {
    if text.trim() == "*" {
        return Ok(Written::Every);
    }
    match fold(text).as_str() {
        "total" | "totale" => Ok(Written::For(Scope::Total)),
        _ => clusters
            .resolve(text)
            .map(|name| Written::For(Scope::Cluster(name)))
            .map_err(|suggestion| {
                ending_with(
                    format!(
                        "\"{}\" is not among the clusters of the configuration; a target is for a cluster, \"*\" (every cluster) or \"total\" (the portfolio).",
                        text.trim()
                    ),
                    suggestion,
                )
            }),
    }
}

/// A value as written, in `unit`'s integers: a count is whole, money is in
/// euros to the cent, a fraction is between 0 and 1.
fn scaled(unit: Unit, value: f64) -> std::result::Result<i64, String> {
    if !value.is_finite() || value < 0.0 {
        return Err("a target's value is a number of 0 or more.".to_string());
    }
    match unit {
        Unit::Count if value.fract() != 0.0 => {
            Err("a count of members or projects is a whole number.".to_string())
        }
        Unit::Fraction if value > 1.0 => Err(format!(
            "a share or a ratio is a fraction between 0 and 1 (write {} for {value} %).",
            value / 100.0
        )),
        Unit::Money => crate::money::cents_from_f64(value)
            .map(|c| c.0)
            .map_err(|_| "an amount in euros has at most two decimals.".to_string()),
        _ => Ok((value * unit.scale() as f64).round() as i64),
    }
}

/// The targets of the targets sheets: the rows of each cluster × indicator, in
/// month order, are its points.
fn from_rows(rows: &[TargetRow], config: &Config) -> Result<Vec<Target>> {
    let clusters = ClusterNames::new(&config.clusters);
    type Group<'a> = ((Written, Indicator), Vec<(WrittenPoint, &'a TargetRow)>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for row in rows {
        let indicator =
            Indicator::parse(&row.indicator.text).map_err(|m| at_cell(&row.indicator, m))?;
        let written =
            written_for(&clusters, &row.cluster.text).map_err(|m| at_cell(&row.cluster, m))?;
        let month = sheet_month(&row.month.text)
            .ok_or_else(|| at_cell(&row.month, not_a_month("the month", &row.month.text)))?;
        let value = sheet_value(indicator.unit(), &row.value)?;
        let key = (written, indicator);
        let point = (WrittenPoint { month, value }, row);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, points)) => points.push(point),
            None => groups.push((key, vec![point])),
        }
    }
    groups
        .into_iter()
        .map(|((written, indicator), mut points)| {
            points.sort_by_key(|(p, _)| p.month);
            if let Some(w) = points.windows(2).find(|w| w[0].0.month == w[1].0.month) {
                return Err(at_cell(
                    &w[1].1.month,
                    format!(
                        "a second point for {} × {} in {}, already at {}: keep one of them.",
                        written_name(&written),
                        indicator.key(),
                        w[1].0.month,
                        w[0].1.month.at
                    ),
                ));
            }
            if points.len() < 2 {
                return Err(at_cell(
                    &points[0].1.month,
                    format!(
                        "the target for {} × {} has one point: give it a row for its baseline (the earliest month) and one for its target (the latest).",
                        written_name(&written),
                        indicator.key()
                    ),
                ));
            }
            if let Some((_, row)) = points[1..].iter().find(|(p, _)| p.value.is_none()) {
                return Err(at_cell(
                    &row.value,
                    "only the baseline (the earliest month) may leave its value blank, to be computed from the data.".to_string(),
                ));
            }
            Ok(Target {
                written,
                indicator,
                origin: points[0].1.cluster.at.to_string(),
                points: points.into_iter().map(|(p, _)| p).collect(),
                tolerance: TOLERANCE,
            })
        })
        .collect()
}

/// A value cell of a targets sheet: blank for "computed", a number, a
/// percentage for a fraction, an amount written the Italian or English way.
fn sheet_value(unit: Unit, cell: &TargetCell) -> Result<Option<i64>> {
    let text = cell.text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let number = match (unit, text.strip_suffix('%')) {
        (Unit::Fraction, Some(percent)) => read_number(percent).map(|p| p / 100.0),
        (Unit::Money, _) => parse_amount(text).ok().map(|c| c.0 as f64 / 100.0),
        _ => read_number(text),
    };
    let number = number.ok_or_else(|| {
        at_cell(
            cell,
            format!("\"{text}\" is not a number for a target's value."),
        )
    })?;
    scaled(unit, number).map(Some).map_err(|m| at_cell(cell, m))
}

/// The months' names, Italian then English, in order.
const MONTH_NAMES: [[&str; 2]; 12] = [
    ["gennaio", "january"],
    ["febbraio", "february"],
    ["marzo", "march"],
    ["aprile", "april"],
    ["maggio", "may"],
    ["giugno", "june"],
    ["luglio", "july"],
    ["agosto", "august"],
    ["settembre", "september"],
    ["ottobre", "october"],
    ["novembre", "november"],
    ["dicembre", "december"],
];

/// A month cell of a targets sheet: `2026-06`, `06/2026`, `giugno 2026` or
/// `June 2026` (a date cell is `2026-06` already).
fn sheet_month(text: &str) -> Option<Period> {
    if let Ok(month) = text.parse::<Period>() {
        return Some(month);
    }
    let folded = fold(text);
    let (first, year) = folded.split_once(' ')?;
    let year: i32 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
    let month = match first.parse::<u32>() {
        Ok(number) => number,
        Err(_) => {
            let position = MONTH_NAMES.iter().position(|names| {
                names
                    .iter()
                    .any(|name| first.len() >= 3 && name.starts_with(first))
            })?;
            position as u32 + 1
        }
    };
    (1..=12).contains(&month).then_some(Period { year, month })
}

/// A plain number, with a decimal point or an Italian decimal comma.
fn read_number(text: &str) -> Option<f64> {
    let text = text.trim();
    text.parse::<f64>()
        .ok()
        .or_else(|| text.replace(',', ".").parse::<f64>().ok())
}

fn at_cell(cell: &TargetCell, message: String) -> Error {
    Error::Config {
        path: cell.at.to_string(),
        line: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTERS: &str = "clusters = [\"Mobilità\", \"Energia\"]\n";

    fn refusal(targets: &str) -> String {
        let text = format!("{CLUSTERS}{targets}");
        Config::parse(&text, "consolida.toml")
            .unwrap_err()
            .to_string()
    }

    fn entry(cluster: &str, indicator: &str, from: &str, by: &str) -> String {
        format!(
            "[[target]]\ncluster = \"{cluster}\"\nindicator = \"{indicator}\"\nfrom = \"{from}\"\ntarget = 10\nby = \"{by}\"\n"
        )
    }

    #[test]
    fn a_target_is_read_with_its_points_in_month_order() {
        let text = format!(
            "{CLUSTERS}[[target]]\ncluster = \"mobilita\"\nindicator = \"members\"\nfrom = \"2025-12\"\nbaseline = 121\nmilestones = {{ \"2026-06\" = 130 }}\ntarget = 140\nby = \"2027-12\"\ntolerance = 0.1\n"
        );
        let config = Config::parse(&text, "consolida.toml").unwrap();
        let targets = from_config(&config).unwrap();
        assert_eq!(targets.len(), 1);
        let t = &targets[0];
        assert_eq!(t.written, Written::For(Scope::Cluster("Mobilità".into())));
        let points: Vec<(String, Option<i64>)> = t
            .points
            .iter()
            .map(|p| (p.month.to_string(), p.value))
            .collect();
        assert_eq!(
            points,
            [
                ("2025-12".to_string(), Some(1_210_000)),
                ("2026-06".to_string(), Some(1_300_000)),
                ("2027-12".to_string(), Some(1_400_000)),
            ]
        );
        assert_eq!((t.tolerance, t.origin.as_str()), (0.1, "consolida.toml:4"));
    }

    #[test]
    fn mistakes_are_named_on_their_line_with_a_suggestion() {
        let unknown = refusal(&entry("Mobilità", "member", "2025-12", "2026-12"));
        assert!(unknown.starts_with("consolida.toml:4:"), "{unknown}");
        assert!(unknown.contains("Did you mean 'members'?"), "{unknown}");

        let cluster = refusal(&entry("Energie", "members", "2025-12", "2026-12"));
        assert!(cluster.starts_with("consolida.toml:3:"), "{cluster}");
        assert!(cluster.contains("Did you mean 'Energia'?"), "{cluster}");

        let month = refusal(&entry("Energia", "members", "2025/12", "2026-12"));
        assert!(month.starts_with("consolida.toml:5:"), "{month}");
        assert!(month.contains("YYYY-MM"), "{month}");

        let order = refusal(&entry("Energia", "members", "2026-12", "2026-01"));
        assert!(order.starts_with("consolida.toml:7:"), "{order}");
        assert!(order.contains("comes after"), "{order}");

        let category = refusal(&entry("Energia", "share.xyz", "2025-12", "2026-12"));
        assert!(category.contains("names no category"), "{category}");

        let twice = format!(
            "{}{}",
            entry("Energia", "members", "2025-12", "2026-12"),
            entry("energia", "members", "2026-01", "2026-12")
        );
        let config = Config::parse(&format!("{CLUSTERS}{twice}"), "consolida.toml").unwrap();
        let twice = targets(&config, &[]).unwrap_err().to_string();
        assert!(twice.starts_with("consolida.toml:10:"), "{twice}");
        assert!(twice.contains("already set at consolida.toml:4"), "{twice}");
    }

    #[test]
    fn values_are_refused_in_the_wrong_unit() {
        let share = refusal(
            "[[target]]\ncluster = \"*\"\nindicator = \"share.sme\"\nfrom = \"2025-12\"\ntarget = 35\nby = \"2026-12\"\n",
        );
        assert!(share.contains("write 0.35 for 35 %"), "{share}");
        let count = refusal(
            "[[target]]\ncluster = \"total\"\nindicator = \"projects\"\nfrom = \"2025-12\"\ntarget = 10.5\nby = \"2026-12\"\n",
        );
        assert!(count.contains("whole number"), "{count}");
        let tolerance = refusal(
            "[[target]]\ncluster = \"total\"\nindicator = \"projects\"\nfrom = \"2025-12\"\ntarget = 10\nby = \"2026-12\"\ntolerance = 5\n",
        );
        assert!(tolerance.contains("write 0.05 for 5 %"), "{tolerance}");
    }

    fn cell(text: &str, row: u32, col: u32) -> TargetCell {
        TargetCell {
            text: text.to_string(),
            at: crate::location::Location::cell("obiettivi.xlsx", Some("Obiettivi"), row, col),
        }
    }

    fn row(r: u32, cluster: &str, indicator: &str, month: &str, value: &str) -> TargetRow {
        TargetRow {
            cluster: cell(cluster, r, 0),
            indicator: cell(indicator, r, 1),
            month: cell(month, r, 2),
            value: cell(value, r, 3),
        }
    }

    #[test]
    fn sheet_rows_become_targets_in_month_order_whatever_their_order() {
        let config = Config {
            clusters: vec!["Mobilità".into()],
            ..Config::default()
        };
        let rows = [
            row(3, "Mobilità", "Quota PMI", "2027-12", "60 %"),
            row(1, "Mobilità", "Quota PMI", "2025-12", ""),
            row(2, "Mobilità", "Quota PMI", "2026-06", "0,55"),
        ];
        let targets = targets(&config, &rows).unwrap();
        assert_eq!(targets.len(), 1);
        let values: Vec<Option<i64>> = targets[0].points.iter().map(|p| p.value).collect();
        assert_eq!(values, [None, Some(5_500), Some(6_000)]);
        assert_eq!(targets[0].origin, "obiettivi.xlsx:Obiettivi!A2");
    }

    #[test]
    fn a_sheet_month_may_be_written_in_words() {
        for text in [
            "2026-06",
            "06/2026",
            "giugno 2026",
            "Giu 2026",
            "June 2026",
            "6 2026",
        ] {
            assert_eq!(
                sheet_month(text).map(|m| m.to_string()).as_deref(),
                Some("2026-06"),
                "{text}"
            );
        }
        for text in ["", "giugnio 2026", "13/2026", "2026", "ma 2026"] {
            assert_eq!(sheet_month(text), None, "{text}");
        }
    }

    #[test]
    fn sheet_mistakes_name_their_cell() {
        let config = Config::default();
        let refuse = |rows: &[TargetRow]| targets(&config, rows).unwrap_err().to_string();
        let alone = refuse(&[row(1, "Energia", "members", "2025-12", "")]);
        assert!(alone.starts_with("obiettivi.xlsx:Obiettivi!C2:"), "{alone}");
        assert!(alone.contains("one point"), "{alone}");
        let blank = refuse(&[
            row(1, "Energia", "members", "2025-12", "10"),
            row(2, "Energia", "members", "2026-12", ""),
        ]);
        assert!(blank.starts_with("obiettivi.xlsx:Obiettivi!D3:"), "{blank}");
        let month = refuse(&[row(1, "Energia", "members", "giugnio", "10")]);
        assert!(month.starts_with("obiettivi.xlsx:Obiettivi!C2:"), "{month}");
        let twice = refuse(&[
            row(1, "Energia", "members", "2025-12", "10"),
            row(2, "Energia", "members", "2025-12", "11"),
        ]);
        assert!(twice.contains("a second point"), "{twice}");
    }
}
