//! A target's path from its baseline through its milestones to the target, the
//! value expected on it at a month, and the status of an actual value against
//! it. Pure arithmetic on whole months and scaled integers (see
//! [`super::indicator::Unit`]), so that every figure is exact and the same in
//! every output.

use crate::money::div_round;
use crate::period::Period;

/// A point of a path: the value expected by a month's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Point {
    pub(crate) month: Period,
    pub(crate) value: i64,
}

/// Where a target stands at a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Status {
    /// The deadline has passed and the target was not reached.
    Missed,
    /// Short of the path by more than the tolerance.
    Behind,
    /// Short of the path by at most the tolerance.
    AtRisk,
    /// On the path or ahead of it.
    OnTrack,
    /// The target is reached.
    Achieved,
    /// The month is before the baseline month.
    NotApplicable,
    /// The indicator has no value at the month (a ratio of no projects, a
    /// month before the data).
    NoData,
}

impl Status {
    /// Every status, the worst first: the order of the monitoring tables.
    pub(crate) const ALL: [Status; 7] = [
        Status::Missed,
        Status::Behind,
        Status::AtRisk,
        Status::OnTrack,
        Status::Achieved,
        Status::NotApplicable,
        Status::NoData,
    ];

    /// The name in `summary.json` and the exports.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Status::Missed => "missed",
            Status::Behind => "behind",
            Status::AtRisk => "at_risk",
            Status::OnTrack => "on_track",
            Status::Achieved => "achieved",
            Status::NotApplicable => "not_applicable",
            Status::NoData => "no_data",
        }
    }

    /// Whether `--fail-on-deviation` fails the run on it.
    pub(crate) fn is_deviation(self) -> bool {
        matches!(self, Status::Missed | Status::Behind)
    }
}

/// The way a target is met: from below (more members) or from above (fewer
/// breaches, a lower ratio).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Up,
    Down,
}

/// Whole months from `from` to `to` (negative when `to` is earlier).
pub(crate) fn months_between(from: Period, to: Period) -> i64 {
    i64::from(to.index() - from.index())
}

/// Baseline, milestones and target, in month order, at least two points with
/// months strictly increasing (checked where targets are read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path {
    points: Vec<Point>,
}

impl Path {
    /// `None` with fewer than two points or months not strictly increasing.
    pub(crate) fn new(points: Vec<Point>) -> Option<Path> {
        let ordered = points.windows(2).all(|w| w[0].month < w[1].month);
        (points.len() >= 2 && ordered).then_some(Path { points })
    }

    pub(crate) fn points(&self) -> &[Point] {
        &self.points
    }

    pub(crate) fn baseline(&self) -> Point {
        self.points[0]
    }

    pub(crate) fn target(&self) -> Point {
        *self.points.last().expect("a path has two points")
    }

    pub(crate) fn direction(&self) -> Direction {
        if self.target().value >= self.baseline().value {
            Direction::Up
        } else {
            Direction::Down
        }
    }

    /// |target − baseline|: what the tolerance is a fraction of.
    pub(crate) fn span(&self) -> i64 {
        (self.target().value - self.baseline().value).abs()
    }

    /// The value expected at `month`'s end: interpolated by whole months
    /// between the points around it (rounded half away from zero), the target
    /// after the deadline, `None` before the baseline month.
    pub(crate) fn expected(&self, month: Period) -> Option<i64> {
        if month < self.baseline().month {
            return None;
        }
        let after = self.points.iter().position(|p| p.month >= month);
        let Some(after) = after else {
            return Some(self.target().value);
        };
        let to = self.points[after];
        if to.month == month || after == 0 {
            return Some(to.value);
        }
        let from = self.points[after - 1];
        let elapsed = months_between(from.month, month) as i128;
        let length = months_between(from.month, to.month) as i128;
        let rise = (to.value - from.value) as i128;
        Some(from.value + div_round(rise * elapsed, length) as i64)
    }

    /// How far `actual` falls short of `expected` in the path's direction:
    /// zero or less when on or ahead of the path.
    pub(crate) fn shortfall(&self, expected: i64, actual: i64) -> i64 {
        match self.direction() {
            Direction::Up => expected - actual,
            Direction::Down => actual - expected,
        }
    }

