//! The monitoring part of the report: every target's status at the period, and
//! the indicators month by month (the trend), by cluster and for the portfolio.

use super::CategoryCounts;
use crate::category::Category;
use crate::money::{div_round, Cents, Ratio};
use crate::monitoring::indicator::Indicator;
use crate::monitoring::path::{Path, Status};
use crate::period::Period;

/// Targets and trend, as the renderers read them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Monitoring {
    /// One row per cluster × indicator with a target: the portfolio's first,
    /// then the clusters in the report's order, each's in indicator order.
    pub(crate) targets: Vec<TargetStatus>,
    pub(crate) trend: Trend,
}

impl Monitoring {
    /// How many targets are in each status, in [`Status::ALL`] order.
    pub(crate) fn status_counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|&s| (s, self.targets.iter().filter(|t| t.status == s).count()))
            .collect()
    }

    /// The targets behind or missed.
    pub(crate) fn deviations(&self) -> impl Iterator<Item = &TargetStatus> {
        self.targets.iter().filter(|t| t.status.is_deviation())
    }
}

/// Whom a target is set for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Scope {
    Cluster(String),
    /// The whole portfolio (`cluster = "total"`).
    Total,
}

impl Scope {
    /// The cluster's name, or `total` as written in the exports.
    pub(crate) fn key(&self) -> &str {
        match self {
            Scope::Cluster(name) => name,
            Scope::Total => "total",
        }
    }
}

/// One target at the period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetStatus {
    pub(crate) scope: Scope,
    pub(crate) indicator: Indicator,
    /// The baseline month and the deadline.
    pub(crate) from: Period,
    pub(crate) by: Period,
    /// Baseline, milestones and target; `None` when the baseline was to be
    /// computed from data that do not reach back to its month.
    pub(crate) path: Option<Path>,
    /// Whether the baseline was computed from the data rather than written.
    pub(crate) baseline_computed: bool,
    pub(crate) tolerance: f64,
    /// Where the target is written: `consolida.toml:42`, `obiettivi.xlsx:Foglio1!A2`.
    pub(crate) origin: String,
    /// The value expected at the period, on the path.
    pub(crate) expected: Option<i64>,
    pub(crate) actual: Option<i64>,
    pub(crate) status: Status,
}

impl TargetStatus {
    /// actual − expected, in the indicator's unit integers.
    pub(crate) fn gap(&self) -> Option<i64> {
        Some(self.actual? - self.expected?)
    }
}

/// The indicators at each month's end, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trend {
    pub(crate) months: Vec<Period>,
    /// The first month whose end is on or after the earliest date in the data;
    /// the months before it have no figures. `None` when the data have no date
    /// at all, which makes every month the same.
    pub(crate) data_from: Option<Period>,
    /// In the report's cluster order.
    pub(crate) clusters: Vec<ClusterTrend>,
    pub(crate) total: MonthlyFigures,
    /// Who joined and who left in each month of the trend: by month, then
    /// cluster (in the report's order), then member id, a member who joins and
    /// leaves within one month joined first. The same members as the months'
    /// `joined` and `left` counts.
    pub(crate) moves: Vec<MemberMove>,
}

/// Whether `month` has figures: it is not before `data_from`, the first month
/// with data (every month has when the data have no date).
pub(crate) fn has_data(data_from: Option<Period>, month: Period) -> bool {
    data_from.is_none_or(|from| month >= from)
}

impl Trend {
    /// Whether the trend's month `index` has figures (is not before the data).
    pub(crate) fn has_data(&self, index: usize) -> bool {
        has_data(self.data_from, self.months[index])
    }

    /// `indicator` at the trend's month `index` of `figures`, `None` before
    /// the data.
    pub(crate) fn value(
        &self,
        figures: &MonthlyFigures,
        indicator: Indicator,
        index: usize,
    ) -> Option<i64> {
        self.has_data(index)
            .then(|| figures.value(indicator, index))
            .flatten()
    }

    /// `indicator` at each month of `figures`, `None` before the data.
    pub(crate) fn values(
        &self,
        figures: &MonthlyFigures,
        indicator: Indicator,
    ) -> Vec<Option<i64>> {
        (0..self.months.len())
            .map(|i| self.value(figures, indicator, i))
            .collect()
    }
}

/// Whether a member joined or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum MoveKind {
    Joined,
    Left,
}

