//! The embedded DejaVu Sans faces (regular and bold): glyph coverage, text width
//! from the glyph advances, line wrapping and ellipsis cutting.
//!
//! The same font files are embedded (subset) in the document, so what is measured
//! here is what the viewer draws. The fonts' licence is
//! `assets/fonts/LICENSE-DejaVu.txt`.

use super::style::{TextStyle, Weight};
use crate::render::RenderError;
use std::borrow::Cow;
use std::sync::OnceLock;

const FORMAT: &str = "PDF";
/// Characters after which an over-long word (a path, a digest) is best broken.
const BREAK_AFTER: [char; 9] = ['/', '\\', '-', '_', '.', ':', ';', ',', '–'];

const REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
const BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));
/// The faces' resource names in the pages, and the tags of their subsets (six
/// capitals, `DJVREG+DejaVuSans`: printpdf takes the tag from the name).
const REGULAR_ID: &str = "DJVREG";
const BOLD_ID: &str = "DJVBLD";
/// Drawn in place of a character the font lacks.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// The resource name of the face of `weight` in the document.
pub(crate) fn font_id(weight: Weight) -> &'static str {
    match weight {
        Weight::Regular => REGULAR_ID,
        Weight::Bold => BOLD_ID,
    }
}

/// Advances of the characters below this code point are looked up once, when the
/// face is loaded: Latin, Greek, Cyrillic, punctuation, `€` and the arrows cover
/// nearly every character a report draws, and a table lookup is far cheaper than
/// the font's character map.
const CACHED_CHARS: usize = 0x2200;

/// One face: its file and its metrics for measuring.
struct Face {
    program: &'static [u8],
    metrics: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The advance in font units of every character below [`CACHED_CHARS`] that
    /// the face has a glyph for.
    advances: Vec<Option<f32>>,
    /// The advance of `.notdef`, drawn for a character the face lacks.
    notdef_advance: f32,
}

impl Face {
    fn load(file: &str, program: &'static [u8]) -> Result<Face, String> {
        let metrics = ttf_parser::Face::parse(program, 0)
            .map_err(|e| format!("the embedded font {file} cannot be read ({e})."))?;
        let units_per_em = f32::from(metrics.units_per_em());
        let chars = || (0..CACHED_CHARS).map(|code| char::from_u32(code as u32));
        let advances = chars()
            .map(|ch| ch.and_then(|ch| font_advance(&metrics, ch)))
            .collect();
        let notdef_advance = glyph_advance(&metrics, ttf_parser::GlyphId(0));
        Ok(Face {
            program,
            metrics,
            units_per_em,
            advances,
            notdef_advance,
        })
    }

    fn has_glyph(&self, ch: char) -> bool {
        match self.advances.get(ch as usize) {
            Some(advance) => advance.is_some(),
            None => self.metrics.glyph_index(ch).is_some(),
        }
    }

    /// `units` of this face set in `style`, in millimetres.
    fn millimetres(&self, units: f32, style: TextStyle) -> f32 {
        units / self.units_per_em * style.size_mm()
    }

    /// `start` plus the advances of `text`, summed from its first character to
    /// its last, in font units: a line's width as it grows, word by word.
    fn advances(&self, start: f32, text: &str) -> f32 {
        text.chars().fold(start, |sum, ch| sum + self.advance(ch))
    }

    /// The advance of `ch` in font units (the `.notdef` advance when it is missing).
    fn advance(&self, ch: char) -> f32 {
        let advance = match self.advances.get(ch as usize) {
            Some(advance) => *advance,
            None => font_advance(&self.metrics, ch),
        };
        advance.unwrap_or(self.notdef_advance)
    }
}

/// The advance of `ch` in `face` in font units, if the face has a glyph for it.
fn font_advance(face: &ttf_parser::Face<'_>, ch: char) -> Option<f32> {
    face.glyph_index(ch).map(|glyph| glyph_advance(face, glyph))
}

