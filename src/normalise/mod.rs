//! Normalise and validate: raw tables become canonical members and projects, and
//! every problem becomes an [`Issue`] with its file, sheet and cell.
//!
//! Nothing is dropped silently: a row is either in the figures or named by an error
//! that says why it is not; each file's rows read and rejected are counted.

pub mod clusters;
pub mod fields;
pub mod layout;
pub mod members;
pub mod projects;
pub mod row;
pub mod values;

use crate::config::{Config, SourceConfig, SourceKind};
use crate::error::{Error, Result};
use crate::ingest::{InputFile, RawTable};
use crate::issues::Issue;
use crate::location::Location;
use crate::report::InputSummary;
use calamine::Data;
use clusters::ClusterNames;
use fields::Field;
use members::Member;
use projects::Project;
use row::Row;
use std::collections::HashMap;
use values::ValueError;

/// The canonical data of a run.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub members: Vec<Member>,
    pub projects: Vec<Project>,
    pub issues: Vec<Issue>,
    pub inputs: Vec<InputSummary>,
}

/// A row left out of the figures; the reason is already among the issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

/// What row readers need besides the row.
pub struct Context {
    pub clusters: ClusterNames,
}

/// Normalises every input file. `relative` gives, for each file, its path relative
/// to the inputs folder (what `[[source]] path` globs match).
///
/// # Errors
/// [`Error::Config`] when a `[[source]]` does not fit the file it names.
pub fn normalise(
    files: &[(InputFile, String)],
    config: &Config,
    config_display: &str,
) -> Result<Dataset> {
    let ctx = Context {
        clusters: ClusterNames::new(&config.clusters),
    };
    let mut data = Dataset::default();
    for (file, relative) in files {
        let source = source_for(config, relative);
        let summary =
            normalise_file(file, source, &ctx, &mut data).map_err(|message| Error::Config {
                path: config_display.to_string(),
                line: None,
                message: format!(
                    "[[source]] path = \"{}\": {}: {message}",
                    source.map(|s| s.path.as_str()).unwrap_or(""),
                    file.display
                ),
            })?;
        data.inputs.push(summary);
    }
    drop_duplicates(&mut data);
    check_lead_members(&mut data);
    crate::issues::sort_for_reading(&mut data.issues);
    Ok(data)
}

/// The first `[[source]]` whose path glob matches `relative`.
fn source_for<'a>(config: &'a Config, relative: &str) -> Option<&'a SourceConfig> {
    config.sources.iter().find(|s| {
        glob::Pattern::new(&s.path).is_ok_and(|p| p.matches(relative)) || s.path == relative
    })
}

fn normalise_file(
    file: &InputFile,
    source: Option<&SourceConfig>,
    ctx: &Context,
    data: &mut Dataset,
) -> std::result::Result<InputSummary, String> {
    let mut summary = InputSummary {
        path: file.display.clone(),
        kind: "ignored".into(),
        sha256: file.sha256.clone(),
        rows: 0,
        rejected: 0,
    };
    let tables = file
        .tables
        .iter()
        .filter(|t| match source.and_then(|s| s.sheet.as_deref()) {
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
                read_table(table, &layout, ctx, data, &mut summary);
                if source.is_some() {
                    break;
                }
            }
            Ok(None) => {}
            Err(layout::MappingProblem(message)) => {
                problem.get_or_insert(format!(
                    "sheet '{}': {message}",
                    table.sheet.as_deref().unwrap_or("")
                ));
            }
        }
    }
    if !read_any {
        if let Some(problem) = problem {
            return Err(problem);
        }
        if let Some(sheet) = source.and_then(|s| s.sheet.as_deref()) {
            if !file
                .tables
                .iter()
                .any(|t| t.sheet.as_deref() == Some(sheet))
            {
                let names: Vec<&str> = file
                    .tables
                    .iter()
                    .filter_map(|t| t.sheet.as_deref())
                    .collect();
                return Err(format!(
                    "no sheet named '{sheet}'; the sheets are {}.",
                    names.join(", ")
                ));
            }
        }
        data.issues.push(Issue::warning(
            Location::file(&file.display),
            "No sheet has a header naming members (member id, category, cluster) or projects (project id, cluster, value, financing); the file is not used.",
        ));
    }
    Ok(summary)
}

