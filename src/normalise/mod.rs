//! Normalise and validate: raw tables become canonical members, projects and
//! partners, and every problem becomes an [`Issue`] with its file, sheet and cell.
//!
//! Nothing is dropped silently: a row is either in the figures or named by an issue
//! that says why it is not (an error in a required field, a subtotal, a note below
//! the table); each file's rows read and rejected are counted.

pub mod clusters;
pub mod fields;
pub mod layout;
pub mod members;
pub mod partners;
pub mod projects;
pub mod row;
pub mod table;
pub mod totals;
pub mod values;

use crate::config::{Config, SourceConfig, SourceKind};
use crate::error::{Error, Result};
use crate::ingest::{InputFile, RawTable};
use crate::issues::{closest, Issue};
use crate::location::Location;
use crate::report::InputSummary;
use calamine::Data;
use clusters::{ClusterNames, Seen};
use fields::Field;
use layout::{Layout, MappingProblem};
use members::Member;
use partners::Partner;
use projects::Project;
use row::Row;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use values::ValueError;

/// The canonical data of a run.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub members: Vec<Member>,
    pub projects: Vec<Project>,
    pub partners: Vec<Partner>,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputSummary>,
}

/// Each member id's category.
pub type MemberCategories<'a> = FxHashMap<&'a str, crate::category::Category>;

impl Dataset {
    /// Each member id's category; a member listed in several clusters takes the
    /// category of its first row.
    pub fn member_categories(&self) -> MemberCategories<'_> {
        self.members
            .iter()
            .rev()
            .map(|m| (m.member_id.as_str(), m.category))
            .collect()
    }
}

/// A row left out of the figures; the reason is already among the issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

/// What row readers need besides the row.
pub struct Context {
    pub clusters: ClusterNames,
}

/// What is gathered while the files are read, besides the dataset.
#[derive(Default)]
struct Gathered {
    /// The column of the id (and of the lead member's id) in each table read,
    /// by kind, file and sheet: a duplicate or an unknown lead is reported at its
    /// cell, worked out from its row when it is found.
    id_columns: HashMap<TableKey, (u32, Option<u32>)>,
    /// Cluster names as written, when no list is configured.
    clusters: Vec<Seen>,
    /// Looked up for every row: a fast hash.
    cluster_index: FxHashMap<String, usize>,
}

/// A table read as one kind: kind, file and sheet.
type TableKey = (SourceKind, String, Option<String>);

impl Gathered {
    /// The cell of the id of the member or project read from row `source`.
    fn id_cell(&self, kind: SourceKind, source: &Location) -> Location {
        self.cell_at(kind, source, |(id, _)| Some(*id))
    }

    /// The cell of the lead member's id of the project read from row `source`.
    fn lead_cell(&self, source: &Location) -> Location {
        self.cell_at(SourceKind::Projects, source, |(_, lead)| *lead)
    }

    fn cell_at(
        &self,
        kind: SourceKind,
        source: &Location,
        column: impl Fn(&(u32, Option<u32>)) -> Option<u32>,
    ) -> Location {
        let key = (kind, source.file.clone(), source.sheet.clone());
        let col = self.id_columns.get(&key).and_then(column);
        Location {
            col: col.or(source.col),
            ..source.clone()
        }
    }
}

