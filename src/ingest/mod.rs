//! Ingest: reads input files into raw tables that keep every cell's coordinates.
//!
//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) go through calamine, delimited text
//! (CSV, TSV) through the csv parser; both end up as a [`RawTable`]: a sparse
//! [`Grid`] of calamine [`Data`] cells at their absolute positions, the sheet's
//! merged regions, and (for CSV) how many fields each record had, so the later
//! stages see one kind of table.
//!
//! A file is read as what its bytes are, whatever its name says: a zip package
//! or a compound file is a workbook (a `.csv` that is one is read as one, with a
//! warning), anything else named `.csv` or `.tsv` is text. A password-protected
//! workbook ([`encrypted`]), bytes that are neither a workbook nor text, and a
//! file that cannot be opened at all are an [`Error::UnreadableInput`] (exit code
//! 3 under `--strict`). What reading a file notices without refusing it comes
//! back as [`Issue`]s beside its tables.

pub(crate) mod cfb;
pub(crate) mod delimited;
pub mod differential;
pub(crate) mod encrypted;
pub(crate) mod grid;
pub(crate) mod limits;
pub(crate) mod package;
pub(crate) mod spreadsheet;
pub(crate) mod xls_guard;
pub(crate) mod xlsx;

use crate::error::{Error, Result};
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::text::Text;
use calamine::Data;
pub(crate) use grid::{Grid, GridRow};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write;
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

    /// Where a reader finds absolute row `row`: in a sheet, its first cell that
    /// holds something (column A when none does), `inputs/soci.xlsx:Soci!A14`;
    /// in a CSV file, its line, `inputs/soci.csv:14`.
    pub(crate) fn row_location(&self, row: u32) -> Location {
        self.row_cell(row, self.grid.row(row))
    }

    /// [`RawTable::row_location`] of row `row`, whose cells are `cells`.
    pub(crate) fn row_cell(&self, row: u32, cells: Option<&GridRow>) -> Location {
        if self.sheet.is_none() {
            return Location::row(&self.file, None, row);
        }
        let first = cells.and_then(|cells| cells.cells().first());
        self.location(row, first.map_or(0, |(col, _)| *col))
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
    let name = path.file_name().unwrap_or_default().to_string_lossy();
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

/// How a file name is shown in messages and outputs: its text, with `\` written
/// `\\`, and each byte that is not part of valid UTF-8 (a Unix name may hold
/// any) or is an ASCII control character written `\xNN`. Two names are never
/// shown alike, and a name that needs none of this is shown as it is.
pub(crate) fn shown_name(name: &OsStr) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name);
    // Elsewhere a name is Unicode but for unpaired surrogates, shown as U+FFFD.
    #[cfg(not(unix))]
    let lossy = name.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut shown = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\\' => shown.push_str("\\\\"),
                ch if ch.is_ascii_control() => {
                    let _ = write!(shown, "\\x{:02x}", u32::from(ch));
                }
                ch => shown.push(ch),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(shown, "\\x{byte:02x}");
        }
    }
    shown
}

/// Reads every table of one input file, and the issues found reading it.
/// `display` is how the path is shown in messages.
///
/// # Errors
/// [`Error::UnreadableInput`] when the file cannot be read, is encrypted, or is
/// neither a workbook nor text.
pub(crate) fn read_file(path: &Path, display: &str) -> Result<(InputFile, Vec<Issue>)> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::unreadable(
            Location::file(display),
            format!("cannot read the file: {e}."),
        )
    })?;
    let named_delimited = is_delimited(path).then(|| extension(path)).flatten();
    // The digest is worked out beside the reading, which a large workbook waits on.
    let (sha256, read) = crate::threads::beside(
        || sha256_hex(&bytes),
        || read_content(&bytes, named_delimited.as_deref(), display),
    );
    let Read { tables, issues } = read?;
    let file = InputFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        sha256,
        tables,
    };
    Ok((file, issues))
}

