//! Numbers, amounts, ratios, dates and fixed words in the reader's language:
//! `158.500,00 €`, `72,52 %`, `30/11/2026` in Italian, `€158,500.00`, `72.52%`,
//! `30 November 2026` in English.

use crate::issues::Severity;
use crate::labels::{Labels, Lang};
use crate::money::{group_thousands, Cents, Ppm, Ratio};
use crate::monitoring::indicator::{Indicator, Unit};
use crate::period::{italian_date, Period};
use crate::report::AuditStatus;
use chrono::NaiveDate;

/// Shown where a figure does not apply.
pub(crate) const DASH: &str = "–";

/// Numbers, amounts, ratios and dates in the reader's language.
pub(crate) struct Fmt {
    pub(crate) lang: Lang,
    pub(crate) l: Labels,
}

impl Fmt {
    pub(crate) fn new(lang: Lang) -> Fmt {
        Fmt {
            lang,
            l: Labels { lang },
        }
    }

    /// The decimal mark: `,` in Italian, `.` in English.
    pub(crate) fn mark(&self) -> char {
        match self.lang {
            Lang::It => ',',
            Lang::En => '.',
        }
    }

    fn grouping(&self) -> char {
        match self.lang {
            Lang::It => '.',
            Lang::En => ',',
        }
    }

    /// An amount in millions of euro to one decimal, rounded half away from zero
    /// from the exact cents: `45,4` for 45.379.655,00 €.
    pub(crate) fn millions(&self, cents: Cents) -> String {
        let sign = if cents.0 < 0 { "-" } else { "" };
        let tenths = (cents.0.unsigned_abs() + 5_000_000) / 10_000_000;
        let whole = group_thousands(tenths / 10, self.grouping());
        format!("{sign}{whole}{}{}", self.mark(), tenths % 10)
    }

    /// A chart gridline value: whole numbers grouped, others with up to two decimals.
    pub(crate) fn tick(&self, value: f64) -> String {
        let hundredths = (value.abs() * 100.0).round() as u64;
        let sign = if value < 0.0 && hundredths > 0 {
            "-"
        } else {
            ""
        };
        let whole = group_thousands(hundredths / 100, self.grouping());
        let fraction = match hundredths % 100 {
            0 => String::new(),
            f if f % 10 == 0 => format!("{}{}", self.mark(), f / 10),
            f => format!("{}{f:02}", self.mark()),
        };
        format!("{sign}{whole}{fraction}")
    }

    /// `158.500,00` / `158,500.00`: amounts in tables, whose headers say EUR.
    pub(crate) fn amount(&self, cents: Cents) -> String {
        match self.lang {
            Lang::It => cents.italian(),
            Lang::En => cents.english(),
        }
    }

    /// `158.500,00 €` / `€158,500.00`.
    pub(crate) fn eur(&self, cents: Cents) -> String {
        match self.lang {
            Lang::It => cents.italian_eur(),
            Lang::En if cents.0 < 0 => format!("-€{}", Cents(-cents.0).english()),
            Lang::En => format!("€{}", cents.english()),
        }
    }

    pub(crate) fn optional_amount(&self, cents: Option<Cents>) -> String {
        cents.map_or_else(|| DASH.to_string(), |c| self.amount(c))
    }

    /// `72,52 %` / `72.52%`, or a dash when there is no ratio.
    pub(crate) fn ratio(&self, ratio: Option<Ratio>) -> String {
        match (ratio, self.lang) {
            (None, _) => DASH.to_string(),
            (Some(r), Lang::It) => r.italian_percent(),
            (Some(r), Lang::En) => r.english_percent(),
        }
    }

    pub(crate) fn cap(&self, cap: Ppm) -> String {
        match self.lang {
            Lang::It => cap.italian_percent(),
            Lang::En => cap.english_percent(),
        }
    }

    pub(crate) fn count(&self, n: u64) -> String {
        crate::text::number(self.lang, n)
    }

    /// A change with its sign: `+12`, `−3`, `0`.
    pub(crate) fn signed_count(&self, n: i64) -> String {
        format!("{}{}", sign(n), self.count(n.unsigned_abs()))
    }

    /// An amount's change with its sign: `+158.500,00 €`.
    pub(crate) fn signed_eur(&self, cents: Cents) -> String {
        format!("{}{}", sign(cents.0), self.eur(Cents(cents.0.abs())))
    }

