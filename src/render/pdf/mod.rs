//! The PDF report: the monthly consolidation report as a document to circulate.
//!
//! A cover with the issuer, subject, period and key figures ([`summary`]), then
//! numbered sections: members by category and cluster and by province, projects by
//! cluster and by call, each with tables and charts ([`figures`]); the financing
//! audit ([`audit`]); data issues and sources ([`provenance`]); and Appendix A, the
//! full project list. Every figure comes from the [`Report`] model and is only
//! formatted here ([`format`]), in Italian or English form.
//!
//! The modules below lay it out and write it: [`page`] (the page's size, margins
//! and text column), [`layout`] (the page cursor, headings, KPI boxes, running
//! header and footer, the outline), [`table`], [`chart`], [`fonts`] (measuring
//! with the embedded DejaVu Sans), [`style`] and [`canvas`] (drawing, as printpdf
//! operations), [`save`] (printpdf embeds and subsets the fonts and writes the
//! objects) and [`amend`] (what printpdf's document lacks: the outline, a fixed
//! document ID, no empty entries).

mod amend;
mod audit;
mod canvas;
pub(crate) mod chart;
mod figures;
pub(crate) mod fonts;
mod format;
pub(crate) mod layout;
mod page;
mod provenance;
mod save;
pub(crate) mod style;
mod summary;
pub(crate) mod table;
#[cfg(test)]
mod test_support;

use crate::render::{RenderError, RenderOptions};
use crate::report::Report;
use crate::timings::timed;
use format::Fmt;
use layout::{Document, PageDecoration};
use save::DocumentInfo;

/// Font size of the wide audit, issue and source tables.
const SMALL: f32 = 7.0;

/// The PDF file and the characters that the embedded fonts could not draw (shown as
/// U+FFFD in the document), for the caller to report.
#[derive(Debug, Clone)]
pub(crate) struct PdfOutput {
    pub(crate) bytes: Vec<u8>,
    pub(crate) missing_glyphs: Vec<char>,
}

/// Renders the report as PDF bytes.
#[cfg(test)]
pub(crate) fn render(report: &Report, options: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    render_with_glyphs(report, options).map(|output| output.bytes)
}

/// Renders the report and also says which characters the fonts lack.
pub(crate) fn render_with_glyphs(
    report: &Report,
    options: &RenderOptions,
) -> Result<PdfOutput, RenderError> {
    let f = Fmt::new(options.lang);
    let finished = timed("pdf layout", || -> Result<_, RenderError> {
        let mut doc = Document::new(decoration(report, &f))?;
        summary::cover(&mut doc, report, &f);
        doc.new_page();
        figures::members(&mut doc, report, &f);
        figures::projects(&mut doc, report, &f);
        audit::audit(&mut doc, report, &f);
        provenance::issues(&mut doc, report, &f);
        provenance::sources(&mut doc, report, &f);
        audit::appendix(&mut doc, report, &f);
        Ok(doc.finish())
    })?;
    let missing_glyphs = finished.missing_glyphs.clone();
    let bytes = timed("pdf fonts, objects, file", || {
        finished.save(&document_info(report, options, &f))
    })?;
    Ok(PdfOutput {
        bytes,
        missing_glyphs,
    })
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

fn document_info(report: &Report, options: &RenderOptions, f: &Fmt) -> DocumentInfo {
    let mut title = format!("{} {}", f.l.report_title(), report.period);
    if !report.subject.is_empty() {
        title = format!("{title} – {}", report.subject);
    }
    let tool = format!("consolida {}", report.version);
    DocumentInfo {
        title,
        author: report.issuer.clone(),
        subject: report.subject.clone(),
        creator: tool.clone(),
        producer: tool,
        created: options.created,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::report::sample_report;
    use chrono::NaiveDate;

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

    /// The text with every run of whitespace one space, lines joined.
    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn an_empty_period_says_so_on_the_cover_and_where_the_charts_would_be() {
        let mut report = sample_report();
        for cluster in &mut report.members.by_cluster {
            cluster.counts = Default::default();
        }
        report.members.totals = Default::default();
        report.members.by_province.clear();
        for group in &mut report.projects.by_cluster {
            group.totals = Default::default();
        }
        report.projects.portfolio = Default::default();
        report.projects.by_call.clear();
        report.audit.projects.clear();
        let text = words(&text_of(&render(&report, &options(Lang::It)).unwrap()));
        for sentence in [
            "Dati al 30/11/2026 Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.",
            "Nessun socio attivo alla data.",
            "Nessun progetto approvato alla data.",
        ] {
            assert!(text.contains(sentence), "{sentence:?} not in:\n{text}");
        }
        assert!(!text.contains("Composizione dei cluster"), "{text}");
        let text = words(&text_of(&render(&report, &options(Lang::En)).unwrap()));
        assert!(
            text.contains(
                "Empty period: no member active and no project approved as of this date."
            ),
            "{text}"
        );
        let text = words(&text_of(
            &render(&sample_report(), &options(Lang::It)).unwrap(),
        ));
        assert!(!text.contains("Periodo vuoto") && !text.contains("Nessun socio"));
    }

    #[test]
    fn a_value_of_a_million_characters_shows_its_first_thousand() {
        let mut report = sample_report();
        // A letter that nothing else in the report has, in one unbroken word.
        report.issues[0].value = Some("ж".repeat(1_000_000));
        let text = text_of(&render(&report, &options(Lang::It)).unwrap());
        let drawn: String = text.chars().filter(|ch| matches!(ch, 'ж' | '…')).collect();
        assert_eq!(drawn, format!("{}…", "ж".repeat(table::MAX_CELL_CHARS - 1)));
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
