//! The body of a table: which rows below the header are data, which is the
//! declared total, which are subtotals, and which are notes; and the labels that
//! merged cells give to a block of rows.
//!
//! - A row whose first text (the text cells before its figures, read as one
//!   label) is a total word ("Totale", "Total", "TOT.", "Somma", "Complessivo")
//!   followed only by words naming what is counted ([`COUNTED_WORDS`]: "Totale
//!   aderenti", "TOT. imprese", "Totale generale", "Totale soci: 123") is the
//!   table's total, wherever its figures are: the table ends there, and the total
//!   is reconciled against the rows above it (see [`super::totals`]). Whatever
//!   follows it is not read, with a warning naming the rows.
//! - A row labelled "Totale Mobilità" and the like, in the middle, is a subtotal:
//!   left out (it would count its rows twice), with a warning.
//! - Without a total, the rows at the bottom that hold one note each (text merged
//!   across the row, "Notes:", "Fonte: …", "* …") are the footer: not read, with a
//!   warning naming them.
//! - A cell merged down over several data rows labels them all ("CENTRO-NORD" over
//!   the regions of that macro-area): its text is read on every row it covers. A
//!   number merged the same way cannot be split among the rows: it is read on its
//!   first row only, with a warning.
//! - A targets sheet has no total, subtotal or notes: each of its rows is a
//!   point of a target (a cluster named "Totale" is the target of the whole),
//!   so every row below the header is data.

use super::layout::Layout;
use super::values;
use crate::category_words::stems;
use crate::fold::{fold, strip_accent};
use crate::ingest::{GridRow, RawTable};
use crate::issues::{Issue, IssueKind};
use crate::location::column_name;
use crate::schema::{Field, SourceKind};
use crate::text::Text;
use calamine::Data;
use std::collections::HashMap;

/// At most this many cells are filled from merged block labels.
const MAX_FILLED_CELLS: usize = 1_000_000;

/// The words a total row's label starts with.
const TOTAL_WORDS: [&str; 11] = [
    "grand total",
    "totale",
    "totali",
    "totals",
    "total",
    "tot",
    "somma",
    "sum",
    "complessivo",
    "complessiva",
    "complessivi",
];

/// Words naming what a total counts: after a total word, they keep it the
/// table's total ("Totale aderenti"), where any other word makes it a subtotal
/// ("Totale Mobilità"). Matched by their stems, so singular and plural alike.
const COUNTED_WORDS: [&str; 44] = [
    "generale",
    "complessivo",
    "complessiva",
    "tutti",
    "soci",
    "membri",
    "aderenti",
    "associati",
    "iscritti",
    "imprese",
    "aziende",
    "enti",
    "soggetti",
    "organizzazioni",
    "partecipanti",
    "beneficiari",
    "partner",
    "progetti",
    "domande",
    "cluster",
    "euro",
    "eur",
    "€",
    "n",
    "nr",
    "numero",
    "importo",
    "valore",
    "finanziamento",
    "contributo",
    "costo",
    "righe",
    "dati",
    "general",
    "overall",
    "all",
    "members",
    "participants",
    "organisations",
    "organizations",
    "companies",
    "projects",
    "rows",
    "amount",
];

/// Words that join the others in a total's label ("Totale dei soci").
const JOINING_WORDS: [&str; 8] = ["di", "dei", "degli", "delle", "del", "e", "of", "and"];

/// The rows of a table, sorted out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    /// The data rows to read, ascending, absolute.
    pub(crate) rows: Vec<u32>,
    /// The row declaring the table's total, if there is one.
    pub(crate) total: Option<u32>,
    /// Values that merged block labels give to cells: (row, col) → value.
    pub(crate) fills: HashMap<(u32, u32), Data>,
}

