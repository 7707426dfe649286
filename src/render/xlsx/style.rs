//! The workbook's look: number formats, cell formats and the formats conditional
//! formatting applies, built once per workbook.
//!
//! Amounts are `#,##0.00 "€"` and ratios `0.00%`: Excel shows them with the
//! reader's own separators (`158.500,00 €` in an Italian Excel), while the cell
//! keeps the exact number.

use crate::labels::Lang;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline};

/// Euro amounts: two decimals, grouped thousands, the euro sign after a space.
pub(crate) const AMOUNT_FORMAT: &str = "#,##0.00 \"€\"";
/// Ratios: a percent with two decimals.
pub(crate) const RATIO_FORMAT: &str = "0.00%";
/// Euro amounts on a chart axis, without cents.
pub(crate) const AXIS_AMOUNT_FORMAT: &str = "#,##0 \"€\"";

const HEADER_FILL: u32 = 0xD9E1F2;
const TOTAL_FILL: u32 = 0xF2F2F2;
const ALERT_FILL: u32 = 0xFFC7CE;
const ALERT_FONT: u32 = 0x9C0006;
const CAUTION_FILL: u32 = 0xFFEB9C;
const CAUTION_FONT: u32 = 0x9C5700;
const GOOD_FILL: u32 = 0xC6EFCE;
const GOOD_FONT: u32 = 0x006100;
const MUTED_FILL: u32 = 0xEDEDED;
const MUTED_FONT: u32 = 0x595959;
const LINK_FONT: u32 = 0x0563C1;

/// What a cell holds, which decides its number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Text,
    Count,
    /// A plain integer such as a row number: no grouping.
    Number,
    Amount,
    Ratio,
    /// A cap: a percent that keeps up to four decimals when it has them.
    Cap,
    /// A date in a table column, centred.
    Date,
    /// A date among the summary's figures, right-aligned like them.
    DateFigure,
    /// A month among the summary's figures (`novembre 2026`).
    Month,
    /// A month in a table column (`nov 2026`), centred.
    MonthCell,
    /// A number that may have up to four decimals (an expected count):
    /// grouped thousands, one decimal at least.
    Decimal,
}

const KINDS: [Kind; 11] = [
    Kind::Text,
    Kind::Count,
    Kind::Number,
    Kind::Amount,
    Kind::Ratio,
    Kind::Cap,
    Kind::Date,
    Kind::DateFigure,
    Kind::Month,
    Kind::MonthCell,
    Kind::Decimal,
];

/// How a cell stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Plain,
    Total,
    /// An error: light red.
    Alert,
    /// A warning: amber.
    Caution,
}

const TONES: [Tone; 4] = [Tone::Plain, Tone::Total, Tone::Alert, Tone::Caution];

/// Every format the workbook uses.
pub(crate) struct Styles {
    /// The reader's language, which sets the date formats.
    pub(crate) lang: Lang,
    cells: Vec<Vec<Format>>,
    pub(crate) header: Format,
    pub(crate) title: Format,
    pub(crate) note: Format,
    /// Plain text that overflows into empty cells instead of wrapping.
    pub(crate) plain: Format,
    pub(crate) link: Format,
    /// What conditional formatting applies to a breach.
    pub(crate) alert: Format,
    /// What conditional formatting applies to a project near its cap.
    pub(crate) caution: Format,
    /// What conditional formatting applies to a target achieved or on track.
    pub(crate) good: Format,
    /// What conditional formatting applies to a target that cannot be judged.
    pub(crate) muted: Format,
}

