//! A page's drawing operations: text, filled and outlined rectangles and lines,
//! placed in millimetres from the page's top-left corner and turned here into
//! printpdf `Op`s in points from the bottom-left.
//!
//! A long project list is millions of text runs, so the canvas writes as few
//! operations as the PDF needs: consecutive runs share one text section, and the
//! font and colours are set only when they change (both persist across text
//! sections in PDF's graphics state).

use super::fonts::font_id;
use super::layout::PAGE_HEIGHT;
use super::style::{Area, Ink, Stroke, TextStyle, Weight};
use printpdf::{
    FontId, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, TextItem,
    TextMatrix,
};

/// Ops for one page, with drawing helpers in top-left millimetres.
#[derive(Default)]
pub struct Canvas {
    ops: Vec<Op>,
    /// Whether a text section is open.
    in_text: bool,
    /// The font and size last set on this page.
    font: Option<(Weight, f32)>,
    /// The fill colour last set (text is drawn in the fill colour).
    fill: Option<Ink>,
    /// The outline colour and thickness last set.
    outline: Option<Stroke>,
}

impl Canvas {
    pub fn point(x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(PAGE_HEIGHT - y))
    }

    /// A canvas that goes on drawing over the finished ops of a page.
    pub fn continuing(ops: Vec<Op>) -> Canvas {
        Canvas {
            ops,
            ..Canvas::default()
        }
    }

    /// The page's ops, any open text section closed; the canvas is left empty,
    /// ready for the next page.
    pub fn take_page(&mut self) -> Vec<Op> {
        self.end_text();
        let mut ops = std::mem::take(self).ops;
        // Pages are held until the document is saved: without the spare room
        // the vector grew into, a long list takes up to half the memory.
        ops.shrink_to_fit();
        ops
    }

    /// Draws `text` (already checked for glyphs) with its left end at `x`.
    pub fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
        if self.font != Some((style.weight, style.size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(font_id(style.weight).into())),
                size: Pt(style.size),
            });
            self.font = Some((style.weight, style.size));
        }
        self.set_fill(style.ink);
        let position = Canvas::point(x, baseline);
        self.ops.extend([
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(position.x, position.y),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
        ]);
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, ink: Ink) {
        if self.fill != Some(ink) {
            self.ops.push(Op::SetFillColor { col: ink.color() });
            self.fill = Some(ink);
        }
    }

    fn set_outline(&mut self, stroke: Stroke) {
        if self.outline != Some(stroke) {
            self.ops.extend([
                Op::SetOutlineColor {
                    col: stroke.ink.color(),
                },
                Op::SetOutlineThickness {
                    pt: Pt(stroke.thickness),
                },
            ]);
            self.outline = Some(stroke);
        }
    }

    pub fn fill(&mut self, area: Area, ink: Ink) {
        self.end_text();
        self.set_fill(ink);
        self.rectangle(area, PaintMode::Fill);
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Canvas::point(x, y),
            bezier: false,
        };
        self.end_text();
        self.set_outline(stroke);
        self.ops.extend([Op::DrawLine {
            line: Line {
                points: vec![point(from), point(to)],
                is_closed: false,
            },
        }]);
    }

    /// The outline of a rectangle.
    pub fn outline(&mut self, area: Area, stroke: Stroke) {
        self.end_text();
        self.set_outline(stroke);
        self.rectangle(area, PaintMode::Stroke);
    }

    /// A rectangle filled or stroked in the colour already set.
    fn rectangle(&mut self, area: Area, mode: PaintMode) {
        let bottom_left = Canvas::point(area.x, area.y + area.height);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: bottom_left.x,
                y: bottom_left.y,
                width: Mm(area.width).into_pt(),
                height: Mm(area.height).into_pt(),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }
}
