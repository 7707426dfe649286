//! Aggregate: the canonical data of the period becomes the one [`Report`] model.
//!
//! Counts and sums run as lazy polars queries over integer columns (categories as
//! indices, money as cents, dates as day numbers), so every total is exact. The
//! financing audit is a stage of its own ([`crate::audit`]), run beside them,
//! and so are the figures at each month's end that monitoring reads
//! (`months.rs`).

pub(crate) mod months;

use crate::category::Category;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::money::Cents;
use crate::normalise::members::Member;
use crate::normalise::projects::Project;
use crate::normalise::Dataset;
use crate::period::Period;
use crate::report::monitoring::MonthlyFigures;
use crate::report::{
    CategoryCounts, ClusterMembers, InputSummary, MemberMovements, MemberReport, PreviousPeriod,
    ProjectGroup, ProjectReport, ProjectTotals, ProvinceMembers, Report, DETAIL_ROWS,
};
use crate::status::RunStatus;
use crate::threads::beside;
use chrono::NaiveDate;
use polars::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

/// Who the report is from and what it covers; not computed from the data.
pub(crate) struct ReportMeta {
    pub(crate) issuer: String,
    pub(crate) subject: String,
    pub(crate) config: Option<InputSummary>,
}

/// Builds the report of `period` from the normalised data. The report takes
/// the dataset's projects and issues rather than copying them: `data` keeps
/// its members, partners and inputs, and its projects and issues are empty
/// afterwards.
///
/// # Errors
/// [`Error::Internal`] if a polars query fails, which would be a bug.
pub(crate) fn aggregate(
    data: &mut Dataset,
    config: &Config,
    period: Period,
    meta: ReportMeta,
    plan: &crate::monitoring::Plan,
) -> Result<Report> {
    let window = plan.window(period);
    attribute_issues(data);
    // The projects go to the audit, whose rows take their texts.
    let projects = std::mem::take(&mut data.projects);
    let (audit, previous, rest, member_months, data_from) = {
        let data = &*data;
        // The members and the projects as frames, built once for this month's
        // and last month's figures and the movements between them; beside
        // them, each member's category for the audit.
        let ((project_frame, categories), member_frame) = beside(
            || beside(|| project_frame(&projects), || data.member_categories()),
            || member_frame(data),
        );
        let member_frame = member_frame.map_err(internal)?;
        let project_frame = project_frame.map_err(internal)?;
        let (members, project_frame) = (&member_frame, &project_frame);
        // This month's audit, last month's figures and the months of the
        // window are independent of the rest: each gets a thread of its own.
        let (((audit, previous), rest), member_months) = beside(
            || {
                beside(
                    || {
                        beside(
                            || {
                                let (partners, members) = (&data.partners, &data.members);
                                crate::audit::audit(
                                    projects,
                                    partners,
                                    members,
                                    &categories,
                                    config,
                                    period,
                                )
                            },
                            || previous_period(members, project_frame, config, period.previous()),
                        )
                    },
                    || this_period(members, project_frame, config, period),
                )
            },
            || months::member_months(members, window),
        );
        let data_from = months::data_from(members, &audit.report).map_err(internal)?;
        (audit, previous, rest, member_months, data_from)
    };
    let (previous_members, previous_portfolio) = previous.map_err(internal)?;
    let previous = PreviousPeriod {
        period: period.previous(),
        members: previous_members,
        portfolio: previous_portfolio,
        breaches: audit.previous_breaches,
    };
    let (members, projects, movements) = rest.map_err(internal)?;
    let member_list = counted_members(&data.members, period, members.total());
    let mut window_figures = member_months.map_err(internal)?;
    months::add_project_months(&audit.report, window, &mut window_figures);
    let clusters = in_report_order(window_figures, &members, window);
    let names = clusters.iter().map(|(name, _)| name.as_str());
    let moves = months::moves(&data.members, plan.trend_window(period), names);
    let figures = crate::monitoring::WindowFigures {
        window,
        clusters,
        data_from,
        moves,
    };
    let monitoring = crate::monitoring::monitor(plan, period, figures);
    let mut issues = std::mem::take(&mut data.issues);
    issues.extend(audit.issues);
    Ok(Report {
        period,
        as_of: period.last_day(),
        issuer: meta.issuer,
        subject: meta.subject,
        version: env!("CARGO_PKG_VERSION").to_string(),
        config: meta.config,
        members,
        member_list,
        projects,
        audit: audit.report,
        issues,
        inputs: data.inputs.clone(),
        previous,
        movements,
        monitoring,
        status: RunStatus::default(),
    })
}

