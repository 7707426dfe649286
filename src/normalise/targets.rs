//! Targets rows: one point of a cluster's monitoring target for one indicator
//! (cluster, indicator, month, value). Each row becomes a [`TargetRow`] whose
//! cells are kept as trimmed text with the cell each came from; what they mean
//! is left to the monitoring that reads them, which refuses what it cannot read
//! by its cell. So no targets row is rejected here, and a row with an empty
//! cluster, indicator or month is kept with an empty text.
//!
//! Two cells are written in one form whatever the sheet stored: a date in the
//! month column becomes `YYYY-MM`, and a number in the value column its
//! shortest plain decimal (`140`, `0.35`; a percentage stays the fraction). An
//! empty value is `""`: the target is then computed from the data.

use super::row::Row;
use super::values;
use crate::location::Location;
use crate::schema::Field;
use calamine::Data;

/// One cell of a targets row: its content as text and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetCell {
    pub(crate) text: String,
    pub(crate) at: Location,
}

/// One row of a targets sheet: a point of a cluster's target for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetRow {
    pub(crate) cluster: TargetCell,
    pub(crate) indicator: TargetCell,
    pub(crate) month: TargetCell,
    pub(crate) value: TargetCell,
}

/// The fields a targets row is made of, in the order of [`TargetRow`].
const FIELDS: [Field; 4] = [
    Field::Cluster,
    Field::Indicator,
    Field::Month,
    Field::TargetValue,
];

/// Whether none of the row's four cells holds anything but spaces: such a row
/// is passed over, as an empty row is.
pub(crate) fn is_blank(row: &Row) -> bool {
    FIELDS
        .iter()
        .all(|field| row.own_cell(*field).and_then(values::text).is_none())
}

/// Reads one targets row; every row is kept.
pub(crate) fn read(row: &Row) -> TargetRow {
    let cell = |field: Field, text: String| TargetCell {
        text,
        at: row.location(field),
    };
    TargetRow {
        cluster: cell(Field::Cluster, text(&row.get(Field::Cluster))),
        indicator: cell(Field::Indicator, text(&row.get(Field::Indicator))),
        month: cell(Field::Month, month(&row.get(Field::Month), row.date_1904())),
        value: cell(Field::TargetValue, value(&row.get(Field::TargetValue))),
    }
}

/// The cell as a person reads it, trimmed; `""` for an empty cell.
fn text(cell: &Data) -> String {
    values::text(cell).unwrap_or_default()
}

/// A date cell or date text as `YYYY-MM`; anything else, a plain number
/// included (it is not known to be a date), as written.
fn month(cell: &Data, date_1904: bool) -> String {
    if matches!(cell, Data::Float(_) | Data::Int(_)) {
        return text(cell);
    }
    match values::date(cell, date_1904) {
        Ok(day) => day.format("%Y-%m").to_string(),
        Err(_) => text(cell),
    }
}

/// A number as its shortest plain decimal; anything else as written.
fn value(cell: &Data) -> String {
    match cell {
        Data::Float(f) => decimal(*f),
        Data::Int(i) => i.to_string(),
        _ => text(cell),
    }
}

