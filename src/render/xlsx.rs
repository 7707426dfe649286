//! The Excel workbook: a summary sheet and one sheet per table of the report, in the
//! reader's language.
//!
//! Every figure comes from the [`Report`] as it is. Amounts are numbers in euros with
//! a euro format, ratios are the four-decimal ratio with a percent format, and totals
//! rows are real `SUBTOTAL`/`SUM` formulas whose cached result is the model's own
//! total, so that readers which do not recalculate still show it. Text from the
//! inputs is always written as a string, never as a formula, and sheet names come
//! from fixed labels only. The document's creation time is
//! [`RenderOptions::created`], so the same report always gives the same bytes.

use crate::category::Category;
use crate::issues::{Issue, Severity};
use crate::labels::{Labels, Lang};
use crate::money::{group_thousands, Cents, Ppm, Ratio};
use crate::render::{RenderError, RenderOptions};
use crate::report::{
    AppliedCap, AuditStatus, CategoryCounts, InputSummary, ProjectAudit, ProjectGroup, Report,
};
use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{
    cell_autofit_width, cell_range, quote_sheet_name, row_col_to_cell, ColNum, Color,
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Formula,
    RowNum, Url, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// The widest a column gets, in pixels (about 60 characters).
const MAX_COLUMN_PX: u32 = 425;
/// A header is wrapped rather than widening its column beyond this, in pixels.
const HEADER_MIN_PX: u32 = 90;
/// Room for the autofilter drop-down button in a header cell, in pixels.
const FILTER_BUTTON_PX: u32 = 16;
/// The height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// The width of one level of indentation, which keeps text clear of a number
/// right-aligned in the column before it, in pixels.
const INDENT_PX: u32 = 10;
/// A4 in Excel's paper-size numbering.
const PAPER_A4: u8 = 9;
/// Euro amounts: US syntax, shown in the reader's locale.
const AMOUNT_FORMAT: &str = "#,##0.00 [$€-410]";

/// Renders the report as an `.xlsx` workbook.
pub fn render(report: &Report, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let ctx = Ctx::new(report, options.lang);
    let mut workbook = Workbook::new();
    let properties =
        properties(report, options, &ctx.labels).map_err(fail("set the document properties"))?;
    workbook.set_properties(&properties);
    write_summary(workbook.add_worksheet(), &ctx).map_err(fail("write the summary sheet"))?;
    write_member_sheets(&mut workbook, &ctx).map_err(fail("write the member sheets"))?;
    write_project_sheets(&mut workbook, &ctx).map_err(fail("write the project sheets"))?;
    write_audit(workbook.add_worksheet(), &ctx).map_err(fail("write the financing audit"))?;
    write_issues(workbook.add_worksheet(), &ctx).map_err(fail("write the issues sheet"))?;
    write_sources(workbook.add_worksheet(), &ctx).map_err(fail("write the sources sheet"))?;
    workbook
        .save_to_buffer()
        .map_err(fail("assemble the workbook"))
}

/// Turns a library error into a [`RenderError`] that says what was being done.
fn fail(doing: &'static str) -> impl Fn(XlsxError) -> RenderError {
    move |error| RenderError::new("xlsx", format!("could not {doing}: {error}."))
}

/// Title, author and a fixed creation time, so that reruns are byte-identical.
fn properties(
    report: &Report,
    options: &RenderOptions,
    labels: &Labels,
) -> Result<DocProperties, XlsxError> {
    let created = options.created;
    let created = excel_date(created.date())?.and_hms(
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

/// A calendar date as Excel holds it; years outside 1900–9999 are refused.
fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).map_err(|_| {
        XlsxError::DateTimeRangeError(format!("year {} is out of range", date.year()))
    })?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// What every sheet writer needs.
struct Ctx<'a> {
    report: &'a Report,
    lang: Lang,
    labels: Labels,
    styles: Styles,
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Report, lang: Lang) -> Ctx<'a> {
        Ctx {
            report,
            lang,
            labels: Labels { lang },
            styles: Styles::new(lang),
        }
    }

    /// The print header: sheet name on the left, subject and period on the right.
    fn print_header(&self) -> String {
        let subject: String = self.report.subject.chars().take(80).collect();
        format!(
            "&L&A&R{} – {}",
            subject.replace('&', "&&"),
            self.report.period
        )
    }
}

/// What a cell holds, which decides its number format.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Count,
    /// A plain integer such as a row number: no grouping.
    Number,
    Amount,
    Ratio,
    Cap,
    /// A date in a table column, centred.
    Date,
    /// A date among the summary's figures, right-aligned like them.
    DateFigure,
    /// A month among the summary's figures (`novembre 2026`).
    Month,
}

const KINDS: [Kind; 9] = [
    Kind::Text,
    Kind::Count,
    Kind::Number,
    Kind::Amount,
    Kind::Ratio,
    Kind::Cap,
    Kind::Date,
    Kind::DateFigure,
    Kind::Month,
];

/// How a cell stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Plain,
    Total,
    /// A breach or an error: light red.
    Alert,
    /// Near the cap or a warning: amber.
    Caution,
}

const TONES: [Tone; 4] = [Tone::Plain, Tone::Total, Tone::Alert, Tone::Caution];

/// Every format the workbook uses, built once.
struct Styles {
    cells: Vec<Vec<Format>>,
    header: Format,
    title: Format,
    note: Format,
    /// Plain text that overflows into empty cells instead of wrapping.
    plain: Format,
    label: Format,
    link: Format,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        let cells = KINDS
            .iter()
            .map(|kind| {
                TONES
                    .iter()
                    .map(|tone| cell_format(*kind, *tone, lang))
                    .collect()
            })
            .collect();
        Styles {
            cells,
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left)
                .set_indent(1)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic(),
            plain: Format::new()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left)
                .set_indent(1),
            label: Format::new()
                .set_bold()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left)
                .set_indent(1),
            link: Format::new()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left)
                .set_indent(1)
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
        }
    }

    fn cell(&self, kind: Kind, tone: Tone) -> &Format {
        &self.cells[kind as usize][tone as usize]
    }
}

