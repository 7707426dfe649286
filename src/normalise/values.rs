//! Reading one cell as text, an amount or a date, whatever form it was stored in.

use crate::money::{cents_from_f64, parse_amount, AmountError, Cents, Ppm};
use crate::text::Text;
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;

/// The cell as text the way a person reads it: numbers without a spurious `.0`,
/// `None` for an empty cell or one holding only spaces.
pub(crate) fn text(cell: &Data) -> Option<String> {
    let value = match cell {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => d.date().format("%Y-%m-%d").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    };
    (!value.is_empty()).then_some(value)
}

/// The raw value for messages: what a person would see in the cell.
pub(crate) fn raw(cell: &Data) -> String {
    text(cell).unwrap_or_default()
}

/// Why a cell could not be read as the kind of value its column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueError {
    Missing,
    /// What was expected instead.
    Invalid(Expected),
    /// The amount has fractions of a cent.
    SubCent,
    /// The cell holds a spreadsheet error such as `#DIV/0!`.
    CellError(String),
}

/// The kind of value a cell should have held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Amount,
    Date,
    Percentage,
}

impl Expected {
    /// The kind as a phrase in both languages: "un importo in euro".
    pub(crate) fn text(self) -> Text {
        match self {
            Expected::Amount => Text::new("un importo in euro", "an amount in euros"),
            Expected::Date => Text::new("una data (gg/mm/aaaa)", "a date (dd/mm/yyyy)"),
            Expected::Percentage => Text::new("una percentuale (72,5%)", "a percentage (72,5%)"),
        }
    }
}

/// An amount in cents from a number cell or text in Italian or English form.
pub(crate) fn amount(cell: &Data) -> Result<Cents, ValueError> {
    let converted = match cell {
        Data::Empty => return Err(ValueError::Missing),
        Data::Int(i) => i.checked_mul(100).map(Cents).ok_or(AmountError::NotANumber),
        Data::Float(f) => cents_from_f64(*f),
        Data::String(s) => parse_amount(s),
        Data::Error(e) => return Err(ValueError::CellError(e.to_string())),
        _ => Err(AmountError::NotANumber),
    };
    converted.map_err(|e| match e {
        AmountError::Missing => ValueError::Missing,
        AmountError::SubCent => ValueError::SubCent,
        AmountError::NotANumber => ValueError::Invalid(Expected::Amount),
    })
}

/// A date from a date cell, a serial number (in the 1900 date system, or the 1904
/// one when `date_1904`), ISO text, `dd/mm/yyyy`, `dd-mm-yyyy` or `dd.mm.yyyy` (a
/// time after the date is ignored). A time of day or a duration is not a date.
pub(crate) fn date(cell: &Data, date_1904: bool) -> Result<NaiveDate, ValueError> {
    let invalid = ValueError::Invalid(Expected::Date);
    match cell {
        Data::Empty => Err(ValueError::Missing),
        Data::DateTime(dt) if dt.is_datetime() => dt.as_datetime().map(|d| d.date()).ok_or(invalid),
        Data::Float(_) | Data::Int(_) => {
            let serial = match cell {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => unreachable!("matched above"),
            };
            if !(1.0..=2_958_465.0).contains(&serial) {
                return Err(invalid);
            }
            ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, date_1904)
                .as_datetime()
                .map(|d| d.date())
                .ok_or(invalid)
        }
        Data::String(s) if parse_amount(s) == Err(AmountError::Missing) => Err(ValueError::Missing),
        Data::DateTimeIso(s) | Data::String(s) => {
            parse_date_text(s).ok_or(if s.trim().is_empty() {
                ValueError::Missing
            } else {
                invalid
            })
        }
        Data::Error(e) => Err(ValueError::CellError(e.to_string())),
        _ => Err(invalid),
    }
}

/// A percentage from a number cell (`0.725` in a cell formatted as a percentage)
/// or text (`72,5%`, `72.5 %`, `72,5`), in parts per million of the whole.
pub(crate) fn percent(cell: &Data) -> Result<Ppm, ValueError> {
    let invalid = ValueError::Invalid(Expected::Percentage);
    match cell {
        Data::Empty => Err(ValueError::Missing),
        Data::Float(f) if f.is_finite() && f.abs() <= 1e6 => Ok(Ppm::from_f64(*f)),
        Data::Int(i) if i.abs() <= 1_000_000 => Ok(Ppm(i * 1_000_000)),
        Data::String(s) => match parse_amount(s) {
            Err(AmountError::Missing) => Err(ValueError::Missing),
            _ => parse_percent(s).ok_or(invalid),
        },
        Data::Error(e) => Err(ValueError::CellError(e.to_string())),
        _ => Err(invalid),
    }
}