    /// A ratio's change in percentage points: `+0,12 p.p.` / `+0.12 pp`.
    pub(crate) fn signed_points(&self, basis_points: i64) -> String {
        let abs = basis_points.unsigned_abs();
        let (mark, unit) = match self.lang {
            Lang::It => (',', "p.p."),
            Lang::En => ('.', "pp"),
        };
        format!(
            "{}{}{mark}{:02} {unit}",
            sign(basis_points),
            abs / 100,
            abs % 100
        )
    }

    pub(crate) fn date(&self, date: NaiveDate) -> String {
        match self.lang {
            Lang::It => italian_date(date),
            Lang::En => date.format("%-d %B %Y").to_string(),
        }
    }

    /// `novembre 2026` / `November 2026`.
    pub(crate) fn month(&self, period: Period) -> String {
        format!("{} {}", self.month_name(period), period.year)
    }

    /// The month as a date of the same year names it: `ottobre` / `October`;
    /// a month of another year with its year.
    pub(crate) fn month_of_year(&self, period: Period, year: i32) -> String {
        if period.year == year {
            self.month_name(period).to_string()
        } else {
            self.month(period)
        }
    }

    /// `nov 2026` / `Nov 2026`, for a chart's axis and a table's deadline.
    pub(crate) fn short_month(&self, period: Period) -> String {
        let name = self.month_name(period);
        let short: String = name.chars().take(3).collect();
        format!("{short} {}", period.year)
    }

    /// The month's name alone: `novembre` / `November`.
    pub(crate) fn month_name(&self, period: Period) -> &'static str {
        const IT: [&str; 12] = [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = if self.lang == Lang::It { IT } else { EN };
        let index = (period.month.clamp(1, 12) - 1) as usize;
        names[index]
    }

    /// A value of `indicator` in its unit's integers as a reader writes it:
    /// a count whole (`1.386`) or, expected between two, to two decimals
    /// (`1.389,58`); money in euro; a fraction as a percentage (`39,45 %`).
    pub(crate) fn measure(&self, indicator: Indicator, value: i64) -> String {
        match indicator.unit() {
            Unit::Count => {
                let sign = if value < 0 { "-" } else { "" };
                format!("{sign}{}", self.count_measure(value.unsigned_abs()))
            }
            Unit::Money => self.eur(Cents(value)),
            Unit::Fraction => self.ratio(Ratio::new(Cents(value), Cents(10_000))),
        }
    }

    /// A difference of two values of `indicator` with its sign: `−3,58`,
    /// `+1.234,00 €`, `−0,36 p.p.` (a fraction's in percentage points).
    pub(crate) fn signed_measure(&self, indicator: Indicator, value: i64) -> String {
        match indicator.unit() {
            Unit::Count => format!(
                "{}{}",
                sign(value),
                self.count_measure(value.unsigned_abs())
            ),
            Unit::Money => self.signed_eur(Cents(value)),
            Unit::Fraction => self.signed_points(value),
        }
    }

    /// A count kept to four decimals: whole when it is, else to two decimals.
    fn count_measure(&self, scaled: u64) -> String {
        if scaled.is_multiple_of(10_000) {
            return self.count(scaled / 10_000);
        }
        let hundredths = (scaled + 50) / 100;
        format!(
            "{}{}{:02}",
            self.count(hundredths / 100),
            self.mark(),
            hundredths % 100
        )
    }

    /// A table header for an amount column: `Finanziamento (EUR)`.
    pub(crate) fn eur_header(&self, label: &str) -> String {
        format!("{label} (EUR)")
    }

    pub(crate) fn status(&self, status: AuditStatus) -> &'static str {
        match status {
            AuditStatus::Breach => self.l.status_breach(),
            AuditStatus::NearCap => self.l.status_near(),
            AuditStatus::WithinCap => self.l.status_ok(),
            AuditStatus::NoCap => self.l.status_no_cap(),
            AuditStatus::Undefined => self.l.status_undefined(),
        }
    }

    pub(crate) fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => self.l.severity_error(),
            Severity::Warning => self.l.severity_warning(),
        }
    }
}

