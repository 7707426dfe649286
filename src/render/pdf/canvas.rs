//! A page's content stream: text, filled and outlined rectangles and lines,
//! placed in millimetres from the page's top-left corner and written here as PDF
//! operators in points from the bottom-left.
//!
//! A long project list is millions of text runs, so the canvas writes as few
//! operators as the PDF needs: consecutive runs share one text object, and the
//! font and colours are set only when they change (both persist across text
//! objects in PDF's graphics state). Text is written as the glyph numbers of the
//! embedded faces (Identity-H), and every glyph drawn is recorded for the
//! subset and the `ToUnicode` map ([`super::embed`]).

use super::embed::GlyphUse;
use super::file::{push_number, push_scaled};
use super::fonts::{font_id, Fonts};
use super::page::PAGE_HEIGHT;
use super::style::{Area, Colour, Ink, Stroke, TextStyle, Weight};

/// Points in a millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// Decimals of a coordinate in points: a hundredth of a point is 0.0035 mm.
const DECIMALS: u32 = 2;
/// Decimals of a rectangle's size: chart bars are compared with each other.
const SIZE_DECIMALS: u32 = 3;

/// The content of the page being drawn, with helpers in top-left millimetres.
pub(crate) struct Canvas {
    fonts: &'static Fonts,
    content: Vec<u8>,
    /// Whether a text object is open.
    in_text: bool,
    /// Where the current text line starts, in hundredths of a point: each run is
    /// placed by a move (`Td`) from the one before.
    line: (i64, i64),
    /// The font and size last set on this page.
    font: Option<(Weight, f32)>,
    /// The fill colour last set (text is drawn in the fill colour).
    fill: Option<Ink>,
    /// The outline colour and thickness last set.
    outline: Option<Stroke>,
    /// The glyphs drawn so far in the document, regular and bold.
    glyphs: [GlyphUse; 2],
}

impl Canvas {
    pub(crate) fn new(fonts: &'static Fonts) -> Canvas {
        Canvas {
            fonts,
            content: Vec::new(),
            in_text: false,
            line: (0, 0),
            font: None,
            fill: None,
            outline: None,
            glyphs: Default::default(),
        }
    }

    /// The page's content stream, any open text object closed. The canvas starts
    /// the next page with PDF's initial graphics state; the glyphs drawn stay.
    pub(crate) fn take_page(&mut self) -> Vec<u8> {
        self.end_text();
        self.font = None;
        self.fill = None;
        self.outline = None;
        // The next page is about as long: room for it saves growing it again.
        let room = self.content.len();
        std::mem::replace(&mut self.content, Vec::with_capacity(room))
    }

    /// The glyphs drawn in the document, regular and bold.
    pub(crate) fn into_glyphs(self) -> [GlyphUse; 2] {
        self.glyphs
    }

    /// Draws `text` (already checked for glyphs) with its left end at `x`.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        if !self.in_text {
            self.content.extend_from_slice(b"BT\n");
            self.in_text = true;
            self.line = (0, 0);
        }
        if self.font != Some((style.weight, style.size)) {
            self.content.push(b'/');
            self.content
                .extend_from_slice(font_id(style.weight).as_bytes());
            self.content.push(b' ');
            push_number(&mut self.content, style.size, DECIMALS);
            self.content.extend_from_slice(b" Tf\n");
            self.font = Some((style.weight, style.size));
        }
        self.set_fill(style.ink);
        let to = (hundredths(x), hundredths(PAGE_HEIGHT - baseline));
        push_scaled(&mut self.content, to.0 - self.line.0, DECIMALS);
        self.content.push(b' ');
        push_scaled(&mut self.content, to.1 - self.line.1, DECIMALS);
        self.content.extend_from_slice(b" Td\n(");
        self.line = to;
        let glyphs = &mut self.glyphs[style.weight as usize];
        for ch in text.chars() {
            let glyph = self.fonts.glyph(ch, style.weight);
            glyphs.record(glyph, ch);
            push_code(&mut self.content, glyph);
        }
        self.content.extend_from_slice(b") Tj\n");
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.content.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, ink: Ink) {
        if self.fill != Some(ink) {
            self.colour(ink.colour(), b"g", b"rg");
            self.fill = Some(ink);
        }
    }

    fn set_outline(&mut self, stroke: Stroke) {
        if self.outline != Some(stroke) {
            self.colour(stroke.ink.colour(), b"G", b"RG");
            push_number(&mut self.content, stroke.thickness, 3);
            self.content.extend_from_slice(b" w\n");
            self.outline = Some(stroke);
        }
    }

    fn colour(&mut self, colour: Colour, grey: &[u8], rgb: &[u8]) {
        let (components, operator): (&[f32], &[u8]) = match &colour {
            Colour::Grey(level) => (std::slice::from_ref(level), grey),
            Colour::Rgb(r, g, b) => (&[*r, *g, *b], rgb),
        };
        for component in components {
            push_number(&mut self.content, *component, 3);
            self.content.push(b' ');
        }
        self.content.extend_from_slice(operator);
        self.content.push(b'\n');
    }

    pub(crate) fn fill(&mut self, area: Area, ink: Ink) {
        self.end_text();
        self.set_fill(ink);
        self.rectangle(area, b"f");
    }

    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: Stroke) {
        self.end_text();
        self.set_outline(stroke);
        self.point(from.0, from.1);
        self.content.extend_from_slice(b" m ");
        self.point(to.0, to.1);
        self.content.extend_from_slice(b" l S\n");
    }

    /// The outline of a rectangle.
    pub(crate) fn outline(&mut self, area: Area, stroke: Stroke) {
        self.end_text();
        self.set_outline(stroke);
        self.rectangle(area, b"S");
    }

    /// A rectangle filled or stroked (`paint`) in the colour already set.
    fn rectangle(&mut self, area: Area, paint: &[u8]) {
        self.point(area.x, area.y + area.height);
        self.content.push(b' ');
        push_number(&mut self.content, area.width * PT_PER_MM, SIZE_DECIMALS);
        self.content.push(b' ');
        push_number(&mut self.content, area.height * PT_PER_MM, SIZE_DECIMALS);
        self.content.extend_from_slice(b" re ");
        self.content.extend_from_slice(paint);
        self.content.push(b'\n');
    }

    /// `x y` in points from the bottom-left of the point `(x, y)` in millimetres
    /// from the top-left.
    fn point(&mut self, x: f32, y: f32) {
        push_number(&mut self.content, x * PT_PER_MM, DECIMALS);
        self.content.push(b' ');
        push_number(&mut self.content, (PAGE_HEIGHT - y) * PT_PER_MM, DECIMALS);
    }
}

/// Millimetres as hundredths of a point, the precision of the coordinates written.
fn hundredths(mm: f32) -> i64 {
    (f64::from(mm) * f64::from(PT_PER_MM) * 100.0).round() as i64
}

/// Appends a glyph number as the two bytes of its Identity-H code inside a
/// literal string: half the size of hexadecimal, which matters for the content of
/// thousands of pages. The string's delimiters and escape are escaped, and so are
/// line ends, which a reader would otherwise normalise.
fn push_code(out: &mut Vec<u8>, glyph: u16) {
    for byte in glyph.to_be_bytes() {
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_codes_escape_what_a_literal_string_cannot_hold() {
        let mut out = Vec::new();
        for glyph in [0x0041, 0x2829, 0x5C0A, 0x0D00] {
            push_code(&mut out, glyph);
        }
        assert_eq!(out, b"\0A\\(\\)\\\\\\n\\r\0");
    }
}
