//! The workbook's charts: horizontal bars, one per table row (cluster), top to
//! bottom in the table's order, with a title, a named value axis and the legend
//! below.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartFormat, ChartLegendPosition, ChartSeries, ChartSolidFill,
    ColNum, Color, RowNum,
};

/// Adds the series of column `col` of `sheet` (name in the header row, one value
/// per data row `1..=rows`) in a solid `colour`.
pub fn add_bars<'a>(
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
        .set_gap(60)
}

/// Title, categories read top to bottom, the value axis's name and number format,
/// the legend below, and the size.
pub fn finish(chart: &mut Chart, title: &str, axis: &str, num_format: &str, height: u32) {
    chart.title().set_name(title);
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
    chart.x_axis().set_name(axis).set_num_format(num_format);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(820).set_height(height);
}

/// Tall enough for every bar and its label, plus title and legend, and short
/// enough for ten clusters to print on one landscape page.
pub fn height(bars: RowNum) -> u32 {
    150 + 30 * bars
}
