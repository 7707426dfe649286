//! The summary sheet: the period's key figures. Each figure carries an internal
//! hyperlink to the cell that details it; where that cell holds the same figure
//! (a table's total), the figure is a formula pointing at it, so that Excel's
//! "trace precedents" leads there too. Breaches, errors and warnings are marked
//! by conditional formatting when there are any.
//! Beside each figure that has one, its change since the previous month, recomputed
//! from the same data. A period without active members or approved projects
//! says so in a sentence above the figures.

use super::measure::{amount_text, shown_width};
use super::sheet::{excel_date, Layout, Sheet};
use super::style::{Kind, Tone};
use super::table::Total;
use super::{audit, de_minimis, location, members, partners, projects, sources, Ctx};
use crate::money::{Cents, Ratio};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    cell_autofit_width, ColNum, ConditionalFormatCell, ConditionalFormatCellRule, Format, RowNum,
    Url, Workbook, XlsxError,
};

const LABEL_COL: ColNum = 0;
const FIGURE_COL: ColNum = 1;
const CHANGE_COL: ColNum = 2;
/// The row of the first figure, below the title, the issuer and the header.
pub(crate) const FIRST_ROW: RowNum = 4;
/// The row, between the issuer and the header, that says what a period
/// without members or projects lacks.
const EMPTINESS_ROW: RowNum = 2;

/// A key figure's value.
#[derive(Debug, Clone, Copy)]
enum Figure {
    Month(NaiveDate),
    Date(NaiveDate),
    Count(u64),
    Amount(Cents),
    Ratio(Option<Ratio>),
}

/// A figure's change since the previous month.
#[derive(Debug, Clone, Copy)]
enum Change {
    Count(i64),
    Amount(Cents),
    /// In ten-thousandths of the ratio; `None` when either month has no value.
    Ratio(Option<i64>),
}

/// How a figure is marked when it is above zero.
#[derive(Debug, Clone, Copy)]
enum Mark {
    None,
    Alert,
    Caution,
}

/// A key figure and the cell that details it.
struct Kpi<'a> {
    label: &'static str,
    figure: Figure,
    sheet: &'a str,
    cell: (RowNum, ColNum),
    /// Whether that cell holds this very figure, so the figure can be a formula.
    same: bool,
    mark: Mark,
    change: Option<Change>,
}

impl<'a> Kpi<'a> {
    /// A figure that is the value of the cell at `cell`: a table's total.
    fn same(label: &'static str, figure: Figure, sheet: &'a str, cell: (RowNum, ColNum)) -> Self {
        Kpi {
            label,
            figure,
            sheet,
            cell,
            same: true,
            mark: Mark::None,
            change: None,
        }
    }

    /// A figure that the cell at `cell` leads to: a column or a list to look at.
    fn see(label: &'static str, figure: Figure, sheet: &'a str, cell: (RowNum, ColNum)) -> Self {
        Kpi {
            same: false,
            ..Kpi::same(label, figure, sheet, cell)
        }
    }

    fn marked(self, mark: Mark) -> Self {
        Kpi { mark, ..self }
    }

    fn changed(self, change: Change) -> Self {
        Kpi {
            change: Some(change),
            ..self
        }
    }
}

