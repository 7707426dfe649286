//! The two xlsx readers side by side: consolida's own ([`super::xlsx`]) and
//! calamine's route ([`super::spreadsheet::read_with_calamine`]), on the same
//! bytes, sheet by sheet and cell by cell. The own reader must give exactly
//! calamine's cells (value, type, position), merged regions and date system,
//! or hand the workbook to calamine, or refuse it where calamine refuses it
//! too; reading what calamine refuses as damaged is the one thing it must
//! never do: figures would come from a file the reader had to guess at.
//!
//! The unit tests, the corpus comparison (`examples/compare_xlsx_readers.rs`,
//! run by `scripts/compare_xlsx_corpus.sh`) and the differential fuzz target
//! (`fuzz/fuzz_targets/xlsx_readers.rs`) all judge through [`compare`];
//! [`mutate`] damages the parts of a workbook for the last two.

pub mod mutate;

use super::grid::Grid;
use super::spreadsheet::read_with_calamine;
use super::Merge;
use crate::location::column_name;
use calamine::Data;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// How many differences of one workbook are written out; the rest are counted.
const SHOWN_DIFFERENCES: usize = 20;

/// What the two readers made of one workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Both read it, to the same sheets, cells and merged regions.
    Same,
    /// Both refuse it.
    BothRefuse,
    /// The own reader hands it to calamine: a run reads what calamine reads,
    /// or refuses what calamine refuses (`true` here).
    HandedToCalamine { calamine_refuses: bool },
    /// Both read it, differently: the differences, as sentences (the first
    /// [`SHOWN_DIFFERENCES`], then how many more).
    Different(Vec<String>),
    /// The own reader reads what calamine refuses: calamine's reason.
    ReadsWhatCalamineRefuses(String),
    /// The own reader refuses what calamine reads: its reason.
    RefusesWhatCalamineReads(String),
    /// The own reader panicked (a run then hands the file to calamine, but a
    /// panic is a bug all the same).
    Panicked,
}

/// The verdict on one workbook, and how much was compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub verdict: Verdict,
    /// The sheets, non-empty cells and merged regions calamine read (none
    /// when it refuses the workbook).
    pub sheets: usize,
    pub cells: usize,
    pub merges: usize,
}

impl Comparison {
    /// Whether the own reader did what it must: the same cells as calamine,
    /// the workbook handed to calamine, or refused by both.
    pub fn agrees(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Same | Verdict::BothRefuse | Verdict::HandedToCalamine { .. }
        )
    }
}

/// One sheet as a reader gives it.
struct SheetRead {
    name: String,
    grid: Grid,
    merges: Vec<Merge>,
    date_1904: bool,
}

/// What the own reader made of a workbook.
enum Own {
    Read(Vec<SheetRead>),
    Refused(String),
    Handed,
    Panicked,
}

/// Reads `bytes` with both readers and compares what they give.
pub fn compare(bytes: &[u8]) -> Comparison {
    let own = match super::guarded(|| super::xlsx::read(bytes)) {
        Some(Ok(Some(workbook))) => Own::Read(
            workbook
                .sheets
                .into_iter()
                .map(|sheet| SheetRead {
                    name: sheet.name,
                    grid: sheet.grid,
                    merges: sheet.merges,
                    date_1904: workbook.date_1904,
                })
                .collect(),
        ),
        Some(Ok(None)) => Own::Handed,
        Some(Err(refusal)) => Own::Refused(refusal.message),
        None => Own::Panicked,
    };
    let theirs = read_with_calamine(bytes, "the workbook").map(|tables| {
        let tables = tables.into_iter();
        tables
            .map(|table| SheetRead {
                name: table.sheet.unwrap_or_default(),
                grid: table.grid,
                merges: table.merges,
                date_1904: table.date_1904,
            })
            .collect::<Vec<_>>()
    });
    let (sheets, cells, merges) = match &theirs {
        Ok(sheets) => (
            sheets.len(),
            sheets.iter().map(|s| s.grid.cell_count()).sum(),
            sheets.iter().map(|s| s.merges.len()).sum(),
        ),
        Err(_) => (0, 0, 0),
    };
    let verdict = match (own, theirs) {
        (Own::Panicked, _) => Verdict::Panicked,
        (Own::Handed, theirs) => Verdict::HandedToCalamine {
            calamine_refuses: theirs.is_err(),
        },
        (Own::Refused(_), Err(_)) => Verdict::BothRefuse,
        (Own::Refused(reason), Ok(_)) => Verdict::RefusesWhatCalamineReads(reason),
        (Own::Read(_), Err(error)) => Verdict::ReadsWhatCalamineRefuses(error.to_string()),
        (Own::Read(ours), Ok(theirs)) => {
            let differences = differences(&ours, &theirs);
            if differences.is_empty() {
                Verdict::Same
            } else {
                Verdict::Different(differences)
            }
        }
    };
    Comparison {
        verdict,
        sheets,
        cells,
        merges,
    }
}

