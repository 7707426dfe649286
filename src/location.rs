//! Where a value came from: file, sheet, and cell in `A1` notation.
//!
//! Every issue and every error carries one, so that a person can open the file and
//! find the cell (`inputs/soci.xlsx:Soci!C14`).

use std::fmt;

/// A position in an input file. `row` and `col` are 0-based; `Display` shows them
/// the way a spreadsheet user reads them (`C14`). CSV files have no sheet and are
/// shown with their line number (`inputs/soci.csv:14`, column by header name elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub(crate) file: String,
    pub(crate) sheet: Option<String>,
    pub(crate) row: Option<u32>,
    pub(crate) col: Option<u32>,
}

impl Location {
    /// The whole file, with no particular cell.
    pub(crate) fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            sheet: None,
            row: None,
            col: None,
        }
    }

    /// A cell of a sheet (or of a CSV file when `sheet` is `None`).
    pub(crate) fn cell(file: &str, sheet: Option<&str>, row: u32, col: u32) -> Self {
        Location {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row: Some(row),
            col: Some(col),
        }
    }

    /// A whole row of a sheet.
    pub(crate) fn row(file: &str, sheet: Option<&str>, row: u32) -> Self {
        Location {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row: Some(row),
            col: None,
        }
    }

    /// The cell reference alone (`C14`, or `14:14` for a whole row, as Excel writes
    /// it), if any.
    pub(crate) fn cell_ref(&self) -> Option<String> {
        match (self.row, self.col) {
            (Some(r), Some(c)) => Some(format!("{}{}", column_letters(c, &mut [0; 7]), r + 1)),
            (Some(r), None) => Some(format!("{0}:{0}", r + 1)),
            _ => None,
        }
    }

    /// The 1-based row number a spreadsheet shows, if any.
    pub(crate) fn row_number(&self) -> Option<u32> {
        self.row.map(|r| r + 1)
    }
}

/// Written straight into the formatter: a large audit shows the source of
/// each of its rows in three outputs.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        let letters = &mut [0; 7];
        match (&self.sheet, self.row, self.col) {
            (Some(sheet), Some(r), Some(c)) => {
                write!(f, ":{sheet}!{}{}", column_letters(c, letters), r + 1)
            }
            (Some(sheet), Some(r), None) => write!(f, ":{sheet}!{0}:{0}", r + 1),
            (Some(sheet), None, _) => write!(f, ":{sheet}"),
            (None, Some(r), Some(c)) => write!(f, ":{}:{}", r + 1, column_letters(c, letters)),
            (None, Some(r), None) => write!(f, ":{}", r + 1),
            (None, None, _) => Ok(()),
        }
    }
}

/// Spreadsheet column letters for a 0-based column index: 0 → `A`, 27 → `AB`.
pub(crate) fn column_name(col: u32) -> String {
    column_letters(col, &mut [0; 7]).to_string()
}

/// The letters of column `col`, written into `buf` (seven letters reach past
/// the largest index).
fn column_letters(col: u32, buf: &mut [u8; 7]) -> &str {
    let mut n = u64::from(col) + 1;
    let mut at = buf.len();
    while n > 0 {
        at -= 1;
        buf[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    std::str::from_utf8(&buf[at..]).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_spreadsheet_letters() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(2), "C");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn a_cell_shows_file_sheet_and_a1_reference() {
        let loc = Location::cell("inputs/soci.xlsx", Some("Foglio1"), 13, 2);
        assert_eq!(loc.to_string(), "inputs/soci.xlsx:Foglio1!C14");
        let csv = Location::cell("inputs/soci.csv", None, 13, 2);
        assert_eq!(csv.to_string(), "inputs/soci.csv:14:C");
        assert_eq!(Location::file("a.xlsx").to_string(), "a.xlsx");
        let row = Location::row("inputs/soci.xlsx", Some("Foglio1"), 13);
        assert_eq!(row.to_string(), "inputs/soci.xlsx:Foglio1!14:14");
        assert_eq!(row.cell_ref().as_deref(), Some("14:14"));
        assert_eq!(
            Location::row("inputs/soci.csv", None, 13).to_string(),
            "inputs/soci.csv:14"
        );
        let sheet = Location {
            sheet: Some("Foglio1".into()),
            ..Location::file("inputs/soci.xlsx")
        };
        assert_eq!(sheet.to_string(), "inputs/soci.xlsx:Foglio1");
    }
}
