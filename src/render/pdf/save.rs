//! Finishing a laid-out document: the two faces embedded and subset, the shared
//! page resources, the page tree, the catalog and the metadata. Nothing in the
//! file depends on the clock or on the process, so equal inputs give equal bytes.

use super::embed::embed;
use super::file::text_string;
use super::fonts::{font_id, fonts};
use super::layout::Finished;
use super::style::Weight;
use crate::render::RenderError;
use chrono::NaiveDateTime;

const FORMAT: &str = "PDF";

/// The document information dictionary.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocumentInfo {
    pub(crate) title: String,
    pub(crate) author: String,
    pub(crate) subject: String,
    /// The application that made the content, and the one that wrote the PDF.
    pub(crate) creator: String,
    pub(crate) producer: String,
    /// Creation and modification time, UTC.
    pub(crate) created: NaiveDateTime,
}

impl Finished {
    /// Writes the fonts, the page tree, the catalog and `info` after the pages and
    /// returns the whole file.
    pub(crate) fn save(self, info: &DocumentInfo) -> Result<Vec<u8>, RenderError> {
        let fonts = fonts()?;
        let mut file = self.file;
        let mut font_entries = String::new();
        for (weight, glyphs) in [Weight::Regular, Weight::Bold].iter().zip(&self.glyphs) {
            let id = embed(&mut file, &fonts.file(*weight), glyphs).map_err(|e| {
                RenderError::new(FORMAT, format!("the embedded font cannot be subset ({e})."))
            })?;
            font_entries.push_str(&format!("/{} {id} ", font_id(*weight)));
        }
        file.object(
            self.resources,
            &format!("<< /Font << {font_entries}>> /ProcSet [/PDF /Text] >>"),
        );
        let kids: Vec<String> = self.pages.iter().map(ToString::to_string).collect();
        file.object(
            self.page_tree,
            &format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            ),
        );
        let catalog = file.add_object(&format!("<< /Type /Catalog /Pages {} >>", self.page_tree));
        let date = text_string(&info.created.format("D:%Y%m%d%H%M%SZ").to_string());
        let info = file.add_object(&format!(
            "<< /Title {} /Author {} /Subject {} /Creator {} /Producer {} \
             /CreationDate {date} /ModDate {date} /Trapped /False >>",
            text_string(&info.title),
            text_string(&info.author),
            text_string(&info.subject),
            text_string(&info.creator),
            text_string(&info.producer),
        ));
        Ok(file.finish(catalog, info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::{Document, Level};
    use crate::render::pdf::style::TextStyle;
    use crate::render::pdf::test_support::decoration;

    #[test]
    fn saving_twice_gives_identical_bytes() {
        let save = || {
            let mut doc = Document::new(decoration()).unwrap();
            doc.heading("Sintesi", Level::Section);
            doc.paragraph("Dati al 30/11/2026", TextStyle::body());
            doc.finish().save(&DocumentInfo::default()).unwrap()
        };
        let (a, b) = (save(), save());
        assert!(a.starts_with(b"%PDF"));
        assert_eq!(a, b);
        let text = String::from_utf8_lossy(&a);
        assert!(!text.contains("GTS_PDFX"), "no claim of PDF/X conformance");
        assert!(text.contains("/ID [<"));
    }
}
