//! Parquet exports: the report's tables with typed columns for data pipelines.
//!
//! The same tables as the CSV exports, with the same column names except that
//! amounts are exact integer cents in columns ending in `_cents`, ratios are
//! `Float64` rounded to four decimals, counts `UInt64`, and dates ISO text.

use super::RenderError;
use crate::category::Category;
use crate::report::{AppliedCap, CategoryCounts, ProjectGroup, Report};
use polars::prelude::*;
use polars_io::prelude::{ParquetCompression, ParquetWriter};
use std::io::Cursor;

/// Every table as (file name, Parquet bytes).
///
/// # Errors
/// [`RenderError`] if a frame cannot be built or written (it would be a bug).
pub(crate) fn render(report: &Report) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let tables = [
        ("members_by_cluster.parquet", members_by_cluster(report)),
        ("members_by_province.parquet", members_by_province(report)),
        (
            "projects_by_cluster.parquet",
            project_groups("cluster", &report.projects.by_cluster),
        ),
        (
            "projects_by_call.parquet",
            project_groups("call", &report.projects.by_call),
        ),
        ("financing_audit.parquet", financing_audit(report)),
        ("issues.parquet", issues(report)),
    ];
    tables
        .into_iter()
        .map(|(name, frame)| {
            let mut frame = frame.map_err(|e| RenderError::new("Parquet", e))?;
            Ok((name.to_string(), write(&mut frame)?))
        })
        .collect()
}

fn write(frame: &mut DataFrame) -> Result<Vec<u8>, RenderError> {
    let mut buffer = Cursor::new(Vec::new());
    ParquetWriter::new(&mut buffer)
        .with_compression(ParquetCompression::Uncompressed)
        .set_parallel(false)
        .finish(frame)
        .map_err(|e| RenderError::new("Parquet", e))?;
    Ok(buffer.into_inner())
}

fn category_columns(
    first: &str,
    keys: Vec<Option<String>>,
    counts: Vec<&CategoryCounts>,
) -> PolarsResult<DataFrame> {
    let mut columns = vec![Column::new(first.into(), keys)];
    for category in Category::ALL {
        let values: Vec<u64> = counts.iter().map(|c| c.get(category)).collect();
        columns.push(Column::new(category.key().into(), values));
    }
    let totals: Vec<u64> = counts.iter().map(|c| c.total()).collect();
    columns.push(Column::new("total".into(), totals));
    DataFrame::new_infer_height(columns)
}

fn members_by_cluster(report: &Report) -> PolarsResult<DataFrame> {
    let rows = &report.members.by_cluster;
    category_columns(
        "cluster",
        rows.iter().map(|c| Some(c.cluster.clone())).collect(),
        rows.iter().map(|c| &c.counts).collect(),
    )
}

fn members_by_province(report: &Report) -> PolarsResult<DataFrame> {
    let rows = &report.members.by_province;
    category_columns(
        "province",
        rows.iter().map(|p| p.province.clone()).collect(),
        rows.iter().map(|p| &p.counts).collect(),
    )
}

fn project_groups(key: &str, groups: &[ProjectGroup]) -> PolarsResult<DataFrame> {
    df!(
        key => groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
        "count" => groups.iter().map(|g| g.totals.count).collect::<Vec<_>>(),
        "project_value_cents" => groups.iter().map(|g| g.totals.value.0).collect::<Vec<_>>(),
        "financing_cents" => groups.iter().map(|g| g.totals.financing.0).collect::<Vec<_>>(),
        "financing_ratio" => groups.iter().map(|g| g.totals.ratio().map(|r| r.as_f64())).collect::<Vec<_>>(),
    )
}

