//! The project sheets: count, value, financing and ratio per cluster (with a bar
//! chart of value and financing) and per call, each with a totals row that is the
//! portfolio: `SUBTOTAL`s down the table and the ratio of the two totals.

use super::chart;
use super::cut::Shown;
use super::sheet::{data_row, Sheet};
use super::style::{Kind, Tone, AXIS_AMOUNT_FORMAT};
use super::table::{Total, TotalCell};
use super::Ctx;
use crate::render::csv;
use crate::report::ProjectGroup;
use rust_xlsxwriter::{row_col_to_cell, Chart, ChartType, ColNum, RowNum, Workbook, XlsxError};

pub(crate) const COUNT_COL: ColNum = 1;
pub(crate) const VALUE_COL: ColNum = 2;
pub(crate) const FINANCING_COL: ColNum = 3;
pub(crate) const RATIO_COL: ColNum = 4;

const VALUE_COLOUR: u32 = 0x9DC3E6;
const FINANCING_COLOUR: u32 = 0x1F4E79;

/// How many clusters the projects-by-cluster sheet shows.
fn shown_clusters(ctx: &Ctx<'_>) -> Shown {
    ctx.shown(ctx.report.projects.by_cluster.len(), 1)
}

/// The totals row of the projects-by-cluster sheet.
pub(crate) fn totals_row(ctx: &Ctx<'_>) -> RowNum {
    shown_clusters(ctx).last_row() + 1
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, projects) = (&ctx.labels, &ctx.report.projects);
    let name = &ctx.sheets.by_cluster;
    let shown = shown_clusters(ctx);
    let totals_row = totals_row(ctx);
    let bars = shown.rows as RowNum;
    let chart = (projects.portfolio.count > 0
        && bars > 0
        && !shown.is_cut()
        && chart::fits_below(totals_row, financing_chart_height(bars), ctx.sheet_rows))
    .then(|| financing_chart(ctx, name, bars));
    // Below the table: the chart, or the note of a cut table or of no projects.
    let note = match ctx.cut_note(shown, csv::PROJECTS_BY_CLUSTER, true) {
        Some(cut) => Some((shown.note_row(), cut)),
        None if projects.portfolio.count == 0 => {
            Some((chart::first_row(totals_row), l.no_projects().to_string()))
        }
        None => None,
    };
    let table = GroupsTable {
        name,
        key_header: l.cluster(),
        groups: &projects.by_cluster,
        shown,
        note,
    };
    let sheet = write_table(workbook, ctx, table)?;
    if let Some(chart) = chart {
        chart::insert_below(sheet.ws, totals_row, &chart)?;
    }
    sheet.finish()?;

    let shown = ctx.shown(projects.by_call.len(), 1);
    let note = ctx.cut_note(shown, csv::PROJECTS_BY_CALL, true);
    let table = GroupsTable {
        name: &ctx.sheets.by_call,
        key_header: l.call(),
        groups: &projects.by_call,
        shown,
        note: note.map(|note| (shown.note_row(), note)),
    };
    write_table(workbook, ctx, table)?.finish()
}

/// A projects table: its sheet, its groups and how many of them it shows, and
/// the note below it, if any, with its row.
struct GroupsTable<'t> {
    name: &'t str,
    key_header: &'t str,
    groups: &'t [ProjectGroup],
    shown: Shown,
    note: Option<(RowNum, String)>,
}

