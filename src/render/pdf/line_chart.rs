//! Line charts of a figure month by month, drawn as vectors: a panel per
//! series with its title (on up to two lines) and its latest value, gridlines
//! with their values, and month labels under the plot (the first and the last
//! always, those between where they fit). Panels sit side by side in rows,
//! all on one vertical scale (small multiples), or one panel spans the text
//! width. A month without a value (before the data) leaves the line out
//! there: a series starts where its data start.
//!
//! As for the bar charts ([`super::chart`]), values are `f64` only for
//! drawing; every label comes formatted from the exact figures.

use super::chart::{AXIS, LABEL};
use super::layout::Document;
use super::page::{CONTENT_WIDTH, MARGIN};
use super::style::{Ink, Stroke, TextStyle};
use super::table::cell_text;

/// A series' line, and its points where a month stands alone.
const SERIES: Stroke = Stroke {
    thickness: 1.1,
    ink: Ink::Accent,
};
const TITLE: TextStyle = LABEL.bold();
const LATEST: TextStyle = TextStyle {
    ink: Ink::Accent,
    ..TITLE
};
/// The most lines of a panel's title, the space between the title and the
/// plot, and the height of the month labels under the plot.
const TITLE_LINES: usize = 2;
const UNDER_TITLE: f32 = 2.2;
const MONTHS_HEIGHT: f32 = 4.2;
/// Between two panels side by side, and below a row of them.
const PANEL_GAP: f32 = 5.0;
const ROW_GAP: f32 = 3.5;
/// Room inside the plot before the first month and after the last.
const INSET: f32 = 1.5;

/// One series: its title, a value per month (`None` where there is none)
/// and its latest value, formatted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinePanel {
    pub(crate) title: String,
    pub(crate) values: Vec<Option<f64>>,
    pub(crate) latest: String,
}

/// Panels of one figure over the same months, on one vertical scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineCharts {
    panels: Vec<LinePanel>,
    /// Each month's label.
    months: Vec<String>,
    /// The gridlines (value and label), from the bottom of the scale (the
    /// first) to its top (the last).
    ticks: Vec<(f64, String)>,
    columns: usize,
    plot_height: f32,
}

impl LineCharts {
    /// Panels `columns` to a row, each plot `plot_height` millimetres high,
    /// over the months labelled `months`.
    pub(crate) fn new(
        panels: Vec<LinePanel>,
        months: Vec<String>,
        columns: usize,
        plot_height: f32,
    ) -> LineCharts {
        LineCharts {
            panels,
            months,
            ticks: Vec::new(),
            columns: columns.max(1),
            plot_height,
        }
    }

    /// The gridlines of the shared scale, lowest first: the first is the
    /// scale's bottom, the last its top.
    pub(crate) fn scale(mut self, ticks: Vec<(f64, String)>) -> LineCharts {
        self.ticks = ticks;
        self
    }

    /// The smallest and the largest value of every panel; `(0, 0)` without any.
    pub(crate) fn value_range(&self) -> (f64, f64) {
        let mut values = self.panels.iter().flat_map(|p| p.values.iter().flatten());
        let Some(&first) = values.next() else {
            return (0.0, 0.0);
        };
        values.fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v)))
    }

    /// The bottom and the top of the scale: its first and last gridlines,
    /// widened to every value.
    fn range(&self) -> (f64, f64) {
        let (lo, hi) = self.value_range();
        let bottom = self.ticks.first().map_or(lo, |(v, _)| v.min(lo));
        let top = self.ticks.last().map_or(hi, |(v, _)| v.max(hi));
        if top > bottom {
            (bottom, top)
        } else {
            (bottom, bottom + 1.0)
        }
    }
}

