//! What rust_xlsxwriter's `autofit()` would measure, for a sheet it cannot see.
//!
//! In constant-memory mode the rows are on disk by the time the widths are set,
//! and `autofit()` only sees the row in memory. So the sheet measures every data
//! cell itself, by autofit's own rules: text by its widest line, a number or a
//! date as its number format shows it (the `enhanced_autofit` way, here through
//! [`number_text`] and [`date_text`]), a formula by its cached result unless that
//! is empty or `0`, a blank not at all; 7 pixels of padding, and no more than the
//! sheet's autofit limit. The in-memory path still calls `autofit()`; a test
//! renders the same report both ways and finds the same widths.

use super::measure::{date_text, number_text, CELL_PADDING_PX, DIGIT_PX};
use super::style::Kind;
use crate::labels::Lang;
use chrono::NaiveDate;
use rust_xlsxwriter::{cell_autofit_width, ColNum};
use std::collections::HashMap;

/// What autofit gives a date cell whose format it cannot apply, in pixels.
const UNFORMATTED_DATE: u32 = 68;

/// The widths autofit would give each column, from the cells measured so far.
#[derive(Debug)]
pub(crate) struct Autofit {
    lang: Lang,
    /// The widest a column gets from autofit, in pixels.
    max: u32,
    widths: Vec<u32>,
    /// The width of each date already measured, by date and kind: a column of
    /// dates holds few distinct ones.
    dates: HashMap<(NaiveDate, Kind), u32>,
}

impl Autofit {
    pub(crate) fn new(lang: Lang, max: u32) -> Autofit {
        Autofit {
            lang,
            max,
            widths: Vec::new(),
            dates: HashMap::new(),
        }
    }

    pub(crate) fn text(&mut self, col: ColNum, text: &str) {
        let widest = text.lines().map(text_pixels).max().unwrap_or(0);
        self.cell(col, widest);
    }

    /// A text cell whose widest line is `padded` wide with padding
    /// (`cell_autofit_width`), as the sheet measured it for its own widths.
    pub(crate) fn padded(&mut self, col: ColNum, padded: u32) {
        self.cell(col, padded.saturating_sub(CELL_PADDING_PX));
    }

    pub(crate) fn number(&mut self, col: ColNum, value: f64, kind: Kind) {
        let pixels = match number_pixels(value, kind) {
            Some(pixels) => pixels,
            None => match number_text(value, kind) {
                Some(shown) => text_pixels(&shown),
                // General format: autofit's estimate from the digits.
                None => DIGIT_PX * value.to_string().len() as u32,
            },
        };
        self.cell(col, pixels);
    }

    pub(crate) fn date(&mut self, col: ColNum, date: NaiveDate, kind: Kind) {
        let lang = self.lang;
        let pixels = *self.dates.entry((date, kind)).or_insert_with(|| {
            let shown = date_text(date, kind, lang).or_else(|| number_text(serial(date), kind));
            shown.map_or(UNFORMATTED_DATE, |shown| text_pixels(&shown))
        });
        self.cell(col, pixels);
    }

    /// A formula cell, by the result it carries.
    pub(crate) fn formula(&mut self, col: ColNum, result: &str) {
        if result != "0" {
            self.cell(col, text_pixels(result));
        }
    }

    /// The width of each column autofit would set, for the columns it would set.
    pub(crate) fn widths(&self) -> impl Iterator<Item = (ColNum, u32)> + '_ {
        (0..)
            .zip(self.widths.iter().copied())
            .filter(|(_, width)| *width > 0)
    }

    fn cell(&mut self, col: ColNum, pixels: u32) {
        if pixels == 0 {
            return;
        }
        let width = (pixels + CELL_PADDING_PX).min(self.max);
        let i = usize::from(col);
        if self.widths.len() <= i {
            self.widths.resize(i + 1, 0);
        }
        self.widths[i] = self.widths[i].max(width);
    }
}

