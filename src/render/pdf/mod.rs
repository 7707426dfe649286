//! The PDF report: the monthly consolidation report as a document to circulate.
//!
//! A cover with the issuer, subject, period and key figures, then numbered sections:
//! members by category and cluster and by province, projects by cluster and by call,
//! the financing audit (breaches and near-breaches first, then every project), data
//! issues, and sources with their SHA-256. Every figure comes from the
//! [`Report`] model and is only formatted here, in Italian or English form. Layout is
//! done by the modules below: [`layout`] (the page cursor, headings, KPI boxes,
//! header and footer), [`table`], [`chart`], [`fonts`], and [`save`] (embedding and
//! metadata).

use crate::category::Category;
use crate::issues::{Issue, Severity};
use crate::labels::{Labels, Lang};
use crate::money::{group_thousands, Cents, Ppm, Ratio};
use crate::period::{italian_date, Period};
mod canvas;
pub mod fonts;
pub mod layout;
mod save;
pub mod style;
pub mod table;
#[cfg(test)]
mod test_support;

use layout::{Document, Kpi, Level, PageDecoration};
use style::{Ink, Stroke, TextStyle, Weight};
use table::{Column, RowStyle, Table};
use crate::render::{RenderError, RenderOptions};
use crate::report::{
    AppliedCap, AuditStatus, CategoryCounts, InputSummary, ProjectAudit, ProjectGroup,
    ProjectTotals, Report,
};
use chrono::NaiveDate;
use printpdf::{OffsetDateTime, PdfDocumentInfo};
use std::collections::BTreeMap;

/// Shown where a figure does not apply.
const DASH: &str = "–";
/// Font size of the wide audit, issue and source tables.
const SMALL: f32 = 7.0;

/// The PDF file and the characters that the embedded fonts could not draw (shown as
/// U+FFFD in the document), for the caller to report.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub missing_glyphs: Vec<char>,
}

/// Renders the report as PDF bytes.
pub fn render(report: &Report, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    render_with_glyphs(report, options).map(|output| output.bytes)
}

/// Renders the report and also says which characters the fonts lack.
pub fn render_with_glyphs(
    report: &Report,
    options: &RenderOptions,
) -> Result<PdfOutput, RenderError> {
    let f = Fmt::new(options.lang);
    let mut doc = Document::new(decoration(report, &f))?;
    cover(&mut doc, report, &f);
    doc.new_page();
    members(&mut doc, report, &f);
    projects(&mut doc, report, &f);
    audit(&mut doc, report, &f);
    issues(&mut doc, report, &f);
    sources(&mut doc, report, &f);
    let finished = doc.finish();
    let missing_glyphs = finished.missing_glyphs.clone();
    let bytes = finished.save(document_info(report, options, &f)?)?;
    Ok(PdfOutput {
        bytes,
        missing_glyphs,
    })
}

/// Numbers, amounts, ratios and dates in the reader's language.
struct Fmt {
    lang: Lang,
    l: Labels,
}

impl Fmt {
    fn new(lang: Lang) -> Fmt {
        Fmt {
            lang,
            l: Labels { lang },
        }
    }

    /// `158.500,00` / `158,500.00`: amounts in tables, whose headers say EUR.
    fn amount(&self, cents: Cents) -> String {
        match self.lang {
            Lang::It => cents.italian(),
            Lang::En => cents.english(),
        }
    }

    /// `158.500,00 €` / `€158,500.00`.
    fn eur(&self, cents: Cents) -> String {
        match self.lang {
            Lang::It => cents.italian_eur(),
            Lang::En if cents.0 < 0 => format!("-€{}", Cents(-cents.0).english()),
            Lang::En => format!("€{}", cents.english()),
        }
    }

    fn optional_amount(&self, cents: Option<Cents>) -> String {
        cents.map_or_else(|| DASH.to_string(), |c| self.amount(c))
    }

    /// `72,52 %` / `72.52%`, or a dash when there is no ratio.
    fn ratio(&self, ratio: Option<Ratio>) -> String {
        match (ratio, self.lang) {
            (None, _) => DASH.to_string(),
            (Some(r), Lang::It) => r.italian_percent(),
            (Some(r), Lang::En) => r.english_percent(),
        }
    }

