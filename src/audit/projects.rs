//! The project audit: every project of the portfolio against the cap rule that
//! applies to it (by its call, its lead member's category and its aid type), in
//! the audit's order: breaches first (largest excess first), then near
//! breaches, then the rest, each by project id.

use super::caps::{CapQuery, CapRules};
use super::verdict::judge;
use crate::category::Category;
use crate::location::Location;
use crate::money::Ratio;
use crate::normalise::members::Member;
use crate::normalise::projects::Project;
use crate::normalise::MemberCategories;
use crate::period::Period;
use crate::report::{AuditReport, ProjectAudit, Verdict};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// One project of the audit: where it is among the dataset's projects, the
/// category of its lead member and the verdict of the cap rule that applies.
pub(crate) struct Assessed {
    index: usize,
    lead_category: Option<Category>,
    verdict: Verdict,
    /// The first 16 bytes of the project id, to sort by without reading the id.
    id_prefix: u128,
}

/// The projects approved by the end of `period`, or not dated.
pub(crate) fn portfolio(projects: &[Project], period: Period) -> Vec<&Project> {
    let end = period.last_day();
    projects.iter().filter(|p| in_portfolio(p, end)).collect()
}

/// Whether `project` is in the portfolio on day `end`: approved by then, or
/// with no approval date.
fn in_portfolio(project: &Project, end: NaiveDate) -> bool {
    project.approved_on.is_none_or(|d| d <= end)
}

/// Every project of the portfolio at the end of `period` against its cap, in
/// the audit's order.
pub(crate) fn in_audit_order(
    projects: &[Project],
    categories: &MemberCategories<'_>,
    rules: &CapRules<'_>,
    period: Period,
) -> Vec<Assessed> {
    let end = period.last_day();
    let mut order: Vec<Assessed> = projects
        .iter()
        .enumerate()
        .filter(|(_, p)| in_portfolio(p, end))
        .map(|(index, p)| {
            let lead_category = p
                .lead_member_id
                .as_deref()
                .and_then(|id| categories.get(id).copied());
            let query = CapQuery {
                call: &p.call,
                value: p.value,
                lead_category,
                aid_type: p.aid_type.as_deref(),
            };
            Assessed {
                index,
                lead_category,
                verdict: judge(rules.applicable(&query), p.value, p.financing),
                id_prefix: id_prefix(&p.project_id),
            }
        })
        .collect();
    // The prefixes decide almost every comparison; the ids are read only when
    // two begin alike, and the position keeps the order of equal ids.
    order.sort_unstable_by(|a, b| {
        a.verdict
            .status
            .cmp(&b.verdict.status)
            .then_with(|| b.verdict.excess.cmp(&a.verdict.excess))
            .then_with(|| a.id_prefix.cmp(&b.id_prefix))
            .then_with(|| {
                projects[a.index]
                    .project_id
                    .cmp(&projects[b.index].project_id)
            })
            .then_with(|| a.index.cmp(&b.index))
    });
    order
}

/// The first 16 bytes of `id`, padded with zeros, as a number that orders as
/// the bytes do.
fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Each member id's name, from the member's first row.
pub(crate) type MemberNames<'a> = FxHashMap<&'a str, &'a str>;

/// The names of `members` by id; a member listed in several clusters takes the
/// name of its first row, as it takes its category.
pub(crate) fn member_names(members: &[Member]) -> MemberNames<'_> {
    members
        .iter()
        .rev()
        .map(|m| (m.member_id.as_str(), m.name.as_str()))
        .collect()
}

/// The audit's rows in `order`, each project's texts moved out of `projects`,
/// with the name of its lead member from `names`.
pub(crate) fn rows(
    mut projects: Vec<Project>,
    order: Vec<Assessed>,
    names: &MemberNames<'_>,
) -> Vec<ProjectAudit> {
    use std::mem::take;
    order
        .into_iter()
        .map(|assessed| {
            let p = &mut projects[assessed.index];
            let lead_member_name = p
                .lead_member_id
                .as_deref()
                .and_then(|id| names.get(id))
                .filter(|name| !name.is_empty())
                .map(|name| name.to_string());
            ProjectAudit {
                project_id: take(&mut p.project_id),
                title: take(&mut p.title),
                cluster: take(&mut p.cluster),
                call: take(&mut p.call),
                lead_member_id: p.lead_member_id.take(),
                lead_member_name,
                lead_category: assessed.lead_category,
                aid_type: p.aid_type.take(),
                approved_on: p.approved_on,
                value: p.value,
                financing: p.financing,
                ratio: Ratio::new(p.financing, p.value),
                verdict: assessed.verdict,
                source: std::mem::replace(&mut p.source, Location::file(String::new())),
            }
        })
        .collect()
}

