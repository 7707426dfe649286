//! The figures at each month's end of a window of months, by cluster: what the
//! trend shows and the targets are judged on. The same as-of rules as the
//! period's own figures: a member counts at a month's end if it joined on or
//! before that day and had not left before it; a project if it was approved on
//! or before it.
//!
//! Members are counted by one polars query: grouped by cluster, category, the
//! month they joined and the month they stopped counting (each clamped to just
//! outside the window), which the window's months then add up. Who joined and
//! who left in the trend's months is found by one pass over the members, by
//! the same months.

use super::MemberFrame;
use crate::category::Category;
use crate::normalise::members::Member;
use crate::period::Period;
use crate::report::monitoring::{MemberMove, MonthlyFigures, MoveKind};
use crate::report::AuditReport;
use chrono::NaiveDate;
use polars::prelude::*;
use rustc_hash::FxHashMap;

/// Consecutive months, the oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) first: Period,
    pub(crate) last: Period,
}

impl Window {
    pub(crate) fn len(self) -> usize {
        (self.last.index() - self.first.index() + 1).max(0) as usize
    }

    /// The months of the window.
    pub(crate) fn months(self) -> Vec<Period> {
        (0..self.len() as i32).map(|i| self.first.plus(i)).collect()
    }

    /// The position of `month` in the window, if it is in it.
    pub(crate) fn position(self, month: Period) -> Option<usize> {
        let i = month.index() - self.first.index();
        (0..self.len() as i32).contains(&i).then_some(i as usize)
    }
}

/// The month a member who joined on `day` first counts in: the month of the
/// day (it counts from that month's end on).
pub(crate) fn joined_month(day: NaiveDate) -> i32 {
    month_index(day)
}

/// The first month a member who left on `day` no longer counts in: the month
/// of the next day (a member who leaves on a month's last day still counts at
/// its end).
pub(crate) fn left_month(day: NaiveDate) -> i32 {
    day.succ_opt().map_or(i32::MAX, month_index)
}

/// The [`Period::index`] of the month holding `day`.
fn month_index(day: NaiveDate) -> i32 {
    Period::containing(day).index()
}

/// Each cluster's member figures (members, joined, left) at each month of
/// `window`, in the frame's cluster order; the project figures are zeros.
pub(super) fn member_months(
    members: &MemberFrame<'_>,
    window: Window,
) -> PolarsResult<Vec<(String, MonthlyFigures)>> {
    let (first, last) = (window.first.index(), window.last.index());
    let (before, after) = (first - 1, last + 1);
    let clamp = |name: &str, missing: i32| {
        let c = col(name).fill_null(lit(missing));
        when(c.clone().lt(lit(before)))
            .then(lit(before))
            .when(c.clone().gt(lit(after)))
            .then(lit(after))
            .otherwise(c)
            .alias(name)
    };
    let grouped = members
        .frame
        .clone()
        .lazy()
        .group_by([
            col("cluster"),
            col("category"),
            clamp("joined_month", before),
            clamp("left_month", after),
        ])
        .agg([len().alias("n")])
        .collect()?;
    let mut clusters: Vec<(String, MonthlyFigures)> = members
        .clusters
        .iter()
        .map(|name| (name.to_string(), MonthlyFigures::zeros(window.len())))
        .collect();
    let columns = (
        grouped.column("cluster")?.u32()?,
        grouped.column("category")?.u32()?,
        grouped.column("joined_month")?.i32()?,
        grouped.column("left_month")?.i32()?,
        grouped.column("n")?.idx()?,
    );
    for i in 0..grouped.height() {
        let (Some(cluster), Some(category), Some(joined), Some(left), Some(n)) = (
            columns.0.get(i),
            columns.1.get(i),
            columns.2.get(i),
            columns.3.get(i),
            columns.4.get(i),
        ) else {
            continue;
        };
        let figures = &mut clusters[cluster as usize].1;
        let category = Category::ALL[category as usize];
        let n = n as u64;
        for month in joined.max(first)..left.min(after) {
            figures.members[(month - first) as usize].add(category, n);
        }
        if (first..=last).contains(&joined) {
            figures.joined[(joined - first) as usize].add(category, n);
        }
        if (first..=last).contains(&left) {
            figures.left[(left - first) as usize].add(category, n);
        }
    }
    Ok(clusters)
}