/// Sorts out the rows below the header of `table`, adding a warning for every
/// row that is not read as data.
pub(crate) fn split(table: &RawTable, layout: &Layout, issues: &mut Vec<Issue>) -> Body {
    let start = table
        .grid
        .rows()
        .partition_point(|r| r.row < layout.data_start());
    let rows = &table.grid.rows()[start..];
    let fills = block_labels(table, layout, issues);
    let mut body = Body {
        fills,
        ..Body::default()
    };
    if layout.kind == SourceKind::Targets {
        body.rows = rows.iter().map(|r| r.row).collect();
        return body;
    }
    let mut end = rows.len();
    for (index, row) in rows.iter().enumerate() {
        match total_row(layout, row) {
            Some(TotalRow::Total) => {
                body.total = Some(row.row);
                end = index + 1;
                break;
            }
            Some(TotalRow::Subtotal(label)) => issues.push(
                Issue::warning(
                    table.row_location(row.row),
                    IssueKind::Subtotal,
                    Text::new(
                        format!(
                            "La riga {} è un subtotale («{label}»); è esclusa perché le sue righe non siano contate due volte.",
                            u64::from(row.row) + 1
                        ),
                        format!(
                            "Row {} is a subtotal ('{label}'); it is left out so that its rows are not counted twice.",
                            u64::from(row.row) + 1
                        ),
                    ),
                )
                .with_value(label),
            ),
            None => body.rows.push(row.row),
        }
    }
    match body.total {
        Some(total) => footer_warning(table, &rows[end..], Some(total), issues),
        None => {
            let notes = trailing_notes(table, &body.rows);
            let footer: Vec<GridRow> = body
                .rows
                .split_off(body.rows.len() - notes)
                .iter()
                .filter_map(|r| table.grid.row(*r).cloned())
                .collect();
            footer_warning(table, &footer, None, issues);
        }
    }
    body
}

/// What a row whose label starts with a total word is.
enum TotalRow {
    /// The table's total.
    Total,
    /// A part's total, with its label.
    Subtotal(String),
}

/// The row's label: its text cells before the first cell that is not text, and
/// their columns. A total may write its label across cells ("TOTALE" |
/// "aderenti").
pub(super) fn leading_label(row: &GridRow) -> (String, Vec<u32>) {
    let mut texts = Vec::new();
    let mut cols = Vec::new();
    for (col, cell) in row.cells() {
        let Data::String(text) = cell else { break };
        texts.push(text.trim());
        cols.push(*col);
    }
    (texts.join(" "), cols)
}

/// Sorts out a row whose label starts with a total word: the table's total when
/// the words after it name what is counted, a subtotal when they name something
/// else and the row's identifying cells are otherwise empty; `None` for a data
/// row ("Total Energies S.p.A.").
fn total_row(layout: &Layout, row: &GridRow) -> Option<TotalRow> {
    let (_, Data::String(first)) = row.cells().first()? else {
        return None;
    };
    // Every total word starts with t, g, s or c: most rows are ruled out without
    // folding their first value.
    let initial = first
        .chars()
        .flat_map(char::to_lowercase)
        .map(strip_accent)
        .find(|c| c.is_alphanumeric());
    if !matches!(initial, Some('t' | 'g' | 's' | 'c')) {
        return None;
    }
    let (label, _) = leading_label(row);
    let folded = fold(&label);
    let rest = TOTAL_WORDS.iter().find_map(|w| {
        folded
            .strip_prefix(w)
            .filter(|rest| rest.is_empty() || rest.starts_with(' '))
    })?;
    if names_what_is_counted(rest) {
        return Some(TotalRow::Total);
    }
    // A subtotal's label is its first cell, and the rest of its identifying
    // cells are empty: a member's row has them filled.
    let label_col = row.cells()[0].0;
    let identified = layout
        .kind
        .required_fields()
        .iter()
        .filter(|f| !f.is_number_or_date())
        .filter_map(|f| layout.columns.get(f))
        .any(|col| *col != label_col && row.get(*col).is_some());
    (!identified).then(|| TotalRow::Subtotal(first.trim().to_string()))
}

/// Whether the words after a total word only name what is counted (or are
/// numbers, "Totale soci: 123").
fn names_what_is_counted(rest: &str) -> bool {
    static COUNTED: std::sync::OnceLock<Vec<std::collections::BTreeSet<String>>> =
        std::sync::OnceLock::new();
    let counted = COUNTED.get_or_init(|| COUNTED_WORDS.iter().map(|w| stems(w)).collect());
    rest.split(' ')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !JOINING_WORDS.contains(w))
        .all(|w| {
            let word = stems(w);
            word.is_empty() || counted.contains(&word) || TOTAL_WORDS.contains(&w)
        })
}

/// How many of the last `rows` are notes.
fn trailing_notes(table: &RawTable, rows: &[u32]) -> usize {
    rows.iter()
        .rev()
        .take_while(|r| table.grid.row(**r).is_some_and(|row| is_note(table, row)))
        .count()
}

