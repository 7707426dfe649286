//! Section 1, monitoring: how many targets are in each status, in one line of
//! marks; a table of every cluster × indicator target (baseline, expected,
//! actual, gap, deadline, and the status as a coloured mark and a word); and
//! the members of each cluster at each month's end, as small multiples on one
//! vertical scale.
//!
//! The section stays short however many clusters and targets there are: the
//! table lists at most [`STATUS_ROWS`] targets (above that, the furthest from
//! their path first), the charts at most [`TREND_PANELS`] clusters (the
//! largest by members), each with a sentence saying where every target and
//! every cluster's trend is.

use super::chart::nice_ticks;
use super::clusters;
use super::format::{Fmt, DASH};
use super::layout::{Document, Level};
use super::line_chart::{range_ticks, LineCharts, LinePanel};
use super::marks::status_ink;
use super::style::{Ink, TextStyle, Weight};
use super::table::{Column, RowStyle, Table};
use super::SMALL;
use crate::monitoring::indicator::Indicator;
use crate::report::monitoring::{MonthlyFigures, Scope, TargetStatus, Trend};
use crate::report::Report;

/// The most targets the status table lists: one to two pages. Above it, the
/// furthest from their path first (missed, behind, at risk, …), each status
/// in the report's order.
pub(crate) const STATUS_ROWS: usize = 60;
/// The most clusters the small multiples draw, the largest by members: three
/// rows of five, under half a page.
pub(crate) const TREND_PANELS: usize = 15;
/// Panels side by side, and each plot's height in millimetres.
const PANEL_COLUMNS: usize = 5;
const PANEL_HEIGHT: f32 = 20.0;

pub(crate) fn monitoring(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("1. {}", l.monitoring()), Level::Section);
    let targets = &report.monitoring.targets;
    let workbook = format!("{}.xlsx", crate::render::stem(report.period));
    doc.heading(l.targets(), Level::Subsection);
    if targets.is_empty() {
        doc.paragraph(l.no_targets(), TextStyle::body());
    } else {
        status_line(doc, report, f);
        let rows = status_rows(targets, STATUS_ROWS);
        doc.table(&targets_table(f, &rows, true));
        notes_below(doc, f, &rows);
        if rows.len() < targets.len() {
            doc.space(1.0);
            doc.paragraph(
                &l.status_table_cut(rows.len(), targets.len(), &workbook),
                TextStyle::body(),
            );
        }
    }
    let trend = &report.monitoring.trend;
    if trend.months.is_empty() {
        return;
    }
    doc.heading(l.members_trend(), Level::Subsection);
    let (shown, total) = clusters::largest(report, TREND_PANELS);
    let panels = shown
        .iter()
        .filter_map(|name| {
            let cluster = trend.clusters.iter().find(|c| c.cluster == *name)?;
            Some(members_panel(f, trend, name, &cluster.figures))
        })
        .collect();
    let layout = (PANEL_COLUMNS, PANEL_HEIGHT);
    doc.line_charts(&members_charts(f, trend, panels, layout, Scale::Shared));
    let mut note = l.same_scale().to_string();
    if shown.len() < total {
        note = format!("{note} {}", l.trend_cut(shown.len(), total, &workbook));
    }
    doc.paragraph(&note, TextStyle::new(8.0, Weight::Regular, Ink::Muted));
}

/// How many targets are in each status, the statuses that have some, each
/// with its mark.
fn status_line(doc: &mut Document, report: &Report, f: &Fmt) {
    let marks: Vec<(Ink, String)> = report
        .monitoring
        .status_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| (status_ink(status), f.l.status_count(status, n)))
        .collect();
    let lead = f.l.targets_counted(report.monitoring.targets.len());
    doc.marks_line(&lead, &marks, TextStyle::body(), 20.0);
    doc.space(1.5);
}

/// The targets a table bounded to `limit` lists: every one in the report's
/// order while they are at most `limit`, else the `limit` furthest from their
/// path, by status (missed first), each status in the report's order.
pub(crate) fn status_rows(targets: &[TargetStatus], limit: usize) -> Vec<&TargetStatus> {
    let mut rows: Vec<&TargetStatus> = targets.iter().collect();
    if rows.len() > limit {
        // Stable: a status keeps the report's order.
        rows.sort_by_key(|t| t.status);
        rows.truncate(limit);
    }
    rows
}

/// Targets as rows: the cluster (when `with_cluster`), the indicator, the
/// baseline (marked `*` when computed from the data), the value expected at
/// the period, the actual one, the gap, the deadline and the status; those
/// missed or behind flagged.
pub(crate) fn targets_table(f: &Fmt, targets: &[&TargetStatus], with_cluster: bool) -> Table {
    let l = &f.l;
    let mut columns = Vec::new();
    if with_cluster {
        columns.push(Column::left(l.cluster(), 30.0));
    }
    columns.extend([
        Column::left(l.kpi(), 26.0),
        Column::decimal(l.baseline(), 12.0, f.mark()),
        Column::decimal(l.expected(), 12.0, f.mark()),
        Column::decimal(l.actual(), 12.0, f.mark()),
        Column::decimal(l.gap(), 12.0, f.mark()),
        Column::left(l.deadline(), 9.0).unbroken(),
        Column::marked(l.target_status(), 15.0).unbroken(),
    ]);
    let mut table = Table::new(columns).font_size(SMALL);
    for t in targets {
        let measured = |v: Option<i64>| v.map_or(DASH.to_string(), |v| f.measure(t.indicator, v));
        let baseline = t.path.as_ref().map(|p| p.baseline().value);
        let mut baseline = measured(baseline);
        if t.baseline_computed && t.path.is_some() {
            baseline.push_str(" *");
        }
        let mut cells = Vec::new();
        if with_cluster {
            cells.push(scope_name(f, &t.scope));
        }
        cells.extend([
            l.indicator(t.indicator),
            baseline,
            measured(t.expected),
            measured(t.actual),
            t.gap()
                .map_or(DASH.to_string(), |g| f.signed_measure(t.indicator, g)),
            f.short_month(t.by),
            l.target_status_word(t.status).to_string(),
        ]);
        let style = if t.status.is_deviation() {
            RowStyle::Flagged
        } else {
            RowStyle::Normal
        };
        table.marked_row(style, cells, status_ink(t.status));
    }
    table
}