/// The members who joined or left in a month of `window`, by [`joined_month`]
/// and [`left_month`] as the counts are: one pass over the members, keeping
/// only those who move. Ordered by month, then cluster in `clusters`' order
/// (a cluster not in it after them, by name), then member id, joined before
/// left; members alike in all of that stay in the order they were read.
pub(super) fn moves<'a>(
    members: &[Member],
    window: Window,
    clusters: impl IntoIterator<Item = &'a str>,
) -> Vec<MemberMove> {
    let (first, last) = (window.first.index(), window.last.index());
    let order: FxHashMap<&str, usize> = clusters
        .into_iter()
        .enumerate()
        .map(|(i, name)| (name, i))
        .collect();
    let within = |month: i32| (first..=last).contains(&month).then_some(month);
    // Each move with its cluster's place, looked up once.
    let mut moves: Vec<(i32, usize, MoveKind, &Member)> = Vec::new();
    for member in members {
        let joined = member.joined_on.map(joined_month).and_then(within);
        let left = member.left_on.map(left_month).and_then(within);
        if joined.is_none() && left.is_none() {
            continue;
        }
        let position = order.get(member.cluster.as_str()).copied();
        let position = position.unwrap_or(usize::MAX);
        if let Some(month) = joined {
            moves.push((month, position, MoveKind::Joined, member));
        }
        if let Some(month) = left {
            moves.push((month, position, MoveKind::Left, member));
        }
    }
    moves.sort_by(|(a_month, a_at, a_kind, a), (b_month, b_at, b_kind, b)| {
        (a_month, a_at, &a.cluster, &a.member_id, a_kind).cmp(&(
            b_month,
            b_at,
            &b.cluster,
            &b.member_id,
            b_kind,
        ))
    });
    moves
        .into_iter()
        .map(|(month, _, kind, m)| MemberMove {
            month: Period::from_index(month),
            kind,
            member_id: m.member_id.clone(),
            name: m.name.clone(),
            cluster: m.cluster.clone(),
            category: m.category,
        })
        .collect()
}

/// Adds the portfolio's figures at each month of `window` to `clusters`,
/// adding a cluster that has projects and no members. The portfolio is the
/// audit's (the projects approved by the window's last month), each with its
/// verdict: a breach counts from its project's approval on.
pub(super) fn add_project_months(
    audit: &AuditReport,
    window: Window,
    clusters: &mut Vec<(String, MonthlyFigures)>,
) {
    let first = window.first.index();
    let mut positions: FxHashMap<String, usize> = clusters
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.clone(), i))
        .collect();
    for project in &audit.projects {
        let approved = project.approved_on.map_or(first, month_index).max(first);
        let Some(start) = usize::try_from(approved - first)
            .ok()
            .filter(|&i| i < window.len())
        else {
            continue;
        };
        let position = match positions.get(&project.cluster) {
            Some(&i) => i,
            None => {
                clusters.push((project.cluster.clone(), MonthlyFigures::zeros(window.len())));
                positions.insert(project.cluster.clone(), clusters.len() - 1);
                clusters.len() - 1
            }
        };
        let figures = &mut clusters[position].1;
        let breach = u64::from(project.verdict.is_breach());
        for i in start..window.len() {
            figures.projects[i] += 1;
            figures.value[i] = figures.value[i] + project.value;
            figures.financing[i] = figures.financing[i] + project.financing;
            figures.breaches[i] += breach;
        }
    }
}

/// The first month whose end is on or after the earliest date in the data
/// (a member's joining or leaving, a project's approval); `None` without any.
pub(super) fn data_from(
    members: &MemberFrame<'_>,
    audit: &AuditReport,
) -> PolarsResult<Option<Period>> {
    let earliest_member = ["joined", "left"]
        .iter()
        .map(|c| members.frame.column(c).and_then(|c| Ok(c.i32()?.min())))
        .collect::<PolarsResult<Vec<_>>>()?
        .into_iter()
        .flatten()
        .min();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let earliest_member = earliest_member
        .and_then(|days| epoch.checked_add_signed(chrono::Duration::days(days.into())));
    let earliest_project = audit.projects.iter().filter_map(|p| p.approved_on).min();
    Ok(earliest_member
        .into_iter()
        .chain(earliest_project)
        .min()
        .map(Period::containing))
}
