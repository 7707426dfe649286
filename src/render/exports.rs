//! The export tables, defined once: each table's columns, named and typed, and
//! its rows as typed values. [`crate::render::csv`] and
//! [`crate::render::parquet`] both write these tables, so every CSV file has a
//! Parquet twin with the same columns in the same order.
//!
//! Exports are data, not reports: a row is a cluster, a province, a call, a
//! project, a partner, a member over the de minimis limit, an issue or an input
//! file, never a total (the totals are in `summary.json`). Every amount has two
//! columns, the decimal one (`financing`) and its exact integer cents
//! (`financing_cents`), and every table ends with the `period` it reports on.
//! Columns added after the first release go at the end, after the columns
//! already there, so that a script reading columns by position keeps working:
//! the cents columns, in the order of their amounts, then `period`, then the
//! table's [`Table::added`] columns (the audit's lead member name and breach
//! reason, the cluster of an issue's row), which hold no amount.

use crate::category::Category;
use crate::money::{Cents, Ratio};
use crate::monitoring::indicator::Indicator;
use crate::report::monitoring::{MonthlyFigures, TargetStatus};
use crate::report::{
    BreachReason, CategoryCounts, DeMinimisExcess, PartnerAudit, ProjectAudit, ProjectGroup,
    Report, Verdict,
};
use crate::text::Text;
use chrono::NaiveDate;
use std::borrow::Cow;

/// What a column holds, which decides how each format writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text, empty (CSV) or null (Parquet) when missing.
    Text,
    /// A count: never missing.
    Count,
    /// A whole number, such as a row or a rule's number.
    Integer,
    /// An amount in euros: a decimal column and its `_cents` twin.
    Amount,
    /// A ratio rounded to four decimals.
    Ratio,
    /// A calendar date.
    Date,
    /// A number of any unit, written as briefly as it reads back exactly: a
    /// monitoring value (a count, euros or a fraction, per its indicator).
    Number,
}

/// One value of a row, of its column's [`Kind`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Text(Option<Cow<'a, str>>),
    Count(u64),
    Integer(Option<i64>),
    Amount(Option<Cents>),
    Ratio(Option<f64>),
    Date(Option<NaiveDate>),
    Number(Option<f64>),
}

/// A column as the report defines it (an amount becomes two in the files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
}

/// The name of the column that gives every row its period.
pub(crate) const PERIOD: &str = "period";

/// An export table: its name (the files are `<name>.csv` and `<name>.parquet`),
/// its columns, and its rows, made one at a time as they are written (a large
/// audit's rows are never all held at once as values).
pub(crate) struct Table<'a> {
    pub(crate) name: &'static str,
    pub(crate) columns: Vec<Column>,
    /// Columns added since `period` closed the row, written after it; never an
    /// amount (whose cents column would have no place). A row's values are
    /// those of `columns`, then those of `added`.
    pub(crate) added: Vec<Column>,
    pub(crate) rows: Box<dyn Iterator<Item = Vec<Value<'a>>> + 'a>,
    /// How many rows there are.
    pub(crate) len: usize,
    /// The period every row reports on, `2026-11`.
    pub(crate) period: String,
}

impl Table<'_> {
    /// The columns' names as the files have them: each column, then the
    /// `_cents` column of each amount, then `period`, then the added columns.
    pub(crate) fn header(&self) -> Vec<String> {
        let cents = self
            .columns
            .iter()
            .filter(|c| c.kind == Kind::Amount)
            .map(|c| cents_name(c.name));
        self.columns
            .iter()
            .map(|c| c.name.to_string())
            .chain(cents)
            .chain([PERIOD.to_string()])
            .chain(self.added.iter().map(|c| c.name.to_string()))
            .collect()
    }

    /// The table with `added` columns after `period`.
    fn with_added(self, added: Vec<Column>) -> Self {
        debug_assert!(added.iter().all(|c| c.kind != Kind::Amount));
        Table { added, ..self }
    }
}

/// `financing_cents`, the integer twin of the amount column `financing`.
pub(crate) fn cents_name(amount: &str) -> String {
    format!("{amount}_cents")
}

