//! A page's drawing operations: text, filled and outlined rectangles, lines
//! (straight, or through many points) and discs, placed in millimetres from the page's top-left corner and handed to printpdf as
//! its operations, in points from the bottom-left.
//!
//! The canvas sets the font and the colours only when they change (both persist
//! across text objects in PDF's graphics state) and keeps consecutive text runs in
//! one text object. Coordinates are rounded to hundredths of a point (0.0035 mm),
//! so the file says no more than a viewer can show; rectangles' sizes to
//! thousandths, because chart bars are compared with each other.

use super::fonts::font_id;
use super::page::PAGE_HEIGHT;
use super::style::{Area, Colour, Ink, Stroke, TextStyle, Weight};
use printpdf::{
    Color, FontId, Greyscale, Line, LineCapStyle, LineJoinStyle, LinePoint, Op, PaintMode,
    PdfFontHandle, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

/// Points in a millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The operations of the page being drawn, with helpers in top-left millimetres.
#[derive(Default)]
pub(crate) struct Canvas {
    ops: Vec<Op>,
    /// Whether a text object is open.
    in_text: bool,
    /// The font and size last set on this page.
    font: Option<(Weight, f32)>,
    /// The fill colour last set (text is drawn in the fill colour).
    fill: Option<Ink>,
    /// The outline colour and thickness last set.
    outline: Option<Stroke>,
    /// Whether round line joins and caps are set on this page.
    round_joins: bool,
}

impl Canvas {
    /// The page's operations, any open text object closed. The canvas starts the
    /// next page with PDF's initial graphics state.
    pub(crate) fn take_page(&mut self) -> Vec<Op> {
        self.end_text();
        self.font = None;
        self.fill = None;
        self.outline = None;
        self.round_joins = false;
        std::mem::take(&mut self.ops)
    }

    /// Draws `text` (already checked for glyphs) with its left end at `x`.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
        if self.font != Some((style.weight, style.size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(font_id(style.weight).to_string())),
                size: Pt(rounded(style.size)),
            });
            self.font = Some((style.weight, style.size));
        }
        self.set_fill(style.ink);
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(points(x), points(PAGE_HEIGHT - baseline)),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, ink: Ink) {
        if self.fill != Some(ink) {
            self.ops.push(Op::SetFillColor {
                col: colour(ink.colour()),
            });
            self.fill = Some(ink);
        }
    }

    fn set_outline(&mut self, stroke: Stroke) {
        if self.outline != Some(stroke) {
            self.ops.push(Op::SetOutlineColor {
                col: colour(stroke.ink.colour()),
            });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(rounded(stroke.thickness)),
            });
            self.outline = Some(stroke);
        }
    }

    pub(crate) fn fill(&mut self, area: Area, ink: Ink) {
        self.end_text();
        self.set_fill(ink);
        self.rectangle(area, PaintMode::Fill);
    }

    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        self.end_text();
        self.set_outline(stroke);
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![line_point(from, false), line_point(to, false)],
                is_closed: false,
            },
        });
    }

    /// A line through `points`, in order: a chart's series.
    pub(crate) fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke) {
        if points.len() < 2 {
            return;
        }
        self.end_text();
        self.set_outline(stroke);
        if !self.round_joins {
            // Round joins and caps: a series' corners and ends are not spiked.
            self.ops.push(Op::SetLineJoinStyle {
                join: LineJoinStyle::Round,
            });
            self.ops.push(Op::SetLineCapStyle {
                cap: LineCapStyle::Round,
            });
            self.round_joins = true;
        }
        self.ops.push(Op::DrawLine {
            line: Line {
                points: points.iter().map(|&p| line_point(p, false)).collect(),
                is_closed: false,
            },
        });
    }

    /// A disc centred on `centre` of `radius` millimetres, filled with `ink`
    /// and outlined with `stroke`: a status mark, a chart's point.
    pub(crate) fn disc(&mut self, (x, y): (f32, f32), radius: f32, ink: Ink, stroke: Stroke) {
        self.end_text();
        self.set_fill(ink);
        self.set_outline(stroke);
        // Four cubic arcs, each a quarter of the circle, from the right end
        // counter-clockwise (in top-down millimetres, y grows downwards).
        let k = 0.552_284_8 * radius;
        let r = radius;
        let mut points = vec![line_point((x + r, y), false)];
        for [c1, c2, end] in [
            [(x + r, y - k), (x + k, y - r), (x, y - r)],
            [(x - k, y - r), (x - r, y - k), (x - r, y)],
            [(x - r, y + k), (x - k, y + r), (x, y + r)],
            [(x + k, y + r), (x + r, y + k), (x + r, y)],
        ] {
            points.push(line_point(c1, true));
            points.push(line_point(c2, true));
            points.push(line_point(end, false));
        }
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::FillStroke,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// The outline of a rectangle.
    pub(crate) fn outline(&mut self, area: Area, stroke: Stroke) {
        self.end_text();
        self.set_outline(stroke);
        self.rectangle(area, PaintMode::Stroke);
    }

    /// A rectangle filled or stroked (`mode`) in the colour already set.
    fn rectangle(&mut self, area: Area, mode: PaintMode) {
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: points(area.x),
                y: points(PAGE_HEIGHT - area.y - area.height),
                width: size(area.width),
                height: size(area.height),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }
}