fn num_format(kind: Kind, lang: Lang) -> Option<&'static str> {
    match (kind, lang) {
        (Kind::Text, _) => None,
        (Kind::Count, _) => Some("#,##0"),
        (Kind::Number, _) => Some("0"),
        (Kind::Amount, _) => Some(AMOUNT_FORMAT),
        (Kind::Ratio, _) => Some("0.00%"),
        (Kind::Cap, _) => Some("0.00##%"),
        (Kind::Date | Kind::DateFigure, Lang::It) => Some("dd/mm/yyyy"),
        (Kind::Date | Kind::DateFigure, Lang::En) => Some("yyyy-mm-dd"),
        (Kind::Month, Lang::It) => Some("[$-410]mmmm yyyy"),
        (Kind::Month, Lang::En) => Some("[$-409]mmmm yyyy"),
    }
}

fn cell_format(kind: Kind, tone: Tone, lang: Lang) -> Format {
    let base = Format::new().set_align(FormatAlign::Top);
    // Dates and row numbers are centred so that they do not run into the text
    // beside them.
    let base = match kind {
        Kind::Date | Kind::Number => base.set_align(FormatAlign::Center),
        _ => base,
    };
    let base = match num_format(kind, lang) {
        Some(format) => base.set_num_format(format),
        None => base
            .set_text_wrap()
            .set_align(FormatAlign::Left)
            .set_indent(1),
    };
    match tone {
        Tone::Plain => base,
        Tone::Total => base
            .set_bold()
            .set_border_top(FormatBorder::Thin)
            .set_background_color(Color::RGB(0xF2F2F2)),
        Tone::Alert => base
            .set_background_color(Color::RGB(0xFFC7CE))
            .set_font_color(Color::RGB(0x9C0006)),
        Tone::Caution => base
            .set_background_color(Color::RGB(0xFFEB9C))
            .set_font_color(Color::RGB(0x9C5700)),
    }
}

/// A worksheet being written: remembers how wide each column must be.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    styles: &'a Styles,
    widths: Vec<u32>,
    limits: Vec<(ColNum, u32)>,
    header: Option<(RowNum, Vec<String>)>,
    /// Rows whose wrapped text needs more than one line, and how many.
    row_lines: BTreeMap<RowNum, u32>,
}

