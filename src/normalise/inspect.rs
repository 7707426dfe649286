//! What consolida sees in one file, sheet by sheet, for `consolida inspect`: the
//! sheet's size, the header found and the fields its columns map to (or the
//! closest field of a column that maps to none), the kind the sheet is read as
//! and why, how its rows are sorted out (data, total, subtotals, notes, merged
//! block labels), and the first records as read, their values parsed. The same
//! stages as a run, one table at a time.

use super::cells::Context;
use super::clusters::ClusterNames;
use super::layout::{self, Layout};
use super::records::{self, Gathered};
use super::Dataset;
use crate::config::{Config, SourceConfig};
use crate::ingest::{InputFile, RawTable};
use crate::report::InputSummary;
use crate::schema::Field;
use crate::suggestion::closest;
use serde::Serialize;

/// How many records are shown of each sheet.
pub(crate) const FIRST_RECORDS: usize = 5;

/// One sheet (or a CSV file's one table), inspected.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SheetInspection {
    pub(crate) sheet: Option<String>,
    /// Rows and columns up to the last cell holding a value.
    pub(crate) rows: u32,
    pub(crate) columns: u32,
    pub(crate) cells: usize,
    /// What the sheet is read as: `members`, `projects`, `partners`, `targets`,
    /// or none.
    pub(crate) kind: Option<&'static str>,
    /// Why, in a sentence.
    pub(crate) why: String,
    /// The `[[source]]` that reads it, by the line it starts on.
    pub(crate) source_line: Option<usize>,
    /// The header's rows, from 1.
    pub(crate) header_rows: Vec<u32>,
    pub(crate) header: Vec<ColumnInspection>,
    pub(crate) defaults: Vec<(String, String)>,
    /// How many `[[source.rules]]` apply, and the fields they set.
    pub(crate) rules: usize,
    pub(crate) rule_fields: Vec<&'static str>,
    pub(crate) data_rows: usize,
    /// The row, from 1, that declares the table's total.
    pub(crate) total_row: Option<u32>,
    /// Cells filled from merged block labels.
    pub(crate) filled_cells: usize,
    pub(crate) rows_read: u64,
    pub(crate) rows_rejected: u64,
    /// Every issue the sheet raises, as a sentence with its cell.
    pub(crate) issues: Vec<String>,
    /// The first records, field by field, values as parsed.
    pub(crate) first_records: Vec<Vec<(String, String)>>,
}

/// A header column and the field it maps to.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ColumnInspection {
    /// The column's letters.
    pub(crate) column: String,
    pub(crate) header: String,
    pub(crate) field: Option<&'static str>,
    /// For a column that maps to no field, the closest field's name.
    pub(crate) closest: Option<String>,
}

/// Inspects every table of `file` as a run would read it under `config`, the
/// file matched against the `[[source]]` paths as `relative`: once for each
/// `[[source]]` that reads the table, or once as its header suggests.
pub(crate) fn inspect(file: &InputFile, relative: &str, config: &Config) -> Vec<SheetInspection> {
    let sources = super::sources::for_file(config, relative);
    let ctx = Context {
        clusters: ClusterNames::new(&config.clusters),
        categories: config.own_categories(),
    };
    let mut inspections = Vec::new();
    for table in &file.tables {
        let readings: Vec<Option<&SourceConfig>> = if sources.is_empty() {
            vec![None]
        } else {
            sources
                .iter()
                .filter(|s| match s.sheet.as_deref() {
                    Some(sheet) => table.sheet.as_deref() == Some(sheet),
                    None => true,
                })
                .map(|s| Some(*s))
                .collect()
        };
        for source in readings {
            inspections.push(inspect_table(table, source, config, &ctx));
        }
    }
    inspections
}

fn inspect_table(
    table: &RawTable,
    source: Option<&SourceConfig>,
    config: &Config,
    ctx: &Context,
) -> SheetInspection {
    let rows = table.grid.rows().last().map_or(0, |r| r.row + 1);
    let columns = table
        .grid
        .rows()
        .iter()
        .filter_map(|r| r.cells().last().map(|(col, _)| col + 1))
        .max()
        .unwrap_or(0);
    let mut inspection = SheetInspection {
        sheet: table.sheet.clone(),
        rows,
        columns,
        cells: table.grid.cell_count(),
        kind: None,
        why: String::new(),
        source_line: source.and_then(|s| config.line_at(s.span.start)),
        header_rows: Vec::new(),
        header: Vec::new(),
        defaults: Vec::new(),
        rules: 0,
        rule_fields: Vec::new(),
        data_rows: 0,
        total_row: None,
        filled_cells: 0,
        rows_read: 0,
        rows_rejected: 0,
        issues: Vec::new(),
        first_records: Vec::new(),
    };
    let layout = match layout::detect(table, source) {
        Ok(Some(layout)) => layout,
        Ok(None) => {
            inspection.why = not_read(table);
            return inspection;
        }
        Err(problem) => {
            inspection.why = format!("The [[source]] does not fit the sheet: {}", problem.message);
            return inspection;
        }
    };
    inspection.kind = Some(layout.kind.key());
    inspection.why = why(&layout, source.is_some());
    inspection.header_rows = layout.header_rows.iter().map(|r| r + 1).collect();
    inspection.header = header(&layout);
    inspection.defaults = layout
        .defaults
        .iter()
        .map(|(field, value)| (field.key().to_string(), value.clone()))
        .collect();
    inspection.rules = layout.rules.len();
    let mut rule_fields: Vec<Field> = layout
        .rules
        .iter()
        .flat_map(|r| r.set.keys().copied())
        .collect();
    rule_fields.sort();
    rule_fields.dedup();
    inspection.rule_fields = rule_fields.into_iter().map(Field::key).collect();
    let mut data = Dataset::default();
    let mut summary = InputSummary::default();
    let body = records::read_table(
        table,
        &layout,
        ctx,
        &mut data,
        &mut Gathered::default(),
        &mut summary,
    );
    inspection.data_rows = body.rows.len();
    inspection.total_row = body.total.map(|r| r + 1);
    inspection.filled_cells = body.fills.len();
    inspection.rows_read = summary.rows;
    inspection.rows_rejected = summary.rejected;
    crate::issues::sort_for_reading(&mut data.issues);
    inspection.issues = data
        .issues
        .iter()
        .map(|issue| issue.line(crate::labels::Lang::En))
        .collect();
    inspection.first_records = first_records(&data);
    inspection
}

