//! The financing audit: every project of the portfolio with its lead member (id,
//! name, category), its value, financing and ratio, the cap that applied and the
//! rule that set it (its label, or its terms in words), the verdict and, for a
//! breach, the limit exceeded, and the headroom and the excess in EUR, each in a
//! column of its own. Its totals row sums the excesses, the total to recover,
//! which the summary sheet's figure points at. Conditional formatting marks breaches in red and projects near their
//! cap in amber, keyed on the verdict column so that the marks always agree with
//! the model (and with the PDF).

use super::cut::Shown;
use super::rows::Xfs;
use super::sheet::{data_row, Measured, Sheet};
use super::splice::CompressedRows;
use super::spliced::{rows_ahead, SplicedSheet};
use super::style::{Kind, Tone};
use super::table::{Total, TotalCell};
use super::Ctx;
use crate::labels::{Labels, Lang};
use crate::render::{cap_rule, csv};
use crate::report::{AppliedCap, AuditStatus, ProjectAudit, Verdict};
use rust_xlsxwriter::{
    cell_range, row_col_to_cell, ColNum, ConditionalFormatFormula, RowNum, Workbook, Worksheet,
    XlsxError,
};
use rustc_hash::FxHashMap;

pub(crate) const APPROVED_COL: ColNum = 4;
const LEAD_ID_COL: ColNum = 5;
const RATIO_COL: ColNum = 10;
const RULE_COL: ColNum = 13;
pub(crate) const STATUS_COL: ColNum = 14;
pub(crate) const EXCESS_COL: ColNum = 17;
const LAST_COL: ColNum = 18;

/// What is done with a large audit before the workbook is assembled, beside
/// the other sheets: its rows written, compressed and measured when they go
/// into the saved package ([`Ahead::Rows`]), else its cells measured
/// ([`Ahead::Measured`], `None` for a sheet written in memory).
pub(crate) enum Ahead {
    Rows(CompressedRows, Measured),
    Measured(Option<Measured>),
}

/// The audit's rows when they are spliced into the saved package (`xfs`, the
/// cells' formats, registered; at `level`), else its measurement.
pub(crate) fn ahead(ctx: &Ctx<'_>, xfs: Option<&Xfs>, level: u32) -> Result<Ahead, XlsxError> {
    let last_row = last_row(ctx);
    let Some(xfs) = ctx.splices(last_row, xfs) else {
        return measure(ctx).map(Ahead::Measured);
    };
    let rule_texts = rule_texts(ctx);
    let (rows, measured) = rows_ahead(
        ctx,
        xfs,
        level,
        &ctx.sheets.audit,
        ctx.table_layout(last_row),
        |sheet| declare(sheet, last_row, ctx),
        |sheet| write_rows(sheet, &rule_texts, ctx),
    )?;
    Ok(Ahead::Rows(rows, measured))
}

/// Adds the audit sheet to `workbook` with its rows, or, for rows written
/// ahead ([`ahead`]), without them: [`splice`](super::splice) puts them into
/// the saved package.
pub(crate) fn write(
    workbook: &mut Workbook,
    ctx: &Ctx<'_>,
    ahead: Ahead,
) -> Result<Option<SplicedSheet>, XlsxError> {
    let last_row = last_row(ctx);
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.audit, last_row)?;
    declare(&mut sheet, last_row, ctx)?;
    let spliced = match ahead {
        Ahead::Rows(rows, measured) => {
            sheet.write_without_rows(measured)?;
            let name = &ctx.sheets.audit;
            Some(SplicedSheet::new(name, shown(ctx), LAST_COL, true, rows))
        }
        Ahead::Measured(measured) => {
            let rule_texts = rule_texts(ctx);
            sheet.write_measured(measured, |sheet| write_rows(sheet, &rule_texts, ctx))?;
            None
        }
    };
    sheet.finish()?;
    Ok(spliced)
}

/// How many projects the audit's sheet shows, above its totals row.
pub(crate) fn shown(ctx: &Ctx<'_>) -> Shown {
    ctx.shown(ctx.report.audit.projects.len(), 1)
}

/// The audit's totals row, whose excess is the total to recover.
pub(crate) fn totals_row(ctx: &Ctx<'_>) -> RowNum {
    last_row(ctx) + 1
}

/// The last row of the audit's table (0, the header's, when it is empty).
pub(crate) fn last_row(ctx: &Ctx<'_>) -> RowNum {
    shown(ctx).last_row()
}

