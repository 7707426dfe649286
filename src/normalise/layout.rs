//! Finding the header of a table and mapping its columns onto canonical fields.
//!
//! The header is the row, among the first rows of a sheet, that names the required
//! fields of a kind (members or projects), either through `[source.columns]` of the
//! config or through the usual Italian and English header words.

use super::fields::{of_kind, required, Field};
use crate::category::fold;
use crate::config::{SourceConfig, SourceKind};
use crate::ingest::RawTable;
use crate::issues::closest;
use std::collections::BTreeMap;

/// How far down a sheet the header is looked for.
const HEADER_SEARCH_ROWS: usize = 30;

/// A table's header and what each column means.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: SourceKind,
    /// The header's row, relative to the table's range.
    pub header_row: usize,
    /// Canonical field → column, relative to the range.
    pub columns: BTreeMap<Field, usize>,
    /// Constants for fields the file lacks (`[source.defaults]`).
    pub defaults: BTreeMap<Field, String>,
    /// `[[source.rules]]`, resolved to columns.
    pub rules: Vec<ResolvedRule>,
}

/// A rule whose `when` columns are resolved to positions.
#[derive(Debug, Clone)]
pub struct ResolvedRule {
    pub when: Vec<(usize, String)>,
    pub set: BTreeMap<Field, String>,
}

/// Why a configured source does not fit a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProblem(pub String);

/// Finds the layout of `table`. With a `[[source]]`, its kind, header row and
/// column names are used; without, both kinds are tried and the better fit wins.
/// `Ok(None)` when no row looks like a header.
///
/// # Errors
/// A [`MappingProblem`] when a configured source names a field or a column that
/// does not exist.
pub fn detect(
    table: &RawTable,
    source: Option<&SourceConfig>,
) -> Result<Option<Layout>, MappingProblem> {
    let kinds: Vec<SourceKind> = match source {
        Some(s) => vec![s.kind],
        None => vec![SourceKind::Members, SourceKind::Projects],
    };
    let rows = candidate_rows(table, source);
    let mut best: Option<(usize, Layout)> = None;
    for kind in kinds {
        for &row in &rows {
            let headers = header_texts(table, row);
            let Some(layout) = layout_for(kind, row, &headers, source)? else {
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
            return Err(explain_misfit(table, source));
        }
    }
    Ok(best.map(|(_, layout)| layout))
}

fn candidate_rows(table: &RawTable, source: Option<&SourceConfig>) -> Vec<usize> {
    let (origin_row, _) = table.origin();
    match source.and_then(|s| s.header_row) {
        Some(row) => {
            let absolute = row.saturating_sub(1);
            if absolute >= origin_row {
                vec![(absolute - origin_row) as usize]
            } else {
                vec![]
            }
        }
        None => (0..table.range.height().min(HEADER_SEARCH_ROWS)).collect(),
    }
}

/// The header texts of a row, by column relative to the range.
pub fn header_texts(table: &RawTable, row: usize) -> Vec<Option<String>> {
    (0..table.range.width())
        .map(|col| table.range.get((row, col)).and_then(super::values::text))
        .collect()
}

fn find_column(headers: &[Option<String>], wanted: &str) -> Option<usize> {
    let wanted = fold(wanted);
    headers
        .iter()
        .position(|h| h.as_deref().is_some_and(|h| fold(h) == wanted))
}

fn layout_for(
    kind: SourceKind,
    row: usize,
    headers: &[Option<String>],
    source: Option<&SourceConfig>,
) -> Result<Option<Layout>, MappingProblem> {
    let mut columns = BTreeMap::new();
    let mut defaults = BTreeMap::new();
    let mut rules = Vec::new();
    let mut configured_missing = false;
    if let Some(source) = source {
        for (key, header) in &source.columns {
            let field = field_named(kind, key)?;
            match find_column(headers, header) {
                Some(col) => {
                    columns.insert(field, col);
                }
                None => configured_missing = true,
            }
        }
        for (key, value) in &source.defaults {
            defaults.insert(field_named(kind, key)?, value.clone());
        }
        for rule in &source.rules {
            let mut when = Vec::new();
            for (header, value) in &rule.when {
                match find_column(headers, header) {
                    Some(col) => when.push((col, value.clone())),
                    None => configured_missing = true,
                }
            }
            let mut set = BTreeMap::new();
            for (key, value) in &rule.set {
                set.insert(field_named(kind, key)?, value.clone());
            }
            rules.push(ResolvedRule { when, set });
        }
    }
    if configured_missing {
        return Ok(None);
    }
    for field in of_kind(kind) {
        if columns.contains_key(field) {
            continue;
        }
        let found = headers.iter().enumerate().find(|(col, h)| {
            !columns.values().any(|c| c == col)
                && h.as_deref().is_some_and(|h| field.matches_header(h))
        });
        if let Some((col, _)) = found {
            columns.insert(*field, col);
        }
    }
    let provided = |f: &Field| {
        columns.contains_key(f)
            || defaults.contains_key(f)
            || rules.iter().any(|r| r.set.contains_key(f))
    };
    if !required(kind).iter().all(provided) {
        return Ok(None);
    }
    Ok(Some(Layout {
        kind,
        header_row: row,
        columns,
        defaults,
        rules,
    }))
}

fn field_named(kind: SourceKind, key: &str) -> Result<Field, MappingProblem> {
    Field::from_key(kind, key).ok_or_else(|| {
        let names: Vec<&str> = of_kind(kind).iter().map(|f| f.key()).collect();
        let hint = closest(key, names.iter().copied())
            .map(|s| format!(" Did you mean '{s}'?"))
            .unwrap_or_default();
        MappingProblem(format!(
            "'{key}' is not a field of {}; the fields are {}.{hint}",
            kind.key(),
            names.join(", ")
        ))
    })
}

/// Says which configured column is missing from the header, with the closest one.
fn explain_misfit(table: &RawTable, source: &SourceConfig) -> MappingProblem {
    let rows = candidate_rows(table, Some(source));
    let headers: Vec<String> = rows
        .iter()
        .flat_map(|&r| header_texts(table, r))
        .flatten()
        .collect();
    let wanted = source
        .columns
        .values()
        .chain(source.rules.iter().flat_map(|r| r.when.keys()));
    for header in wanted {
        if !headers.iter().any(|h| fold(h) == fold(header)) {
            let hint = closest(header, headers.iter().map(String::as_str))
                .map(|s| format!(" Did you mean '{s}'?"))
                .unwrap_or_default();
            return MappingProblem(format!("no column '{header}' in the header.{hint}"));
        }
    }
    let missing: Vec<&str> = required(source.kind).iter().map(|f| f.key()).collect();
    MappingProblem(format!(
        "no header row names the required fields ({}); give them in [source.columns].",
        missing.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Cell, Data, Range};

    fn table(rows: &[&[&str]]) -> RawTable {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    cells.push(Cell::new(
                        (r as u32, c as u32),
                        Data::String(value.to_string()),
                    ));
                }
            }
        }
        RawTable {
            file: "t.xlsx".into(),
            sheet: Some("S".into()),
            range: Range::from_sparse(cells),
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
        assert_eq!(layout.header_row, 2);
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
}
