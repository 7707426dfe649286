//! Exact money and ratios.
//!
//! Amounts are integer euro cents ([`Cents`]); a financing ratio is kept as the exact
//! fraction `financing / value` and rounded only when shown, half away from zero, to
//! four decimals ([`Ratio::basis_points`]). Nothing an auditor recomputes goes
//! through binary floating point. Caps are parts per million ([`Ppm`]), which holds
//! any cap written with up to six decimals exactly.

use std::fmt;

/// An amount in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Cents(pub(crate) i64);

impl Cents {
    pub(crate) const ZERO: Cents = Cents(0);

    /// The amount in euros as a JSON-friendly number, exact to the cent when printed
    /// with two decimals.
    pub(crate) fn as_euros_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `1234.56` with a dot, no grouping: the form machine-readable exports use.
    pub(crate) fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `158.500,00` (Italian grouping and decimal comma), without the currency sign.
    pub(crate) fn italian(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{},{:02}", group_thousands(abs / 100, '.'), abs % 100)
    }

    /// `158.500,00 €`.
    pub(crate) fn italian_eur(self) -> String {
        format!("{} €", self.italian())
    }

    /// `158,500.00` (English grouping), without the currency sign.
    pub(crate) fn english(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", group_thousands(abs / 100, ','), abs % 100)
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, rhs: Cents) -> Cents {
        Cents(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

/// Groups the digits of `n` by thousands with `sep`: `158500` → `158.500`.
pub(crate) fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Divides rounding half away from zero. `den` must be positive.
pub(crate) fn div_round(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((2 * -num + den) / (2 * den))
    }
}

/// A cap or other ratio given in configuration, in parts per million (0.70 → 700 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Ppm(pub(crate) i64);

impl Ppm {
    /// Converts a configured decimal such as `0.70`; six decimals are kept exactly.
    pub(crate) fn from_f64(value: f64) -> Ppm {
        Ppm((value * 1_000_000.0).round() as i64)
    }

    /// The ratio as a number for JSON (`0.7`).
    pub(crate) fn as_f64(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }

    /// The largest amount in cents that stays within this ratio of `base`
    /// (`floor(base × ratio)`, so that one cent more is a breach).
    pub(crate) fn allowed_of(self, base: Cents) -> Cents {
        let product = base.0 as i128 * self.0 as i128;
        Cents(product.div_euclid(1_000_000) as i64)
    }

    /// `70 %` / `72,5 %` in Italian, up to four decimals of a percent, trailing zeros cut.
    pub(crate) fn italian_percent(self) -> String {
        percent_text(self.0 as i128, 10_000, ',')
    }

    /// The same in English form (`72.5%`).
    pub(crate) fn english_percent(self) -> String {
        percent_text(self.0 as i128, 10_000, '.')
    }
}

fn percent_text(value: i128, per_percent: i128, decimal: char) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.abs();
    let whole = abs / per_percent;
    let frac = abs % per_percent;
    if frac == 0 {
        return format!("{sign}{whole} %");
    }
    let width = per_percent.to_string().len() - 1;
    let frac_text = format!("{frac:0width$}");
    format!(
        "{sign}{whole}{decimal}{} %",
        frac_text.trim_end_matches('0')
    )
}

/// The exact ratio `numerator / denominator` of two amounts (financing ÷ value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    pub(crate) numerator: Cents,
    pub(crate) denominator: Cents,
}

impl Ratio {
    /// `None` when the denominator is not positive: a ratio of nothing is undefined.
    pub(crate) fn new(numerator: Cents, denominator: Cents) -> Option<Ratio> {
        (denominator.0 > 0).then_some(Ratio {
            numerator,
            denominator,
        })
    }

    /// The ratio rounded to four decimals, as an integer of ten-thousandths
    /// (0.72519… → 7252).
    pub(crate) fn basis_points(self) -> i64 {
        div_round(
            self.numerator.0 as i128 * 10_000,
            self.denominator.0 as i128,
        ) as i64
    }

    /// The rounded ratio as a JSON number (`0.7252`).
    pub(crate) fn as_f64(self) -> f64 {
        self.basis_points() as f64 / 10_000.0
    }

    /// `72,52 %`: always two decimals of a percent, Italian form.
    pub(crate) fn italian_percent(self) -> String {
        let bp = self.basis_points();
        let sign = if bp < 0 { "-" } else { "" };
        format!("{sign}{},{:02} %", bp.abs() / 100, bp.abs() % 100)
    }

