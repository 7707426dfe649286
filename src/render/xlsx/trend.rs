//! The trend sheet: the indicators at each month's end of the trend, one row
//! per cluster and indicator and one column per month, blank for a month
//! before the data (or a ratio of nothing). First, for all the clusters and
//! then each cluster in the report's order, members, joined, left, projects,
//! project value, financing, financing ratio and breaches; below them, in the
//! same order, the members of each category and their shares.
//!
//! Beside the table, two line charts of the members at each month's end: all
//! the clusters together, and the largest clusters (by members at the last
//! month, at most [`LARGEST_CLUSTERS`]), each a line; none when no month
//! has members, as the other sheets draw none for an empty period. They are
//! for the screen: the sheet's print area is its table, which they would
//! shrink.

use super::cut::Shown;
use super::rows::Xfs;
use super::sheet::{data_row, Sheet};
use super::spliced::{rows_ahead, SplicedSheet};
use super::style::{Kind, Tone};
use super::Ctx;
use crate::monitoring::indicator::{Indicator, Unit};
use crate::report::monitoring::{MonthlyFigures, Trend};
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, ColNum, RowNum, Workbook, Worksheet, XlsxError,
};

/// The column of the first month.
const FIRST_MONTH_COL: ColNum = 3;
/// The most clusters the second chart draws.
const LARGEST_CLUSTERS: usize = 10;
/// A chart's size, in pixels.
const CHART_WIDTH_PX: u32 = 720;
const CHART_HEIGHT_PX: u32 = 340;
/// The rows a chart takes, with a row between it and the next.
const CHART_ROWS: RowNum = 18;

/// The indicators of the first block: one row each for every cluster.
fn main_indicators() -> Vec<Indicator> {
    Indicator::all()
        .into_iter()
        .filter(|i| !by_category(*i))
        .collect()
}

/// The indicators of the block below: the members of each category and their
/// shares.
fn category_indicators() -> Vec<Indicator> {
    Indicator::all()
        .into_iter()
        .filter(|i| by_category(*i))
        .collect()
}

fn by_category(indicator: Indicator) -> bool {
    matches!(indicator, Indicator::MembersOf(_) | Indicator::ShareOf(_))
}

/// One row of the table: whose figures, and which indicator.
struct Line<'t> {
    scope: &'t str,
    figures: &'t MonthlyFigures,
    indicator: Indicator,
}

/// The rows of the table, in order.
fn lines<'t>(trend: &'t Trend, all: &'t str) -> impl Iterator<Item = Line<'t>> + 't {
    let scopes = || {
        std::iter::once((all, &trend.total)).chain(
            trend
                .clusters
                .iter()
                .map(|c| (c.cluster.as_str(), &c.figures)),
        )
    };
    let block = move |indicators: Vec<Indicator>| {
        scopes().flat_map(move |(scope, figures)| {
            indicators.clone().into_iter().map(move |indicator| Line {
                scope,
                figures,
                indicator,
            })
        })
    };
    block(main_indicators()).chain(block(category_indicators()))
}

/// The table's data rows: every scope (all clusters, then each) × every
/// indicator; none for a trend without months.
fn row_count(trend: &Trend) -> usize {
    if trend.months.is_empty() {
        return 0;
    }
    (trend.clusters.len() + 1) * Indicator::all().len()
}

/// How many rows of the table the sheet shows.
pub(crate) fn shown(ctx: &Ctx<'_>) -> Shown {
    ctx.shown(row_count(&ctx.report.monitoring.trend), 0)
}

/// Adds the trend sheet to `workbook`; when it is large and `xfs` given, its
/// rows are written apart and returned, for the saved package.
pub(crate) fn write(
    workbook: &mut Workbook,
    ctx: &Ctx<'_>,
    xfs: Option<&Xfs>,
) -> Result<Option<SplicedSheet>, XlsxError> {
    let (l, trend) = (&ctx.labels, &ctx.report.monitoring.trend);
    let name = &ctx.sheets.trend;
    let shown = shown(ctx);
    let layout = || {
        let mut layout = ctx.table_layout(shown.last_row());
        layout.frozen_cols = 2;
        layout
    };
    let months: Vec<String> = trend.months.iter().map(|m| l.short_month(*m)).collect();
    let mut titles = vec![l.cluster(), l.kpi(), l.indicator_key()];
    titles.extend(months.iter().map(String::as_str));
    let declare = |sheet: &mut Sheet<'_>| {
        sheet.header(0, &titles);
        for (col, chars) in [(0, 36), (1, 30), (2, 22)] {
            sheet.limit(col, chars);
        }
        Ok(())
    };
    let last_col = FIRST_MONTH_COL + trend.months.len() as ColNum - 1;
    let (sheet, spliced) = match ctx.splices(shown.last_row(), xfs) {
        Some(xfs) => {
            let level = super::ZIP_LEVEL.into();
            let (rows, measured) = rows_ahead(ctx, xfs, level, name, layout(), declare, |sheet| {
                write_rows(sheet, ctx, shown)
            })?;
            let mut sheet = Sheet::add(workbook, name, &ctx.styles, layout(), true)?;
            declare(&mut sheet)?;
            sheet.write_without_rows(measured)?;
            let spliced = SplicedSheet::new(name, shown, last_col, false, rows);
            (sheet, Some(spliced))
        }
        None => {
            let streamed = ctx.streams(shown.last_row());
            let mut sheet = Sheet::add(workbook, name, &ctx.styles, layout(), streamed)?;
            declare(&mut sheet)?;
            sheet.write(|sheet| write_rows(sheet, ctx, shown))?;
            (sheet, None)
        }
    };
    add_charts(sheet.ws, ctx, shown.last_row())?;
    // Printed, the sheet is its table: the charts beside it would shrink it.
    let last_printed = if shown.is_cut() {
        shown.note_row()
    } else {
        shown.last_row()
    };
    sheet.ws.set_print_area(0, 0, last_printed, last_col)?;
    sheet.finish()?;
    Ok(spliced)
}

