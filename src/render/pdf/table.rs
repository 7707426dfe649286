//! Tables: columns that share the text width by their content and weight, cells
//! wrapped within their column, numbers right-aligned or lined up on the decimal
//! mark, and rows split across pages with the header row repeated and never a
//! header left alone at a page's foot.

use super::layout::Document;
use super::page::{CONTENT_BOTTOM, CONTENT_TOP, CONTENT_WIDTH, MARGIN};
use super::style::{Align, Area, Ink, Stroke, TextStyle, Weight};
use std::borrow::Cow;

/// The most characters a cell shows. Longer text — a value of a million
/// characters, or a message that quotes one — is cut to its first characters
/// and `…`, so that a cell never fills pages; the workbook and the CSV files
/// keep the whole text. A thousand characters is more than any title, path or
/// message the inputs give in earnest (the longest message, an unknown cluster
/// with the configured names listed, runs to a few hundred), and about a page
/// at most in the narrowest column.
pub(crate) const MAX_CELL_CHARS: usize = 1_000;

/// `text` as a cell shows it: whole up to [`MAX_CELL_CHARS`] characters, else
/// its first characters and `…`, that many in all.
pub(crate) fn cell_text(text: &str) -> Cow<'_, str> {
    // A character takes at least one byte: text of few bytes needs no counting.
    if text.len() <= MAX_CELL_CHARS {
        return Cow::Borrowed(text);
    }
    // Where the last character kept ends, and whether another follows it.
    let mut starts = text.char_indices().map(|(at, _)| at);
    match (starts.nth(MAX_CELL_CHARS - 1), starts.next()) {
        (Some(cut), Some(_)) => Cow::Owned(format!("{}…", &text[..cut])),
        _ => Cow::Borrowed(text),
    }
}

/// Horizontal padding inside a table cell, at 8-point text.
const CELL_PAD_X: f32 = 1.6;
/// Vertical padding inside a table cell, at 8-point text.
const CELL_PAD_Y: f32 = 1.25;

/// A row's cells as drawn: borrowed from the table unless a character had to change.
type Cells<'t> = Vec<Cow<'t, str>>;

/// One column of a [`Table`]: header text, relative width and alignment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub(crate) header: String,
    /// Relative to the other columns: how the width left over after every column's
    /// minimum (its longest word or unbroken line) is shared.
    pub(crate) weight: f32,
    pub(crate) align: Align,
    /// Whether each line of a cell is kept whole (numbers, codes, digests) rather
    /// than wrapped at spaces; only a table too narrow for them all breaks them.
    pub(crate) unbroken: bool,
    /// Whether its cells start with the row's mark (see [`Table::marked_row`]).
    pub(crate) marked: bool,
}

impl Column {
    /// A text column, wrapped at spaces.
    pub(crate) fn left(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Left,
            unbroken: false,
            marked: false,
        }
    }

    /// A text column whose cells start with their row's mark, a coloured
    /// disc: a status seen at a glance, and read in the words beside it.
    pub(crate) fn marked(header: impl Into<String>, weight: f32) -> Column {
        Column {
            marked: true,
            ..Column::left(header, weight)
        }
    }

    /// A number column: right-aligned, never wrapped.
    pub(crate) fn right(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Right,
            unbroken: true,
            marked: false,
        }
    }

    /// A column of amounts or percentages lined up on the decimal `mark`, never
    /// wrapped; its header is right-aligned.
    pub(crate) fn decimal(header: impl Into<String>, weight: f32, mark: char) -> Column {
        Column {
            align: Align::Decimal(mark),
            ..Column::right(header, weight)
        }
    }

    /// Keeps each line of this column's cells whole.
    pub(crate) fn unbroken(self) -> Column {
        Column {
            unbroken: true,
            ..self
        }
    }
}

/// How a table row is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowStyle {
    Normal,
    /// Bold.
    Emphasis,
    /// Regular text with an accent mark at the row's left edge: rows that need the
    /// reader's attention, without the width bold type costs.
    Flagged,
    /// Bold under a darker rule: the totals row.
    Total,
}

