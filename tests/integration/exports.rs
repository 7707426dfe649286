//! The CSV and Parquet exports as an analyst's script reads them: data, not
//! reports. Every CSV file has its Parquet twin with the same columns, no file
//! has a total row, every row carries its period, ids keep their leading zeros,
//! dates are dates and amounts exact. The CSV files are read with the csv
//! crate and the Parquet files with polars, not with consolida's own code.

use crate::common::{root, Workdir};
use polars::prelude::{DataFrame, DataType};
use polars_io::prelude::{ParquetReader, SerReader};
use std::path::Path;

/// The small fixture for 2026-11, every table in CSV and Parquet, in `out/2026-11`.
fn exported(name: &str) -> Workdir {
    let wd = Workdir::new(name);
    wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    wd.run(&[
        "--out",
        "out",
        "--period",
        "2026-11",
        "--format",
        "csv,parquet",
        "--quiet",
    ])
    .expect_code(0);
    wd
}

/// The header and the records of a CSV file.
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, records)
}

fn parquet(path: &Path) -> DataFrame {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    ParquetReader::new(file).finish().unwrap()
}

/// The names of the files in `dir` ending in `.extension`, without it, sorted.
fn stems(dir: &Path, extension: &str) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(&format!(".{extension}"))
                .map(String::from)
        })
        .collect();
    stems.sort();
    stems
}

#[test]
fn every_csv_file_has_a_parquet_twin_with_the_same_columns_and_rows() {
    let wd = exported("exports-twins");
    let dir = wd.path("out/2026-11");
    let tables = stems(&dir, "csv");
    assert_eq!(tables, stems(&dir, "parquet"));
    assert_eq!(tables.len(), 11, "{tables:?}");
    for table in &tables {
        let (header, records) = csv_table(&dir.join(format!("{table}.csv")));
        let frame = parquet(&dir.join(format!("{table}.parquet")));
        let columns: Vec<String> = frame
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(columns, header, "{table}");
        assert_eq!(frame.height(), records.len(), "{table}");
    }
}

#[test]
fn no_export_has_a_total_row_and_every_row_has_its_period() {
    let wd = exported("exports-no-totals");
    let dir = wd.path("out/2026-11");
    let summary = wd.json("out/2026-11/summary.json");
    for table in stems(&dir, "csv") {
        let (header, records) = csv_table(&dir.join(format!("{table}.csv")));
        // `period` closes the first columns; columns added since follow it.
        let period = header.iter().position(|h| h == "period").expect(&table);
        let added = &header[period + 1..];
        let expected_added: &[&str] = match table.as_str() {
            "financing_audit" => &["lead_member_name", "reason", "cap_rule_label"],
            "partner_audit" => &["reason", "cap_rule_label"],
            "issues" => &["cluster", "code"],
            _ => &[],
        };
        assert_eq!(added, expected_added, "{table}");
        for record in &records {
            assert_eq!(record[period], "2026-11", "{table}");
            assert_ne!(record[0], "total", "{table} has a total row");
        }
        let frame = parquet(&dir.join(format!("{table}.parquet")));
        let period = frame.column("period").unwrap().str().unwrap();
        assert!(period.iter().all(|p| p == Some("2026-11")), "{table}");
    }
    // One row per cluster, call and province, as summary.json counts them.
    for (table, groups) in [
        ("members_by_cluster", &summary["members"]["by_cluster"]),
        ("members_by_province", &summary["members"]["by_province"]),
        ("projects_by_cluster", &summary["projects"]["by_cluster"]),
        ("projects_by_call", &summary["projects"]["by_call"]),
    ] {
        let (_, records) = csv_table(&dir.join(format!("{table}.csv")));
        assert_eq!(records.len(), groups.as_object().unwrap().len(), "{table}");
    }
}

#[test]
fn polars_reads_lead_member_ids_as_text_with_their_leading_zeros() {
    let wd = exported("exports-ids");
    let audit = parquet(&wd.path("out/2026-11/financing_audit.parquet"));
    let leads = audit.column("lead_member_id").unwrap();
    assert_eq!(leads.dtype(), &DataType::String);
    let mut leads: Vec<Option<&str>> = leads.str().unwrap().iter().collect();
    leads.sort();
    // P1 is led by 06, P2 by 02, P4 by 01 (tests/fixtures/small; P3 is
    // approved in December).
    assert_eq!(leads, [Some("01"), Some("02"), Some("06")]);
}

