//! Horizontal bar charts drawn as vectors: a legend, one labelled row per item
//! (a cluster, a call), bars stacked by series or grouped side by side, value
//! labels, and a value axis with gridlines.
//!
//! Charts are meant to survive a black-and-white printer: the series colours
//! ([`CATEGORY_INKS`], [`PAIR_INKS`]) step evenly in lightness, segments are
//! separated by white rules and outlined, and the figures are written on the bars
//! wherever they fit. A chart taller than the page continues on the next one with
//! its legend and axis repeated. Values are `f64` only for drawing; every label is
//! given already formatted by the caller, from the exact figures.

use super::layout::Document;
use super::page::{CONTENT_BOTTOM, CONTENT_TOP, CONTENT_WIDTH, MARGIN};
use super::style::{Area, Ink, Stroke, TextStyle, Weight};
use super::table::cell_text;

/// Seven hues of the viridis scale, dark purple to yellow, each lightened or
/// darkened so that their greyscale values step evenly from 0.13 to 0.91: one per
/// member category, told apart on a black-and-white print by lightness alone.
pub(crate) const CATEGORY_INKS: [Ink; 7] = [
    Ink::Rgb(0.275, 0.016, 0.337),
    Ink::Rgb(0.267, 0.224, 0.514),
    Ink::Rgb(0.255, 0.454, 0.591),
    Ink::Rgb(0.307, 0.656, 0.641),
    Ink::Rgb(0.452, 0.805, 0.636),
    Ink::Rgb(0.716, 0.898, 0.519),
    Ink::Rgb(0.995, 0.945, 0.504),
];

/// A light and a dark ink for two series side by side (value and financing).
pub(crate) const PAIR_INKS: [Ink; 2] = [Ink::Rgb(0.62, 0.79, 0.88), Ink::Accent];

pub(super) const LABEL: TextStyle = TextStyle::new(7.5, Weight::Regular, Ink::Text);
const VALUE: TextStyle = TextStyle::new(6.5, Weight::Regular, Ink::Text);
pub(super) const AXIS: TextStyle = TextStyle::new(6.5, Weight::Regular, Ink::Muted);
/// Space between the row labels and the plot, and after the bars' end labels.
const GAP: f32 = 2.0;
const SWATCH: f32 = 3.0;
const STACKED_BAR: f32 = 5.0;
const GROUPED_BAR: f32 = 3.4;
const ROW_GAP: f32 = 2.6;
/// Tick labels and the axis caption under the plot.
const AXIS_HEIGHT: f32 = 8.0;

/// How a row's values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BarMode {
    /// One bar per row, its segments the series, its end label the total.
    Stacked,
    /// One thin bar per series, each with its own end label.
    Grouped,
}

/// One row of a chart: its label, a value per series and their labels.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BarRow {
    pub(crate) label: String,
    pub(crate) values: Vec<f64>,
    /// The figure of each value: written inside a stacked segment when it fits,
    /// after a grouped bar always.
    pub(crate) value_labels: Vec<String>,
    /// After a stacked bar: the row's total.
    pub(crate) total_label: String,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BarChart {
    mode: BarMode,
    series: Vec<(String, Ink)>,
    rows: Vec<BarRow>,
    ticks: Vec<(f64, String)>,
    axis_caption: String,
}

impl BarChart {
    /// A chart with these series (legend names and inks).
    pub(crate) fn new(mode: BarMode, series: Vec<(String, Ink)>) -> BarChart {
        BarChart {
            mode,
            series,
            rows: Vec::new(),
            ticks: Vec::new(),
            axis_caption: String::new(),
        }
    }

    pub(crate) fn row(&mut self, row: BarRow) {
        self.rows.push(row);
    }

    /// The gridlines (value and label) and what the axis measures. The last tick
    /// is the axis end; without ticks the largest bar is.
    pub(crate) fn axis(
        mut self,
        ticks: Vec<(f64, String)>,
        caption: impl Into<String>,
    ) -> BarChart {
        self.ticks = ticks;
        self.axis_caption = caption.into();
        self
    }

    /// The largest bar: a stacked row's sum, or a grouped row's largest value.
    pub(crate) fn max_value(&self) -> f64 {
        self.rows
            .iter()
            .map(|row| match self.mode {
                BarMode::Stacked => row.values.iter().map(|v| v.max(0.0)).sum(),
                BarMode::Grouped => row.values.iter().copied().fold(0.0, f64::max),
            })
            .fold(0.0, f64::max)
    }

