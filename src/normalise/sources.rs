//! Which `[[source]]` entries of the configuration read which input file, and the
//! configuration errors when they do not fit: an entry that matches no file, one
//! that names a sheet the file lacks or a column its header lacks, and two that
//! read the same sheet.

use super::layout::MappingProblem;
use crate::config::{Config, SourceConfig};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::ingest::InputFile;
use crate::report::InputSummary;
use crate::schema::InputKind;
use crate::suggestion::{closest, ending_with, Suggestion};
use std::collections::HashMap;

/// Every `[[source]]` must match at least one file of the inputs folder; `files`
/// come with their paths relative to the folder.
///
/// # Errors
/// [`Error::Config`] at the first entry that matches no file, with the closest
/// file name.
pub(crate) fn check_all_match(files: &[(InputFile, String)], config: &Config) -> Result<()> {
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
        let same_stem = files
            .iter()
            .map(|(_, relative)| relative.as_str())
            .find(|relative| fold(&stem(relative)) == fold(&stem(&source.path)));
        let suggestion = closest(&source.path, names).or(same_stem.map(|name| Suggestion { name }));
        return Err(config.error_at(
            Some(source.span.start),
            ending_with(
                format!(
                    "[[source]] path = \"{}\" matches no file of the inputs folder.",
                    source.path
                ),
                suggestion,
            ),
        ));
    }
    Ok(())
}

/// Whether the path of `source`, a name or a glob, matches the file `relative`.
pub(crate) fn matches(source: &SourceConfig, relative: &str) -> bool {
    source.path == relative || glob::Pattern::new(&source.path).is_ok_and(|p| p.matches(relative))
}

/// Every `[[source]]` whose path glob matches `relative`, in the config's order:
/// one file may be read as members and again as partners (the CORDIS
/// organisations file is both).
pub(crate) fn for_file<'a>(config: &'a Config, relative: &str) -> Vec<&'a SourceConfig> {
    config
        .sources
        .iter()
        .filter(|s| matches(s, relative))
        .collect()
}

/// The configuration error for a `[[source]]` that does not fit `file`.
pub(crate) fn misfit(
    config: &Config,
    source: &SourceConfig,
    file: &InputFile,
    problem: MappingProblem,
) -> Error {
    config.error_at(
        problem.offset.or(Some(source.span.start)),
        format!(
            "[[source]] path = \"{}\": {}: {}",
            source.path, file.display, problem.message
        ),
    )
}

/// `sheet`, named by `source`, is not among the sheets of `file`.
pub(crate) fn missing_sheet(
    file: &InputFile,
    sheet: &str,
    source: &SourceConfig,
) -> MappingProblem {
    let names: Vec<&str> = file
        .tables
        .iter()
        .filter_map(|t| t.sheet.as_deref())
        .collect();
    MappingProblem {
        offset: source.sheet_span.as_ref().map(|s| s.start),
        message: ending_with(
            format!(
                "no sheet named '{sheet}'; the sheets are {}.",
                names.join(", ")
            ),
            closest(sheet, names.iter().copied()),
        ),
    }
}

/// The sheets of one file read so far (`None` for a CSV file), as what, and the
/// `[[source]]` that read each.
#[derive(Default)]
pub(crate) struct SheetsRead<'a> {
    by: HashMap<(InputKind, Option<String>), &'a SourceConfig>,
}

impl<'a> SheetsRead<'a> {
    /// Notes the sheets `source` read, as `summary` gives them.
    ///
    /// # Errors
    /// [`Error::Config`] when an earlier `[[source]]` read one of them as the
    /// same kind: its rows would count twice.
    pub(crate) fn note(
        &mut self,
        config: &Config,
        file: &InputFile,
        summary: &InputSummary,
        source: &'a SourceConfig,
    ) -> Result<()> {
        let sheets: Vec<Option<String>> = if summary.sheets.is_empty() {
            vec![None]
        } else {
            summary.sheets.iter().cloned().map(Some).collect()
        };
        for sheet in sheets {
            let key = (summary.kind, sheet);
            if let Some(first) = self.by.get(&key) {
                return Err(read_twice(config, file, &key, first, source));
            }
            self.by.insert(key, source);
        }
        Ok(())
    }
}

/// Two `[[source]]` entries read the same sheet of `file` as the same kind:
/// its rows would count twice. The error is at the second entry and names the
/// line of the first.
fn read_twice(
    config: &Config,
    file: &InputFile,
    (kind, sheet): &(InputKind, Option<String>),
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
    config.error_at(
        Some(second.span.start),
        format!(
            "[[source]] path = \"{}\" reads {what} as {}, which the [[source]] {first_line} already does: its rows would count twice. Give each entry its own `sheet`, or remove one.",
            second.path,
            kind.key()
        ),
    )
}