    /// `72.52%`, English form.
    pub(crate) fn english_percent(self) -> String {
        let bp = self.basis_points();
        let sign = if bp < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}%", bp.abs() / 100, bp.abs() % 100)
    }

    /// Whether the exact ratio is above `cap` (no rounding involved).
    pub(crate) fn exceeds(self, cap: Ppm) -> bool {
        self.numerator.0 as i128 * 1_000_000 > self.denominator.0 as i128 * cap.0 as i128
    }
}

/// Why a text could not be read as an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AmountError {
    /// The text is a placeholder for "no value" (`-`, `n/d`, `n.d.`, empty).
    Missing,
    /// The text is not a number in any form we accept.
    NotANumber,
    /// More than two decimals: not a whole number of cents.
    SubCent,
}

/// Reads an amount written as text in Italian or English form:
/// `158.500,00 €`, `€ 1.234,5`, `1,234.50`, `1234`, `(1.000,00)` for a negative,
/// `-` or `n/d` for missing. A lone separator followed by exactly three digits
/// (`1.234`, `1,234`) is read as a thousands separator, the way both Italian and
/// English accountants write whole euros.
pub(crate) fn parse_amount(text: &str) -> Result<Cents, AmountError> {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    if matches!(
        lower.as_str(),
        "" | "-" | "–" | "n/d" | "n.d." | "nd" | "n/a" | "na"
    ) {
        return Err(AmountError::Missing);
    }
    let (negative_paren, inner) = match trimmed.strip_prefix('(').and_then(|s| s.strip_suffix(')'))
    {
        Some(inner) => (true, inner),
        None => (false, trimmed),
    };
    let cleaned: String = inner
        .chars()
        .filter(|c| !matches!(c, '€' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect();
    let cleaned = cleaned
        .trim_start_matches("EUR")
        .trim_end_matches("EUR")
        .trim_start_matches("eur")
        .trim_end_matches("eur");
    let (negative_sign, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(cleaned)),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(AmountError::NotANumber);
    }
    let (int_part, frac_part) = split_decimal(digits)?;
    if frac_part.len() > 2 {
        return Err(AmountError::SubCent);
    }
    let int_digits: String = int_part.chars().filter(|c| c.is_ascii_digit()).collect();
    if int_digits.is_empty() && frac_part.is_empty() {
        return Err(AmountError::NotANumber);
    }
    let whole: i64 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().map_err(|_| AmountError::NotANumber)?
    };
    let mut frac = frac_part.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let cents: i64 = frac.parse().map_err(|_| AmountError::NotANumber)?;
    let total = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or(AmountError::NotANumber)?;
    Ok(Cents(if negative_paren ^ negative_sign {
        -total
    } else {
        total
    }))
}

/// Splits `digits` into the integer part (still with its grouping separators) and the
/// decimals, deciding which of `.` and `,` is the decimal separator.
fn split_decimal(digits: &str) -> Result<(&str, &str), AmountError> {
    let last_dot = digits.rfind('.');
    let last_comma = digits.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (None, None) => None,
        // Both present: whichever comes last separates the decimals.
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let sep = digits.as_bytes()[p] as char;
            let occurrences = digits.matches(sep).count();
            let after = &digits[p + 1..];
            if occurrences > 1 || after.len() == 3 {
                None // grouping only: 1.234.567 or 1,234
            } else {
                Some(p)
            }
        }
    };
    match decimal_at {
        None => {
            check_grouping(digits)?;
            Ok((digits, ""))
        }
        Some(p) => {
            let (int_part, frac) = (&digits[..p], &digits[p + 1..]);
            if frac.contains(['.', ',']) {
                return Err(AmountError::NotANumber);
            }
            let decimal_sep = digits.as_bytes()[p] as char;
            if int_part.contains(decimal_sep) {
                return Err(AmountError::NotANumber);
            }
            check_grouping(int_part)?;
            Ok((int_part, frac))
        }
    }
}

/// A grouped integer part must group by threes (`1.234.567`), with one separator kind.
fn check_grouping(int_part: &str) -> Result<(), AmountError> {
    let has_dot = int_part.contains('.');
    let has_comma = int_part.contains(',');
    if has_dot && has_comma {
        return Err(AmountError::NotANumber);
    }
    if !has_dot && !has_comma {
        return Ok(());
    }
    let groups: Vec<&str> = int_part.split(['.', ',']).collect();
    let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
    if first_ok && groups[1..].iter().all(|g| g.len() == 3) {
        Ok(())
    } else {
        Err(AmountError::NotANumber)
    }
}

