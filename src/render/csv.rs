//! CSV exports: one file per table of [`crate::render::exports`], with a stable
//! schema for scheduled jobs.
//!
//! Column names are the canonical English keys, amounts have a dot and two
//! decimals (and their cents beside them as integers), ratios four decimals,
//! dates ISO. Text that a spreadsheet would take for a formula (`=`, `+`, `-`,
//! `@` first) is prefixed with `'`, as OWASP advises; a NUL in the data is
//! written `\x00`.

use super::exports::{tables, Table, Value};
use super::RenderError;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

// The files' names; the workbook names them where a sheet cannot hold a whole
// table, the PDF below a table it cuts.
pub(crate) const MEMBERS_BY_CLUSTER: &str = "members_by_cluster.csv";
pub(crate) const MEMBERS_BY_PROVINCE: &str = "members_by_province.csv";
pub(crate) const PROJECTS_BY_CLUSTER: &str = "projects_by_cluster.csv";
pub(crate) const PROJECTS_BY_CALL: &str = "projects_by_call.csv";
pub(crate) const FINANCING_AUDIT: &str = "financing_audit.csv";
pub(crate) const ISSUES: &str = "issues.csv";
pub(crate) const DE_MINIMIS: &str = "de_minimis.csv";
pub(crate) const PARTNER_AUDIT: &str = "partner_audit.csv";

/// Every CSV table of the report, as (file name, bytes).
///
/// # Errors
/// [`RenderError`] if a record cannot be encoded (it would be a bug).
pub(crate) fn render(
    report: &crate::report::Report,
) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    tables(report)
        .into_iter()
        .map(|table| Ok((format!("{}.csv", table.name), write(table)?)))
        .collect()
}

/// Text from the inputs, made safe to open in a spreadsheet, with a NUL (which
/// ends the text for many readers of CSV) written `\x00`, as the console shows
/// it; borrowed when it is safe as it is (nearly always).
fn safe_text(text: &str) -> Cow<'_, str> {
    let text = if text.contains('\0') {
        Cow::Owned(text.replace('\0', "\\x00"))
    } else {
        Cow::Borrowed(text)
    };
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// Writes a value as its field (empty when missing); numbers are formatted in
/// `scratch`, so that a field costs no allocation of its own.
fn write_field<W: Write>(
    writer: &mut ::csv::Writer<W>,
    value: &Value<'_>,
    scratch: &mut String,
) -> ::csv::Result<()> {
    scratch.clear();
    // Writing to a String cannot fail.
    let _ = match value {
        Value::Text(text) => {
            let text = text.as_deref().map(safe_text).unwrap_or_default();
            return writer.write_field(text.as_bytes());
        }
        Value::Count(count) => write!(scratch, "{count}"),
        Value::Integer(number) => number.map_or(Ok(()), |n| write!(scratch, "{n}")),
        Value::Amount(amount) => amount.map_or(Ok(()), |a| scratch.write_str(&a.plain())),
        Value::Ratio(ratio) => ratio.map_or(Ok(()), |r| write!(scratch, "{r:.4}")),
        Value::Date(date) => date.map_or(Ok(()), |d| write!(scratch, "{d}")),
        Value::Number(number) => number.map_or(Ok(()), |n| write!(scratch, "{n}")),
    };
    writer.write_field(scratch.as_bytes())
}

