//! Finding the header of a table and mapping its columns onto canonical fields.
//!
//! The header is the row, among the first non-empty rows of a sheet, that names
//! the required fields of a kind (members, projects or partners), either through
//! `[source.columns]` of the config or through the usual Italian and English
//! header words. Title rows and blank rows above it are passed over. A header
//! may take two rows: a group title over several columns (often a merged cell,
//! "Investimento totale") and the column names below it; a column is then known
//! by its own name, or by both joined ("Investimento totale COSTO PUBBLICO")
//! when its own name is not enough to tell it from another.

use super::header_words::folded_header_names;
use crate::config::{Entry, SourceConfig};
use crate::fold::fold;
use crate::ingest::RawTable;
use crate::location::column_name;
use crate::schema::{Field, SourceKind};
use crate::suggestion::{closest, ending_with};
use std::collections::{BTreeMap, BTreeSet};

/// How many non-empty rows from the top of a sheet are looked at for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// How far right of the last value a merged header region is followed.
const MAX_HEADER_COLUMNS: u32 = 1_024;

/// A table's header and what each column means. Rows and columns are absolute.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) kind: SourceKind,
    /// The header's rows, ascending: one, or a group row and the names below it.
    pub(crate) header_rows: Vec<u32>,
    /// Canonical field → column.
    pub(crate) columns: BTreeMap<Field, u32>,
    /// Column → its header as shown in messages.
    pub(crate) headers: BTreeMap<u32, String>,
    /// Constants for fields the file lacks (`[source.defaults]`).
    pub(crate) defaults: BTreeMap<Field, String>,
    /// `[[source.rules]]`, resolved to columns.
    pub(crate) rules: Vec<ResolvedRule>,
    /// CSV only: how many fields the header record has.
    pub(crate) header_fields: Option<u32>,
}

impl Layout {
    /// Whether some column, rule or default gives `field` a value.
    pub(crate) fn provides(&self, field: Field) -> bool {
        self.columns.contains_key(&field)
            || self.defaults.contains_key(&field)
            || self.rules.iter().any(|r| r.set.contains_key(&field))
    }

    /// The first row below the header (the first row of all for a sheet without
    /// a header).
    pub(crate) fn data_start(&self) -> u32 {
        self.header_rows
            .last()
            .map_or(0, |row| row.saturating_add(1))
    }
}

/// A rule whose `when` columns are resolved to positions.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedRule {
    /// Column → the wanted value, folded ([`fold`]).
    pub(crate) when: Vec<(u32, String)>,
    pub(crate) set: BTreeMap<Field, String>,
}

/// Why a configured source does not fit a table: a sentence, and where in the
/// configuration the mistake is written (a byte offset) when it is one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappingProblem {
    pub(crate) offset: Option<usize>,
    pub(crate) message: String,
}

/// One column of a candidate header.
#[derive(Debug, Clone)]
struct HeaderCell {
    col: u32,
    /// The text in the header row (a merged cell counts for every column it covers).
    own: Option<String>,
    /// The group title in the row above, for a two-row header.
    above: Option<String>,
}

impl HeaderCell {
    /// Both rows joined, when they differ.
    fn combined(&self) -> Option<String> {
        match (&self.above, &self.own) {
            (Some(above), Some(own)) if fold(above) != fold(own) => Some(format!("{above} {own}")),
            _ => None,
        }
    }

    /// The header as a person reads it.
    fn shown(&self) -> String {
        match (&self.above, &self.own) {
            (Some(above), Some(own)) if fold(above) != fold(own) => format!("{above} / {own}"),
            (_, Some(own)) => own.clone(),
            (Some(above), None) => above.clone(),
            (None, None) => String::new(),
        }
    }

    /// Every name the column answers to: both rows joined, its own name, and the
    /// group title when the column has no name of its own.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.combined().into_iter().collect();
        names.extend(self.own.clone());
        if self.own.is_none() {
            names.extend(self.above.clone());
        }
        names
    }
}

/// A candidate header: its rows and its columns.
struct Candidate {
    rows: Vec<u32>,
    cells: Vec<HeaderCell>,
}

