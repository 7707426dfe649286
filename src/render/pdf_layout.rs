//! A small layout engine on top of printpdf, which places text and shapes but does
//! no layout of its own.
//!
//! [`Document`] owns a cursor that runs down A4 portrait pages and turns headings,
//! paragraphs, KPI boxes and [`Table`]s into `printpdf::Op`s, one `Vec<Op>` per page.
//! Text is measured from the glyph advances of the embedded DejaVu fonts (read with
//! `ttf-parser`), so wrapping and right alignment match what the viewer draws.
//! Tables wrap long text inside their cells, split across pages with the header row
//! repeated, and never leave a header alone at the foot of a page. The running
//! header and the "Pagina N di M" footer are added by [`Document::finish`], once the
//! number of pages is known. Characters the fonts lack are drawn as U+FFFD and
//! listed in [`Finished::missing_glyphs`], so the caller can report them.
//!
//! Coordinates in this module are millimetres from the page's top-left corner; they
//! are turned into PDF points (origin bottom-left) only when an `Op` is built.

use crate::render::RenderError;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfDocumentInfo, PdfFont, PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point,
    Pt, Rect, Rgb, TextItem,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const FORMAT: &str = "PDF";

/// A4 portrait, in millimetres.
pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;
/// Left and right margin.
pub const MARGIN: f32 = 18.0;
/// The width between the margins.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Where the body starts, below the running header.
pub const CONTENT_TOP: f32 = 24.0;
/// Where the body must end, above the footer.
pub const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 22.0;
/// Horizontal padding inside a table cell.
pub const CELL_PAD_X: f32 = 1.6;
/// Vertical padding inside a table cell.
pub const CELL_PAD_Y: f32 = 1.25;

const HEADER_BASELINE: f32 = 12.5;
const HEADER_RULE: f32 = 14.5;
const FOOTER_RULE: f32 = PAGE_HEIGHT - 17.0;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.5;
const MM_PER_PT: f32 = 25.4 / 72.0;
/// Cap height of DejaVu Sans as a fraction of the font size, for vertical centring.
const CAP_HEIGHT: f32 = 0.73;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Characters after which an over-long word (a path, a digest) is best broken.
const BREAK_AFTER: [char; 9] = ['/', '\\', '-', '_', '.', ':', ';', ',', '–'];

const REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
const BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));
/// Fixed resource names, so that output does not depend on printpdf's id counter.
/// Six capitals, because printpdf also uses the id as the font's subset tag.
const REGULAR_ID: &str = "DJVREG";
const BOLD_ID: &str = "DJVBLD";
/// Drawn in place of a character the font lacks.
const REPLACEMENT: char = '\u{FFFD}';

/// Regular or bold DejaVu Sans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// The colours of the report: dark grey text, a lighter grey for secondary text,
/// one accent, and greys for fills and rules (0.0 black … 1.0 white).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    Text,
    Muted,
    Accent,
    Grey(f32),
}

impl Ink {
    fn color(self) -> Color {
        let grey = |level: f32| {
            Color::Greyscale(Greyscale {
                percent: level,
                icc_profile: None,
            })
        };
        match self {
            Ink::Text => grey(0.12),
            Ink::Muted => grey(0.38),
            Ink::Accent => Color::Rgb(Rgb {
                r: 0.09,
                g: 0.27,
                b: 0.45,
                icc_profile: None,
            }),
            Ink::Grey(level) => grey(level.clamp(0.0, 1.0)),
        }
    }
}

/// Font size (points), weight and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub weight: Weight,
    pub ink: Ink,
}

impl TextStyle {
    pub const fn new(size: f32, weight: Weight, ink: Ink) -> TextStyle {
        TextStyle { size, weight, ink }
    }

    /// Body text.
    pub const fn body() -> TextStyle {
        TextStyle::new(9.0, Weight::Regular, Ink::Text)
    }

    /// The same style in bold.
    pub const fn bold(self) -> TextStyle {
        TextStyle {
            weight: Weight::Bold,
            ..self
        }
    }

    /// The distance between two baselines, in millimetres.
    pub fn line_height(&self) -> f32 {
        self.size * LEADING * MM_PER_PT
    }

    /// The font size in millimetres.
    fn size_mm(&self) -> f32 {
        self.size * MM_PER_PT
    }

    /// The baseline of a line whose box starts at `top`, with the capitals centred.
    fn baseline(&self, top: f32) -> f32 {
        top + (self.line_height() + CAP_HEIGHT * self.size_mm()) / 2.0
    }
}

/// Horizontal alignment of text within its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A rectangle: left edge, top edge, width and height, in millimetres from the top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A line's thickness (points) and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub thickness: f32,
    pub ink: Ink,
}

impl Stroke {
    /// A hairline rule between rows.
    pub const fn thin() -> Stroke {
        Stroke {
            thickness: 0.4,
            ink: Ink::Grey(0.62),
        }
    }
}

/// One face: its metrics for measuring and its parsed form for embedding.
struct Face {
    metrics: ttf_parser::Face<'static>,
    units_per_em: f32,
    parsed: ParsedFont,
}