/// A point in top-left millimetres as printpdf's, from the bottom-left in
/// points; `bezier` for a curve's control point.
fn line_point((x, y): (f32, f32), bezier: bool) -> LinePoint {
    LinePoint {
        p: Point {
            x: points(x),
            y: points(PAGE_HEIGHT - y),
        },
        bezier,
    }
}

/// Millimetres as points, to a hundredth of a point.
fn points(mm: f32) -> Pt {
    Pt(rounded(mm * PT_PER_MM))
}

/// A length in millimetres as points, to a thousandth of a point.
fn size(mm: f32) -> Pt {
    Pt(to_places(mm * PT_PER_MM, 1000.0))
}

/// `value` to two decimals.
fn rounded(value: f32) -> f32 {
    to_places(value, 100.0)
}

/// `value` to the places of `scale` (100.0 for two decimals).
fn to_places(value: f32, scale: f32) -> f32 {
    (value * scale).round() / scale
}

/// A colour, each component to three decimals.
fn colour(colour: Colour) -> Color {
    let component = |c: f32| to_places(c, 1000.0);
    match colour {
        Colour::Grey(level) => Color::Greyscale(Greyscale {
            percent: component(level),
            icc_profile: None,
        }),
        Colour::Rgb(r, g, b) => Color::Rgb(Rgb {
            r: component(r),
            g: component(g),
            b: component(b),
            icc_profile: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_and_colour_are_set_only_when_they_change() {
        let mut canvas = Canvas::default();
        let style = TextStyle::body();
        canvas.text(10.0, 20.0, "uno", style);
        canvas.text(10.0, 25.0, "due", style);
        canvas.text(
            10.0,
            30.0,
            "tre",
            TextStyle::new(9.0, Weight::Bold, style.ink),
        );
        let ops = canvas.take_page();
        let count = |wanted: fn(&Op) -> bool| ops.iter().filter(|op| wanted(op)).count();
        assert_eq!(count(|op| matches!(op, Op::SetFont { .. })), 2);
        assert_eq!(count(|op| matches!(op, Op::SetFillColor { .. })), 1);
        assert_eq!(count(|op| matches!(op, Op::StartTextSection)), 1);
        assert!(matches!(ops.last(), Some(Op::EndTextSection)));
    }

    #[test]
    fn a_new_page_sets_its_state_again() {
        let mut canvas = Canvas::default();
        let square = Area {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        canvas.fill(square, Ink::Accent);
        canvas.take_page();
        canvas.fill(square, Ink::Accent);
        let ops = canvas.take_page();
        assert!(matches!(ops[0], Op::SetFillColor { .. }), "{ops:?}");
    }

    #[test]
    fn millimetres_from_the_top_become_points_from_the_bottom() {
        let mut canvas = Canvas::default();
        let area = Area {
            x: 25.4,
            y: 0.0,
            width: 25.4,
            height: 10.0,
        };
        canvas.outline(area, Stroke::thin());
        let ops = canvas.take_page();
        let Some(Op::DrawRectangle { rectangle }) = ops.last() else {
            panic!("{ops:?}");
        };
        assert_eq!((rectangle.x, rectangle.width), (Pt(72.0), Pt(72.0)));
        assert_eq!(rectangle.y, points(PAGE_HEIGHT - 10.0));
    }
}