/// Measures the cells of a sheet too large to be written in memory, on a
/// worksheet of its own, for [`write`]; `None` for a sheet written in memory.
fn measure(ctx: &Ctx<'_>) -> Result<Option<Measured>, XlsxError> {
    let last_row = last_row(ctx);
    let mut ws = Worksheet::new();
    let Some(mut sheet) = ctx.measuring_sheet(&mut ws, &ctx.sheets.audit, last_row)? else {
        return Ok(None);
    };
    declare(&mut sheet, last_row, ctx)?;
    let rule_texts = rule_texts(ctx);
    sheet.measure(|sheet| write_rows(sheet, &rule_texts, ctx))
}

/// The header, the column limits, and the breach marks (or the note of an
/// empty list).
fn declare(sheet: &mut Sheet<'_>, last_row: RowNum, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut titles = vec![
        l.project_id(),
        l.title(),
        l.cluster(),
        l.call(),
        l.approved_on(),
        l.lead_member_id(),
        l.lead_member(),
        l.lead_category(),
        l.project_value(),
        l.financing(),
        l.ratio(),
    ];
    titles.extend(verdict_titles(l));
    titles.push(l.source_cell());
    sheet.header(0, &titles);
    for (col, chars) in [
        (1, 40),
        (2, 24),
        (3, 30),
        (6, 30),
        (7, 20),
        (RULE_COL, 50),
        (STATUS_COL + 1, 30),
        (LAST_COL, 34),
    ] {
        sheet.limit(col, chars);
    }
    let shown = shown(ctx);
    let excess = Total::Amount(ctx.report.audit.total_excess());
    let totals = vec![
        (0, TotalCell::Label(l.total().to_string())),
        (EXCESS_COL, TotalCell::Sum(excess)),
    ];
    sheet.totals(totals_row(ctx), shown.totals(totals));
    // Below the table, the note of a cut table or of no projects.
    if let Some(note) = ctx.cut_note(shown, csv::FINANCING_AUDIT, true) {
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    if ctx.report.audit.projects.is_empty() {
        sheet.note(totals_row(ctx) + 2, 0, l.no_projects(), &ctx.styles.note)
    } else {
        mark_breaches(sheet, last_row, l)
    }
}

/// The text of each rule applied, worked out once rather than per project.
fn rule_texts(ctx: &Ctx<'_>) -> FxHashMap<usize, String> {
    let projects = &ctx.report.audit.projects;
    rule_texts_of(projects.iter().map(|p| &p.verdict), ctx.lang)
}

/// The text of each rule applied in `verdicts`, by its number.
pub(crate) fn rule_texts_of<'v>(
    verdicts: impl Iterator<Item = &'v Verdict>,
    lang: Lang,
) -> FxHashMap<usize, String> {
    let caps = verdicts.filter_map(|verdict| verdict.cap.as_ref());
    caps.map(|cap| (cap.rule_number, rule_text(cap, lang)))
        .collect()
}

/// The rows the sheet shows (the totals row and the note of a cut table, if
/// any, are declared with the header).
fn write_rows(
    sheet: &mut Sheet<'_>,
    rule_texts: &FxHashMap<usize, String>,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    let projects = ctx.report.audit.projects.iter().take(shown(ctx).rows);
    for (i, project) in projects.enumerate() {
        write_row(sheet, data_row(i), project, rule_texts, ctx)?;
    }
    Ok(())
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    p: &ProjectAudit,
    rule_texts: &FxHashMap<usize, String>,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &p.project_id, Tone::Plain)?;
    sheet.text(row, 1, &p.title, Tone::Plain)?;
    sheet.text(row, 2, &p.cluster, Tone::Plain)?;
    sheet.text(row, 3, &p.call, Tone::Plain)?;
    sheet.date(row, APPROVED_COL, p.approved_on, Kind::Date)?;
    let lead_id = p.lead_member_id.as_deref();
    sheet.opt_text(row, LEAD_ID_COL, lead_id, Tone::Plain)?;
    let lead_name = p.lead_member_name.as_deref();
    sheet.opt_text(row, LEAD_ID_COL + 1, lead_name, Tone::Plain)?;
    let category = p.lead_category.map(|c| c.label(ctx.lang));
    sheet.opt_text(row, LEAD_ID_COL + 2, category, Tone::Plain)?;
    sheet.amount(row, RATIO_COL - 2, p.value)?;
    sheet.amount(row, RATIO_COL - 1, p.financing)?;
    sheet.ratio(row, RATIO_COL, p.ratio)?;
    write_verdict(sheet, row, RULE_COL - 2, &p.verdict, rule_texts, ctx)?;
    sheet.text(row, LAST_COL, &p.source.to_string(), Tone::Plain)
}

