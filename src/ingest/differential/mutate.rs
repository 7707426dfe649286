//! Damage inside the parts of an xlsx package, for the differential tests: the
//! XML of the workbook part, a worksheet, the shared strings or the styles is
//! inflated, damaged in one place ([`Damage`]) and packaged again with every
//! other part as it was. The damage is the kind files really suffer (a part
//! cut short, a quote or a `?>` lost, an end tag that ends nothing, a byte
//! changed), inside the XML, where damage to the zip's own bytes would only
//! fail its checksums.
//!
//! A [`Mutation`] says which part, which damage and where: the same mutation
//! on the same bytes gives the same package, so the corpus runs and the fuzz
//! target can name what they found and do it again.

use std::io::{Cursor, Read, Write};
use zip::{ZipArchive, ZipWriter};

/// A kind of damage to the XML of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The part ends early, at one of its bytes.
    CutShort,
    /// The quote that ends an attribute value is taken out.
    UnclosedAttributeValue,
    /// An end tag is put between two tags, ending an element that is not
    /// open there.
    StrayCloseTag,
    /// An end tag's name is changed, so that it matches no open tag.
    MismatchedCloseTag,
    /// The `?>` that ends the XML declaration is taken out.
    UnclosedXmlDeclaration,
    /// One byte is changed into another.
    ByteChanged,
    /// One byte is taken out.
    ByteRemoved,
    /// One byte is put in.
    ByteInserted,
}

/// Every kind of damage, in the order a fuzzer's byte picks them.
pub const DAMAGES: [Damage; 8] = [
    Damage::CutShort,
    Damage::UnclosedAttributeValue,
    Damage::StrayCloseTag,
    Damage::MismatchedCloseTag,
    Damage::UnclosedXmlDeclaration,
    Damage::ByteChanged,
    Damage::ByteRemoved,
    Damage::ByteInserted,
];

/// One damage done to one part of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    /// The part's name in the package.
    pub part: String,
    pub damage: Damage,
    /// Which of the places the damage can go (taken modulo their number).
    pub site: usize,
    /// The byte put in or written over, or which element's name a stray end
    /// tag takes.
    pub byte: u8,
}

impl std::fmt::Display for Mutation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} in {} at site {} (byte 0x{:02x})",
            self.damage, self.part, self.site, self.byte
        )
    }
}

/// The parts of the package `bytes` that damage goes into, in the package's
/// order: the workbook part, the worksheets, the shared strings and the
/// styles. Empty when `bytes` is not a zip package.
pub fn damageable_parts(bytes: &[u8]) -> Vec<String> {
    let Ok(zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let names = zip.file_names().filter_map(|name| name.ok());
    names
        .filter(|name| {
            let name = name.to_ascii_lowercase();
            name == "xl/workbook.xml"
                || name == "xl/sharedstrings.xml"
                || name == "xl/styles.xml"
                || (name.starts_with("xl/worksheets/") && name.ends_with(".xml"))
        })
        .map(|name| name.into_owned())
        .collect()
}

/// The package `bytes` with `mutation` done; `None` when the package or the
/// part cannot be read, or the part has no place for that damage (no XML
/// declaration to unclose, say).
pub fn mutate(bytes: &[u8], mutation: &Mutation) -> Option<Vec<u8>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = Vec::new();
    zip.by_name(&mutation.part)
        .ok()?
        .read_to_end(&mut xml)
        .ok()?;
    let damaged = damaged(&xml, mutation.damage, mutation.site, mutation.byte)?;
    repackaged(bytes, &mutation.part, &damaged)
}

/// The package `bytes` with the part `part` holding `content` instead, deflated;
/// every other part is copied as it is stored.
pub fn repackaged(bytes: &[u8], part: &str, content: &[u8]) -> Option<Vec<u8>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..zip.len() {
        let file = zip.by_index_raw(index).ok()?;
        if file.name().ok().as_deref() == Some(part) {
            drop(file);
            out.start_file(part, options).ok()?;
            out.write_all(content).ok()?;
        } else {
            out.raw_copy_file(file).ok()?;
        }
    }
    Some(out.finish().ok()?.into_inner())
}