/// Under a targets table: what the `*` of a computed baseline means, when a
/// row has one.
pub(crate) fn notes_below(doc: &mut Document, f: &Fmt, rows: &[&TargetStatus]) {
    if rows.iter().any(|t| t.baseline_computed && t.path.is_some()) {
        doc.space(1.0);
        doc.paragraph(
            f.l.baseline_computed(),
            TextStyle::new(7.5, Weight::Regular, Ink::Muted),
        );
    }
}

/// Whom a target is for: the cluster's name, or the whole portfolio.
fn scope_name(f: &Fmt, scope: &Scope) -> String {
    match scope {
        Scope::Cluster(name) => name.clone(),
        Scope::Total => f.l.whole_portfolio().to_string(),
    }
}

/// A cluster's members at each month's end, its latest value beside its name.
pub(crate) fn members_panel(
    f: &Fmt,
    trend: &Trend,
    title: &str,
    figures: &MonthlyFigures,
) -> LinePanel {
    let values = trend.values(figures, Indicator::Members);
    let latest = values
        .last()
        .copied()
        .flatten()
        .map_or(DASH.to_string(), |v| f.measure(Indicator::Members, v));
    let unit = Indicator::Members.unit();
    LinePanel {
        title: title.to_string(),
        values: values
            .into_iter()
            .map(|v| v.map(|v| unit.as_f64(v)))
            .collect(),
        latest,
    }
}

/// How `panels` over the trend's months are scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// One scale for all, from zero to the largest value: sizes compare.
    Shared,
    /// The series' own range: its changes show.
    Own,
}

/// `panels` over the trend's months, `columns` to a row, each plot `height`
/// millimetres high, on a `scale`.
pub(crate) fn members_charts(
    f: &Fmt,
    trend: &Trend,
    panels: Vec<LinePanel>,
    (columns, height): (usize, f32),
    scale: Scale,
) -> LineCharts {
    let months = trend.months.iter().map(|m| f.short_month(*m)).collect();
    let charts = LineCharts::new(panels, months, columns, height);
    let (lo, hi) = charts.value_range();
    let ticks = match scale {
        Scale::Shared => nice_ticks(hi, 2),
        Scale::Own => range_ticks(lo, hi, 4),
    };
    charts.scale(ticks.into_iter().map(|t| (t, f.tick(t))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::path::Status;
    use crate::report::sample_report;

    #[test]
    fn above_the_limit_the_worst_come_first_in_the_reports_order() {
        let report = sample_report();
        let template = report.monitoring.targets[0].clone();
        let statuses = [
            Status::OnTrack,
            Status::Behind,
            Status::Achieved,
            Status::Missed,
            Status::Behind,
        ];
        let targets: Vec<TargetStatus> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| TargetStatus {
                status: *s,
                origin: format!("t{i}"),
                ..template.clone()
            })
            .collect();
        let origins = |rows: Vec<&TargetStatus>| -> Vec<String> {
            rows.iter().map(|t| t.origin.clone()).collect()
        };
        assert_eq!(
            origins(status_rows(&targets, 5)),
            ["t0", "t1", "t2", "t3", "t4"]
        );
        assert_eq!(origins(status_rows(&targets, 3)), ["t3", "t1", "t4"]);
    }

    #[test]
    fn a_hundred_and_fifty_clusters_keep_the_section_within_its_limits() {
        use crate::labels::Lang;
        use crate::render::pdf::test_support::{decoration, pages, runs, with_clusters};
        let report = with_clusters(150);
        let f = Fmt::new(Lang::It);
        let mut doc = Document::new(decoration()).unwrap();
        monitoring(&mut doc, &report, &f);
        let pages = pages(doc.finish());
        assert!(pages.len() <= 3, "{} pages", pages.len());
        let runs: Vec<_> = pages.iter().flat_map(runs).collect();
        let count = |text: &str| runs.iter().filter(|r| r.text == text).count();
        // The status table: sixty rows, those behind first.
        assert_eq!(count("In ritardo"), STATUS_ROWS);
        assert_eq!(count("Non applicabile"), 0);
        assert_eq!(count("Cluster 000"), 1, "behind, listed first");
        assert_eq!(count("Cluster 060"), 0, "the 61st target behind");
        // The small multiples: the fifteen largest, each with its first month.
        assert_eq!(count("set 2026"), TREND_PANELS);
        assert_eq!(count("Cluster 149"), 1);
        assert_eq!(count("Cluster 134"), 0);
        let text: String = runs
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        for sentence in [
            "La tabella mostra 60 dei 300 obiettivi",
            "foglio “Monitoraggio” di consolida-2026-11.xlsx e in monitoring.csv",
            "I grafici mostrano i 15 cluster maggiori per soci dei 150.",
            "foglio “Andamento” di consolida-2026-11.xlsx e in trend.csv",
        ] {
            assert!(text.contains(sentence), "{sentence:?} in {text}");
        }
    }
}
