//! Partners in the audit: where a project lists its partners, their shares must add
//! up to the project's value and financing to the cent, and each partner's own
//! ratio (its financing share ÷ its cost share) is checked against the cap of its
//! own category, found by the same rules as the project's.
//!
//! A share written as a percentage is that part of the project's value (cost) or
//! financing, rounded half up to the cent.

use super::caps::{CapQuery, CapRules};
use super::projects::MemberNames;
use super::verdict::judge;
use crate::issues::{Issue, IssueKind};
use crate::money::{div_round, Cents, Ratio};
use crate::normalise::partners::{Partner, Share};
use crate::normalise::projects::Project;
use crate::normalise::MemberCategories;
use crate::report::{PartnerAudit, ShareGap, SharesOf};
use crate::text::{counted_both, Text};
use std::collections::HashMap;

/// Each partner of the projects in `portfolio` against its cap, breaches first,
/// with its name from `names`; and the shares that do not add up, in the
/// portfolio's order.
pub(crate) fn audit(
    partners: &[Partner],
    portfolio: &[&Project],
    categories: &MemberCategories<'_>,
    names: &MemberNames<'_>,
    rules: &CapRules<'_>,
) -> (Vec<PartnerAudit>, Vec<ShareGap>) {
    let by_project = by_project(partners);
    let mut audits = Vec::new();
    let mut gaps = Vec::new();
    for project in portfolio {
        let Some(partners) = by_project.get(project.project_id.as_str()) else {
            continue;
        };
        let shares = shares_in_cents(project, partners);
        gaps.extend(check_sums(project, partners, &shares));
        for (partner, (cost, financing)) in partners.iter().zip(shares) {
            let member_id = partner.member_id.as_str();
            let category = categories.get(member_id).copied();
            let query = CapQuery {
                call: &project.call,
                value: cost,
                lead_category: category,
                aid_type: project.aid_type.as_deref(),
            };
            audits.push(PartnerAudit {
                project_id: project.project_id.clone(),
                member_id: partner.member_id.clone(),
                member_name: names.get(member_id).map(|name| name.to_string()),
                category,
                cost_share: cost,
                financing_share: financing,
                ratio: Ratio::new(financing, cost),
                verdict: judge(rules.applicable(&query), cost, financing),
                source: partner.source.clone(),
            });
        }
    }
    audits.sort_by(|a, b| {
        (!a.verdict.is_breach(), &a.project_id, &a.member_id).cmp(&(
            !b.verdict.is_breach(),
            &b.project_id,
            &b.member_id,
        ))
    });
    (audits, gaps)
}

/// The shares of every project in `projects` with partners that do not add up
/// to its value or financing, in the projects' order: what `validate` reports,
/// with no period to choose a portfolio by.
pub(crate) fn share_gaps(partners: &[Partner], projects: &[Project]) -> Vec<ShareGap> {
    let by_project = by_project(partners);
    projects
        .iter()
        .filter_map(|project| {
            let partners = by_project.get(project.project_id.as_str())?;
            let shares = shares_in_cents(project, partners);
            Some(check_sums(project, partners, &shares))
        })
        .flatten()
        .collect()
}

/// The partners of each project, in the order read.
fn by_project(partners: &[Partner]) -> HashMap<&str, Vec<&Partner>> {
    let mut by_project: HashMap<&str, Vec<&Partner>> = HashMap::new();
    for partner in partners {
        by_project
            .entry(partner.project_id.as_str())
            .or_default()
            .push(partner);
    }
    by_project
}

/// Each partner's cost and financing shares of `project`, in cents.
fn shares_in_cents(project: &Project, partners: &[&Partner]) -> Vec<(Cents, Cents)> {
    partners
        .iter()
        .map(|p| {
            (
                in_cents(p.cost_share, project.value),
                in_cents(p.financing_share, project.financing),
            )
        })
        .collect()
}

