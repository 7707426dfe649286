//! Section 2, the cluster cards: a page for each cluster with its key figures
//! at the period and their change over the month (from the trend's last two
//! months: members, projects, breaches, project value, financing and their
//! ratio), its members by category, its members at each month's end, its
//! targets, its projects above their cap and the report's issues, counted.
//!
//! The section holds the cards of at most [`CARDS`] clusters, the largest by
//! members, and says where the others are: each cluster's own PDF, which
//! `--per-cluster` writes with the same card ([`body`]).

use super::clusters;
use super::figures::{category_cells, category_table};
use super::format::{Fmt, DASH};
use super::layout::{Document, Kpi, Level};
use super::monitoring::{members_charts, members_panel, notes_below, targets_table, Scale};
use super::style::{Ink, TextStyle, Weight};
use super::table::{Column, Table};
use super::SMALL;
use crate::issues::{Issue, IssueCounts};
use crate::monitoring::indicator::Indicator;
use crate::report::monitoring::{MonthlyFigures, Scope, TargetStatus};
use crate::report::{CategoryCounts, ProjectAudit, Report};

/// The most cards the report holds: twelve pages.
pub(crate) const CARDS: usize = 12;
/// The most breaches a card lists, the largest excess first.
pub(crate) const CARD_BREACHES: usize = 10;
/// The height of a card's members chart, in millimetres.
const CHART_HEIGHT: f32 = 24.0;

/// Section 2: a page for each of the [`CARDS`] largest clusters, on its own
/// pages after what comes before.
pub(crate) fn cards(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("2. {}", l.cluster_cards()), Level::Section);
    let (shown, total) = clusters::largest(report, CARDS);
    if shown.is_empty() {
        doc.paragraph(l.no_clusters(), TextStyle::body());
        return;
    }
    doc.paragraph(
        &l.cards_note(shown.len(), total),
        TextStyle::new(8.0, Weight::Regular, Ink::Muted),
    );
    doc.space(6.0);
    let pdf = format!("{}.pdf", crate::render::stem(report.period));
    for (i, cluster) in shown.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        doc.heading(cluster, Level::Page);
        body(doc, report, f, cluster, Some(&pdf));
    }
}

/// A cluster's card, under a heading the caller draws: the issues counted at
/// its end when `issues_in` names the PDF that groups them.
pub(crate) fn body(
    doc: &mut Document,
    report: &Report,
    f: &Fmt,
    cluster: &str,
    issues_in: Option<&str>,
) {
    let l = &f.l;
    let trend = &report.monitoring.trend;
    let figures = trend
        .clusters
        .iter()
        .find(|c| c.cluster == cluster)
        .map(|c| &c.figures);
    key_figures(doc, report, f, figures);

    part(doc, l.members_by_category());
    let counts = report
        .members
        .by_cluster
        .iter()
        .find(|c| c.cluster == cluster)
        .map_or(CategoryCounts::default(), |c| c.counts);
    let mut table = category_table(f, l.cluster());
    table.row(category_cells(f, cluster, &counts));
    doc.table(&table);

    if let (Some(figures), false) = (figures, trend.months.is_empty()) {
        part(doc, l.members_at_month_end());
        let panel = members_panel(f, trend, cluster, figures);
        let layout = (1, CHART_HEIGHT);
        doc.line_charts(&members_charts(f, trend, vec![panel], layout, Scale::Own));
    }

    part(doc, l.targets());
    let targets: Vec<&TargetStatus> = report
        .monitoring
        .targets
        .iter()
        .filter(|t| matches!(&t.scope, Scope::Cluster(name) if name == cluster))
        .collect();
    if targets.is_empty() {
        doc.paragraph(l.no_cluster_targets(), TextStyle::body());
    } else {
        doc.table(&targets_table(f, &targets, false));
        notes_below(doc, f, &targets);
    }

    part(doc, l.breaches());
    let breaches: Vec<&ProjectAudit> = report
        .audit
        .breaches()
        .filter(|p| p.cluster == cluster)
        .collect();
    if breaches.is_empty() {
        doc.paragraph(l.no_cluster_breaches(), TextStyle::body());
    } else {
        let shown = &breaches[..breaches.len().min(CARD_BREACHES)];
        doc.table(&breaches_table(f, shown));
        if shown.len() < breaches.len() {
            doc.space(1.0);
            doc.paragraph(
                &l.cluster_breaches_cut(shown.len(), breaches.len()),
                TextStyle::body(),
            );
        }
    }

    if let Some(pdf) = issues_in {
        doc.space(3.0);
        doc.paragraph(&issues_sentence(report, f, cluster, pdf), TextStyle::body());
    }
}

/// The issues on the cluster's rows, counted, and where they are.
fn issues_sentence(report: &Report, f: &Fmt, cluster: &str, pdf: &str) -> String {
    let counts = IssueCounts::of(&issues_of(report, cluster));
    f.l.cluster_issues(counts.errors, counts.warnings, pdf)
}

/// The issues on the rows of `cluster`'s members and projects.
pub(crate) fn issues_of(report: &Report, cluster: &str) -> Vec<Issue> {
    report
        .issues
        .iter()
        .filter(|i| i.cluster.as_deref() == Some(cluster))
        .cloned()
        .collect()
}