/// How a finished sheet is laid out and printed.
struct Layout {
    /// The header row and the last data row the autofilter covers, if a table.
    filter: Option<(RowNum, RowNum)>,
    /// Columns kept in view when scrolling sideways.
    frozen_cols: ColNum,
    landscape: bool,
    print_header: String,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, ctx: &'a Ctx<'_>) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            styles: &ctx.styles,
            widths: Vec::new(),
            limits: Vec::new(),
            header: None,
            row_lines: BTreeMap::new(),
        })
    }

    /// Keeps column `col` at most `chars` characters wide; longer text wraps.
    fn limit(&mut self, col: ColNum, chars: u32) {
        self.limits.push((col, chars * 7 + 5 + INDENT_PX));
    }

    fn fit(&mut self, col: ColNum, pixels: u32) {
        let i = usize::from(col);
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 0);
        }
        self.widths[i] = self.widths[i].max(pixels);
    }

    fn header(&mut self, row: RowNum, titles: &[&str]) -> Result<(), XlsxError> {
        for (col, title) in (0..).zip(titles) {
            self.ws
                .write_string_with_format(row, col, *title, &self.styles.header)?;
            self.fit(col, header_width(title));
        }
        self.header = Some((row, titles.iter().map(|t| t.to_string()).collect()));
        Ok(())
    }

    /// Text that overflows into empty cells and does not widen its column.
    fn note(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(row, col, text, format)?;
        Ok(())
    }

    fn label(&mut self, row: RowNum, col: ColNum, text: &str) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(row, col, text, &self.styles.label)?;
        self.fit(col, cell_autofit_width(text) * 11 / 10 + INDENT_PX);
        Ok(())
    }

    fn link(&mut self, row: RowNum, col: ColNum, text: &str, sheet: &str) -> Result<(), XlsxError> {
        let url = Url::new(format!("internal:{}!A1", quote_sheet_name(sheet))).set_text(text);
        self.ws
            .write_url_with_format(row, col, url, &self.styles.link)?;
        self.fit(col, cell_autofit_width(text) + INDENT_PX);
        Ok(())
    }

    fn text(&mut self, row: RowNum, col: ColNum, text: &str, tone: Tone) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(row, col, text, self.styles.cell(Kind::Text, tone))?;
        let widest = text.lines().map(cell_autofit_width).max().unwrap_or(0);
        self.fit(col, widest + INDENT_PX);
        let room = self.limit_px(col).saturating_sub(7 + INDENT_PX);
        let lines: u32 = text
            .lines()
            .map(|line| wrapped_lines(line, room, false))
            .sum();
        if lines > 1 {
            let entry = self.row_lines.entry(row).or_insert(1);
            *entry = (*entry).max(lines);
        }
        Ok(())
    }

    fn opt_text(
        &mut self,
        row: RowNum,
        col: ColNum,
        text: Option<&str>,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        match text {
            Some(text) => self.text(row, col, text, tone),
            None => self.blank(row, col, Kind::Text, tone),
        }
    }

    fn blank(&mut self, row: RowNum, col: ColNum, kind: Kind, tone: Tone) -> Result<(), XlsxError> {
        self.ws
            .write_blank(row, col, self.styles.cell(kind, tone))?;
        Ok(())
    }

    fn number(
        &mut self,
        row: RowNum,
        col: ColNum,
        value: f64,
        kind: Kind,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        self.ws
            .write_number_with_format(row, col, value, self.styles.cell(kind, tone))?;
        Ok(())
    }

    fn count(&mut self, row: RowNum, col: ColNum, n: u64, tone: Tone) -> Result<(), XlsxError> {
        self.number(row, col, n as f64, Kind::Count, tone)?;
        self.fit(col, shown_width(&count_text(n), tone));
        Ok(())
    }

    fn amount(
        &mut self,
        row: RowNum,
        col: ColNum,
        amount: Cents,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        self.number(row, col, amount.as_euros_f64(), Kind::Amount, tone)?;
        self.fit(col, shown_width(&amount_text(amount), tone));
        Ok(())
    }

    fn opt_amount(
        &mut self,
        row: RowNum,
        col: ColNum,
        amount: Option<Cents>,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        match amount {
            Some(amount) => self.amount(row, col, amount, tone),
            None => self.blank(row, col, Kind::Amount, tone),
        }
    }

    fn ratio(
        &mut self,
        row: RowNum,
        col: ColNum,
        ratio: Option<Ratio>,
        tone: Tone,
    ) -> Result<(), XlsxError> {
        match ratio {
            Some(ratio) => {
                self.number(row, col, ratio.as_f64(), Kind::Ratio, tone)?;
                self.fit(col, shown_width(&ratio.english_percent(), tone));
                Ok(())
            }
            None => self.blank(row, col, Kind::Ratio, tone),
        }
    }

    fn cap(&mut self, row: RowNum, col: ColNum, cap: Ppm, tone: Tone) -> Result<(), XlsxError> {
        self.number(row, col, cap.as_f64(), Kind::Cap, tone)?;
        self.fit(col, shown_width(&cap.english_percent(), tone));
        Ok(())
    }

    fn date(
        &mut self,
        row: RowNum,
        col: ColNum,
        date: Option<NaiveDate>,
        kind: Kind,
    ) -> Result<(), XlsxError> {
        let Some(date) = date else {
            return self.blank(row, col, kind, Tone::Plain);
        };
        let value = excel_date(date)?;
        self.ws
            .write_datetime_with_format(row, col, value, self.styles.cell(kind, Tone::Plain))?;
        let shown = if matches!(kind, Kind::Month) {
            "September 2026"
        } else {
            "30/11/2026"
        };
        self.fit(col, cell_autofit_width(shown));
        Ok(())
    }

    /// A totals-row formula with the model's figure as its cached result.
    fn formula(
        &mut self,
        row: RowNum,
        col: ColNum,
        formula: &str,
        total: Total,
    ) -> Result<(), XlsxError> {
        let (result, shown, kind) = match total {
            Total::Count(n) => (n.to_string(), count_text(n), Kind::Count),
            Total::Amount(amount) => (amount.plain(), amount_text(amount), Kind::Amount),
            Total::Ratio(ratio) => (
                ratio.as_f64().to_string(),
                ratio.english_percent(),
                Kind::Ratio,
            ),
        };
        let formula = Formula::new(formula).set_result(result);
        self.ws.write_formula_with_format(
            row,
            col,
            formula,
            self.styles.cell(kind, Tone::Total),
        )?;
        self.fit(col, shown_width(&shown, Tone::Total));
        Ok(())
    }

    /// `SUBTOTAL(109, …)` of column `col` over the data rows, or the plain figure
    /// when there are no data rows to add up.
    fn subtotal(
        &mut self,
        row: RowNum,
        col: ColNum,
        first: RowNum,
        total: Total,
    ) -> Result<(), XlsxError> {
        if row == first {
            return match total {
                Total::Count(n) => self.count(row, col, n, Tone::Total),
                Total::Amount(amount) => self.amount(row, col, amount, Tone::Total),
                Total::Ratio(ratio) => self.ratio(row, col, Some(ratio), Tone::Total),
            };
        }
        let formula = format!("=SUBTOTAL(109,{})", cell_range(first, col, row - 1, col));
        self.formula(row, col, &formula, total)
    }

    /// Sets column widths, the header row's height, freeze panes, the autofilter and
    /// the print setup.
    fn finish(mut self, layout: Layout) -> Result<(), XlsxError> {
        self.apply_widths()?;
        self.apply_header_height()?;
        self.apply_row_heights()?;
        if let Some((header_row, last_row)) = layout.filter {
            let last_col = self.widths.len().saturating_sub(1) as ColNum;
            self.ws
                .set_freeze_panes(header_row + 1, layout.frozen_cols)?;
            self.ws
                .autofilter(header_row, 0, last_row.max(header_row), last_col)?;
            self.ws.set_repeat_rows(header_row, header_row)?;
        }
        if layout.landscape {
            self.ws.set_landscape();
        } else {
            self.ws.set_portrait();
        }
        self.ws
            .set_paper_size(PAPER_A4)
            .set_print_fit_to_pages(1, 0)
            .set_header(layout.print_header)
            .set_footer("&C&P / &N");
        Ok(())
    }

    /// The widest column `col` may get, in pixels.
    fn limit_px(&self, col: ColNum) -> u32 {
        self.limits
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(MAX_COLUMN_PX, |(_, px)| *px)
    }

    fn final_width(&self, col: usize) -> u32 {
        let limit = ColNum::try_from(col).map_or(MAX_COLUMN_PX, |c| self.limit_px(c));
        self.widths.get(col).copied().unwrap_or(0).min(limit)
    }

    /// Makes rows with wrapped text tall enough to show all of it.
    fn apply_row_heights(&mut self) -> Result<(), XlsxError> {
        for (row, lines) in &self.row_lines {
            self.ws
                .set_row_height(*row, LINE_HEIGHT * f64::from(*lines))?;
        }
        Ok(())
    }

    fn apply_widths(&mut self) -> Result<(), XlsxError> {
        for col in 0..self.widths.len() {
            if self.widths[col] > 0 {
                let width = self.final_width(col);
                self.ws.set_column_width_pixels(col as ColNum, width)?;
            }
        }
        Ok(())
    }

    /// Headers wrap inside their column; the row is made tall enough for them.
    fn apply_header_height(&mut self) -> Result<(), XlsxError> {
        let Some((row, titles)) = &self.header else {
            return Ok(());
        };
        let lines = titles
            .iter()
            .enumerate()
            .map(|(col, title)| {
                let room = self.final_width(col).saturating_sub(7 + INDENT_PX);
                wrapped_lines(title, room, true)
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            self.ws
                .set_row_height(*row, LINE_HEIGHT * f64::from(lines))?;
        }
        Ok(())
    }
}