/// Count, value, financing and ratio per group, with a totals row from the portfolio.
fn write_table<'a>(
    workbook: &'a mut Workbook,
    ctx: &'a Ctx<'_>,
    table: GroupsTable<'_>,
) -> Result<Sheet<'a>, XlsxError> {
    let l = &ctx.labels;
    let shown = table.shown;
    let mut sheet = ctx.table_sheet(workbook, table.name, shown.last_row())?;
    sheet.header(
        0,
        &[
            table.key_header,
            l.count(),
            l.project_value(),
            l.financing(),
            l.financing_ratio(),
        ],
    );
    sheet.limit(0, 50);
    let row = shown.last_row() + 1;
    let portfolio = &ctx.report.projects.portfolio;
    let ratio = match portfolio.ratio() {
        Some(ratio) => {
            let value = row_col_to_cell(row, VALUE_COL);
            let financing = row_col_to_cell(row, FINANCING_COL);
            let formula = format!("IF({value}>0,ROUND({financing}/{value},4),\"\")");
            TotalCell::Formula(formula, Total::Ratio(ratio))
        }
        None => TotalCell::Blank(Kind::Ratio),
    };
    let cells = vec![
        (0, TotalCell::Label(l.total().to_string())),
        (COUNT_COL, TotalCell::Sum(Total::Count(portfolio.count))),
        (VALUE_COL, TotalCell::Sum(Total::Amount(portfolio.value))),
        (
            FINANCING_COL,
            TotalCell::Sum(Total::Amount(portfolio.financing)),
        ),
        (RATIO_COL, ratio),
    ];
    sheet.totals(row, shown.totals(cells));
    if let Some((row, note)) = &table.note {
        sheet.note(*row, 0, note, &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, group) in table.groups.iter().take(shown.rows).enumerate() {
            let row = data_row(i);
            let totals = &group.totals;
            sheet.text(row, 0, &group.key, Tone::Plain)?;
            sheet.count(row, COUNT_COL, totals.count, Tone::Plain)?;
            sheet.amount(row, VALUE_COL, totals.value)?;
            sheet.amount(row, FINANCING_COL, totals.financing)?;
            sheet.ratio(row, RATIO_COL, totals.ratio())?;
        }
        Ok(())
    })?;
    Ok(sheet)
}

/// Tall enough for each cluster's two bars and their labels.
fn financing_chart_height(clusters: RowNum) -> u32 {
    chart::height(clusters) + 6 * clusters
}

/// Project value and financing side by side for each cluster, top to bottom in
/// the table's order, so the gap between the bars is the part not financed.
fn financing_chart(ctx: &Ctx<'_>, sheet: &str, clusters: RowNum) -> Chart {
    let mut chart = Chart::new(ChartType::Bar);
    for (col, colour) in [(VALUE_COL, VALUE_COLOUR), (FINANCING_COL, FINANCING_COLOUR)] {
        chart::add_bars(&mut chart, sheet, col, clusters, colour);
    }
    chart::finish(
        &mut chart,
        ctx.labels.chart_financing(),
        ctx.labels.amount_axis(),
        AXIS_AMOUNT_FORMAT,
        financing_chart_height(clusters),
    );
    chart
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::report::sample_report;

    #[test]
    fn project_totals_are_the_portfolio() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Progetti per cluster");
        let seed = row_of(&range, "Scienze della vita");
        assert_eq!(floats(&seed[1..]), [1.0, 158_500.0, 114_944.0, 0.7252]);
        let totals = row_of(&range, "Totale");
        let ratio = report.projects.portfolio.ratio().unwrap().as_f64();
        assert_eq!(floats(&totals[1..]), [3.0, 658_500.0, 414_944.0, ratio]);
        let calls = sheet(&report, Lang::It, "Progetti per bando");
        assert_eq!(
            floats(&row_of(&calls, "Totale")[1..4]),
            [3.0, 658_500.0, 414_944.0]
        );
        let formulas = formulas(&report, "Progetti per cluster");
        assert_eq!(
            formulas,
            [
                "SUBTOTAL(109,Progetti_per_cluster[Numero])",
                "SUBTOTAL(109,Progetti_per_cluster[Valore progetto])",
                "SUBTOTAL(109,Progetti_per_cluster[Finanziamento])",
                "IF(C4>0,ROUND(D4/C4,4),\"\")"
            ]
        );
    }

    #[test]
    fn the_chart_shows_value_and_financing_per_cluster() {
        let bytes = render(&sample_report(), &options(Lang::En)).unwrap();
        let chart = part(&bytes, "xl/charts/chart2.xml");
        assert!(chart.contains("<c:barDir val=\"bar\"/>"), "{chart}");
        assert!(chart.contains("<c:grouping val=\"clustered\"/>"), "{chart}");
        assert_eq!(chart.matches("<c:ser>").count(), 2);
        assert!(chart.contains("'Projects by cluster'!$D$2:$D$3"), "{chart}");
        assert!(chart.contains("#,##0 &quot;€&quot;"), "{chart}");
    }
}
