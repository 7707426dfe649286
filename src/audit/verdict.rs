//! The verdict of a cap rule on financing: what the rule allows for the value it
//! finances, and whether the financing is above it (by how much), close to it or
//! within it (with how much headroom).

use super::caps::Applicable;
use crate::money::{Cents, Ppm, Ratio};
use crate::report::{AppliedCap, AuditStatus, Verdict};

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
    };
    let Some(ratio) = Ratio::new(financing, value) else {
        return unjudged(AuditStatus::Undefined);
    };
    let Some(Applicable {
        number,
        rule,
        description,
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
        description: description.to_string(),
        max_ratio,
        max_grant,
        allowed,
    });
    if financing > allowed {
        return Verdict {
            cap,
            status: AuditStatus::Breach,
            headroom: None,
            excess: Some(financing - allowed),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CapRule;

    fn rule(max_ratio: f64) -> CapRule {
        CapRule {
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
        let applicable = Applicable {
            number: 1,
            rule,
            description: "call = *",
        };
        judge(Some(applicable), Cents(value), Cents(financing))
    }

    #[test]
    fn the_seed_project_breaches_seventy_percent_by_3994_euros() {
        let verdict = judged(&rule(0.70), 15_850_000, 11_494_400);
        assert_eq!(verdict.status, AuditStatus::Breach);
        let cap = verdict.cap.unwrap();
        assert_eq!((cap.rule_number, cap.description.as_str()), (1, "call = *"));
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
    }
}