    /// The status of `actual` at `month`, `tolerance` being the fraction of
    /// the span a shortfall may reach and still be at risk rather than behind.
    pub(crate) fn status(&self, month: Period, actual: Option<i64>, tolerance: f64) -> Status {
        let Some(expected) = self.expected(month) else {
            return Status::NotApplicable;
        };
        let Some(actual) = actual else {
            return Status::NoData;
        };
        let target = self.target().value;
        let reached = match self.direction() {
            Direction::Up => actual >= target,
            Direction::Down => actual <= target,
        };
        if reached {
            return Status::Achieved;
        }
        if month > self.target().month {
            return Status::Missed;
        }
        let shortfall = self.shortfall(expected, actual);
        if shortfall <= 0 {
            Status::OnTrack
        } else if shortfall as f64 <= tolerance * self.span() as f64 + 1e-9 {
            Status::AtRisk
        } else {
            Status::Behind
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Period {
        text.parse().unwrap()
    }

    fn path(points: &[(&str, i64)]) -> Path {
        Path::new(
            points
                .iter()
                .map(|&(m, value)| Point {
                    month: month(m),
                    value,
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn expected_follows_the_milestones_by_whole_months() {
        // 121 in 2025-12, 130 by 2026-06, 140 by 2027-12, as counts to four
        // decimals: five months into the second leg of eighteen,
        // 130 + 10 × 5 / 18 = 132.7778.
        let p = path(&[
            ("2025-12", 1_210_000),
            ("2026-06", 1_300_000),
            ("2027-12", 1_400_000),
        ]);
        assert_eq!(p.expected(month("2026-11")), Some(1_327_778));
        assert_eq!(p.expected(month("2026-06")), Some(1_300_000));
        assert_eq!(p.expected(month("2025-12")), Some(1_210_000));
        assert_eq!(p.expected(month("2026-03")), Some(1_255_000));
        assert_eq!(p.expected(month("2025-11")), None);
        assert_eq!(p.expected(month("2030-01")), Some(1_400_000));
    }

    #[test]
    fn statuses_follow_the_shortfall_and_the_deadline() {
        let p = path(&[("2026-01", 100), ("2027-01", 220)]);
        let at = month("2026-07"); // expected 160, span 120, tolerance 6
        assert_eq!(p.status(at, Some(160), 0.05), Status::OnTrack);
        assert_eq!(p.status(at, Some(170), 0.05), Status::OnTrack);
        assert_eq!(p.status(at, Some(154), 0.05), Status::AtRisk);
        assert_eq!(p.status(at, Some(153), 0.05), Status::Behind);
        assert_eq!(p.status(at, Some(220), 0.05), Status::Achieved);
        assert_eq!(p.status(month("2027-01"), Some(219), 0.05), Status::AtRisk);
        assert_eq!(p.status(month("2027-02"), Some(219), 0.05), Status::Missed);
        assert_eq!(
            p.status(month("2027-02"), Some(221), 0.05),
            Status::Achieved
        );
        assert_eq!(
            p.status(month("2025-12"), Some(0), 0.05),
            Status::NotApplicable
        );
        assert_eq!(p.status(at, None, 0.05), Status::NoData);
    }

    #[test]
    fn a_falling_target_is_met_from_above() {
        let p = path(&[("2026-01", 10), ("2026-11", 0)]);
        assert_eq!(p.direction(), Direction::Down);
        let at = month("2026-06"); // expected 5
        assert_eq!(p.expected(at), Some(5));
        assert_eq!(p.status(at, Some(4), 0.05), Status::OnTrack);
        assert_eq!(p.status(at, Some(5), 0.5), Status::OnTrack);
        assert_eq!(p.status(at, Some(10), 0.5), Status::AtRisk);
        assert_eq!(p.status(at, Some(11), 0.5), Status::Behind);
        assert_eq!(p.status(at, Some(0), 0.05), Status::Achieved);
        assert_eq!(p.status(month("2026-12"), Some(1), 0.05), Status::Missed);
    }

    #[test]
    fn a_path_needs_two_points_in_increasing_months() {
        let point = |m: &str| Point {
            month: month(m),
            value: 1,
        };
        assert!(Path::new(vec![point("2026-01")]).is_none());
        assert!(Path::new(vec![point("2026-02"), point("2026-01")]).is_none());
        assert!(Path::new(vec![point("2026-01"), point("2026-01")]).is_none());
        assert_eq!(months_between(month("2025-12"), month("2027-12")), 24);
    }
}