/// Normalises every input file. `relative` gives, for each file, its path relative
/// to the inputs folder (what `[[source]] path` globs match); `config_display` is
/// how the configuration file is shown in messages. Each file's cells are freed
/// on another core as soon as its rows are read.
///
/// # Errors
/// [`Error::Config`] when a `[[source]]` matches no file or does not fit the file
/// it names (a missing sheet or column), with the line of the configuration.
pub fn normalise(
    mut files: Vec<(InputFile, String)>,
    config: &Config,
    config_display: &str,
) -> Result<Dataset> {
    let config_error = |offset: Option<usize>, message: String| Error::Config {
        path: config_display.to_string(),
        line: offset.and_then(|o| config.line_at(o)),
        message,
    };
    check_sources_match(&files, config, &config_error)?;
    let ctx = Context {
        clusters: ClusterNames::new(&config.clusters),
    };
    let mut data = Dataset::default();
    let mut gathered = Gathered::default();
    // A million rows' cells take a while to free: each file's are freed on
    // another core as soon as its rows are read, and their memory handed back,
    // so that it is not held beside the next file's records.
    let (free, to_free) = std::sync::mpsc::channel::<Vec<RawTable>>();
    let freeing = std::thread::spawn(move || {
        for tables in to_free {
            drop(tables);
            crate::memory::release_freed();
        }
    });
    for (file, relative) in &mut files {
        let sources = sources_for(config, relative);
        let readings: Vec<Option<&SourceConfig>> = if sources.is_empty() {
            vec![None]
        } else {
            sources.into_iter().map(Some).collect()
        };
        // Which source read each sheet (None for CSV) as which kind.
        let mut read_by: HashMap<(String, Option<String>), &SourceConfig> = HashMap::new();
        for source in readings {
            let summary = normalise_file(file, source, &ctx, &mut data, &mut gathered).map_err(
                |problem| {
                    let source = source.expect("only a configured source can misfit");
                    config_error(
                        problem.offset.or(Some(source.span.start)),
                        format!(
                            "[[source]] path = \"{}\": {}: {}",
                            source.path, file.display, problem.message
                        ),
                    )
                },
            )?;
            if let Some(source) = source {
                let sheets: Vec<Option<String>> = if summary.sheets.is_empty() {
                    vec![None]
                } else {
                    summary.sheets.iter().cloned().map(Some).collect()
                };
                for sheet in sheets {
                    let key = (summary.kind.clone(), sheet);
                    if let Some(first) = read_by.get(&key) {
                        return Err(read_twice(config, &config_error, file, &key, first, source));
                    }
                    read_by.insert(key, source);
                }
            }
            data.inputs.push(summary);
        }
        let _ = free.send(std::mem::take(&mut file.tables));
    }
    drop(free);
    drop_duplicates(&mut data, &gathered);
    // The member ids, for both checks (a million of them at national scale).
    let member_ids: FxHashSet<&str> = data.members.iter().map(|m| m.member_id.as_str()).collect();
    let issues = &mut data.issues;
    check_lead_members(&data.projects, &member_ids, &gathered, issues);
    check_partners(&data.partners, &data.projects, &member_ids, issues);
    if let Err(panic) = freeing.join() {
        std::panic::resume_unwind(panic);
    }
    if ctx.clusters.listed().is_empty() {
        data.issues
            .extend(clusters::probable_duplicates(&gathered.clusters));
    }
    crate::issues::sort_for_reading(&mut data.issues);
    Ok(data)
}

/// Two `[[source]]` entries read the same sheet of `file` as the same kind:
/// its rows would count twice. The error is at the second entry and names the
/// line of the first.
fn read_twice(
    config: &Config,
    config_error: &dyn Fn(Option<usize>, String) -> Error,
    file: &InputFile,
    (kind, sheet): &(String, Option<String>),
    first: &SourceConfig,
    second: &SourceConfig,
) -> Error {
    let what = match sheet {
        Some(sheet) => format!("sheet '{sheet}' of {}", file.display),
        None => file.display.clone(),
    };
    let first_line = config
        .line_at(first.span.start)
        .map_or_else(|| "before it".to_string(), |line| format!("on line {line}"));
    config_error(
        Some(second.span.start),
        format!(
            "[[source]] path = \"{}\" reads {what} as {kind}, which the [[source]] {first_line} already does: its rows would count twice. Give each entry its own `sheet`, or remove one.",
            second.path
        ),
    )
}

/// Every `[[source]]` must match at least one file of the inputs folder.
fn check_sources_match(
    files: &[(InputFile, String)],
    config: &Config,
    config_error: &dyn Fn(Option<usize>, String) -> Error,
) -> Result<()> {
    for source in &config.sources {
        if files.iter().any(|(_, relative)| matches(source, relative)) {
            continue;
        }
        let names = files.iter().map(|(_, relative)| relative.as_str());
        let stem = |name: &str| {
            name.rsplit_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_string()
        };
        let same_stem = files.iter().map(|(_, relative)| relative).find(|relative| {
            crate::category::fold(&stem(relative)) == crate::category::fold(&stem(&source.path))
        });
        let hint = closest(&source.path, names)
            .or_else(|| same_stem.cloned())
            .map(|s| format!(" Did you mean '{s}'?"))
            .unwrap_or_default();
        return Err(config_error(
            Some(source.span.start),
            format!(
                "[[source]] path = \"{}\" matches no file of the inputs folder.{hint}",
                source.path
            ),
        ));
    }
    Ok(())
}