/// The verdict's [`VERDICT_COLS`] columns from `first`: cap, allowed financing
/// and the rule (blanks when no rule applies), status, the limit a breach
/// exceeds, headroom and excess.
pub(crate) fn write_verdict(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    first: ColNum,
    verdict: &Verdict,
    rule_texts: &FxHashMap<usize, String>,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    let (rule_col, status_col) = (first + 2, first + 3);
    match &verdict.cap {
        Some(cap) => {
            sheet.cap(row, first, cap.max_ratio)?;
            sheet.amount(row, first + 1, cap.allowed)?;
            match rule_texts.get(&cap.rule_number) {
                Some(text) => sheet.text(row, rule_col, text, Tone::Plain)?,
                None => sheet.text(row, rule_col, &rule_text(cap, ctx.lang), Tone::Plain)?,
            }
        }
        None => {
            sheet.blank(row, first, Kind::Cap, Tone::Plain)?;
            sheet.blank(row, first + 1, Kind::Amount, Tone::Plain)?;
            sheet.blank(row, rule_col, Kind::Text, Tone::Plain)?;
        }
    }
    let status = status_label(verdict.status, &ctx.labels);
    sheet.text(row, status_col, status, Tone::Plain)?;
    let reason = verdict.reason.map(|r| cap_rule::reason(r, ctx.lang));
    sheet.opt_text(row, status_col + 1, reason, Tone::Plain)?;
    sheet.opt_amount(row, status_col + 2, verdict.headroom)?;
    sheet.opt_amount(row, status_col + 3, verdict.excess)
}

/// How many columns [`write_verdict`] writes.
pub(crate) const VERDICT_COLS: ColNum = 7;

/// The titles of [`write_verdict`]'s columns.
pub(crate) fn verdict_titles(l: &Labels) -> [&'static str; VERDICT_COLS as usize] {
    [
        l.cap(),
        l.allowed(),
        l.cap_rule(),
        l.status(),
        l.reason(),
        l.headroom(),
        l.excess(),
    ]
}

/// Red for a breach, amber near the cap, on the ratio and on the verdict, headroom
/// and excess: rules on the verdict column, which follow the rows when sorted.
fn mark_breaches(sheet: &mut Sheet<'_>, last: RowNum, l: &Labels) -> Result<(), XlsxError> {
    mark_verdicts(sheet, last, l, RATIO_COL, RULE_COL - 2)
}

/// [`mark_breaches`] on a table whose ratio is in `ratio_col` and whose
/// verdict ([`write_verdict`]) starts at `verdict_col`.
pub(crate) fn mark_verdicts(
    sheet: &mut Sheet<'_>,
    last: RowNum,
    l: &Labels,
    ratio_col: ColNum,
    verdict_col: ColNum,
) -> Result<(), XlsxError> {
    let (status_col, excess_col) = (verdict_col + 3, verdict_col + VERDICT_COLS - 1);
    let ranges = format!(
        "{} {}",
        cell_range(1, ratio_col, last, ratio_col),
        cell_range(1, status_col, last, excess_col)
    );
    let status = format!("${}", row_col_to_cell(1, status_col));
    let rule = |label: &str| format!("={status}=\"{}\"", label.replace('"', "\"\""));
    let breach = ConditionalFormatFormula::new()
        .set_rule(rule(l.status_breach()).as_str())
        .set_format(&sheet.styles.alert)
        .set_stop_if_true(true)
        .set_multi_range(&ranges);
    let near = ConditionalFormatFormula::new()
        .set_rule(rule(l.status_near()).as_str())
        .set_format(&sheet.styles.caution)
        .set_multi_range(&ranges);
    for format in [breach, near] {
        sheet
            .ws
            .add_conditional_format(1, ratio_col, last, ratio_col, &format)?;
    }
    Ok(())
}

/// `[1] Bando «Asse 1*»: tetto 70 %`: the rule's number in `consolida.toml`
/// and its label, or else its terms in the reader's words.
fn rule_text(cap: &AppliedCap, lang: Lang) -> String {
    format!("[{}] {}", cap.rule_number, cap_rule::name(cap, lang))
}

