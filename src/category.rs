//! The seven member categories and how people write them.
//!
//! A category in a spreadsheet may be the canonical key (`sme`), the Italian label
//! (`PMI`, `Consorzi di imprese`) or any everyday variant of it, recognised word
//! by word ([`crate::category_words`]).

use crate::category_words::{match_stems, stems};
use crate::labels::Lang;

/// A member category. The order is the order of every report table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Category {
    Consortium,
    LargeEnterprise,
    Sme,
    UniversityResearch,
    TradeAssociation,
    PublicBody,
    Other,
}

impl Category {
    pub(crate) const ALL: [Category; 7] = [
        Category::Consortium,
        Category::LargeEnterprise,
        Category::Sme,
        Category::UniversityResearch,
        Category::TradeAssociation,
        Category::PublicBody,
        Category::Other,
    ];

    /// The canonical key used in `summary.json`, CSV exports and the config.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Category::Consortium => "consortium",
            Category::LargeEnterprise => "large_enterprise",
            Category::Sme => "sme",
            Category::UniversityResearch => "university_research",
            Category::TradeAssociation => "trade_association",
            Category::PublicBody => "public_body",
            Category::Other => "other",
        }
    }

    /// The label a reader sees.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::It, Category::Consortium) => "Consorzi di imprese",
            (Lang::It, Category::LargeEnterprise) => "Grandi imprese",
            (Lang::It, Category::Sme) => "PMI",
            (Lang::It, Category::UniversityResearch) => "Università e centri di ricerca",
            (Lang::It, Category::TradeAssociation) => "Associazioni di categoria",
            (Lang::It, Category::PublicBody) => "Enti di diritto pubblico",
            (Lang::It, Category::Other) => "Altro",
            (Lang::En, Category::Consortium) => "Consortia",
            (Lang::En, Category::LargeEnterprise) => "Large enterprises",
            (Lang::En, Category::Sme) => "SMEs",
            (Lang::En, Category::UniversityResearch) => "Universities and research centres",
            (Lang::En, Category::TradeAssociation) => "Trade associations",
            (Lang::En, Category::PublicBody) => "Public bodies",
            (Lang::En, Category::Other) => "Other",
        }
    }

    /// A short label for narrow table columns.
    pub(crate) fn short_label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::It, Category::Consortium) => "Consorzi",
            (Lang::It, Category::LargeEnterprise) => "Grandi imprese",
            (Lang::It, Category::Sme) => "PMI",
            (Lang::It, Category::UniversityResearch) => "Università/ricerca",
            (Lang::It, Category::TradeAssociation) => "Associazioni",
            (Lang::It, Category::PublicBody) => "Enti pubblici",
            (Lang::It, Category::Other) => "Altro",
            (Lang::En, Category::Consortium) => "Consortia",
            (Lang::En, Category::LargeEnterprise) => "Large firms",
            (Lang::En, Category::Sme) => "SMEs",
            (Lang::En, Category::UniversityResearch) => "Univ./research",
            (Lang::En, Category::TradeAssociation) => "Associations",
            (Lang::En, Category::PublicBody) => "Public bodies",
            (Lang::En, Category::Other) => "Other",
        }
    }

    /// The position of this category in [`Category::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Reads a category as people write it; `None` when nothing matches.
    pub(crate) fn parse(text: &str) -> Option<Category> {
        // A column holds a handful of spellings over many rows: each is folded
        // and matched once per thread.
        const REMEMBERED: usize = 4096;
        thread_local! {
            static SEEN: std::cell::RefCell<std::collections::HashMap<String, Option<Category>>> =
                Default::default();
        }
        if let Some(known) = SEEN.with_borrow(|seen| seen.get(text).copied()) {
            return known;
        }
        let parsed = Category::parse_folded(text);
        SEEN.with_borrow_mut(|seen| {
            if seen.len() < REMEMBERED {
                seen.insert(text.to_string(), parsed);
            }
        });
        parsed
    }

    fn parse_folded(text: &str) -> Option<Category> {
        match_stems(&stems(text))
    }

    /// The labels a person writes, in Italian and English, then the canonical
    /// keys: what a "Did you mean …?" may suggest.
    pub(crate) fn spellings() -> impl Iterator<Item = &'static str> {
        let labels = [Lang::It, Lang::En]
            .into_iter()
            .flat_map(|lang| Category::ALL.iter().map(move |c| c.label(lang)));
        labels.chain(Category::ALL.iter().map(|c| c.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_labels_and_synonyms_are_recognised() {
        assert_eq!(Category::parse("PMI"), Some(Category::Sme));
        assert_eq!(
            Category::parse("Piccola e media impresa"),
            Some(Category::Sme)
        );
        assert_eq!(
            Category::parse("UNIVERSITA'"),
            Some(Category::UniversityResearch)
        );
        assert_eq!(
            Category::parse("Università"),
            Some(Category::UniversityResearch)
        );
        assert_eq!(
            Category::parse("Consorzi di imprese"),
            Some(Category::Consortium)
        );
        assert_eq!(
            Category::parse("large_enterprise"),
            Some(Category::LargeEnterprise)
        );
        assert_eq!(
            Category::parse("Enti di diritto pubblico"),
            Some(Category::PublicBody)
        );
        assert_eq!(Category::parse("Fondazione"), None);
    }

    #[test]
    fn suggestions_are_labels_as_people_write_them() {
        let spellings: Vec<&str> = Category::spellings().collect();
        assert!(spellings.contains(&"Università e centri di ricerca"));
        assert!(spellings.iter().all(|s| !s.contains('/')), "{spellings:?}");
    }

    #[test]
    fn every_label_reads_back_as_its_category() {
        for category in Category::ALL {
            for lang in [Lang::It, Lang::En] {
                assert_eq!(
                    Category::parse(category.label(lang)),
                    Some(category),
                    "{category:?} {lang:?}"
                );
            }
            assert_eq!(Category::parse(category.key()), Some(category));
        }
    }
}
