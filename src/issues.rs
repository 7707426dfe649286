//! Data issues: every problem found in the inputs, with where it is and what to do.
//!
//! Validation collects issues instead of stopping at the first. An *error* means a
//! value is wrong (a row with an error in a required field is left out of the figures
//! and counted as rejected); a *warning* means the row is counted but deserves a look.

use crate::location::Location;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub location: Location,
    /// The raw value as found in the cell, if the issue is about one.
    pub value: Option<String>,
    /// A whole sentence saying what is wrong and what was expected.
    pub message: String,
    /// What the cell should have held ("an amount in euros", "20 fields"), when
    /// the issue is about a value.
    pub expected: Option<String>,
    /// What the value probably should be, when there is a good guess.
    pub suggestion: Option<String>,
}

impl Issue {
    pub fn error(location: Location, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            location,
            value: None,
            message: message.into(),
            expected: None,
            suggestion: None,
        }
    }

    pub fn warning(location: Location, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            location,
            value: None,
            message: message.into(),
            expected: None,
            suggestion: None,
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Issue {
        self.value = Some(value.into());
        self
    }

    pub fn with_expected(mut self, expected: impl Into<String>) -> Issue {
        self.expected = Some(expected.into());
        self
    }

    pub fn with_suggestion(mut self, suggestion: Option<String>) -> Issue {
        self.suggestion = suggestion;
        self
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location,
            self.severity.key(),
            self.message
        )?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " Did you mean '{suggestion}'?")?;
        }
        Ok(())
    }
}

/// Counts of issues by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueCounts {
    pub errors: usize,
    pub warnings: usize,
}

impl IssueCounts {
    pub fn of(issues: &[Issue]) -> IssueCounts {
        let errors = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        IssueCounts {
            errors,
            warnings: issues.len() - errors,
        }
    }
}

/// Sorts issues the way a reader goes through them: by file, sheet, row, column.
pub fn sort_for_reading(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        (
            &a.location.file,
            &a.location.sheet,
            a.location.row,
            a.location.col,
            a.severity,
        )
            .cmp(&(
                &b.location.file,
                &b.location.sheet,
                b.location.row,
                b.location.col,
                b.severity,
            ))
    });
}

/// The closest of `candidates` to `value` within a small edit distance, compared
/// case- and accent-insensitively: the "did you mean" of error messages.
pub fn closest<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    nearest(value, candidates.into_iter().map(|c| (c, None)))
}

/// [`closest`] for candidates that may come with their folded spelling (as
/// [`crate::category::fold`] gives it), which a long list folds once for every
/// value instead of once per value. The first of equally close candidates wins.
pub fn nearest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Option<String> {
    let folded: Vec<char> = crate::category::fold(value).chars().collect();
    let length = folded.len();
    let limit = (length / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut candidate = Vec::new();
    for (original, known) in candidates {
        // The distance is at least the difference in length, and folding
        // shortens a name or keeps its length (but for a rare letter such as
        // 'İ'), so a candidate far too short is passed over unfolded: a long
        // list (every member id) is mostly passed over.
        if known.is_none() && original.chars().count() + limit < length {
            continue;
        }
        candidate.clear();
        match known {
            Some(known) => candidate.extend(known.chars()),
            None => candidate.extend(crate::category::fold(original).chars()),
        }
        if candidate.len() + limit < length || candidate.len() > length + limit {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1));
        if let Some(distance) = distance_within(&folded, &candidate, bound) {
            best = Some((distance, original));
            if distance == 0 {
                break;
            }
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The edit distance of `a` and `b` if it is at most `limit`: rows whose every
/// entry is above the limit end the count early, which passes over most
/// candidates of a long list after their first few characters.
fn distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().all(|&d| d > limit) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    distance_within(&a, &b, usize::MAX).expect("no distance is above usize::MAX")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_cluster_gets_the_closest_suggestion() {
        let clusters = ["Aerospazio", "Agrifood", "Mobilità"];
        assert_eq!(closest("Aerospazo", clusters), Some("Aerospazio".into()));
        assert_eq!(closest("mobilita", clusters), Some("Mobilità".into()));
        assert_eq!(closest("Cosmetica e moda", clusters), None);
    }

    #[test]
    fn the_first_of_equally_close_candidates_is_suggested_folded_or_not() {
        let names = ["Agrifoox", "Agrifood", "Agrifoo"];
        assert_eq!(closest("Agrifooz", names), Some("Agrifoox".into()));
        let folded: Vec<String> = names.iter().map(|n| crate::category::fold(n)).collect();
        let pairs = names
            .iter()
            .copied()
            .zip(folded.iter().map(|f| Some(f.as_str())));
        assert_eq!(nearest("AGRIFOOD", pairs), Some("Agrifood".into()));
        // Too far from every candidate, however long the list.
        let far = (0..500).map(|i| format!("Cluster numero {i}"));
        let far: Vec<String> = far.collect();
        assert_eq!(closest("Aerospazio", far.iter().map(String::as_str)), None);
        assert_eq!(
            closest("Cluster numerp 402", far.iter().map(String::as_str)),
            Some("Cluster numero 402".into())
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn an_issue_reads_as_a_sentence_with_its_location() {
        let issue = Issue::error(
            Location::cell("inputs/soci.xlsx", Some("Soci"), 13, 3),
            "Unknown cluster 'Aerospazo'.",
        )
        .with_suggestion(Some("Aerospazio".into()));
        assert_eq!(
            issue.to_string(),
            "inputs/soci.xlsx:Soci!D14: error: Unknown cluster 'Aerospazo'. Did you mean 'Aerospazio'?"
        );
    }
}
