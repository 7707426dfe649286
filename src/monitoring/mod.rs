//! Monitoring: each cluster's targets judged at the period, and the indicators
//! month by month (the trend). [`crate::aggregate`] computes the figures at
//! each month's end of a [`Window`](crate::aggregate::months::Window) that
//! reaches back to the earliest baseline and the trend's first month; [`monitor`]
//! reads the targets' values and the trend off them.
//!
//! `indicator.rs` names the indicators, `target.rs` reads and checks targets
//! from the configuration and the targets sheets, `path.rs` holds the
//! arithmetic of a target's path and status.

pub(crate) mod indicator;
pub(crate) mod path;
pub(crate) mod target;

use crate::aggregate::months::Window;
use crate::period::Period;
use crate::report::monitoring::{
    ClusterTrend, MemberMove, Monitoring, MonthlyFigures, Scope, TargetStatus, Trend,
};
use indicator::Indicator;
use path::{Path, Point, Status};
use target::{Target, Written};

/// The months the trend covers unless `--trend-months` says otherwise.
pub(crate) const TREND_MONTHS: usize = 12;

/// What monitoring is asked for: the targets and the trend's length.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) targets: Vec<Target>,
    pub(crate) trend_months: usize,
}

impl Plan {
    /// The months whose figures the report needs at `period`: the trend's,
    /// and back to every baseline month up to the period.
    pub(crate) fn window(&self, period: Period) -> Window {
        let trend_start = self.trend_window(period).first;
        let baselines = self
            .targets
            .iter()
            .map(|t| t.points[0].month)
            .filter(|&m| m <= period);
        Window {
            first: baselines.fold(trend_start, Period::min),
            last: period,
        }
    }

    /// The months the trend shows at `period`: the last `trend_months` up to it.
    pub(crate) fn trend_window(&self, period: Period) -> Window {
        Window {
            first: period.plus(1 - self.trend_months.max(1) as i32),
            last: period,
        }
    }
}

/// The figures of every month of a window, by cluster, as aggregate gives them.
pub(crate) struct WindowFigures {
    pub(crate) window: Window,
    /// In the report's cluster order.
    pub(crate) clusters: Vec<(String, MonthlyFigures)>,
    /// The first month with data (see [`Trend::data_from`]).
    pub(crate) data_from: Option<Period>,
    /// Who joined and who left in the trend's months (see [`Trend::moves`]).
    pub(crate) moves: Vec<MemberMove>,
}

impl WindowFigures {
    fn total(&self) -> MonthlyFigures {
        let mut total = MonthlyFigures::zeros(self.window.len());
        for (_, figures) in &self.clusters {
            total.add_all(figures);
        }
        total
    }

    fn has_data(&self, month: Period) -> bool {
        crate::report::monitoring::has_data(self.data_from, month)
    }
}

/// Every target's status at `period` and the trend of its last
/// `plan.trend_months` months.
pub(crate) fn monitor(plan: &Plan, period: Period, mut figures: WindowFigures) -> Monitoring {
    let moves = std::mem::take(&mut figures.moves);
    let figures = &figures;
    let total = figures.total();
    let of = |scope: &Scope| match scope {
        Scope::Total => Some(&total),
        Scope::Cluster(name) => figures
            .clusters
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, f)| f),
    };
    let zeros = MonthlyFigures::zeros(figures.window.len());
    let targets = expand(&plan.targets, figures)
        .into_iter()
        .map(|(scope, target)| {
            let series = of(&scope).unwrap_or(&zeros);
            judge(scope, target, series, figures, period)
        })
        .collect();
    Monitoring {
        targets,
        trend: Trend {
            moves,
            ..trend(figures, &total, plan.trend_months)
        },
    }
}

/// Each target with the scope it is judged for: `*` becomes one per cluster
/// that has no target of its own for the indicator. The portfolio first, then
/// the clusters in the report's order, each's indicators in their order.
fn expand<'a>(targets: &'a [Target], figures: &WindowFigures) -> Vec<(Scope, &'a Target)> {
    let own = |scope: &Scope, indicator: Indicator| {
        targets
            .iter()
            .find(|t| t.indicator == indicator && t.written == Written::For(scope.clone()))
    };
    // A cluster with a target of its own and no member or project in the
    // data is judged too, on zeros, after the others.
    let mut without_data: Vec<Scope> = targets
        .iter()
        .filter_map(|t| match &t.written {
            Written::For(scope @ Scope::Cluster(name))
                if !figures.clusters.iter().any(|(c, _)| c == name) =>
            {
                Some(scope.clone())
            }
            _ => None,
        })
        .collect();
    without_data.sort();
    without_data.dedup();
    let scopes = std::iter::once(Scope::Total)
        .chain(
            figures
                .clusters
                .iter()
                .map(|(name, _)| Scope::Cluster(name.clone())),
        )
        .map(|scope| (scope, true))
        .chain(without_data.into_iter().map(|scope| (scope, false)));
    let mut indicators: Vec<Indicator> = targets.iter().map(|t| t.indicator).collect();
    indicators.sort();
    indicators.dedup();
    let mut out = Vec::new();
    // `*` is for the report's clusters, not for one known only by its target.
    for (scope, in_report) in scopes {
        for &indicator in &indicators {
            let every = targets
                .iter()
                .find(|t| in_report && t.indicator == indicator && t.written == Written::Every);
            let chosen = match (&scope, own(&scope, indicator)) {
                (_, Some(target)) => Some(target),
                (Scope::Cluster(_), None) => every,
                (Scope::Total, None) => None,
            };
            if let Some(target) = chosen {
                out.push((scope.clone(), target));
            }
        }
    }
    out
}

