//! Aggregate: the canonical data of the period becomes the one [`Report`] model.
//!
//! Counts and sums run as lazy polars queries over integer columns (categories as
//! indices, money as cents, dates as day numbers), so every total is exact. The
//! per-project audit is a plain loop: it is one rule lookup per project.

use crate::caps::{self, CapQuery};
use crate::category::Category;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::money::Cents;
use crate::normalise::Dataset;
use crate::period::Period;
use crate::report::{
    AuditReport, CategoryCounts, ClusterMembers, InputSummary, MemberReport, ProjectAudit, ProjectGroup,
    ProjectReport, ProjectTotals, ProvinceMembers, Report,
};
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Who the report is from and what it covers; not computed from the data.
pub struct ReportMeta {
    pub issuer: String,
    pub subject: String,
    pub config: Option<InputSummary>,
}

/// Builds the report of `period` from the normalised data.
///
/// # Errors
/// [`Error::Internal`] if a polars query fails, which would be a bug.
pub fn aggregate(data: &Dataset, config: &Config, period: Period, meta: ReportMeta) -> Result<Report> {
    let members = member_report(data, config, period).map_err(internal)?;
    let projects = project_report(data, config, period).map_err(internal)?;
    let audit = audit_report(data, config, period);
    Ok(Report {
        period,
        as_of: period.last_day(),
        issuer: meta.issuer,
        subject: meta.subject,
        version: env!("CARGO_PKG_VERSION").to_string(),
        config: meta.config,
        members,
        projects,
        audit,
        issues: data.issues.clone(),
        inputs: data.inputs.clone(),
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
    col(column).is_null().or(col(column).lt_eq(lit(day_number(end))))
}

/// Rows dated within `[start, end]`.
fn between(column: &str, start: NaiveDate, end: NaiveDate) -> Expr {
    col(column).gt_eq(lit(day_number(start))).and(col(column).lt_eq(lit(day_number(end))))
}

fn member_frame(data: &Dataset) -> PolarsResult<DataFrame> {
    let m = &data.members;
    df!(
        "cluster" => m.iter().map(|m| m.cluster.as_str()).collect::<Vec<_>>(),
        "category" => m.iter().map(|m| m.category.index() as u32).collect::<Vec<_>>(),
        "province" => m.iter().map(|m| m.province.as_deref()).collect::<Vec<_>>(),
        "joined" => m.iter().map(|m| m.joined_on.map(day_number)).collect::<Vec<_>>(),
        "left" => m.iter().map(|m| m.left_on.map(day_number)).collect::<Vec<_>>(),
    )
}

fn member_report(data: &Dataset, config: &Config, period: Period) -> PolarsResult<MemberReport> {
    let end = period.last_day();
    let active = member_frame(data)?.lazy().filter(
        on_or_before("joined", end).and(col("left").is_null().or(col("left").gt_eq(lit(day_number(end))))),
    );
    let by_cluster = counts_by(active.clone(), "cluster")?;
    let by_province = counts_by(active, "province")?;

    let mut clusters: Vec<ClusterMembers> = config
        .clusters
        .iter()
        .map(|c| ClusterMembers { cluster: c.clone(), counts: CategoryCounts::default() })
        .collect();
    let mut extra: Vec<ClusterMembers> = Vec::new();
    let mut totals = CategoryCounts::default();
    for (cluster, counts) in by_cluster {
        let cluster = cluster.unwrap_or_default();
        add_counts(&mut totals, &counts);
        match clusters.iter_mut().find(|c| c.cluster == cluster) {
            Some(row) => row.counts = counts,
            None => extra.push(ClusterMembers { cluster, counts }),
        }
    }
    extra.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    clusters.extend(extra);

    let mut provinces: Vec<ProvinceMembers> =
        by_province.into_iter().map(|(province, counts)| ProvinceMembers { province, counts }).collect();
    provinces.sort_by(|a, b| {
        (a.province.is_none(), std::cmp::Reverse(a.counts.total()), &a.province).cmp(&(
            b.province.is_none(),
            std::cmp::Reverse(b.counts.total()),
            &b.province,
        ))
    });
    Ok(MemberReport { by_cluster: clusters, totals, by_province: provinces })
}

fn add_counts(totals: &mut CategoryCounts, counts: &CategoryCounts) {
    for category in Category::ALL {
        totals.add(category, counts.get(category));
    }
}

/// Member counts per value of `key` and category.
fn counts_by(active: LazyFrame, key: &str) -> PolarsResult<BTreeMap<Option<String>, CategoryCounts>> {
    let grouped = active.group_by([col(key), col("category")]).agg([len().alias("n")]).collect()?;
    let keys = grouped.column(key)?.str()?;
    let categories = grouped.column("category")?.u32()?;
    let counts = grouped.column("n")?.idx()?;
    let mut out: BTreeMap<Option<String>, CategoryCounts> = BTreeMap::new();
    for i in 0..grouped.height() {
        let category = Category::ALL[categories.get(i).unwrap_or(6) as usize];
        let entry = out.entry(keys.get(i).map(str::to_string)).or_default();
        entry.add(category, counts.get(i).unwrap_or(0) as u64);
    }
    Ok(out)
}

fn project_frame(data: &Dataset) -> PolarsResult<DataFrame> {
    let p = &data.projects;
    df!(
        "cluster" => p.iter().map(|p| p.cluster.as_str()).collect::<Vec<_>>(),
        "call" => p.iter().map(|p| p.call.as_str()).collect::<Vec<_>>(),
        "value" => p.iter().map(|p| p.value.0).collect::<Vec<_>>(),
        "financing" => p.iter().map(|p| p.financing.0).collect::<Vec<_>>(),
        "approved" => p.iter().map(|p| p.approved_on.map(day_number)).collect::<Vec<_>>(),
    )
}

fn project_report(data: &Dataset, config: &Config, period: Period) -> PolarsResult<ProjectReport> {
    let end = period.last_day();
    let projects = project_frame(data)?.lazy();
    let portfolio = projects.clone().filter(on_or_before("approved", end));
    let mut by_cluster = totals_by(portfolio.clone(), "cluster")?;
    for (index, cluster) in config.clusters.iter().enumerate() {
        if !by_cluster.iter().any(|g| &g.key == cluster) {
            by_cluster.insert(index.min(by_cluster.len()), ProjectGroup { key: cluster.clone(), totals: ProjectTotals::default() });
        }
    }
    let order: HashMap<&str, usize> = config.clusters.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    by_cluster.sort_by(|a, b| {
        let rank = |g: &ProjectGroup| order.get(g.key.as_str()).copied().unwrap_or(usize::MAX);
        (rank(a), &a.key).cmp(&(rank(b), &b.key))
    });
    Ok(ProjectReport {
        portfolio: totals_of(portfolio.clone())?,
        in_period: totals_of(projects.clone().filter(between("approved", period.first_day(), end)))?,
        year_to_date: totals_of(projects.filter(between("approved", period.year_start(), end)))?,
        by_cluster,
        by_call: totals_by(portfolio, "call")?,
    })
}

fn total_exprs() -> [Expr; 3] {
    [len().alias("count"), col("value").sum().alias("value"), col("financing").sum().alias("financing")]
}

/// Count, value and financing per value of `key`, sorted by key.
fn totals_by(projects: LazyFrame, key: &str) -> PolarsResult<Vec<ProjectGroup>> {
    let grouped = projects.group_by([col(key)]).agg(total_exprs()).sort([key], Default::default()).collect()?;
    let keys = grouped.column(key)?.str()?;
    (0..grouped.height())
        .map(|i| {
            Ok(ProjectGroup { key: keys.get(i).unwrap_or_default().to_string(), totals: totals_at(&grouped, i)? })
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

/// Every project of the portfolio against its cap: breaches first (largest excess
/// first), then near breaches, then the rest by project id.
fn audit_report(data: &Dataset, config: &Config, period: Period) -> AuditReport {
    let end = period.last_day();
    let categories: HashMap<&str, Category> =
        data.members.iter().rev().map(|m| (m.member_id.as_str(), m.category)).collect();
    let mut projects: Vec<ProjectAudit> = data
        .projects
        .iter()
        .filter(|p| p.approved_on.is_none_or(|d| d <= end))
        .map(|p| {
            let lead_category = p.lead_member_id.as_deref().and_then(|id| categories.get(id).copied());
            let query = CapQuery { call: &p.call, lead_category, aid_type: p.aid_type.as_deref() };
            let rule = caps::applicable(&config.caps, &query);
            let (cap, status, headroom, excess) = caps::assess(rule, p.value, p.financing);
            ProjectAudit {
                project_id: p.project_id.clone(),
                title: p.title.clone(),
                cluster: p.cluster.clone(),
                call: p.call.clone(),
                lead_member_id: p.lead_member_id.clone(),
                lead_category,
                aid_type: p.aid_type.clone(),
                approved_on: p.approved_on,
                value: p.value,
                financing: p.financing,
                ratio: crate::money::Ratio::new(p.financing, p.value),
                cap,
                status,
                headroom,
                excess,
                source: p.source.clone(),
            }
        })
        .collect();
    projects.sort_by(|a, b| {
        (a.status, std::cmp::Reverse(a.excess), &a.project_id).cmp(&(b.status, std::cmp::Reverse(b.excess), &b.project_id))
    });
    AuditReport { projects }
}