/// How many projects of the portfolio at the end of `period` (this month's or
/// an earlier one) break their cap. A verdict depends on the project and its
/// rules, not on the month, so this month's audit, which holds every project of
/// an earlier portfolio, gives the count.
pub(crate) fn breaches_by(audit: &AuditReport, period: Period) -> u64 {
    let end = period.last_day();
    audit
        .breaches()
        .filter(|p| p.approved_on.is_none_or(|d| d <= end))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::money::Cents;

    fn project(id: &str, financing: i64, approved: Option<(u32, u32)>) -> Project {
        Project {
            project_id: id.into(),
            title: format!("Title of {id}"),
            cluster: "Energia".into(),
            call: "Bando A".into(),
            lead_member_id: Some("A".into()),
            value: Cents(100),
            financing: Cents(financing),
            approved_on: approved.and_then(|(m, d)| NaiveDate::from_ymd_opt(2026, m, d)),
            start_on: None,
            end_on: None,
            aid_type: None,
            source: Location::row("p.xlsx", None, 2),
        }
    }

    /// The audit's rows of `projects` at the end of `period`, under one rule
    /// for `Bando A` that allows half the value.
    fn audited(projects: Vec<Project>, period: Period) -> Vec<ProjectAudit> {
        let config = Config::parse(
            "[[cap]]\ncall = \"Bando A\"\nmax_ratio = 0.5\n",
            "consolida.toml",
        )
        .unwrap();
        let rules = CapRules::new(&config.caps);
        let order = in_audit_order(&projects, &MemberCategories::default(), &rules, period);
        rows(projects, order, &MemberNames::default())
    }

    const NOVEMBER: Period = Period {
        year: 2026,
        month: 11,
    };

    #[test]
    fn the_audit_orders_ids_that_begin_alike_by_the_whole_id() {
        let long = "CUP-2026-LOMBARDIA-";
        let projects = vec![
            project(&format!("{long}0002"), 10, None),
            project(&format!("{long}0001"), 10, None),
            project(&format!("{long}0003"), 60, None),
            project("CUP-1", 10, None),
            project(&format!("{long}0000"), 70, None),
        ];
        let audit = audited(projects, NOVEMBER);
        let ids: Vec<&str> = audit.iter().map(|p| p.project_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "CUP-2026-LOMBARDIA-0000",
                "CUP-2026-LOMBARDIA-0003",
                "CUP-1",
                "CUP-2026-LOMBARDIA-0001",
                "CUP-2026-LOMBARDIA-0002",
            ],
            "breaches by excess, then the rest by id"
        );
        assert_eq!(
            audit[2].title, "Title of CUP-1",
            "texts moved with their project"
        );
        assert_eq!(audit[3].source, Location::row("p.xlsx", None, 2));
    }

    #[test]
    fn an_earlier_portfolios_breaches_are_counted_from_this_audit() {
        let projects = || {
            vec![
                project("P1", 60, Some((10, 2))),
                project("P2", 40, Some((10, 3))),
                project("P3", 70, None),
                project("P4", 80, Some((11, 2))),
            ]
        };
        let november = AuditReport {
            projects: audited(projects(), NOVEMBER),
            ..AuditReport::default()
        };
        assert_eq!(november.breaches().count(), 3);
        let october = NOVEMBER.previous();
        assert_eq!(breaches_by(&november, october), 2, "P1 and P3");
        let in_october = audited(projects(), october);
        let breaches = in_october.iter().filter(|p| p.verdict.is_breach());
        assert_eq!(breaches.count(), 2, "as October's own audit finds");
    }

    fn member(id: &str, name: &str, category: Category) -> Member {
        Member {
            member_id: id.into(),
            name: name.into(),
            category,
            cluster: "Energia".into(),
            province: None,
            joined_on: None,
            left_on: None,
            source: Location::row("m.xlsx", None, 2),
        }
    }

    #[test]
    fn each_row_names_its_lead_member_and_its_category_from_the_members() {
        let members = [
            member("A", "Alfa Meccanica S.r.l.", Category::Sme),
            member("A", "Alfa (second cluster)", Category::LargeEnterprise),
            member("B", "", Category::Consortium),
        ];
        let mut projects = vec![project("P1", 60, None), project("P2", 10, None)];
        projects[1].lead_member_id = Some("B".into());
        let mut orphan = project("P3", 10, None);
        orphan.lead_member_id = Some("Z".into());
        projects.push(orphan);
        let config = Config::parse("[[cap]]\nmax_ratio = 0.5\n", "consolida.toml").unwrap();
        let rules = CapRules::new(&config.caps);
        let categories: MemberCategories<'_> = members
            .iter()
            .rev()
            .map(|m| (m.member_id.as_str(), m.category))
            .collect();
        let order = in_audit_order(&projects, &categories, &rules, NOVEMBER);
        let audit = rows(projects, order, &member_names(&members));
        let leads: Vec<(&str, Option<&str>, Option<Category>)> = audit
            .iter()
            .map(|p| {
                (
                    p.project_id.as_str(),
                    p.lead_member_name.as_deref(),
                    p.lead_category,
                )
            })
            .collect();
        assert_eq!(
            leads,
            [
                ("P1", Some("Alfa Meccanica S.r.l."), Some(Category::Sme)),
                ("P2", None, Some(Category::Consortium)),
                ("P3", None, None),
            ],
            "the first row's name and category; no name for a blank one or an unknown lead"
        );
    }
}
