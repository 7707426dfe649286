//! A TrueType font cut down to the glyphs a document draws, keeping every glyph's
//! number.
//!
//! Pages are written as soon as they are full, before the document's last glyph is
//! known, so their text must use numbers that the subset will still have: the
//! outlines of unused glyphs are emptied (`loca` points at zero-length entries)
//! rather than renumbered. The composite glyphs' components are kept with them.
//! Only the tables a PDF's embedded TrueType program needs are kept (ISO 32000-1,
//! 9.9): `head`, `hhea`, `hmtx`, `maxp`, `loca`, `glyf` and the hinting tables
//! `cvt `, `fpgm` and `prep`.

/// The tables kept, in the order of their tags (the table directory is sorted).
const KEPT: [&[u8; 4]; 9] = [
    b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"prep",
];

/// Composite-glyph component flags (OpenType `glyf` table).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;

/// `font` with the outlines of every glyph for which `used` is false emptied,
/// except `.notdef` and the components of kept composites.
pub(crate) fn subset(font: &[u8], used: &dyn Fn(u16) -> bool) -> Result<Vec<u8>, String> {
    let tables = Tables::read(font)?;
    let head = tables.get(b"head")?;
    let maxp = tables.get(b"maxp")?;
    let loca = tables.get(b"loca")?;
    let glyf = tables.get(b"glyf")?;
    let glyph_count = usize::from(read_u16(maxp, 4)?);
    let long_offsets = read_u16(head, 50)? == 1;
    let offsets = (0..=glyph_count)
        .map(|i| {
            if long_offsets {
                read_u32(loca, i * 4).map(|o| o as usize)
            } else {
                read_u16(loca, i * 2).map(|o| usize::from(o) * 2)
            }
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let outline = |glyph: usize| -> Result<&[u8], String> {
        let (start, end) = (offsets[glyph], offsets[glyph + 1]);
        glyf.get(start..end.max(start))
            .ok_or_else(|| format!("glyph {glyph} lies outside the glyf table"))
    };

    let mut keep = vec![false; glyph_count];
    let mut pending: Vec<usize> = (0..glyph_count)
        .filter(|&g| g == 0 || used(g as u16))
        .collect();
    while let Some(glyph) = pending.pop() {
        if std::mem::replace(&mut keep[glyph], true) {
            continue;
        }
        for component in components(outline(glyph)?)? {
            let component = usize::from(component);
            if component < glyph_count && !keep[component] {
                pending.push(component);
            }
        }
    }

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((glyph_count + 1) * 4);
    for (glyph, kept) in keep.iter().enumerate() {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if *kept {
            new_glyf.extend_from_slice(outline(glyph)?);
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    // Long loca offsets; the whole-font checksum adjustment is set at the end.
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    new_head[8..12].fill(0);

    let mut chosen: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
    for tag in KEPT {
        let data = match tag {
            b"glyf" => std::mem::take(&mut new_glyf),
            b"loca" => std::mem::take(&mut new_loca),
            b"head" => std::mem::take(&mut new_head),
            _ => match tables.find(tag) {
                Some(data) => data.to_vec(),
                None => continue,
            },
        };
        chosen.push((tag, data));
    }
    Ok(write_font(&chosen))
}

/// The glyphs a composite glyph is built from (none for a simple glyph).
fn components(outline: &[u8]) -> Result<Vec<u16>, String> {
    if outline.len() < 10 || read_i16(outline, 0)? >= 0 {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut at = 10;
    loop {
        let flags = read_u16(outline, at)?;
        found.push(read_u16(outline, at + 2)?);
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            return Ok(found);
        }
    }
}

/// The table directory of a TrueType font.
struct Tables<'a> {
    font: &'a [u8],
    records: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Tables<'a> {
    fn read(font: &'a [u8]) -> Result<Tables<'a>, String> {
        if read_u32(font, 0)? != 0x0001_0000 {
            return Err("the font is not a TrueType font with glyf outlines".into());
        }
        let count = usize::from(read_u16(font, 4)?);
        let records = (0..count)
            .map(|i| {
                let at = 12 + i * 16;
                let tag: [u8; 4] = font
                    .get(at..at + 4)
                    .and_then(|t| t.try_into().ok())
                    .ok_or("the font's table directory is cut short")?;
                let offset = read_u32(font, at + 8)? as usize;
                let length = read_u32(font, at + 12)? as usize;
                Ok((tag, offset, length))
            })
            .collect::<Result<_, String>>()?;
        Ok(Tables { font, records })
    }

    fn find(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        let (_, offset, length) = self.records.iter().find(|(t, _, _)| t == tag)?;
        self.font.get(*offset..offset + length)
    }

    fn get(&self, tag: &[u8; 4]) -> Result<&'a [u8], String> {
        self.find(tag).ok_or_else(|| {
            format!(
                "the font has no '{}' table",
                String::from_utf8_lossy(tag).trim_end()
            )
        })
    }
}

/// A font file of `tables` (sorted by tag), each 4-byte aligned with its checksum,
/// and `head`'s checksum adjustment set.
fn write_font(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let entry_selector = 15 - count.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for value in [
        count,
        search_range,
        entry_selector,
        count * 16 - search_range,
    ] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    let mut offset = 12 + tables.len() * 16;
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The TrueType checksum: the sum of the big-endian 32-bit words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn read_u16(data: &[u8], at: usize) -> Result<u16, String> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| "the font is cut short".to_string())
}

fn read_i16(data: &[u8], at: usize) -> Result<i16, String> {
    read_u16(data, at).map(|v| v as i16)
}

fn read_u32(data: &[u8], at: usize) -> Result<u32, String> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "the font is cut short".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEJAVU: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/fonts/DejaVuSans.ttf"
    ));

    fn glyph(face: &ttf_parser::Face<'_>, ch: char) -> ttf_parser::GlyphId {
        face.glyph_index(ch).unwrap()
    }

    struct Bounds;
    impl ttf_parser::OutlineBuilder for Bounds {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }

    #[test]
    fn used_glyphs_keep_their_numbers_and_outlines_and_the_rest_are_emptied() {
        let original = ttf_parser::Face::parse(DEJAVU, 0).unwrap();
        let used: Vec<u16> = "Mobilità €"
            .chars()
            .map(|c| glyph(&original, c).0)
            .collect();
        let bytes = subset(DEJAVU, &|g| used.contains(&g)).unwrap();
        assert!(bytes.len() < DEJAVU.len() / 4, "{} bytes", bytes.len());
        let cut = ttf_parser::Face::parse(&bytes, 0).unwrap();
        assert_eq!(cut.number_of_glyphs(), original.number_of_glyphs());
        for ch in "Mobilt€".chars() {
            let id = glyph(&original, ch);
            assert_eq!(
                cut.outline_glyph(id, &mut Bounds),
                original.outline_glyph(id, &mut Bounds),
                "{ch}"
            );
            assert_eq!(cut.glyph_hor_advance(id), original.glyph_hor_advance(id));
        }
        let unused = glyph(&original, 'Z');
        assert!(original.outline_glyph(unused, &mut Bounds).is_some());
        assert!(cut.outline_glyph(unused, &mut Bounds).is_none());
        assert!(cut
            .outline_glyph(ttf_parser::GlyphId(0), &mut Bounds)
            .is_some());
    }

    #[test]
    fn a_composite_glyph_keeps_its_components() {
        let original = ttf_parser::Face::parse(DEJAVU, 0).unwrap();
        // Find a composite among the accented letters and check its parts survive.
        let composite = "àèéìòùÀÈÉÒ"
            .chars()
            .map(|c| glyph(&original, c))
            .find(|id| {
                let tables = Tables::read(DEJAVU).unwrap();
                let head = tables.get(b"head").unwrap();
                let loca = tables.get(b"loca").unwrap();
                let glyf = tables.get(b"glyf").unwrap();
                let long = read_u16(head, 50).unwrap() == 1;
                let at = |i: usize| {
                    if long {
                        read_u32(loca, i * 4).unwrap() as usize
                    } else {
                        usize::from(read_u16(loca, i * 2).unwrap()) * 2
                    }
                };
                let outline = &glyf[at(id.0 as usize)..at(id.0 as usize + 1)];
                !components(outline).unwrap().is_empty()
            })
            .expect("DejaVu Sans builds some accented letters from parts");
        let bytes = subset(DEJAVU, &|g| g == composite.0).unwrap();
        let cut = ttf_parser::Face::parse(&bytes, 0).unwrap();
        assert_eq!(
            cut.outline_glyph(composite, &mut Bounds),
            original.outline_glyph(composite, &mut Bounds)
        );
    }

    #[test]
    fn the_checksums_add_up() {
        let bytes = subset(DEJAVU, &|g| g < 100).unwrap();
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA);
        let tables = Tables::read(&bytes).unwrap();
        for (tag, offset, length) in &tables.records {
            if tag != b"head" {
                let stored = read_u32(
                    &bytes,
                    12 + 16 * tables.records.iter().position(|r| r.0 == *tag).unwrap() + 4,
                )
                .unwrap();
                assert_eq!(stored, checksum(&bytes[*offset..offset + length]));
            }
        }
    }

    #[test]
    fn a_font_that_is_not_truetype_is_refused() {
        assert!(subset(b"OTTO\0\0\0\0", &|_| true).is_err());
        assert!(subset(b"", &|_| true).is_err());
    }
}