    fn cap(&self, cap: Ppm) -> String {
        match self.lang {
            Lang::It => cap.italian_percent(),
            Lang::En => cap.english_percent(),
        }
    }

    fn count(&self, n: u64) -> String {
        group_thousands(n, if self.lang == Lang::It { '.' } else { ',' })
    }

    fn date(&self, date: NaiveDate) -> String {
        match self.lang {
            Lang::It => italian_date(date),
            Lang::En => date.format("%-d %B %Y").to_string(),
        }
    }

    /// `novembre 2026` / `November 2026`.
    fn month(&self, period: Period) -> String {
        const IT: [&str; 12] = [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = if self.lang == Lang::It { IT } else { EN };
        let index = (period.month.clamp(1, 12) - 1) as usize;
        format!("{} {}", names[index], period.year)
    }

    /// A table header for an amount column: `Finanziamento (EUR)`.
    fn eur_header(&self, label: &str) -> String {
        format!("{label} (EUR)")
    }

    fn status(&self, status: AuditStatus) -> &'static str {
        match status {
            AuditStatus::Breach => self.l.status_breach(),
            AuditStatus::NearCap => self.l.status_near(),
            AuditStatus::WithinCap => self.l.status_ok(),
            AuditStatus::NoCap => self.l.status_no_cap(),
            AuditStatus::Undefined => self.l.status_undefined(),
        }
    }

    fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => self.l.severity_error(),
            Severity::Warning => self.l.severity_warning(),
        }
    }

    /// The reader's word for an input's kind.
    fn kind(&self, kind: &str) -> String {
        match kind {
            "members" => self.l.members().to_string(),
            "projects" => self.l.projects().to_string(),
            "partners" => self.l.partners().to_string(),
            "config" => self.l.config().to_string(),
            "ignored" => self.l.ignored().to_string(),
            other => other.to_string(),
        }
    }
}

fn decoration(report: &Report, f: &Fmt) -> PageDecoration {
    let l = &f.l;
    let header_left = if report.subject.is_empty() {
        l.report_title().to_string()
    } else {
        format!("{} · {}", l.report_title(), report.subject)
    };
    PageDecoration {
        header_left,
        header_right: format!("{}: {}", l.period(), f.month(report.period)),
        footer_left: format!(
            "{} {} · {} {}",
            l.as_of(),
            f.date(report.as_of),
            l.generated_by(),
            report.version
        ),
        page_word: l.page().to_string(),
        of_word: l.of().to_string(),
        header_on_first_page: false,
    }
}

fn document_info(
    report: &Report,
    options: &RenderOptions,
    f: &Fmt,
) -> Result<PdfDocumentInfo, RenderError> {
    let created = OffsetDateTime::from_unix_timestamp(options.created.and_utc().timestamp())
        .map_err(|e| {
            RenderError::new(
                "PDF",
                format!(
                    "the creation time {} cannot be written into the metadata ({e}).",
                    options.created
                ),
            )
        })?;
    let mut title = format!("{} {}", f.l.report_title(), report.period);
    if !report.subject.is_empty() {
        title = format!("{title} – {}", report.subject);
    }
    let tool = format!("consolida {}", report.version);
    Ok(PdfDocumentInfo {
        document_title: title,
        author: report.issuer.clone(),
        subject: report.subject.clone(),
        creator: tool.clone(),
        producer: tool,
        creation_date: created,
        modification_date: created,
        metadata_date: created,
        ..PdfDocumentInfo::default()
    })
}

fn cover(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    if !report.issuer.is_empty() {
        doc.paragraph(
            &report.issuer,
            TextStyle::new(9.5, Weight::Regular, Ink::Muted),
        );
        doc.space(5.0);
    }
    doc.paragraph(
        l.report_title(),
        TextStyle::new(24.0, Weight::Bold, Ink::Text),
    );
    if !report.subject.is_empty() {
        doc.space(0.5);
        doc.paragraph(
            &report.subject,
            TextStyle::new(15.0, Weight::Regular, Ink::Accent),
        );
    }
    doc.space(4.0);
    let line = TextStyle::new(10.0, Weight::Regular, Ink::Text);
    doc.paragraph(
        &format!(
            "{}: {} ({})",
            l.period(),
            f.month(report.period),
            report.period
        ),
        line,
    );
    doc.paragraph(&format!("{} {}", l.as_of(), f.date(report.as_of)), line);
    doc.space(5.0);
    doc.rule(Stroke::thin());
    doc.heading(l.summary(), Level::Section);
    key_figures(doc, report, f);
    table_with_heading(doc, l.projects_count(), &approvals_table(report, f));
}

