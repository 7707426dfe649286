//! The clusters the PDF speaks of: every cluster of the report, each once, in
//! the report's order, and the largest of them by members where a section
//! shows only some.

use crate::report::Report;

/// Every cluster of the report in its order: those with members (every
/// configured cluster among them), then those the trend or the projects name
/// besides.
pub(crate) fn names(report: &Report) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let members = report.members.by_cluster.iter().map(|c| c.cluster.as_str());
    let trend = report
        .monitoring
        .trend
        .clusters
        .iter()
        .map(|c| c.cluster.as_str());
    let projects = report.projects.by_cluster.iter().map(|g| g.key.as_str());
    for name in members.chain(trend).chain(projects) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The members of `cluster` at the period.
pub(crate) fn members(report: &Report, cluster: &str) -> u64 {
    report
        .members
        .by_cluster
        .iter()
        .find(|c| c.cluster == cluster)
        .map_or(0, |c| c.counts.total())
}

/// The clusters a section bounded to `limit` shows: all in the report's order
/// while they are at most `limit`, else the `limit` largest by members,
/// largest first (of two alike, the first in the report's order); and how
/// many there are in all.
pub(crate) fn largest(report: &Report, limit: usize) -> (Vec<&str>, usize) {
    let all = names(report);
    let total = all.len();
    if total <= limit {
        return (all, total);
    }
    let mut sorted = all;
    sorted.sort_by_key(|name| std::cmp::Reverse(members(report, name)));
    sorted.truncate(limit);
    (sorted, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn the_largest_are_kept_largest_first_and_a_short_list_keeps_its_order() {
        let report = sample_report();
        assert_eq!(names(&report), ["Mobilità", "Scienze della vita"]);
        assert_eq!(largest(&report, 2).0, ["Mobilità", "Scienze della vita"]);
        assert_eq!(largest(&report, 1), (vec!["Mobilità"], 2));
    }
}
