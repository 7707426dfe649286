//! What printpdf's document lacks, amended in one step with lopdf (the library
//! printpdf builds its documents with) before the file is written:
//!
//! - the document information keeps no empty entry (printpdf writes an empty
//!   `GTS_PDFXVersion`, a claim of PDF/X conformance, and empty keywords);
//! - the outline lists every section with its sub-sections under it, in reading
//!   order, each opening its page at the heading (printpdf's bookmarks are one
//!   flat list, sorted by page and then by name, and open a page at its top);
//! - every stream is compressed, and the document ID is the SHA-256 of the file
//!   written without it, where printpdf draws it from a counter that changes with
//!   every document made in the process.

use super::layout::Bookmark;
use super::page::PAGE_HEIGHT;
use super::style::MM_PER_PT;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

/// The finished file.
pub(crate) fn amend(mut document: Document, outline: &[Bookmark]) -> lopdf::Result<Vec<u8>> {
    drop_empty_information(&mut document)?;
    add_outline(&mut document, outline)?;
    document.compress();
    document.trailer.remove(b"ID");
    let mut unidentified = Vec::new();
    document.save_to(&mut unidentified)?;
    let digest = Sha256::digest(&unidentified);
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    document
        .trailer
        .set("ID", Object::Array(vec![id.clone(), id]));
    let mut file = Vec::with_capacity(unidentified.len() + 80);
    document.save_to(&mut file)?;
    Ok(file)
}

/// Removes the information entries whose text is empty.
fn drop_empty_information(document: &mut Document) -> lopdf::Result<()> {
    let info = document.trailer.get(b"Info")?.as_reference()?;
    let info = document.get_dictionary_mut(info)?;
    let empty: Vec<Vec<u8>> = info
        .iter()
        .filter(|(_, value)| is_empty_text(value))
        .map(|(key, _)| key.clone())
        .collect();
    for key in empty {
        info.remove(&key);
    }
    Ok(())
}

/// An empty string, or one holding only the UTF-16 byte order mark.
fn is_empty_text(value: &Object) -> bool {
    matches!(value, Object::String(bytes, _) if bytes.is_empty() || bytes == b"\xFE\xFF")
}

/// The outline's items before they are linked: a title, its destination and
/// the items under it.
struct Item<'b> {
    bookmark: &'b Bookmark,
    children: Vec<&'b Bookmark>,
}

/// Sections at the top, each sub-section under the section before it.
fn tree(outline: &[Bookmark]) -> Vec<Item<'_>> {
    let mut items: Vec<Item<'_>> = Vec::new();
    for bookmark in outline {
        match (bookmark.level, items.last_mut()) {
            (level, Some(section)) if level.is_nested() => section.children.push(bookmark),
            _ => items.push(Item {
                bookmark,
                children: Vec::new(),
            }),
        }
    }
    items
}

