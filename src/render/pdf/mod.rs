//! The PDF report: the monthly consolidation report as a document to circulate.
//!
//! A cover with the issuer, subject, period, a paragraph that says the month
//! in words ([`opening`]) and the key figures ([`summary`]), then numbered
//! sections: monitoring, the targets' status and the members' trend by
//! cluster ([`monitoring`]); a card for each of the largest clusters
//! ([`cluster_card`]); members by category and cluster and by province,
//! projects by cluster and by call, each with tables and charts ([`figures`]);
//! the financing audit ([`audit`]); data issues, grouped by kind with their
//! files, and sources ([`provenance`]); and Appendix A, the project list, whole
//! up to `[pdf] appendix_projects` projects and cut to that many above it.
//! `--per-cluster` adds a PDF for each cluster ([`per_cluster`]). Every figure
//! comes from the [`Report`] model and is only formatted here ([`format`]), in
//! Italian or English form.
//!
//! The modules below lay it out and write it: [`page`] (the page's size, margins
//! and text column), [`layout`] (the page cursor, headings, KPI boxes, running
//! header and footer, the outline), [`table`], [`chart`] (bar charts),
//! [`line_chart`] (the months' lines), [`marks`] (the statuses' coloured
//! marks), [`clusters`] (which clusters a bounded section shows), [`fonts`]
//! (measuring with the embedded DejaVu Sans), [`style`] and [`canvas`]
//! (drawing, as printpdf operations), [`save`] (printpdf embeds and subsets
//! the fonts and writes the objects) and [`amend`] (what printpdf's document
//! lacks: the outline, a fixed document ID, no empty entries).

