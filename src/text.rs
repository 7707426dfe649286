//! A text in both languages of the reports, written once where it is made.
//!
//! An issue's message is built where the problem is found, in Italian and in
//! English side by side ([`Text::new`]), so that the two cannot say different
//! things and no message exists in one language only. Each output then picks
//! its language: the workbook, the PDF and the console the report's
//! (`--lang`), the exports and the JSON log lines English, the same for every
//! run so that scripts reading them never see them change.
//!
//! [`counted`] writes a count with its noun in the singular or the plural
//! ("1 errore", "2 errori", "1 error", "2 errors"), its digits grouped the
//! language's way (1.234 in Italian, 1,234 in English).

use crate::labels::Lang;
use crate::money::group_thousands;

/// The same text in Italian and in English (`pub` for the public [`crate::Error`]
/// that holds one; its methods are the crate's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    it: Box<str>,
    en: Box<str>,
}

impl Text {
    pub(crate) fn new(it: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            it: it.into().into_boxed_str(),
            en: en.into().into_boxed_str(),
        }
    }

    /// The text in `lang`.
    pub(crate) fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }

    /// The text in English, as the exports and the JSON log lines give it.
    pub(crate) fn en(&self) -> &str {
        &self.en
    }

    /// The text in Italian.
    pub(crate) fn it(&self) -> &str {
        &self.it
    }
}

/// `n` in `lang`'s digits (1.234 in Italian, 1,234 in English).
pub(crate) fn number(lang: Lang, n: u64) -> String {
    match lang {
        Lang::It => group_thousands(n, '.'),
        Lang::En => group_thousands(n, ','),
    }
}

/// A noun's singular and plural.
pub(crate) type Noun<'a> = (&'a str, &'a str);

/// `n` and the noun, in the singular when `n` is one: `1 errore`, `2 errori`,
/// `1 error`, `1,234 errors`.
pub(crate) fn counted(lang: Lang, n: u64, (one, many): Noun<'_>) -> String {
    let noun = if n == 1 { one } else { many };
    format!("{} {noun}", number(lang, n))
}

/// [`counted`] in both languages at once, for a [`Text`] made of parts.
pub(crate) fn counted_both(n: u64, it: Noun<'_>, en: Noun<'_>) -> (String, String) {
    (counted(Lang::It, n, it), counted(Lang::En, n, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_one_only() {
        let errors = ("errore", "errori");
        assert_eq!(counted(Lang::It, 0, errors), "0 errori");
        assert_eq!(counted(Lang::It, 1, errors), "1 errore");
        assert_eq!(counted(Lang::It, 2, errors), "2 errori");
        assert_eq!(counted(Lang::It, 1234, errors), "1.234 errori");
        let errors = ("error", "errors");
        assert_eq!(counted(Lang::En, 1, errors), "1 error");
        assert_eq!(counted(Lang::En, 2, errors), "2 errors");
        assert_eq!(counted(Lang::En, 1234, errors), "1,234 errors");
    }

    #[test]
    fn a_text_gives_each_language_its_own() {
        let text = Text::new("Manca il bando.", "The call is missing.");
        assert_eq!(text.get(Lang::It), "Manca il bando.");
        assert_eq!(text.get(Lang::En), "The call is missing.");
        assert_eq!(text.en(), "The call is missing.");
    }
}
