//! CSV exports: one file per report table, with a stable schema for scheduled jobs.
//!
//! Column names are the canonical English keys, amounts have a dot and two
//! decimals, ratios four decimals, dates ISO. Text that a spreadsheet would take for
//! a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`, as OWASP advises; a
//! NUL in the data is written `\x00`.

use super::RenderError;
use crate::category::Category;
use crate::money::{Cents, Ratio};
use crate::report::{ProjectGroup, ProjectTotals, Report, Verdict};

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
pub(crate) fn render(report: &Report) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    Ok(vec![
        (MEMBERS_BY_CLUSTER.into(), members_by_cluster(report)?),
        (MEMBERS_BY_PROVINCE.into(), members_by_province(report)?),
        (
            PROJECTS_BY_CLUSTER.into(),
            project_groups("cluster", &report.projects.by_cluster, report)?,
        ),
        (
            PROJECTS_BY_CALL.into(),
            project_groups("call", &report.projects.by_call, report)?,
        ),
        (FINANCING_AUDIT.into(), financing_audit(report)?),
        (DE_MINIMIS.into(), de_minimis(report)?),
        (PARTNER_AUDIT.into(), partner_audit(report)?),
        (ISSUES.into(), issues(report)?),
        ("inputs.csv".into(), inputs(report)?),
    ])
}

/// Text from the inputs, made safe to open in a spreadsheet, with a NUL (which
/// ends the text for many readers of CSV) written `\x00`, as the console shows it.
pub(crate) fn safe_text(text: &str) -> String {
    let text = text.replace('\0', "\\x00");
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

fn ratio_text(ratio: Option<Ratio>) -> String {
    ratio
        .map(|r| format!("{:.4}", r.basis_points() as f64 / 10_000.0))
        .unwrap_or_default()
}

fn amount_text(amount: Option<Cents>) -> String {
    amount.map(Cents::plain).unwrap_or_default()
}

/// A CSV file: the header, then the rows as they come (a large audit's rows are
/// made one at a time as they are written, never all held at once).
fn table(
    header: Vec<String>,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, RenderError> {
    /// Rows written before the file's size is foreseen from theirs.
    const SAMPLE: usize = 64;
    let fail = |e: ::csv::Error| RenderError::new("CSV", e);
    let done = |e: ::csv::IntoInnerError<_>| RenderError::new("CSV", e);
    let mut rows = rows.into_iter();
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).map_err(fail)?;
    for row in rows.by_ref().take(SAMPLE) {
        writer.write_record(&row).map_err(fail)?;
    }
    // Room for the rest at the sample's size per row, and a little more: a large
    // file is then written without the copies a growing buffer makes.
    let sample = writer.into_inner().map_err(done)?;
    let per_row = sample.len() / (SAMPLE + 1) + 1;
    let mut bytes =
        Vec::with_capacity(sample.len() + rows.size_hint().0.saturating_mul(per_row) / 8 * 9);
    bytes.extend_from_slice(&sample);
    let mut writer = ::csv::Writer::from_writer(bytes);
    for row in rows {
        writer.write_record(&row).map_err(fail)?;
    }
    writer.into_inner().map_err(done)
}

fn category_header(first: &str) -> Vec<String> {
    let mut header = vec![first.to_string()];
    header.extend(Category::ALL.iter().map(|c| c.key().to_string()));
    header.push("total".into());
    header
}

fn count_row(first: String, counts: &crate::report::CategoryCounts) -> Vec<String> {
    let mut row = vec![first];
    row.extend(Category::ALL.iter().map(|c| counts.get(*c).to_string()));
    row.push(counts.total().to_string());
    row
}

fn members_by_cluster(report: &Report) -> Result<Vec<u8>, RenderError> {
    let mut rows: Vec<Vec<String>> = report
        .members
        .by_cluster
        .iter()
        .map(|c| count_row(safe_text(&c.cluster), &c.counts))
        .collect();
    rows.push(count_row("total".into(), &report.members.totals));
    table(category_header("cluster"), rows)
}

fn members_by_province(report: &Report) -> Result<Vec<u8>, RenderError> {
    let rows = report.members.by_province.iter().map(|p| {
        count_row(
            p.province.as_deref().map(safe_text).unwrap_or_default(),
            &p.counts,
        )
    });
    table(category_header("province"), rows)
}

fn totals_row(key: String, totals: &ProjectTotals) -> Vec<String> {
    vec![
        key,
        totals.count.to_string(),
        totals.value.plain(),
        totals.financing.plain(),
        ratio_text(totals.ratio()),
    ]
}

fn project_groups(
    key: &str,
    groups: &[ProjectGroup],
    report: &Report,
) -> Result<Vec<u8>, RenderError> {
    let header = [
        key,
        "count",
        "project_value",
        "financing",
        "financing_ratio",
    ]
    .map(String::from)
    .to_vec();
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| totals_row(safe_text(&g.key), &g.totals))
        .collect();
    rows.push(totals_row("total".into(), &report.projects.portfolio));
    table(header, rows)
}

