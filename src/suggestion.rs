//! "Did you mean …?": the known name closest to one that is not known, and the
//! one way every message offers it.

use crate::fold::fold;
use std::fmt;

/// A known name offered in place of a mistyped one; shown as
/// `Did you mean 'name'?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Suggestion<'a> {
    pub(crate) name: &'a str,
}

impl fmt::Display for Suggestion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Did you mean '{}'?", self.name)
    }
}

impl Suggestion<'_> {
    /// The suggestion as a question in `lang`.
    pub(crate) fn sentence(&self, lang: crate::labels::Lang) -> String {
        match lang {
            crate::labels::Lang::It => format!("Forse si intendeva «{}»?", self.name),
            crate::labels::Lang::En => self.to_string(),
        }
    }
}

/// `message` followed by the suggestion, when there is one.
pub(crate) fn ending_with(message: String, suggestion: Option<Suggestion<'_>>) -> String {
    match suggestion {
        Some(suggestion) => format!("{message} {suggestion}"),
        None => message,
    }
}

/// The closest of `candidates` to `value` within a small edit distance, compared
/// case- and accent-insensitively.
pub(crate) fn closest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Suggestion<'a>> {
    nearest(value, candidates.into_iter().map(|c| (c, None)))
}

/// [`closest`] for candidates that may come with their folded spelling (as
/// [`fold`] gives it), which a long list folds once for every value instead of
/// once per value. The first of equally close candidates wins.
pub(crate) fn nearest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Option<Suggestion<'a>> {
    let folded: Vec<char> = fold(value).chars().collect();
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
            None => candidate.extend(fold(original).chars()),
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
    best.map(|(_, name)| Suggestion { name })
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
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    distance_within(&a, &b, usize::MAX).expect("no distance is above usize::MAX")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(suggestion: Option<Suggestion<'_>>) -> Option<&str> {
        suggestion.map(|s| s.name)
    }

    #[test]
    fn a_misspelt_cluster_gets_the_closest_suggestion() {
        let clusters = ["Aerospazio", "Agrifood", "Mobilità"];
        assert_eq!(name(closest("Aerospazo", clusters)), Some("Aerospazio"));
        assert_eq!(name(closest("mobilita", clusters)), Some("Mobilità"));
        assert_eq!(name(closest("Cosmetica e moda", clusters)), None);
    }

    #[test]
    fn the_first_of_equally_close_candidates_is_suggested_folded_or_not() {
        let names = ["Agrifoox", "Agrifood", "Agrifoo"];
        assert_eq!(name(closest("Agrifooz", names)), Some("Agrifoox"));
        let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let pairs = names
            .iter()
            .copied()
            .zip(folded.iter().map(|f| Some(f.as_str())));
        assert_eq!(name(nearest("AGRIFOOD", pairs)), Some("Agrifood"));
        // Too far from every candidate, however long the list.
        let far = (0..500).map(|i| format!("Cluster numero {i}"));
        let far: Vec<String> = far.collect();
        assert_eq!(
            name(closest("Aerospazio", far.iter().map(String::as_str))),
            None
        );
        assert_eq!(
            name(closest(
                "Cluster numerp 402",
                far.iter().map(String::as_str)
            )),
            Some("Cluster numero 402")
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn a_suggestion_ends_a_message_as_a_question() {
        let field = Some(Suggestion { name: "category" });
        assert_eq!(
            ending_with("'categroy' is not a field.".into(), field),
            "'categroy' is not a field. Did you mean 'category'?"
        );
        assert_eq!(ending_with("No field.".into(), None), "No field.");
    }
}