/// Gives each issue on the row of a member or a project read the cluster of
/// that row, so that a cluster's report can list the issues of its rows.
fn attribute_issues(data: &mut Dataset) {
    let found: Vec<(usize, String)> = {
        let mut on_rows: FxHashMap<(&str, Option<&str>, u32), Vec<usize>> = FxHashMap::default();
        for (index, issue) in data.issues.iter().enumerate() {
            if let Some(row) = issue.location.row {
                let at = &issue.location;
                on_rows
                    .entry((at.file.as_str(), at.sheet.as_deref(), row))
                    .or_default()
                    .push(index);
            }
        }
        if on_rows.is_empty() {
            return;
        }
        // Most rows have no issue: their row number alone says so, before
        // their file and sheet are hashed.
        let issue_rows: rustc_hash::FxHashSet<u32> = on_rows.keys().map(|k| k.2).collect();
        let rows = data
            .members
            .iter()
            .map(|m| (&m.source, &m.cluster))
            .chain(data.projects.iter().map(|p| (&p.source, &p.cluster)));
        let mut found = Vec::new();
        for (at, cluster) in rows {
            let Some(row) = at.row.filter(|row| issue_rows.contains(row)) else {
                continue;
            };
            if let Some(indices) = on_rows.get(&(at.file.as_str(), at.sheet.as_deref(), row)) {
                found.extend(indices.iter().map(|&i| (i, cluster.clone())));
            }
        }
        found
    };
    for (index, cluster) in found {
        data.issues[index].cluster.get_or_insert(cluster);
    }
}

/// The clusters' monthly figures in the report's cluster order (every
/// configured cluster, then the others alphabetically), a configured cluster
/// without members or projects with zeros.
fn in_report_order(
    mut figures: Vec<(String, MonthlyFigures)>,
    members: &MemberReport,
    window: months::Window,
) -> Vec<(String, MonthlyFigures)> {
    let mut ordered: Vec<(String, MonthlyFigures)> = members
        .by_cluster
        .iter()
        .map(|c| {
            let found = figures.iter().position(|(name, _)| *name == c.cluster);
            match found {
                Some(i) => figures.swap_remove(i),
                None => (c.cluster.clone(), MonthlyFigures::zeros(window.len())),
            }
        })
        .collect();
    figures.sort_by(|a, b| a.0.cmp(&b.0));
    ordered.extend(figures);
    ordered
}

/// This month's figures: members by category, cluster and province, the
/// project portfolio, and the members who joined and left in the month.
fn this_period(
    members: &MemberFrame<'_>,
    projects: &DataFrame,
    config: &Config,
    period: Period,
) -> PolarsResult<(MemberReport, ProjectReport, MemberMovements)> {
    let members_now = member_report(members, config, period)?;
    let portfolio = project_report(projects, config, period)?;
    let movements = movements(members, period)?;
    Ok((members_now, portfolio, movements))
}

/// The previous month's members and portfolio, from the same data; its
/// breaches are counted from this month's audit ([`crate::audit::Audit`]).
fn previous_period(
    members: &MemberFrame<'_>,
    projects: &DataFrame,
    config: &Config,
    period: Period,
) -> PolarsResult<(MemberReport, ProjectTotals)> {
    let portfolio = projects
        .clone()
        .lazy()
        .filter(on_or_before("approved", period.last_day()));
    Ok((
        member_report(members, config, period)?,
        totals_of(portfolio)?,
    ))
}

