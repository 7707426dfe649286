//! The reporting period: a calendar month, read "as of its last day".

use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A month such as `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Period {
    pub(crate) year: i32,
    pub(crate) month: u32,
}

impl Period {
    /// The month that contains `date`.
    pub(crate) fn containing(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The current month by the machine's local clock.
    pub(crate) fn current() -> Period {
        Period::containing(chrono::Local::now().date_naive())
    }

    pub(crate) fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// The day the period is read "as of".
    pub(crate) fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("a day before the next month")
    }

    pub(crate) fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub(crate) fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month's number counted from year 0, so that months subtract.
    pub(crate) fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    /// The month of [`Period::index`] `index`.
    pub(crate) fn from_index(index: i32) -> Period {
        Period {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// The month `months` after this one (before it when negative).
    pub(crate) fn plus(self, months: i32) -> Period {
        Period::from_index(self.index() + months)
    }

    /// January 1st of the period's year, where year-to-date figures start.
    pub(crate) fn year_start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid year")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = crate::text::Text;

    fn from_str(text: &str) -> Result<Period, crate::text::Text> {
        let bad = || {
            crate::text::Text::new(
                format!(
                    "«{text}» non è un periodo: scrivere il mese come AAAA-MM, ad esempio 2026-11."
                ),
                format!(
                    "'{text}' is not a period: write the month as YYYY-MM, for example 2026-11."
                ),
            )
        };
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Period { year, month })
    }
}

/// Formats a date the Italian way: `30/11/2026`.
pub(crate) fn italian_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let november: Period = "2026-11".parse().unwrap();
        assert_eq!(november.plus(-11).to_string(), "2025-12");
        assert_eq!(november.plus(2).to_string(), "2027-01");
        assert_eq!(Period::from_index(november.index()), november);
    }

    #[test]
    fn a_period_ends_on_its_last_day() {
        let p: Period = "2026-11".parse().unwrap();
        assert_eq!(p.last_day(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let feb: Period = "2028-02".parse().unwrap();
        assert_eq!(feb.last_day().day(), 29);
        assert_eq!(
            "2026-12".parse::<Period>().unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            "2026-01".parse::<Period>().unwrap().previous().to_string(),
            "2025-12"
        );
    }

    #[test]
    fn malformed_periods_are_refused_with_an_example() {
        for bad in ["2026-13", "26-11", "2026/11", "2026-1", "novembre"] {
            let err = bad.parse::<Period>().unwrap_err();
            assert!(err.en().contains("YYYY-MM"), "{}", err.en());
            assert!(err.it().contains("AAAA-MM"), "{}", err.it());
        }
    }

    #[test]
    fn italian_dates_are_day_month_year() {
        assert_eq!(
            italian_date(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
            "30/11/2026"
        );
    }
}
