//! Tables longer than a sheet: an Excel sheet ends at row 1,048,576, and the
//! issues of a bad input or the audit of a national portfolio can have more
//! rows than that. Such a table shows its first rows, as many as fit, and below
//! them a note that says how many more there are and which file of the CSV
//! export holds them all. A totals row then holds the model's totals as they
//! are, not `SUBTOTAL`s, which would add up only the rows shown.
//!
//! Every table whose rows come from the inputs goes through [`Shown::of`]:
//! members by cluster and by province, projects by cluster and by call, the
//! financing audit and the issues; and the monitoring sheets, whose notes say
//! that the targets and the trend are all in `summary.json` (the movements are
//! in no other file). (The sources sheet lists the files read, one row each:
//! no inputs folder holds a million of them.)

use super::sheet::data_row;
use super::table::TotalCell;
use rust_xlsxwriter::{ColNum, RowNum};

/// The rows of an Excel sheet.
pub(crate) const SHEET_ROWS: RowNum = 1_048_576;
/// What a cut table needs below what follows it: an empty row and the note.
const NOTE_ROWS: RowNum = 2;

/// How many of a table's rows its sheet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The data rows shown: the table's first ones.
    pub(crate) rows: usize,
    /// The data rows left out, after them.
    pub(crate) left_out: usize,
    /// The rows that follow the last data row shown (a totals row).
    below: RowNum,
}

impl Shown {
    /// `len` data rows under a header on row 0, followed by `below` rows (a
    /// totals row), on a sheet of `sheet_rows` rows: all of them when they fit,
    /// else as many as fit with the note below them.
    pub(crate) fn of(len: usize, below: RowNum, sheet_rows: RowNum) -> Shown {
        // Below the header row and what follows the table.
        let room = |below: RowNum| sheet_rows.saturating_sub(1 + below) as usize;
        let rows = if len <= room(below) {
            len
        } else {
            room(below + NOTE_ROWS)
        };
        Shown {
            rows,
            left_out: len - rows,
            below,
        }
    }

    pub(crate) fn is_cut(self) -> bool {
        self.left_out > 0
    }

    /// The row of the last data row shown (the header's, 0, when none is).
    pub(crate) fn last_row(self) -> RowNum {
        data_row(self.rows) - 1
    }

    /// The row of the note of a cut table: below what follows the table, one
    /// row left empty.
    pub(crate) fn note_row(self) -> RowNum {
        self.last_row() + self.below + NOTE_ROWS
    }