/// Gridlines from at most the smallest value to at least the largest, at
/// most `most` steps of 1, 2 or 5 times a power of ten, never less than 1 (the
/// values are counts): what a single series' chart shows of its own range. A
/// range narrower than a tenth of its top is widened to that, so that a
/// change of one member does not fill the plot.
pub(crate) fn range_ticks(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    let most = most.max(1) as f64;
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return vec![0.0, 1.0];
    }
    let least = (0.1 * hi.abs()).max(4.0);
    let (lo, hi) = if hi - lo >= least {
        (lo, hi)
    } else {
        // Widened around the middle, and not below zero for values that
        // are not.
        let middle = (lo + hi) / 2.0;
        let bottom = middle - least / 2.0;
        if bottom < 0.0 && lo >= 0.0 {
            (0.0, least)
        } else {
            (bottom, middle + least / 2.0)
        }
    };
    let power = 10f64.powf(((hi - lo) / most).log10().floor()).max(1.0);
    let steps = |step: f64| (hi / step).ceil() - (lo / step).floor();
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&step| steps(step) <= most)
        .unwrap_or(10.0 * power);
    let start = (lo / step).floor() * step;
    (0..=steps(step).max(1.0) as usize)
        .map(|i| start + i as f64 * step)
        .collect()
}

/// Where a panel's plot is on the page.
struct Plot {
    x: f32,
    width: f32,
    top: f32,
    height: f32,
    /// The bottom and the top of the scale.
    range: (f64, f64),
}

impl Plot {
    fn y(&self, value: f64) -> f32 {
        let (bottom, top) = self.range;
        let share = ((value - bottom) / (top - bottom)).clamp(0.0, 1.0);
        self.top + self.height - share as f32 * self.height
    }

    /// The x of month `i` of `count`.
    fn x(&self, i: usize, count: usize) -> f32 {
        if count < 2 {
            return self.x + self.width / 2.0;
        }
        let span = self.width - 2.0 * INSET;
        self.x + INSET + span * i as f32 / (count - 1) as f32
    }
}

impl Document {
    /// Draws `charts` at the cursor, a row of panels at a time, each row kept
    /// on one page.
    pub(crate) fn line_charts(&mut self, charts: &LineCharts) {
        let charts = self.clean_line_charts(charts);
        let width =
            (CONTENT_WIDTH - PANEL_GAP * (charts.columns - 1) as f32) / charts.columns as f32;
        let tick_width = charts
            .ticks
            .iter()
            .map(|(_, label)| self.fonts.width(label, AXIS))
            .fold(0.0, f32::max)
            + 1.2;
        let latest = LATEST;
        for row in charts.panels.chunks(charts.columns) {
            // Each title wrapped beside its latest value; the row's plots
            // start under the longest.
            let titles: Vec<Vec<String>> = row
                .iter()
                .map(|panel| {
                    let room = width - self.fonts.width(&panel.latest, latest) - 2.0;
                    self.title_lines(&panel.title, room.max(1.0))
                })
                .collect();
            let lines = titles.iter().map(Vec::len).max().unwrap_or(1);
            let title_height = lines as f32 * TITLE.line_height() + UNDER_TITLE;
            let height = title_height + charts.plot_height + MONTHS_HEIGHT;
            self.begin_block(height);
            for (k, (panel, title)) in row.iter().zip(&titles).enumerate() {
                let x = MARGIN + k as f32 * (width + PANEL_GAP);
                let plot = Plot {
                    x: x + tick_width,
                    width: width - tick_width,
                    top: self.y + title_height,
                    height: charts.plot_height,
                    range: charts.range(),
                };
                self.draw_panel(&charts, panel, title, (x, width), &plot);
            }
            self.y += height + ROW_GAP;
        }
    }

    /// A title on at most [`TITLE_LINES`] lines of `width`, the last cut
    /// with `…` when more would be needed.
    fn title_lines(&self, title: &str, width: f32) -> Vec<String> {
        let mut lines = self.fonts.wrap_owned(title, TITLE, width);
        if lines.len() > TITLE_LINES {
            let rest = lines[TITLE_LINES - 1..].join(" ");
            lines.truncate(TITLE_LINES - 1);
            lines.push(self.fonts.fit(&rest, TITLE, width));
        }
        lines
    }