fn key_figures(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    let kpi = |value: String, caption: &str| Kpi {
        value,
        caption: caption.to_string(),
        change: None,
    };
    let counts = report.issue_counts();
    let portfolio = &report.projects.portfolio;
    doc.kpi_row(&[
        kpi(f.count(report.members.total()), l.members_total()),
        kpi(f.count(portfolio.count), l.projects_count()),
        kpi(
            f.count(report.audit.breaches().count() as u64),
            l.breaches(),
        ),
        kpi(
            f.count(report.audit.near_breaches().count() as u64),
            l.near_cap_count(),
        ),
        kpi(
            format!(
                "{} / {}",
                f.count(counts.errors as u64),
                f.count(counts.warnings as u64)
            ),
            l.errors_and_warnings(),
        ),
    ]);
    doc.space(4.0);
    doc.kpi_row(&[
        kpi(f.eur(portfolio.value), l.project_value()),
        kpi(f.eur(portfolio.financing), l.financing()),
        kpi(f.ratio(portfolio.ratio()), l.financing_ratio()),
    ]);
}

/// The month, the year to date and the whole portfolio side by side.
fn approvals_table(report: &Report, f: &Fmt) -> Table {
    let l = &f.l;
    let mut table = totals_table(f, "");
    let p = &report.projects;
    table.row(totals_cells(f, l.in_month(), &p.in_period));
    table.row(totals_cells(f, l.from_year_start(), &p.year_to_date));
    table.styled_row(
        RowStyle::Emphasis,
        totals_cells(f, l.portfolio(), &p.portfolio),
    );
    table
}

/// Columns for count, value, financing and ratio after a first text column.
fn totals_table(f: &Fmt, first: &str) -> Table {
    let l = &f.l;
    Table::new(vec![
        Column::left(first, 40.0),
        Column::right(l.count(), 12.0),
        Column::right(f.eur_header(l.project_value()), 22.0),
        Column::right(f.eur_header(l.financing()), 22.0),
        Column::right(l.ratio(), 14.0),
    ])
}

fn totals_cells(f: &Fmt, name: &str, totals: &ProjectTotals) -> Vec<String> {
    vec![
        name.to_string(),
        f.count(totals.count),
        f.amount(totals.value),
        f.amount(totals.financing),
        f.ratio(totals.ratio()),
    ]
}

fn members(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    let m = &report.members;
    doc.heading(&format!("1. {}", l.members()), Level::Section);
    let mut table = category_table(f, l.cluster());
    for cluster in &m.by_cluster {
        table.row(category_cells(f, &cluster.cluster, &cluster.counts));
    }
    table.styled_row(RowStyle::Total, category_cells(f, l.total(), &m.totals));
    table_with_heading(doc, l.members_by_category(), &table);
    let mut table = category_table(f, l.province());
    for province in &m.by_province {
        let name = province.province.as_deref().unwrap_or(l.no_province());
        table.row(category_cells(f, name, &province.counts));
    }
    table.styled_row(RowStyle::Total, category_cells(f, l.total(), &m.totals));
    table_with_heading(doc, l.members_by_province(), &table);
}

/// A sub-section heading and its table.
fn table_with_heading(doc: &mut Document, heading: &str, table: &Table) {
    doc.heading(heading, Level::Subsection);
    doc.table(table);
}

/// A first text column, one column per category, and the row total.
fn category_table(f: &Fmt, first: &str) -> Table {
    let mut columns = vec![Column::left(first, 40.0)];
    columns.extend(
        Category::ALL
            .iter()
            .map(|c| Column::right(c.short_label(f.lang), 14.0)),
    );
    columns.push(Column::right(f.l.total(), 12.0));
    Table::new(columns)
}