/// Converts a spreadsheet number to cents, refusing fractions of a cent beyond what a
/// binary float adds by itself (1234.5600000001 is 1234.56; 1234.567 is not).
pub(crate) fn cents_from_f64(value: f64) -> Result<Cents, AmountError> {
    if !value.is_finite() || value.abs() > 9.0e15 {
        return Err(AmountError::NotANumber);
    }
    let scaled = value * 100.0;
    let rounded = scaled.round();
    // What binary floating point adds by itself is a few units in the last place;
    // anything larger is a real fraction of a cent.
    if (scaled - rounded).abs() > 1e-9 + rounded.abs() * 1e-14 {
        return Err(AmountError::SubCent);
    }
    Ok(Cents(rounded as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_and_english_forms_are_read_exactly() {
        assert_eq!(parse_amount("158.500,00 €"), Ok(Cents(15_850_000)));
        assert_eq!(parse_amount("€ 1.234,5"), Ok(Cents(123_450)));
        assert_eq!(parse_amount("1,234.50"), Ok(Cents(123_450)));
        assert_eq!(parse_amount("114944"), Ok(Cents(11_494_400)));
        assert_eq!(parse_amount("1.234"), Ok(Cents(123_400)));
        assert_eq!(parse_amount("1,5"), Ok(Cents(150)));
        assert_eq!(parse_amount("0.05"), Ok(Cents(5)));
        assert_eq!(parse_amount("(1.000,00)"), Ok(Cents(-100_000)));
        assert_eq!(parse_amount("-12,30"), Ok(Cents(-1_230)));
        assert_eq!(parse_amount("2.781.008.899,11"), Ok(Cents(278_100_889_911)));
    }

    #[test]
    fn placeholders_and_garbage_are_told_apart() {
        assert_eq!(parse_amount("n/d"), Err(AmountError::Missing));
        assert_eq!(parse_amount(" - "), Err(AmountError::Missing));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3,4,5"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("12,345"), Ok(Cents(1_234_500)));
        assert_eq!(parse_amount("1,2345"), Err(AmountError::SubCent));
        assert_eq!(parse_amount("12.34.5"), Err(AmountError::NotANumber));
    }

    #[test]
    fn amounts_print_in_italian_and_plain_form() {
        assert_eq!(Cents(15_850_000).italian_eur(), "158.500,00 €");
        assert_eq!(Cents(-5).italian(), "-0,05");
        assert_eq!(Cents(278_100_889_911).italian(), "2.781.008.899,11");
        assert_eq!(Cents(399_400).plain(), "3994.00");
        assert_eq!(Cents(123_456_789).english(), "1,234,567.89");
    }

    #[test]
    fn the_seed_project_ratio_is_72_52_percent() {
        let ratio = Ratio::new(Cents(11_494_400), Cents(15_850_000)).unwrap();
        assert_eq!(ratio.basis_points(), 7252);
        assert_eq!(ratio.italian_percent(), "72,52 %");
        assert!(ratio.exceeds(Ppm::from_f64(0.70)));
        let allowed = Ppm::from_f64(0.70).allowed_of(Cents(15_850_000));
        assert_eq!(Cents(11_494_400) - allowed, Cents(399_400));
    }

    #[test]
    fn ratios_round_half_away_from_zero() {
        // 1/8 = 0.125 exactly → 0.1250; 2/3 → 0.6667; 5/80000 = 0.0000625 → 0.0001
        assert_eq!(Ratio::new(Cents(1), Cents(8)).unwrap().basis_points(), 1250);
        assert_eq!(Ratio::new(Cents(2), Cents(3)).unwrap().basis_points(), 6667);
        assert_eq!(
            Ratio::new(Cents(5), Cents(80_000)).unwrap().basis_points(),
            1
        );
        assert!(Ratio::new(Cents(1), Cents(0)).is_none());
    }

    #[test]
    fn a_cap_exactly_met_is_no_breach() {
        let ratio = Ratio::new(Cents(70), Cents(100)).unwrap();
        assert!(!ratio.exceeds(Ppm::from_f64(0.7)));
        assert!(Ratio::new(Cents(71), Cents(100))
            .unwrap()
            .exceeds(Ppm::from_f64(0.7)));
        assert_eq!(Ppm::from_f64(0.725).italian_percent(), "72,5 %");
        assert_eq!(Ppm::from_f64(0.8).italian_percent(), "80 %");
    }

    #[test]
    fn spreadsheet_floats_become_cents_without_drift() {
        assert_eq!(cents_from_f64(158_500.0), Ok(Cents(15_850_000)));
        assert_eq!(cents_from_f64(0.1 + 0.2), Ok(Cents(30)));
        assert_eq!(cents_from_f64(1234.567), Err(AmountError::SubCent));
        assert_eq!(cents_from_f64(1_234_567.891), Err(AmountError::SubCent));
        assert_eq!(cents_from_f64(2_781_008_899.11), Ok(Cents(278_100_889_911)));
        assert_eq!(cents_from_f64(0.07), Ok(Cents(7)));
    }
}