/// The members counted at the period's last day (`total` of them), by the
/// rule [`member_report`]'s query counts them by: joined on or before that day
/// (or undated), and not left before it; `None` above [`DETAIL_ROWS`], where
/// they are not copied.
fn counted_members(members: &[Member], period: Period, total: u64) -> Option<Vec<Member>> {
    if total > DETAIL_ROWS as u64 {
        return None;
    }
    let end = period.last_day();
    let counted = |m: &&Member| {
        m.joined_on.is_none_or(|joined| joined <= end) && m.left_on.is_none_or(|left| left >= end)
    };
    Some(members.iter().filter(counted).cloned().collect())
}

/// Members who joined and left within the month: counted at its end and not at the
/// previous month's end, and the reverse.
fn movements(members: &MemberFrame<'_>, period: Period) -> PolarsResult<MemberMovements> {
    let (before, end) = (period.previous().last_day(), period.last_day());
    let clusters = &members.clusters;
    let members = members.frame.clone().lazy();
    let joined = members.clone().filter(
        col("joined")
            .gt(lit(day_number(before)))
            .and(col("joined").lt_eq(lit(day_number(end)))),
    );
    let left = members.filter(
        col("left")
            .gt_eq(lit(day_number(before)))
            .and(col("left").lt(lit(day_number(end)))),
    );
    let by_cluster = |frame| -> PolarsResult<Vec<ClusterMembers>> {
        Ok(counts_by(frame, "cluster", clusters)?
            .into_iter()
            .map(|(cluster, counts)| ClusterMembers {
                cluster: cluster.unwrap_or_default(),
                counts,
            })
            .collect())
    };
    Ok(MemberMovements {
        joined: by_cluster(joined)?,
        left: by_cluster(left)?,
    })
}

fn internal(e: PolarsError) -> Error {
    Error::Internal(format!("an aggregation query failed: {e}."))
}

/// Days since 1970-01-01, the integer form dates take in the queries.
fn day_number(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

/// Rows dated on or before `end` (or undated), for a nullable day-number column.
fn on_or_before(column: &str, end: NaiveDate) -> Expr {
    col(column)
        .is_null()
        .or(col(column).lt_eq(lit(day_number(end))))
}

/// Rows dated within `[start, end]`.
fn between(column: &str, start: NaiveDate, end: NaiveDate) -> Expr {
    col(column)
        .gt_eq(lit(day_number(start)))
        .and(col(column).lt_eq(lit(day_number(end))))
}

/// The members as a frame, their clusters and provinces as numbers into
/// name lists, so that the queries group by integers rather than by text.
struct MemberFrame<'a> {
    frame: DataFrame,
    clusters: Vec<&'a str>,
    provinces: Vec<&'a str>,
}

/// Gives each distinct name a number, in the order they are first seen.
#[derive(Default)]
struct Numbering<'a> {
    numbers: FxHashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Numbering<'a> {
    fn number(&mut self, name: &'a str) -> u32 {
        *self.numbers.entry(name).or_insert_with(|| {
            self.names.push(name);
            self.names.len() as u32 - 1
        })
    }
}

fn member_frame(data: &Dataset) -> PolarsResult<MemberFrame<'_>> {
    let m = &data.members;
    let (mut clusters, mut provinces) = (Numbering::default(), Numbering::default());
    let frame = df!(
        "cluster" => m.iter().map(|m| clusters.number(&m.cluster)).collect::<Vec<_>>(),
        "category" => m.iter().map(|m| m.category.index() as u32).collect::<Vec<_>>(),
        "province" => m
            .iter()
            .map(|m| m.province.as_deref().map(|p| provinces.number(p)))
            .collect::<Vec<_>>(),
        "joined" => m.iter().map(|m| m.joined_on.map(day_number)).collect::<Vec<_>>(),
        "left" => m.iter().map(|m| m.left_on.map(day_number)).collect::<Vec<_>>(),
        "joined_month" => m.iter().map(|m| m.joined_on.map(months::joined_month)).collect::<Vec<_>>(),
        "left_month" => m.iter().map(|m| m.left_on.map(months::left_month)).collect::<Vec<_>>(),
    )?;
    Ok(MemberFrame {
        frame,
        clusters: clusters.names,
        provinces: provinces.names,
    })
}