fn category_cells(f: &Fmt, name: &str, counts: &CategoryCounts) -> Vec<String> {
    let mut cells = vec![name.to_string()];
    cells.extend(Category::ALL.iter().map(|c| f.count(counts.get(*c))));
    cells.push(f.count(counts.total()));
    cells
}

fn projects(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    let p = &report.projects;
    doc.heading(&format!("2. {}", l.projects()), Level::Section);
    if p.portfolio.count == 0 {
        doc.paragraph(l.no_projects(), TextStyle::body());
        return;
    }
    table_with_heading(
        doc,
        l.projects_by_cluster(),
        &groups_table(f, l.cluster(), &p.by_cluster, &p.portfolio),
    );
    table_with_heading(
        doc,
        l.projects_by_call(),
        &groups_table(f, l.call(), &p.by_call, &p.portfolio),
    );
}

fn groups_table(f: &Fmt, key: &str, groups: &[ProjectGroup], total: &ProjectTotals) -> Table {
    let mut table = totals_table(f, key);
    for group in groups {
        table.row(totals_cells(f, &group.key, &group.totals));
    }
    table.styled_row(RowStyle::Total, totals_cells(f, f.l.total(), total));
    table
}

fn audit(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("3. {}", l.financing_audit()), Level::Section);
    let breaches: Vec<&ProjectAudit> = report.audit.breaches().collect();
    if breaches.is_empty() {
        doc.heading(l.breaches(), Level::Subsection);
        doc.paragraph(l.no_breaches(), TextStyle::body());
    } else {
        let table = cap_table(f, &breaches, l.excess(), |p| p.excess);
        table_with_heading(doc, l.breaches(), &table);
    }
    let near: Vec<&ProjectAudit> = report.audit.near_breaches().collect();
    if !near.is_empty() {
        let table = cap_table(f, &near, l.headroom(), |p| p.headroom);
        table_with_heading(doc, l.near_cap_count(), &table);
    }
    let cited: Vec<&ProjectAudit> = breaches.into_iter().chain(near).collect();
    if let Some(table) = rules_table(f, &cited) {
        table_with_heading(doc, l.cap_rules(), &table);
    }
    if report.audit.projects.is_empty() {
        doc.heading(l.all_projects(), Level::Subsection);
        doc.paragraph(l.no_projects(), TextStyle::body());
    } else {
        table_with_heading(
            doc,
            l.all_projects(),
            &projects_table(f, &report.audit.projects),
        );
    }
}

/// The project code on its own line, then the title.
fn project_cell(project: &ProjectAudit) -> String {
    format!("{}\n{}", project.project_id, project.title)
}

fn cap_text(f: &Fmt, project: &ProjectAudit) -> String {
    project
        .cap
        .as_ref()
        .map_or_else(|| DASH.to_string(), |c| f.cap(c.max_ratio))
}

/// Breaches or near-breaches: the figures, the cap and the rule that set it, what
/// the rule allows, and the EUR amount in `last` (excess or headroom).
fn cap_table(
    f: &Fmt,
    projects: &[&ProjectAudit],
    last: &str,
    amount: fn(&ProjectAudit) -> Option<Cents>,
) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 50.0),
        Column::right(f.eur_header(l.project_value()), 19.0),
        Column::right(f.eur_header(l.financing()), 19.0),
        Column::right(l.ratio(), 12.0),
        Column::right(l.cap(), 10.0),
        Column::right(l.rule_number(), 10.0),
        Column::right(l.allowed(), 19.0),
        Column::right(last, 19.0),
    ])
    .font_size(SMALL);
    for p in projects {
        let cap = p.cap.as_ref();
        table.row(vec![
            project_cell(p),
            f.amount(p.value),
            f.amount(p.financing),
            f.ratio(p.ratio),
            cap_text(f, p),
            cap.map_or_else(|| DASH.to_string(), |c| c.rule_number.to_string()),
            f.optional_amount(cap.map(|c| c.allowed)),
            f.optional_amount(amount(p)),
        ]);
    }
    table
}

