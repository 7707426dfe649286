//! Parquet exports: the tables of [`crate::render::exports`] with typed
//! columns for data pipelines, each the twin of its CSV file.
//!
//! The same columns as the CSV files, in the same order: text as UTF-8 strings
//! (an id keeps its leading zeros whatever reads it), counts `UInt64`, whole
//! numbers `Int64`, amounts exact decimals `Decimal(19, 2)` beside their
//! integer cents (`Int64`, in the `_cents` columns), ratios `Float64` rounded
//! to four decimals, dates `Date`, and the period as text.

use super::exports::{cents_name, tables, Kind, Table, Value, PERIOD};
use super::RenderError;
use crate::report::Report;
use chrono::NaiveDate;
use polars::prelude::*;
use polars_io::prelude::{ParquetCompression, ParquetWriter};
use std::borrow::Cow;
use std::io::Cursor;

/// The decimal type of the amounts: every amount that 64-bit cents can hold.
const AMOUNT_PRECISION: usize = 19;
const AMOUNT_SCALE: usize = 2;

/// Every table as (file name, Parquet bytes).
///
/// # Errors
/// [`RenderError`] if a frame cannot be built or written (it would be a bug).
pub(crate) fn render(report: &Report) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    tables(report)
        .into_iter()
        .map(|table| {
            let name = format!("{}.parquet", table.name);
            let mut frame = frame(table).map_err(|e| RenderError::new("Parquet", e))?;
            Ok((name, write(&mut frame)?))
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

/// A column's values as they are gathered, row by row.
enum Values<'a> {
    Text(Vec<Option<Cow<'a, str>>>),
    Count(Vec<u64>),
    Integer(Vec<Option<i64>>),
    /// Cents.
    Amount(Vec<Option<i64>>),
    Ratio(Vec<Option<f64>>),
    /// Days since 1970-01-01.
    Date(Vec<Option<i32>>),
    Number(Vec<Option<f64>>),
}

impl<'a> Values<'a> {
    fn new(kind: Kind, rows: usize) -> Values<'a> {
        match kind {
            Kind::Text => Values::Text(Vec::with_capacity(rows)),
            Kind::Count => Values::Count(Vec::with_capacity(rows)),
            Kind::Integer => Values::Integer(Vec::with_capacity(rows)),
            Kind::Amount => Values::Amount(Vec::with_capacity(rows)),
            Kind::Ratio => Values::Ratio(Vec::with_capacity(rows)),
            Kind::Date => Values::Date(Vec::with_capacity(rows)),
            Kind::Number => Values::Number(Vec::with_capacity(rows)),
        }
    }

    /// Adds `value`, which is of the column's kind ([`crate::render::exports`]
    /// makes every row so).
    fn push(&mut self, value: Value<'a>) {
        match (self, value) {
            (Values::Text(v), Value::Text(x)) => v.push(x),
            (Values::Count(v), Value::Count(x)) => v.push(x),
            (Values::Integer(v), Value::Integer(x)) => v.push(x),
            (Values::Amount(v), Value::Amount(x)) => v.push(x.map(|c| c.0)),
            (Values::Ratio(v), Value::Ratio(x)) => v.push(x),
            (Values::Date(v), Value::Date(x)) => v.push(x.map(days_since_1970)),
            (Values::Number(v), Value::Number(x)) => v.push(x),
            (_, value) => unreachable!("a value of another kind than its column's: {value:?}"),
        }
    }

    /// The column named `name`, and for an amount its cents column too.
    fn into_columns(self, name: &str) -> PolarsResult<(Column, Option<Column>)> {
        let name = PlSmallStr::from(name);
        Ok(match self {
            Values::Text(v) => {
                let strings: StringChunked = v.iter().map(|x| x.as_deref()).collect();
                (strings.with_name(name).into_column(), None)
            }
            Values::Count(v) => (Column::new(name, v), None),
            Values::Integer(v) => (Column::new(name, v), None),
            Values::Ratio(v) | Values::Number(v) => (Column::new(name, v), None),
            Values::Date(v) => {
                let days: Int32Chunked = v.into_iter().collect();
                (days.with_name(name).into_date().into_column(), None)
            }
            Values::Amount(cents) => {
                let wide: Int128Chunked = cents.iter().map(|c| c.map(i128::from)).collect();
                let decimal = wide
                    .with_name(name.clone())
                    .into_decimal(AMOUNT_PRECISION, AMOUNT_SCALE)?;
                let cents = Column::new(cents_name(&name).into(), cents);
                (decimal.into_column(), Some(cents))
            }
        })
    }
}

/// The date as Parquet holds it: days since 1970-01-01 (`NaiveDate`'s default).
fn days_since_1970(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days() as i32
}

/// The table as a frame whose columns are [`Table::header`]'s: the first
/// columns, their amounts' cents, the period, then the added columns.
fn frame(table: Table<'_>) -> PolarsResult<DataFrame> {
    let mut values: Vec<Values<'_>> = table
        .columns
        .iter()
        .chain(&table.added)
        .map(|c| Values::new(c.kind, table.len))
        .collect();
    for row in table.rows {
        for (column, value) in values.iter_mut().zip(row) {
            column.push(value);
        }
    }
    let mut columns = Vec::with_capacity(values.len() + 1);
    let mut cents = Vec::new();
    let mut values = values.into_iter();
    for (column, values) in table.columns.iter().zip(values.by_ref()) {
        let (column, cents_column) = values.into_columns(column.name)?;
        columns.push(column);
        cents.extend(cents_column);
    }
    let height = columns.first().map_or(0, Column::len);
    columns.extend(cents);
    columns.push(Column::new(
        PERIOD.into(),
        vec![table.period.as_str(); height],
    ));
    // The added columns hold no amount, so no cents column of their own.
    for (column, values) in table.added.iter().zip(values) {
        columns.push(values.into_columns(column.name)?.0);
    }
    DataFrame::new_infer_height(columns)
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
    fn every_file_has_the_columns_of_its_csv_twin_in_their_order() {
        let csv = crate::render::csv::render(&sample_report()).unwrap();
        let parquet = render(&sample_report()).unwrap();
        assert_eq!(csv.len(), parquet.len());
        for ((csv_name, csv_bytes), (parquet_name, _)) in csv.iter().zip(&parquet) {
            assert_eq!(
                csv_name.strip_suffix(".csv"),
                parquet_name.strip_suffix(".parquet")
            );
            let header = String::from_utf8(csv_bytes.clone()).unwrap();
            let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
            let frame = read(parquet_name);
            let names: Vec<&str> = frame
                .get_column_names()
                .iter()
                .map(|n| n.as_str())
                .collect();
            assert_eq!(names, header, "{parquet_name}");
            assert!(
                frame
                    .column("period")
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .all(|p| p == Some("2026-11")),
                "{parquet_name}"
            );
        }
    }

    #[test]
    fn amounts_are_exact_decimals_and_dates_are_dates() {
        let audit = read("financing_audit.parquet");
        let dtype = |name: &str| audit.column(name).unwrap().dtype().clone();
        assert_eq!(dtype("project_value"), DataType::Decimal(19, 2));
        assert_eq!(dtype("project_value_cents"), DataType::Int64);
        assert_eq!(dtype("approved_on"), DataType::Date);
        assert_eq!(dtype("lead_member_id"), DataType::String);
        let value = audit.column("project_value").unwrap().get(0).unwrap();
        assert_eq!(value.to_string(), "158500.00");
        let de_minimis = read("de_minimis.parquet");
        let start = de_minimis.column("window_start").unwrap();
        assert_eq!(start.dtype(), &DataType::Date);
        assert_eq!(start.get(0).unwrap().to_string(), "2023-12-01");
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        assert_eq!(
            render(&sample_report()).unwrap(),
            render(&sample_report()).unwrap()
        );
    }
}
