//! Helpers for the layout tests: a finished document saved and read back with
//! lopdf, page by page, as the text runs and filled rectangles a viewer draws
//! (glyph numbers turned back into characters through the file's `ToUnicode`
//! maps), and a page decoration in Italian.

use super::fonts::font_id;
use super::fonts::Fonts;
use super::layout::{Finished, PageDecoration};
use super::page::PAGE_HEIGHT;
use super::save::DocumentInfo;
use super::style::{Area, Ink, TextStyle, Weight, MM_PER_PT};
use lopdf::content::Content;
use lopdf::Object;
use std::collections::HashMap;

/// A page read back: its operators and the characters of its fonts' glyphs.
pub(crate) struct Page {
    operations: Vec<lopdf::content::Operation>,
    /// Per font resource name, glyph number → character.
    chars: HashMap<Vec<u8>, HashMap<u16, char>>,
}

/// The pages of `finished`, saved and parsed again.
pub(crate) fn pages(finished: Finished) -> Vec<Page> {
    let bytes = finished.save(&DocumentInfo::default()).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    doc.get_pages()
        .values()
        .map(|&id| {
            let content = Content::decode(&doc.get_page_content(id)).unwrap();
            let chars = doc
                .get_page_fonts(id)
                .unwrap()
                .into_iter()
                .map(|(name, font)| {
                    let map = font.get(b"ToUnicode").unwrap().as_reference().unwrap();
                    let stream = doc.get_object(map).unwrap().as_stream().unwrap();
                    (name, unicode_map(&stream.decompressed_content().unwrap()))
                })
                .collect();
            Page {
                operations: content.operations,
                chars,
            }
        })
        .collect()
}

/// The `bfchar` entries of a `ToUnicode` CMap.
fn unicode_map(cmap: &[u8]) -> HashMap<u16, char> {
    let text = String::from_utf8_lossy(cmap);
    let hex: Vec<&str> = text.split(['<', '>']).skip(1).step_by(2).collect();
    hex.chunks(2)
        .skip(1) // the code space range
        .filter_map(|pair| {
            let glyph = u16::from_str_radix(pair[0], 16).ok()?;
            let units: Vec<u16> = (0..pair[1].len() / 4)
                .map(|i| u16::from_str_radix(&pair[1][i * 4..i * 4 + 4], 16).unwrap())
                .collect();
            let ch = char::decode_utf16(units).next()?.ok()?;
            Some((glyph, ch))
        })
        .collect()
}

fn value(object: &Object) -> f32 {
    match object {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

fn millimetres(object: &Object) -> f32 {
    value(object) * MM_PER_PT
}

/// A run of text drawn on a page: left x and baseline (top-left millimetres),
/// font id, size and the text.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) bold: bool,
    pub(crate) size: f32,
    pub(crate) text: String,
}

impl Run {
    /// The style the run was drawn in, for measuring it.
    pub(crate) fn style(&self) -> TextStyle {
        let weight = if self.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        TextStyle::new(self.size, weight, Ink::Text)
    }

    /// The x where the run's text ends.
    pub(crate) fn end(&self, fonts: &Fonts) -> f32 {
        self.x + fonts.width(&self.text, self.style())
    }
}

pub(crate) fn runs(page: &Page) -> Vec<Run> {
    let mut out = Vec::new();
    // The start of the text line, in points from the bottom-left.
    let (mut line_x, mut line_y) = (0.0, 0.0);
    let (mut x, mut y, mut font, mut size) = (0.0, 0.0, Vec::new(), 0.0);
    for op in &page.operations {
        let moved_to = match (op.operator.as_str(), op.operands.as_slice()) {
            ("Tm", [.., px, py]) => Some((value(px), value(py))),
            ("Td", [dx, dy]) => Some((line_x + value(dx), line_y + value(dy))),
            _ => None,
        };
        if let Some((to_x, to_y)) = moved_to {
            (line_x, line_y) = (to_x, to_y);
            x = to_x * MM_PER_PT;
            y = PAGE_HEIGHT - to_y * MM_PER_PT;
        }
        match (op.operator.as_str(), op.operands.as_slice()) {
            ("BT", []) => (line_x, line_y) = (0.0, 0.0),
            ("Tf", [Object::Name(name), s]) => {
                font = name.clone();
                size = value(s);
            }
            ("Tj", [Object::String(bytes, _)]) => {
                let chars = &page.chars[&font];
                let text = bytes
                    .chunks(2)
                    .map(|g| chars[&u16::from_be_bytes([g[0], g[1]])])
                    .collect();
                out.push(Run {
                    x,
                    y,
                    bold: font == font_id(Weight::Bold).as_bytes(),
                    size,
                    text,
                });
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn texts(page: &Page) -> Vec<String> {
    runs(page).into_iter().map(|r| r.text).collect()
}

pub(crate) fn decoration() -> PageDecoration {
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
pub(crate) fn rects(page: &Page) -> Vec<Area> {
    let ops = &page.operations;
    ops.iter()
        .zip(ops.iter().skip(1))
        .filter_map(
            |(op, next)| match (op.operator.as_str(), op.operands.as_slice()) {
                ("re", [x, y, width, height]) if next.operator == "f" => {
                    let height = millimetres(height);
                    Some(Area {
                        x: millimetres(x),
                        y: PAGE_HEIGHT - millimetres(y) - height,
                        width: millimetres(width),
                        height,
                    })
                }
                _ => None,
            },
        )
        .collect()
}

/// The sample report with `count` clusters `Cluster 000`…, cluster `i` of
/// `i + 1` members, each with Mobilità's trend and two targets, one behind
/// and one not applicable, and no projects by cluster.
pub(crate) fn with_clusters(count: usize) -> crate::report::Report {
    use crate::report::monitoring::{ClusterTrend, Scope};
    use crate::report::{CategoryCounts, ClusterMembers};
    let mut report = crate::report::sample_report();
    let names: Vec<String> = (0..count).map(|i| format!("Cluster {i:03}")).collect();
    report.members.by_cluster = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut counts = CategoryCounts::default();
            counts.add(crate::category::Category::Sme, i as u64 + 1);
            ClusterMembers {
                cluster: name.clone(),
                counts,
            }
        })
        .collect();
    // No cluster besides them: the projects are left without one.
    report.projects.by_cluster.clear();
    let monitoring = &mut report.monitoring;
    let figures = monitoring.trend.clusters[0].figures.clone();
    monitoring.trend.clusters = names
        .iter()
        .map(|name| ClusterTrend {
            cluster: name.clone(),
            figures: figures.clone(),
        })
        .collect();
    let (behind, not_applicable) = (monitoring.targets[1].clone(), monitoring.targets[3].clone());
    monitoring.targets = names
        .iter()
        .flat_map(|name| {
            [&behind, &not_applicable].map(|t| crate::report::monitoring::TargetStatus {
                scope: Scope::Cluster(name.clone()),
                ..t.clone()
            })
        })
        .collect();
    report
}