/// A row holding one piece of text that reads as a note rather than a value:
/// written across the row (merged, or repeated in several cells), several words
/// long, ending with a colon, or starting with `*`, "Nota", "Note", "Fonte" or
/// "Source".
fn is_note(table: &RawTable, row: &GridRow) -> bool {
    let mut texts = row.cells().iter().map(|(_, v)| match v {
        Data::String(s) => Some(s.trim()),
        _ => None,
    });
    let Some(Some(first)) = texts.next() else {
        return false;
    };
    if !texts.all(|t| t == Some(first)) {
        return false;
    }
    let (col, _) = row.cells()[0];
    let merged_across = table
        .merge_at(row.row, col)
        .is_some_and(|m| m.last_col > m.first_col);
    let folded = fold(first);
    let note_word = [
        "nota", "note", "notes", "fonte", "fonti", "source", "sources", "nb",
    ]
    .iter()
    .any(|w| folded.split(' ').next() == Some(w));
    row.cells().len() > 1
        || merged_across
        || first.split_whitespace().count() >= 3
        || first.ends_with(':')
        || first.starts_with('*')
        || note_word
}

/// One warning naming the rows below the table that are not read.
fn footer_warning(table: &RawTable, rows: &[GridRow], total: Option<u32>, issues: &mut Vec<Issue>) {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return;
    };
    let text = first
        .cells()
        .first()
        .and_then(|(_, v)| values::text(v))
        .unwrap_or_default();
    let (first_row, last_row) = (u64::from(first.row) + 1, u64::from(last.row) + 1);
    let one = first.row == last.row;
    let (span_it, span_en) = match one {
        true => (format!("La riga {first_row}"), format!("Row {first_row}")),
        false => (
            format!("Le righe {first_row}–{last_row}"),
            format!("Rows {first_row}–{last_row}"),
        ),
    };
    let shown = shorten(&text);
    let all_notes = rows.iter().all(|row| is_note(table, row));
    let message = match total.filter(|_| !all_notes) {
        Some(total) => {
            let total = u64::from(total) + 1;
            let (read_it, are) = match one {
                true => ("non è letta", "is"),
                false => ("non sono lette", "are"),
            };
            Text::new(
                format!(
                    "{span_it} sotto il totale della riga {total} {read_it} come dati (note o un'altra tabella); il testo inizia con «{shown}»."
                ),
                format!(
                    "{span_en} below the total on row {total} {are} not read as data (notes or another table), starting with '{shown}'."
                ),
            )
        }
        None => {
            let (notes_it, notes_en) = match one {
                true => (
                    "è una nota, non un dato, e non è letta",
                    "is a note, not data, and is not read",
                ),
                false => (
                    "sono note, non dati, e non sono lette",
                    "are notes, not data, and are not read",
                ),
            };
            Text::new(
                format!("{span_it} in fondo alla tabella {notes_it}: «{shown}»."),
                format!("{span_en} at the bottom of the table {notes_en}: '{shown}'."),
            )
        }
    };
    issues.push(
        Issue::warning(
            table.row_location(first.row),
            IssueKind::NotesBelowTable,
            message,
        )
        .with_value(text),
    );
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.replace('\n', " ");
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}

/// Text merged down over several data rows labels each of them; a number merged
/// that way over a mapped column is reported.
fn block_labels(
    table: &RawTable,
    layout: &Layout,
    issues: &mut Vec<Issue>,
) -> HashMap<(u32, u32), Data> {
    let mut fills = HashMap::new();
    let last_row = table.grid.rows().last().map(|r| r.row).unwrap_or(0);
    // Only the columns the layout reads need their labels.
    let mut read: Vec<u32> = layout.columns.values().copied().collect();
    read.extend(
        layout
            .rules
            .iter()
            .flat_map(|r| r.when.iter().map(|(col, _)| *col)),
    );
    read.sort_unstable();
    read.dedup();
    let merges = table
        .merges
        .iter()
        .filter(|m| m.first_row >= layout.data_start() && m.last_row > m.first_row);
    for merge in merges {
        let Some(value) = table.grid.get(merge.first_row, merge.first_col) else {
            continue;
        };
        if !matches!(value, Data::String(_)) {
            let mapped = layout
                .columns
                .iter()
                .find(|(_, col)| (merge.first_col..=merge.last_col).contains(*col));
            if let Some((field, _)) = mapped {
                issues.push(merged_number(table, merge, *field, value));
            }
            continue;
        }
        let cols: Vec<u32> = read
            .iter()
            .copied()
            .filter(|col| (merge.first_col..=merge.last_col).contains(col))
            .collect();
        for row in merge.first_row..=merge.last_row.min(last_row) {
            for &col in &cols {
                if (row, col) != (merge.first_row, merge.first_col) {
                    if fills.len() >= MAX_FILLED_CELLS {
                        return fills;
                    }
                    fills.insert((row, col), value.clone());
                }
            }
        }
    }
    fills
}

