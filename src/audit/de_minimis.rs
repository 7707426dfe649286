//! De minimis: the financing a member received as de minimis aid over the rolling
//! years that end on the period's last day, against the configured ceiling
//! (EUR 300.000 over three years by default). A project's financing counts for its
//! lead member.

use crate::config::DeMinimis;
use crate::money::Cents;
use crate::normalise::members::Member;
use crate::normalise::projects::Project;
use crate::period::Period;
use crate::report::DeMinimisExcess;
use chrono::{Months, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// The lead members of `projects` above the ceiling, largest excess first, with
/// their names from `members`.
pub(crate) fn excesses(
    projects: &[Project],
    members: &[Member],
    rule: &DeMinimis,
    period: Period,
) -> Vec<DeMinimisExcess> {
    let end = period.last_day();
    let window_start = window_start(end, rule.years);
    let pattern = glob::Pattern::new(&rule.aid_type).ok();
    let options = glob::MatchOptions {
        case_sensitive: false,
        ..Default::default()
    };
    let mut by_member: BTreeMap<&str, (Cents, Vec<String>)> = BTreeMap::new();
    for project in projects {
        let in_window = project
            .approved_on
            .is_some_and(|d| d >= window_start && d <= end);
        let is_de_minimis = match (&pattern, &project.aid_type) {
            (Some(p), Some(aid)) => p.matches_with(aid, options),
            _ => false,
        };
        let Some(lead) = project.lead_member_id.as_deref() else {
            continue;
        };
        if in_window && is_de_minimis {
            let entry = by_member.entry(lead).or_default();
            entry.0 = entry.0 + project.financing;
            entry.1.push(project.project_id.clone());
        }
    }
    let limit = rule.limit_cents();
    by_member.retain(|_, (total, _)| *total > limit);
    // The names and categories of the members over the limit only (a member
    // listed in two clusters has those of its last row), not of all the members.
    let mut found: HashMap<&str, Option<&Member>> =
        by_member.keys().map(|id| (*id, None)).collect();
    let members = if found.is_empty() { &[][..] } else { members };
    for m in members {
        if let Some(member) = found.get_mut(m.member_id.as_str()) {
            *member = Some(m);
        }
    }
    let mut out: Vec<DeMinimisExcess> = by_member
        .into_iter()
        .map(|(member_id, (financing, projects))| {
            let member = found.get(member_id).copied().flatten();
            DeMinimisExcess {
                member_id: member_id.to_string(),
                name: member.map(|m| m.name.clone()).unwrap_or_default(),
                category: member.map(|m| m.category),
                window_start,
                financing,
                limit,
                excess: financing - limit,
                projects,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.excess
            .cmp(&a.excess)
            .then_with(|| a.member_id.cmp(&b.member_id))
    });
    out
}

/// The first day of the rolling window of `years` ending on `end` (inclusive):
/// three years ending 30/11/2026 start on 01/12/2023.
fn window_start(end: NaiveDate, years: u32) -> NaiveDate {
    end.checked_sub_months(Months::new(12 * years))
        .and_then(|d| d.succ_opt())
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    fn project(
        id: &str,
        lead: &str,
        financing: i64,
        approved: (i32, u32, u32),
        aid: &str,
    ) -> Project {
        Project {
            project_id: id.into(),
            title: String::new(),
            cluster: "Mobilità".into(),
            call: "Bando Ergon azione 2".into(),
            lead_member_id: Some(lead.into()),
            value: Cents(financing * 2),
            financing: Cents(financing),
            approved_on: NaiveDate::from_ymd_opt(approved.0, approved.1, approved.2),
            start_on: None,
            end_on: None,
            aid_type: Some(aid.into()),
            source: Location::file("p.xlsx"),
        }
    }

    #[test]
    fn the_window_covers_three_years_ending_on_the_period_end() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            window_start(end, 3),
            NaiveDate::from_ymd_opt(2023, 12, 1).unwrap()
        );
    }

    #[test]
    fn de_minimis_financing_above_the_ceiling_is_reported_per_lead_member() {
        let projects = vec![
            project("P1", "A", 20_000_000, (2024, 1, 10), "De minimis"),
            project(
                "P2",
                "A",
                10_000_001,
                (2026, 11, 30),
                "de minimis (Reg. 2831/2023)",
            ),
            project("P3", "A", 50_000_000, (2023, 11, 30), "de minimis"), // before the window
            project("P4", "A", 50_000_000, (2025, 1, 1), "GBER art. 25"), // not de minimis
            project("P5", "B", 30_000_000, (2025, 1, 1), "de minimis"),   // exactly the limit
        ];
        let found = excesses(
            &projects,
            &[],
            &DeMinimis::default(),
            Period {
                year: 2026,
                month: 11,
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].member_id, "A");
        assert_eq!(found[0].financing, Cents(30_000_001));
        assert_eq!(found[0].excess, Cents(1));
        assert_eq!(found[0].projects, ["P1", "P2"]);
    }

    #[test]
    fn a_member_above_the_ceiling_is_named_with_its_category_from_its_last_row() {
        let projects = vec![
            project("P1", "A", 20_000_000, (2024, 1, 10), "de minimis"),
            project("P2", "A", 20_000_000, (2025, 1, 10), "de minimis"),
        ];
        let member = |name: &str, category| Member {
            member_id: "A".into(),
            name: name.into(),
            category,
            cluster: "Mobilità".into(),
            province: None,
            joined_on: None,
            left_on: None,
            source: Location::file("m.xlsx"),
        };
        let members = [
            member("Alfa", crate::category::Category::Sme),
            member("Alfa S.p.A.", crate::category::Category::LargeEnterprise),
        ];
        let period = Period {
            year: 2026,
            month: 11,
        };
        let found = excesses(&projects, &members, &DeMinimis::default(), period);
        assert_eq!(found[0].name, "Alfa S.p.A.");
        assert_eq!(
            found[0].category,
            Some(crate::category::Category::LargeEnterprise)
        );
        let unknown = excesses(&projects, &[], &DeMinimis::default(), period);
        assert_eq!((unknown[0].name.as_str(), unknown[0].category), ("", None));
    }
}
