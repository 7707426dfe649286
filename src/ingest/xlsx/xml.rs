//! The little XML the fast xlsx reader parses by hand: the end of a tag and its
//! attributes, and text with its entities, line ends and Excel's `_xHHHH_`
//! escapes decoded as calamine decodes them.
//!
//! Every function answers `None` for what it does not know how to read, and
//! the reader then leaves the whole workbook to calamine.

use memchr::{memchr, memchr3};

/// The end of the tag whose attributes start at `from`: the index just after
/// its `>`, and whether it closes itself (`/>`). A `>` inside a quoted
/// attribute value does not end the tag.
pub(crate) fn tag_end(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut at = from;
    loop {
        at += memchr3(b'>', b'"', b'\'', bytes.get(at..)?)?;
        match bytes[at] {
            b'>' => return Some((at + 1, at > from && bytes[at - 1] == b'/')),
            quote => at += 1 + memchr(quote, bytes.get(at + 1..)?)? + 1,
        }
    }
}

/// Calls `each` with the name and raw value of every attribute in `attributes`
/// (the text of a tag between its name and its `>`, with the `/` of a tag
/// that closes itself). `None` when they are not well-formed: a name without
/// `=` and a quoted value, a value not closed, a `/` before the end.
pub(crate) fn each_attribute<'a>(
    attributes: &'a [u8],
    mut each: impl FnMut(&'a [u8], &'a [u8]),
) -> Option<()> {
    let mut at = 0;
    loop {
        while attributes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        match attributes.get(at) {
            None => return Some(()),
            Some(b'/') if at + 1 == attributes.len() => return Some(()),
            Some(b'/' | b'>') => return None,
            Some(_) => {}
        }
        let name_start = at;
        while attributes
            .get(at)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'=')
        {
            at += 1;
        }
        let name = &attributes[name_start..at];
        while attributes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if attributes.get(at) != Some(&b'=') {
            return None;
        }
        at += 1;
        while attributes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let quote = *attributes.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
        let value_start = at + 1;
        let value_end = value_start + memchr(quote, attributes.get(value_start..)?)?;
        each(name, &attributes[value_start..value_end]);
        at = value_end + 1;
    }
}

/// Whether the attributes of a tag are well-formed (see [`each_attribute`]).
pub(crate) fn attributes_well_formed(attributes: &[u8]) -> bool {
    each_attribute(attributes, |_, _| {}).is_some()
}

/// Whether the text of an end tag between its name and its `>` is only
/// whitespace, as XML allows: `</row >`, never `</row x>`.
pub(crate) fn bare_end(after_name: &[u8]) -> bool {
    after_name.iter().all(u8::is_ascii_whitespace)
}

/// Appends the text `raw` (between two tags) to `out`, with its entities
/// decoded and its line ends made `\n`, as an XML reader gives it. `None` when
/// it is not UTF-8 or names an entity XML does not define.
pub(crate) fn decode_text(raw: &[u8], out: &mut String) -> Option<()> {
    if memchr::memchr2(b'&', b'\r', raw).is_none() {
        out.push_str(std::str::from_utf8(raw).ok()?);
        return Some(());
    }
    let text = std::str::from_utf8(raw).ok()?;
    let mut rest = text;
    while let Some(at) = rest.find(['&', '\r']) {
        out.push_str(&rest[..at]);
        if rest.as_bytes()[at] == b'\r' {
            out.push('\n');
            rest = &rest[at + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let end = rest[at..].find(';')? + at;
        out.push(entity(&rest[at + 1..end])?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(())
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let number = name.strip_prefix('#')?;
            // A sign, which Rust's parsers take and XML does not.
            if number.contains(['+', '-']) {
                return None;
            }
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')?
        }
    })
}

/// `text` with Excel's escapes decoded: `_x000D_` is the UTF-16 code unit
/// 0x000D, a character outside the first plane is a pair of them, and a
/// surrogate without its pair becomes U+FFFD.
pub(crate) fn unescape_excel(text: String) -> String {
    let Some(first) = find_escape(&text, 0) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut next = Some(first);
    while let Some((at, unit)) = next {
        out.push_str(&text[copied..at]);
        let mut after = at + ESCAPE_LENGTH;
        let decoded = match unit {
            0xD800..=0xDBFF => match parse_escape(&text, after) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    after += ESCAPE_LENGTH;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code)
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(u32::from(unit)),
        };
        out.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = after;
        next = find_escape(&text, after);
    }
    out.push_str(&text[copied..]);
    out
}

