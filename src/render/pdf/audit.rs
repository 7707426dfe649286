//! Section 3, the financing audit: every breach and near-breach with its ratio,
//! the cap and the rule that set it, what the rule allows and the EUR excess or
//! headroom; partners above their own category's cap; members above the de
//! minimis ceiling; the rules cited; and Appendix A, every project against its cap.

use super::figures::table_with_heading;
use super::format::{Fmt, DASH};
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use super::SMALL;
use crate::money::Cents;
use crate::report::{AppliedCap, DeMinimisExcess, PartnerAudit, ProjectAudit, Report, Verdict};
use std::collections::BTreeMap;

pub(crate) fn audit(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.heading(&format!("3. {}", l.financing_audit()), Level::Section);
    let breaches: Vec<&ProjectAudit> = report.audit.breaches().collect();
    if breaches.is_empty() {
        doc.heading(l.breaches(), Level::Subsection);
        doc.paragraph(l.no_breaches(), TextStyle::body());
    } else {
        let table = cap_table(f, &breaches, l.excess(), |v| v.excess);
        table_with_heading(doc, l.breaches(), &table);
    }
    let near: Vec<&ProjectAudit> = report.audit.near_breaches().collect();
    if !near.is_empty() {
        let table = cap_table(f, &near, l.headroom(), |v| v.headroom);
        table_with_heading(doc, l.near_cap_count(), &table);
    }
    let partners: Vec<&PartnerAudit> = report.audit.partner_breaches().collect();
    if !partners.is_empty() {
        table_with_heading(doc, l.partner_breaches(), &partner_table(f, &partners));
    }
    if !report.audit.de_minimis.is_empty() {
        table_with_heading(
            doc,
            l.de_minimis_excesses(),
            &de_minimis_table(f, &report.audit.de_minimis),
        );
    }
    let cited = breaches
        .into_iter()
        .chain(near)
        .filter_map(|p| p.verdict.cap.as_ref())
        .chain(partners.iter().filter_map(|p| p.verdict.cap.as_ref()));
    if let Some(table) = rules_table(f, cited) {
        table_with_heading(doc, l.cap_rules(), &table);
    }
    if !report.audit.projects.is_empty() {
        doc.space(3.0);
        doc.paragraph(l.appendix_note(), TextStyle::body());
    }
}

/// Appendix A, on a page of its own: every project against its cap.
pub(crate) fn appendix(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    doc.new_page();
    doc.heading(l.appendix_projects(), Level::Section);
    if report.audit.projects.is_empty() {
        doc.paragraph(l.no_projects(), TextStyle::body());
    } else {
        doc.table(&projects_table(f, &report.audit.projects));
    }
}

/// The project code on its own line, then the title.
fn project_cell(project: &ProjectAudit) -> String {
    format!("{}\n{}", project.project_id, project.title)
}

/// The cap of the rule applied, or a dash.
fn cap_text(f: &Fmt, verdict: &Verdict) -> String {
    verdict
        .cap
        .as_ref()
        .map_or_else(|| DASH.to_string(), |c| f.cap(c.max_ratio))
}

/// The number of the rule applied, or a dash.
fn rule_number_text(verdict: &Verdict) -> String {
    verdict
        .cap
        .as_ref()
        .map_or_else(|| DASH.to_string(), |c| c.rule_number.to_string())
}

/// Breaches or near-breaches: the figures, the cap and the rule that set it, what
/// the rule allows, and the EUR amount in `last` (excess or headroom).
fn cap_table(
    f: &Fmt,
    projects: &[&ProjectAudit],
    last: &str,
    amount: fn(&Verdict) -> Option<Cents>,
) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 65.0),
        Column::decimal(f.eur_header(l.project_value()), 19.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 19.0, f.mark()),
        Column::decimal(l.ratio(), 12.0, f.mark()),
        Column::decimal(l.cap(), 10.0, f.mark()),
        Column::right(l.rule_number(), 10.0),
        Column::decimal(l.allowed(), 19.0, f.mark()),
        Column::decimal(last, 19.0, f.mark()),
    ])
    .font_size(SMALL);
    for p in projects {
        let verdict = &p.verdict;
        table.row(vec![
            project_cell(p),
            f.amount(p.value),
            f.amount(p.financing),
            f.ratio(p.ratio),
            cap_text(f, verdict),
            rule_number_text(verdict),
            f.optional_amount(verdict.cap.as_ref().map(|c| c.allowed)),
            f.optional_amount(amount(verdict)),
        ]);
    }
    table
}

