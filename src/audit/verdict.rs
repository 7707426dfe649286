//! The verdict of a cap rule on financing: what the rule allows for the value it
//! finances, and whether the financing is above it (by how much), close to it or
//! within it (with how much headroom).

use super::caps::Applicable;
use crate::money::{Cents, Ppm, Ratio};
use crate::report::{AppliedCap, AuditStatus, BreachReason, Verdict};
use std::sync::Arc;

/// Within this distance below the cap (two percentage points) a ratio is near it.
const NEAR_CAP_MARGIN: Ppm = Ppm(20_000);

/// The verdict on `financing` of a `value` (a project's, or a partner's cost
/// share) under `rule`, the rule that applies to it, if any.
pub(crate) fn judge(rule: Option<Applicable<'_>>, value: Cents, financing: Cents) -> Verdict {
    let unjudged = |status| Verdict {
        cap: None,
        status,
        headroom: None,
        excess: None,
        reason: None,
    };
    let Some(ratio) = Ratio::new(financing, value) else {
        return unjudged(AuditStatus::Undefined);
    };
    let Some(Applicable {
        number,
        rule,
        terms,
    }) = rule
    else {
        return unjudged(AuditStatus::NoCap);
    };
    let max_ratio = rule.max_ratio_ppm();
    let max_grant = rule.max_grant_cents();
    let by_ratio = max_ratio.allowed_of(value);
    let allowed = max_grant.map_or(by_ratio, |g| g.min(by_ratio));
    let cap = Some(AppliedCap {
        rule_number: number,
        terms: Arc::clone(terms),
        max_ratio,
        max_grant,
        allowed,
    });
    if financing > allowed {
        let over_grant = max_grant.is_some_and(|g| financing > g);
        let reason = match (financing > by_ratio, over_grant) {
            (true, true) => BreachReason::RatioAndGrant,
            (false, true) => BreachReason::Grant,
            _ => BreachReason::Ratio,
        };
        return Verdict {
            cap,
            status: AuditStatus::Breach,
            headroom: None,
            excess: Some(financing - allowed),
            reason: Some(reason),
        };
    }
    let near_threshold = Ppm(max_ratio.0 - NEAR_CAP_MARGIN.0);
    let near =
        ratio.exceeds(near_threshold) || max_grant.is_some_and(|g| financing.0 * 100 > g.0 * 98);
    let status = if near {
        AuditStatus::NearCap
    } else {
        AuditStatus::WithinCap
    };
    Verdict {
        cap,
        status,
        headroom: Some(allowed - financing),
        excess: None,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CapRule;
    use crate::report::CapTerms;

    fn rule(max_ratio: f64) -> CapRule {
        CapRule {
            label: None,
            call: "*".into(),
            category: "*".into(),
            aid_type: "*".into(),
            max_ratio,
            max_grant: None,
            min_project_value: None,
        }
    }

    /// The verdict of `rule`, the first in the config, on `financing` of `value`.
    fn judged(rule: &CapRule, value: i64, financing: i64) -> Verdict {
        let terms = Arc::new(CapTerms {
            label: Some("Tutti i bandi".into()),
            ..CapTerms::default()
        });
        let applicable = Applicable {
            number: 1,
            rule,
            terms: &terms,
        };
        judge(Some(applicable), Cents(value), Cents(financing))
    }

    #[test]
    fn the_seed_project_breaches_seventy_percent_by_3994_euros() {
        let verdict = judged(&rule(0.70), 15_850_000, 11_494_400);
        assert_eq!(verdict.status, AuditStatus::Breach);
        let cap = verdict.cap.unwrap();
        assert_eq!(
            (cap.rule_number, cap.terms.label.as_deref()),
            (1, Some("Tutti i bandi"))
        );
        assert_eq!(verdict.reason, Some(BreachReason::Ratio));
        assert_eq!(cap.allowed, Cents(11_095_000));
        assert_eq!(verdict.excess, Some(Cents(399_400)));
        assert_eq!(verdict.headroom, None);
    }

    #[test]
    fn near_and_within_the_cap_have_headroom() {
        let near = judged(&rule(0.70), 100_000, 69_000);
        assert_eq!(
            (near.status, near.headroom),
            (AuditStatus::NearCap, Some(Cents(1_000)))
        );
        let within = judged(&rule(0.70), 100_000, 50_000);
        assert_eq!(within.status, AuditStatus::WithinCap);
        let uncapped = judge(None, Cents(100_000), Cents(50_000));
        assert_eq!((uncapped.status, uncapped.cap), (AuditStatus::NoCap, None));
        let valueless = judged(&rule(0.70), 0, 50_000);
        assert_eq!(
            (valueless.status, valueless.cap),
            (AuditStatus::Undefined, None)
        );
    }

    #[test]
    fn a_grant_ceiling_lowers_the_allowed_financing() {
        let mut capped = rule(0.8);
        capped.max_grant = Some(300_000.0);
        let verdict = judged(&capped, 50_000_000, 35_000_000);
        assert_eq!(verdict.cap.unwrap().allowed, Cents(30_000_000));
        assert_eq!(
            (verdict.status, verdict.excess),
            (AuditStatus::Breach, Some(Cents(5_000_000)))
        );
        assert_eq!(verdict.reason, Some(BreachReason::Grant), "70 % under 80 %");
    }

    #[test]
    fn a_breach_says_which_limit_it_exceeds() {
        let mut capped = rule(0.6);
        capped.max_grant = Some(300_000.0);
        let reason = |value, financing| judged(&capped, value, financing).reason;
        // 35 % of 1.000.000,00 € is within 60 %, but above the 300.000,00 € ceiling.
        assert_eq!(reason(100_000_000, 35_000_000), Some(BreachReason::Grant));
        // 80 % of 200.000,00 € is above 60 %, and the 160.000,00 € within the ceiling.
        assert_eq!(reason(20_000_000, 16_000_000), Some(BreachReason::Ratio));
        // 70 % of 1.000.000,00 € is above both.
        assert_eq!(
            reason(100_000_000, 70_000_000),
            Some(BreachReason::RatioAndGrant)
        );
        assert_eq!(reason(100_000_000, 20_000_000), None, "within both");
        let reason_keys = [
            BreachReason::Ratio,
            BreachReason::Grant,
            BreachReason::RatioAndGrant,
        ]
        .map(BreachReason::key);
        assert_eq!(reason_keys, ["ratio", "grant", "ratio_and_grant"]);
    }
}