impl Styles {
    pub(crate) fn new(lang: Lang) -> Styles {
        let cells = KINDS
            .iter()
            .map(|kind| {
                TONES
                    .iter()
                    .map(|tone| cell_format(*kind, *tone, lang))
                    .collect()
            })
            .collect();
        let left = || {
            Format::new()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left)
                .set_indent(1)
        };
        Styles {
            lang,
            cells,
            header: left()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic(),
            plain: left(),
            link: left()
                .set_font_color(Color::RGB(LINK_FONT))
                .set_underline(FormatUnderline::Single),
            alert: Format::new()
                .set_background_color(Color::RGB(ALERT_FILL))
                .set_font_color(Color::RGB(ALERT_FONT)),
            caution: Format::new()
                .set_background_color(Color::RGB(CAUTION_FILL))
                .set_font_color(Color::RGB(CAUTION_FONT)),
            good: Format::new()
                .set_background_color(Color::RGB(GOOD_FILL))
                .set_font_color(Color::RGB(GOOD_FONT)),
            muted: Format::new()
                .set_background_color(Color::RGB(MUTED_FILL))
                .set_font_color(Color::RGB(MUTED_FONT)),
        }
    }

    pub(crate) fn cell(&self, kind: Kind, tone: Tone) -> &Format {
        &self.cells[kind as usize][tone as usize]
    }

    /// Every format of [`Styles::cell`].
    pub(crate) fn cells(&self) -> impl Iterator<Item = &Format> {
        self.cells.iter().flatten()
    }
}

fn num_format(kind: Kind, lang: Lang) -> Option<&'static str> {
    match (kind, lang) {
        (Kind::Text, _) => None,
        (Kind::Count, _) => Some("#,##0"),
        (Kind::Number, _) => Some("0"),
        (Kind::Amount, _) => Some(AMOUNT_FORMAT),
        (Kind::Ratio, _) => Some(RATIO_FORMAT),
        (Kind::Cap, _) => Some("0.00##%"),
        (Kind::Date | Kind::DateFigure, Lang::It) => Some("dd/mm/yyyy"),
        (Kind::Date | Kind::DateFigure, Lang::En) => Some("yyyy-mm-dd"),
        (Kind::Month, Lang::It) => Some("[$-410]mmmm yyyy"),
        (Kind::Month, Lang::En) => Some("[$-409]mmmm yyyy"),
        (Kind::MonthCell, Lang::It) => Some("[$-410]mmm yyyy"),
        (Kind::MonthCell, Lang::En) => Some("[$-409]mmm yyyy"),
        (Kind::Decimal, _) => Some("#,##0.0###"),
    }
}

fn cell_format(kind: Kind, tone: Tone, lang: Lang) -> Format {
    let base = Format::new().set_align(FormatAlign::Top);
    // Dates and row numbers are centred so that they do not run into the text
    // beside them.
    let base = match kind {
        Kind::Date | Kind::Number | Kind::MonthCell => base.set_align(FormatAlign::Center),
        _ => base,
    };
    let base = match num_format(kind, lang) {
        Some(format) => base.set_num_format(format),
        None => base
            .set_text_wrap()
            .set_align(FormatAlign::Left)
            .set_indent(1),
    };
    match tone {
        Tone::Plain => base,
        Tone::Total => base
            .set_bold()
            .set_border_top(FormatBorder::Thin)
            .set_background_color(Color::RGB(TOTAL_FILL)),
        Tone::Alert => base
            .set_background_color(Color::RGB(ALERT_FILL))
            .set_font_color(Color::RGB(ALERT_FONT)),
        Tone::Caution => base
            .set_background_color(Color::RGB(CAUTION_FILL))
            .set_font_color(Color::RGB(CAUTION_FONT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_ratios_use_the_formats_the_issue_names() {
        assert_eq!(num_format(Kind::Amount, Lang::It), Some("#,##0.00 \"€\""));
        assert_eq!(num_format(Kind::Ratio, Lang::En), Some("0.00%"));
        assert_eq!(num_format(Kind::Text, Lang::It), None);
    }

    #[test]
    fn every_kind_and_tone_has_its_own_format() {
        let styles = Styles::new(Lang::It);
        let total = styles.cell(Kind::Amount, Tone::Total);
        let plain = styles.cell(Kind::Amount, Tone::Plain);
        assert!(total != plain);
        assert!(styles.cell(Kind::Month, Tone::Plain) != styles.cell(Kind::Date, Tone::Plain));
    }
}
