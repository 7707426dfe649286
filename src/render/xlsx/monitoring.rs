//! The monitoring sheet: every target at the period, one row each (the
//! portfolio's first, then the clusters' in the report's order), with its path
//! — the baseline month and value, each milestone's, the deadline and the
//! target, each month and value in a cell of its own — the tolerance, the
//! expected and actual values, the gap and the status in the reader's words.
//!
//! Above the table: the period's month (B1), how many targets are in each
//! status, and a sentence on the expected value. The expected value
//! is a formula over B1 and the path's cells, so that an analyst can follow
//! it: blank before the baseline month, between two points the earlier one's
//! value plus the rise interpolated by whole months (`DATEDIF`) and rounded as
//! the model rounds it, the target from the deadline on. The gap is the actual
//! value less the expected one. Both carry the model's figure as their cached
//! result. Conditional formats on the status column colour it green (achieved,
//! on track), amber (at risk), red (behind, missed) or grey (not applicable,
//! no data), keyed on its words so that a sorted table keeps them.

use super::sheet::{Layout, Sheet};
use super::style::{Kind, Tone};
use super::Ctx;
use crate::labels::Labels;
use crate::monitoring::indicator::Unit;
use crate::monitoring::path::{Point, Status};
use crate::period::Period;
use crate::report::monitoring::{Scope, TargetStatus};
use rust_xlsxwriter::{
    cell_range, row_col_to_cell, row_col_to_cell_absolute, ColNum, ConditionalFormatFormula,
    Format, RowNum, Workbook, XlsxError,
};

/// The row of the period's month, labelled in column A and given in B.
const PERIOD_ROW: RowNum = 0;
/// The row of the sentence that counts the targets in each status.
const COUNTS_ROW: RowNum = 1;
/// The row of the sentence that says how the expected value is found.
const EXPLAINED_ROW: RowNum = 2;
/// The table's header row, below an empty one.
const HEADER_ROW: RowNum = 4;
/// The column of the period's month.
const PERIOD_COL: ColNum = 1;
const BASELINE_MONTH_COL: ColNum = 3;
const COMPUTED_COL: ColNum = 5;
const FIRST_MILESTONE_COL: ColNum = 6;

/// The columns from the milestones on, which depend on how many milestone
/// columns the sheet has: as many as the target with the most (one at least,
/// so that the sheet keeps its shape from one report to the next).
#[derive(Debug, Clone, Copy)]
struct Columns {
    milestones: usize,
}

impl Columns {
    fn of(targets: &[TargetStatus]) -> Columns {
        let most = targets
            .iter()
            .filter_map(|t| t.path.as_ref())
            .map(|p| p.points().len() - 2)
            .max()
            .unwrap_or(0);
        Columns {
            milestones: most.max(1),
        }
    }

    /// The month column of milestone `i` (from 0); its value is beside it.
    fn milestone(self, i: usize) -> ColNum {
        FIRST_MILESTONE_COL + 2 * i as ColNum
    }

    fn deadline(self) -> ColNum {
        self.milestone(self.milestones)
    }

    fn target(self) -> ColNum {
        self.deadline() + 1
    }

    fn tolerance(self) -> ColNum {
        self.deadline() + 2
    }

    fn expected(self) -> ColNum {
        self.deadline() + 3
    }

    fn actual(self) -> ColNum {
        self.deadline() + 4
    }

    fn gap(self) -> ColNum {
        self.deadline() + 5
    }

    fn status(self) -> ColNum {
        self.deadline() + 6
    }

    fn origin(self) -> ColNum {
        self.deadline() + 7
    }

