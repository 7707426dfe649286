//! The Excel workbook: a summary sheet and one sheet per table of the report, in the
//! reader's language, built to be worked in and audited.
//!
//! Every figure comes from the [`Report`] as it is. Each table is an Excel table
//! (filter buttons, frozen header, header repeated on every printed page) whose
//! totals row holds `SUBTOTAL` formulas with the model's total as cached result,
//! so that readers which do not recalculate still show it. The summary's figures
//! are formulas pointing at the cell that details them, with an internal hyperlink
//! to it. Breaches and projects near their cap are marked by conditional
//! formatting; two native charts show members by category per cluster and value
//! and financing per cluster. Text from the inputs is always written as a string,
//! never as a formula, within Excel's limits ([`limits`]). The document's creation
//! time is [`RenderOptions::created`], so the same report always gives the same
//! bytes.
//!
//! Large sheets — a table of more than [`stream::STREAM_FROM_ROWS`] rows: the
//! audit of a big portfolio, the issues of a bad input — are written row by row in
//! rust_xlsxwriter's constant-memory mode, their strings inline; a reader sees the
//! same sheet either way. The largest, a big portfolio's audit, is written on a
//! thread of its own while the sheets before it are written: its rows are
//! written by [`rows`] rather than cell by cell through rust_xlsxwriter,
//! measured as they are, and [`splice`]d into the saved package
//! ([`spliced`]); so are a large trend's and list of movements'.
//!
//! After the sources, the monitoring sheets: every target at the period with
//! its expected value as a formula over its path ([`monitoring`]), the
//! indicators month by month with two line charts ([`trend`]), and who joined
//! and left in each of those months ([`movements`]). They come last so that
//! the sheets before them stay as they were.
//!
//! The tables that count members and projects are `COUNTIFS`/`SUMIFS` over
//! the sheets that list them ([`countifs`]): the financing audit, every
//! project of the portfolio, and the member sheet ([`member_list`]), every
//! member counted, written after it while the report lists them.
//!
//! One file per sheet group: [`summary`], [`members`], [`projects`], [`audit`],
//! [`de_minimis`], [`partners`], [`member_list`], [`issues`], [`sources`], [`monitoring`], [`trend`], [`movements`]; [`sheet`] writes cells, tables and page setup for all
//! of them, in one of its [`mode`]s: in memory, streamed ([`stream`]) or spliced
//! ([`spliced`]);
//! [`table`] makes the Excel tables and their totals, [`chart`] the charts,
//! [`widths`] sets the columns' widths, [`measure`] sizes what autofit cannot,
//! [`autofit`] measures as autofit would where it cannot see the rows, [`style`]
//! holds the formats.

mod audit;
mod autofit;
mod chart;
mod countifs;
mod cut;
mod de_minimis;
mod issues;
mod limits;
mod measure;
mod member_list;
mod members;
mod mode;
mod monitoring;
mod movements;
mod partners;
mod projects;
mod rows;
mod sheet;
mod sources;
mod splice;
mod spliced;
mod stream;
mod style;
mod summary;
mod table;
mod trend;
mod widths;

use crate::labels::{Labels, Lang};
use crate::render::{RenderError, RenderOptions};
use crate::report::Report;
use chrono::Timelike;
use limits::{header_text, SheetNames};
use rust_xlsxwriter::{DocProperties, RowNum, Workbook, Worksheet, XlsxError};
use sheet::Sheet;
use style::Styles;

/// Renders the report as an `.xlsx` workbook.
///
/// # Errors
/// [`RenderError`] when the workbook cannot be assembled; with the limits applied
/// to every name and text, that would be a bug.
pub(crate) fn render(report: &Report, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    render_streaming_from(report, options, stream::STREAM_FROM_ROWS)
}

/// [`render`], with the sheets whose table has more than `stream_from` data rows
/// written in constant memory.
fn render_streaming_from(
    report: &Report,
    options: &RenderOptions,
    stream_from: RowNum,
) -> Result<Vec<u8>, RenderError> {
    render_with(Ctx::new(report, options.lang, stream_from), options)
}

