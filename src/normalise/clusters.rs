//! Cluster names: matched against the configured list, or taken as written and
//! checked for probable duplicates.

use crate::fold::fold;
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::suggestion::{edit_distance, nearest, Suggestion};
use crate::text::{counted_both, Text};
use rustc_hash::FxHashMap;
use std::sync::Mutex;

/// Above this many distinct names, the pairwise duplicate check is skipped.
const MAX_COMPARED_NAMES: usize = 2_000;

/// The clusters a run knows about.
pub(crate) struct ClusterNames {
    /// Folded name → configured spelling. (Every row looks its cluster up: a
    /// fast hash, for names from the config.)
    known: FxHashMap<String, String>,
    /// The configured spellings themselves, which most rows use: found without
    /// folding.
    exact: FxHashMap<String, String>,
    listed: Vec<String>,
    /// The configured spellings folded, in the same order.
    listed_folded: Vec<String>,
    /// Folded unknown name → the position in `listed` of the closest configured
    /// name: a misspelling recurs on many rows, and a long list makes each
    /// suggestion costly.
    suggestions: Mutex<FxHashMap<String, Option<usize>>>,
}

impl ClusterNames {
    /// `configured` is `clusters = [...]` of the config; empty means "any value".
    pub(crate) fn new(configured: &[String]) -> ClusterNames {
        let known: FxHashMap<String, String> =
            configured.iter().map(|c| (fold(c), c.clone())).collect();
        let exact = known.values().map(|c| (c.clone(), c.clone())).collect();
        ClusterNames {
            known,
            exact,
            listed: configured.to_vec(),
            listed_folded: configured.iter().map(|c| fold(c)).collect(),
            suggestions: Mutex::new(FxHashMap::default()),
        }
    }

    /// The configured spelling of `value`, or the reason it is not a cluster with
    /// the closest configured name.
    pub(crate) fn resolve(&self, value: &str) -> Result<String, Option<Suggestion<'_>>> {
        if self.listed.is_empty() {
            return Ok(value.trim().to_string());
        }
        if let Some(name) = self.exact.get(value.trim()) {
            return Ok(name.clone());
        }
        let folded = fold(value);
        if let Some(name) = self.known.get(&folded) {
            return Ok(name.clone());
        }
        let suggestions = || self.suggestions.lock().unwrap_or_else(|e| e.into_inner());
        let cached = suggestions().get(&folded).copied();
        let closest = match cached {
            Some(known) => known,
            None => {
                // Worked out without the lock, so that other threads' rows go on.
                let listed = self.listed.iter().map(String::as_str);
                let folded_listed = self.listed_folded.iter().map(|f| Some(f.as_str()));
                let closest = nearest(value, listed.zip(folded_listed))
                    .and_then(|s| self.listed.iter().position(|name| name == s.name));
                suggestions().insert(folded, closest);
                closest
            }
        };
        Err(closest.map(|i| Suggestion {
            name: &self.listed[i],
        }))
    }

    /// The configured clusters, in config order.
    pub(crate) fn listed(&self) -> &[String] {
        &self.listed
    }
}

/// A cluster name as written in the inputs: where it first occurs and how many
/// rows use it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) name: String,
    pub(crate) first: Location,
    pub(crate) rows: usize,
}

/// The cluster names of the rows read, in the order of their first row.
#[derive(Default)]
pub(crate) struct SeenClusters {
    seen: Vec<Seen>,
    /// Name → its position in `seen`; looked up for every row: a fast hash.
    index: FxHashMap<String, usize>,
}

impl SeenClusters {
    /// Counts a row of cluster `name`; `location` gives the row's place, asked
    /// for only when the name is new.
    pub(crate) fn saw(&mut self, name: &str, location: impl FnOnce() -> Location) {
        match self.index.get(name) {
            Some(&i) => self.seen[i].rows += 1,
            None => self.add(Seen {
                name: name.to_string(),
                first: location(),
                rows: 1,
            }),
        }
    }

    /// Counts the names seen in rows read apart, which follow the rows counted so
    /// far.
    pub(crate) fn extend(&mut self, later: SeenClusters) {
        for seen in later.seen {
            self.add(seen);
        }
    }

    fn add(&mut self, seen: Seen) {
        match self.index.get(&seen.name) {
            Some(&i) => self.seen[i].rows += seen.rows,
            None => {
                self.index.insert(seen.name.clone(), self.seen.len());
                self.seen.push(seen);
            }
        }
    }

    /// The names, in the order of their first row.
    pub(crate) fn names(&self) -> &[Seen] {
        &self.seen
    }
}

