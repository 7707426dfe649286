//! The shared strings of an xlsx (`xl/sharedStrings.xml`) and the inline
//! strings of its cells: a string item is the text of its `<t>` elements, runs
//! of rich text (`<r><rPr/><t>…</t></r>`) joined, phonetic guides (`<rPh>`)
//! left out. Whitespace around a `<t>`'s text is trimmed unless the element
//! says `xml:space="preserve"`, and Excel's `_xHHHH_` escapes are decoded, as
//! calamine does. A part whose XML is not well-formed up to its `</sst>` (cut
//! short, not UTF-8, a declaration or an attribute value not closed, an end
//! tag that ends another element) is left to calamine.

use super::xml::{
    attributes_well_formed, bare_end, decode_text, each_attribute, tag_end, unescape_excel,
};
use memchr::memmem;

/// Every `<si>` of a shared-strings part, in order. `None` when the part uses
/// something this reader does not read (a namespace prefix, CDATA, comments).
pub(crate) fn shared_strings(part: &[u8]) -> Option<Vec<String>> {
    let sst = memmem::find(part, b"<sst")?;
    if !plain_prologue(&part[..sst]) {
        return None;
    }
    let (mut at, empty) = tag_end(part, sst + 4)?;
    if !matches!(part[sst + 4], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/') {
        return None;
    }
    let mut strings = Vec::new();
    each_attribute(&part[sst + 4..at - 1], |name, value| {
        if name == b"uniqueCount" {
            if let Some(count) = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()) {
                strings.reserve(usize::min(count, part.len() / 8));
            }
        }
    })?;
    if empty {
        std::str::from_utf8(&part[..at]).ok()?;
        return Some(strings);
    }
    let item_end = memmem::Finder::new(b"</si>");
    loop {
        at += memchr::memchr(b'<', &part[at..])?;
        let tag = &part[at + 1..];
        if tag.starts_with(b"/sst>") {
            // calamine's XML reader refuses bytes that are not UTF-8 anywhere
            // up to `</sst>`, where this reader only decodes the text it keeps.
            std::str::from_utf8(&part[..at]).ok()?;
            return Some(strings);
        }
        if !(tag.starts_with(b"si>") || tag.starts_with(b"si/") || tag.starts_with(b"si ")) {
            return None;
        }
        let (content, self_closing) = tag_end(part, at + 3)?;
        if !attributes_well_formed(&part[at + 3..content - 1]) {
            return None;
        }
        if self_closing {
            strings.push(String::new());
            at = content;
            continue;
        }
        let end = content + item_end.find(&part[content..])?;
        strings.push(string_item(&part[content..end])?);
        at = end + b"</si>".len();
    }
}

/// Whether what comes before the root element is what writers put there: a
/// byte order mark, an XML declaration that ends, comments that end,
/// whitespace. Anything else (a declaration or a comment not closed, a
/// document type) is left to calamine.
fn plain_prologue(prologue: &[u8]) -> bool {
    let rest = prologue.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prologue);
    let mut rest = match rest.strip_prefix(b"<?xml") {
        Some(declaration) => match memmem::find(declaration, b"?>") {
            Some(end) if memchr::memchr(b'<', &declaration[..end]).is_none() => {
                &declaration[end + 2..]
            }
            _ => return false,
        },
        None => rest,
    };
    loop {
        rest = rest.trim_ascii_start();
        let Some(comment) = rest.strip_prefix(b"<!--") else {
            return rest.is_empty();
        };
        match memmem::find(comment, b"-->") {
            Some(end) => rest = &comment[end + 3..],
            None => return false,
        }
    }
}

