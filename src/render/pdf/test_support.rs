//! Helpers for the layout tests: the text runs drawn on a page, read back from
//! its operations, and a page decoration in Italian.

use super::fonts::font_id;
use super::fonts::Fonts;
use super::layout::{PageDecoration, PAGE_HEIGHT};
use super::style::{Area, Ink, TextStyle, Weight};
use printpdf::{Mm, Op, PaintMode, PdfFontHandle, PdfPage, TextItem, TextMatrix};

/// A run of text drawn on a page: left x and baseline (top-left millimetres),
/// font id, size and the text.
#[derive(Debug)]
pub struct Run {
    pub x: f32,
    pub y: f32,
    pub bold: bool,
    pub size: f32,
    pub text: String,
}

impl Run {
    /// The style the run was drawn in, for measuring it.
    pub fn style(&self) -> TextStyle {
        let weight = if self.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        TextStyle::new(self.size, weight, Ink::Text)
    }

    /// The x where the run's text ends.
    pub fn end(&self, fonts: &Fonts) -> f32 {
        self.x + fonts.width(&self.text, self.style())
    }
}

pub fn runs(page: &PdfPage) -> Vec<Run> {
    let mut out = Vec::new();
    let (mut x, mut y, mut bold, mut size) = (0.0, 0.0, false, 0.0);
    for op in &page.ops {
        match op {
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(px, py),
            } => {
                x = Mm::from(*px).0;
                y = PAGE_HEIGHT - Mm::from(*py).0;
            }
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size: s,
            } => {
                bold = id.0 == font_id(Weight::Bold);
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

pub fn texts(page: &PdfPage) -> Vec<String> {
    runs(page).into_iter().map(|r| r.text).collect()
}

pub fn decoration() -> PageDecoration {
    PageDecoration {
        header_left: "Report di consolidamento".into(),
        header_right: "novembre 2026".into(),
        footer_left: "Dati al 30/11/2026".into(),
        page_word: "Pagina".into(),
        of_word: "di".into(),
        header_on_first_page: false,
    }
}

/// The filled rectangles drawn on a page, in top-left millimetres, in drawing order.
pub fn rects(page: &PdfPage) -> Vec<Area> {
    page.ops
        .iter()
        .filter_map(|op| match op {
            Op::DrawRectangle { rectangle } if rectangle.mode == Some(PaintMode::Fill) => {
                let height = Mm::from(rectangle.height).0;
                Some(Area {
                    x: Mm::from(rectangle.x).0,
                    y: PAGE_HEIGHT - Mm::from(rectangle.y).0 - height,
                    width: Mm::from(rectangle.width).0,
                    height,
                })
            }
            _ => None,
        })
        .collect()
}