fn member_report(
    members: &MemberFrame<'_>,
    config: &Config,
    period: Period,
) -> PolarsResult<MemberReport> {
    let end = period.last_day();
    let active = members.frame.clone().lazy().filter(
        on_or_before("joined", end).and(
            col("left")
                .is_null()
                .or(col("left").gt_eq(lit(day_number(end)))),
        ),
    );
    let by_cluster = counts_by(active.clone(), "cluster", &members.clusters)?;
    let by_province = counts_by(active, "province", &members.provinces)?;

    let mut clusters: Vec<ClusterMembers> = config
        .clusters
        .iter()
        .map(|c| ClusterMembers {
            cluster: c.clone(),
            counts: CategoryCounts::default(),
        })
        .collect();
    let mut extra: Vec<ClusterMembers> = Vec::new();
    let mut totals = CategoryCounts::default();
    for (cluster, counts) in by_cluster {
        let cluster = cluster.unwrap_or_default();
        totals.add_all(&counts);
        match clusters.iter_mut().find(|c| c.cluster == cluster) {
            Some(row) => row.counts = counts,
            None => extra.push(ClusterMembers { cluster, counts }),
        }
    }
    extra.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    clusters.extend(extra);

    let mut provinces: Vec<ProvinceMembers> = by_province
        .into_iter()
        .map(|(province, counts)| ProvinceMembers { province, counts })
        .collect();
    provinces.sort_by(|a, b| {
        (
            a.province.is_none(),
            std::cmp::Reverse(a.counts.total()),
            &a.province,
        )
            .cmp(&(
                b.province.is_none(),
                std::cmp::Reverse(b.counts.total()),
                &b.province,
            ))
    });
    Ok(MemberReport {
        by_cluster: clusters,
        totals,
        by_province: provinces,
    })
}

/// Member counts per value of `key` (a number into `names`, or none) and
/// category.
fn counts_by(
    active: LazyFrame,
    key: &str,
    names: &[&str],
) -> PolarsResult<BTreeMap<Option<String>, CategoryCounts>> {
    // One integer to group by: the name's number (one past the names for
    // none) and the category's index.
    const CATEGORIES: u32 = Category::ALL.len() as u32;
    let number = col(key).fill_null(lit(names.len() as u32));
    let grouped = active
        .group_by([(number * lit(CATEGORIES) + col("category")).alias("key")])
        .agg([len().alias("n")])
        .collect()?;
    let keys = grouped.column("key")?.u32()?;
    let counts = grouped.column("n")?.idx()?;
    let mut out: BTreeMap<Option<String>, CategoryCounts> = BTreeMap::new();
    for (key, count) in keys.into_no_null_iter().zip(counts.into_no_null_iter()) {
        let name = names.get((key / CATEGORIES) as usize);
        let category = Category::ALL[(key % CATEGORIES) as usize];
        out.entry(name.map(|name| name.to_string()))
            .or_default()
            .add(category, count as u64);
    }
    Ok(out)
}

fn project_frame(p: &[Project]) -> PolarsResult<DataFrame> {
    df!(
        "cluster" => p.iter().map(|p| p.cluster.as_str()).collect::<Vec<_>>(),
        "call" => p.iter().map(|p| p.call.as_str()).collect::<Vec<_>>(),
        "value" => p.iter().map(|p| p.value.0).collect::<Vec<_>>(),
        "financing" => p.iter().map(|p| p.financing.0).collect::<Vec<_>>(),
        "approved" => p.iter().map(|p| p.approved_on.map(day_number)).collect::<Vec<_>>(),
    )
}