    fn titles(self, l: &Labels) -> Vec<String> {
        let mut titles: Vec<String> = [
            l.cluster(),
            l.kpi(),
            l.indicator_key(),
            l.baseline_month(),
            l.baseline_value(),
            l.baseline_from_data(),
        ]
        .map(str::to_string)
        .to_vec();
        for number in 1..=self.milestones {
            titles.push(l.milestone(number, true));
            titles.push(l.milestone(number, false));
        }
        titles.extend(
            [
                l.deadline(),
                l.target(),
                l.tolerance(),
                l.expected(),
                l.actual(),
                l.gap(),
                l.status(),
                l.set_in(),
            ]
            .map(str::to_string),
        );
        titles
    }
}

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let targets = &ctx.report.monitoring.targets;
    let columns = Columns::of(targets);
    // The rows above the header take room as rows below a table would.
    let shown = ctx.shown(targets.len(), HEADER_ROW);
    let last_row = HEADER_ROW + shown.rows as RowNum;
    let layout = Layout {
        table: Some((HEADER_ROW, last_row)),
        frozen_cols: 2,
        print_header: ctx.print_header(),
    };
    let name = &ctx.sheets.monitoring;
    let mut sheet = Sheet::add(workbook, name, &ctx.styles, layout, ctx.streams(last_row))?;
    // A formula without the model's figure caches the empty text it gives.
    sheet.ws.set_formula_result_default("");
    let titles = columns.titles(l);
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    sheet.header(HEADER_ROW, &titles);
    for (col, chars) in [(0, 36), (1, 30), (2, 22), (columns.origin(), 30)] {
        sheet.limit(col, chars);
    }
    // Above the table, written now: the period, how many targets are in each
    // status and what "expected" means.
    sheet.label(PERIOD_ROW, 0, l.period())?;
    let period = Some(ctx.report.period.first_day());
    sheet.date(PERIOD_ROW, PERIOD_COL, period, Kind::Month)?;
    if !targets.is_empty() {
        let counts = ctx.report.monitoring.status_counts();
        let counts = l.targets_by_status(&counts);
        sheet.note(COUNTS_ROW, 0, &counts, &Format::default())?;
    }
    sheet.note(EXPLAINED_ROW, 0, l.expected_explained(), &ctx.styles.note)?;
    if targets.is_empty() {
        sheet.note(HEADER_ROW + 1, 0, l.no_targets(), &ctx.styles.note)?;
    } else {
        mark_statuses(&mut sheet, columns, last_row, l)?;
    }
    if let Some(note) = ctx.cut_note_to_summary(shown) {
        sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
    }
    let period_cell = row_col_to_cell_absolute(PERIOD_ROW, PERIOD_COL);
    sheet.write(|sheet| {
        for (i, target) in targets.iter().take(shown.rows).enumerate() {
            let row = HEADER_ROW + 1 + i as RowNum;
            write_row(sheet, row, target, columns, &period_cell, l)?;
        }
        Ok(())
    })?;
    sheet.finish()
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    t: &TargetStatus,
    columns: Columns,
    period_cell: &str,
    l: &Labels,
) -> Result<(), XlsxError> {
    let unit = t.indicator.unit();
    let scope = match &t.scope {
        Scope::Total => l.all_clusters(),
        Scope::Cluster(name) => name,
    };
    sheet.text(row, 0, scope, Tone::Plain)?;
    sheet.text(row, 1, &l.indicator(t.indicator), Tone::Plain)?;
    sheet.text(row, 2, t.indicator.key(), Tone::Plain)?;
    let points = t.path.as_ref().map(|p| p.points()).unwrap_or_default();
    // Baseline, milestones and target: each point's month and value cells.
    let mut cells: Vec<(String, String)> = Vec::new();
    let mut point = |sheet: &mut Sheet<'_>, col: ColNum, p: Option<&Point>| {
        if p.is_some() {
            cells.push((row_col_to_cell(row, col), row_col_to_cell(row, col + 1)));
        }
        let value = p.map(|p| p.value);
        write_month(sheet, row, col, p.map(|p| p.month))?;
        write_value(sheet, row, col + 1, value, unit)
    };
    point(sheet, BASELINE_MONTH_COL, points.first())?;
    let computed = if t.baseline_computed { l.yes() } else { l.no() };
    sheet.text(row, COMPUTED_COL, computed, Tone::Plain)?;
    let milestones = points.get(1..points.len().saturating_sub(1));
    let milestones = milestones.unwrap_or_default();
    for i in 0..columns.milestones {
        point(sheet, columns.milestone(i), milestones.get(i))?;
    }
    // The deadline is the target's month even when the path is not known.
    let target = points.last().map(|p| p.value);
    write_month(sheet, row, columns.deadline(), Some(t.by))?;
    write_value(sheet, row, columns.target(), target, unit)?;
    if target.is_some() {
        cells.push((
            row_col_to_cell(row, columns.deadline()),
            row_col_to_cell(row, columns.target()),
        ));
    }
    sheet.number(
        row,
        columns.tolerance(),
        t.tolerance,
        Kind::Cap,
        Tone::Plain,
    )?;
    let kind = measure_kind(unit, true);
    let expected = t.expected.map(|v| unit.as_f64(v));
    if cells.len() >= 2 {
        let formula = expected_formula(period_cell, &cells, decimals(unit));
        sheet.formula_number(row, columns.expected(), &formula, expected, kind)?;
    } else {
        sheet.blank(row, columns.expected(), kind, Tone::Plain)?;
    }
    write_value(sheet, row, columns.actual(), t.actual, unit)?;
    let gap = gap_formula(
        &row_col_to_cell(row, columns.expected()),
        &row_col_to_cell(row, columns.actual()),
        decimals(unit),
    );
    let gap_value = t.gap().map(|v| unit.as_f64(v));
    sheet.formula_number(row, columns.gap(), &gap, gap_value, kind)?;
    sheet.text(
        row,
        columns.status(),
        l.target_status_word(t.status),
        Tone::Plain,
    )?;
    sheet.text(row, columns.origin(), &t.origin, Tone::Plain)
}