/// Every export table of the report, in a fixed order.
pub(crate) fn tables(report: &Report) -> Vec<Table<'_>> {
    vec![
        members_by_cluster(report),
        members_by_province(report),
        project_groups(
            "projects_by_cluster",
            "cluster",
            &report.projects.by_cluster,
            report,
        ),
        project_groups("projects_by_call", "call", &report.projects.by_call, report),
        financing_audit(report),
        de_minimis(report),
        partner_audit(report),
        issues(report),
        inputs(report),
        monitoring(report),
        trend(report),
    ]
}

fn column(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

fn text(value: &str) -> Value<'_> {
    Value::Text(Some(Cow::Borrowed(value)))
}

fn optional_text(value: Option<&str>) -> Value<'_> {
    Value::Text(value.map(Cow::Borrowed))
}

fn ratio(value: Option<Ratio>) -> Value<'static> {
    Value::Ratio(value.map(Ratio::as_f64))
}

fn table<'a, T: 'a>(
    name: &'static str,
    columns: Vec<Column>,
    rows: &'a [T],
    report: &Report,
    row: impl Fn(&'a T) -> Vec<Value<'a>> + 'a,
) -> Table<'a> {
    Table {
        name,
        columns,
        added: Vec::new(),
        rows: Box::new(rows.iter().map(row)),
        len: rows.len(),
        period: report.period.to_string(),
    }
}

/// The key column, then a count per category and their total.
fn category_columns(key: &'static str) -> Vec<Column> {
    let mut columns = vec![column(key, Kind::Text)];
    columns.extend(Category::ALL.iter().map(|c| column(c.key(), Kind::Count)));
    columns.push(column("total", Kind::Count));
    columns
}

fn category_values<'a>(key: Value<'a>, counts: &CategoryCounts) -> Vec<Value<'a>> {
    let mut row = vec![key];
    row.extend(Category::ALL.iter().map(|c| Value::Count(counts.get(*c))));
    row.push(Value::Count(counts.total()));
    row
}

fn members_by_cluster(report: &Report) -> Table<'_> {
    table(
        "members_by_cluster",
        category_columns("cluster"),
        &report.members.by_cluster,
        report,
        |c| category_values(text(&c.cluster), &c.counts),
    )
}

fn members_by_province(report: &Report) -> Table<'_> {
    table(
        "members_by_province",
        category_columns("province"),
        &report.members.by_province,
        report,
        |p| category_values(optional_text(p.province.as_deref()), &p.counts),
    )
}

fn project_groups<'a>(
    name: &'static str,
    key: &'static str,
    groups: &'a [ProjectGroup],
    report: &Report,
) -> Table<'a> {
    let columns = vec![
        column(key, Kind::Text),
        column("count", Kind::Count),
        column("project_value", Kind::Amount),
        column("financing", Kind::Amount),
        column("financing_ratio", Kind::Ratio),
    ];
    table(name, columns, groups, report, |g| {
        vec![
            text(&g.key),
            Value::Count(g.totals.count),
            Value::Amount(Some(g.totals.value)),
            Value::Amount(Some(g.totals.financing)),
            ratio(g.totals.ratio()),
        ]
    })
}

/// The verdict's columns in a row of the project and partner audits: the rule,
/// its cap and grant ceiling, what it allows, the status, headroom and excess.
fn verdict_columns() -> [Column; 7] {
    [
        column("cap_rule", Kind::Integer),
        column("max_ratio", Kind::Ratio),
        column("max_grant", Kind::Amount),
        column("allowed_financing", Kind::Amount),
        column("status", Kind::Text),
        column("headroom", Kind::Amount),
        column("excess", Kind::Amount),
    ]
}

fn verdict_values(verdict: &Verdict) -> [Value<'static>; 7] {
    let cap = verdict.cap.as_ref();
    [
        Value::Integer(cap.map(|c| c.rule_number as i64)),
        Value::Ratio(cap.map(|c| c.max_ratio.as_f64())),
        Value::Amount(cap.and_then(|c| c.max_grant)),
        Value::Amount(cap.map(|c| c.allowed)),
        Value::Text(Some(Cow::Borrowed(verdict.status.key()))),
        Value::Amount(verdict.headroom),
        Value::Amount(verdict.excess),
    ]
}

