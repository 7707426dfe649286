//! Ingest: reads input files into raw tables that keep every cell's coordinates.
//!
//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) go through calamine, delimited text
//! (CSV, TSV) through the csv crate; both end up as a [`RawTable`]: a sparse
//! [`Grid`] of calamine [`Data`] cells at their absolute positions, the sheet's
//! merged regions, and (for CSV) how many fields each record had, so the later
//! stages see one kind of table. A file that cannot be opened at all is an
//! [`Error::UnreadableInput`] (exit code 3).

pub(crate) mod cfb;
pub(crate) mod delimited;
pub(crate) mod grid;
pub(crate) mod limits;
pub(crate) mod package;
pub(crate) mod spreadsheet;
pub(crate) mod xls_guard;
pub(crate) mod xlsx;

use crate::error::{Error, Result};
use crate::location::Location;
use calamine::Data;
pub(crate) use grid::{Grid, GridRow};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One sheet of a workbook, or a whole CSV file.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// The file as shown to the user.
    pub(crate) file: String,
    /// The sheet name; `None` for CSV.
    pub(crate) sheet: Option<String>,
    /// The non-empty cells, at absolute 0-based positions.
    pub(crate) grid: Grid,
    /// Merged regions of the sheet (calamine's for xlsx and xls, read from the
    /// package for xlsb and ods; CSV has none).
    pub(crate) merges: Vec<Merge>,
    /// Whether plain-number dates count from 1904 (Mac Excel) instead of 1900.
    pub(crate) date_1904: bool,
    /// CSV only: how many fields each record had, by row (its line − 1).
    pub(crate) field_counts: Option<BTreeMap<u32, u32>>,
}

/// A merged region, inclusive, at absolute 0-based positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    pub(crate) first_row: u32,
    pub(crate) first_col: u32,
    pub(crate) last_row: u32,
    pub(crate) last_col: u32,
}

impl Merge {
    /// Whether the region covers `(row, col)`.
    pub(crate) fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }
}

impl RawTable {
    /// The location of the cell at absolute `(row, col)`.
    pub(crate) fn location(&self, row: u32, col: u32) -> Location {
        Location::cell(&self.file, self.sheet.as_deref(), row, col)
    }

    /// The location of the whole absolute row `row`.
    pub(crate) fn row_location(&self, row: u32) -> Location {
        Location::row(&self.file, self.sheet.as_deref(), row)
    }

    /// The merged region that covers `(row, col)`, if any.
    pub(crate) fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.contains(row, col))
    }

    /// The cell at `(row, col)`, or, inside a merged region, the value of the
    /// region's top-left cell (the only one a spreadsheet keeps).
    pub(crate) fn merged_value(&self, row: u32, col: u32) -> Option<&Data> {
        self.grid.get(row, col).or_else(|| {
            self.merge_at(row, col)
                .and_then(|m| self.grid.get(m.first_row, m.first_col))
        })
    }

    /// How the sheet is named in messages: `'Sheet1'`, or the file for CSV.
    pub(crate) fn name(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet '{sheet}'"),
            None => "the file".to_string(),
        }
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
pub(crate) const EXTENSIONS: [&str; 7] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv"];

/// Whether `path` looks like an input file (by extension; Office lock files
/// `~$name.xlsx` and hidden files are not).
pub(crate) fn is_input_file(path: &Path) -> bool {
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
pub(crate) fn read_file(path: &Path, display: &str) -> Result<InputFile> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::unreadable(
            Location::file(display),
            format!("cannot read the file: {e}."),
        )
    })?;
    // The digest is worked out beside the reading, which a large workbook waits on.
    let (sha256, tables) = crate::threads::beside(
        || sha256_hex(&bytes),
        || read_tables(&bytes, is_delimited(path), display),
    );
    let tables = tables?;
    Ok(InputFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        sha256,
        tables,
    })
}

/// Whether `path` names a delimited text file (`.csv`, `.tsv`) rather than a workbook.
pub(crate) fn is_delimited(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("csv") | Some("tsv"))
}

/// Reads the tables of a file already in memory: delimited text when `delimited`,
/// otherwise a workbook of any format calamine knows (told apart by its bytes,
/// not its name). `display` is how the file is shown in messages.
///
/// # Errors
/// [`Error::UnreadableInput`] when the bytes are not what they should be.
pub fn read_tables(bytes: &[u8], delimited: bool, display: &str) -> Result<Vec<RawTable>> {
    if delimited {
        Ok(vec![delimited::read(bytes, display)?])
    } else {
        spreadsheet::read(bytes, display)
    }
}

/// Runs `f`, turning a panic inside it into `None` without printing it: a bug
/// of a reader on a damaged file must be an unreadable input, not a crash.
/// Panics of other threads are not printed either while `f` runs. Several files
/// are read at once: the panic hook is silenced when the first of them starts
/// and restored when the last ends.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    silence_panics(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    silence_panics(false);
    result.ok()
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// How many [`guarded`] calls are running, and the hook they replaced.
static SILENCED: std::sync::Mutex<(usize, Option<PanicHook>)> = std::sync::Mutex::new((0, None));

/// Counts a [`guarded`] call in (`true`) or out: the first in silences the
/// panic hook, the last out puts the one it replaced back.
fn silence_panics(entering: bool) {
    let mut silenced = SILENCED.lock().unwrap_or_else(|e| e.into_inner());
    let (running, replaced) = &mut *silenced;
    if entering {
        if *running == 0 {
            *replaced = Some(std::panic::take_hook());
            std::panic::set_hook(Box::new(|_| {}));
        }
        *running += 1;
    } else {
        *running -= 1;
        if *running == 0 {
            if let Some(hook) = replaced.take() {
                std::panic::set_hook(hook);
            }
        }
    }
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
    fn a_panicking_reader_is_an_error_not_a_crash() {
        assert_eq!(guarded(|| 2 + 2), Some(4));
        let out_of_bounds = || vec![1u8][std::hint::black_box(3)];
        assert_eq!(guarded(out_of_bounds), None);
    }

    #[test]
    fn guarded_reads_run_at_once() {
        // Each read waits inside `guarded` for the other to be inside too.
        let both_inside = std::sync::Barrier::new(2);
        let read = || {
            guarded(|| {
                both_inside.wait();
                vec![1u8][std::hint::black_box(3)]
            })
        };
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(read);
            let second = scope.spawn(read);
            (first.join().unwrap(), second.join().unwrap())
        });
        assert_eq!((first, second), (None, None));
        assert_eq!(guarded(|| 1), Some(1), "guarded still works after both");
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
