//! The vocabulary of the PDF layout: font weights, inks, text styles, rectangles
//! and strokes, with sizes in millimetres (text sizes in points).

/// Millimetres in a typographic point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;
/// Cap height of DejaVu Sans as a fraction of the font size, for vertical centring.
const CAP_HEIGHT: f32 = 0.73;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;

/// Regular or bold DejaVu Sans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// The colours of the report: dark grey text, a lighter grey for secondary text,
/// one accent, and greys for fills and rules (0.0 black … 1.0 white).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    Text,
    Muted,
    Accent,
    Grey(f32),
    /// A chart colour: red, green and blue from 0.0 to 1.0.
    Rgb(f32, f32, f32),
}

impl Ink {
    /// How light the ink prints in greyscale (0.0 black … 1.0 white), with the
    /// ITU-R BT.601 weights that greyscale printing and rendering apply to RGB.
    pub(crate) fn luminance(self) -> f32 {
        match self {
            Ink::Text => 0.12,
            Ink::Muted => 0.38,
            Ink::Accent => luminance(0.09, 0.27, 0.45),
            Ink::Grey(level) => level.clamp(0.0, 1.0),
            Ink::Rgb(r, g, b) => luminance(r, g, b),
        }
    }

    /// The colour as PDF paints it: a grey level, or red, green and blue.
    pub(super) fn colour(self) -> Colour {
        match self {
            Ink::Text => Colour::Grey(0.12),
            Ink::Muted => Colour::Grey(0.38),
            Ink::Accent => Colour::Rgb(0.09, 0.27, 0.45),
            Ink::Grey(level) => Colour::Grey(level.clamp(0.0, 1.0)),
            Ink::Rgb(r, g, b) => {
                Colour::Rgb(r.clamp(0.0, 1.0), g.clamp(0.0, 1.0), b.clamp(0.0, 1.0))
            }
        }
    }
}

/// A colour in PDF's device spaces, each component from 0.0 to 1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Colour {
    Grey(f32),
    Rgb(f32, f32, f32),
}

/// Font size (points), weight and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    pub(crate) size: f32,
    pub(crate) weight: Weight,
    pub(crate) ink: Ink,
}

impl TextStyle {
    pub(crate) const fn new(size: f32, weight: Weight, ink: Ink) -> TextStyle {
        TextStyle { size, weight, ink }
    }

    /// Body text.
    pub(crate) const fn body() -> TextStyle {
        TextStyle::new(9.0, Weight::Regular, Ink::Text)
    }

    /// The same style in bold.
    pub(crate) const fn bold(self) -> TextStyle {
        TextStyle {
            weight: Weight::Bold,
            ..self
        }
    }

    /// The distance between two baselines, in millimetres.
    pub(crate) fn line_height(&self) -> f32 {
        self.size * LEADING * MM_PER_PT
    }

    /// The font size in millimetres.
    pub(super) fn size_mm(&self) -> f32 {
        self.size * MM_PER_PT
    }

    /// The baseline of a line whose box starts at `top`, with the capitals centred.
    pub(super) fn baseline(&self, top: f32) -> f32 {
        top + (self.line_height() + CAP_HEIGHT * self.size_mm()) / 2.0
    }
}

/// Horizontal alignment of text within its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    /// Numbers in a table column lined up on their decimal mark (`,` in Italian,
    /// `.` in English); a number without one ends where the marks are. Outside a
    /// table this is the same as [`Align::Right`].
    Decimal(char),
}

/// A rectangle: left edge, top edge, width and height, in millimetres from the top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Area {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// A line's thickness (points) and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stroke {
    pub(crate) thickness: f32,
    pub(crate) ink: Ink,
}

impl Stroke {
    /// A hairline rule between rows.
    pub(crate) const fn thin() -> Stroke {
        Stroke {
            thickness: 0.4,
            ink: Ink::Grey(0.62),
        }
    }

    /// The outline of a chart bar or legend swatch.
    pub(crate) const fn bar() -> Stroke {
        Stroke {
            thickness: 0.3,
            ink: Ink::Grey(0.3),
        }
    }

    /// A white rule between the segments of a stacked bar.
    pub(crate) const fn separator() -> Stroke {
        Stroke {
            thickness: 0.8,
            ink: Ink::Grey(1.0),
        }
    }

    /// A chart gridline.
    pub(crate) const fn grid() -> Stroke {
        Stroke {
            thickness: 0.3,
            ink: Ink::Grey(0.82),
        }
    }

    /// A chart's value axis.
    pub(crate) const fn axis() -> Stroke {
        Stroke {
            thickness: 0.5,
            ink: Ink::Grey(0.35),
        }
    }
}

fn luminance(r: f32, g: f32, b: f32) -> f32 {
    (0.299 * r + 0.587 * g + 0.114 * b).clamp(0.0, 1.0)
}
