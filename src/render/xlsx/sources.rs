//! The sources sheet: each input with its kind, rows read and rejected and its
//! SHA-256, the configuration file with its SHA-256, and below them the run's
//! period, as-of date and version.

use super::sheet::{data_row, Sheet};
use super::style::{Kind, Tone};
use super::Ctx;
use crate::labels::Labels;
use crate::report::InputSummary;
use rust_xlsxwriter::{
    ColNum, ConditionalFormatCell, ConditionalFormatCellRule, RowNum, Workbook, XlsxError,
};

const REJECTED_COL: ColNum = 3;
/// The column of the facts' values.
pub(crate) const FACT_COL: ColNum = 1;
/// How far below the inputs table the facts start, in rows: one is left empty.
const FACTS_BELOW_TABLE: RowNum = 2;

/// The last row of the inputs table (the configuration's row when there is one).
fn last_input_row(ctx: &Ctx<'_>) -> RowNum {
    let last = data_row(ctx.report.inputs.len()) - 1;
    last + RowNum::from(ctx.report.config.is_some())
}

/// The rows of the period and of the as-of date, below the table.
pub(crate) fn fact_rows(ctx: &Ctx<'_>) -> (RowNum, RowNum) {
    let first = last_input_row(ctx) + FACTS_BELOW_TABLE + RowNum::from(ctx.report.config.is_none());
    (first, first + 1)
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, report) = (&ctx.labels, ctx.report);
    let last = last_input_row(ctx);
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.sources, last)?;
    sheet.header(
        0,
        &[
            l.file(),
            l.kind(),
            l.rows_read(),
            l.rows_rejected(),
            l.sha256(),
        ],
    );
    sheet.limit(0, 60);
    sheet.limit(4, 66);
    if !report.inputs.is_empty() {
        let rejected = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(0))
            .set_format(&ctx.styles.caution);
        let end = data_row(report.inputs.len()) - 1;
        sheet
            .ws
            .add_conditional_format(1, REJECTED_COL, end, REJECTED_COL, &rejected)?;
    }
    sheet.write(|sheet| {
        for (i, input) in report.inputs.iter().enumerate() {
            write_input_row(sheet, data_row(i), input, l, true)?;
        }
        if let Some(config) = &report.config {
            write_input_row(sheet, last, config, l, false)?;
        }
        write_facts(sheet, ctx, last + FACTS_BELOW_TABLE)
    })?;
    sheet.finish()
}

/// The configuration (when none was used), the period, the as-of date and the version.
fn write_facts(sheet: &mut Sheet<'_>, ctx: &Ctx<'_>, first: RowNum) -> Result<(), XlsxError> {
    let (l, report) = (&ctx.labels, ctx.report);
    let mut row = first;
    if report.config.is_none() {
        sheet.label(row, 0, l.config())?;
        sheet.note(row, FACT_COL, l.none(), &ctx.styles.plain)?;
        row += 1;
    }
    debug_assert_eq!(fact_rows(ctx).0, row);
    sheet.label(row, 0, l.period())?;
    sheet.date(row, FACT_COL, Some(report.period.first_day()), Kind::Month)?;
    sheet.label(row + 1, 0, l.as_of())?;
    sheet.date(row + 1, FACT_COL, Some(report.as_of), Kind::DateFigure)?;
    sheet.label(row + 2, 0, l.version())?;
    let version = format!("consolida {}", report.version);
    sheet.note(row + 2, FACT_COL, &version, &ctx.styles.plain)
}

fn write_input_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    input: &InputSummary,
    l: &Labels,
    with_rows: bool,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &input.path, Tone::Plain)?;
    sheet.text(row, 1, l.input_kind(input.kind), Tone::Plain)?;
    if with_rows {
        sheet.count(row, 2, input.rows, Tone::Plain)?;
        sheet.count(row, REJECTED_COL, input.rejected, Tone::Plain)?;
    } else {
        sheet.blank(row, 2, Kind::Count, Tone::Plain)?;
        sheet.blank(row, REJECTED_COL, Kind::Count, Tone::Plain)?;
    }
    sheet.text(row, 4, &input.sha256, Tone::Plain)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::Lang;
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn inputs_and_the_run_are_listed() {
        let report = sample_report();
        let sources = sheet(&report, Lang::It, "Fonti");
        let members = row_of(&sources, "inputs/soci.xlsx");
        assert_eq!(
            members[1..4],
            [
                Data::String("Soci".into()),
                Data::Float(1512.0),
                Data::Float(2.0)
            ]
        );
        assert_eq!(members[4], Data::String("ab".repeat(32)));
        assert_eq!(
            row_of(&sources, "inputs/consolida.toml")[1],
            Data::String("Configurazione".into())
        );
        let period = row_of(&sources, "Periodo");
        assert!(
            matches!(&period[1], Data::DateTime(d) if d.as_f64() == 46_327.0),
            "{period:?}"
        );
        let version = row_of(&sources, "Versione");
        assert_eq!(
            version[1],
            Data::String(format!("consolida {}", env!("CARGO_PKG_VERSION")))
        );
    }

    #[test]
    fn without_a_configuration_it_says_none() {
        let mut report = sample_report();
        report.config = None;
        let sources = sheet(&report, Lang::En, "Sources");
        assert_eq!(
            row_of(&sources, "Configuration")[1],
            Data::String("none".into())
        );
        assert!(matches!(row_of(&sources, "Period")[1], Data::DateTime(_)));
    }
}