fn project_report(
    projects: &DataFrame,
    config: &Config,
    period: Period,
) -> PolarsResult<ProjectReport> {
    let end = period.last_day();
    let projects = projects.clone().lazy();
    let portfolio = projects.clone().filter(on_or_before("approved", end));
    let mut by_cluster = totals_by(portfolio.clone(), "cluster")?;
    for (index, cluster) in config.clusters.iter().enumerate() {
        if !by_cluster.iter().any(|g| &g.key == cluster) {
            by_cluster.insert(
                index.min(by_cluster.len()),
                ProjectGroup {
                    key: cluster.clone(),
                    totals: ProjectTotals::default(),
                },
            );
        }
    }
    let order: HashMap<&str, usize> = config
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    by_cluster.sort_by(|a, b| {
        let rank = |g: &ProjectGroup| order.get(g.key.as_str()).copied().unwrap_or(usize::MAX);
        (rank(a), &a.key).cmp(&(rank(b), &b.key))
    });
    Ok(ProjectReport {
        portfolio: totals_of(portfolio.clone())?,
        in_period: totals_of(projects.clone().filter(between(
            "approved",
            period.first_day(),
            end,
        )))?,
        year_to_date: totals_of(projects.filter(between("approved", period.year_start(), end)))?,
        by_cluster,
        by_call: totals_by(portfolio, "call")?,
    })
}

fn total_exprs() -> [Expr; 3] {
    [
        len().alias("count"),
        col("value").sum().alias("value"),
        col("financing").sum().alias("financing"),
    ]
}

/// Count, value and financing per value of `key`, sorted by key.
fn totals_by(projects: LazyFrame, key: &str) -> PolarsResult<Vec<ProjectGroup>> {
    let grouped = projects
        .group_by([col(key)])
        .agg(total_exprs())
        .sort([key], Default::default())
        .collect()?;
    let keys = grouped.column(key)?.str()?;
    (0..grouped.height())
        .map(|i| {
            Ok(ProjectGroup {
                key: keys.get(i).unwrap_or_default().to_string(),
                totals: totals_at(&grouped, i)?,
            })
        })
        .collect()
}

fn totals_of(projects: LazyFrame) -> PolarsResult<ProjectTotals> {
    let summed = projects.select(total_exprs()).collect()?;
    totals_at(&summed, 0)
}