fn kpis<'a>(ctx: &'a Ctx<'_>) -> Vec<Kpi<'a>> {
    use Figure::{Amount, Count, Date, Month, Ratio};
    let (r, l, s) = (ctx.report, &ctx.labels, &ctx.sheets);
    let (p, counts) = (&r.projects, r.issue_counts());
    let (period_row, as_of_row) = sources::fact_rows(ctx);
    let total = projects::totals_row(ctx);
    let members_total = (members::totals_row(ctx), members::TOTAL_COL);
    let (approved, status) = ((0, audit::APPROVED_COL), (0, audit::STATUS_COL));
    let breaches = r.audit.breaches().count() as u64;
    let near = r.audit.near_breaches().count() as u64;
    let change = r.change();
    vec![
        Kpi::see(
            l.period(),
            Month(r.period.first_day()),
            &s.sources,
            (period_row, sources::FACT_COL),
        ),
        Kpi::see(
            l.as_of(),
            Date(r.as_of),
            &s.sources,
            (as_of_row, sources::FACT_COL),
        ),
        Kpi::same(
            l.members_total(),
            Count(r.members.total()),
            &s.by_category,
            members_total,
        )
        .changed(Change::Count(change.members)),
        Kpi::same(
            l.projects_count(),
            Count(p.portfolio.count),
            &s.by_cluster,
            (total, projects::COUNT_COL),
        )
        .changed(Change::Count(change.projects)),
        Kpi::same(
            l.project_value(),
            Amount(p.portfolio.value),
            &s.by_cluster,
            (total, projects::VALUE_COL),
        )
        .changed(Change::Amount(change.value)),
        Kpi::same(
            l.financing(),
            Amount(p.portfolio.financing),
            &s.by_cluster,
            (total, projects::FINANCING_COL),
        )
        .changed(Change::Amount(change.financing)),
        Kpi::same(
            l.financing_ratio(),
            Ratio(p.portfolio.ratio()),
            &s.by_cluster,
            (total, projects::RATIO_COL),
        )
        .changed(Change::Ratio(change.ratio_basis_points)),
        Kpi::see(
            l.projects_in_period(),
            Count(p.in_period.count),
            &s.audit,
            approved,
        ),
        Kpi::see(
            l.financing_in_period(),
            Amount(p.in_period.financing),
            &s.audit,
            approved,
        ),
        Kpi::see(
            l.projects_year_to_date(),
            Count(p.year_to_date.count),
            &s.audit,
            approved,
        ),
        Kpi::see(
            l.financing_year_to_date(),
            Amount(p.year_to_date.financing),
            &s.audit,
            approved,
        ),
        Kpi::see(l.breaches(), Count(breaches), &s.audit, status)
            .marked(Mark::Alert)
            .changed(Change::Count(change.breaches)),
        Kpi::same(
            l.to_recover(),
            Amount(r.audit.total_excess()),
            &s.audit,
            (audit::totals_row(ctx), audit::EXCESS_COL),
        )
        .marked(Mark::Alert),
        Kpi::see(l.near_cap_count(), Count(near), &s.audit, status).marked(Mark::Caution),
        Kpi::see(
            l.partner_breaches(),
            Count(r.audit.partner_breaches().count() as u64),
            &s.partners,
            (0, partners::STATUS_COL),
        )
        .marked(Mark::Alert),
        Kpi::see(
            l.de_minimis_excesses(),
            Count(r.audit.de_minimis.len() as u64),
            &s.de_minimis,
            (0, 0),
        )
        .marked(Mark::Alert),
        de_minimis_excess(ctx).marked(Mark::Alert),
        Kpi::see(l.errors(), Count(counts.errors as u64), &s.issues, (0, 0)).marked(Mark::Alert),
        Kpi::see(
            l.warnings(),
            Count(counts.warnings as u64),
            &s.issues,
            (0, 0),
        )
        .marked(Mark::Caution),
    ]
}