fn status_label(status: AuditStatus, l: &Labels) -> &'static str {
    match status {
        AuditStatus::Breach => l.status_breach(),
        AuditStatus::NearCap => l.status_near(),
        AuditStatus::WithinCap => l.status_ok(),
        AuditStatus::NoCap => l.status_no_cap(),
        AuditStatus::Undefined => l.status_undefined(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::report::sample_report;
    use calamine::Data;

    #[test]
    fn the_seed_project_is_audited_to_the_cent() {
        let range = sheet(&sample_report(), Lang::It, "Controllo finanziamenti");
        let header: Vec<Data> = range.rows().next().unwrap().to_vec();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| *h == Data::String(name.into()))
                .unwrap()
        };
        let seed = row_of(&range, "E42F20000010009");
        assert_eq!(
            seed[column("Codice capofila")],
            Data::String("01234567890".into())
        );
        assert_eq!(
            seed[column("Capofila")],
            Data::String("Alfa Meccanica S.r.l.".into())
        );
        assert_eq!(
            seed[column("Motivo")],
            Data::String("Rapporto oltre il tetto".into())
        );
        assert_eq!(seed[column("Valore progetto")], Data::Float(158_500.0));
        assert_eq!(seed[column("Finanziamento")], Data::Float(114_944.0));
        assert_eq!(seed[column("Rapporto")], Data::Float(0.7252));
        assert_eq!(seed[column("Tetto")], Data::Float(0.7));
        assert_eq!(
            seed[column("Massimo ammesso (EUR)")],
            Data::Float(110_950.0)
        );
        assert_eq!(seed[column("Eccedenza (EUR)")], Data::Float(3_994.0));
        assert_eq!(seed[column("Esito")], Data::String("Superamento".into()));
        assert_eq!(seed[column("Margine (EUR)")], Data::Empty);
        assert_eq!(
            seed[column("Regola applicata")],
            Data::String("[1] Bando «Asse 1*»: tetto 70 %".into())
        );
        let uncapped = row_of(&range, "E42F20000010011");
        assert_eq!(
            uncapped[column("Titolo")],
            Data::String("Łódź–Brønnøysund Зеленый коридор".into())
        );
        assert_eq!(
            uncapped[column("Esito")],
            Data::String("Nessun tetto".into())
        );
        assert_eq!(uncapped[column("Motivo")], Data::Empty);
        assert_eq!(uncapped[column("Margine (EUR)")], Data::Empty);
        assert_eq!(uncapped[column("Eccedenza (EUR)")], Data::Empty);
    }

    #[test]
    fn a_breach_of_the_grant_ceiling_says_so_under_a_labelled_rule() {
        let mut report = sample_report();
        report.audit.projects[0].verdict.reason = Some(crate::report::BreachReason::Grant);
        // Rule 1, which applies to the first two projects, gets a label.
        for project in &mut report.audit.projects[..2] {
            let cap = project.verdict.cap.as_mut().unwrap();
            let mut terms = (*cap.terms).clone();
            terms.label = Some("Asse 1 – tetto 70 %".into());
            cap.terms = std::sync::Arc::new(terms);
        }
        let range = sheet(&report, Lang::En, "Financing audit");
        let seed = row_of(&range, "E42F20000010009");
        let texts: Vec<String> = seed.iter().map(|c| c.to_string()).collect();
        assert!(
            texts.contains(&"Grant above the maximum".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"[1] Asse 1 – tetto 70 %".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn breaches_and_near_breaches_are_marked_by_conditional_formatting() {
        // Without the monitoring sheet's own conditional formats.
        let mut report = sample_report();
        report.monitoring = Default::default();
        let bytes = render(&report, &options(Lang::It)).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet6.xml");
        assert!(
            sheet.contains("<conditionalFormatting sqref=\"K2:K4 O2:R4\">"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>$O2=\"Superamento\"</formula>"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>$O2=\"Vicino al tetto\"</formula>"),
            "{sheet}"
        );
        assert!(sheet.contains("stopIfTrue=\"1\""), "{sheet}");
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("<dxfs count=\"2\">"), "{styles}");
    }

    #[test]
    fn the_totals_row_sums_the_excesses_to_the_total_to_recover() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Controllo finanziamenti");
        let totals = row_of(&range, "Totale");
        let excess = report.audit.total_excess().as_euros_f64();
        assert_eq!(totals[17], Data::Float(excess));
        assert_eq!(excess, 3_994.0);
        let formulas = formulas(&report, "Controllo finanziamenti");
        assert_eq!(
            formulas,
            ["SUBTOTAL(109,Controllo_finanziamenti[Eccedenza (EUR)])"]
        );
    }

    #[test]
    fn an_empty_audit_says_so() {
        let mut report = sample_report();
        report.audit.projects.clear();
        let range = sheet(&report, Lang::En, "Financing audit");
        assert_eq!(range.get((1, 0)), Some(&Data::String("Total".into())));
        assert_eq!(range.get((1, 17)), Some(&Data::Float(0.0)));
        assert_eq!(
            range.get((3, 0)),
            Some(&Data::String("No project approved as of this date.".into()))
        );
    }
}
