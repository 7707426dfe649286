//! The project sheets: count, value, financing and ratio per cluster (with a bar
//! chart of value and financing) and per call, each with a totals row that is the
//! portfolio: `SUBTOTAL`s down the table and the ratio of the two totals.
//! Each group's count, value and financing are `COUNTIFS`/`SUMIFS` over the
//! financing audit, which lists every project of the portfolio, up to
//! [`DETAIL_ROWS`](crate::report::DETAIL_ROWS) projects; above, values with a
//! note beside the table.

use super::countifs::{Counted, Detail};
use super::cut::Shown;
use super::sheet::{data_row, Sheet};
use super::style::{Kind, Tone, AXIS_AMOUNT_FORMAT};
use super::table::{Total, TotalCell};
use super::Ctx;
use super::{audit, chart};
use crate::labels::ValuesBecause;
use crate::render::csv;
use crate::report::{ProjectGroup, DETAIL_ROWS};
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
        notes: note.into_iter().collect(),
        counted: None,
    }
    .counted(ctx, totals_row);
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
        notes: note
            .map(|note| (shown.note_row(), note))
            .into_iter()
            .collect(),
        counted: None,
    }
    .counted(ctx, shown.last_row() + 1);
    write_table(workbook, ctx, table)?.finish()
}

/// A projects table: its sheet, its groups and how many of them it shows, the
/// notes beside it with their rows, and the formulas its figures are, if any.
struct GroupsTable<'t> {
    name: &'t str,
    key_header: &'t str,
    groups: &'t [ProjectGroup],
    shown: Shown,
    notes: Vec<(RowNum, String)>,
    counted: Option<Counted<'t>>,
}

impl<'t> GroupsTable<'t> {
    /// The table with its figures as formulas over the financing audit, or,
    /// when they stay values, with the note that says why beside its totals
    /// row, `totals_row`.
    fn counted(mut self, ctx: &Ctx<'_>, totals_row: RowNum) -> Self {
        let (l, s, audit) = (&ctx.labels, &ctx.sheets, &ctx.report.audit);
        let projects = audit.projects.len();
        // An empty audit has no table to count over, and every figure is 0.
        if projects == 0 {
            return self;
        }
        let detail = Detail::of(&s.audit, projects, self.groups.len());
        let because = match detail {
            Some(detail) if !audit::shown(ctx).is_cut() => {
                let keys = self.groups.iter().map(|g| g.key.as_str());
                self.counted = Some(Counted::new(detail, keys));
                return self;
            }
            _ if projects > DETAIL_ROWS => ValuesBecause::Projects(projects as u64),
            _ => ValuesBecause::Rows(self.groups.len() as u64),
        };
        if !self.shown.is_cut() {
            let note = l.counts_as_values(because, &s.audit, &s.sources);
            self.notes.push((totals_row + 1, note));
        }
        self
    }
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
    for (row, note) in &table.notes {
        sheet.note(*row, 0, note, &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, group) in table.groups.iter().take(shown.rows).enumerate() {
            let row = data_row(i);
            let totals = &group.totals;
            sheet.text(row, 0, &group.key, Tone::Plain)?;
            match table.counted.as_ref().and_then(|c| c.of(&group.key)) {
                Some(detail) => {
                    let key_cell = format!("$A{}", row + 1);
                    let condition = [(table.key_header, key_cell.as_str())];
                    let figures = [
                        (
                            COUNT_COL,
                            detail.count(&condition),
                            Total::Count(totals.count),
                        ),
                        (
                            VALUE_COL,
                            detail.sum(l.project_value(), &condition),
                            Total::Amount(totals.value),
                        ),
                        (
                            FINANCING_COL,
                            detail.sum(l.financing(), &condition),
                            Total::Amount(totals.financing),
                        ),
                    ];
                    for (col, formula, total) in figures {
                        sheet.formula(row, col, &formula, total, Tone::Plain)?;
                    }
                }
                None => {
                    sheet.count(row, COUNT_COL, totals.count, Tone::Plain)?;
                    sheet.amount(row, VALUE_COL, totals.value)?;
                    sheet.amount(row, FINANCING_COL, totals.financing)?;
                }
            }
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
                "COUNTIFS(Controllo_finanziamenti[Cluster],\"=\"&$A2)",
                "SUMIFS(Controllo_finanziamenti[Valore progetto],\
                 Controllo_finanziamenti[Cluster],\"=\"&$A2)",
                "SUMIFS(Controllo_finanziamenti[Finanziamento],\
                 Controllo_finanziamenti[Cluster],\"=\"&$A2)",
                "COUNTIFS(Controllo_finanziamenti[Cluster],\"=\"&$A3)",
                "SUMIFS(Controllo_finanziamenti[Valore progetto],\
                 Controllo_finanziamenti[Cluster],\"=\"&$A3)",
                "SUMIFS(Controllo_finanziamenti[Finanziamento],\
                 Controllo_finanziamenti[Cluster],\"=\"&$A3)",
                "SUBTOTAL(109,Progetti_per_cluster[Numero])",
                "SUBTOTAL(109,Progetti_per_cluster[Valore progetto])",
                "SUBTOTAL(109,Progetti_per_cluster[Finanziamento])",
                "IF(C4>0,ROUND(D4/C4,4),\"\")"
            ]
        );
    }

    #[test]
    fn above_the_limit_the_figures_are_values_with_a_note_that_says_why() {
        use super::super::{stream, Ctx};
        use super::GroupsTable;
        let mut report = sample_report();
        let project = report.audit.projects[0].clone();
        report.audit.projects = vec![project; crate::report::DETAIL_ROWS + 1];
        let ctx = Ctx::new(&report, Lang::It, stream::STREAM_FROM_ROWS);
        let groups = &report.projects.by_call;
        let table = GroupsTable {
            name: &ctx.sheets.by_call,
            key_header: ctx.labels.call(),
            groups,
            shown: ctx.shown(groups.len(), 1),
            notes: Vec::new(),
            counted: None,
        }
        .counted(&ctx, 3);
        assert!(table.counted.is_none());
        assert_eq!(
            table.notes,
            [(
                4,
                "Valori, non formule: oltre 100.000 progetti (qui 100.001) i totali non \
                 sono formule sul foglio Controllo finanziamenti, che elenca ogni progetto."
                    .to_string()
            )]
        );
        // At the limit, formulas.
        report.audit.projects.truncate(crate::report::DETAIL_ROWS);
        let ctx = Ctx::new(&report, Lang::It, stream::STREAM_FROM_ROWS);
        let table = GroupsTable {
            counted: None,
            notes: Vec::new(),
            ..table
        }
        .counted(&ctx, 3);
        assert!(table.counted.is_some() && table.notes.is_empty());
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
