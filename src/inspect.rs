//! `consolida inspect FILE…`: what consolida sees in spreadsheets, for a person
//! writing `consolida.toml` for a new layout. Each file is read as a run reads
//! it ([`crate::ingest`]) and each sheet sorted out as a run sorts it
//! ([`crate::normalise::inspect`]); this module prints the result as text, as
//! one JSON document (`--json`), or every cell as read, one JSON object a line
//! (`--cells`), so that any other reader can be compared with it.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{read_file, InputFile};
use crate::normalise::inspect::{inspect, SheetInspection};
use crate::settings::{InspectOutput, InspectSettings};
use calamine::Data;
use serde_json::{json, Value};
use std::io::Write;

/// How many issues of a sheet the text lists before counting the rest.
const SHOWN_ISSUES: usize = 10;

/// Prints the inspection of every file on stdout; exit code 0.
pub(crate) fn print(settings: &InspectSettings) -> Result<i32> {
    let config = match &settings.config {
        Some(path) => Config::load(path, &path.display().to_string())?,
        None => Config::default(),
    };
    let mut out = std::io::stdout().lock();
    let mut documents = Vec::new();
    for path in &settings.files {
        let shown = path.display().to_string();
        let (file, read_issues) = read_file(path, &shown)?;
        let name = path
            .file_name()
            .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
        let read_issues: Vec<String> = read_issues
            .iter()
            .map(|issue| issue.line(crate::labels::Lang::En))
            .collect();
        let written = match settings.output {
            InspectOutput::Cells => write_cells(&mut out, &file),
            InspectOutput::Text => {
                let sheets = inspect(&file, &name, &config);
                out.write_all(text(&file, &read_issues, &sheets).as_bytes())
            }
            InspectOutput::Json => {
                let sheets = inspect(&file, &name, &config);
                documents.push(json!({
                    "file": file.display,
                    "sha256": file.sha256,
                    "read_issues": read_issues,
                    "sheets": sheets,
                }));
                Ok(())
            }
        };
        written.map_err(stdout_closed)?;
    }
    if settings.output == InspectOutput::Json {
        let document = json!({ "files": documents });
        writeln!(out, "{document:#}").map_err(stdout_closed)?;
    }
    Ok(0)
}

fn stdout_closed(e: std::io::Error) -> Error {
    Error::usage(
        format!("L'ispezione non si è potuta scrivere su stdout ({e})."),
        format!("The inspection could not be written to stdout ({e})."),
    )
}

/// The text form of one file's inspection.
fn text(file: &InputFile, read_issues: &[String], sheets: &[SheetInspection]) -> String {
    let mut out = format!("{}\n", file.display);
    for issue in read_issues {
        out.push_str(&format!("  {issue}\n"));
    }
    for sheet in sheets {
        out.push_str(&sheet_text(sheet));
    }
    out
}

fn sheet_text(s: &SheetInspection) -> String {
    let name = s
        .sheet
        .as_ref()
        .map_or("the table".to_string(), |n| format!("sheet '{n}'"));
    let mut out = format!(
        "  {name}: {} rows × {} columns, {} cells\n",
        s.rows, s.columns, s.cells
    );
    let Some(kind) = s.kind else {
        out.push_str(&format!("    not read: {}\n", s.why));
        return out;
    };
    out.push_str(&format!("    read as {kind}: {}\n", s.why));
    if let Some(line) = s.source_line {
        out.push_str(&format!(
            "    by the [[source]] on line {line} of the configuration\n"
        ));
    }
    let rows: Vec<String> = s.header_rows.iter().map(u32::to_string).collect();
    out.push_str(&format!("    header (row {}):\n", rows.join(" and ")));
    let width = s
        .header
        .iter()
        .map(|c| c.header.chars().count())
        .max()
        .unwrap_or(0);
    for c in &s.header {
        let mapped = match (c.field, &c.closest) {
            (Some(field), _) => field.to_string(),
            (None, Some(closest)) => format!("no field (the closest: {closest})"),
            (None, None) => "no field".to_string(),
        };
        out.push_str(&format!(
            "      {:<3} {:<width$}  → {mapped}\n",
            c.column, c.header
        ));
    }
    for (field, value) in &s.defaults {
        out.push_str(&format!(
            "      {field} = '{value}' (a default of the source)\n"
        ));
    }
    if s.rules > 0 {
        out.push_str(&format!(
            "      {} [[source.rules]] set {}\n",
            s.rules,
            s.rule_fields.join(", ")
        ));
    }
    let total = s.total_row.map_or("no total row".to_string(), |r| {
        format!("the total on row {r}")
    });
    out.push_str(&format!(
        "    rows: {} data rows, {total}, {} cells filled from merged block labels; {} read, {} rejected\n",
        s.data_rows, s.filled_cells, s.rows_read, s.rows_rejected
    ));
    if !s.issues.is_empty() {
        out.push_str(&format!("    issues ({}):\n", s.issues.len()));
        for issue in s.issues.iter().take(SHOWN_ISSUES) {
            out.push_str(&format!("      {issue}\n"));
        }
        if s.issues.len() > SHOWN_ISSUES {
            out.push_str(&format!(
                "      … and {} more (consolida validate --log-format json lists them all)\n",
                s.issues.len() - SHOWN_ISSUES
            ));
        }
    }
    if !s.first_records.is_empty() {
        out.push_str("    first records, as read:\n");
        for (i, record) in s.first_records.iter().enumerate() {
            let fields: Vec<String> = record
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            out.push_str(&format!("      {}. {}\n", i + 1, fields.join(" · ")));
        }
    }
    out
}

/// Every cell of `file` as read, one JSON object a line: file, sheet, row and
/// column (from 1, and the column's letters), type and value.
fn write_cells(out: &mut impl Write, file: &InputFile) -> std::io::Result<()> {
    for table in &file.tables {
        for row in table.grid.rows() {
            for (col, cell) in row.cells() {
                let (kind, value) = typed(cell);
                let line = json!({
                    "file": file.display,
                    "sheet": table.sheet,
                    "row": row.row + 1,
                    "column": col + 1,
                    "cell": format!("{}{}", crate::location::column_name(*col), row.row + 1),
                    "type": kind,
                    "value": value,
                });
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// A cell's type and its value as JSON.
fn typed(cell: &Data) -> (&'static str, Value) {
    match cell {
        Data::Int(i) => ("int", json!(i)),
        Data::Float(f) => ("float", json!(f)),
        Data::String(s) => ("string", json!(s)),
        Data::Bool(b) => ("bool", json!(b)),
        Data::DateTime(d) => ("datetime", json!(d.as_f64())),
        Data::DateTimeIso(s) => ("datetime_iso", json!(s)),
        Data::DurationIso(s) => ("duration_iso", json!(s)),
        Data::Error(e) => ("error", json!(e.to_string())),
        Data::Empty => ("empty", Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_type_has_a_name_and_a_json_value() {
        assert_eq!(typed(&Data::Int(7)), ("int", json!(7)));
        assert_eq!(
            typed(&Data::String("0123".into())),
            ("string", json!("0123"))
        );
        assert_eq!(typed(&Data::Empty), ("empty", Value::Null));
        assert_eq!(
            typed(&Data::Error(calamine::CellErrorType::Div0)).0,
            "error"
        );
    }
}
