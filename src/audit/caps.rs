//! Financing caps: which `[[cap]]` rule applies to a project (or a partner's
//! share of one); `verdict.rs` judges the financing against it.
//!
//! The most specific rule applies: the one that fixes the most of call, category and
//! aid type (a field left at `*` fixes nothing; a pattern with a wildcard counts half
//! as specific as an exact value; a `min_project_value` threshold counts as much as a
//! pattern); among those, the one whose patterns spell out more characters
//! (`"GBER*ricerca*collaborazione*"` over `"GBER*ricerca*"`); then the first in the file.

use crate::category::Category;
use crate::config::CapRule;
use crate::money::Cents;
use crate::report::CapTerms;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::Arc;

/// What the cap rules need to know about a project.
pub(crate) struct CapQuery<'a> {
    pub(crate) call: &'a str,
    pub(crate) value: Cents,
    pub(crate) lead_category: Option<Category>,
    pub(crate) aid_type: Option<&'a str>,
}

/// The rule that applies to a project: its 1-based position among the
/// `[[cap]]` rules, the rule, and its name and terms as the audit shows them.
pub(crate) struct Applicable<'r> {
    pub(crate) number: usize,
    pub(crate) rule: &'r CapRule,
    pub(crate) terms: &'r Arc<CapTerms>,
}

/// The `[[cap]]` rules, their patterns compiled once, and the rules that match
/// each combination of call, category and aid type already seen: a portfolio has
/// far fewer such combinations than projects, so each is worked out once.
pub(crate) struct CapRules<'a> {
    rules: &'a [CapRule],
    compiled: Vec<CompiledRule>,
    /// Each rule's name and terms as the audit shows them ([`terms_of`]), made
    /// once and shared by the verdicts.
    terms: Vec<Arc<CapTerms>>,
    /// By call, category key and aid type: the matching rules, most specific
    /// first. Nested so that a project's strings are looked up as they are,
    /// without building a key.
    candidates: RefCell<Candidates>,
}

/// Call → category key → aid type → the matching rules.
type Candidates = FxHashMap<String, FxHashMap<&'static str, FxHashMap<String, Vec<usize>>>>;

/// One rule's patterns, compiled, and what ranks it against the others.
struct CompiledRule {
    /// Call, category and aid type patterns; `None` for `*`, which matches anything.
    patterns: [Option<glob::Pattern>; 3],
    /// A pattern that does not compile matches nothing (the config check reports it).
    valid: bool,
    threshold: Option<Cents>,
    /// (fields fixed, characters spelled out): higher is more specific.
    score: (u32, usize),
}

impl<'a> CapRules<'a> {
    pub(crate) fn new(rules: &'a [CapRule]) -> CapRules<'a> {
        let compiled = rules
            .iter()
            .map(|rule| {
                let texts = [&rule.call, &rule.category, &rule.aid_type];
                let compiled: Vec<Option<Result<glob::Pattern, _>>> = texts
                    .iter()
                    .map(|p| (p.as_str() != "*").then(|| glob::Pattern::new(p)))
                    .collect();
                let valid = compiled.iter().all(|p| !matches!(p, Some(Err(_))));
                let mut patterns = compiled.into_iter().map(|p| p.and_then(Result::ok));
                let patterns = [(); 3].map(|()| patterns.next().flatten());
                let threshold = rule.min_project_value_cents();
                let fixed = texts.iter().map(|p| specificity(p)).sum::<u32>()
                    + u32::from(threshold.is_some());
                let spelled = texts.iter().map(|p| literal_characters(p)).sum();
                CompiledRule {
                    patterns,
                    valid,
                    threshold,
                    score: (fixed, spelled),
                }
            })
            .collect();
        CapRules {
            rules,
            compiled,
            terms: rules.iter().map(|rule| Arc::new(terms_of(rule))).collect(),
            candidates: RefCell::new(FxHashMap::default()),
        }
    }

    /// The rule that applies to the project, if any.
    pub(crate) fn applicable(&self, query: &CapQuery) -> Option<Applicable<'_>> {
        let category = query.lead_category.map(Category::key).unwrap_or("");
        let aid_type = query.aid_type.unwrap_or("");
        let mut candidates = self.candidates.borrow_mut();
        if !candidates.contains_key(query.call) {
            candidates.insert(query.call.to_string(), FxHashMap::default());
        }
        let by_category = candidates.get_mut(query.call).expect("inserted above");
        let by_aid_type = by_category.entry(category).or_default();
        if !by_aid_type.contains_key(aid_type) {
            let ranked = self.ranked_matches([query.call, category, aid_type]);
            by_aid_type.insert(aid_type.to_string(), ranked);
        }
        by_aid_type[aid_type]
            .iter()
            .find(|&&i| {
                self.compiled[i]
                    .threshold
                    .is_none_or(|min| query.value >= min)
            })
            .map(|&i| Applicable {
                number: i + 1,
                rule: &self.rules[i],
                terms: &self.terms[i],
            })
    }

