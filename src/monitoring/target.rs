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

/// Every target of the configuration and of the targets sheets, checked.
///
/// # Errors
/// [`Error::Config`] naming the line or cell of the first mistake.
pub(crate) fn targets(config: &Config, rows: &[TargetRow]) -> Result<Vec<Target>> {
    let mut all = from_config(config)?;
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
        text.get_ref()
            .parse::<Period>()
            .map_err(|_| at(text.span(), not_a_month(key, text.get_ref())))
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
    format!("{what} = \"{text}\" is not a month: write it as YYYY-MM, for example 2026-11.")
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

/// The rows of a targets sheet for one cluster × indicator, each read as a point.
type RowGroup<'r> = ((Written, Indicator), Vec<(WrittenPoint, &'r TargetRow)>);

/// The targets of the targets sheets: the rows of each cluster × indicator, in
/// month order, are its points.
fn from_rows(rows: &[TargetRow], config: &Config) -> Result<Vec<Target>> {
    let clusters = ClusterNames::new(&config.clusters);
    let mut groups: Vec<RowGroup<'_>> = Vec::new();
    for row in rows {
        let indicator =
            Indicator::parse(&row.indicator.text).map_err(|m| at_cell(&row.indicator, m))?;
        let written =
            written_for(&clusters, &row.cluster.text).map_err(|m| at_cell(&row.cluster, m))?;
        let month = row
            .month
            .text
            .parse::<Period>()
            .map_err(|_| at_cell(&row.month, not_a_month("the month", &row.month.text)))?;
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
