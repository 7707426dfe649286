//! The member sheet: every member counted at the period's last day, one row
//! each (id, name, category, cluster, province, the dates they joined and left,
//! and the cell they were read from), for the members-by-category table to
//! count with `COUNTIFS` over ([`countifs`](super::countifs)). Written only
//! while the report lists them ([`DETAIL_ROWS`](crate::report::DETAIL_ROWS));
//! above that, the table's note says where they are.

use super::sheet::data_row;
use super::style::{Kind, Tone};
use super::Ctx;
use crate::normalise::members::Member;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, XlsxError};

// Every member listed fits on the sheet.
const _: () = assert!(crate::report::DETAIL_ROWS < super::cut::SHEET_ROWS as usize);

/// The columns the members-by-category table counts by.
pub(crate) const CATEGORY_COL: ColNum = 2;
pub(crate) const CLUSTER_COL: ColNum = 3;

/// The members the sheet lists, when the report lists them.
pub(crate) fn listed<'r>(ctx: &Ctx<'r>) -> Option<&'r [Member]> {
    ctx.report.member_list.as_deref()
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let Some(members) = listed(ctx) else {
        return Ok(());
    };
    let l = &ctx.labels;
    let last_row = data_row(members.len()) - 1;
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.members, last_row)?;
    sheet.header(0, &titles(ctx));
    for (col, chars) in [(1, 40), (CLUSTER_COL, 24), (7, 34)] {
        sheet.limit(col, chars);
    }
    if members.is_empty() {
        sheet.note(1, 0, l.no_members(), &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, member) in members.iter().enumerate() {
            write_row(sheet, data_row(i), member, ctx)?;
        }
        Ok(())
    })?;
    sheet.finish()
}

/// The column titles; the table counts by those of [`CATEGORY_COL`] and [`CLUSTER_COL`].
pub(crate) fn titles(ctx: &Ctx<'_>) -> [&'static str; 8] {
    let l = &ctx.labels;
    [
        l.member_id(),
        l.member_name(),
        l.category(),
        l.cluster(),
        l.province(),
        l.joined_on(),
        l.left_on(),
        l.source_cell(),
    ]
}

fn write_row(
    sheet: &mut super::sheet::Sheet<'_>,
    row: RowNum,
    m: &Member,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &m.member_id, Tone::Plain)?;
    sheet.text(row, 1, &m.name, Tone::Plain)?;
    sheet.text(row, CATEGORY_COL, m.category.label(ctx.lang), Tone::Plain)?;
    sheet.text(row, CLUSTER_COL, &m.cluster, Tone::Plain)?;
    sheet.opt_text(row, 4, m.province.as_deref(), Tone::Plain)?;
    sheet.date(row, 5, m.joined_on, Kind::Date)?;
    sheet.date(row, 6, m.left_on, Kind::Date)?;
    sheet.text(row, 7, &m.source.to_string(), Tone::Plain)
}