fn financing_audit(report: &Report) -> Result<Vec<u8>, RenderError> {
    let header = [
        "project_id",
        "title",
        "cluster",
        "call",
        "lead_member_id",
        "lead_category",
        "aid_type",
        "approved_on",
        "project_value",
        "financing",
        "financing_ratio",
    ]
    .into_iter()
    .chain(VERDICT_HEADER)
    .chain(["source"])
    .map(String::from)
    .collect();
    let rows = report.audit.projects.iter().map(|p| {
        vec![
            safe_text(&p.project_id),
            safe_text(&p.title),
            safe_text(&p.cluster),
            safe_text(&p.call),
            p.lead_member_id
                .as_deref()
                .map(safe_text)
                .unwrap_or_default(),
            p.lead_category
                .map(|c| c.key().to_string())
                .unwrap_or_default(),
            p.aid_type.as_deref().map(safe_text).unwrap_or_default(),
            p.approved_on.map(|d| d.to_string()).unwrap_or_default(),
            p.value.plain(),
            p.financing.plain(),
            ratio_text(p.ratio),
        ]
        .into_iter()
        .chain(verdict_columns(&p.verdict))
        .chain([safe_text(&p.source.to_string())])
        .collect()
    });
    table(header, rows)
}

/// The names of the [`verdict_columns`].
const VERDICT_HEADER: [&str; 7] = [
    "cap_rule",
    "max_ratio",
    "max_grant",
    "allowed_financing",
    "status",
    "headroom",
    "excess",
];

/// The verdict's columns in a row of the project and partner audits: the rule,
/// its cap and grant ceiling, what it allows, the status, headroom and excess.
fn verdict_columns(verdict: &Verdict) -> [String; 7] {
    let cap = verdict.cap.as_ref();
    [
        cap.map(|c| c.rule_number.to_string()).unwrap_or_default(),
        cap.map(|c| format!("{:.4}", c.max_ratio.as_f64()))
            .unwrap_or_default(),
        amount_text(cap.and_then(|c| c.max_grant)),
        amount_text(cap.map(|c| c.allowed)),
        verdict.status.key().to_string(),
        amount_text(verdict.headroom),
        amount_text(verdict.excess),
    ]
}

fn partner_audit(report: &Report) -> Result<Vec<u8>, RenderError> {
    let header = [
        "project_id",
        "member_id",
        "category",
        "cost_share",
        "financing_share",
        "financing_ratio",
    ]
    .into_iter()
    .chain(VERDICT_HEADER)
    .chain(["source"])
    .map(String::from)
    .collect();
    let rows = report.audit.partners.iter().map(|p| {
        vec![
            safe_text(&p.project_id),
            safe_text(&p.member_id),
            p.category.map(|c| c.key().to_string()).unwrap_or_default(),
            p.cost_share.plain(),
            p.financing_share.plain(),
            ratio_text(p.ratio),
        ]
        .into_iter()
        .chain(verdict_columns(&p.verdict))
        .chain([safe_text(&p.source.to_string())])
        .collect()
    });
    table(header, rows)
}

fn de_minimis(report: &Report) -> Result<Vec<u8>, RenderError> {
    let header = [
        "member_id",
        "name",
        "window_start",
        "financing",
        "limit",
        "excess",
        "projects",
    ]
    .map(String::from)
    .to_vec();
    let rows = report.audit.de_minimis.iter().map(|d| {
        vec![
            safe_text(&d.member_id),
            safe_text(&d.name),
            d.window_start.to_string(),
            d.financing.plain(),
            d.limit.plain(),
            d.excess.plain(),
            safe_text(&d.projects.join(" ")),
        ]
    });
    table(header, rows)
}

fn issues(report: &Report) -> Result<Vec<u8>, RenderError> {
    let header = [
        "severity",
        "file",
        "sheet",
        "cell",
        "row",
        "value",
        "expected",
        "message",
        "suggestion",
    ]
    .map(String::from)
    .to_vec();
    let rows = report.issues.iter().map(|i| {
        vec![
            i.severity.key().to_string(),
            safe_text(&i.location.file),
            i.location
                .sheet
                .as_deref()
                .map(safe_text)
                .unwrap_or_default(),
            i.location.cell_ref().unwrap_or_default(),
            i.location
                .row_number()
                .map(|r| r.to_string())
                .unwrap_or_default(),
            i.value.as_deref().map(safe_text).unwrap_or_default(),
            i.expected.as_deref().map(safe_text).unwrap_or_default(),
            safe_text(&i.message),
            i.suggestion.as_deref().map(safe_text).unwrap_or_default(),
        ]
    });
    table(header, rows)
}

fn inputs(report: &Report) -> Result<Vec<u8>, RenderError> {
    let header = ["path", "kind", "sha256", "rows", "rejected"]
        .map(String::from)
        .to_vec();
    let rows = report.inputs.iter().chain(report.config.iter()).map(|i| {
        vec![
            safe_text(&i.path),
            i.kind.key().to_string(),
            i.sha256.clone(),
            i.rows.to_string(),
            i.rejected.to_string(),
        ]
    });
    table(header, rows)
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
    fn the_mobility_row_and_the_totals_row_are_exported() {
        let text = text_of("members_by_cluster.csv");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("cluster,consortium,large_enterprise,sme,university_research,trade_association,public_body,other,total")
        );
        assert_eq!(lines.next(), Some("Mobilità,6,20,72,5,11,7,0,121"));
        assert!(text
            .lines()
            .last()
            .unwrap()
            .starts_with("total,6,20,112,11,11,7,1,168"));
    }

    #[test]
    fn the_audit_has_exact_amounts_and_ratios() {
        let text = text_of("financing_audit.csv");
        let seed = text
            .lines()
            .find(|l| l.starts_with("E42F20000010009"))
            .unwrap();
        assert!(
            seed.contains(",158500.00,114944.00,0.7252,1,0.7000,,110950.00,breach,,3994.00,"),
            "{seed}"
        );
    }
}
