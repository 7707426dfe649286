//! How the reports name a cap rule and say why a project breaches it, in the
//! reader's language: the rule's `label` when `consolida.toml` gives one, else
//! its terms written out (`Bando «Asse 1*»: tetto 70 %, contributo massimo
//! 300.000,00 €`), never the TOML text; and the limit a breach exceeds. The
//! workbook and the PDF both write them from here, so they say the same.

use crate::category::Category;
use crate::labels::{Labels, Lang};
use crate::money::{Cents, Ppm};
use crate::report::{AppliedCap, BreachReason};

/// The rule as the audit names it: its label, or its terms in `lang`.
pub(crate) fn name(cap: &AppliedCap, lang: Lang) -> String {
    match &cap.terms.label {
        Some(label) => label.clone(),
        None => terms(cap, lang),
    }
}

/// The rule's terms in `lang`: which projects it applies to, then its limits.
pub(crate) fn terms(cap: &AppliedCap, lang: Lang) -> String {
    let t = &cap.terms;
    let quoted = |pattern: &str| match lang {
        Lang::It => format!("«{pattern}»"),
        Lang::En => format!("\u{201c}{pattern}\u{201d}"),
    };
    let mut scope = Vec::new();
    if t.call != "*" {
        let word = pick(lang, "bando", "call");
        scope.push(format!("{word} {}", quoted(&t.call)));
    }
    if t.category != "*" {
        let category = match Category::ALL.iter().find(|c| c.key() == t.category) {
            Some(category) => category.label(lang).to_string(),
            None => quoted(&t.category),
        };
        scope.push(format!("{} {category}", pick(lang, "capofila", "lead")));
    }
    if t.aid_type != "*" {
        let word = pick(lang, "tipo di aiuto", "aid type");
        scope.push(format!("{word} {}", quoted(&t.aid_type)));
    }
    if let Some(min) = t.min_project_value {
        let word = pick(lang, "valore da", "value from");
        scope.push(format!("{word} {}", eur(min, lang)));
    }
    let scope = if scope.is_empty() {
        pick(lang, "Tutti i progetti", "All projects").to_string()
    } else {
        capitalised(&scope.join(", "))
    };
    let mut limits = vec![format!(
        "{} {}",
        pick(lang, "tetto", "cap"),
        percent(cap.max_ratio, lang)
    )];
    if let Some(grant) = cap.max_grant {
        let word = pick(lang, "contributo massimo", "maximum grant");
        limits.push(format!("{word} {}", eur(grant, lang)));
    }
    format!("{scope}: {}", limits.join(", "))
}

/// The limit a breach exceeds, in words: `Rapporto oltre il tetto`, …
pub(crate) fn reason(reason: BreachReason, lang: Lang) -> &'static str {
    let l = Labels { lang };
    match reason {
        BreachReason::Ratio => l.reason_ratio(),
        BreachReason::Grant => l.reason_grant(),
        BreachReason::RatioAndGrant => l.reason_ratio_and_grant(),
    }
}

fn pick(lang: Lang, italian: &'static str, english: &'static str) -> &'static str {
    match lang {
        Lang::It => italian,
        Lang::En => english,
    }
}

/// `70 %` / `70%`.
fn percent(cap: Ppm, lang: Lang) -> String {
    match lang {
        Lang::It => cap.italian_percent(),
        Lang::En => cap.english_percent().replace(" %", "%"),
    }
}

/// `300.000,00 €` / `€300,000.00`.
fn eur(cents: Cents, lang: Lang) -> String {
    match lang {
        Lang::It => cents.italian_eur(),
        Lang::En => format!("€{}", cents.english()),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CapTerms;
    use std::sync::Arc;

    fn cap(terms: CapTerms, max_ratio: f64, max_grant: Option<i64>) -> AppliedCap {
        AppliedCap {
            rule_number: 2,
            terms: Arc::new(terms),
            max_ratio: Ppm::from_f64(max_ratio),
            max_grant: max_grant.map(Cents),
            allowed: Cents(0),
        }
    }

    fn every(call: &str, category: &str) -> CapTerms {
        CapTerms {
            call: call.into(),
            category: category.into(),
            aid_type: "*".into(),
            ..CapTerms::default()
        }
    }

    #[test]
    fn a_rule_without_a_label_is_written_in_the_readers_words_and_numbers() {
        let asse = cap(every("Asse 1*", "sme"), 0.70, Some(30_000_000));
        assert_eq!(
            name(&asse, Lang::It),
            "Bando «Asse 1*», capofila PMI: tetto 70 %, contributo massimo 300.000,00 €"
        );
        let english = name(&asse, Lang::En);
        assert!(
            english.starts_with("Call \u{201c}Asse 1*\u{201d}, lead "),
            "{english}"
        );
        assert!(
            english.ends_with(": cap 70%, maximum grant €300,000.00"),
            "{english}"
        );
        let everything = cap(every("*", "*"), 0.725, None);
        assert_eq!(
            name(&everything, Lang::It),
            "Tutti i progetti: tetto 72,5 %"
        );
        let mut large = every("*", "*");
        large.min_project_value = Some(Cents(100_000_000));
        assert_eq!(
            name(&cap(large, 0.5, None), Lang::It),
            "Valore da 1.000.000,00 €: tetto 50 %"
        );
        for text in [name(&asse, Lang::It), english] {
            assert!(!text.contains("max_ratio") && !text.contains('='), "{text}");
        }
    }

    #[test]
    fn a_label_names_the_rule_as_written() {
        let mut asse = every("Asse 1*", "*");
        asse.label = Some("Asse 1 – tetto 70 %".into());
        let labelled = cap(asse, 0.70, None);
        assert_eq!(name(&labelled, Lang::En), "Asse 1 – tetto 70 %");
        assert_eq!(terms(&labelled, Lang::It), "Bando «Asse 1*»: tetto 70 %");
    }

    #[test]
    fn each_reason_has_words_in_both_languages() {
        for reason_ in [
            BreachReason::Ratio,
            BreachReason::Grant,
            BreachReason::RatioAndGrant,
        ] {
            assert_ne!(reason(reason_, Lang::It), reason(reason_, Lang::En));
        }
        assert_eq!(
            reason(BreachReason::Grant, Lang::It),
            "Contributo oltre il massimo"
        );
    }
}