/// Finds the layout of `table`. With a `[[source]]`, its kind, header row and
/// column names are used; without, every kind is tried and the best fit wins.
/// `Ok(None)` when no row looks like a header.
///
/// # Errors
/// A [`MappingProblem`] when a configured source names a column that is not in
/// the header, a header row beyond the sheet, or leaves a required field unmapped.
pub(crate) fn detect(
    table: &RawTable,
    source: Option<&SourceConfig>,
) -> Result<Option<Layout>, MappingProblem> {
    if let Some(source) = source.filter(|s| s.header_row == Some(0)) {
        return headerless(source).map(Some);
    }
    let kinds: Vec<SourceKind> = match source {
        Some(s) => vec![s.kind],
        None => SourceKind::ALL.to_vec(),
    };
    let candidates: Vec<Candidate> = candidate_rows(table, source)?
        .into_iter()
        .map(|row| candidate(table, row))
        .collect();
    let mut best: Option<(usize, Layout)> = None;
    for kind in kinds {
        for candidate in &candidates {
            let Some(layout) = layout_for(table, kind, candidate, source)? else {
                continue;
            };
            let score = layout.columns.len();
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, layout));
            }
        }
    }
    if best.is_none() {
        if let Some(source) = source {
            return Err(explain_misfit(&candidates, source));
        }
    }
    Ok(best.map(|(_, layout)| layout))
}

/// The row that comes nearest to a header when none fits: the row, the kind it
/// would be read as, the fields its cells name and the required ones it lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NearestHeader {
    pub(crate) row: u32,
    pub(crate) kind: SourceKind,
    pub(crate) named: Vec<Field>,
    pub(crate) missing: Vec<Field>,
}

/// Among the rows searched for a header, the one whose cells name the most
/// fields of some kind; `None` when no row names any.
pub(crate) fn nearest_header(table: &RawTable) -> Option<NearestHeader> {
    let rows = candidate_rows(table, None).ok()?;
    let mut best: Option<NearestHeader> = None;
    for row in rows {
        let candidate = candidate(table, row);
        for kind in SourceKind::ALL {
            let mut columns = BTreeMap::new();
            map_by_header_words(kind, &candidate.cells, &mut columns);
            if columns.is_empty()
                || best
                    .as_ref()
                    .is_some_and(|b| b.named.len() >= columns.len())
            {
                continue;
            }
            let missing = kind
                .required_fields()
                .iter()
                .filter(|f| !columns.contains_key(f))
                .copied()
                .collect();
            best = Some(NearestHeader {
                row,
                kind,
                named: columns.into_keys().collect(),
                missing,
            });
        }
    }
    best
}

fn candidate_rows(
    table: &RawTable,
    source: Option<&SourceConfig>,
) -> Result<Vec<u32>, MappingProblem> {
    match source.and_then(|s| s.header_row) {
        Some(row) => {
            let absolute = row.saturating_sub(1);
            if table.grid.row(absolute).is_none() {
                let last = table
                    .grid
                    .rows()
                    .last()
                    .map(|r| u64::from(r.row) + 1)
                    .unwrap_or(0);
                return Err(MappingProblem {
                    offset: source.map(|s| s.span.start),
                    message: format!(
                        "header_row = {row}, but row {row} of {} is empty (its last row with values is {last}).",
                        table.name()
                    ),
                });
            }
            Ok(vec![absolute])
        }
        None => Ok(table
            .grid
            .rows()
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .map(|r| r.row)
            .collect()),
    }
}

/// The header cells of `row`, with the row above as group titles when it is one.
fn candidate(table: &RawTable, row: u32) -> Candidate {
    let mut cols = columns_in(table, row);
    let group = row
        .checked_sub(1)
        .filter(|above| is_group_row(table, *above));
    if let Some(above) = group {
        cols.extend(columns_in(table, above));
    }
    let text_at = |r: u32, c: u32| table.merged_value(r, c).and_then(super::values::text);
    let cells = cols
        .into_iter()
        .map(|col| HeaderCell {
            col,
            own: text_at(row, col),
            above: group.and_then(|g| group_title(table, g, col)),
        })
        .filter(|cell| cell.own.is_some() || cell.above.is_some())
        .collect();
    let rows = match group {
        Some(above) => vec![above, row],
        None => vec![row],
    };
    Candidate { rows, cells }
}

