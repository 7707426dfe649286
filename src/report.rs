//! The one report model every renderer reads.
//!
//! [`crate::aggregate`] builds it; the xlsx, PDF, CSV and JSON renderers only format
//! what is here and never recompute a figure, so every output says the same thing.

pub(crate) mod monitoring;

use crate::category::Category;
use crate::issues::{Issue, IssueCounts};
use crate::location::Location;
use crate::money::{Cents, Ppm, Ratio};
use crate::normalise::members::Member;
use crate::period::Period;
use crate::schema::InputKind;
use crate::status::RunStatus;
use chrono::NaiveDate;
use std::sync::Arc;

/// Up to this many members (or projects), the workbook lists them one by one
/// and writes the tables that count them as formulas over that list; above
/// it, the counts alone (docs/outputs.md, "Counts a reader can trace").
pub(crate) const DETAIL_ROWS: usize = 100_000;
/// A table of more rows than this (clusters, calls) counts with values, not
/// formulas, whatever the rows it counts: each of its cells would add up
/// every row of the list.
pub(crate) const DETAIL_GROUPS: usize = 1_000;

/// Everything the monthly consolidation report says.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) period: Period,
    /// The day the figures are "as of": the period's last day.
    pub(crate) as_of: NaiveDate,
    /// Who issues the report (the `issuer` of `consolida.toml`), shown on the cover.
    pub(crate) issuer: String,
    /// The cluster system or region the report covers (the config's `title`).
    pub(crate) subject: String,
    /// The tool's version, for the sources section.
    pub(crate) version: String,
    /// The configuration file used, as given, with its SHA-256.
    pub(crate) config: Option<InputSummary>,
    pub(crate) members: MemberReport,
    /// The members counted at the period's last day, one by one, in input
    /// order, for the workbook's member sheet: all of them up to
    /// [`DETAIL_ROWS`], `None` above (only their counts are kept).
    pub(crate) member_list: Option<Vec<Member>>,
    pub(crate) projects: ProjectReport,
    pub(crate) audit: AuditReport,
    /// Every data issue, sorted by file, sheet and cell.
    pub(crate) issues: Vec<Issue>,
    /// Every input file read, in the order read.
    pub(crate) inputs: Vec<InputSummary>,
    /// The previous month, computed from the same data.
    pub(crate) previous: PreviousPeriod,
    /// Members who joined and who left within the period's month.
    pub(crate) movements: MemberMovements,
    /// Every target's status at the period and the indicators month by month.
    pub(crate) monitoring: monitoring::Monitoring,
    /// The checks the run held the report to and those it failed: set by
    /// [`crate::app`] once every issue is known, before the report is rendered.
    pub(crate) status: RunStatus,
}

impl Report {
    pub(crate) fn issue_counts(&self) -> IssueCounts {
        IssueCounts::of(&self.issues)
    }

    /// The key figures of the period.
    pub(crate) fn kpis(&self) -> Kpis {
        let breaches = self.audit.breaches().count() as u64;
        Kpis::of(&self.members, &self.projects.portfolio, breaches)
    }

    /// Each key figure's change against the previous month.
    pub(crate) fn change(&self) -> KpiChange {
        self.kpis().change_from(&self.previous.kpis())
    }

    /// What the period lacks as of its last day, for the reports to say so in
    /// words: `None` when it has active members and approved projects.
    pub(crate) fn emptiness(&self) -> Option<Emptiness> {
        let no_members = self.members.total() == 0;
        let no_projects = self.projects.portfolio.count == 0;
        match (no_members, no_projects) {
            (true, true) => Some(Emptiness::Period),
            (true, false) => Some(Emptiness::Members),
            (false, true) => Some(Emptiness::Projects),
            (false, false) => None,
        }
    }
}

/// What a period lacks as of its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emptiness {
    /// No member is active and no project approved: an empty period.
    Period,
    /// No member is active.
    Members,
    /// No project is approved.
    Projects,
}

/// The figures on the cover and on the summary sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Kpis {
    pub(crate) members: u64,
    pub(crate) projects: u64,
    pub(crate) value: Cents,
    pub(crate) financing: Cents,
    pub(crate) breaches: u64,
}