/// Whether `path` names a delimited text file (`.csv`, `.tsv`) rather than a workbook.
pub(crate) fn is_delimited(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("csv") | Some("tsv"))
}

/// Reads the tables of a file already in memory: a workbook of any format
/// calamine knows (told apart by its bytes) unless `delimited` and the bytes are
/// not a workbook's, then delimited text. `display` is how the file is shown in
/// messages. What reading notices besides (a `.csv` that is a workbook, lines in
/// another encoding) is left out here.
///
/// # Errors
/// [`Error::UnreadableInput`] when the bytes are not what they should be.
pub fn read_tables(bytes: &[u8], delimited: bool, display: &str) -> Result<Vec<RawTable>> {
    let named = delimited.then_some("csv");
    read_content(bytes, named, display).map(|read| read.tables)
}

/// The tables of a file and what reading it noticed.
#[derive(Debug)]
struct Read {
    tables: Vec<RawTable>,
    issues: Vec<Issue>,
}

/// What the bytes of a workbook start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A zip package: xlsx, xlsm, xlsb, ods.
    Zip,
    /// A compound file: xls, or an encrypted xlsx, xlsm or xlsb.
    Compound,
}

impl Container {
    fn of(bytes: &[u8]) -> Option<Container> {
        if bytes.starts_with(b"PK\x03\x04") {
            Some(Container::Zip)
        } else if bytes.starts_with(cfb::SIGNATURE) {
            Some(Container::Compound)
        } else {
            None
        }
    }

    fn described(self) -> &'static str {
        self.described_in(crate::labels::Lang::En)
    }

    /// What the container is, in `lang`.
    fn described_in(self, lang: crate::labels::Lang) -> &'static str {
        use crate::labels::Lang;
        match (self, lang) {
            (Container::Zip, Lang::En) => {
                "a zip package, as xlsx, xlsm, xlsb and ods workbooks are"
            }
            (Container::Compound, Lang::En) => "a compound file, as xls workbooks are",
            (Container::Zip, Lang::It) => {
                "un pacchetto zip, come le cartelle di lavoro xlsx, xlsm, xlsb e ods"
            }
            (Container::Compound, Lang::It) => "un file composito, come le cartelle di lavoro xls",
        }
    }
}