fn matches(source: &SourceConfig, relative: &str) -> bool {
    source.path == relative || glob::Pattern::new(&source.path).is_ok_and(|p| p.matches(relative))
}

/// Every `[[source]]` whose path glob matches `relative`, in the config's order:
/// one file may be read as members and again as partners (the CORDIS
/// organisations file is both).
fn sources_for<'a>(config: &'a Config, relative: &str) -> Vec<&'a SourceConfig> {
    config
        .sources
        .iter()
        .filter(|s| matches(s, relative))
        .collect()
}

fn normalise_file(
    file: &InputFile,
    source: Option<&SourceConfig>,
    ctx: &Context,
    data: &mut Dataset,
    gathered: &mut Gathered,
) -> std::result::Result<InputSummary, MappingProblem> {
    let mut summary = InputSummary {
        path: file.display.clone(),
        kind: "ignored".into(),
        sha256: file.sha256.clone(),
        ..InputSummary::default()
    };
    let wanted_sheet = source.and_then(|s| s.sheet.as_deref());
    let tables = file.tables.iter().filter(|t| match wanted_sheet {
        Some(sheet) => t.sheet.as_deref() == Some(sheet),
        None => true,
    });
    let mut read_any = false;
    let mut problem = None;
    for table in tables {
        match layout::detect(table, source) {
            Ok(Some(layout)) => {
                read_any = true;
                summary.kind = layout.kind.key().to_string();
                summary.sheets.extend(table.sheet.clone());
                read_table(table, &layout, ctx, data, gathered, &mut summary);
                if source.is_some() {
                    break;
                }
            }
            Ok(None) => {}
            Err(MappingProblem { offset, message }) => {
                let message = match &table.sheet {
                    Some(sheet) => format!("sheet '{sheet}': {message}"),
                    None => message,
                };
                problem.get_or_insert(MappingProblem { offset, message });
            }
        }
    }
    if read_any {
        return Ok(summary);
    }
    if let Some(problem) = problem {
        return Err(problem);
    }
    if let (Some(sheet), Some(source)) = (wanted_sheet, source) {
        return Err(missing_sheet(file, sheet, source));
    }
    data.issues.push(Issue::warning(
        Location::file(&file.display),
        "No sheet has a header naming members (member id, category, cluster), projects (project id, cluster, value, financing) or partners (project id, member id); the file is not used.",
    ));
    Ok(summary)
}

fn missing_sheet(file: &InputFile, sheet: &str, source: &SourceConfig) -> MappingProblem {
    let names: Vec<&str> = file
        .tables
        .iter()
        .filter_map(|t| t.sheet.as_deref())
        .collect();
    let hint = closest(sheet, names.iter().copied())
        .map(|s| format!(" Did you mean '{s}'?"))
        .unwrap_or_default();
    MappingProblem {
        offset: source.sheet_span.as_ref().map(|s| s.start),
        message: format!(
            "no sheet named '{sheet}'; the sheets are {}.{hint}",
            names.join(", ")
        ),
    }
}

