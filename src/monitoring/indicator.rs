//! The indicators a target can be set on and the trend follows, how they are
//! written (`members`, `share.sme`, `financing_ratio`…) and the unit each is
//! measured in.

use crate::category::Category;
use crate::category_words::from_key;
use crate::fold::fold;
use crate::suggestion::{closest, ending_with};

/// What is measured of a cluster, or of the whole portfolio, at a month's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Indicator {
    /// Active members.
    Members,
    /// Active members of one category.
    MembersOf(Category),
    /// The fraction of the active members in one category.
    ShareOf(Category),
    /// Members who joined after the baseline month (in the trend: in the month).
    Joined,
    /// Members who left in the month (the trend only).
    Left,
    /// Projects of the portfolio.
    Projects,
    ProjectValue,
    Financing,
    /// Financing ÷ project value of the portfolio.
    FinancingRatio,
    /// Projects of the portfolio above their financing cap.
    Breaches,
}

/// How an indicator's values are counted, and so compared and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Whole members or projects; an expected value may fall between two.
    Count,
    /// Euros, kept in cents.
    Money,
    /// A fraction, kept to four decimals.
    Fraction,
}

impl Unit {
    /// How many of the integers values are kept in make one unit: counts and
    /// fractions to four decimals, money to the cent.
    pub(crate) fn scale(self) -> i64 {
        match self {
            Unit::Count | Unit::Fraction => 10_000,
            Unit::Money => 100,
        }
    }

    /// A value in this unit's integers, as the number it stands for.
    pub(crate) fn as_f64(self, value: i64) -> f64 {
        value as f64 / self.scale() as f64
    }
}

/// `members.<category>` and `share.<category>`, in [`Category::ALL`] order.
const MEMBERS_OF: [&str; 7] = [
    "members.consortium",
    "members.large_enterprise",
    "members.sme",
    "members.university_research",
    "members.trade_association",
    "members.public_body",
    "members.other",
];
const SHARE_OF: [&str; 7] = [
    "share.consortium",
    "share.large_enterprise",
    "share.sme",
    "share.university_research",
    "share.trade_association",
    "share.public_body",
    "share.other",
];

/// The indicators without a category, in the order reports list them.
const PLAIN: [Indicator; 8] = [
    Indicator::Members,
    Indicator::Joined,
    Indicator::Left,
    Indicator::Projects,
    Indicator::ProjectValue,
    Indicator::Financing,
    Indicator::FinancingRatio,
    Indicator::Breaches,
];

impl Indicator {
    /// Every indicator the trend follows, in the order reports list them.
    pub(crate) fn all() -> Vec<Indicator> {
        let mut all = vec![Indicator::Members];
        all.extend(Category::ALL.map(Indicator::MembersOf));
        all.extend(Category::ALL.map(Indicator::ShareOf));
        all.extend(PLAIN[1..].iter().copied());
        all
    }

    /// The name written in `consolida.toml`, a targets sheet and the exports.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Indicator::Members => "members",
            Indicator::MembersOf(c) => MEMBERS_OF[c.index()],
            Indicator::ShareOf(c) => SHARE_OF[c.index()],
            Indicator::Joined => "joined",
            Indicator::Left => "left",
            Indicator::Projects => "projects",
            Indicator::ProjectValue => "project_value",
            Indicator::Financing => "financing",
            Indicator::FinancingRatio => "financing_ratio",
            Indicator::Breaches => "breaches",
        }
    }

    pub(crate) fn unit(self) -> Unit {
        match self {
            Indicator::ProjectValue | Indicator::Financing => Unit::Money,
            Indicator::ShareOf(_) | Indicator::FinancingRatio => Unit::Fraction,
            _ => Unit::Count,
        }
    }

    /// Whether a target may be set on it: `left` is only followed.
    pub(crate) fn is_target(self) -> bool {
        self != Indicator::Left
    }

    /// Reads an indicator as written, or says what is wrong with it and
    /// suggests the closest name.
    pub(crate) fn parse(text: &str) -> Result<Indicator, String> {
        let written = text.trim();
        let lower = written.to_lowercase();
        if let Some((family, key)) = lower.split_once('.') {
            let category = from_key(key.trim()).or_else(|| Category::parse(key));
            match (family.trim(), category) {
                ("members", Some(c)) => return Ok(Indicator::MembersOf(c)),
                ("share", Some(c)) => return Ok(Indicator::ShareOf(c)),
                ("members" | "share", None) => {
                    let keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
                    let message = format!(
                        "\"{written}\" names no category after \"{}.\"; use one of {}.",
                        family.trim(),
                        keys.join(", ")
                    );
                    return Err(ending_with(
                        message,
                        closest(key.trim(), keys.iter().copied()),
                    ));
                }
                _ => {}
            }
        }
        if let Some(plain) = PLAIN.iter().find(|i| i.is_target() && i.key() == lower) {
            return Ok(*plain);
        }
        if let Some(named) = by_name(written) {
            return Ok(named);
        }
        let names = [
            "members",
            "members.<category>",
            "share.<category>",
            "joined",
            "projects",
            "project_value",
            "financing",
            "financing_ratio",
            "breaches",
        ];
        let message = if written.is_empty() {
            format!("the indicator is empty; use one of {}.", names.join(", "))
        } else {
            format!(
                "\"{written}\" is not an indicator; use one of {}.",
                names.join(", ")
            )
        };
        Err(ending_with(
            message,
            closest(&lower, names.iter().copied().filter(|n| !n.contains('<'))),
        ))
    }
}