fn financing_audit(report: &Report) -> Table<'_> {
    let columns = [
        column("project_id", Kind::Text),
        column("title", Kind::Text),
        column("cluster", Kind::Text),
        column("call", Kind::Text),
        column("lead_member_id", Kind::Text),
        column("lead_category", Kind::Text),
        column("aid_type", Kind::Text),
        column("approved_on", Kind::Date),
        column("project_value", Kind::Amount),
        column("financing", Kind::Amount),
        column("financing_ratio", Kind::Ratio),
    ]
    .into_iter()
    .chain(verdict_columns())
    .chain([column("source", Kind::Text)])
    .collect();
    table(
        "financing_audit",
        columns,
        &report.audit.projects,
        report,
        |p: &ProjectAudit| {
            [
                text(&p.project_id),
                text(&p.title),
                text(&p.cluster),
                text(&p.call),
                optional_text(p.lead_member_id.as_deref()),
                optional_text(p.lead_category.map(Category::key)),
                optional_text(p.aid_type.as_deref()),
                Value::Date(p.approved_on),
                Value::Amount(Some(p.value)),
                Value::Amount(Some(p.financing)),
                ratio(p.ratio),
            ]
            .into_iter()
            .chain(verdict_values(&p.verdict))
            .chain([Value::Text(Some(Cow::Owned(p.source.to_string())))])
            .chain([
                optional_text(p.lead_member_name.as_deref()),
                reason(&p.verdict),
                cap_label(&p.verdict),
            ])
            .collect()
        },
    )
    .with_added(vec![
        column("lead_member_name", Kind::Text),
        column("reason", Kind::Text),
        column("cap_rule_label", Kind::Text),
    ])
}

/// Which limit a breach exceeds (`ratio`, `grant`, `ratio_and_grant`); empty
/// unless a breach.
fn reason(verdict: &Verdict) -> Value<'_> {
    optional_text(verdict.reason.map(BreachReason::key))
}

/// The `label` of the rule applied, as written in `consolida.toml`.
fn cap_label(verdict: &Verdict) -> Value<'_> {
    optional_text(verdict.cap.as_ref().and_then(|c| c.terms.label.as_deref()))
}

fn partner_audit(report: &Report) -> Table<'_> {
    let columns = [
        column("project_id", Kind::Text),
        column("member_id", Kind::Text),
        column("category", Kind::Text),
        column("cost_share", Kind::Amount),
        column("financing_share", Kind::Amount),
        column("financing_ratio", Kind::Ratio),
    ]
    .into_iter()
    .chain(verdict_columns())
    .chain([column("source", Kind::Text)])
    .collect();
    table(
        "partner_audit",
        columns,
        &report.audit.partners,
        report,
        |p: &PartnerAudit| {
            [
                text(&p.project_id),
                text(&p.member_id),
                optional_text(p.category.map(Category::key)),
                Value::Amount(Some(p.cost_share)),
                Value::Amount(Some(p.financing_share)),
                ratio(p.ratio),
            ]
            .into_iter()
            .chain(verdict_values(&p.verdict))
            .chain([Value::Text(Some(Cow::Owned(p.source.to_string())))])
            .chain([reason(&p.verdict), cap_label(&p.verdict)])
            .collect()
        },
    )
    .with_added(vec![
        column("reason", Kind::Text),
        column("cap_rule_label", Kind::Text),
    ])
}

fn de_minimis(report: &Report) -> Table<'_> {
    let columns = vec![
        column("member_id", Kind::Text),
        column("name", Kind::Text),
        column("window_start", Kind::Date),
        column("financing", Kind::Amount),
        column("limit", Kind::Amount),
        column("excess", Kind::Amount),
        column("projects", Kind::Text),
    ];
    table(
        "de_minimis",
        columns,
        &report.audit.de_minimis,
        report,
        |d: &DeMinimisExcess| {
            vec![
                text(&d.member_id),
                text(&d.name),
                Value::Date(Some(d.window_start)),
                Value::Amount(Some(d.financing)),
                Value::Amount(Some(d.limit)),
                Value::Amount(Some(d.excess)),
                Value::Text(Some(Cow::Owned(d.projects.join(" ")))),
            ]
        },
    )
}