mod amend;
mod audit;
mod canvas;
pub(crate) mod chart;
mod cluster_card;
mod clusters;
mod figures;
pub(crate) mod fonts;
mod format;
pub(crate) mod layout;
mod line_chart;
mod marks;
mod monitoring;
mod opening;
mod page;
pub(crate) mod per_cluster;
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
        monitoring::monitoring(&mut doc, report, &f);
        doc.new_page();
        cluster_card::cards(&mut doc, report, &f);
        doc.new_page();
        figures::members(&mut doc, report, &f);
        figures::projects(&mut doc, report, &f);
        let listed = options.pdf.appendix_limit();
        audit::audit(&mut doc, report, &f, listed);
        provenance::issues(&mut doc, report, &f);
        provenance::sources(&mut doc, report, &f);
        audit::appendix(&mut doc, report, &f, listed);
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
    use crate::money::Cents;
    use crate::report::sample_report;

    fn options(lang: Lang) -> RenderOptions {
        RenderOptions::for_tests(lang)
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
            "A novembre 2026 i soci attivi sono 168 (+47 rispetto a ottobre).",
            "1. Monitoraggio",
            "4 obiettivi:",
            "Intero portafoglio",
            "155,35",
            "In ritardo",
            "Mancato",
            "* Base calcolata dai dati del mese di partenza.",
            "Soci attivi a fine mese, per cluster",
            "2. Schede dei cluster",
            "Una scheda per cluster.",
            "3. Soci",
            "7. Fonti",
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
            "In November 2026 there are 168 active members (+47 since October).",
            "1. Monitoring",
            "Whole portfolio",
            "155.35",
            "On track",
            "Not applicable",
            "2. Cluster cards",
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
    fn the_audit_names_who_is_financed_why_it_breaches_and_what_to_recover() {
        let mut report = sample_report();
        // The second project breaches the grant ceiling only: 68 % under 70 %.
        let second = &mut report.audit.projects[1];
        second.verdict.status = crate::report::AuditStatus::Breach;
        second.verdict.reason = Some(crate::report::BreachReason::Grant);
        (second.verdict.headroom, second.verdict.excess) = (None, Some(Cents(200_000)));
        second.call = "Bando Ergon azione 2".into();
        let text = words(&text_of(&render(&report, &options(Lang::It)).unwrap()));
        for needle in [
            "01234567890",
            "Alfa Meccanica S.r.l.",
            "Scienze della vita · Asse 1 Consolidamento CTL",
            "Scienze della vita · Bando Ergon azione 2",
            "Rapporto oltre il tetto",
            "Contributo oltre il massimo",
            "Finanziamento da recuperare: 5.994,00 €",
            "Bando «Asse 1*»: tetto 70 %",
            "Eccedenza (EUR) Margine (EUR)",
        ] {
            assert!(
                text.contains(needle),
                "{needle:?} not in the PDF text:\n{text}"
            );
        }
        for raw in ["max_ratio", "call =", "Eccedenza / margine"] {
            assert!(!text.contains(raw), "{raw:?} in the PDF text:\n{text}");
        }
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

    /// The letters `ж` and the marks `…` of the report's PDF text: a letter
    /// that nothing else in the report has.
    fn drawn_zhe(report: &Report) -> String {
        let text = text_of(&render(report, &options(Lang::It)).unwrap());
        text.chars().filter(|ch| matches!(ch, 'ж' | '…')).collect()
    }

    #[test]
    fn a_message_of_a_million_characters_shows_its_first_thousand() {
        let mut report = sample_report();
        // One unbroken word, as the message of an issue.
        let long = "ж".repeat(1_000_000);
        report.issues[0].message = crate::text::Text::new(long.clone(), long);
        report.issues[0].value = None;
        assert_eq!(
            drawn_zhe(&report),
            format!("{}…", "ж".repeat(table::MAX_CELL_CHARS - 1))
        );
    }

    #[test]
    fn a_value_of_a_million_characters_shows_its_first_forty_among_the_examples() {
        let mut report = sample_report();
        report.issues[0].value = Some("ж".repeat(1_000_000));
        assert_eq!(drawn_zhe(&report), format!("{}…", "ж".repeat(39)));
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

    /// `count` members listed again in `file`, each a warning of one kind.
    fn repeated_members(file: &str, count: u32) -> Vec<crate::issues::Issue> {
        (0..count)
            .map(|i| {
                let id = format!("{:011}", 70_000_000_000u64 + u64::from(i));
                let first = 2 + i;
                crate::issues::Issue::warning(
                    crate::location::Location::cell(file, Some("Soci"), 100 + i, 0),
                    crate::issues::IssueKind::DuplicateMember,
                    crate::text::Text::new(
                        format!("Il socio {id} compare di nuovo nel cluster «Mobilità» (la prima volta in {file}:Soci!A{first}); è contato una volta sola."),
                        format!("Member {id} appears again in cluster 'Mobilità' (first at {file}:Soci!A{first}); it is counted once."),
                    ),
                )
                .with_value(id)
            })
            .collect()
    }

    #[test]
    fn hundreds_of_repeated_warnings_are_one_row_with_their_count() {
        let mut report = sample_report();
        // The sample's own repeated member would join the group: its error
        // alone stays.
        report.issues.truncate(1);
        report
            .issues
            .extend(repeated_members("inputs/soci.xlsx", 500));
        let text = words(&text_of(&render(&report, &options(Lang::It)).unwrap()));
        let section = text
            .split("6. Anomalie")
            .nth(1)
            .and_then(|rest| rest.split("7. Fonti").next())
            .unwrap();
        // The first of the 500, its count and the cells of the first three.
        assert!(section.contains("Errori: 1 · Avvisi: 500"), "{section}");
        assert!(
            section.contains("Il socio 70000000000 compare di nuovo nel cluster «Mobilità»"),
            "{section}"
        );
        assert!(section.contains(" 500 "), "{section}");
        for example in [
            "Soci!A101 «70000000000»",
            "Soci!A102 «70000000001»",
            "Soci!A103 «70000000002»",
        ] {
            assert!(section.contains(example), "{example} in {section}");
        }
        assert!(!section.contains("70000000003"), "{section}");
        // The sample's own error, a group of one.
        assert!(
            section.contains("Soci!D1204 «Aerospazo» → «Aerospazio»"),
            "{section}"
        );
        assert!(
            section.contains("L'elenco completo delle anomalie, ciascuna con file, foglio, cella e valore, è nel foglio “Anomalie” di consolida-2026-11.xlsx e in issues.csv."),
            "{section}"
        );
        assert!(!section.contains("non sono mostrati"), "{section}");
    }

    /// `count` issues of `kind` and `severity`, named by `word`, in `file`.
    fn one_kind(
        file: &str,
        (severity, kind): (crate::issues::Severity, crate::issues::IssueKind),
        word: &str,
        count: u32,
    ) -> Vec<crate::issues::Issue> {
        (0..count)
            .map(|i| {
                let at = crate::location::Location::cell(file, Some("Soci"), 100 + i, 0);
                let text = format!("The column {word} is not one this kind of table has.");
                let message = crate::text::Text::new(text.clone(), text);
                match severity {
                    crate::issues::Severity::Error => {
                        crate::issues::Issue::error(at, kind, message)
                    }
                    crate::issues::Severity::Warning => {
                        crate::issues::Issue::warning(at, kind, message)
                    }
                }
            })
            .collect()
    }

    #[test]
    fn groups_beyond_forty_are_counted_in_a_sentence() {
        let mut report = sample_report();
        report.issues.clear();
        // Sixty groups, the group k with 3 + k issues: the warnings of every
        // kind, then the errors of the first 22 kinds.
        let word = |k: u32| {
            format!(
                "col{}",
                char::from(b'a' + (k / 26) as u8).to_string()
                    + &char::from(b'a' + (k % 26) as u8).to_string()
            )
        };
        let kinds = crate::issues::IssueKind::ALL;
        for k in 0..60 {
            let severity = match (k as usize) < kinds.len() {
                true => crate::issues::Severity::Warning,
                false => crate::issues::Severity::Error,
            };
            report.issues.extend(one_kind(
                &format!("inputs/soci{k:02}.xlsx"),
                (severity, kinds[k as usize % kinds.len()]),
                &word(k),
                3 + k,
            ));
        }
        let text = words(&text_of(&render(&report, &options(Lang::En)).unwrap()));
        // Errors first, then the largest: the 22 errors (the groups 59 to
        // 38) and the 18 largest groups of warnings (37 to 20) show; the
        // other 20 are left out.
        for shown in [59, 38, 37, 20] {
            assert!(
                text.contains(&format!("The column {} is", word(shown))),
                "{shown}: {text}"
            );
        }
        assert!(
            !text.contains(&format!("The column {} is", word(19))),
            "{text}"
        );
        let left_out: u32 = (0..20).map(|k| 3 + k).sum::<u32>();
        assert!(
            text.contains(&format!(
                "20 more groups, with {left_out} issues, are not shown."
            )),
            "{text}"
        );
        assert!(text.contains("the “Issues” sheet of consolida-2026-11.xlsx and in issues.csv."));
    }

    #[test]
    fn a_kind_in_many_files_is_one_row_naming_how_many() {
        let mut report = sample_report();
        report.issues.truncate(1);
        for f in 0..30 {
            report
                .issues
                .extend(repeated_members(&format!("inputs/soci{f:02}.xlsx"), 2));
        }
        let text = words(&text_of(&render(&report, &options(Lang::It)).unwrap()));
        let section = text.split("6. Anomalie").nth(1).unwrap();
        assert!(section.contains("in 30 file"), "{section}");
        assert!(section.contains("60"), "{section}");
        assert!(section.contains("soci00.xlsx: Soci!A101"), "{section}");
        assert!(!section.contains("non sono mostrati"), "{section}");
    }

    /// The sample with `count` projects, cycling through a breach, a near
    /// breach and one without a cap, each of its own value, in the audit's order.
    fn with_projects(count: usize) -> Report {
        let mut report = sample_report();
        let projects = report.audit.projects.clone();
        let mut all: Vec<_> = (0..count)
            .map(|i| {
                let mut p = projects[i % 3].clone();
                p.project_id = format!("P{i:04}");
                p.value = crate::money::Cents(1_000_000 + i as i64);
                if i % 3 == 1 {
                    p.verdict.status = crate::report::AuditStatus::NearCap;
                }
                p
            })
            .collect();
        all.sort_by_key(|p| p.verdict.status);
        report.audit.projects = all;
        report
    }

    /// The project ids of the appendix, in their order.
    fn appendix_ids(text: &str, heading: &str) -> Vec<String> {
        let appendix = text
            .split(heading)
            .nth(1)
            .unwrap_or_else(|| panic!("{heading} not in {text}"));
        appendix
            .split_whitespace()
            .filter(|w| {
                w.len() == 5 && w.starts_with('P') && w[1..].chars().all(|c| c.is_ascii_digit())
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_portfolio_above_the_limits_lists_breaches_near_ones_and_the_largest() {
        let report = with_projects(300);
        let text = words(&text_of(&render(&report, &options(Lang::It)).unwrap()));
        let ids = appendix_ids(&text, "Appendice A. Elenco dei progetti (200 di 300)");
        assert_eq!(ids.len(), 200, "{ids:?}");
        // The hundred breaches and the hundred near ones fill the limit.
        assert_eq!(ids[0], "P0000");
        assert_eq!(ids[100], "P0001");
        assert!(ids
            .iter()
            .all(|id| id[1..].parse::<usize>().unwrap() % 3 != 2));
        // Section 5 lists the first fifty breaches and near breaches.
        let cut =
            "La tabella elenca le prime 50 delle 100 righe; tutte sono in financing_audit.csv.";
        assert_eq!(text.matches(cut).count(), 2, "{text}");
        for sentence in [
            "L'Appendice A elenca 200 dei 300 progetti",
            "L'appendice elenca per intero un portafoglio fino a 200 progetti; questo ne conta 300. Sono elencati i superamenti del tetto (100) e i progetti vicini al tetto (100): 200 in tutto.",
            "nel foglio “Controllo finanziamenti” di consolida-2026-11.xlsx e in financing_audit.csv",
        ] {
            assert!(text.contains(sentence), "{sentence:?} not in {text}");
        }

        // Above the breaches and the near ones, the largest of the rest.
        let report = with_projects(30);
        let mut options = options(Lang::En);
        options.pdf.appendix_projects = 25;
        let text = words(&text_of(&render(&report, &options).unwrap()));
        let ids = appendix_ids(&text, "Appendix A. List of projects (25 of 30)");
        let largest: Vec<&str> = ids[20..].iter().map(String::as_str).collect();
        assert_eq!(largest, ["P0029", "P0026", "P0023", "P0020", "P0017"]);
        assert!(text.contains("Listed are the cap breaches (10), the projects near the cap (10) and the largest by value among the rest (5): 25 in all."), "{text}");

        // Within the limit, the whole list under its own heading.
        options.pdf.appendix_projects = 30;
        let text = words(&text_of(&render(&report, &options).unwrap()));
        assert_eq!(
            appendix_ids(&text, "Appendix A. Full list of projects").len(),
            30
        );
        assert!(!text.contains("This appendix lists"), "{text}");
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
