//! The workbook's charts: horizontal bars, one per table row (cluster), top to
//! bottom in the table's order, with a title, a named value axis and the legend
//! below, printed on a page of their own below the table. A chart is left out
//! where its bars would run past the sheet's last row.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartFormat, ChartLegendPosition, ChartSeries, ChartSolidFill,
    ColNum, Color, RowNum, Worksheet, XlsxError,
};

/// How far below its table's totals row a chart starts, in rows.
const ROWS_BELOW_TABLE: RowNum = 2;
/// A chart's width, in pixels.
const WIDTH_PX: u32 = 820;
/// The height of a chart's title, axis and legend, in pixels.
const FRAME_PX: u32 = 150;
/// The height of one bar with its label, in pixels.
const BAR_PX: u32 = 30;
/// The height of a row of the default height, in pixels.
const ROW_PX: u32 = 20;
/// The gap between bars, as a percentage of a bar's width.
const BAR_GAP: u16 = 60;

/// Adds the series of column `col` of `sheet` (name in the header row, one value
/// per data row `1..=rows`) in a solid `colour`.
pub(crate) fn add_bars<'a>(
    chart: &'a mut Chart,
    sheet: &str,
    col: ColNum,
    rows: RowNum,
    colour: u32,
) -> &'a mut ChartSeries {
    chart
        .add_series()
        .set_name((sheet, 0, col))
        .set_categories((sheet, 1, 0, rows, 0))
        .set_values((sheet, 1, col, rows, col))
        .set_format(
            ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(colour))),
        )
        .set_gap(BAR_GAP)
}

/// Title, categories read top to bottom, the value axis's name and number format,
/// the legend below, and the size.
pub(crate) fn finish(chart: &mut Chart, title: &str, axis: &str, num_format: &str, height: u32) {
    chart.title().set_name(title);
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.x_axis().set_name(axis).set_num_format(num_format);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(WIDTH_PX).set_height(height);
}

/// Tall enough for every bar and its label, plus title and legend, and short
/// enough for ten clusters to print on one landscape page.
pub(crate) fn height(bars: RowNum) -> u32 {
    FRAME_PX + BAR_PX * bars
}

/// The row a chart starts on below the table whose totals row is `totals_row`
/// (or, when there is nothing to chart, the note that says so).
pub(crate) fn first_row(totals_row: RowNum) -> RowNum {
    totals_row + ROWS_BELOW_TABLE
}

/// Whether a chart `height` pixels tall fits below the table whose totals row
/// is `totals_row` on a sheet of `sheet_rows` rows of the default height: a
/// table of hundreds of thousands of clusters leaves no room for one bar each.
pub(crate) fn fits_below(totals_row: RowNum, height: u32, sheet_rows: RowNum) -> bool {
    let rows = height.div_ceil(ROW_PX);
    u64::from(first_row(totals_row)) + u64::from(rows) < u64::from(sheet_rows)
}

/// Puts `chart` below the table of `ws` whose totals row is `totals_row`,
/// starting a printed page.
pub(crate) fn insert_below(
    ws: &mut Worksheet,
    totals_row: RowNum,
    chart: &Chart,
) -> Result<(), XlsxError> {
    let row = first_row(totals_row);
    ws.insert_chart(row, 0, chart)?;
    ws.set_page_breaks(&[row])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_fits_below_its_table_only_within_the_sheet() {
        // Ten clusters: 450 pixels, 23 rows from row 13.
        assert!(fits_below(11, height(10), 1_048_576));
        assert!(fits_below(11, height(10), 13 + 23 + 1));
        assert!(!fits_below(11, height(10), 13 + 23));
        // 500,000 clusters need 750,000 rows below their table.
        assert!(!fits_below(500_001, height(500_000), 1_048_576));
        assert!(fits_below(200_001, height(200_000), 1_048_576));
    }
}
