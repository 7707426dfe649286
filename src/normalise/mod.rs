//! Normalise and validate: raw tables become canonical members, projects,
//! partners and targets rows, and every problem becomes an [`Issue`] with its file, sheet and cell.
//!
//! Nothing is dropped silently: a row is either in the figures or named by an issue
//! that says why it is not (an error in a required field, a subtotal, a note below
//! the table); each file's rows read and rejected are counted.

pub(crate) mod cells;
pub(crate) mod clusters;
pub(crate) mod cross_checks;
pub(crate) mod header_words;
pub(crate) mod inspect;
pub(crate) mod layout;
pub(crate) mod members;
pub(crate) mod partners;
pub(crate) mod projects;
pub(crate) mod records;
pub(crate) mod row;
pub(crate) mod sources;
pub(crate) mod table;
pub(crate) mod targets;
pub(crate) mod totals;
pub(crate) mod values;

use crate::config::{Config, SourceConfig};
use crate::error::Result;
use crate::ingest::{InputFile, RawTable};
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::report::InputSummary;
use crate::schema::InputKind;
use crate::text::Text;
use crate::threads::Freeing;
use cells::Context;
use clusters::ClusterNames;
use layout::MappingProblem;
use members::Member;
use partners::Partner;
use projects::Project;
use records::Gathered;
use rustc_hash::FxHashMap;
use sources::SheetsRead;
use targets::TargetRow;

/// The canonical data of a run.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub(crate) members: Vec<Member>,
    pub(crate) projects: Vec<Project>,
    pub(crate) partners: Vec<Partner>,
    /// The rows of targets sheets, as text for the monitoring to interpret.
    pub(crate) targets: Vec<TargetRow>,
    pub(crate) issues: Vec<Issue>,
    pub(crate) inputs: Vec<InputSummary>,
}

/// Each member id's category.
pub(crate) type MemberCategories<'a> = FxHashMap<&'a str, crate::category::Category>;

impl Dataset {
    /// Each member id's category; a member listed in several clusters takes the
    /// category of its first row.
    pub(crate) fn member_categories(&self) -> MemberCategories<'_> {
        self.members
            .iter()
            .rev()
            .map(|m| (m.member_id.as_str(), m.category))
            .collect()
    }
}

/// Normalises every input file. `relative` gives, for each file, its path relative
/// to the inputs folder (what `[[source]] path` globs match). Each file's cells
/// are freed on another core as soon as its rows are read.
///
/// # Errors
/// [`crate::error::Error::Config`] when a `[[source]]` matches no file, does not
/// fit the file it names (a missing sheet or column), or reads a sheet another
/// entry already reads, with the line of the configuration.
pub fn normalise(mut files: Vec<(InputFile, String)>, config: &Config) -> Result<Dataset> {
    sources::check_all_match(&files, config)?;
    let ctx = Context {
        clusters: ClusterNames::new(&config.clusters),
        categories: config.own_categories(),
    };
    let mut data = Dataset::default();
    let mut gathered = Gathered::default();
    // A million rows' cells take a while to free: each file's are freed on
    // another core as soon as its rows are read, and their memory handed back,
    // so that it is not held beside the next file's records.
    let freeing = Freeing::<Vec<RawTable>>::start();
    for (file, relative) in &mut files {
        let matching = sources::for_file(config, relative);
        let readings: Vec<Option<&SourceConfig>> = if matching.is_empty() {
            vec![None]
        } else {
            matching.into_iter().map(Some).collect()
        };
        let mut sheets_read = SheetsRead::default();
        for source in readings {
            let summary = normalise_file(file, source, &ctx, &mut data, &mut gathered).map_err(
                |problem| {
                    let source = source.expect("only a configured source can misfit");
                    sources::misfit(config, source, file, problem)
                },
            )?;
            if let Some(source) = source {
                sheets_read.note(config, file, &summary, source)?;
            }
            data.inputs.push(summary);
        }
        freeing.free(std::mem::take(&mut file.tables));
    }
    cross_checks::run(&mut data, &gathered.id_columns);
    freeing.finish();
    if ctx.clusters.listed().is_empty() {
        data.issues
            .extend(clusters::probable_duplicates(gathered.clusters.names()));
    }
    crate::issues::sort_for_reading(&mut data.issues);
    Ok(data)
}

/// Reads `file` as `source` says, or as its headers suggest without one; the
/// summary says what it was read as.
fn normalise_file(
    file: &InputFile,
    source: Option<&SourceConfig>,
    ctx: &Context,
    data: &mut Dataset,
    gathered: &mut Gathered,
) -> std::result::Result<InputSummary, MappingProblem> {
    let mut summary = InputSummary {
        path: file.display.clone(),
        kind: InputKind::Ignored,
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
                summary.kind = InputKind::Data(layout.kind);
                summary.sheets.extend(table.sheet.clone());
                records::read_table(table, &layout, ctx, data, gathered, &mut summary);
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
        return Err(sources::missing_sheet(file, sheet, source));
    }
    data.issues.push(Issue::warning(
        Location::file(&file.display),
        IssueKind::NoTable,
        Text::new(
            "Nessun foglio ha un'intestazione che indichi soci (codice socio, categoria, cluster), progetti (codice progetto, cluster, valore, finanziamento), partner (codice progetto, codice socio) o obiettivi (cluster, indicatore, mese, valore); il file non è usato.",
            "No sheet has a header naming members (member id, category, cluster), projects (project id, cluster, value, financing), partners (project id, member id) or targets (cluster, indicator, month, value); the file is not used.",
        ),
    ));
    Ok(summary)
}