/// Every difference between the sheets of the own reader and calamine's, as
/// sentences, at most [`SHOWN_DIFFERENCES`] of them and then how many more.
fn differences(ours: &[SheetRead], theirs: &[SheetRead]) -> Vec<String> {
    let mut found = Vec::new();
    let names = |sheets: &[SheetRead]| sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    if names(ours) != names(theirs) {
        found.push(format!(
            "the own reader gives the sheets {:?}, calamine {:?}",
            names(ours),
            names(theirs)
        ));
    }
    for (own, calamine) in ours.iter().zip(theirs) {
        if own.name != calamine.name {
            continue;
        }
        let sheet = &own.name;
        if own.date_1904 != calamine.date_1904 {
            found.push(format!(
                "sheet '{sheet}': the own reader counts dates from {}, calamine from {}",
                epoch(own.date_1904),
                epoch(calamine.date_1904)
            ));
        }
        if own.merges != calamine.merges {
            found.push(format!(
                "sheet '{sheet}': the own reader gives the merged regions {:?}, calamine {:?}",
                own.merges, calamine.merges
            ));
        }
        for (row, col, mine, other) in cell_differences(&own.grid, &calamine.grid) {
            let mut sentence = format!("sheet '{sheet}' {}{}: ", column_name(col), row + 1);
            let _ = match (mine, other) {
                (Some(mine), Some(other)) => {
                    write!(
                        sentence,
                        "the own reader gives {mine:?}, calamine {other:?}"
                    )
                }
                (Some(mine), None) => write!(sentence, "only the own reader gives {mine:?}"),
                (None, Some(other)) => write!(sentence, "only calamine gives {other:?}"),
                (None, None) => Ok(()),
            };
            found.push(sentence);
        }
    }
    if found.len() > SHOWN_DIFFERENCES {
        let more = found.len() - SHOWN_DIFFERENCES;
        found.truncate(SHOWN_DIFFERENCES);
        found.push(format!("and {more} more differences"));
    }
    found
}

fn epoch(date_1904: bool) -> u16 {
    if date_1904 {
        1904
    } else {
        1900
    }
}

