//! Reading one cell as text, an amount or a date, whatever form it was stored in.

use crate::money::{cents_from_f64, parse_amount, AmountError, Cents};
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use chrono::NaiveDate;

/// The cell as text the way a person reads it: numbers without a spurious `.0`,
/// `None` for an empty cell or one holding only spaces.
pub fn text(cell: &Data) -> Option<String> {
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
        Data::Error(e) => format!("#{e:?}"),
    };
    (!value.is_empty()).then_some(value)
}

/// The raw value for messages: what a person would see in the cell.
pub fn raw(cell: &Data) -> String {
    match cell {
        Data::Error(e) => e.to_string(),
        other => text(other).unwrap_or_default(),
    }
}

/// Why a cell could not be read as the kind of value its column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Missing,
    /// What was expected, as a phrase: "an amount", "a date".
    Invalid(&'static str),
    /// The amount has fractions of a cent.
    SubCent,
    /// The cell holds a spreadsheet error such as `#DIV/0!`.
    CellError(String),
}

/// An amount in cents from a number cell or text in Italian or English form.
pub fn amount(cell: &Data) -> Result<Cents, ValueError> {
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
        AmountError::NotANumber => ValueError::Invalid("an amount in euros"),
    })
}

/// A date from a date cell, a serial number (1900 system), ISO text,
/// `dd/mm/yyyy`, `dd-mm-yyyy` or `dd.mm.yyyy` (a time after the date is ignored).
pub fn date(cell: &Data) -> Result<NaiveDate, ValueError> {
    let invalid = ValueError::Invalid("a date (dd/mm/yyyy)");
    match cell {
        Data::Empty => Err(ValueError::Missing),
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()).ok_or(invalid),
        Data::Float(_) | Data::Int(_) => {
            let serial = match cell {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => unreachable!("matched above"),
            };
            if !(1.0..=2_958_465.0).contains(&serial) {
                return Err(invalid);
            }
            ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false)
                .as_datetime()
                .map(|d| d.date())
                .ok_or(invalid)
        }
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

/// Parses the date forms people type; `None` for anything else.
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
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
            Err(ValueError::Invalid("an amount in euros"))
        );
    }

    #[test]
    fn dates_come_from_serials_and_text() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(&Data::Float(46_356.0)), Ok(day));
        assert_eq!(date(&Data::String("30/11/2026".into())), Ok(day));
        assert_eq!(date(&Data::String("30.11.2026 14:30".into())), Ok(day));
        assert_eq!(date(&Data::String("2026-11-30".into())), Ok(day));
        assert_eq!(
            date(&Data::DateTimeIso("2026-11-30T00:00:00".into())),
            Ok(day)
        );
        assert!(matches!(
            date(&Data::String("31/02/2026".into())),
            Err(ValueError::Invalid(_))
        ));
    }
}