    /// The charts with every text checked for glyphs, the titles (names from
    /// the inputs) cut as a table's cells are.
    fn clean_line_charts(&mut self, charts: &LineCharts) -> LineCharts {
        let mut clean = charts.clone();
        for panel in &mut clean.panels {
            panel.title = self.clean(&cell_text(&panel.title), TITLE.weight);
            panel.latest = self.clean(&panel.latest, TITLE.weight);
        }
        for month in &mut clean.months {
            *month = self.clean(month, AXIS.weight);
        }
        for (_, label) in &mut clean.ticks {
            *label = self.clean(label, AXIS.weight);
        }
        clean
    }

    fn draw_panel(
        &mut self,
        charts: &LineCharts,
        panel: &LinePanel,
        title: &[String],
        (x, width): (f32, f32),
        plot: &Plot,
    ) {
        // The title, and the latest value at the right of its first line.
        for (k, line) in title.iter().enumerate() {
            let baseline = TITLE.baseline(self.y + k as f32 * TITLE.line_height());
            self.canvas.text(x, baseline, line, TITLE);
        }
        let latest_width = self.fonts.width(&panel.latest, LATEST);
        self.canvas.text(
            x + width - latest_width,
            TITLE.baseline(self.y),
            &panel.latest,
            LATEST,
        );
        for (i, (value, label)) in charts.ticks.iter().enumerate() {
            let y = plot.y(*value);
            let stroke = if i == 0 {
                Stroke::axis()
            } else {
                Stroke::grid()
            };
            self.canvas
                .line((plot.x, y), (plot.x + plot.width, y), stroke);
            let label_x = plot.x - 1.2 - self.fonts.width(label, AXIS);
            self.canvas.text(label_x, y + 0.8, label, AXIS);
        }
        self.draw_series(panel, plot);
        self.draw_months(&charts.months, plot);
    }

