//! Financing caps: which `[[cap]]` rule applies to a project, and how the project
//! stands against it.
//!
//! The most specific rule applies: the one that fixes the most of call, category and
//! aid type (a field left at `*` fixes nothing; a pattern with a wildcard counts half
//! as specific as an exact value; a `min_project_value` threshold counts as much as a
//! pattern); among those, the one whose patterns spell out more characters
//! (`"GBER*ricerca*collaborazione*"` over `"GBER*ricerca*"`); then the first in the file.

use crate::category::Category;
use crate::config::CapRule;
use crate::money::{Cents, Ratio};
use crate::report::{AppliedCap, AuditStatus, NEAR_CAP_MARGIN};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// What the cap rules need to know about a project.
pub struct CapQuery<'a> {
    pub call: &'a str,
    pub value: Cents,
    pub lead_category: Option<Category>,
    pub aid_type: Option<&'a str>,
}

/// The `[[cap]]` rules, their patterns compiled once, and the rules that match
/// each combination of call, category and aid type already seen: a portfolio has
/// far fewer such combinations than projects, so each is worked out once.
pub struct CapRules<'a> {
    rules: &'a [CapRule],
    compiled: Vec<CompiledRule>,
    /// Each rule as the audit shows it ([`describe`]), written once.
    descriptions: Vec<String>,
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
    pub fn new(rules: &'a [CapRule]) -> CapRules<'a> {
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
            descriptions: rules.iter().map(describe).collect(),
            candidates: RefCell::new(FxHashMap::default()),
        }
    }

    /// The project's standing against the rule that applies to it ([`assess`]).
    pub fn assess(&self, query: &CapQuery, financing: Cents) -> Assessment {
        let rule = self
            .applicable(query)
            .map(|(number, rule)| (number, rule, self.descriptions[number - 1].clone()));
        assess_described(rule, query.value, financing)
    }

    /// The rule that applies to the project, with its 1-based position.
    pub fn applicable(&self, query: &CapQuery) -> Option<(usize, &'a CapRule)> {
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
            .map(|&i| (i + 1, &self.rules[i]))
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

/// Describes a rule the way the report shows it: `call = "Asse 1*", category = *`.
pub fn describe(rule: &CapRule) -> String {
    let show = |p: &str| {
        if p == "*" {
            "*".to_string()
        } else {
            format!("\"{p}\"")
        }
    };
    let mut text = format!(
        "call = {}, category = {}, aid_type = {}, max_ratio = {}",
        show(&rule.call),
        show(&rule.category),
        show(&rule.aid_type),
        rule.max_ratio
    );
    if let Some(grant) = rule.max_grant_cents() {
        text.push_str(&format!(", max_grant = {}", grant.plain()));
    }
    if let Some(min) = rule.min_project_value_cents() {
        text.push_str(&format!(", min_project_value = {}", min.plain()));
    }
    text
}

/// A project's standing against a rule: the cap applied, status, headroom and excess.
pub type Assessment = (
    Option<AppliedCap>,
    AuditStatus,
    Option<Cents>,
    Option<Cents>,
);

/// The project's standing against a rule: the cap applied, status, headroom or excess.
pub fn assess(rule: Option<(usize, &CapRule)>, value: Cents, financing: Cents) -> Assessment {
    let rule = rule.map(|(number, rule)| (number, rule, describe(rule)));
    assess_described(rule, value, financing)
}

/// [`assess`], with the rule's description written already.
fn assess_described(
    rule: Option<(usize, &CapRule, String)>,
    value: Cents,
    financing: Cents,
) -> Assessment {
    let Some(ratio) = Ratio::new(financing, value) else {
        return (None, AuditStatus::Undefined, None, None);
    };
    let Some((rule_number, rule, description)) = rule else {
        return (None, AuditStatus::NoCap, None, None);
    };
    let max_ratio = rule.max_ratio_ppm();
    let max_grant = rule.max_grant_cents();
    let by_ratio = max_ratio.allowed_of(value);
    let allowed = max_grant.map_or(by_ratio, |g| g.min(by_ratio));
    let applied = AppliedCap {
        rule_number,
        rule: description,
        max_ratio,
        max_grant,
        allowed,
    };
    if financing > allowed {
        return (
            Some(applied),
            AuditStatus::Breach,
            None,
            Some(financing - allowed),
        );
    }
    let near_threshold = crate::money::Ppm(max_ratio.0 - NEAR_CAP_MARGIN.0);
    let near =
        ratio.exceeds(near_threshold) || max_grant.is_some_and(|g| financing.0 * 100 > g.0 * 98);
    let status = if near {
        AuditStatus::NearCap
    } else {
        AuditStatus::WithinCap
    };
    (Some(applied), status, Some(allowed - financing), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicable<'a>(rules: &'a [CapRule], query: &CapQuery) -> Option<(usize, &'a CapRule)> {
        CapRules::new(rules).applicable(query)
    }

    fn rule(call: &str, category: &str, max_ratio: f64) -> CapRule {
        CapRule {
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
            applicable(&rules, &q("Asse 1 Consolidamento CTL", None))
                .unwrap()
                .0,
            2
        );
        assert_eq!(
            applicable(&rules, &q("Asse 1 Consolidamento CTL", Some(Category::Sme)))
                .unwrap()
                .0,
            3
        );
        assert_eq!(
            applicable(&rules, &q("Bando Ergon azione 2", Some(Category::Sme)))
                .unwrap()
                .0,
            1
        );
        assert!(applicable(&rules[1..], &q("Bando Ergon", None)).is_none());
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
        assert_eq!(applicable(&rules, &q(99_999_999)).unwrap().0, 1);
        assert_eq!(applicable(&rules, &q(100_000_000)).unwrap().0, 2);
        assert!(describe(&rules[1]).ends_with("min_project_value = 1000000.00"));
    }

    #[test]
    fn the_seed_project_breaches_seventy_percent_by_3994_euros() {
        let rules = [rule("*", "*", 0.70)];
        let (cap, status, headroom, excess) =
            assess(Some((1, &rules[0])), Cents(15_850_000), Cents(11_494_400));
        assert_eq!(status, AuditStatus::Breach);
        assert_eq!(cap.unwrap().allowed, Cents(11_095_000));
        assert_eq!(excess, Some(Cents(399_400)));
        assert_eq!(headroom, None);
    }

    #[test]
    fn near_and_within_the_cap_have_headroom() {
        let rules = [rule("*", "*", 0.70)];
        let (_, status, headroom, _) = assess(Some((1, &rules[0])), Cents(100_000), Cents(69_000));
        assert_eq!(
            (status, headroom),
            (AuditStatus::NearCap, Some(Cents(1_000)))
        );
        let (_, status, _, _) = assess(Some((1, &rules[0])), Cents(100_000), Cents(50_000));
        assert_eq!(status, AuditStatus::WithinCap);
        let (_, status, _, _) = assess(None, Cents(100_000), Cents(50_000));
        assert_eq!(status, AuditStatus::NoCap);
    }

    #[test]
    fn a_grant_ceiling_lowers_the_allowed_financing() {
        let mut capped = rule("*", "*", 0.8);
        capped.max_grant = Some(300_000.0);
        let (cap, status, _, excess) =
            assess(Some((1, &capped)), Cents(50_000_000), Cents(35_000_000));
        assert_eq!(cap.unwrap().allowed, Cents(30_000_000));
        assert_eq!(
            (status, excess),
            (AuditStatus::Breach, Some(Cents(5_000_000)))
        );
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
            .1
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