/// A member who joined or left within a month of the trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberMove {
    pub(crate) month: Period,
    pub(crate) kind: MoveKind,
    pub(crate) member_id: String,
    pub(crate) name: String,
    pub(crate) cluster: String,
    pub(crate) category: Category,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ClusterTrend {
    pub(crate) cluster: String,
    pub(crate) figures: MonthlyFigures,
}

/// A cluster's or the portfolio's figures at each month's end of a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MonthlyFigures {
    /// Active members at the month's end.
    pub(crate) members: Vec<CategoryCounts>,
    /// Members who joined within the month.
    pub(crate) joined: Vec<CategoryCounts>,
    /// Members who left within the month.
    pub(crate) left: Vec<CategoryCounts>,
    /// The portfolio approved by the month's end.
    pub(crate) projects: Vec<u64>,
    pub(crate) value: Vec<Cents>,
    pub(crate) financing: Vec<Cents>,
    /// The portfolio's projects above their cap.
    pub(crate) breaches: Vec<u64>,
}

impl MonthlyFigures {
    /// Zeros for `months` months.
    pub(crate) fn zeros(months: usize) -> MonthlyFigures {
        MonthlyFigures {
            members: vec![CategoryCounts::default(); months],
            joined: vec![CategoryCounts::default(); months],
            left: vec![CategoryCounts::default(); months],
            projects: vec![0; months],
            value: vec![Cents(0); months],
            financing: vec![Cents(0); months],
            breaches: vec![0; months],
        }
    }

    /// Adds every figure of `other`, month by month.
    pub(crate) fn add_all(&mut self, other: &MonthlyFigures) {
        for i in 0..self.projects.len() {
            self.members[i].add_all(&other.members[i]);
            self.joined[i].add_all(&other.joined[i]);
            self.left[i].add_all(&other.left[i]);
            self.projects[i] += other.projects[i];
            self.value[i] = self.value[i] + other.value[i];
            self.financing[i] = self.financing[i] + other.financing[i];
            self.breaches[i] += other.breaches[i];
        }
    }

    /// `indicator` at month `index` in its unit's integers (see
    /// [`crate::monitoring::indicator::Unit`]); `joined` is the month's.
    /// `None` for a share of no members or a ratio of no project value.
    pub(crate) fn value(&self, indicator: Indicator, index: usize) -> Option<i64> {
        let count = |n: u64| Some(n as i64 * 10_000);
        match indicator {
            Indicator::Members => count(self.members[index].total()),
            Indicator::MembersOf(c) => count(self.members[index].get(c)),
            Indicator::ShareOf(c) => share(&self.members[index], c),
            Indicator::Joined => count(self.joined[index].total()),
            Indicator::Left => count(self.left[index].total()),
            Indicator::Projects => count(self.projects[index]),
            Indicator::ProjectValue => Some(self.value[index].0),
            Indicator::Financing => Some(self.financing[index].0),
            Indicator::FinancingRatio => {
                Ratio::new(self.financing[index], self.value[index]).map(Ratio::basis_points)
            }
            Indicator::Breaches => count(self.breaches[index]),
        }
    }

    /// Members who joined after month `after` up to month `until`'s end.
    pub(crate) fn joined_between(&self, after: usize, until: usize) -> i64 {
        let joined: u64 = self.joined[after + 1..=until]
            .iter()
            .map(CategoryCounts::total)
            .sum();
        joined as i64 * 10_000
    }
}

/// The fraction of `members` in `category`, to four decimals.
fn share(members: &CategoryCounts, category: Category) -> Option<i64> {
    let total = members.total();
    (total > 0).then(|| div_round(members.get(category) as i128 * 10_000, total as i128) as i64)
}

