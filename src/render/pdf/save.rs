//! Saving a laid-out document through printpdf: the two faces embedded and
//! subset, the pages and the document information, then [`super::amend`] for what
//! printpdf does not write as a report needs it. Nothing in the file depends on
//! the clock or on the process, so equal inputs give equal bytes.

use super::amend::amend;
use super::fonts::{font_id, fonts};
use super::layout::Finished;
use super::page::{PAGE_HEIGHT, PAGE_WIDTH};
use super::style::Weight;
use crate::render::RenderError;
use chrono::NaiveDateTime;
use printpdf::{
    DateTime, FontId, Mm, ParsedFont, PdfDocument, PdfFont, PdfPage, PdfParseErrorSeverity,
    PdfSaveOptions,
};

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
    /// The whole file: the pages, the fonts, the outline and `info`.
    pub(crate) fn save(self, info: &DocumentInfo) -> Result<Vec<u8>, RenderError> {
        let mut pdf = PdfDocument::new(&info.title);
        let fonts = fonts()?;
        for weight in [Weight::Regular, Weight::Bold] {
            let face = ParsedFont::from_bytes(fonts.program(weight), 0, &mut Vec::new())
                .ok_or_else(|| {
                    RenderError::new(FORMAT, "the embedded font cannot be read by printpdf.")
                })?;
            // A fixed resource name rather than printpdf's generated one, which
            // changes with every document made in the process.
            pdf.resources
                .fonts
                .map
                .insert(FontId(font_id(weight).to_string()), PdfFont::new(face));
        }
        let created =
            DateTime::from_unix_timestamp(info.created.and_utc().timestamp()).map_err(|e| {
                RenderError::new(
                    FORMAT,
                    format!("the creation time cannot be written ({e})."),
                )
            })?;
        let meta = &mut pdf.metadata.info;
        meta.author.clone_from(&info.author);
        meta.subject.clone_from(&info.subject);
        meta.creator.clone_from(&info.creator);
        meta.producer.clone_from(&info.producer);
        meta.creation_date = created;
        meta.modification_date = created;
        meta.metadata_date = created;
        pdf.pages = self
            .pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops))
            .collect();
        let options = PdfSaveOptions {
            // Compressed by amend, once the document is complete.
            optimize: false,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        let document = pdf.to_lopdf_document(&options, &mut warnings);
        if let Some(error) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            return Err(RenderError::new(
                FORMAT,
                format!(
                    "printpdf could not write page {} ({}).",
                    error.page + 1,
                    error.msg
                ),
            ));
        }
        amend(document, &self.outline).map_err(|e| {
            RenderError::new(FORMAT, format!("the document cannot be finished ({e})."))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::{Document, Level};
    use crate::render::pdf::style::TextStyle;
    use crate::render::pdf::test_support::decoration;

    fn saved() -> Vec<u8> {
        let mut doc = Document::new(decoration()).unwrap();
        doc.heading("Sintesi", Level::Section);
        doc.paragraph("Dati al 30/11/2026", TextStyle::body());
        doc.finish().save(&DocumentInfo::default()).unwrap()
    }

    #[test]
    fn saving_twice_gives_identical_bytes() {
        let (a, b) = (saved(), saved());
        assert!(a.starts_with(b"%PDF"));
        assert_eq!(a, b);
    }

    #[test]
    fn the_information_keeps_no_empty_entry_and_the_id_is_the_files_digest() {
        let info = DocumentInfo {
            title: "Report di consolidamento 2026-11".into(),
            author: "Regione Lombardia".into(),
            ..DocumentInfo::default()
        };
        let mut doc = Document::new(decoration()).unwrap();
        doc.paragraph("Dati al 30/11/2026", TextStyle::body());
        let bytes = doc.finish().save(&info).unwrap();
        let document = lopdf::Document::load_mem(&bytes).unwrap();
        let info_id = document
            .trailer
            .get(b"Info")
            .unwrap()
            .as_reference()
            .unwrap();
        let info = document.get_dictionary(info_id).unwrap();
        for key in [
            &b"GTS_PDFXVersion"[..],
            b"Identifier",
            b"Keywords",
            b"Subject",
        ] {
            assert!(info.get(key).is_err(), "{}", String::from_utf8_lossy(key));
        }
        assert!(info.get(b"Title").is_ok() && info.get(b"Author").is_ok());
        let id = document.trailer.get(b"ID").unwrap().as_array().unwrap();
        let first = id[0].as_str().unwrap();
        assert_eq!((id.len(), first.len()), (2, 16));
        assert_eq!(id[0], id[1]);
    }

    #[test]
    fn the_faces_are_embedded_as_subsets_under_fixed_names() {
        let document = lopdf::Document::load_mem(&saved()).unwrap();
        let mut names: Vec<String> = document
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.has(b"FontFile2"))
            .map(|dict| {
                String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap())
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names, ["DJVBLD+DejaVuSans-Bold", "DJVREG+DejaVuSans"]);
    }
}