/// A table: columns and rows of text, laid out by [`Document::table`].
#[derive(Debug, Clone)]
pub(crate) struct Table {
    columns: Vec<Column>,
    rows: Vec<(RowStyle, Vec<String>)>,
    /// Each row's mark, drawn at the start of its marked columns' cells.
    marks: Vec<Option<Ink>>,
    size: f32,
    width: f32,
}

impl Table {
    /// A table as wide as the text column, in 8-point type.
    pub(crate) fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            marks: Vec::new(),
            size: 8.0,
            width: CONTENT_WIDTH,
        }
    }

    /// Sets the font size in points; cell padding scales with it.
    pub(crate) fn font_size(mut self, size: f32) -> Table {
        self.size = size;
        self
    }

    /// Sets the table's width in millimetres (at most the text column).
    #[cfg(test)]
    pub(crate) fn width(mut self, width: f32) -> Table {
        self.width = width.min(CONTENT_WIDTH);
        self
    }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.styled_row(RowStyle::Normal, cells);
    }

    pub(crate) fn styled_row(&mut self, style: RowStyle, cells: Vec<String>) {
        self.rows.push((style, cells));
        self.marks.push(None);
    }

    /// Adds a row whose marked columns ([`Column::marked`]) start with a disc
    /// of `ink`.
    pub(crate) fn marked_row(&mut self, style: RowStyle, cells: Vec<String>, ink: Ink) {
        self.rows.push((style, cells));
        self.marks.push(Some(ink));
    }

    /// The disc's diameter, and the width it takes with the space after it.
    fn mark_size(&self) -> (f32, f32) {
        let diameter = 0.29 * self.size;
        (diameter, diameter + 1.2 * self.size / 8.0)
    }

    /// The width a marked column's cells give their mark.
    fn mark_width(&self, column: &Column) -> f32 {
        if column.marked {
            self.mark_size().1
        } else {
            0.0
        }
    }

    pub(super) fn style(&self, row: RowStyle) -> TextStyle {
        let style = TextStyle::new(self.size, Weight::Regular, Ink::Text);
        match row {
            RowStyle::Normal | RowStyle::Flagged => style,
            RowStyle::Emphasis | RowStyle::Total => style.bold(),
        }
    }

    fn pad_x(&self) -> f32 {
        CELL_PAD_X * self.size / 8.0
    }

    fn pad_y(&self) -> f32 {
        CELL_PAD_Y * self.size / 8.0
    }
}

/// Shares `width` among columns: each gets at least its minimum, and the rest goes
/// by weight. When the minimums alone are too wide, see [`squeeze`].
pub(crate) fn column_widths(
    minimums: &[f32],
    flexible: &[bool],
    weights: &[f32],
    width: f32,
) -> Vec<f32> {
    if minimums.iter().sum::<f32>() >= width {
        return squeeze(minimums, flexible, width);
    }
    let weight = |i: usize| weights.get(i).copied().unwrap_or(0.0).max(0.0);
    let total_weight: f32 = (0..minimums.len()).map(weight).sum();
    let count = minimums.len().max(1) as f32;
    let share = |i: usize| {
        if total_weight > 0.0 {
            weight(i) / total_weight
        } else {
            1.0 / count
        }
    };
    let mut widths: Vec<f32> = minimums
        .iter()
        .enumerate()
        .map(|(i, m)| m.max(width * share(i)))
        .collect();
    let excess: f32 = widths.iter().sum::<f32>() - width;
    let slack: f32 = widths.iter().zip(minimums).map(|(w, m)| w - m).sum();
    if excess > 0.0 && slack > 0.0 {
        for (w, m) in widths.iter_mut().zip(minimums) {
            *w -= (*w - m) * excess / slack;
        }
    }
    widths
}

