//! Excel's limits, applied to everything the workbook takes from labels or from the
//! inputs: sheet names (31 characters, none of `[]:*?/\`, no apostrophe at either
//! end, unique whatever the case, not `History`), table names (letters, digits,
//! `_` and `.`, not starting with a digit), cell text (32,767 characters) and the
//! print header (255 characters, `&` doubled).
//!
//! Each function returns a value Excel accepts as it is, so a hostile or merely
//! long input can never make the workbook unreadable or the renderer fail.

/// The longest sheet name Excel accepts, in UTF-16 code units.
pub(crate) const MAX_SHEET_NAME: usize = 31;
/// The longest text a cell holds, in UTF-16 code units.
pub(crate) const MAX_CELL_TEXT: usize = 32_767;
/// The longest print header or footer, in UTF-16 code units.
pub(crate) const MAX_HEADER_FOOTER: usize = 255;
/// What ends a text that was cut to fit.
const ELLIPSIS: char = '…';

/// The names given to the sheets of one workbook so far, to keep new ones unique.
#[derive(Debug, Default)]
pub(crate) struct SheetNames {
    taken: Vec<String>,
}

impl SheetNames {
    /// A valid sheet name as close to `wanted` as Excel allows, different from every
    /// name claimed before it (` (2)`, ` (3)`… are added to repeats).
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let base = sheet_name(wanted);
        let mut name = base.clone();
        let mut n = 2;
        while self.is_taken(&name) {
            let suffix = format!(" ({n})");
            let room = MAX_SHEET_NAME - suffix.len();
            name = format!(
                "{}{suffix}",
                cut(&base, room).trim_end().trim_end_matches('\'')
            );
            n += 1;
        }
        self.taken.push(name.to_lowercase());
        name
    }

    fn is_taken(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        self.taken.contains(&lower) || lower == "history"
    }
}

/// `wanted` made into a valid sheet name: forbidden characters become `_`, it is
/// cut to 31 characters, apostrophes at either end are dropped; an empty result
/// becomes `Sheet`.
fn sheet_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = replaced.trim().trim_matches('\'');
    let name = cut(trimmed, MAX_SHEET_NAME);
    let name = name.trim_end().trim_end_matches('\'');
    if name.is_empty() {
        "Sheet".to_string()
    } else {
        name.to_string()
    }
}

/// A table name from a sheet name: every character that is not a letter, a digit,
/// `_` or `.` becomes `_`, and a name that does not start with a letter or `_` gets
/// one in front. Excel also refuses names that look like cells (`A1`, `R1C1`), so
/// the name is prefixed with `T_` when it is short enough to be one.
pub(crate) fn table_name(sheet: &str) -> String {
    let mut name: String = sheet
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if !starts_well || name.chars().count() <= 7 {
        name.insert_str(0, "T_");
    }
    cut(&name, 255)
}

/// Text for a cell: cut to Excel's 32,767 characters, ending with `…` when cut.
pub(crate) fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    // A character takes at least as many UTF-8 bytes as UTF-16 units, so text of
    // few bytes needs no counting.
    if text.len() <= MAX_CELL_TEXT || utf16_len(text) <= MAX_CELL_TEXT {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cut = cut(text, MAX_CELL_TEXT - 1);
    cut.push(ELLIPSIS);
    std::borrow::Cow::Owned(cut)
}

/// Text for a print header or footer: `&` doubled (it starts a code there), then
/// cut so that the whole header, `fixed` codes included, stays within 255.
pub(crate) fn header_text(text: &str, fixed: usize) -> String {
    let room = MAX_HEADER_FOOTER.saturating_sub(fixed);
    let (mut out, mut used) = (String::new(), 0);
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_control()) {
        let piece: &str = if c == '&' {
            "&&"
        } else {
            c.encode_utf8(&mut buf)
        };
        used += utf16_len(piece);
        if used > room {
            break;
        }
        out.push_str(piece);
    }
    out
}

/// The length Excel counts: UTF-16 code units.
pub(crate) fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The longest prefix of `text` within `units` UTF-16 code units.
fn cut(text: &str, units: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= units
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{utility::check_sheet_name, Table, Workbook};

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut names = SheetNames::default();
        let hostile = [
            "Soci per categoria",
            "soci PER categoria",
            "'Progetti: [2026/11]?'",
            "A name far longer than the thirty-one characters Excel allows",
            "A name far longer than the thirty-one characters Excel allows",
            "",
            "   ",
            "History",
            "Ünïcödé 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "tab\there",
        ];
        let claimed: Vec<String> = hostile.iter().map(|n| names.claim(n)).collect();
        for name in &claimed {
            check_sheet_name(name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        }
        let mut lower: Vec<String> = claimed.iter().map(|n| n.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), claimed.len(), "{claimed:?}");
        assert_eq!(claimed[0], "Soci per categoria");
        assert_eq!(claimed[1], "soci PER categoria (2)");
        assert_eq!(claimed[2], "Progetti_ _2026_11__");
        assert_eq!(claimed[3], "A name far longer than the thir");
        assert_eq!(claimed[4], "A name far longer than the (2)");
        assert_eq!(claimed[5], "Sheet");
        assert_eq!(claimed[6], "Sheet (2)");
        assert_eq!(claimed[7], "History (2)");
    }

    #[test]
    fn the_workbook_accepts_every_claimed_name() {
        let mut names = SheetNames::default();
        let mut workbook = Workbook::new();
        for wanted in ["x", "X", "'quoted'", "a/b\\c", &"é".repeat(40)] {
            let name = names.claim(wanted);
            workbook
                .add_worksheet()
                .set_name(&name)
                .unwrap_or_else(|e| panic!("{name:?}: {e}"));
            let table = Table::new().set_name(table_name(&name));
            let ws = workbook.worksheet_from_name(&name).unwrap();
            ws.write(1, 0, 1).unwrap();
            ws.add_table(0, 0, 1, 0, &table)
                .unwrap_or_else(|e| panic!("table of {name:?}: {e}"));
        }
        workbook.save_to_buffer().unwrap();
    }

    #[test]
    fn table_names_follow_excel_rules() {
        assert_eq!(table_name("Soci per categoria"), "Soci_per_categoria");
        assert_eq!(
            table_name("Controllo finanziamenti"),
            "Controllo_finanziamenti"
        );
        assert_eq!(table_name("Fonti"), "T_Fonti");
        assert_eq!(table_name("2026 bandi"), "T_2026_bandi");
        assert_eq!(table_name("R1C1"), "T_R1C1");
    }

    #[test]
    fn long_cell_text_is_cut_with_an_ellipsis() {
        let short = "Piano di Consolidamento";
        assert_eq!(cell_text(short), short);
        let long = "x".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(utf16_len(&cut), MAX_CELL_TEXT);
        assert!(cut.ends_with('…'));
        let wide = "𝔘".repeat(20_000);
        assert!(utf16_len(&cell_text(&wide)) <= MAX_CELL_TEXT);
    }

    #[test]
    fn header_text_doubles_ampersands_and_fits() {
        assert_eq!(header_text("R&D – CTL", 10), "R&&D – CTL");
        let long = "&".repeat(300);
        let text = header_text(&long, 20);
        assert_eq!(
            utf16_len(&text),
            234,
            "an ampersand is never split from its double"
        );
    }
}
