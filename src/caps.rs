//! Financing caps: which `[[cap]]` rule applies to a project, and how the project
//! stands against it.
//!
//! The most specific rule applies: the one that fixes the most of call, category and
//! aid type (a field left at `*` fixes nothing; a pattern with a wildcard counts half
//! as specific as an exact value); among equally specific rules, the first in the file.

use crate::category::Category;
use crate::config::CapRule;
use crate::money::{Cents, Ratio};
use crate::report::{AppliedCap, AuditStatus, NEAR_CAP_MARGIN};

/// What the cap rules need to know about a project.
pub struct CapQuery<'a> {
    pub call: &'a str,
    pub lead_category: Option<Category>,
    pub aid_type: Option<&'a str>,
}

/// The rule that applies to the project, with its 1-based position.
pub fn applicable<'a>(rules: &'a [CapRule], query: &CapQuery) -> Option<(usize, &'a CapRule)> {
    let mut best: Option<(u32, usize, &CapRule)> = None;
    for (index, rule) in rules.iter().enumerate() {
        let category = query.lead_category.map(Category::key).unwrap_or("");
        let fields = [
            (&rule.call, query.call),
            (&rule.category, category),
            (&rule.aid_type, query.aid_type.unwrap_or("")),
        ];
        if !fields
            .iter()
            .all(|(pattern, value)| matches(pattern, value))
        {
            continue;
        }
        let score: u32 = fields.iter().map(|(pattern, _)| specificity(pattern)).sum();
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, index, rule));
        }
    }
    best.map(|(_, index, rule)| (index + 1, rule))
}

fn matches(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let options = glob::MatchOptions {
        case_sensitive: false,
        ..Default::default()
    };
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches_with(value, options))
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
    text
}

/// The project's standing against a rule: the cap applied, status, headroom or excess.
pub fn assess(
    rule: Option<(usize, &CapRule)>,
    value: Cents,
    financing: Cents,
) -> (
    Option<AppliedCap>,
    AuditStatus,
    Option<Cents>,
    Option<Cents>,
) {
    let Some(ratio) = Ratio::new(financing, value) else {
        return (None, AuditStatus::Undefined, None, None);
    };
    let Some((rule_number, rule)) = rule else {
        return (None, AuditStatus::NoCap, None, None);
    };
    let max_ratio = rule.max_ratio_ppm();
    let max_grant = rule.max_grant_cents();
    let by_ratio = max_ratio.allowed_of(value);
    let allowed = max_grant.map_or(by_ratio, |g| g.min(by_ratio));
    let applied = AppliedCap {
        rule_number,
        rule: describe(rule),
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

    fn rule(call: &str, category: &str, max_ratio: f64) -> CapRule {
        CapRule {
            call: call.into(),
            category: category.into(),
            aid_type: "*".into(),
            max_ratio,
            max_grant: None,
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