/// Partners whose own ratio is above the cap of their category, with the excess.
fn partner_table(f: &Fmt, partners: &[&PartnerAudit]) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 30.0),
        Column::left(l.partner(), 30.0),
        Column::decimal(f.eur_header(l.cost_share()), 19.0, f.mark()),
        Column::decimal(f.eur_header(l.financing_share()), 19.0, f.mark()),
        Column::decimal(l.ratio(), 12.0, f.mark()),
        Column::decimal(l.cap(), 10.0, f.mark()),
        Column::right(l.rule_number(), 10.0),
        Column::decimal(l.excess(), 19.0, f.mark()),
    ])
    .font_size(SMALL);
    for p in partners {
        let category = p.category.map(|c| c.short_label(f.lang)).unwrap_or(DASH);
        table.row(vec![
            p.project_id.clone(),
            format!("{}\n{category}", p.member_id),
            f.amount(p.cost_share),
            f.amount(p.financing_share),
            f.ratio(p.ratio),
            cap_text(f, &p.verdict),
            rule_number_text(&p.verdict),
            f.optional_amount(p.verdict.excess),
        ]);
    }
    table
}

/// Members above the de minimis ceiling over the rolling window.
fn de_minimis_table(f: &Fmt, members: &[DeMinimisExcess]) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.member(), 45.0),
        Column::left(l.window_from(), 18.0),
        Column::decimal(f.eur_header(l.financing()), 19.0, f.mark()),
        Column::decimal(f.eur_header(l.limit()), 19.0, f.mark()),
        Column::decimal(l.excess(), 19.0, f.mark()),
        Column::left(l.projects(), 40.0),
    ])
    .font_size(SMALL);
    for m in members {
        table.row(vec![
            format!("{}\n{}", m.member_id, m.name),
            f.date(m.window_start),
            f.amount(m.financing),
            f.amount(m.limit),
            f.amount(m.excess),
            m.projects.join(", "),
        ]);
    }
    table
}

/// The cap rules cited in the breach and near-cap tables, each once, by number.
fn rules_table<'a>(f: &Fmt, caps: impl Iterator<Item = &'a AppliedCap>) -> Option<Table> {
    let rules: BTreeMap<usize, &AppliedCap> = caps.map(|c| (c.rule_number, c)).collect();
    if rules.is_empty() {
        return None;
    }
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::right(l.rule_number(), 10.0),
        Column::left(l.cap_rule(), 100.0),
        Column::decimal(l.cap(), 10.0, f.mark()),
        Column::decimal(f.eur_header(l.max_grant()), 22.0, f.mark()),
    ])
    .font_size(SMALL);
    for (number, cap) in rules {
        table.row(vec![
            number.to_string(),
            cap.description.clone(),
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
        Column::left(l.project(), 60.0),
        Column::left(l.cluster(), 30.0),
        Column::decimal(f.eur_header(l.project_value()), 10.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 10.0, f.mark()),
        Column::decimal(l.ratio(), 8.0, f.mark()),
        Column::decimal(l.cap(), 6.0, f.mark()),
        Column::left(l.status(), 16.0),
        Column::decimal(l.excess_or_headroom(), 10.0, f.mark()),
    ])
    .font_size(SMALL);
    for p in projects {
        let style = if p.verdict.is_breach() {
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
                cap_text(f, &p.verdict),
                f.status(p.verdict.status).to_string(),
                f.optional_amount(p.verdict.excess.or(p.verdict.headroom)),
            ],
        );
    }
    table
}