/// A share in cents: an amount as it is, a percentage of `base` rounded half up.
fn in_cents(share: Option<Share>, base: Cents) -> Cents {
    match share {
        Some(Share::Amount(cents)) => cents,
        Some(Share::Percent(ppm)) => {
            Cents(div_round(base.0 as i128 * ppm.0 as i128, 1_000_000) as i64)
        }
        None => Cents::ZERO,
    }
}

/// Each of the two sums that differs from the project's figure.
fn check_sums(
    project: &Project,
    partners: &[&Partner],
    shares: &[(Cents, Cents)],
) -> Vec<ShareGap> {
    let costs: Cents = shares.iter().map(|s| s.0).sum();
    let financing: Cents = shares.iter().map(|s| s.1).sum();
    [
        (SharesOf::Cost, costs, project.value),
        (SharesOf::Financing, financing, project.financing),
    ]
    .into_iter()
    .filter(|(_, sum, expected)| sum != expected)
    .map(|(shares, sum, expected)| ShareGap {
        project_id: project.project_id.clone(),
        shares,
        partners: partners.len(),
        sum,
        expected,
        source: partners[0].source.clone(),
    })
    .collect()
}

/// The error that says a sum of shares does not add up, at the first partner's row.
pub(crate) fn gap_issue(gap: &ShareGap) -> Issue {
    let what = match gap.shares {
        SharesOf::Cost => ("quote dei costi", "cost shares"),
        SharesOf::Financing => ("quote del finanziamento", "financing shares"),
    };
    let (partners_it, partners_en) = counted_both(
        gap.partners as u64,
        ("partner", "partner"),
        ("partner", "partners"),
    );
    let difference = gap.gap();
    let (sum, expected, amount) = (
        gap.sum.italian_eur(),
        gap.expected.italian_eur(),
        Cents(difference.0.abs()).italian_eur(),
    );
    let id = &gap.project_id;
    let missing = difference.0 > 0;
    let message = Text::new(
        format!(
            "Le {} dei {partners_it} del progetto {id} sommano a {sum}, non a {expected} ({amount} {}).",
            what.0,
            if missing { "mancanti" } else { "in eccesso" }
        ),
        format!(
            "The {} of the {partners_en} of project {id} add up to {sum}, not {expected} ({amount} {}).",
            what.1,
            if missing { "missing" } else { "too much" }
        ),
    );
    Issue::error(gap.source.clone(), IssueKind::PartnerShares, message)
        .with_value(gap.sum.italian())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Category;
    use crate::config::CapRule;
    use crate::location::Location;
    use crate::money::Ppm;
    use crate::normalise::members::Member;
    use crate::normalise::Dataset;
    use crate::report::AuditStatus;

    fn eur(euros: i64) -> Cents {
        Cents(euros * 100)
    }

    fn project() -> Project {
        Project {
            project_id: "P1".into(),
            title: String::new(),
            cluster: "Mobilità".into(),
            call: "Call Hub".into(),
            lead_member_id: Some("A".into()),
            value: eur(100_000),
            financing: eur(60_000),
            approved_on: None,
            start_on: None,
            end_on: None,
            aid_type: None,
            source: Location::file("p.xlsx"),
        }
    }

    fn partner(member: &str, cost: Share, financing: Share) -> Partner {
        let at = Location::row("partner.xlsx", Some("Partner"), 1);
        Partner {
            project_id: "P1".into(),
            member_id: member.into(),
            cost_share: Some(cost),
            financing_share: Some(financing),
            source: at.clone(),
            project_cell: at.clone(),
            member_cell: at,
        }
    }

    fn member(id: &str, category: Category) -> Member {
        Member {
            member_id: id.into(),
            name: format!("{id} S.p.A."),
            category,
            cluster: "Mobilità".into(),
            province: None,
            joined_on: None,
            left_on: None,
            source: Location::file("m.xlsx"),
        }
    }

    /// The partner audit of project P1 under a cap of 80 %, 50 % for large
    /// enterprises.
    fn audited(data: &Dataset) -> (Vec<PartnerAudit>, Vec<Issue>) {
        let rule = |category: &str, ratio| CapRule {
            label: None,
            call: "*".into(),
            category: category.into(),
            aid_type: "*".into(),
            max_ratio: ratio,
            max_grant: None,
            min_project_value: None,
        };
        let caps = [rule("*", 0.8), rule("large_enterprise", 0.5)];
        let categories = data.member_categories();
        let names = super::super::projects::member_names(&data.members);
        let (audits, gaps) = audit(
            &data.partners,
            &[&project()],
            &categories,
            &names,
            &CapRules::new(&caps),
        );
        (audits, gaps.iter().map(gap_issue).collect())
    }

    #[test]
    fn each_partner_is_held_to_its_own_categorys_cap() {
        let data = Dataset {
            members: vec![
                member("A", Category::Sme),
                member("B", Category::LargeEnterprise),
            ],
            partners: vec![
                partner("A", Share::Amount(eur(40_000)), Share::Amount(eur(30_000))),
                partner(
                    "B",
                    Share::Percent(Ppm(600_000)),
                    Share::Percent(Ppm(500_000)),
                ),
            ],
            ..Dataset::default()
        };
        let (audits, issues) = audited(&data);
        assert!(issues.is_empty(), "{issues:?}");
        // B: 60 % of 100.000 = 60.000 cost, 50 % of 60.000 = 30.000 financing: 50 %, at its cap.
        let b = audits.iter().find(|a| a.member_id == "B").unwrap();
        assert_eq!(
            (b.cost_share, b.financing_share),
            (eur(60_000), eur(30_000))
        );
        assert_eq!(b.verdict.status, AuditStatus::NearCap);
        // A: 30.000 / 40.000 = 75 % under the 80 % cap of everyone else.
        let a = audits.iter().find(|a| a.member_id == "A").unwrap();
        assert_eq!(a.ratio.unwrap().basis_points(), 7500);
        assert_eq!(a.verdict.headroom, Some(eur(2_000)));
        assert_eq!(
            a.member_name.as_deref(),
            Some("A S.p.A."),
            "named from the members"
        );
    }

    #[test]
    fn a_partner_above_its_cap_is_a_breach_with_its_excess() {
        let data = Dataset {
            members: vec![
                member("A", Category::Sme),
                member("B", Category::LargeEnterprise),
            ],
            partners: vec![
                partner("A", Share::Amount(eur(50_000)), Share::Amount(eur(25_000))),
                partner("B", Share::Amount(eur(50_000)), Share::Amount(eur(35_000))),
            ],
            ..Dataset::default()
        };
        let (audits, issues) = audited(&data);
        assert!(issues.is_empty());
        assert_eq!(audits[0].member_id, "B", "breaches first");
        assert_eq!(audits[0].verdict.status, AuditStatus::Breach);
        assert_eq!(audits[0].verdict.excess, Some(eur(10_000)));
    }

    #[test]
    fn shares_that_do_not_add_up_are_reported_to_the_cent() {
        let data = Dataset {
            partners: vec![
                partner("A", Share::Amount(eur(40_000)), Share::Amount(eur(30_000))),
                partner(
                    "B",
                    Share::Amount(Cents(5_999_999)),
                    Share::Amount(Cents(3_000_001)),
                ),
            ],
            ..Dataset::default()
        };
        let (_, issues) = audited(&data);
        let messages: Vec<&str> = issues.iter().map(|i| i.message.en()).collect();
        assert_eq!(
            messages,
            [
                "The cost shares of the 2 partners of project P1 add up to 99.999,99 €, not 100.000,00 € (0,01 € missing).",
                "The financing shares of the 2 partners of project P1 add up to 60.000,01 €, not 60.000,00 € (0,01 € too much).",
            ]
        );
    }
}