/// The width of an amount, a ratio or a count as [`number_text`] would show it,
/// worked out from its number of digits: autofit gives every digit 7 pixels, so
/// the text need not be made (a large audit measures millions of amounts).
/// `None` when rounding could add a digit, or for other kinds: those are
/// measured from their text.
fn number_pixels(value: f64, kind: Kind) -> Option<u32> {
    const COMMA: u32 = 4;
    const POINT: u32 = 4;
    let (shown, after_digits, rounding_margin, grouped) = match kind {
        // `158,500.00 €`: point, two decimals, space, euro sign (8, not ASCII).
        Kind::Amount => (value.abs(), POINT + 2 * DIGIT_PX + 3 + 8, 0.99, true),
        // `72.52%`: point, two decimals, per cent sign (11).
        Kind::Ratio => (value.abs() * 100.0, POINT + 2 * DIGIT_PX + 11, 0.99, false),
        Kind::Count => (value.abs(), 0, 0.49, true),
        _ => return None,
    };
    if !shown.is_finite() || shown >= 1e15 || shown.fract() >= rounding_margin {
        return None;
    }
    let whole = shown.trunc() as u64;
    let digits = whole.checked_ilog10().map_or(1, |d| d + 1);
    let commas = if grouped { (digits - 1) / 3 } else { 0 };
    let sign = if value < 0.0 { 5 } else { 0 };
    Some(sign + digits * DIGIT_PX + commas * COMMA + after_digits)
}

/// Text width without padding, as autofit measures it.
fn text_pixels(text: &str) -> u32 {
    if text.is_empty() {
        0
    } else {
        cell_autofit_width(text) - CELL_PADDING_PX
    }
}

/// The date as an Excel serial number (1900 date system).
fn serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    (date - epoch).num_days() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_measured_by_their_digits_match_their_text() {
        let mut values = vec![
            0.0,
            -0.0,
            0.004,
            0.005,
            0.994,
            0.995,
            9.99,
            9.995,
            999.99,
            999.995,
            1000.0,
            -1234.5,
            158_500.0,
            999_999.994,
            1e12,
            0.5,
            1.5,
            2.5,
            0.7252,
            0.99999,
        ];
        // A fixed pseudo-random spread of cents and ratios.
        let mut seed: u64 = 42;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let cents = (seed >> 20) % 100_000_000_000;
            values.push(cents as f64 / 100.0);
            values.push(-(cents as f64) / 1000.0);
            values.push((seed >> 40) as f64 / 16_777_216.0);
        }
        for kind in [Kind::Amount, Kind::Ratio, Kind::Count] {
            for &value in &values {
                if let Some(pixels) = number_pixels(value, kind) {
                    let text = number_text(value, kind).unwrap();
                    assert_eq!(pixels, text_pixels(&text), "{value} as {kind:?}: {text}");
                }
            }
        }
        assert!(
            number_pixels(999.995, Kind::Amount).is_none(),
            "may round up"
        );
        assert!(number_pixels(158_500.0, Kind::Amount).is_some());
    }

    #[test]
    fn columns_take_their_widest_cell_with_padding_and_a_limit() {
        let mut fit = Autofit::new(Lang::It, 100);
        fit.text(0, "ab");
        fit.text(0, "abcd\nx");
        fit.padded(1, cell_autofit_width(""));
        fit.number(2, 158_500.0, Kind::Amount);
        fit.formula(3, "0");
        fit.text(4, &"M".repeat(40));
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        fit.date(5, day, Kind::Date);
        let widths: Vec<(ColNum, u32)> = fit.widths().collect();
        assert_eq!(
            widths,
            [
                (0, cell_autofit_width("abcd")),
                (2, cell_autofit_width("158,500.00 €")),
                (4, 100),
                (5, cell_autofit_width("30/11/2026")),
            ]
        );
        assert_eq!(serial(day), 46_356.0);
    }
}