impl Kpis {
    /// The key figures of a period's members, portfolio and breach count.
    pub(crate) fn of(members: &MemberReport, portfolio: &ProjectTotals, breaches: u64) -> Kpis {
        Kpis {
            members: members.total(),
            projects: portfolio.count,
            value: portfolio.value,
            financing: portfolio.financing,
            breaches,
        }
    }

    pub(crate) fn ratio(&self) -> Option<Ratio> {
        Ratio::new(self.financing, self.value)
    }

    /// The change from `previous` to `self`.
    pub(crate) fn change_from(&self, previous: &Kpis) -> KpiChange {
        let ratio = match (self.ratio(), previous.ratio()) {
            (Some(now), Some(before)) => Some(now.basis_points() - before.basis_points()),
            _ => None,
        };
        KpiChange {
            members: self.members as i64 - previous.members as i64,
            projects: self.projects as i64 - previous.projects as i64,
            value: self.value - previous.value,
            financing: self.financing - previous.financing,
            ratio_basis_points: ratio,
            breaches: self.breaches as i64 - previous.breaches as i64,
        }
    }
}

/// How the key figures moved since the previous month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KpiChange {
    pub(crate) members: i64,
    pub(crate) projects: i64,
    pub(crate) value: Cents,
    pub(crate) financing: Cents,
    /// Change of the rounded ratio, in ten-thousandths (0.0012 → 12); `None` when
    /// either month has no project value.
    pub(crate) ratio_basis_points: Option<i64>,
    pub(crate) breaches: i64,
}

/// The previous month's figures, recomputed from the dates in the same data.
#[derive(Debug, Clone)]
pub(crate) struct PreviousPeriod {
    pub(crate) period: Period,
    pub(crate) members: MemberReport,
    pub(crate) portfolio: ProjectTotals,
    pub(crate) breaches: u64,
}

impl PreviousPeriod {
    pub(crate) fn kpis(&self) -> Kpis {
        Kpis::of(&self.members, &self.portfolio, self.breaches)
    }
}

/// Members who joined (counted at the period's end, not at the previous one's) and
/// who left (the reverse) within the month, by cluster and category; clusters with
/// no movement are left out. Previous total + joined − left = this total.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemberMovements {
    pub(crate) joined: Vec<ClusterMembers>,
    pub(crate) left: Vec<ClusterMembers>,
}

impl MemberMovements {
    #[cfg(test)]
    pub(crate) fn joined_total(&self) -> u64 {
        self.joined.iter().map(|c| c.counts.total()).sum()
    }

    #[cfg(test)]
    pub(crate) fn left_total(&self) -> u64 {
        self.left.iter().map(|c| c.counts.total()).sum()
    }
}

/// Member counts by category, in [`Category::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CategoryCounts(pub(crate) [u64; 7]);

impl CategoryCounts {
    pub(crate) fn get(&self, category: Category) -> u64 {
        self.0[category.index()]
    }

    pub(crate) fn add(&mut self, category: Category, n: u64) {
        self.0[category.index()] += n;
    }