/// The cap rules cited in the breach and near-cap tables, each once, by number.
fn rules_table(f: &Fmt, projects: &[&ProjectAudit]) -> Option<Table> {
    let rules: BTreeMap<usize, &AppliedCap> = projects
        .iter()
        .filter_map(|p| p.cap.as_ref())
        .map(|c| (c.rule_number, c))
        .collect();
    if rules.is_empty() {
        return None;
    }
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::right(l.rule_number(), 10.0),
        Column::left(l.cap_rule(), 100.0),
        Column::right(l.cap(), 10.0),
        Column::right(f.eur_header(l.max_grant()), 22.0),
    ])
    .font_size(SMALL);
    for (number, cap) in rules {
        table.row(vec![
            number.to_string(),
            cap.rule.clone(),
            f.cap(cap.max_ratio),
            f.optional_amount(cap.max_grant),
        ]);
    }
    Some(table)
}

/// Every project against its cap; breaches flagged.
fn projects_table(f: &Fmt, projects: &[ProjectAudit]) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 50.0),
        Column::left(l.cluster(), 22.0),
        Column::right(f.eur_header(l.project_value()), 19.0),
        Column::right(f.eur_header(l.financing()), 19.0),
        Column::right(l.ratio(), 12.0),
        Column::right(l.cap(), 10.0),
        Column::left(l.status(), 15.0),
        Column::right(l.excess_or_headroom(), 19.0),
    ])
    .font_size(SMALL);
    for p in projects {
        let style = if p.status == AuditStatus::Breach {
            RowStyle::Flagged
        } else {
            RowStyle::Normal
        };
        table.styled_row(
            style,
            vec![
                project_cell(p),
                p.cluster.clone(),
                f.amount(p.value),
                f.amount(p.financing),
                f.ratio(p.ratio),
                cap_text(f, p),
                f.status(p.status).to_string(),
                f.optional_amount(p.excess.or(p.headroom)),
            ],
        );
    }
    table
}

fn issues(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("4. {}", l.issues()), Level::Section);
    if report.issues.is_empty() {
        doc.paragraph(l.no_issues(), TextStyle::body());
        return;
    }
    let counts = report.issue_counts();
    let summary = format!(
        "{}: {} · {}: {}",
        l.errors(),
        f.count(counts.errors as u64),
        l.warnings(),
        f.count(counts.warnings as u64)
    );
    doc.lead_in(&summary, TextStyle::body());
    let mut table = Table::new(vec![
        Column::left(l.severity(), 12.0),
        Column::left(l.file(), 26.0),
        Column::left(l.sheet(), 14.0),
        Column::left(l.cell(), 9.0).unbroken(),
        Column::left(l.value(), 18.0),
        Column::left(l.message(), 70.0),
        Column::left(l.suggestion(), 22.0),
    ])
    .font_size(SMALL);
    for issue in &report.issues {
        let style = if issue.severity == Severity::Error {
            RowStyle::Flagged
        } else {
            RowStyle::Normal
        };
        table.styled_row(style, issue_cells(f, issue));
    }
    doc.table(&table);
}

fn issue_cells(f: &Fmt, issue: &Issue) -> Vec<String> {
    let location = &issue.location;
    vec![
        f.severity(issue.severity).to_string(),
        location.file.clone(),
        location.sheet.clone().unwrap_or_default(),
        location.cell_ref().unwrap_or_default(),
        issue.value.clone().unwrap_or_default(),
        issue.message.clone(),
        issue.suggestion.clone().unwrap_or_default(),
    ]
}

fn sources(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("5. {}", l.sources()), Level::Section);
    let mut table = Table::new(vec![
        Column::left(l.file(), 60.0),
        Column::left(l.kind(), 20.0),
        Column::right(l.rows_read(), 16.0),
        Column::right(l.rows_rejected(), 17.0),
        Column::left(l.sha256(), 57.0).unbroken(),
    ])
    .font_size(SMALL);
    for input in &report.inputs {
        table.row(source_cells(f, input, true));
    }
    if let Some(config) = &report.config {
        table.row(source_cells(f, config, false));
    }
    doc.table(&table);
    doc.space(4.0);
    let config = report.config.as_ref().map_or(l.none(), |c| c.path.as_str());
    doc.paragraph(&format!("{}: {}", l.config(), config), TextStyle::body());
    doc.paragraph(
        &format!("{}: consolida {}", l.version(), report.version),
        TextStyle::body(),
    );
}