#[test]
fn parquet_dates_are_dates_and_amounts_exact_decimals_beside_their_cents() {
    let wd = exported("exports-types");
    let audit = parquet(&wd.path("out/2026-11/financing_audit.parquet"));
    assert_eq!(
        audit.column("approved_on").unwrap().dtype(),
        &DataType::Date
    );
    let ids = audit.column("project_id").unwrap().str().unwrap().clone();
    let p1 = (0..audit.height())
        .find(|&i| ids.get(i) == Some("P1"))
        .unwrap();
    let cell = |name: &str| audit.column(name).unwrap().get(p1).unwrap().to_string();
    assert_eq!(cell("approved_on"), "2026-11-12");
    for (amount, decimal, cents) in [
        ("project_value", "158500.00", "15850000"),
        ("financing", "114944.00", "11494400"),
        ("excess", "3994.00", "399400"),
    ] {
        let column = audit.column(amount).unwrap();
        assert!(
            matches!(column.dtype(), DataType::Decimal(_, 2)),
            "{amount}: {:?}",
            column.dtype()
        );
        assert_eq!(cell(amount), decimal, "{amount}");
        let cents_column = audit.column(&format!("{amount}_cents")).unwrap();
        assert_eq!(cents_column.dtype(), &DataType::Int64);
        assert_eq!(cell(&format!("{amount}_cents")), cents, "{amount}");
    }
    // The CSV file says the same, with the cents beside the decimal columns.
    let (header, records) = csv_table(&wd.path("out/2026-11/financing_audit.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = records.iter().find(|r| r[0] == "P1").unwrap();
    assert_eq!(
        (
            row[at("approved_on")].as_str(),
            row[at("project_value")].as_str(),
            row[at("project_value_cents")].as_str()
        ),
        ("2026-11-12", "158500.00", "15850000")
    );
}

#[test]
fn the_shipped_labels_name_their_rules_and_the_total_excess_is_the_sum_of_the_excesses() {
    let wd = Workdir::new("exports-labels");
    wd.run_shipped(&["--format", "csv", "--quiet"])
        .expect_code(0);
    let dir = wd.path("out/2026-11");
    let summary = wd.json("out/2026-11/summary.json");
    let (header, records) = csv_table(&dir.join("financing_audit.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (rule, label, reason) = (
        column("cap_rule"),
        column("cap_rule_label"),
        column("reason"),
    );
    let (status, excess) = (column("status"), column("excess_cents"));
    for record in &records {
        let expected = match record[rule].as_str() {
            "2" => "Asse 1 – tetto 70 %",
            "7" => "Tech Fast – tetto 60 %, massimo 500.000,00 €",
            _ => "",
        };
        assert_eq!(record[label], expected, "{}", record[0]);
        assert_eq!(
            record[reason].is_empty(),
            record[status] != "breach",
            "{}: a reason for every breach and only for one",
            record[0]
        );
    }
    let reasons: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r[reason].as_str()).collect();
    assert!(
        reasons.contains("ratio") && reasons.contains("grant"),
        "{reasons:?}"
    );
    let excess_cents: i64 = records
        .iter()
        .filter_map(|r| r[excess].parse::<i64>().ok())
        .sum();
    let total = summary["audit"]["total_excess"].as_f64().unwrap();
    assert_eq!((total * 100.0).round() as i64, excess_cents);
}

/// `C14` as 0-based `(row, col)`.
fn cell_position(cell: &str) -> (u32, u32) {
    let digits = cell.find(|c: char| c.is_ascii_digit()).expect("a row");
    let (letters, number) = cell.split_at(digits);
    assert!(
        !letters.is_empty() && letters.bytes().all(|b| b.is_ascii_uppercase()),
        "{cell} is a cell"
    );
    let col = letters
        .bytes()
        .fold(0, |col, b| col * 26 + u32::from(b - b'A') + 1);
    (number.parse::<u32>().expect("a row number") - 1, col - 1)
}

#[test]
fn every_source_is_a_cell_that_holds_the_rows_id_and_every_issue_names_its_cell() {
    use calamine::{open_workbook_auto, Data, Reader};
    let wd = Workdir::new("exports-source-cells");
    wd.run_shipped(&["--format", "csv", "--quiet"])
        .expect_code(0);
    let dir = wd.path("out/2026-11");
    let (header, records) = csv_table(&dir.join("financing_audit.csv"));
    let source = header.iter().position(|h| h == "source").unwrap();
    let mut sheets = std::collections::BTreeMap::new();
    for record in &records {
        // inputs/progetti.xlsx:Progetti!A132
        let (file, place) = record[source].split_once(':').unwrap();
        let (sheet, cell) = place
            .split_once('!')
            .unwrap_or_else(|| panic!("{} names a sheet", record[source]));
        let range = sheets
            .entry((file.to_string(), sheet.to_string()))
            .or_insert_with(|| {
                let mut workbook = open_workbook_auto(wd.path(file)).unwrap();
                workbook.worksheet_range(sheet).unwrap()
            });
        assert_eq!(
            range.get_value(cell_position(cell)),
            Some(&Data::String(record[0].clone())),
            "{} holds the project's id",
            record[source]
        );
    }
    assert!(records.len() > 100, "{} projects", records.len());
    // Every issue on a sheet's row names one of its cells.
    let (header, issues) = csv_table(&dir.join("issues.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (sheet, cell) = (column("sheet"), column("cell"));
    for issue in issues.iter().filter(|i| !i[sheet].is_empty()) {
        if !issue[cell].is_empty() {
            cell_position(&issue[cell]);
        }
    }
}