    /// The line through each run of months with a value; a month alone as a
    /// point; the latest month marked.
    fn draw_series(&mut self, panel: &LinePanel, plot: &Plot) {
        let count = panel.values.len();
        let point = |i: usize, v: f64| (plot.x(i, count), plot.y(v.max(0.0)));
        let mut run: Vec<(f32, f32)> = Vec::new();
        let mut runs = Vec::new();
        for (i, value) in panel.values.iter().enumerate() {
            match value {
                Some(v) => run.push(point(i, *v)),
                None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for run in &runs {
            match run.as_slice() {
                [alone] => self.canvas.disc(*alone, 0.6, SERIES.ink, SERIES),
                _ => self.canvas.polyline(run, SERIES),
            }
        }
        if let Some(Some(last)) = panel.values.last() {
            let stroke = Stroke {
                thickness: 0.5,
                ink: Ink::Grey(1.0),
            };
            self.canvas
                .disc(point(count - 1, *last), 0.9, SERIES.ink, stroke);
        }
    }

    /// The month labels under the plot: the first and the last, and those
    /// between at a step that keeps them apart.
    fn draw_months(&mut self, months: &[String], plot: &Plot) {
        let count = months.len();
        let baseline = plot.top + plot.height + 3.2;
        let widest = months
            .iter()
            .map(|m| self.fonts.width(m, AXIS))
            .fold(0.0, f32::max);
        let label = |doc: &mut Document, i: usize, anchor: Anchor| {
            let text = &months[i];
            let width = doc.fonts.width(text, AXIS);
            let x = match anchor {
                Anchor::Start => plot.x,
                Anchor::Centre => plot.x(i, count) - width / 2.0,
                Anchor::End => plot.x + plot.width - width,
            };
            doc.canvas.text(x, baseline, text, AXIS);
        };
        match count {
            0 => return,
            1 => return label(self, 0, Anchor::Centre),
            _ => {}
        }
        label(self, 0, Anchor::Start);
        label(self, count - 1, Anchor::End);
        // Those between, every `step`-th: a step wide enough for a label
        // centred on its month beside one that starts or ends at the plot's
        // edge, and none closer than that to the last.
        let spacing = (plot.width - 2.0 * INSET) / (count - 1) as f32;
        let step = ((1.5 * widest + 2.0) / spacing).ceil().max(1.0) as usize;
        for i in (step..count - 1).step_by(step) {
            if count - 1 - i >= step {
                label(self, i, Anchor::Centre);
            }
        }
    }
}

/// Where a month label sits against its month.
#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Centre,
    End,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::page::{CONTENT_BOTTOM, PAGE_WIDTH};
    use crate::render::pdf::test_support::{decoration, pages, runs};

    fn panel(title: &str, values: &[Option<f64>]) -> LinePanel {
        LinePanel {
            title: title.into(),
            values: values.to_vec(),
            latest: values
                .last()
                .copied()
                .flatten()
                .map_or("–".into(), |v| v.to_string()),
        }
    }

    fn months(count: usize) -> Vec<String> {
        (0..count).map(|i| format!("m{i:02}")).collect()
    }

    #[test]
    fn panels_share_rows_and_stay_within_the_page() {
        let fonts = crate::render::pdf::fonts::fonts().unwrap();
        let panels = (0..14)
            .map(|i| {
                panel(
                    &format!("Cluster {i}"),
                    &[Some(10.0), Some(12.0 + i as f64)],
                )
            })
            .collect();
        let charts = LineCharts::new(panels, months(2), 4, 20.0).scale(vec![
            (0.0, "0".into()),
            (20.0, "20".into()),
            (40.0, "40".into()),
        ]);
        let mut doc = Document::new(decoration()).unwrap();
        doc.line_charts(&charts);
        let pages = pages(doc.finish());
        let runs: Vec<_> = pages.iter().flat_map(runs).collect();
        for i in 0..14 {
            assert!(runs.iter().any(|r| r.text == format!("Cluster {i}")), "{i}");
        }
        for run in &runs {
            assert!(run.x >= MARGIN - 0.01, "{run:?}");
            assert!(run.end(fonts) <= PAGE_WIDTH - MARGIN + 0.01, "{run:?}");
            assert!(run.y <= CONTENT_BOTTOM + 15.0, "{run:?}");
        }
        // Four panels a row: the titles of a row share a baseline.
        let y = |text: &str| runs.iter().find(|r| r.text == text).unwrap().y;
        assert_eq!(y("Cluster 0"), y("Cluster 3"));
        assert!(y("Cluster 4") > y("Cluster 3"));
        // The first and the last month under each panel.
        assert_eq!(runs.iter().filter(|r| r.text == "m00").count(), 14);
        assert_eq!(runs.iter().filter(|r| r.text == "m01").count(), 14);
    }

    #[test]
    fn a_series_range_has_round_count_steps_and_some_height() {
        assert_eq!(
            range_ticks(113.0, 121.0, 4),
            vec![110.0, 115.0, 120.0, 125.0]
        );
        assert_eq!(range_ticks(46.0, 48.0, 4), vec![44.0, 46.0, 48.0, 50.0]);
        assert_eq!(range_ticks(0.0, 0.0, 4), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(
            range_ticks(1_300.0, 1_390.0, 4),
            vec![1_250.0, 1_300.0, 1_350.0, 1_400.0, 1_450.0]
        );
        for (lo, hi) in [(0.0, 7.0), (100.0, 109.0), (12.0, 3_000.0)] {
            let ticks = range_ticks(lo, hi, 4);
            assert!(ticks[0] <= lo && *ticks.last().unwrap() >= hi, "{ticks:?}");
            assert!(ticks.len() <= 5, "{ticks:?}");
        }
    }

    #[test]
    fn a_wide_panel_labels_the_months_that_fit() {
        let values: Vec<Option<f64>> = (0..12)
            .map(|i| (i >= 3).then_some(100.0 + i as f64))
            .collect();
        let charts = LineCharts::new(vec![panel("Mobilità", &values)], months(12), 1, 30.0)
            .scale(vec![(0.0, "0".into()), (150.0, "150".into())]);
        let mut doc = Document::new(decoration()).unwrap();
        doc.line_charts(&charts);
        let pages = pages(doc.finish());
        let texts: Vec<String> = runs(&pages[0]).into_iter().map(|r| r.text).collect();
        for month in ["m00", "m05", "m11"] {
            assert!(texts.contains(&month.to_string()), "{month} in {texts:?}");
        }
        assert!(texts.contains(&"111".to_string()), "the latest value");
    }
}