/// zlib level 2 instead of 6, the fastest level that still searches for matches:
/// on a large workbook a higher level costs more time than it saves in size
/// (BENCHMARKS.md, changes 15 and 33).
const ZIP_LEVEL: u8 = 2;

fn render_with(ctx: Ctx<'_>, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let report = ctx.report;
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    // The formats of the cells of sheets whose rows are spliced (a large
    // audit, trend or list of movements) get their numbers before anything
    // else, for their rows to be written apart (small workbooks stay as they
    // were). The note below a table cut to fit its sheet is one of its rows.
    let large: Vec<cut::Shown> = [
        audit::shown(&ctx),
        trend::shown(&ctx),
        movements::shown(&ctx),
    ]
    .into_iter()
    .filter(|shown| ctx.streams(shown.last_row()))
    .collect();
    let cut_note = large
        .iter()
        .any(|shown| shown.is_cut())
        .then_some(&ctx.styles.note);
    let xfs = (!large.is_empty())
        .then(|| rows::Xfs::register(&mut workbook, ctx.styles.cells().chain(cut_note)));
    let xfs = xfs.as_ref();
    let properties =
        properties(report, options, &ctx.labels).map_err(fail("set the document properties"))?;
    workbook.set_properties(&properties);
    // A large audit's rows are written, measured and compressed on a thread of
    // their own (or, in memory, its cells measured) while the sheets before it
    // are written, and the monitoring sheets, which go last (a large trend's
    // and list of movements' rows written apart too, on this side).
    let (ahead, before) = crate::threads::beside(
        || audit::ahead(&ctx, xfs, ZIP_LEVEL.into()),
        || {
            summary::write(&mut workbook, &ctx).map_err(fail("write the summary sheet"))?;
            members::write(&mut workbook, &ctx).map_err(fail("write the member sheets"))?;
            projects::write(&mut workbook, &ctx).map_err(fail("write the project sheets"))?;
            let first = workbook.worksheets().len();
            monitoring::write(&mut workbook, &ctx).map_err(fail("write the monitoring sheet"))?;
            let trend =
                trend::write(&mut workbook, &ctx, xfs).map_err(fail("write the trend sheet"))?;
            let movements = movements::write(&mut workbook, &ctx, xfs)
                .map_err(fail("write the movements sheet"))?;
            let spliced: Vec<spliced::SplicedSheet> = trend.into_iter().chain(movements).collect();
            Ok((first..workbook.worksheets().len(), spliced))
        },
    );
    let (monitoring_sheets, mut spliced) = before?;
    let ahead = ahead.map_err(fail("write the rows of the financing audit"))?;
    // The audit's sheet comes where the monitoring sheets are now.
    let audit =
        audit::write(&mut workbook, &ctx, ahead).map_err(fail("write the financing audit"))?;
    spliced.extend(audit);
    de_minimis::write(&mut workbook, &ctx).map_err(fail("write the de minimis sheet"))?;
    partners::write(&mut workbook, &ctx).map_err(fail("write the partner audit sheet"))?;
    member_list::write(&mut workbook, &ctx).map_err(fail("write the member sheet"))?;
    issues::write(&mut workbook, &ctx).map_err(fail("write the issues sheet"))?;
    sources::write(&mut workbook, &ctx).map_err(fail("write the sources sheet"))?;
    // The monitoring sheets, written early, take their place after the others.
    workbook.worksheets_mut()[monitoring_sheets.start..].rotate_left(monitoring_sheets.len());
    let spliced = spliced
        .into_iter()
        .map(|sheet| sheet.into_splice(&mut workbook))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail("find the sheets whose rows were written apart"))?;
    let package = crate::timings::timed("xlsx save", || workbook.save_to_buffer())
        .map_err(fail("assemble the workbook"))?;
    if spliced.is_empty() {
        return Ok(package);
    }
    splice::splice(&package, ZIP_LEVEL.into(), spliced)
        .map_err(fail("put the rows of the largest sheets into the workbook"))
}

