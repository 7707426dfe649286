//! Recognising a member category however people type it, word by word.
//!
//! A label is cut into words, and each word is brought to a stem that its
//! everyday variants share:
//!
//! - case and accents are set aside, and an apostrophe stands for an accent or
//!   separates words like a space, a slash, a dash or any punctuation
//!   (`Universita'`, `Università`, `università/centri`, `Ente - pubblico`);
//! - a word loses its final vowels, so that an Italian singular and plural meet
//!   (`centro`/`centri` → `centr`, `consorzio`/`consorzi` → `consorz`,
//!   `impresa`/`imprese` → `impres`); `-che`/`-chi` become `-c` (`pubbliche`);
//!   an English plural loses its `s` or `ies` (`enterprises`, `universities`);
//! - an abbreviation becomes its word ([`ABBREVIATIONS`]: `Univ.`, `Ass.`,
//!   `Cons.`, `pubbl.` …), and connecting words are dropped ([`CONNECTIVES`]:
//!   `di`, `e`, `and`, `of` …).
//!
//! A label is a category when every one of its stems is among that category's
//! words and at least one of them is among its head words ([`VOCABULARY`]), and
//! no other category says the same; so the words may come in any order. The
//! user's own labels (`[categories]` in `consolida.toml`) are matched first, by
//! the same stems.

use crate::category::Category;
use crate::fold::strip_accent;
use std::collections::BTreeSet;

/// Abbreviations and the word each stands for, written as the word is typed.
pub(crate) const ABBREVIATIONS: [(&str, &str); 12] = [
    ("univ", "università"),
    ("uni", "università"),
    ("ass", "associazione"),
    ("assoc", "associazione"),
    ("cons", "consorzio"),
    ("consorz", "consorzio"),
    ("pubbl", "pubblico"),
    ("pubb", "pubblico"),
    ("ric", "ricerca"),
    ("amm", "amministrazione"),
    ("amministraz", "amministrazione"),
    ("mpmi", "pmi"),
];

/// Words that join the others and say nothing about the category.
pub(crate) const CONNECTIVES: [&str; 20] = [
    "di", "d", "e", "ed", "del", "della", "delle", "dei", "degli", "dell", "per", "a", "da", "in",
    "l", "la", "and", "of", "the", "for",
];

/// Each category's head words (one of them must be in the label) and its other
/// words, as they are typed; they are stemmed like the labels.
pub(crate) const VOCABULARY: [(Category, &[&str], &[&str]); 7] = [
    (
        Category::Consortium,
        &["consorzio", "consortium", "consortia"],
        &["imprese", "enterprise", "firm"],
    ),
    (
        Category::LargeEnterprise,
        &["grande", "large", "gi", "big"],
        &["impresa", "enterprise", "firm", "company", "azienda"],
    ),
    (
        Category::Sme,
        &[
            "pmi",
            "sme",
            "piccola",
            "media",
            "micro",
            "microimpresa",
            "small",
            "medium",
        ],
        &["impresa", "enterprise", "firm", "company", "azienda"],
    ),
    (
        Category::UniversityResearch,
        &[
            "università",
            "university",
            "ricerca",
            "research",
            "ateneo",
            "politecnico",
        ],
        &[
            "centro",
            "centre",
            "center",
            "organismo",
            "ente",
            "istituto",
            "institute",
            "organisation",
            "organization",
            "studi",
        ],
    ),
    (
        Category::TradeAssociation,
        &["associazione", "association", "trade"],
        &["categoria", "imprenditoriale", "datoriale", "industriale"],
    ),
    (
        Category::PublicBody,
        &[
            "pubblico",
            "public",
            "amministrazione",
            "provincia",
            "comune",
            "regione",
        ],
        &["ente", "diritto", "body", "authority", "locale"],
    ),
    (Category::Other, &["altro", "other"], &[]),
];