/// The group title over `col`: the group row's value there (a merged region
/// counts for every column it covers) or, when the cell is empty and not merged,
/// the nearest title to its left, since a title written once over several
/// columns is often not merged ("center across selection").
fn group_title(table: &RawTable, row: u32, col: u32) -> Option<String> {
    if let Some(value) = table.merged_value(row, col) {
        return super::values::text(value);
    }
    if table.merge_at(row, col).is_some() {
        return None;
    }
    table
        .grid
        .row(row)?
        .cells()
        .iter()
        .rev()
        .find(|(c, _)| *c < col)
        .and_then(|(_, v)| super::values::text(v))
}

/// The columns of `row` that hold a value or lie under a merged region holding one.
fn columns_in(table: &RawTable, row: u32) -> BTreeSet<u32> {
    let mut cols: BTreeSet<u32> = table
        .grid
        .row(row)
        .map(|r| r.cells().iter().map(|(c, _)| *c).collect())
        .unwrap_or_default();
    let limit = cols
        .last()
        .copied()
        .unwrap_or(0)
        .saturating_add(MAX_HEADER_COLUMNS);
    for merge in table.merges.iter().filter(|m| m.contains(row, m.first_col)) {
        cols.extend(merge.first_col..=merge.last_col.min(limit));
    }
    cols
}

/// A row directly above a header is a group row when it holds only text (or
/// whole numbers, such as years over their columns). Its titles then name the
/// columns below them, and name a column on their own where the header row has
/// nothing (a name merged down over both rows, as seen by formats that do not
/// keep merged regions).
fn is_group_row(table: &RawTable, row: u32) -> bool {
    let Some(cells) = table.grid.row(row) else {
        return false;
    };
    cells.cells().iter().all(|(_, v)| match v {
        calamine::Data::String(_) | calamine::Data::Int(_) => true,
        calamine::Data::Float(f) => f.fract() == 0.0,
        _ => false,
    })
}

/// Where a configured header text is among the header cells.
enum Found {
    At(u32),
    Missing,
    Ambiguous(Vec<String>),
}

fn find_column(cells: &[HeaderCell], wanted: &str) -> Found {
    let wanted = fold(wanted);
    if let Some(cell) = cells
        .iter()
        .find(|c| c.combined().is_some_and(|t| fold(&t) == wanted))
    {
        return Found::At(cell.col);
    }
    let own: Vec<&HeaderCell> = cells
        .iter()
        .filter(|c| c.own.as_deref().is_some_and(|t| fold(t) == wanted))
        .collect();
    match own.as_slice() {
        [one] => return Found::At(one.col),
        [] => {}
        many => {
            return Found::Ambiguous(
                many.iter()
                    .map(|c| format!("{} ('{}')", column_name(c.col), c.shown()))
                    .collect(),
            )
        }
    }
    match cells
        .iter()
        .find(|c| c.own.is_none() && c.above.as_deref().is_some_and(|t| fold(t) == wanted))
    {
        Some(cell) => Found::At(cell.col),
        None => Found::Missing,
    }
}