fn add_outline(document: &mut Document, outline: &[Bookmark]) -> lopdf::Result<()> {
    if outline.is_empty() {
        return Ok(());
    }
    let pages: Vec<ObjectId> = document.get_pages().into_values().collect();
    let root = document.new_object_id();
    let items = tree(outline);
    let mut top_ids = Vec::new();
    for item in &items {
        let id = document.new_object_id();
        let child_ids: Vec<ObjectId> = item
            .children
            .iter()
            .map(|_| document.new_object_id())
            .collect();
        for (k, (child, child_id)) in item.children.iter().zip(&child_ids).enumerate() {
            let mut entry = entry(child, &pages, id)?;
            link(&mut entry, &child_ids, k);
            document
                .objects
                .insert(*child_id, Object::Dictionary(entry));
        }
        let mut entry = entry(item.bookmark, &pages, root)?;
        if let (Some(first), Some(last)) = (child_ids.first(), child_ids.last()) {
            entry.set("First", *first);
            entry.set("Last", *last);
            entry.set("Count", child_ids.len() as i64);
        }
        document.objects.insert(id, Object::Dictionary(entry));
        top_ids.push(id);
    }
    for (k, id) in top_ids.iter().enumerate() {
        let entry = document.get_dictionary_mut(*id)?;
        link(entry, &top_ids, k);
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    outlines.set("First", top_ids[0]);
    outlines.set("Last", top_ids[top_ids.len() - 1]);
    outlines.set("Count", outline.len() as i64);
    document.objects.insert(root, Object::Dictionary(outlines));
    let catalog = document.catalog_mut()?;
    catalog.set("Outlines", root);
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// An outline entry: its title, its parent and where it opens the document.
fn entry(bookmark: &Bookmark, pages: &[ObjectId], parent: ObjectId) -> lopdf::Result<Dictionary> {
    let page = pages
        .get(bookmark.page)
        .ok_or(lopdf::Error::PageNumberNotFound(bookmark.page as u32 + 1))?;
    let mut entry = Dictionary::new();
    entry.set("Title", text_string(&bookmark.title));
    entry.set("Parent", parent);
    entry.set(
        "Dest",
        Object::Array(vec![
            Object::Reference(*page),
            Object::Name(b"XYZ".to_vec()),
            Object::Integer(0),
            Object::Real(((PAGE_HEIGHT - bookmark.top) / MM_PER_PT).round()),
            Object::Null,
        ]),
    );
    Ok(entry)
}

/// Links the `k`-th of `siblings` to the ones before and after it.
fn link(entry: &mut Dictionary, siblings: &[ObjectId], k: usize) {
    if k > 0 {
        entry.set("Prev", siblings[k - 1]);
    }
    if let Some(next) = siblings.get(k + 1) {
        entry.set("Next", *next);
    }
}

/// A PDF text string: the bytes themselves for printable ASCII, otherwise UTF-16BE
/// after its byte order mark.
fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Object::String(text.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::layout::Level;

    fn bookmark(title: &str, level: Level, page: usize) -> Bookmark {
        Bookmark {
            title: title.into(),
            level,
            page,
            top: 20.0,
        }
    }

    #[test]
    fn sub_sections_go_under_the_section_before_them() {
        let outline = [
            bookmark("Sintesi", Level::Section, 0),
            bookmark("1. Soci", Level::Section, 1),
            bookmark("1.1 Per categoria", Level::Subsection, 1),
            bookmark("1.2 Per provincia", Level::Subsection, 2),
            bookmark("2. Progetti", Level::Section, 3),
        ];
        let items = tree(&outline);
        let shape: Vec<(&str, Vec<&str>)> = items
            .iter()
            .map(|i| {
                (
                    i.bookmark.title.as_str(),
                    i.children.iter().map(|c| c.title.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Sintesi", vec![]),
                ("1. Soci", vec!["1.1 Per categoria", "1.2 Per provincia"]),
                ("2. Progetti", vec![]),
            ]
        );
    }

    #[test]
    fn a_sub_section_before_any_section_stands_at_the_top() {
        let outline = [bookmark("Nota", Level::Subsection, 0)];
        assert_eq!(tree(&outline).len(), 1);
    }

    #[test]
    fn titles_outside_ascii_are_utf16_with_a_byte_order_mark() {
        assert_eq!(
            text_string("Soci"),
            Object::String(b"Soci".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            text_string("Mobilità"),
            Object::String(
                b"\xFE\xFF\0M\0o\0b\0i\0l\0i\0t\0\xE0".to_vec(),
                StringFormat::Hexadecimal
            )
        );
    }

    #[test]
    fn empty_texts_are_recognised_in_both_encodings() {
        assert!(is_empty_text(&Object::String(
            Vec::new(),
            StringFormat::Literal
        )));
        assert!(is_empty_text(&Object::String(
            b"\xFE\xFF".to_vec(),
            StringFormat::Literal
        )));
        assert!(!is_empty_text(&Object::String(
            b"x".to_vec(),
            StringFormat::Literal
        )));
    }
}