/// Turns a library error into a [`RenderError`] that says what was being done.
fn fail(doing: &'static str) -> impl Fn(XlsxError) -> RenderError {
    move |error| {
        let reason = match &error {
            // A large sheet is written through a temporary file (see `stream`).
            XlsxError::TempFileError(dir, io) => format!(
                "the folder for temporary files, {}, cannot be written ({io}); \
                 set TMPDIR to one that can",
                dir.display()
            ),
            other => other.to_string(),
        };
        let reason = reason.trim_end_matches('.');
        RenderError::new("xlsx", format!("could not {doing}: {reason}."))
    }
}

/// Title, author and a fixed creation time, so that reruns are byte-identical.
fn properties(
    report: &Report,
    options: &RenderOptions,
    labels: &Labels,
) -> Result<DocProperties, XlsxError> {
    let created = options.created;
    let created = sheet::excel_date(created.date())?.and_hms(
        created.hour() as u16,
        created.minute() as u8,
        created.second(),
    )?;
    Ok(DocProperties::new()
        .set_title(format!("{} {}", labels.report_title(), report.period))
        .set_subject(&report.subject)
        .set_author(&report.issuer)
        .set_company(&report.issuer)
        .set_category(labels.report_title())
        .set_comment(format!("{} {}", labels.generated_by(), report.version))
        .set_creation_datetime(&created))
}

/// The sheets' names, valid and unique, fixed before any sheet is written so that
/// links and formulas can point across sheets.
struct SheetNamesOf {
    summary: String,
    by_category: String,
    by_province: String,
    by_cluster: String,
    by_call: String,
    audit: String,
    de_minimis: String,
    partners: String,
    members: String,
    issues: String,
    sources: String,
    monitoring: String,
    trend: String,
    movements: String,
}

impl SheetNamesOf {
    fn new(l: &Labels) -> SheetNamesOf {
        let mut names = SheetNames::default();
        SheetNamesOf {
            summary: names.claim(l.summary()),
            by_category: names.claim(l.members_by_category()),
            by_province: names.claim(l.members_by_province()),
            by_cluster: names.claim(l.projects_by_cluster()),
            by_call: names.claim(l.projects_by_call()),
            audit: names.claim(l.financing_audit()),
            de_minimis: names.claim(l.de_minimis_sheet()),
            partners: names.claim(l.partner_audit_sheet()),
            members: names.claim(l.members()),
            issues: names.claim(l.issues()),
            sources: names.claim(l.sources()),
            monitoring: names.claim(l.monitoring()),
            trend: names.claim(l.trend()),
            movements: names.claim(l.movements()),
        }
    }
}

