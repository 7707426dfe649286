//! A table's data rows read into members, projects, partners or targets. A
//! large table is read on every core, in stretches merged in row order, so that
//! the records and issues come out as one pass over the rows gives them.

use super::cells::Context;
use super::clusters::SeenClusters;
use super::cross_checks::IdColumns;
use super::layout::Layout;
use super::members::{self, Member};
use super::partners::{self, Partner};
use super::projects::{self, Project};
use super::row::Row;
use super::targets::{self, TargetRow};
use super::{table, totals, values, Dataset};
use crate::ingest::RawTable;
use crate::issues::{Issue, IssueKind};
use crate::labels::Lang;
use crate::location::Location;
use crate::report::InputSummary;
use crate::schema::{Field, SourceKind};
use crate::text::{counted_both, number, Noun, Text};
use crate::threads::each_on_its_own_thread;
use calamine::Data;
use std::collections::HashMap;

/// What is gathered while the files are read, besides the dataset.
#[derive(Default)]
pub(crate) struct Gathered {
    pub(crate) id_columns: IdColumns,
    /// Cluster names as written, for the probable duplicates when no list is
    /// configured.
    pub(crate) clusters: SeenClusters,
}

/// Reads the data rows of `table` as its layout's kind into `data`, with the
/// issues its body and its total raise, and counts them in `summary`; gives
/// back how the rows were sorted out.
pub(crate) fn read_table(
    table: &RawTable,
    layout: &Layout,
    ctx: &Context,
    data: &mut Dataset,
    gathered: &mut Gathered,
    summary: &mut InputSummary,
) -> table::Body {
    gathered.id_columns.note(table, layout);
    let body = table::split(table, layout, &mut data.issues);
    let read = |rows: &[u32], room: usize| read_rows(table, layout, ctx, &body.fills, rows, room);
    for stretch in in_stretches(&body.rows, read) {
        summary.rows += stretch.rows;
        summary.rejected += stretch.rejected;
        append(&mut data.members, stretch.members);
        append(&mut data.projects, stretch.projects);
        append(&mut data.partners, stretch.partners);
        append(&mut data.targets, stretch.targets);
        append(&mut data.issues, stretch.issues);
        gathered.clusters.extend(stretch.clusters);
    }
    if let Some(total) = body.total {
        data.issues
            .extend(totals::reconcile(table, layout, &body.rows, total));
    }
    if layout.kind == SourceKind::Projects {
        data.issues.extend(missing_columns(table, layout));
    }
    body
}

/// Tables with at least this many rows are read on every core, in stretches.
const PARALLEL_FROM_ROWS: usize = 20_000;

/// What the rows of one stretch of a table give, in row order.
#[derive(Default)]
struct Stretch {
    rows: u64,
    rejected: u64,
    members: Vec<Member>,
    projects: Vec<Project>,
    partners: Vec<Partner>,
    targets: Vec<TargetRow>,
    issues: Vec<Issue>,
    clusters: SeenClusters,
}

/// `read` over `rows` split into one stretch per core (a single stretch for a
/// small table), the stretches in row order: merged in that order they give
/// exactly what one pass over the rows gives. `read` is also told how many
/// records to make room for: the first stretch makes room for the whole table,
/// so that the others are appended to it without moving it.
fn in_stretches(rows: &[u32], read: impl Fn(&[u32], usize) -> Stretch + Sync) -> Vec<Stretch> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || rows.len() < PARALLEL_FROM_ROWS {
        return vec![read(rows, rows.len())];
    }
    let stretches: Vec<(&[u32], usize)> = rows
        .chunks(rows.len().div_ceil(threads))
        .enumerate()
        .map(|(i, stretch)| (stretch, if i == 0 { rows.len() } else { stretch.len() }))
        .collect();
    each_on_its_own_thread(&stretches, |&(stretch, room)| read(stretch, room))
}