/// A figure for a totals row, from the model.
#[derive(Debug, Clone, Copy)]
enum Total {
    Count(u64),
    Amount(Cents),
    Ratio(Ratio),
}

fn count_text(n: u64) -> String {
    group_thousands(n, ',')
}

fn amount_text(amount: Cents) -> String {
    format!("{} €", amount.english())
}

/// The width a figure needs, a little more when bold.
fn shown_width(text: &str, tone: Tone) -> u32 {
    let width = cell_autofit_width(text) + 4;
    if tone == Tone::Total {
        width * 11 / 10
    } else {
        width
    }
}

/// Text width in pixels without cell padding.
fn text_width(text: &str, bold: bool) -> u32 {
    let width = cell_autofit_width(text).saturating_sub(7);
    if bold {
        width * 11 / 10
    } else {
        width
    }
}

fn bold_width(text: &str) -> u32 {
    text_width(text, true)
}

/// The width a header asks for: its whole text when short, else enough for its
/// longest word, plus the filter button.
fn header_width(title: &str) -> u32 {
    let longest_word = title.split_whitespace().map(bold_width).max().unwrap_or(0);
    bold_width(title).min(longest_word.max(HEADER_MIN_PX)) + 7 + INDENT_PX + FILTER_BUTTON_PX
}

/// How many lines one line of `text` takes when wrapped at word boundaries into
/// `room` pixels; a word wider than the room is broken, as spreadsheets do.
fn wrapped_lines(text: &str, room: u32, bold: bool) -> u32 {
    let room = room.max(1);
    let space = text_width(" ", bold).max(3);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let width = text_width(word, bold);
        if used > 0 && used + space + width > room {
            lines += 1;
            used = 0;
        }
        if used > 0 {
            used += space;
        }
        used += width;
        while used > room {
            lines += 1;
            used -= room;
        }
    }
    lines
}

fn table_layout(
    ctx: &Ctx<'_>,
    header_row: RowNum,
    last_row: RowNum,
    frozen_cols: ColNum,
) -> Layout {
    Layout {
        filter: Some((header_row, last_row)),
        frozen_cols,
        landscape: true,
        print_header: ctx.print_header(),
    }
}

/// A row number for the data rows of a table: the header is row 0.
fn data_row(index: usize) -> RowNum {
    index as RowNum + 1
}

// ---------------------------------------------------------------------------------
// Summary

/// A KPI's figure.
enum KpiValue {
    Month(NaiveDate),
    Date(NaiveDate),
    Count(u64, Tone),
    Amount(Cents),
    Ratio(Option<Ratio>),
}

struct Kpi {
    label: &'static str,
    /// The sheet that details it.
    target: &'static str,
    value: KpiValue,
}

fn kpis(ctx: &Ctx<'_>) -> Vec<Kpi> {
    let (r, l) = (ctx.report, &ctx.labels);
    let p = &r.projects;
    let counts = r.issue_counts();
    let flagged =
        |n: usize, tone: Tone| KpiValue::Count(n as u64, if n > 0 { tone } else { Tone::Plain });
    let kpi = |label, target, value| Kpi {
        label,
        target,
        value,
    };
    vec![
        kpi(
            l.period(),
            l.sources(),
            KpiValue::Month(r.period.first_day()),
        ),
        kpi(l.as_of(), l.sources(), KpiValue::Date(r.as_of)),
        kpi(
            l.members_total(),
            l.members_by_category(),
            KpiValue::Count(r.members.total(), Tone::Plain),
        ),
        kpi(
            l.projects_count(),
            l.projects_by_cluster(),
            KpiValue::Count(p.portfolio.count, Tone::Plain),
        ),
        kpi(
            l.project_value(),
            l.projects_by_cluster(),
            KpiValue::Amount(p.portfolio.value),
        ),
        kpi(
            l.financing(),
            l.projects_by_cluster(),
            KpiValue::Amount(p.portfolio.financing),
        ),
        kpi(
            l.financing_ratio(),
            l.projects_by_cluster(),
            KpiValue::Ratio(p.portfolio.ratio()),
        ),
        kpi(
            l.projects_in_period(),
            l.financing_audit(),
            KpiValue::Count(p.in_period.count, Tone::Plain),
        ),
        kpi(
            l.financing_in_period(),
            l.financing_audit(),
            KpiValue::Amount(p.in_period.financing),
        ),
        kpi(
            l.projects_year_to_date(),
            l.financing_audit(),
            KpiValue::Count(p.year_to_date.count, Tone::Plain),
        ),
        kpi(
            l.financing_year_to_date(),
            l.financing_audit(),
            KpiValue::Amount(p.year_to_date.financing),
        ),
        kpi(
            l.breaches(),
            l.financing_audit(),
            flagged(r.audit.breaches().count(), Tone::Alert),
        ),
        kpi(
            l.near_cap_count(),
            l.financing_audit(),
            flagged(r.audit.near_breaches().count(), Tone::Caution),
        ),
        kpi(l.errors(), l.issues(), flagged(counts.errors, Tone::Alert)),
        kpi(
            l.warnings(),
            l.issues(),
            flagged(counts.warnings, Tone::Caution),
        ),
    ]
}

