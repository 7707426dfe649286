//! `--per-cluster`: a PDF for each cluster, `consolida-<period>-<slug>.pdf`,
//! that opens with the cluster's name: its card ([`cluster_card::body`]), its
//! projects against their caps (every one up to the limit of Appendix A,
//! `[pdf] appendix_projects`, and above it chosen as the appendix chooses),
//! and the report's issues counted, since an issue names a file, a sheet and
//! a cell but not a cluster.
//!
//! The slug is the cluster's name in lower-case ASCII, accents folded and
//! every other character a `-`; two clusters whose slugs are alike get `-2`,
//! `-3`… in the report's order, so that every file has a name of its own.

use super::audit::{appendix_rows, projects_table};
use super::cluster_card;
use super::clusters;
use super::format::Fmt;
use super::layout::{Document, Level};
use super::style::{Ink, Stroke, TextStyle, Weight};
use super::{decoration, document_info, PdfOutput};
use crate::fold::strip_accent;
use crate::issues::IssueCounts;
use crate::render::{RenderError, RenderOptions};
use crate::report::{ProjectAudit, Report};

/// Every cluster of the report with the name of its PDF, in the report's order.
pub(crate) fn files(report: &Report) -> Vec<(&str, String)> {
    let stem = crate::render::stem(report.period);
    let mut taken: Vec<String> = Vec::new();
    clusters::names(report)
        .into_iter()
        .map(|cluster| {
            let base = slug(cluster);
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{base}-{n}");
            }
            taken.push(name.clone());
            (cluster, format!("{stem}-{name}.pdf"))
        })
        .collect()
}

/// `Mobilità` → `mobilita`, `Tecnologie per le smart communities` →
/// `tecnologie-per-le-smart-communities`; a name with no ASCII letter or
/// digit → `cluster`.
pub(crate) fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase).map(strip_accent) {
        let ch = match ch {
            'ß' => 's',
            'æ' => 'a',
            'œ' => 'o',
            _ => ch,
        };
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "cluster".to_string()
    } else {
        slug.to_string()
    }
}

/// The PDF of `cluster`.
///
/// # Errors
/// [`RenderError`] if the fonts cannot be read or printpdf fails.
pub(crate) fn render(
    report: &Report,
    options: &RenderOptions,
    cluster: &str,
) -> Result<PdfOutput, RenderError> {
    let f = Fmt::new(options.lang);
    let l = &f.l;
    let mut decoration = decoration(report, &f);
    decoration.header_left = format!("{} · {cluster}", l.report_title());
    let mut doc = Document::new(decoration)?;
    title(&mut doc, report, &f, cluster);
    cluster_card::body(&mut doc, report, &f, cluster, None);
    doc.new_page();
    projects(&mut doc, report, &f, cluster, options.pdf.appendix_limit());
    doc.heading(&format!("2. {}", l.issues()), Level::Section);
    let pdf = format!("{}.pdf", crate::render::stem(report.period));
    let issues = cluster_card::issues_of(report, cluster);
    if issues.is_empty() {
        doc.paragraph(&l.cluster_issues(0, 0, &pdf), TextStyle::body());
    } else {
        let counts = IssueCounts::of(&issues);
        doc.lead_in(
            &l.errors_then_warnings(counts.errors, counts.warnings),
            TextStyle::body(),
        );
        doc.space(1.5);
        super::provenance::issue_groups(&mut doc, &f, &issues);
    }
    let others = l.other_issues(report.issues.len() - issues.len(), &pdf);
    if !others.is_empty() {
        doc.paragraph(&others, TextStyle::body());
    }
    let finished = doc.finish();
    let missing_glyphs = finished.missing_glyphs.clone();
    let mut info = document_info(report, options, &f);
    info.title = format!("{} {} – {cluster}", l.report_title(), report.period);
    let bytes = finished.save(&info)?;
    Ok(PdfOutput {
        bytes,
        missing_glyphs,
    })
}

/// The first lines: the cluster's name (the outline's first entry), what
/// the document is, the period, who issues it and the date of the data.
fn title(doc: &mut Document, report: &Report, f: &Fmt, cluster: &str) {
    let l = &f.l;
    doc.heading(cluster, Level::Title);
    doc.paragraph(
        &format!("{} · {}", l.cluster_card(), f.month(report.period)),
        TextStyle::new(13.0, Weight::Regular, Ink::Accent),
    );
    doc.space(2.0);
    let muted = TextStyle::new(9.0, Weight::Regular, Ink::Muted);
    let mut from = l.report_title().to_string();
    if !report.subject.is_empty() {
        from = format!("{from} · {}", report.subject);
    }
    doc.paragraph(&from, muted);
    if !report.issuer.is_empty() {
        doc.paragraph(&report.issuer, muted);
    }
    doc.paragraph(&format!("{} {}", l.as_of(), f.date(report.as_of)), muted);
    doc.space(2.0);
    doc.rule(Stroke::thin());
    doc.space(3.0);
}