fn layout_for(
    table: &RawTable,
    kind: SourceKind,
    candidate: &Candidate,
    source: Option<&SourceConfig>,
) -> Result<Option<Layout>, MappingProblem> {
    let cells = &candidate.cells;
    let mut columns = BTreeMap::new();
    let mut defaults = BTreeMap::new();
    let mut rules = Vec::new();
    let mut configured_missing = false;
    let mut locate = |entry: &Entry, header: &str| {
        match find_column(cells, header) {
        Found::At(col) => Ok(Some(col)),
        Found::Missing => {
            configured_missing = true;
            Ok(None)
        }
        Found::Ambiguous(columns) => Err(MappingProblem {
            offset: Some(entry.span.start),
            message: format!(
                "'{header}' names several columns of {}: {}; write the whole header, group title first.",
                table.name(),
                columns.join(", ")
            ),
        }),
    }
    };
    if let Some(source) = source {
        for entry in &source.columns {
            let field = field_named(kind, entry)?;
            if let Some(col) = locate(entry, &entry.value)? {
                columns.insert(field, col);
            }
        }
        for entry in &source.defaults {
            defaults.insert(field_named(kind, entry)?, entry.value.clone());
        }
        for rule in &source.rules {
            let mut when = Vec::new();
            for entry in &rule.when {
                if let Some(col) = locate(entry, &entry.key)? {
                    when.push((col, fold(&entry.value)));
                }
            }
            let mut set = BTreeMap::new();
            for entry in &rule.set {
                set.insert(field_named(kind, entry)?, entry.value.clone());
            }
            rules.push(ResolvedRule { when, set });
        }
    }
    if configured_missing {
        return Ok(None);
    }
    map_by_header_words(kind, cells, &mut columns);
    let provided = |f: &Field| {
        columns.contains_key(f)
            || defaults.contains_key(f)
            || rules.iter().any(|r| r.set.contains_key(f))
    };
    if !kind.required_fields().iter().all(provided) {
        return Ok(None);
    }
    let header_fields = table
        .field_counts
        .as_ref()
        .and_then(|counts| counts.get(&candidate_row(candidate)).copied());
    Ok(Some(Layout {
        kind,
        header_rows: candidate.rows.clone(),
        columns,
        headers: cells.iter().map(|c| (c.col, c.shown())).collect(),
        defaults,
        rules,
        header_fields,
    }))
}

/// The layout of a sheet without a header (`header_row = 0`): columns are given
/// by their letters.
fn headerless(source: &SourceConfig) -> Result<Layout, MappingProblem> {
    let letter = |entry: &Entry, text: &str| {
        column_index(text).ok_or_else(|| MappingProblem {
            offset: Some(entry.span.start),
            message: format!(
                "'{text}' is not a column letter (A, B, …, AA, …); with header_row = 0 the sheet has no header and columns are named by their letters."
            ),
        })
    };
    let mut columns = BTreeMap::new();
    for entry in &source.columns {
        columns.insert(
            field_named(source.kind, entry)?,
            letter(entry, &entry.value)?,
        );
    }
    let mut defaults = BTreeMap::new();
    for entry in &source.defaults {
        defaults.insert(field_named(source.kind, entry)?, entry.value.clone());
    }
    let mut rules = Vec::new();
    for rule in &source.rules {
        let mut when = Vec::new();
        for entry in &rule.when {
            when.push((letter(entry, &entry.key)?, fold(&entry.value)));
        }
        let mut set = BTreeMap::new();
        for entry in &rule.set {
            set.insert(field_named(source.kind, entry)?, entry.value.clone());
        }
        rules.push(ResolvedRule { when, set });
    }
    let provided = |f: &Field| {
        columns.contains_key(f)
            || defaults.contains_key(f)
            || rules.iter().any(|r| r.set.contains_key(f))
    };
    if let Some(missing) = source.kind.required_fields().iter().find(|f| !provided(f)) {
        return Err(MappingProblem {
            offset: Some(source.span.start),
            message: format!(
                "the required field {} has no column, default or rule.",
                missing.key()
            ),
        });
    }
    let headers = columns.values().map(|c| (*c, column_name(*c))).collect();
    Ok(Layout {
        kind: source.kind,
        header_rows: Vec::new(),
        columns,
        headers,
        defaults,
        rules,
        header_fields: None,
    })
}

/// The 0-based index of a column written in letters (`A` → 0, `AB` → 27).
pub(crate) fn column_index(letters: &str) -> Option<u32> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let n = letters
        .to_ascii_uppercase()
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    (n <= 16_384).then(|| n - 1)
}

fn candidate_row(candidate: &Candidate) -> u32 {
    candidate.rows.last().copied().unwrap_or(0)
}

/// Maps the fields not configured through the usual header words: first by a
/// column's own name or both rows joined, then by a group title over a column
/// without a name of its own.
fn map_by_header_words(kind: SourceKind, cells: &[HeaderCell], columns: &mut BTreeMap<Field, u32>) {
    let folded: Vec<(u32, Vec<String>)> = cells
        .iter()
        .map(|cell| (cell.col, cell.names().iter().map(|n| fold(n)).collect()))
        .collect();
    for field in kind.fields() {
        if columns.contains_key(field) {
            continue;
        }
        let found = folded.iter().find(|(col, names)| {
            !columns.values().any(|c| c == col)
                && names.iter().any(|name| folded_header_names(name, *field))
        });
        if let Some((col, _)) = found {
            columns.insert(*field, *col);
        }
    }
}