fn write_summary(ws: &mut Worksheet, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut sheet = Sheet::new(ws, l.summary(), ctx)?;
    let title = format!("{} – {}", l.report_title(), ctx.report.subject);
    sheet.note(0, 0, &title, &ctx.styles.title)?;
    sheet.note(1, 0, &ctx.report.issuer, &ctx.styles.note)?;
    sheet.header(3, &[l.kpi(), l.value()])?;
    for (row, kpi) in (4..).zip(kpis(ctx)) {
        sheet.link(row, 0, kpi.label, kpi.target)?;
        write_kpi_value(&mut sheet, row, kpi.value)?;
    }
    sheet.finish(Layout {
        filter: None,
        frozen_cols: 0,
        landscape: false,
        print_header: ctx.print_header(),
    })
}

fn write_kpi_value(sheet: &mut Sheet<'_>, row: RowNum, value: KpiValue) -> Result<(), XlsxError> {
    match value {
        KpiValue::Month(date) => sheet.date(row, 1, Some(date), Kind::Month),
        KpiValue::Date(date) => sheet.date(row, 1, Some(date), Kind::DateFigure),
        KpiValue::Count(n, tone) => sheet.count(row, 1, n, tone),
        KpiValue::Amount(amount) => sheet.amount(row, 1, amount, Tone::Plain),
        KpiValue::Ratio(ratio) => sheet.ratio(row, 1, ratio, Tone::Plain),
    }
}

// ---------------------------------------------------------------------------------
// Members

fn write_member_sheets(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, members) = (&ctx.labels, &ctx.report.members);
    let clusters: Vec<(&str, &CategoryCounts)> = members
        .by_cluster
        .iter()
        .map(|c| (c.cluster.as_str(), &c.counts))
        .collect();
    write_member_table(
        workbook.add_worksheet(),
        ctx,
        l.members_by_category(),
        l.cluster(),
        &clusters,
    )?;
    let provinces: Vec<(&str, &CategoryCounts)> = members
        .by_province
        .iter()
        .map(|p| (p.province.as_deref().unwrap_or(l.no_province()), &p.counts))
        .collect();
    write_member_table(
        workbook.add_worksheet(),
        ctx,
        l.members_by_province(),
        l.province(),
        &provinces,
    )
}

/// Rows × the seven categories and a total column, with a totals row of formulas
/// whose cached results are the model's totals.
fn write_member_table(
    ws: &mut Worksheet,
    ctx: &Ctx<'_>,
    name: &str,
    key_header: &str,
    rows: &[(&str, &CategoryCounts)],
) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut sheet = Sheet::new(ws, name, ctx)?;
    let mut titles = vec![key_header];
    titles.extend(Category::ALL.iter().map(|c| c.label(ctx.lang)));
    titles.push(l.total());
    sheet.header(0, &titles)?;
    let total_col = Category::ALL.len() as ColNum + 1;
    for (i, (key, counts)) in rows.iter().enumerate() {
        let row = data_row(i);
        sheet.text(row, 0, key, Tone::Plain)?;
        for (col, category) in (1..).zip(Category::ALL) {
            sheet.count(row, col, counts.get(category), Tone::Plain)?;
        }
        let sum = format!("=SUM({})", cell_range(row, 1, row, total_col - 1));
        write_row_sum(&mut sheet, row, total_col, &sum, counts.total())?;
    }
    let totals_row = data_row(rows.len());
    let totals = &ctx.report.members.totals;
    sheet.text(totals_row, 0, l.total(), Tone::Total)?;
    for (col, category) in (1..).zip(Category::ALL) {
        sheet.subtotal(totals_row, col, 1, Total::Count(totals.get(category)))?;
    }
    sheet.subtotal(totals_row, total_col, 1, Total::Count(totals.total()))?;
    sheet.finish(table_layout(ctx, 0, totals_row - 1, 1))
}

/// A row's total column: a `SUM` across the row with the model's row total cached.
fn write_row_sum(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    col: ColNum,
    formula: &str,
    total: u64,
) -> Result<(), XlsxError> {
    let formula = Formula::new(formula).set_result(total.to_string());
    sheet.ws.write_formula_with_format(
        row,
        col,
        formula,
        sheet.styles.cell(Kind::Count, Tone::Plain),
    )?;
    sheet.fit(col, shown_width(&count_text(total), Tone::Total));
    Ok(())
}

// ---------------------------------------------------------------------------------
// Projects

fn write_project_sheets(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, projects) = (&ctx.labels, &ctx.report.projects);
    write_group_table(
        workbook.add_worksheet(),
        ctx,
        l.projects_by_cluster(),
        l.cluster(),
        &projects.by_cluster,
    )?;
    write_group_table(
        workbook.add_worksheet(),
        ctx,
        l.projects_by_call(),
        l.call(),
        &projects.by_call,
    )
}