/// Widths for minimums that do not fit: the `flexible` (wrapped text) columns give
/// up width in proportion to their minimums, so that numbers stay whole; only if the
/// other columns alone are too wide is every column scaled down.
fn squeeze(minimums: &[f32], flexible: &[bool], width: f32) -> Vec<f32> {
    let is_flexible = |i: usize| flexible.get(i).copied().unwrap_or(false);
    let total: f32 = minimums.iter().sum();
    let fixed: f32 = minimums
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_flexible(*i))
        .map(|(_, m)| m)
        .sum();
    let flexible_scale = (width - fixed) / (total - fixed).max(f32::EPSILON);
    let all_scale = width / total.max(f32::EPSILON);
    minimums
        .iter()
        .enumerate()
        .map(|(i, m)| match (fixed < width, is_flexible(i)) {
            (true, true) => m * flexible_scale,
            (true, false) => *m,
            (false, _) => m * all_scale,
        })
        .collect()
}

/// A table row broken into lines per cell, ready to draw; a line that is a
/// whole cell is borrowed from it.
#[derive(Debug, Clone)]
struct RowLayout<'t> {
    style: RowStyle,
    /// The logical row number, for zebra striping across split fragments.
    index: usize,
    cells: Vec<Vec<Cow<'t, str>>>,
    line_height: f32,
    pad_y: f32,
}

impl<'t> RowLayout<'t> {
    fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
    }

    fn height(&self) -> f32 {
        self.lines() as f32 * self.line_height + 2.0 * self.pad_y
    }

    /// The row with lines of its own, to outlive the cells it was laid out from.
    fn into_owned(self) -> RowLayout<'static> {
        let cells = self.cells.into_iter().map(|lines| {
            lines
                .into_iter()
                .map(|line| Cow::Owned(line.into_owned()))
                .collect()
        });
        RowLayout {
            cells: cells.collect(),
            style: self.style,
            index: self.index,
            line_height: self.line_height,
            pad_y: self.pad_y,
        }
    }

    /// Splits a row taller than `max_lines` lines into fragments that each fit a page.
    fn split(self, max_lines: usize) -> Vec<RowLayout<'t>> {
        let max_lines = max_lines.max(1);
        if self.lines() <= max_lines {
            return vec![self];
        }
        let fragments = self.lines().div_ceil(max_lines);
        (0..fragments)
            .map(|k| RowLayout {
                cells: self
                    .cells
                    .iter()
                    .map(|lines| {
                        lines
                            .iter()
                            .skip(k * max_lines)
                            .take(max_lines)
                            .cloned()
                            .collect()
                    })
                    .collect(),
                ..self.clone()
            })
            .collect()
    }
}

/// A table measured: its column widths, and its rows ready to be broken into
/// lines one at a time as they are drawn.
struct TableLayout<'t> {
    widths: Vec<f32>,
    /// For each decimal column, the widest text from the decimal mark to the end
    /// of a line, over every row: where the marks line up, measured from the right.
    tails: Vec<Option<f32>>,
    header: RowLayout<'static>,
    rows: Vec<(RowStyle, Cells<'t>)>,
    /// The most lines a row fragment may have to fit on a page under the header.
    max_lines: usize,
}

/// Tables up to this height are moved whole to the next page rather than split.
const KEEP_TOGETHER: f32 = 120.0;

/// Where `line` splits around its decimal `mark`: at the last mark, else after the
/// last digit (a whole number, `70 %`), else at the end (a dash).
pub(crate) fn decimal_split(line: &str, mark: char) -> usize {
    if let Some(index) = line.rfind(mark) {
        return index;
    }
    line.char_indices()
        .filter(|(_, ch)| ch.is_ascii_digit())
        .map(|(index, ch)| index + ch.len_utf8())
        .next_back()
        .unwrap_or(line.len())
}