    /// Adds every category's count of `other`.
    pub(crate) fn add_all(&mut self, other: &CategoryCounts) {
        for (count, more) in self.0.iter_mut().zip(other.0) {
            *count += more;
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// Members active at the period's last day.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemberReport {
    /// One row per cluster (config order, then alphabetical), categories as columns.
    pub(crate) by_cluster: Vec<ClusterMembers>,
    /// Column totals over all clusters.
    pub(crate) totals: CategoryCounts,
    /// Members per province, largest first; `None` for members without a province.
    pub(crate) by_province: Vec<ProvinceMembers>,
}

impl MemberReport {
    pub(crate) fn total(&self) -> u64 {
        self.totals.total()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClusterMembers {
    pub(crate) cluster: String,
    pub(crate) counts: CategoryCounts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProvinceMembers {
    pub(crate) province: Option<String>,
    pub(crate) counts: CategoryCounts,
}

/// Count, value and financing of a set of projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ProjectTotals {
    pub(crate) count: u64,
    pub(crate) value: Cents,
    pub(crate) financing: Cents,
}

impl ProjectTotals {
    /// Financing ÷ value; `None` when there is no value.
    pub(crate) fn ratio(&self) -> Option<Ratio> {
        Ratio::new(self.financing, self.value)
    }
}

/// A group of projects (a cluster, a call) and its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProjectGroup {
    pub(crate) key: String,
    pub(crate) totals: ProjectTotals,
}

/// The project portfolio approved on or before the period's last day.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProjectReport {
    pub(crate) portfolio: ProjectTotals,
    /// Projects approved within the period's month.
    pub(crate) in_period: ProjectTotals,
    /// Projects approved from January 1st to the period's last day.
    pub(crate) year_to_date: ProjectTotals,
    pub(crate) by_cluster: Vec<ProjectGroup>,
    pub(crate) by_call: Vec<ProjectGroup>,
}

/// How a project stands against the cap that applies to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum AuditStatus {
    /// Financing above the cap: the excess is in EUR.
    Breach,
    /// Within the cap but close to it: the ratio less than two percentage points
    /// below the cap, or the financing above 98 % of the grant ceiling.
    NearCap,
    WithinCap,
    /// No `[[cap]]` rule matches the project.
    NoCap,
    /// The project value is zero or negative: no ratio can be computed.
    Undefined,
}

impl AuditStatus {
    pub(crate) fn key(self) -> &'static str {
        match self {
            AuditStatus::Breach => "breach",
            AuditStatus::NearCap => "near_cap",
            AuditStatus::WithinCap => "within_cap",
            AuditStatus::NoCap => "no_cap",
            AuditStatus::Undefined => "undefined",
        }
    }
}

/// The cap rule that applied to a project, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppliedCap {
    /// 1-based position of the `[[cap]]` rule in the config.
    pub(crate) rule_number: usize,
    /// What the rule is called and what it matches, shared by every project
    /// it applies to.
    pub(crate) terms: Arc<CapTerms>,
    pub(crate) max_ratio: Ppm,
    pub(crate) max_grant: Option<Cents>,
    /// The most financing the rule allows for this project.
    pub(crate) allowed: Cents,
}

/// A `[[cap]]` rule's name and what it matches, for the reports to write it
/// in the reader's language: its `label`, or else its terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CapTerms {
    /// The rule's `label`, as written in `consolida.toml`.
    pub(crate) label: Option<String>,
    /// The call, category and aid type patterns; `*` matches anything.
    pub(crate) call: String,
    pub(crate) category: String,
    pub(crate) aid_type: String,
    /// The rule applies to projects of at least this value.
    pub(crate) min_project_value: Option<Cents>,
}

/// Which limit of its rule a breach exceeds: the ratio cap, the grant ceiling
/// (`max_grant`), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BreachReason {
    Ratio,
    Grant,
    RatioAndGrant,
}

impl BreachReason {
    /// The stable key of the exports: `ratio`, `grant`, `ratio_and_grant`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            BreachReason::Ratio => "ratio",
            BreachReason::Grant => "grant",
            BreachReason::RatioAndGrant => "ratio_and_grant",
        }
    }
}

/// How a project, or a partner's share of one, stands against the cap rule that
/// applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// The rule applied and what it allows; `None` when no rule applies or the
    /// value is not positive.
    pub(crate) cap: Option<AppliedCap>,
    pub(crate) status: AuditStatus,
    /// Allowed minus financing, when within the cap.
    pub(crate) headroom: Option<Cents>,
    /// Financing minus allowed, when above the cap.
    pub(crate) excess: Option<Cents>,
    /// Which limit a breach exceeds; `None` unless a breach.
    pub(crate) reason: Option<BreachReason>,
}

impl Verdict {
    pub(crate) fn is_breach(&self) -> bool {
        self.status == AuditStatus::Breach
    }
}

/// One project in the financing audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProjectAudit {
    pub(crate) project_id: String,
    pub(crate) title: String,
    pub(crate) cluster: String,
    pub(crate) call: String,
    pub(crate) lead_member_id: Option<String>,
    /// The lead member's name, from the members; `None` when the lead member
    /// is not among them.
    pub(crate) lead_member_name: Option<String>,
    pub(crate) lead_category: Option<Category>,
    pub(crate) aid_type: Option<String>,
    pub(crate) approved_on: Option<NaiveDate>,
    pub(crate) value: Cents,
    pub(crate) financing: Cents,
    pub(crate) ratio: Option<Ratio>,
    pub(crate) verdict: Verdict,
    /// The project's row in its input file.
    pub(crate) source: Location,
}