/// Count, value, financing and ratio per group, with a totals row from the portfolio.
fn write_group_table(
    ws: &mut Worksheet,
    ctx: &Ctx<'_>,
    name: &str,
    key_header: &str,
    groups: &[ProjectGroup],
) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut sheet = Sheet::new(ws, name, ctx)?;
    sheet.header(
        0,
        &[
            key_header,
            l.count(),
            l.project_value(),
            l.financing(),
            l.financing_ratio(),
        ],
    )?;
    sheet.limit(0, 50);
    for (i, group) in groups.iter().enumerate() {
        let row = data_row(i);
        let totals = &group.totals;
        sheet.text(row, 0, &group.key, Tone::Plain)?;
        sheet.count(row, 1, totals.count, Tone::Plain)?;
        sheet.amount(row, 2, totals.value, Tone::Plain)?;
        sheet.amount(row, 3, totals.financing, Tone::Plain)?;
        sheet.ratio(row, 4, totals.ratio(), Tone::Plain)?;
    }
    let row = data_row(groups.len());
    let portfolio = &ctx.report.projects.portfolio;
    sheet.text(row, 0, l.total(), Tone::Total)?;
    sheet.subtotal(row, 1, 1, Total::Count(portfolio.count))?;
    sheet.subtotal(row, 2, 1, Total::Amount(portfolio.value))?;
    sheet.subtotal(row, 3, 1, Total::Amount(portfolio.financing))?;
    write_ratio_total(&mut sheet, row, portfolio.ratio())?;
    sheet.finish(table_layout(ctx, 0, row - 1, 1))
}

/// Financing ÷ value of the totals row, rounded to four decimals like the model.
fn write_ratio_total(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    ratio: Option<Ratio>,
) -> Result<(), XlsxError> {
    let Some(ratio) = ratio else {
        return sheet.blank(row, 4, Kind::Ratio, Tone::Total);
    };
    let (value, financing) = (row_col_to_cell(row, 2), row_col_to_cell(row, 3));
    let formula = format!("=IF({value}>0,ROUND({financing}/{value},4),\"\")");
    sheet.formula(row, 4, &formula, Total::Ratio(ratio))
}

// ---------------------------------------------------------------------------------
// Financing audit

fn write_audit(ws: &mut Worksheet, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut sheet = Sheet::new(ws, l.financing_audit(), ctx)?;
    sheet.header(
        0,
        &[
            l.project_id(),
            l.title(),
            l.cluster(),
            l.call(),
            l.approved_on(),
            l.lead_category(),
            l.project_value(),
            l.financing(),
            l.ratio(),
            l.cap(),
            l.allowed(),
            l.cap_rule(),
            l.status(),
            l.headroom(),
            l.excess(),
            l.source_cell(),
        ],
    )?;
    for (col, chars) in [(1, 40), (2, 24), (3, 30), (5, 20), (11, 50), (15, 34)] {
        sheet.limit(col, chars);
    }
    let projects = &ctx.report.audit.projects;
    for (i, project) in projects.iter().enumerate() {
        write_audit_row(&mut sheet, data_row(i), project, ctx)?;
    }
    if projects.is_empty() {
        sheet.note(1, 0, l.no_projects(), &ctx.styles.note)?;
    }
    sheet.finish(table_layout(ctx, 0, data_row(projects.len()) - 1, 1))
}

fn write_audit_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    p: &ProjectAudit,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    let tone = match p.status {
        AuditStatus::Breach => Tone::Alert,
        AuditStatus::NearCap => Tone::Caution,
        _ => Tone::Plain,
    };
    sheet.text(row, 0, &p.project_id, Tone::Plain)?;
    sheet.text(row, 1, &p.title, Tone::Plain)?;
    sheet.text(row, 2, &p.cluster, Tone::Plain)?;
    sheet.text(row, 3, &p.call, Tone::Plain)?;
    sheet.date(row, 4, p.approved_on, Kind::Date)?;
    sheet.opt_text(
        row,
        5,
        p.lead_category.map(|c| c.label(ctx.lang)),
        Tone::Plain,
    )?;
    sheet.amount(row, 6, p.value, Tone::Plain)?;
    sheet.amount(row, 7, p.financing, Tone::Plain)?;
    sheet.ratio(row, 8, p.ratio, tone)?;
    write_applied_cap(sheet, row, p.cap.as_ref(), ctx)?;
    sheet.text(row, 12, status_label(p.status, &ctx.labels), tone)?;
    let near = if p.status == AuditStatus::NearCap {
        Tone::Caution
    } else {
        Tone::Plain
    };
    sheet.opt_amount(row, 13, p.headroom, near)?;
    let breach = if p.status == AuditStatus::Breach {
        Tone::Alert
    } else {
        Tone::Plain
    };
    sheet.opt_amount(row, 14, p.excess, breach)?;
    sheet.text(row, 15, &p.source.to_string(), Tone::Plain)
}

/// Cap, allowed financing and the rule, or blanks when no rule applies.
fn write_applied_cap(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    cap: Option<&AppliedCap>,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    let Some(cap) = cap else {
        sheet.blank(row, 9, Kind::Cap, Tone::Plain)?;
        sheet.blank(row, 10, Kind::Amount, Tone::Plain)?;
        return sheet.blank(row, 11, Kind::Text, Tone::Plain);
    };
    sheet.cap(row, 9, cap.max_ratio, Tone::Plain)?;
    sheet.amount(row, 10, cap.allowed, Tone::Plain)?;
    sheet.text(row, 11, &rule_text(cap, ctx.lang), Tone::Plain)
}