fn glyph_advance(face: &ttf_parser::Face<'_>, glyph: ttf_parser::GlyphId) -> f32 {
    f32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
}

/// The two embedded faces, parsed once per process.
pub(crate) struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The embedded fonts, parsed on first use.
pub(crate) fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS
        .get_or_init(Fonts::load)
        .as_ref()
        .map_err(|message| RenderError::new(FORMAT, message))
}

impl Fonts {
    fn load() -> Result<Fonts, String> {
        Ok(Fonts {
            regular: Face::load("DejaVuSans.ttf", REGULAR_TTF)?,
            bold: Face::load("DejaVuSans-Bold.ttf", BOLD_TTF)?,
        })
    }

    /// The font file of the face of `weight`, for printpdf to embed.
    pub(super) fn program(&self, weight: Weight) -> &'static [u8] {
        self.face(weight).program
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Whether the face of `weight` can draw `ch`.
    pub(crate) fn has_glyph(&self, ch: char, weight: Weight) -> bool {
        self.face(weight).has_glyph(ch)
    }

    /// The width of `text` set in `style`, in millimetres.
    pub(crate) fn width(&self, text: &str, style: TextStyle) -> f32 {
        let face = self.face(style.weight);
        let units: f32 = text.chars().map(|ch| face.advance(ch)).sum();
        face.millimetres(units, style)
    }

    /// The width of the widest piece of `text` that wrapping keeps whole: a word,
    /// or the part of one up to and including a [`BREAK_AFTER`] mark. One pass
    /// over the characters, each piece summed as [`Fonts::width`] sums it.
    pub(crate) fn widest_piece(&self, text: &str, style: TextStyle) -> f32 {
        let face = self.face(style.weight);
        let (mut widest, mut piece): (f32, f32) = (0.0, 0.0);
        for ch in text.chars() {
            if ch.is_whitespace() {
                widest = widest.max(piece);
                piece = 0.0;
                continue;
            }
            piece += face.advance(ch);
            if BREAK_AFTER.contains(&ch) {
                widest = widest.max(piece);
                piece = 0.0;
            }
        }
        face.millimetres(widest.max(piece), style)
    }