/// A part of a card: a bold line kept with what follows it.
fn part(doc: &mut Document, title: &str) {
    doc.space(3.5);
    doc.lead_in(title, TextStyle::new(9.5, Weight::Bold, Ink::Text));
}

/// Two rows of boxes: members, projects and breaches; project value,
/// financing and their ratio; each at the trend's last month, with its
/// change since the month before.
fn key_figures(doc: &mut Document, report: &Report, f: &Fmt, figures: Option<&MonthlyFigures>) {
    let l = &f.l;
    let trend = &report.monitoring.trend;
    let months = trend.months.len();
    if months >= 2 {
        doc.paragraph(
            &format!(
                "{} {}.",
                l.compared_with(),
                f.month(trend.months[months - 2])
            ),
            TextStyle::new(8.5, Weight::Regular, Ink::Muted),
        );
        doc.space(2.0);
    }
    let kpi = |indicator: Indicator, caption: &str| {
        let values = figures.map(|fig| trend.values(fig, indicator));
        let values = values.unwrap_or_default();
        let now = values.last().copied().flatten();
        let before = values.len().checked_sub(2).and_then(|i| values[i]);
        Kpi {
            value: now.map_or(DASH.to_string(), |v| f.measure(indicator, v)),
            caption: caption.to_string(),
            change: now
                .zip(before)
                .map(|(now, before)| f.signed_measure(indicator, now - before)),
        }
    };
    doc.kpi_row(&[
        kpi(Indicator::Members, l.members_total()),
        kpi(Indicator::Projects, l.projects_count()),
        kpi(Indicator::Breaches, l.breaches()),
    ]);
    doc.space(3.0);
    doc.kpi_row(&[
        kpi(Indicator::ProjectValue, l.project_value()),
        kpi(Indicator::Financing, l.financing()),
        kpi(Indicator::FinancingRatio, l.financing_ratio()),
    ]);
}

/// A card's breaches: the project and its lead member, the figures, the cap
/// and the excess.
fn breaches_table(f: &Fmt, projects: &[&ProjectAudit]) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 24.0).unbroken(),
        Column::left(l.lead_member(), 34.0),
        Column::decimal(f.eur_header(l.project_value()), 16.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 16.0, f.mark()),
        Column::decimal(l.ratio(), 10.0, f.mark()),
        Column::decimal(l.cap(), 8.0, f.mark()),
        Column::decimal(l.excess(), 16.0, f.mark()),
    ])
    .font_size(SMALL);
    for p in projects {
        let lead = p
            .lead_member_name
            .as_deref()
            .or(p.lead_member_id.as_deref())
            .unwrap_or(DASH);
        table.row(vec![
            p.project_id.clone(),
            lead.to_string(),
            f.amount(p.value),
            f.amount(p.financing),
            f.ratio(p.ratio),
            super::audit::cap_text(f, &p.verdict),
            f.optional_amount(p.verdict.excess),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::render::pdf::test_support::{decoration, pages, runs, with_clusters};

    #[test]
    fn a_hundred_and_fifty_clusters_have_twelve_cards_of_a_page() {
        let report = with_clusters(150);
        let f = Fmt::new(Lang::It);
        let mut doc = Document::new(decoration()).unwrap();
        cards(&mut doc, &report, &f);
        let pages = pages(doc.finish());
        assert_eq!(pages.len(), CARDS);
        // Each page opens with its card: the largest cluster first.
        let titles: Vec<String> = pages
            .iter()
            .map(|page| {
                let runs = runs(page);
                let title = runs.iter().find(|r| r.size == 15.0 && r.bold).unwrap();
                title.text.clone()
            })
            .collect();
        let largest: Vec<String> = (138..150)
            .rev()
            .map(|i| format!("Cluster {i:03}"))
            .collect();
        assert_eq!(titles, largest);
        let text: String = pages
            .iter()
            .flat_map(runs)
            .map(|r| r.text)
            .collect::<Vec<_>>()
            .join(" ");
        for sentence in [
            "Le schede sono dei 12 cluster maggiori per soci dei 150.",
            "--per-cluster",
        ] {
            assert!(text.contains(sentence), "{sentence:?} in {text}");
        }
    }

    #[test]
    fn a_card_shows_the_clusters_figures_and_their_change() {
        let report = crate::report::sample_report();
        let f = Fmt::new(Lang::En);
        let mut doc = Document::new(decoration()).unwrap();
        doc.heading("Scienze della vita", Level::Page);
        body(&mut doc, &report, &f, "Scienze della vita", Some("x.pdf"));
        let pages = pages(doc.finish());
        assert_eq!(pages.len(), 1);
        let texts: Vec<String> = runs(&pages[0]).into_iter().map(|r| r.text).collect();
        for needle in [
            "47",
            "+47",
            "€158,500.00",
            "+€158,500.00",
            "72.52%",
            "Cap breaches",
            "Missed",
            "Not applicable",
            "E42F20000010009",
            "Alfa Meccanica S.r.l.",
            "3,994.00",
        ] {
            assert!(texts.iter().any(|t| t == needle), "{needle:?} in {texts:?}");
        }
    }
}
