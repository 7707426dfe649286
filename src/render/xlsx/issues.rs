//! The issues sheet: every problem found in the inputs, with its file, sheet, cell
//! and row, the value as found, what is wrong and the likely fix; as many as
//! the sheet holds, with a note naming `issues.csv` for the rest ([`cut`](super::cut)).

use super::sheet::{data_row, Sheet};
use super::style::{Kind, Tone};
use super::Ctx;
use crate::issues::{Issue, Severity};
use crate::labels::Labels;
use crate::render::csv;
use rust_xlsxwriter::{RowNum, Workbook, XlsxError};

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let issues = &ctx.report.issues;
    let shown = ctx.shown(issues.len(), 0);
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.issues, shown.last_row())?;
    sheet.header(
        0,
        &[
            l.severity(),
            l.file(),
            l.sheet(),
            l.cell(),
            l.row(),
            l.value(),
            l.message(),
            l.suggestion(),
        ],
    );
    for (col, chars) in [(1, 40), (2, 24), (5, 30), (6, 60), (7, 30)] {
        sheet.limit(col, chars);
    }
    if issues.is_empty() {
        sheet.note(1, 0, l.no_issues(), &ctx.styles.note)?;
    }
    if let Some(note) = ctx.cut_note(shown, csv::ISSUES, false) {
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    sheet.write(|sheet| {
        for (i, issue) in issues.iter().take(shown.rows).enumerate() {
            write_row(sheet, data_row(i), issue, l)?;
        }
        Ok(())
    })?;
    sheet.finish()
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    issue: &Issue,
    l: &Labels,
) -> Result<(), XlsxError> {
    let (severity, tone) = match issue.severity {
        Severity::Error => (l.severity_error(), Tone::Alert),
        Severity::Warning => (l.severity_warning(), Tone::Caution),
    };
    let location = &issue.location;
    sheet.text(row, 0, severity, tone)?;
    sheet.text(row, 1, &location.file, Tone::Plain)?;
    sheet.opt_text(row, 2, location.sheet.as_deref(), Tone::Plain)?;
    let cell = location.col.and_then(|_| location.cell_ref());
    sheet.opt_text(row, 3, cell.as_deref(), Tone::Plain)?;
    match location.row_number() {
        Some(number) => sheet.number(row, 4, f64::from(number), Kind::Number, Tone::Plain)?,
        None => sheet.blank(row, 4, Kind::Number, Tone::Plain)?,
    }
    sheet.opt_text(row, 5, issue.value.as_deref(), Tone::Plain)?;
    sheet.text(row, 6, issue.message.get(l.lang), Tone::Plain)?;
    sheet.opt_text(row, 7, issue.suggestion.as_deref(), Tone::Plain)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::Lang;
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn issues_carry_file_sheet_and_cell() {
        let issues = sheet(&sample_report(), Lang::It, "Anomalie");
        let error = row_of(&issues, "Errore");
        assert_eq!(error[1], Data::String("inputs/soci.xlsx".into()));
        assert_eq!(error[2], Data::String("Soci".into()));
        assert_eq!(error[3], Data::String("D1204".into()));
        assert_eq!(error[4], Data::Float(1204.0));
        assert_eq!(error[5], Data::String("Aerospazo".into()));
        assert_eq!(error[7], Data::String("Aerospazio".into()));
        let warning = row_of(&issues, "Avviso");
        assert_eq!(warning[3], Data::Empty, "a whole-row issue has no cell");
        assert_eq!(warning[4], Data::Float(89.0));
    }

    #[test]
    fn a_message_of_thousands_of_lines_gets_the_tallest_row_excel_allows() {
        let mut report = sample_report();
        let long = "parola ".repeat(6_000);
        report.issues[0].message = crate::text::Text::new(long.clone(), long);
        let bytes = super::super::render(&report, &options(Lang::It)).unwrap();
        let issues = part(&bytes, "xl/worksheets/sheet9.xml");
        // 409 points in whole pixels, as rust_xlsxwriter keeps a height.
        assert!(
            issues.contains(r#" ht="408.75" customHeight="1""#),
            "{issues}"
        );
        let range = sheet(&report, Lang::It, "Anomalie");
        let longest = range.rows().map(|row| match &row[6] {
            Data::String(s) => s.chars().count(),
            _ => 0,
        });
        assert_eq!(
            longest.max(),
            Some(32_767),
            "the message, cut to Excel's limit"
        );
    }

    #[test]
    fn no_issues_is_said_in_words() {
        let mut report = sample_report();
        report.issues.clear();
        let issues = sheet(&report, Lang::En, "Issues");
        assert_eq!(
            issues.get((1, 0)),
            Some(&Data::String("No issues in the data.".into()))
        );
    }
}