fn financing_audit(report: &Report) -> PolarsResult<DataFrame> {
    let p = &report.audit.projects;
    let cap = |f: &dyn Fn(&AppliedCap) -> Option<i64>| -> Vec<Option<i64>> {
        p.iter()
            .map(|a| a.verdict.cap.as_ref().and_then(f))
            .collect()
    };
    df!(
        "project_id" => p.iter().map(|a| a.project_id.as_str()).collect::<Vec<_>>(),
        "title" => p.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
        "cluster" => p.iter().map(|a| a.cluster.as_str()).collect::<Vec<_>>(),
        "call" => p.iter().map(|a| a.call.as_str()).collect::<Vec<_>>(),
        "lead_member_id" => p.iter().map(|a| a.lead_member_id.as_deref()).collect::<Vec<_>>(),
        "lead_category" => p.iter().map(|a| a.lead_category.map(Category::key)).collect::<Vec<_>>(),
        "aid_type" => p.iter().map(|a| a.aid_type.as_deref()).collect::<Vec<_>>(),
        "approved_on" => p.iter().map(|a| a.approved_on.map(|d| d.to_string())).collect::<Vec<_>>(),
        "project_value_cents" => p.iter().map(|a| a.value.0).collect::<Vec<_>>(),
        "financing_cents" => p.iter().map(|a| a.financing.0).collect::<Vec<_>>(),
        "financing_ratio" => p.iter().map(|a| a.ratio.map(|r| r.as_f64())).collect::<Vec<_>>(),
        "cap_rule" => cap(&|c| Some(c.rule_number as i64)),
        "max_ratio" => p.iter().map(|a| a.verdict.cap.as_ref().map(|c| c.max_ratio.as_f64())).collect::<Vec<_>>(),
        "max_grant_cents" => cap(&|c| c.max_grant.map(|g| g.0)),
        "allowed_financing_cents" => cap(&|c| Some(c.allowed.0)),
        "status" => p.iter().map(|a| a.verdict.status.key()).collect::<Vec<_>>(),
        "headroom_cents" => p.iter().map(|a| a.verdict.headroom.map(|c| c.0)).collect::<Vec<_>>(),
        "excess_cents" => p.iter().map(|a| a.verdict.excess.map(|c| c.0)).collect::<Vec<_>>(),
        "source" => p.iter().map(|a| a.source.to_string()).collect::<Vec<_>>(),
    )
}

fn issues(report: &Report) -> PolarsResult<DataFrame> {
    let i = &report.issues;
    df!(
        "severity" => i.iter().map(|x| x.severity.key()).collect::<Vec<_>>(),
        "file" => i.iter().map(|x| x.location.file.as_str()).collect::<Vec<_>>(),
        "sheet" => i.iter().map(|x| x.location.sheet.as_deref()).collect::<Vec<_>>(),
        "cell" => i.iter().map(|x| x.location.cell_ref()).collect::<Vec<_>>(),
        "row" => i.iter().map(|x| x.location.row_number()).collect::<Vec<_>>(),
        "value" => i.iter().map(|x| x.value.as_deref()).collect::<Vec<_>>(),
        "message" => i.iter().map(|x| x.message.as_str()).collect::<Vec<_>>(),
        "suggestion" => i.iter().map(|x| x.suggestion.as_deref()).collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;
    use polars_io::prelude::{ParquetReader, SerReader};

    fn read(name: &str) -> DataFrame {
        let files = render(&sample_report()).unwrap();
        let (_, bytes) = files.into_iter().find(|(n, _)| n == name).unwrap();
        ParquetReader::new(Cursor::new(bytes)).finish().unwrap()
    }

    #[test]
    fn the_audit_keeps_exact_cents_and_rounded_ratios() {
        let audit = read("financing_audit.parquet");
        assert_eq!(audit.height(), 3);
        let value = audit
            .column("project_value_cents")
            .unwrap()
            .i64()
            .unwrap()
            .get(0);
        let excess = audit.column("excess_cents").unwrap().i64().unwrap().get(0);
        let ratio = audit
            .column("financing_ratio")
            .unwrap()
            .f64()
            .unwrap()
            .get(0);
        assert_eq!(
            (value, excess, ratio),
            (Some(15_850_000), Some(399_400), Some(0.7252))
        );
    }

    #[test]
    fn member_counts_are_typed_per_category() {
        let members = read("members_by_cluster.parquet");
        let sme = members.column("sme").unwrap().u64().unwrap().get(0);
        let total = members.column("total").unwrap().u64().unwrap().get(0);
        assert_eq!((sme, total), (Some(72), Some(121)));
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        assert_eq!(
            render(&sample_report()).unwrap(),
            render(&sample_report()).unwrap()
        );
    }
}