fn read_table(
    table: &RawTable,
    layout: &layout::Layout,
    ctx: &Context,
    data: &mut Dataset,
    summary: &mut InputSummary,
) {
    for index in layout.header_row + 1..table.range.height() {
        let row = Row::new(table, layout, index);
        if row.is_blank() {
            continue;
        }
        summary.rows += 1;
        let kept = match layout.kind {
            SourceKind::Members => {
                members::read(&row, ctx, &mut data.issues).map(|m| data.members.push(m))
            }
            SourceKind::Projects => {
                projects::read(&row, ctx, &mut data.issues).map(|p| data.projects.push(p))
            }
            SourceKind::Partners => Some(()),
        };
        if kept.is_none() {
            summary.rejected += 1;
        }
    }
}

/// The cluster of a row, matched against the configured clusters.
pub fn cluster(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<String> {
    let Some(value) = row.text(Field::Cluster) else {
        issues.push(Issue::error(
            row.location(Field::Cluster),
            "The cluster is missing; the row is left out.",
        ));
        return None;
    };
    match ctx.clusters.resolve(&value) {
        Ok(name) => Some(name),
        Err(suggestion) => {
            issues.push(
                Issue::error(
                    row.location(Field::Cluster),
                    format!(
                        "Unknown cluster '{value}': it is not among the clusters of consolida.toml ({}); the row is left out.",
                        ctx.clusters.listed().join(", ")
                    ),
                )
                .with_value(value)
                .with_suggestion(suggestion),
            );
            None
        }
    }
}

/// The issue for a cell that holds the wrong kind of value.
pub fn value_issue(location: Location, field: Field, cell: &Data, problem: ValueError) -> Issue {
    let raw = values::raw(cell);
    let message = match problem {
        ValueError::Missing => format!("The {} is missing; the row is left out.", field.key()),
        ValueError::Invalid(expected) => {
            format!(
                "The {} '{raw}' is not {expected}; the row is left out.",
                field.key()
            )
        }
        ValueError::SubCent => format!(
            "The {} '{raw}' has fractions of a cent; the row is left out.",
            field.key()
        ),
        ValueError::CellError(error) => {
            format!(
                "The {} cell holds the spreadsheet error {error}; the row is left out.",
                field.key()
            )
        }
    };
    Issue::error(location, message).with_value(raw)
}

/// The same member twice in one cluster is one member; the same project id twice is
/// one project. Later rows are named by an issue and left out.
fn drop_duplicates(data: &mut Dataset) {
    let mut seen_members: HashMap<(String, String), Location> = HashMap::new();
    let mut issues = Vec::new();
    data.members.retain(|m| {
        let key = (m.member_id.clone(), m.cluster.clone());
        match seen_members.get(&key) {
            Some(first) => {
                issues.push(Issue::warning(
                    m.source.clone(),
                    format!(
                        "Member {} appears again in cluster {} (first at {first}); it is counted once.",
                        m.member_id, m.cluster
                    ),
                ));
                false
            }
            None => {
                seen_members.insert(key, m.source.clone());
                true
            }
        }
    });
    let mut seen_projects: HashMap<String, Location> = HashMap::new();
    let mut rejected: HashMap<String, u64> = HashMap::new();
    data.projects
        .retain(|p| match seen_projects.get(&p.project_id) {
            Some(first) => {
                issues.push(Issue::error(
                    p.source.clone(),
                    format!(
                        "Project {} appears again (first at {first}); this row is left out.",
                        p.project_id
                    ),
                ));
                *rejected.entry(p.source.file.clone()).or_default() += 1;
                false
            }
            None => {
                seen_projects.insert(p.project_id.clone(), p.source.clone());
                true
            }
        });
    for input in &mut data.inputs {
        input.rejected += rejected.get(&input.path).copied().unwrap_or(0);
    }
    data.issues.extend(issues);
}

/// A lead member must be a member of some cluster.
fn check_lead_members(data: &mut Dataset) {
    if data.members.is_empty() {
        return;
    }
    let ids: std::collections::HashSet<&str> =
        data.members.iter().map(|m| m.member_id.as_str()).collect();
    for project in &data.projects {
        if let Some(lead) = &project.lead_member_id {
            if !ids.contains(lead.as_str()) {
                data.issues.push(
                    Issue::warning(
                        project.source.clone(),
                        format!(
                            "The lead member {lead} of project {} is not in the member lists.",
                            project.project_id
                        ),
                    )
                    .with_value(lead.clone()),
                );
            }
        }
    }
}
