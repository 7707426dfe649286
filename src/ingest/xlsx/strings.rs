//! The shared strings of an xlsx (`xl/sharedStrings.xml`) and the inline
//! strings of its cells: a string item is the text of its `<t>` elements, runs
//! of rich text (`<r><rPr/><t>…</t></r>`) joined, phonetic guides (`<rPh>`)
//! left out. Whitespace around a `<t>`'s text is trimmed unless the element
//! says `xml:space="preserve"`, and Excel's `_xHHHH_` escapes are decoded, as
//! calamine does.

use super::xml::{decode_text, each_attribute, tag_end, unescape_excel};
use memchr::memmem;

/// Every `<si>` of a shared-strings part, in order. `None` when the part uses
/// something this reader does not read (a namespace prefix, CDATA, comments).
pub(crate) fn shared_strings(part: &[u8]) -> Option<Vec<String>> {
    let sst = memmem::find(part, b"<sst")?;
    let (mut at, empty) = tag_end(part, sst + 4)?;
    let mut strings = Vec::new();
    each_attribute(&part[sst + 4..at - 1], |name, value| {
        if name == b"uniqueCount" {
            if let Some(count) = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()) {
                strings.reserve(usize::min(count, part.len() / 8));
            }
        }
    })?;
    if empty {
        return Some(strings);
    }
    let item_end = memmem::Finder::new(b"</si>");
    loop {
        at += memchr::memchr(b'<', &part[at..])?;
        let tag = &part[at + 1..];
        if tag.starts_with(b"/sst>") {
            return Some(strings);
        }
        if !(tag.starts_with(b"si>") || tag.starts_with(b"si/") || tag.starts_with(b"si ")) {
            return None;
        }
        let (content, self_closing) = tag_end(part, at + 3)?;
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

/// The text of a string item, given what lies between its `<si>` (or `<is>`)
/// and the matching end tag.
pub(crate) fn string_item(item: &[u8]) -> Option<String> {
    let mut text = String::new();
    let mut phonetic = false;
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
        let name = local_name(&item[name_start..name_end]);
        let (after, self_closing) = tag_end(item, name_end)?;
        at = after;
        match (name, closing) {
            // The item's own end tag written `</si >`: the end found is a later
            // item's, which calamine would not merge into this one.
            (b"si" | b"is", true) => return None,
            (b"rPh", false) => phonetic = !self_closing,
            (b"rPh", true) => phonetic = false,
            (b"t", false) if !phonetic => {
                let mut preserve = false;
                each_attribute(&item[name_end..after - 1], |name, value| {
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
    Some(text)
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
}