fn issues(report: &Report) -> Table<'_> {
    let columns = vec![
        column("severity", Kind::Text),
        column("file", Kind::Text),
        column("sheet", Kind::Text),
        column("cell", Kind::Text),
        column("row", Kind::Integer),
        column("value", Kind::Text),
        column("expected", Kind::Text),
        column("message", Kind::Text),
        column("suggestion", Kind::Text),
    ];
    table("issues", columns, &report.issues, report, |i| {
        vec![
            text(i.severity.key()),
            text(&i.location.file),
            optional_text(i.location.sheet.as_deref()),
            Value::Text(i.location.cell_ref().map(Cow::Owned)),
            Value::Integer(i.location.row_number().map(i64::from)),
            optional_text(i.value.as_deref()),
            optional_text(i.expected.as_ref().map(Text::en)),
            text(i.message.en()),
            optional_text(i.suggestion.as_deref()),
            optional_text(i.cluster.as_deref()),
            text(i.kind.code()),
        ]
    })
    .with_added(vec![
        column("cluster", Kind::Text),
        column("code", Kind::Text),
    ])
}

/// Every input read, and the configuration last.
fn inputs(report: &Report) -> Table<'_> {
    let columns = vec![
        column("path", Kind::Text),
        column("kind", Kind::Text),
        column("sha256", Kind::Text),
        column("rows", Kind::Count),
        column("rejected", Kind::Count),
    ];
    let rows = report.inputs.iter().chain(report.config.iter()).map(|i| {
        vec![
            text(&i.path),
            text(i.kind.key()),
            text(&i.sha256),
            Value::Count(i.rows),
            Value::Count(i.rejected),
        ]
    });
    Table {
        name: "inputs",
        columns,
        added: Vec::new(),
        rows: Box::new(rows),
        len: report.inputs.len() + usize::from(report.config.is_some()),
        period: report.period.to_string(),
    }
}

/// A monitoring value as the number it stands for (see
/// [`crate::monitoring::indicator::Unit`]).
fn measure(indicator: Indicator, value: Option<i64>) -> Value<'static> {
    Value::Number(value.map(|v| indicator.unit().as_f64(v)))
}

/// Every target at the period: its path, expected and actual values, gap and
/// status; the milestones as `month=value` pairs.
fn monitoring(report: &Report) -> Table<'_> {
    let columns = vec![
        column("cluster", Kind::Text),
        column("indicator", Kind::Text),
        column("from", Kind::Text),
        column("baseline", Kind::Number),
        column("baseline_computed", Kind::Text),
        column("milestones", Kind::Text),
        column("by", Kind::Text),
        column("target", Kind::Number),
        column("tolerance", Kind::Number),
        column("expected", Kind::Number),
        column("actual", Kind::Number),
        column("gap", Kind::Number),
        column("status", Kind::Text),
        column("origin", Kind::Text),
    ];
    table(
        "monitoring",
        columns,
        &report.monitoring.targets,
        report,
        |t: &TargetStatus| {
            let points = t.path.as_ref().map(|p| p.points()).unwrap_or_default();
            let milestones: Vec<String> = points
                .get(1..points.len().saturating_sub(1))
                .unwrap_or_default()
                .iter()
                .map(|p| format!("{}={}", p.month, t.indicator.unit().as_f64(p.value)))
                .collect();
            vec![
                text(t.scope.key()),
                text(t.indicator.key()),
                Value::Text(Some(Cow::Owned(t.from.to_string()))),
                measure(t.indicator, points.first().map(|p| p.value)),
                text(if t.baseline_computed { "true" } else { "false" }),
                Value::Text(Some(Cow::Owned(milestones.join(";")))),
                Value::Text(Some(Cow::Owned(t.by.to_string()))),
                measure(t.indicator, points.last().map(|p| p.value)),
                Value::Number(Some(t.tolerance)),
                measure(t.indicator, t.expected),
                measure(t.indicator, t.actual),
                measure(t.indicator, t.gap()),
                text(t.status.key()),
                text(&t.origin),
            ]
        },
    )
}