/// The stems of a label's words, connectives dropped and abbreviations expanded.
pub(crate) fn stems(label: &str) -> BTreeSet<String> {
    words(label)
        .filter(|word| !CONNECTIVES.contains(&word.as_str()))
        .map(|word| {
            let word = ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == word)
                .map_or(word, |(_, long)| words(long).next().unwrap_or_default());
            stem(&word)
        })
        .collect()
}

/// The label's words: lower case, accents set aside, split at anything that is
/// not a letter or a digit; a run of single letters is one word (`P.M.I.`).
fn words(label: &str) -> impl Iterator<Item = String> {
    let mut words: Vec<String> = Vec::new();
    let mut in_run = false;
    for word in label
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        let word: String = word
            .chars()
            .flat_map(char::to_lowercase)
            .map(strip_accent)
            .collect();
        let single = word.chars().count() == 1;
        match words.last_mut() {
            Some(last) if single && in_run => last.push_str(&word),
            _ => words.push(word),
        }
        in_run = single;
    }
    // A single letter alone stays a word ("d'imprese", "e").
    words.into_iter()
}

/// The part of a word its singular and plural share.
fn stem(word: &str) -> String {
    let mut stem = word.to_string();
    if stem.len() > 4 && stem.ends_with("ies") {
        stem.truncate(stem.len() - 3);
    } else if stem.len() > 3 && stem.ends_with('s') && !stem.ends_with("ss") {
        stem.pop();
    }
    for (plural, root) in [("che", "c"), ("chi", "c"), ("ghe", "g"), ("ghi", "g")] {
        if stem.len() > 4 && stem.ends_with(plural) {
            stem.truncate(stem.len() - plural.len());
            stem.push_str(root);
        }
    }
    while stem.len() > 3 && stem.ends_with(['a', 'e', 'i', 'o', 'y']) {
        stem.pop();
    }
    stem
}

/// The stems of each category's head words and of all its words.
struct Stems {
    head: BTreeSet<String>,
    all: BTreeSet<String>,
}

fn vocabulary() -> &'static [(Category, Stems)] {
    static STEMS: std::sync::OnceLock<Vec<(Category, Stems)>> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        VOCABULARY
            .iter()
            .map(|(category, head, other)| {
                let head: BTreeSet<String> = head.iter().flat_map(|w| stems(w)).collect();
                let mut all: BTreeSet<String> = other.iter().flat_map(|w| stems(w)).collect();
                all.extend(head.iter().cloned());
                (*category, Stems { head, all })
            })
            .collect()
    })
}

/// The category whose words the label's stems are, if exactly one.
pub(crate) fn match_stems(stems: &BTreeSet<String>) -> Option<Category> {
    if stems.is_empty() {
        return None;
    }
    let mut found = vocabulary().iter().filter(|(_, words)| {
        stems.iter().all(|s| words.all.contains(s)) && stems.iter().any(|s| words.head.contains(s))
    });
    let first = found.next().map(|(category, _)| *category);
    match found.next() {
        Some(_) => None,
        None => first,
    }
}

/// The canonical key (`sme`, `large_enterprise` …) written as it is.
pub(crate) fn from_key(text: &str) -> Option<Category> {
    let text = text.trim();
    Category::ALL.into_iter().find(|c| c.key() == text)
}

/// The user's own labels for the categories, matched by their stems before the
/// built-in words.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnLabels {
    labels: Vec<(BTreeSet<String>, Category)>,
}