fn totals_at(frame: &DataFrame, i: usize) -> PolarsResult<ProjectTotals> {
    let count = frame.column("count")?.idx()?.get(i).unwrap_or(0) as u64;
    Ok(ProjectTotals {
        count,
        value: Cents(frame.column("value")?.i64()?.get(i).unwrap_or(0)),
        financing: Cents(frame.column("financing")?.i64()?.get(i).unwrap_or(0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;
    use crate::normalise::members::Member;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn member(
        id: &str,
        category: Category,
        cluster: &str,
        province: Option<&str>,
        joined: Option<NaiveDate>,
    ) -> Member {
        Member {
            member_id: id.into(),
            name: id.into(),
            category,
            cluster: cluster.into(),
            province: province.map(str::to_string),
            joined_on: joined,
            left_on: None,
            source: Location::file("m.xlsx"),
        }
    }

    fn project(
        id: &str,
        cluster: &str,
        call: &str,
        value: i64,
        financing: i64,
        approved: Option<NaiveDate>,
    ) -> Project {
        Project {
            project_id: id.into(),
            title: String::new(),
            cluster: cluster.into(),
            call: call.into(),
            lead_member_id: Some("A".into()),
            value: Cents(value),
            financing: Cents(financing),
            approved_on: approved,
            start_on: None,
            end_on: None,
            aid_type: None,
            source: Location::file("p.xlsx"),
        }
    }

    fn report(data: &Dataset, config: &Config) -> Report {
        let meta = ReportMeta {
            issuer: String::new(),
            subject: String::new(),
            config: None,
        };
        aggregate(
            &mut data.clone(),
            config,
            Period {
                year: 2026,
                month: 11,
            },
            meta,
            &crate::monitoring::Plan::default(),
        )
        .unwrap()
    }

    #[test]
    fn configured_clusters_without_members_still_have_a_row_in_config_order() {
        let config = Config {
            clusters: vec!["Zeta".into(), "Alfa".into(), "Beta".into()],
            ..Config::default()
        };
        let data = Dataset {
            members: vec![
                member("A", Category::Sme, "Beta", Some("MI"), day(2020, 1, 1)),
                member("B", Category::Sme, "Beta", None, day(2020, 1, 1)),
                member(
                    "C",
                    Category::PublicBody,
                    "Alfa",
                    Some("MI"),
                    day(2026, 12, 1),
                ),
                member("D", Category::Other, "Fuori elenco", Some("BG"), None),
            ],
            ..Dataset::default()
        };
        let r = report(&data, &config);
        let names: Vec<&str> = r
            .members
            .by_cluster
            .iter()
            .map(|c| c.cluster.as_str())
            .collect();
        assert_eq!(names, ["Zeta", "Alfa", "Beta", "Fuori elenco"]);
        assert_eq!(
            r.members.by_cluster[1].counts.total(),
            0,
            "C joins after the period"
        );
        assert_eq!(r.members.by_cluster[2].counts.get(Category::Sme), 2);
        assert_eq!(r.members.total(), 3);
        let provinces: Vec<(Option<&str>, u64)> = r
            .members
            .by_province
            .iter()
            .map(|p| (p.province.as_deref(), p.counts.total()))
            .collect();
        assert_eq!(provinces, [(Some("BG"), 1), (Some("MI"), 1), (None, 1)]);
    }

    #[test]
    fn members_without_a_province_keep_their_categories() {
        let data = Dataset {
            members: vec![
                member("A", Category::Sme, "Beta", None, None),
                member("B", Category::PublicBody, "Beta", None, None),
                member("C", Category::PublicBody, "Alfa", None, None),
                member("D", Category::Other, "Alfa", Some("MI"), None),
            ],
            ..Dataset::default()
        };
        let r = report(&data, &Config::default());
        let none = &r.members.by_province[1];
        assert_eq!(none.province, None, "members without a province come last");
        assert_eq!(none.counts.get(Category::Sme), 1);
        assert_eq!(none.counts.get(Category::PublicBody), 2);
        assert_eq!(none.counts.get(Category::Other), 0);
        let alfa = &r.members.by_cluster[0];
        assert_eq!(alfa.cluster, "Alfa");
        assert_eq!(alfa.counts.get(Category::PublicBody), 1);
        assert_eq!(alfa.counts.get(Category::Other), 1);
    }

    #[test]
    fn money_sums_are_exact_and_periods_split_the_portfolio() {
        let config = Config::default();
        let data = Dataset {
            projects: vec![
                project("P1", "Mobilità", "Bando B", 10, 1, day(2026, 11, 30)),
                project("P2", "Mobilità", "Bando A", 20, 2, day(2026, 1, 1)),
                project("P3", "Energia", "Bando A", 30, 3, day(2025, 12, 31)),
                project("P4", "Energia", "Bando A", 40, 4, None),
                project("P5", "Energia", "Bando A", 50, 5, day(2026, 12, 1)),
            ],
            ..Dataset::default()
        };
        let r = report(&data, &config);
        assert_eq!(
            r.projects.portfolio,
            ProjectTotals {
                count: 4,
                value: Cents(100),
                financing: Cents(10)
            }
        );
        assert_eq!(r.projects.in_period.count, 1);
        assert_eq!(
            r.projects.year_to_date,
            ProjectTotals {
                count: 2,
                value: Cents(30),
                financing: Cents(3)
            }
        );
        let calls: Vec<(&str, u64)> = r
            .projects
            .by_call
            .iter()
            .map(|g| (g.key.as_str(), g.totals.count))
            .collect();
        assert_eq!(calls, [("Bando A", 3), ("Bando B", 1)]);
        assert_eq!(r.audit.projects.len(), 4);
        assert_eq!(
            r.previous.portfolio,
            ProjectTotals {
                count: 3,
                value: Cents(90),
                financing: Cents(9)
            }
        );
        assert_eq!(r.change().projects, 1);
        assert_eq!(r.change().value, Cents(10));
    }

    #[test]
    fn last_months_breaches_are_counted_as_its_audit_would_find_them() {
        let config = Config::parse(
            "[[cap]]\ncall = \"Bando A\"\nmax_ratio = 0.5\n",
            "consolida.toml",
        )
        .unwrap();
        let data = Dataset {
            members: vec![member("A", Category::Sme, "Energia", None, None)],
            projects: vec![
                project("P1", "Energia", "Bando A", 100, 60, day(2026, 10, 2)),
                project("P2", "Energia", "Bando A", 100, 40, day(2026, 10, 3)),
                project("P3", "Energia", "Bando A", 100, 70, None),
                project("P4", "Energia", "Bando B", 100, 90, day(2026, 9, 1)),
                project("P5", "Energia", "Bando A", 100, 80, day(2026, 11, 2)),
            ],
            ..Dataset::default()
        };
        let r = report(&data, &config);
        assert_eq!(r.previous.breaches, 2, "P1 and P3");
        assert_eq!(r.audit.breaches().count(), 3);
    }

    #[test]
    fn movements_reconcile_the_previous_total_with_this_one() {
        let mut members = vec![
            member("A", Category::Sme, "Beta", None, day(2020, 1, 1)),
            member("B", Category::Sme, "Beta", None, day(2026, 11, 1)),
            member("C", Category::Sme, "Beta", None, day(2026, 10, 31)),
            member("D", Category::Other, "Beta", None, day(2026, 11, 5)),
            member("E", Category::Sme, "Beta", None, day(2019, 1, 1)),
            member("F", Category::Sme, "Beta", None, day(2019, 1, 1)),
            member("G", Category::Sme, "Beta", None, day(2019, 1, 1)),
        ];
        members[3].left_on = day(2026, 11, 20); // joins and leaves within November
        members[4].left_on = day(2026, 10, 31); // still a member on 31/10, gone by 30/11
        members[5].left_on = day(2026, 11, 30); // leaves on the last day: still counts
        members[6].left_on = day(2026, 10, 30); // already gone at the end of October
        let data = Dataset {
            members,
            ..Dataset::default()
        };
        let r = report(&data, &Config::default());
        let (joined, left) = (r.movements.joined_total(), r.movements.left_total());
        assert_eq!((joined, left), (2, 2), "B and D joined; D and E left");
        assert_eq!(r.previous.members.total(), 4, "A, C, E, F on 31/10");
        assert_eq!(r.members.total(), 4, "A, B, C, F on 30/11");
        assert_eq!(
            r.previous.members.total() + joined - left,
            r.members.total()
        );
        assert_eq!(r.movements.joined[0].counts.get(Category::Other), 1);
        // The member list holds those the counts count, by the same rule.
        let listed: Vec<&str> = r
            .member_list
            .as_ref()
            .unwrap()
            .iter()
            .map(|m| m.member_id.as_str())
            .collect();
        assert_eq!(listed, ["A", "B", "C", "F"]);
    }

    #[test]
    fn above_the_limit_the_members_are_not_listed() {
        let members = |n: usize| -> Vec<Member> {
            let one = member("A", Category::Sme, "Beta", None, day(2020, 1, 1));
            vec![one; n]
        };
        let at = members(DETAIL_ROWS);
        let period = Period {
            year: 2026,
            month: 11,
        };
        let listed = counted_members(&at, period, DETAIL_ROWS as u64);
        assert_eq!(listed.map(|l| l.len()), Some(DETAIL_ROWS));
        let above = members(DETAIL_ROWS + 1);
        assert!(counted_members(&above, period, DETAIL_ROWS as u64 + 1).is_none());
    }

    #[test]
    fn the_trend_names_who_joined_and_left_in_each_month_as_it_counts_them() {
        use crate::report::monitoring::MoveKind::{self, Joined, Left};
        let config = Config {
            clusters: vec!["Zeta".into(), "Alfa".into()],
            ..Config::default()
        };
        let mut members = vec![
            member("B2", Category::Sme, "Alfa", None, day(2026, 11, 1)),
            member("B1", Category::Other, "Alfa", None, day(2026, 9, 30)),
            member("Z9", Category::Sme, "Zeta", None, day(2026, 11, 30)),
            member("Z1", Category::Sme, "Zeta", None, day(2026, 8, 31)),
            member("Y1", Category::Sme, "Zeta", None, day(2026, 12, 1)),
            member("Y2", Category::Sme, "Zeta", None, day(2019, 1, 1)),
            member("Y3", Category::Sme, "Zeta", None, day(2019, 1, 1)),
            member("J", Category::Sme, "Alfa", None, day(2026, 10, 5)),
        ];
        members[1].left_on = day(2026, 11, 29); // joins in September, leaves in November
        members[5].left_on = day(2026, 8, 31); // gone by the end of September
        members[6].left_on = day(2026, 11, 30); // leaves on the last day: still counts
        members[7].left_on = day(2026, 10, 20); // joins and leaves within October
        let data = Dataset {
            members,
            ..Dataset::default()
        };
        let plan = crate::monitoring::Plan {
            trend_months: 3,
            ..Default::default()
        };
        let meta = ReportMeta {
            issuer: String::new(),
            subject: String::new(),
            config: None,
        };
        let period = Period {
            year: 2026,
            month: 11,
        };
        let r = aggregate(&mut data.clone(), &config, period, meta, &plan).unwrap();
        let trend = &r.monitoring.trend;
        let moves: Vec<(String, MoveKind, &str, &str)> = trend
            .moves
            .iter()
            .map(|m| {
                (
                    m.month.to_string(),
                    m.kind,
                    m.member_id.as_str(),
                    m.cluster.as_str(),
                )
            })
            .collect();
        // By month, then cluster in the report's order (Zeta first, as
        // configured), then id, joined before left.
        assert_eq!(
            moves,
            [
                ("2026-09".to_string(), Left, "Y2", "Zeta"),
                ("2026-09".to_string(), Joined, "B1", "Alfa"),
                ("2026-10".to_string(), Joined, "J", "Alfa"),
                ("2026-10".to_string(), Left, "J", "Alfa"),
                ("2026-11".to_string(), Joined, "Z9", "Zeta"),
                ("2026-11".to_string(), Left, "B1", "Alfa"),
                ("2026-11".to_string(), Joined, "B2", "Alfa"),
            ]
        );
        assert_eq!(trend.moves[1].category, Category::Other);
        // Each month's moves are the month's counts, cluster by cluster.
        for cluster in &trend.clusters {
            for (i, month) in trend.months.iter().enumerate() {
                let count = |kind| {
                    trend
                        .moves
                        .iter()
                        .filter(|m| {
                            m.month == *month && m.cluster == cluster.cluster && m.kind == kind
                        })
                        .count() as u64
                };
                let figures = &cluster.figures;
                assert_eq!(
                    count(Joined),
                    figures.joined[i].total(),
                    "{}",
                    cluster.cluster
                );
                assert_eq!(count(Left), figures.left[i].total(), "{}", cluster.cluster);
            }
        }
    }
}