/// The shortest decimal that reads back as `f`, never in exponent form
/// (`1500000.5`, `0.35`), and `0` for a negative zero.
fn decimal(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::{Grid, RawTable};
    use crate::normalise::cells::Context;
    use crate::normalise::clusters::ClusterNames;
    use crate::normalise::records::{self, Gathered};
    use crate::normalise::{layout, Dataset};
    use crate::report::InputSummary;
    use calamine::{Cell, ExcelDateTime, ExcelDateTimeType};

    fn s(text: &str) -> Data {
        Data::String(text.into())
    }

    fn date_cell(serial: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    /// A sheet "Obiettivi" of `t.xlsx` holding `rows` from its first row, an
    /// empty cell where a row has `Data::Empty`.
    fn table(rows: Vec<Vec<Data>>) -> RawTable {
        let cells: Vec<Cell<Data>> = rows
            .into_iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.into_iter()
                    .enumerate()
                    .filter(|(_, v)| *v != Data::Empty)
                    .map(move |(c, v)| Cell::new((r as u32, c as u32), v))
            })
            .collect();
        RawTable {
            file: "t.xlsx".into(),
            sheet: Some("Obiettivi".into()),
            grid: Grid::from_cells(cells),
            merges: Vec::new(),
            date_1904: false,
            field_counts: None,
        }
    }

    /// The sheet read as a run reads it, found by its header.
    fn read_sheet(t: &RawTable) -> (Dataset, InputSummary) {
        let layout = layout::detect(t, None).unwrap().unwrap();
        assert_eq!(layout.kind, crate::schema::SourceKind::Targets);
        let ctx = Context {
            clusters: ClusterNames::new(&[]),
            categories: Config::default().own_categories(),
        };
        let mut data = Dataset::default();
        let mut summary = InputSummary::default();
        records::read_table(
            t,
            &layout,
            &ctx,
            &mut data,
            &mut Gathered::default(),
            &mut summary,
        );
        (data, summary)
    }

    fn texts(row: &TargetRow) -> [&str; 4] {
        [
            row.cluster.text.as_str(),
            row.indicator.text.as_str(),
            row.month.text.as_str(),
            row.value.text.as_str(),
        ]
    }

    #[test]
    fn each_row_is_one_point_with_its_cells() {
        // 2026-06-30 is serial 46203 in the 1900 date system.
        let t = table(vec![
            vec![s("Obiettivi 2026")],
            vec![s("Cluster"), s("Indicatore"), s("Mese"), s("Valore")],
            vec![
                s(" Mobilità "),
                s("soci"),
                date_cell(46_203.0),
                Data::Float(140.0),
            ],
            vec![
                s("Energia"),
                s("quota PMI"),
                s("30/06/2026"),
                Data::Float(0.35),
            ],
            vec![
                s("Energia"),
                s("finanziamento"),
                s("2026-06"),
                Data::Float(1_500_000.5),
            ],
            vec![s("Agrifood"), s("progetti"), s("giugno 2026"), Data::Empty],
            vec![
                s("Agrifood"),
                s("soci"),
                Data::Float(46_203.0),
                s(" 1.200 "),
            ],
        ]);
        let (data, summary) = read_sheet(&t);
        assert!(data.issues.is_empty(), "{:?}", data.issues);
        assert_eq!((summary.rows, summary.rejected), (5, 0));
        let rows: Vec<[&str; 4]> = data.targets.iter().map(texts).collect();
        assert_eq!(
            rows,
            [
                ["Mobilità", "soci", "2026-06", "140"],
                ["Energia", "quota PMI", "2026-06", "0.35"],
                ["Energia", "finanziamento", "2026-06", "1500000.5"],
                ["Agrifood", "progetti", "giugno 2026", ""],
                ["Agrifood", "soci", "46203", "1.200"],
            ]
        );
        let first = &data.targets[0];
        assert_eq!(
            first.cluster.at,
            Location::cell("t.xlsx", Some("Obiettivi"), 2, 0)
        );
        assert_eq!(
            first.value.at,
            Location::cell("t.xlsx", Some("Obiettivi"), 2, 3)
        );
        assert_eq!(first.month.at.to_string(), "t.xlsx:Obiettivi!C3");
    }

    #[test]
    fn no_row_is_a_total_a_note_or_rejected() {
        let t = table(vec![
            vec![s("Cluster"), s("Indicator"), s("Period"), s("Value")],
            vec![s("Totale"), s("soci"), s("2026-12"), Data::Float(500.0)],
            vec![s("Mobilità"), Data::Empty, Data::Empty, Data::Float(3.0)],
            vec![
                Data::Empty,
                s("Totale generale dei soggetti"),
                Data::Empty,
                Data::Empty,
            ],
            vec![
                Data::Empty,
                Data::Empty,
                Data::Empty,
                s("  "),
                s("a note beside"),
            ],
            vec![s("Fonte: piano triennale")],
        ]);
        let (data, summary) = read_sheet(&t);
        assert!(data.issues.is_empty(), "{:?}", data.issues);
        assert_eq!((summary.rows, summary.rejected), (4, 0));
        let rows: Vec<[&str; 4]> = data.targets.iter().map(texts).collect();
        assert_eq!(
            rows,
            [
                ["Totale", "soci", "2026-12", "500"],
                ["Mobilità", "", "", "3"],
                ["", "Totale generale dei soggetti", "", ""],
                ["Fonte: piano triennale", "", "", ""],
            ]
        );
        // An empty cell is still named by its own cell.
        assert_eq!(data.targets[1].month.at.to_string(), "t.xlsx:Obiettivi!C3");
    }

    #[test]
    fn cells_become_text_one_way() {
        assert_eq!(value(&Data::Float(140.0)), "140");
        assert_eq!(value(&Data::Float(-0.0)), "0");
        assert_eq!(value(&Data::Float(1e21)), "1000000000000000000000");
        assert_eq!(value(&Data::Float(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(value(&Data::Int(7)), "7");
        assert_eq!(value(&s(" 35% ")), "35%");
        assert_eq!(value(&Data::Empty), "");
        assert_eq!(value(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
        assert_eq!(month(&s("2026-06-30T00:00:00"), false), "2026-06");
        assert_eq!(
            month(&Data::DateTimeIso("2026-06-30".into()), false),
            "2026-06"
        );
        assert_eq!(month(&s("31.12.2026"), false), "2026-12");
        assert_eq!(month(&s("n/d"), false), "n/d");
        assert_eq!(month(&Data::Int(6), false), "6");
        // A date cell of a workbook in the 1904 date system carries it.
        let serial = 46_203.0 - 1_462.0;
        let cell = Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            true,
        ));
        assert_eq!(month(&cell, false), "2026-06");
    }
}
