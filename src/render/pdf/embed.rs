//! A face embedded in the file: a Type 0 font with Identity-H encoding over a
//! TrueType CID font whose CIDs are the font's own glyph numbers, the font
//! program cut to the glyphs drawn ([`super::subset`]), their widths, and a
//! `ToUnicode` map so that text can be searched and copied.

use super::file::{number, ObjectId, PdfFile};
use super::subset::subset;
use std::fmt::Write as _;

/// The glyphs of one face drawn in a document: for each glyph number, the
/// character it was first drawn for (`'\0'` when the glyph is not used).
#[derive(Debug, Clone, Default)]
pub(crate) struct GlyphUse {
    chars: Vec<char>,
}

impl GlyphUse {
    /// Records that `glyph` was drawn for `ch`.
    pub(crate) fn record(&mut self, glyph: u16, ch: char) {
        let at = usize::from(glyph);
        if at >= self.chars.len() {
            self.chars.resize(at + 1, '\0');
        }
        if self.chars[at] == '\0' {
            self.chars[at] = ch;
        }
    }

    pub(crate) fn is_used(&self, glyph: u16) -> bool {
        self.chars
            .get(usize::from(glyph))
            .is_some_and(|&c| c != '\0')
    }

    /// The used glyphs, by number, with their characters.
    fn used(&self) -> impl Iterator<Item = (u16, char)> + '_ {
        self.chars
            .iter()
            .enumerate()
            .filter(|(_, &c)| c != '\0')
            .map(|(g, &c)| (g as u16, c))
    }
}

/// What the font dictionaries say of a face, from its tables.
pub(crate) struct FaceFile<'a> {
    /// The PostScript name, e.g. `DejaVuSans-Bold`.
    pub(crate) name: &'a str,
    /// Six capitals naming the subset (`XXXXXX+Name`).
    pub(crate) tag: &'a str,
    pub(crate) program: &'a [u8],
    pub(crate) face: &'a ttf_parser::Face<'a>,
}

/// Writes the objects of `font` with the glyphs of `glyphs` and returns the Type 0
/// font to name in the page resources.
pub(crate) fn embed(
    file: &mut PdfFile,
    font: &FaceFile<'_>,
    glyphs: &GlyphUse,
) -> Result<ObjectId, String> {
    let face = font.face;
    let program = subset(font.program, &|g| glyphs.is_used(g))?;
    let program_id = file.add_stream(&format!("/Length1 {}", program.len()), program);
    let scale = 1000.0 / f32::from(face.units_per_em());
    let scaled = |v: i16| number(f32::from(v) * scale, 0);
    let bbox = face.global_bounding_box();
    let italic_angle = face.italic_angle();
    // Nonsymbolic (Latin text), italic when slanted.
    let flags = 32 | if italic_angle != 0.0 { 64 } else { 0 };
    // No table gives the stem width; estimated from the weight as producers do.
    let stem_v = 50
        + (f32::from(face.weight().to_number()) / 65.0)
            .powi(2)
            .round() as i32;
    let full_name = format!("{}+{}", font.tag, font.name);
    let descriptor = file.add_object(&format!(
        "<< /Type /FontDescriptor /FontName /{full_name} /Flags {flags} \
         /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} \
         /CapHeight {} /StemV {stem_v} /FontFile2 {program_id} >>",
        scaled(bbox.x_min),
        scaled(bbox.y_min),
        scaled(bbox.x_max),
        scaled(bbox.y_max),
        number(italic_angle, 1),
        scaled(face.ascender()),
        scaled(face.descender()),
        scaled(face.capital_height().unwrap_or(face.ascender())),
    ));
    let widths = widths(face, glyphs, scale);
    let cid_font = file.add_object(&format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{full_name} \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
         /FontDescriptor {descriptor} /DW 1000 /W [{widths}] /CIDToGIDMap /Identity >>"
    ));
    let to_unicode = file.add_stream("", to_unicode(glyphs).into_bytes());
    Ok(file.add_object(&format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /{full_name} /Encoding /Identity-H \
         /DescendantFonts [{cid_font}] /ToUnicode {to_unicode} >>"
    )))
}

/// The `/W` array's entries: runs of consecutive glyphs with their widths in
/// thousandths of the font size.
fn widths(face: &ttf_parser::Face<'_>, glyphs: &GlyphUse, scale: f32) -> String {
    let mut out = String::new();
    let mut previous: Option<u16> = None;
    for (glyph, _) in glyphs.used() {
        let advance = face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        let width = number(f32::from(advance) * scale, 0);
        if previous.is_some_and(|p| p + 1 == glyph) {
            let _ = write!(out, " {width}");
        } else {
            if previous.is_some() {
                out.push_str("] ");
            }
            let _ = write!(out, "{glyph} [{width}");
        }
        previous = Some(glyph);
    }
    if previous.is_some() {
        out.push(']');
    }
    out
}

/// A CMap from glyph numbers to the characters drawn with them (ISO 32000-1,
/// 9.10.3), in blocks of at most 100 entries as the format requires.
fn to_unicode(glyphs: &GlyphUse) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let used: Vec<(u16, char)> = glyphs.used().collect();
    for block in used.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for (glyph, ch) in block {
            let mut units = [0u16; 2];
            let hex: String = ch
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(out, "<{glyph:04X}> <{hex}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_group_consecutive_glyphs() {
        let bytes = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/fonts/DejaVuSans.ttf"
        ));
        let face = ttf_parser::Face::parse(bytes, 0).unwrap();
        let mut glyphs = GlyphUse::default();
        for ch in "abcz".chars() {
            let glyph = face.glyph_index(ch).unwrap().0;
            glyphs.record(glyph, ch);
        }
        let scale = 1000.0 / f32::from(face.units_per_em());
        let w = widths(&face, &glyphs, scale);
        let a = face.glyph_index('a').unwrap().0;
        let z = face.glyph_index('z').unwrap().0;
        assert!(w.starts_with(&format!("{a} [613 635 550] {z} [")), "{w}");
    }

    #[test]
    fn the_unicode_map_names_each_glyph_once_with_its_first_character() {
        let mut glyphs = GlyphUse::default();
        glyphs.record(36, 'A');
        glyphs.record(36, 'Α');
        glyphs.record(4000, '𝔸');
        let cmap = to_unicode(&glyphs);
        assert!(
            cmap.contains("2 beginbfchar\n<0024> <0041>\n<0FA0> <D835DD38>\n"),
            "{cmap}"
        );
    }
}
