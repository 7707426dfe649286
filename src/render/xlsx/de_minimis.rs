//! The de minimis sheet: each lead member whose de minimis financing over the
//! rolling years exceeds the ceiling, with its id, name and category, where the
//! window starts, the financing in it, the ceiling, the excess (marked as the
//! audit marks a breach) and the projects that count; a totals row sums the
//! financing and the excesses. Without any, a sentence says so, for an auditor
//! to see that there is nothing to report.

use super::sheet::{data_row, Sheet};
use super::style::{Kind, Tone};
use super::table::{Total, TotalCell};
use super::Ctx;
use crate::render::csv;
use crate::report::DeMinimisExcess;
use rust_xlsxwriter::{
    ColNum, ConditionalFormatCell, ConditionalFormatCellRule, RowNum, Workbook, XlsxError,
};

const FINANCING_COL: ColNum = 4;
/// The column of each member's excess over the ceiling.
pub(crate) const EXCESS_COL: ColNum = 6;

/// The row of the totals, below the members; `None` when no member is above
/// the ceiling, and the sheet says so on row 1 instead.
pub(crate) fn totals_row(ctx: &Ctx<'_>) -> Option<RowNum> {
    let members = &ctx.report.audit.de_minimis;
    (!members.is_empty()).then(|| ctx.shown(members.len(), 1).last_row() + 1)
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let members = &ctx.report.audit.de_minimis;
    let shown = ctx.shown(members.len(), 1);
    let last_row = shown.last_row();
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.de_minimis, last_row)?;
    sheet.header(
        0,
        &[
            l.member_id(),
            l.member_name(),
            l.category(),
            l.window_start(),
            l.de_minimis_financing(),
            l.de_minimis_limit(),
            l.excess(),
            l.projects(),
        ],
    );
    for (col, chars) in [(1, 40), (2, 30), (7, 50)] {
        sheet.limit(col, chars);
    }
    match totals_row(ctx) {
        None => sheet.note(1, 0, l.no_de_minimis(), &ctx.styles.note)?,
        Some(row) => {
            let financing = members.iter().map(|m| m.financing).sum();
            let excess = ctx.report.audit.de_minimis_excess();
            let cells = vec![
                (0, TotalCell::Label(l.total().to_string())),
                (FINANCING_COL, TotalCell::Sum(Total::Amount(financing))),
                (EXCESS_COL, TotalCell::Sum(Total::Amount(excess))),
            ];
            sheet.totals(row, shown.totals(cells));
            mark_excesses(&mut sheet, last_row, ctx)?;
        }
    }
    if let Some(note) = ctx.cut_note(shown, csv::DE_MINIMIS, true) {
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, member) in members.iter().take(shown.rows).enumerate() {
            write_row(sheet, data_row(i), member, ctx)?;
        }
        Ok(())
    })?;
    sheet.finish()
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    m: &DeMinimisExcess,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &m.member_id, Tone::Plain)?;
    sheet.text(row, 1, &m.name, Tone::Plain)?;
    let category = m.category.map(|c| c.label(ctx.lang));
    sheet.opt_text(row, 2, category, Tone::Plain)?;
    sheet.date(row, 3, Some(m.window_start), Kind::Date)?;
    sheet.amount(row, FINANCING_COL, m.financing)?;
    sheet.amount(row, FINANCING_COL + 1, m.limit)?;
    sheet.amount(row, EXCESS_COL, m.excess)?;
    sheet.text(row, EXCESS_COL + 1, &m.projects.join(", "), Tone::Plain)
}

/// Every excess in red, the format of a breach in the audit.
fn mark_excesses(sheet: &mut Sheet<'_>, last: RowNum, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let rule = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0))
        .set_format(&ctx.styles.alert);
    sheet
        .ws
        .add_conditional_format(1, EXCESS_COL, last, EXCESS_COL, &rule)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn each_member_above_the_ceiling_with_its_category_and_excess() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "De minimis");
        assert_eq!(
            header(&range),
            [
                "Codice socio",
                "Denominazione",
                "Categoria",
                "Inizio finestra",
                "Finanziamento de minimis",
                "Limite (EUR)",
                "Eccedenza (EUR)",
                "Progetti"
            ]
        );
        let alfa = row_of(&range, "01234567890");
        assert_eq!(alfa[1], Data::String("Alfa Meccanica S.r.l.".into()));
        assert_eq!(alfa[2], Data::String("PMI".into()));
        assert_eq!(floats(&alfa[4..7]), [310_000.0, 300_000.0, 10_000.0]);
        assert_eq!(
            alfa[7],
            Data::String("E42F20000010010, E42F20000010011".into())
        );
        let totals = row_of(&range, "Totale");
        assert_eq!(totals[4], Data::Float(310_000.0));
        assert_eq!(totals[6], Data::Float(10_000.0));
        assert_eq!(
            formulas(&report, "De minimis"),
            [
                "SUBTOTAL(109,De_minimis[Finanziamento de minimis])",
                "SUBTOTAL(109,De_minimis[Eccedenza (EUR)])"
            ]
        );
        let bytes = render(&report, &options(Lang::It)).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet7.xml");
        assert!(
            sheet.contains("<conditionalFormatting sqref=\"G2\">"),
            "{sheet}"
        );
        assert!(sheet.contains("orientation=\"landscape\""), "{sheet}");
    }

    #[test]
    fn no_member_above_the_ceiling_is_said_in_a_sentence() {
        let mut report = sample_report();
        report.audit.de_minimis.clear();
        let range = sheet(&report, Lang::En, "De minimis");
        assert_eq!(header(&range)[0], "Member id");
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String(
                "No member exceeds the de minimis ceiling over the rolling window.".into()
            ))
        );
    }
}