/// Every project of the portfolio against its cap, breaches first.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditReport {
    pub(crate) projects: Vec<ProjectAudit>,
    /// Members whose de minimis financing over the rolling years exceeds the limit.
    pub(crate) de_minimis: Vec<DeMinimisExcess>,
    /// Each partner of a project with partners, against its own category's cap;
    /// breaches first.
    pub(crate) partners: Vec<PartnerAudit>,
    /// The partners' shares that do not add up to their project's value or
    /// financing, by project.
    pub(crate) share_gaps: Vec<ShareGap>,
}

/// A sum of a project's partners' shares that is not the project's figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShareGap {
    pub(crate) project_id: String,
    /// Which shares: the cost shares (against the value) or the financing shares.
    pub(crate) shares: SharesOf,
    pub(crate) partners: usize,
    /// The shares added up.
    pub(crate) sum: Cents,
    /// The project's value or financing.
    pub(crate) expected: Cents,
    /// The first partner's row, where the project's partners are listed.
    pub(crate) source: Location,
}

impl ShareGap {
    /// The project's figure minus the shares' sum: above zero when shares are missing.
    pub(crate) fn gap(&self) -> Cents {
        self.expected - self.sum
    }
}

/// The shares a [`ShareGap`] adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharesOf {
    Cost,
    Financing,
}

/// A project partner against the cap of its own category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartnerAudit {
    pub(crate) project_id: String,
    pub(crate) member_id: String,
    /// The partner's name, from the members; `None` when it is not among them.
    pub(crate) member_name: Option<String>,
    pub(crate) category: Option<Category>,
    pub(crate) cost_share: Cents,
    pub(crate) financing_share: Cents,
    /// Financing share ÷ cost share.
    pub(crate) ratio: Option<Ratio>,
    pub(crate) verdict: Verdict,
    /// The partner's row in its input file.
    pub(crate) source: Location,
}

/// A member above the de minimis ceiling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeMinimisExcess {
    pub(crate) member_id: String,
    pub(crate) name: String,
    /// The member's category; `None` when it is not among the members.
    pub(crate) category: Option<Category>,
    /// The first day of the rolling window; the window ends on the period's last day.
    pub(crate) window_start: NaiveDate,
    pub(crate) financing: Cents,
    pub(crate) limit: Cents,
    pub(crate) excess: Cents,
    /// The projects whose financing counts, by id.
    pub(crate) projects: Vec<String>,
}

impl AuditReport {
    pub(crate) fn breaches(&self) -> impl Iterator<Item = &ProjectAudit> {
        self.projects.iter().filter(|p| p.verdict.is_breach())
    }

    /// The financing to recover: the sum of the projects' excesses over their caps.
    pub(crate) fn total_excess(&self) -> Cents {
        self.breaches().filter_map(|p| p.verdict.excess).sum()
    }

    pub(crate) fn near_breaches(&self) -> impl Iterator<Item = &ProjectAudit> {
        self.projects
            .iter()
            .filter(|p| p.verdict.status == AuditStatus::NearCap)
    }

    /// The partners above the cap of their own category.
    pub(crate) fn partner_breaches(&self) -> impl Iterator<Item = &PartnerAudit> {
        self.partners.iter().filter(|p| p.verdict.is_breach())
    }

    /// The de minimis financing above the ceiling, summed over the members.
    pub(crate) fn de_minimis_excess(&self) -> Cents {
        self.de_minimis.iter().map(|member| member.excess).sum()
    }
}

/// An input file as it was read once (a file that two `[[source]]` entries read,
/// as members and as partners, is read twice): what it was read as, its digest,
/// the sheets read, and what became of their rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InputSummary {
    /// The path as shown to the user (relative to where the tool was run).
    pub(crate) path: String,
    pub(crate) kind: InputKind,
    pub(crate) sha256: String,
    /// The sheets whose rows were read, in the workbook's order; none for CSV.
    pub(crate) sheets: Vec<String>,
    /// Data rows read (below the header, excluding blank rows).
    pub(crate) rows: u64,
    /// Rows left out of the figures because of an error.
    pub(crate) rejected: u64,
}