/// Every `.xlsx` and `.xlsm` file under `folder`, in its subfolders too
/// (links are not followed), sorted.
pub fn workbooks_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            let extension = path.extension().and_then(|e| e.to_str());
            let extension = extension.map(str::to_ascii_lowercase);
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() && matches!(extension.as_deref(), Some("xlsx" | "xlsm")) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The cells where two grids differ: (row, column, the first's, the second's).
fn cell_differences<'a>(
    first: &'a Grid,
    second: &'a Grid,
) -> Vec<(u32, u32, Option<&'a Data>, Option<&'a Data>)> {
    let cells = |grid: &'a Grid| {
        grid.rows()
            .iter()
            .flat_map(|row| row.cells().iter().map(move |(col, v)| ((row.row, *col), v)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (mut first, second) = (cells(first), cells(second));
    let mut found = Vec::new();
    for (at, other) in second {
        match first.remove(&at) {
            Some(mine) if mine == other => {}
            mine => found.push((at.0, at.1, mine, Some(other))),
        }
    }
    found.extend(
        first
            .into_iter()
            .map(|(at, mine)| (at.0, at.1, Some(mine), None)),
    );
    found.sort_by_key(|(row, col, _, _)| (*row, *col));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package of one sheet `S` whose part is `sheet`, with shared strings.
    fn workbook(sheet: &str, strings: &str) -> Vec<u8> {
        mutate::package_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            (
                "_rels/.rels",
                br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                br#"<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ("xl/sharedStrings.xml", strings.as_bytes()),
        ])
    }

    const STRINGS: &str = "<sst><si><t>Polo</t></si></sst>";

    #[test]
    fn the_same_cells_are_the_same() {
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;
        let comparison = compare(&workbook(sheet, STRINGS));
        assert_eq!(comparison.verdict, Verdict::Same);
        assert_eq!(
            (comparison.sheets, comparison.cells, comparison.merges),
            (1, 2, 1)
        );
        assert!(comparison.agrees());
    }

    #[test]
    fn a_shape_left_to_calamine_is_handed_over() {
        let sheet = r#"<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let comparison = compare(&workbook(sheet, STRINGS));
        assert_eq!(
            comparison.verdict,
            Verdict::HandedToCalamine {
                calamine_refuses: false
            }
        );
        assert!(comparison.agrees());
        assert_eq!(
            compare(b"not a workbook").verdict,
            Verdict::HandedToCalamine {
                calamine_refuses: true
            }
        );
    }

    /// The committed subset of the corpus (tests/fixtures/xlsx_corpus).
    fn corpus() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        workbooks_under(&root.join("tests/fixtures/xlsx_corpus"))
    }

    #[test]
    fn workbooks_of_other_projects_read_as_calamine_reads_them() {
        let files = corpus();
        assert!(files.len() > 250, "{} files", files.len());
        let (mut same, mut cells) = (0, 0);
        for file in &files {
            let comparison = compare(&std::fs::read(file).unwrap());
            assert!(comparison.agrees(), "{}: {comparison:?}", file.display());
            if comparison.verdict == Verdict::Same {
                same += 1;
                cells += comparison.cells;
            }
        }
        // Most are read by the own reader: the comparison is of cells, not
        // of workbooks handed over.
        assert!(same > 230, "{same} read alike");
        assert!(cells > 20_000, "{cells} cells read alike");
    }

    #[test]
    fn damaged_copies_are_never_read_where_calamine_refuses_them() {
        let mut random = mutate::Random::seeded(21);
        let mut handed_and_refused = 0;
        for file in corpus() {
            let bytes = std::fs::read(&file).unwrap();
            for _ in 0..2 {
                let Some(mutation) = random.mutation(&bytes) else {
                    break;
                };
                let Some(damaged) = mutate::mutate(&bytes, &mutation) else {
                    continue;
                };
                let comparison = compare(&damaged);
                assert!(
                    comparison.agrees(),
                    "{}, {mutation}: {comparison:?}",
                    file.display()
                );
                if comparison.verdict
                    == (Verdict::HandedToCalamine {
                        calamine_refuses: true,
                    })
                {
                    handed_and_refused += 1;
                }
            }
        }
        assert!(handed_and_refused > 100, "{handed_and_refused}");
    }

    #[test]
    fn every_damage_in_every_part_is_refused_or_read_alike() {
        let mut writer = rust_xlsxwriter::Workbook::new();
        let sheet = writer.add_worksheet().set_name("Soci").unwrap();
        sheet.write(0, 0, "Codice fiscale").unwrap();
        sheet.write(0, 1, "Quota").unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        for row in 1..6 {
            sheet.write(row, 0, format!("0{row}")).unwrap();
            sheet
                .write_number_with_format(row, 1, 45_000.0 + f64::from(row), &date)
                .unwrap();
        }
        sheet
            .merge_range(7, 0, 7, 1, "Totale", &rust_xlsxwriter::Format::new())
            .unwrap();
        let bytes = writer.save_to_buffer().unwrap();
        for part in mutate::damageable_parts(&bytes) {
            for damage in mutate::DAMAGES {
                // Forty sites spread over the part, for each damage.
                for site in (0..40).map(|i| i * 7919) {
                    let mutation = mutate::Mutation {
                        part: part.clone(),
                        damage,
                        site,
                        byte: 0x87,
                    };
                    let Some(damaged) = mutate::mutate(&bytes, &mutation) else {
                        continue;
                    };
                    let comparison = compare(&damaged);
                    assert!(comparison.agrees(), "{mutation}: {comparison:?}");
                }
            }
        }
    }

    #[test]
    fn cells_that_differ_are_named() {
        let ours = [SheetRead {
            name: "S".into(),
            grid: Grid::from_cells([
                calamine::Cell::new((0, 0), Data::Float(1.0)),
                calamine::Cell::new((1, 27), Data::String("a".into())),
            ]),
            merges: vec![],
            date_1904: false,
        }];
        let theirs = [SheetRead {
            name: "S".into(),
            grid: Grid::from_cells([
                calamine::Cell::new((0, 0), Data::String("1".into())),
                calamine::Cell::new((2, 0), Data::Bool(true)),
            ]),
            merges: vec![],
            date_1904: true,
        }];
        assert_eq!(
            differences(&ours, &theirs),
            vec![
                "sheet 'S': the own reader counts dates from 1900, calamine from 1904",
                "sheet 'S' A1: the own reader gives Float(1.0), calamine String(\"1\")",
                "sheet 'S' AB2: only the own reader gives String(\"a\")",
                "sheet 'S' A3: only calamine gives Bool(true)",
            ]
        );
    }
}