/// Section 1: the cluster's projects against their caps, every one up to
/// `limit`, and above it those Appendix A would list, after a sentence
/// saying so.
fn projects(doc: &mut Document, report: &Report, f: &Fmt, cluster: &str, limit: usize) {
    let l = &f.l;
    let own: Vec<&ProjectAudit> = report
        .audit
        .projects
        .iter()
        .filter(|p| p.cluster == cluster)
        .collect();
    if own.len() <= limit {
        doc.heading(
            &format!("1. {}", l.cluster_projects_heading(own.len(), own.len())),
            Level::Section,
        );
        if own.is_empty() {
            doc.paragraph(l.no_projects(), TextStyle::body());
        } else {
            doc.table(&projects_table(f, own.into_iter()));
        }
        return;
    }
    let (rows, cut) = appendix_rows(&own, limit);
    doc.heading(
        &format!("1. {}", l.cluster_projects_heading(cut.shown(), cut.total)),
        Level::Section,
    );
    let workbook = format!("{}.xlsx", crate::render::stem(report.period));
    doc.paragraph(&l.cluster_projects_cut(&cut, &workbook), TextStyle::body());
    if !rows.is_empty() {
        doc.space(2.0);
        doc.table(&projects_table(f, rows.into_iter()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::report::sample_report;

    fn options(lang: Lang) -> RenderOptions {
        RenderOptions::for_tests(lang)
    }

    fn words(bytes: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(bytes).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_clusters_pdf_opens_with_its_name_and_is_the_same_twice() {
        let mut report = sample_report();
        // The first issue is on a row of one of the cluster's members.
        report.issues[0].cluster = Some("Mobilità".into());
        let message = report.issues[0].message.it().to_string();
        let first = render(&report, &options(Lang::It), "Mobilità").unwrap();
        let second = render(&report, &options(Lang::It), "Mobilità").unwrap();
        assert_eq!(first.bytes, second.bytes);
        assert!(first.missing_glyphs.is_empty());
        let text = words(&first.bytes);
        assert!(
            text.starts_with("Mobilità Scheda del cluster · novembre 2026"),
            "{text}"
        );
        for needle in [
            "Soci attivi",
            "121",
            "In ritardo",
            "1. Progetti del cluster",
            "Nessun progetto approvato alla data.",
            "2. Anomalie",
            "Un'altra anomalia del report",
            "Report di consolidamento · Mobilità",
        ] {
            assert!(text.contains(needle), "{needle:?} in {text}");
        }
        let first_words: String = message
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&first_words), "{first_words:?} in {text}");
    }

    #[test]
    fn a_cluster_above_the_limit_lists_what_the_appendix_would() {
        let report = sample_report();
        let mut options = options(Lang::En);
        options.pdf.appendix_projects = 2;
        let pdf = render(&report, &options, "Scienze della vita").unwrap();
        let text = words(&pdf.bytes);
        for needle in [
            "1. The cluster's projects (2 of 3)",
            "A cluster's PDF lists its projects in full up to 2; this cluster has 3. \
             Listed are the cap breaches (1) and the largest by value among the rest (1): 2 in all.",
            "E42F20000010009",
        ] {
            assert!(text.contains(needle), "{needle:?} in {text}");
        }
    }

    #[test]
    fn slugs_are_lower_case_ascii_and_unique() {
        assert_eq!(slug("Mobilità"), "mobilita");
        assert_eq!(
            slug("Tecnologie per le smart communities"),
            "tecnologie-per-le-smart-communities"
        );
        assert_eq!(
            slug("  Scienze della vita (CTL) "),
            "scienze-della-vita-ctl"
        );
        assert_eq!(slug("Łódź–Brønnøysund"), "lodz-bronnoysund");
        assert_eq!(slug("Зеленый"), "cluster");
        let mut report = sample_report();
        report.members.by_cluster[1].cluster = "MOBILITA".into();
        let names: Vec<String> = files(&report).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            names,
            [
                "consolida-2026-11-mobilita.pdf",
                "consolida-2026-11-mobilita-2.pdf",
                "consolida-2026-11-scienze-della-vita.pdf",
            ]
        );
    }
}