    fn axis_end(&self) -> f64 {
        let last = self.ticks.last().map_or(0.0, |(v, _)| *v);
        let end = last.max(self.max_value());
        if end > 0.0 {
            end
        } else {
            1.0
        }
    }
}

/// Round gridline values from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a
/// power of ten, at most `most` steps.
pub(crate) fn nice_ticks(max: f64, most: usize) -> Vec<f64> {
    let most = most.max(1) as f64;
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let rough = max / most;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| (max / step).ceil() <= most)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil().max(1.0) as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// A chart measured for the text column.
struct ChartLayout {
    legend: Vec<Vec<usize>>,
    label_width: f32,
    plot_x: f32,
    plot_width: f32,
    /// Each row's wrapped label and height.
    rows: Vec<(Vec<String>, f32)>,
}

impl ChartLayout {
    fn legend_height(&self) -> f32 {
        self.legend.len() as f32 * 4.6 + 1.5
    }

    fn x(&self, value: f64, end: f64) -> f32 {
        self.plot_x + (value / end) as f32 * self.plot_width
    }
}

impl Document {
    /// Draws `chart` across the text column at the cursor, after any held heading.
    pub(crate) fn bar_chart(&mut self, chart: &BarChart) {
        let chart = self.clean_chart(chart);
        let layout = self.layout_chart(&chart);
        let first_rows: f32 = layout.rows.iter().take(3).map(|r| r.1).sum();
        let all_rows: f32 = layout.rows.iter().map(|r| r.1).sum();
        let whole = layout.legend_height() + all_rows + AXIS_HEIGHT;
        // Kept on one page whenever it fits on one; a longer chart may start
        // wherever its legend, three rows and an axis fit.
        let keep = if whole <= CONTENT_BOTTOM - CONTENT_TOP {
            whole
        } else {
            layout.legend_height() + first_rows + AXIS_HEIGHT
        };
        self.begin_block(keep);
        let mut next = 0;
        while next < chart.rows.len() {
            if next > 0 {
                self.new_page();
            }
            self.draw_legend(&chart, &layout);
            let room = CONTENT_BOTTOM - self.y - AXIS_HEIGHT;
            let mut end = next;
            let mut used = 0.0;
            while end < chart.rows.len() && (end == next || used + layout.rows[end].1 <= room) {
                used += layout.rows[end].1;
                end += 1;
            }
            self.draw_rows(&chart, &layout, next..end, used);
            next = end;
        }
        self.y += 2.0;
    }

    /// The chart with every text checked for glyphs, the rows' labels (names
    /// from the inputs) cut as a table's cells are.
    fn clean_chart(&mut self, chart: &BarChart) -> BarChart {
        let mut clean = chart.clone();
        for (name, _) in &mut clean.series {
            *name = self.clean(name, LABEL.weight);
        }
        for row in &mut clean.rows {
            row.label = self.clean(&cell_text(&row.label), LABEL.weight);
            row.total_label = self.clean(&row.total_label, VALUE.weight);
            for label in &mut row.value_labels {
                *label = self.clean(label, VALUE.weight);
            }
        }
        for (_, label) in &mut clean.ticks {
            *label = self.clean(label, AXIS.weight);
        }
        clean.axis_caption = self.clean(&clean.axis_caption, AXIS.weight);
        clean
    }

    fn layout_chart(&self, chart: &BarChart) -> ChartLayout {
        let fonts = self.fonts;
        let widest = |texts: &mut dyn Iterator<Item = &String>, style| {
            texts.map(|t| fonts.width(t, style)).fold(0.0, f32::max)
        };
        let label_width = widest(&mut chart.rows.iter().map(|r| &r.label), LABEL)
            .clamp(10.0, 0.3 * CONTENT_WIDTH);
        let end_labels = match chart.mode {
            BarMode::Stacked => widest(&mut chart.rows.iter().map(|r| &r.total_label), VALUE),
            BarMode::Grouped => widest(&mut chart.rows.iter().flat_map(|r| &r.value_labels), VALUE),
        };
        let plot_x = MARGIN + label_width + GAP;
        let plot_width = (CONTENT_WIDTH - label_width - 2.0 * GAP - end_labels).max(20.0);
        let bars = match chart.mode {
            BarMode::Stacked => STACKED_BAR,
            BarMode::Grouped => chart.series.len().max(1) as f32 * (GROUPED_BAR + 0.4),
        };
        let rows = chart
            .rows
            .iter()
            .map(|row| {
                let lines = fonts.wrap_owned(&row.label, LABEL, label_width);
                let text = lines.len() as f32 * LABEL.line_height();
                (lines, bars.max(text) + ROW_GAP)
            })
            .collect();
        ChartLayout {
            legend: self.legend_lines(chart),
            label_width,
            plot_x,
            plot_width,
            rows,
        }
    }