/// A package of the parts `parts`, deflated, in that order.
pub fn package_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options)
            .expect("a part starts in memory");
        zip.write_all(bytes).expect("a part is written to memory");
    }
    zip.finish().expect("a package ends in memory").into_inner()
}

/// The XML `xml` with `damage` done at its `site`-th place (modulo how many
/// there are); `None` when it has no such place.
pub fn damaged(xml: &[u8], damage: Damage, site: usize, byte: u8) -> Option<Vec<u8>> {
    let pick = |places: &[usize]| (!places.is_empty()).then(|| places[site % places.len()]);
    let mut out = xml.to_vec();
    match damage {
        Damage::CutShort => out.truncate(pick(&(0..xml.len()).collect::<Vec<_>>())?),
        Damage::UnclosedAttributeValue => {
            out.remove(pick(&closing_quotes(xml))?);
        }
        Damage::StrayCloseTag => {
            let names = element_names(xml);
            let name = names.get(usize::from(byte) % names.len().max(1))?;
            let at = pick(&tag_ends(xml))?;
            let tag = [b"</".as_slice(), name, b">"].concat();
            out.splice(at..at, tag);
        }
        Damage::MismatchedCloseTag => {
            // `</row>` becomes `</rowq>`: the same name, one letter longer.
            let at = pick(&end_tag_name_ends(xml))?;
            out.insert(at, b'q');
        }
        Damage::UnclosedXmlDeclaration => {
            if !xml.starts_with(b"<?xml") && !xml.starts_with(b"\xEF\xBB\xBF<?xml") {
                return None;
            }
            let end = memchr::memmem::find(xml, b"?>")?;
            out.drain(end..end + 2);
        }
        Damage::ByteChanged => {
            let at = pick(&(0..xml.len()).collect::<Vec<_>>())?;
            out[at] = if xml[at] == byte { byte ^ 0x20 } else { byte };
        }
        Damage::ByteRemoved => {
            out.remove(pick(&(0..xml.len()).collect::<Vec<_>>())?);
        }
        Damage::ByteInserted => out.insert(pick(&(0..=xml.len()).collect::<Vec<_>>())?, byte),
    }
    Some(out)
}

/// Where the quotes that end attribute values are: a quote inside a tag
/// (`<…>`) that closes the one that opened the value.
fn closing_quotes(xml: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    let (mut in_tag, mut open_quote) = (false, None);
    for (at, &b) in xml.iter().enumerate() {
        match (in_tag, open_quote) {
            (true, Some(quote)) if b == quote => {
                found.push(at);
                open_quote = None;
            }
            (true, Some(_)) => {}
            (true, None) if b == b'"' || b == b'\'' => open_quote = Some(b),
            (true, None) if b == b'>' => in_tag = false,
            (false, _) if b == b'<' => in_tag = true,
            _ => {}
        }
    }
    found
}

/// Where a tag ends: the index just after each `>`.
fn tag_ends(xml: &[u8]) -> Vec<usize> {
    memchr::memchr_iter(b'>', xml).map(|at| at + 1).collect()
}

/// Where the name of each end tag (`</name>`) ends.
fn end_tag_name_ends(xml: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(xml, b"</")
        .filter_map(|at| {
            let name = &xml[at + 2..];
            let len = name
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>')?;
            (len > 0).then_some(at + 2 + len)
        })
        .collect()
}

/// The names of the elements of `xml`, each once, in the order they first
/// start.
fn element_names(xml: &[u8]) -> Vec<&[u8]> {
    let mut names: Vec<&[u8]> = Vec::new();
    for at in memchr::memchr_iter(b'<', xml) {
        let rest = &xml[at + 1..];
        if rest.first().is_none_or(|b| !b.is_ascii_alphabetic()) {
            continue;
        }
        let len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            .unwrap_or(rest.len());
        if !names.contains(&&rest[..len]) {
            names.push(&rest[..len]);
        }
    }
    names
}