/// The de minimis financing above the ceiling: the de minimis sheet's total,
/// or, without a member above it, that sheet's sentence saying so.
fn de_minimis_excess<'a>(ctx: &'a Ctx<'_>) -> Kpi<'a> {
    let (label, sheet) = (ctx.labels.de_minimis_over(), &ctx.sheets.de_minimis);
    let figure = Figure::Amount(ctx.report.audit.de_minimis_excess());
    match de_minimis::totals_row(ctx) {
        Some(row) => Kpi::same(label, figure, sheet, (row, de_minimis::EXCESS_COL)),
        None => Kpi::see(label, figure, sheet, (1, 0)),
    }
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let layout = Layout {
        table: None,
        frozen_cols: 0,
        print_header: ctx.print_header(),
    };
    let mut sheet = Sheet::add(workbook, &ctx.sheets.summary, &ctx.styles, layout, false)?;
    let title = format!("{} – {}", l.report_title(), ctx.report.subject);
    sheet.note(0, 0, &title, &ctx.styles.title)?;
    sheet.note(1, 0, &ctx.report.issuer, &ctx.styles.note)?;
    if let Some(emptiness) = ctx.report.emptiness() {
        sheet.note(EMPTINESS_ROW, 0, l.emptiness(emptiness), &ctx.styles.note)?;
    }
    let change_title = format!("{} {}", l.change_since(), ctx.report.previous.period);
    sheet.header(FIRST_ROW - 1, &[l.kpi(), l.value(), &change_title]);
    for (row, kpi) in (FIRST_ROW..).zip(kpis(ctx)) {
        let target = location(kpi.sheet, kpi.cell.0, kpi.cell.1);
        let tip = format!("{} {target}", l.detail_in());
        sheet.link(row, LABEL_COL, kpi.label, &target, &tip)?;
        write_figure(&mut sheet, row, &kpi, &target, &tip)?;
        write_change(&mut sheet, row, kpi.change)?;
        mark(&mut sheet, row, kpi.mark)?;
    }
    sheet.finish()
}

/// The figure with its hyperlink: the link is written first and the figure over it,
/// which keeps the link on a number or formula cell.
fn write_figure(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    kpi: &Kpi<'_>,
    target: &str,
    tip: &str,
) -> Result<(), XlsxError> {
    let url = Url::new(format!("internal:{target}"))
        .set_text(target)
        .set_tip(tip);
    sheet.ws.write_url(row, FIGURE_COL, url)?;
    let (kind, shown, total) = match kpi.figure {
        Figure::Month(_) => (Kind::Month, "settembre 2026".to_string(), None),
        Figure::Date(_) => (Kind::DateFigure, "30/11/2026".to_string(), None),
        Figure::Count(n) => (Kind::Count, n.to_string(), Some(Total::Count(n))),
        Figure::Amount(a) => (Kind::Amount, amount_text(a), Some(Total::Amount(a))),
        Figure::Ratio(Some(r)) => (Kind::Ratio, r.english_percent(), Some(Total::Ratio(r))),
        Figure::Ratio(None) => (Kind::Ratio, String::new(), None),
    };
    sheet.fit(
        FIGURE_COL,
        shown_width(&shown, Tone::Plain).max(cell_autofit_width(&shown)),
    );
    let format: Format = sheet.styles.cell(kind, Tone::Plain).clone();
    match (kpi.figure, total) {
        (_, Some(total)) if kpi.same => {
            sheet.formula(row, FIGURE_COL, &format!("={target}"), total, Tone::Plain)
        }
        (Figure::Month(date) | Figure::Date(date), _) => {
            sheet
                .ws
                .write_datetime_with_format(row, FIGURE_COL, excel_date(date)?, &format)?;
            Ok(())
        }
        (Figure::Count(n), _) => sheet.count(row, FIGURE_COL, n, Tone::Plain),
        (Figure::Amount(amount), _) => sheet.amount(row, FIGURE_COL, amount),
        (Figure::Ratio(ratio), _) => sheet.ratio(row, FIGURE_COL, ratio),
    }
}

/// The change since the previous month, signed: `+12`, `-3.994,00 €`, `+0,18%`.
fn write_change(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    change: Option<Change>,
) -> Result<(), XlsxError> {
    let (value, num_format, shown) = match change {
        None | Some(Change::Ratio(None)) => return Ok(()),
        Some(Change::Count(n)) => (n as f64, "+#,##0;-#,##0;0", format!("+{n}")),
        Some(Change::Amount(a)) => (
            a.as_euros_f64(),
            "+#,##0.00 \"€\";-#,##0.00 \"€\";0.00 \"€\"",
            format!("+{}", amount_text(a)),
        ),
        Some(Change::Ratio(Some(bp))) => (
            bp as f64 / 10_000.0,
            "+0.00%;-0.00%;0.00%",
            "+00,00%".into(),
        ),
    };
    sheet.fit(CHANGE_COL, shown_width(&shown, Tone::Plain));
    let format = Format::new().set_num_format(num_format);
    sheet
        .ws
        .write_number_with_format(row, CHANGE_COL, value, &format)?;
    Ok(())
}