fn merged_number(
    table: &RawTable,
    merge: &crate::ingest::Merge,
    field: Field,
    value: &Data,
) -> Issue {
    let raw = values::raw(value);
    let cell = format!(
        "{}{}",
        column_name(merge.first_col),
        u64::from(merge.first_row) + 1
    );
    let (first, last) = (
        u64::from(merge.first_row) + 1,
        u64::from(merge.last_row) + 1,
    );
    Issue::warning(
        table.location(merge.first_row, merge.first_col),
        IssueKind::MergedNumber(field),
        Text::new(
            format!(
                "Il valore {raw} in {cell} ({}) è in celle unite sulle righe {first}–{last}: un numero in celle unite non si può ripartire tra le righe, quindi è letto solo alla riga {first}.",
                field.italian()
            ),
            format!(
                "The {} {raw} in {cell} is merged over rows {first}–{last}: a merged number cannot be split among rows, so it is read on row {first} only.",
                field.key(),
            ),
        ),
    )
    .with_value(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Grid, Merge};
    use calamine::Cell;
    use std::collections::BTreeMap;

    #[test]
    fn every_total_word_starts_with_a_letter_the_quick_check_lets_through() {
        for word in TOTAL_WORDS {
            assert!(
                matches!(word.chars().next(), Some('t' | 'g' | 's' | 'c')),
                "{word}"
            );
        }
    }

    fn table(rows: &[&[&str]], merges: Vec<Merge>) -> RawTable {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let data = match value.parse::<f64>() {
                    Ok(n) => Data::Float(n),
                    Err(_) => Data::String(value.to_string()),
                };
                cells.push(Cell::new((r as u32, c as u32), data));
            }
        }
        RawTable {
            file: "t.xlsx".into(),
            sheet: Some("S".into()),
            grid: Grid::from_cells(cells),
            merges,
            date_1904: false,
            field_counts: None,
        }
    }

    fn projects_layout() -> Layout {
        Layout {
            kind: SourceKind::Projects,
            header_rows: vec![0],
            columns: BTreeMap::from([
                (Field::Cluster, 0),
                (Field::ProjectId, 1),
                (Field::ProjectValue, 2),
                (Field::Financing, 3),
            ]),
            headers: BTreeMap::new(),
            defaults: BTreeMap::new(),
            rules: Vec::new(),
            header_fields: None,
        }
    }

    fn members_layout() -> Layout {
        Layout {
            kind: SourceKind::Members,
            header_rows: vec![0],
            columns: BTreeMap::from([
                (Field::MemberId, 0),
                (Field::Name, 1),
                (Field::Category, 2),
                (Field::Cluster, 3),
            ]),
            headers: BTreeMap::new(),
            defaults: BTreeMap::new(),
            rules: Vec::new(),
            header_fields: None,
        }
    }

    /// The total row and the data rows when `total` is written below two members.
    fn sorted(total: &[&str]) -> (Option<u32>, Vec<u32>) {
        let t = table(
            &[
                &["Codice", "Denominazione", "Categoria", "Cluster"],
                &["1", "Alfa", "PMI", "Mobilità"],
                &["2", "Beta", "PMI", "Mobilità"],
                total,
            ],
            vec![],
        );
        let body = split(&t, &members_layout(), &mut Vec::new());
        (body.total, body.rows)
    }

    #[test]
    fn a_total_is_recognised_however_it_is_labelled_and_wherever_its_figures_are() {
        for total in [
            &["Totale", "", "", "", "2"][..],
            &["TOTALE ADERENTI", "", "", "", "2"],
            &["TOT.", "imprese", "2"],
            &["Totale", "aderenti", "", "2"],
            &["", "Totale soci", "2"],
            &["Somma", "", "", "", "2"],
            &["Complessivo aderenti", "2"],
            &["Totale generale dei soggetti", "", "", "", "2"],
            &["Totali imprese: 2"],
            &["Total members", "", "", "", "2"],
        ] {
            assert_eq!(sorted(total), (Some(3), vec![1, 2]), "{total:?}");
        }
    }

    #[test]
    fn a_member_whose_name_starts_with_a_total_word_is_data() {
        for row in [
            &["3", "Total Energies S.p.A.", "Grandi imprese", "Energia"][..],
            &["3", "Somma Lombardo Servizi", "PMI", "Mobilità"],
            &["Totalgaz", "Totalgaz", "PMI", "Energia"],
        ] {
            assert_eq!(sorted(row), (None, vec![1, 2, 3]), "{row:?}");
        }
    }

    #[test]
    fn a_total_naming_a_part_is_a_subtotal() {
        let t = table(
            &[
                &["Codice", "Denominazione", "Categoria", "Cluster"],
                &["1", "Alfa", "PMI", "Mobilità"],
                &["Totale Mobilità", "", "", "", "1"],
                &["2", "Beta", "PMI", "Energia"],
            ],
            vec![],
        );
        let mut issues = Vec::new();
        let body = split(&t, &members_layout(), &mut issues);
        assert_eq!((body.rows, body.total), (vec![1, 3], None));
        assert!(
            issues[0]
                .message
                .en()
                .contains("subtotal ('Totale Mobilità')"),
            "{issues:?}"
        );
    }

    #[test]
    fn a_total_ends_the_table_and_what_follows_is_not_read() {
        let t = table(
            &[
                &["Cluster", "CUP", "Valore", "Finanziamento"],
                &["Mobilità", "P1", "100", "50"],
                &["Totale Mobilità", "", "100", "50"],
                &["Energia", "P2", "200", "100"],
                &["TOTALE", "", "300", "150"],
                &["Fonte: elaborazione su dati regionali"],
                &["Altra tabella", "X", "1", "1"],
            ],
            vec![],
        );
        let mut issues = Vec::new();
        let body = split(&t, &projects_layout(), &mut issues);
        assert_eq!(body.rows, vec![1, 3]);
        assert_eq!(body.total, Some(4));
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert!(issues[0]
            .message
            .en()
            .starts_with("Row 3 is a subtotal ('Totale Mobilità')"));
        assert!(issues[1]
            .message
            .en()
            .starts_with("Rows 6–7 below the total on row 5"));
    }

    #[test]
    fn notes_at_the_bottom_are_a_footer() {
        let t = table(
            &[
                &["Cluster", "CUP", "Valore", "Finanziamento"],
                &["Mobilità", "P1", "100", "50"],
                &["P2"],
                &["Notes:", "Notes:", "Notes:"],
                &["All amounts are in Bulgarian lev"],
            ],
            vec![],
        );
        let mut issues = Vec::new();
        let body = split(&t, &projects_layout(), &mut issues);
        // "P2" alone is a bad data row, not a note: it stays to be reported.
        assert_eq!(body.rows, vec![1, 2]);
        assert_eq!(body.total, None);
        assert_eq!(
            issues[0].message.en(),
            "Rows 4–5 at the bottom of the table are notes, not data, and are not read: 'Notes:'."
        );
    }

    #[test]
    fn a_member_called_total_is_not_a_total_row() {
        let layout = Layout {
            kind: SourceKind::Members,
            columns: BTreeMap::from([
                (Field::Name, 0),
                (Field::MemberId, 1),
                (Field::Category, 2),
                (Field::Cluster, 3),
            ]),
            ..projects_layout()
        };
        let t = table(
            &[
                &["Nome", "Codice", "Categoria", "Cluster"],
                &["Total S.A.", "FR1", "Grandi imprese", "Energia"],
                &["Totale soci: 1"],
            ],
            vec![],
        );
        let mut issues = Vec::new();
        let body = split(&t, &layout, &mut issues);
        assert_eq!(body.rows, vec![1]);
        assert_eq!(body.total, Some(2));
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn text_merged_down_labels_its_rows_and_a_merged_number_is_reported() {
        let merge = |first_row, first_col, last_row| Merge {
            first_row,
            first_col,
            last_row,
            last_col: first_col,
        };
        let t = table(
            &[
                &["Cluster", "CUP", "Valore", "Finanziamento"],
                &["Mobilità", "P1", "100", "90"],
                &["", "P2", "200"],
                &["", "P3", "300"],
            ],
            vec![merge(1, 0, 3), merge(1, 3, 3)],
        );
        let mut issues = Vec::new();
        let body = split(&t, &projects_layout(), &mut issues);
        assert_eq!(
            body.fills.get(&(3, 0)),
            Some(&Data::String("Mobilità".into()))
        );
        assert!(!body.fills.contains_key(&(2, 3)));
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0]
                .message
                .en()
                .starts_with("The financing 90 in D2 is merged over rows 2–4"),
            "{}",
            issues[0].message.en()
        );
        assert!(
            issues[0].message.it().starts_with(
                "Il valore 90 in D2 (il finanziamento) è in celle unite sulle righe 2–4"
            ),
            "{}",
            issues[0].message.it()
        );
    }
}