/// What every sheet writer needs.
struct Ctx<'a> {
    report: &'a Report,
    lang: Lang,
    labels: Labels,
    styles: Styles,
    sheets: SheetNamesOf,
    /// Sheets whose table has more data rows than this are written in constant memory.
    stream_from: RowNum,
    /// Whether the rows of a large audit are spliced into the saved package
    /// rather than written by rust_xlsxwriter (which the tests compare them with).
    splice_rows: bool,
    /// The rows of a sheet ([`cut::SHEET_ROWS`]; fewer in the tests, for
    /// tables longer than a sheet without a million rows).
    sheet_rows: RowNum,
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Report, lang: Lang, stream_from: RowNum) -> Ctx<'a> {
        let labels = Labels { lang };
        Ctx {
            report,
            lang,
            sheets: SheetNamesOf::new(&labels),
            labels,
            styles: Styles::new(lang),
            stream_from,
            splice_rows: true,
            sheet_rows: cut::SHEET_ROWS,
        }
    }

    /// How many of a table's `len` data rows its sheet shows, the header on
    /// row 0 and `below` rows (a totals row) after them.
    fn shown(&self, len: usize, below: RowNum) -> cut::Shown {
        cut::Shown::of(len, below, self.sheet_rows)
    }

    /// The note below a table cut to fit its sheet, which names `file`, the
    /// CSV file that holds every row; `None` when the table is whole.
    fn cut_note(&self, shown: cut::Shown, file: &str, totals: bool) -> Option<String> {
        shown.is_cut().then(|| {
            let (left_out, rows) = (shown.left_out as u64, shown.rows as u64);
            self.labels.rows_left_out(left_out, rows, file, totals)
        })
    }

    /// The note below a table of the monitoring cut to fit its sheet, whose
    /// rows are all in `summary.json`; `None` when the table is whole.
    fn cut_note_to_summary(&self, shown: cut::Shown) -> Option<String> {
        shown.is_cut().then(|| {
            let (left_out, rows) = (shown.left_out as u64, shown.rows as u64);
            let l = &self.labels;
            format!(
                "{} {}",
                l.rows_not_shown(left_out, rows),
                l.all_in_summary()
            )
        })
    }

    /// The formats registered for rows written apart (`xfs`) when a sheet
    /// whose table ends at `last_row` has its rows spliced into the package;
    /// `None` when it is written by rust_xlsxwriter.
    fn splices<'x>(&self, last_row: RowNum, xfs: Option<&'x rows::Xfs>) -> Option<&'x rows::Xfs> {
        xfs.filter(|_| self.splice_rows && self.streams(last_row))
    }

    /// Whether a sheet whose table has its header on row 0 and its last data
    /// row at `last_row` is written in constant memory.
    fn streams(&self, last_row: RowNum) -> bool {
        last_row > self.stream_from
    }

    /// A new sheet named `name` whose table has its header on row 0 and its last
    /// data row at `last_row`: in constant memory when that is many rows.
    fn table_sheet<'w>(
        &'w self,
        workbook: &'w mut Workbook,
        name: &str,
        last_row: RowNum,
    ) -> Result<Sheet<'w>, XlsxError> {
        let layout = self.table_layout(last_row);
        Sheet::add(workbook, name, &self.styles, layout, self.streams(last_row))
    }

    /// The print header: sheet name on the left, subject and period on the right.
    fn print_header(&self) -> String {
        let period = format!(" – {}", self.report.period);
        let fixed = "&L&A&R".len() + limits::utf16_len(&period);
        let subject: String = self.report.subject.chars().take(80).collect();
        format!("&L&A&R{}{period}", header_text(&subject, fixed))
    }

    /// A sheet like [`Ctx::table_sheet`]'s that only measures its cells, on
    /// `ws`, which is never saved; `None` when that sheet is written in memory.
    fn measuring_sheet<'w>(
        &'w self,
        ws: &'w mut Worksheet,
        name: &str,
        last_row: RowNum,
    ) -> Result<Option<Sheet<'w>>, XlsxError> {
        if !self.streams(last_row) {
            return Ok(None);
        }
        let layout = self.table_layout(last_row);
        Sheet::ahead(ws, name, &self.styles, layout, None).map(Some)
    }

    /// A standard layout for a sheet whose table has its header on row 0.
    fn table_layout(&self, last_row: RowNum) -> sheet::Layout {
        sheet::Layout {
            table: Some((0, last_row)),
            frozen_cols: 1,
            print_header: self.print_header(),
        }
    }
}