    /// The series indices on each line of the legend, which wraps at the text width.
    fn legend_lines(&self, chart: &BarChart) -> Vec<Vec<usize>> {
        let mut lines: Vec<Vec<usize>> = vec![Vec::new()];
        let mut x = 0.0;
        for (i, (name, _)) in chart.series.iter().enumerate() {
            let width = SWATCH + 1.2 + self.fonts.width(name, LABEL) + 5.0;
            if x + width > CONTENT_WIDTH && x > 0.0 {
                lines.push(Vec::new());
                x = 0.0;
            }
            if let Some(line) = lines.last_mut() {
                line.push(i);
            }
            x += width;
        }
        lines
    }

    fn draw_legend(&mut self, chart: &BarChart, layout: &ChartLayout) {
        for line in &layout.legend {
            let mut x = MARGIN;
            for &i in line {
                let (name, ink) = &chart.series[i];
                let swatch = Area {
                    x,
                    y: self.y + 0.6,
                    width: SWATCH,
                    height: SWATCH,
                };
                self.canvas.fill(swatch, *ink);
                self.canvas.outline(swatch, Stroke::bar());
                let text_x = x + SWATCH + 1.2;
                self.canvas.text(text_x, self.y + 3.2, name, LABEL);
                x = text_x + self.fonts.width(name, LABEL) + 5.0;
            }
            self.y += 4.6;
        }
        self.y += 1.5;
    }

    /// Rows `range` of the chart with their gridlines and, under them, the axis.
    fn draw_rows(
        &mut self,
        chart: &BarChart,
        layout: &ChartLayout,
        range: std::ops::Range<usize>,
        height: f32,
    ) {
        let end = chart.axis_end();
        let top = self.y;
        let bottom = top + height;
        for (value, _) in &chart.ticks {
            let x = layout.x(*value, end);
            self.canvas.line((x, top), (x, bottom), Stroke::grid());
        }
        for i in range {
            let (lines, row_height) = &layout.rows[i];
            self.draw_row_label(lines, *row_height, layout.label_width);
            match chart.mode {
                BarMode::Stacked => self.draw_stacked(chart, layout, i, *row_height),
                BarMode::Grouped => self.draw_grouped(chart, layout, i, *row_height),
            }
            self.y += row_height;
        }
        self.canvas.line(
            (layout.plot_x, top),
            (layout.plot_x, bottom),
            Stroke::axis(),
        );
        for (value, label) in &chart.ticks {
            let x = layout.x(*value, end) - self.fonts.width(label, AXIS) / 2.0;
            self.canvas.text(x, bottom + 3.2, label, AXIS);
        }
        let caption_x =
            layout.plot_x + layout.plot_width - self.fonts.width(&chart.axis_caption, AXIS);
        self.canvas
            .text(caption_x, bottom + 6.6, &chart.axis_caption, AXIS);
        self.y = bottom + AXIS_HEIGHT;
    }