/// `[1] call = "Asse 1*", category = *, aid_type = *`, with the grant limit if any.
fn rule_text(cap: &AppliedCap, lang: Lang) -> String {
    let mut text = format!("[{}] {}", cap.rule_number, cap.rule);
    if let Some(max_grant) = cap.max_grant {
        let amount = match lang {
            Lang::It => max_grant.italian_eur(),
            Lang::En => amount_text(max_grant),
        };
        text.push_str(&format!(", max_grant = {amount}"));
    }
    text
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

// ---------------------------------------------------------------------------------
// Issues

fn write_issues(ws: &mut Worksheet, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let mut sheet = Sheet::new(ws, l.issues(), ctx)?;
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
    )?;
    for (col, chars) in [(1, 40), (2, 24), (5, 30), (6, 60), (7, 30)] {
        sheet.limit(col, chars);
    }
    let issues = &ctx.report.issues;
    for (i, issue) in issues.iter().enumerate() {
        write_issue_row(&mut sheet, data_row(i), issue, &ctx.labels)?;
    }
    if issues.is_empty() {
        sheet.note(1, 0, l.no_issues(), &ctx.styles.note)?;
    }
    sheet.finish(table_layout(ctx, 0, data_row(issues.len()) - 1, 1))
}

fn write_issue_row(
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
        Some(number) => {
            sheet.number(row, 4, f64::from(number), Kind::Number, Tone::Plain)?;
            sheet.fit(4, shown_width(&number.to_string(), Tone::Plain));
        }
        None => sheet.blank(row, 4, Kind::Number, Tone::Plain)?,
    }
    sheet.opt_text(row, 5, issue.value.as_deref(), Tone::Plain)?;
    sheet.text(row, 6, &issue.message, Tone::Plain)?;
    sheet.opt_text(row, 7, issue.suggestion.as_deref(), Tone::Plain)
}

// ---------------------------------------------------------------------------------
// Sources

fn write_sources(ws: &mut Worksheet, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let (l, report) = (&ctx.labels, ctx.report);
    let mut sheet = Sheet::new(ws, l.sources(), ctx)?;
    sheet.header(
        0,
        &[
            l.file(),
            l.kind(),
            l.rows_read(),
            l.rows_rejected(),
            l.sha256(),
        ],
    )?;
    sheet.limit(0, 60);
    sheet.limit(4, 72);
    for (i, input) in report.inputs.iter().enumerate() {
        write_input_row(&mut sheet, data_row(i), input, l, true)?;
    }
    let mut last = data_row(report.inputs.len()) - 1;
    if let Some(config) = &report.config {
        last += 1;
        write_input_row(&mut sheet, last, config, l, false)?;
    }
    let mut facts: Vec<(&str, String)> = Vec::new();
    if report.config.is_none() {
        facts.push((l.config(), l.none().to_string()));
    }
    let as_of = match ctx.lang {
        Lang::It => report.as_of.format("%d/%m/%Y").to_string(),
        Lang::En => report.as_of.to_string(),
    };
    facts.push((l.period(), report.period.to_string()));
    facts.push((l.as_of(), as_of));
    facts.push((l.version(), format!("consolida {}", report.version)));
    for (row, (label, value)) in (last + 2..).zip(facts) {
        sheet.label(row, 0, label)?;
        sheet.note(row, 1, &value, &ctx.styles.plain)?;
    }
    sheet.finish(table_layout(ctx, 0, last, 1))
}

fn write_input_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    input: &InputSummary,
    l: &Labels,
    with_rows: bool,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &input.path, Tone::Plain)?;
    sheet.text(row, 1, kind_label(&input.kind, l), Tone::Plain)?;
    if with_rows {
        sheet.count(row, 2, input.rows, Tone::Plain)?;
        let tone = if input.rejected > 0 {
            Tone::Caution
        } else {
            Tone::Plain
        };
        sheet.count(row, 3, input.rejected, tone)?;
    } else {
        sheet.blank(row, 2, Kind::Count, Tone::Plain)?;
        sheet.blank(row, 3, Kind::Count, Tone::Plain)?;
    }
    sheet.text(row, 4, &input.sha256, Tone::Plain)
}