/// `_xHHHH_` is seven bytes long.
const ESCAPE_LENGTH: usize = 7;

/// The first escape at or after byte `from`, with its code unit.
fn find_escape(text: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = memchr(b'_', text.as_bytes().get(from..)?) {
        let at = from + offset;
        if let Some(unit) = parse_escape(text, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

/// The code unit of the escape at byte `at`, if there is one.
fn parse_escape(text: &str, at: usize) -> Option<u16> {
    let bytes = text.as_bytes().get(at..at + ESCAPE_LENGTH)?;
    if bytes[0] != b'_' || bytes[1] != b'x' || bytes[6] != b'_' {
        return None;
    }
    let hex = std::str::from_utf8(&bytes[2..6]).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// `B12` → (11, 1), 0-based. Letters of either case, then digits; `None` when
/// the row or the column is missing or too large.
pub(crate) fn cell_reference(text: &[u8]) -> Option<(u32, u32)> {
    let digits = text.iter().position(u8::is_ascii_digit)?;
    let (letters, number) = text.split_at(digits);
    let mut col: u32 = 0;
    for &b in letters {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        col = col
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row = row_number(number)?;
    Some((row, col.checked_sub(1)?))
}

/// A 1-based row number as written in `<row r="12">`, 0-based.
pub(crate) fn row_number(text: &[u8]) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let mut row: u32 = 0;
    for &b in text {
        if !b.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    row.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_end_at_their_own_bracket() {
        let tag = br#"<c r="A1" t='s'>x"#;
        assert_eq!(tag_end(tag, 2), Some((16, false)));
        let quoted = br#"<c note="a>b"/>x"#;
        assert_eq!(tag_end(quoted, 2), Some((15, true)));
        assert_eq!(tag_end(b"<c r=\"A1\"", 2), None);
    }

    #[test]
    fn attributes_are_read_with_either_quote_and_spaces() {
        let mut seen = Vec::new();
        each_attribute(b" r = \"A1\"\n t='s' x14ac:dyDescent=\"0.25\"/", |n, v| {
            seen.push((n.to_vec(), v.to_vec()))
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (b"r".to_vec(), b"A1".to_vec()),
                (b"t".to_vec(), b"s".to_vec()),
                (b"x14ac:dyDescent".to_vec(), b"0.25".to_vec())
            ]
        );
        assert!(each_attribute(b" r", |_, _| {}).is_none());
        // A `/` ends the attributes of a tag that closes itself, and no others.
        assert!(attributes_well_formed(b" r=\"A1\"/"));
        assert!(!attributes_well_formed(b" r=\"A1\"/x"));
        assert!(!attributes_well_formed(b" r=\"A1\" / "));
        // A value not closed, a value without quotes.
        assert!(!attributes_well_formed(b" r=\"A1"));
        assert!(!attributes_well_formed(b" r=A1"));
        assert!(bare_end(b" \n"));
        assert!(!bare_end(b" x"));
    }

    #[test]
    fn text_is_decoded() {
        let mut out = String::new();
        decode_text(b"a &amp; b &lt;&#233;&#xE8;\r\nz\rw", &mut out).unwrap();
        assert_eq!(out, "a & b <\u{e9}\u{e8}\nz\nw");
        assert!(decode_text(b"&nbsp;", &mut String::new()).is_none());
        assert!(decode_text(b"&amp", &mut String::new()).is_none());
        assert!(decode_text(b"&#+65;", &mut String::new()).is_none());
        assert!(decode_text(b"&#x+41;", &mut String::new()).is_none());
    }

    #[test]
    fn excel_escapes_are_decoded() {
        assert_eq!(unescape_excel("a_x000D_b".into()), "a\rb");
        assert_eq!(unescape_excel("_xD83D__xDCF7_".into()), "\u{1F4F7}");
        assert_eq!(unescape_excel("_xD83D_x".into()), "\u{FFFD}x");
        assert_eq!(unescape_excel("_x005F_x000D_".into()), "_x000D_");
        assert_eq!(unescape_excel("_x12_ plain".into()), "_x12_ plain");
    }

    #[test]
    fn references() {
        assert_eq!(cell_reference(b"A1"), Some((0, 0)));
        assert_eq!(cell_reference(b"xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_reference(b"A0"), None);
        assert_eq!(cell_reference(b"1"), None);
        assert_eq!(cell_reference(b"A1B"), None);
        assert_eq!(cell_reference(b"ZZZZZZZZZZ1"), None);
        assert_eq!(row_number(b"7"), Some(6));
    }
}