/// Reads `bytes` as a workbook when they are one or the name is not delimited
/// text's (`named_delimited`: the extension, `csv` or `tsv`), otherwise as text.
fn read_content(bytes: &[u8], named_delimited: Option<&str>, display: &str) -> Result<Read> {
    let container = Container::of(bytes);
    if container.is_some() {
        encrypted::check(bytes, display)?;
    }
    match (named_delimited, container) {
        (None, _) => Ok(Read {
            tables: spreadsheet::read(bytes, display)?,
            issues: Vec::new(),
        }),
        (Some(_), None) => {
            let (table, issues) = delimited::read(bytes, display)?;
            Ok(Read {
                tables: vec![table],
                issues,
            })
        }
        (Some(extension), Some(container)) => {
            let what = container.described();
            let tables = spreadsheet::read(bytes, display).map_err(|e| match e {
                Error::UnreadableInput { location, message } => Error::unreadable(
                    location,
                    format!("the file is named .{extension} but is not text ({what}); {message}"),
                ),
                other => other,
            })?;
            let what_it = container.described_in(crate::labels::Lang::It);
            let warning = Issue::warning(
                Location::file(display),
                IssueKind::MisnamedWorkbook,
                Text::new(
                    format!("Il file ha l'estensione .{extension} ma è una cartella di lavoro ({what_it}): è letto come tale. Dare al file l'estensione del suo formato."),
                    format!("The file is named .{extension} but is a workbook ({what}): it is read as a workbook. Give it the extension of its format."),
                ),
            );
            Ok(Read {
                tables,
                issues: vec![warning],
            })
        }
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
    fn a_row_is_found_at_its_first_cell_or_at_its_line() {
        let mut grid = grid::GridBuilder::default();
        grid.push(131, 2, Data::String("E42F20000010009".into()));
        grid.push(131, 5, Data::Float(158_500.0));
        let sheet = RawTable {
            file: "inputs/progetti.xlsx".into(),
            sheet: Some("Progetti".into()),
            grid: grid.finish(),
            merges: Vec::new(),
            date_1904: false,
            field_counts: None,
        };
        assert_eq!(
            sheet.row_location(131).to_string(),
            "inputs/progetti.xlsx:Progetti!C132"
        );
        assert_eq!(
            sheet.row_location(7).to_string(),
            "inputs/progetti.xlsx:Progetti!A8",
            "an empty row, at column A"
        );
        let csv = RawTable {
            file: "inputs/progetti.csv".into(),
            sheet: None,
            ..sheet
        };
        assert_eq!(csv.row_location(131).to_string(), "inputs/progetti.csv:132");
    }

    #[test]
    fn lock_files_and_other_extensions_are_not_inputs() {
        assert!(is_input_file(Path::new("inputs/soci.xlsx")));
        assert!(is_input_file(Path::new("inputs/SOCI.CSV")));
        assert!(!is_input_file(Path::new("inputs/~$soci.xlsx")));
        assert!(!is_input_file(Path::new("inputs/consolida.toml")));
        assert!(!is_input_file(Path::new("inputs/.hidden.csv")));
    }

    #[test]
    fn names_are_shown_so_that_no_two_look_alike() {
        assert_eq!(
            shown_name(OsStr::new("soci 2026 – Mobilità.csv")),
            "soci 2026 – Mobilità.csv"
        );
        assert_eq!(shown_name(OsStr::new("a\\b\tc.csv")), "a\\\\b\\x09c.csv");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let shown = |bytes: &[u8]| shown_name(OsStr::from_bytes(bytes));
            assert_eq!(shown(b"Citt\xe0.csv"), "Citt\\xe0.csv");
            assert_eq!(shown(b"Citt\xe8.csv"), "Citt\\xe8.csv");
            // A name written as an escape is not shown as the byte it spells.
            assert_ne!(shown(b"Citt\\xe0.csv"), shown(b"Citt\xe0.csv"));
            assert!(is_input_file(Path::new(OsStr::from_bytes(
                b"in/Citt\xe0.csv"
            ))));
            assert!(!is_input_file(Path::new(OsStr::from_bytes(
                b"in/~$Citt\xe0.xlsx"
            ))));
        }
    }

    #[test]
    fn a_workbook_named_csv_is_read_as_a_workbook_with_a_warning() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet().set_name("Soci").unwrap();
        sheet.write(0, 0, "Codice fiscale").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let read = read_content(&bytes, Some("csv"), "in/soci.csv").unwrap();
        assert_eq!(read.tables[0].sheet.as_deref(), Some("Soci"));
        assert_eq!(
            read.issues[0].line(crate::labels::Lang::En),
            "in/soci.csv: warning: The file is named .csv but is a workbook (a zip package, as xlsx, xlsm, xlsb and ods workbooks are): it is read as a workbook. Give it the extension of its format."
        );
        let error = read_content(b"PK\x03\x04 cut short", Some("csv"), "in/soci.csv").unwrap_err();
        assert!(
            error.to_string().starts_with("in/soci.csv: the file is named .csv but is not text (a zip package, as xlsx, xlsm, xlsb and ods workbooks are); cannot open the workbook: "),
            "{error}"
        );
        // Text is text whatever it is named; bytes that are neither are refused.
        assert!(read_content(b"a;b\n", Some("tsv"), "in/a.tsv").is_ok());
        assert!(read_content(b"\x00\x01\x02\x00\x00", Some("csv"), "in/a.csv").is_err());
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