/// `+` for a rise, the minus sign for a fall, nothing for no change.
fn sign(n: i64) -> &'static str {
    match n.signum() {
        1 => "+",
        -1 => "−",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_carry_their_sign() {
        let it = Fmt::new(Lang::It);
        assert_eq!(it.signed_count(12), "+12");
        assert_eq!(it.signed_count(-1234), "−1.234");
        assert_eq!(it.signed_count(0), "0");
        assert_eq!(it.signed_eur(Cents(-15_850_000)), "−158.500,00 €");
        assert_eq!(it.signed_points(12), "+0,12 p.p.");
        assert_eq!(Fmt::new(Lang::En).signed_points(-250), "−2.50 pp");
    }

    #[test]
    fn figures_read_the_italian_or_english_way() {
        let it = Fmt::new(Lang::It);
        let en = Fmt::new(Lang::En);
        assert_eq!(it.eur(Cents(15_850_000)), "158.500,00 €");
        assert_eq!(en.eur(Cents(15_850_000)), "€158,500.00");
        assert_eq!(en.eur(Cents(-399_400)), "-€3,994.00");
        assert_eq!(it.amount(Cents(399_400)), "3.994,00");
        let ratio = Ratio::new(Cents(11_494_400), Cents(15_850_000));
        assert_eq!(it.ratio(ratio), "72,52 %");
        assert_eq!(en.ratio(ratio), "72.52%");
        assert_eq!(it.ratio(None), DASH);
        assert_eq!(it.count(1386), "1.386");
        assert_eq!(en.count(1386), "1,386");
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(it.date(day), "30/11/2026");
        assert_eq!(en.date(day), "30 November 2026");
        let period = Period {
            year: 2026,
            month: 11,
        };
        assert_eq!(it.month(period), "novembre 2026");
        assert_eq!(en.month(period), "November 2026");
    }

    #[test]
    fn indicator_values_read_in_their_unit() {
        let (it, en) = (Fmt::new(Lang::It), Fmt::new(Lang::En));
        assert_eq!(it.measure(Indicator::Members, 13_860_000), "1.386");
        assert_eq!(it.measure(Indicator::Members, 13_895_833), "1.389,58");
        assert_eq!(en.measure(Indicator::Members, 13_895_833), "1,389.58");
        assert_eq!(it.signed_measure(Indicator::Members, -35_833), "−3,58");
        assert_eq!(it.signed_measure(Indicator::Breaches, 100_556), "+10,06");
        assert_eq!(it.measure(Indicator::FinancingRatio, 3_945), "39,45 %");
        assert_eq!(
            it.signed_measure(Indicator::FinancingRatio, -36),
            "−0,36 p.p."
        );
        assert_eq!(it.measure(Indicator::Financing, 123_456), "1.234,56 €");
        assert_eq!(
            en.signed_measure(Indicator::Financing, -123_456),
            "−€1,234.56"
        );
        let november = Period {
            year: 2026,
            month: 11,
        };
        assert_eq!(it.short_month(november), "nov 2026");
        assert_eq!(en.short_month(november), "Nov 2026");
        assert_eq!(it.month_of_year(november.previous(), 2026), "ottobre");
        assert_eq!(en.month_of_year(november.previous(), 2027), "October 2026");
    }

    #[test]
    fn millions_round_the_exact_cents() {
        let it = Fmt::new(Lang::It);
        let en = Fmt::new(Lang::En);
        assert_eq!(it.millions(Cents(4_537_965_500)), "45,4");
        assert_eq!(it.millions(Cents(4_535_000_000)), "45,4", "half rounds up");
        assert_eq!(it.millions(Cents(4_534_999_999)), "45,3");
        assert_eq!(it.millions(Cents(45_152_578_000)), "451,5");
        assert_eq!(it.millions(Cents(1_234_567_890_000)), "12.345,7");
        assert_eq!(en.millions(Cents(1_234_567_890_000)), "12,345.7");
        assert_eq!(it.millions(Cents(0)), "0,0");
        assert_eq!(it.millions(Cents(-4_537_965_500)), "-45,4");
    }

    #[test]
    fn ticks_drop_needless_decimals() {
        let it = Fmt::new(Lang::It);
        assert_eq!(it.tick(0.0), "0");
        assert_eq!(it.tick(1500.0), "1.500");
        assert_eq!(it.tick(2.5), "2,5");
        assert_eq!(it.tick(0.6000000000000001), "0,6");
        assert_eq!(it.tick(0.25), "0,25");
        assert_eq!(Fmt::new(Lang::En).tick(1500.5), "1,500.5");
    }
}
