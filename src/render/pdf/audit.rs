//! Section 5, the financing audit: the breaches and near-breaches, each with its
//! cluster and call and its beneficiary (the lead member's id, name and
//! category), its ratio, the cap and the rule that set it, what the rule allows
//! and the EUR excess (with the limit exceeded, and the total to recover below
//! the table) or headroom; partners above their own category's cap; members above
//! the de minimis ceiling (each table at most [`SECTION_ROWS`] rows, with a
//! sentence naming the CSV file that lists them all); the rules cited; and Appendix A, the projects against their
//! caps: every one while the portfolio is within `[pdf] appendix_projects` (200
//! unless `consolida.toml` says otherwise), else the breaches, the near
//! breaches and the largest projects by value, that many in all, with a
//! sentence saying so and where the full list is.

use super::figures::table_with_heading;
use super::format::{Fmt, DASH};
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use super::SMALL;
use crate::labels::AppendixCut;
use crate::money::Cents;
use crate::render::{cap_rule, csv};
use crate::report::{
    AppliedCap, AuditStatus, DeMinimisExcess, PartnerAudit, ProjectAudit, Report, Verdict,
};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The most rows each table of section 5 lists (the breaches, largest excess
/// first; the near breaches, by project id; the partners above their cap; the
/// members above the de minimis ceiling); a sentence below a longer one counts
/// its rows and names the CSV file that lists them all. Fifty rows of two or
/// three lines are about two pages.
const SECTION_ROWS: usize = 50;

pub(crate) fn audit(doc: &mut Document, report: &Report, f: &Fmt, limit: usize) {
    let l = &f.l;
    doc.heading(&format!("5. {}", l.financing_audit()), Level::Section);
    let breaches: Vec<&ProjectAudit> = report.audit.breaches().collect();
    if breaches.is_empty() {
        doc.heading(l.breaches(), Level::Subsection);
        doc.paragraph(l.no_breaches(), TextStyle::body());
    } else {
        let table = cap_table(f, first_rows(&breaches), l.excess(), |v| v.excess);
        table_with_heading(doc, l.breaches(), &table);
        rows_beyond(doc, f, breaches.len(), csv::FINANCING_AUDIT);
        doc.space(1.5);
        let total = report.audit.total_excess();
        doc.paragraph(
            &format!("{}: {}.", l.to_recover(), f.eur(total)),
            TextStyle::body(),
        );
    }
    let near: Vec<&ProjectAudit> = report.audit.near_breaches().collect();
    if !near.is_empty() {
        let table = cap_table(f, first_rows(&near), l.headroom(), |v| v.headroom);
        table_with_heading(doc, l.near_cap_count(), &table);
        rows_beyond(doc, f, near.len(), csv::FINANCING_AUDIT);
    }
    let partners: Vec<&PartnerAudit> = report.audit.partner_breaches().collect();
    if !partners.is_empty() {
        let table = partner_table(f, first_rows(&partners));
        table_with_heading(doc, l.partner_breaches(), &table);
        rows_beyond(doc, f, partners.len(), csv::PARTNER_AUDIT);
    }
    let de_minimis = &report.audit.de_minimis;
    if !de_minimis.is_empty() {
        let table = de_minimis_table(f, first_rows(de_minimis));
        table_with_heading(doc, l.de_minimis_excesses(), &table);
        rows_beyond(doc, f, de_minimis.len(), csv::DE_MINIMIS);
    }
    let cited = breaches
        .into_iter()
        .chain(near)
        .filter_map(|p| p.verdict.cap.as_ref())
        .chain(partners.iter().filter_map(|p| p.verdict.cap.as_ref()));
    if let Some(table) = rules_table(f, cited) {
        table_with_heading(doc, l.cap_rules(), &table);
    }
    let projects = &report.audit.projects;
    if !projects.is_empty() {
        doc.space(3.0);
        let listed = projects.len().min(limit) as u64;
        doc.paragraph(
            &l.appendix_note_of(listed, projects.len() as u64),
            TextStyle::body(),
        );
    }
}

/// The first [`SECTION_ROWS`] of `rows`: what a table of section 5 lists.
fn first_rows<T>(rows: &[T]) -> &[T] {
    &rows[..rows.len().min(SECTION_ROWS)]
}

/// Below a table of section 5 whose `total` rows are more than it lists, a
/// sentence saying so and naming `file`, which holds them all.
fn rows_beyond(doc: &mut Document, f: &Fmt, total: usize, file: &str) {
    if total > SECTION_ROWS {
        doc.space(1.5);
        doc.paragraph(&f.l.table_cut(SECTION_ROWS, total, file), TextStyle::body());
    }
}

/// Appendix A, on a page of its own: every project against its cap, or, above
/// `limit` projects, those [`appendix_rows`] picks, after a sentence saying so.
pub(crate) fn appendix(doc: &mut Document, report: &Report, f: &Fmt, limit: usize) {
    let l = &f.l;
    doc.new_page();
    let projects = &report.audit.projects;
    if projects.len() <= limit {
        doc.heading(l.appendix_projects(), Level::Section);
        if projects.is_empty() {
            doc.paragraph(l.no_projects(), TextStyle::body());
        } else {
            doc.table(&projects_table(f, projects.iter()));
        }
        return;
    }
    let (rows, cut) = appendix_rows(projects, limit);
    doc.heading(&l.appendix_selected(cut.shown(), cut.total), Level::Section);
    let workbook = format!("{}.xlsx", crate::render::stem(report.period));
    doc.paragraph(&l.appendix_cut(&cut, &workbook), TextStyle::body());
    if !rows.is_empty() {
        doc.space(2.0);
        doc.table(&projects_table(f, rows.into_iter()));
    }
}

/// The projects Appendix A lists of a portfolio above `limit`, `limit` in all:
/// the breaches (largest excess first), then the near breaches (by project
/// id), both in the audit's order, then the largest of the rest by value (of
/// two alike, the first in the audit's order); and what they are, counted.
/// The portfolio is the audit's projects or some of them (a cluster's).
pub(super) fn appendix_rows<P: Borrow<ProjectAudit>>(
    projects: &[P],
    limit: usize,
) -> (Vec<&ProjectAudit>, AppendixCut) {
    let project = |i: usize| projects[i].borrow();
    let with = |status: AuditStatus| {
        projects
            .iter()
            .map(Borrow::borrow)
            .filter(move |p: &&ProjectAudit| p.verdict.status == status)
    };
    let breaches = with(AuditStatus::Breach).count();
    let near = with(AuditStatus::NearCap).count();
    let mut rows: Vec<&ProjectAudit> = with(AuditStatus::Breach)
        .chain(with(AuditStatus::NearCap))
        .take(limit)
        .collect();
    let listed_breaches = rows.len().min(breaches);
    let listed_near = rows.len() - listed_breaches;
    let room = limit - rows.len();
    if room > 0 {
        // Positions in the audit's order, the larger value first, then the
        // first position: a total order, the same on every run.
        let larger_first =
            |a: &usize, b: &usize| project(*b).value.cmp(&project(*a).value).then(a.cmp(b));
        let mut rest: Vec<usize> = (0..projects.len())
            .filter(|&i| !is_flagged(project(i)))
            .collect();
        if rest.len() > room {
            rest.select_nth_unstable_by(room - 1, larger_first);
            rest.truncate(room);
        }
        rest.sort_unstable_by(larger_first);
        rows.extend(rest.into_iter().map(project));
    }
    let cut = AppendixCut {
        total: projects.len(),
        limit,
        breaches: (listed_breaches, breaches),
        near: (listed_near, near),
        largest: rows.len() - listed_breaches - listed_near,
    };
    (rows, cut)
}

/// Whether a project is a breach or near one, listed before the rest.
fn is_flagged(project: &ProjectAudit) -> bool {
    matches!(
        project.verdict.status,
        AuditStatus::Breach | AuditStatus::NearCap
    )
}

/// The project code on its own line, then the title.
fn project_cell(project: &ProjectAudit) -> String {
    format!("{}\n{}", project.project_id, project.title)
}

/// The project code, the title, then its cluster and call.
fn project_with_call_cell(project: &ProjectAudit) -> String {
    format!(
        "{}\n{} · {}",
        project_cell(project),
        project.cluster,
        project.call
    )
}

/// Who is financed: `Capofila: 01234567890 Alfa Meccanica S.r.l. (PMI)`,
/// a dash for what is not known.
fn beneficiary_line(f: &Fmt, project: &ProjectAudit) -> String {
    let id = project.lead_member_id.as_deref().unwrap_or(DASH);
    let name = project.lead_member_name.as_deref().unwrap_or(DASH);
    let category = project
        .lead_category
        .map_or(DASH, |c| c.short_label(f.lang));
    format!("{}: {id} {name} ({category})", f.l.lead_member())
}

/// The limit a breach exceeds, in words, or a dash.
fn reason_text(f: &Fmt, verdict: &Verdict) -> String {
    verdict
        .reason
        .map_or(DASH, |r| cap_rule::reason(r, f.lang))
        .to_string()
}

/// The cap of the rule applied, or a dash.
pub(super) fn cap_text(f: &Fmt, verdict: &Verdict) -> String {
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

/// Breaches or near-breaches: the project with its cluster and call and its
/// beneficiary (the lead member), the figures, the cap and the rule that set it, what the rule
/// allows, and the EUR amount in `last` (excess or headroom); for breaches, the
/// limit exceeded.
fn cap_table(
    f: &Fmt,
    projects: &[&ProjectAudit],
    last: &str,
    amount: fn(&Verdict) -> Option<Cents>,
) -> Table {
    let l = &f.l;
    let breaches = projects.iter().any(|p| p.verdict.is_breach());
    let mut columns = vec![
        Column::left(l.project(), 65.0),
        Column::decimal(f.eur_header(l.project_value()), 15.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 15.0, f.mark()),
        Column::decimal(l.ratio(), 10.0, f.mark()),
        Column::decimal(l.cap(), 8.0, f.mark()),
        Column::right(l.rule_number(), 7.0),
        Column::decimal(l.allowed(), 15.0, f.mark()),
        Column::decimal(last, 15.0, f.mark()),
    ];
    if breaches {
        columns.push(Column::left(l.reason(), 20.0));
    }
    let mut table = Table::new(columns).font_size(SMALL);
    for p in projects {
        let verdict = &p.verdict;
        let mut cells = vec![
            format!("{}\n{}", project_with_call_cell(p), beneficiary_line(f, p)),
            f.amount(p.value),
            f.amount(p.financing),
            f.ratio(p.ratio),
            cap_text(f, verdict),
            rule_number_text(verdict),
            f.optional_amount(verdict.cap.as_ref().map(|c| c.allowed)),
            f.optional_amount(amount(verdict)),
        ];
        if breaches {
            cells.push(reason_text(f, verdict));
        }
        table.row(cells);
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
        Column::left(l.reason(), 20.0),
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
            reason_text(f, &p.verdict),
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
            cap_rule::name(cap, f.lang),
            f.cap(cap.max_ratio),
            f.optional_amount(cap.max_grant),
        ]);
    }
    Some(table)
}

