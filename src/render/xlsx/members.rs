//! The member sheets: members by category in each cluster (with a stacked bar
//! chart) and in each province. Rows × the seven categories and a total column,
//! each row's total a `SUM` across it, the totals row `SUBTOTAL`s down the table.
//! Each cluster's counts are `COUNTIFS` over the member sheet
//! ([`member_list`](super::member_list)) while it lists the members; else
//! values, with a note beside the table that says why and where they are.

use super::chart;
use super::countifs::{Counted, Detail};
use super::cut::Shown;
use super::member_list;
use super::sheet::{data_row, Sheet};
use super::style::Tone;
use super::table::{Total, TotalCell};
use super::Ctx;
use crate::category::Category;
use crate::labels::ValuesBecause;
use crate::render::csv;
use crate::report::CategoryCounts;
use rust_xlsxwriter::{cell_range, Chart, ChartType, ColNum, RowNum, Workbook, XlsxError};

/// The column of each row's total.
pub(crate) const TOTAL_COL: ColNum = Category::ALL.len() as ColNum + 1;

/// One colour per category, in [`Category::ALL`] order.
const PALETTE: [u32; 7] = [
    0x1F4E79, 0x2E75B6, 0x9DC3E6, 0x548235, 0xC55A11, 0x7F6000, 0x7F7F7F,
];

/// How many clusters the members-by-category sheet shows.
fn shown_clusters(ctx: &Ctx<'_>) -> Shown {
    ctx.shown(ctx.report.members.by_cluster.len(), 1)
}

/// The totals row of the members-by-category sheet.
pub(crate) fn totals_row(ctx: &Ctx<'_>) -> RowNum {
    shown_clusters(ctx).last_row() + 1
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, members) = (&ctx.labels, &ctx.report.members);
    let clusters: Vec<(&str, &CategoryCounts)> = members
        .by_cluster
        .iter()
        .map(|c| (c.cluster.as_str(), &c.counts))
        .collect();
    let name = &ctx.sheets.by_category;
    let shown = shown_clusters(ctx);
    let totals_row = totals_row(ctx);
    let bars = shown.rows as RowNum;
    let chart = (members.total() > 0
        && bars > 0
        && !shown.is_cut()
        && chart::fits_below(totals_row, chart::height(bars), ctx.sheet_rows))
    .then(|| members_chart(ctx, name, bars));
    // Below the table: the chart, or the note of a cut table or of no members.
    let note = match ctx.cut_note(shown, csv::MEMBERS_BY_CLUSTER, true) {
        Some(cut) => Some((shown.note_row(), cut)),
        None if members.total() == 0 => {
            Some((chart::first_row(totals_row), l.no_members().to_string()))
        }
        None => None,
    };
    let (counted, values_note) = match counted(ctx, &clusters) {
        Ok(counted) => (counted, None),
        // Beside the totals row, above the chart; a cut table says more below.
        Err(note) => (None, (!shown.is_cut()).then_some((totals_row + 1, note))),
    };
    let table = CountsTable {
        name,
        key_header: l.cluster(),
        rows: &clusters,
        shown,
        notes: note.into_iter().chain(values_note).collect(),
        counted,
    };
    let sheet = write_table(workbook, ctx, table)?;
    if let Some(chart) = chart {
        chart::insert_below(sheet.ws, totals_row, &chart)?;
    }
    sheet.finish()?;

    let provinces: Vec<(&str, &CategoryCounts)> = members
        .by_province
        .iter()
        .map(|p| (p.province.as_deref().unwrap_or(l.no_province()), &p.counts))
        .collect();
    let shown = ctx.shown(provinces.len(), 1);
    let note = ctx.cut_note(shown, csv::MEMBERS_BY_PROVINCE, true);
    let table = CountsTable {
        name: &ctx.sheets.by_province,
        key_header: l.province(),
        rows: &provinces,
        shown,
        notes: note
            .map(|note| (shown.note_row(), note))
            .into_iter()
            .collect(),
        counted: None,
    };
    write_table(workbook, ctx, table)?.finish()
}

/// A members table: its sheet, its rows and how many of them it shows, the
/// notes beside it with their rows, and the formulas its counts are, if any.
struct CountsTable<'t> {
    name: &'t str,
    key_header: &'t str,
    rows: &'t [(&'t str, &'t CategoryCounts)],
    shown: Shown,
    notes: Vec<(RowNum, String)>,
    counted: Option<Counted<'t>>,
}

/// The formulas that count the clusters' members over the member sheet
/// (none when it lists no one: it then has no table to count over, and every
/// count is 0), or, when the counts stay values, the note that says why.
fn counted<'t>(
    ctx: &Ctx<'_>,
    clusters: &[(&'t str, &CategoryCounts)],
) -> Result<Option<Counted<'t>>, String> {
    let (l, s) = (&ctx.labels, &ctx.sheets);
    let because = match member_list::listed(ctx) {
        None => ValuesBecause::Members(ctx.report.members.total()),
        Some([]) => return Ok(None),
        Some(listed) => match Detail::of(&s.members, listed.len(), clusters.len()) {
            Some(detail) => {
                let keys = clusters.iter().map(|(cluster, _)| *cluster);
                return Ok(Some(Counted::new(detail, keys)));
            }
            None => ValuesBecause::Rows(clusters.len() as u64),
        },
    };
    Err(l.counts_as_values(because, &s.members, &s.sources))
}