/// Names taken as written (no `clusters = [...]` in the config) that probably
/// mean one cluster: equal but for case, accents or spacing, or one letter apart
/// (names of five letters or more, so that country codes such as FR and FI are
/// not taken for typos). They stay apart in the figures; each pair is a warning
/// on the first row of the rarer spelling, suggesting the commoner one.
pub(crate) fn probable_duplicates(seen: &[Seen]) -> Vec<Issue> {
    let mut groups: Vec<(String, Vec<&Seen>)> = Vec::new();
    for name in seen {
        let folded = fold(&name.name);
        match groups.iter_mut().find(|(f, _)| *f == folded) {
            Some((_, members)) => members.push(name),
            None => groups.push((folded, vec![name])),
        }
    }
    let mut issues = Vec::new();
    let mut representatives = Vec::new();
    for (folded, members) in &groups {
        let common = *members
            .iter()
            .reduce(|a, b| if b.rows > a.rows { b } else { a })
            .expect("a group has a member");
        for rare in members.iter().filter(|m| !std::ptr::eq(**m, common)) {
            issues.push(duplicate(
                common,
                rare,
                (
                    "solo per maiuscole, accenti o spazi",
                    "only by case, accents or spacing",
                ),
            ));
        }
        representatives.push((folded, common));
    }
    if representatives.len() > MAX_COMPARED_NAMES {
        return issues;
    }
    for (i, (a_fold, a)) in representatives.iter().enumerate() {
        for (b_fold, b) in &representatives[i + 1..] {
            let long_enough = a_fold.chars().count() >= 5 && b_fold.chars().count() >= 5;
            if long_enough && edit_distance(a_fold, b_fold) == 1 {
                let (common, rare) = if b.rows > a.rows { (b, a) } else { (a, b) };
                issues.push(duplicate(
                    common,
                    rare,
                    ("per una lettera", "by one letter"),
                ));
            }
        }
    }
    issues
}

/// The warning for two spellings of one cluster, differing `how` (in Italian
/// and in English).
fn duplicate(common: &Seen, rare: &Seen, (how_it, how_en): (&str, &str)) -> Issue {
    let rows = (("riga", "righe"), ("row", "rows"));
    let (rare_it, rare_en) = counted_both(rare.rows as u64, rows.0, rows.1);
    let (common_it, common_en) = counted_both(common.rows as u64, rows.0, rows.1);
    Issue::warning(
        rare.first.clone(),
        IssueKind::ClusterSpelling,
        Text::new(
            format!(
                "Il cluster «{}» ({rare_it}) differisce da «{}» ({common_it}, la prima in {}) {how_it}: probabilmente è lo stesso cluster. Sono contati separatamente; elencare i cluster in consolida.toml (clusters = [...]) perché ogni grafia sia riconosciuta.",
                rare.name, common.name, common.first
            ),
            format!(
                "The cluster '{}' ({rare_en}) differs from '{}' ({common_en}, first at {}) {how_en}: probably the same cluster. They are counted apart; list the clusters in consolida.toml (clusters = [...]) to have every spelling matched.",
                rare.name, common.name, common.first
            ),
        ),
    )
    .with_value(rare.name.clone())
    .with_suggestion(Some(Suggestion { name: &common.name }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(name: &str, row: u32, rows: usize) -> Seen {
        Seen {
            name: name.into(),
            first: Location::row("s.csv", None, row),
            rows,
        }
    }

    #[test]
    fn spellings_of_one_cluster_are_reported_not_merged() {
        let issues = probable_duplicates(&[
            seen("Mobilità", 1, 10),
            seen("MOBILITA'", 5, 2),
            seen("Mobilta", 7, 1),
            seen("FR", 8, 3),
            seen("FI", 9, 3),
            seen("Energia", 10, 4),
        ]);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].location.to_string(), "s.csv:6");
        assert!(issues[0]
            .message
            .en()
            .contains("only by case, accents or spacing"));
        assert_eq!(issues[0].suggestion.as_deref(), Some("Mobilità"));
        assert!(issues[1]
            .message
            .en()
            .starts_with("The cluster 'Mobilta' (1 row) differs from 'Mobilità'"));
        assert!(issues[1]
            .message
            .it()
            .starts_with("Il cluster «Mobilta» (1 riga) differisce da «Mobilità»"));
        assert!(issues[1].message.en().contains("by one letter"));
    }

    #[test]
    fn configured_clusters_match_whatever_the_case_and_accents() {
        let names = ClusterNames::new(&["Mobilità".into(), "Aerospazio".into()]);
        assert_eq!(names.resolve("MOBILITA'"), Ok("Mobilità".into()));
        assert_eq!(
            names.resolve("Aerospazo"),
            Err(Some(Suggestion { name: "Aerospazio" }))
        );
        assert_eq!(names.resolve("Turismo"), Err(None));
        assert_eq!(
            ClusterNames::new(&[]).resolve(" Turismo "),
            Ok("Turismo".into())
        );
    }
}