/// Red or amber when the count is above zero.
fn mark(sheet: &mut Sheet<'_>, row: RowNum, mark: Mark) -> Result<(), XlsxError> {
    let format = match mark {
        Mark::None => return Ok(()),
        Mark::Alert => &sheet.styles.alert,
        Mark::Caution => &sheet.styles.caution,
    };
    let rule = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0))
        .set_format(format);
    sheet
        .ws
        .add_conditional_format(row, FIGURE_COL, row, FIGURE_COL, &rule)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn figures_are_the_models_and_point_at_their_detail() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Sintesi");
        let figure = |label: &str| row_of(&range, label)[1].clone();
        assert_eq!(figure("Soci attivi"), Data::Float(168.0));
        assert_eq!(figure("Progetti approvati"), Data::Float(3.0));
        assert_eq!(figure("Valore progetto"), Data::Float(658_500.0));
        assert_eq!(figure("Finanziamento"), Data::Float(414_944.0));
        assert_eq!(figure("Superamenti del tetto"), Data::Float(1.0));
        assert_eq!(figure("Finanziamento da recuperare"), Data::Float(3_994.0));
        assert_eq!(
            figure("Partner oltre il tetto della propria categoria"),
            Data::Float(0.0)
        );
        assert_eq!(figure("Soci oltre il limite de minimis"), Data::Float(1.0));
        assert_eq!(
            figure("Finanziamento oltre il limite de minimis"),
            Data::Float(10_000.0)
        );
        assert_eq!(figure("Errori"), Data::Float(1.0));
        assert_eq!(figure("Avvisi"), Data::Float(1.0));
        let change = |label: &str| row_of(&range, label)[2].clone();
        assert_eq!(change("Soci attivi"), Data::Float(47.0));
        assert_eq!(change("Valore progetto"), Data::Float(158_500.0));
        assert_eq!(change("Errori"), Data::Empty);
        let formulas = formulas(&report, "Sintesi");
        assert_eq!(
            formulas,
            [
                "'Soci per categoria'!I4",
                "'Progetti per cluster'!B4",
                "'Progetti per cluster'!C4",
                "'Progetti per cluster'!D4",
                "'Progetti per cluster'!E4",
                "'Controllo finanziamenti'!R5",
                "'De minimis'!G3"
            ]
        );
    }

    #[test]
    fn every_label_and_every_figure_is_an_internal_link() {
        let bytes = render(&sample_report(), &options(Lang::It)).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert_eq!(sheet.matches("<hyperlink ").count(), 38, "{sheet}");
        assert!(
            sheet.contains("<hyperlink ref=\"B7\" location=\"'Soci per categoria'!I4\""),
            "{sheet}"
        );
        assert!(
            sheet.contains("<hyperlink ref=\"B22\" location=\"Anomalie!A1\""),
            "{sheet}"
        );
        assert!(sheet.contains("<c r=\"B7\" s=\""), "{sheet}");
        assert!(
            sheet.contains("<f>'Soci per categoria'!I4</f><v>168</v>"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<hyperlink ref=\"B19\" location=\"'Controllo partner'!K1\""),
            "{sheet}"
        );
        assert!(
            sheet.contains("<hyperlink ref=\"B20\" location=\"'De minimis'!A1\""),
            "{sheet}"
        );
        assert_eq!(sheet.matches("<cfRule type=\"cellIs\"").count(), 8);
    }
}