/// Targets in every status but one (achieved) and a three-month trend whose
/// first month is before the data, for renderer tests: the sample report's two
/// clusters, with who joined and left.
#[cfg(test)]
pub(crate) fn sample_monitoring() -> Monitoring {
    use crate::money::Cents;
    use crate::monitoring::path::Point;
    let month = |text: &str| -> Period { text.parse().expect("a month") };
    let path = |points: &[(&str, i64)]| {
        Path::new(
            points
                .iter()
                .map(|&(m, value)| Point {
                    month: month(m),
                    value,
                })
                .collect(),
        )
    };
    let period = month("2026-11");
    let target = |scope: Scope, indicator, path: Option<Path>, actual: Option<i64>| {
        let (from, by) = match &path {
            Some(p) => (p.baseline().month, p.target().month),
            None => (month("2025-12"), month("2027-12")),
        };
        let (expected, status) = match &path {
            Some(p) => (p.expected(period), p.status(period, actual, 0.05)),
            None => (None, Status::NoData),
        };
        TargetStatus {
            scope,
            indicator,
            from,
            by,
            path,
            baseline_computed: true,
            tolerance: 0.05,
            origin: "inputs/consolida.toml:90".into(),
            expected,
            actual,
            status,
        }
    };
    let mobility = || Scope::Cluster("Mobilità".into());
    let life = || Scope::Cluster("Scienze della vita".into());
    let targets = vec![
        // 160 + 40 × 11 / 24 = 178.3333 expected: 168 is behind.
        target(
            Scope::Total,
            Indicator::Members,
            path(&[("2025-12", 1_600_000), ("2027-12", 2_000_000)]),
            Some(1_680_000),
        ),
        // 115 + 25 × 5 / 18 = 121.9444 expected: 121 is at risk.
        target(
            mobility(),
            Indicator::Members,
            path(&[
                ("2025-12", 1_000_000),
                ("2026-06", 1_150_000),
                ("2027-12", 1_400_000),
            ]),
            Some(1_210_000),
        ),
        target(mobility(), Indicator::Projects, None, None),
        // The deadline has passed short of the target.
        target(
            mobility(),
            Indicator::ProjectValue,
            path(&[("2025-12", 10_000_000), ("2026-10", 25_000_000)]),
            Some(20_000_000),
        ),
        // A falling ratio, below the path: on track.
        target(
            life(),
            Indicator::FinancingRatio,
            path(&[("2026-01", 4_500), ("2027-06", 3_800)]),
            Some(4_000),
        ),
        target(
            life(),
            Indicator::Members,
            path(&[("2027-01", 480_000), ("2028-12", 600_000)]),
            None,
        ),
    ];
    let months = vec![month("2026-09"), month("2026-10"), month("2026-11")];
    let counts = |sme: u64, other: u64| {
        let mut counts = CategoryCounts::default();
        counts.add(Category::Sme, sme);
        counts.add(Category::Other, other);
        counts
    };
    let figures =
        |members: [CategoryCounts; 3], projects: [u64; 3], value: [i64; 3]| MonthlyFigures {
            joined: vec![counts(0, 0), counts(2, 0), counts(1, 0)],
            left: vec![counts(0, 0), counts(0, 1), counts(0, 0)],
            members: members.to_vec(),
            projects: projects.to_vec(),
            value: value.map(Cents).to_vec(),
            financing: value.map(|v| Cents(v / 2)).to_vec(),
            breaches: vec![0, 1, 1],
        };
    let clusters = vec![
        ClusterTrend {
            cluster: "Mobilità".into(),
            figures: figures(
                [counts(70, 2), counts(72, 1), counts(73, 1)],
                [1, 2, 2],
                [25_000_000, 50_000_000, 50_000_000],
            ),
        },
        ClusterTrend {
            cluster: "Scienze della vita".into(),
            figures: figures(
                [counts(38, 1), counts(40, 0), counts(41, 0)],
                [0, 1, 1],
                [0, 15_850_000, 15_850_000],
            ),
        },
    ];
    let mut total = MonthlyFigures::zeros(months.len());
    for cluster in &clusters {
        total.add_all(&cluster.figures);
    }
    let moved = |m: &str, kind, id: &str, cluster: &str, category| MemberMove {
        month: month(m),
        kind,
        member_id: id.into(),
        name: format!("Socio {id}"),
        cluster: cluster.into(),
        category,
    };
    let moves = vec![
        moved("2026-10", MoveKind::Joined, "M1", "Mobilità", Category::Sme),
        moved("2026-10", MoveKind::Joined, "M2", "Mobilità", Category::Sme),
        moved("2026-10", MoveKind::Left, "M0", "Mobilità", Category::Other),
        moved(
            "2026-10",
            MoveKind::Joined,
            "S1",
            "Scienze della vita",
            Category::Sme,
        ),
        moved(
            "2026-10",
            MoveKind::Joined,
            "S2",
            "Scienze della vita",
            Category::Sme,
        ),
        moved(
            "2026-10",
            MoveKind::Left,
            "S0",
            "Scienze della vita",
            Category::Other,
        ),
        moved("2026-11", MoveKind::Joined, "M3", "Mobilità", Category::Sme),
        moved(
            "2026-11",
            MoveKind::Joined,
            "S3",
            "Scienze della vita",
            Category::Sme,
        ),
    ];
    Monitoring {
        targets,
        trend: Trend {
            months,
            data_from: Some(month("2026-10")),
            clusters,
            total,
            moves,
        },
    }
}