fn write_month(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    col: ColNum,
    month: Option<Period>,
) -> Result<(), XlsxError> {
    sheet.date(row, col, month.map(Period::first_day), Kind::MonthCell)
}

/// A value in `unit`'s integers as the number it stands for; a blank of the
/// same format without one.
fn write_value(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    col: ColNum,
    value: Option<i64>,
    unit: Unit,
) -> Result<(), XlsxError> {
    let kind = measure_kind(unit, false);
    match value {
        Some(value) => sheet.number(row, col, unit.as_f64(value), kind, Tone::Plain),
        None => sheet.blank(row, col, kind, Tone::Plain),
    }
}

/// How a value of `unit` is shown: a count whole, or to four decimals when it
/// `may_be_part` of one (an expected count); money in euros; a fraction as a
/// percentage to two decimals, which is four of the fraction.
fn measure_kind(unit: Unit, may_be_part: bool) -> Kind {
    match unit {
        Unit::Count if may_be_part => Kind::Decimal,
        Unit::Count => Kind::Count,
        Unit::Money => Kind::Amount,
        Unit::Fraction => Kind::Ratio,
    }
}

/// The decimals the model keeps a value of `unit` to, which the formulas round to.
fn decimals(unit: Unit) -> u32 {
    unit.scale().ilog10()
}

/// The expected value at the month in `period`, over the path's `points`
/// (each a month cell and a value cell, in month order): blank before the
/// first point's month; in a month before point i + 1's, point i's value plus
/// the rise to point i + 1 by the whole months elapsed of those between them,
/// rounded to `decimals`; from the last point's month on, its value.
fn expected_formula(period: &str, points: &[(String, String)], decimals: u32) -> String {
    let mut formula = points[points.len() - 1].1.clone();
    for pair in points.windows(2).rev() {
        let ((from_month, from), (to_month, to)) = (&pair[0], &pair[1]);
        let rise = format!(
            "{from}+ROUND(({to}-{from})*DATEDIF({from_month},{period},\"m\")\
             /DATEDIF({from_month},{to_month},\"m\"),{decimals})"
        );
        formula = format!("IF({period}<{to_month},{rise},{formula})");
    }
    format!("IF({period}<{},\"\",{formula})", points[0].0)
}

/// Actual less expected, blank when either is.
fn gap_formula(expected: &str, actual: &str, decimals: u32) -> String {
    format!("IF(OR({expected}=\"\",{actual}=\"\"),\"\",ROUND({actual}-{expected},{decimals}))")
}