/// `'Sheet name'!B7`: where an internal link or a formula points.
fn location(sheet: &str, row: RowNum, col: rust_xlsxwriter::ColNum) -> String {
    format!(
        "{}!{}",
        rust_xlsxwriter::quote_sheet_name(sheet),
        rust_xlsxwriter::row_col_to_cell(row, col)
    )
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Renders the sample report and reads it back, for the sheet modules' tests.

    use super::*;
    use calamine::{Data, Range, Reader, Xlsx};
    use std::io::Cursor;

    pub(crate) fn options(lang: Lang) -> RenderOptions {
        RenderOptions::for_tests(lang)
    }

    pub(crate) fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes)).expect("a readable workbook")
    }

    /// The sample report with the workbook's sample monitoring (targets in
    /// every status, a trend with who joined and left).
    pub(crate) fn monitored_report() -> Report {
        let mut report = crate::report::sample_report();
        report.monitoring = crate::report::monitoring::sample_monitoring();
        report
    }

    /// The first row of `range`, as text.
    pub(crate) fn header(range: &Range<Data>) -> Vec<String> {
        range
            .rows()
            .next()
            .expect("a header row")
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    pub(crate) fn sheet(report: &Report, lang: Lang, name: &str) -> Range<Data> {
        let bytes = render(report, &options(lang)).expect("rendered");
        open(bytes).worksheet_range(name).expect("the sheet exists")
    }

    /// Every formula of a sheet, in row order.
    pub(crate) fn formulas(report: &Report, name: &str) -> Vec<String> {
        let bytes = render(report, &options(Lang::It)).expect("rendered");
        let range = open(bytes)
            .worksheet_formula(name)
            .expect("the sheet exists");
        range
            .rows()
            .flatten()
            .filter(|f| !f.is_empty())
            .cloned()
            .collect()
    }

    /// The row whose first cell is `key`.
    pub(crate) fn row_of(range: &Range<Data>, key: &str) -> Vec<Data> {
        range
            .rows()
            .find(|row| row.first() == Some(&Data::String(key.into())))
            .unwrap_or_else(|| panic!("no row {key}"))
            .to_vec()
    }

    pub(crate) fn floats(cells: &[Data]) -> Vec<f64> {
        cells
            .iter()
            .map(|c| match c {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                other => panic!("not a number: {other:?}"),
            })
            .collect()
    }

    /// One part of the package, as text.
    pub(crate) fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
        let mut file = zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("no part {name}"));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        text
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::report::{sample_report, CategoryCounts, ProjectTotals};
    use calamine::Reader;

    #[test]
    fn sheets_are_named_in_the_readers_language() {
        let report = sample_report();
        let italian = open(render(&report, &options(Lang::It)).unwrap()).sheet_names();
        assert_eq!(
            italian,
            [
                "Sintesi",
                "Soci per categoria",
                "Soci per provincia",
                "Progetti per cluster",
                "Progetti per bando",
                "Controllo finanziamenti",
                "De minimis",
                "Controllo partner",
                "Anomalie",
                "Fonti",
                "Monitoraggio",
                "Andamento",
                "Movimenti"
            ]
        );
        let english = open(render(&report, &options(Lang::En)).unwrap()).sheet_names();
        assert_eq!(english[0], "Summary");
        assert_eq!(english[1], "Members by category");
        assert_eq!(
            english[5..8],
            ["Financing audit", "De minimis", "Partner audit"]
        );
        assert_eq!(english[10..], ["Monitoring", "Trend", "Movements"]);
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let report = sample_report();
        let first = render(&report, &options(Lang::It)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = render(&report, &options(Lang::It)).unwrap();
        assert!(first == second, "two renders differ");
        let mut later = options(Lang::It);
        later.created += chrono::TimeDelta::days(1);
        assert!(
            render(&report, &later).unwrap() != first,
            "the creation time is not used"
        );
        let core = part(&first, "docProps/core.xml");
        assert!(
            core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-12-01T06:30:00Z"),
            "{core}"
        );
    }

    #[test]
    fn an_empty_report_still_renders_with_headers_and_totals() {
        let mut report = sample_report();
        report.members.by_cluster.clear();
        report.members.by_province.clear();
        report.projects.by_cluster.clear();
        report.projects.by_call.clear();
        report.audit.projects.clear();
        report.audit.de_minimis.clear();
        report.issues.clear();
        report.inputs.clear();
        report.config = None;
        report.monitoring = Default::default();
        let bytes = render(&report, &options(Lang::En)).unwrap();
        let mut workbook = open(bytes.clone());
        let members = workbook.worksheet_range("Members by category").unwrap();
        assert_eq!(
            members.get((0, 0)),
            Some(&calamine::Data::String("Cluster".into()))
        );
        assert_eq!(floats(&row_of(&members, "Total")[8..]), [168.0]);
        workbook.load_tables().unwrap();
        assert!(
            workbook.table_names().is_empty(),
            "Excel wants a data row in a table"
        );
        let summary = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            summary.contains("location=\"'Members by category'!I2\""),
            "{summary}"
        );
    }

    /// The sample report as of a day when no member is active (`members`) or no
    /// project approved (`projects`): the clusters stay, with nothing in them.
    fn emptied(members: bool, projects: bool) -> Report {
        let mut report = sample_report();
        // A period without figures has none in its trend either.
        report.monitoring = Default::default();
        if members {
            for cluster in &mut report.members.by_cluster {
                cluster.counts = CategoryCounts::default();
            }
            report.members.totals = CategoryCounts::default();
            report.members.by_province.clear();
        }
        if projects {
            for group in &mut report.projects.by_cluster {
                group.totals = ProjectTotals::default();
            }
            report.projects.portfolio = ProjectTotals::default();
            report.projects.by_call.clear();
            report.audit.projects.clear();
        }
        report
    }

    fn charts(bytes: &[u8]) -> Vec<String> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names = zip.file_names().map(|name| name.unwrap().to_string());
        names
            .filter(|name| name.starts_with("xl/charts/"))
            .collect()
    }

    #[test]
    fn an_empty_period_says_so_and_draws_no_chart() {
        use calamine::Data;
        let text = |s: &str| Some(Data::String(s.to_string()));
        for (lang, summary, members, projects, said) in [
            (
                Lang::It,
                "Sintesi",
                "Soci per categoria",
                "Progetti per cluster",
                [
                    "Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.",
                    "Nessun socio attivo alla data.",
                    "Nessun progetto approvato alla data.",
                ],
            ),
            (
                Lang::En,
                "Summary",
                "Members by category",
                "Projects by cluster",
                [
                    "Empty period: no member active and no project approved as of this date.",
                    "No member active as of this date.",
                    "No project approved as of this date.",
                ],
            ),
        ] {
            let bytes = render(&emptied(true, true), &options(lang)).unwrap();
            assert!(charts(&bytes).is_empty(), "{:?}", charts(&bytes));
            let mut workbook = open(bytes);
            let range = workbook.worksheet_range(summary).unwrap();
            assert_eq!(range.get((2, 0)).cloned(), text(said[0]));
            // Where the chart would be, two rows below the totals (row 3).
            let range = workbook.worksheet_range(members).unwrap();
            assert_eq!(range.get((5, 0)).cloned(), text(said[1]));
            let range = workbook.worksheet_range(projects).unwrap();
            assert_eq!(range.get((5, 0)).cloned(), text(said[2]));
        }
        // Without members only, or projects only: that is said, the other chart drawn.
        for (members, projects, said, chart) in [
            (true, false, "Nessun socio attivo alla data.", "clustered"),
            (
                false,
                true,
                "Nessun progetto approvato alla data.",
                "stacked",
            ),
        ] {
            let bytes = render(&emptied(members, projects), &options(Lang::It)).unwrap();
            assert_eq!(charts(&bytes), ["xl/charts/chart1.xml"]);
            assert!(part(&bytes, "xl/charts/chart1.xml").contains(chart));
            let range = open(bytes).worksheet_range("Sintesi").unwrap();
            assert_eq!(range.get((2, 0)).cloned(), text(said));
        }
        // The members and projects charts, then the trend's two.
        let bytes = render(&sample_report(), &options(Lang::It)).unwrap();
        assert_eq!(charts(&bytes).len(), 4);
        let range = open(bytes).worksheet_range("Sintesi").unwrap();
        assert!(
            matches!(range.get((2, 0)), None | Some(calamine::Data::Empty)),
            "a period with both says nothing"
        );
    }

    #[test]
    fn a_hostile_subject_still_gives_a_valid_print_header() {
        let mut report = sample_report();
        report.subject = "R&D ".repeat(200);
        let ctx = Ctx::new(&report, Lang::It, stream::STREAM_FROM_ROWS);
        let header = ctx.print_header();
        assert!(limits::utf16_len(&header) <= limits::MAX_HEADER_FOOTER);
        assert!(header.starts_with("&L&A&RR&&D R&&D"), "{header}");
        assert!(header.ends_with(" – 2026-11"), "{header}");
        render(&report, &options(Lang::It)).expect("rendered");
    }
}
