//! The movements sheet: who joined and who left in each month of the trend,
//! one row per member and move (month, joined or left, member id, name,
//! cluster, category), in the model's order: by month, then cluster, then
//! member id. Its counts are the trend's joined and left figures.

use super::cut::Shown;
use super::rows::Xfs;
use super::sheet::{data_row, Sheet};
use super::spliced::{rows_ahead, SplicedSheet};
use super::style::{Kind, Tone};
use super::Ctx;
use crate::labels::Labels;
use crate::report::monitoring::{MemberMove, MoveKind};
use rust_xlsxwriter::{ColNum, RowNum, Workbook, XlsxError};

/// The table's last column, the member's category.
const LAST_COL: ColNum = 5;

/// How many moves the sheet shows.
pub(crate) fn shown(ctx: &Ctx<'_>) -> Shown {
    ctx.shown(ctx.report.monitoring.trend.moves.len(), 0)
}

/// Adds the movements sheet to `workbook`; when it is large and `xfs` given,
/// its rows are written apart and returned, for the saved package.
pub(crate) fn write(
    workbook: &mut Workbook,
    ctx: &Ctx<'_>,
    xfs: Option<&Xfs>,
) -> Result<Option<SplicedSheet>, XlsxError> {
    let name = &ctx.sheets.movements;
    let shown = shown(ctx);
    let last_row = shown.last_row();
    let spliced = match ctx.splices(last_row, xfs) {
        Some(xfs) => {
            let level = super::ZIP_LEVEL.into();
            let layout = ctx.table_layout(last_row);
            let (rows, measured) = rows_ahead(
                ctx,
                xfs,
                level,
                name,
                layout,
                |sheet| declare(sheet, ctx),
                |sheet| write_rows(sheet, ctx, shown),
            )?;
            let mut sheet = ctx.table_sheet(workbook, name, last_row)?;
            declare(&mut sheet, ctx)?;
            sheet.write_without_rows(measured)?;
            sheet.finish()?;
            Some(SplicedSheet::new(name, shown, LAST_COL, false, rows))
        }
        None => {
            let mut sheet = ctx.table_sheet(workbook, name, last_row)?;
            declare(&mut sheet, ctx)?;
            sheet.write(|sheet| write_rows(sheet, ctx, shown))?;
            sheet.finish()?;
            None
        }
    };
    Ok(spliced)
}

/// The header, the column limits, and the note of an empty list.
fn declare(sheet: &mut Sheet<'_>, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    sheet.header(
        0,
        &[
            l.month(),
            l.movement(),
            l.member_id(),
            l.member_name(),
            l.cluster(),
            l.category(),
        ],
    );
    for (col, chars) in [(3, 40), (4, 36), (5, 30)] {
        sheet.limit(col, chars);
    }
    if ctx.report.monitoring.trend.moves.is_empty() {
        sheet.note(1, 0, l.no_moves(), &ctx.styles.note)?;
    }
    Ok(())
}

/// The moves the sheet shows and, below them when that is not all of them,
/// the note that says so.
fn write_rows(sheet: &mut Sheet<'_>, ctx: &Ctx<'_>, shown: Shown) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let moves = &ctx.report.monitoring.trend.moves;
    for (i, m) in moves.iter().take(shown.rows).enumerate() {
        write_row(sheet, data_row(i), m, ctx, l)?;
    }
    if shown.is_cut() {
        let note = l.rows_not_shown(shown.left_out as u64, shown.rows as u64);
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    Ok(())
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    m: &MemberMove,
    ctx: &Ctx<'_>,
    l: &Labels,
) -> Result<(), XlsxError> {
    sheet.date(row, 0, Some(m.month.first_day()), Kind::MonthCell)?;
    let kind = match m.kind {
        MoveKind::Joined => l.member_joined(),
        MoveKind::Left => l.member_left(),
    };
    sheet.text(row, 1, kind, Tone::Plain)?;
    sheet.text(row, 2, &m.member_id, Tone::Plain)?;
    sheet.text(row, 3, &m.name, Tone::Plain)?;
    sheet.text(row, 4, &m.cluster, Tone::Plain)?;
    sheet.text(row, 5, m.category.label(ctx.lang), Tone::Plain)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::Lang;
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn every_move_is_a_row_in_the_models_order() {
        let range = sheet(&monitored_report(), Lang::En, "Movements");
        let header = header(&range);
        assert_eq!(
            header,
            [
                "Month",
                "Movement",
                "Member id",
                "Name",
                "Cluster",
                "Category"
            ]
        );
        let rows: Vec<Vec<Data>> = range.rows().skip(1).map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 8);
        assert!(matches!(rows[0][0], Data::DateTime(_)), "{:?}", rows[0][0]);
        let texts = |r: &[Data]| r[1..].iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            texts(&rows[2]),
            ["Left", "M0", "Socio M0", "Mobilità", "Other"]
        );
        assert_eq!(
            texts(&rows[7]),
            ["Joined", "S3", "Socio S3", "Scienze della vita", "SMEs"]
        );
    }

    #[test]
    fn without_moves_the_sheet_says_so() {
        let range = sheet(&sample_report(), Lang::It, "Movimenti");
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String(
                "Nessun socio è entrato o uscito nei mesi dell'andamento.".into()
            ))
        );
    }
}