fn read_table(
    table: &RawTable,
    layout: &Layout,
    ctx: &Context,
    data: &mut Dataset,
    gathered: &mut Gathered,
    summary: &mut InputSummary,
) {
    let id_field = match layout.kind {
        SourceKind::Members => Some(Field::MemberId),
        SourceKind::Projects => Some(Field::ProjectId),
        SourceKind::Partners => None,
    };
    if let Some(&id_col) = id_field.and_then(|field| layout.columns.get(&field)) {
        let lead_col = layout.columns.get(&Field::LeadMemberId).copied();
        let key = (layout.kind, table.file.clone(), table.sheet.clone());
        gathered.id_columns.insert(key, (id_col, lead_col));
    }
    let body = table::split(table, layout, &mut data.issues);
    let read = |rows: &[u32], room: usize| read_rows(table, layout, ctx, &body.fills, rows, room);
    for stretch in in_stretches(&body.rows, read) {
        summary.rows += stretch.rows;
        summary.rejected += stretch.rejected;
        append(&mut data.members, stretch.members);
        append(&mut data.projects, stretch.projects);
        append(&mut data.partners, stretch.partners);
        append(&mut data.issues, stretch.issues);
        for seen in stretch.clusters.clusters {
            gathered.saw_clusters(seen);
        }
    }
    if let Some(total) = body.total {
        data.issues
            .extend(totals::reconcile(table, layout, &body.rows, total));
    }
    if layout.kind == SourceKind::Projects {
        data.issues.extend(missing_columns(table, layout));
    }
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
    issues: Vec<Issue>,
    /// The cluster names seen, in the order of their first row.
    clusters: Gathered,
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
    let read = &read;
    std::thread::scope(|scope| {
        let readers: Vec<_> = rows
            .chunks(rows.len().div_ceil(threads))
            .enumerate()
            .map(|(i, stretch)| {
                let room = if i == 0 { rows.len() } else { stretch.len() };
                scope.spawn(move || read(stretch, room))
            })
            .collect();
        readers.into_iter().map(crate::threads::joined).collect()
    })
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
    }
    for &index in rows {
        out.rows += 1;
        if let Some((issue, reject)) = ragged(table, layout, index) {
            out.issues.push(issue);
            if reject {
                out.rejected += 1;
                continue;
            }
        }
        let row = Row::new(table, layout, fills, index);
        let kept = match layout.kind {
            SourceKind::Members => members::read(&row, ctx, &mut out.issues).map(|m| {
                out.clusters
                    .saw_cluster(&m.cluster, || row.location(Field::Cluster));
                out.members.push(m);
            }),
            SourceKind::Projects => projects::read(&row, ctx, &mut out.issues).map(|p| {
                out.clusters
                    .saw_cluster(&p.cluster, || row.location(Field::Cluster));
                out.projects.push(p);
            }),
            SourceKind::Partners => {
                partners::read(&row, &mut out.issues).map(|p| out.partners.push(p))
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
    [
        (Field::Call, "call", "grouped under no call"),
        (
            Field::ApprovedOn,
            "approval date (approved_on)",
            "counted in the portfolio of every period",
        ),
    ]
    .into_iter()
    .filter(|(field, _, _)| !layout.provides(*field))
    .map(|(field, what, consequence)| {
        Issue::warning(
            location.clone(),
            format!(
                "No column of {} gives the {what}, nor does a default or a rule: its projects are {consequence}.",
                table.name(),
            ),
        )
        .with_expected(format!("a column for {}", field.key()))
    })
    .collect()
}

impl Gathered {
    /// Counts the rows of a cluster name seen in a stretch read apart.
    fn saw_clusters(&mut self, seen: Seen) {
        match self.cluster_index.get(&seen.name) {
            Some(&i) => self.clusters[i].rows += seen.rows,
            None => {
                self.cluster_index
                    .insert(seen.name.clone(), self.clusters.len());
                self.clusters.push(seen);
            }
        }
    }

    fn saw_cluster(&mut self, name: &str, location: impl FnOnce() -> Location) {
        match self.cluster_index.get(name) {
            Some(&i) => self.clusters[i].rows += 1,
            None => self.saw_clusters(Seen {
                name: name.to_string(),
                first: location(),
                rows: 1,
            }),
        }
    }
}

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
    let issue = if extra_empty {
        Issue::warning(
            table.row_location(row),
            format!(
                "Line {line} has {found} fields but the header has {expected}; the extra fields are empty and are ignored."
            ),
        )
    } else {
        Issue::error(
            table.row_location(row),
            format!(
                "Line {line} has {found} fields but the header has {expected}: a delimiter is missing or too many (an unescaped quote inside a field often does this). The row is left out rather than guessed."
            ),
        )
    };
    Some((
        issue
            .with_value(first)
            .with_expected(format!("{expected} fields")),
        !extra_empty,
    ))
}

/// An unknown cluster's message lists the configured clusters up to this many.
const MAX_CLUSTERS_LISTED: usize = 12;

/// The cluster of a row, matched against the configured clusters.
pub fn cluster(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<String> {
    let value = members::required_text(row, Field::Cluster, "the cluster's name", issues)?;
    match ctx.clusters.resolve(&value) {
        Ok(name) => Some(name),
        Err(suggestion) => {
            let listed = ctx.clusters.listed();
            // A short list helps; a national portfolio's thousand names would
            // bury the message (the suggestion names the closest one).
            let among = if listed.len() <= MAX_CLUSTERS_LISTED {
                format!("the clusters of consolida.toml ({})", listed.join(", "))
            } else {
                format!("the {} clusters of consolida.toml", listed.len())
            };
            issues.push(
                Issue::error(
                    row.location(Field::Cluster),
                    format!(
                        "Unknown cluster '{value}': it is not among {among}; the row is left out."
                    ),
                )
                .with_value(value)
                .with_expected("one of the clusters of consolida.toml")
                .with_suggestion(suggestion),
            );
            None
        }
    }
}

/// An optional field as read by `read`: `Ok(None)` when the cell is empty; any
/// other problem is recorded as an issue and the row is rejected.
pub fn optional_value<T>(
    row: &Row,
    field: Field,
    issues: &mut Vec<Issue>,
    read: impl FnOnce(&Data) -> std::result::Result<T, ValueError>,
) -> std::result::Result<Option<T>, Rejected> {
    let cell = row.get(field);
    match read(&cell) {
        Ok(value) => Ok(Some(value)),
        Err(ValueError::Missing) => Ok(None),
        Err(problem) => {
            issues.push(value_issue(row.location(field), field, &cell, problem));
            Err(Rejected)
        }
    }
}

/// The issue for a cell that holds the wrong kind of value.
pub fn value_issue(location: Location, field: Field, cell: &Data, problem: ValueError) -> Issue {
    let raw = values::raw(cell);
    let (message, expected) = match problem {
        ValueError::Missing => (
            format!("The {} is missing; the row is left out.", field.key()),
            "a value".to_string(),
        ),
        ValueError::Invalid(expected) => (
            format!(
                "The {} '{raw}' is not {expected}; the row is left out.",
                field.key()
            ),
            expected.to_string(),
        ),
        ValueError::SubCent => (
            format!(
                "The {} '{raw}' has fractions of a cent; the row is left out.",
                field.key()
            ),
            "an amount in whole cents".to_string(),
        ),
        ValueError::CellError(error) => (
            format!(
                "The {} cell holds the spreadsheet error {error} (a formula that failed); the row is left out.",
                field.key()
            ),
            "a value, not a formula error".to_string(),
        ),
    };
    Issue::error(location, message)
        .with_value(raw)
        .with_expected(expected)
}

/// The same member twice in one cluster is one member; the same project id twice
/// is one project; the same partner twice in a project is one partner. Later rows
/// are named by an issue that also names the first.
fn drop_duplicates(data: &mut Dataset, gathered: &Gathered) {
    let mut issues = Vec::new();
    let members = &data.members;
    let earlier = earlier_duplicates(members, |m| (m.member_id.as_str(), m.cluster.as_str()));
    for (m, first) in members.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        let first = gathered.id_cell(SourceKind::Members, &members[*first].source);
        issues.push(
            Issue::warning(
                gathered.id_cell(SourceKind::Members, &m.source),
                format!(
                    "Member {} appears again in cluster {} (first at {first}); it is counted once.",
                    m.member_id, m.cluster
                ),
            )
            .with_value(m.member_id.clone()),
        );
    }
    keep_first_occurrences(&mut data.members, &earlier);

    let projects = &data.projects;
    let earlier = earlier_duplicates(projects, |p| p.project_id.as_str());
    let mut rejected: HashMap<String, u64> = HashMap::new();
    for (p, first) in projects.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        let first = gathered.id_cell(SourceKind::Projects, &projects[*first].source);
        issues.push(
            Issue::error(
                gathered.id_cell(SourceKind::Projects, &p.source),
                format!(
                    "Project {} appears again (first at {first}); this row is left out.",
                    p.project_id
                ),
            )
            .with_value(p.project_id.clone())
            .with_expected("a project code not used by another row"),
        );
        *rejected.entry(p.source.file.clone()).or_default() += 1;
    }
    keep_first_occurrences(&mut data.projects, &earlier);

    let partners = &data.partners;
    let earlier = earlier_duplicates(partners, |p| (p.project_id.as_str(), p.member_id.as_str()));
    for (p, first) in partners.iter().zip(&earlier) {
        let Some(first) = first else { continue };
        issues.push(
            Issue::warning(
                p.source.clone(),
                format!(
                    "Partner {} of project {} appears again (first at {}); it is counted once.",
                    p.member_id, p.project_id, partners[*first].source
                ),
            )
            .with_value(p.member_id.clone()),
        );
    }
    keep_first_occurrences(&mut data.partners, &earlier);

    for input in data.inputs.iter_mut().filter(|i| i.kind == "projects") {
        input.rejected += rejected.get(&input.path).copied().unwrap_or(0);
    }
    data.issues.extend(issues);
}