/// A reproducible stream of random numbers (SplitMix64), for the corpus's
/// mutation runs: a seed gives the same mutations on every machine.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    pub fn seeded(seed: u64) -> Random {
        Random(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (which is not 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A random mutation of one of the damageable parts of `bytes`, or `None`
    /// when it has none.
    pub fn mutation(&mut self, bytes: &[u8]) -> Option<Mutation> {
        let parts = damageable_parts(bytes);
        if parts.is_empty() {
            return None;
        }
        let part = parts[self.below(parts.len())].clone();
        let damage = DAMAGES[self.below(DAMAGES.len())];
        Some(Mutation {
            part,
            damage,
            site: self.next_u64() as usize,
            byte: self.next_u64() as u8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &[u8] = br#"<?xml version="1.0"?><a x="1"><b y='2'/></a>"#;

    fn at(damage: Damage, site: usize) -> String {
        String::from_utf8(damaged(XML, damage, site, 1).unwrap()).unwrap()
    }

    #[test]
    fn each_damage_is_done_where_it_says() {
        assert_eq!(at(Damage::CutShort, 25), r#"<?xml version="1.0"?><a x"#);
        assert_eq!(
            at(Damage::UnclosedAttributeValue, 0),
            r#"<?xml version="1.0?><a x="1"><b y='2'/></a>"#
        );
        assert_eq!(
            at(Damage::UnclosedAttributeValue, 2),
            r#"<?xml version="1.0"?><a x="1"><b y='2/></a>"#
        );
        // Site 1 is after `<a x="1">`, byte 1 the second name, `b`.
        assert_eq!(
            at(Damage::StrayCloseTag, 1),
            r#"<?xml version="1.0"?><a x="1"></b><b y='2'/></a>"#
        );
        assert_eq!(
            at(Damage::MismatchedCloseTag, 0),
            r#"<?xml version="1.0"?><a x="1"><b y='2'/></aq>"#
        );
        assert_eq!(
            at(Damage::UnclosedXmlDeclaration, 0),
            r#"<?xml version="1.0"<a x="1"><b y='2'/></a>"#
        );
        assert!(damaged(b"<a/>", Damage::UnclosedXmlDeclaration, 0, 0).is_none());
        assert_eq!(at(Damage::ByteChanged, 0).as_bytes()[0], 1);
        assert_eq!(at(Damage::ByteRemoved, 0).len(), XML.len() - 1);
        assert_eq!(at(Damage::ByteInserted, XML.len()).as_bytes()[XML.len()], 1);
    }

    #[test]
    fn only_the_part_damaged_changes() {
        let mut writer = rust_xlsxwriter::Workbook::new();
        writer.add_worksheet().write(0, 0, "Polo").unwrap();
        let bytes = writer.save_to_buffer().unwrap();
        let parts = damageable_parts(&bytes);
        assert_eq!(
            parts,
            vec![
                "xl/styles.xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/sharedStrings.xml"
            ]
        );
        let mutation = Mutation {
            part: "xl/sharedStrings.xml".into(),
            damage: Damage::CutShort,
            site: 10,
            byte: 0,
        };
        let mutated = mutate(&bytes, &mutation).unwrap();
        let read = |bytes: &[u8], name: &str| {
            let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        assert_eq!(read(&mutated, "xl/sharedStrings.xml").len(), 10);
        for part in [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
        ] {
            assert_eq!(read(&mutated, part), read(&bytes, part), "{part}");
        }
        let mut random = Random::seeded(7);
        let first = random.mutation(&bytes);
        assert_eq!(Random::seeded(7).mutation(&bytes), first);
        assert!(parts.contains(&first.unwrap().part));
    }
}