/// Reads the data rows `rows` of `table` as its layout's kind.
fn read_rows(
    table: &RawTable,
    layout: &Layout,
    ctx: &Context,
    fills: &HashMap<(u32, u32), Data>,
    rows: &[u32],
    room: usize,
) -> Stretch {
    let mut out = Stretch::default();
    match layout.kind {
        SourceKind::Members => out.members.reserve_exact(room),
        SourceKind::Projects => out.projects.reserve_exact(room),
        SourceKind::Partners => out.partners.reserve_exact(room),
        SourceKind::Targets => out.targets.reserve_exact(room),
    }
    for &index in rows {
        let row = Row::new(table, layout, fills, index);
        // A targets row with its four cells empty is passed over, as an empty
        // row is: every other targets row is kept.
        if layout.kind == SourceKind::Targets && targets::is_blank(&row) {
            continue;
        }
        out.rows += 1;
        if let Some((issue, reject)) = ragged(table, layout, index) {
            out.issues.push(issue);
            if reject {
                out.rejected += 1;
                continue;
            }
        }
        let kept = match layout.kind {
            SourceKind::Members => members::read(&row, ctx, &mut out.issues).map(|m| {
                out.clusters
                    .saw(&m.cluster, || row.location(Field::Cluster));
                out.members.push(m);
            }),
            SourceKind::Projects => projects::read(&row, ctx, &mut out.issues).map(|p| {
                out.clusters
                    .saw(&p.cluster, || row.location(Field::Cluster));
                out.projects.push(p);
            }),
            SourceKind::Partners => {
                partners::read(&row, &mut out.issues).map(|p| out.partners.push(p))
            }
            SourceKind::Targets => {
                out.targets.push(targets::read(&row));
                Some(())
            }
        };
        if kept.is_none() {
            out.rejected += 1;
        }
    }
    out
}

/// Appends `more` to `all`; moves it when `all` is empty, so that a table's
/// records are not copied.
fn append<T>(all: &mut Vec<T>, more: Vec<T>) {
    if all.is_empty() && all.capacity() <= more.capacity() {
        *all = more;
    } else {
        all.extend(more);
    }
}

/// One warning per table, rather than one per row, when no column, rule or
/// default gives the projects of a table their call or approval date.
fn missing_columns(table: &RawTable, layout: &Layout) -> Vec<Issue> {
    let location = match layout.header_rows.last() {
        Some(row) => table.row_location(*row),
        None => Location {
            sheet: table.sheet.clone(),
            ..Location::file(&table.file)
        },
    };
    let (name_it, name_en) = match &table.sheet {
        Some(sheet) => (format!("del foglio «{sheet}»"), format!("sheet '{sheet}'")),
        None => ("del file".to_string(), "the file".to_string()),
    };
    [
        (
            Field::Call,
            ("il bando", "call"),
            ("raggruppati senza bando", "grouped under no call"),
        ),
        (
            Field::ApprovedOn,
            ("la data di approvazione (approved_on)", "approval date (approved_on)"),
            (
                "contati nel portafoglio di ogni periodo",
                "counted in the portfolio of every period",
            ),
        ),
    ]
    .into_iter()
    .filter(|(field, _, _)| !layout.provides(*field))
    .map(|(field, what, consequence)| {
        let message = Text::new(
            format!(
                "Nessuna colonna {name_it} indica {}, né un valore predefinito o una regola: i suoi progetti sono {}.",
                what.0, consequence.0
            ),
            format!(
                "No column of {name_en} gives the {}, nor does a default or a rule: its projects are {}.",
                what.1, consequence.1
            ),
        );
        let key = field.key();
        Issue::warning(location.clone(), IssueKind::FieldNotGiven(field), message).with_expected(
            Text::new(format!("una colonna per {key}"), format!("a column for {key}")),
        )
    })
    .collect()
}

/// A CSV field, in Italian and in English.
const FIELD_IT: Noun<'static> = ("campo", "campi");
const FIELD_EN: Noun<'static> = ("field", "fields");