impl Face {
    fn load(name: &str, bytes: &'static [u8]) -> Result<Face, String> {
        let metrics = ttf_parser::Face::parse(bytes, 0)
            .map_err(|e| format!("the embedded font {name} cannot be read ({e})."))?;
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| format!("the embedded font {name} cannot be prepared for embedding."))?;
        let units_per_em = f32::from(metrics.units_per_em());
        Ok(Face {
            metrics,
            units_per_em,
            parsed,
        })
    }

    fn has_glyph(&self, ch: char) -> bool {
        self.metrics.glyph_index(ch).is_some()
    }

    /// The advance of `ch` in font units (the `.notdef` advance when it is missing).
    fn advance(&self, ch: char) -> f32 {
        let glyph = self
            .metrics
            .glyph_index(ch)
            .unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.metrics.glyph_hor_advance(glyph).unwrap_or(0))
    }
}

/// The two embedded faces, parsed once per process.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The embedded fonts, parsed on first use.
pub fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS
        .get_or_init(Fonts::load)
        .as_ref()
        .map_err(|message| RenderError::new(FORMAT, message))
}

impl Fonts {
    fn load() -> Result<Fonts, String> {
        Ok(Fonts {
            regular: Face::load("DejaVuSans.ttf", REGULAR_TTF)?,
            bold: Face::load("DejaVuSans-Bold.ttf", BOLD_TTF)?,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Whether the face of `weight` can draw `ch`.
    pub fn has_glyph(&self, ch: char, weight: Weight) -> bool {
        self.face(weight).has_glyph(ch)
    }

    /// The width of `text` set in `style`, in millimetres.
    pub fn width(&self, text: &str, style: TextStyle) -> f32 {
        let face = self.face(style.weight);
        let units: f32 = text.chars().map(|ch| face.advance(ch)).sum();
        units / face.units_per_em * style.size_mm()
    }

    /// Breaks `text` into lines no wider than `width` millimetres: at spaces where
    /// possible, inside a word (preferably after `/`, `-`, `_`, `.`) when the word
    /// alone is too wide. Newlines in `text` start a new line. Every line fits unless
    /// `width` is narrower than a single character.
    pub fn wrap(&self, text: &str, style: TextStyle, width: f32) -> Vec<String> {
        text.split('\n')
            .flat_map(|paragraph| self.wrap_paragraph(paragraph, style, width))
            .collect()
    }

    fn wrap_paragraph(&self, paragraph: &str, style: TextStyle, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, style) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word;
            while self.width(rest, style) > width {
                let (head, tail) = self.split_long_word(rest, style, width);
                lines.push(head.to_string());
                rest = tail;
            }
            line = rest.to_string();
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Splits a word wider than `width` into a head that fits (at least one
    /// character) and the rest, breaking after the last punctuation mark that fits
    /// when there is one.
    fn split_long_word<'a>(
        &self,
        word: &'a str,
        style: TextStyle,
        width: f32,
    ) -> (&'a str, &'a str) {
        let first = word.chars().next().map_or(word.len(), char::len_utf8);
        let mut end = first;
        for (index, _) in word.char_indices().skip(1) {
            if self.width(&word[..index], style) > width {
                break;
            }
            end = index;
        }
        let head = &word[..end];
        let preferred = head
            .char_indices()
            .filter(|(_, ch)| BREAK_AFTER.contains(ch))
            .map(|(index, ch)| index + ch.len_utf8())
            .next_back();
        word.split_at(preferred.unwrap_or(end))
    }

    /// `text` cut with an ellipsis so that it fits `width`.
    pub fn fit(&self, text: &str, style: TextStyle, width: f32) -> String {
        if self.width(text, style) <= width {
            return text.to_string();
        }
        let mut cut: String = text.to_string();
        while !cut.is_empty() && self.width(&format!("{cut}…"), style) > width {
            cut.pop();
        }
        format!("{}…", cut.trim_end())
    }
}

/// Ops for one page, with drawing helpers in top-left millimetres.
#[derive(Default)]
struct Canvas {
    ops: Vec<Op>,
}

impl Canvas {
    fn point(x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(PAGE_HEIGHT - y))
    }

    /// Draws `text` (already checked for glyphs) with its left end at `x`.
    fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        let font = match style.weight {
            Weight::Regular => REGULAR_ID,
            Weight::Bold => BOLD_ID,
        };
        self.ops.extend([
            Op::SetFillColor {
                col: style.ink.color(),
            },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(FontId(font.into())),
                size: Pt(style.size),
            },
            Op::SetTextCursor {
                pos: Canvas::point(x, baseline),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn fill(&mut self, area: Area, ink: Ink) {
        let bottom_left = Canvas::point(area.x, area.y + area.height);
        self.ops.extend([
            Op::SetFillColor { col: ink.color() },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: bottom_left.x,
                    y: bottom_left.y,
                    width: Mm(area.width).into_pt(),
                    height: Mm(area.height).into_pt(),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Canvas::point(x, y),
            bezier: false,
        };
        self.ops.extend([
            Op::SetOutlineColor {
                col: stroke.ink.color(),
            },
            Op::SetOutlineThickness {
                pt: Pt(stroke.thickness),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![point(from), point(to)],
                    is_closed: false,
                },
            },
        ]);
    }
}

/// The running header and footer of every page.
#[derive(Debug, Clone, Default)]
pub struct PageDecoration {
    /// Top left, e.g. the report title and subject.
    pub header_left: String,
    /// Top right, e.g. the period.
    pub header_right: String,
    /// Bottom left, e.g. the data date and the tool.
    pub footer_left: String,
    /// `Pagina` / `Page`.
    pub page_word: String,
    /// `di` / `of`.
    pub of_word: String,
    /// Whether the first page (a cover) also gets the running header.
    pub header_on_first_page: bool,
}

/// Heading levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A numbered section, in the accent colour with a rule under it.
    Section,
    /// A sub-section inside a section.
    Subsection,
}

/// A key figure: a big number and a caption under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kpi {
    pub value: String,
    pub caption: String,
}

/// One column of a [`Table`]: header text, relative width and alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Relative to the other columns: how the width left over after every column's
    /// minimum (its longest word or unbroken line) is shared.
    pub weight: f32,
    pub align: Align,
    /// Whether each line of a cell is kept whole (numbers, codes, digests) rather
    /// than wrapped at spaces; only a table too narrow for them all breaks them.
    pub unbroken: bool,
}

impl Column {
    /// A text column, wrapped at spaces.
    pub fn left(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Left,
            unbroken: false,
        }
    }