/// Rows × categories and a total column, with the totals row of the model.
fn write_table<'a>(
    workbook: &'a mut Workbook,
    ctx: &'a Ctx<'_>,
    table: CountsTable<'_>,
) -> Result<Sheet<'a>, XlsxError> {
    let l = &ctx.labels;
    let shown = table.shown;
    let mut sheet = ctx.table_sheet(workbook, table.name, shown.last_row())?;
    let mut titles = vec![table.key_header];
    titles.extend(Category::ALL.iter().map(|c| c.label(ctx.lang)));
    titles.push(l.total());
    sheet.header(0, &titles);
    let totals = &ctx.report.members.totals;
    let mut cells = vec![(0, TotalCell::Label(l.total().to_string()))];
    for (col, category) in (1..).zip(Category::ALL) {
        cells.push((col, TotalCell::Sum(Total::Count(totals.get(category)))));
    }
    cells.push((TOTAL_COL, TotalCell::Sum(Total::Count(totals.total()))));
    sheet.totals(shown.last_row() + 1, shown.totals(cells));
    for (row, note) in &table.notes {
        sheet.note(*row, 0, note, &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, (key, counts)) in table.rows.iter().take(shown.rows).enumerate() {
            let row = data_row(i);
            sheet.text(row, 0, key, Tone::Plain)?;
            let counted = table.counted.as_ref().and_then(|c| c.of(key));
            for (col, category) in (1..).zip(Category::ALL) {
                let n = counts.get(category);
                let Some(counted) = counted else {
                    sheet.count(row, col, n, Tone::Plain)?;
                    continue;
                };
                let (key_cell, category_cell) = (format!("$A{}", row + 1), header_cell(col));
                let conditions = [
                    (l.cluster(), key_cell.as_str()),
                    (l.category(), &category_cell),
                ];
                let count = counted.count(&conditions);
                sheet.formula(row, col, &count, Total::Count(n), Tone::Plain)?;
            }
            let sum = format!("SUM({})", cell_range(row, 1, row, TOTAL_COL - 1));
            let total = Total::Count(counts.total());
            sheet.formula(row, TOTAL_COL, &sum, total, Tone::Plain)?;
        }
        Ok(())
    })?;
    Ok(sheet)
}

/// `D$1`: the header cell of column `col`, a category's label.
fn header_cell(col: ColNum) -> String {
    let cell = rust_xlsxwriter::row_col_to_cell(0, col);
    let digits = cell.find('1').expect("row 1");
    format!("{}${}", &cell[..digits], &cell[digits..])
}