impl OwnLabels {
    pub(crate) fn new<'a>(labels: impl IntoIterator<Item = (&'a str, Category)>) -> OwnLabels {
        OwnLabels {
            labels: labels
                .into_iter()
                .map(|(label, category)| (stems(label), category))
                .filter(|(stems, _)| !stems.is_empty())
                .collect(),
        }
    }

    /// The category of `label`: the user's own first, then the built-in words.
    pub(crate) fn parse(&self, label: &str) -> Option<Category> {
        if self.labels.is_empty() {
            return Category::parse(label);
        }
        let stems = stems(label);
        self.labels
            .iter()
            .find(|(own, _)| *own == stems)
            .map(|(_, category)| *category)
            .or_else(|| Category::parse(label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(label: &str) -> Option<Category> {
        match_stems(&stems(label))
    }

    #[test]
    fn singular_and_plural_share_a_stem() {
        for (a, b) in [
            ("centro", "centri"),
            ("impresa", "imprese"),
            ("ente", "enti"),
            ("associazione", "associazioni"),
            ("consorzio", "consorzi"),
            ("pubblica", "pubbliche"),
            ("enterprise", "enterprises"),
            ("university", "universities"),
            ("università", "universita'"),
        ] {
            assert_eq!(stems(a), stems(b), "{a} / {b}");
        }
    }

    #[test]
    fn every_category_is_read_in_its_everyday_variants() {
        let cases: [(Category, &[&str]); 7] = [
            (
                Category::Consortium,
                &[
                    "Consorzio",
                    "CONSORZI DI IMPRESE",
                    "Consorzio d'imprese",
                    "Cons.",
                    "imprese - consorzi",
                    "consortia",
                ],
            ),
            (
                Category::LargeEnterprise,
                &[
                    "Grande impresa",
                    "grandi imprese",
                    "Imprese grandi",
                    "GI",
                    "Large enterprises",
                    "large_enterprise",
                ],
            ),
            (
                Category::Sme,
                &[
                    "PMI",
                    "MPMI",
                    "Piccole e medie imprese",
                    "micro, piccole e medie imprese",
                    "Microimprese",
                    "P.M.I.",
                    "SMEs",
                    "Impresa piccola",
                ],
            ),
            (
                Category::UniversityResearch,
                &[
                    "Università e centri di ricerca",
                    "Universita'/Centri di Ricerca",
                    "università / centro di ricerca",
                    "Centri di ricerca e università",
                    "Univ.",
                    "Organismo di ricerca",
                    "UNIVERSITA",
                    "Universities and research centres",
                ],
            ),
            (
                Category::TradeAssociation,
                &[
                    "Associazioni di categoria",
                    "Associazione",
                    "Ass. di categoria",
                    "Categoria - associazioni",
                    "Trade associations",
                ],
            ),
            (
                Category::PublicBody,
                &[
                    "Enti di diritto pubblico",
                    "Ente pubbl.",
                    "Enti pubblici",
                    "Pubblica amministrazione",
                    "Comune",
                    "Public bodies",
                    "ente-pubblico",
                ],
            ),
            (Category::Other, &["Altro", "Altri", "Others"]),
        ];
        for (category, labels) in cases {
            for label in labels {
                assert_eq!(reads(label), Some(category), "{label:?}");
            }
        }
    }

    #[test]
    fn words_of_no_category_or_of_two_are_not_guessed() {
        for label in [
            "Fondazione",
            "Associazione di imprese",
            "impresa",
            "",
            "di e per",
        ] {
            assert_eq!(reads(label), None, "{label:?}");
        }
    }

    #[test]
    fn the_users_own_labels_come_first_whatever_their_variant() {
        let own = OwnLabels::new([
            ("Fondazione di partecipazione", Category::Other),
            ("Start-up innovativa", Category::Sme),
        ]);
        assert_eq!(
            own.parse("Fondazioni di partecipazione"),
            Some(Category::Other)
        );
        assert_eq!(own.parse("START UP INNOVATIVE"), Some(Category::Sme));
        assert_eq!(own.parse("PMI"), Some(Category::Sme));
        assert_eq!(own.parse("Fondazione"), None);
    }

    #[test]
    fn canonical_keys_are_read_exactly() {
        assert_eq!(from_key("public_body"), Some(Category::PublicBody));
        assert_eq!(from_key("public body"), None);
    }
}