/// Why no row of the sheet is its header, and the row that comes nearest.
fn not_read(table: &RawTable) -> String {
    let mut why = "No row in the first rows of the sheet names the fields of members (member id, category, cluster), projects (project id, cluster, value, financing), partners (project id, member id) or targets (cluster, indicator, month, value).".to_string();
    if let Some(near) = layout::nearest_header(table) {
        let keys = |fields: &[Field]| {
            fields
                .iter()
                .map(|f| f.key())
                .collect::<Vec<_>>()
                .join(", ")
        };
        why.push_str(&format!(
            " The nearest is row {}, as {}: it names {} but not {}.",
            near.row + 1,
            near.kind.key(),
            keys(&near.named),
            keys(&near.missing)
        ));
    }
    why
}

/// Why the sheet is read as its kind: the source that says so, or the fields
/// its header names.
fn why(layout: &Layout, configured: bool) -> String {
    let named: Vec<&str> = layout
        .kind
        .required_fields()
        .iter()
        .filter(|f| layout.columns.contains_key(f))
        .map(|f| f.key())
        .collect();
    let from_header = format!(
        "its header names {} on row {}",
        named.join(", "),
        layout.header_rows.last().map_or(0, |r| r + 1)
    );
    if configured {
        format!(
            "A [[source]] reads it as {}; {from_header}.",
            layout.kind.key()
        )
    } else {
        let mut text = from_header;
        text[..1].make_ascii_uppercase();
        format!("{text}: the fields of {}.", layout.kind.key())
    }
}

/// Each header column, with its field or the closest one.
fn header(layout: &Layout) -> Vec<ColumnInspection> {
    let fields: Vec<&str> = layout.kind.fields().iter().map(|f| f.key()).collect();
    layout
        .headers
        .iter()
        .map(|(col, text)| {
            let field: Option<Field> = layout
                .columns
                .iter()
                .find(|(_, c)| *c == col)
                .map(|(f, _)| *f);
            ColumnInspection {
                column: crate::location::column_name(*col),
                header: text.clone(),
                field: field.map(Field::key),
                closest: match field {
                    Some(_) => None,
                    None => closest(text, fields.iter().copied()).map(|s| s.name.to_string()),
                },
            }
        })
        .collect()
}

/// The first records of each kind, field by field, as parsed.
fn first_records(data: &Dataset) -> Vec<Vec<(String, String)>> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let pair = |k: &str, v: String| (k.to_string(), v);
    let members = data.members.iter().take(FIRST_RECORDS).map(|m| {
        vec![
            pair("cell", m.source.to_string()),
            pair("member_id", m.member_id.clone()),
            pair("name", m.name.clone()),
            pair("category", m.category.key().to_string()),
            pair("cluster", m.cluster.clone()),
            pair("province", text(&m.province)),
            pair("joined_on", date(&m.joined_on)),
            pair("left_on", date(&m.left_on)),
        ]
    });
    let projects = data.projects.iter().take(FIRST_RECORDS).map(|p| {
        vec![
            pair("cell", p.source.to_string()),
            pair("project_id", p.project_id.clone()),
            pair("title", p.title.clone()),
            pair("cluster", p.cluster.clone()),
            pair("call", p.call.clone()),
            pair("lead_member_id", text(&p.lead_member_id)),
            pair("project_value", p.value.to_string()),
            pair("financing", p.financing.to_string()),
            pair("approved_on", date(&p.approved_on)),
            pair("aid_type", text(&p.aid_type)),
        ]
    });
    let partners = data.partners.iter().take(FIRST_RECORDS).map(|p| {
        let share = |s: &Option<super::partners::Share>| match s {
            Some(super::partners::Share::Amount(cents)) => cents.to_string(),
            Some(super::partners::Share::Percent(ppm)) => {
                format!("{:.4} %", ppm.0 as f64 / 10_000.0)
            }
            None => String::new(),
        };
        vec![
            pair("cell", p.source.to_string()),
            pair("project_id", p.project_id.clone()),
            pair("member_id", p.member_id.clone()),
            pair("cost_share", share(&p.cost_share)),
            pair("financing_share", share(&p.financing_share)),
        ]
    });
    let targets = data.targets.iter().take(FIRST_RECORDS).map(|t| {
        // A sheet's row at its cluster's cell, a CSV file's at its line.
        let at = &t.cluster.at;
        let line = at.sheet.is_none().then_some(at.row).flatten();
        let row = match line {
            Some(line) => crate::location::Location::row(&at.file, None, line),
            None => at.clone(),
        };
        vec![
            pair("cell", row.to_string()),
            pair("cluster", t.cluster.text.clone()),
            pair("indicator", t.indicator.text.clone()),
            pair("month", t.month.text.clone()),
            pair("value", t.value.text.clone()),
        ]
    });
    members
        .chain(projects)
        .chain(partners)
        .chain(targets)
        .collect()
}