/// The reader's word for an input's kind; an unknown kind is shown as it is.
fn kind_label<'a>(kind: &'a str, l: &Labels) -> &'a str {
    match kind {
        "members" => l.members(),
        "projects" => l.projects(),
        "partners" => l.partners(),
        "config" => l.config(),
        "ignored" => l.ignored(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;
    use calamine::{Data, Range, Reader, Xlsx};
    use std::io::Cursor;

    fn options(lang: Lang) -> RenderOptions {
        let created = NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(6, 30, 0))
            .unwrap();
        RenderOptions { lang, created }
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes)).expect("a readable workbook")
    }

    fn sheet(report: &Report, lang: Lang, name: &str) -> Range<Data> {
        let bytes = render(report, &options(lang)).expect("rendered");
        open(bytes).worksheet_range(name).expect("the sheet exists")
    }

    /// The row whose first cell is `key`.
    fn row_of(range: &Range<Data>, key: &str) -> Vec<Data> {
        range
            .rows()
            .find(|row| row.first() == Some(&Data::String(key.into())))
            .unwrap_or_else(|| panic!("no row {key}"))
            .to_vec()
    }

    fn floats(cells: &[Data]) -> Vec<f64> {
        cells
            .iter()
            .map(|c| match c {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                other => panic!("not a number: {other:?}"),
            })
            .collect()
    }

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
                "Anomalie",
                "Fonti"
            ]
        );
        let english = open(render(&report, &options(Lang::En)).unwrap()).sheet_names();
        assert_eq!(english[0], "Summary");
        assert_eq!(english[1], "Members by category");
        assert_eq!(english[5], "Financing audit");
    }

    #[test]
    fn members_by_category_has_the_mobility_row_and_formula_totals() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Soci per categoria");
        let header = range.rows().next().unwrap();
        assert_eq!(header[3], Data::String("PMI".into()));
        assert_eq!(header[8], Data::String("Totale".into()));
        let mobility = row_of(&range, "Mobilità");
        assert_eq!(
            floats(&mobility[1..]),
            [6.0, 20.0, 72.0, 5.0, 11.0, 7.0, 0.0, 121.0]
        );
        let totals = row_of(&range, "Totale");
        assert_eq!(
            floats(&totals[1..]),
            [6.0, 20.0, 112.0, 11.0, 11.0, 7.0, 1.0, 168.0]
        );

        let bytes = render(&report, &options(Lang::It)).unwrap();
        let formulas = open(bytes).worksheet_formula("Soci per categoria").unwrap();
        let all: Vec<&String> = formulas
            .rows()
            .flatten()
            .filter(|f| !f.is_empty())
            .collect();
        assert!(
            all.iter().any(|f| f.as_str() == "SUBTOTAL(109,D2:D3)"),
            "{all:?}"
        );
        assert!(all.iter().any(|f| f.as_str() == "SUM(B2:H2)"), "{all:?}");
    }

    #[test]
    fn provinces_show_a_label_for_members_without_one() {
        let range = sheet(&sample_report(), Lang::It, "Soci per provincia");
        let missing = row_of(&range, "(non indicata)");
        assert_eq!(floats(&missing[1..]), [0.0; 8]);
        let totals = row_of(&range, "Totale");
        assert_eq!(floats(&totals[8..]), [168.0]);
    }

    #[test]
    fn project_totals_are_the_portfolio() {
        let report = sample_report();
        let range = sheet(&report, Lang::It, "Progetti per cluster");
        let seed = row_of(&range, "Scienze della vita");
        assert_eq!(floats(&seed[1..]), [1.0, 158_500.0, 114_944.0, 0.7252]);
        let totals = row_of(&range, "Totale");
        let ratio = report.projects.portfolio.ratio().unwrap().as_f64();
        assert_eq!(floats(&totals[1..]), [3.0, 658_500.0, 414_944.0, ratio]);
        let calls = sheet(&report, Lang::It, "Progetti per bando");
        assert_eq!(
            floats(&row_of(&calls, "Totale")[1..4]),
            [3.0, 658_500.0, 414_944.0]
        );
    }

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
        assert_eq!(seed[column("Valore progetto")], Data::Float(158_500.0));
        assert_eq!(seed[column("Finanziamento")], Data::Float(114_944.0));
        assert_eq!(seed[column("Rapporto")], Data::Float(0.7252));
        assert_eq!(seed[column("Tetto")], Data::Float(0.7));
        assert_eq!(seed[column("Eccedenza (EUR)")], Data::Float(3_994.0));
        assert_eq!(seed[column("Esito")], Data::String("Superamento".into()));
        assert_eq!(seed[column("Margine (EUR)")], Data::Empty);
        let uncapped = row_of(&range, "E42F20000010011");
        assert_eq!(
            uncapped[column("Titolo")],
            Data::String("Łódź–Brønnøysund Зеленый коридор".into())
        );
        assert_eq!(
            uncapped[column("Esito")],
            Data::String("Nessun tetto".into())
        );
    }

    #[test]
    fn text_from_the_inputs_never_becomes_a_formula() {
        let mut report = sample_report();
        report.audit.projects[0].title = "=HYPERLINK(\"http://example.com\",\"x\")".into();
        report.issues[0].value = Some("+39 02 1234 5678".into());
        report.members.by_cluster[0].cluster = "=1+1".into();
        let bytes = render(&report, &options(Lang::It)).unwrap();
        let mut workbook = open(bytes);
        for name in ["Controllo finanziamenti", "Anomalie", "Soci per categoria"] {
            let formulas = workbook.worksheet_formula(name).unwrap();
            assert!(
                formulas
                    .rows()
                    .flatten()
                    .all(|f| !f.contains("HYPERLINK") && f != "1+1"),
                "{name}"
            );
        }
        let audit = workbook.worksheet_range("Controllo finanziamenti").unwrap();
        assert_eq!(
            audit.get((1, 1)),
            Some(&Data::String(
                "=HYPERLINK(\"http://example.com\",\"x\")".into()
            ))
        );
        let issues = workbook.worksheet_range("Anomalie").unwrap();
        assert_eq!(
            issues.get((1, 5)),
            Some(&Data::String("+39 02 1234 5678".into()))
        );
    }

    #[test]
    fn issues_and_sources_are_listed() {
        let report = sample_report();
        let issues = sheet(&report, Lang::It, "Anomalie");
        let error = row_of(&issues, "Errore");
        assert_eq!(error[1], Data::String("inputs/soci.xlsx".into()));
        assert_eq!(error[3], Data::String("D1204".into()));
        assert_eq!(error[4], Data::Float(1204.0));
        assert_eq!(error[7], Data::String("Aerospazio".into()));
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
        assert_eq!(
            row_of(&sources, "Periodo")[1],
            Data::String("2026-11".into())
        );
    }

    #[test]
    fn an_empty_report_still_renders() {
        let mut report = sample_report();
        report.members.by_cluster.clear();
        report.members.by_province.clear();
        report.projects.by_cluster.clear();
        report.audit.projects.clear();
        report.issues.clear();
        report.config = None;
        let range = sheet(&report, Lang::En, "Members by category");
        assert_eq!(floats(&row_of(&range, "Total")[8..]), [168.0]);
        let issues = sheet(&report, Lang::En, "Issues");
        assert_eq!(
            issues.get((1, 0)),
            Some(&Data::String("No issues in the data.".into()))
        );
        let sources = sheet(&report, Lang::En, "Sources");
        assert_eq!(
            row_of(&sources, "Configuration")[1],
            Data::String("none".into())
        );
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
    }
}