fn judge(
    scope: Scope,
    target: &Target,
    series: &MonthlyFigures,
    figures: &WindowFigures,
    period: Period,
) -> TargetStatus {
    let indicator = target.indicator;
    let from = target.points[0].month;
    let at = |month: Period| -> Option<i64> {
        let index = figures.window.position(month)?;
        if !figures.has_data(month) {
            return None;
        }
        match indicator {
            Indicator::Joined => {
                let start = figures.window.position(from)?;
                Some(series.joined_between(start, index))
            }
            _ => series.value(indicator, index),
        }
    };
    let baseline = target.points[0].value.or_else(|| match indicator {
        // Members who joined since the baseline month: none at it.
        Indicator::Joined => Some(0),
        _ => at(from),
    });
    let path = baseline.and_then(|baseline| {
        let mut points = vec![Point {
            month: from,
            value: baseline,
        }];
        points.extend(target.points[1..].iter().map(|p| Point {
            month: p.month,
            value: p.value.unwrap_or_default(),
        }));
        Path::new(points)
    });
    let actual = if period < from { None } else { at(period) };
    let (expected, status) = match &path {
        Some(path) => (
            path.expected(period),
            path.status(period, actual, target.tolerance),
        ),
        None if period < from => (None, Status::NotApplicable),
        None => (None, Status::NoData),
    };
    TargetStatus {
        scope,
        indicator,
        from,
        by: target.points[target.points.len() - 1].month,
        path,
        baseline_computed: target.points[0].value.is_none(),
        tolerance: target.tolerance,
        origin: target.origin.clone(),
        expected,
        actual,
        status,
    }
}

/// The last `months` months of the window, by cluster and in total.
fn trend(figures: &WindowFigures, total: &MonthlyFigures, months: usize) -> Trend {
    let length = figures.window.len();
    let skip = length.saturating_sub(months.max(1));
    let tail = |f: &MonthlyFigures| MonthlyFigures {
        members: f.members[skip..].to_vec(),
        joined: f.joined[skip..].to_vec(),
        left: f.left[skip..].to_vec(),
        projects: f.projects[skip..].to_vec(),
        value: f.value[skip..].to_vec(),
        financing: f.financing[skip..].to_vec(),
        breaches: f.breaches[skip..].to_vec(),
    };
    Trend {
        months: figures.window.months()[skip..].to_vec(),
        data_from: figures.data_from,
        clusters: figures
            .clusters
            .iter()
            .map(|(cluster, f)| ClusterTrend {
                cluster: cluster.clone(),
                figures: tail(f),
            })
            .collect(),
        total: tail(total),
        moves: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use target::WrittenPoint;

    fn month(text: &str) -> Period {
        text.parse().unwrap()
    }

    fn target(written: Written, indicator: Indicator, from: &str, by: &str) -> Target {
        Target {
            written,
            indicator,
            points: vec![
                WrittenPoint {
                    month: month(from),
                    value: None,
                },
                WrittenPoint {
                    month: month(by),
                    value: Some(100_000),
                },
            ],
            tolerance: 0.05,
            origin: String::new(),
        }
    }

    #[test]
    fn the_window_reaches_back_to_every_baseline_up_to_the_period() {
        let plan = Plan {
            targets: vec![
                target(Written::Every, Indicator::Members, "2024-03", "2027-12"),
                target(
                    Written::For(Scope::Total),
                    Indicator::Projects,
                    "2027-01",
                    "2027-12",
                ),
            ],
            trend_months: 12,
        };
        let window = plan.window(month("2026-11"));
        assert_eq!(
            (window.first, window.last),
            (month("2024-03"), month("2026-11"))
        );
        let plan = Plan {
            targets: Vec::new(),
            trend_months: 3,
        };
        assert_eq!(plan.window(month("2026-01")).first, month("2025-11"));
    }

    #[test]
    fn every_cluster_without_its_own_target_takes_the_star() {
        let window = Window {
            first: month("2026-01"),
            last: month("2026-02"),
        };
        let figures = WindowFigures {
            window,
            clusters: ["Alfa", "Beta", "Gamma"]
                .iter()
                .map(|c| (c.to_string(), MonthlyFigures::zeros(2)))
                .collect(),
            data_from: None,
            moves: Vec::new(),
        };
        let beta = Written::For(Scope::Cluster("Beta".into()));
        let targets = [
            target(Written::Every, Indicator::Members, "2026-01", "2026-12"),
            target(beta, Indicator::Members, "2026-01", "2026-12"),
            target(
                Written::For(Scope::Cluster("Delta".into())),
                Indicator::Projects,
                "2026-01",
                "2026-12",
            ),
        ];
        let judged: Vec<(String, &Written)> = expand(&targets, &figures)
            .into_iter()
            .map(|(scope, t)| (scope.key().to_string(), &t.written))
            .collect();
        assert_eq!(
            judged,
            [
                ("Alfa".to_string(), &Written::Every),
                ("Beta".to_string(), &targets[1].written),
                ("Gamma".to_string(), &Written::Every),
                ("Delta".to_string(), &targets[2].written),
            ]
        );
    }
}