impl Document {
    /// Lays out `table` at the cursor: header row in bold on grey, zebra rows, long
    /// text wrapped in its cell, split across pages with the header repeated, and
    /// never a header without rows under it. A small table moves whole to the next
    /// page rather than split.
    pub(crate) fn table(&mut self, table: &Table) {
        let layout = self.layout_table(table);
        self.begin_block(self.keep_height(table, &layout));
        self.draw_row(table, &layout, &layout.header, true);
        for (index, row) in layout.rows.iter().enumerate() {
            for fragment in self.row_fragments(table, &layout, row, index) {
                if self.y + fragment.height() > CONTENT_BOTTOM {
                    self.new_page();
                    self.draw_row(table, &layout, &layout.header, true);
                }
                self.draw_row(table, &layout, &fragment, false);
            }
        }
        self.canvas.line(
            (MARGIN, self.y),
            (MARGIN + table.width, self.y),
            Stroke::thin(),
        );
    }

    /// Row `index` broken into lines, in fragments that each fit a page.
    fn row_fragments<'r>(
        &self,
        table: &Table,
        layout: &TableLayout<'_>,
        (style, cells): &'r (RowStyle, Cells<'_>),
        index: usize,
    ) -> Vec<RowLayout<'r>> {
        self.layout_row(table, &layout.widths, (*style, cells), index)
            .split(layout.max_lines)
    }

    /// What must fit before the table starts: all of a small table, else the header
    /// and the first three row fragments, so that a header never ends a page. Only
    /// the rows needed to tell are broken into lines here.
    fn keep_height(&self, table: &Table, layout: &TableLayout<'_>) -> f32 {
        let mut total = layout.header.height();
        let mut first_three = total;
        let fragments = layout
            .rows
            .iter()
            .enumerate()
            .flat_map(|(index, row)| self.row_fragments(table, layout, row, index));
        for (count, fragment) in fragments.enumerate() {
            let height = fragment.height();
            total += height;
            if count < 3 {
                first_three += height;
            } else if total > KEEP_TOGETHER {
                return first_three;
            }
        }
        if total <= KEEP_TOGETHER {
            total
        } else {
            first_three
        }
    }

    /// The header and rows of `table` with their glyphs checked, one cell per
    /// column, each cut to [`MAX_CELL_CHARS`].
    fn clean_table<'t>(&mut self, table: &'t Table) -> (Cells<'t>, Vec<(RowStyle, Cells<'t>)>) {
        let bold = table.style(RowStyle::Emphasis).weight;
        let header = table
            .columns
            .iter()
            .map(|c| self.cleaned(&c.header, bold))
            .collect();
        let rows = table
            .rows
            .iter()
            .map(|(style, cells)| {
                let weight = table.style(*style).weight;
                let cells = (0..table.columns.len())
                    .map(|i| self.cleaned_cell(cells.get(i).map_or("", String::as_str), weight))
                    .collect();
                (*style, cells)
            })
            .collect();
        (header, rows)
    }

    /// A cell's text as it is drawn: cut to [`MAX_CELL_CHARS`], glyphs checked.
    fn cleaned_cell<'t>(&mut self, text: &'t str, weight: Weight) -> Cow<'t, str> {
        match cell_text(text) {
            Cow::Borrowed(text) => self.cleaned(text, weight),
            Cow::Owned(cut) => Cow::Owned(self.clean(&cut, weight)),
        }
    }

    fn layout_table<'t>(&mut self, table: &'t Table) -> TableLayout<'t> {
        let (header, rows) = self.clean_table(table);
        let tails = self.decimal_tails(table, &rows);
        let minimums = self.column_minimums(table, &header, &rows, &tails);
        let weights: Vec<f32> = table.columns.iter().map(|c| c.weight).collect();
        let flexible: Vec<bool> = table.columns.iter().map(|c| !c.unbroken).collect();
        let widths = column_widths(&minimums, &flexible, &weights, table.width);
        let header = self
            .layout_row(table, &widths, (RowStyle::Emphasis, &header), 0)
            .into_owned();
        let usable = CONTENT_BOTTOM - CONTENT_TOP - header.height() - 2.0 * table.pad_y();
        let max_lines = (usable / table.style(RowStyle::Normal).line_height()).floor() as usize;
        TableLayout {
            widths,
            tails,
            header,
            rows,
            max_lines,
        }
    }

    /// For each decimal column, the widest head (text before the decimal mark) and
    /// the widest tail (the mark and what follows) over every line of its cells.
    fn decimal_tails(&self, table: &Table, rows: &[(RowStyle, Cells<'_>)]) -> Vec<Option<f32>> {
        table
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let Align::Decimal(mark) = column.align else {
                    return None;
                };
                let widest = rows
                    .iter()
                    .flat_map(|(style, cells)| {
                        let style = table.style(*style);
                        cells[i].lines().map(move |line| {
                            let (_, tail) = line.split_at(decimal_split(line, mark));
                            self.fonts.width(tail, style)
                        })
                    })
                    .fold(0.0, f32::max);
                Some(widest)
            })
            .collect()
    }

    /// Each column's narrowest width: its longest header word, and its longest word
    /// piece (text columns, where words may break after `/`, `-`, `.`…) or longest
    /// line (unbroken columns), plus padding.
    fn column_minimums(
        &self,
        table: &Table,
        header: &[Cow<'_, str>],
        rows: &[(RowStyle, Cells<'_>)],
        tails: &[Option<f32>],
    ) -> Vec<f32> {
        let word_cap = 0.3 * table.width;
        let widest_line = |text: &str, style: TextStyle| -> f32 {
            text.lines()
                .map(|l| self.fonts.width(l, style))
                .fold(0.0, f32::max)
        };
        table
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let mut min = self
                    .fonts
                    .widest_piece(&header[i], table.style(RowStyle::Emphasis));
                let mut widest_head: f32 = 0.0;
                for (style, cells) in rows {
                    let style = table.style(*style);
                    let need = match column.align {
                        Align::Decimal(mark) => {
                            for line in cells[i].lines() {
                                let (head, _) = line.split_at(decimal_split(line, mark));
                                widest_head = widest_head.max(self.fonts.width(head, style));
                            }
                            0.0
                        }
                        _ if column.unbroken => widest_line(&cells[i], style),
                        _ => self.fonts.widest_piece(&cells[i], style).min(word_cap),
                    };
                    min = min.max(need);
                }
                if let Some(tail) = tails[i] {
                    min = min.max(widest_head + tail);
                }
                min + table.mark_width(column) + 2.0 * table.pad_x() + 0.01
            })
            .collect()
    }

    fn layout_row<'r>(
        &self,
        table: &Table,
        widths: &[f32],
        (style, cells): (RowStyle, &'r [Cow<'_, str>]),
        index: usize,
    ) -> RowLayout<'r> {
        let text_style = table.style(style);
        let cells = widths
            .iter()
            .zip(&table.columns)
            .zip(cells)
            .map(|((width, column), text)| {
                let room = width - 2.0 * table.pad_x() - table.mark_width(column);
                let lines = self.fonts.wrap(text, text_style, room);
                if lines.iter().all(|line| line.is_empty()) {
                    Vec::new()
                } else {
                    lines
                }
            })
            .collect();
        RowLayout {
            style,
            index,
            cells,
            line_height: text_style.line_height(),
            pad_y: table.pad_y(),
        }
    }

    fn draw_row(
        &mut self,
        table: &Table,
        layout: &TableLayout<'_>,
        row: &RowLayout<'_>,
        is_header: bool,
    ) {
        let style = table.style(row.style);
        let height = row.height();
        self.draw_row_band(table, row, is_header);
        let mut x = MARGIN;
        let columns = row.cells.iter().zip(&layout.widths).zip(&table.columns);
        for (i, ((lines, width), column)) in columns.enumerate() {
            let mut cell = Area {
                x: x + table.pad_x(),
                y: self.y,
                width: width - 2.0 * table.pad_x(),
                height,
            };
            if column.marked && !is_header {
                self.draw_mark(table, row, cell);
                let room = table.mark_width(column);
                (cell.x, cell.width) = (cell.x + room, cell.width - room);
            }
            // Header cells sit on the bottom of the header row, like a spreadsheet's.
            let skip = if is_header {
                row.lines() - lines.len()
            } else {
                0
            };
            let align = match column.align {
                Align::Decimal(_) if is_header => Align::Right,
                align => align,
            };
            for (k, line) in lines.iter().enumerate() {
                let top = self.y + row.pad_y + (skip + k) as f32 * row.line_height;
                let baseline = style.baseline(top);
                match (align, layout.tails[i]) {
                    (Align::Decimal(mark), Some(tail)) => {
                        let (head, _) = line.split_at(decimal_split(line, mark));
                        let anchor = cell.x + cell.width - tail;
                        let left = anchor - self.fonts.width(head, style);
                        self.canvas.text(left, baseline, line, style);
                    }
                    _ => self.draw_line(cell, baseline, line, style, align),
                }
            }
            x += width;
        }
        self.y += height;
    }

    /// The row's mark, if it has one, at the start of `cell`, centred on the
    /// first line.
    fn draw_mark(&mut self, table: &Table, row: &RowLayout<'_>, cell: Area) {
        let Some(Some(ink)) = table.marks.get(row.index) else {
            return;
        };
        let (diameter, _) = table.mark_size();
        let centre = (
            cell.x + diameter / 2.0,
            self.y + row.pad_y + row.line_height / 2.0,
        );
        self.canvas
            .disc(centre, diameter / 2.0, *ink, super::marks::MARK_OUTLINE);
    }

    /// The row's background: grey for the header, a rule above the totals, zebra
    /// stripes, and the accent mark of a flagged row.
    fn draw_row_band(&mut self, table: &Table, row: &RowLayout<'_>, is_header: bool) {
        let band = Area {
            x: MARGIN,
            y: self.y,
            width: table.width,
            height: row.height(),
        };
        if is_header {
            self.canvas.fill(band, Ink::Grey(0.88));
        } else if row.style == RowStyle::Total {
            self.canvas.line(
                (MARGIN, self.y),
                (MARGIN + table.width, self.y),
                Stroke {
                    thickness: 0.7,
                    ink: Ink::Grey(0.3),
                },
            );
        } else if row.index % 2 == 1 {
            self.canvas.fill(band, Ink::Grey(0.955));
        }
        if row.style == RowStyle::Flagged {
            self.canvas.fill(
                Area {
                    width: 0.5 * table.pad_x(),
                    ..band
                },
                Ink::Accent,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::fonts;
    use crate::render::pdf::layout::Level;
    use crate::render::pdf::test_support::{decoration, pages, runs, texts, Run};

    #[test]
    fn right_aligned_text_ends_at_the_column_edge() {
        let fonts = fonts().unwrap();
        let mut doc = Document::new(decoration()).unwrap();
        let mut table = Table::new(vec![
            Column::left("Cluster", 3.0),
            Column::right("Valore", 1.0),
        ]);
        table.row(vec!["Mobilità".into(), "158.500,00".into()]);
        table.row(vec!["Scienze della vita".into(), "1.234.567,89".into()]);
        doc.table(&table);
        let pages = pages(doc.finish());
        let edge = MARGIN + CONTENT_WIDTH - CELL_PAD_X;
        for number in ["158.500,00", "1.234.567,89", "Valore"] {
            let run = runs(&pages[0])
                .into_iter()
                .find(|r| r.text == number)
                .unwrap();
            let end = run.end(fonts);
            assert!(
                (end - edge).abs() < 0.01,
                "{number} ends at {end}, column edge at {edge}"
            );
        }
        let left = runs(&pages[0])
            .into_iter()
            .find(|r| r.text == "Mobilità")
            .unwrap();
        assert!((left.x - (MARGIN + CELL_PAD_X)).abs() < 0.01);
    }

    #[test]
    fn a_cell_shows_at_most_a_thousand_characters() {
        assert!(matches!(cell_text("Mobilità"), Cow::Borrowed("Mobilità")));
        // Counted in characters, not bytes.
        let exact = "é".repeat(MAX_CELL_CHARS);
        assert!(matches!(cell_text(&exact), Cow::Borrowed(_)));
        let longer = format!("{exact}è");
        let cut = cell_text(&longer);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert_eq!(cut, format!("{}…", "é".repeat(MAX_CELL_CHARS - 1)));
        let million = "ж".repeat(1_000_000);
        assert_eq!(cell_text(&million).chars().count(), MAX_CELL_CHARS);
    }

    #[test]
    fn columns_get_their_minimum_and_share_the_rest_by_weight() {
        let widths = column_widths(
            &[10.0, 30.0, 10.0],
            &[true, true, false],
            &[1.0, 1.0, 2.0],
            100.0,
        );
        assert!(
            (widths.iter().sum::<f32>() - 100.0).abs() < 1e-3,
            "{widths:?}"
        );
        assert!(
            widths[0] >= 10.0 && widths[1] >= 30.0 && widths[2] >= 10.0,
            "{widths:?}"
        );
        assert!(
            widths[2] > widths[0],
            "weight decides the leftover: {widths:?}"
        );
        // Too narrow for every minimum: text columns give way, numbers keep theirs.
        let widths = column_widths(
            &[40.0, 40.0, 30.0],
            &[true, true, false],
            &[1.0, 1.0, 1.0],
            100.0,
        );
        assert!(
            (widths.iter().sum::<f32>() - 100.0).abs() < 1e-3,
            "{widths:?}"
        );
        assert_eq!(widths[2], 30.0);
    }

    #[test]
    fn a_thousand_row_table_repeats_its_header_on_every_page() {
        let mut doc = Document::new(decoration()).unwrap();
        let mut table = Table::new(vec![
            Column::left("Codice progetto", 1.0),
            Column::right("Importo", 1.0),
        ]);
        for i in 0..1000 {
            table.row(vec![format!("row{i:04}"), format!("{i},00")]);
        }
        doc.table(&table);
        let pages = pages(doc.finish());
        assert!(pages.len() > 10, "{} pages", pages.len());
        let mut seen = Vec::new();
        for page in &pages {
            let runs = runs(page);
            let headers: Vec<&Run> = runs
                .iter()
                .filter(|r| r.text == "Codice progetto")
                .collect();
            assert_eq!(headers.len(), 1, "one header row per page");
            let rows: Vec<&Run> = runs.iter().filter(|r| r.text.starts_with("row")).collect();
            assert!(!rows.is_empty(), "a header never stands alone");
            assert!(
                rows.iter().all(|r| r.y > headers[0].y),
                "rows come under the header"
            );
            assert!(
                rows.iter().all(|r| r.y < CONTENT_BOTTOM),
                "rows stay above the footer"
            );
            seen.extend(rows.iter().map(|r| r.text.clone()));
        }
        let expected: Vec<String> = (0..1000).map(|i| format!("row{i:04}")).collect();
        assert_eq!(seen, expected, "every row once, in order");
    }

    #[test]
    fn a_header_that_would_be_orphaned_moves_to_the_next_page() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("Testo prima della tabella.", TextStyle::body());
        let row_height =
            TextStyle::new(8.0, Weight::Regular, Ink::Text).line_height() + 2.0 * CELL_PAD_Y;
        doc.space(doc.remaining() - 1.5 * row_height);
        let mut table = Table::new(vec![Column::left("Intestazione", 1.0)]);
        table.row(vec!["prima riga".into()]);
        doc.table(&table);
        let pages = pages(doc.finish());
        assert_eq!(pages.len(), 2);
        assert!(!texts(&pages[0]).contains(&"Intestazione".to_string()));
        let second = texts(&pages[1]);
        assert!(
            second.contains(&"Intestazione".to_string())
                && second.contains(&"prima riga".to_string())
        );
    }

    #[test]
    fn headings_move_to_the_next_page_with_their_table() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("Testo prima della tabella.", TextStyle::body());
        doc.space(doc.remaining() - 30.0);
        doc.heading("2. Progetti", Level::Section);
        doc.heading("Progetti per cluster", Level::Subsection);
        let mut table = Table::new(vec![Column::left("Cluster", 1.0)]);
        for i in 0..8 {
            table.row(vec![format!("cluster {i}")]);
        }
        doc.table(&table);
        let pages = pages(doc.finish());
        assert_eq!(pages.len(), 2);
        let first = texts(&pages[0]);
        assert!(!first.iter().any(|t| t.contains("Progetti")), "{first:?}");
        let second = texts(&pages[1]);
        assert_eq!(
            &second[..3],
            ["2. Progetti", "Progetti per cluster", "Cluster"]
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_and_kept_whole() {
        let mut doc = Document::new(decoration()).unwrap();
        let mut table = Table::new(vec![Column::left("Descrizione", 1.0)]).width(30.0);
        // A hundred lines, within the characters a cell shows.
        let long = (0..100)
            .map(|i| format!("parola{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(long.chars().count() <= MAX_CELL_CHARS);
        table.row(vec![long.clone()]);
        doc.table(&table);
        let pages = pages(doc.finish());
        assert!(pages.len() >= 2);
        let words: Vec<String> = pages
            .iter()
            .flat_map(runs)
            .filter(|r| r.text.starts_with("parola"))
            .map(|r| r.text)
            .collect();
        assert_eq!(words.join("\n"), long);
    }

    #[test]
    fn decimal_marks_line_up_in_a_column() {
        assert_eq!(decimal_split("158.500,00", ','), 7);
        assert_eq!(decimal_split("72,52 %", ','), 2);
        assert_eq!(decimal_split("70 %", ','), 2);
        assert_eq!(decimal_split("1.386", ','), 5);
        assert_eq!(decimal_split("–", ','), "–".len());
        assert_eq!(decimal_split("72.52%", '.'), 2);

        let fonts = fonts().unwrap();
        let mut doc = Document::new(decoration()).unwrap();
        let mut table = Table::new(vec![
            Column::left("Progetto", 3.0),
            Column::decimal("Rapporto", 1.0, ','),
            Column::decimal("Eccedenza", 1.0, ','),
        ]);
        let values = [
            ("72,52 %", "3.994,00"),
            ("100 %", "–"),
            ("7,5 %", "1.234.567,89"),
        ];
        for (ratio, excess) in values {
            table.row(vec!["P".into(), ratio.into(), excess.into()]);
        }
        table.styled_row(
            RowStyle::Total,
            vec!["Totale".into(), "44,71 %".into(), "12,00".into()],
        );
        doc.table(&table);
        let pages = pages(doc.finish());
        let runs = runs(&pages[0]);
        let mark_x = |text: &str| {
            let run = runs.iter().find(|r| r.text == text).unwrap();
            let head = &run.text[..decimal_split(&run.text, ',')];
            run.x + fonts.width(head, run.style())
        };
        let ratio = mark_x("72,52 %");
        for text in ["100 %", "7,5 %", "44,71 %"] {
            assert!((mark_x(text) - ratio).abs() < 0.01, "{text}");
        }
        let amount = mark_x("3.994,00");
        for text in ["–", "1.234.567,89", "12,00"] {
            assert!((mark_x(text) - amount).abs() < 0.01, "{text}");
        }
        // The widest value still ends inside its column, at the padding.
        let widest = runs.iter().find(|r| r.text == "1.234.567,89").unwrap();
        let end = widest.x
            + fonts.width(
                &widest.text,
                TextStyle::new(widest.size, Weight::Regular, Ink::Text),
            );
        assert!(end <= MARGIN + CONTENT_WIDTH - CELL_PAD_X + 0.01, "{end}");
        assert!(amount > ratio, "columns keep their order");
    }
}