/// Members by category in each cluster: one stacked bar per cluster, one colour
/// per category present, clusters top to bottom in the table's order.
fn members_chart(ctx: &Ctx<'_>, sheet: &str, clusters: RowNum) -> Chart {
    let totals = &ctx.report.members.totals;
    let mut chart = Chart::new(ChartType::BarStacked);
    for ((col, category), colour) in (1..).zip(Category::ALL).zip(PALETTE) {
        if totals.get(category) == 0 {
            continue;
        }
        chart::add_bars(&mut chart, sheet, col, clusters, colour).set_overlap(100);
    }
    chart::finish(
        &mut chart,
        ctx.labels.chart_members(),
        ctx.labels.members_axis(),
        "#,##0",
        chart::height(clusters),
    );
    chart
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::report::sample_report;

    #[test]
    fn members_by_category_has_the_mobility_row_and_formula_totals() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Soci per categoria");
        let header = range.rows().next().unwrap();
        assert_eq!(header[3], calamine::Data::String("PMI".into()));
        assert_eq!(header[8], calamine::Data::String("Totale".into()));
        let mobility = row_of(&range, "Mobilità");
        assert_eq!(
            floats(&mobility[1..]),
            [6.0, 20.0, 72.0, 5.0, 11.0, 7.0, 0.0, 121.0]
        );
        let totals = row_of(&range, "Totale");
        assert_eq!(
            floats(&totals[1..]),
            [6.0, 20.0, 112.0, 11.0, 11.0, 7.0, 1.0, 168.0]
        );
        let formulas = formulas(&report, "Soci per categoria");
        assert!(
            formulas.contains(&"SUBTOTAL(109,Soci_per_categoria[PMI])".to_string()),
            "{formulas:?}"
        );
        assert!(formulas.contains(&"SUM(B2:H2)".to_string()), "{formulas:?}");
    }

    /// The sample report with its members listed: one per count of the
    /// Mobilità row and of the Scienze della vita row.
    fn listed_report() -> crate::report::Report {
        use crate::category::Category;
        use crate::location::Location;
        use crate::normalise::members::Member;
        let mut report = sample_report();
        let mut list = Vec::new();
        for cluster in &report.members.by_cluster {
            for category in Category::ALL {
                for _ in 0..cluster.counts.get(category) {
                    let row = list.len() as u32 + 3;
                    list.push(Member {
                        member_id: format!("{:011}", row),
                        name: format!("Socio {row}"),
                        category,
                        cluster: cluster.cluster.clone(),
                        province: Some("MI".into()),
                        joined_on: chrono::NaiveDate::from_ymd_opt(2020, 3, 15),
                        left_on: None,
                        source: Location::cell("inputs/soci.xlsx", Some("Soci"), row, 0),
                    });
                }
            }
        }
        report.member_list = Some(list);
        report
    }

    #[test]
    fn listed_members_are_counted_by_formulas_over_the_member_sheet() {
        let report = listed_report();
        let formulas = formulas(&report, "Soci per categoria");
        assert!(
            formulas.contains(
                &"COUNTIFS(T_Soci[Cluster],\"=\"&$A2,T_Soci[Categoria],\"=\"&D$1)".to_string()
            ),
            "{formulas:?}"
        );
        let range = sheet(&report, Lang::It, "Soci per categoria");
        assert_eq!(
            floats(&row_of(&range, "Mobilità")[1..]),
            [6.0, 20.0, 72.0, 5.0, 11.0, 7.0, 0.0, 121.0]
        );
        let members = sheet(&report, Lang::It, "Soci");
        assert_eq!(
            header(&members),
            [
                "Codice socio",
                "Denominazione",
                "Categoria",
                "Cluster",
                "Provincia",
                "Data adesione",
                "Data recesso",
                "Cella di origine"
            ]
        );
        assert_eq!(members.height(), 1 + 168);
        let first = members.rows().nth(1).unwrap();
        assert_eq!(
            first[7],
            calamine::Data::String("inputs/soci.xlsx:Soci!A4".into())
        );
        // Nothing beside the table says the counts are values.
        assert!(matches!(
            range.get((4, 0)),
            None | Some(calamine::Data::Empty)
        ));
    }

    #[test]
    fn no_member_listed_leaves_values_and_no_formula_over_a_sheet_without_a_table() {
        let mut report = sample_report();
        report.member_list = Some(Vec::new());
        report.audit.projects.clear();
        for sheet in ["Soci per categoria", "Progetti per cluster"] {
            let formulas = formulas(&report, sheet);
            assert!(formulas.iter().all(|f| !f.contains("IFS(")), "{formulas:?}");
        }
        let range = sheet(&report, Lang::It, "Soci");
        assert_eq!(
            range.get((1, 0)),
            Some(&calamine::Data::String(
                "Nessun socio attivo alla data.".into()
            ))
        );
    }

    #[test]
    fn unlisted_members_are_counted_by_values_with_a_note_that_says_why() {
        use calamine::Reader;
        // The sample lists no member, as a report above the limit does.
        let report = sample_report();
        assert!(report.member_list.is_none());
        let bytes = render(&report, &options(Lang::En)).unwrap();
        let mut workbook = open(bytes);
        assert!(!workbook.sheet_names().contains(&"Members".to_string()));
        let range = workbook.worksheet_range("Members by category").unwrap();
        assert_eq!(
            range.get((4, 0)),
            Some(&calamine::Data::String(
                "Values, not formulas: above 100,000 members (here 168) the Members sheet \
                 is not written; every member is in the input files listed on the Sources sheet."
                    .into()
            ))
        );
        let formulas = workbook.worksheet_formula("Members by category").unwrap();
        assert!(formulas.rows().flatten().all(|f| !f.contains("COUNTIFS")));
    }

    #[test]
    fn the_table_covers_the_rows_and_the_totals() {
        let bytes = render(&sample_report(), &options(Lang::It)).unwrap();
        let table = part(&bytes, "xl/tables/table1.xml");
        assert!(table.contains("name=\"Soci_per_categoria\""), "{table}");
        assert!(table.contains("ref=\"A1:I4\""), "{table}");
        assert!(table.contains("totalsRowCount=\"1\""), "{table}");
        assert!(table.contains("totalsRowFunction=\"sum\""), "{table}");
        let mut workbook = open(bytes);
        workbook.load_tables().unwrap();
        let names = workbook.table_names_in_sheet("Soci per categoria");
        assert_eq!(names, ["Soci_per_categoria"]);
    }

    #[test]
    fn the_chart_has_a_series_per_category_present() {
        let bytes = render(&sample_report(), &options(Lang::It)).unwrap();
        let chart = part(&bytes, "xl/charts/chart1.xml");
        assert!(chart.contains("<c:grouping val=\"stacked\"/>"), "{chart}");
        // Six categories have members; "Altro" has one, so all seven are there.
        assert_eq!(chart.matches("<c:ser>").count(), 7);
        assert!(chart.contains("'Soci per categoria'!$A$2:$A$3"), "{chart}");
    }

    #[test]
    fn provinces_show_a_label_for_members_without_one() {
        let range = sheet(&sample_report(), Lang::It, "Soci per provincia");
        let missing = row_of(&range, "(non indicata)");
        assert_eq!(floats(&missing[1..]), [0.0; 8]);
        let totals = row_of(&range, "Totale");
        assert_eq!(floats(&totals[8..]), [168.0]);
    }
}