/// Green, amber, red or grey on the status column, by its words.
fn mark_statuses(
    sheet: &mut Sheet<'_>,
    columns: Columns,
    last_row: RowNum,
    l: &Labels,
) -> Result<(), XlsxError> {
    let first = HEADER_ROW + 1;
    let col = columns.status();
    let cell = format!("${}", row_col_to_cell(first, col));
    let styles = sheet.styles;
    let marks: [(&[Status], &Format); 4] = [
        (&[Status::Achieved, Status::OnTrack], &styles.good),
        (&[Status::AtRisk], &styles.caution),
        (&[Status::Behind, Status::Missed], &styles.alert),
        (&[Status::NotApplicable, Status::NoData], &styles.muted),
    ];
    let range = cell_range(first, col, last_row, col);
    for (statuses, format) in marks {
        let tests: Vec<String> = statuses
            .iter()
            .map(|s| {
                format!(
                    "{cell}=\"{}\"",
                    l.target_status_word(*s).replace('"', "\"\"")
                )
            })
            .collect();
        let rule = if tests.len() == 1 {
            format!("={}", tests[0])
        } else {
            format!("=OR({})", tests.join(","))
        };
        let format = ConditionalFormatFormula::new()
            .set_rule(rule.as_str())
            .set_format(format)
            .set_multi_range(&range);
        sheet
            .ws
            .add_conditional_format(first, col, last_row, col, &format)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use super::*;
    use crate::report::sample_report;
    use calamine::{Data, Reader};

    #[test]
    fn every_target_has_its_row_with_the_models_figures_and_status() {
        let report = monitored_report();
        let range = sheet(&report, Lang::It, "Monitoraggio");
        assert_eq!(range.get((0, 0)), Some(&Data::String("Periodo".into())));
        assert_eq!(
            range.get((COUNTS_ROW as usize, 0)),
            Some(&Data::String(
                "Obiettivi per esito: Mancato 1, In ritardo 1, A rischio 1, In linea 1, \
                 Non applicabile 1, Senza dati 1."
                    .into()
            ))
        );
        assert!(
            matches!(range.get((0, 1)), Some(Data::DateTime(_))),
            "{:?}",
            range.get((0, 1))
        );
        let header: Vec<Data> = range.rows().nth(HEADER_ROW as usize).unwrap().to_vec();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| *h == Data::String(name.into()))
                .unwrap_or_else(|| panic!("no column {name}"))
        };
        let rows: Vec<Vec<Data>> = range
            .rows()
            .skip(HEADER_ROW as usize + 1)
            .map(|r| r.to_vec())
            .collect();
        assert_eq!(rows.len(), report.monitoring.targets.len());
        let statuses: Vec<String> = rows
            .iter()
            .map(|r| r[column("Esito")].to_string())
            .collect();
        assert_eq!(
            statuses,
            [
                "In ritardo",
                "A rischio",
                "Senza dati",
                "Mancato",
                "In linea",
                "Non applicabile"
            ]
        );
        let expected: Vec<Data> = rows.iter().map(|r| r[column("Atteso")].clone()).collect();
        assert_eq!(
            expected,
            [
                Data::Float(178.3333),
                Data::Float(121.9444),
                Data::Empty,
                Data::Float(250_000.0),
                Data::Float(0.4088),
                Data::String(String::new()),
            ]
        );
        let mobility = &rows[1];
        assert_eq!(mobility[0], Data::String("Mobilità".into()));
        assert_eq!(mobility[1], Data::String("Soci".into()));
        assert_eq!(mobility[column("Valore base")], Data::Float(100.0));
        assert_eq!(mobility[column("Traguardo 1: valore")], Data::Float(115.0));
        assert_eq!(mobility[column("Obiettivo")], Data::Float(140.0));
        assert_eq!(mobility[column("Scarto")], Data::Float(-0.9444));
        assert_eq!(rows[2][column("Scarto")], Data::String(String::new()));
        assert_eq!(rows[4][column("Effettivo")], Data::Float(0.4));
    }

    #[test]
    fn expected_and_gap_are_formulas_over_the_rows_cells() {
        let formulas = formulas(&monitored_report(), "Monitoraggio");
        // The portfolio's row 6: baseline D–E, no milestone (G–H), target I–J.
        assert!(
            formulas.contains(
                &"IF($B$1<D6,\"\",IF($B$1<I6,E6+ROUND((J6-E6)*DATEDIF(D6,$B$1,\"m\")\
                  /DATEDIF(D6,I6,\"m\"),4),J6))"
                    .to_string()
            ),
            "{formulas:?}"
        );
        // Mobilità's members through the milestone in G–H.
        assert!(
            formulas
                .iter()
                .any(|f| f.starts_with("IF($B$1<D7,\"\",IF($B$1<G7,")
                    && f.contains("IF($B$1<I7,H7+ROUND((J7-H7)")),
            "{formulas:?}"
        );
        // Money rounds to the cent; no path, no expected formula.
        assert!(formulas
            .iter()
            .any(|f| f.ends_with("DATEDIF(D9,I9,\"m\"),2),J9))")));
        assert!(!formulas.iter().any(|f| f.contains("D8,")), "{formulas:?}");
        assert!(formulas.contains(&"IF(OR(L8=\"\",M8=\"\"),\"\",ROUND(M8-L8,4))".to_string()));
    }

    #[test]
    fn statuses_are_coloured_by_their_words() {
        let bytes = render(&monitored_report(), &options(Lang::En)).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet11.xml");
        assert_eq!(
            sheet.matches("<cfRule type=\"expression\"").count(),
            4,
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>OR($O6=\"Achieved\",$O6=\"On track\")</formula>"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>$O6=\"At risk\"</formula>"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>OR($O6=\"Behind\",$O6=\"Missed\")</formula>"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<conditionalFormatting sqref=\"O6:O11\">"),
            "{sheet}"
        );
        let mut workbook = open(bytes);
        workbook.load_tables().unwrap();
        assert_eq!(workbook.table_names_in_sheet("Monitoring"), ["Monitoring"]);
        let range = workbook.worksheet_range("Monitoring").unwrap();
        assert_eq!(
            range.get((5, 0)),
            Some(&Data::String("All clusters".into()))
        );
        assert_eq!(range.get((5, 1)), Some(&Data::String("Members".into())));
    }

    #[test]
    fn without_targets_the_sheet_says_so() {
        let mut report = sample_report();
        report.monitoring = Default::default();
        let range = sheet(&report, Lang::En, "Monitoring");
        let said = range.get(((HEADER_ROW + 1) as usize, 0));
        assert!(
            matches!(said, Some(Data::String(s)) if s.starts_with("No target is set")),
            "{said:?}"
        );
    }

    fn cells(points: &[(&str, &str)]) -> Vec<(String, String)> {
        points
            .iter()
            .map(|(m, v)| (m.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_expected_formula_walks_the_path_point_by_point() {
        let two = expected_formula("$B$1", &cells(&[("D5", "E5"), ("I5", "J5")]), 4);
        assert_eq!(
            two,
            "IF($B$1<D5,\"\",IF($B$1<I5,E5+ROUND((J5-E5)*DATEDIF(D5,$B$1,\"m\")\
             /DATEDIF(D5,I5,\"m\"),4),J5))"
        );
        let three = expected_formula(
            "$B$1",
            &cells(&[("D5", "E5"), ("G5", "H5"), ("I5", "J5")]),
            2,
        );
        assert_eq!(
            three,
            "IF($B$1<D5,\"\",IF($B$1<G5,E5+ROUND((H5-E5)*DATEDIF(D5,$B$1,\"m\")\
             /DATEDIF(D5,G5,\"m\"),2),IF($B$1<I5,H5+ROUND((J5-H5)*DATEDIF(G5,$B$1,\"m\")\
             /DATEDIF(G5,I5,\"m\"),2),J5)))"
        );
        assert_eq!(
            gap_formula("P5", "Q5", 4),
            "IF(OR(P5=\"\",Q5=\"\"),\"\",ROUND(Q5-P5,4))"
        );
        assert_eq!(decimals(Unit::Money), 2);
        assert_eq!(decimals(Unit::Fraction), 4);
    }
}