/// The indicators as an office writes them in a targets sheet, folded.
const NAMES: [(&str, Indicator); 24] = [
    ("soci", Indicator::Members),
    ("soci attivi", Indicator::Members),
    ("membri", Indicator::Members),
    ("aderenti", Indicator::Members),
    ("active members", Indicator::Members),
    ("nuovi soci", Indicator::Joined),
    ("adesioni", Indicator::Joined),
    ("new members", Indicator::Joined),
    ("progetti", Indicator::Projects),
    ("numero progetti", Indicator::Projects),
    ("numero di progetti", Indicator::Projects),
    ("valore progetti", Indicator::ProjectValue),
    ("valore dei progetti", Indicator::ProjectValue),
    ("valore progetto", Indicator::ProjectValue),
    ("project value", Indicator::ProjectValue),
    ("finanziamento", Indicator::Financing),
    ("finanziamenti", Indicator::Financing),
    ("rapporto di finanziamento", Indicator::FinancingRatio),
    ("rapporto finanziamento", Indicator::FinancingRatio),
    ("financing ratio", Indicator::FinancingRatio),
    ("violazioni", Indicator::Breaches),
    ("superamenti", Indicator::Breaches),
    ("violazioni dei tetti", Indicator::Breaches),
    ("superamenti dei tetti", Indicator::Breaches),
];

/// An indicator written in words, Italian or English: `Soci`, `Quota PMI`,
/// `Soci Università`, `Share of SMEs`, `Rapporto di finanziamento`.
fn by_name(text: &str) -> Option<Indicator> {
    let folded = fold(text);
    if let Some((_, indicator)) = NAMES.iter().find(|(name, _)| *name == folded) {
        return Some(*indicator);
    }
    type Family = fn(Category) -> Indicator;
    let families: [(&str, Family); 5] = [
        ("quota ", Indicator::ShareOf),
        ("share of ", Indicator::ShareOf),
        ("share ", Indicator::ShareOf),
        ("soci ", Indicator::MembersOf),
        ("members ", Indicator::MembersOf),
    ];
    families.iter().find_map(|(prefix, family)| {
        let rest = folded.strip_prefix(prefix)?;
        let rest = rest.strip_prefix("di ").unwrap_or(rest);
        Category::parse(rest).map(family)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_reads_back_from_its_key() {
        for indicator in Indicator::all().into_iter().filter(|i| i.is_target()) {
            assert_eq!(Indicator::parse(indicator.key()), Ok(indicator));
        }
        for category in Category::ALL {
            let (members, share) = (MEMBERS_OF[category.index()], SHARE_OF[category.index()]);
            assert_eq!(members, format!("members.{}", category.key()));
            assert_eq!(share, format!("share.{}", category.key()));
        }
        assert_eq!(
            Indicator::parse(" Share.SME "),
            Ok(Indicator::ShareOf(Category::Sme))
        );
    }

    #[test]
    fn a_mistake_is_named_with_the_closest_indicator() {
        let message = Indicator::parse("member").unwrap_err();
        assert!(
            message.contains("\"member\" is not an indicator"),
            "{message}"
        );
        assert!(message.contains("members"), "{message}");
        let message = Indicator::parse("share.xyz").unwrap_err();
        assert!(message.contains("no category"), "{message}");
        assert!(message.contains("university_research"), "{message}");
        assert_eq!(
            Indicator::parse("share.PMI"),
            Ok(Indicator::ShareOf(Category::Sme))
        );
        assert!(Indicator::parse("left").is_err());
    }

    #[test]
    fn an_office_may_write_the_indicator_in_words() {
        for (text, indicator) in [
            ("Soci", Indicator::Members),
            ("Quota PMI", Indicator::ShareOf(Category::Sme)),
            ("quota di PMI", Indicator::ShareOf(Category::Sme)),
            ("Share of SMEs", Indicator::ShareOf(Category::Sme)),
            (
                "Soci università",
                Indicator::MembersOf(Category::UniversityResearch),
            ),
            ("Rapporto di finanziamento", Indicator::FinancingRatio),
            ("Violazioni", Indicator::Breaches),
            ("Nuovi soci", Indicator::Joined),
            ("Valore dei progetti", Indicator::ProjectValue),
        ] {
            assert_eq!(Indicator::parse(text), Ok(indicator), "{text}");
        }
    }

    #[test]
    fn units_scale_counts_and_fractions_to_four_decimals_and_money_to_cents() {
        assert_eq!(Indicator::Members.unit().as_f64(1_215_000), 121.5);
        assert_eq!(Indicator::Financing.unit().as_f64(12_345), 123.45);
        assert_eq!(Indicator::FinancingRatio.unit().as_f64(7_252), 0.7252);
    }
}