    /// The totals row's cells for the rows shown: as they are when every row
    /// is, else each sum as its figure, which counts every row.
    pub(crate) fn totals(self, cells: Vec<(ColNum, TotalCell)>) -> Vec<(ColNum, TotalCell)> {
        if !self.is_cut() {
            return cells;
        }
        cells
            .into_iter()
            .map(|(col, cell)| match cell {
                TotalCell::Sum(total) => (col, TotalCell::Formula(total.result(), total)),
                other => (col, other),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{open, options, part};
    use super::super::{render_with, Ctx};
    use super::*;
    use crate::labels::Lang;
    use crate::render::xlsx::table::Total;
    use crate::report::{sample_report, ClusterMembers, ProjectGroup, ProvinceMembers, Report};
    use calamine::{Data, Reader};

    #[test]
    fn a_table_that_fits_is_shown_whole() {
        let shown = Shown::of(3, 1, SHEET_ROWS);
        assert_eq!((shown.rows, shown.left_out), (3, 0));
        assert!(!shown.is_cut());
        assert_eq!(shown.last_row(), 3);
        // The header, the data rows and the totals row fill the sheet exactly.
        let full = Shown::of(1_048_574, 1, SHEET_ROWS);
        assert!(!full.is_cut());
        assert_eq!(full.last_row() + 1, SHEET_ROWS - 1);
        assert!(!Shown::of(1_048_575, 0, SHEET_ROWS).is_cut());
        assert_eq!(Shown::of(0, 1, SHEET_ROWS).last_row(), 0);
    }

    #[test]
    fn a_longer_table_shows_what_fits_with_the_note_on_the_last_row() {
        // 400,000 bad member rows, three issues each.
        let issues = Shown::of(1_200_000, 0, SHEET_ROWS);
        assert_eq!(issues.rows, 1_048_573);
        assert_eq!(issues.left_out, 1_200_000 - 1_048_573);
        assert_eq!(issues.last_row(), 1_048_573);
        assert_eq!(issues.note_row(), SHEET_ROWS - 1, "the sheet's last row");
        // One row more than fits leaves out three: the one, the empty row and the note.
        let one_more = Shown::of(1_048_576, 0, SHEET_ROWS);
        assert_eq!((one_more.rows, one_more.left_out), (1_048_573, 3));
        let with_totals = Shown::of(2_000_000, 1, SHEET_ROWS);
        assert_eq!(with_totals.rows, 1_048_572);
        assert_eq!(with_totals.last_row() + 1, SHEET_ROWS - 3, "the totals row");
        assert_eq!(with_totals.note_row(), SHEET_ROWS - 1);
    }

    #[test]
    fn the_totals_of_a_cut_table_are_its_figures() {
        let cells = || {
            vec![
                (0, TotalCell::Label("Totale".into())),
                (1, TotalCell::Sum(Total::Count(1_200_000))),
            ]
        };
        let whole = Shown::of(3, 1, SHEET_ROWS).totals(cells());
        assert!(matches!(
            whole[1].1,
            TotalCell::Sum(Total::Count(1_200_000))
        ));
        let cut = Shown::of(20, 1, 10).totals(cells());
        assert!(matches!(cut[0].1, TotalCell::Label(_)));
        match &cut[1].1 {
            TotalCell::Formula(formula, Total::Count(1_200_000)) => {
                assert_eq!(formula, "1200000");
            }
            other => panic!("{other:?}"),
        }
    }

    /// The sample report with `rows` rows in every table whose rows come from
    /// the inputs; the totals stay the sample's.
    fn long_report(rows: usize) -> Report {
        let mut report = sample_report();
        // Without targets or a trend: the monitoring sheets have tests of their own.
        report.monitoring = Default::default();
        let issue = report.issues[0].clone();
        report.issues = (0..rows)
            .map(|i| {
                let mut issue = issue.clone();
                issue.message =
                    crate::text::Text::new(format!("Anomalia {i}"), format!("Issue {i}"));
                issue
            })
            .collect();
        let project = report.audit.projects[0].clone();
        report.audit.projects = (0..rows)
            .map(|i| {
                let mut project = project.clone();
                project.project_id = format!("P{i:03}");
                project
            })
            .collect();
        let counts = report.members.by_cluster[0].counts;
        report.members.by_cluster = (0..rows)
            .map(|i| ClusterMembers {
                cluster: format!("Cluster {i}"),
                counts,
            })
            .collect();
        report.members.by_province = (0..rows)
            .map(|i| ProvinceMembers {
                province: Some(format!("Provincia {i}")),
                counts,
            })
            .collect();
        let totals = report.projects.portfolio;
        let groups = |name: &str| -> Vec<ProjectGroup> {
            (0..rows)
                .map(|i| ProjectGroup {
                    key: format!("{name} {i}"),
                    totals,
                })
                .collect()
        };
        report.projects.by_cluster = groups("Cluster");
        report.projects.by_call = groups("Bando");
        report
    }

    /// The workbook of `report` on sheets of `sheet_rows` rows, the tables of
    /// more than `stream_from` rows streamed, the audit's rows spliced or not.
    fn render_cut(
        report: &Report,
        sheet_rows: RowNum,
        stream_from: RowNum,
        splice: bool,
    ) -> Vec<u8> {
        let mut ctx = Ctx::new(report, Lang::It, stream_from);
        ctx.sheet_rows = sheet_rows;
        ctx.splice_rows = splice;
        render_with(ctx, &options(Lang::It)).expect("rendered")
    }

    fn text(cell: Option<&Data>) -> String {
        match cell {
            Some(Data::String(s)) => s.clone(),
            other => panic!("not a text: {other:?}"),
        }
    }

    #[test]
    fn a_table_longer_than_its_sheet_shows_what_fits_and_names_the_file_with_every_row() {
        let report = long_report(30);
        // In memory, streamed, and with the audit's rows spliced into the package.
        for (stream_from, splice) in [(RowNum::MAX, false), (0, false), (0, true)] {
            let bytes = render_cut(&report, 20, stream_from, splice);
            let mut workbook = open(bytes.clone());
            // The issues on a sheet of 20 rows: the header, 17 rows, an empty
            // row and the note.
            let range = workbook.worksheet_range("Anomalie").unwrap();
            assert_eq!(range.end().map(|(row, _)| row), Some(19));
            assert_eq!(text(range.get((17, 6))), "Anomalia 16");
            assert!(range
                .rows()
                .nth(18)
                .unwrap()
                .iter()
                .all(|c| *c == Data::Empty));
            assert_eq!(
                text(range.get((19, 0))),
                "Altre 13 righe non entrano nel foglio, che mostra le prime 17. \
                 L'elenco completo è in issues.csv (--format csv)."
            );
            // With a totals row: 16 rows, the totals, an empty row and the note.
            for (sheet, last, file) in [
                ("Soci per categoria", "Cluster 15", "members_by_cluster.csv"),
                (
                    "Soci per provincia",
                    "Provincia 15",
                    "members_by_province.csv",
                ),
                (
                    "Progetti per cluster",
                    "Cluster 15",
                    "projects_by_cluster.csv",
                ),
                ("Progetti per bando", "Bando 15", "projects_by_call.csv"),
                ("Controllo finanziamenti", "P015", "financing_audit.csv"),
            ] {
                let range = workbook.worksheet_range(sheet).unwrap();
                assert_eq!(text(range.get((16, 0))), last, "{sheet}");
                assert_eq!(text(range.get((17, 0))), "Totale", "{sheet}");
                assert_eq!(
                    text(range.get((19, 0))),
                    format!(
                        "Altre 14 righe non entrano nel foglio, che mostra le prime 16. \
                         I totali comprendono tutte le righe. \
                         L'elenco completo è in {file} (--format csv)."
                    ),
                    "{sheet}"
                );
            }
            // The totals are the model's, which the rows shown do not add up to.
            let members = workbook.worksheet_range("Soci per categoria").unwrap();
            assert_eq!(members.get((17, 8)), Some(&Data::Float(168.0)));
            let formulas = workbook.worksheet_formula("Soci per categoria").unwrap();
            assert_eq!(formulas.get_value((17, 8)).map(String::as_str), Some("168"));
            let formulas = workbook.worksheet_formula("Progetti per cluster").unwrap();
            assert_eq!(
                formulas.get_value((17, 2)).map(String::as_str),
                Some("658500.00")
            );
            assert_eq!(
                formulas.get_value((17, 4)).map(String::as_str),
                Some("IF(C18>0,ROUND(D18/C18,4),\"\")")
            );
            // The audit's total to recover is the model's, every excess summed.
            let audit = workbook.worksheet_range("Controllo finanziamenti").unwrap();
            let excess = report.audit.total_excess().as_euros_f64();
            assert_eq!(audit.get((17, 17)), Some(&Data::Float(excess)));
            // The summary points at those totals, and no chart is drawn.
            let summary = workbook.worksheet_formula("Sintesi").unwrap();
            let summary: Vec<&String> =
                summary.rows().flatten().filter(|f| !f.is_empty()).collect();
            assert_eq!(summary[0], "'Soci per categoria'!I18");
            assert_eq!(summary[1], "'Progetti per cluster'!B18");
            let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut names = zip.file_names().map(|name| name.unwrap().to_string());
            assert!(!names.any(|name| name.starts_with("xl/charts/")));
        }
    }

    #[test]
    fn the_monitoring_sheets_longer_than_theirs_show_what_fits_and_say_so() {
        let mut report = sample_report();
        report.monitoring = crate::report::monitoring::sample_monitoring();
        let moves = &mut report.monitoring.trend.moves;
        moves.extend(moves.clone()[..4].iter().cloned());
        for stream_from in [RowNum::MAX, 0] {
            let mut workbook = open(render_cut(&report, 9, stream_from, false));
            // Six targets below the period, two sentences and an empty row: two fit.
            let targets = workbook.worksheet_range("Monitoraggio").unwrap();
            assert_eq!(text(targets.get((6, 0))), "Mobilità");
            assert_eq!(
                text(targets.get((8, 0))),
                "Altre 4 righe non entrano nel foglio, che mostra le prime 2. \
                 Tutte le righe sono in summary.json."
            );
            // 66 rows of the trend and twelve moves: six fit.
            let trend = workbook.worksheet_range("Andamento").unwrap();
            assert_eq!(
                text(trend.get((8, 0))),
                "Altre 60 righe non entrano nel foglio, che mostra le prime 6. \
                 Tutte le righe sono in summary.json."
            );
            let moves = workbook.worksheet_range("Movimenti").unwrap();
            assert_eq!(text(moves.get((6, 2))), "S0");
            assert_eq!(
                text(moves.get((8, 0))),
                "Altre 6 righe non entrano nel foglio, che mostra le prime 6."
            );
        }
    }

    #[test]
    fn the_dimension_of_a_cut_audit_spliced_into_the_package_covers_its_note() {
        let bytes = render_cut(&long_report(30), 20, 0, true);
        let audit = part(&bytes, "xl/worksheets/sheet6.xml");
        assert!(audit.contains("<dimension ref=\"A1:S20\"/>"), "{audit}");
        let table = part(&bytes, "xl/tables/table5.xml");
        assert!(
            table.contains("ref=\"A1:S18\" totalsRowCount=\"1\""),
            "{table}"
        );
        assert!(table.contains("<autoFilter ref=\"A1:S17\"/>"), "{table}");
    }
}