/// A CSV record with more or fewer fields than the header: reported, and left
/// out unless the only difference is empty fields at the end. Returns the issue
/// and whether the row is left out.
fn ragged(table: &RawTable, layout: &Layout, row: u32) -> Option<(Issue, bool)> {
    let expected = layout.header_fields?;
    let found = *table.field_counts.as_ref()?.get(&row)?;
    if found == expected {
        return None;
    }
    let line = u64::from(row) + 1;
    let first = table
        .grid
        .row(row)
        .and_then(|r| r.cells().first())
        .map(|(_, v)| values::raw(v))
        .unwrap_or_default();
    let extra_empty =
        found > expected && (expected..found).all(|col| table.grid.get(row, col).is_none());
    let (found_it, found_en) = counted_both(u64::from(found), FIELD_IT, FIELD_EN);
    let (expected_it, expected_en) = counted_both(u64::from(expected), FIELD_IT, FIELD_EN);
    let issue = if extra_empty {
        Issue::warning(
            table.row_location(row),
            IssueKind::ExtraEmptyFields,
            Text::new(
                format!(
                    "La riga {line} ha {found_it} ma l'intestazione ne ha {}; i campi in più sono vuoti e vengono ignorati.",
                    number(Lang::It, u64::from(expected))
                ),
                format!(
                    "Line {line} has {found_en} but the header has {expected}; the extra fields are empty and are ignored."
                ),
            ),
        )
    } else {
        Issue::error(
            table.row_location(row),
            IssueKind::FieldCountMismatch,
            Text::new(
                format!(
                    "La riga {line} ha {found_it} ma l'intestazione ne ha {}: manca un separatore o ce n'è uno di troppo (spesso per virgolette non chiuse dentro un campo). La riga è esclusa anziché interpretata a caso.",
                    number(Lang::It, u64::from(expected))
                ),
                format!(
                    "Line {line} has {found_en} but the header has {expected}: a delimiter is missing or too many (an unescaped quote inside a field often does this). The row is left out rather than guessed."
                ),
            ),
        )
    };
    Some((
        issue
            .with_value(first)
            .with_expected(Text::new(expected_it, expected_en)),
        !extra_empty,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretches_read_apart_merge_into_what_one_pass_gives() {
        let rows: Vec<u32> = (0..3 * PARALLEL_FROM_ROWS as u32).collect();
        let read = |rows: &[u32], room: usize| {
            let mut out = Stretch::default();
            out.members.reserve_exact(room);
            for &row in rows {
                out.rows += 1;
                if row % 1000 == 7 {
                    out.issues.push(Issue::warning(
                        Location::file(row.to_string()),
                        IssueKind::NoTable,
                        Text::new("riga dispari", "odd row"),
                    ));
                    out.rejected += 1;
                }
                // Some names recur in every stretch, one starts late.
                let name = format!("cluster {}", row % 3 + row / 50_000);
                out.clusters.saw(&name, || Location::file(row.to_string()));
            }
            out
        };
        let merge = |stretches: Vec<Stretch>| {
            let (mut rows, mut rejected, mut issues) = (0, 0, Vec::new());
            let mut seen = SeenClusters::default();
            for stretch in stretches {
                rows += stretch.rows;
                rejected += stretch.rejected;
                append(&mut issues, stretch.issues);
                seen.extend(stretch.clusters);
            }
            let clusters: Vec<(String, Location, usize)> = seen
                .names()
                .iter()
                .map(|s| (s.name.clone(), s.first.clone(), s.rows))
                .collect();
            (rows, rejected, issues, clusters)
        };
        let apart = merge(in_stretches(&rows, read));
        let whole = merge(vec![read(&rows, rows.len())]);
        assert_eq!(apart, whole);
        assert_eq!(whole.3.len(), 4);
    }

    #[test]
    fn appending_to_nothing_moves_the_records() {
        let mut all: Vec<u8> = Vec::new();
        let more = Vec::with_capacity(100);
        let pointer = more.as_ptr();
        append(&mut all, more);
        assert_eq!(all.as_ptr(), pointer);
        append(&mut all, vec![1, 2]);
        assert_eq!(all, [1, 2]);
    }
}