/// Writes a row's fields in the order of [`Table::header`]: the values of its
/// first `first` columns, the cents of each of their amounts, the period, and
/// the values of the added columns.
fn write_record<W: Write>(
    writer: &mut ::csv::Writer<W>,
    values: &[Value<'_>],
    first: usize,
    period: &str,
    scratch: &mut String,
) -> ::csv::Result<()> {
    let (values, added) = values.split_at(first);
    for value in values {
        write_field(writer, value, scratch)?;
    }
    for value in values {
        if let Value::Amount(amount) = value {
            let cents = amount.map(|c| Value::Integer(Some(c.0)));
            write_field(writer, &cents.unwrap_or(Value::Integer(None)), scratch)?;
        }
    }
    writer.write_field(period)?;
    for value in added {
        write_field(writer, value, scratch)?;
    }
    writer.write_record(None::<&[u8]>)
}

/// A CSV file: the header, then the rows as they come (a large audit's rows are
/// made one at a time as they are written, never all held at once).
fn write(table: Table<'_>) -> Result<Vec<u8>, RenderError> {
    /// Rows written before the file's size is foreseen from theirs.
    const SAMPLE: usize = 64;
    let fail = |e: ::csv::Error| RenderError::new("CSV", e);
    let done = |e: ::csv::IntoInnerError<_>| RenderError::new("CSV", e);
    let header = table.header();
    let (period, len, first) = (table.period, table.len, table.columns.len());
    let mut rows = table.rows;
    let mut scratch = String::new();
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).map_err(fail)?;
    for row in rows.by_ref().take(SAMPLE) {
        write_record(&mut writer, &row, first, &period, &mut scratch).map_err(fail)?;
    }
    // Room for the rest at the sample's size per row, and a little more: a large
    // file is then written without the copies a growing buffer makes.
    let sample = writer.into_inner().map_err(done)?;
    let per_row = sample.len() / (SAMPLE + 1) + 1;
    let rest = len.saturating_sub(SAMPLE);
    let mut bytes = Vec::with_capacity(sample.len() + rest.saturating_mul(per_row) / 8 * 9);
    bytes.extend_from_slice(&sample);
    let mut writer = ::csv::Writer::from_writer(bytes);
    for row in rows {
        write_record(&mut writer, &row, first, &period, &mut scratch).map_err(fail)?;
    }
    writer.into_inner().map_err(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    fn text_of(name: &str) -> String {
        let files = render(&sample_report()).unwrap();
        let (_, bytes) = files.into_iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn formulas_in_input_text_are_defused() {
        assert_eq!(
            safe_text("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(safe_text("+39 02 1234"), "'+39 02 1234");
        assert_eq!(safe_text("Mobilità"), "Mobilità");
    }

    #[test]
    fn a_nul_is_written_escaped_and_other_characters_kept() {
        assert_eq!(safe_text("a\0b\0"), "a\\x00b\\x00");
        assert_eq!(safe_text("=\0\u{1b}"), "'=\\x00\u{1b}");
    }

    #[test]
    fn the_mobility_row_is_exported_and_no_total_row() {
        let text = text_of("members_by_cluster.csv");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "cluster,consortium,large_enterprise,sme,university_research,trade_association,public_body,other,total,period",
                "Mobilità,6,20,72,5,11,7,0,121,2026-11",
                "Scienze della vita,0,0,40,6,0,0,1,47,2026-11",
            ]
        );
        let calls = text_of("projects_by_call.csv");
        assert!(!calls.contains("\ntotal,"), "{calls}");
    }

    #[test]
    fn the_audit_has_exact_amounts_and_ratios_and_their_cents() {
        let text = text_of("financing_audit.csv");
        let header = text.lines().next().unwrap();
        assert!(
            header.ends_with(",source,project_value_cents,financing_cents,max_grant_cents,allowed_financing_cents,headroom_cents,excess_cents,period,lead_member_name,reason,cap_rule_label"),
            "{header}"
        );
        let seed = text
            .lines()
            .find(|l| l.starts_with("E42F20000010009"))
            .unwrap();
        assert!(
            seed.contains(",158500.00,114944.00,0.7252,1,0.7000,,110950.00,breach,,3994.00,"),
            "{seed}"
        );
        assert!(
            seed.ends_with(
                ",15850000,11494400,,11095000,,399400,2026-11,Alfa Meccanica S.r.l.,ratio,"
            ),
            "{seed}"
        );
    }

    #[test]
    fn the_files_the_workbook_names_are_written() {
        let names: Vec<String> = render(&sample_report())
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        for name in [
            MEMBERS_BY_CLUSTER,
            MEMBERS_BY_PROVINCE,
            PROJECTS_BY_CLUSTER,
            PROJECTS_BY_CALL,
            FINANCING_AUDIT,
            ISSUES,
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
    }
}