    /// A number column: right-aligned, never wrapped.
    pub fn right(header: impl Into<String>, weight: f32) -> Column {
        Column {
            header: header.into(),
            weight,
            align: Align::Right,
            unbroken: true,
        }
    }

    /// Keeps each line of this column's cells whole.
    pub fn unbroken(self) -> Column {
        Column {
            unbroken: true,
            ..self
        }
    }
}

/// How a table row is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
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
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<(RowStyle, Vec<String>)>,
    size: f32,
    width: f32,
}

impl Table {
    /// A table as wide as the text column, in 8-point type.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
            size: 8.0,
            width: CONTENT_WIDTH,
        }
    }

    /// Sets the font size in points; cell padding scales with it.
    pub fn font_size(mut self, size: f32) -> Table {
        self.size = size;
        self
    }

    /// Sets the table's width in millimetres (at most the text column).
    pub fn width(mut self, width: f32) -> Table {
        self.width = width.min(CONTENT_WIDTH);
        self
    }

    /// Adds a row; missing cells are empty, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        self.styled_row(RowStyle::Normal, cells);
    }

    pub fn styled_row(&mut self, style: RowStyle, cells: Vec<String>) {
        self.rows.push((style, cells));
    }

    fn style(&self, row: RowStyle) -> TextStyle {
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
pub fn column_widths(minimums: &[f32], flexible: &[bool], weights: &[f32], width: f32) -> Vec<f32> {
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

/// A table row broken into lines per cell, ready to draw.
#[derive(Debug, Clone)]
struct RowLayout {
    style: RowStyle,
    /// The logical row number, for zebra striping across split fragments.
    index: usize,
    cells: Vec<Vec<String>>,
    line_height: f32,
    pad_y: f32,
}

impl RowLayout {
    fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
    }

    fn height(&self) -> f32 {
        self.lines() as f32 * self.line_height + 2.0 * self.pad_y
    }

    /// Splits a row taller than `max_lines` lines into fragments that each fit a page.
    fn split(self, max_lines: usize) -> Vec<RowLayout> {
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

/// A table measured and broken into lines.
struct TableLayout {
    widths: Vec<f32>,
    header: RowLayout,
    rows: Vec<RowLayout>,
}

impl TableLayout {
    /// Tables up to this height are moved whole to the next page rather than split.
    const KEEP_TOGETHER: f32 = 90.0;

    fn height(&self) -> f32 {
        self.header.height() + self.rows.iter().map(RowLayout::height).sum::<f32>()
    }

    /// What must fit before the table starts: all of a small table, else the header
    /// and the first three rows, so that a header never ends a page.
    fn keep_height(&self) -> f32 {
        let total = self.height();
        if total <= Self::KEEP_TOGETHER {
            total
        } else {
            self.header.height() + self.rows.iter().take(3).map(RowLayout::height).sum::<f32>()
        }
    }
}

/// What [`Document::finish`] produces: the pages and the characters the fonts lack.
pub struct Finished {
    pub pages: Vec<PdfPage>,
    /// Every character that was drawn as U+FFFD because the font has no glyph for it.
    pub missing_glyphs: Vec<char>,
}

/// A document being laid out: finished pages, the current page, and a cursor.
pub struct Document {
    fonts: &'static Fonts,
    decoration: PageDecoration,
    pages: Vec<Vec<Op>>,
    canvas: Canvas,
    /// The cursor: the top of the next block, in millimetres from the page top.
    y: f32,
    missing: BTreeSet<char>,
    /// Headings and lead-ins waiting for the block they introduce, so that they
    /// move to the next page with it instead of being left at a page's foot.
    held: Vec<Held>,
}

/// Text held back until the next block: see [`Document::heading`].
struct Held {
    lines: Vec<String>,
    style: TextStyle,
    before: f32,
    after: f32,
    rule: Option<Stroke>,
}

impl Held {
    const RULE_GAP: f32 = 0.8;

    fn height(&self) -> f32 {
        let rule = if self.rule.is_some() {
            Self::RULE_GAP
        } else {
            0.0
        };
        self.before + self.lines.len() as f32 * self.style.line_height() + rule + self.after
    }
}

impl Document {
    pub fn new(decoration: PageDecoration) -> Result<Document, RenderError> {
        Ok(Document {
            fonts: fonts()?,
            decoration,
            pages: Vec::new(),
            canvas: Canvas::default(),
            y: CONTENT_TOP,
            missing: BTreeSet::new(),
            held: Vec::new(),
        })
    }

    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// The cursor, in millimetres from the top of the page.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    /// The height left on this page above the footer.
    pub fn remaining(&self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    /// The number of pages so far, counting the current one.
    pub fn page_count(&self) -> usize {
        self.pages.len() + 1
    }

    fn at_page_top(&self) -> bool {
        self.y <= CONTENT_TOP
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.canvas.ops));
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub fn ensure_space(&mut self, height: f32) {
        if self.y + height > CONTENT_BOTTOM && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space; none at the top of a page.
    pub fn space(&mut self, height: f32) {
        if let Some(held) = self.held.last_mut() {
            held.after += height;
        } else if !self.at_page_top() {
            self.y = (self.y + height).min(CONTENT_BOTTOM);
        }
    }

    /// `text` with control characters turned into spaces and characters the font
    /// lacks replaced (and remembered).
    fn clean(&mut self, text: &str, weight: Weight) -> String {
        text.chars()
            .map(|ch| match ch {
                '\n' => ch,
                _ if ch.is_control() => ' ',
                _ if self.fonts.has_glyph(ch, weight) => ch,
                _ => {
                    self.missing.insert(ch);
                    if self.fonts.has_glyph(REPLACEMENT, weight) {
                        REPLACEMENT
                    } else {
                        '?'
                    }
                }
            })
            .collect()
    }

    /// Draws one line of text aligned within `[x, x + width]`, baseline at `baseline`.
    pub fn text_at(
        &mut self,
        area: Area,
        baseline: f32,
        text: &str,
        style: TextStyle,
        align: Align,
    ) {
        let text = self.clean(text, style.weight);
        self.draw_line(area, baseline, &text, style, align);
    }

    fn draw_line(&mut self, area: Area, baseline: f32, text: &str, style: TextStyle, align: Align) {
        let x = match align {
            Align::Left => area.x,
            Align::Right => area.x + area.width - self.fonts.width(text, style),
        };
        self.canvas.text(x, baseline, text, style);
    }

    /// Wrapped text across the text column, continuing on the next page if needed.
    pub fn paragraph(&mut self, text: &str, style: TextStyle) {
        let text = self.clean(text, style.weight);
        let height = style.line_height();
        self.begin_block(height);
        for line in self.fonts.wrap(&text, style, CONTENT_WIDTH) {
            self.ensure_space(height);
            self.line_at_cursor(&line, style);
        }
    }

    /// Draws one line of checked text at the cursor, across the text column.
    fn line_at_cursor(&mut self, line: &str, style: TextStyle) {
        let height = style.line_height();
        let area = Area {
            x: MARGIN,
            y: self.y,
            width: CONTENT_WIDTH,
            height,
        };
        self.draw_line(area, style.baseline(self.y), line, style, Align::Left);
        self.y += height;
    }

    /// A heading. It is drawn with the next block (paragraph, table, KPI row), on
    /// the same page as that block's start: a heading never ends a page.
    pub fn heading(&mut self, text: &str, level: Level) {
        let (style, before, after, rule) = match level {
            Level::Section => (
                TextStyle::new(13.0, Weight::Bold, Ink::Accent),
                9.0,
                3.5,
                Some(Stroke {
                    thickness: 0.6,
                    ink: Ink::Accent,
                }),
            ),
            Level::Subsection => (
                TextStyle::new(10.0, Weight::Bold, Ink::Text),
                5.0,
                1.8,
                None,
            ),
        };
        self.hold(text, style, (before, after), rule);
    }

    /// A short text introducing the next block, kept on the same page as it.
    pub fn lead_in(&mut self, text: &str, style: TextStyle) {
        self.hold(text, style, (0.0, 1.5), None);
    }

    fn hold(
        &mut self,
        text: &str,
        style: TextStyle,
        (before, after): (f32, f32),
        rule: Option<Stroke>,
    ) {
        let text = self.clean(text, style.weight);
        let lines = self.fonts.wrap(&text, style, CONTENT_WIDTH);
        self.held.push(Held {
            lines,
            style,
            before,
            after,
            rule,
        });
    }

    /// Makes room for the held headings and `height` of the block that follows them,
    /// then draws the headings.
    fn begin_block(&mut self, height: f32) {
        let held = std::mem::take(&mut self.held);
        self.ensure_space(held.iter().map(Held::height).sum::<f32>() + height);
        for item in held {
            self.space(item.before);
            for line in &item.lines {
                self.line_at_cursor(line, item.style);
            }
            if let Some(stroke) = item.rule {
                self.y += Held::RULE_GAP;
                self.rule(stroke);
            }
            self.y += item.after;
        }
    }

    /// A horizontal rule across the text column at the cursor.
    pub fn rule(&mut self, stroke: Stroke) {
        self.begin_block(0.0);
        self.canvas
            .line((MARGIN, self.y), (MARGIN + CONTENT_WIDTH, self.y), stroke);
    }

    /// A filled rectangle.
    pub fn fill_rect(&mut self, area: Area, ink: Ink) {
        self.canvas.fill(area, ink);
    }

    /// A straight line between two points.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        self.canvas.line(from, to, stroke);
    }

    /// A row of KPI boxes sharing the text column's width.
    pub fn kpi_row(&mut self, kpis: &[Kpi]) {
        const GAP: f32 = 4.0;
        const HEIGHT: f32 = 23.0;
        if kpis.is_empty() {
            return;
        }
        let count = kpis.len() as f32;
        let width = (CONTENT_WIDTH - GAP * (count - 1.0)) / count;
        self.begin_block(HEIGHT);
        for (i, kpi) in kpis.iter().enumerate() {
            let area = Area {
                x: MARGIN + i as f32 * (width + GAP),
                y: self.y,
                width,
                height: HEIGHT,
            };
            self.kpi_box(area, kpi);
        }
        self.y += HEIGHT;
    }

    fn kpi_box(&mut self, area: Area, kpi: &Kpi) {
        const BAR: f32 = 1.2;
        const INSET: f32 = 3.5;
        self.canvas.fill(area, Ink::Grey(0.955));
        self.canvas.fill(Area { width: BAR, ..area }, Ink::Accent);
        let inner = Area {
            x: area.x + BAR + INSET,
            width: area.width - BAR - 2.0 * INSET,
            ..area
        };
        let value = self.clean(&kpi.value, Weight::Bold);
        let mut style = TextStyle::new(17.0, Weight::Bold, Ink::Accent);
        let natural = self.fonts.width(&value, style);
        if natural > inner.width {
            style.size = (style.size * inner.width / natural).max(6.0);
        }
        let value = self.fonts.fit(&value, style, inner.width);
        self.canvas.text(inner.x, area.y + 10.5, &value, style);
        let caption_style = TextStyle::new(7.5, Weight::Regular, Ink::Muted);
        let caption = self.clean(&kpi.caption, caption_style.weight);
        let lines = self.fonts.wrap(&caption, caption_style, inner.width);
        for (k, line) in lines.iter().take(2).enumerate() {
            let line = if k == 1 && lines.len() > 2 {
                self.fonts
                    .fit(&format!("{line}…"), caption_style, inner.width)
            } else {
                line.clone()
            };
            self.canvas.text(
                inner.x,
                area.y + 16.0 + k as f32 * caption_style.line_height(),
                &line,
                caption_style,
            );
        }
    }

    /// Lays out `table` at the cursor: header row in bold on grey, zebra rows, long
    /// text wrapped in its cell, split across pages with the header repeated, and
    /// never a header without rows under it. A small table moves whole to the next
    /// page rather than split.
    pub fn table(&mut self, table: &Table) {
        let layout = self.layout_table(table);
        self.begin_block(layout.keep_height());
        self.draw_row(table, &layout.widths, &layout.header, true);
        for row in &layout.rows {
            if self.y + row.height() > CONTENT_BOTTOM {
                self.new_page();
                self.draw_row(table, &layout.widths, &layout.header, true);
            }
            self.draw_row(table, &layout.widths, row, false);
        }
        self.canvas.line(
            (MARGIN, self.y),
            (MARGIN + table.width, self.y),
            Stroke::thin(),
        );
    }

    /// The header and rows of `table` with their glyphs checked, one cell per column.
    fn clean_table(&mut self, table: &Table) -> (Vec<String>, Vec<(RowStyle, Vec<String>)>) {
        let bold = table.style(RowStyle::Emphasis).weight;
        let header = table
            .columns
            .iter()
            .map(|c| self.clean(&c.header, bold))
            .collect();
        let rows = table
            .rows
            .iter()
            .map(|(style, cells)| {
                let weight = table.style(*style).weight;
                let cells = (0..table.columns.len())
                    .map(|i| self.clean(cells.get(i).map_or("", String::as_str), weight))
                    .collect();
                (*style, cells)
            })
            .collect();
        (header, rows)
    }

    fn layout_table(&mut self, table: &Table) -> TableLayout {
        let (header, rows) = self.clean_table(table);
        let minimums = self.column_minimums(table, &header, &rows);
        let weights: Vec<f32> = table.columns.iter().map(|c| c.weight).collect();
        let flexible: Vec<bool> = table.columns.iter().map(|c| !c.unbroken).collect();
        let widths = column_widths(&minimums, &flexible, &weights, table.width);
        let header = self.layout_row(table, &widths, (RowStyle::Emphasis, &header), 0);
        let usable = CONTENT_BOTTOM - CONTENT_TOP - header.height() - 2.0 * table.pad_y();
        let max_lines = (usable / table.style(RowStyle::Normal).line_height()).floor() as usize;
        let rows = rows
            .iter()
            .enumerate()
            .flat_map(|(i, (style, cells))| {
                self.layout_row(table, &widths, (*style, cells), i)
                    .split(max_lines)
            })
            .collect();
        TableLayout {
            widths,
            header,
            rows,
        }
    }

    /// Each column's narrowest width: its longest header word, and its longest word
    /// piece (text columns, where words may break after `/`, `-`, `.`…) or longest
    /// line (unbroken columns), plus padding.
    fn column_minimums(
        &self,
        table: &Table,
        header: &[String],
        rows: &[(RowStyle, Vec<String>)],
    ) -> Vec<f32> {
        let word_cap = 0.3 * table.width;
        let widest_word = |text: &str, style: TextStyle| -> f32 {
            text.split_whitespace()
                .flat_map(|word| word.split_inclusive(|ch| BREAK_AFTER.contains(&ch)))
                .map(|piece| self.fonts.width(piece, style))
                .fold(0.0, f32::max)
        };
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
                let mut min = widest_word(&header[i], table.style(RowStyle::Emphasis));
                for (style, cells) in rows {
                    let style = table.style(*style);
                    let need = if column.unbroken {
                        widest_line(&cells[i], style)
                    } else {
                        widest_word(&cells[i], style).min(word_cap)
                    };
                    min = min.max(need);
                }
                min + 2.0 * table.pad_x() + 0.01
            })
            .collect()
    }

    fn layout_row(
        &self,
        table: &Table,
        widths: &[f32],
        (style, cells): (RowStyle, &[String]),
        index: usize,
    ) -> RowLayout {
        let text_style = table.style(style);
        let cells = widths
            .iter()
            .zip(cells)
            .map(|(width, text)| {
                let lines = self
                    .fonts
                    .wrap(text, text_style, width - 2.0 * table.pad_x());
                if lines.iter().all(String::is_empty) {
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

    fn draw_row(&mut self, table: &Table, widths: &[f32], row: &RowLayout, is_header: bool) {
        let style = table.style(row.style);
        let height = row.height();
        self.draw_row_band(table, row, is_header);
        let mut x = MARGIN;
        for ((lines, width), column) in row.cells.iter().zip(widths).zip(&table.columns) {
            let cell = Area {
                x: x + table.pad_x(),
                y: self.y,
                width: width - 2.0 * table.pad_x(),
                height,
            };
            // Header cells sit on the bottom of the header row, like a spreadsheet's.
            let skip = if is_header {
                row.lines() - lines.len()
            } else {
                0
            };
            for (k, line) in lines.iter().enumerate() {
                let top = self.y + row.pad_y + (skip + k) as f32 * row.line_height;
                self.draw_line(cell, style.baseline(top), line, style, column.align);
            }
            x += width;
        }
        self.y += height;
    }

    /// The row's background: grey for the header, a rule above the totals, zebra
    /// stripes, and the accent mark of a flagged row.
    fn draw_row_band(&mut self, table: &Table, row: &RowLayout, is_header: bool) {
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

    /// Closes the last page and adds the running header and the page footer now
    /// that the number of pages is known.
    pub fn finish(mut self) -> Finished {
        self.begin_block(0.0);
        let last = std::mem::take(&mut self.canvas.ops);
        if !last.is_empty() || self.pages.is_empty() {
            self.pages.push(last);
        }
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let pages = pages
            .into_iter()
            .enumerate()
            .map(|(i, ops)| {
                let mut canvas = Canvas { ops };
                self.decorate(&mut canvas, i + 1, total);
                PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), canvas.ops)
            })
            .collect();
        Finished {
            pages,
            missing_glyphs: self.missing.into_iter().collect(),
        }
    }

    fn decorate(&mut self, canvas: &mut Canvas, page: usize, total: usize) {
        let style = TextStyle::new(7.5, Weight::Regular, Ink::Muted);
        let right_edge = MARGIN + CONTENT_WIDTH;
        let d = self.decoration.clone();
        if page > 1 || d.header_on_first_page {
            self.decoration_line(
                canvas,
                (&d.header_left, &d.header_right),
                HEADER_BASELINE,
                style,
            );
            canvas.line(
                (MARGIN, HEADER_RULE),
                (right_edge, HEADER_RULE),
                Stroke::thin(),
            );
        }
        canvas.line(
            (MARGIN, FOOTER_RULE),
            (right_edge, FOOTER_RULE),
            Stroke::thin(),
        );
        let number = format!("{} {page} {} {total}", d.page_word, d.of_word);
        self.decoration_line(canvas, (&d.footer_left, &number), FOOTER_BASELINE, style);
    }

    /// Left and right texts on one line; the left one is shortened to leave room.
    fn decoration_line(
        &mut self,
        canvas: &mut Canvas,
        (left, right): (&str, &str),
        baseline: f32,
        style: TextStyle,
    ) {
        let right = self.clean(right, style.weight);
        let right_width = self.fonts.width(&right, style);
        let left = self.clean(left, style.weight);
        let left = self
            .fonts
            .fit(&left, style, (CONTENT_WIDTH - right_width - 6.0).max(0.0));
        canvas.text(MARGIN, baseline, &left, style);
        canvas.text(
            MARGIN + CONTENT_WIDTH - right_width,
            baseline,
            &right,
            style,
        );
    }
}

impl Finished {
    /// Serialises the pages with the embedded fonts (subset) and `info` as metadata.
    /// The trailer's document id, which printpdf draws from a process-wide counter,
    /// is replaced by one derived from the content, so equal documents are equal bytes.
    pub fn save(self, info: PdfDocumentInfo) -> Result<Vec<u8>, RenderError> {
        let fonts = fonts()?;
        let mut doc = PdfDocument::new(&info.document_title);
        doc.metadata.info = info;
        doc.resources.fonts.map.insert(
            FontId(REGULAR_ID.into()),
            PdfFont::new(fonts.regular.parsed.clone()),
        );
        doc.resources.fonts.map.insert(
            FontId(BOLD_ID.into()),
            PdfFont::new(fonts.bold.parsed.clone()),
        );
        let mut warnings = Vec::new();
        let bytes = doc
            .with_pages(self.pages)
            .save(&PdfSaveOptions::default(), &mut warnings);
        if let Some(error) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            let message = format!("the document could not be written ({}).", error.msg);
            return Err(RenderError::new(FORMAT, message));
        }
        stable_document_id(bytes)
    }
}

/// Replaces the two strings of the trailer's `/ID [(…)(…)]` with same-length strings
/// taken from the SHA-256 of the file with those strings blanked out. The lengths do
/// not change, so the cross-reference offsets stay valid.
fn stable_document_id(mut bytes: Vec<u8>) -> Result<Vec<u8>, RenderError> {
    let spans = id_spans(&bytes).ok_or_else(|| {
        RenderError::new(FORMAT, "the document id was not found in the saved file.")
    })?;
    for span in &spans {
        bytes[span.clone()].fill(b'0');
    }
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let mut source = digest.bytes().cycle();
    for span in spans {
        for byte in &mut bytes[span] {
            *byte = source.next().unwrap_or(b'0');
        }
    }
    Ok(bytes)
}

/// The byte ranges of the two literal strings after the last `/ID` in the file.
fn id_spans(bytes: &[u8]) -> Option<[std::ops::Range<usize>; 2]> {
    let start = bytes.windows(3).rposition(|w| w == b"/ID")? + 3;
    let first = literal_after(bytes, start)?;
    let second = literal_after(bytes, first.end + 1)?;
    Some([first, second])
}

/// The contents of the next `(…)` string from `from`, which must hold no escapes.
fn literal_after(bytes: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
    let open = from + bytes.get(from..)?.iter().position(|&b| b == b'(')? + 1;
    let close = open + bytes.get(open..)?.iter().position(|&b| b == b')')?;
    let contents = &bytes[open..close];
    (!contents.is_empty() && contents.iter().all(u8::is_ascii_alphanumeric)).then_some(open..close)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of text drawn on a page: left x and baseline (top-left millimetres),
    /// font id, size and the text.
    #[derive(Debug)]
    struct Run {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        text: String,
    }

    fn runs(page: &PdfPage) -> Vec<Run> {
        let mut out = Vec::new();
        let (mut x, mut y, mut bold, mut size) = (0.0, 0.0, false, 0.0);
        for op in &page.ops {
            match op {
                Op::SetTextCursor { pos } => {
                    x = Mm::from(pos.x).0;
                    y = PAGE_HEIGHT - Mm::from(pos.y).0;
                }
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    size: s,
                } => {
                    bold = id.0 == BOLD_ID;
                    size = s.0;
                }
                Op::ShowText { items } => {
                    for item in items {
                        if let TextItem::Text(text) = item {
                            out.push(Run {
                                x,
                                y,
                                bold,
                                size,
                                text: text.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn texts(page: &PdfPage) -> Vec<String> {
        runs(page).into_iter().map(|r| r.text).collect()
    }

    fn decoration() -> PageDecoration {
        PageDecoration {
            header_left: "Report di consolidamento".into(),
            header_right: "novembre 2026".into(),
            footer_left: "Dati al 30/11/2026".into(),
            page_word: "Pagina".into(),
            of_word: "di".into(),
            header_on_first_page: false,
        }
    }

    #[test]
    fn wrapping_never_exceeds_the_width() {
        let fonts = fonts().unwrap();
        let texts = [
            "Piano di Consolidamento Cluster Lombardo Scienze della vita, con partner di cinque province",
            "inputs/progetti/2026/novembre/Cluster_Lombardo_Scienze_della_vita_versione_definitiva.xlsx",
            &"ab".repeat(32),
            "Łódź–Brønnøysund Зеленый коридор and a verylongwordwithoutanybreakopportunitiesatall",
            "Member 03456789012 appears again in cluster Mobilità (first at row 12); counted once.",
        ];
        for style in [
            TextStyle::body(),
            TextStyle::new(7.5, Weight::Bold, Ink::Text),
        ] {
            for width in [6.0, 12.5, 20.0, 33.3, 57.0, 100.0] {
                for text in texts {
                    let lines = fonts.wrap(text, style, width);
                    for line in &lines {
                        let w = fonts.width(line, style);
                        assert!(w <= width + 1e-4, "{line:?} is {w} mm wide in {width} mm");
                    }
                    let kept: String = lines.concat().split_whitespace().collect();
                    let given: String = text.split_whitespace().collect();
                    assert_eq!(kept, given, "wrapping must not lose or add characters");
                }
            }
        }
    }

    #[test]
    fn long_words_break_after_punctuation_and_newlines_start_lines() {
        let fonts = fonts().unwrap();
        let style = TextStyle::body();
        let path = "inputs/progetti/consolidamento_definitivo.xlsx";
        let width = fonts.width("inputs/progetti/consolid", style);
        let lines = fonts.wrap(path, style, width);
        assert_eq!(lines[0], "inputs/progetti/");
        assert_eq!(fonts.wrap("one\ntwo", style, 100.0), vec!["one", "two"]);
        assert_eq!(fonts.wrap("", style, 100.0), vec![""]);
    }

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
        let finished = doc.finish();
        let edge = MARGIN + CONTENT_WIDTH - CELL_PAD_X;
        for number in ["158.500,00", "1.234.567,89", "Valore"] {
            let run = runs(&finished.pages[0])
                .into_iter()
                .find(|r| r.text == number)
                .unwrap();
            let style = TextStyle::new(
                run.size,
                if run.bold {
                    Weight::Bold
                } else {
                    Weight::Regular
                },
                Ink::Text,
            );
            let end = run.x + fonts.width(&run.text, style);
            assert!(
                (end - edge).abs() < 0.01,
                "{number} ends at {end}, column edge at {edge}"
            );
        }
        let left = runs(&finished.pages[0])
            .into_iter()
            .find(|r| r.text == "Mobilità")
            .unwrap();
        assert!((left.x - (MARGIN + CELL_PAD_X)).abs() < 0.01);
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
        let finished = doc.finish();
        assert!(finished.pages.len() > 10, "{} pages", finished.pages.len());
        let mut seen = Vec::new();
        for page in &finished.pages {
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
        let finished = doc.finish();
        assert_eq!(finished.pages.len(), 2);
        assert!(!texts(&finished.pages[0]).contains(&"Intestazione".to_string()));
        let second = texts(&finished.pages[1]);
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
        let finished = doc.finish();
        assert_eq!(finished.pages.len(), 2);
        let first = texts(&finished.pages[0]);
        assert!(!first.iter().any(|t| t.contains("Progetti")), "{first:?}");
        let second = texts(&finished.pages[1]);
        assert_eq!(
            &second[..3],
            ["2. Progetti", "Progetti per cluster", "Cluster"]
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_and_kept_whole() {
        let mut doc = Document::new(decoration()).unwrap();
        let mut table = Table::new(vec![Column::left("Descrizione", 1.0)]).width(30.0);
        let long = (0..400)
            .map(|i| format!("parola{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        table.row(vec![long.clone()]);
        doc.table(&table);
        let finished = doc.finish();
        assert!(finished.pages.len() >= 2);
        let words: Vec<String> = finished
            .pages
            .iter()
            .flat_map(runs)
            .filter(|r| r.text.starts_with("parola"))
            .flat_map(|r| r.text.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        assert_eq!(words.join(" "), long);
    }

    #[test]
    fn the_footer_numbers_pages_once_all_are_known() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("uno", TextStyle::body());
        doc.new_page();
        doc.paragraph("due", TextStyle::body());
        doc.new_page();
        doc.paragraph("tre", TextStyle::body());
        let finished = doc.finish();
        assert_eq!(finished.pages.len(), 3);
        for (i, page) in finished.pages.iter().enumerate() {
            let texts = texts(page);
            assert!(
                texts.contains(&format!("Pagina {} di 3", i + 1)),
                "{texts:?}"
            );
            assert_eq!(
                texts.contains(&"Report di consolidamento".to_string()),
                i > 0,
                "no running header on the cover"
            );
        }
    }

    #[test]
    fn missing_glyphs_are_replaced_and_reported() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("Cluster 漢字 Łódź", TextStyle::body());
        let finished = doc.finish();
        assert_eq!(finished.missing_glyphs, vec!['字', '漢']);
        let texts = texts(&finished.pages[0]);
        assert!(
            texts.contains(&"Cluster \u{FFFD}\u{FFFD} Łódź".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn kpi_values_shrink_to_fit_their_box() {
        let fonts = fonts().unwrap();
        let mut doc = Document::new(decoration()).unwrap();
        let kpi = |value: &str| Kpi {
            value: value.into(),
            caption: "Finanziamento".into(),
        };
        doc.kpi_row(&[
            kpi("1.234.567.890,00 €"),
            kpi("12"),
            kpi("72,52 %"),
            kpi("9.999.999,99 €"),
        ]);
        let finished = doc.finish();
        let box_width = (CONTENT_WIDTH - 3.0 * 4.0) / 4.0;
        for run in runs(&finished.pages[0]).into_iter().filter(|r| r.bold) {
            let style = TextStyle::new(run.size, Weight::Bold, Ink::Accent);
            assert!(
                fonts.width(&run.text, style) <= box_width - 1.2 - 7.0 + 1e-3,
                "{run:?}"
            );
        }
    }

    #[test]
    fn saving_twice_gives_identical_bytes() {
        let save = || {
            let mut doc = Document::new(decoration()).unwrap();
            doc.heading("Sintesi", Level::Section);
            doc.paragraph("Dati al 30/11/2026", TextStyle::body());
            doc.finish().save(PdfDocumentInfo::default()).unwrap()
        };
        let (a, b) = (save(), save());
        assert!(a.starts_with(b"%PDF"));
        assert_eq!(a, b);
        assert!(id_spans(&a).is_some());
    }
}