    /// The row's label, right-aligned against the plot and centred on the row.
    fn draw_row_label(&mut self, lines: &[String], row_height: f32, width: f32) {
        let text_height = lines.len() as f32 * LABEL.line_height();
        let top = self.y + (row_height - ROW_GAP - text_height) / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let x = MARGIN + width - self.fonts.width(line, LABEL);
            let baseline = LABEL.baseline(top + k as f32 * LABEL.line_height());
            self.canvas.text(x, baseline, line, LABEL);
        }
    }

    fn draw_stacked(&mut self, chart: &BarChart, layout: &ChartLayout, i: usize, row_height: f32) {
        let row = &chart.rows[i];
        let end = chart.axis_end();
        let y = self.y + (row_height - ROW_GAP - STACKED_BAR) / 2.0;
        let mut sum = 0.0;
        let mut edges = Vec::new();
        for (k, value) in row.values.iter().enumerate() {
            let value = value.max(0.0);
            if value == 0.0 {
                continue;
            }
            let (x0, x1) = (layout.x(sum, end), layout.x(sum + value, end));
            sum += value;
            let ink = chart.series.get(k).map_or(Ink::Grey(0.5), |s| s.1);
            let segment = Area {
                x: x0,
                y,
                width: x1 - x0,
                height: STACKED_BAR,
            };
            self.canvas.fill(segment, ink);
            edges.push(x1);
            let label = row.value_labels.get(k).map_or("", String::as_str);
            self.label_inside(segment, label, ink);
        }
        if sum == 0.0 {
            return;
        }
        edges.pop();
        for x in edges {
            self.canvas
                .line((x, y), (x, y + STACKED_BAR), Stroke::separator());
        }
        let bar = Area {
            x: layout.plot_x,
            y,
            width: layout.x(sum, end) - layout.plot_x,
            height: STACKED_BAR,
        };
        self.canvas.outline(bar, Stroke::bar());
        let baseline = y + STACKED_BAR / 2.0 + 0.8;
        self.canvas.text(
            bar.x + bar.width + 1.2,
            baseline,
            &row.total_label,
            VALUE.bold(),
        );
    }

    /// `label` centred in `segment` if it fits there, in white on a dark ink.
    fn label_inside(&mut self, segment: Area, label: &str, ink: Ink) {
        let width = self.fonts.width(label, VALUE);
        if label.is_empty() || width + 1.2 > segment.width {
            return;
        }
        let text_ink = if ink.luminance() < 0.45 {
            Ink::Grey(1.0)
        } else {
            Ink::Text
        };
        let style = TextStyle {
            ink: text_ink,
            ..VALUE
        };
        let x = segment.x + (segment.width - width) / 2.0;
        let baseline = segment.y + segment.height / 2.0 + 0.8;
        self.canvas.text(x, baseline, label, style);
    }

    fn draw_grouped(&mut self, chart: &BarChart, layout: &ChartLayout, i: usize, row_height: f32) {
        let row = &chart.rows[i];
        let end = chart.axis_end();
        let count = chart.series.len().max(1) as f32;
        let bars = count * (GROUPED_BAR + 0.4) - 0.4;
        let mut y = self.y + (row_height - ROW_GAP - bars) / 2.0;
        for (k, (_, ink)) in chart.series.iter().enumerate() {
            let value = row.values.get(k).copied().unwrap_or(0.0).max(0.0);
            let bar = Area {
                x: layout.plot_x,
                y,
                width: layout.x(value, end) - layout.plot_x,
                height: GROUPED_BAR,
            };
            if bar.width > 0.0 {
                self.canvas.fill(bar, *ink);
                self.canvas.outline(bar, Stroke::bar());
            }
            let label = row.value_labels.get(k).map_or("", String::as_str);
            let baseline = y + GROUPED_BAR / 2.0 + 0.8;
            self.canvas
                .text(bar.x + bar.width + 1.2, baseline, label, VALUE);
            y += GROUPED_BAR + 0.4;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::fonts;
    use crate::render::pdf::page::PAGE_WIDTH;
    use crate::render::pdf::test_support::{decoration, pages, rects, runs};

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(nice_ticks(153.0, 6), vec![0.0, 50.0, 100.0, 150.0, 200.0]);
        assert_eq!(
            nice_ticks(45.38, 6),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
        );
        assert_eq!(nice_ticks(1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(0.0, 5), vec![0.0, 1.0]);
        for max in [0.3, 7.0, 99.0, 121.0, 1386.0, 147.19] {
            let ticks = nice_ticks(max, 6);
            assert!(*ticks.last().unwrap() >= max, "{max}: {ticks:?}");
            assert!(ticks.len() <= 7, "{max}: {ticks:?}");
        }
    }

    #[test]
    fn the_category_inks_step_evenly_from_dark_to_light() {
        let lum: Vec<f32> = CATEGORY_INKS.iter().map(|i| i.luminance()).collect();
        for pair in lum.windows(2) {
            let step = pair[1] - pair[0];
            assert!(step > 0.1, "{lum:?}");
        }
        assert!(PAIR_INKS[0].luminance() - PAIR_INKS[1].luminance() > 0.4);
    }

    fn members_chart(rows: usize) -> BarChart {
        let series = ["Consorzi", "Grandi imprese", "PMI"]
            .iter()
            .zip(CATEGORY_INKS)
            .map(|(n, i)| (n.to_string(), i))
            .collect();
        let mut chart = BarChart::new(BarMode::Stacked, series).axis(
            vec![
                (0.0, "0".into()),
                (50.0, "50".into()),
                (100.0, "100".into()),
                (150.0, "150".into()),
            ],
            "Soci",
        );
        for i in 0..rows {
            chart.row(BarRow {
                label: format!("Tecnologie per gli ambienti di vita {i}"),
                values: vec![6.0, 20.0, 72.0],
                value_labels: vec!["6".into(), "20".into(), "72".into()],
                total_label: "98".into(),
            });
        }
        chart
    }

    #[test]
    fn stacked_bars_are_proportional_and_labelled() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.bar_chart(&members_chart(2));
        let pages = pages(doc.finish());
        let page = &pages[0];
        let texts: Vec<String> = runs(page).into_iter().map(|r| r.text).collect();
        for needle in [
            "Consorzi",
            "Grandi imprese",
            "PMI",
            "6",
            "20",
            "72",
            "98",
            "150",
            "Soci",
        ] {
            assert!(texts.iter().any(|t| t == needle), "{needle} in {texts:?}");
        }
        // The segments of the first bar: 6, 20 and 72 on an axis of 150.
        let bars: Vec<Area> = rects(page)
            .into_iter()
            .filter(|a| (a.height - STACKED_BAR).abs() < 0.01)
            .collect();
        assert!(bars.len() >= 3, "{bars:?}");
        let unit = bars[0].width / 6.0;
        assert!((bars[1].width - 20.0 * unit).abs() < 0.01, "{bars:?}");
        assert!((bars[2].width - 72.0 * unit).abs() < 0.01, "{bars:?}");
        assert!((bars[1].x - (bars[0].x + bars[0].width)).abs() < 0.01);
        let plot_end = bars[0].x + 150.0 * unit;
        assert!(plot_end <= MARGIN + CONTENT_WIDTH + 0.01, "{plot_end}");
    }

    #[test]
    fn a_long_chart_continues_on_the_next_page_with_its_legend() {
        let fonts = fonts().unwrap();
        let mut doc = Document::new(decoration()).unwrap();
        doc.bar_chart(&members_chart(45));
        let pages = pages(doc.finish());
        assert!(pages.len() >= 2);
        let mut labels = 0;
        for page in &pages {
            let runs = runs(page);
            assert_eq!(
                runs.iter().filter(|r| r.text == "Grandi imprese").count(),
                1
            );
            for run in &runs {
                let end = run.end(fonts);
                assert!(
                    run.x >= MARGIN - 0.01 && end <= PAGE_WIDTH - MARGIN + 0.01,
                    "{run:?}"
                );
                if run.text.starts_with("Tecnologie") || run.text.starts_with("vita") {
                    assert!(run.y > CONTENT_TOP && run.y < CONTENT_BOTTOM, "{run:?}");
                }
            }
            labels += runs
                .iter()
                .filter(|r| r.text.starts_with("Tecnologie"))
                .count();
        }
        assert_eq!(labels, 45, "every row once");
    }

    #[test]
    fn grouped_bars_have_one_bar_and_label_per_series() {
        let series = vec![
            ("Valore".to_string(), PAIR_INKS[0]),
            ("Finanziamento".to_string(), PAIR_INKS[1]),
        ];
        let mut chart = BarChart::new(BarMode::Grouped, series).axis(
            vec![(0.0, "0".into()), (50.0, "50".into())],
            "Milioni di euro",
        );
        chart.row(BarRow {
            label: "Agrifood".into(),
            values: vec![45.4, 19.2],
            value_labels: vec!["45,4".into(), "19,2".into()],
            total_label: String::new(),
        });
        let mut doc = Document::new(decoration()).unwrap();
        doc.bar_chart(&chart);
        let pages = pages(doc.finish());
        let page = &pages[0];
        let bars: Vec<Area> = rects(page)
            .into_iter()
            .filter(|a| (a.height - GROUPED_BAR).abs() < 0.01)
            .collect();
        assert_eq!(bars.len(), 2, "{bars:?}");
        assert!((bars[0].width / bars[1].width - 45.4 / 19.2).abs() < 0.01);
        let texts: Vec<String> = runs(page).into_iter().map(|r| r.text).collect();
        assert!(texts.contains(&"45,4".to_string()) && texts.contains(&"19,2".to_string()));
    }
}