/// Path, kind, rows and the digest split in two halves, so it reads in two lines.
fn source_cells(f: &Fmt, input: &InputSummary, with_rows: bool) -> Vec<String> {
    let sha = &input.sha256;
    let digest = if sha.len() == 64 && sha.is_ascii() {
        format!("{}\n{}", &sha[..32], &sha[32..])
    } else {
        sha.clone()
    };
    let rows = |n: u64| {
        if with_rows {
            f.count(n)
        } else {
            DASH.to_string()
        }
    };
    vec![
        input.path.clone(),
        f.kind(&input.kind),
        rows(input.rows),
        rows(input.rejected),
        digest,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    fn options(lang: Lang) -> RenderOptions {
        let created = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(6, 30, 0)
            .unwrap();
        RenderOptions { lang, created }
    }

    fn text_of(bytes: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(bytes).unwrap()
    }

    #[test]
    fn the_sample_reads_in_italian() {
        let output = render_with_glyphs(&sample_report(), &options(Lang::It)).unwrap();
        assert!(
            output.missing_glyphs.is_empty(),
            "{:?}",
            output.missing_glyphs
        );
        let text = text_of(&output.bytes);
        for needle in [
            "Report di consolidamento",
            "Cluster Tecnologici Lombardi",
            "Dati al 30/11/2026",
            "158.500,00",
            "72,52 %",
            "3.994,00",
            "Mobilità",
            "Scienze della vita",
            "Asse 1 Consolidamento CTL",
            "Łódź–Brønnøysund",
            "Aerospazo",
            "Pagina 1 di",
            "Superamento",
        ] {
            assert!(
                text.contains(needle),
                "{needle:?} not in the PDF text:\n{text}"
            );
        }
    }

    #[test]
    fn the_sample_reads_in_english() {
        let text = text_of(&render(&sample_report(), &options(Lang::En)).unwrap());
        for needle in [
            "Consolidation report",
            "158,500.00",
            "72.52%",
            "3,994.00",
            "Page 1 of",
            "30 November 2026",
        ] {
            assert!(
                text.contains(needle),
                "{needle:?} not in the PDF text:\n{text}"
            );
        }
    }

    #[test]
    fn rendering_twice_in_one_process_gives_identical_bytes() {
        let report = sample_report();
        let first = render(&report, &options(Lang::It)).unwrap();
        let second = render(&report, &options(Lang::It)).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn metadata_comes_from_the_report_and_the_options() {
        let bytes = render(&sample_report(), &options(Lang::It)).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("D:20261201063000"),
            "creation date from options.created"
        );
    }

    /// The sample grown to ten clusters, sixty projects and two hundred issues.
    fn large_report() -> Report {
        let mut report = sample_report();
        let clusters = [
            "Agrifood",
            "Aerospazio",
            "Chimica verde",
            "Energia",
            "Fabbrica intelligente",
            "Mobilità",
            "Scienze della vita",
            "Tecnologie per le smart communities",
            "Tecnologie per gli ambienti di vita",
            "Sistema Cosmetico",
        ];
        let template = report.members.by_cluster[0].clone();
        report.members.by_cluster = clusters
            .iter()
            .map(|name| crate::report::ClusterMembers {
                cluster: name.to_string(),
                ..template.clone()
            })
            .collect();
        let projects = report.audit.projects.clone();
        report.audit.projects = (0..60)
            .map(|i| {
                let mut p = projects[i % 3].clone();
                p.project_id = format!("E42F2000001{i:04}");
                p.cluster = clusters[i % 10].to_string();
                p
            })
            .collect();
        let issues = report.issues.clone();
        report.issues = (0..200).map(|i| issues[i % 2].clone()).collect();
        report
    }

    #[test]
    fn a_large_report_paginates_with_headers_and_footers() {
        let output = render_with_glyphs(&large_report(), &options(Lang::It)).unwrap();
        let text = text_of(&output.bytes);
        let pages = text.matches("Pagina ").count();
        assert!(pages >= 6, "{pages} pages");
        assert!(text.contains(&format!("Pagina {pages} di {pages}")));
        assert_eq!(
            text.matches("Report di consolidamento · Cluster Tecnologici Lombardi")
                .count(),
            pages - 1
        );
        assert!(text.contains("Agrifood") && text.contains("E42F20000010059"));
    }
}
