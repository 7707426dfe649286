//! Ingest: reads input files into raw tables that keep every cell's coordinates.
//!
//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) go through calamine, delimited text
//! (CSV, TSV) through the csv crate; both end up as a [`RawTable`] of calamine
//! [`Data`] cells, so the later stages see one kind of table. A file that cannot be
//! opened at all is an [`Error::UnreadableInput`] (exit code 3).

pub mod delimited;
pub mod spreadsheet;

use crate::error::{Error, Result};
use crate::location::Location;
use calamine::{Data, Range};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One sheet of a workbook, or a whole CSV file.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// The file as shown to the user.
    pub file: String,
    /// The sheet name; `None` for CSV.
    pub sheet: Option<String>,
    /// The cells; `range.start()` gives the absolute position of the first one.
    pub range: Range<Data>,
}

impl RawTable {
    /// The absolute (row, column) of the range's top-left cell.
    pub fn origin(&self) -> (u32, u32) {
        self.range.start().unwrap_or((0, 0))
    }

    /// The location of a cell given by its position relative to the range.
    pub fn location(&self, row: usize, col: usize) -> Location {
        let (r0, c0) = self.origin();
        Location::cell(
            &self.file,
            self.sheet.as_deref(),
            r0 + row as u32,
            c0 + col as u32,
        )
    }

    /// The location of a whole row relative to the range.
    pub fn row_location(&self, row: usize) -> Location {
        let (r0, _) = self.origin();
        Location::row(&self.file, self.sheet.as_deref(), r0 + row as u32)
    }
}

/// An input file, read: its tables and the SHA-256 of its bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub display: String,
    pub sha256: String,
    pub tables: Vec<RawTable>,
}

/// The file extensions consolida reads.
pub const EXTENSIONS: [&str; 7] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv"];

/// Whether `path` looks like an input file (by extension; Office lock files
/// `~$name.xlsx` and hidden files are not).
pub fn is_input_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    extension(path).is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads every table of one input file. `display` is how the path is shown in
/// messages.
///
/// # Errors
/// [`Error::UnreadableInput`] when the file cannot be read or is not a spreadsheet
/// or text file of the kind its extension says.
pub fn read_file(path: &Path, display: &str) -> Result<InputFile> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::unreadable(
            Location::file(display),
            format!("cannot read the file: {e}."),
        )
    })?;
    let sha256 = sha256_hex(&bytes);
    let tables = match extension(path).as_deref() {
        Some("csv") | Some("tsv") => vec![delimited::read(&bytes, display)?],
        _ => spreadsheet::read(bytes, display)?,
    };
    Ok(InputFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        sha256,
        tables,
    })
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_and_other_extensions_are_not_inputs() {
        assert!(is_input_file(Path::new("inputs/soci.xlsx")));
        assert!(is_input_file(Path::new("inputs/SOCI.CSV")));
        assert!(!is_input_file(Path::new("inputs/~$soci.xlsx")));
        assert!(!is_input_file(Path::new("inputs/consolida.toml")));
        assert!(!is_input_file(Path::new("inputs/.hidden.csv")));
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