/// A small but complete report for renderer tests: two clusters, three projects
/// (one breach, one near the cap, one without a cap), issues and sources, and
/// the monitoring of [`monitoring::sample`].
#[cfg(test)]
pub(crate) fn sample_report() -> Report {
    use crate::issues::Issue;
    let mut mobility = CategoryCounts::default();
    for (category, n) in Category::ALL.iter().zip([6, 20, 72, 5, 11, 7, 0]) {
        mobility.add(*category, n);
    }
    let mut life = CategoryCounts::default();
    life.add(Category::Sme, 40);
    life.add(Category::UniversityResearch, 6);
    life.add(Category::Other, 1);
    let mut totals = mobility;
    for category in Category::ALL {
        totals.add(category, life.get(category));
    }
    let mut milano = CategoryCounts::default();
    milano.add(Category::Sme, 100);
    milano.add(Category::Consortium, 6);
    let mut brescia = CategoryCounts::default();
    brescia.add(Category::LargeEnterprise, 20);
    brescia.add(Category::UniversityResearch, 11);
    brescia.add(Category::Sme, 12);
    brescia.add(Category::TradeAssociation, 11);
    brescia.add(Category::PublicBody, 7);
    brescia.add(Category::Other, 1);
    let seed = ProjectTotals {
        count: 1,
        value: Cents(15_850_000),
        financing: Cents(11_494_400),
    };
    let others = ProjectTotals {
        count: 2,
        value: Cents(50_000_000),
        financing: Cents(30_000_000),
    };
    let all = ProjectTotals {
        count: 3,
        value: seed.value + others.value,
        financing: seed.financing + others.financing,
    };
    let audit = |id: &str, title: &str, value: i64, financing: i64, cap: Option<f64>| {
        let (value, financing) = (Cents(value), Cents(financing));
        let ratio = Ratio::new(financing, value);
        let cap = cap.map(|c| {
            let max_ratio = Ppm::from_f64(c);
            AppliedCap {
                rule_number: 1,
                terms: Arc::new(CapTerms {
                    call: "Asse 1*".into(),
                    category: "*".into(),
                    aid_type: "*".into(),
                    ..CapTerms::default()
                }),
                max_ratio,
                max_grant: None,
                allowed: max_ratio.allowed_of(value),
            }
        });
        let (status, headroom, excess, reason) = match &cap {
            None => (AuditStatus::NoCap, None, None, None),
            Some(c) if financing > c.allowed => (
                AuditStatus::Breach,
                None,
                Some(financing - c.allowed),
                Some(BreachReason::Ratio),
            ),
            Some(c) => (
                AuditStatus::WithinCap,
                Some(c.allowed - financing),
                None,
                None,
            ),
        };
        ProjectAudit {
            project_id: id.into(),
            title: title.into(),
            cluster: "Scienze della vita".into(),
            call: "Asse 1 Consolidamento CTL".into(),
            lead_member_id: Some("01234567890".into()),
            lead_member_name: Some("Alfa Meccanica S.r.l.".into()),
            lead_category: Some(Category::Sme),
            aid_type: None,
            approved_on: NaiveDate::from_ymd_opt(2026, 3, 15),
            value,
            financing,
            ratio,
            verdict: Verdict {
                cap,
                status,
                headroom,
                excess,
                reason,
            },
            source: Location::row("inputs/progetti.xlsx", Some("Progetti"), 4),
        }
    };
    Report {
        period: Period { year: 2026, month: 11 },
        as_of: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        issuer: "Regione Lombardia – DG Università, Ricerca e Innovazione".into(),
        subject: "Cluster Tecnologici Lombardi".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        config: Some(InputSummary {
            path: "inputs/consolida.toml".into(),
            kind: InputKind::Config,
            sha256: "0".repeat(64),
            ..InputSummary::default()
        }),
        members: MemberReport {
            by_cluster: vec![
                ClusterMembers { cluster: "Mobilità".into(), counts: mobility },
                ClusterMembers { cluster: "Scienze della vita".into(), counts: life },
            ],
            totals,
            by_province: vec![
                ProvinceMembers { province: Some("MI".into()), counts: milano },
                ProvinceMembers { province: Some("BS".into()), counts: brescia },
                ProvinceMembers { province: None, counts: CategoryCounts::default() },
            ],
        },
        // The sample's counts stand alone, as above the limit.
        member_list: None,
        projects: ProjectReport {
            portfolio: all,
            in_period: seed,
            year_to_date: all,
            by_cluster: vec![
                ProjectGroup { key: "Mobilità".into(), totals: others },
                ProjectGroup { key: "Scienze della vita".into(), totals: seed },
            ],
            by_call: vec![
                ProjectGroup { key: "Asse 1 Consolidamento CTL".into(), totals: seed },
                ProjectGroup { key: "Bando Ergon azione 2".into(), totals: others },
            ],
        },
        audit: AuditReport {
            projects: vec![
                audit(
                    "E42F20000010009",
                    "Piano di Consolidamento Cluster Lombardo Scienze della vita",
                    15_850_000,
                    11_494_400,
                    Some(0.70),
                ),
                audit("E42F20000010010", "Punto Alleanze Lombardia (PAL)", 25_000_000, 17_000_000, Some(0.70)),
                audit("E42F20000010011", "Łódź–Brønnøysund Зеленый коридор", 25_000_000, 13_000_000, None),
            ],
            de_minimis: vec![DeMinimisExcess {
                member_id: "01234567890".into(),
                name: "Alfa Meccanica S.r.l.".into(),
                category: Some(Category::Sme),
                window_start: NaiveDate::from_ymd_opt(2023, 12, 1).unwrap(),
                financing: Cents(31_000_000),
                limit: Cents(30_000_000),
                excess: Cents(1_000_000),
                projects: vec!["E42F20000010010".into(), "E42F20000010011".into()],
            }],
            partners: Vec::new(),
            share_gaps: Vec::new(),
        },
        issues: vec![
            Issue::error(
                Location::cell("inputs/soci.xlsx", Some("Soci"), 1203, 3),
                crate::issues::IssueKind::UnknownCluster,
                crate::text::Text::new(
                    "Cluster sconosciuto «Aerospazo».",
                    "Unknown cluster 'Aerospazo'.",
                ),
            )
                .with_value("Aerospazo")
                .with_suggestion(Some(crate::suggestion::Suggestion { name: "Aerospazio" })),
            Issue::warning(
                Location::row("inputs/soci.xlsx", Some("Soci"), 88),
                crate::issues::IssueKind::DuplicateMember,
                crate::text::Text::new(
                    "Il socio 03456789012 compare di nuovo nel cluster «Mobilità» (la prima volta alla riga 12); è contato una volta sola.",
                    "Member 03456789012 appears again in cluster Mobilità (first at row 12); counted once.",
                ),
            ),
        ],
        previous: PreviousPeriod {
            period: Period { year: 2026, month: 10 },
            members: MemberReport {
                by_cluster: vec![ClusterMembers { cluster: "Mobilità".into(), counts: mobility }],
                totals: mobility,
                by_province: Vec::new(),
            },
            portfolio: others,
            breaches: 0,
        },
        movements: MemberMovements {
            joined: vec![ClusterMembers { cluster: "Scienze della vita".into(), counts: life }],
            left: Vec::new(),
        },
        inputs: vec![
            InputSummary {
                path: "inputs/soci.xlsx".into(),
                kind: InputKind::Data(crate::schema::SourceKind::Members),
                sha256: "ab".repeat(32),
                sheets: vec!["Soci".into()],
                rows: 1512,
                rejected: 2,
            },
            InputSummary {
                path: "inputs/progetti.xlsx".into(),
                kind: InputKind::Data(crate::schema::SourceKind::Projects),
                sha256: "cd".repeat(32),
                sheets: vec!["Progetti".into()],
                rows: 300,
                rejected: 0,
            },
        ],
        monitoring: monitoring::sample(),
        status: RunStatus::default(),
    }
}