/// The trend in long form: one row per month, cluster (`total` for the
/// portfolio) and indicator; the value is empty for a month before the data or
/// a ratio of nothing.
fn trend(report: &Report) -> Table<'_> {
    let trend = &report.monitoring.trend;
    let indicators = Indicator::all();
    let series: Vec<(&str, &MonthlyFigures)> = std::iter::once(("total", &trend.total))
        .chain(
            trend
                .clusters
                .iter()
                .map(|c| (c.cluster.as_str(), &c.figures)),
        )
        .collect();
    let len = trend.months.len() * series.len() * indicators.len();
    // Each month's text, made once rather than on each of its rows.
    let months: Vec<String> = trend.months.iter().map(ToString::to_string).collect();
    let rows = months
        .into_iter()
        .enumerate()
        .flat_map(move |(month_index, month)| {
            let indicators = indicators.clone();
            series
                .clone()
                .into_iter()
                .flat_map(move |(cluster, figures)| {
                    let month = month.clone();
                    indicators.clone().into_iter().map(move |indicator| {
                        let value = trend.value(figures, indicator, month_index);
                        vec![
                            Value::Text(Some(Cow::Owned(month.clone()))),
                            text(cluster),
                            text(indicator.key()),
                            measure(indicator, value),
                        ]
                    })
                })
        });
    Table {
        name: "trend",
        columns: vec![
            column("month", Kind::Text),
            column("cluster", Kind::Text),
            column("indicator", Kind::Text),
            column("value", Kind::Number),
        ],
        added: Vec::new(),
        rows: Box::new(rows),
        len,
        period: report.period.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    fn kind_of(value: &Value<'_>) -> Kind {
        match value {
            Value::Text(_) => Kind::Text,
            Value::Count(_) => Kind::Count,
            Value::Integer(_) => Kind::Integer,
            Value::Amount(_) => Kind::Amount,
            Value::Ratio(_) => Kind::Ratio,
            Value::Date(_) => Kind::Date,
            Value::Number(_) => Kind::Number,
        }
    }

    #[test]
    fn every_row_has_a_value_of_its_columns_kind_for_each_column() {
        let report = sample_report();
        for table in tables(&report) {
            let kinds: Vec<Kind> = table
                .columns
                .iter()
                .chain(&table.added)
                .map(|c| c.kind)
                .collect();
            let name = table.name;
            let len = table.len;
            let rows: Vec<Vec<Value<'_>>> = table.rows.collect();
            assert_eq!(rows.len(), len, "{name}");
            for row in rows {
                let row_kinds: Vec<Kind> = row.iter().map(kind_of).collect();
                assert_eq!(row_kinds, kinds, "{name}");
            }
        }
    }

    #[test]
    fn new_columns_follow_the_first_ones_cents_then_the_period() {
        let report = sample_report();
        let groups = tables(&report)
            .into_iter()
            .find(|t| t.name == "projects_by_call")
            .unwrap();
        assert_eq!(
            groups.header(),
            [
                "call",
                "count",
                "project_value",
                "financing",
                "financing_ratio",
                "project_value_cents",
                "financing_cents",
                "period",
            ]
        );
        assert_eq!(groups.period, "2026-11");
    }

    #[test]
    fn no_table_has_a_total_row() {
        let report = sample_report();
        // In `monitoring` and `trend`, `total` names the portfolio's own target
        // and series, which are no sum of the clusters' rows.
        let portfolio_rows = ["monitoring", "trend"];
        for table in tables(&report) {
            let name = table.name;
            if portfolio_rows.contains(&name) {
                continue;
            }
            for row in table.rows {
                assert_ne!(row.first(), Some(&text("total")), "{name} has a total row");
            }
        }
    }

    #[test]
    fn the_audit_adds_the_lead_members_name_and_the_breach_reason_after_the_period() {
        let report = sample_report();
        let audit = tables(&report)
            .into_iter()
            .find(|t| t.name == "financing_audit")
            .unwrap();
        let header = audit.header();
        let tail = &header[header.len() - 4..];
        assert_eq!(
            tail,
            ["period", "lead_member_name", "reason", "cap_rule_label"]
        );
        let rows: Vec<Vec<Value<'_>>> = audit.rows.collect();
        let added = &rows[0][rows[0].len() - 3..];
        assert_eq!(
            added,
            [
                text("Alfa Meccanica S.r.l."),
                text("ratio"),
                Value::Text(None)
            ]
        );
        assert_eq!(rows[2][rows[2].len() - 2], Value::Text(None), "no breach");
    }
}
