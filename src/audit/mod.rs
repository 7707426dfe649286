//! The financing audit, one stage of the pipeline: each project of the portfolio
//! (`projects.rs`) and each partner of one (`partners.rs`) against the cap rule
//! that applies to it (`caps.rs`), judged into a [`Verdict`](crate::report::Verdict)
//! (`verdict.rs`); the members above the de minimis ceiling (`de_minimis.rs`); and,
//! once the report is made, the figures of the previous report that the data now
//! restate ([`restate`]).
//!
//! [`audit`] runs the stage for [`crate::aggregate`]; this module only
//! orchestrates, and its children do not call back into it.

mod caps;
mod de_minimis;
mod partners;
mod projects;
pub(crate) mod restate;
mod verdict;

use crate::config::Config;
use crate::issues::Issue;
use crate::normalise::members::Member;
use crate::normalise::partners::Partner;
use crate::normalise::projects::Project;
use crate::normalise::MemberCategories;
use crate::period::Period;
use crate::report::AuditReport;
use caps::CapRules;

/// What the audit gives the report.
pub(crate) struct Audit {
    pub(crate) report: AuditReport,
    /// How many projects of the previous month's portfolio break their cap.
    pub(crate) previous_breaches: u64,
    /// The partners' shares that do not add up to their project's figures.
    pub(crate) issues: Vec<Issue>,
}

/// The errors for partners' shares that do not add up to their project's
/// figures, over every project with partners, whatever its approval date:
/// what `consolida validate`, which has no period, finds of the audit.
pub(crate) fn share_gap_issues(partners: &[Partner], projects: &[Project]) -> Vec<Issue> {
    partners::share_gaps(partners, projects)
        .iter()
        .map(partners::gap_issue)
        .collect()
}

/// The audit of `period`: its projects, whose texts move into the audit's rows;
/// the partners of those projects; the members, for the names of the lead
/// members and of those above the de minimis ceiling; and `categories`, each
/// member's category.
pub(crate) fn audit(
    projects: Vec<Project>,
    partners: &[Partner],
    members: &[Member],
    categories: &MemberCategories<'_>,
    config: &Config,
    period: Period,
) -> Audit {
    let rules = CapRules::new(&config.caps);
    let order = projects::in_audit_order(&projects, categories, &rules, period);
    let portfolio = projects::portfolio(&projects, period);
    let names = projects::member_names(members);
    let (partners, share_gaps) = partners::audit(partners, &portfolio, categories, &names, &rules);
    let issues = share_gaps.iter().map(partners::gap_issue).collect();
    let de_minimis = de_minimis::excesses(&projects, members, &config.de_minimis, period);
    let report = AuditReport {
        projects: projects::rows(projects, order, &names),
        de_minimis,
        partners,
        share_gaps,
    };
    Audit {
        previous_breaches: projects::breaches_by(&report, period.previous()),
        report,
        issues,
    }
}