/// Parses `72,5%`, `72.5 %`, `-3%` or a bare `72,5` (read as percent) into parts
/// per million; at most four decimals of a percent.
pub(crate) fn parse_percent(text: &str) -> Option<Ppm> {
    let text = text.trim();
    let number = text.strip_suffix('%').unwrap_or(text).trim();
    let (negative, digits) = match number.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, number),
    };
    let digits = digits.replace(',', ".");
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 9 || !all_digits(whole) {
        return None;
    }
    if fraction.len() > 4 || !all_digits(fraction) {
        return None;
    }
    let padded = format!("{fraction:0<4}");
    let value = whole.parse::<i64>().ok()? * 10_000 + padded.parse::<i64>().ok()?;
    Some(Ppm(if negative { -value } else { value }))
}

/// Parses the date forms people type; `None` for anything else.
pub(crate) fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(date_part, format) {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_text_lose_the_trailing_zero() {
        assert_eq!(
            text(&Data::Float(12345678901.0)),
            Some("12345678901".into())
        );
        assert_eq!(text(&Data::String("  ".into())), None);
        assert_eq!(text(&Data::String(" MI ".into())), Some("MI".into()));
    }

    #[test]
    fn amounts_come_from_numbers_and_text() {
        assert_eq!(amount(&Data::Float(158_500.0)), Ok(Cents(15_850_000)));
        assert_eq!(amount(&Data::Int(114_944)), Ok(Cents(11_494_400)));
        assert_eq!(
            amount(&Data::String("114.944,00 €".into())),
            Ok(Cents(11_494_400))
        );
        assert_eq!(
            amount(&Data::String("n/d".into())),
            Err(ValueError::Missing)
        );
        assert_eq!(
            amount(&Data::String("molti".into())),
            Err(ValueError::Invalid(Expected::Amount))
        );
    }

    #[test]
    fn dates_come_from_serials_and_text() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(&Data::Float(46_356.0), false), Ok(day));
        assert_eq!(date(&Data::String("30/11/2026".into()), false), Ok(day));
        assert_eq!(
            date(&Data::String("30.11.2026 14:30".into()), false),
            Ok(day)
        );
        assert_eq!(date(&Data::String("2026-11-30".into()), false), Ok(day));
        assert_eq!(
            date(&Data::DateTimeIso("2026-11-30T00:00:00".into()), false),
            Ok(day)
        );
        assert!(matches!(
            date(&Data::String("31/02/2026".into()), false),
            Err(ValueError::Invalid(_))
        ));
        assert_eq!(
            date(&Data::String("n/d".into()), false),
            Err(ValueError::Missing)
        );
    }

    #[test]
    fn serials_follow_the_workbook_date_system() {
        // 1904 system: serial 0 is 1 January 1904, 1462 days after the 1900 system's.
        let serial = 46_356.0 - 1_462.0;
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(&Data::Float(serial), true), Ok(day));
        let cell = Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            true,
        ));
        assert_eq!(date(&cell, false), Ok(day));
    }

    #[test]
    fn a_time_of_day_or_an_error_cell_is_not_a_date() {
        let time = Data::DateTime(ExcelDateTime::new(0.5, ExcelDateTimeType::TimeDelta, false));
        assert!(matches!(date(&time, false), Err(ValueError::Invalid(_))));
        assert!(matches!(
            date(&Data::DurationIso("PT10H".into()), false),
            Err(ValueError::Invalid(_))
        ));
        assert_eq!(
            date(&Data::Error(calamine::CellErrorType::Value), false),
            Err(ValueError::CellError("#VALUE!".into()))
        );
    }

    #[test]
    fn percentages_come_from_numbers_and_text() {
        assert_eq!(percent(&Data::String("72,5%".into())), Ok(Ppm(725_000)));
        assert_eq!(percent(&Data::String("72.52 %".into())), Ok(Ppm(725_200)));
        assert_eq!(percent(&Data::String("-3%".into())), Ok(Ppm(-30_000)));
        assert_eq!(percent(&Data::Float(0.725)), Ok(Ppm(725_000)));
        assert_eq!(
            percent(&Data::String("n/d".into())),
            Err(ValueError::Missing)
        );
        assert!(matches!(
            percent(&Data::String("molto".into())),
            Err(ValueError::Invalid(_))
        ));
        assert_eq!(parse_percent("1.234,5%"), None);
    }

    #[test]
    fn amounts_in_every_written_form() {
        for (text, cents) in [
            ("158.500,00 €", 15_850_000),
            ("€ 1.234,5", 123_450),
            ("1,234.50", 123_450),
            ("(1.000,00)", -100_000),
            ("491873,75", 49_187_375),
            ("491873.75", 49_187_375),
            ("2494217,5", 249_421_750),
        ] {
            assert_eq!(
                amount(&Data::String(text.into())),
                Ok(Cents(cents)),
                "{text}"
            );
        }
        for missing in ["-", "n/d", "N/D", ""] {
            assert_eq!(
                amount(&Data::String(missing.into())),
                Err(ValueError::Missing)
            );
        }
        assert_eq!(
            amount(&Data::Error(calamine::CellErrorType::Div0)),
            Err(ValueError::CellError("#DIV/0!".into()))
        );
        // A formula's cached value in binary floating point is read to the cent.
        assert_eq!(
            amount(&Data::Float(82_150.459_999_999_99)),
            Ok(Cents(8_215_046))
        );
    }
}
