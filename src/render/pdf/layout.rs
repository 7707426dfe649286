//! A small layout engine: the pages of the PDF as drawing operations.
//!
//! [`Document`] owns a cursor that runs down A4 portrait pages and turns headings,
//! paragraphs, KPI boxes, tables ([`super::table`]) and charts ([`super::chart`])
//! into each page's operations ([`Canvas`]). Text is measured from the glyph
//! advances of the embedded fonts ([`super::fonts`]), so wrapping and alignment
//! match what the viewer draws. A heading is held back and drawn with the block it
//! introduces, so it never ends a page. The running header and the "Pagina N di M"
//! footer are added by [`Document::finish`], once the number of pages is known, as
//! operations at the end of each page. Every heading is remembered with its page
//! and height, for the document's outline ([`Finished::outline`]).
//! Characters the fonts lack are drawn as U+FFFD and listed in
//! [`Finished::missing_glyphs`], so the caller can report them.
//!
//! Coordinates are millimetres from the page's top-left corner; they are turned
//! into PDF points (origin bottom-left) only when an operator is written ([`Canvas`]).

use super::canvas::Canvas;
use super::fonts::{fonts, Fonts, REPLACEMENT};
use super::page::{
    CONTENT_BOTTOM, CONTENT_RIGHT, CONTENT_TOP, CONTENT_WIDTH, FOOTER_BASELINE, FOOTER_RULE,
    HEADER_BASELINE, HEADER_RULE, MARGIN,
};
use super::style::{Align, Area, Ink, Stroke, TextStyle, Weight};
use crate::render::RenderError;
use printpdf::Op;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The running header and footer of every page.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageDecoration {
    /// Top left, e.g. the report title and subject.
    pub(crate) header_left: String,
    /// Top right, e.g. the period.
    pub(crate) header_right: String,
    /// Bottom left, e.g. the data date and the tool.
    pub(crate) footer_left: String,
    /// `Pagina` / `Page`.
    pub(crate) page_word: String,
    /// `di` / `of`.
    pub(crate) of_word: String,
    /// Whether the first page (a cover) also gets the running header.
    pub(crate) header_on_first_page: bool,
}

/// Heading levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// A document's title, large and dark: at the top of the outline.
    Title,
    /// A numbered section, in the accent colour with a rule under it.
    Section,
    /// A sub-section inside a section.
    Subsection,
    /// A sub-section that opens a page of its own (a cluster's card): as large
    /// as a section, under a thin rule, and under its section in the outline.
    Page,
}

impl Level {
    /// Whether the outline lists it under the section before it.
    pub(crate) fn is_nested(self) -> bool {
        matches!(self, Level::Subsection | Level::Page)
    }
}

/// A key figure: a big number, a caption under it, and the change since the
/// previous period where it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kpi {
    pub(crate) value: String,
    pub(crate) caption: String,
    /// The change against the previous period (`+12 rispetto a ottobre 2026`),
    /// when it is known; drawn under the caption.
    pub(crate) change: Option<String>,
}

/// A heading as the document's outline lists it: where a reader jumps to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) level: Level,
    /// The page, from 0.
    pub(crate) page: usize,
    /// The top of the heading, in millimetres from the top of the page.
    pub(crate) top: f32,
}

/// What [`Document::finish`] produces: every page's operations, header and
/// footer included, the outline, and the characters the fonts lack; written by
/// [`Finished::save`].
pub(crate) struct Finished {
    pub(super) pages: Vec<Vec<Op>>,
    /// Every heading, in reading order.
    pub(crate) outline: Vec<Bookmark>,
    /// Every character that was drawn as U+FFFD because the font has no glyph for it.
    pub(crate) missing_glyphs: Vec<char>,
}

/// A document being laid out: the pages finished so far, the current page, and a
/// cursor.
pub(crate) struct Document {
    pub(super) fonts: &'static Fonts,
    decoration: PageDecoration,
    /// The operations of the finished pages.
    pages: Vec<Vec<Op>>,
    outline: Vec<Bookmark>,
    pub(super) canvas: Canvas,
    /// The cursor: the top of the next block, in millimetres from the page top.
    pub(super) y: f32,
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
    /// The heading's level, for the outline; none for a lead-in.
    bookmark: Option<Level>,
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
    pub(crate) fn new(decoration: PageDecoration) -> Result<Document, RenderError> {
        let fonts = fonts()?;
        Ok(Document {
            fonts,
            decoration,
            pages: Vec::new(),
            outline: Vec::new(),
            canvas: Canvas::default(),
            y: CONTENT_TOP,
            missing: BTreeSet::new(),
            held: Vec::new(),
        })
    }