    /// The rules whose patterns match the three values, most specific first and,
    /// among equals, first in the file.
    fn ranked_matches(&self, values: [&str; 3]) -> Vec<usize> {
        let options = glob::MatchOptions {
            case_sensitive: false,
            ..Default::default()
        };
        let mut matching: Vec<usize> = (0..self.compiled.len())
            .filter(|&i| {
                let rule = &self.compiled[i];
                rule.valid
                    && rule.patterns.iter().zip(values).all(|(pattern, value)| {
                        pattern
                            .as_ref()
                            .is_none_or(|p| p.matches_with(value, options))
                    })
            })
            .collect();
        matching.sort_by_key(|&i| (std::cmp::Reverse(self.compiled[i].score), i));
        matching
    }
}

/// How many characters of a pattern are not wildcards: `"Asse 1*"` → 6.
fn literal_characters(pattern: &str) -> usize {
    pattern
        .chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']'))
        .count()
}

fn specificity(pattern: &str) -> u32 {
    if pattern == "*" {
        0
    } else if pattern.contains(['*', '?', '[']) {
        1
    } else {
        2
    }
}

/// A rule's label and what it matches, as the report model carries them.
fn terms_of(rule: &CapRule) -> CapTerms {
    CapTerms {
        label: rule.label.clone(),
        call: rule.call.clone(),
        category: rule.category.clone(),
        aid_type: rule.aid_type.clone(),
        min_project_value: rule.min_project_value_cents(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of the rule that applies, if any.
    fn rule_number(rules: &[CapRule], query: &CapQuery) -> Option<usize> {
        CapRules::new(rules).applicable(query).map(|a| a.number)
    }

    fn rule(call: &str, category: &str, max_ratio: f64) -> CapRule {
        CapRule {
            label: None,
            call: call.into(),
            category: category.into(),
            aid_type: "*".into(),
            max_ratio,
            max_grant: None,
            min_project_value: None,
        }
    }

    #[test]
    fn the_most_specific_rule_applies() {
        let rules = vec![
            rule("*", "*", 0.8),
            rule("Asse 1*", "*", 0.7),
            rule("Asse 1*", "sme", 0.75),
        ];
        let q = |call, category| CapQuery {
            call,
            value: Cents(100_000),
            lead_category: category,
            aid_type: None,
        };
        assert_eq!(
            rule_number(&rules, &q("Asse 1 Consolidamento CTL", None)),
            Some(2)
        );
        assert_eq!(
            rule_number(&rules, &q("Asse 1 Consolidamento CTL", Some(Category::Sme))),
            Some(3)
        );
        assert_eq!(
            rule_number(&rules, &q("Bando Ergon azione 2", Some(Category::Sme))),
            Some(1)
        );
        assert!(rule_number(&rules[1..], &q("Bando Ergon", None)).is_none());
    }

    #[test]
    fn a_value_threshold_makes_a_rule_more_specific_and_applies_only_above_it() {
        let mut large = rule("*", "*", 0.5);
        large.min_project_value = Some(1_000_000.0);
        let rules = vec![rule("*", "*", 0.8), large];
        let q = |value| CapQuery {
            call: "Bando",
            value: Cents(value),
            lead_category: None,
            aid_type: None,
        };
        assert_eq!(rule_number(&rules, &q(99_999_999)), Some(1));
        assert_eq!(rule_number(&rules, &q(100_000_000)), Some(2));
        let terms = terms_of(&rules[1]);
        assert_eq!(terms.min_project_value, Some(Cents(100_000_000)));
        assert_eq!((terms.call.as_str(), terms.label.as_deref()), ("*", None));
    }
}

#[cfg(test)]
mod gber_example {
    use super::*;
    use crate::config::Config;

    fn cap_for(config: &Config, aid: &str, category: Category) -> f64 {
        let query = CapQuery {
            call: "Bando",
            value: Cents(100_000),
            lead_category: Some(category),
            aid_type: Some(aid),
        };
        CapRules::new(&config.caps)
            .applicable(&query)
            .expect("a rule applies")
            .rule
            .max_ratio
    }

    #[test]
    fn the_shipped_gber_example_gives_the_regulation_intensities() {
        let text = include_str!("../../examples/config/gber-research-aid.toml");
        let config = Config::parse(text, "gber-research-aid.toml").unwrap();
        let ri = "GBER art. 25 ricerca industriale";
        let ss = "GBER art. 25 sviluppo sperimentale";
        assert_eq!(cap_for(&config, ri, Category::Sme), 0.60);
        assert_eq!(cap_for(&config, ri, Category::LargeEnterprise), 0.50);
        assert_eq!(
            cap_for(
                &config,
                &format!("{ri} collaborazione effettiva"),
                Category::LargeEnterprise
            ),
            0.65
        );
        assert_eq!(cap_for(&config, ss, Category::LargeEnterprise), 0.25);
        assert_eq!(
            cap_for(
                &config,
                &format!("{ss} collaborazione effettiva"),
                Category::Sme
            ),
            0.50
        );
        assert_eq!(cap_for(&config, ri, Category::UniversityResearch), 0.80);
        assert_eq!(config.de_minimis.limit_cents(), Cents(30_000_000));
    }
}