/// The rows the sheet shows and, below them when that is not all of them, the
/// note that says so.
fn write_rows(sheet: &mut Sheet<'_>, ctx: &Ctx<'_>, shown: Shown) -> Result<(), XlsxError> {
    let (l, trend) = (&ctx.labels, &ctx.report.monitoring.trend);
    for (i, line) in lines(trend, l.all_clusters()).take(shown.rows).enumerate() {
        let row = data_row(i);
        sheet.text(row, 0, line.scope, Tone::Plain)?;
        sheet.text(row, 1, &l.indicator(line.indicator), Tone::Plain)?;
        sheet.text(row, 2, line.indicator.key(), Tone::Plain)?;
        let unit = line.indicator.unit();
        let kind = kind_of(unit);
        let values = trend.values(line.figures, line.indicator);
        for (col, value) in (FIRST_MONTH_COL..).zip(values) {
            match value {
                Some(value) => sheet.number(row, col, unit.as_f64(value), kind, Tone::Plain)?,
                None => sheet.blank(row, col, kind, Tone::Plain)?,
            }
        }
    }
    if let Some(note) = ctx.cut_note_to_summary(shown) {
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    Ok(())
}

fn kind_of(unit: Unit) -> Kind {
    match unit {
        Unit::Count => Kind::Count,
        Unit::Money => Kind::Amount,
        Unit::Fraction => Kind::Ratio,
    }
}

/// The row of `scope`'s members (0 for all the clusters, then 1 + each
/// cluster's position).
fn members_row(scope: usize) -> RowNum {
    data_row(scope * main_indicators().len())
}

/// The clusters the second chart draws: the largest by members at the trend's
/// last month, the first in the report's order among equals, none without
/// members.
fn largest_clusters(trend: &Trend) -> Vec<usize> {
    let last = |i: usize| {
        let members = &trend.clusters[i].figures.members;
        members.last().map_or(0, |m| m.total())
    };
    let mut clusters: Vec<usize> = (0..trend.clusters.len()).filter(|&i| last(i) > 0).collect();
    clusters.sort_by_key(|&i| std::cmp::Reverse(last(i)));
    clusters.truncate(LARGEST_CLUSTERS);
    clusters
}

/// The two charts, beside the table: members of all the clusters, and of the
/// largest ones. Rows the sheet does not show (a table cut to fit it) are not
/// drawn.
fn add_charts(ws: &mut Worksheet, ctx: &Ctx<'_>, last_row: RowNum) -> Result<(), XlsxError> {
    let (l, trend) = (&ctx.labels, &ctx.report.monitoring.trend);
    let members = trend.values(&trend.total, Indicator::Members);
    if !members.iter().any(|m| m.is_some_and(|m| m > 0)) || last_row == 0 {
        return Ok(());
    }
    let sheet = &ctx.sheets.trend;
    let last_col = FIRST_MONTH_COL + trend.months.len() as ColNum - 1;
    let col = last_col + 2;
    let line = |chart: &mut Chart, row: RowNum| {
        chart
            .add_series()
            .set_name((sheet.as_str(), row, 0))
            .set_categories((sheet.as_str(), 0, FIRST_MONTH_COL, 0, last_col))
            .set_values((sheet.as_str(), row, FIRST_MONTH_COL, row, last_col));
    };
    let mut all = Chart::new(ChartType::Line);
    line(&mut all, members_row(0));
    finish(&mut all, l.chart_trend_members(), l.members_axis());
    all.legend().set_hidden();
    ws.insert_chart(1, col, &all)?;
    let rows: Vec<RowNum> = largest_clusters(trend)
        .into_iter()
        .map(|i| members_row(i + 1))
        .filter(|&row| row <= last_row)
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let mut largest = Chart::new(ChartType::Line);
    for &row in &rows {
        line(&mut largest, row);
    }
    let title = l.chart_largest_clusters(rows.len());
    finish(&mut largest, &title, l.members_axis());
    largest.legend().set_position(ChartLegendPosition::Right);
    ws.insert_chart(1 + CHART_ROWS, col, &largest)?;
    Ok(())
}

fn finish(chart: &mut Chart, title: &str, axis: &str) {
    chart.title().set_name(title);
    chart.y_axis().set_name(axis).set_num_format("#,##0");
    chart.set_width(CHART_WIDTH_PX).set_height(CHART_HEIGHT_PX);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use super::*;
    use crate::report::monitoring::sample_monitoring;
    use calamine::Data;

    #[test]
    fn every_indicator_has_a_row_with_a_column_per_month_blank_before_the_data() {
        let report = monitored_report();
        let range = sheet(&report, Lang::It, "Andamento");
        let header = header(&range);
        assert_eq!(header[3..], ["set 2026", "ott 2026", "nov 2026"]);
        let rows: Vec<Vec<Data>> = range.rows().skip(1).map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 3 * Indicator::all().len());
        let row = |scope: &str, key: &str| {
            rows.iter()
                .find(|r| r[0] == Data::String(scope.into()) && r[2] == Data::String(key.into()))
                .unwrap_or_else(|| panic!("no row {scope} {key}"))
                .clone()
        };
        let members = row("Tutti i cluster", "members");
        assert_eq!(members[1], Data::String("Soci".into()));
        assert_eq!(members[3], Data::Empty, "before the data");
        assert_eq!(floats(&members[4..]), [113.0, 115.0]);
        assert_eq!(floats(&row("Mobilità", "joined")[4..]), [2.0, 1.0]);
        assert_eq!(
            floats(&row("Mobilità", "project_value")[4..]),
            [500_000.0, 500_000.0]
        );
        assert_eq!(
            floats(&row("Scienze della vita", "financing_ratio")[4..]),
            [0.5, 0.5]
        );
        assert_eq!(floats(&row("Mobilità", "share.sme")[4..]), [0.9863, 0.9865]);
        // The main indicators first, for every scope, then the categories.
        let keys: Vec<String> = rows.iter().map(|r| r[2].to_string()).collect();
        assert_eq!(
            keys[..9],
            [
                "members",
                "joined",
                "left",
                "projects",
                "project_value",
                "financing",
                "financing_ratio",
                "breaches",
                "members"
            ]
        );
        assert_eq!(keys[24], "members.consortium");
    }

    #[test]
    fn two_line_charts_follow_the_members_beside_the_table() {
        let bytes = render(&monitored_report(), &options(Lang::It)).unwrap();
        let charts: Vec<String> = (3..=4)
            .map(|n| part(&bytes, &format!("xl/charts/chart{n}.xml")))
            .collect();
        for chart in &charts {
            assert!(chart.contains("<c:lineChart>"), "{chart}");
            assert!(chart.contains("<c:f>Andamento!$D$1:$F$1</c:f>"), "{chart}");
        }
        assert!(
            charts[0].contains("<c:f>Andamento!$D$2:$F$2</c:f>"),
            "{}",
            charts[0]
        );
        // Mobilità (74 members) then Scienze della vita (41), rows 10 and 18.
        assert_eq!(charts[1].matches("<c:ser>").count(), 2);
        let mobility = charts[1].find("Andamento!$D$10:$F$10").unwrap();
        let life = charts[1].find("Andamento!$D$18:$F$18").unwrap();
        assert!(mobility < life);
        let sheet = part(&bytes, "xl/worksheets/sheet12.xml");
        assert!(sheet.contains("<drawing r:id="), "{sheet}");
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"11\">Andamento!$A$1:$F$67</definedName>"), "{workbook}");
    }

    #[test]
    fn a_trend_without_members_draws_no_chart() {
        let mut report = monitored_report();
        let trend = &mut report.monitoring.trend;
        for figures in std::iter::once(&mut trend.total)
            .chain(trend.clusters.iter_mut().map(|c| &mut c.figures))
        {
            figures.members = vec![Default::default(); 3];
        }
        let bytes = render(&report, &options(Lang::It)).unwrap();
        let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let names = zip.file_names().map(|name| name.unwrap().to_string());
        let charts = names.filter(|name| name.starts_with("xl/charts/"));
        assert_eq!(charts.count(), 2, "the members' and the projects' only");
    }

    #[test]
    fn the_largest_clusters_are_at_most_ten_by_their_last_members() {
        let mut trend = sample_monitoring().trend;
        let seed = trend.clusters[1].clone();
        trend.clusters = (0..15)
            .map(|i| {
                let mut c = seed.clone();
                c.cluster = format!("C{i}");
                let last = c.figures.members.last_mut().unwrap();
                *last = Default::default();
                last.add(crate::category::Category::Sme, (i % 5) as u64);
                c
            })
            .collect();
        // Members 0 1 2 3 4 0 1 2 3 4 …: the fours, then the threes, …; no zeros.
        assert_eq!(largest_clusters(&trend), [4, 9, 14, 3, 8, 13, 2, 7, 12, 1]);
    }
}
