//! The cover: issuer, title, the cluster system or region, the period and the
//! date of the data (and, for a period without active members or approved
//! projects, a sentence saying so), a paragraph that says the month in words
//! ([`super::opening`]), the key figures as large boxes (the
//! financing to recover, the cap excesses summed, and the de minimis
//! financing above the ceiling with how many members it is, among them), and the
//! approvals of the month, the year to date and the whole portfolio.

use super::figures::{table_with_heading, totals_cells, totals_table};
use super::format::Fmt;
use super::layout::{Document, Kpi, Level};
use super::style::{Ink, Stroke, TextStyle, Weight};
use super::table::{RowStyle, Table};
use crate::report::Report;

pub(crate) fn cover(doc: &mut Document, report: &Report, f: &Fmt) {
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
    if let Some(emptiness) = report.emptiness() {
        doc.space(2.0);
        doc.paragraph(
            l.emptiness(emptiness),
            TextStyle::new(10.0, Weight::Bold, Ink::Text),
        );
    }
    doc.space(5.0);
    doc.paragraph(
        &super::opening::paragraph(report, f),
        TextStyle::new(10.0, Weight::Regular, Ink::Text),
    );
    doc.space(5.0);
    doc.rule(Stroke::thin());
    doc.heading(l.summary(), Level::Section);
    key_figures(doc, report, f);
    table_with_heading(doc, l.projects_count(), &approvals_table(report, f));
}

fn key_figures(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.paragraph(
        &format!("{} {}.", l.compared_with(), f.month(report.previous.period)),
        TextStyle::new(8.5, Weight::Regular, Ink::Muted),
    );
    doc.space(2.0);
    let kpi = |value: String, caption: &str, change: String| Kpi {
        value,
        caption: caption.to_string(),
        change: Some(change),
    };
    let plain = |value: String, caption: &str| Kpi {
        value,
        caption: caption.to_string(),
        change: None,
    };
    let counts = report.issue_counts();
    let portfolio = &report.projects.portfolio;
    let change = report.change();
    doc.kpi_row(&[
        kpi(
            f.count(report.members.total()),
            l.members_total(),
            f.signed_count(change.members),
        ),
        kpi(
            f.count(portfolio.count),
            l.projects_count(),
            f.signed_count(change.projects),
        ),
        kpi(
            f.count(report.audit.breaches().count() as u64),
            l.breaches(),
            f.signed_count(change.breaches),
        ),
        plain(
            f.count(report.audit.near_breaches().count() as u64),
            l.near_cap_count(),
        ),
        plain(
            format!(
                "{} / {}",
                f.count(counts.errors as u64),
                f.count(counts.warnings as u64)
            ),
            l.errors_and_warnings(),
        ),
    ]);
    doc.space(4.0);
    let ratio_change = match change.ratio_basis_points {
        Some(bp) => f.signed_points(bp),
        None => "–".to_string(),
    };
    doc.kpi_row(&[
        kpi(
            f.eur(portfolio.value),
            l.project_value(),
            f.signed_eur(change.value),
        ),
        kpi(
            f.eur(portfolio.financing),
            l.financing(),
            f.signed_eur(change.financing),
        ),
        kpi(
            f.ratio(portfolio.ratio()),
            l.financing_ratio(),
            ratio_change,
        ),
    ]);
    // What the audit finds to recover or above a ceiling, in a row of its own.
    doc.space(4.0);
    doc.kpi_row(&[
        plain(f.eur(report.audit.total_excess()), l.to_recover()),
        plain(
            f.eur(report.audit.de_minimis_excess()),
            &l.de_minimis_caption(report.audit.de_minimis.len() as u64),
        ),
    ]);
}

/// The month, the year to date and the whole portfolio side by side.
fn approvals_table(report: &Report, f: &Fmt) -> Table {
    let l = &f.l;
    let mut table = totals_table(f, "");
    let p = &report.projects;
    table.row(totals_cells(f, l.in_month(), &p.in_period));
    table.row(totals_cells(f, l.year_to_date(), &p.year_to_date));
    table.styled_row(
        RowStyle::Emphasis,
        totals_cells(f, l.portfolio(), &p.portfolio),
    );
    table
}