    /// The cursor, in millimetres from the top of the page.
    #[cfg(test)]
    pub(crate) fn cursor(&self) -> f32 {
        self.y
    }

    /// The height left on this page above the footer.
    #[cfg(test)]
    pub(crate) fn remaining(&self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    pub(super) fn at_page_top(&self) -> bool {
        self.y <= CONTENT_TOP
    }

    /// Starts a new page.
    pub(crate) fn new_page(&mut self) {
        let page = self.canvas.take_page();
        self.pages.push(page);
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub(crate) fn ensure_space(&mut self, height: f32) {
        if self.y + height > CONTENT_BOTTOM && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space; none at the top of a page.
    pub(crate) fn space(&mut self, height: f32) {
        if let Some(held) = self.held.last_mut() {
            held.after += height;
        } else if !self.at_page_top() {
            self.y = (self.y + height).min(CONTENT_BOTTOM);
        }
    }

    /// `text` with control characters turned into spaces and characters the font
    /// lacks replaced (and remembered).
    pub(super) fn clean(&mut self, text: &str, weight: Weight) -> String {
        self.cleaned(text, weight).into_owned()
    }

    /// [`Document::clean`], borrowing `text` when it needs no change.
    pub(super) fn cleaned<'t>(&mut self, text: &'t str, weight: Weight) -> Cow<'t, str> {
        let drawable =
            |ch: char| ch == '\n' || (!ch.is_control() && self.fonts.has_glyph(ch, weight));
        if text.chars().all(drawable) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(
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
                .collect(),
        )
    }

    pub(super) fn draw_line(
        &mut self,
        area: Area,
        baseline: f32,
        text: &str,
        style: TextStyle,
        align: Align,
    ) {
        let x = match align {
            Align::Left => area.x,
            Align::Right | Align::Decimal(_) => area.x + area.width - self.fonts.width(text, style),
        };
        self.canvas.text(x, baseline, text, style);
    }

    /// Wrapped text across the text column, continuing on the next page if needed.
    pub(crate) fn paragraph(&mut self, text: &str, style: TextStyle) {
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
    pub(crate) fn heading(&mut self, text: &str, level: Level) {
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
            Level::Title => (
                TextStyle::new(22.0, Weight::Bold, Ink::Text),
                0.0,
                1.0,
                None,
            ),
            Level::Page => (
                TextStyle::new(15.0, Weight::Bold, Ink::Accent),
                0.0,
                3.0,
                Some(Stroke::thin()),
            ),
        };
        self.hold(text, style, (before, after), rule, Some(level));
    }

    /// A short text introducing the next block, kept on the same page as it.
    pub(crate) fn lead_in(&mut self, text: &str, style: TextStyle) {
        self.hold(text, style, (0.0, 1.5), None, None);
    }

    fn hold(
        &mut self,
        text: &str,
        style: TextStyle,
        (before, after): (f32, f32),
        rule: Option<Stroke>,
        bookmark: Option<Level>,
    ) {
        let text = self.clean(text, style.weight);
        let lines = self.fonts.wrap_owned(&text, style, CONTENT_WIDTH);
        self.held.push(Held {
            lines,
            style,
            before,
            after,
            rule,
            bookmark,
        });
    }

    /// Makes room for the held headings and `height` of the block that follows them,
    /// then draws the headings.
    pub(super) fn begin_block(&mut self, height: f32) {
        let held = std::mem::take(&mut self.held);
        self.ensure_space(held.iter().map(Held::height).sum::<f32>() + height);
        for item in held {
            self.space(item.before);
            if let Some(level) = item.bookmark {
                self.outline.push(Bookmark {
                    title: item.lines.join(" "),
                    level,
                    page: self.pages.len(),
                    top: self.y,
                });
            }
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
    pub(crate) fn rule(&mut self, stroke: Stroke) {
        self.begin_block(0.0);
        self.canvas
            .line((MARGIN, self.y), (CONTENT_RIGHT, self.y), stroke);
    }

    /// A row of KPI boxes sharing the text column's width.
    pub(crate) fn kpi_row(&mut self, kpis: &[Kpi]) {
        const GAP: f32 = 4.0;
        if kpis.is_empty() {
            return;
        }
        let with_change = kpis.iter().any(|k| k.change.is_some());
        let height = if with_change { 27.5 } else { 23.0 };
        let count = kpis.len() as f32;
        let width = (CONTENT_WIDTH - GAP * (count - 1.0)) / count;
        self.begin_block(height);
        for (i, kpi) in kpis.iter().enumerate() {
            let area = Area {
                x: MARGIN + i as f32 * (width + GAP),
                y: self.y,
                width,
                height,
            };
            self.kpi_box(area, kpi);
        }
        self.y += height;
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
                line.to_string()
            };
            self.canvas.text(
                inner.x,
                area.y + 16.0 + k as f32 * caption_style.line_height(),
                &line,
                caption_style,
            );
        }
        if let Some(change) = &kpi.change {
            let style = TextStyle::new(7.5, Weight::Bold, Ink::Text);
            let change = self.clean(change, style.weight);
            let change = self.fonts.fit(&change, style, inner.width);
            self.canvas.text(inner.x, area.y + 24.5, &change, style);
        }
    }

    /// Closes the last page and adds the running header and the page footer now
    /// that the number of pages is known.
    pub(crate) fn finish(mut self) -> Finished {
        self.begin_block(0.0);
        let last = self.canvas.take_page();
        if !last.is_empty() || self.pages.is_empty() {
            self.pages.push(last);
        }
        let total = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        let mut canvas = Canvas::default();
        for (i, page) in pages.iter_mut().enumerate() {
            self.decorate(&mut canvas, i + 1, total);
            page.append(&mut canvas.take_page());
        }
        Finished {
            pages,
            outline: self.outline,
            missing_glyphs: self.missing.into_iter().collect(),
        }
    }

    fn decorate(&mut self, canvas: &mut Canvas, page: usize, total: usize) {
        let style = TextStyle::new(7.5, Weight::Regular, Ink::Muted);
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
                (CONTENT_RIGHT, HEADER_RULE),
                Stroke::thin(),
            );
        }
        canvas.line(
            (MARGIN, FOOTER_RULE),
            (CONTENT_RIGHT, FOOTER_RULE),
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
        canvas.text(CONTENT_RIGHT - right_width, baseline, &right, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::fonts;
    use crate::render::pdf::test_support::{decoration, pages, runs, texts};

    #[test]
    fn the_footer_numbers_pages_once_all_are_known() {
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("uno", TextStyle::body());
        doc.new_page();
        doc.paragraph("due", TextStyle::body());
        doc.new_page();
        doc.paragraph("tre", TextStyle::body());
        let pages = pages(doc.finish());
        assert_eq!(pages.len(), 3);
        for (i, page) in pages.iter().enumerate() {
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
        let pages = pages(finished);
        let texts = texts(&pages[0]);
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
            change: None,
        };
        doc.kpi_row(&[
            kpi("1.234.567.890,00 €"),
            kpi("12"),
            kpi("72,52 %"),
            kpi("9.999.999,99 €"),
        ]);
        let pages = pages(doc.finish());
        let box_width = (CONTENT_WIDTH - 3.0 * 4.0) / 4.0;
        for run in runs(&pages[0]).into_iter().filter(|r| r.bold) {
            let style = TextStyle::new(run.size, Weight::Bold, Ink::Accent);
            assert!(
                fonts.width(&run.text, style) <= box_width - 1.2 - 7.0 + 1e-3,
                "{run:?}"
            );
        }
    }

    #[test]
    fn a_kpi_change_is_drawn_under_its_caption_when_known() {
        let mut doc = Document::new(decoration()).unwrap();
        let start = doc.cursor();
        doc.kpi_row(&[
            Kpi {
                value: "1.386".into(),
                caption: "Soci attivi".into(),
                change: Some("+12 rispetto a ottobre 2026".into()),
            },
            Kpi {
                value: "300".into(),
                caption: "Progetti approvati".into(),
                change: None,
            },
        ]);
        let with_change = doc.cursor() - start;
        doc.kpi_row(&[Kpi {
            value: "300".into(),
            caption: "Progetti approvati".into(),
            change: None,
        }]);
        let without = doc.cursor() - start - with_change;
        assert!(with_change > without, "{with_change} vs {without}");
        let pages = pages(doc.finish());
        let runs = runs(&pages[0]);
        let caption = runs.iter().find(|r| r.text == "Soci attivi").unwrap();
        let change = runs
            .iter()
            .find(|r| r.text == "+12 rispetto a ottobre 2026")
            .unwrap();
        assert!(change.y > caption.y && change.y < start + with_change);
    }
}