/// Projects against their caps, each with its cluster and call under its
/// title, with the limit a breach exceeds under its
/// status, and the excess and the headroom each in a column of its own;
/// breaches flagged.
pub(super) fn projects_table<'a>(
    f: &Fmt,
    projects: impl Iterator<Item = &'a ProjectAudit>,
) -> Table {
    let l = &f.l;
    let mut table = Table::new(vec![
        Column::left(l.project(), 90.0),
        Column::decimal(f.eur_header(l.project_value()), 10.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 10.0, f.mark()),
        Column::decimal(l.ratio(), 8.0, f.mark()),
        Column::decimal(l.cap(), 6.0, f.mark()),
        Column::left(l.status(), 18.0),
        Column::decimal(l.excess(), 10.0, f.mark()),
        Column::decimal(l.headroom(), 10.0, f.mark()),
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
                project_with_call_cell(p),
                f.amount(p.value),
                f.amount(p.financing),
                f.ratio(p.ratio),
                cap_text(f, &p.verdict),
                status_text(f, &p.verdict),
                f.optional_amount(p.verdict.excess),
                f.optional_amount(p.verdict.headroom),
            ],
        );
    }
    table
}

/// The status, and under a breach's the limit it exceeds.
fn status_text(f: &Fmt, verdict: &Verdict) -> String {
    let status = f.status(verdict.status);
    match verdict.reason {
        Some(reason) => format!("{status}\n{}", cap_rule::reason(reason, f.lang)),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    /// A portfolio of `statuses.len()` projects, in the audit's order, the
    /// `i`-th of value `values[i]`.
    fn portfolio(statuses: &[AuditStatus], values: &[i64]) -> Vec<ProjectAudit> {
        let template = sample_report().audit.projects[0].clone();
        statuses
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (status, value))| {
                let mut p = template.clone();
                p.project_id = format!("P{i}");
                p.value = Cents(*value);
                p.verdict.status = *status;
                p
            })
            .collect()
    }

    fn ids(rows: &[&ProjectAudit]) -> Vec<String> {
        rows.iter().map(|p| p.project_id.clone()).collect()
    }

    use AuditStatus::{Breach, NearCap, NoCap, WithinCap};

    #[test]
    fn above_the_limit_the_appendix_lists_breaches_near_ones_then_the_largest() {
        let projects = portfolio(
            &[
                Breach, Breach, NearCap, WithinCap, WithinCap, NoCap, WithinCap, WithinCap,
            ],
            &[10, 20, 30, 500, 700, 900, 700, 100],
        );
        let (rows, cut) = appendix_rows(&projects, 6);
        // P4 and P6 are alike: the first in the audit's order comes first.
        assert_eq!(ids(&rows), ["P0", "P1", "P2", "P5", "P4", "P6"]);
        assert_eq!(
            cut,
            AppendixCut {
                total: 8,
                limit: 6,
                breaches: (2, 2),
                near: (1, 1),
                largest: 3,
            }
        );
        assert_eq!(cut.shown(), rows.len());
    }

    #[test]
    fn breaches_beyond_the_limit_fill_it_in_the_audits_order() {
        let projects = portfolio(
            &[Breach, Breach, Breach, NearCap, WithinCap],
            &[1, 2, 3, 4, 5],
        );
        let (rows, cut) = appendix_rows(&projects, 2);
        assert_eq!(ids(&rows), ["P0", "P1"]);
        assert_eq!((cut.breaches, cut.near, cut.largest), ((2, 3), (0, 1), 0));
        let (rows, cut) = appendix_rows(&projects, 0);
        assert!(rows.is_empty());
        assert_eq!(cut.shown(), 0);
    }
}
