//! Serialising a laid-out document: the two faces embedded and subset under fixed
//! resource names, the metadata, and the post-processing that makes equal inputs
//! give equal bytes.

use super::fonts::{font_id, fonts};
use super::layout::Finished;
use super::style::Weight;
use crate::render::RenderError;
use printpdf::{
    FontId, PdfDocument, PdfDocumentInfo, PdfFont, PdfParseErrorSeverity, PdfSaveOptions,
};
use sha2::{Digest, Sha256};

const FORMAT: &str = "PDF";

impl Finished {
    /// Serialises the pages with the embedded fonts (subset) and `info` as metadata.
    /// The trailer's document id, which printpdf draws from a process-wide counter,
    /// is replaced by one derived from the content, so equal documents are equal bytes.
    pub fn save(self, info: PdfDocumentInfo) -> Result<Vec<u8>, RenderError> {
        let fonts = fonts()?;
        let mut doc = PdfDocument::new(&info.document_title);
        doc.metadata.info = info;
        for weight in [Weight::Regular, Weight::Bold] {
            doc.resources.fonts.map.insert(
                FontId(font_id(weight).into()),
                PdfFont::new(fonts.parsed(weight).clone()),
            );
        }
        let mut warnings = Vec::new();
        // Compression is done below, not by printpdf, which would use the slowest level.
        let options = PdfSaveOptions {
            optimize: false,
            ..PdfSaveOptions::default()
        };
        let mut lopdf_doc = crate::timings::timed("pdf objects", || {
            doc.with_pages(self.pages)
                .to_lopdf_document(&options, &mut warnings)
        });
        if let Some(error) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            let message = format!("the document could not be written ({}).", error.msg);
            return Err(RenderError::new(FORMAT, message));
        }
        crate::timings::timed("pdf compress", || compress_streams(&mut lopdf_doc));
        let mut bytes = Vec::new();
        crate::timings::timed("pdf serialise", || lopdf_doc.save_to(&mut bytes)).map_err(|e| {
            RenderError::new(FORMAT, format!("the document could not be written ({e})."))
        })?;
        stable_document_id(drop_pdfx_claim(bytes))
    }
}

/// Deflates every stream that is not compressed yet and gains from it, at a level
/// that keeps the file within a few per cent of the smallest while taking a
/// fraction of the time: the page contents of a long project list are most of
/// the file, and the slowest level spent most of the PDF's time on them. The
/// streams are shared out among the cores (each is compressed on its own, so
/// the bytes do not depend on how they were shared out).
fn compress_streams(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            lopdf::Object::Stream(stream)
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() =>
            {
                Some(stream)
            }
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for chunk in streams.chunks_mut(share) {
            scope.spawn(move || chunk.iter_mut().for_each(|stream| compress(stream)));
        }
    });
}

fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    const LEVEL: u32 = 5;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(LEVEL));
    let Ok(compressed) = encoder
        .write_all(&stream.content)
        .and_then(|()| encoder.finish())
    else {
        return;
    };
    if compressed.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed);
    }
}

/// printpdf always writes a `/GTS_PDFXVersion` entry into the document information,
/// empty when no standard was asked for, and readers then call the file PDF/X,
/// which it is not. The entry is overwritten with spaces (dictionary whitespace), so
/// no byte offset changes.
fn drop_pdfx_claim(mut bytes: Vec<u8>) -> Vec<u8> {
    const ENTRY: &[u8] = b"/GTS_PDFXVersion()";
    if let Some(start) = bytes.windows(ENTRY.len()).position(|w| w == ENTRY) {
        bytes[start..start + ENTRY.len()].fill(b' ');
    }
    bytes
}

/// Replaces the two strings of the trailer's `/ID [(…)(…)]` with same-length strings
/// taken from the SHA-256 of the file with those strings blanked out. The lengths do
/// not change, so the cross-reference offsets stay valid.
fn stable_document_id(mut bytes: Vec<u8>) -> Result<Vec<u8>, RenderError> {
    let spans = id_spans(&bytes).ok_or_else(|| {
        RenderError::new(FORMAT, "the document id was not found in the saved file.")
    })?;
    for span in &spans {
        bytes[span.clone()].fill(b'0');
    }
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let mut source = digest.bytes().cycle();
    for span in spans {
        for byte in &mut bytes[span] {
            *byte = source.next().unwrap_or(b'0');
        }
    }
    Ok(bytes)
}

/// The byte ranges of the two literal strings after the last `/ID` in the file.
fn id_spans(bytes: &[u8]) -> Option<[std::ops::Range<usize>; 2]> {
    let start = bytes.windows(3).rposition(|w| w == b"/ID")? + 3;
    let first = literal_after(bytes, start)?;
    let second = literal_after(bytes, first.end + 1)?;
    Some([first, second])
}

/// The contents of the next `(…)` string from `from`, which must hold no escapes.
fn literal_after(bytes: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
    let open = from + bytes.get(from..)?.iter().position(|&b| b == b'(')? + 1;
    let close = open + bytes.get(open..)?.iter().position(|&b| b == b')')?;
    let contents = &bytes[open..close];
    (!contents.is_empty() && contents.iter().all(u8::is_ascii_alphanumeric)).then_some(open..close)
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
            doc.finish().save(PdfDocumentInfo::default()).unwrap()
        };
        let (a, b) = (save(), save());
        assert!(a.starts_with(b"%PDF"));
        assert_eq!(a, b);
        assert!(id_spans(&a).is_some());
        let text = String::from_utf8_lossy(&a);
        assert!(!text.contains("GTS_PDFX"), "no claim of PDF/X conformance");
    }
}
