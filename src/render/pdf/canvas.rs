//! A page's drawing operations: text, filled and outlined rectangles and lines,
//! placed in millimetres from the page's top-left corner and turned here into
//! printpdf `Op`s in points from the bottom-left.

use super::fonts::font_id;
use super::layout::PAGE_HEIGHT;
use super::style::{Area, Ink, Stroke, TextStyle};
use printpdf::{
    FontId, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, TextItem,
};

/// Ops for one page, with drawing helpers in top-left millimetres.
#[derive(Default)]
pub struct Canvas {
    pub ops: Vec<Op>,
}

impl Canvas {
    pub fn point(x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(PAGE_HEIGHT - y))
    }

    /// Draws `text` (already checked for glyphs) with its left end at `x`.
    pub fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        let font = font_id(style.weight);
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

    pub fn fill(&mut self, area: Area, ink: Ink) {
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

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
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

    /// The outline of a rectangle.
    pub fn outline(&mut self, area: Area, stroke: Stroke) {
        let bottom_left = Canvas::point(area.x, area.y + area.height);
        self.ops.extend([
            Op::SetOutlineColor {
                col: stroke.ink.color(),
            },
            Op::SetOutlineThickness {
                pt: Pt(stroke.thickness),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: bottom_left.x,
                    y: bottom_left.y,
                    width: Mm(area.width).into_pt(),
                    height: Mm(area.height).into_pt(),
                    mode: Some(PaintMode::Stroke),
                    winding_order: None,
                },
            },
        ]);
    }
}