/// The monitoring of [`super::sample_report`]: three months of figures for its
/// two clusters (Mobilità steady at 121 members, Scienze della vita joining
/// with 47 and its breach in the period), the first before the data; and four
/// targets, one in each of on track, behind, missed and not applicable.
#[cfg(test)]
pub(crate) fn sample() -> Monitoring {
    use crate::monitoring::path::Point;
    let month = |m: u32| Period {
        year: 2026,
        month: m,
    };
    let mut mobility_members = CategoryCounts::default();
    for (category, n) in Category::ALL.iter().zip([6, 20, 72, 5, 11, 7, 0]) {
        mobility_members.add(*category, n);
    }
    let mut life_members = CategoryCounts::default();
    life_members.add(Category::Sme, 40);
    life_members.add(Category::UniversityResearch, 6);
    life_members.add(Category::Other, 1);
    let mobility = MonthlyFigures {
        members: vec![mobility_members; 3],
        projects: vec![2; 3],
        value: vec![Cents(50_000_000); 3],
        financing: vec![Cents(30_000_000); 3],
        ..MonthlyFigures::zeros(3)
    };
    let life = MonthlyFigures {
        members: vec![
            CategoryCounts::default(),
            CategoryCounts::default(),
            life_members,
        ],
        joined: vec![
            CategoryCounts::default(),
            CategoryCounts::default(),
            life_members,
        ],
        projects: vec![0, 0, 1],
        value: vec![Cents(0), Cents(0), Cents(15_850_000)],
        financing: vec![Cents(0), Cents(0), Cents(11_494_400)],
        breaches: vec![0, 0, 1],
        ..MonthlyFigures::zeros(3)
    };
    let mut total = MonthlyFigures::zeros(3);
    total.add_all(&mobility);
    total.add_all(&life);
    let path = |points: &[(Period, i64)]| {
        Path::new(
            points
                .iter()
                .map(|&(month, value)| Point { month, value })
                .collect(),
        )
    };
    let target = |scope: Scope, indicator, from, by, status| TargetStatus {
        scope,
        indicator,
        from,
        by,
        path: None,
        baseline_computed: false,
        tolerance: 0.05,
        origin: "inputs/consolida.toml:90".into(),
        expected: None,
        actual: None,
        status,
    };
    let mobility_name = || Scope::Cluster("Mobilità".into());
    let life_name = || Scope::Cluster("Scienze della vita".into());
    let next_december = Period {
        year: 2027,
        month: 12,
    };
    let targets = vec![
        TargetStatus {
            path: path(&[(month(1), 1_210_000), (next_december, 2_000_000)]),
            baseline_computed: true,
            expected: Some(1_553_478),
            actual: Some(1_680_000),
            ..target(
                Scope::Total,
                Indicator::Members,
                month(1),
                next_december,
                Status::OnTrack,
            )
        },
        TargetStatus {
            path: path(&[
                (
                    Period {
                        year: 2025,
                        month: 12,
                    },
                    1_130_000,
                ),
                (next_december, 1_400_000),
            ]),
            expected: Some(1_253_750),
            actual: Some(1_210_000),
            ..target(
                mobility_name(),
                Indicator::Members,
                Period {
                    year: 2025,
                    month: 12,
                },
                next_december,
                Status::Behind,
            )
        },
        TargetStatus {
            path: path(&[(month(1), 20_000), (month(9), 0)]),
            expected: Some(0),
            actual: Some(10_000),
            ..target(
                life_name(),
                Indicator::Breaches,
                month(1),
                month(9),
                Status::Missed,
            )
        },
        TargetStatus {
            path: path(&[
                (
                    Period {
                        year: 2027,
                        month: 1,
                    },
                    470_000,
                ),
                (next_december, 600_000),
            ]),
            ..target(
                life_name(),
                Indicator::Members,
                Period {
                    year: 2027,
                    month: 1,
                },
                next_december,
                Status::NotApplicable,
            )
        },
    ];
    Monitoring {
        targets,
        trend: Trend {
            months: vec![month(9), month(10), month(11)],
            data_from: Some(month(10)),
            clusters: vec![
                ClusterTrend {
                    cluster: "Mobilità".into(),
                    figures: mobility,
                },
                ClusterTrend {
                    cluster: "Scienze della vita".into(),
                    figures: life,
                },
            ],
            total,
            moves: Vec::new(),
        },
    }
}