fn field_named(kind: SourceKind, entry: &Entry) -> Result<Field, MappingProblem> {
    Field::from_key(kind, &entry.key).ok_or_else(|| {
        let names: Vec<&str> = kind.fields().iter().map(|f| f.key()).collect();
        let message = format!(
            "'{}' is not a field of {}; the fields are {}.",
            entry.key,
            kind.key(),
            names.join(", ")
        );
        MappingProblem {
            offset: Some(entry.span.start),
            message: ending_with(message, closest(&entry.key, names.iter().copied())),
        }
    })
}

/// Says which configured column is missing from the header, with the closest one.
fn explain_misfit(candidates: &[Candidate], source: &SourceConfig) -> MappingProblem {
    let headers: Vec<String> = candidates
        .iter()
        .flat_map(|c| c.cells.iter().flat_map(HeaderCell::names))
        .collect();
    let wanted = source.columns.iter().map(|e| (e, e.value.as_str())).chain(
        source
            .rules
            .iter()
            .flat_map(|r| r.when.iter().map(|e| (e, e.key.as_str()))),
    );
    for (entry, header) in wanted {
        if !headers.iter().any(|h| fold(h) == fold(header)) {
            return MappingProblem {
                offset: Some(entry.span.start),
                message: ending_with(
                    format!("there is no column '{header}' in the header."),
                    closest(header, headers.iter().map(String::as_str)),
                ),
            };
        }
    }
    let missing: Vec<&str> = source
        .kind
        .required_fields()
        .iter()
        .map(|f| f.key())
        .collect();
    MappingProblem {
        offset: Some(source.span.start),
        message: format!(
            "no header row names the required fields ({}); give them in [source.columns], [source.defaults] or a rule.",
            missing.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Grid, Merge};
    use calamine::{Cell, Data};

    fn table(rows: &[&[&str]]) -> RawTable {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                cells.push(Cell::new(
                    (r as u32, c as u32),
                    Data::String(value.to_string()),
                ));
            }
        }
        RawTable {
            file: "t.xlsx".into(),
            sheet: Some("S".into()),
            grid: Grid::from_cells(cells),
            merges: Vec::new(),
            date_1904: false,
            field_counts: None,
        }
    }

    #[test]
    fn the_header_is_found_below_a_title_block() {
        let t = table(&[
            &["Elenco soci al 30/11/2026", ""],
            &["", ""],
            &["Codice fiscale", "Denominazione", "Categoria", "Cluster"],
            &["01234567890", "Alfa S.r.l.", "PMI", "Mobilità"],
        ]);
        let layout = detect(&t, None).unwrap().unwrap();
        assert_eq!(layout.kind, SourceKind::Members);
        assert_eq!(layout.header_rows, vec![2]);
        assert_eq!(layout.columns[&Field::Category], 2);
    }

    #[test]
    fn projects_are_told_from_members() {
        let t = table(&[&[
            "CUP",
            "Titolo",
            "Cluster",
            "Bando",
            "Valore progetto",
            "Finanziamento",
        ]]);
        let layout = detect(&t, None).unwrap().unwrap();
        assert_eq!(layout.kind, SourceKind::Projects);
        assert_eq!(layout.columns[&Field::Financing], 5);
    }

    #[test]
    fn a_sheet_without_a_header_has_no_layout() {
        let t = table(&[&["Note", "varie"], &["1", "2"]]);
        assert!(detect(&t, None).unwrap().is_none());
    }

    #[test]
    fn a_two_row_header_over_merged_cells_is_read() {
        // A1:A2 "CUP" and B1:B2 "Cluster" merged down; C1:D1 "Importi" across.
        let mut t = table(&[
            &["CUP", "Cluster", "Importi", ""],
            &["", "", "Valore progetto", "Finanziamento"],
            &["P1", "Mobilità", "100", "50"],
        ]);
        t.merges = vec![
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: 0,
            },
            Merge {
                first_row: 0,
                first_col: 1,
                last_row: 1,
                last_col: 1,
            },
            Merge {
                first_row: 0,
                first_col: 2,
                last_row: 0,
                last_col: 3,
            },
        ];
        let layout = detect(&t, None).unwrap().unwrap();
        assert_eq!(layout.kind, SourceKind::Projects);
        assert_eq!(layout.header_rows, vec![0, 1]);
        assert_eq!(layout.data_start(), 2);
        assert_eq!(layout.columns[&Field::ProjectId], 0);
        assert_eq!(layout.columns[&Field::Cluster], 1);
        assert_eq!(layout.columns[&Field::ProjectValue], 2);
        assert_eq!(layout.columns[&Field::Financing], 3);
        assert_eq!(layout.headers[&3], "Importi / Finanziamento");
    }

    fn source(text: &str) -> SourceConfig {
        crate::config::Config::parse(text, "c.toml")
            .unwrap()
            .sources
            .remove(0)
    }

    #[test]
    fn a_configured_column_may_be_named_with_its_group_title() {
        let t = table(&[
            &["", "Costo", "", "Contributo", ""],
            &["Codice", "2024", "2025", "2024", "2025"],
            &["P1", "10", "20", "5", "6"],
        ]);
        let src = source(
            "[[source]]\npath = \"t.xlsx\"\nkind = \"projects\"\n[source.columns]\nproject_id = \"Codice\"\nproject_value = \"Costo 2025\"\nfinancing = \"Contributo 2024\"\n[source.defaults]\ncluster = \"X\"\n",
        );
        let layout = detect(&t, Some(&src)).unwrap().unwrap();
        assert_eq!(layout.columns[&Field::ProjectValue], 2);
        assert_eq!(layout.columns[&Field::Financing], 3);

        let ambiguous = source(
            "[[source]]\npath = \"t.xlsx\"\nkind = \"projects\"\n[source.columns]\nproject_id = \"Codice\"\nproject_value = \"2025\"\nfinancing = \"Contributo 2024\"\n[source.defaults]\ncluster = \"X\"\n",
        );
        let problem = detect(&t, Some(&ambiguous)).unwrap_err();
        assert!(
            problem.message.contains("names several columns"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn column_letters_are_read() {
        assert_eq!(column_index("A"), Some(0));
        assert_eq!(column_index("ab"), Some(27));
        assert_eq!(column_index("XFD"), Some(16_383));
        assert_eq!(column_index("XFE"), None);
        assert_eq!(column_index("A1"), None);
    }

    #[test]
    fn a_sheet_without_a_header_is_read_by_column_letters() {
        let t = table(&[&["2021-01-01", "15"], &["2021-01-02", "16"]]);
        let src = source(
            "[[source]]\npath = \"t.xlsx\"\nkind = \"members\"\nheader_row = 0\n[source.columns]\nmember_id = \"B\"\njoined_on = \"A\"\n[source.defaults]\ncategory = \"sme\"\ncluster = \"X\"\n",
        );
        let layout = detect(&t, Some(&src)).unwrap().unwrap();
        assert_eq!(layout.data_start(), 0);
        assert_eq!(layout.columns[&Field::MemberId], 1);
        let bad = source(
            "[[source]]\npath = \"t.xlsx\"\nkind = \"members\"\nheader_row = 0\n[source.columns]\nmember_id = \"Codice\"\n[source.defaults]\ncategory = \"sme\"\ncluster = \"X\"\n",
        );
        let problem = detect(&t, Some(&bad)).unwrap_err();
        assert!(problem
            .message
            .starts_with("'Codice' is not a column letter"));
    }

    #[test]
    fn a_configured_column_not_in_the_header_is_named_with_the_closest() {
        let t = table(&[
            &["organisationID", "country", "activityType"],
            &["1", "FR", "PRC"],
        ]);
        let src = source(
            "[[source]]\npath = \"t.xlsx\"\nkind = \"members\"\n[source.columns]\nmember_id = \"organizationID\"\ncluster = \"country\"\n[source.defaults]\ncategory = \"other\"\n",
        );
        let problem = detect(&t, Some(&src)).unwrap_err();
        assert_eq!(
            problem.message,
            "there is no column 'organizationID' in the header. Did you mean 'organisationID'?"
        );
        assert!(problem.offset.is_some());
    }
}