/// The text of a string item, given what lies between its `<si>` (or `<is>`)
/// and the matching end tag.
pub(crate) fn string_item(item: &[u8]) -> Option<String> {
    let mut text = String::new();
    let mut phonetic = false;
    // The elements open, by their whole name: each end tag must end the last.
    let mut open_elements: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &item[at..]) {
        let open = at + offset;
        let (closing, name_start) = match item.get(open + 1)? {
            b'/' => (true, open + 2),
            b'!' | b'?' => return None,
            _ => (false, open + 1),
        };
        let name_end = name_start
            + item[name_start..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))?;
        let full_name = &item[name_start..name_end];
        let name = local_name(full_name);
        let (after, self_closing) = tag_end(item, name_end)?;
        let attributes = &item[name_end..after - 1];
        at = after;
        if closing {
            if self_closing || !bare_end(attributes) || open_elements.pop() != Some(full_name) {
                return None;
            }
        } else {
            if full_name.is_empty() || !attributes_well_formed(attributes) {
                return None;
            }
            if !self_closing {
                open_elements.push(full_name);
            }
        }
        match (name, closing) {
            // The item's own end tag written `</si >`: the end found is a later
            // item's, which calamine would not merge into this one.
            (b"si" | b"is", _) => return None,
            (b"rPh", false) => phonetic = !self_closing,
            (b"rPh", true) => phonetic = false,
            (b"t", false) if !phonetic => {
                let mut preserve = false;
                each_attribute(attributes, |name, value| {
                    if name == b"xml:space" && value == b"preserve" {
                        preserve = true;
                    }
                })?;
                if self_closing {
                    continue;
                }
                let end = at + memchr::memchr(b'<', &item[at..])?;
                if !item[end..].starts_with(b"</t>") {
                    return None;
                }
                let mut value = String::new();
                decode_text(&item[at..end], &mut value)?;
                let value = if preserve {
                    value
                } else {
                    value.trim_matches([' ', '\t', '\r', '\n']).to_string()
                };
                text.push_str(&unescape_excel(value));
                at = end;
            }
            _ => {}
        }
    }
    open_elements.is_empty().then_some(text)
}

/// An element's name without its namespace prefix.
pub(crate) fn local_name(name: &[u8]) -> &[u8] {
    match memchr::memchr(b':', name) {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rich_and_phonetic_items() {
        let part = br#"<?xml version="1.0"?><sst xmlns="x" count="5" uniqueCount="5">
            <si><t>Polo  </t></si><si><t xml:space="preserve"> a &amp; b </t></si>
            <si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> rest</t></r></si>
            <si><t>&#x6F22;</t><rPh sb="0" eb="1"><t>kan</t></rPh><phoneticPr fontId="1"/></si>
            <si/><si><t/></si><si><t>line_x000D_&#10;end</t></si></sst>"#;
        assert_eq!(
            shared_strings(part).unwrap(),
            vec![
                "Polo",
                " a & b ",
                "Bold rest",
                "\u{6F22}",
                "",
                "",
                "line\r\nend"
            ]
        );
    }

    #[test]
    fn what_is_not_read_here_is_refused() {
        assert!(shared_strings(b"<sst><si><t><![CDATA[x]]></t></si></sst>").is_none());
        assert!(shared_strings(b"<x:sst><x:si><x:t>a</x:t></x:si></x:sst>").is_none());
        assert!(shared_strings(b"<sst><si><t>a</t></si>").is_none());
        assert!(shared_strings(b"<sst><si><t>a</t></si ><si><t>b</t></si></sst>").is_none());
        assert!(shared_strings(b"<sst><si><t>abc</x>def</t></si></sst>").is_none());
    }

    #[test]
    fn damaged_parts_are_left_to_calamine() {
        let whole = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst count=\"2\"><si><t xml:space=\"preserve\">a </t></si><si><r><rPr><b/></rPr><t>b</t></r></si></sst>";
        assert_eq!(shared_strings(whole.as_bytes()).unwrap(), vec!["a ", "b"]);
        // A comment before the root, as one writer puts it (calamine's
        // nonstandard-xml-ns-prefix.xlsx).
        let commented = whole.replacen("?>", "?><!--Shared string table--> ", 1);
        assert_eq!(
            shared_strings(commented.as_bytes()).unwrap(),
            vec!["a ", "b"]
        );
        for damaged in [
            // Cut short, anywhere.
            whole[..whole.len() - 3].to_string(),
            whole[..whole.find("<r>").unwrap()].to_string(),
            // The XML declaration not closed, or something else before the root.
            whole.replacen("?>", "", 1),
            whole.replacen("?>", "?><!-- x ->", 1),
            whole.replacen("?>", "?><!DOCTYPE sst>", 1),
            // An attribute value not closed, or not quoted.
            whole.replacen("preserve\"", "preserve", 1),
            whole.replacen("\"preserve\"", "preserve", 1),
            whole.replacen("count=\"2\"", "count=\"2", 1),
            // Close tags that match no open tag, or another one.
            whole.replacen("</rPr>", "</rPr></b>", 1),
            whole.replacen("</t></r>", "</t></rq>", 1),
            whole.replacen("</r>", "", 1),
            whole.replacen("<si><r>", "</r><si><r>", 1),
        ] {
            assert!(shared_strings(damaged.as_bytes()).is_none(), "{damaged}");
        }
        // A byte that is not UTF-8, where the text kept is not, in a part
        // with strings and in one without.
        for part in [whole, "<sst count=\"0\"/>"] {
            let mut bytes = part.as_bytes().to_vec();
            bytes[part.find("count").unwrap()] = 0x80;
            assert!(shared_strings(&bytes).is_none(), "{part}");
        }
    }
}