/// For each item, the position of the first item with the same key when it is
/// not itself the first.
fn earlier_duplicates<'a, T, K: std::hash::Hash + Eq>(
    items: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<Option<usize>> {
    let mut first: FxHashMap<K, usize> =
        FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match first.entry(key(item)) {
            Entry::Occupied(entry) => Some(*entry.get()),
            Entry::Vacant(entry) => {
                entry.insert(i);
                None
            }
        })
        .collect()
}

/// Keeps the items that [`earlier_duplicates`] found no earlier twin for.
fn keep_first_occurrences<T>(items: &mut Vec<T>, earlier: &[Option<usize>]) {
    let mut position = 0;
    items.retain(|_| {
        let keep = earlier[position].is_none();
        position += 1;
        keep
    });
}

/// A lead member must be a member of some cluster.
fn check_lead_members(
    projects: &[Project],
    ids: &FxHashSet<&str>,
    gathered: &Gathered,
    issues: &mut Vec<Issue>,
) {
    if ids.is_empty() {
        return;
    }
    // The ids in order, for suggestions: sorted only if a lead is unknown.
    let mut sorted: Vec<&str> = Vec::new();
    for project in projects {
        let Some(lead) = &project.lead_member_id else {
            continue;
        };
        if ids.contains(lead.as_str()) {
            continue;
        }
        if sorted.is_empty() {
            sorted = ids.iter().copied().collect();
            sorted.sort_unstable();
        }
        let cell = gathered.lead_cell(&project.source);
        issues.push(
            Issue::warning(
                cell,
                format!(
                    "The lead member {lead} of project {} is not in the member lists.",
                    project.project_id
                ),
            )
            .with_value(lead.clone())
            .with_expected("the id of a member")
            .with_suggestion(closest(lead, sorted.iter().copied())),
        );
    }
}