    /// Breaks `text` into lines no wider than `width` millimetres: at spaces where
    /// possible, inside a word (preferably after `/`, `-`, `_`, `.`) when the word
    /// alone is too wide. Newlines in `text` start a new line. Every line fits unless
    /// `width` is narrower than a single character.
    ///
    /// A line that is a whole paragraph of `text` as it stands is borrowed from it.
    pub(crate) fn wrap<'t>(
        &self,
        text: &'t str,
        style: TextStyle,
        width: f32,
    ) -> Vec<Cow<'t, str>> {
        let mut lines = Vec::with_capacity(1);
        for paragraph in text.split('\n') {
            self.wrap_paragraph(paragraph, style, width, &mut lines);
        }
        lines
    }

    /// [`Fonts::wrap`], each line a string of its own.
    pub(crate) fn wrap_owned(&self, text: &str, style: TextStyle, width: f32) -> Vec<String> {
        let lines = self.wrap(text, style, width);
        lines.into_iter().map(Cow::into_owned).collect()
    }

    fn wrap_paragraph<'t>(
        &self,
        paragraph: &'t str,
        style: TextStyle,
        width: f32,
        lines: &mut Vec<Cow<'t, str>>,
    ) {
        let first = lines.len();
        if !self.wrap_single_spaced(paragraph, style, width, lines) {
            lines.truncate(first);
            self.wrap_respaced(paragraph, style, width, lines);
        }
    }

    /// Wraps a paragraph of words one space apart, with no space before or after
    /// them, measuring each character once: its lines are then slices of it,
    /// borrowed. `false` (with lines pushed that the caller drops) when the
    /// paragraph is not spaced so, for [`Fonts::wrap_respaced`].
    ///
    /// Lines break exactly where `wrap_respaced` breaks them: a line's advances
    /// are summed as it grows, in the order `width` sums them.
    fn wrap_single_spaced<'t>(
        &self,
        paragraph: &'t str,
        style: TextStyle,
        width: f32,
        lines: &mut Vec<Cow<'t, str>>,
    ) -> bool {
        let face = self.face(style.weight);
        let fits = |units: f32| face.millimetres(units, style) <= width;
        let space = face.advance(' ');
        let first = lines.len();
        // The line being filled, as a range of the paragraph, and its advances.
        let (mut start, mut end, mut line_units) = (0, 0, 0.0);
        let mut word_start = 0;
        for word in paragraph.split(' ') {
            let (word_at, word_end) = (word_start, word_start + word.len());
            word_start = word_end + 1;
            let line_empty = start == end;
            if word.is_empty() || word.contains(char::is_whitespace) {
                return false;
            }
            let candidate = face.advances(if line_empty { 0.0 } else { line_units + space }, word);
            if fits(candidate) {
                if line_empty {
                    start = word_at;
                }
                (end, line_units) = (word_end, candidate);
                continue;
            }
            if !line_empty {
                lines.push(Cow::Borrowed(&paragraph[start..end]));
            }
            let rest = self.break_long_word(word, style, width, lines);
            (start, end) = (word_end - rest.len(), word_end);
            line_units = face.advances(0.0, rest);
        }
        if start != end || lines.len() == first {
            lines.push(Cow::Borrowed(&paragraph[start..end]));
        }
        true
    }

    /// Wraps any paragraph: words are taken apart at any run of whitespace and
    /// the lines made of them one space apart.
    fn wrap_respaced<'t>(
        &self,
        paragraph: &'t str,
        style: TextStyle,
        width: f32,
        lines: &mut Vec<Cow<'t, str>>,
    ) {
        // The line's advances are summed as it grows, in the order `width` sums
        // them, so that each candidate is measured once and exactly as before.
        let face = self.face(style.weight);
        let fits = |units: f32| face.millimetres(units, style) <= width;
        let first = lines.len();
        let mut line = String::new();
        let mut line_units = 0.0;
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                face.advances(0.0, word)
            } else {
                face.advances(line_units + face.advance(' '), word)
            };
            if fits(candidate) {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_units = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(Cow::Owned(std::mem::take(&mut line)));
            }
            let rest = self.break_long_word(word, style, width, lines);
            line = rest.to_string();
            line_units = face.advances(0.0, rest);
        }
        if !line.is_empty() || lines.len() == first {
            lines.push(Cow::Owned(line));
        }
    }

    /// Pushes the heads of `word` that fit `width` while the word is wider than
    /// that, and returns the rest (all of it when it fits). Each head is the
    /// longest that fits (at least one character), cut after the last
    /// [`BREAK_AFTER`] mark in it when there is one.
    ///
    /// One pass over the word: each character is added to the head once, and
    /// only what follows a head's last mark (which fitted with it) is measured
    /// again for the next head, so a word of a million characters takes as long
    /// as a million characters of words.
    fn break_long_word<'t>(
        &self,
        word: &'t str,
        style: TextStyle,
        width: f32,
        lines: &mut Vec<Cow<'t, str>>,
    ) -> &'t str {
        let face = self.face(style.weight);
        let fits = |units: f32| face.millimetres(units, style) <= width;
        // The head being filled, `word[start..at]`, its advances summed from its
        // first character, and the end of its last mark.
        let (mut start, mut units, mut after_mark) = (0, 0.0, None);
        for (at, ch) in word.char_indices() {
            let advance = face.advance(ch);
            while at > start && !fits(units + advance) {
                let end = after_mark.unwrap_or(at);
                lines.push(Cow::Borrowed(&word[start..end]));
                (start, after_mark) = (end, None);
                units = face.advances(0.0, &word[start..at]);
            }
            units += advance;
            if BREAK_AFTER.contains(&ch) {
                after_mark = Some(at + ch.len_utf8());
            }
        }
        &word[start..]
    }

    /// `text` cut with an ellipsis so that it fits `width`: its longest head
    /// that fits with the ellipsis after it, found in one pass.
    pub(crate) fn fit(&self, text: &str, style: TextStyle, width: f32) -> String {
        if self.width(text, style) <= width {
            return text.to_string();
        }
        let face = self.face(style.weight);
        let fits = |units: f32| face.millimetres(units, style) <= width;
        let (ellipsis, mut units, mut end) = (face.advance('…'), 0.0, 0);
        for (at, ch) in text.char_indices() {
            units += face.advance(ch);
            if !fits(units + ellipsis) {
                break;
            }
            end = at + ch.len_utf8();
        }
        format!("{}…", text[..end].trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::style::Ink;

    #[test]
    fn wrapping_never_exceeds_the_width() {
        let fonts = fonts().unwrap();
        let texts = [
            "Piano di Consolidamento Cluster Lombardo Scienze della vita, con partner di cinque province",
            "inputs/progetti/2026/novembre/Cluster_Lombardo_Scienze_della_vita_versione_definitiva.xlsx",
            &"ab".repeat(32),
            "Łódź–Brønnøysund Зеленый коридор and a verylongwordwithoutanybreakopportunitiesatall",
            "Member 03456789012 appears again in cluster Mobilità (first at row 12); counted once.",
        ];
        for style in [
            TextStyle::body(),
            TextStyle::new(7.5, Weight::Bold, Ink::Text),
        ] {
            for width in [6.0, 12.5, 20.0, 33.3, 57.0, 100.0] {
                for text in texts {
                    let lines = fonts.wrap(text, style, width);
                    for line in &lines {
                        let w = fonts.width(line, style);
                        assert!(w <= width + 1e-4, "{line:?} is {w} mm wide in {width} mm");
                    }
                    let kept: String = lines.concat().split_whitespace().collect();
                    let given: String = text.split_whitespace().collect();
                    assert_eq!(kept, given, "wrapping must not lose or add characters");
                }
            }
        }
    }

    #[test]
    fn long_words_break_after_punctuation_and_newlines_start_lines() {
        let fonts = fonts().unwrap();
        let style = TextStyle::body();
        let path = "inputs/progetti/consolidamento_definitivo.xlsx";
        let width = fonts.width("inputs/progetti/consolid", style);
        let lines = fonts.wrap(path, style, width);
        assert_eq!(lines[0], "inputs/progetti/");
        assert_eq!(fonts.wrap("one\ntwo", style, 100.0), vec!["one", "two"]);
        assert_eq!(fonts.wrap("", style, 100.0), vec![""]);
    }

    /// The heads of `word` as defined: each the longest that fits `width` (at
    /// least one character), cut after its last [`BREAK_AFTER`] mark if it has
    /// one, every head measured whole; the rest, which fits, last.
    fn heads_by_definition(fonts: &Fonts, word: &str, style: TextStyle, width: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut rest = word;
        while fonts.width(rest, style) > width {
            let starts: Vec<usize> = rest.char_indices().map(|(at, _)| at).collect();
            let fitting = starts[1..]
                .iter()
                .take_while(|&&end| fonts.width(&rest[..end], style) <= width)
                .last()
                .copied()
                .unwrap_or(starts.get(1).copied().unwrap_or(rest.len()));
            let head = &rest[..fitting];
            let end = head
                .char_indices()
                .filter(|(_, ch)| BREAK_AFTER.contains(ch))
                .map(|(at, ch)| at + ch.len_utf8())
                .next_back()
                .unwrap_or(fitting);
            pieces.push(rest[..end].to_string());
            rest = &rest[end..];
        }
        pieces.push(rest.to_string());
        pieces
    }

    #[test]
    fn a_long_unbroken_word_is_broken_into_the_longest_heads_that_fit() {
        let fonts = fonts().unwrap();
        let style = TextStyle::body();
        // DejaVu's digits are equally wide: seven to a line.
        let digits = "0123456789".repeat(3);
        let width = fonts.width("0123456", style);
        assert_eq!(
            fonts.wrap(&digits, style, width),
            vec!["0123456", "7890123", "4567890", "1234567", "89"]
        );
        // After the last mark that fits, and at least a character when none does.
        let marked = "0123-4567/8901234567";
        assert_eq!(
            fonts.wrap(marked, style, width),
            vec!["0123-", "4567/", "8901234", "567"]
        );
        let narrow = fonts.width("0", style) / 2.0;
        assert_eq!(fonts.wrap("012", style, narrow), vec!["0", "1", "2"]);
        let words = [
            "inputs/progetti/2026/novembre/Cluster_Lombardo_Scienze_della_vita.xlsx",
            "Łódź–Brønnøysund–Зеленый–коридор–verylongwordwithoutanybreak",
            &"ab".repeat(40),
            "–––...///",
        ];
        for style in [TextStyle::body(), TextStyle::body().bold()] {
            for word in words {
                for tenth_mm in (5..=400).step_by(13) {
                    let width = tenth_mm as f32 / 10.0;
                    // A last character too wide for the line is a head of its own.
                    let mut expected = heads_by_definition(fonts, word, style, width);
                    expected.retain(|piece| !piece.is_empty());
                    assert_eq!(
                        fonts.wrap(word, style, width),
                        expected,
                        "{word:?} in {width} mm"
                    );
                }
            }
        }
    }

    #[test]
    fn a_word_of_a_million_characters_is_broken_in_one_pass() {
        let fonts = fonts().unwrap();
        let style = TextStyle::new(7.0, Weight::Regular, Ink::Text);
        let word = "0123456789".repeat(100_000);
        let width = fonts.width("0123456789", style);
        let lines = fonts.wrap(&word, style, width);
        assert_eq!(lines.len(), 100_000);
        assert!(lines.iter().all(|line| line == "0123456789"));
        let cut = fonts.fit(&word, style, width);
        let kept = cut.strip_suffix('…').expect("an ellipsis");
        assert!(word.starts_with(kept), "{cut}");
        assert!(fonts.width(&cut, style) <= width, "{cut}");
        let one_more = format!("{}…", &word[..kept.len() + 1]);
        assert!(fonts.width(&one_more, style) > width, "{cut}");
    }

    #[test]
    fn a_line_that_fits_as_it_stands_is_borrowed_and_others_are_respaced() {
        let fonts = fonts().unwrap();
        let style = TextStyle::body();
        let is_borrowed = |line: &Cow<'_, str>| matches!(line, Cow::Borrowed(_));
        let lines = fonts.wrap("P-0001\nLinea pilota", style, 100.0);
        assert_eq!(lines, vec!["P-0001", "Linea pilota"]);
        assert!(lines.iter().all(is_borrowed));
        // Spaces before, after or between words are set as one space between them.
        for text in [
            "Linea  pilota",
            " Linea pilota",
            "Linea pilota ",
            "Linea\tpilota",
        ] {
            let lines = fonts.wrap(text, style, 100.0);
            assert_eq!(lines, vec!["Linea pilota"], "{text:?}");
        }
        // The one pass over a line measures it exactly as the word-by-word one:
        // a line exactly as wide as the room fits either way.
        let text = "una riga lunga esattamente quanto lo spazio";
        let width = fonts.width(text, style);
        assert_eq!(fonts.wrap(text, style, width), vec![text]);
        assert_eq!(fonts.wrap(&format!("{text} "), style, width), vec![text]);
        assert_eq!(fonts.wrap(text, style, width - 0.01).len(), 2);
    }

    #[test]
    fn the_widest_piece_is_the_widest_word_or_part_of_one_up_to_a_break() {
        let fonts = fonts().unwrap();
        let pieces = |text: &str, style: TextStyle| -> f32 {
            text.split_whitespace()
                .flat_map(|word| word.split_inclusive(|ch| BREAK_AFTER.contains(&ch)))
                .map(|piece| fonts.width(piece, style))
                .fold(0.0, f32::max)
        };
        for style in [TextStyle::body(), TextStyle::body().bold()] {
            for text in [
                "",
                "   ",
                "Intelligenza artificiale per i sistemi aerospaziali leggeri",
                "E45B23005555745\nMobilità sostenibile",
                "https://www.example.org/una/risorsa; a-b_c. d,e",
                "–––  ..",
                "Łódź Brønnøysund Straße\tΑθήνα",
            ] {
                assert_eq!(
                    fonts.widest_piece(text, style),
                    pieces(text, style),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn single_spaced_paragraphs_break_where_respacing_breaks_them_and_are_borrowed() {
        let fonts = fonts().unwrap();
        let paragraphs = [
            "Intelligenza artificiale per i sistemi aerospaziali leggeri",
            "Piano di Consolidamento Cluster Lombardo Scienze della vita, con partner",
            "https://www.example.org/una/risorsa/molto/lunga/senza/spazi e poi parole",
            "Łódź Brønnøysund Straße Αθήνα „Ветрен“ №26А",
            "x",
            "supercalifragilistichespiralidoso",
        ];
        for style in [TextStyle::body(), TextStyle::body().bold()] {
            for paragraph in paragraphs {
                for tenth_mm in (20..=1200).step_by(7) {
                    let width = tenth_mm as f32 / 10.0;
                    let mut single = Vec::new();
                    assert!(fonts.wrap_single_spaced(paragraph, style, width, &mut single));
                    let mut respaced = Vec::new();
                    fonts.wrap_respaced(paragraph, style, width, &mut respaced);
                    assert_eq!(single, respaced, "{paragraph:?} in {width} mm");
                    assert!(single.iter().all(|l| matches!(l, Cow::Borrowed(_))));
                }
            }
        }
        // Other spacing is left to respacing.
        for paragraph in ["", " a", "a ", "a  b", "a\tb", "a\u{a0}b"] {
            let mut lines = Vec::new();
            let single = fonts.wrap_single_spaced(paragraph, TextStyle::body(), 50.0, &mut lines);
            assert!(!single, "{paragraph:?}");
        }
    }

    #[test]
    fn the_fonts_draw_the_scripts_of_european_exports() {
        let fonts = fonts().unwrap();
        // Polish, Norwegian, German, Turkish, Czech, Hungarian, Romanian, Greek and
        // the Cyrillic of a Bulgarian structural-funds export, with its „quotes“ and №.
        let text = "Łódź Brønnøysund Straße İzmir Čeňek Győr Şiria Ţară Αθήνα \
                    „Ветрен“ ул. „Китен“ №26А ЖЪЮЯ жъюя";
        for weight in [Weight::Regular, Weight::Bold] {
            let missing: Vec<char> = text
                .chars()
                .filter(|ch| !ch.is_whitespace() && !fonts.has_glyph(*ch, weight))
                .collect();
            assert!(missing.is_empty(), "{weight:?} lacks {missing:?}");
        }
        assert!(!fonts.has_glyph('漢', Weight::Regular));
    }

    #[test]
    fn width_adds_the_glyph_advances() {
        let fonts = fonts().unwrap();
        let style = TextStyle::body();
        let one = fonts.width("0", style);
        assert!((fonts.width("0000", style) - 4.0 * one).abs() < 1e-4);
        assert!(fonts.width("W", style) > fonts.width("i", style));
        assert!(fonts.width("W", style.bold()) > fonts.width("W", style));
        assert!((fonts.fit("Mobilità", style, 100.0)) == "Mobilità");
        let cut = fonts.fit("Tecnologie per gli ambienti di vita", style, 20.0);
        assert!(
            cut.ends_with('…') && fonts.width(&cut, style) <= 20.0,
            "{cut}"
        );
    }
}