/// A partner must be a member, of a project that exists (each checked when there
/// are members, respectively projects, at all).
fn check_partners(
    partners: &[Partner],
    projects: &[Project],
    members: &FxHashSet<&str>,
    issues: &mut Vec<Issue>,
) {
    if partners.is_empty() {
        return;
    }
    let projects: FxHashSet<&str> = projects.iter().map(|p| p.project_id.as_str()).collect();
    // The codes in order, for suggestions: sorted only if a project is unknown.
    let mut sorted: Vec<&str> = Vec::new();
    for partner in partners {
        if !members.is_empty() && !members.contains(partner.member_id.as_str()) {
            issues.push(
                Issue::warning(
                    partner.member_cell.clone(),
                    format!(
                        "The partner {} of project {} is not in the member lists.",
                        partner.member_id, partner.project_id
                    ),
                )
                .with_value(partner.member_id.clone())
                .with_expected("the id of a member"),
            );
        }
        if !projects.is_empty() && !projects.contains(partner.project_id.as_str()) {
            if sorted.is_empty() {
                sorted = projects.iter().copied().collect();
                sorted.sort_unstable();
            }
            issues.push(
                Issue::warning(
                    partner.project_cell.clone(),
                    format!(
                        "The project {} of partner {} is not in the project lists.",
                        partner.project_id, partner.member_id
                    ),
                )
                .with_value(partner.project_id.clone())
                .with_expected("the code of a project")
                .with_suggestion(closest(&partner.project_id, sorted.iter().copied())),
            );
        }
    }
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
                    out.issues
                        .push(Issue::warning(Location::file(row.to_string()), "odd row"));
                    out.rejected += 1;
                }
                // Some names recur in every stretch, one starts late.
                let name = format!("cluster {}", row % 3 + row / 50_000);
                out.clusters
                    .saw_cluster(&name, || Location::file(row.to_string()));
            }
            out
        };
        let merge = |stretches: Vec<Stretch>| {
            let (mut rows, mut rejected, mut issues) = (0, 0, Vec::new());
            let mut gathered = Gathered::default();
            for stretch in stretches {
                rows += stretch.rows;
                rejected += stretch.rejected;
                append(&mut issues, stretch.issues);
                for seen in stretch.clusters.clusters {
                    gathered.saw_clusters(seen);
                }
            }
            let clusters: Vec<(String, Location, usize)> = gathered
                .clusters
                .into_iter()
                .map(|s| (s.name, s.first, s.rows))
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
